"""The service contract on one node over a SQLite store: a real `serve` process on loopback."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alert_engine.audit import audit
from alert_engine.config import AlertConfig
from alert_engine.events import Event

from .serving import GATEWAY, WS1, WS2, Serve, read_stream

CALL = {"lat": 52.0705, "lon": 4.3007, "patient_age_years": 67, "location_kind": "home"}


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("serve")
    n = Serve(folder, str(folder / "events.sqlite")).start()
    yield n
    n.kill()


def alarm(node: Serve, token: str = WS1, **call: object) -> tuple[str, list[dict[str, object]]]:
    r = node.post("/v1/calls", {**CALL, **call}, token=token)
    assert r.status_code == 201, r.text
    incident = r.json()["incident"]
    assert node.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_dispatched", "unit": "15-101"},
                     token=token).status_code == 200
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "trigger_alert"}, token=token)
    assert r.status_code == 200, r.text
    return incident, r.json()["events"]


def test_without_a_valid_token_nothing_is_changed_or_revealed(node: Serve) -> None:
    before = node.get("/v1/health").json()["last_seq"]
    for token in ("", "not-a-token-at-all-xx"):
        assert node.post("/v1/calls", CALL, token=token).status_code == 401
        r = node.get("/v1/incidents", token=token)
        assert r.status_code == 401 and r.json() == {"error": "missing or unknown bearer token",
                                                     "field": "Authorization"}
        assert node.get("/v1/events", token=token).status_code == 401
        assert node.get("/v1/stream", token=token).status_code == 401
    assert node.get("/v1/health").json()["last_seq"] == before  # health needs no token


@pytest.mark.parametrize(("body", "field"), [
    ({"lon": 4.3}, "lat"),
    ({"lat": 152.0, "lon": 4.3}, "lat"),
    ({"lat": 52.07, "lon": 4.3, "patient_age_years": "old"}, "patient_age_years"),
    ({"lat": 52.07, "lon": 4.3, "suicde": True}, "suicde"),
])
def test_a_bad_call_names_the_field_and_writes_nothing(node: Serve, body: dict[str, object], field: str) -> None:
    before = node.get("/v1/health").json()["last_seq"]
    r = node.post("/v1/calls", body)
    assert r.status_code in (400, 422) and r.json()["field"] == field, r.text
    assert field in r.json()["error"]
    assert node.get("/v1/health").json()["last_seq"] == before


def test_bad_commands_are_named_and_unknown_incidents_are_404(node: Serve) -> None:
    incident, _ = alarm(node)
    before = node.get("/v1/health").json()["last_seq"]
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": "R1", "answer": "maybe"})
    assert r.status_code == 422 and r.json()["field"] == "answer"
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "launch_rockets"})
    assert r.status_code == 422 and r.json()["field"] == "do"
    r = node.post("/v1/incidents/19990101-999/do", {"do": "trigger_alert"})
    assert r.status_code == 404 and r.json()["field"] == "incident"
    raw = node.post(f"/v1/incidents/{incident}/do", "not json")
    assert raw.status_code in (400, 422)
    assert node.get("/v1/health").json()["last_seq"] == before


def test_a_refusal_is_an_event_and_an_illegal_move_a_409(node: Serve) -> None:
    r = node.post("/v1/calls", CALL)
    incident = r.json()["incident"]
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "trigger_alert"})  # no ambulance yet
    assert r.status_code == 200 and [e["type"] for e in r.json()["events"]] == ["alert_refused"]
    assert r.json()["events"][0]["reason"] == "no_ambulance"
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": "R999999", "answer": "accept"})
    assert r.status_code == 409 and "not alerted" in r.json()["error"]


def test_every_event_carries_its_actor(node: Serve) -> None:
    incident, events = alarm(node, token=WS2)
    responder = events[-1]["responders"][0]["id"]
    accepted = node.post(f"/v1/incidents/{incident}/do",
                         {"do": "respond", "responder": responder, "answer": "accept"}, token=GATEWAY).json()
    log = node.get(f"/v1/incidents/{incident}/events").json()
    assert {json.dumps(e["actor"]) for e in log if e["type"] != "responder_accepted"} == {
        json.dumps({"workstation": "ws-2", "user": "B. de Vries"})}
    assert [e["actor"] for e in accepted["events"]] == ["responder"]


def test_a_retry_with_the_same_idempotency_key_returns_the_first_answer(node: Serve) -> None:
    first = node.post("/v1/calls", CALL, key="call-7f3a")
    again = node.post("/v1/calls", CALL, key="call-7f3a")
    assert first.status_code == 201 and again.status_code == 201
    assert again.json() == first.json()
    incidents = [i["incident"] for i in node.get("/v1/incidents").json()]
    assert incidents.count(first.json()["incident"]) == 1
    before = node.get("/v1/health").json()["last_seq"]
    cmd = {"do": "ambulance_dispatched", "unit": "15-102"}
    path = f"/v1/incidents/{first.json()['incident']}/do"
    one, two = node.post(path, cmd, key="amb-1"), node.post(path, cmd, key="amb-1")
    assert one.json() == two.json() and node.get("/v1/health").json()["last_seq"] == before + 1
    # The same key from another workstation is another request; a reused key for another body is refused.
    assert node.post(path, cmd, token=WS2, key="amb-1").json()["events"][0]["seq"] == before + 2
    clash = node.post(path, {"do": "ambulance_dispatched", "unit": "15-999"}, key="amb-1")
    assert clash.status_code == 400 and clash.json()["field"] == "Idempotency-Key"


def test_concurrent_workstations_get_one_gap_free_sequence_and_no_double_alert(node: Serve) -> None:
    errors: list[str] = []

    def workstation(token: str, n: int) -> None:
        for _ in range(n):
            try:
                alarm(node, token=token, lat=52.0705 + 0.0005 * (hash(token) % 3))
            except AssertionError as exc:
                errors.append(str(exc))

    threads = [threading.Thread(target=workstation, args=(t, 4)) for t in (WS1, WS2, WS1, WS2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    events = [Event.from_json(json.dumps(e)) for e in node.get("/v1/events", after=0).json()]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert audit(events, AlertConfig()) == []  # rule 4 among others: nobody on two open alarms
    # Many alarms within 2 km can use up the responders in reach (the module's earlier tests left
    # theirs open): then a refusal, never a responder on two alarms (the audit above).
    outcome = {e.incident: (e.type, e.get("reason")) for e in events if e.type in ("alert_sent", "alert_refused")}
    assert all(o in (("alert_sent", None), ("alert_refused", "no_responders_in_reach"), ("alert_refused", "no_ambulance"))
               for o in outcome.values()), outcome
    assert [t for t, _ in outcome.values()].count("alert_sent") >= 12


def test_the_stream_resumes_after_last_event_id_without_gap_or_duplicate(node: Serve) -> None:
    alarm(node)
    last = node.get("/v1/health").json()["last_seq"]
    streamed = read_stream(node.url, after=last - 5, until_seq=last)
    assert [e["seq"] for e in streamed] == list(range(last - 4, last + 1))
    everything = node.get("/v1/events", after=last - 5).json()
    assert streamed == everything


def test_kill_9_loses_no_answered_event_and_sigterm_stops_cleanly(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    n = Serve(tmp_path, str(store), config={"response_timeout_s": 2}).start()
    try:
        _incident, events = alarm(n)
        answered = events[-1]["seq"]
        n.kill()
        with sqlite3.connect(store) as db:
            assert db.execute("SELECT MAX(seq) FROM events").fetchone()[0] == answered
        n.start()  # the same store: every answered event is there, and timers derived from it resume
        r = read_stream(n.url, after=0, until_seq=answered + 1, timeout=15)
        assert [e["seq"] for e in r][:answered] == list(range(1, answered + 1))
        assert r[answered]["type"] == "responder_timed_out" and r[answered]["actor"] == "system"
        assert n.terminate() == 0
    finally:
        n.kill()
    assert "Traceback" not in n.log.read_text()


def test_the_api_docs_are_served_without_any_outside_address(node: Serve) -> None:
    import re

    import httpx

    page = httpx.get(f"{node.url}/docs", timeout=5)
    assert page.status_code == 200
    assert not re.search(r"(src|href)=[\"']https?://", page.text)  # a centre's network has no CDN
    for asset in re.findall(r"(?:src|href)=[\"'](/docs-assets/[^\"']+)", page.text):
        assert httpx.get(f"{node.url}{asset}", timeout=5).status_code == 200
    spec = httpx.get(f"{node.url}/openapi.json", timeout=5).json()
    assert {"/v1/calls", "/v1/incidents/{incident}/do", "/v1/stream", "/v1/health"} <= set(spec["paths"])
