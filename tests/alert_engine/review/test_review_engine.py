"""Review without Qt: JSONL export and its integrity check, the replay service, the access
log, the intervals of a scripted scenario and the pseudonymised report."""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from alert_engine.api.commands import Respond
from alert_engine.errors import EngineError, UnknownIncident
from alert_engine.eventlog.jsonl import export_jsonl, read_jsonl
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts
from alert_engine.review import commands
from alert_engine.review.access_log import AccessLog, ReviewSession
from alert_engine.review.intervals import intervals, mmss
from alert_engine.review.replay import ReadOnlyReview, ReplayService
from alert_engine.review.report import ReportOptions, render_report
from alert_engine.review.source import open_jsonl, open_store_incident
from alert_engine.scenario.loader import load_scenario
from alert_engine.scenario.runner import run_scenario
from alert_engine.state import state_at
from tests.paths import REPO

ROOT = REPO
OVERSUPPLY = ROOT / "scenarios/09_oversupply.json"
CITY = ROOT / "scenarios/01_city_zoetermeer_evening.json"


@pytest.fixture(scope="module")
def oversupply_events() -> list[Event]:
    return run_scenario(load_scenario(OVERSUPPLY)).events


@pytest.fixture(scope="module")
def city_events() -> list[Event]:
    return run_scenario(load_scenario(CITY)).events


@pytest.fixture
def exported(tmp_path: Path, oversupply_events: list[Event]) -> Path:
    out = tmp_path / "incident.jsonl"
    export_jsonl(oversupply_events, out, "I1")
    return out


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- JSON Lines: export and integrity -----------------------------------------------------------
def test_an_untouched_export_is_intact_and_keeps_the_contract_fields(exported: Path, oversupply_events: list[Event]):
    log = read_jsonl(exported)
    assert log.integrity.status == "ok"
    assert log.integrity.headline_nl() == f"Integriteit gecontroleerd: {len(oversupply_events)} gebeurtenissen, hashketen klopt"
    assert [e.to_json() for e in log.events] == [e.to_json() for e in oversupply_events]
    first = json.loads(lines_of(exported)[0])
    assert {"seq", "time", "incident", "type", "lat", "lon", "chain"} <= set(first)
    assert set(first["chain"]) == {"prev", "hash"}
    # The end record proves nothing was cut off; only a key or the recorded head proves that
    # the file was not rewritten as a whole: said, as a note (issue 8).
    assert log.integrity.kinds == {"rewrite_unprovable"}
    assert json.loads(lines_of(exported)[-1])["end"]["events"] == len(oversupply_events)


def test_a_modified_event_is_named(exported: Path, tmp_path: Path):
    lines = lines_of(exported)
    lines[2] = lines[2].replace('"unit":"15-101"', '"unit":"15-999"')
    log = read_jsonl(write_lines(tmp_path / "modified.jsonl", lines))
    assert log.integrity.status == "broken"
    modified = [f for f in log.integrity.findings if f.kind == "modified"]
    assert [f.seq for f in modified][:1] == [3]
    assert "gewijzigd" in log.integrity.headline_nl()
    assert "was modified" in log.integrity.summary()


def test_a_removed_event_breaks_the_chain_between_its_neighbours(exported: Path, tmp_path: Path):
    lines = lines_of(exported)
    del lines[6]  # seq 7
    log = read_jsonl(write_lines(tmp_path / "removed.jsonl", lines))
    removed = [f for f in log.integrity.findings if f.kind == "removed"]
    assert len(removed) == 1 and removed[0].seq == 8
    assert "between events 6 and 8" in removed[0].en


def test_reordered_events_are_reported_as_reordered(exported: Path, tmp_path: Path):
    lines = lines_of(exported)
    lines[7], lines[8] = lines[8], lines[7]
    log = read_jsonl(write_lines(tmp_path / "reordered.jsonl", lines))
    assert log.integrity.status == "broken"
    assert "reordered" in log.integrity.kinds
    assert "removed" not in log.integrity.kinds and "modified" not in log.integrity.kinds


