"""Tamper evidence without holes (issue 8): one test per attack that used to pass unnoticed,
plus the redacted export that leaves the centre.

Every attack here was reported "intact" (or exit 0) before the fix; each test names the
attack it replays.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
from pathlib import Path

import pytest

from alert_engine.errors import InvalidInput
from alert_engine.eventlog.jsonl import export_jsonl, read_jsonl
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.events import Event
from alert_engine.review import commands
from alert_engine.review.access_log import AccessLog
from alert_engine.review.source import open_jsonl, open_store_incident
from alert_engine.scenario.loader import load_scenario
from alert_engine.scenario.runner import run_scenario
from tests.paths import REPO

ROOT = REPO
CITY = ROOT / "scenarios/01_city_zoetermeer_evening.json"
TWO = ROOT / "scenarios/10_two_concurrent_incidents.json"


@pytest.fixture(autouse=True)
def no_chain_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unkeyed unless a test configures a key: a developer's own key must not leak in."""
    monkeypatch.delenv("ZESMINUTEN_CHAIN_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def two_incidents() -> list[Event]:
    return run_scenario(load_scenario(TWO)).events


@pytest.fixture(scope="module")
def city_events() -> list[Event]:
    return run_scenario(load_scenario(CITY)).events


def make_store(path: Path, events: list[Event]) -> Path:
    store = SqliteEventStore(path)
    store.append(events)
    store.close()
    return path


def sql(path: Path, *statements: str) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        db.execute(statement)
    db.close()


def cli(argv: list[str]) -> int:
    """As `zesminuten-engine` runs a command: bad input is exit 2, never a traceback."""
    parser = argparse.ArgumentParser()
    commands.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidInput:
        return commands.EXIT_INVALID


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def export(tmp_path: Path, store: Path, *extra: str, name: str = "out.jsonl") -> Path:
    out = tmp_path / name
    code = cli(["export-events", "--store", str(store), "--out", str(out), "--reason", "klacht 113",
                "--access-log", str(tmp_path / "access.sqlite"), *extra])
    assert code == 0
    return out


# -- the event store ----------------------------------------------------------------------------------
def test_verify_detects_that_the_last_event_was_deleted(tmp_path: Path, two_incidents: list[Event]):
    path = make_store(tmp_path / "events.sqlite", two_incidents)
    sql(path, "DELETE FROM events WHERE seq=(SELECT MAX(seq) FROM events)")
    store = SqliteEventStore(path)
    report = store.verify()
    store.close()
    assert not report.ok


def test_verify_covers_the_type_and_time_columns(tmp_path: Path, two_incidents: list[Event]):
    path = make_store(tmp_path / "events.sqlite", two_incidents)
    sql(path, "UPDATE events SET type='incident_closed' WHERE seq=3")
    store = SqliteEventStore(path)
    assert not store.verify().ok
    store.close()
    path = make_store(tmp_path / "events2.sqlite", two_incidents)
    sql(path, "UPDATE events SET time='2000-01-01T00:00:00+01:00' WHERE seq=3")
    store = SqliteEventStore(path)
    assert not store.verify().ok
    store.close()


def _banner_equals_verify(path: Path, incident: str) -> None:
    store = SqliteEventStore(path)
    verdict = store.verify()
    store.close()
    source = open_store_incident(path, incident)
    assert not verdict.ok
    assert source.integrity.status == "broken"
    headline = source.integrity.headline_nl()
    assert all(problem in headline or problem in source.integrity.summary() for problem in verdict.problems[:3])


def test_the_banner_says_what_verify_says_when_another_incidents_last_event_is_removed(
    tmp_path: Path, two_incidents: list[Event]
):
    path = make_store(tmp_path / "events.sqlite", two_incidents)
    sql(path, "DELETE FROM events WHERE seq=(SELECT MAX(seq) FROM events WHERE incident='I2')")
    _banner_equals_verify(path, "I1")
    _banner_equals_verify(path, "I2")


def test_the_banner_says_what_verify_says_when_a_whole_other_incident_is_removed(
    tmp_path: Path, two_incidents: list[Event]
):
    path = make_store(tmp_path / "events.sqlite", two_incidents)
    sql(path, "DELETE FROM events WHERE incident='I2'")
    _banner_equals_verify(path, "I1")


# -- check-jsonl ------------------------------------------------------------------------------------
def test_check_jsonl_refuses_an_export_whose_chains_were_stripped_and_values_edited(
    tmp_path: Path, two_incidents: list[Event]
):
    out = export(tmp_path, make_store(tmp_path / "events.sqlite", two_incidents), "--full")
    stripped = []
    for line in lines_of(out):
        raw = json.loads(line)
        if "end" in raw:
            continue  # the attacker drops the end record too
        raw.pop("chain", None)
        if raw.get("unit") == "15-101":
            raw["unit"] = "15-999"
        stripped.append(json.dumps(raw, ensure_ascii=False, separators=(",", ":")))
    bad = write_lines(tmp_path / "stripped.jsonl", stripped)
    assert cli(["check-jsonl", str(bad)]) == 3  # not verifiable is not "intact"
    assert cli(["check-jsonl", "--allow-unchained", str(bad)]) == 0  # … unless asked for explicitly
    # Keeping the end record while stripping the chains is broken, with or without the option.
    kept = write_lines(tmp_path / "kept.jsonl", [*stripped, lines_of(out)[-1]])
    assert cli(["check-jsonl", "--allow-unchained", str(kept)]) == 3


def test_check_jsonl_refuses_a_file_cut_at_a_line_boundary(tmp_path: Path, two_incidents: list[Event]):
    out = export(tmp_path, make_store(tmp_path / "events.sqlite", two_incidents), "--full")
    lines = lines_of(out)
    assert cli(["check-jsonl", str(out)]) == 0
    cut = write_lines(tmp_path / "cut.jsonl", lines[:-3])  # whole lines, the end record with them
    assert cli(["check-jsonl", str(cut)]) == 3
    assert "end_missing" in read_jsonl(cut).integrity.kinds
    # Cutting events but keeping the end record does not help either.
    kept_end = write_lines(tmp_path / "kept_end.jsonl", [*lines[:-3], lines[-1]])
    assert cli(["check-jsonl", str(kept_end)]) == 3


def test_check_jsonl_refuses_swapped_lines_of_two_incidents(tmp_path: Path, two_incidents: list[Event]):
    out = export(tmp_path, make_store(tmp_path / "events.sqlite", two_incidents), "--full")
    lines = lines_of(out)
    incidents = [json.loads(line).get("incident") for line in lines]
    i = next(i for i in range(len(lines) - 2) if incidents[i] != incidents[i + 1] and incidents[i + 1])
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    swapped = write_lines(tmp_path / "swapped.jsonl", lines)
    assert cli(["check-jsonl", str(swapped)]) == 3
    assert "reordered" in read_jsonl(swapped).integrity.kinds


def test_check_jsonl_refuses_an_empty_file(tmp_path: Path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert cli(["check-jsonl", str(empty)]) == 3
    assert cli(["check-jsonl", "--allow-unchained", str(empty)]) == 3
    assert read_jsonl(empty).integrity.status == "broken"


def test_check_jsonl_detects_a_complete_rewrite_only_against_the_recorded_head(
    tmp_path: Path, two_incidents: list[Event]
):
    """An unkeyed chain can be recomputed by anyone; the head in the access log cannot."""
    from alert_engine.eventlog.jsonl import export_jsonl as rewrite

    store = make_store(tmp_path / "events.sqlite", two_incidents)
    out = export(tmp_path, store, "--full")
    log = AccessLog(tmp_path / "access.sqlite")
    head = log.entries()[-1].details["export_head"]
    log.close()
    assert cli(["check-jsonl", "--expect-head", head, str(out)]) == 0
    edited = [e if e.get("unit") != "15-101" else Event(e.seq, e.time, e.incident, e.type, {**e.data, "unit": "15-999"})
              for e in read_jsonl(out).events]
    forged = tmp_path / "forged.jsonl"
    rewrite(edited, forged)  # a consistent new chain and end record
    assert cli(["check-jsonl", str(forged)]) == 0  # said plainly in docs/review.md
    assert cli(["check-jsonl", "--expect-head", head, str(forged)]) == 3
    assert cli(["check-jsonl", "--expect-head", "nonsense", str(forged)]) == 2


def test_a_keyed_export_is_signed_and_a_rewrite_without_the_key_is_detected(
    tmp_path: Path, two_incidents: list[Event], monkeypatch: pytest.MonkeyPatch
):
    key = tmp_path / "chain.key"
    key.write_bytes(b"0123456789abcdef0123456789abcdef")
    monkeypatch.setenv("ZESMINUTEN_CHAIN_KEY_FILE", str(key))
    out = export(tmp_path, make_store(tmp_path / "events.sqlite", two_incidents))
    assert json.loads(lines_of(out)[-1])["end"]["signed"] is True
    assert cli(["check-jsonl", str(out)]) == 0
    monkeypatch.delenv("ZESMINUTEN_CHAIN_KEY_FILE")
    forged = tmp_path / "forged.jsonl"
    export_jsonl(read_jsonl(out).events, forged)  # rewritten without the key
    monkeypatch.setenv("ZESMINUTEN_CHAIN_KEY_FILE", str(key))
    assert cli(["check-jsonl", str(forged)]) == 3


# -- the access log ---------------------------------------------------------------------------------
def filled_log(path: Path, n: int = 5) -> Path:
    with AccessLog(path) as log:
        for i in range(n):
            log.append("Bram", "open", f"I{i}", "kwaliteitsreview")
    assert cli(["access-log", "--path", str(path)]) == 0
    return path


def test_the_access_log_detects_a_cut_behind_a_lowered_counter(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    path = filled_log(tmp_path / "access.sqlite")
    sql(
        path,
        "DROP TRIGGER access_log_no_delete",
        "DELETE FROM access_log WHERE id=5",
        "UPDATE sqlite_sequence SET seq=4 WHERE name='access_log'",
        "CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
        "BEGIN SELECT RAISE(ABORT, 'the access log is append-only: entries cannot be removed'); END",
    )
    capsys.readouterr()
    assert cli(["access-log", "--path", str(path)]) == 3
    assert "NOT INTACT" in capsys.readouterr().err


def test_the_access_log_detects_a_dropped_and_silently_recreated_table(tmp_path: Path):
    path = filled_log(tmp_path / "access.sqlite")
    sql(path, "DROP TABLE access_log")
    AccessLog(path).close()  # the next reviewer's console re-creates it empty
    assert cli(["access-log", "--path", str(path)]) == 3


def test_the_access_log_detects_a_deleted_and_recreated_file(tmp_path: Path):
    path = filled_log(tmp_path / "access.sqlite")
    for p in tmp_path.glob("access.sqlite*"):
        if p.suffix != ".anchor":
            p.unlink()
    with AccessLog(path) as log:
        log.append("Bram", "open", "I9", "kwaliteitsreview")
    assert cli(["access-log", "--path", str(path)]) == 3


def test_exports_record_and_access_log_prints_the_heads(
    tmp_path: Path, two_incidents: list[Event], capsys: pytest.CaptureFixture[str]
):
    store = make_store(tmp_path / "events.sqlite", two_incidents)
    out = export(tmp_path, store)
    end = json.loads(lines_of(out)[-1])
    capsys.readouterr()
    assert cli(["access-log", "--path", str(tmp_path / "access.sqlite")]) == 0
    printed = capsys.readouterr().out
    assert end["head"] in printed
    assert end["end"]["store_head"]["hash"] in printed


# -- redaction ----------------------------------------------------------------------------------------
def test_a_redacted_export_holds_no_pseudonym_address_or_responder_position(
    tmp_path: Path, city_events: list[Event]
):
    store = make_store(tmp_path / "events.sqlite", city_events)
    out = export(tmp_path, store)  # redacted is the default
    text = out.read_text(encoding="utf-8")
    alerted = [r for e in city_events if e.type == "alert_sent" for r in e["responders"]]
    call = next(e for e in city_events if e.type == "call_received")
    def number(value: float) -> re.Pattern[str]:
        return re.compile(rf"(?<![\d.]){re.escape(str(value))}(?!\d)")

    for r in alerted:
        assert r["id"] not in text and r["pseudonym"] not in text
        assert not number(r["lat"]).search(text) and not number(r["lon"]).search(text)
    assert call["address"] not in text
    assert not number(call["lat"]).search(text) and "location_description" not in text
    log = read_jsonl(out)
    first_alert = next(e for e in log.events if e.type == "alert_sent")
    assert [r["id"] for r in first_alert["responders"][:3]] == ["R-01", "R-02", "R-03"]
    assert all(r["lat"] is None and r["lon"] is None for r in first_alert["responders"])
    assert next(e for e in log.events if e.type == "call_received")["lat"] == round(call["lat"], 2)
    assert json.loads(text.splitlines()[-1])["end"]["redacted"] is True
    assert log.redacted
    assert cli(["check-jsonl", str(out)]) == 0
    source = open_jsonl(out, notes_path=tmp_path / "notes.sqlite")
    assert source.integrity.status == "ok"
    # --full is the internal, unredacted export
    full = export(tmp_path, store, "--full", name="full.jsonl")
    assert alerted[0]["pseudonym"] in full.read_text(encoding="utf-8")
    assert read_jsonl(full).redacted is False
