"""Intake form, exclusion checklist and action panel against a real engine (offscreen Qt)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.exclusion.motorway import MotorwayHit
from alert_engine.gazetteer import Gazetteer
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.funnel import MessageFunnel
from console.widgets.actions import ActionPanel
from console.widgets.checklist import COLOURS
from console.widgets.confirm import ReasonDialog
from console.widgets.intake import IntakePanel
from tests.builders import EVENING, ZOETERMEER, aed_at, ring_responders

# The offscreen platform has no window manager to pass size hints to, raise a popup or
# grab the keyboard for it; that is the test machine talking, not the panels.
pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        r"^This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
    ),
]

A12_SOUTH_OF_ZOETERMEER = (52.0471668, 4.4909848)


class Answers:
    """Stands in for the dialogs: records each question and gives the prepared answer."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: object, title: str, _text: str) -> Any:
        self.asked.append(title)
        return self.answer


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


class Console:
    """One service with the two panels wired as the main window would wire them."""

    def __init__(self, qtbot: Any, gazetteer: Gazetteer, responders: int = 40) -> None:
        registry = Registry.from_records(ring_responders(responders), [aed_at("A1", 150, 0)])
        self.service = LocalService(registry, MemoryEventStore(), SimClock(EVENING))
        self.funnel = MessageFunnel()
        self.messages: list[tuple[str, str]] = []
        self.funnel.message.connect(lambda level, text: self.messages.append((level, text)))
        self.reason = Answers(None)
        self.confirm = Answers(False)
        self.intake = IntakePanel(self.service, gazetteer, self.funnel, reason_asker=self.reason)
        self.actions = ActionPanel(self.service, self.funnel, confirm=self.confirm)
        self.intake.callCreated.connect(self.actions.set_incident)
        for panel in (self.intake, self.actions):
            qtbot.addWidget(panel)
            panel.show()
        self.qtbot = qtbot

    def event_types(self) -> list[str]:
        return [e.type for e in self.service.events()]

    def wait_preview(self) -> None:
        """The checklist follows the form after its debounce."""
        timer = self.intake._preview_timer
        self.qtbot.waitUntil(lambda: not timer.isActive(), timeout=2000)

    def type_age(self, text: str) -> None:
        spin = self.intake.form.age
        spin.lineEdit().selectAll()
        self.qtbot.keyClicks(spin, text)
        spin.interpretText()
        self.wait_preview()

    def create(self, point: tuple[float, float] = ZOETERMEER, age: str = "67") -> str:
        self.intake.set_location(*point, "Testadres 1, Zoetermeer")
        self.type_age(age)
        with self.qtbot.waitSignal(self.intake.callCreated) as created:
            self.qtbot.mouseClick(self.intake.create_button, Qt.MouseButton.LeftButton)
        return str(created.args[0])


@pytest.fixture
def console(qtbot: Any, gazetteer: Gazetteer) -> Console:
    return Console(qtbot, gazetteer)


def colour(label: QLabel) -> str:
    return label.palette().color(QPalette.ColorRole.WindowText).name()


# -- the checklist -----------------------------------------------------------------------------
def test_infant_age_turns_the_criterion_red_and_excludes(console: Console) -> None:
    checklist = console.intake.checklist
    console.intake.set_location(*ZOETERMEER)
    console.wait_preview()
    assert checklist.state_of("infant") == "unknown"

    console.type_age("0.5")

    assert console.intake.form.age.age() == 0.5
    assert checklist.state_of("infant") == "met"
    assert checklist.symbols["infant"].text() == "✕"
    assert colour(checklist.symbols["infant"]) == COLOURS["met"]
    assert "jonger dan 1 jaar" in checklist.reason_text("infant")
    assert checklist.summary.text().startswith("Uitgesloten")
    assert checklist.verdict is not None and checklist.verdict.excluded
    assert all(checklist.state_of(c) == "not_met" for c in ("suicide", "trauma", "violence"))


def test_unknown_age_is_amber_but_not_excluded(console: Console) -> None:
    checklist = console.intake.checklist
    assert checklist.state_of("infant") == "pending"  # no location yet: nothing judged
    assert not console.intake.create_button.isEnabled()

    console.intake.set_location(*ZOETERMEER)
    console.wait_preview()

    assert console.intake.form.age.text() == "onbekend"
    assert checklist.state_of("infant") == "unknown"
    assert colour(checklist.symbols["infant"]) == COLOURS["unknown"]
    assert "onbekend" in checklist.reason_text("infant")
    assert not checklist.summary.text().startswith("Uitgesloten")
    assert checklist.verdict is not None and not checklist.verdict.excluded
    assert console.intake.create_button.isEnabled()


