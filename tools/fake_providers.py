"""Fake push / SMS / voice providers on 127.0.0.1, for tests, benchmarks and the demo centre.

Not shipped (tools/ is not in the wheel; nothing in alert_engine or console imports it).
One HTTP server plays every provider the centre's gateways talk to:

- `POST /push/{responder}`: a Web Push service. It decrypts what it receives with the
  receiving key of the synthetic subscriptions (`GET /admin/state` gives its public key for
  the channel configuration's `synthetic_contacts.p256dh`), as the responder's browser would.
- `POST /fcm/v1/projects/{project}/messages:send`: FCM HTTP v1.
- `POST /sms`, `POST /voice`: an SMS and a voice provider (JSON, bearer token, `reference`).
- `POST /email`: an e-mail provider (JSON `{"from", "to", "subject", "text", "reference"}`),
  for the AED manager's check-back (issue 15); no delivery reports.

Each provider records every request (arrival time, what it carried), and behaves as set
at run time by `POST /admin/mode {"provider": "push"|"fcm"|"sms"|"voice"|"all",
"mode": "ok"|"silent"|"failing"|"slow", "delay_s", "status", "ack_limit"}`:
- ok: accepts, and plays the far end: the phone's app acknowledges a push
  (POST {service}/v1/channels/acknowledgements with the gateway token) after `ack_delay_s`,
  an SMS or call gets a delivery report on the service's webhook after `report_delay_s`;
- silent: accepts and delivers nothing (no acknowledgement, no report);
  `ack_limit: N` goes silent after the first N acknowledgements ("silent mid-alarm");
- failing: answers `status` (default 503);
- slow: waits `delay_s` before it answers (then as ok).
Where the service is: `POST /admin/config {"service_urls": [...], "gateway_token",
"receipts_tokens": {"sms": …, "voice": …}, "ack_delay_s", "report_delay_s"}`.
`GET /admin/requests?provider=sms` lists what arrived; `POST /admin/reset` forgets it.

Run: `python -m tools.fake_providers --listen 127.0.0.1:9100` (prints one JSON line with
its URL and public key, then serves). Message texts are kept in memory for the tests'
eyes only and never printed: an SMS to an AED runner carries a cabinet code.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import aiohttp
import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from alert_engine.channels.contacts import SyntheticDirectory

PROVIDERS = ("push", "fcm", "sms", "voice", "email")
MODES = ("ok", "silent", "failing", "slow")


@dataclass
class Behaviour:
    mode: str = "ok"
    delay_s: float = 0.0
    status: int = 503
    ack_limit: int | None = None
    acked: int = 0


@dataclass
class Fake:
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    behaviour: dict[str, Behaviour] = field(default_factory=lambda: {p: Behaviour() for p in PROVIDERS})
    requests: list[dict[str, Any]] = field(default_factory=list)
    service_urls: list[str] = field(default_factory=list)
    gateway_token: str = ""
    receipts_tokens: dict[str, str] = field(default_factory=dict)
    ack_delay_s: float = 0.2
    report_delay_s: float = 0.3
    posted: list[dict[str, Any]] = field(default_factory=list)  # what we told the service
    # Google's OAuth2 token endpoint for FCM: the access tokens it issued, and how long they live.
    oauth_tokens: dict[str, float] = field(default_factory=dict)  # token -> expires (time.time())
    oauth_lifetime_s: int = 3600

    @property
    def p256dh(self) -> str:
        raw = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    def decrypt(self, responder: str, body: bytes) -> dict[str, Any] | None:
        import http_ece

        try:
            plain = http_ece.decrypt(body, private_key=self.key, auth_secret=SyntheticDirectory.auth_secret(responder),
                                     version="aes128gcm")
            found: dict[str, Any] = json.loads(plain)
            return found
        except Exception:
            return None  # a real subscription's push: not ours to read


def create_app(fake: Fake | None = None) -> FastAPI:
    fake = fake or Fake()
    app = FastAPI(title="Zesminuten fake providers (tests only)")
    app.state.fake = fake
    tasks: set[asyncio.Task[None]] = set()
    client: dict[str, aiohttp.ClientSession] = {}

    def http() -> aiohttp.ClientSession:
        # aiohttp: a hundred acknowledgements at once are what a real alarm's phones send
        # (httpx's async pool is slow at that, see alert_engine/channels/transport.py).
        if "c" not in client:
            client["c"] = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5))
        return client["c"]

    def later(coro: Any) -> None:
        task = asyncio.create_task(coro)
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    async def tell_service(path: str, body: dict[str, Any], token: str) -> None:
        """POST to whichever node is active (a standby answers 503)."""
        for _ in range(50):
            for base in fake.service_urls:
                with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                    async with http().post(f"{base}{path}", json=body,
                                           headers={"Authorization": f"Bearer {token}"}) as r:
                        await r.read()
                        if r.status < 500:
                            fake.posted.append({"path": path, "status": r.status, "time": time.time(), **body})
                            return
            await asyncio.sleep(0.2)

    async def acknowledge(provider: str, payload: dict[str, Any] | None, responder: str) -> None:
        b = fake.behaviour[provider]
        if not payload or payload.get("kind") != "alert" or not fake.gateway_token:
            return
        if b.ack_limit is not None and b.acked >= b.ack_limit:
            return
        b.acked += 1
        await asyncio.sleep(fake.ack_delay_s)
        await tell_service("/v1/channels/acknowledgements",
                           {"responder": responder, "incident": payload["incident"], "channel": "app"},
                           fake.gateway_token)

    async def report(provider: str, reference: str) -> None:
        token = fake.receipts_tokens.get(provider)
        if not token or not reference:
            return
        await asyncio.sleep(fake.report_delay_s)
        await tell_service(f"/v1/channels/{provider}/receipts", {"reports": [{"reference": reference,
                                                                              "status": "delivered"}]}, token)

    async def behave(provider: str) -> Response | None:
        b = fake.behaviour[provider]
        if b.mode == "failing":
            return JSONResponse({"error": "provider unavailable"}, status_code=b.status)
        if b.mode == "slow":
            await asyncio.sleep(b.delay_s)
        return None

    def record(provider: str, request: Request | dict[str, str], **what: Any) -> dict[str, Any]:
        headers = request.headers if isinstance(request, Request) else request
        entry = {"provider": provider, "time": time.time(), "n": len(fake.requests) + 1,
                 "mode": fake.behaviour[provider].mode if provider in fake.behaviour else "ok",
                 "idempotency_key": headers.get("idempotency-key"), **what}
        fake.requests.append(entry)
        return entry

    async def push_received(responder: str, headers: dict[str, str], body: bytes, arrived: float) -> int:
        """One Web Push request (from the fast push server below, or the route): the status."""
        entry = record("push", headers, responder=responder, payload=None, size=len(body),
                       headers={k: headers.get(k) for k in ("ttl", "urgency", "topic", "content-encoding")},
                       vapid=str(headers.get("authorization", "")).startswith("vapid t="))
        entry["time"] = arrived  # before the body was decrypted: what the benchmark measures
        refused = await behave("push")
        later(open_push(entry, body, refused is None and fake.behaviour["push"].mode != "silent"))
        return refused.status_code if refused is not None else 201

    app.state.push_received = push_received

    @app.post("/push/{responder}")
    async def push(responder: str, request: Request) -> Response:
        arrived = time.time()
        status = await push_received(responder, {k.lower(): v for k, v in request.headers.items()},
                                     await request.body(), arrived)
        return Response(status_code=status)

    async def open_push(entry: dict[str, Any], body: bytes, answer: bool) -> None:
        """As the phone would, after the push service took it: decrypt, then acknowledge.
        A little later, so that decrypting does not hold up taking the rest of a burst."""
        await asyncio.sleep(0.1)
        entry["payload"] = fake.decrypt(entry["responder"], body) or {}  # {}: opened, not ours to read
        if answer:
            await acknowledge("push", entry["payload"], entry["responder"])

    @app.post("/oauth2/token")
    async def oauth_token(request: Request) -> Response:
        """Google's token endpoint as a service account uses it (RFC 7523: a signed JWT in,
        a bearer token out). The JWT's claims are checked; its signature is Google's business."""
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        try:
            claims = json.loads(base64.urlsafe_b64decode(str(form["assertion"]).split(".")[1] + "=="))
        except (KeyError, IndexError, ValueError):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        if "firebase.messaging" not in str(claims.get("scope", "")):
            return JSONResponse({"error": "invalid_scope"}, status_code=400)
        token = f"ya29.fake-{len(fake.oauth_tokens) + 1}"
        fake.oauth_tokens[token] = time.time() + fake.oauth_lifetime_s
        record("oauth", request, client_email=claims.get("iss"), scope=claims.get("scope"))
        return JSONResponse({"access_token": token, "expires_in": fake.oauth_lifetime_s, "token_type": "Bearer"})

    @app.post("/fcm/v1/projects/{project}/messages:send")
    async def fcm(project: str, request: Request) -> Response:
        if fake.oauth_tokens:  # once a service account signed in, only its live tokens count
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if fake.oauth_tokens.get(bearer, 0.0) < time.time():
                record("fcm", request, project=project, refused="UNAUTHENTICATED")
                return JSONResponse({"error": {"code": 401, "status": "UNAUTHENTICATED"}}, status_code=401)
        body = await request.json()
        message = body.get("message", {})
        data = {k: (json.loads(v) if k in ("v", "attempt") else v) for k, v in message.get("data", {}).items()}
        record("fcm", request, project=project, token=message.get("token"), payload=data)
        refused = await behave("fcm")
        if refused is not None:
            return refused
        if fake.behaviour["fcm"].mode != "silent":
            responder = str(message.get("token", "")).removeprefix("fcm-")
            later(acknowledge("fcm", data, responder))
        return JSONResponse({"name": f"projects/{project}/messages/{len(fake.requests)}"})

    async def rest(provider: str, request: Request) -> Response:
        body = await request.json()
        record(provider, request, to=body.get("to"), sender=body.get("from"),
               text=body.get("body") or body.get("say") or body.get("text"), reference=body.get("reference"),
               subject=body.get("subject"))
        refused = await behave(provider)
        if refused is not None:
            return refused
        if fake.behaviour[provider].mode != "silent" and provider != "email":
            later(report(provider, str(body.get("reference", ""))))
        return JSONResponse({"id": f"{provider}-{len(fake.requests)}"}, status_code=201)

    @app.post("/sms")
    async def sms(request: Request) -> Response:
        return await rest("sms", request)

    @app.post("/voice")
    async def voice(request: Request) -> Response:
        return await rest("voice", request)

    @app.post("/email")
    async def email(request: Request) -> Response:
        return await rest("email", request)

    # -- admin ---------------------------------------------------------------------------------
    @app.get("/admin/state")
    async def state() -> dict[str, Any]:
        return {"p256dh": fake.p256dh, "behaviour": {p: vars(b) for p, b in fake.behaviour.items()},
                "requests": len(fake.requests)}

    @app.post("/admin/mode")
    async def mode(request: Request) -> dict[str, Any]:
        body = await request.json()
        names = PROVIDERS if body.get("provider") == "all" else (body.get("provider"),)
        if any(n not in PROVIDERS for n in names) or body.get("mode", "ok") not in MODES:
            return {"error": f"provider in {PROVIDERS} or 'all', mode in {MODES}"}
        for n in names:
            fake.behaviour[n] = Behaviour(body.get("mode", "ok"), float(body.get("delay_s", 0.0)),
                                          int(body.get("status", 503)), body.get("ack_limit"))
        return {"ok": True}

    @app.post("/admin/config")
    async def configure(request: Request) -> dict[str, Any]:
        body = await request.json()
        fake.service_urls = list(body.get("service_urls", fake.service_urls))
        fake.gateway_token = body.get("gateway_token", fake.gateway_token)
        fake.receipts_tokens = dict(body.get("receipts_tokens", fake.receipts_tokens))
        fake.ack_delay_s = float(body.get("ack_delay_s", fake.ack_delay_s))
        fake.report_delay_s = float(body.get("report_delay_s", fake.report_delay_s))
        fake.oauth_lifetime_s = int(body.get("oauth_lifetime_s", fake.oauth_lifetime_s))
        return {"ok": True}

    @app.get("/admin/requests")
    async def requests(provider: str | None = None, after: int = 0) -> list[dict[str, Any]]:
        return [r for r in fake.requests if r["n"] > after and (provider is None or r["provider"] == provider)]

    @app.get("/admin/posted")
    async def posted() -> list[dict[str, Any]]:
        return fake.posted

    @app.post("/admin/reset")
    async def reset() -> dict[str, Any]:
        fake.requests.clear()
        fake.posted.clear()
        fake.behaviour = {p: Behaviour() for p in PROVIDERS}
        return {"ok": True}

    return app


# -- for tests, benchmarks and scripts/run-centre ------------------------------------------------
RECEIPTS_TOKEN = "fake-receipts-token-0001"  # the fake's webhook secret: a test value, not a credential


def write_vapid_key(path: Path) -> Path:
    """A fresh VAPID key (PEM, readable by its owner only)."""
    from py_vapid import Vapid02

    vapid = Vapid02()
    vapid.generate_keys()
    path.write_bytes(vapid.private_pem())
    path.chmod(0o600)
    return path


def channels_config(base_url: str, p256dh: str, vapid_key: Path, policy: dict[str, Any] | None = None,
                    timeout_s: float = 2.0, push_url: str | None = None, aed_check: bool = False,
                    aftercare: bool = False) -> dict[str, Any]:
    """A `--channels` configuration for a demo registry on these fake providers (`aed_check`:
    also the e-mail provider, and the AED managers' check-back by SMS and e-mail; `aftercare`:
    the questionnaire's link by SMS to responders without the web app)."""
    push_url = push_url or f"{base_url}/push"
    extra: dict[str, Any] = {}
    if aed_check:
        extra = {"email": {"url": f"{base_url}/email", "sender": "aed@mka.zesminuten.invalid",
                           "token": "fake-email-token", "timeout_s": timeout_s},
                 "aed_check": {"channels": ["sms", "email"]}}
    if aftercare:
        extra["aftercare"] = {"sms": True}
    return {
        **extra,
        "policy": policy or {},
        "webpush": {"vapid_private_key_file": str(vapid_key), "subject": "mailto:test@zesminuten.invalid",
                    "timeout_s": timeout_s, "allowed_origins": [push_url.removesuffix("/push")]},
        "fcm": {"url": f"{base_url}/fcm", "project_id": "zesminuten-test", "access_token": "fake-fcm-access-token",
                "timeout_s": timeout_s},
        "sms": {"url": f"{base_url}/sms", "sender": "+3197010200300", "token": "fake-sms-token",
                "receipts_token": RECEIPTS_TOKEN, "timeout_s": timeout_s},
        "voice": {"url": f"{base_url}/voice", "sender": "+3197010200300", "token": "fake-voice-token",
                  "receipts_token": RECEIPTS_TOKEN, "timeout_s": timeout_s},
        "synthetic_contacts": {"push_endpoint": push_url, "p256dh": p256dh},
    }


class FakeProviders:
    """The fake providers as a process of their own (as a real provider is), with its admin API."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.p256dh = ""
        self.push_url = f"{self.url}/push"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> FakeProviders:
        self.proc = subprocess.Popen([sys.executable, "-m", "tools.fake_providers", "--listen", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert self.proc.stdout is not None
        line = json.loads(self.proc.stdout.readline())
        self.p256dh, self.push_url = line["p256dh"], line["push_url"]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.url}/admin/state", timeout=1).status_code == 200:
                    return self
            time.sleep(0.05)
        raise TimeoutError("fake providers did not start")

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                self.proc.wait(10)
            if self.proc.stdout is not None:
                self.proc.stdout.close()

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        r = httpx.post(f"{self.url}{path}", json=body, timeout=5)
        r.raise_for_status()
        return r.json()

    def mode(self, provider: str, mode: str, **options: Any) -> None:
        self._post("/admin/mode", {"provider": provider, "mode": mode, **options})

    def configure(self, **options: Any) -> None:
        self._post("/admin/config", options)

    def reset(self) -> None:
        self._post("/admin/reset", {})

    def requests(self, provider: str | None = None) -> list[dict[str, Any]]:
        params = {"provider": provider} if provider else {}
        found: list[dict[str, Any]] = httpx.get(f"{self.url}/admin/requests", params=params, timeout=10).json()
        return found

    def posted(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = httpx.get(f"{self.url}/admin/posted", timeout=10).json()
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PushServer(asyncio.Protocol):
    """The push service's endpoint as a bare HTTP/1.1 server (Content-Length bodies, keep-alive).

    A real push service takes a request in well under a millisecond; the ASGI stack in
    front of the other fakes needs ~0.5 ms each, which for an alert's hundred pushes would
    be the fake's own queue, not the centre's. The arrival time is taken when the bytes come in."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.arrived: float | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        if self.arrived is None:
            self.arrived = time.time()
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            lines = self.buffer[:end].decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
            size = int(headers.get("content-length", "0") or 0)
            if len(self.buffer) < end + 4 + size:
                return
            body, self.buffer = self.buffer[end + 4:end + 4 + size], self.buffer[end + 4 + size:]
            parts = lines[0].split(" ")
            arrived, self.arrived = self.arrived, (time.time() if self.buffer else None)
            asyncio.get_running_loop().create_task(self.answer(parts[0], parts[1] if len(parts) > 1 else "",
                                                               headers, body, arrived or time.time()))

    async def answer(self, method: str, target: str, headers: dict[str, str], body: bytes, arrived: float) -> None:
        if method == "POST" and target.startswith("/push/"):
            status = await self.handle(target.removeprefix("/push/"), headers, body, arrived)
        else:
            status = 404
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(f"HTTP/1.1 {status} {'Created' if status == 201 else 'Error'}\r\n"
                                 "Content-Length: 0\r\n\r\n".encode())


def main(argv: list[str] | None = None) -> int:
    import uvicorn

    parser = argparse.ArgumentParser(prog="python -m tools.fake_providers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:9100", help="HOST:PORT (default 127.0.0.1:9100)")
    parser.add_argument("--push-port", type=int, default=0, help="the push service's own port (default: any free)")
    args = parser.parse_args(argv)
    host, _, port = args.listen.rpartition(":")
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the fake providers listen on this machine only (127.0.0.1)")
    fake = Fake()
    app = create_app(fake)

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        push = await loop.create_server(lambda: PushServer(app.state.push_received), host, args.push_port)
        push_port = push.sockets[0].getsockname()[1]
        print(json.dumps({"url": f"http://{host}:{port}", "push_url": f"http://{host}:{push_port}/push",
                          "p256dh": fake.p256dh}), flush=True)
        server = uvicorn.Server(uvicorn.Config(app, host=host, port=int(port), log_level="warning", access_log=False))
        await server.serve()
        push.close()

    asyncio.run(serve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
