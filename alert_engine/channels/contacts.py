"""Where a responder can be reached: a push subscription and a phone number.

This is personal data (a phone number, a browser's push endpoint), so it lives only here:
never in an event, a log line or an export. Events name the responder by registry id and
the channel by name; the gateways look the address up at the moment they send.

- `app`: the browser's PushSubscription JSON (`{"endpoint", "keys": {"p256dh", "auth"}}`,
  Web Push) or `{"fcm_token": "…"}` for a native app (FCM HTTP v1).
- `phone`: an E.164 number (`+316…`), used by SMS and by voice calls.

A `Directory` answers for many responders at once (one query per alarm on PostgreSQL).
`SyntheticDirectory` gives the synthetic demo registry reachable addresses at a fake
provider, so `scripts/run-centre` and the tests exercise the real gateways.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..errors import InvalidInput

APP = "app"
PHONE = "phone"
KINDS = (APP, PHONE)
_E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
_MAX_FIELD = 2048


class Directory(Protocol):
    def lookup(self, responders: Iterable[str]) -> dict[str, dict[str, Any]]:
        """{responder: {"app": subscription, "phone": "+31…"}} for those with any address."""
        ...


def _b64url(value: Any, field: str, length: int | None) -> str:
    if not isinstance(value, str) or not value or len(value) > 200:
        raise InvalidInput(f"{field}: expected a base64url string")
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raise InvalidInput(f"{field}: not base64url") from None
    if length is not None and len(raw) != length:
        raise InvalidInput(f"{field}: expected {length} bytes, got {len(raw)}")
    return value


def push_subscription(raw: Any) -> dict[str, Any]:
    """A checked copy of a browser PushSubscription (or an FCM registration token)."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("subscription: expected a JSON object")
    if "fcm_token" in raw:
        token = raw["fcm_token"]
        if not isinstance(token, str) or not 20 <= len(token) <= 4096 or any(c.isspace() for c in token):
            raise InvalidInput("subscription.fcm_token: expected an FCM registration token")
        return {"fcm_token": token}
    endpoint = raw.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > _MAX_FIELD:
        raise InvalidInput("subscription.endpoint: expected the push service URL")
    parts = urlsplit(endpoint)
    local = parts.hostname in ("127.0.0.1", "localhost", "::1")
    # A push service is always https; plain http only to this machine (the fake provider).
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and local)):
        raise InvalidInput("subscription.endpoint: expected an https URL of a push service")
    keys = raw.get("keys")
    if not isinstance(keys, Mapping):
        raise InvalidInput("subscription.keys: expected {p256dh, auth}")
    p256dh = _b64url(keys.get("p256dh"), "subscription.keys.p256dh", 65)
    auth = _b64url(keys.get("auth"), "subscription.keys.auth", 16)
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def phone_number(raw: Any) -> str:
    text = re.sub(r"[\s\-()]", "", raw) if isinstance(raw, str) else ""
    if text.startswith("00"):
        text = "+" + text[2:]
    if not _E164.match(text):
        raise InvalidInput("phone: expected an international number such as +31612345678")
    return text


def origin_of(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def allowed(subscription: Mapping[str, Any], origins: Iterable[str]) -> bool:
    """A subscription's endpoint is one of the push services the centre trusts (a stored
    endpoint is user input: without this a forged one makes the service POST anywhere)."""
    if "fcm_token" in subscription:
        return True
    wanted = set(origins)
    return not wanted or origin_of(str(subscription.get("endpoint", ""))) in wanted


class MemoryDirectory:
    """Addresses in memory (a single SQLite node; they are registered again after a restart)."""

    def __init__(self) -> None:
        self._by: dict[str, dict[str, Any]] = {}

    def store(self, responder: str, kind: str, address: Any) -> None:
        self._by.setdefault(responder, {})[kind] = address

    def lookup(self, responders: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {r: dict(self._by[r]) for r in responders if r in self._by}


class SyntheticDirectory:
    """Demo only: every responder of a synthetic registry reachable at the fake provider.

    The push subscriptions share one receiving key pair (made here, at start), each with an
    auth secret of its own; the phone numbers are in the +3197 range (machine numbers, never
    a person's mobile)."""

    def __init__(self, push_endpoint: str, phone_prefix: str = "+3197", p256dh: str | None = None) -> None:
        self.push_endpoint = push_endpoint.rstrip("/")
        self.phone_prefix = phone_prefix
        if p256dh is None:  # nobody will read the pushes: a key of our own
            from cryptography.hazmat.primitives import serialization
            from cryptography.hazmat.primitives.asymmetric import ec

            raw = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
            p256dh = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
        self._p256dh = _b64url(p256dh, "synthetic_contacts.p256dh", 65)

    @staticmethod
    def auth_secret(responder: str) -> bytes:
        """Each synthetic subscription's auth secret (the fake provider derives it too, to
        decrypt what it receives as the responder's browser would)."""
        return hashlib.sha256(b"zesminuten-synthetic:" + responder.encode()).digest()[:16]

    def address(self, responder: str) -> dict[str, Any]:
        auth = base64.urlsafe_b64encode(self.auth_secret(responder)).rstrip(b"=").decode()
        digest = hashlib.sha256(responder.encode()).digest()
        number = int.from_bytes(digest[:8], "big") % 10**8
        return {APP: {"endpoint": f"{self.push_endpoint}/{responder}", "keys": {"p256dh": self._p256dh, "auth": auth}},
                PHONE: f"{self.phone_prefix}{number:08d}"}

    def lookup(self, responders: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {r: self.address(r) for r in responders}


class LayeredDirectory:
    """What a responder registered wins over the synthetic demo address."""

    def __init__(self, *layers: Directory) -> None:
        self.layers = layers

    def lookup(self, responders: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = list(responders)
        out: dict[str, dict[str, Any]] = {}
        for layer in reversed(self.layers):
            for rid, addr in layer.lookup(wanted).items():
                out.setdefault(rid, {}).update(addr)
        return out