def test_motorway_point_turns_red_and_is_sent_to_the_map(console: Console, qtbot: Any) -> None:
    with qtbot.waitSignal(
        console.intake.motorwayHit, check_params_cb=lambda hit: isinstance(hit, MotorwayHit)
    ) as signal:
        console.intake.set_location(*A12_SOUTH_OF_ZOETERMEER)
    assert signal.args[0].road == "A12"
    assert console.intake.checklist.state_of("motorway") == "met"
    assert "A12" in console.intake.checklist.reason_text("motorway")


def test_language_switch_shows_the_english_reason(console: Console) -> None:
    console.intake.set_location(*ZOETERMEER)
    console.wait_preview()
    console.intake.set_language("en")
    assert console.intake.checklist.reason_text("infant") == "Age unknown – not excluded"
    console.intake.set_language("nl")
    assert console.intake.checklist.reason_text("infant") == "Leeftijd onbekend – niet uitgesloten"


# -- location search ---------------------------------------------------------------------------
def test_address_search_suggests_and_enter_takes_the_first(console: Console, qtbot: Any) -> None:
    box = console.intake.location
    qtbot.keyClicks(box.address_edit, "Zoetermeer")
    assert box.suggestions[0].text == "Zoetermeer"
    assert box.completer.completionModel().index(0, 0).data() == "Zoetermeer"
    first = box.suggestions[0]
    box.completer.popup().hide()
    qtbot.keyClick(box.address_edit, Qt.Key.Key_Return)
    assert box.location == (first.lat, first.lon)
    assert "Zoetermeer" in box.hint.text() and "plaats" in box.hint.text()  # precision stated
    assert console.intake.create_button.isEnabled()

    box.address_edit.clear()
    qtbot.keyClicks(box.address_edit, "2712")
    box.completer.popup().hide()
    qtbot.keyClick(box.address_edit, Qt.Key.Key_Return)
    assert box.address == "2712 Zoetermeer"  # the label comes from the resolution
    assert box.resolution is not None and box.resolution.precision == "postcode"
    assert "postcodegebied" in box.hint.text()


def test_typed_coordinates_and_map_click_set_the_location(console: Console) -> None:
    box = console.intake.location
    box.coords_edit.setText("52,0601 4,4932")
    box.coords_edit.editingFinished.emit()
    assert box.location == pytest.approx((52.0601, 4.4932))
    box.coords_edit.setText("hier ergens")
    box.coords_edit.editingFinished.emit()
    assert console.messages[-1][0] == "warning" and "niet herkend" in console.messages[-1][1]
    assert box.coords_edit.property("invalid") is True
    assert box.location == pytest.approx((52.0601, 4.4932))  # a typo does not move the call
    console.intake.set_location(52.07, 4.5)
    assert box.location == (52.07, 4.5)
    assert box.coords_edit.text() == "52.07000, 4.50000"


