"""The optional HMAC key that signs event-store and export hash chains.

An unkeyed SHA-256 chain proves that nobody made a *partial* edit, but anyone who can
write the file can rewrite it whole and recompute every hash. A centre that needs more
gives the engine a secret key; the chains are then HMAC-SHA256 and a rewrite without the
key is detected. The key lives in the user's configuration (never in the repository, never
in a log): the file named by ZESMINUTEN_CHAIN_KEY_FILE, or `chain.key` in the user
config directory.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path

import platformdirs

from ..errors import InvalidInput

KEY_ENV = "ZESMINUTEN_CHAIN_KEY_FILE"
MIN_KEY_BYTES = 16


def default_key_path() -> Path:
    return platformdirs.user_config_path("zesminuten", appauthor=False) / "chain.key"


def load_chain_key() -> bytes | None:
    """The configured key, or None when the centre uses unkeyed chains."""
    named = os.environ.get(KEY_ENV)
    path = Path(named) if named else default_key_path()
    if not path.exists():
        if named:
            raise InvalidInput(f"{KEY_ENV}={named}: no such key file")
        return None
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory, not a key file")
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise InvalidInput(f"{path}: a chain key needs at least {MIN_KEY_BYTES} bytes")
    return key


def key_check(key: bytes) -> str:
    """A public fingerprint of a key, so a store can say 'wrong key' rather than 'altered'."""
    return hmac.new(key, b"zesminuten chain key check", hashlib.sha256).hexdigest()[:16]
