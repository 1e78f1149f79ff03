"""Issue 15 point 2 in the console: the review window's aftercare panel shows the incident's
questionnaire in counts (through the seam: LocalService over a real aftercare store), the
exported report carries them, and a review without aftercare answers says so."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alert_engine.aftercare.questionnaire import answer_data
from alert_engine.centre.aftercare_store import AftercareStore
from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.i18n import Translations
from console.review.aftercare import AftercarePanel
from console.review.dialogs import ExportChoice
from tests.builders import EVENING, aed_at, facts, ring_responders

from .console_harness import QT_LOG_IGNORE, RunAsync
from .test_review import make_review, review_map_cache  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[LocalService]:
    """A closed alarm three responders set out for, two of whom answered the questionnaire."""
    store_path = tmp_path / "events.sqlite"
    registry = Registry.from_records(ring_responders(30), [aed_at("A1", 100, 100)])
    aftercare = AftercareStore(store_path)
    service = LocalService(registry, SqliteEventStore(store_path), SimClock(EVENING), aftercare=aftercare)
    engine = service.engine
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    engine.trigger_alert("I1")
    for rid in sorted(engine.state("I1").responders)[:3]:
        engine.respond("I1", rid, "accept")
    engine.close("I1")
    aftercare.answer("I1", "BHV-0001", "Zoetermeer", answer_data(
        {"arrived": True, "cpr_under_way": True, "aed_used": True, "wellbeing": "hard", "wants_contact": True}))
    aftercare.answer("I1", "BHV-0002", "Zoetermeer", answer_data({"arrived": True, "wellbeing": "okay"}))
    yield service
    service.close()


def test_the_panel_shows_the_counts_in_dutch_and_english(qtbot: Any, qapp: Any, served: LocalService) -> None:
    panel = AftercarePanel(served, "I1")
    qtbot.addWidget(panel)
    panel.show()
    assert panel.status.text() == "2 van 3 gevraagde hulpverleners antwoordden. Alleen aantallen, geen namen."
    assert panel.values() == {"Beantwoord": 2, "Ter plaatse gekomen": 2, "Reanimatie al bezig": 1,
                              "AED gebruikt": 1, "Wil gebeld worden": 1, "Zit het niet lekker": 1,
                              "Op de nazorglijst": 1, "Contact onderling (paren)": 0}
    assert panel.table.isVisible() and panel.table.item(4, 1).text() == "1"
    assert "BHV-" not in panel.status.text()
    translations = Translations(qapp)
    try:
        assert translations.switch("en", persist=False)
        qtbot.waitUntil(lambda: panel.title.text() == "Aftercare (questionnaire)")
        assert panel.values()["Asked to be called"] == 1 and panel.values()["It weighs on them"] == 1
        assert panel.status.text().startswith("2 of 3 responders asked answered")
    finally:
        translations.switch("nl", persist=False)


def test_without_aftercare_answers_the_panel_says_so(qtbot: Any) -> None:
    panel = AftercarePanel(None, "I1")
    qtbot.addWidget(panel)
    panel.show()
    assert panel.status.text() == "Geen nazorggegevens bij deze bron." and not panel.table.isVisible()
    assert panel.values() == {}


def test_the_review_window_embeds_the_panel_and_the_report_carries_the_counts(
        make_review: Any, served: LocalService, tmp_path: Path, run_async: RunAsync) -> None:  # noqa: F811
    window = make_review(tmp_path / "events.sqlite", "I1", registry=served.engine.registry, aftercare=served)
    panel = window.aftercare_panel
    assert panel.isVisible() and panel.values()["Beantwoord"] == 2
    done = run_async(window.export_report(tmp_path / "rapport.html", ExportChoice(pdf=False)))
    html = done.html.read_text(encoding="utf-8")
    assert 'data-section="aftercare"' in html and "2 van 3 gevraagde hulpverlener(s) antwoordden" in html
    assert "BHV-0001" not in html
    # A review of a file without aftercare: the panel says there is nothing, the report has no section.
    bare = make_review(tmp_path / "events.sqlite", "I1", registry=served.engine.registry)
    assert bare.aftercare_panel.status.text() == "Geen nazorggegevens bij deze bron."