# -- creating and updating a call ---------------------------------------------------------------
def test_ctrl_enter_creates_the_call_and_the_form_switches_to_update(console: Console, qtbot: Any) -> None:
    console.intake.set_location(*ZOETERMEER, "Oostweg 12, Zoetermeer")
    with qtbot.waitActive(console.intake):
        console.intake.activateWindow()
    console.intake.form.description.setFocus()
    with qtbot.waitSignal(console.intake.callCreated) as created:
        qtbot.keyClick(console.intake.form.description, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    incident = created.args[0]
    state = console.service.state(incident)
    assert state.facts["address"] == "Oostweg 12, Zoetermeer"
    assert state.facts["patient_age_years"] is None
    assert console.intake.incident == incident
    assert incident in console.intake.header.text()
    assert not console.intake.create_button.isVisible()


def test_update_mode_records_changed_facts_and_the_engine_reassesses(console: Console, qtbot: Any) -> None:
    incident = console.create()
    console.intake.form.trauma.setChecked(True)
    qtbot.waitUntil(lambda: "call_updated" in console.event_types(), timeout=3000)
    update = [e for e in console.service.events(incident) if e.type == "call_updated"]
    assert [dict(e["changes"]) for e in update] == [{"trauma": True}]
    assert console.service.state(incident).criteria == ("trauma",)
    console.wait_preview()
    assert console.intake.checklist.state_of("trauma") == "met"

    console.intake.load_incident(None)  # Ctrl+N's new, empty form
    assert console.intake.incident is None and console.intake.location.location is None
    console.intake.load_incident(incident)
    assert console.intake.form.trauma.isChecked() and console.intake.form.age.age() == 67


# -- the action panel --------------------------------------------------------------------------
def test_alert_button_waits_for_an_ambulance(console: Console, qtbot: Any) -> None:
    actions = console.actions
    assert not actions.alert_button.isEnabled()
    incident = console.create()
    assert actions.incident == incident
    assert not actions.alert_button.isEnabled()
    assert "ambulance" in actions.alert_button.toolTip()
    assert actions.blocker_label.text() == actions.alert_button.toolTip()

    qtbot.mouseClick(actions.dispatch_button, Qt.MouseButton.LeftButton)

    assert console.service.state(incident).ambulance_units == ("15-101",)
    assert actions.alert_button.isEnabled()
    assert "15-101" in actions.units_label.text()
    qtbot.mouseClick(actions.alert_button, Qt.MouseButton.LeftButton)
    assert "alert_sent" in console.event_types()
    assert not actions.alert_button.isEnabled()
    actions.set_language("en")
    assert actions.alert_button.toolTip() == "Responders were already alerted."


def test_excluded_call_needs_an_override_with_a_written_reason(console: Console, qtbot: Any) -> None:
    incident = console.create(age="0,5")
    qtbot.mouseClick(console.actions.dispatch_button, Qt.MouseButton.LeftButton)
    assert not console.actions.alert_button.isEnabled()
    assert "Uitsluitcriterium" in console.actions.alert_button.toolTip()
    override = console.intake.override
    assert override.button.isVisible()

    console.reason.answer = "   "
    qtbot.mouseClick(override.button, Qt.MouseButton.LeftButton)
    assert "exclusion_overridden" not in console.event_types()
    assert console.messages[-1] == ("warning", "Overrulen kan alleen met een geschreven reden.")
    assert not console.actions.alert_button.isEnabled()

    console.reason.answer = "Leeftijd ouder dan gemeld, BHV'ers al onderweg"
    qtbot.mouseClick(override.button, Qt.MouseButton.LeftButton)
    assert console.service.state(incident).override_reason == console.reason.answer
    assert console.reason.answer in override.reason_label.text()
    assert not override.button.isVisible()
    assert console.actions.alert_button.isEnabled()


def test_reason_dialog_ok_is_disabled_while_empty(qtbot: Any) -> None:
    dialog = ReasonDialog("Uitsluiting overrulen", "Waarom?")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "  ")
    assert not dialog.ok_button.isEnabled()
    qtbot.keyClicks(dialog.reason_edit, "kind is 4 jaar")
    assert dialog.ok_button.isEnabled() and dialog.reason == "kind is 4 jaar"


def alerted(console: Console, qtbot: Any) -> str:
    incident = console.create()
    qtbot.mouseClick(console.actions.dispatch_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.actions.alert_button, Qt.MouseButton.LeftButton)
    assert console.service.state(incident).alarm_open
    return incident


def test_cancel_needs_a_yes(console: Console, qtbot: Any) -> None:
    incident = alerted(console, qtbot)
    cancel = console.actions.cancel_button
    assert cancel.isEnabled()

    console.confirm.answer = False
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert console.confirm.asked == ["Alarm intrekken"]
    assert "alarm_cancelled" not in console.event_types()
    assert cancel.isEnabled()

    console.confirm.answer = True
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert "alarm_cancelled" in console.event_types()
    assert console.service.state(incident).alarm_cancelled_at is not None
    assert not cancel.isEnabled()


def test_arrival_and_close(console: Console, qtbot: Any) -> None:
    incident = alerted(console, qtbot)
    qtbot.mouseClick(console.actions.arrived_button, Qt.MouseButton.LeftButton)
    assert console.service.state(incident).ambulance_arrived_at is not None
    assert not console.actions.arrived_button.isEnabled()
    console.confirm.answer = True
    qtbot.mouseClick(console.actions.close_button, Qt.MouseButton.LeftButton)
    assert console.service.state(incident).closed_at is not None
    assert not console.actions.close_button.isEnabled()
    assert console.actions.alert_button.toolTip() == "De melding is afgesloten."
    assert "afgesloten" in console.intake.header.text()
    assert not console.intake.form.age.isEnabled()


