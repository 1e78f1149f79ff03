"""The centre's channel configuration (`zesminuten-engine serve --channels FILE`).

Provider URLs and credentials come from this file or from the environment, never from
the repository. Each secret may be given as `NAME` (in the file, which must then be
readable by the service's user only), `NAME_env` (an environment variable) or `NAME_file`
(a file holding it). Example (docs/channels.md has every key):

```json
{"policy":  {"sms_after_s": 20, "voice_after_s": 60, "voice_nearest": 10},
 "webpush": {"vapid_private_key_file": "/etc/zesminuten/vapid.pem", "subject": "mailto:beheer@mka.example",
             "allowed_origins": ["https://fcm.googleapis.com", "https://web.push.apple.com"]},
 "fcm":     {"project_id": "mka-app", "access_token_env": "ZESMINUTEN_FCM_TOKEN"},
 "sms":     {"url": "https://sms.example/v1/messages", "sender": "+3197010200300",
             "token_env": "ZESMINUTEN_SMS_TOKEN", "receipts_token_env": "ZESMINUTEN_SMS_RECEIPTS"},
 "voice":   {"url": "https://voice.example/v1/calls", "sender": "+3197010200300",
             "token_env": "ZESMINUTEN_VOICE_TOKEN", "receipts_token_env": "ZESMINUTEN_VOICE_RECEIPTS"},
 "app_url": "https://mka.example/r/"}
```
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..safe_input import load_json_file
from .contacts import Directory, SyntheticDirectory
from .gateways import FcmGateway, Gateway, SmsGateway, VoiceGateway, WebPushGateway
from .policy import DeliveryPolicy

SECTIONS = ("policy", "webpush", "fcm", "sms", "voice", "app_url", "synthetic_contacts", "transport")
TRANSPORTS = ("aiohttp", "httpx")
_KEYS: dict[str, set[str]] = {
    "webpush": {"vapid_private_key", "subject", "ttl_s", "timeout_s", "allowed_origins", "receipts_token"},
    "fcm": {"url", "project_id", "access_token", "ttl_s", "timeout_s", "receipts_token"},
    "sms": {"url", "sender", "token", "timeout_s", "receipts_token"},
    "voice": {"url", "sender", "token", "timeout_s", "language", "receipts_token"},
    "synthetic_contacts": {"push_endpoint", "phone_prefix", "p256dh"},
}
_SECRETS = {"vapid_private_key", "access_token", "token", "receipts_token"}


@dataclass
class ChannelSettings:
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    gateways: dict[str, Gateway] = field(default_factory=dict)      # by name: webpush, fcm, sms, voice
    receipts_tokens: dict[str, str] = field(default_factory=dict)   # channel -> the webhook's bearer token
    allowed_origins: tuple[str, ...] = ()
    synthetic: Directory | None = None
    app_url: str = ""
    secrets_in_file: bool = False

    @property
    def channels(self) -> set[str]:
        return {g.channel for g in self.gateways.values()}


def _secret(section: Mapping[str, Any], name: str, where: str, env: Mapping[str, str],
            required: bool = True) -> str | None:
    if name in section:
        value = section[name]
    elif f"{name}_env" in section:
        var = section[f"{name}_env"]
        if not isinstance(var, str) or var not in env or not env[var].strip():
            raise InvalidInput(f"{where}.{name}_env: environment variable {var!r} is not set")
        value = env[var]
    elif f"{name}_file" in section:
        path = Path(str(section[f"{name}_file"]))
        try:
            value = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"{where}.{name}_file: {path}: cannot read ({exc.strerror})") from None
    elif required:
        raise InvalidInput(f"{where}.{name}: missing (give {name}, {name}_env or {name}_file)")
    else:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}.{name}: empty")
    return value.strip()


def _text(section: Mapping[str, Any], name: str, where: str, default: str | None = None) -> str:
    value = section.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{where}.{name}: expected text")
    return value.strip()


def _number(section: Mapping[str, Any], name: str, where: str, default: float, lo: float, hi: float) -> float:
    value = section.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
        raise InvalidInput(f"{where}.{name}: expected a number {lo:g}..{hi:g}")
    return float(value)


def _url(section: Mapping[str, Any], name: str, where: str, default: str | None = None) -> str:
    value = _text(section, name, where, default)
    if not value.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise InvalidInput(f"{where}.{name}: expected an https URL")
    return value


def _check_keys(section: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(section, dict):
        raise InvalidInput(f"{name}: expected an object")
    known = _KEYS[name] | {f"{k}_{suffix}" for k in _KEYS[name] & _SECRETS for suffix in ("env", "file")}
    unknown = sorted(set(section) - known)
    if unknown:
        raise InvalidInput(f"{name}.{unknown[0]}: unknown setting (known: {', '.join(sorted(known))})")
    return section


def settings_from(raw: Any, where: str = "channels", env: Mapping[str, str] | None = None) -> ChannelSettings:
    env = os.environ if env is None else env
    if not isinstance(raw, dict):
        raise InvalidInput(f"{where}: expected a JSON object with {', '.join(SECTIONS)}")
    unknown = sorted(set(raw) - set(SECTIONS))
    if unknown:
        raise InvalidInput(f"{where}.{unknown[0]}: unknown section (known: {', '.join(SECTIONS)})")
    out = ChannelSettings()
    out.secrets_in_file = any(isinstance(v, dict) and set(v) & _SECRETS for v in raw.values())
    transport = raw.get("transport", "aiohttp")
    if transport not in TRANSPORTS:
        raise InvalidInput(f"{where}.transport: one of {', '.join(TRANSPORTS)}")
    if "policy" in raw:
        if not isinstance(raw["policy"], dict):
            raise InvalidInput(f"{where}.policy: expected an object")
        out.policy = DeliveryPolicy.from_mapping(raw["policy"], f"{where}.policy")
    if "webpush" in raw:
        w = _check_keys(raw["webpush"], "webpush")
        gw = WebPushGateway(_secret(w, "vapid_private_key", "webpush", env) or "",
                            _text(w, "subject", "webpush"),
                            ttl_s=int(_number(w, "ttl_s", "webpush", 60, 0, 2_419_200)),
                            timeout_s=_number(w, "timeout_s", "webpush", 5, 0.1, 60), transport=transport)
        out.gateways["webpush"] = gw
        origins = w.get("allowed_origins", [])
        if not isinstance(origins, list) or not all(isinstance(o, str) for o in origins):
            raise InvalidInput("webpush.allowed_origins: expected a list of https origins")
        out.allowed_origins = tuple(o.rstrip("/") for o in origins)
        token = _secret(w, "receipts_token", "webpush", env, required=False)
        if token:
            out.receipts_tokens["app"] = token
    if "fcm" in raw:
        f = _check_keys(raw["fcm"], "fcm")
        out.gateways["fcm"] = FcmGateway(_url(f, "url", "fcm", "https://fcm.googleapis.com"),
                                         _text(f, "project_id", "fcm"), _secret(f, "access_token", "fcm", env) or "",
                                         ttl_s=int(_number(f, "ttl_s", "fcm", 60, 0, 2_419_200)),
                                         timeout_s=_number(f, "timeout_s", "fcm", 5, 0.1, 60), transport=transport)
    for name, cls in (("sms", SmsGateway), ("voice", VoiceGateway)):
        if name not in raw:
            continue
        section = _check_keys(raw[name], name)
        args = (_url(section, "url", name), _text(section, "sender", name), _secret(section, "token", name, env) or "")
        timeout = _number(section, "timeout_s", name, 5, 0.1, 60)
        if cls is VoiceGateway:
            out.gateways[name] = VoiceGateway(*args, language=_text(section, "language", name, "nl-NL"),
                                              timeout_s=timeout, transport=transport)
        else:
            out.gateways[name] = SmsGateway(*args, timeout_s=timeout, transport=transport)
        token = _secret(section, "receipts_token", name, env, required=False)
        if token:
            out.receipts_tokens[name] = token
    if "app_url" in raw:
        out.app_url = _url(raw, "app_url", where)
    if "synthetic_contacts" in raw:
        sc = _check_keys(raw["synthetic_contacts"], "synthetic_contacts")
        out.synthetic = SyntheticDirectory(_url(sc, "push_endpoint", "synthetic_contacts"),
                                           _text(sc, "phone_prefix", "synthetic_contacts", "+3197"),
                                           sc.get("p256dh"))
    return out


def load_settings(path: Path, env: Mapping[str, str] | None = None) -> ChannelSettings:
    return settings_from(load_json_file(path), str(path), env)
