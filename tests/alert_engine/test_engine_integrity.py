"""Issue 8: rule 4 held after close/cancel, one writer per store, Dutch calendar days,
privacy of stored positions, and a store whose tampering verify() cannot miss."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alert_engine.audit import audit
from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.engine import Engine
from alert_engine.errors import EngineError, IllegalTransition
from alert_engine.eventlog.store import (
    GENESIS,
    SqliteEventStore,
    StoreConflict,
    StoreInUse,
    StoreKeyError,
    chain_hash,
)
from alert_engine.events import Event
from alert_engine.lifecycle import HOLDING
from alert_engine.registry.model import Address, Responder
from alert_engine.registry.table import Registry
from alert_engine.review.source import StoreNotes
from alert_engine.state import IncidentState, apply
from tests.builders import (
    AMS,
    EVENING,
    ZOETERMEER,
    aed_at,
    facts,
    make_engine,
    offset,
    ring_responders,
)
from tests.paths import REPO

ROOT = REPO


def call_and_alert(engine: Engine, incident: str, north: float = 0.0) -> Event:
    engine.call(incident, facts(offset(ZOETERMEER, north, 0)))
    engine.dispatch_ambulance(incident, "15-101")
    sent = [e for e in engine.trigger_alert(incident) if e.type == "alert_sent"]
    assert sent, f"{incident} was not alerted"
    return sent[0]


def alerted_ids(e: Event) -> set[str]:
    return {r["id"] for r in e["responders"]}


# -- 1. rule 4 --------------------------------------------------------------------------------
def test_closing_an_alarm_keeps_a_responder_held_by_their_other_alarm() -> None:
    """Decline I1, get alerted for I2, I1 is closed: the responder is still I2's, so the
    next alarm (I3) must not ring them. Today's main frees them on I1's close."""
    engine, clock, _ = make_engine(ring_responders(3, r_max=150), [])
    assert alerted_ids(call_and_alert(engine, "I1")) == {"R1", "R2", "R3"}
    engine.respond("I1", "R1", "decline")
    clock.advance(30)
    assert alerted_ids(call_and_alert(engine, "I2", north=50)) == {"R1"}
    engine.close("I1")
    clock.advance(30)
    third = call_and_alert(engine, "I3", north=-50)
    assert "R1" not in alerted_ids(third)
    assert engine.holder_of("R1") == "I2"
    assert audit(engine.store.read(), engine.config) == []


def test_cancelling_an_alarm_keeps_a_responder_held_by_their_other_alarm() -> None:
    engine, clock, _ = make_engine(ring_responders(3, r_max=150), [])
    call_and_alert(engine, "I1")
    engine.respond("I1", "R2", "decline")
    clock.advance(20)
    assert alerted_ids(call_and_alert(engine, "I2", north=40)) == {"R2"}
    engine.respond("I2", "R2", "accept")
    engine.cancel_alarm("I1")
    clock.advance(20)
    assert "R2" not in alerted_ids(call_and_alert(engine, "I3", north=-40))
    assert audit(engine.store.read(), engine.config) == []


def test_a_late_accept_cannot_put_a_responder_on_a_second_open_alarm() -> None:
    """Cancelled on I1 (target met), alerted on I2, then taps 'accept' on the old I1 alert."""
    engine, clock, _ = make_engine(ring_responders(3, r_max=150), [], config=AlertConfig(target_responders=1))
    call_and_alert(engine, "I1")
    engine.respond("I1", "R3", "accept")  # target of 1 met: R1 and R2 are told they are not needed
    assert engine.state("I1").responders["R1"].state == "cancelled"
    clock.advance(20)
    assert alerted_ids(call_and_alert(engine, "I2", north=40)) == {"R1", "R2"}
    with pytest.raises(IllegalTransition, match="now on alarm I2"):
        engine.respond("I1", "R1", "accept")
    with pytest.raises(IllegalTransition, match="now on alarm I2"):
        engine.arrive("I1", "R2")
    assert audit(engine.store.read(), engine.config) == []


def _holding_counts(states: dict[str, IncidentState]) -> dict[str, list[str]]:
    held: dict[str, list[str]] = {}
    for s in states.values():
        if s.alarm_open:
            for rid, r in s.responders.items():
                if r.state in HOLDING:
                    held.setdefault(rid, []).append(s.id)
    return held


MOVES = ["call", "call", "dispatch", "trigger", "trigger", "accept", "accept", "decline", "decline", "arrive",
         "cancel", "close", "close", "wait", "wait", "fetch"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_multi_incident_timelines_never_put_a_responder_on_two_open_alarms(data: st.DataObject) -> None:
    """A small dense town so alarms overlap constantly; rule 4 checked after every event
    on an independent fold, and the whole log through audit.py."""
    n = data.draw(st.integers(3, 12))
    config = AlertConfig(target_responders=data.draw(st.integers(1, 4)),
                         target_aed_runners=data.draw(st.integers(0, 1)),
                         response_timeout_s=data.draw(st.sampled_from([30.0, 90.0, 180.0])))
    aeds = [aed_at(f"A{i}", 100 * i, -80) for i in range(data.draw(st.integers(0, 2)))]
    engine, clock, _ = make_engine(ring_responders(n, r_max=300, seed=data.draw(st.integers(0, 99))), aeds,
                                   config=config)
    folded: dict[str, IncidentState] = {}
    alerted_for: dict[str, set[str]] = {}

    def check(events: list[Event]) -> None:
        for e in events:
            folded[e.incident] = apply(folded.get(e.incident) or IncidentState.empty(e.incident), e)
            if e.type == "alert_sent":
                ids = alerted_ids(e)
                assert not ids & alerted_for.get(e.incident, set()), "alerted twice for one incident"
                alerted_for.setdefault(e.incident, set()).update(ids)
            twice = {rid: incs for rid, incs in _holding_counts(folded).items() if len(incs) > 1}
            assert not twice, f"after event {e.seq} ({e.type}): {twice}"

    engine.subscribe(check)
    recorded: dict[int, dict[str, IncidentState]] = {}
    engine.subscribe(lambda batch: recorded.__setitem__(batch[-1].seq, dict(engine.states)))
    incidents: list[str] = []
    for _ in range(data.draw(st.integers(5, 45))):
        move = data.draw(st.sampled_from(MOVES)) if incidents else "call"
        clock.advance(data.draw(st.integers(0, 90)))
        try:
            engine.tick()
            if move == "call":
                inc = f"I{len(incidents) + 1}"
                engine.call(inc, facts(offset(ZOETERMEER, data.draw(st.floats(-200, 200)), 0)))
                incidents.append(inc)
                continue
            inc = data.draw(st.sampled_from(incidents))
            s = engine.state(inc)
            if move == "dispatch":
                engine.dispatch_ambulance(inc, "15-101")
            elif move == "trigger":
                engine.trigger_alert(inc)
            elif move in ("accept", "decline", "arrive") and s.responders:
                rid = data.draw(st.sampled_from(sorted(s.responders)))
                engine.arrive(inc, rid) if move == "arrive" else engine.respond(inc, rid, move)
            elif move == "fetch" and s.aeds:
                engine.aed_fetched(inc, data.draw(st.sampled_from(sorted(s.aeds))))
            elif move == "cancel":
                engine.cancel_alarm(inc)
            elif move == "close":
                engine.close(inc)
        except EngineError:
            pass  # a refusal writes nothing; the log is audited below
    events = engine.store.read()
    assert audit(events, config, engine.registry, recorded=recorded) == []


# -- 3. Dutch calendar days -------------------------------------------------------------------
@pytest.mark.parametrize("tz", [UTC, AMS], ids=["written-as-UTC", "written-as-Amsterdam"])
def test_a_certificate_that_expired_yesterday_in_amsterdam_never_alerts(tz: object) -> None:
    """00:30 on 23 Nov in Amsterdam is 23:30 on 22 Nov in UTC; a certificate valid until
    22 Nov has expired either way."""
    lat, lon = offset(ZOETERMEER, 50, 0)
    expired = Responder("R1", date(2026, 11, 22), (Address(lat, lon, "24/7"),))
    valid = Responder("R2", date(2026, 11, 23), (Address(lat, lon, "24/7"),))
    start = datetime(2026, 11, 23, 0, 30, tzinfo=AMS).astimezone(tz)  # type: ignore[arg-type]
    engine, _, _ = make_engine([expired, valid], [], start=start)
    assert alerted_ids(call_and_alert(engine, "I1")) == {"R2"}


def test_test_alarms_use_the_dutch_calendar_day_too() -> None:
    lat, lon = offset(ZOETERMEER, 50, 0)
    people = [Responder(f"R{i}", d, (Address(lat, lon, "24/7"),), test_alarms_opt_in=True, municipality="Zoetermeer")
              for i, d in ((1, date(2026, 11, 22)), (2, date(2026, 11, 23)))]
    start = datetime(2026, 11, 23, 0, 30, tzinfo=AMS).astimezone(UTC)
    engine, _, _ = make_engine(people, [], start=start)
    events = engine.test_alarm("T1", *ZOETERMEER, municipality="Zoetermeer")
    sent = [e for e in events if e.type == "alert_sent"]
    assert [r["id"] for r in sent[0]["responders"]] == ["R2"]


# -- 6. privacy of stored positions -----------------------------------------------------------
def test_stored_responder_positions_are_rounded_to_what_the_map_needs() -> None:
    engine, _, _ = make_engine(ring_responders(20, r_max=600), [aed_at("A1", 100, 100)])
    sent = call_and_alert(engine, "I1")
    for r in sent["responders"]:
        for value in (r["lat"], r["lon"]):
            assert round(value, 4) == value, value


# -- 2. one writer per store ------------------------------------------------------------------
def _engine_on(path: Path, clock: SimClock | None = None) -> Engine:
    return Engine(Registry.from_records(ring_responders(10, r_max=300), []), SqliteEventStore(path, key=None),
                  clock or SimClock(EVENING))


def test_a_second_engine_on_one_store_gets_a_clear_message_and_the_first_keeps_working(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    first = _engine_on(path)
    first.call("I1", facts())
    with pytest.raises(StoreInUse, match=r"in use by .*pid \d+.*one writer"):
        _engine_on(path)
    first.dispatch_ambulance("I1", "15-101")
    assert any(e.type == "alert_sent" for e in first.trigger_alert("I1"))
    first.store.close()
    again = _engine_on(path)  # released on close: a restart continues
    assert again.state("I1").alert_time is not None


def test_another_process_holding_the_store_is_named(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from alert_engine.eventlog.store import SqliteEventStore
            s = SqliteEventStore({str(path)!r}, key=None); s.claim_writer()
            print("ready", flush=True); sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreInUse) as caught:
            _engine_on(path)
        assert f"pid {holder.pid}" in str(caught.value)
    finally:
        holder.communicate("", timeout=30)
    assert _engine_on(path).store.next_seq() == 1  # the lock went with the process


def test_a_reviewer_note_through_a_second_writer_is_refused_and_the_engine_carries_on(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    engine = _engine_on(path)
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    with pytest.raises(StoreInUse):
        StoreNotes(path, "I1").add("reviewer", "nagekeken", EVENING)
    assert any(e.type == "alert_sent" for e in engine.trigger_alert("I1"))
    assert engine.store.verify().ok


def test_events_written_behind_the_writers_back_refuse_the_next_command_whole(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    engine = _engine_on(path)
    engine.call("I1", facts())
    before = dict(engine.states)
    rogue = sqlite3.connect(path)
    body = json.dumps({"seq": 3, "time": "2026-11-22T19:40:00+01:00", "incident": "X", "type": "incident_closed"})
    rogue.execute("INSERT INTO events (seq, incident, type, time, body, prev, hash) VALUES (3,'X','incident_closed',"
                  "'2026-11-22T19:40:00+01:00',?,?,?)", (body, GENESIS, chain_hash(GENESIS, body)))
    rogue.commit()
    rogue.close()
    with pytest.raises(StoreConflict, match="did not write"):
        engine.dispatch_ambulance("I1", "15-101")
    assert engine.states == before
    assert [e.seq for e in SqliteEventStore(path, key=None, readonly=True).read()] == [1, 2, 3]


# -- 5. tamper evidence of the store ----------------------------------------------------------
def _store_with_two_incidents(path: Path, key: bytes | None = None) -> None:
    engine = Engine(Registry.from_records(ring_responders(10, r_max=300), []), SqliteEventStore(path, key=key),
                    SimClock(EVENING))
    for inc in ("I1", "I2"):
        call_and_alert(engine, inc)
        engine.close(inc)
    engine.store.close()


def _tamper(path: Path, *sql: str) -> None:
    db = sqlite3.connect(path)
    for statement in sql:
        db.execute(statement)
    db.commit()
    db.close()


def _verify(path: Path, key: bytes | None = None) -> list[str]:
    store = SqliteEventStore(path, key=key, readonly=True)
    try:
        return store.verify().problems
    finally:
        store.close()


@pytest.mark.parametrize("attack,expect", [
    ("DELETE FROM events WHERE seq=(SELECT MAX(seq) FROM events)", "missing"),
    ("DELETE FROM events WHERE incident='I2'", "missing"),
    ("UPDATE events SET type='alert_refused' WHERE seq=2", "columns do not match"),
    ("UPDATE events SET time='2026-11-22T19:45:00+01:00' WHERE seq=3", "columns do not match"),
], ids=["last-event-deleted", "last-incident-deleted", "type-column-edited", "time-column-edited"])
def test_verify_sees_every_simple_edit(tmp_path: Path, attack: str, expect: str) -> None:
    path = tmp_path / "events.sqlite"
    _store_with_two_incidents(path)
    assert _verify(path) == []
    _tamper(path, attack)
    problems = _verify(path)
    assert any(expect in p for p in problems), problems


def _rewrite_without_last_event(path: Path, key: bytes | None) -> None:
    """A careful forger: drop the last event, recompute every chain and the head."""
    db = sqlite3.connect(path)
    db.execute("DELETE FROM events WHERE seq=(SELECT MAX(seq) FROM events)")
    heads: dict[str, str] = {}
    g = GENESIS
    for seq, inc, body in db.execute("SELECT seq, incident, body FROM events ORDER BY seq").fetchall():
        prev = heads.get(inc, GENESIS)
        h = chain_hash(prev, body, key)
        heads[inc] = h
        g = chain_hash(g, h, key)
        db.execute("UPDATE events SET prev=?, hash=?, ghash=? WHERE seq=?", (prev, h, g, seq))
    (last,) = db.execute("SELECT MAX(seq) FROM events").fetchone()
    db.execute("UPDATE meta SET value=? WHERE key='head_seq'", (str(last),))
    db.execute("UPDATE meta SET value=? WHERE key='head_hash'", (g,))
    db.commit()
    db.close()


def test_a_full_rewrite_is_caught_by_a_head_recorded_earlier(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    _store_with_two_incidents(path)
    recorded = SqliteEventStore(path, key=None, readonly=True).head()
    _rewrite_without_last_event(path, None)
    assert _verify(path) == []  # an unkeyed chain cannot see a full rewrite on its own ...
    store = SqliteEventStore(path, key=None, readonly=True)
    problems = store.verify(expected_heads=[recorded]).problems
    assert any("recorded earlier is gone" in p for p in problems), problems  # ... an anchor can


def test_a_signed_store_detects_a_rewrite_by_someone_without_the_key(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    key = b"centre-secret-key-0123456789"
    _store_with_two_incidents(path, key=key)
    assert _verify(path, key) == []
    _rewrite_without_last_event(path, None)  # the forger has no key
    assert any("altered" in p for p in _verify(path, key))
    assert any("without" in p or "no key" in p for p in _verify(path, None))
    with pytest.raises(StoreKeyError):
        SqliteEventStore(path, key=b"another-key-0123456789").claim_writer()


def test_a_store_from_before_the_head_is_migrated_and_keeps_verifying(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE events (seq INTEGER PRIMARY KEY, incident TEXT NOT NULL, type TEXT NOT NULL, "
                     "time TEXT NOT NULL, body TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)")
    e = Event(1, EVENING, "I1", "call_received", {"lat": ZOETERMEER[0], "lon": ZOETERMEER[1]})
    body = e.to_json()
    db.execute("INSERT INTO events VALUES (1,'I1','call_received',?,?,?,?)",
               (e.to_dict()["time"], body, GENESIS, chain_hash(GENESIS, body)))
    db.commit()
    db.close()
    old = SqliteEventStore(path, key=None, readonly=True).verify()
    assert old.ok and any("no store head" in r for r in old.remarks)
    engine = _engine_on(path, SimClock(EVENING + timedelta(seconds=30)))
    engine.dispatch_ambulance("I1", "15-101")
    engine.store.close()
    report = SqliteEventStore(path, key=None, readonly=True).verify()
    assert report.ok and report.head is not None and report.head[0] == 2, report.problems
    _tamper(path, "DELETE FROM events WHERE seq=2")
    assert any("missing" in p for p in _verify(path))


def test_cli_verify_exits_3_on_a_cut_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from alert_engine.cli import main

    path = tmp_path / "events.sqlite"
    _store_with_two_incidents(path)
    assert main(["verify", "--store", str(path)]) == 0
    _tamper(path, "DELETE FROM events WHERE seq=(SELECT MAX(seq) FROM events)")
    capsys.readouterr()
    assert main(["verify", "--store", str(path)]) == 3
    assert "missing" in capsys.readouterr().out
