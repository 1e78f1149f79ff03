"""No single point of failure: several `serve` nodes on one PostgreSQL store (a primary with
a synchronous standby), killed with -9 in the middle of an alarm. Real processes, real
clusters; the only thing simulated is the clock of nobody."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from alert_engine.audit import audit
from alert_engine.config import AlertConfig
from alert_engine.events import Event

from .serving import WS1, WS2, Serve, read_stream

CALL = {"lat": 52.0705, "lon": 4.3007, "patient_age_years": 67, "location_kind": "home"}
QUICK = {"response_timeout_s": 6}


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[Callable[..., Serve]]:
    started: list[Serve] = []

    def make(store: str, name: str, role: str | None = None, config: dict[str, Any] | None = None) -> Serve:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        n = Serve(folder, store, name=name, config=config or QUICK).start(wait_for=role)
        started.append(n)
        return n

    yield make
    for n in started:
        if n.proc is not None and n.proc.poll() is None:
            os.kill(n.proc.pid, signal.SIGCONT)
        n.kill()
    for n in started:
        assert "Traceback" not in n.log.read_text(), n.log.read_text()[-3000:]


def alarm(node: Serve, token: str = WS1, key: str | None = None, **call: Any) -> tuple[str, dict[str, Any]]:
    r = node.post("/v1/calls", {**CALL, **call}, token=token, key=key and f"{key}-call")
    assert r.status_code == 201, r.text
    incident = r.json()["incident"]
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_dispatched", "unit": "15-101"}, token=token,
                  key=key and f"{key}-amb")
    assert r.status_code == 200, r.text
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "trigger_alert"}, token=token, key=key and f"{key}-alert")
    assert r.status_code == 200, r.text
    return incident, r.json()["events"][-1]


def log_of(node: Serve) -> list[Event]:
    return [Event.from_json(json.dumps(e)) for e in node.get("/v1/events", after=0).json()]


def check_log(events: list[Event]) -> None:
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), "gap or duplicate in the log"
    assert audit(events, AlertConfig(**QUICK)) == []
    assert all(e.get("actor") for e in events), "an event without actor (service rule 3)"
    per_incident: dict[str, list[str]] = {}
    for e in events:
        if e.type == "alert_sent":
            per_incident.setdefault(e.incident, []).extend(r["id"] for r in e["responders"])
    for incident, ids in per_incident.items():
        assert len(ids) == len(set(ids)), f"{incident}: a responder alerted twice"


def wait_until(what: Callable[[], bool], timeout: float, step: float = 0.05) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if what():
            return time.monotonic() - start
        time.sleep(step)
    raise AssertionError(f"not within {timeout} s")


def test_one_node_is_active_the_other_standby_follows_and_refuses_commands(pg_url: str, nodes: Any) -> None:
    a = nodes(pg_url, "node-a", "active")
    b = nodes(pg_url, "node-b", "standby")
    r = b.post("/v1/calls", CALL)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1" and "standby" in r.json()["error"]
    incident, sent = alarm(a)
    # The standby follows the log (NOTIFY as the doorbell, the table as the truth).
    wait_until(lambda: b.get("/v1/health").json()["last_seq"] == a.get("/v1/health").json()["last_seq"], 3)
    assert [i["incident"] for i in b.get("/v1/incidents").json()] == [incident]
    assert b.get("/v1/events", after=0).json() == a.get("/v1/events", after=0).json()
    streamed = read_stream(b.url, after=0, until_seq=sent["seq"])
    assert [e["seq"] for e in streamed] == list(range(1, sent["seq"] + 1))


def test_concurrent_workstations_on_postgres_one_sequence_no_responder_twice(pg_url: str, nodes: Any) -> None:
    a = nodes(pg_url, "node-a", "active")
    b = nodes(pg_url, "node-b", "standby")
    errors: list[str] = []

    def workstation(token: str) -> None:
        for i in range(4):
            try:
                alarm(a, token=token, lat=52.0705 + 0.001 * i)
            except AssertionError as exc:
                errors.append(str(exc))

    threads = [threading.Thread(target=workstation, args=(t,)) for t in (WS1, WS2, WS1, WS2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    events = log_of(a)
    check_log(events)
    outcomes = {e.incident: (e.type, e.get("reason")) for e in events if e.type in ("alert_sent", "alert_refused")}
    # Sixteen alarms within 2 km can use up the responders in reach: then a refusal, never a double.
    assert len(outcomes) == 16 and all(o in (("alert_sent", None), ("alert_refused", "no_responders_in_reach"))
                                       for o in outcomes.values()), outcomes
    assert sum(t == "alert_sent" for t, _ in outcomes.values()) >= 12
    wait_until(lambda: b.get("/v1/health").json()["last_seq"] == len(events), 3)


def test_kill_9_of_the_active_node_mid_alarm_a_standby_takes_over_with_the_timers(pg_url: str, nodes: Any) -> None:
    a = nodes(pg_url, "node-a", "active")
    b = nodes(pg_url, "node-b", "standby")
    incident, sent = alarm(a, key="first")
    alerted = {r["id"] for r in sent["responders"]}
    accepted = sorted(alerted)[0]
    assert a.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": accepted, "answer": "accept"},
                  key="acc").status_code == 200
    acknowledged = a.get("/v1/health").json()["last_seq"]
    a.kill()
    killed = time.monotonic()
    # A client retries the same command (same key) until a node takes it: exactly once.
    while True:
        r = b.post("/v1/calls", {**CALL, "lat": 52.08}, key="after-kill")
        if r.status_code == 201:
            break
        assert r.status_code == 503, r.text
        time.sleep(0.05)
    gap = time.monotonic() - killed
    print(f"failover gap: {gap:.2f} s")
    assert gap <= 5.0
    assert b.post("/v1/calls", {**CALL, "lat": 52.08}, key="after-kill").json() == r.json()
    # Timers are derived from the log: the new active node lapses the unanswered alerts.
    wait_until(lambda: any(e.type == "responder_timed_out" for e in log_of(b)), QUICK["response_timeout_s"] + 5)
    events = log_of(b)
    check_log(events)
    assert events[acknowledged - 1].seq == acknowledged  # every acknowledged event survived
    lapsed = {e["responder"] for e in events if e.type == "responder_timed_out"}
    assert accepted not in lapsed and lapsed <= alerted
    assert {e.get("actor") for e in events if e.type == "responder_timed_out"} == {"system"}
    assert sum(e.type == "call_received" for e in events) == 2


def test_a_paused_node_that_lost_its_lease_cannot_write(pg_url: str, nodes: Any) -> None:
    a = nodes(pg_url, "node-a", "active")
    b = nodes(pg_url, "node-b", "standby")
    incident, _sent = alarm(a)
    assert a.proc is not None
    os.kill(a.proc.pid, signal.SIGSTOP)  # a node frozen (GC pause, VM stall) past its lease
    b.wait_health("active", timeout=10)
    assert b.post(f"/v1/incidents/{incident}/do", {"do": "caller_instruction", "state": "instructing"}).status_code == 200
    os.kill(a.proc.pid, signal.SIGCONT)
    # The thawed node still thinks it is active for a moment: whatever it tries is refused
    # by the database's fence, and it steps down.
    try:
        r = a.post(f"/v1/incidents/{incident}/do", {"do": "caller_instruction", "state": "handed_over"})
        assert r.status_code == 503, r.text
    except httpx.HTTPError:
        pass
    a.wait_health("standby", timeout=5)
    events = log_of(b)
    check_log(events)
    assert [e["state"] for e in events if e.type == "caller_instruction_changed"] == ["instructing"]


def test_kill_9_of_the_primary_database_mid_alarm(fresh_cluster: Any, nodes: Any) -> None:
    cluster = fresh_cluster(standby=True)
    a = nodes(cluster.url, "node-a", "active", config={"response_timeout_s": 600})
    incident, _sent = alarm(a)
    acknowledged = a.get("/v1/health").json()["last_seq"]
    ms = cluster.failover()
    print(f"database failover (kill -9 + promote): {ms:.0f} ms")
    start = time.monotonic()
    while True:
        try:
            r = a.post(f"/v1/incidents/{incident}/do", {"do": "caller_instruction", "state": "instructing"},
                       key="after-db-failover")
            if r.status_code == 200:
                break
            assert r.status_code == 503, r.text
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    back = time.monotonic() - start
    print(f"service back after the database failover: {back:.2f} s")
    assert back <= 10.0
    events = log_of(a)
    check_log(events)
    assert len(events) == acknowledged + 1
    assert a.post(f"/v1/incidents/{incident}/do", {"do": "caller_instruction", "state": "instructing"},
                  key="after-db-failover").json() == r.json()


def test_the_service_log_exported_passes_check_jsonl_and_the_audit(pg_url: str, nodes: Any, tmp_path: Path) -> None:
    import subprocess
    import sys

    a = nodes(pg_url, "node-a", "active")
    incident, sent = alarm(a)
    a.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": sent["responders"][0]["id"],
                                            "answer": "accept"})
    a.post(f"/v1/incidents/{incident}/do", {"do": "close"})
    for full in (False, True):
        r = a.get("/v1/export", full=str(full).lower(), reason="contract rule 4 test")
        assert r.status_code == 200, r.text
        out = tmp_path / f"export-{full}.jsonl"
        out.write_text(r.text)
        check = subprocess.run([sys.executable, "-m", "alert_engine.cli", "check-jsonl", str(out), "--expect-head",
                                r.headers["X-Export-Head"]], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    check_log(log_of(a))
    # The export is in the node's NEN 7513 access log, with the workstation's person.
    from alert_engine.review.access_log import AccessLog

    with AccessLog(a.folder / "access-node-a.sqlite") as access:
        exports = [e for e in access.entries(incident) if e.action == "export"]
    assert len(exports) == 2 and {e.who for e in exports} == {"A. Jansen"}


def test_a_reported_position_is_used_by_the_next_alert_also_after_failover(pg_url: str, nodes: Any) -> None:
    from datetime import datetime

    from .serving import GATEWAY

    a = nodes(pg_url, "node-a", "active")
    b = nodes(pg_url, "node-b", "standby")
    # A responder far from the victim reports a fix 30 m from the next call's location.
    far = "R000001"
    here = {"lat": 52.0901, "lon": 4.2801}
    fix = {**here, "time": datetime.now().astimezone().isoformat()}
    assert a.post(f"/v1/responders/{far}/position", fix).status_code == 403  # a workstation does not report GPS
    r = a.post(f"/v1/responders/{far}/position", fix, token=GATEWAY)
    assert r.status_code == 200 and r.json()["applied"] == 1, r.text
    bad = a.post("/v1/responders/positions", {"positions": [
        {"responder": "R-nobody", **fix}, {"responder": far, "lat": 48.85, "lon": 2.35}]}, token=GATEWAY)
    assert [x["item"] for x in bad.json()["refused"]] == [0, 1]
    _, sent = alarm(a, lat=here["lat"] + 0.0002, lon=here["lon"])
    assert sent["responders"][0]["id"] == far
    # Saved to PostGIS in the background; the node that takes over starts from it.
    time.sleep(1.5)
    a.kill()
    b.wait_health("active", timeout=10)
    _, sent = alarm(b, lat=here["lat"] + 0.0002, lon=here["lon"], key="again")
    ids = [r["id"] for r in sent["responders"]]
    assert far not in ids  # still held by the first, open alarm: never on two alarms
    r = b.post("/v1/incidents/" + log_of(b)[0].incident + "/do", {"do": "close"})
    assert r.status_code == 200
    _, sent = alarm(b, lat=here["lat"] + 0.0002, lon=here["lon"], key="third")
    assert sent["responders"][0]["id"] == far