def test_refusal_reaches_the_dispatcher_as_a_warning(qtbot: Any, gazetteer: Gazetteer) -> None:
    console = Console(qtbot, gazetteer, responders=0)
    console.create()
    qtbot.mouseClick(console.actions.dispatch_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(console.actions.alert_button, Qt.MouseButton.LeftButton)
    assert "alert_refused" in console.event_types()
    level, text = console.messages[-1]
    assert level == "warning" and "geen beschikbare burgerhulpverleners" in text


def test_engine_errors_go_to_the_funnel_not_out_of_the_slot(console: Console, qtbot: Any) -> None:
    console.create()
    console.actions.unit_edit.clear()
    qtbot.mouseClick(console.actions.dispatch_button, Qt.MouseButton.LeftButton)  # no unit named
    assert console.messages[-1][0] == "error"
    assert "ambulance unit" in console.messages[-1][1]
    assert "ambulance_dispatched" not in console.event_types()




def test_ctrl_n_starts_an_empty_new_call(console: Console, qtbot: Any) -> None:
    console.create()
    with qtbot.waitActive(console.intake):
        console.intake.activateWindow()
    console.intake.form.description.setFocus()
    with qtbot.waitSignal(console.intake.newCallStarted):
        qtbot.keyClick(console.intake.form.description, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert console.intake.incident is None
    assert console.intake.header.text() == "Nieuwe melding"
    assert console.intake.location.location is None and console.intake.form.age.age() is None
    assert console.intake.location.address_edit.hasFocus()
    assert not console.intake.create_button.isEnabled()


def test_alert_key_while_blocked_says_why(console: Console, qtbot: Any) -> None:
    console.create()
    with qtbot.waitActive(console.actions):
        console.actions.activateWindow()
    qtbot.keyClick(
        console.actions.unit_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert "alert_refused" not in console.event_types() and "alert_sent" not in console.event_types()
    assert console.messages[-1][0] == "warning" and "ambulance" in console.messages[-1][1]

    qtbot.keyClick(console.actions.unit_edit, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    # A button's shortcut shows the button going down and up first (animateClick, 100 ms).
    qtbot.waitUntil(lambda: "ambulance_dispatched" in console.event_types(), timeout=2000)
    qtbot.keyClick(
        console.actions.unit_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert "alert_sent" in console.event_types()


def test_console_keys_win_over_a_text_field_that_claims_them(qtbot: Any) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeySequence, QShortcut
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    from console.widgets.keys import ShortcutKeysFirst

    class GreedyEdit(QLineEdit):
        """Claims every key, as a field does with its platform's editing keys."""

        def event(self, e: QEvent) -> bool:
            if e.type() == QEvent.Type.ShortcutOverride:
                e.accept()
                return True
            return super().event(e)

    window = QWidget()
    qtbot.addWidget(window)
    field = GreedyEdit()
    QVBoxLayout(window).addWidget(field)
    fired: list[int] = []
    QShortcut(QKeySequence("Ctrl+Shift+A"), window, lambda: fired.append(1))
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    chord = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(field, Qt.Key.Key_A, chord)
    assert fired == []
    ShortcutKeysFirst(["Ctrl+Shift+A"], window).install_on(window)
    qtbot.keyClick(field, Qt.Key.Key_A, chord)
    assert fired == [1]


def test_keys_survive_a_language_change(console: Console, qtbot: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendEvent(console.actions, QEvent(QEvent.Type.LanguageChange))
    assert console.actions.dispatch_button.shortcut().toString() == "Ctrl+D"
    assert console.actions.close_button.shortcut().toString() == "Ctrl+Shift+W"
    assert console.actions.dispatch_button.text() == "Ambulance uitgegeven (Ctrl+D)"


def test_picking_a_suggestion_from_the_list(console: Console, qtbot: Any) -> None:
    box = console.intake.location
    qtbot.keyClicks(box.address_edit, "vliet")
    popup = box.completer.popup()
    assert popup.isVisible()
    first = box.suggestions[0]
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert first.text == "Vliettunnel, Leidschendam-Voorburg"
    assert box.location == (first.lat, first.lon)
    assert box.address_edit.text() == first.text
    assert not popup.isVisible()
