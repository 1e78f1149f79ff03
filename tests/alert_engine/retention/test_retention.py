"""Retention (issue 15 point 5) on a simulated clock: exactly the expired part of a store is
removed or redacted, counted in Amsterdam calendar days; the store still verifies (also
against a head recorded before), a restarted engine folds it, and a later edit of a
redacted row or of the retention record is still detected."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from alert_engine.cli import main
from alert_engine.clock import SimClock
from alert_engine.engine import Engine
from alert_engine.eventlog.store import EventStore, SqliteEventStore
from alert_engine.registry.model import Responder
from alert_engine.registry.store import RegistryStore
from alert_engine.registry.table import Registry
from alert_engine.review.access_log import AccessLog
from tests.builders import AMS, facts, make_engine, ring_responders

TODAY = date(2026, 11, 22)
# (incident, mode, local time of the call). Each is closed 20 minutes later.
HISTORY = [
    ("B-2005", "live", datetime(2005, 1, 10, 12, 0, tzinfo=AMS)),  # > 20 years: removed whole
    ("A-2024", "live", datetime(2024, 1, 15, 12, 0, tzinfo=AMS)),  # > 2 years: responder data redacted
    ("D-2024", "live", datetime(2024, 1, 20, 12, 0, tzinfo=AMS)),  # > 2 years, complaint open: held
    ("G-2024", "live", datetime(2024, 11, 20, 23, 30, tzinfo=AMS)),  # closed 11-20 23:50: 731 days: redacted
    ("F-2024", "live", datetime(2024, 11, 21, 23, 50, tzinfo=AMS)),  # closed 00:10 on 11-22 local: kept
    ("X-2025", "test", datetime(2025, 6, 1, 19, 0, tzinfo=AMS)),  # test alarm > 365 days: removed
    ("T-2026", "training", datetime(2026, 8, 1, 10, 0, tzinfo=AMS)),  # training > 90 days: removed
    ("E-2026", "live", datetime(2026, 8, 1, 12, 0, tzinfo=AMS)),  # recent: untouched
]
REMOVED = {"B-2005", "X-2025", "T-2026"}
REDACTED = {"A-2024", "G-2024"}


def build_store(path: Path) -> tuple[dict[str, list[str]], SimClock]:
    store = SqliteEventStore(path)
    bodies, clock = play_history(store)
    store.close()
    return bodies, clock


def play_history(store: EventStore) -> tuple[dict[str, list[str]], SimClock]:
    """HISTORY's incidents, each alerted and closed, D-2024 with a complaint (both stores)."""
    engine, clock, _ = make_engine(ring_responders(40), [], start=HISTORY[0][2], store=store)
    for incident, mode, at in HISTORY:
        clock.set(at)
        engine.call(incident, facts(), mode=mode)
        clock.advance(20)
        engine.dispatch_ambulance(incident, "15-101")
        clock.advance(10)
        engine.trigger_alert(incident)
        clock.advance(1170)
        engine.close(incident)
        if incident == "D-2024":
            clock.advance(86400 * 10)
            engine.register_complaint(incident, "relative", "KL-2024-9", "te laat", clock.now(), "Q. Officer")
    return {inc: [e.to_json() for e in store.read(inc)] for inc, _, _ in HISTORY}, clock


def rows(path: Path) -> dict[int, str]:
    with sqlite3.connect(path) as db:
        return {int(s): str(b) for s, b in db.execute("SELECT seq, body FROM events")}


def retention(path: Path, tmp: Path, *extra: str) -> dict[str, object]:
    out = tmp / "retention.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["retention", "--store", str(path), "--today", TODAY.isoformat(), "--access-log",
                     str(tmp / "access.sqlite"), "--training-dir", str(tmp / "training"), *extra])
    assert code == 0
    out.write_text(buffer.getvalue())
    return json.loads(buffer.getvalue())  # type: ignore[no-any-return]


