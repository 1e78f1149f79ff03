"""Issue 15 point 2: an incident's aftercare, summarised in its review. The seam's
`aftercare_summary` (LocalService over a real aftercare store) gives the counts, the
report shows them, and neither names a responder."""

from __future__ import annotations

import re
from pathlib import Path

from alert_engine.aftercare.questionnaire import Summary, answer_data
from alert_engine.centre.aftercare_store import AftercareStore
from alert_engine.clock import SimClock
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.registry.table import Registry
from alert_engine.review.report import render_report
from alert_engine.service import LocalService
from tests.builders import EVENING, aed_at, facts, ring_responders


def served(aftercare: AftercareStore | None = None) -> LocalService:
    registry = Registry.from_records(ring_responders(30), [aed_at("A1", 100, 100)])
    service = LocalService(registry, MemoryEventStore(), SimClock(EVENING), aftercare=aftercare)
    engine = service.engine
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    engine.trigger_alert("I1")
    coming = sorted(engine.state("I1").responders)[:3]
    for rid in coming:
        engine.respond("I1", rid, "accept")
    engine.arrive("I1", coming[0])
    engine.close("I1")
    return service


def counts(html: str) -> dict[str, int]:
    section = html.split('data-section="aftercare"', 1)[1].split("<h2", 1)[0]
    return {label: int(n) for n, label in re.findall(r"<b>(\d+)</b><span>([^<]+)</span>", section)}


def test_the_review_report_shows_the_incidents_aftercare_in_counts_only(tmp_path: Path) -> None:
    store = AftercareStore(tmp_path / "events.sqlite")
    try:
        service = served(store)
        store.answer("I1", "BHV-0001", "Zoetermeer", answer_data(
            {"arrived": True, "cpr_under_way": True, "aed_used": False, "wellbeing": "hard",
             "wants_contact": True, "contact_others": True}))
        store.answer("I1", "BHV-0002", "Zoetermeer", answer_data(
            {"arrived": False, "wellbeing": "good", "contact_others": True}))
        store.answer("I2", "BHV-0003", "Zoetermeer", answer_data({"arrived": True, "wellbeing": "good"}))  # another
        summary = service.aftercare_summary("I1")
        assert summary is not None
        assert (summary.asked, summary.answered, summary.arrived, summary.cpr_under_way, summary.aed_used,
                summary.wants_contact, summary.distress, summary.follow_up, summary.contact_between) == (
            3, 2, 1, 1, 0, 1, 1, 1, 1)
        assert Summary.from_dict(summary.to_dict()) == summary  # what the remote backend reads back

        html = render_report(service.events("I1"), "I1", aftercare=summary)
        assert "2 van 3 gevraagde hulpverlener(s) antwoordden" in html
        assert counts(html) == {"Beantwoord": 2, "Ter plaatse gekomen": 1, "Reanimatie al bezig": 1,
                                "AED gebruikt": 0, "Wil gebeld worden": 1, "Zit het niet lekker": 1,
                                "Op de nazorglijst": 1, "Contact onderling (paren)": 1}
        assert "BHV-0001" not in html and "BHV-0002" not in html
    finally:
        store.close()


def test_without_an_aftercare_store_there_is_no_summary_and_no_section() -> None:
    service = served()
    assert service.aftercare_summary("I1") is None
    assert 'data-section="aftercare"' not in render_report(service.events("I1"), "I1")


def test_an_incident_nobody_set_out_for_says_so(tmp_path: Path) -> None:
    store = AftercareStore(tmp_path / "events.sqlite")
    try:
        service = served(store)
        service.engine.call("I2", facts())
        service.engine.close("I2")
        summary = service.aftercare_summary("I2")
        assert summary is not None and (summary.asked, summary.answered) == (0, 0)
        html = render_report(service.events("I2"), "I2", aftercare=summary)
        assert "Niemand is een vragenlijst gevraagd" in html and "Wil gebeld worden" not in html
    finally:
        store.close()


def test_the_command_line_report_counts_the_answers_kept_beside_the_store(tmp_path: Path) -> None:
    from alert_engine.cli import main
    from alert_engine.eventlog.store import SqliteEventStore

    path = tmp_path / "events-live.sqlite"
    store = SqliteEventStore(path)
    registry = Registry.from_records(ring_responders(30), [aed_at("A1", 100, 100)])
    service = LocalService(registry, store, SimClock(EVENING))
    engine = service.engine
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    engine.trigger_alert("I1")
    coming = sorted(engine.state("I1").responders)[:2]
    assert len(coming) == 2
    for rid in coming:
        engine.respond("I1", rid, "accept")
    engine.close("I1")
    service.close()
    care = AftercareStore(path)
    care.answer("I1", "BHV-0001", "Zoetermeer", answer_data({"arrived": True, "wellbeing": "hard"}))
    care.close()

    def report(source: Path, out: str) -> str:
        assert main(["report", str(source), "--incident", "I1", "--out", str(tmp_path / out),
                     "--reason", "kwaliteit", "--access-log", str(tmp_path / "access.sqlite")]) == 0
        return (tmp_path / out).read_text(encoding="utf-8")

    html = report(path, "with.html")
    assert "1 van 2 gevraagde hulpverlener(s) antwoordden" in html
    assert counts(html)["Zit het niet lekker"] == 1 and "BHV-0001" not in html
    # A copy of the store without its answers beside it: no section, and none created.
    bare = tmp_path / "copy" / "events-live.sqlite"
    bare.parent.mkdir()
    bare.write_bytes(path.read_bytes())
    assert 'data-section="aftercare"' not in report(bare, "without.html")
    assert not (bare.parent / "events-live-aftercare.sqlite").exists()
