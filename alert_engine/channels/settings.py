"""The centre's channel configuration (`zesminuten-engine serve --channels FILE`).

Provider URLs and credentials come from this file or from the environment, never from
the repository. Each secret may be given as `NAME` (in the file, which must then be
readable by the service's user only), `NAME_env` (an environment variable) or `NAME_file`
(a file holding it). Example (docs/channels.md has every key):

```json
{"policy":  {"sms_after_s": 20, "voice_after_s": 60, "voice_nearest": 10},
 "webpush": {"vapid_private_key_file": "/etc/zesminuten/vapid.pem", "subject": "mailto:beheer@mka.example",
             "allowed_origins": ["https://fcm.googleapis.com", "https://web.push.apple.com"]},
 "fcm":     {"project_id": "mka-app", "service_account_file": "/etc/zesminuten/fcm-service-account.json"},
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

SECTIONS = ("policy", "webpush", "fcm", "sms", "voice", "email", "aed_check", "aftercare", "app_url",
            "synthetic_contacts", "transport")
TRANSPORTS = ("aiohttp", "httpx")
_KEYS: dict[str, set[str]] = {
    "webpush": {"vapid_private_key", "subject", "ttl_s", "timeout_s", "allowed_origins", "receipts_token"},
    "fcm": {"url", "project_id", "access_token", "service_account", "ttl_s", "timeout_s", "receipts_token"},
    "sms": {"url", "sender", "token", "timeout_s", "receipts_token"},
    "voice": {"url", "sender", "token", "timeout_s", "language", "receipts_token"},
    "email": {"url", "sender", "token", "timeout_s"},
    "aed_check": {"channels"},
    "aftercare": {"sms"},
    "synthetic_contacts": {"push_endpoint", "phone_prefix", "p256dh"},
}
_SECRETS = {"vapid_private_key", "access_token", "service_account", "token", "receipts_token"}


@dataclass
class ChannelSettings:
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    gateways: dict[str, Gateway] = field(default_factory=dict)      # by name: webpush, fcm, sms, voice
    receipts_tokens: dict[str, str] = field(default_factory=dict)   # channel -> the webhook's bearer token
    allowed_origins: tuple[str, ...] = ()
    synthetic: Directory | None = None
    app_url: str = ""
    secrets_in_file: bool = False
    # Issue 15: the channels the AED manager's check-back goes out on (none unless configured).
    aed_check_channels: tuple[str, ...] = ()
    # Issue 15: the aftercare questionnaire's link by SMS to responders without the web app.
    aftercare_sms: bool = False

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
        account = _service_account(f, env)
        token = None if account is not None else _secret(f, "access_token", "fcm", env, required=False)
        if account is None and token is None:
            raise InvalidInput("fcm.service_account: missing (give service_account_file or service_account_env, "
                               "the centre's Google service-account key; or access_token for a short trial)")
        out.gateways["fcm"] = FcmGateway(_url(f, "url", "fcm", "https://fcm.googleapis.com"),
                                         _text(f, "project_id", "fcm"), token,
                                         ttl_s=int(_number(f, "ttl_s", "fcm", 60, 0, 2_419_200)),
                                         timeout_s=_number(f, "timeout_s", "fcm", 5, 0.1, 60), transport=transport,
                                         service_account=account)
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
    if "email" in raw:  # issue 15: the AED manager's check-back link (never a responder's alert)
        from .email import EMAIL, EmailGateway

        section = _check_keys(raw["email"], "email")
        sender = _text(section, "sender", "email")
        if not EMAIL.match(sender):
            raise InvalidInput("email.sender: expected an e-mail address such as aed@mka.example")
        out.gateways["email"] = EmailGateway(_url(section, "url", "email"), sender,
                                             _secret(section, "token", "email", env) or "",
                                             timeout_s=_number(section, "timeout_s", "email", 5, 0.1, 60),
                                             transport=transport)
    if "aed_check" in raw:
        wanted = _check_keys(raw["aed_check"], "aed_check").get("channels", ["sms", "email"])
        if not isinstance(wanted, list) or not wanted or any(c not in ("sms", "email") for c in wanted):
            raise InvalidInput("aed_check.channels: a list of sms and/or email")
        missing = [c for c in wanted if c not in out.gateways]
        if missing:
            raise InvalidInput(f"aed_check.channels: {missing[0]} has no gateway section in this file")
        out.aed_check_channels = tuple(dict.fromkeys(wanted))
    if "aftercare" in raw:
        wanted_sms = _check_keys(raw["aftercare"], "aftercare").get("sms", True)
        if not isinstance(wanted_sms, bool):
            raise InvalidInput("aftercare.sms: true or false")
        if wanted_sms and "sms" not in out.gateways:
            raise InvalidInput("aftercare.sms: there is no sms gateway section in this file")
        out.aftercare_sms = wanted_sms
    if "app_url" in raw:
        out.app_url = _url(raw, "app_url", where)
    if "synthetic_contacts" in raw:
        sc = _check_keys(raw["synthetic_contacts"], "synthetic_contacts")
        out.synthetic = SyntheticDirectory(_url(sc, "push_endpoint", "synthetic_contacts"),
                                           _text(sc, "phone_prefix", "synthetic_contacts", "+3197"),
                                           sc.get("p256dh"))
    return out


def _service_account(section: Mapping[str, Any], env: Mapping[str, str]) -> dict[str, Any] | None:
    """The Google service-account key (JSON) FCM's access tokens are made with, checked here
    so a wrong file is a clear error at start, not a failed push at the first alarm."""
    import json

    text = _secret(section, "service_account", "fcm", env, required=False)
    if text is None:
        return None
    try:
        account = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"fcm.service_account: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(account, dict):
        raise InvalidInput("fcm.service_account: expected the service-account key object")
    for key in ("client_email", "private_key", "token_uri"):
        if not isinstance(account.get(key), str) or not account[key].strip():
            raise InvalidInput(f"fcm.service_account.{key}: missing (is this a service-account key file?)")
    if not str(account["token_uri"]).startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise InvalidInput("fcm.service_account.token_uri: expected https:// (http only on this machine)")
    try:
        from google.oauth2 import service_account as sa

        sa.Credentials.from_service_account_info(account)
    except ValueError as exc:
        raise InvalidInput(f"fcm.service_account.private_key: not usable ({exc})") from None
    return account


def load_settings(path: Path, env: Mapping[str, str] | None = None) -> ChannelSettings:
    return settings_from(load_json_file(path), str(path), env)
