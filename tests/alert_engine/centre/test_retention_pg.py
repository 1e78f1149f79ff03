"""Retention and the data-subject export on the centre's PostgreSQL (issue 15 point 5), on a
real cluster: exactly the expired events and side-table rows go on a simulated day, a dry
run changes nothing, the log still verifies (against a head recorded before) and a later
edit is still found, the append-only trigger refuses everything but the run, and the run is
refused while a real serve node holds the lease."""

from __future__ import annotations

import contextlib
import io
import json
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from alert_engine.aftercare.questionnaire import answer_data
from alert_engine.centre import pg_retention
from alert_engine.centre.aftercare_store import AftercareStore
from alert_engine.centre.lease import Lease
from alert_engine.centre.pg_registry import ensure_registry_schema, save_registry, write_positions
from alert_engine.centre.pg_store import PostgresEventStore
from alert_engine.centre.responder_accounts import ResponderAccounts
from alert_engine.centre.self_service import SelfService
from alert_engine.cli import main
from alert_engine.registry.live_positions import PositionFix
from alert_engine.registry.table import Registry
from alert_engine.review.access_log import AccessLog
from tests.alert_engine.retention.test_retention import (
    REDACTED,
    REMOVED,
    TODAY,
    add_expiring_side_rows,
    play_history,
)
from tests.builders import AMS, facts, make_engine, ring_responders

from .serving import Serve

pytestmark = pytest.mark.centre
RESPONDERS = ring_responders(40)


def _writing(url: str) -> tuple[PostgresEventStore, Lease]:
    """A store that writes as the lease's holder (as a node does), for building a history."""
    lease = Lease(url, "builder", ttl_s=600)
    store = PostgresEventStore(url)
    store.epoch = lease.try_acquire()
    assert store.epoch is not None
    return store, lease


def build_history(url: str) -> dict[str, list[str]]:
    store, lease = _writing(url)
    bodies, _ = play_history(store)
    lease.release()
    lease.close()
    store.close()
    return bodies


def build_side_tables(url: str) -> None:
    """One expired and one kept row in every side table (TODAY is 22 November 2026)."""
    with psycopg.connect(url, autocommit=True) as db:
        ensure_registry_schema(db)
        save_registry(db, Registry.from_records(RESPONDERS, []))
        write_positions(db, [PositionFix("R1", 52.06, 4.49, datetime(2026, 11, 21, 20, tzinfo=AMS)),  # gone
                             PositionFix("R2", 52.06, 4.49, datetime(2026, 11, 22, 10, tzinfo=AMS))])  # kept
    add_expiring_side_rows(url, RESPONDERS, "E-2026")
    t0 = datetime(2026, 11, 1, 12, tzinfo=UTC)
    accounts = ResponderAccounts(url, lambda: t0)
    accounts.issue_code("R1", timedelta(hours=1))  # expired long before the day of the run: gone
    accounts.issue_code("R2", timedelta(days=60))  # still valid: kept
    accounts.close()


def snapshot(url: str) -> dict[str, Any]:
    with psycopg.connect(url, autocommit=True) as db:
        def all_of(sql: str) -> list[tuple[Any, ...]]:
            return sorted(db.execute(sql).fetchall())  # type: ignore[arg-type]
        return {
            "events": dict(all_of("SELECT seq, body FROM events")),  # type: ignore[arg-type]
            "answers": all_of("SELECT pseudonym FROM aftercare_answers"),
            "contact": all_of("SELECT pseudonym FROM aftercare_contact"),
            "letters": all_of("SELECT received FROM intake_dead_letters"),
            "away": all_of("SELECT responder FROM ss_away"),
            "codes": all_of("SELECT responder FROM app_signin_codes"),
            "links": all_of("SELECT aed FROM ss_manager_links"),
            "positions": all_of("SELECT responder_id FROM responder_positions"),
            "lease": all_of("SELECT holder, epoch FROM leader_lease"),
        }


def retention(url: str, tmp: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["retention", "--store", url, "--today", TODAY.isoformat(), "--access-log",
                     str(tmp / "access.sqlite"), "--training-dir", str(tmp / "training"), *extra])
    return code, (json.loads(out.getvalue()) if code == 0 else {}), err.getvalue()


