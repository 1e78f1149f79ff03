"""`python -m benchmarks.centre`: a dispatch centre under load, then both failovers.

Starts a private PostgreSQL 15 + PostGIS primary with a synchronous streaming standby
(scripts/pgcluster.py) and two `serve` nodes on it (one active, one standby), then for
`--seconds` (default 60):
- 10 simulated consoles read /v1/stream (each reconnecting across both nodes with
  Last-Event-ID, as the console does);
- 20 incidents run at once (their calls arrive 0.25 s apart): call, ambulance, alert of ~100 responders (wanted = max =
  100), then their answers arrive through the responder gateway (accepts, declines),
  caller-instruction changes and ambulance arrivals, each a POST with an idempotency key;
- 200 GPS position updates/s through the gateway's batch endpoint.
Then: kill -9 of the active node mid-alarm (how long until the standby takes a command),
and kill -9 of the primary database followed by promotion of its standby (how long until
the service takes a command again). Finally every console's received sequence is checked
(no gap, no duplicate), against the acknowledged events (none lost), and the log is
audited (no responder alerted twice or on two open alarms).

Figures: command round trip (POST to answer) p50/p99; event visible on each console's
stream after its commit (the row's written_at, same machine clock) p50/p99; both gaps.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from httpx_sse import connect_sse

from .centre_setup import GW, ROOT, WS, bench_folder, pgcluster


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Node:
    def __init__(self, folder: Path, store: str, name: str) -> None:
        self.folder, self.store, self.name = folder, store, name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, role: str) -> None:
        cmd = [sys.executable, "-m", "alert_engine.cli", "serve", "--listen", f"127.0.0.1:{self.port}",
               "--store", self.store, "--registry", "demo", "--tokens", str(self.folder / "tokens.json"),
               "--no-motorways", "--node-id", self.name, "--config", str(self.folder / "config.json"),
               "--access-log", str(self.folder / f"access-{self.name}.sqlite"), "--log-level", os.environ.get("BENCH_LOG", "warning")]
        with open(self.folder / f"{self.name}.log", "ab") as out:
            self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/v1/health", timeout=1).json()["role"] == role:
                    return
            except (httpx.HTTPError, ValueError, KeyError):
                pass
            time.sleep(0.1)
        raise SystemExit(f"node {self.name} did not become {role}; see {self.folder}/{self.name}.log")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()


class Client:
    """POSTs with idempotency keys, retried across the nodes (as the console does)."""

    def __init__(self, urls: list[str], token: str) -> None:
        self.urls = urls
        self.http = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=5.0)
        self.round_trips: list[float] = []
        self.acknowledged: set[int] = set()
        self.lock = threading.Lock()

    def post(self, path: str, body: Any, timed: bool = True) -> dict[str, Any]:
        key = uuid.uuid4().hex
        deadline = time.monotonic() + 30
        while True:
            for url in self.urls:
                t0 = time.perf_counter()
                try:
                    r = self.http.post(url + path, json=body, headers={"Idempotency-Key": key})
                except httpx.HTTPError:
                    continue
                if r.status_code == 503:
                    continue
                if timed:
                    with self.lock:
                        self.round_trips.append(time.perf_counter() - t0)
                if r.status_code >= 400:
                    return {"error": r.json(), "events": []}
                answer: dict[str, Any] = r.json()
                with self.lock:
                    self.acknowledged.update(e["seq"] for e in answer.get("events", []))
                return answer
            if time.monotonic() > deadline:
                raise RuntimeError(f"no node took {path} for 30 s")
            time.sleep(0.05)


class Console(threading.Thread):
    """One workstation's stream: arrival time per seq, across reconnects."""

    def __init__(self, urls: list[str]) -> None:
        super().__init__(daemon=True)
        self.urls = urls
        self.seqs: list[int] = []
        self.arrived: dict[int, float] = {}
        self.stop = threading.Event()
        self.reconnects = 0

    def run(self) -> None:
        i = 0
        with httpx.Client(headers={"Authorization": f"Bearer {WS}"}, timeout=httpx.Timeout(5.0, read=20.0)) as c:
            while not self.stop.is_set():
                url = self.urls[i % len(self.urls)]
                try:
                    last = self.seqs[-1] if self.seqs else 0
                    with connect_sse(c, "GET", f"{url}/v1/stream", headers={"Last-Event-ID": str(last)}) as src:
                        for sse in src.iter_sse():
                            if self.stop.is_set():
                                return
                            # A keep-alive comment still yields an event carrying the last id
                            # (the SSE spec keeps it): only events with data are events.
                            if sse.id and sse.data:
                                seq = int(sse.id)
                                self.seqs.append(seq)
                                self.arrived.setdefault(seq, time.time())
                except (httpx.HTTPError, ValueError):
                    pass
                self.reconnects += 1
                i += 1
                time.sleep(0.05)


