"""Complaints (issue 15): registered against an incident, moved received -> investigating ->
answered, a report linked; every step an event the fold and the store's hash chain carry,
and an access-log entry with the reason "klacht <id>"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from alert_engine.cli import main
from alert_engine.errors import IllegalTransition, InvalidInput
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.review.access_log import AccessLog
from alert_engine.state import fold
from tests.builders import alerted, make_engine, ring_responders


def test_a_complaint_moves_received_investigating_answered_and_folds_from_the_log(tmp_path: Path) -> None:
    store = SqliteEventStore(tmp_path / "events.sqlite")
    engine, clock, _ = make_engine(ring_responders(30), [], store=store)
    alerted(engine, "I1", clock)
    engine.close("I1")
    clock.advance(86400 * 3)
    [reg] = engine.register_complaint("I1", "relative", "KL-2026-113", "Niemand kwam binnen 6 minuten",
                                      date(2026, 11, 24), "Q. Officer")
    cid = reg["complaint"]
    assert cid == "I1-K1"
    with pytest.raises(IllegalTransition, match="cannot mark complaint I1-K1 answered: it is received"):
        engine.change_complaint_status("I1", cid, "answered", "te vroeg", "Q. Officer")
    clock.advance(3600)
    engine.change_complaint_status("I1", cid, "investigating", "", "Q. Officer")
    with pytest.raises(InvalidInput, match="note: an answered complaint needs a note"):
        engine.change_complaint_status("I1", cid, "answered", " ", "Q. Officer")
    clock.advance(86400)
    engine.change_complaint_status("I1", cid, "answered", "Brief verstuurd", "Q. Officer")
    engine.link_complaint_report("I1", cid, "rapport-I1.html", "a" * 64, "html", "Q. Officer")
    with pytest.raises(IllegalTransition, match="next is nothing"):
        engine.change_complaint_status("I1", cid, "investigating", "", "Q. Officer")

    [c] = engine.complaints()
    assert [s.status for s in c.steps] == ["received", "investigating", "answered"]
    assert c.status == "answered" and c.received == date(2026, 11, 24) and c.reports[0].report == "rapport-I1.html"
    store.close()
    again = SqliteEventStore(tmp_path / "events.sqlite", readonly=True)
    assert again.verify().ok
    refolded = fold(again.read("I1"), "I1").complaints[cid]
    assert refolded.to_dict() == c.to_dict()


@pytest.mark.parametrize(("change", "field"), [
    ({"complainant": "neighbour"}, "complainant"),
    ({"contact": ""}, "contact"),
    ({"contact": "regel 1\nregel 2"}, "contact"),
    ({"summary": "  "}, "summary"),
    ({"received": date(2027, 1, 1)}, "received"),
    ({"received": date(2026, 11, 1)}, "received"),
    ({"received": "24-11-2026"}, "received"),
])
def test_a_bad_complaint_names_the_field_and_writes_nothing(change: dict[str, object], field: str) -> None:
    engine, clock, _ = make_engine(ring_responders(10), [])
    alerted(engine, "I1", clock)
    before = engine.store.next_seq()
    args: dict[str, object] = {"complainant": "patient", "contact": "KL-1", "summary": "klacht",
                               "received": date(2026, 11, 22), **change}
    with pytest.raises(InvalidInput, match=f"^{field}:"):
        engine.register_complaint("I1", by="X", **args)  # type: ignore[arg-type]
    assert engine.store.next_seq() == before and engine.complaints() == []


def test_the_cli_registers_moves_and_links_the_report_with_klacht_in_the_access_log(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = SqliteEventStore(tmp_path / "events.sqlite")
    engine, clock, _ = make_engine(ring_responders(20), [], store=store)
    alerted(engine, "I1", clock)
    engine.close("I1")
    store.close()
    log = tmp_path / "access.sqlite"
    common = ["--store", str(tmp_path / "events.sqlite"), "--access-log", str(log), "--by", "K. Behandelaar"]
    assert main(["complaints", "register", *common, "--incident", "I1", "--complainant", "responder",
                 "--contact", "KL-7", "--summary", "Ik kreeg geen annulering", "--received", "2026-11-23"]) == 0
    assert capsys.readouterr().out.strip() == "I1-K1"
    assert main(["complaints", "status", *common, "I1-K1", "answered", "--note", "x"]) == 1  # not investigated yet
    assert main(["complaints", "status", *common, "I1-K1", "investigating"]) == 0
    out = tmp_path / "rapport.html"
    assert main(["complaints", "report", *common, "I1-K1", "--out", str(out)]) == 0
    assert "I1" in out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["complaints", "list", *common, "--json"]) == 0
    assert '"status": "investigating"' in capsys.readouterr().out

    with AccessLog(log) as access:
        entries = access.entries()
        assert access.verify().ok
    assert [(e.action, e.incident, e.reason) for e in entries] == [
        ("complaint", "I1", "klacht I1-K1"),  # registered
        ("complaint", "I1", "klacht I1-K1"),  # investigating
        ("export", "I1", "klacht I1-K1"),  # the report
        ("complaint", "I1", "klacht I1-K1"),  # the report linked
        ("complaint", "*", "klacht (lijst)"),
    ]
    assert all(e.who == "K. Behandelaar" for e in entries)
    assert "Ik kreeg" not in "".join(str(e.details) for e in entries)  # the complaint's text stays out of the log
    reopened = SqliteEventStore(tmp_path / "events.sqlite", readonly=True)
    assert reopened.verify().ok
    linked = [e for e in reopened.read("I1") if e.type == "complaint_report_linked"]
    import hashlib
    assert linked[0]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
