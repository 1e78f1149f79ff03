"""The new-call form: location, patient and scene facts, and the live exclusion checklist.

Every change asks the engine for a verdict (`service.preview`, debounced); nothing here
decides whether a criterion is met. With an incident loaded the form is in "update" mode
and sends changed facts with `update_call`, so the engine re-assesses and records them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from alert_engine.addresses.book import AddressBook
from alert_engine.addresses.resolver import Resolution
from alert_engine.api.commands import UpdateCall
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts
from alert_engine.gazetteer import Gazetteer
from alert_engine.service import IncidentService
from alert_engine.state import IncidentState

from ..funnel import MessageFunnel
from .actions import SHORTCUTS as ACTION_KEYS
from .checklist import ExclusionChecklist
from .confirm import AskReason, Confirm, ask_reason, ask_yes_no
from .engine_link import EventRelay, attempt, touches
from .facts_form import CallFactsForm
from .intake_hints import IntakeHints
from .keys import ShortcutKeysFirst
from .location import LocationBox
from .override import OverrideSection

PREVIEW_DELAY_MS = 150
COMMIT_DELAY_MS = 700  # update mode: a fact is recorded once the dispatcher pauses


@dataclass(frozen=True)
class Draft:
    """A new call being taken, kept while the dispatcher looks at another incident."""

    text: str
    resolution: Resolution | None
    facts: dict[str, Any]
    call_started: datetime | None


EMPTY_FACTS = {"patient_age_years": None, "suicide": False, "trauma": False, "violence": False,
               "location_kind": "", "location_description": ""}


class IntakePanel(QWidget):
    """Location, facts and checklist of the call being taken (new) or the selected one (update)."""

    callCreated = Signal(str)  # incident id
    motorwayHit = Signal(object)  # MotorwayHit | None, for the map
    locationPicked = Signal(float, float)  # lat, lon of the form's location
    locationResolved = Signal(object)  # the Resolution the form's location comes from, or None
    newCallStarted = Signal()  # Ctrl+N: the form is empty and in "new" mode

    def __init__(
        self,
        service: IncidentService,
        gazetteer: Gazetteer,
        funnel: MessageFunnel,
        parent: QWidget | None = None,
        *,
        reason_asker: AskReason = ask_reason,
        address_book: AddressBook | None = None,
        confirm: Confirm = ask_yes_no,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._funnel = funnel
        self._incident: str | None = None
        self._call_started: datetime | None = None  # when the dispatcher began taking this call
        self._confirm = confirm
        self._draft: Draft | None = None  # a half-entered new call while another incident is shown
        self._dirty: set[str] = set()  # update mode: facts changed but not yet sent
        self._loading = False
        # False while the centre's service cannot take commands: the form still takes a
        # call (the caller keeps talking), but creating it and sending changes wait.
        self._writable = True

        self.header = QLabel()
        self.header.setObjectName("intakeHeader")
        self.location = LocationBox(gazetteer, funnel, book=address_book)
        self.form = CallFactsForm()
        # The form's fields, also under the names this panel has always had.
        self.age, self.suicide, self.trauma = self.form.age, self.form.suicide, self.form.trauma
        self.violence, self.kind, self.description = self.form.violence, self.form.kind, self.form.description
        # Issue 13: a call from the dispatch system shows its triage and hints above the checklist.
        self.hints = IntakeHints()
        self.checklist = ExclusionChecklist()
        self.override = OverrideSection(service, funnel, reason_asker=reason_asker)
        self.create_button = QPushButton()
        self.create_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        for widget in (self.location, self.form, self.hints, self.checklist, self.override, self.create_button):
            layout.addWidget(widget)
        layout.addStretch(1)

        self._preview_timer = self._timer(PREVIEW_DELAY_MS, self.refresh_preview)
        self._commit_timer = self._timer(COMMIT_DELAY_MS, self.send_changes)
        self.location.locationChanged.connect(self._location_changed)
        self.location.motorwayMentioned.connect(self._motorway_mentioned)
        self.location.address_edit.textEdited.connect(self._call_begins)
        self.form.factChanged.connect(self._changed)
        self.form.editingDone.connect(self.send_changes)
        self.create_button.clicked.connect(self.submit)
        QShortcut(QKeySequence("Ctrl+N"), self, self.start_new_call)  # window-wide
        for keys in ("Ctrl+Return", "Ctrl+Enter"):  # only while the form has the focus
            submit = QShortcut(QKeySequence(keys), self, self.submit)
            submit.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        discard = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.discard_draft)
        discard.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        ShortcutKeysFirst((*ACTION_KEYS.values(), "Ctrl+N", "Ctrl+Return", "Ctrl+Enter"), self).install_on(self)
        self._relay = EventRelay(service, self)
        self._relay.committed.connect(self._on_events)
        self.create_button.setText(self.tr("Melding aanmaken (Ctrl+Enter)"))
        self._show_mode()
        self.refresh_preview()
        # Build the address index once the window is up, not on the first keystroke.
        QTimer.singleShot(0, self, lambda: attempt(funnel, gazetteer.load))

    def _timer(self, ms: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    # -- public --------------------------------------------------------------------------
    @property
    def incident(self) -> str | None:
        return self._incident

    def set_language(self, language: str) -> None:
        self.checklist.set_language(language)

    @Slot(float, float, str)
    def set_location(self, lat: float, lon: float, label: str = "") -> None:
        """A click on the map (or any known point) becomes the call's location."""
        self.location.set_location(lat, lon, label)

    def facts(self) -> CallFacts | None:
        """The form as call facts; None until a location is known."""
        point = self.location.location
        if point is None:
            return None
        return CallFacts(lat=point[0], lon=point[1], **self.form.values())

    @Slot()
    def start_new_call(self) -> None:
        """Ctrl+N: an empty form for a new call (a half-typed new call is kept), address focused."""
        if self._incident is not None:
            self.load_incident(None)
        self._call_begins()
        self.location.address_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.location.address_edit.selectAll()
        self.newCallStarted.emit()

    def set_writable(self, writable: bool) -> None:
        """Commands on or off (the remote backend's connection); changes typed meanwhile
        are kept and sent once commands are on again."""
        self._writable = writable
        self.override.set_writable(writable)
        self._enable_create(self.location.location is not None)
        if writable:
            self.send_changes()

    def _enable_create(self, located: bool) -> None:
        self.create_button.setEnabled(self._incident is None and located and self._writable)
        self.create_button.setToolTip("" if self._writable else self.tr(
            "Geen verbinding met een actieve meldkamerservice: de melding kan al worden ingevuld; "
            "aanmaken kan zodra de verbinding terug is."))

    @Slot()
    def submit(self) -> None:
        """Ctrl+Enter: create the incident (new mode) or record pending changes (update mode)."""
        if self._incident is not None:
            self.send_changes()
            return
        if not self._writable:
            self._funnel.warning(self.create_button.toolTip(), incident=None, cause="offline")
            return
        self.location.commit_pending()  # text typed and Ctrl+Enter at once: look it up first
        facts = attempt(self._funnel, self.facts)
        if facts is None:
            self.location.address_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            self._funnel.warning(self.tr("Kies eerst een locatie: adres, coördinaten of een klik op de kaart."))
            return
        new_call = partial(self._service.new_call, location=self.location.location_facts(),
                           call_started=self._call_started)
        incident = attempt(self._funnel, new_call, facts, self.location.address)
        if incident is not None:
            self._call_started = None
            self._draft = None
            self.load_incident(incident)
            self._draft = None  # what was on the form is this incident now, not a draft
            self.callCreated.emit(incident)

    @property
    def has_draft(self) -> bool:
        """A new call has been started and not saved (text, a location or a fact entered)."""
        if self._incident is not None:
            return self._draft is not None
        return bool(self.location.address_edit.text().strip()) or self.location.location is not None or \
            self.form.values() != EMPTY_FACTS

    def _take_draft(self) -> Draft:
        return Draft(self.location.address_edit.text(), self.location.resolution, self.form.values(),
                     self._call_started)

    def _restore_draft(self, draft: Draft) -> None:
        self.form.show_facts(draft.facts)
        # The answer comes back only if it belonged to that text (else: typed, to be resolved).
        self.location.restore(draft.text, draft.resolution)
        self._call_started = draft.call_started

    @Slot()
    def discard_draft(self) -> None:
        """Escape on a half-entered new call: asks first, then empties the form."""
        if self._incident is not None or not self.has_draft:
            return
        if not self._confirm(self, self.tr("Nieuwe melding weggooien?"),
                             self.tr("De half ingevoerde melding wordt gewist. Weet u het zeker?")):
            return
        self._call_started = None
        self.location.clear()
        self.form.show_facts({})
        self.refresh_preview()

    def load_incident(self, incident: str | None) -> None:
        """Show an incident's recorded facts and switch to update mode (None: the new call:
        the draft left when another incident was opened, else an empty form)."""
        if incident == self._incident:
            return
        if self._incident is None and incident is not None:
            self._draft = self._take_draft() if self.has_draft else None
        self.send_changes()
        if self._dirty and not self._writable and self._incident is not None:
            # Offline the changes could not go out, and this form is about to show another call.
            self._funnel.warning(self.tr(
                "Wijzigingen in melding {0} zijn niet vastgelegd: geen verbinding met de meldkamerservice. "
                "Voer ze opnieuw in zodra de kop 'verbonden' toont.").format(self._incident), incident=None)
        state = attempt(self._funnel, self._service.state, incident) if incident is not None else None
        self._loading = True
        try:
            self._incident = incident if state is not None else None
            self._dirty.clear()
            if state is None:
                self.location.clear()
                self.form.show_facts({})
                draft, self._draft = self._draft, None
                if draft is not None:
                    self._restore_draft(draft)
            else:
                self._show_recorded(state)
        finally:
            self._loading = False
        self.hints.show_state(state)
        self._show_mode()
        self.refresh_preview()

    def _show_recorded(self, state: IncidentState) -> None:
        f = state.facts
        address = str(f.get("address", "") or "") or f"{state.lat:.5f}, {state.lon:.5f}"
        spread = f.get("location_uncertainty_m")
        self.location.set_location(state.lat, state.lon, address, str(f.get("location_precision") or "map"),
                                   float(spread) if isinstance(spread, int | float) else 0.0)
        self.form.show_facts(state.facts)

    def _intake_changed(self, events: Sequence[Event]) -> None:
        """The dispatch system sent a new location, address or age for the call on the form:
        show it (a fact the dispatcher is typing wins; the warning says what came in)."""
        state = attempt(self._funnel, self._service.state, self._incident) if self._incident else None
        if state is None:
            return
        self.hints.show_state(state)
        if not any(e.type == "call_updated" for e in events):
            return
        if self._dirty:
            self._funnel.warning(self.tr("Het meldkamersysteem heeft locatie of leeftijd van melding {0} "
                                         "gewijzigd terwijl u typte: controleer het formulier.").format(self._incident))
            return
        self._loading = True
        try:
            self._show_recorded(state)
        finally:
            self._loading = False
        self.refresh_preview()

    @Slot()
    def refresh_preview(self) -> None:
        """Ask the engine for the verdict on the form as it is now."""
        self._preview_timer.stop()
        facts = attempt(self._funnel, self.facts)
        verdict = attempt(self._funnel, self._service.preview, facts) if facts is not None else None
        self.checklist.show_verdict(verdict)
        self._enable_create(facts is not None)
        self.motorwayHit.emit(verdict.motorway if verdict is not None else None)

    @Slot()
    def send_changes(self) -> None:
        """Update mode: record the facts the dispatcher changed since the last send."""
        self._commit_timer.stop()
        if self._incident is None or not self._dirty or not self._writable:
            return  # offline: the changes stay pending (set_writable sends them)
        state = attempt(self._funnel, self._service.state, self._incident)
        facts = attempt(self._funnel, self.facts)
        if state is None or facts is None:
            return
        recorded = {**state.facts, "lat": state.lat, "lon": state.lon}
        changes = {k: getattr(facts, k) for k in sorted(self._dirty) if recorded.get(k) != getattr(facts, k)}
        if "lat" in changes or "lon" in changes:
            # A refined location: how it was found goes with it (the alert prompt reads it).
            notes = {"address": self.location.address, **self.location.location_facts()}
            changes.update({k: v for k, v in notes.items() if recorded.get(k) != v})
        self._dirty.clear()
        if changes and state.is_open:
            attempt(self._funnel, self._service.execute, UpdateCall(self._incident, changes))

    # -- slots ---------------------------------------------------------------------------
    def _changed(self, fact: str) -> None:
        if self._loading:
            return
        self._preview_timer.start()
        if self._incident is not None:
            self._dirty.add(fact)
            self._commit_timer.start()

    @Slot()
    def _call_begins(self) -> None:
        """The 112 clock starts when the dispatcher starts taking the call, not when it is saved."""
        if self._incident is None and self._call_started is None:
            self._call_started = attempt(self._funnel, self._service.now)

    @Slot(str)
    def _motorway_mentioned(self, road: str) -> None:
        """'A12 hmp 10,2' typed as the address: the exclusion must see it even without a point."""
        if self._incident is None and not self.form.description.text().strip():
            self.form.description.setText(road)

    @Slot()
    def _location_changed(self) -> None:
        point = self.location.location
        if point is not None:
            self.locationPicked.emit(*point)
        if self._incident is None:
            self.locationResolved.emit(self.location.resolution if point is not None else None)
        self._enable_create(point is not None)
        self._changed("lat")
        self._changed("lon")

    @Slot(object)
    def _on_events(self, events: Sequence[Event]) -> None:
        if touches(events, self._incident):
            self._show_mode()
            mine = [e for e in events if e.incident == self._incident]
            if any(e.type == "intake_received" for e in mine):
                self._intake_changed(mine)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.create_button.setText(self.tr("Melding aanmaken (Ctrl+Enter)"))
            self._show_mode()
        super().changeEvent(event)

    def _show_mode(self) -> None:
        state = attempt(self._funnel, self._service.state, self._incident) if self._incident else None
        closed = state is not None and not state.is_open
        if self._incident is None:
            self.header.setText(self.tr("Nieuwe melding"))
        elif closed:
            self.header.setText(self.tr("Melding {0} (afgesloten)").format(self._incident))
        else:
            self.header.setText(self.tr("Melding {0} – wijzigingen worden vastgelegd").format(self._incident))
        self.location.setEnabled(not closed)
        self.form.setEnabled(not closed)
        self.create_button.setVisible(self._incident is None)
        self.override.set_incident(self._incident)