def test_exactly_the_expired_part_is_removed_and_the_store_still_verifies(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    bodies, _ = build_store(path)
    reader = SqliteEventStore(path, readonly=True)
    head_before = reader.head()
    reader.close()
    untouched = rows(path)

    dry = retention(path, tmp_path, "--dry-run")
    assert rows(path) == untouched  # a dry run changes nothing
    assert set(dry["events"]["incidents_removed"]) == REMOVED  # type: ignore[index]
    assert set(dry["events"]["incidents_redacted"]) == REDACTED  # type: ignore[index]
    assert dry["events"]["held"] == {"D-2024": "complaint D-2024-K1 not answered"}  # type: ignore[index]

    done = retention(path, tmp_path, "--apply")
    assert done["events"] == dry["events"]
    after = rows(path)
    gone = set(untouched) - set(after)
    assert gone == {int(json.loads(b)["seq"]) for inc in REMOVED for b in bodies[inc]}
    changed = {s for s in after if after[s] != untouched[s]}
    redacted_incidents = {json.loads(after[s])["incident"] for s in changed}
    assert redacted_incidents == REDACTED
    for inc in ("D-2024", "F-2024", "E-2026"):  # held, one minute inside its period, recent
        assert [b for b in after.values() if json.loads(b)["incident"] == inc] == bodies[inc]
    alert = next(json.loads(b) for b in after.values() if '"A-2024"' in b and '"alert_sent"' in b)
    assert {r["id"][:2] for r in alert["responders"]} == {"R-"} and alert["responders"][0]["lat"] is None
    assert all(f'"R{i}"' not in after[s] for s in changed for i in range(1, 41))

    store = SqliteEventStore(path, readonly=True)
    report = store.verify(expected_heads=[head_before])
    assert report.ok, report.problems
    assert store.head() == head_before  # nothing re-hashed: heads recorded before stay valid
    assert any("retention: " in r for r in report.remarks)
    store.close()
    assert main(["verify", "--store", str(path)]) == 0
    # A restarted console folds what is left, and new events continue the chain.
    store = SqliteEventStore(path)
    engine = Engine(Registry.from_records(ring_responders(40), []), store, SimClock(datetime(2026, 11, 22, 9, tzinfo=AMS)))
    assert set(engine.states) == {"A-2024", "D-2024", "G-2024", "F-2024", "E-2026"}
    engine.call("N-2026", facts())
    assert store.verify().ok
    store.close()
    again = retention(path, tmp_path, "--apply")  # nothing more has expired
    assert again["events"]["events_removed"] == 0 and again["events"]["events_redacted"] == 0  # type: ignore[index]
    with AccessLog(tmp_path / "access.sqlite") as log:
        [entry] = [e for e in log.entries() if e.action == "retention"]
    assert set(entry.details["removed"]) == REMOVED


@pytest.mark.parametrize("tamper", [
    "UPDATE events SET body = body || ' ' WHERE seq = (SELECT MAX(seq) FROM events_redacted)",  # a redacted row
    # an edit of an untouched row, hidden behind a made-up redaction
    "INSERT INTO events_redacted VALUES ((SELECT MIN(seq) FROM events WHERE incident='E-2026'), 'ab', 1)",
    "UPDATE retention_runs SET removed = removed - 1",  # the run's record
    "DELETE FROM events_removed WHERE seq = (SELECT MIN(seq) FROM events_removed)",  # a gap in the chain
])
def test_an_edit_after_retention_is_still_detected(tmp_path: Path, tamper: str) -> None:
    path = tmp_path / "events.sqlite"
    build_store(path)
    retention(path, tmp_path, "--apply")
    with sqlite3.connect(path) as db:
        db.execute(tamper)
    store = SqliteEventStore(path, readonly=True)
    assert not store.verify().ok
    store.close()


def test_a_bad_policy_names_the_period(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "events.sqlite"
    build_store(path)
    policy = tmp_path / "policy.json"
    for bad, field in (({"access_log_days": 30}, "access_log_days"), ({"live_incident_dayz": 3}, "live_incident_dayz"),
                       ({"training_days": 0}, "training_days")):
        policy.write_text(json.dumps(bad))
        assert main(["retention", "--store", str(path), "--dry-run", "--policy", str(policy)]) == 2
        assert f"{field}:" in capsys.readouterr().err


def test_the_subject_export_holds_everything_about_one_responder(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    store = SqliteEventStore(path)
    responders = ring_responders(40)
    engine, _, _ = make_engine(responders, [], store=store)
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    [sent] = engine.trigger_alert("I1")[-1:]
    someone = sent["responders"][0]["id"]
    engine.respond("I1", someone, "accept")
    engine.close("I1")
    store.close()
    registry = tmp_path / "registry.sqlite"
    with RegistryStore(registry) as reg:
        reg.replace_all(responders, [])
    import threading

    from alert_engine.centre.self_service import SelfService

    service = SelfService(path, Registry.from_records(responders, []), threading.RLock())
    service.add_away(someone, date(2026, 12, 24), date(2027, 1, 2))
    service.add_away("R999-other", date(2026, 12, 24), date(2027, 1, 2))
    service.close()
    log = tmp_path / "access.sqlite"
    with AccessLog(log) as access:
        access.append("K. Kwaliteit", "open", "I1", "kwaliteitsreview")
        access.append("K. Kwaliteit", "open", "I9", "iets anders")
    out = tmp_path / "inzage.json"
    assert main(["subject-export", "--responder", someone, "--store", str(path), "--registry", str(registry),
                 "--access-log", str(log), "--out", str(out)]) == 0
    export = json.loads(out.read_text())
    mine = next(r for r in responders if r.id == someone)
    assert export["registry"]["responder"]["pseudonym"] == mine.pseudonym
    assert [(p["lat"], p["lon"]) for p in export["registry"]["positions"]] == [
        (a.lat, a.lon) for a in mine.addresses]
    assert export["incidents"] == ["I1"]
    # the alert, their accept, and the cancellation of the others that closing sends them too
    assert [e["type"] for e in export["events"]] == ["alert_sent", "responder_accepted", "cancellation_sent"]
    assert [a["reason"] for a in export["access_log"]] == ["kwaliteitsreview"]
    assert [(a["from_day"], a["until_day"]) for a in export["self_service"]["away"]] == [("2026-12-24", "2027-01-02")]
    assert [c["field"] for c in export["self_service"]["changes"]] == ["unavailability"]
    with AccessLog(log) as access:
        last = access.entries()[-1]
    assert last.action == "subject_export" and last.details["subject"] == mine.pseudonym
    assert someone not in json.dumps(dict(last.details))  # the log names the pseudonym only
    assert main(["subject-export", "--responder", "R999", "--store", str(path), "--registry", str(registry),
                 "--access-log", str(log), "--out", str(tmp_path / "x.json")]) == 2


def add_expiring_side_rows(store: Path | str, responders: list[Responder], incident: str) -> tuple[str, str]:
    """One row just past its period and one just inside it in each side store (SQLite files
    beside `store`, or the PostgreSQL tables at that URL), TODAY being 22 November 2026:
    aftercare answers and consents, dead letters, away periods, AED managers' links. The
    links' codes (expired, valid)."""
    import threading

    from alert_engine.aftercare.questionnaire import answer_data
    from alert_engine.centre.aftercare_store import AftercareStore
    from alert_engine.centre.dead_letter_store import DeadLetterStore
    from alert_engine.centre.self_service import SelfService
    from alert_engine.intake.deadletter import DeadLetter

    answer = answer_data({"arrived": True, "wellbeing": "hard", "wants_contact": True, "contact_others": True})
    # Answered a year and a day before TODAY (gone) and exactly a year before, in the morning (kept).
    for pseudonym, at in (("BHV-0001", datetime(2025, 11, 21, 23, 30, tzinfo=AMS)),
                          ("BHV-0002", datetime(2025, 11, 22, 8, 0, tzinfo=AMS))):
        care = AftercareStore(store, clock=lambda at=at: at)
        care.answer(incident, pseudonym, "Zoetermeer", answer)
        care.consent(incident, pseudonym)
        care.close()
    letters = DeadLetterStore(store)
    for at in (datetime(2026, 10, 22, 23, 0, tzinfo=AMS), datetime(2026, 10, 23, 1, 0, tzinfo=AMS)):  # 31 / 30 days
        letters.add(DeadLetter(received=at, error="missing", field="location.lon", text="{}", source="gms"))
    letters.close()
    service = SelfService(store, Registry.from_records(responders, []), threading.RLock())
    service.add_away("R1", date(2026, 10, 1), date(2026, 10, 22))  # ended 31 days ago: gone
    service.add_away("R2", date(2026, 10, 1), date(2026, 10, 23))  # ended 30 days ago: kept
    service.close()
    links = SelfService(store, Registry.from_records(responders, []), threading.RLock(),
                        clock=lambda: datetime(2026, 11, 1, 12, tzinfo=UTC))
    old_link, _ = links.issue_manager_link("A1", timedelta(hours=1))  # ended three weeks ago: gone
    new_link, _ = links.issue_manager_link("A2", timedelta(days=60))  # still valid: kept
    links.close()
    return old_link, new_link


def test_side_stores_gps_fixes_and_training_runs_expire_on_their_own_periods(tmp_path: Path) -> None:
    from alert_engine.centre.aftercare_store import AftercareStore

    path = tmp_path / "events.sqlite"
    store = SqliteEventStore(path)
    responders = ring_responders(20)
    engine, _, _ = make_engine(responders, [], start=datetime(2025, 11, 1, 12, tzinfo=AMS), store=store)
    engine.call("I1", facts())
    engine.close("I1")
    store.close()
    old_link, new_link = add_expiring_side_rows(path, responders, "I1")
    registry = tmp_path / "registry.sqlite"
    with RegistryStore(registry) as reg:
        reg.replace_all(responders, [])
    with sqlite3.connect(registry) as db:
        db.executemany("INSERT INTO responder_positions (responder_id, kind, lat, lon, gps_time) VALUES (?,?,?,?,?)",
                       [("R1", "gps", 52.06, 4.49, "2026-11-21T20:00:00+01:00"),  # yesterday evening: gone
                        ("R2", "gps", 52.06, 4.49, "2026-11-22T10:00:00+01:00")])  # today: kept
    training = tmp_path / "training"
    for name, at in (("run-old.sqlite", datetime(2026, 8, 23, 10, tzinfo=AMS)),  # 91 days: gone
                     ("run-new.sqlite", datetime(2026, 8, 24, 10, tzinfo=AMS))):  # 90 days: kept
        run = SqliteEventStore(training / name)
        trainer, _, _ = make_engine(responders, [], start=at, store=run)
        trainer.call("T1", facts(), mode="training")
        run.close()

    import threading

    from alert_engine.centre.dead_letter_store import DeadLetterStore
    from alert_engine.centre.self_service import SelfService

    done = retention(path, tmp_path, "--apply", "--registry", str(registry))
    assert done["aftercare"] == {"aftercare_answers": 1, "aftercare_contact": 1}
    assert done["intake_dead_letters"] == 1 and done["ss_away"] == 1
    kept = DeadLetterStore(path)
    assert [d.received.astimezone(AMS).day for d in kept.letters().entries] == [23]
    kept.close()
    with sqlite3.connect(tmp_path / "events-self-service.sqlite") as db:
        assert [r for (r,) in db.execute("SELECT responder FROM ss_away")] == ["R2"]
        assert [a for (a,) in db.execute("SELECT aed FROM ss_manager_links")] == ["A2"]
    assert done["ss_manager_links"] == 1
    kept_links = SelfService(path, Registry.from_records(responders, []), threading.RLock())
    assert kept_links.manager_of(new_link) == "A2" and kept_links.manager_of(old_link) is None
    kept_links.close()
    assert done["positions"] == 1 and done["training_stores"] == ["run-old.sqlite"]
    care = AftercareStore(path)
    assert [a["pseudonym"] for a in care.answers("I1")] == ["BHV-0002"] and care.consented("I1") == ["BHV-0002"]
    care.close()
    with sqlite3.connect(registry) as db:
        assert [r for (r,) in db.execute("SELECT responder_id FROM responder_positions WHERE kind='gps'")] == ["R2"]
    assert not list(training.glob("run-old*")) and (training / "run-new.sqlite").is_file()
    with AccessLog(tmp_path / "access.sqlite") as log:
        [entry] = [e for e in log.entries() if e.action == "retention"]
    assert entry.details["side_stores"] == {"aftercare": {"aftercare_answers": 1, "aftercare_contact": 1},
                                            "positions": 1, "training_stores": ["run-old.sqlite"],
                                            "intake_dead_letters": 1, "ss_away": 1}


def test_an_answered_complaint_holds_its_incident_five_years_after_the_answer() -> None:
    from alert_engine.retention.plan import plan_store
    from alert_engine.retention.policy import RetentionPolicy

    engine, clock, _ = make_engine(ring_responders(20), [], start=datetime(2001, 3, 1, 12, tzinfo=AMS))
    engine.call("I1", facts())
    engine.close("I1")
    clock.set(datetime(2021, 6, 1, 12, tzinfo=AMS))
    engine.register_complaint("I1", "patient", "KL-1", "s", clock.now(), "Q")
    engine.change_complaint_status("I1", "I1-K1", "investigating", "", "Q")
    engine.change_complaint_status("I1", "I1-K1", "answered", "brief", "Q")
    events = engine.store.read()
    policy = RetentionPolicy()
    held = plan_store(events, policy, date(2026, 6, 1), ())  # answered 2021-06-01 + 1826 days = 2026-06-01
    assert held.remove == [] and held.held == {"I1": "complaint I1-K1 answered; kept until 2026-06-01"}
    gone = plan_store(events, policy, date(2026, 6, 2), ())
    assert gone.remove == [e.seq for e in events] and gone.held == {}


def test_after_its_hold_a_complaints_reference_and_summary_go_with_the_responder_data() -> None:
    from alert_engine.retention.plan import plan_store
    from alert_engine.retention.policy import RetentionPolicy

    engine, clock, _ = make_engine(ring_responders(20), [], start=datetime(2020, 3, 1, 12, tzinfo=AMS))
    engine.call("I1", facts())
    engine.close("I1")
    clock.set(datetime(2020, 4, 1, 12, tzinfo=AMS))
    engine.register_complaint("I1", "patient", "KL-1", "mijn vader lag 12 minuten", clock.now(), "Q")
    engine.change_complaint_status("I1", "I1-K1", "investigating", "", "Q")
    engine.change_complaint_status("I1", "I1-K1", "answered", "brief", "Q")
    plan = plan_store(engine.store.read(), RetentionPolicy(), date(2025, 4, 2), ())
    [registered] = [json.loads(b) for b in plan.redact.values() if '"complaint_registered"' in b]
    assert (registered["contact"], registered["summary"], registered["received"]) == ("", "", "2020-04-01")
