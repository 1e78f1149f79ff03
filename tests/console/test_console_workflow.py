"""The live incident workflow in the whole console: real engine, real QtWebEngine map.

Each step asserts what the dispatcher sees: counters, table rows, button states, the
oversupply notice, the queue's phase text and colour, and the markers on the map page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alert_engine.clock import SimClock
from alert_engine.exclusion import CallFacts
from alert_engine.gazetteer import Gazetteer
from console import colours
from console.labels import mmss
from console.models.eta import WALKING_SPEED_MPS
from console.models.incident_queue import UNSEEN_ROLE
from tests.builders import EVENING, ZOETERMEER, offset

from .console_harness import QT_LOG_IGNORE, ConsoleHarness, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.fixture(scope="session")
def console_map_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("console-map-cache")


@pytest.fixture
def make_console(
    qtbot: Any, run_async: RunAsync, gazetteer: Gazetteer, console_map_cache: Path, tmp_path: Path
) -> Iterator[Any]:
    made: list[ConsoleHarness] = []

    def make(events: Path | None = None, clock: SimClock | None = None) -> ConsoleHarness:
        console = ConsoleHarness(
            qtbot, run_async, events or tmp_path / "events.sqlite", gazetteer, console_map_cache, clock
        )
        made.append(console)
        return console

    yield make
    for console in made:
        if console.window is not None:
            console.close()


@pytest.fixture
def console(make_console: Any) -> ConsoleHarness:
    c: ConsoleHarness = make_console()
    return c


def test_full_workflow_from_call_to_handover(console: ConsoleHarness) -> None:
    w = console.window
    actions = w.action_panel

    # -- new call: a click on the map places it, the checklist clears it, it is created --
    w.intake.start_new_call()
    w.map_view.mapClicked.emit(*ZOETERMEER)
    assert w.intake.location.location == pytest.approx(ZOETERMEER)
    assert console.map_counts()["victim"] == 1  # the candidate location is on the map
    w.intake.age.set_age(67.0)
    console.qtbot.waitUntil(lambda: w.intake.checklist.verdict is not None)
    assert not w.intake.checklist.verdict.excluded
    with console.qtbot.waitSignal(w.intake.callCreated) as created:
        console.qtbot.mouseClick(w.intake.create_button, Qt.MouseButton.LeftButton)
    console.settle()
    incident = str(created.args[0])

    assert w.current_incident == incident
    assert w.queue.selected() == incident
    assert console.queue_row(incident)["phase"] == "nieuw"
    assert console.queue_row(incident)["background"] == colours.PHASE_BACKGROUND["new"]
    assert incident in w.header.incident_label.text()
    # No ambulance yet: the alert button is off and its tooltip says why.
    assert not actions.alert_button.isEnabled()
    assert "ambulance" in actions.alert_button.toolTip().lower()
    assert console.counters()["accepted"] == "–"

    # -- ambulance, then the alert ----------------------------------------------------------
    console.clock.advance(20)
    console.click(actions.dispatch_button)
    assert console.queue_row(incident)["phase"] == "wacht op ambulance"
    assert console.queue_row(incident)["background"] == colours.PHASE_BACKGROUND["waiting_ambulance"]
    assert actions.alert_button.isEnabled()
    console.clock.advance(10)
    console.click(actions.alert_button)

    state = console.service.state(incident)
    alerted = len(state.responders)
    # Two runners who fetch different AEDs, so two AEDs are on their way.
    by_aed = {state.responders[r].aed: r for r in reversed(console.responders(incident, role="aed"))}
    runners = list(by_aed.values())
    direct = console.responders(incident, role="cpr")
    assert alerted > 10 and len(runners) >= 2 and len(direct) >= 4
    assert console.queue_row(incident)["phase"] == "gealarmeerd"
    assert console.queue_row(incident)["background"] == colours.PHASE_BACKGROUND["alerted"]
    c = console.counters()
    assert (c["alerted"], c["accepted"], c["runners"], c["aeds"]) == (str(alerted), "0/5", "0/2", "0/2")
    assert w.live.tiles["accepted"].property("met") is False
    assert w.responder_model.rowCount() == alerted
    assert w.aed_model.rowCount() == len(state.aeds) >= 2
    assert w.live.tabs.tabText(0) == f"Hulpverleners ({alerted})"
    assert not actions.alert_button.isEnabled()
    assert actions.cancel_button.isEnabled()
    found = console.map_counts()
    assert (found["victim"], found["ring"], found["responder"]) == (1, 1, alerted)
    assert found["route"] == len(console.responders(incident, role="aed"))  # runner → AED → victim
    assert found["aed"] >= len(state.aeds)  # alerted ones plus the others nearby
    assert console.map_info("aed", next(iter(state.aeds)))["state"] == "assigned"

    # -- caller instruction starts (F5) ---------------------------------------------------
    w.caller.start_action.trigger()
    console.settle()
    assert w.caller.state_label.text() == "instructie loopt"
    assert w.caller.rhythm_running
    assert not w.caller.start_action.isEnabled() and w.caller.handover_action.isEnabled()

    # -- accepts: three direct, then two AED runners meet the target -----------------------
    console.clock.advance(40)
    for rid in direct[:3]:
        console.respond(incident, rid)
    console.respond(incident, runners[0])
    console.settle()
    c = console.counters()
    assert (c["accepted"], c["runners"]) == ("4/5", "1/2")
    assert not w.live.oversupply_box.isVisibleTo(w.live)
    # The accepted responders are on top of the table, with an ETA that counts down.
    top = w.live.responder_proxy.index(0, w.responder_model.COL_STATE).data()
    assert top == "geaccepteerd"
    first = state.responders[direct[0]]
    console.clock.advance(5)
    w.tick()
    row = w.responder_model.row_of(first.id)
    eta_text = w.responder_model.index(row, w.responder_model.COL_ETA).data()
    assert eta_text == mmss(first.distance_m / WALKING_SPEED_MPS - 5)

    console.respond(incident, runners[1])
    console.settle()
    state = console.service.state(incident)
    assert state.target_met_at is not None
    cancelled = sum(1 for r in state.responders.values() if r.state == "cancelled")
    assert cancelled == alerted - 5
    c = console.counters()
    assert (c["accepted"], c["runners"], c["aeds"]) == ("5/5", "2/2", "2/2")
    assert c["cancelled"] == str(cancelled)
    assert all(w.live.tiles[n].property("met") is True for n in ("accepted", "runners", "aeds"))
    assert console.queue_row(incident)["phase"] == "doel bereikt"
    assert console.queue_row(incident)["background"] == colours.PHASE_BACKGROUND["target_met"]
    assert not actions.alert_button.isEnabled()

    # -- the oversupply notice, then a late accept counts as oversupply --------------------
    assert w.live.oversupply_box.isVisibleTo(w.live)
    when = state.target_met_at.strftime("%H:%M:%S")
    assert w.live.oversupply_label.text() == (
        f"Doel bereikt om {when} – {cancelled} hulpverleners geannuleerd; 0 te late aanmeldingen (overaanbod)"
    )
    late = direct[3]
    console.respond(incident, late)
    console.settle()
    assert console.counters()["oversupply"] == "1"
    assert w.live.oversupply_label.text().endswith("1 te late aanmeldingen (overaanbod)")
    assert w.live.feedback_button.isEnabled()
    assert w.live.feedback_button.text() == "Meer first responders ter plaatse dan verwacht"

    # -- the map shows who comes and who was cancelled ---------------------------------------
    accepted_marker = console.map_info("responder", runners[0])
    assert accepted_marker is not None and "zm-s-accepted" in accepted_marker["class_name"]
    cancelled_id = next(r for r, s in console.service.state(incident).responders.items() if s.state == "cancelled")
    assert "zm-s-cancelled" in console.map_info("responder", cancelled_id)["class_name"]
    assert console.map_info("route", runners[0])["state"] == "accepted"
    assert console.map_counts()["responder"] == alerted

    # -- first responder on scene: the instruction panel prompts the hand-over --------------
    console.clock.advance(60)
    console.service.command("arrive", incident, direct[0])
    console.settle()
    assert console.counters()["arrived"] == "1"
    assert w.caller.prompt_text == "Eerste hulpverlener ter plaatse – draag over en rond de instructie af"
    row = w.responder_model.row_of(direct[0])
    assert w.responder_model.index(row, w.responder_model.COL_STATE).data() == "ter plaatse"

    # -- oversupply feedback, one click -------------------------------------------------------
    console.click(w.live.feedback_button)
    assert console.service.state(incident).oversupply_feedback == (
        "Meer first responders ter plaatse dan verwacht",
    )
    assert [e.type for e in console.service.events(incident)][-1] == "oversupply_feedback"
    assert not w.live.feedback_button.isEnabled()
    assert w.live.feedback_button.text() == "✓ Terugkoppeling verzonden"

    # -- hand-over (F6), ambulance on scene, instruction ended (F7) ------------------------
    w.caller.handover_action.trigger()
    console.settle()
    assert w.caller.state_label.text() == "overgedragen"
    assert w.caller.prompt_text == ""
    assert console.queue_row(incident)["phase"] == "overgedragen"
    assert console.queue_row(incident)["background"] == colours.PHASE_BACKGROUND["handed_over"]
    console.clock.advance(120)
    console.click(actions.arrived_button)
    assert w.caller.prompt_text.startswith("Ambulance ter plaatse")
    w.caller.end_action.trigger()
    console.settle()
    assert w.caller.state_label.text() == "beëindigd"
    assert w.caller.prompt_text == ""
    assert not w.caller.rhythm_running
    assert not any(a.isEnabled() for a in (w.caller.start_action, w.caller.handover_action, w.caller.end_action))

    # -- close: the incident leaves the open queue, the panels empty --------------------------
    console.click(actions.close_button)
    assert console.confirm.asked == ["Melding afsluiten"]
    assert console.queue_row(incident)["phase"] == "gesloten"
    assert w.queue.proxy.rowCount() == 0
    assert w.current_incident is None
    assert w.live.title.text() == "Live – geen melding geselecteerd"
    assert console.map_counts()["responder"] == 0
    w.queue.show_closed.setChecked(True)
    assert w.queue.proxy.rowCount() == 1


def test_restart_rebuilds_queue_and_counters_from_the_event_store(
    make_console: Any, tmp_path: Path
) -> None:
    events = tmp_path / "restart.sqlite"
    first: ConsoleHarness = make_console(events)
    incident = first.alert()
    second_call = first.create_call(offset(ZOETERMEER, 400, 300))
    first.window.queue.select(incident)
    first.clock.advance(30)
    runners = first.responders(incident, role="aed")
    for rid in first.responders(incident, role="cpr")[:2] + runners[:1]:
        first.respond(incident, rid)
    first.respond(incident, first.responders(incident, role="cpr")[5], "decline")
    first.settle()
    before_counters = first.counters()
    before_queue = {i: first.queue_row(i)["phase"] for i in (incident, second_call)}
    before_rows = first.window.responder_model.rowCount()
    clock_at = first.clock.now()
    first.close()
    first.window = None  # type: ignore[assignment]

    second: ConsoleHarness = make_console(events, SimClock(clock_at))
    w = second.window
    assert w.queue_model.incident_ids() == [second_call, incident]  # newest first
    assert {i: second.queue_row(i)["phase"] for i in (incident, second_call)} == before_queue
    # A restart is not news: nothing is "unseen" and nothing is selected for the dispatcher.
    assert w.queue.badge_text() == "" and w.current_incident is None
    w.queue.select(incident)
    assert w.current_incident == incident
    assert second.counters() == before_counters
    assert before_counters["accepted"] == "3/5" and before_counters["declined"] == "1"
    assert w.responder_model.rowCount() == before_rows
    assert second.map_counts()["responder"] == before_rows


def test_a_new_call_draws_attention_but_keeps_the_selection(
    console: ConsoleHarness, qtbot: Any
) -> None:
    w = console.window
    working = console.alert()
    assert w.current_incident == working
    alerts: list[object] = []
    original = QApplication.alert
    QApplication.alert = lambda widget, msec=0: alerts.append(widget)  # type: ignore[method-assign]
    try:
        # Another console (or the telephony link) records a call: it appears here on its own.
        other = console.service.new_call(CallFacts(lat=52.07, lon=4.48, patient_age_years=50), "Dorpsstraat 1")
        qtbot.waitUntil(lambda: w.queue_model.rowCount() == 2, timeout=2_000)
    finally:
        QApplication.alert = original  # type: ignore[method-assign]
    assert alerts == [w]
    assert w.current_incident == working and w.queue.selected() == working
    assert w.queue.badge_text() == "1 nieuw"
    assert w.queue_model.incident_ids()[0] == other
    assert console.queue_row(other)["bold"] and not console.queue_row(working)["bold"]
    index = w.queue_model.index(w.queue_model.row_of(other), 0)
    assert index.data(UNSEEN_ROLE) is True
    backgrounds = set()
    for _ in range(2):
        w.queue_model.pulse()
        backgrounds.add(index.data(Qt.ItemDataRole.BackgroundRole).color().name())
    assert colours.ATTENTION in backgrounds  # the row pulses
    # The panels still show the incident being worked.
    assert w.live.title.text() == f"Live – melding {working}"

    w.newest_action.trigger()  # Ctrl+G
    assert w.current_incident == other
    assert w.queue.badge_text() == ""
    assert not console.queue_row(other)["bold"]


def test_queue_time_ticks_and_caller_clocks_run(console: ConsoleHarness) -> None:
    w = console.window
    incident = console.create_call()
    assert console.queue_row(incident)["time"] == "00:00"
    w.caller.start_action.trigger()
    console.settle()
    console.clock.advance(95)
    w.tick()
    assert console.queue_row(incident)["time"] == "01:35"
    assert w.caller.call_clock.text() == "01:35"
    assert w.caller.cpr_clock.text() == "01:35"
    w.caller.handover_action.trigger()
    console.settle()
    console.clock.advance(30)
    w.tick()
    assert w.caller.cpr_clock.text() == "01:35"  # stopped at the hand-over
    assert w.caller.call_clock.text() == "02:05"


def test_marker_click_selects_the_table_row_and_table_selects_the_marker(console: ConsoleHarness) -> None:
    w = console.window
    incident = console.alert()
    runner = console.responders(incident, role="aed")[0]
    w.map_view.markerClicked.emit("responder", runner)
    assert w.live.selected_responder() == runner
    assert w.live.tabs.currentIndex() == 0
    assert console.run_async(w.map_view.eval_json("window.api.selected()")) == {"kind": "responder", "id": runner}
    aed = next(iter(console.service.state(incident).aeds))
    w.map_view.markerClicked.emit("aed", aed)
    assert w.live.tabs.currentIndex() == 1 and w.live.selected_aed() == aed


def test_map_gets_only_the_delta_and_the_feed_coalesces(console: ConsoleHarness) -> None:
    w = console.window
    incident = console.alert()
    console.map_counts()
    pushes, ops = w.map_sync.pushes, w.map_sync.ops_sent
    flushes = w.feed.flushes
    runner = console.responders(incident, role="aed")[0]
    others = [r for r in console.responders(incident) if r != runner]
    # Twenty engine batches in one go reach the screen as one update.
    console.respond(incident, runner)
    for rid in others[:19]:
        console.respond(incident, rid, "decline")
    console.qtbot.waitUntil(lambda: w.feed.flushes > flushes, timeout=2_000)
    console.qtbot.wait(250)
    assert w.feed.flushes == flushes + 1
    assert w.map_sync.pushes == pushes + 1
    # The accepting runner (marker + route) and 19 declined markers: nothing else is resent.
    assert w.map_sync.ops_sent - ops == 21
    assert console.counters()["declined"] == "19"


def test_notice_bar_shows_errors_without_a_traceback(console: ConsoleHarness) -> None:
    w = console.window
    try:
        raise KeyError("incident")
    except KeyError as exc:
        console.funnel.report(exc)
    console.funnel.warning("Let op")
    console.funnel.warning("Let op")
    shown = w.notices.notices()
    assert shown[0] == ("warning", "Let op  (2×)")
    assert shown[1][0] == "error" and "Traceback" not in shown[1][1] and "KeyError" in shown[1][1]
    w.dismiss_action.trigger()
    assert w.notices.notices() == [] and not w.notices.isVisibleTo(w)


def test_every_shortcut_is_listed_once_in_the_help(console: ConsoleHarness) -> None:
    w = console.window
    rows = w.shortcut_rows()
    keys = [k for _, k, _ in rows]
    for expected in ("F5", "F6", "F7", "F8", "Ctrl+N", "Ctrl+D", "Ctrl+Shift+A", "Ctrl+G", "F1"):
        assert expected in keys
    assert len(keys) == len(set(keys)), "a key bound twice is ignored by Qt"
    # Only one owner per key in the whole window (menu actions, panel buttons, shortcuts).
    from PySide6.QtGui import QAction, QShortcut
    from PySide6.QtWidgets import QAbstractButton

    owners: dict[str, int] = {}
    for obj in w.findChildren(QAction) + w.findChildren(QShortcut) + w.findChildren(QAbstractButton):
        if isinstance(obj, QAbstractButton) and getattr(obj, "defaultAction", lambda: None)() is not None:
            continue  # a tool button showing a menu action shares that action's key
        seq = obj.shortcut() if not isinstance(obj, QShortcut) else obj.key()
        text = seq.toString()
        if text:
            owners[text] = owners.get(text, 0) + 1
    assert {k: n for k, n in owners.items() if n > 1} == {}


def test_switching_to_english_changes_visible_labels(console: ConsoleHarness) -> None:
    w = console.window
    incident = console.alert()
    assert w.live.tiles["accepted"].caption.text() == "Geaccepteerd"
    assert w.queue.title.text() == "Meldingen"
    try:
        w.set_language("en")
        # Qt posts LanguageChange to every widget; it arrives in the next event-loop turn.
        console.qtbot.waitUntil(lambda: w.live.tiles["accepted"].caption.text() == "Accepted", timeout=2_000)
        assert w.queue.title.text() == "Incidents"
        assert w.caller.start_action.text() == "Start instruction (F5)"
        assert console.queue_row(incident)["phase"] == "alerted"
        assert w.queue_model.headerData(1, Qt.Orientation.Horizontal) == "Since 112"
        assert w.incident_menu.title() == "&Incident"
    finally:
        w.set_language("nl")
    console.qtbot.waitUntil(lambda: w.live.tiles["accepted"].caption.text() == "Geaccepteerd", timeout=2_000)
    assert console.queue_row(incident)["phase"] == "gealarmeerd"


def test_alert_refused_without_ambulance_keeps_phase(console: ConsoleHarness) -> None:
    """The engine refuses; the console shows why and the queue does not pretend otherwise."""
    w = console.window
    incident = console.create_call()
    events = console.service.command("trigger_alert", incident)
    console.settle()
    assert events[0].type == "alert_refused"
    assert console.queue_row(incident)["phase"] == "nieuw"
    assert console.counters()["alerted"] == "–"
    assert w.responder_model.rowCount() == 0


def test_restart_keeps_the_clock_honest(make_console: Any, tmp_path: Path) -> None:
    """The elapsed time after a restart counts from the recorded call time."""
    events = tmp_path / "clock.sqlite"
    first: ConsoleHarness = make_console(events)
    incident = first.create_call()
    first.close()
    first.window = None  # type: ignore[assignment]
    later = SimClock(EVENING)
    later.advance(600)
    second: ConsoleHarness = make_console(events, later)
    assert second.queue_row(incident)["time"] == "10:00"
