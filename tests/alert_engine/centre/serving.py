"""Real `zesminuten-engine serve` processes for the centre tests (no mocks: a process, a
port, a store), with the two tokens every test uses."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

WS1 = "ws1-secret-token-0001"
WS2 = "ws2-secret-token-0002"
GATEWAY = "gateway-token-000003"
ADAPTER = "gms-adapter-token-0004"  # the dispatch system's adapter (issue 13)


def write_tokens(folder: Path) -> Path:
    path = folder / "tokens.json"
    path.write_text(json.dumps({"tokens": [
        {"token": WS1, "workstation": "ws-1", "user": "A. Jansen"},
        {"token": WS2, "workstation": "ws-2", "user": "B. de Vries"},
        {"token": GATEWAY, "workstation": "gateway", "user": "responder app", "role": "responder_gateway"},
        {"token": ADAPTER, "workstation": "gms-adapter", "user": "GMS koppeling", "role": "dispatch_adapter"},
    ]}))
    path.chmod(0o600)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def auth(token: str = WS1) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


class Serve:
    """One serve node. `start()` waits for /v1/health; `kill()` is kill -9."""

    def __init__(self, folder: Path, store: str, name: str = "node-a", config: dict[str, Any] | None = None,
                 extra: Sequence[str] = (), port: int | None = None) -> None:
        self.folder = folder
        self.store = store
        self.name = name
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tokens = write_tokens(folder)
        self.config = folder / "config.json"
        self.config.write_text(json.dumps(config or {}))
        self.extra = list(extra)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = folder / f"{name}.log"

    def start(self, wait_for: str | None = None, timeout: float = 60.0) -> Serve:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        cmd = [sys.executable, "-m", "alert_engine.cli", "serve", "--listen", f"127.0.0.1:{self.port}",
               "--store", self.store, "--registry", "demo", "--tokens", str(self.tokens), "--no-motorways",
               "--node-id", self.name, "--config", str(self.config),
               "--access-log", str(self.folder / f"access-{self.name}.sqlite"), *self.extra]
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        self.wait_health(wait_for, timeout)
        return self

    def health(self) -> dict[str, Any] | None:
        try:
            r = httpx.get(f"{self.url}/v1/health", timeout=1.0)
            return r.json() if r.status_code == 200 else None  # type: ignore[no-any-return]
        except httpx.HTTPError:
            return None

    def wait_health(self, role: str | None = None, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"serve {self.name} exited with {self.proc.returncode}:\n{self.log.read_text()[-3000:]}")
            h = self.health()
            if h is not None and (role is None or h["role"] == role):
                return h
            time.sleep(0.1)
        raise TimeoutError(f"serve {self.name} not {role or 'up'} after {timeout} s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def terminate(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(15)

    def post(self, path: str, body: Any, token: str = WS1, key: str | None = None) -> httpx.Response:
        headers = auth(token)
        if key:
            headers["Idempotency-Key"] = key
        return httpx.post(f"{self.url}{path}", json=body, headers=headers, timeout=10.0)

    def get(self, path: str, token: str = WS1, **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", headers=auth(token), params=params, timeout=10.0)


def read_stream(url: str, after: int, until_seq: int, token: str = WS1, timeout: float = 10.0) -> list[dict[str, Any]]:
    """Events from /v1/stream after `after`, until one with seq >= until_seq arrives."""
    from httpx_sse import connect_sse

    out: list[dict[str, Any]] = []
    with httpx.Client(timeout=timeout) as client, connect_sse(
            client, "GET", f"{url}/v1/stream", headers={**auth(token), "Last-Event-ID": str(after)}) as source:
        for sse in source.iter_sse():
            if not sse.data:
                continue
            e = json.loads(sse.data)
            assert sse.id == str(e["seq"]) and sse.event == e["type"]
            out.append(e)
            if e["seq"] >= until_seq:
                break
    return out


def stop_all(nodes: Iterator[Serve] | Sequence[Serve]) -> None:
    for n in nodes:
        n.kill()
