"""Issue 9: a victim location the dispatcher can trust (one resolution for label and point,
BAG address points, the uncertainty on the map, a map click, the 112 clock)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import zstandard
from PySide6.QtCore import Qt

from alert_engine.addresses.book import AddressBook
from alert_engine.assets import resource_path
from alert_engine.gazetteer import Gazetteer

from .console_harness import QT_LOG_IGNORE, ConsoleHarness, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]

# A few streets of the shipped Groningen extract (real BAG points), so the test is quick.
STREETS = {("Grote Markt", "Groningen"), ("Oude Ebbingestraat", "Groningen"), ("Bosweg", "Leek")}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AddressBook]:
    raw = resource_path("data/bag/Groningen.csv.zst").read_bytes()
    text = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)).read().decode("utf-8")
    lines = text.splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if tuple(ln.split(";")[i] for i in (0, 5)) in STREETS]
    folder = tmp_path_factory.mktemp("bag")
    (folder / "subset.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    with AddressBook(folder / "addresses.sqlite") as b:
        b.load(folder / "subset.csv")
        yield b


def bag_point(book: AddressBook, postcode: str, number: int) -> tuple[float, float]:
    (p,) = [a for a in book.at_postcode(postcode, number) if not a.letter and not a.addition]
    return p.lat, p.lon


@pytest.fixture
def console(qtbot: Any, run_async: RunAsync, gazetteer: Gazetteer, book: AddressBook,
            tmp_path: Path) -> Iterator[ConsoleHarness]:
    c = ConsoleHarness(qtbot, run_async, tmp_path / "events.sqlite", gazetteer, tmp_path / "map-cache",
                       address_book=book)
    yield c
    c.close()


def type_and_enter(c: ConsoleHarness, text: str) -> None:
    box = c.window.intake.location
    box.address_edit.clear()
    c.qtbot.keyClicks(box.address_edit, text)
    box.completer.popup().hide()
    c.qtbot.keyClick(box.address_edit, Qt.Key.Key_Return)
    c.settle()


def test_an_unresolved_address_after_a_resolved_one_leaves_no_location(console: ConsoleHarness) -> None:
    """The reported defect: '2711' resolved, then 'Markt Delft' typed over it and Ctrl+Enter
    created a call named 'Markt Delft' in Zoetermeer."""
    intake = console.window.intake
    intake.start_new_call()
    type_and_enter(console, "2711")
    assert intake.location.location is not None and intake.create_button.isEnabled()
    type_and_enter(console, "Markt Delft")
    assert intake.location.location is None
    assert not intake.create_button.isEnabled()
    assert "Geen locatie" in intake.location.hint.text()
    intake.location.address_edit.setText("A12 hmp 10,2")  # typed, not yet looked up
    intake.submit()  # Ctrl+Enter: looked up first, and a motorway without a point creates nothing
    assert intake.incident is None and console.service.incidents() == []
    assert intake.location.location is None
    assert intake.form.description.text() == "A12 hmp 10,2"  # the exclusion sees the motorway
    assert "snelweg" in intake.location.hint.text().lower()


def test_editing_a_resolved_address_withdraws_its_point_until_resolved(console: ConsoleHarness) -> None:
    box = console.window.intake.location
    type_and_enter(console, "9712 HN 1")
    assert box.location is not None
    console.qtbot.keyClicks(box.address_edit, "0")  # "…Groningen0": no longer what was resolved
    assert box.location is None and not console.window.intake.create_button.isEnabled()
    assert "Enter" in box.hint.text()


def test_postcode_number_and_street_number_place_resolve_to_the_bag_point(
    console: ConsoleHarness, book: AddressBook
) -> None:
    box = console.window.intake.location
    grote_markt_1 = bag_point(book, "9712HN", 1)
    for typed in ("9712 HN 1", "9712HN 1", "Grote Markt 1 Groningen", "grote markt 1, groningen"):
        type_and_enter(console, typed)
        assert box.location == pytest.approx(grote_markt_1), typed
        assert box.resolution is not None and box.resolution.precision == "address"
        assert box.address == "Grote Markt 1, 9712 HN Groningen"
        assert "adrespunt" in box.hint.text()
    type_and_enter(console, "Oude Ebbingestr. 10 Groningen")  # abbreviation as typed in a hurry
    assert box.address.startswith("Oude Ebbingestraat 10,")


def test_an_address_of_another_region_is_not_found_never_a_guess(console: ConsoleHarness) -> None:
    box = console.window.intake.location
    for typed in ("Dorpsstraat 12 Zoetermeer", "Grote Markt 1 Delft", "Grote Markt 999 Groningen"):
        type_and_enter(console, typed)
        assert box.location is None, typed
        assert not console.window.intake.create_button.isEnabled()
        assert box.resolution is None or box.resolution.precision == "none"


def test_a_map_click_sets_the_location_and_names_the_nearest_address(
    console: ConsoleHarness, book: AddressBook
) -> None:
    lat, lon = bag_point(book, "9712HN", 1)
    console.window.intake.start_new_call()
    console.window.map_view.mapClicked.emit(lat + 0.00005, lon)
    box = console.window.intake.location
    assert box.location == (lat + 0.00005, lon)  # exactly where clicked
    assert box.address.startswith("Grote Markt 1,")
    assert console.window.intake.create_button.isEnabled()


def test_an_approximate_location_is_drawn_with_its_uncertainty_and_recorded(
    console: ConsoleHarness, run_async: RunAsync
) -> None:
    w = console.window
    run_async(w.map_view.wait_ready())
    w.intake.start_new_call()
    type_and_enter(console, "2711")
    assert w.intake.location.resolution is not None and w.intake.location.resolution.approximate
    assert "Bij benadering" in w.intake.location.hint.text()

    def drawn() -> dict[str, int]:
        result: dict[str, int] = run_async(w.map_view.eval_json("window.api.counts()"))
        return result

    console.qtbot.waitUntil(lambda: drawn()["uncertainty"] == 1, timeout=5000)
    w.intake.submit()
    console.settle()
    (state,) = console.service.incidents()
    assert state.facts["location_precision"] == "postcode"
    assert state.facts["location_uncertainty_m"] > 300


def test_the_112_clock_starts_when_the_dispatcher_starts_the_call(console: ConsoleHarness) -> None:
    w = console.window
    started = console.clock.now()
    w.intake.start_new_call()
    type_and_enter(console, "9712 HN 1")
    console.clock.advance(45)  # the dispatcher asks questions before saving the call
    w.intake.submit()
    console.settle()
    (state,) = console.service.incidents()
    assert state.call_time == started
    assert (console.clock.now() - state.call_time).total_seconds() == 45


def test_street_level_shows_the_loaded_address_points(console: ConsoleHarness, run_async: RunAsync,
                                                      book: AddressBook) -> None:
    w = console.window
    run_async(w.map_view.wait_ready())
    lat, lon = bag_point(book, "9712HN", 1)
    w.map_view.push([{"op": "center", "lat": lat, "lon": lon, "zoom": 18}])

    def points() -> int:
        return int(run_async(w.map_view.eval_json("window.api.counts()"))["address_points"])

    console.qtbot.waitUntil(lambda: points() > 5, timeout=5000)


# -- never lose a call ------------------------------------------------------------------------
def test_a_draft_survives_switching_incidents(console: ConsoleHarness) -> None:
    w = console.window
    other = console.create_call()
    w.intake.start_new_call()
    type_and_enter(console, "9712 HN 1")
    w.intake.age.set_age(54.0)
    w.intake.form.description.setText("achter de kerk")
    w.select_incident(other)  # the dispatcher looks at the running incident ...
    assert w.intake.incident == other
    w.select_incident(None)  # ... and comes back to the call being taken
    assert w.intake.location.address == "Grote Markt 1, 9712 HN Groningen"
    assert w.intake.location.location is not None and w.intake.create_button.isEnabled()
    assert w.intake.form.age.age() == 54.0 and w.intake.form.description.text() == "achter de kerk"


def test_escape_asks_before_discarding_a_half_entered_call(console: ConsoleHarness) -> None:
    w = console.window
    w.intake.start_new_call()
    type_and_enter(console, "9712 HN 1")
    console.confirm.answer = False
    w.intake.discard_draft()  # Escape
    assert console.confirm.asked == ["Nieuwe melding weggooien?"]
    assert w.intake.location.location is not None  # "Nee": nothing lost
    console.confirm.answer = True
    w.intake.discard_draft()
    assert w.intake.location.location is None and not w.intake.has_draft


def test_quitting_with_an_open_alarm_asks_first(console: ConsoleHarness) -> None:
    w = console.window
    incident = console.create_call()
    console.service.command("dispatch_ambulance", incident, "15-101")
    console.service.command("trigger_alert", incident)
    console.settle()
    console.confirm.answer = False
    assert not w.close()  # "Nee": the console stays open
    assert w.isVisible() and console.confirm.asked[-1] == "Console afsluiten?"
    console.confirm.answer = True


def test_an_approximate_location_asks_for_refinement_before_alerting(console: ConsoleHarness) -> None:
    from tests.builders import ZOETERMEER

    w = console.window
    w.intake.start_new_call()
    type_and_enter(console, "2712")  # a postcode area in Zoetermeer, where the test's responders are
    w.intake.age.set_age(60.0)
    w.intake.submit()
    console.settle()
    (state,) = console.service.incidents()
    console.service.command("dispatch_ambulance", state.id, "15-101")
    console.settle()
    console.confirm.answer = False
    w.action_panel.trigger_alert()
    assert console.confirm.asked[-1] == "Locatie bij benadering"
    assert console.service.state(state.id).alert_time is None  # "Nee": refine first
    w.map_view.mapClicked.emit(*ZOETERMEER)  # the refinement: a click on the map
    w.intake.send_changes()
    console.settle()
    refined = console.service.state(state.id)
    assert refined.facts["location_precision"] == "map" and (refined.lat, refined.lon) == ZOETERMEER
    asked = len(console.confirm.asked)
    w.action_panel.trigger_alert()
    assert len(console.confirm.asked) == asked  # exact now: no question
    assert console.service.state(state.id).alert_time is not None