def test_exactly_the_expired_part_goes_in_one_recorded_run(pg_url: str, tmp_path: Path) -> None:
    bodies = build_history(pg_url)
    build_side_tables(pg_url)
    reader = PostgresEventStore(pg_url)
    head_before = reader.head()
    reader.close()
    untouched = snapshot(pg_url)

    code, dry, _ = retention(pg_url, tmp_path, "--dry-run")
    assert code == 0 and snapshot(pg_url) == untouched  # a dry run changes nothing, not even the lease
    assert set(dry["events"]["incidents_removed"]) == REMOVED
    assert set(dry["events"]["incidents_redacted"]) == REDACTED
    assert dry["events"]["held"] == {"D-2024": "complaint D-2024-K1 not answered"}
    assert dry["aftercare"] == {"aftercare_answers": 1, "aftercare_contact": 1}
    assert (dry["intake_dead_letters"], dry["ss_away"], dry["ss_manager_links"], dry["positions"]) == (1, 1, 1, 1)

    code, done, _ = retention(pg_url, tmp_path, "--apply")
    assert code == 0 and done["events"] == dry["events"] and done["run"]["id"] == 1
    after = snapshot(pg_url)
    gone = set(untouched["events"]) - set(after["events"])
    assert gone == {json.loads(b)["seq"] for inc in REMOVED for b in bodies[inc]}
    changed = {s for s in after["events"] if after["events"][s] != untouched["events"][s]}
    assert {json.loads(after["events"][s])["incident"] for s in changed} == REDACTED
    assert all(f'"R{i}"' not in after["events"][s] for s in changed for i in range(1, 41))
    for inc in ("D-2024", "F-2024", "E-2026"):  # held, one minute inside its period, recent
        assert [b for b in after["events"].values() if json.loads(b)["incident"] == inc] == bodies[inc]
    assert after["answers"] == after["contact"] == [("BHV-0002",)]
    assert [datetime.fromisoformat(t).astimezone(AMS).day for (t,) in after["letters"]] == [23]  # 30 days: kept
    assert after["away"] == after["codes"] == after["positions"] == [("R2",)]
    assert after["links"] == [("A2",)]
    holder, epoch = after["lease"][0]
    assert (holder, epoch) == ("retention", untouched["lease"][0][1] + 1)  # a node from before is fenced

    store = PostgresEventStore(pg_url)
    report = store.verify(expected_heads=[head_before])
    assert report.ok, report.problems
    assert store.head() == head_before  # nothing re-hashed: heads recorded before stay valid
    assert any("retention: " in r for r in report.remarks)
    store.close()
    with AccessLog(tmp_path / "access.sqlite") as log:
        [entry] = log.entries()
    assert entry.action == "retention" and set(entry.details["removed"]) == REMOVED
    assert "R1" not in json.dumps(dict(entry.details))

    # The same day again: nothing expires twice, no second run is recorded.
    code, again, _ = retention(pg_url, tmp_path, "--apply")
    assert code == 0 and again["events"]["events_removed"] == again["events"]["events_redacted"] == 0
    assert "run" not in again and snapshot(pg_url)["events"] == after["events"]

    # A node starting now folds what is left, and its events continue both chains.
    writer, lease = _writing(pg_url)
    engine, _, _ = make_engine(RESPONDERS, [], start=datetime(2026, 11, 22, 9, tzinfo=AMS), store=writer)
    assert set(engine.states) == {"A-2024", "D-2024", "G-2024", "F-2024", "E-2026"}
    engine.call("N-2026", facts())
    assert writer.verify(expected_heads=[head_before]).ok
    lease.release()
    lease.close()
    writer.close()


def test_the_log_stays_append_only_and_an_edit_after_retention_is_found(pg_url: str, tmp_path: Path) -> None:
    build_history(pg_url)
    assert retention(pg_url, tmp_path, "--apply")[0] == 0
    with psycopg.connect(pg_url) as db:
        redacted = int(db.execute("SELECT MAX(seq) FROM events_redacted").fetchone()[0])  # type: ignore[index]
        kept = int(db.execute("SELECT MIN(seq) FROM events WHERE seq NOT IN "
                              "(SELECT seq FROM events_redacted)").fetchone()[0])  # type: ignore[index]
        db.rollback()
        # Outside a retention run nobody edits, deletes or truncates, not even claiming to be one.
        for sql in (f"UPDATE events SET body = body WHERE seq = {kept}", f"DELETE FROM events WHERE seq = {kept}",
                    "TRUNCATE events", "DELETE FROM events_removed", "UPDATE retention_runs SET removed = 0"):
            with pytest.raises(psycopg.DatabaseError, match="append-only"):
                db.execute("SELECT set_config('zesminuten.retention_run', '1', true)")
                db.execute(sql)  # type: ignore[arg-type]
            db.rollback()

        # With the triggers out of the way (a superuser), each edit is still reported.
        tampers = {
            f"UPDATE events SET body = body || ' ' WHERE seq = {redacted}": "was altered after it was written",
            f"UPDATE events_redacted SET body_hash = repeat('0', 64) WHERE seq = {redacted}":
                "not what it recorded",
            "DELETE FROM events_removed WHERE seq = (SELECT MIN(seq) FROM events_removed)": "",
            "UPDATE retention_runs SET removed = removed - 1": "changed or inserted afterwards",
            f"DELETE FROM events WHERE seq = {kept}": f"expected {kept}",
        }
        for sql, found in tampers.items():
            db.execute("SET LOCAL session_replication_role = replica")
            db.execute(sql)  # type: ignore[arg-type]
            report = pg_retention.verify(db, None)
            assert not report.ok and found in " ".join(report.problems), (sql, report.problems)
            db.rollback()
        assert pg_retention.verify(db, None).ok  # the rollbacks left it as it was


