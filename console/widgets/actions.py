"""The dispatcher's moves on the selected incident: ambulance, alert, cancel, arrival, close.

Whether the alert may go out is the engine's call (`service.alert_blocker`); the button
only mirrors it and its tooltip says why not. The panel re-reads the incident after
every committed batch that touches it.

Shortcuts: Ctrl+D ambulance dispatched, Ctrl+Shift+A alert, Ctrl+Shift+X cancel alarm,
Ctrl+Shift+M ambulance on scene, Ctrl+Shift+W close. The alert is a three-key chord on
purpose (not F9): it sends up to 100 volunteers out, so it must not fire from a stray
key, and function keys on MKA workstations usually belong to the telephony/GMS client.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from alert_engine.api.commands import (
    AmbulanceArrived,
    CancelAlarm,
    Close,
    Command,
    DispatchAmbulance,
    TriggerAlert,
)
from alert_engine.events import Event
from alert_engine.service import BLOCKER_TEXT, IncidentService
from alert_engine.state import IncidentState

from ..funnel import MessageFunnel
from .confirm import Confirm, ask_yes_no
from .engine_link import EventRelay, attempt, touches
from .keys import ShortcutKeysFirst

DEFAULT_UNIT = "15-101"
SHORTCUTS = {
    "dispatch": "Ctrl+D",
    "alert": "Ctrl+Shift+A",
    "cancel": "Ctrl+Shift+X",
    "arrived": "Ctrl+Shift+M",
    "close": "Ctrl+Shift+W",
}
_STYLE = """
QPushButton#alertButton { font-size: 15pt; font-weight: bold; padding: 10px; }
QPushButton#alertButton:enabled { background: #c62828; color: white; }
QLabel[blocked="true"] { color: #b26a00; }
QLabel[blocked="false"] { color: #2e7d32; }
"""


def refusal_text(reason: str, language: str = "nl", radius_m: float | None = None) -> str:
    """A refusal reason word as a sentence for the dispatcher."""
    if reason == "no_responders_in_reach":
        text = QCoreApplication.translate(
            "ActionPanel", "Alarm niet verstuurd: geen beschikbare burgerhulpverleners binnen bereik ({0} m)."
        )
        return text.format(round(radius_m or 0))
    nl, en = BLOCKER_TEXT.get(reason, (reason, reason))
    prefix = QCoreApplication.translate("ActionPanel", "Alarm geweigerd: ")
    return prefix + (en if language == "en" else nl)


class ActionPanel(QWidget):
    alertSent = Signal(str)  # incident id, after the engine recorded alert_sent

    def __init__(
        self,
        service: IncidentService,
        funnel: MessageFunnel,
        parent: QWidget | None = None,
        *,
        confirm: Confirm = ask_yes_no,
        unit_suggestion: str = DEFAULT_UNIT,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._funnel = funnel
        self._confirm = confirm
        self._incident: str | None = None
        self._language = "nl"
        # False while the centre's service cannot take commands (remote backend offline).
        self._writable = True
        self.setStyleSheet(_STYLE)

        self.title = QLabel()
        self.unit_edit = QLineEdit(unit_suggestion)
        self.unit_label = QLabel()
        self.unit_label.setBuddy(self.unit_edit)
        self.units_label = QLabel()
        self.dispatch_button = QPushButton()
        self.alert_button = QPushButton()
        self.alert_button.setObjectName("alertButton")
        self.blocker_label = QLabel()
        self.blocker_label.setWordWrap(True)
        self.cancel_button = QPushButton()
        self.arrived_button = QPushButton()
        self.close_button = QPushButton()

        grid = QGridLayout()
        grid.addWidget(self.unit_label, 0, 0)
        grid.addWidget(self.unit_edit, 0, 1)
        grid.addWidget(self.dispatch_button, 0, 2)
        grid.addWidget(self.units_label, 1, 0, 1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        for w in (self.alert_button, self.blocker_label, self.cancel_button, self.arrived_button, self.close_button):
            layout.addWidget(w)
        layout.addStretch(1)

        self._keyed = (
            (self.dispatch_button, "dispatch", self.dispatch_ambulance),
            (self.cancel_button, "cancel", self.cancel_alarm),
            (self.arrived_button, "arrived", self.ambulance_arrived),
            (self.close_button, "close", self.close_incident),
        )
        for button, _key, slot in self._keyed:
            button.clicked.connect(slot)
        # The alert key always answers: with the alert, or with why it cannot go out yet.
        self.alert_button.clicked.connect(self.trigger_alert)
        QShortcut(QKeySequence(SHORTCUTS["alert"]), self, self.trigger_alert)
        self.unit_edit.returnPressed.connect(self.dispatch_ambulance)
        ShortcutKeysFirst(SHORTCUTS.values(), self).install_on(self)
        self._relay = EventRelay(service, self)
        self._relay.committed.connect(self._on_events)
        self._retranslate()

    def _retranslate(self) -> None:
        self.unit_label.setText(self.tr("Ambulance-eenheid"))
        self.unit_edit.setPlaceholderText(self.tr("Eenheid, bijv. {0}").format(DEFAULT_UNIT))
        self.dispatch_button.setText(self.tr("Ambulance uitgegeven (Ctrl+D)"))
        self.alert_button.setText(self.tr("Alarmeer burgerhulpverleners (Ctrl+Shift+A)"))
        self.cancel_button.setText(self.tr("Alarm intrekken (Ctrl+Shift+X)"))
        self.arrived_button.setText(self.tr("Ambulance ter plaatse (Ctrl+Shift+M)"))
        self.close_button.setText(self.tr("Melding afsluiten (Ctrl+Shift+W)"))
        # After setText, which resets a button's shortcut to its mnemonic. A button's own
        # shortcut does nothing while the button is disabled: right for these four.
        for button, key, _slot in self._keyed:
            button.setShortcut(QKeySequence(SHORTCUTS[key]))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- public --------------------------------------------------------------------------
    @property
    def incident(self) -> str | None:
        return self._incident

    def set_incident(self, incident: str | None) -> None:
        self._incident = incident
        self.refresh()

    def set_language(self, language: str) -> None:
        """Language of the engine's texts (blocker reasons): "nl" or "en"."""
        self._language = "en" if language == "en" else "nl"
        self.refresh()

    def set_writable(self, writable: bool) -> None:
        """Commands on or off: off while the centre's service cannot take them (the
        buttons say why instead of failing after a wait)."""
        if writable != self._writable:
            self._writable = writable
            self.refresh()

    def refresh(self) -> None:
        """Re-read the incident and the engine's alert blocker; enable what is possible now."""
        incident = self._incident
        state = attempt(self._funnel, self._service.state, incident) if incident else None
        if not self._writable:
            self._show_offline(state)
            return
        blocker = attempt(self._funnel, self._service.alert_blocker, incident) if state else "unknown_incident"
        self.title.setText(
            self.tr("Melding {0}").format(incident) if state else self.tr("Geen melding geselecteerd")
        )
        is_open = state is not None and state.is_open
        # A test alarm has no patient: no ambulance to dispatch or to wait for.
        test = state is not None and state.mode == "test"
        for widget in (self.unit_label, self.unit_edit, self.dispatch_button, self.units_label, self.arrived_button):
            widget.setVisible(not test)
        self.unit_edit.setEnabled(is_open)
        self.dispatch_button.setEnabled(is_open)
        self.units_label.setText(self._units_text(state))
        allowed = state is not None and blocker is None
        self.alert_button.setEnabled(allowed)
        why = self.tr("Alarmeren is mogelijk.") if allowed else self._blocker_text(blocker)
        self.alert_button.setToolTip(why)
        self.blocker_label.setText(why)
        self.blocker_label.setProperty("blocked", "false" if allowed else "true")
        self.blocker_label.style().unpolish(self.blocker_label)
        self.blocker_label.style().polish(self.blocker_label)
        self.cancel_button.setEnabled(state is not None and state.alarm_open)
        self.arrived_button.setEnabled(
            is_open and state is not None and bool(state.ambulance_units) and state.ambulance_arrived_at is None
        )
        self.close_button.setEnabled(is_open)

    def _show_offline(self, state: IncidentState | None) -> None:
        """No command can reach the service: every move off, and the reason where the
        alert blocker is normally explained."""
        incident = self._incident
        self.title.setText(self.tr("Melding {0}").format(incident) if state else self.tr("Geen melding geselecteerd"))
        self.units_label.setText(self._units_text(state))
        for widget in (self.unit_edit, self.dispatch_button, self.alert_button, self.cancel_button,
                       self.arrived_button, self.close_button):
            widget.setEnabled(False)
        why = self.tr("Geen verbinding met een actieve meldkamerservice: opdrachten staan uit tot de "
                      "verbinding terug is.")
        self.alert_button.setToolTip(why)
        self.blocker_label.setText(why)
        self.blocker_label.setProperty("blocked", "true")
        self.blocker_label.style().unpolish(self.blocker_label)
        self.blocker_label.style().polish(self.blocker_label)

    # -- commands ------------------------------------------------------------------------
    @Slot()
    def dispatch_ambulance(self) -> None:
        if self._incident is not None and self.dispatch_button.isEnabled():
            self._command(DispatchAmbulance(self._incident, self.unit_edit.text().strip()))

    @Slot()
    def trigger_alert(self) -> None:
        if self._incident is None:
            return
        if not self._writable:
            self._funnel.warning(self.alert_button.toolTip(), incident=self._incident, cause="offline")
            return
        if not self.alert_button.isEnabled():
            # Tied to the incident and its blocker: the bar drops it once the blocker is gone.
            blocker = attempt(self._funnel, self._service.alert_blocker, self._incident) or ""
            self._funnel.warning(self.alert_button.toolTip(), incident=self._incident, cause=blocker)
            return
        if not self._location_good_enough():
            return
        for e in self._command(TriggerAlert(self._incident)):
            if e.type == "alert_refused":
                self._funnel.warning(
                    refusal_text(str(e["reason"]), self._language, e.get("radius_m")),
                    incident=e.incident,
                    cause=str(e["reason"]),
                )
            elif e.type == "alert_sent":
                self._funnel.info(
                    self.tr("{0} burgerhulpverleners en {1} AED's gealarmeerd.").format(
                        len(e["responders"]), len(e["aeds"])
                    )
                )
                self.alertSent.emit(e.incident)

    @Slot()
    def cancel_alarm(self) -> None:
        if self._incident is None or not self.cancel_button.isEnabled():
            return
        if self._is_test():
            asked = self._ask_end_test()
        else:
            asked = self._ask(self.tr("Alarm intrekken"), self.tr(
                "Het alarm voor melding {0} intrekken? Alle gealarmeerde burgerhulpverleners krijgen "
                "een annulering."
            ).format(self._incident))
        if asked:
            self._command(CancelAlarm(self._incident))

    @Slot()
    def ambulance_arrived(self) -> None:
        if self._incident is not None and self.arrived_button.isEnabled():
            self._command(AmbulanceArrived(self._incident))

    @Slot()
    def close_incident(self) -> None:
        if self._incident is None or not self.close_button.isEnabled():
            return
        if self._is_test():
            if self._ask_end_test():
                self._command(Close(self._incident))
            return
        if self._ask(self.tr("Melding afsluiten"), self.tr(
            "Melding {0} afsluiten? Een lopend alarm wordt daarmee ingetrokken."
        ).format(self._incident)):
            self._command(Close(self._incident))

    # -- helpers -------------------------------------------------------------------------
    def _location_good_enough(self) -> bool:
        """An approximate location (postcode area, street, place) sends responders to the
        middle of an area: ask for refinement first; the dispatcher may still go ahead."""
        state = attempt(self._funnel, self._service.state, self._incident) if self._incident else None
        if state is None:
            return False
        precision = str(state.facts.get("location_precision") or "")
        if precision not in ("street", "postcode", "place"):
            return True
        spread = state.facts.get("location_uncertainty_m") or 0
        where = {"street": self.tr("een straat"), "postcode": self.tr("een postcodegebied"),
                 "place": self.tr("een plaats")}[precision]
        return self._ask(self.tr("Locatie bij benadering"), self.tr(
            "De locatie van melding {0} is alleen {1} (±{2} m): burgerhulpverleners gaan dan naar het "
            "midden ervan. Verfijn eerst met een huisnummer of een klik op de kaart.\n\nToch nu alarmeren?"
        ).format(self._incident, where, round(float(spread))))

    def _command(self, command: Command) -> list[Event]:
        events = attempt(self._funnel, self._service.execute, command)
        self.refresh()
        return events or []

    def _ask(self, title: str, text: str) -> bool:
        try:
            return bool(self._confirm(self, title, text))
        except Exception as exc:
            self._funnel.report(exc)
            return False

    def _is_test(self) -> bool:
        state = attempt(self._funnel, self._service.state, self._incident) if self._incident else None
        return state is not None and state.mode == "test"

    def _ask_end_test(self) -> bool:
        """Ending a test alarm reaches everyone still in it, often hundreds: say how many."""
        assert self._incident is not None
        state = self._service.state(self._incident)
        reached = state.count("alerted", "accepted", "arrived")
        return self._ask(
            self.tr("Proefalarm beëindigen"),
            self.tr("Proefalarm {0} beëindigen? %n burgerhulpverlener(s) krijgen een annulering.", "", reached).format(
                self._incident
            ),
        )

    def _blocker_text(self, blocker: str | None) -> str:
        nl, en = BLOCKER_TEXT.get(blocker or "unknown_incident", (blocker or "", blocker or ""))
        return en if self._language == "en" else nl

    def _units_text(self, state: IncidentState | None) -> str:
        if state is None or not state.ambulance_units:
            return self.tr("Nog geen ambulance uitgegeven.")
        units = ", ".join(state.ambulance_units)
        if state.ambulance_arrived_at is not None:
            return self.tr("Ambulance {0} ter plaatse om {1:%H:%M:%S}.").format(units, state.ambulance_arrived_at)
        when = state.ambulance_dispatched_at
        return self.tr("Ambulance {0} uitgegeven om {1}.").format(units, f"{when:%H:%M:%S}" if when else "")

    @Slot(object)
    def _on_events(self, events: Sequence[Event]) -> None:
        if touches(events, self._incident):
            self.refresh()
