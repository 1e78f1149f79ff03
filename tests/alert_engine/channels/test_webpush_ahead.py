"""Web Push bodies encrypted ahead (while the database commits) are only used for the very
subscription and payload they were made for: a phone always gets a push it can open."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from alert_engine.channels.compose import Outgoing
from alert_engine.channels.gateways import WebPushGateway
from tools.fake_providers import write_vapid_key


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _phone() -> tuple[ec.EllipticCurvePrivateKey, bytes, dict[str, str]]:
    """A browser's subscription keys: its receiving key pair and auth secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    raw = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return key, auth, {"p256dh": _b64(raw), "auth": _b64(auth)}


def _out(subscription: dict[str, object], text: str) -> Outgoing:
    data = {"v": 1, "incident": "inc-1", "kind": "alert", "mode": "live", "role": "cpr", "aed": None,
            "text": text, "key": "r1/app/alert", "attempt": 1}
    return Outgoing("r1/app/alert", "inc-1", "r1", "app", "alert", 1, "webpush", subscription, text, data)


def _opened(key: ec.EllipticCurvePrivateKey, auth: bytes, body: bytes) -> dict[str, object]:
    found: dict[str, object] = json.loads(http_ece.decrypt(body, private_key=key, auth_secret=auth, version="aes128gcm"))
    return found


def test_a_body_encrypted_ahead_is_the_one_sent(tmp_path: Path) -> None:
    gw = WebPushGateway(write_vapid_key(tmp_path / "vapid.pem").read_text(), "mailto:mka@example.org")
    key, auth, keys = _phone()
    sub = {"endpoint": "https://push.example.org/send/abc", "keys": keys}
    gw.prepare(_out(sub, "Reanimatie nodig"))
    ahead = next(iter(gw._prepared.values()))
    body, _ = gw.encrypt(_out(sub, "Reanimatie nodig"))
    assert body == ahead and not gw._prepared  # taken, not kept
    assert _opened(key, auth, body)["text"] == "Reanimatie nodig"


def test_new_keys_or_another_payload_are_encrypted_anew(tmp_path: Path) -> None:
    gw = WebPushGateway(write_vapid_key(tmp_path / "vapid.pem").read_text(), "mailto:mka@example.org")
    old_key, old_auth, old_keys = _phone()
    new_key, new_auth, new_keys = _phone()
    endpoint = "https://push.example.org/send/abc"
    gw.prepare(_out({"endpoint": endpoint, "keys": old_keys}, "Reanimatie nodig"))
    # The browser subscribed again (same endpoint, new keys) before the send: the phone must still open it.
    body, _ = gw.encrypt(_out({"endpoint": endpoint, "keys": new_keys}, "Reanimatie nodig"))
    assert _opened(new_key, new_auth, body)["text"] == "Reanimatie nodig"
    # The payload changed between planning and sending (e.g. the role): the new words go out.
    gw.prepare(_out({"endpoint": endpoint, "keys": old_keys}, "Reanimatie nodig"))
    body, _ = gw.encrypt(_out({"endpoint": endpoint, "keys": old_keys}, "Haal eerst de AED"))
    assert _opened(old_key, old_auth, body)["text"] == "Haal eerst de AED"