def percentile(values: list[float], p: float) -> float:
    return float(np.percentile(np.asarray(values), p)) if values else float("nan")


def run_incident(client: Client, gateway: Client, rng: random.Random, until: float, lat: float, lon: float,
                 delay: float) -> None:
    time.sleep(delay)  # calls come in over the first seconds, as 112 calls do, not in one instant
    call = client.post("/v1/calls", {"lat": lat, "lon": lon, "patient_age_years": 70})
    incident = call["incident"]
    client.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_dispatched", "unit": "15-101"})
    sent = client.post(f"/v1/incidents/{incident}/do", {"do": "trigger_alert"})
    alerted = [r["id"] for e in sent["events"] if e["type"] == "alert_sent" for r in e["responders"]]
    states = ["instructing", "handed_over", "instructing"]
    while time.monotonic() < until and alerted:
        time.sleep(rng.uniform(0.05, 0.35))
        r = rng.random()
        if r < 0.8:
            gateway.post(f"/v1/incidents/{incident}/do",
                         {"do": "respond", "responder": alerted.pop(rng.randrange(len(alerted))),
                          "answer": "accept" if rng.random() < 0.3 else "decline"})
        else:
            client.post(f"/v1/incidents/{incident}/do", {"do": "caller_instruction", "state": states[0]})
            states.append(states.pop(0))
    client.post(f"/v1/incidents/{incident}/do", {"do": "close"})