def test_refused_while_a_serve_node_holds_the_lease(pg_url: str, tmp_path: Path) -> None:
    build_history(pg_url)
    node = Serve(tmp_path, pg_url, name="node-a").start(wait_for="active")
    try:
        before = snapshot(pg_url)
        code, _, err = retention(pg_url, tmp_path, "--apply")
        assert code == 1 and "'node-a' holds the centre's leader lease" in err and "maintenance window" in err
        assert snapshot(pg_url)["events"] == before["events"]
        assert node.wait_health("active")["role"] == "active"  # the node was not disturbed
        assert retention(pg_url, tmp_path, "--dry-run")[0] == 0  # a dry run may look while it runs
        assert node.terminate() == 0  # a clean stop releases the lease at once
        code, done, _ = retention(pg_url, tmp_path, "--apply")
        assert code == 0 and set(done["events"]["incidents_removed"]) == REMOVED
        # After the window a node starts on what is left: it serves and writes on the raised epoch.
        node.start(wait_for="active")
        incidents = {i["incident"] for i in node.get("/v1/incidents").json()}
        assert incidents == {"A-2024", "D-2024", "G-2024", "F-2024", "E-2026"}
        made = node.post("/v1/calls", {"lat": 52.06, "lon": 4.49, "address": "Dorpsstraat 1"})
        assert made.status_code == 201, made.text
        seqs = [e["seq"] for e in node.get("/v1/events", after=0).json()]
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs))
    finally:
        node.kill()
    store = PostgresEventStore(pg_url)
    assert store.verify().ok
    store.close()


def test_the_subject_export_on_postgres_holds_everything_about_one_responder(pg_url: str, tmp_path: Path) -> None:
    store, lease = _writing(pg_url)
    engine, _, _ = make_engine(RESPONDERS, [], start=datetime(2026, 11, 20, 12, tzinfo=AMS), store=store)
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    [sent] = engine.trigger_alert("I1")[-1:]
    someone = sent["responders"][0]["id"]
    engine.respond("I1", someone, "accept")
    engine.close("I1")
    lease.release()
    lease.close()
    store.close()
    mine = next(r for r in RESPONDERS if r.id == someone)
    with psycopg.connect(pg_url, autocommit=True) as db:
        ensure_registry_schema(db)
        save_registry(db, Registry.from_records(RESPONDERS, []))
        write_positions(db, [PositionFix(someone, 52.07, 4.5, datetime(2026, 11, 22, 10, tzinfo=AMS)),
                             PositionFix("R39" if someone != "R39" else "R38", 52.0, 4.4,
                                         datetime(2026, 11, 22, 10, tzinfo=AMS))])
    accounts = ResponderAccounts(pg_url)
    code, _ = accounts.issue_code(someone, timedelta(hours=1))
    accounts.close()
    care = AftercareStore(pg_url)
    care.answer("I1", mine.pseudonym, "Zoetermeer", answer_data({"wellbeing": "good"}))
    care.answer("I1", "BHV-other", "Zoetermeer", answer_data({"wellbeing": "hard"}))
    care.close()
    service = SelfService(pg_url, Registry.from_records(RESPONDERS, []), threading.RLock())
    service.add_away(someone, date(2026, 12, 24), date(2027, 1, 2))
    service.add_away("R999-other", date(2026, 12, 24), date(2027, 1, 2))
    service.close()
    log = tmp_path / "access.sqlite"
    with AccessLog(log) as access:
        access.append("K. Kwaliteit", "open", "I1", "kwaliteitsreview")
        access.append("K. Kwaliteit", "open", "I9", "iets anders")
    out = tmp_path / "inzage.json"
    assert main(["subject-export", "--responder", someone, "--store", pg_url, "--access-log", str(log),
                 "--out", str(out)]) == 0
    export = json.loads(out.read_text())
    assert export["registry"]["responder"]["pseudonym"] == mine.pseudonym
    assert [(p["kind"], p["lat"], p["lon"]) for p in export["registry"]["positions"]] == [
        *((a.label, a.lat, a.lon) for a in mine.addresses), ("gps", 52.07, 4.5)]
    assert export["incidents"] == ["I1"]
    assert [e["type"] for e in export["events"]] == ["alert_sent", "responder_accepted", "cancellation_sent"]
    assert len(export["app_account"]["sign_in_links"]) == 1 and code not in out.read_text()
    assert [a["pseudonym"] for a in export["aftercare"]["aftercare_answers"]] == [mine.pseudonym]
    assert [(a["from_day"], a["until_day"]) for a in export["self_service"]["away"]] == [("2026-12-24", "2027-01-02")]
    assert [a["reason"] for a in export["access_log"]] == ["kwaliteitsreview"]
    with AccessLog(log) as access:
        last = access.entries()[-1]
    assert last.action == "subject_export" and last.details["subject"] == mine.pseudonym
    assert someone not in json.dumps(dict(last.details)) and "@" not in last.source  # no id, no credentials
    assert main(["subject-export", "--responder", "R999", "--store", pg_url, "--access-log", str(log),
                 "--out", str(tmp_path / "x.json")]) == 2
