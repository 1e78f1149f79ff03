"""`python -m benchmarks.channels`: the alert through the channel gateways, timed (issue 12).

One `serve` node with `--channels` on a private PostgreSQL 15 primary with its synchronous
standby (`--store sqlite` for a single node on SQLite), the registry `demo` (alerts of
100: wanted = max = 100), and the fake providers (tools/fake_providers.py) as a process of
their own, playing the push service, the SMS and voice providers and the phones. The
delivery policy has its defaults (SMS at +20 s, voice at +60 s, outage after 20 s).

1. `--alarms` alerts of 100, one after another (each closed before the next): from the
   `trigger_alert` POST (sent before the commit, so an upper bound) to each push request's
   arrival at the fake push service; p50/p99 over all requests and the slowest per alarm.
   Target: all of an alarm's pushes at the provider within 100 ms (p99).
2. `--apps` simulated responder apps connect to /v1/stream and stay connected; then one
   alarm runs while the push service is silent: the SMS fallback's lateness against its
   due time (the alert's recorded time + 20 s; target within 1 s), the alert on every
   app's stream, and the service's memory (RSS) and CPU while it runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from tools.fake_providers import RECEIPTS_TOKEN, FakeProviders, channels_config, write_vapid_key

from .centre_setup import GW, ROOT, WS, bench_folder, pgcluster

CALL = {"lat": 52.0799, "lon": 4.3113, "patient_age_years": 70, "location_kind": "woning"}


class Node:
    def __init__(self, folder: Path, store: str, channels: Path) -> None:
        from tools.fake_providers import _free_port

        self.folder, self.store, self.channels = folder, store, channels
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {WS}"}, timeout=30)

    def start(self) -> None:
        cmd = [sys.executable, "-m", "alert_engine.cli", "serve", "--listen", f"127.0.0.1:{self.port}",
               "--store", self.store, "--registry", "demo", "--tokens", str(self.folder / "tokens.json"),
               "--no-motorways", "--node-id", "node-a", "--config", str(self.folder / "config.json"),
               "--channels", str(self.channels), "--access-log", str(self.folder / "access.sqlite"),
               "--log-level", os.environ.get("BENCH_LOG", "warning")]
        with open(self.folder / "node-a.log", "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.http.get("/v1/health").json().get("role") == "active":
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("serve did not become active")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(15)
        self.http.close()

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        r = self.http.post(path, json=body)
        r.raise_for_status()
        answer: dict[str, Any] = r.json()
        return answer

    def events(self, incident: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.http.get(f"/v1/incidents/{incident}/events").json()
        return found

    def usage(self) -> tuple[float, int]:
        """(CPU seconds so far, RSS in bytes) of the serve process, from /proc."""
        assert self.proc is not None
        stat = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        rss = next(int(line.split()[1]) * 1024 for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS:"))
        return cpu, rss


def new_alarm(node: Node) -> tuple[str, float, datetime]:
    incident = node.post("/v1/calls", CALL)["incident"]
    node.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_dispatched", "unit": "15-101"})
    before = time.time()
    sent = node.post(f"/v1/incidents/{incident}/do", {"do": "trigger_alert"})["events"][-1]
    assert sent["type"] == "alert_sent" and len(sent["responders"]) == 100, sent["type"]
    return incident, before, datetime.fromisoformat(sent["time"])


def committed_at(db_url: str | None, incident: str, fallback: float) -> float:
    """When the alert_sent row went into PostgreSQL (`written_at`, the same machine's clock);
    on SQLite the moment the POST was sent (an upper bound of the latency)."""
    if db_url is None:
        return fallback
    import psycopg

    with psycopg.connect(db_url) as db:
        row = db.execute("SELECT written_at FROM events WHERE incident = %s AND type = 'alert_sent'",
                         (incident,)).fetchone()
    return float(row[0].timestamp()) if row else fallback


def push_latency(node: Node, fake: FakeProviders, alarms: int,
                 db_url: str | None) -> tuple[list[float], list[float], int, list[float], list[float]]:
    every: list[float] = []
    slowest: list[float] = []
    commands: list[float] = []
    ends: list[float] = []  # the POST sent -> the last push at the provider: what a dispatcher waits
    pushes = 0
    for _ in range(alarms):
        n0 = len(fake.requests())
        incident, before, _ = new_alarm(node)
        time.sleep(1.0)
        commit = committed_at(db_url, incident, before)
        commands.append(1000 * (commit - before))
        posted, before = before, commit
        want = {e["responder"] for e in node.events(incident)
                if e["type"] == "message_sent" and e["channel"] == "app" and e["kind"] == "alert"}
        got = [r for r in fake.requests("push") if r["n"] > n0 and r["responder"] in want]
        assert len(got) == len(want), f"{len(got)} of {len(want)} pushes arrived"
        lat = [1000 * (r["time"] - before) for r in got]
        every += lat
        slowest.append(max(lat))
        ends.append(1000 * max(r["time"] for r in got) - 1000 * posted)
        pushes = len(got)
        node.post(f"/v1/incidents/{incident}/do", {"do": "close"})
        time.sleep(1.5)  # the cancellations go out before the next alarm
    return every, slowest, pushes, commands, ends


class Apps:
    """Responder apps on the live stream, in a thread of their own (aiohttp)."""

    def __init__(self, url: str, n: int, after: int) -> None:
        self.url, self.n, self.after = url, n, after
        self.connected = 0
        self.received: list[int] = [0] * n
        self.alert_seen: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def start(self, timeout: float = 60) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while self.connected < self.n and time.monotonic() < deadline:
            time.sleep(0.1)

    async def _main(self) -> None:
        import aiohttp

        conn = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=conn, timeout=aiohttp.ClientTimeout(total=None)) as session:
            tasks = [asyncio.create_task(self._app(session, i)) for i in range(self.n)]
            while not self._stop.is_set():
                await asyncio.sleep(0.1)
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _app(self, session: Any, i: int) -> None:
        try:
            await self._read(session, i)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")

    async def _read(self, session: Any, i: int) -> None:
        async with session.get(f"{self.url}/v1/stream", headers={"Authorization": f"Bearer {GW}"},
                               params={"after": str(self.after)}) as r:
            self.connected += 1
            async for line in r.content:
                if line.startswith(b"data: "):
                    self.received[i] += 1
                    if b'"type":"alert_sent"' in line:
                        incident = json.loads(line[6:])["incident"]
                        self.alert_seen.setdefault(incident, []).append(time.time())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)


def fallback_with_apps(node: Node, fake: FakeProviders, n_apps: int) -> dict[str, Any]:
    apps = Apps(node.url, n_apps, int(node.http.get("/v1/health").json()["last_seq"]))
    cpu0, rss0 = node.usage()
    t_connect = time.monotonic()
    apps.start()
    connect_s = time.monotonic() - t_connect
    cpu1, rss1 = node.usage()
    fake.mode("push", "silent")
    n0 = len(fake.requests())
    incident, before, t0 = new_alarm(node)
    peak = rss1
    samples: list[tuple[float, float]] = []
    due = t0 + timedelta(seconds=20)
    end = due.timestamp() + 3.0
    cpu_a = node.usage()[0]
    t_a = time.monotonic()
    while time.time() < end:
        time.sleep(0.5)
        cpu, rss = node.usage()
        peak = max(peak, rss)
        samples.append((time.monotonic(), cpu))
    cpu_b = node.usage()[0]
    cpu_pct = 100 * (cpu_b - cpu_a) / (time.monotonic() - t_a)
    sms = [r for r in fake.requests("sms") if r["n"] > n0 and str(r["reference"]).endswith("/alert")]
    late = [1000 * (r["time"] - due.timestamp()) for r in sms]
    seen = apps.alert_seen.get(incident, [])
    events = len(node.events(incident))
    apps.stop()
    fake.mode("push", "ok")
    node.post(f"/v1/incidents/{incident}/do", {"do": "close"})
    return {"apps": apps.connected, "connect_s": connect_s, "rss0": rss0, "rss_apps": rss1, "rss_peak": peak,
            "cpu_connect_s": cpu1 - cpu0, "cpu_pct": cpu_pct, "sms": len(sms), "late_ms": late,
            "stream_ms": [1000 * (t - before) for t in seen], "events": events,
            "received_min": min(apps.received) if apps.received else 0, "errors": apps.errors}


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--alarms", type=int, default=20, help="alerts of 100 for the push latency")
    ap.add_argument("--apps", type=int, default=1000, help="responder apps on the stream")
    ap.add_argument("--store", choices=["postgres", "sqlite"], default="postgres")
    ap.add_argument("--keep", action="store_true", help="keep the working folder (logs)")
    args = ap.parse_args(argv)

    folder = bench_folder("zesminuten-channels-bench-")
    fake = FakeProviders().start()
    config = folder / "channels.json"
    config.write_text(json.dumps(channels_config(fake.url, fake.p256dh, write_vapid_key(folder / "vapid.pem"),
                                                 push_url=fake.push_url)))
    config.chmod(0o600)
    cluster = None
    node: Node | None = None
    try:
        store = str(folder / "events.sqlite")
        if args.store == "postgres":
            pgc = pgcluster()
            port, sport = pgc.free_ports(2)
            cluster = pgc.Cluster(str(folder / "pg"), port=port, standby_port=sport, standby=True)
            cluster.start()
            store = cluster.url
        node = Node(folder, store, config)
        node.start()
        # a phone's service worker wakes, decrypts and posts its receipt: half a second
        fake.configure(service_urls=[node.url], gateway_token=GW, ack_delay_s=0.5, report_delay_s=0.5,
                       receipts_tokens={"sms": RECEIPTS_TOKEN, "voice": RECEIPTS_TOKEN})
        store_name = "PostgreSQL primary + synchronous standby" if cluster else "SQLite"
        print(f"serve on {store_name}, demo registry, alerts of 100, fake providers on {fake.url}")

        every, slowest, pushes, commands, ends = push_latency(node, fake, args.alarms, cluster.url if cluster else None)
        start = ("alert_sent commit (its row's written_at)" if cluster else "trigger_alert POST sent")
        print(f"1. {start} -> push request at the provider ({args.alarms} alarms, {pushes} app pushes "
              f"each; the rest of the 100 chose voice only):")
        if cluster:
            print(f"   (POST sent -> commit: p50 {pct(commands, 50):.0f} ms)")
        print(f"   every push: p50 {pct(every, 50):.0f} ms, p99 {pct(every, 99):.0f} ms")
        print(f"   all of an alarm's pushes there: median {pct(slowest, 50):.0f} ms, p99 {pct(slowest, 99):.0f} ms, "
              f"worst {max(slowest):.0f} ms  (target <= 100 ms)")
        print("   per alarm: " + " ".join(f"{x:.0f}" for x in slowest) + " ms")
        print(f"   end to end, trigger_alert POST sent -> all of an alarm's pushes there: median {pct(ends, 50):.0f} ms, "
              f"p99 {pct(ends, 99):.0f} ms")

        r = fallback_with_apps(node, fake, args.apps)
        print(f"2. {r['apps']} responder apps on /v1/stream (connected in {r['connect_s']:.1f} s), push service silent:")
        print(f"   SMS fallback: {r['sms']} SMS, lateness after due (alert + 20 s): p50 {pct(r['late_ms'], 50):.0f} ms, "
              f"p99 {pct(r['late_ms'], 99):.0f} ms, max {max(r['late_ms'] or [float('nan')]):.0f} ms  (target < 1000 ms)")
        print(f"   alert_sent on every app's stream: {len(r['stream_ms'])} apps, p50 {pct(r['stream_ms'], 50):.0f} ms, "
              f"p99 {pct(r['stream_ms'], 99):.0f} ms after the POST; each app got >= {r['received_min']} events "
              f"({r['events']} in the alarm)")
        if r["errors"]:
            print(f"   {len(r['errors'])} apps lost their stream, e.g. {r['errors'][0]}")
        mb = 1024 * 1024
        print(f"   service memory: {r['rss0'] / mb:.0f} MB before, {r['rss_apps'] / mb:.0f} MB with the apps, "
              f"peak {r['rss_peak'] / mb:.0f} MB during the alarm")
        print(f"   service CPU: {r['cpu_connect_s']:.1f} s to take the {r['apps']} connections; "
              f"{r['cpu_pct']:.0f} % of one core on average during the alarm (23 s)")
    finally:
        if node is not None:
            node.stop()
        fake.stop()
        if cluster is not None:
            cluster.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