def positions_feeder(gateway: Client, until: float, rate: int, ids: list[str], stats: dict[str, float]) -> None:
    rng = random.Random(2)
    batch = max(1, rate // 10)
    sent = 0
    next_t = time.monotonic()
    while time.monotonic() < until:
        fixes = [{"responder": rng.choice(ids), "lat": 52.07 + rng.uniform(-0.03, 0.03),
                  "lon": 4.30 + rng.uniform(-0.05, 0.05), "time": datetime.now().astimezone().isoformat()}
                 for _ in range(batch)]
        gateway.post("/v1/responders/positions", {"positions": fixes}, timed=False)
        sent += batch
        next_t += batch / rate
        time.sleep(max(0.0, next_t - time.monotonic()))
    stats["positions"] = sent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--consoles", type=int, default=10)
    ap.add_argument("--incidents", type=int, default=20)
    ap.add_argument("--positions", type=int, default=200, help="GPS updates per second")
    ap.add_argument("--keep", action="store_true", help="keep the cluster folder")
    args = ap.parse_args(argv)

    pgc = pgcluster()
    folder = bench_folder("zesminuten-centre-bench-")
    port, sport = pgc.free_ports(2)
    cluster = pgc.Cluster(str(folder / "pg"), port=port, standby_port=sport, standby=True)
    nodes: list[Node] = []
    try:
        t0 = time.monotonic()
        cluster.start()
        print(f"cluster: primary + synchronous standby up in {time.monotonic() - t0:.1f} s")
        a, b = Node(folder, cluster.url, "node-a"), Node(folder, cluster.url, "node-b")
        nodes += [a, b]
        a.start("active")
        b.start("standby")
        urls = [a.url, b.url]
        consoles = [Console(urls) for _ in range(args.consoles)]
        for c in consoles:
            c.start()
        client, gateway = Client(urls, WS), Client(urls, GW)
        registry_ids = [f"R{i:06d}" for i in range(1, 12000)]
        until = time.monotonic() + args.seconds
        stats: dict[str, float] = {}
        workers = [threading.Thread(target=run_incident, args=(client, gateway, random.Random(i), until,
                                                               52.03 + 0.012 * (i % 5), 4.24 + 0.03 * (i // 5),
                                                               0.25 * i))
                   for i in range(args.incidents)]
        workers.append(threading.Thread(target=positions_feeder, args=(gateway, until, args.positions,
                                                                       registry_ids, stats)))
        print(f"load: {args.consoles} consoles, {args.incidents} concurrent incidents, "
              f"{args.positions} positions/s for {args.seconds:.0f} s ...")
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        load_trips = list(client.round_trips) + list(gateway.round_trips)
        last_seq = httpx.get(f"{a.url}/v1/health").json()["last_seq"]

        # Commit times of every row, for the stream latency.
        import psycopg

        with psycopg.connect(cluster.url) as db:
            written = {int(s): float(t) for s, t in db.execute(
                "SELECT seq, extract(epoch FROM written_at) FROM events")}
        lat_ms = [1000 * (c.arrived[s] - written[s]) for c in consoles for s in c.arrived if s in written]

        # Failover 1: kill -9 the active node in the middle of an alarm.
        live = client.post("/v1/calls", {"lat": 52.07, "lon": 4.30, "patient_age_years": 60})["incident"]
        client.post(f"/v1/incidents/{live}/do", {"do": "ambulance_dispatched", "unit": "15-102"})
        sent = client.post(f"/v1/incidents/{live}/do", {"do": "trigger_alert"})
        alerted = [r["id"] for e in sent["events"] if e["type"] == "alert_sent" for r in e["responders"]]
        a.kill()
        k = time.monotonic()
        gateway.post(f"/v1/incidents/{live}/do", {"do": "respond", "responder": alerted[0], "answer": "accept"},
                     timed=False)
        node_gap = time.monotonic() - k

        # Failover 2: kill -9 the primary database; promote its standby.
        ms = cluster.failover()
        k = time.monotonic()
        gateway.post(f"/v1/incidents/{live}/do", {"do": "respond", "responder": alerted[1], "answer": "accept"},
                     timed=False)
        db_gap = time.monotonic() - k + ms / 1000
        client.post(f"/v1/incidents/{live}/do", {"do": "close"}, timed=False)
        final = httpx.get(f"{b.url}/v1/events", params={"after": 0},
                          headers={"Authorization": f"Bearer {WS}"}, timeout=30).json()
        time.sleep(1.5)
        for c in consoles:
            c.stop.set()

        seqs = [e["seq"] for e in final]
        acknowledged = client.acknowledged | gateway.acknowledged
        lost = sorted(acknowledged - set(seqs))
        duplicates = sum(len(c.seqs) - len(set(c.seqs)) for c in consoles)
        gaps = sum(1 for c in consoles if c.seqs != list(range(1, len(c.seqs) + 1)))
        from alert_engine.audit import audit
        from alert_engine.config import AlertConfig
        from alert_engine.events import Event

        problems = audit([Event.from_json(json.dumps(e)) for e in final],
                         AlertConfig(wanted_responders=100, max_responders=100, response_timeout_s=600))

        print(f"events: {last_seq} under load, {len(final)} at the end; positions sent {stats.get('positions', 0):.0f}")
        print(f"command round trip: p50 {1000 * percentile(load_trips, 50):.1f} ms, "
              f"p99 {1000 * percentile(load_trips, 99):.1f} ms  (n={len(load_trips)}, target p99 <= 50)")
        print(f"event visible on a console's stream after commit: p50 {percentile(lat_ms, 50):.1f} ms, "
              f"p99 {percentile(lat_ms, 99):.1f} ms  (n={len(lat_ms)}, target p99 <= 100)")
        print(f"kill -9 active node -> standby accepts a command: {node_gap:.2f} s (target <= 5)")
        print(f"kill -9 primary database -> promoted ({ms:.0f} ms) -> service takes a command: "
              f"{db_gap:.2f} s (target <= 10)")
        print(f"acknowledged events lost: {len(lost)}; duplicates on consoles: {duplicates}; consoles with a gap "
              f"or out of order: {gaps} of {len(consoles)}; audit problems: {len(problems)}")
        for c in consoles[:1]:
            if c.seqs != list(range(1, len(c.seqs) + 1)):
                bad = next(i for i, s in enumerate(c.seqs) if s != i + 1)
                print(f"  first console: out of line at position {bad}: {c.seqs[max(0, bad - 3):bad + 4]}"
                      f" (reconnects {c.reconnects})")
        for p in problems[:5]:
            print("  audit:", p)
        return 0 if not (lost or duplicates or gaps or problems) else 1
    finally:
        for n in nodes:
            n.kill()
        cluster.stop()
        if not args.keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