def test_a_file_cut_mid_line_is_named_truncated(exported: Path, tmp_path: Path):
    text = exported.read_text(encoding="utf-8")
    cut = tmp_path / "cut.jsonl"
    cut.write_text(text[: len(text) // 2], encoding="utf-8")
    log = read_jsonl(cut)
    truncated = [f for f in log.integrity.findings if f.kind == "truncated_line"]
    assert len(truncated) == 1 and "truncated" in truncated[0].en
    assert log.integrity.status == "broken"


def test_a_file_cut_at_a_line_boundary_is_named_truncated(exported: Path, tmp_path: Path):
    log = read_jsonl(write_lines(tmp_path / "short.jsonl", lines_of(exported)[:15]))
    # Every present event is intact, but the end record is gone with the cut: broken (issue 8;
    # before the end record this was only a "may be truncated" warning).
    assert log.integrity.status == "broken"
    assert "the end record is missing: the file was cut off" in log.integrity.summary()
    assert "the file ends before incident I1 was closed – it may be truncated" in [f.en for f in log.integrity.warnings]


def test_a_run_log_without_chains_is_not_verifiable_but_still_checked(tmp_path: Path, oversupply_events: list[Event]):
    plain = write_lines(tmp_path / "run.jsonl", [e.to_json() for e in oversupply_events])
    log = read_jsonl(plain)
    assert log.integrity.status == "warning"
    assert log.integrity.summary().startswith("not verifiable (no hash chain)")
    assert not log.integrity.problem_findings
    lines = lines_of(plain)
    del lines[5]
    gap = read_jsonl(write_lines(tmp_path / "gap.jsonl", lines))
    assert "seq_gap" in gap.integrity.kinds and gap.integrity.status == "broken"
    lines = lines_of(plain)
    lines[3], lines[4] = lines[4], lines[3]
    assert "reordered" in read_jsonl(write_lines(tmp_path / "swap.jsonl", lines)).integrity.kinds


def test_an_export_from_a_tampered_store_is_not_laundered(tmp_path: Path, oversupply_events: list[Event]):
    store = SqliteEventStore(tmp_path / "events.sqlite")
    store.append(oversupply_events)
    store.close()
    db = sqlite3.connect(tmp_path / "events.sqlite")
    body = db.execute("SELECT body FROM events WHERE seq=3").fetchone()[0]
    db.execute("UPDATE events SET body=? WHERE seq=3", (body.replace("15-101", "15-999"),))
    db.commit()
    db.close()
    store = SqliteEventStore(tmp_path / "events.sqlite")
    export_jsonl(store, tmp_path / "out.jsonl", "I1")
    store.close()
    assert "modified" in read_jsonl(tmp_path / "out.jsonl").integrity.kinds


def test_a_store_incident_for_review_is_verified_on_its_own_chain(tmp_path: Path):
    events = run_scenario(load_scenario(ROOT / "scenarios/10_two_concurrent_incidents.json")).events
    store = SqliteEventStore(tmp_path / "events.sqlite")
    store.append(events)
    store.close()
    source = open_store_incident(tmp_path / "events.sqlite", "I2")
    assert source.integrity.status == "ok"
    assert {e.incident for e in source.events} == {"I2"}  # nothing of another incident is loaded


# -- the replay service ---------------------------------------------------------------------------
@pytest.mark.parametrize("snapshot_every", [None, 1, 8])
def test_replay_state_is_the_fold_at_every_moment_in_any_seek_order(city_events: list[Event], snapshot_every: int | None):
    replay = ReplayService(city_events, snapshot_every=snapshot_every)
    span = (replay.end - replay.start).total_seconds()
    rng = random.Random(3)
    moments = [replay.start + timedelta(seconds=rng.uniform(-5, span + 5)) for _ in range(60)]
    moments += [e.time for e in city_events[::5]]
    rng.shuffle(moments)
    for t in moments:
        replay.seek(t)
        assert replay.state("I1") == state_at(city_events, "I1", t)
        assert replay.events("I1") == [e for e in city_events if e.time <= t]


def test_seek_tells_listeners_what_passed_or_to_refresh(oversupply_events: list[Event]):
    replay = ReplayService(oversupply_events)
    batches: list[list[Event]] = []
    replay.subscribe(lambda batch: batches.append(list(batch)))
    t0 = replay.start
    replay.seek(t0 + timedelta(seconds=60))
    assert [e.seq for e in batches[-1]] == [e.seq for e in oversupply_events if t0 < e.time <= t0 + timedelta(seconds=60)]
    replay.seek(t0 + timedelta(seconds=30))
    assert batches[-1] == []  # back in time: refresh
    assert replay.now() == t0 + timedelta(seconds=30)
    assert replay.state("I1").alert_time is None  # the alert went out at 35 s


def test_every_command_of_a_replay_is_refused_readably(oversupply_events: list[Event]):
    replay = ReplayService(oversupply_events)
    with pytest.raises(ReadOnlyReview, match="review is read-only"):
        replay.execute(Respond("I1", "R1", "accept"))
    with pytest.raises(EngineError, match="review is read-only"):
        replay.new_call(CallFacts(lat=52.06, lon=4.49))
    with pytest.raises(EngineError, match="review is read-only"):
        replay.preview(CallFacts(lat=52.06, lon=4.49))
    with pytest.raises(UnknownIncident):
        replay.state("nope")


def test_replay_lists_only_incidents_that_had_begun(tmp_path: Path):
    events = run_scenario(load_scenario(ROOT / "scenarios/10_two_concurrent_incidents.json")).events
    replay = ReplayService(events)
    second = min(e.time for e in events if e.incident == "I2")
    replay.seek(second - timedelta(seconds=1))
    assert [s.id for s in replay.incidents()] == ["I1"]
    replay.seek(second)
    assert sorted(s.id for s in replay.incidents()) == ["I1", "I2"]


# -- access log -----------------------------------------------------------------------------------
def test_the_access_log_records_who_what_and_why(tmp_path: Path):
    log = AccessLog(tmp_path / "access.sqlite")
    session = ReviewSession(log, "Anna de Vries", "klacht 2026-113", "I1", "events.sqlite")
    session.record("open")
    session.record("replay")
    session.record("replay")  # once per session
    session.record("export", {"to": "rapport.html"})
    entries = log.entries()
    assert [e.action for e in entries] == ["open", "replay", "export"]
    assert {e.reason for e in entries} == {"klacht 2026-113"}
    assert {e.who for e in entries} == {"Anna de Vries"} and all(e.login and e.workstation for e in entries)
    assert entries[2].details == {"to": "rapport.html"}
    assert log.verify().ok
    with pytest.raises(EngineError, match="reason"):
        ReviewSession(log, "Anna", "  ", "I1")


def test_the_access_log_refuses_and_detects_tampering(tmp_path: Path):
    path = tmp_path / "access.sqlite"
    log = AccessLog(path)
    for action in ("open", "replay", "export", "annotate", "open"):
        log.append("Bram", action, "I1", "kwaliteitsreview")
    db = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE access_log SET reason='nieuwsgierig' WHERE id=2")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM access_log WHERE id=5")
    assert AccessLog(path).verify().ok  # refused attempts leave the log as it was
    # Someone with write access removes the protection and rewrites history:
    db.execute("DROP TRIGGER access_log_no_update")
    db.execute("DROP TRIGGER access_log_no_delete")
    db.execute("UPDATE access_log SET reason='nieuwsgierig' WHERE id=2")
    db.execute("DELETE FROM access_log WHERE id=3")
    db.execute("DELETE FROM access_log WHERE id=5")  # the last one
    db.close()
    check = AccessLog(path).verify()
    assert not check.ok
    text = " ".join(check.problems_en)
    assert "trigger access_log_no_update was removed" in text
    assert "entry 2 was changed" in text
    assert "entries 3 were deleted" in text
    assert "the last entries (5) were deleted" in text


# -- intervals ------------------------------------------------------------------------------------
def test_intervals_of_the_oversupply_scenario_follow_its_timeline(oversupply_events: list[Event]):
    raw = json.loads(OVERSUPPLY.read_text())
    steps = sorted(raw["timeline"], key=lambda s: s["at"])  # stable: ties keep file order

    def at(do: str, **match: str) -> float:
        return next(s["at"] for s in steps if s["do"] == do and all(s.get(k) == v for k, v in match.items()))

    accepts = [s for s in steps if s["do"] == "respond" and s["answer"] == "accept"]
    target = 5  # default config: 5 accepted (this registry has AED runners among the first five)
    iv = intervals(oversupply_events)
    call = at("call")
    assert iv["ambulance_dispatched"].seconds == at("ambulance_dispatched") - call
    assert iv["alert_sent"].seconds == at("trigger_alert") - call
    assert iv["first_accept"].seconds == accepts[0]["at"] - at("trigger_alert")
    assert iv["first_on_scene"].seconds == at("arrive") - call
    assert iv["aed_on_scene"].seconds is None and iv["aed_connected"].seconds is None
    assert iv["ambulance_on_scene"].seconds is None
    assert iv["first_on_scene"].readable == mmss(at("arrive") - call) == "03:20"
    c = iv.counts
    registry_size = len(raw["registry"]["responders"])
    assert c.alerted == registry_size  # all 20 are eligible and within 2 km
    assert c.accepted == target
    assert c.oversupply == len(accepts) - target
    assert c.arrived == sum(1 for s in steps if s["do"] == "arrive")
    # target reached: everyone without an answer is cancelled; at closing, those still coming
    first_five = {s["responder"] for s in accepts[:target]}
    arrived = {s["responder"] for s in steps if s["do"] == "arrive"}
    assert c.cancelled == (registry_size - target) + len(first_five - arrived)
    machine = iv.to_dict()
    assert machine["intervals_s"]["first_accept"] == 15.0 and machine["readable"]["alert_sent"] == "00:35"


def test_an_aed_is_on_scene_when_a_runner_arrives_with_a_fetched_one(city_events: list[Event]):
    iv = intervals(city_events)
    fetched = {e["aed"]: e.time for e in city_events if e.type == "aed_fetched"}
    connected = min(e.time for e in city_events if e.type == "aed_connected")
    assert iv["aed_connected"].at == connected
    assert iv["aed_on_scene"].at is not None and iv["aed_on_scene"].at <= connected
    assert iv["aed_on_scene"].at >= min(fetched.values())


# -- report ---------------------------------------------------------------------------------------
def test_the_report_pseudonymises_and_rounds_by_default(city_events: list[Event], exported: Path):
    html = render_report(city_events)
    alerted = next(e for e in city_events if e.type == "alert_sent")["responders"]
    for r in alerted:
        assert r["id"] not in html
        assert r["pseudonym"] not in html
        assert f"{r['lat']}" not in html
    assert re.search(r"\bR-\d{2}\b", html)
    assert "52.06° N, 4.49° O" in html
    assert "52.0601" not in html and "4.4932" not in html
    assert "Zoetermeer centrum" not in html  # the call's address
    exact = render_report(city_events, options=ReportOptions(exact_location=True, real_pseudonyms=True))
    assert "52.06010° N" in exact and "Zoetermeer centrum" in exact
    assert any(r["pseudonym"] in exact for r in alerted)
    assert not re.search(r"\bR0\d{5}\b", exact)  # registry ids never, even with real pseudonyms


def test_the_report_says_plainly_when_the_history_is_not_intact(exported: Path, tmp_path: Path):
    lines = lines_of(exported)
    lines[2] = lines[2].replace("15-101", "15-999")
    log = read_jsonl(write_lines(tmp_path / "bad.jsonl", lines))
    html = render_report(log.events, integrity=log.integrity)
    assert "niet betrouwbaar" in html and "verdict broken" in html


def test_notes_on_a_file_go_to_a_separate_store(exported: Path, tmp_path: Path):
    before = exported.read_bytes()
    source = open_jsonl(exported, notes_path=tmp_path / "notes.sqlite")
    at = source.events[10].time
    source.notes.add("Anna", "Hier had de AED eerder kunnen komen", at)
    again = open_jsonl(exported, notes_path=tmp_path / "notes.sqlite")
    assert [n["text"] for n in again.annotations()] == ["Hier had de AED eerder kunnen komen"]
    assert exported.read_bytes() == before
    assert all(e.type != "annotation_added" for e in again.events)


# -- command line ---------------------------------------------------------------------------------
def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_export_and_check_from_the_command_line(tmp_path: Path, oversupply_events: list[Event]):
    store = SqliteEventStore(tmp_path / "events.sqlite")
    store.append(oversupply_events)
    store.close()
    out, access = tmp_path / "I1.jsonl", tmp_path / "access.sqlite"
    code = cli(["export-events", "--store", str(tmp_path / "events.sqlite"), "--incident", "I1", "--out", str(out),
                "--reason", "kwaliteitsreview", "--by", "Anna", "--access-log", str(access)])
    assert code == 0
    assert read_jsonl(out).integrity.status == "ok"
    assert [(e.action, e.reason) for e in AccessLog(access).entries()] == [("export", "kwaliteitsreview")]
    assert cli(["check-jsonl", str(out)]) == 0
    lines = lines_of(out)
    assert '"instructing"' in lines[3]
    lines[3] = lines[3].replace("instructing", "not_started")
    assert cli(["check-jsonl", str(write_lines(tmp_path / "bad.jsonl", lines))]) == 3


def test_notes_from_inside_the_console_go_through_its_own_service(oversupply_events: list[Event], tmp_path: Path):
    from alert_engine.clock import SimClock
    from alert_engine.eventlog.store import MemoryEventStore
    from alert_engine.registry.table import Registry
    from alert_engine.review.source import ServiceNotes, incidents_in
    from alert_engine.service import LocalService

    scenario = load_scenario(OVERSUPPLY)
    store = MemoryEventStore()
    store.append(oversupply_events)
    service = LocalService(Registry.from_records(scenario.responders, scenario.aeds), store,
                           SimClock(oversupply_events[-1].time + timedelta(days=1)))
    notes = ServiceNotes(service, "I1")
    notes.add("Anna", "terugkoppeling gegeven", oversupply_events[10].time)
    assert [n["text"] for n in notes.list()] == ["terugkoppeling gegeven"]
    assert [e.type for e in service.events("I1")][:-1] == [e.type for e in oversupply_events]
    export_jsonl(oversupply_events, tmp_path / "x.jsonl")
    assert incidents_in(tmp_path / "x.jsonl") == ["I1"]
