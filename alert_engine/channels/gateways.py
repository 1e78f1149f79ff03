"""The gateways at the edge of the world: one httpx adapter per provider, each with timeouts.

- `WebPushGateway`: Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload
  encryption (RFC 8291, `pywebpush`), to the responder web app. iOS delivers it only to a
  web app added to the home screen.
- `FcmGateway`: Firebase Cloud Messaging HTTP v1, for a native app. FCM's terms exclude
  emergency / life-critical use and it gives no per-message receipt: push is never the only
  channel, and the app's own acknowledgement is the receipt.
- `SmsGateway`, `VoiceGateway`: a provider's REST API (JSON POST, bearer token, our
  idempotency key as `reference` and `Idempotency-Key`), one fixed sender number so that
  responders can give it a ringtone of its own; delivery reports come back on the
  service's webhook (POST /v1/channels/{channel}/receipts) and are hints only.

A gateway never raises for a provider's answer: every send ends in an `Outcome` (a short
reason word on failure, never the provider's text, which may echo a number or a code).
Nothing here logs a message, an address or a payload.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from .compose import Outgoing
from .contacts import origin_of

# httpx logs every request's URL at INFO: a Web Push endpoint is a responder's capability
# URL (personal data), so those lines never reach the service's log.
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("httpcore").setLevel(logging.WARNING)
log = logging.getLogger("zesminuten.channels")


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    reason: str = ""  # http_503 | timeout | unreachable | gone | refused | bad_address
    provider_id: str | None = None


class Gateway(Protocol):
    name: str      # webpush | fcm | sms | voice
    channel: str   # app | sms | voice

    def accepts(self, address: Any) -> bool: ...

    async def send(self, out: Outgoing) -> Outcome: ...

    async def aclose(self) -> None: ...


def client(timeout_s: float, *, transport: str = "aiohttp", max_connections: int = 20,
           headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """An httpx client with the gateway's timeouts (connecting is quick or not at all; the
    provider gets the rest to answer), on the transport the configuration names."""
    # aiohttp's import takes ~0.2 s: only where gateways are made.
    from .transport import AiohttpTransport

    pool: httpx.AsyncBaseTransport = (AiohttpTransport(max_connections) if transport == "aiohttp" else
                                      httpx.AsyncHTTPTransport(limits=httpx.Limits(max_connections=max_connections)))
    return httpx.AsyncClient(timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 2.0)), transport=pool,
                             headers=headers, trust_env=False)


def _status_reason(status: int) -> str:
    if status in (404, 410):
        return "gone"  # the subscription or number no longer exists
    if status in (401, 403):
        return "refused"
    return f"http_{status}"


async def _post(client: httpx.AsyncClient, url: str, **kwargs: Any) -> tuple[httpx.Response | None, str]:
    try:
        return await client.post(url, **kwargs), ""
    except httpx.TimeoutException:
        return None, "timeout"
    except httpx.HTTPError:
        return None, "unreachable"


def topic(incident: str) -> str:
    """Web Push `Topic`: a queued push of an incident is replaced by its newer one (a phone
    that was offline gets the cancellation, not the stale alert). Opaque, ≤ 32 characters."""
    return base64.urlsafe_b64encode(hashlib.sha256(incident.encode()).digest()[:18]).decode()


def _sealed_key(subscription: Mapping[str, Any], plain: bytes) -> tuple[str, str, bytes]:
    """A body encrypted ahead is for this subscription (endpoint and keys) and this payload only."""
    return str(subscription["endpoint"]), json.dumps(subscription.get("keys"), sort_keys=True), plain


class WebPushGateway:
    name = "webpush"
    channel = "app"

    def __init__(self, vapid_private_key: str, subject: str, *, ttl_s: int = 60, timeout_s: float = 5.0,
                 transport: str = "aiohttp") -> None:
        from py_vapid import Vapid02
        from pywebpush import WebPusher  # at start: its import takes ~0.3 s, not at the first alert

        self._pusher = WebPusher
        key = vapid_private_key.strip()
        self._vapid = Vapid02.from_pem(key.encode()) if key.startswith("-----") else Vapid02.from_raw(key.encode())
        self.subject = subject
        self.ttl_s = ttl_s
        self._signed: dict[str, tuple[float, str]] = {}  # audience -> (valid until, Authorization)
        self._prepared: dict[tuple[str, str, bytes], bytes] = {}  # _sealed_key -> encrypted body
        self.client = client(timeout_s, transport=transport)
        self._timeout = self.client.timeout
        from .transport import AiohttpTransport

        pool = getattr(self.client, "_transport", None)  # the transport `client` just made
        self._fast = pool if isinstance(pool, AiohttpTransport) else None

    @property
    def public_key(self) -> str:
        """The applicationServerKey the web app subscribes with (base64url, uncompressed point)."""
        from cryptography.hazmat.primitives import serialization

        raw = self._vapid.public_key.public_bytes(serialization.Encoding.X962,
                                                   serialization.PublicFormat.UncompressedPoint)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def accepts(self, address: Any) -> bool:
        return isinstance(address, dict) and "endpoint" in address

    def _authorization(self, endpoint: str) -> str:
        # One VAPID token per push service, reused for 12 h of its 24 h (signing per message
        # is wasted work on an alert of a hundred).
        audience = origin_of(endpoint)
        now = time.time()
        cached = self._signed.get(audience)
        if cached is None or cached[0] < now:
            headers = self._vapid.sign({"aud": audience, "sub": self.subject, "exp": int(now) + 24 * 3600})
            cached = (now + 12 * 3600, str(headers["Authorization"]))
            self._signed[audience] = cached
        return cached[1]

    def prepare(self, out: Outgoing) -> None:
        """Encrypt ahead (the dispatcher calls this while the database commits): `encrypt`
        takes it when the same payload goes to the same subscription, else encrypts anew."""
        if len(self._prepared) > 1000:  # left over from writes that refused: never a leak
            self._prepared.clear()
        plain = json.dumps(out.data, ensure_ascii=False).encode()
        try:
            self._prepared[_sealed_key(out.address, plain)] = self._seal(out.address, plain)
        except Exception:  # keys that do not work: `send` says so for this message
            return

    def _seal(self, address: Any, plain: bytes) -> bytes:
        return bytes(self._pusher(address).encode(plain)["body"])

    def encrypt(self, out: Outgoing) -> tuple[bytes, dict[str, str]]:
        plain = json.dumps(out.data, ensure_ascii=False).encode()
        body = self._prepared.pop(_sealed_key(out.address, plain), None) or self._seal(out.address, plain)
        headers = {"TTL": str(self.ttl_s), "Urgency": "high", "Topic": topic(out.incident),
                   "Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream",
                   "Authorization": self._authorization(out.address["endpoint"])}
        return bytes(body), headers

    async def send(self, out: Outgoing) -> Outcome:
        try:
            body, headers = self.encrypt(out)
        except Exception:  # a stored subscription with keys that do not work
            return Outcome(False, "bad_address")
        endpoint = out.address["endpoint"]
        if self._fast is not None:  # the burst's path: the same pool and timeouts, without httpx's models
            try:
                status, location = await self._fast.post(endpoint, body, headers, connect_s=self._timeout.connect or 2.0,
                                                         read_s=self._timeout.read or 5.0)
            except httpx.TimeoutException:
                return Outcome(False, "timeout")
            except httpx.HTTPError:
                return Outcome(False, "unreachable")
        else:
            response, why = await _post(self.client, endpoint, content=body, headers=headers)
            if response is None:
                return Outcome(False, why)
            status, location = response.status_code, response.headers.get("location")
        if 200 <= status < 300:
            return Outcome(True, provider_id=location)
        return Outcome(False, _status_reason(status))

    async def aclose(self) -> None:
        await self.client.aclose()


FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"


class FcmGateway:
    name = "fcm"
    channel = "app"

    def __init__(self, url: str, project_id: str, access_token: str | None = None, *, ttl_s: int = 60,
                 timeout_s: float = 5.0, transport: str = "aiohttp",
                 service_account: Mapping[str, Any] | None = None) -> None:
        self.endpoint = f"{url.rstrip('/')}/v1/projects/{project_id}/messages:send"
        self.ttl_s = ttl_s
        self.client = client(timeout_s, transport=transport)
        self._static = access_token
        # FCM HTTP v1 wants an OAuth2 access token, which lives an hour: with the centre's
        # service account (google-auth) it is fetched before the first push and again
        # before it runs out; a fixed `access_token` is for tests and short trials only.
        self._credentials: Any = None
        self._refreshing: Any = None
        if service_account is not None:
            from google.oauth2 import service_account as sa

            self._credentials = sa.Credentials.from_service_account_info(dict(service_account), scopes=[FCM_SCOPE])

    async def _bearer(self) -> str:
        if self._credentials is None:
            return self._static or ""
        if not self._credentials.valid:  # google-auth: missing, or within minutes of its expiry
            if self._refreshing is None or self._refreshing.done():
                self._refreshing = asyncio.ensure_future(asyncio.to_thread(self._refresh))
            await asyncio.shield(self._refreshing)  # one fetch for a burst of a hundred pushes
        return str(self._credentials.token)

    def _refresh(self) -> None:
        from google.auth.transport.requests import Request as GoogleRequest

        self._credentials.refresh(GoogleRequest())

    def accepts(self, address: Any) -> bool:
        return isinstance(address, dict) and "fcm_token" in address

    def body(self, out: Outgoing) -> dict[str, Any]:
        # Data only (the app rings itself); FCM wants every data value as a string.
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in out.data.items()}
        return {"message": {
            "token": out.address["fcm_token"], "data": data,
            "android": {"priority": "HIGH", "ttl": f"{self.ttl_s}s", "collapse_key": topic(out.incident)},
            "apns": {"headers": {"apns-priority": "10", "apns-collapse-id": topic(out.incident)},
                     "payload": {"aps": {"content-available": 1}}},
        }}

    async def send(self, out: Outgoing) -> Outcome:
        try:
            bearer = await self._bearer()
        except Exception as exc:  # the token service refused or is away: this push fails, the SMS follows
            log.warning("fcm: no access token (%s)", type(exc).__name__)
            return Outcome(False, "refused")
        response, why = await _post(self.client, self.endpoint, json=self.body(out),
                                    headers={"Authorization": f"Bearer {bearer}"})
        if response is None:
            return Outcome(False, why)
        if response.is_success:
            try:
                name = response.json().get("name")
            except ValueError:
                name = None
            return Outcome(True, provider_id=name)
        return Outcome(False, _status_reason(response.status_code))

    async def aclose(self) -> None:
        await self.client.aclose()


class _RestGateway:
    """SMS and voice: the same shape of provider API (JSON POST, bearer token)."""

    name = "rest"
    channel = "sms"

    def __init__(self, url: str, sender: str, token: str, *, timeout_s: float = 5.0, transport: str = "aiohttp") -> None:
        self.url = url
        self.sender = sender
        self.client = client(timeout_s, transport=transport, headers={"Authorization": f"Bearer {token}"})

    def accepts(self, address: Any) -> bool:
        return isinstance(address, str) and address.startswith("+")

    def body(self, out: Outgoing) -> dict[str, Any]:
        raise NotImplementedError

    async def send(self, out: Outgoing) -> Outcome:
        response, why = await _post(self.client, self.url, json=self.body(out), headers={"Idempotency-Key": out.key})
        if response is None:
            return Outcome(False, why)
        if response.is_success:
            try:
                found = response.json().get("id")
            except ValueError:
                found = None
            return Outcome(True, provider_id=str(found) if found is not None else None)
        return Outcome(False, _status_reason(response.status_code))

    async def aclose(self) -> None:
        await self.client.aclose()


class SmsGateway(_RestGateway):
    name = "sms"
    channel = "sms"

    def body(self, out: Outgoing) -> dict[str, Any]:
        return {"from": self.sender, "to": out.address, "body": out.text, "reference": out.key}


class VoiceGateway(_RestGateway):
    name = "voice"
    channel = "voice"

    def __init__(self, url: str, sender: str, token: str, *, language: str = "nl-NL", timeout_s: float = 5.0,
                 transport: str = "aiohttp") -> None:
        super().__init__(url, sender, token, timeout_s=timeout_s, transport=transport)
        self.language = language

    def body(self, out: Outgoing) -> dict[str, Any]:
        return {"from": self.sender, "to": out.address, "say": out.text, "language": self.language,
                "reference": out.key}
