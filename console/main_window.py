"""The dispatcher's main window: queue, intake and actions left; map centre; live right.

The queue, map, live panel and caller instruction are the `IncidentView` the review window
embeds too; this window adds the intake, the actions, the notices and the header. It only
wires: the service's event batches (coalesced by `EventFeed`) go to the view and panels,
the queue's selection (a `SelectedIncident`) loads one incident everywhere, and the menus
give every main action a key. Rules stay in the engine; texts and colours in the widgets.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from alert_engine.addresses.book import AddressBook
from alert_engine.addresses.resolver import Resolution
from alert_engine.events import Event
from alert_engine.gazetteer import Gazetteer
from alert_engine.service import BLOCKER_TEXT, IncidentService
from alert_engine.views.channels import channels_down

from .feed import CoalescedService, EventFeed
from .funnel import MessageFunnel
from .i18n import Translations
from .incident.selected import SelectedIncident
from .incident.view import IncidentView
from .intake_cue import NewCallCue
from .map.bridge import MapView
from .map_sync import ADDRESS_POINTS_MAX, address_op
from .registry_setup import RegistryInfo
from .widgets.actions import SHORTCUTS as ACTION_KEYS
from .widgets.actions import ActionPanel
from .widgets.confirm import AskReason, Confirm, ask_reason, ask_yes_no
from .widgets.intake import IntakePanel
from .widgets.notice_bar import NoticeBar
from .widgets.shortcuts_dialog import ShortcutsDialog
from .widgets.status_header import StatusHeader

log = logging.getLogger(__name__)

PUMP_MS = 250  # time-driven engine work: lapsed alerts, simulated responders
TICK_MS = 1000  # clocks and ETAs
PULSE_MS = 600  # attention pulse of an unseen call
# Events that start or end a channel outage banner (an outage ends with its alarm).
OUTAGE_EVENTS = frozenset({"channel_outage", "alarm_cancelled", "incident_closed"})


class MainWindow(QMainWindow):
    def __init__(
        self,
        service: IncidentService,
        funnel: MessageFunnel,
        gazetteer: Gazetteer,
        *,
        demo: bool = False,
        registry: RegistryInfo | None = None,
        translations: Translations | None = None,
        confirm: Confirm = ask_yes_no,
        reason_asker: AskReason = ask_reason,
        map_cache_dir: Path | None = None,
        pump: bool = True,
        map_view: MapView | None = None,
        address_book: AddressBook | None = None,
    ) -> None:
        """`map_view`: one made earlier (a start creates it first, so QtWebEngine starts
        while the registry loads); else one is made here with `map_cache_dir`."""
        super().__init__()
        self.service = service
        self.funnel = funnel
        self.translations = translations
        self.selected = SelectedIncident(service)
        self._own_calls: set[str] = set()  # created here: selected, not "unseen"
        # The remote backend's connection ("connected", ...); None: embedded, always writable.
        self.connection: str | None = None
        self._connection_detail = ""
        now = service.now

        # -- the incident view (queue, map, live panel, caller), fed the coalesced batches --
        self.feed = EventFeed(service, parent=self)
        self.view = IncidentView(self.selected, funnel, now, map_view=map_view, map_cache_dir=map_cache_dir,
                                 parent=self)
        # Its parts under their own names: the menus, the training window and tests reach them here.
        self.queue, self.queue_model = self.view.queue, self.view.queue_model
        self.responder_model, self.aed_model = self.view.responder_model, self.view.aed_model
        self.map_view, self.map_sync = self.view.map_view, self.view.map_sync
        self.live, self.caller = self.view.live, self.view.caller

        # -- this window's own widgets ------------------------------------------------------
        self.header = StatusHeader(now, demo, registry, self)
        # Issue 12: "SMS-gateway storing" while a running alarm has given up on a channel.
        self.outage_banner = QLabel(self)
        self.outage_banner.setObjectName("outageBanner")
        self.outage_banner.setStyleSheet("background: #b42318; color: white; font-weight: bold;"
                                         " font-size: 14px; padding: 4px 10px;")
        self.outage_banner.setVisible(False)
        self.channels_down: tuple[str, ...] = ()
        # The panels listen to the service themselves: give them the coalesced batches.
        panels_service = CoalescedService(service, self.feed)
        self.intake = IntakePanel(panels_service, gazetteer, funnel, reason_asker=reason_asker,
                                  address_book=address_book, confirm=confirm)
        self._confirm = confirm
        # Off for a programmatic quit (--screenshot, benchmarks): nobody is there to answer.
        self.ask_before_quit = True
        self.action_panel = ActionPanel(panels_service, funnel, confirm=confirm)
        self.notices = NoticeBar(funnel, self)
        # Issue 13: a call the dispatch system created is heard and seen (sound, status bar, notice).
        self.new_call_cue = NewCallCue(funnel, self.statusBar().showMessage, self)
        self._build_layout()
        self._build_menus()
        self._connect()

        self._pump_timer = self._timer(PUMP_MS, self._pump)
        if not pump:
            self._pump_timer.stop()
        self._tick_timer = self._timer(TICK_MS, self.tick)
        self._pulse_timer = self._timer(PULSE_MS, self.queue_model.pulse)
        self.retranslate()
        self.select_incident(None)
        self.sync_connection()

    # -- construction ---------------------------------------------------------------------
    def _timer(self, ms: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    def _build_layout(self) -> None:
        intake_scroll = QScrollArea(self)
        intake_scroll.setWidget(self.intake)
        intake_scroll.setWidgetResizable(True)
        intake_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        view = self.view
        view.left.setStretchFactor(0, 2)
        view.add_left(intake_scroll, 5)
        view.add_left(self.action_panel, 0)
        view.left.setSizes([200, 440, 290])
        self.notices.setParent(view.centre)
        self.notices.float_over(self.map_view)  # over the map: a notice never moves it

        self.columns = view.columns
        # Extra width (1920 px screens) goes mostly to the map, some to the live tables.
        self.columns.setStretchFactor(0, 0)
        self.columns.setStretchFactor(1, 3)
        self.columns.setStretchFactor(2, 1)
        # The left column is as wide as the action panel needs (its alert button is wide).
        left_width = max(420, self.action_panel.minimumSizeHint().width() + 8)
        view.left.setMinimumWidth(left_width)
        self.columns.setSizes([left_width, 1600 - left_width - 460, 460])

        root = QWidget(self)
        layout = QVBoxLayout(root)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.outage_banner)
        body = QWidget(root)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 0, 6, 6)
        body_layout.addWidget(view)
        layout.addWidget(body, 1)
        self.setCentralWidget(root)
        self.resize(1600, 1000)

    def _action(
        self, menu: QMenu, slot: Any, keys: str | None = None, shown_keys: str | None = None
    ) -> QAction:
        """A menu entry; `keys` makes it the owner of the shortcut, `shown_keys` only shows
        a key some panel already owns (two owners would make Qt ignore the key)."""
        action = QAction(self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setData(shown_keys)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.new_call_action = self._action(self.file_menu, self.intake.start_new_call, shown_keys="Ctrl+N")
        self.file_menu.addSeparator()
        self.quit_action = self._action(self.file_menu, self.close, "Ctrl+Q")

        self.incident_menu = bar.addMenu("")
        a = self.action_panel
        self.dispatch_action = self._action(self.incident_menu, a.dispatch_ambulance, shown_keys=ACTION_KEYS["dispatch"])
        self.alert_action = self._action(self.incident_menu, a.trigger_alert, shown_keys=ACTION_KEYS["alert"])
        self.cancel_action = self._action(self.incident_menu, a.cancel_alarm, shown_keys=ACTION_KEYS["cancel"])
        self.arrived_action = self._action(self.incident_menu, a.ambulance_arrived, shown_keys=ACTION_KEYS["arrived"])
        self.close_incident_action = self._action(self.incident_menu, a.close_incident, shown_keys=ACTION_KEYS["close"])
        self.incident_menu.addSeparator()
        self.feedback_action = self._action(self.incident_menu, self.live.send_oversupply_feedback, "Ctrl+Shift+F")
        self.incident_menu.aboutToShow.connect(self._sync_incident_menu)

        self.instruction_menu = bar.addMenu("")
        for action in (self.caller.start_action, self.caller.handover_action, self.caller.end_action):
            self.instruction_menu.addAction(action)
        self.instruction_menu.addSeparator()
        self.instruction_menu.addAction(self.caller.sound_action)

        self.go_menu = bar.addMenu("")
        self.newest_action = self._action(self.go_menu, self.open_newest_unseen, "Ctrl+G")
        self.previous_action = self._action(self.go_menu, lambda: self.queue.step(-1), "Alt+Up")
        self.next_action = self._action(self.go_menu, lambda: self.queue.step(1), "Alt+Down")
        self.go_menu.addSeparator()
        self.focus_queue_action = self._action(self.go_menu, lambda: self.queue.table.setFocus(), "Ctrl+1")
        self.focus_intake_action = self._action(
            self.go_menu, lambda: self.intake.location.address_edit.setFocus(), "Ctrl+2"
        )
        self.focus_responders_action = self._action(self.go_menu, self.view.focus_responders, "Ctrl+3")
        self.focus_aeds_action = self._action(self.go_menu, self.view.focus_aeds, "Ctrl+4")
        self.go_menu.addSeparator()
        self.center_action = self._action(self.go_menu, self.map_sync.center_on_incident, "Ctrl+K")
        self.dismiss_action = self._action(self.go_menu, self.notices.dismiss_all, "Ctrl+Shift+Space")
        self.go_menu.addSeparator()
        # Coverage: the white spots (no 24/7 AED within 500 m) as a layer over the map.
        self.white_spots_action = self._action(self.go_menu, self._toggle_white_spots)
        self.white_spots_action.setCheckable(True)
        # The centre's service has no coverage layer (yet): a remote console leaves it out.
        self.white_spots_action.setVisible(hasattr(self.service, "white_spots"))

        self.language_menu = bar.addMenu("Taal / Language")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code, name in (("nl", "Nederlands"), ("en", "English")):
            action = QAction(name, self, checkable=True)
            action.triggered.connect(lambda _on=False, c=code: self.set_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        current = self.translations.language if self.translations else "nl"
        self.language_actions[current].setChecked(True)

        self.help_menu = bar.addMenu("")
        self.shortcuts_action = self._action(self.help_menu, self.show_shortcuts, "F1")
        self.about_action = self._action(self.help_menu, self._about)

    def _connect(self) -> None:
        self.feed.batch.connect(self.on_batch)
        self.selected.subscribe(self._incident_selected)  # after the view: the map first (see below)
        self.intake.callCreated.connect(self._own_call_created)
        self.intake.newCallStarted.connect(lambda: self.queue.select(None))
        self.intake.motorwayHit.connect(self.map_sync.show_motorway_hit)
        self.intake.locationResolved.connect(self._location_resolved)
        # A new call's notices are about finding its location: a found one resolves them.
        self.intake.locationPicked.connect(lambda *_: self.notices.resolve(None, lambda _cause: True))
        self.map_view.mapClicked.connect(self._map_clicked)
        self.map_view.viewChanged.connect(self._view_changed)
        self.view.aedNotShown.connect(
            lambda aid: self.statusBar().showMessage(self.tr("AED {0} is niet gealarmeerd voor deze melding.").format(aid), 5000)
        )

    # -- the selected incident ------------------------------------------------------------
    @property
    def current_incident(self) -> str | None:
        return self.selected.incident

    def select_incident(self, incident: str | None) -> None:
        """Load one incident everywhere (None: nothing open, the form takes a new call)."""
        self.selected.select(incident)

    def _incident_selected(self, incident: str | None) -> None:
        # The view has loaded it (its map before the intake: that re-sends its motorway hit).
        self.intake.load_incident(incident)
        self.action_panel.set_incident(incident)
        self.notices.set_incident(incident)
        self.header.set_state(self.selected.state())

    def open_newest_unseen(self) -> None:
        newest = self.queue.newest_unseen()
        if newest is None:
            self.statusBar().showMessage(self.tr("Geen nieuwe meldingen."), 4000)
            return
        self.queue.select(newest)

    def _own_call_created(self, incident: str) -> None:
        self._own_calls.add(incident)
        self.feed.flush()  # the queue must know the incident before it can select it
        self.queue.select(incident)

    # -- engine batches -------------------------------------------------------------------
    def on_batch(self, events: Sequence[Event]) -> None:
        added = self.view.on_events(events, seen=self._own_calls)
        if any(a not in self._own_calls for a in added):
            # Draw attention, never take the selection: the dispatcher may be mid-call.
            QApplication.alert(self, 0)
            self.new_call_cue.announce([self.service.state(a) for a in added if a not in self._own_calls])
        if self.selected.concerns(events):
            self.header.set_state(self.selected.state())
        self._resolve_notices({e.incident for e in events})
        if any(e.type in OUTAGE_EVENTS for e in events):
            self.sync_outages()

    def sync_outages(self) -> None:
        """Show which channels running alarms have given up on (every console folds the same log)."""
        self.channels_down = channels_down(self.service.incidents())
        names = {"app": self.tr("App-push"), "sms": self.tr("SMS"), "voice": self.tr("Spraakoproep")}
        parts = [self.tr("{0}-gateway storing").format(names[c]) for c in self.channels_down]
        self.outage_banner.setText(" · ".join(parts) + (
            self.tr(" – alarmen gaan via het volgende kanaal") if parts else ""))
        self.outage_banner.setVisible(bool(parts))

    def _resolve_notices(self, incidents: set[str]) -> None:
        """Drop notices whose cause is over: all of a closed incident's, and a blocker's
        once the engine no longer gives that blocker (an override recorded, an ambulance out)."""
        for incident in incidents:
            try:
                closed = not self.service.state(incident).is_open
                blocker = None if closed else self.service.alert_blocker(incident)
            except Exception:  # an incident the service does not know has nothing to resolve
                continue
            def over(cause: str, c: bool = closed, b: str | None = blocker) -> bool:
                return c or (cause in BLOCKER_TEXT and cause != b)

            self.notices.resolve(incident, over)

    def tick(self) -> None:
        self.view.tick()
        self.header.tick()

    def _pump(self) -> None:
        try:
            self.service.pump()
        except Exception as exc:  # one bad simulated step must not stop the clock
            self.funnel.report(exc)
        self.sync_connection()

    # -- the centre's service -------------------------------------------------------------
    def sync_connection(self) -> None:
        """Show the remote backend's connection in the header, and switch commands off
        while no active node can take them (a command would only fail after retrying)."""
        word = getattr(self.service, "connection", None)
        describe = getattr(self.service, "describe", None)
        detail = describe() if callable(describe) else ""
        if word == self.connection and detail == self._connection_detail:
            return
        changed = word != self.connection
        self.connection = word
        self._connection_detail = detail
        self.header.set_connection(word, detail)
        if changed:
            if word is not None:
                log.info("centre service: %s", word)
            self.set_commands_enabled(word in (None, "connected"))

    def set_commands_enabled(self, enabled: bool) -> None:
        self.intake.set_writable(enabled)
        self.action_panel.set_writable(enabled)
        self.view.set_writable(enabled)

    # -- map ------------------------------------------------------------------------------
    def _map_clicked(self, lat: float, lon: float) -> None:
        """A click sets the location of the call being taken, and refines that of an open
        incident until its alert is sent (after that responders are on their way to it)."""
        state = self.selected.state()
        if state is None or (state.is_open and state.alert_time is None):
            self.intake.set_location(lat, lon, "")
        else:
            self.statusBar().showMessage(
                self.tr("Een klik op de kaart zet de locatie van een nieuwe melding (eerst Ctrl+N), of van een "
                        "melding die nog niet gealarmeerd is."), 5000
            )

    def _toggle_white_spots(self, shown: bool) -> None:
        geojson = None
        if shown:
            state = self.selected.state()
            where = (state.lat, state.lon) if state is not None else self.intake.location.location
            try:
                geojson = self.service.white_spots(*(where or (None, None)))  # type: ignore[attr-defined]
            except Exception as exc:  # the coverage layer is an aid; never a traceback
                self.funnel.report(exc)
                self.white_spots_action.setChecked(False)
                return
        self.map_view.push([{"op": "white_spots", "id": "coverage", "geojson": geojson}])

    def _view_changed(self, south: float, west: float, north: float, east: float, zoom: int) -> None:
        """Street level: draw the loaded address points in view (numbers and street names)."""
        book = self.intake.location.resolver.book
        if book is None:
            return
        points = list(book.points_in(south, west, north, east, ADDRESS_POINTS_MAX))
        self.map_view.push([address_op(points)])

    def _location_resolved(self, r: Resolution | None) -> None:
        """The new call's pin and its uncertainty follow the form's one resolution."""
        if self.selected.incident is not None:
            return
        if r is None or r.lat is None or r.lon is None:
            self.map_sync.clear_candidate()
        else:
            self.map_sync.show_candidate(r.lat, r.lon, self.tr("Nieuwe melding"), r.uncertainty_m)

    # -- menus ----------------------------------------------------------------------------
    def _sync_incident_menu(self) -> None:
        a = self.action_panel
        for action, button in (
            (self.dispatch_action, a.dispatch_button),
            (self.alert_action, a.alert_button),
            (self.cancel_action, a.cancel_button),
            (self.arrived_action, a.arrived_button),
            (self.close_incident_action, a.close_button),
        ):
            action.setEnabled(button.isEnabled())
        self.feedback_action.setEnabled(self.live.feedback_button.isEnabled() and self.live.oversupply_box.isVisibleTo(self.live))

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """(menu, keys, action) for the help dialog: taken from the actions themselves."""
        rows = []
        for menu in (self.file_menu, self.incident_menu, self.instruction_menu, self.go_menu, self.help_menu):
            for action in menu.actions():
                if action.isSeparator():
                    continue
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText) or action.data() or ""
                if keys:
                    rows.append((menu.title().replace("&", ""), str(keys), action.text().replace("&", "").split("\t")[0]))
        rows.append((self.tr("Formulier"), "Ctrl+Enter", self.tr("Melding aanmaken / wijzigingen vastleggen")))
        return rows

    def show_shortcuts(self) -> None:
        ShortcutsDialog(self.shortcut_rows(), self).exec()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("Over Zesminuten"),
            self.tr(
                "Zesminuten – console voor de meldkamer ambulancezorg om burgerhulpverleners en "
                "AED's te alarmeren bij een reanimatie. Doel: binnen zes minuten reanimatie en een AED."
            ),
        )

    # -- language -------------------------------------------------------------------------
    def set_language(self, language: str) -> None:
        if self.translations is None or not self.translations.switch(language):
            self.funnel.warning(self.tr("De vertaling kon niet worden geladen."))
            self.language_actions["nl"].setChecked(True)
            return
        self.language_actions[language].setChecked(True)
        self.intake.set_language(language)
        self.action_panel.set_language(language)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Zesminuten – meldkamerconsole burgerhulpverlening"))
        self.file_menu.setTitle(self.tr("&Bestand"))
        self.incident_menu.setTitle(self.tr("&Melding"))
        self.instruction_menu.setTitle(self.tr("&Instructie"))
        self.go_menu.setTitle(self.tr("Navi&gatie"))
        self.help_menu.setTitle(self.tr("&Help"))
        texts = {
            self.new_call_action: self.tr("Nieuwe melding"),
            self.quit_action: self.tr("Console afsluiten"),
            self.dispatch_action: self.tr("Ambulance uitgegeven"),
            self.alert_action: self.tr("Alarmeer burgerhulpverleners"),
            self.cancel_action: self.tr("Alarm intrekken"),
            self.arrived_action: self.tr("Ambulance ter plaatse"),
            self.close_incident_action: self.tr("Melding afsluiten"),
            self.feedback_action: self.tr("Terugkoppeling: meer first responders ter plaatse dan verwacht"),
            self.newest_action: self.tr("Nieuwste ongeopende melding openen"),
            self.previous_action: self.tr("Vorige melding in de wachtrij"),
            self.next_action: self.tr("Volgende melding in de wachtrij"),
            self.focus_queue_action: self.tr("Naar de wachtrij"),
            self.focus_intake_action: self.tr("Naar het adresveld"),
            self.focus_responders_action: self.tr("Naar de hulpverlenerstabel"),
            self.focus_aeds_action: self.tr("Naar de AED-tabel"),
            self.center_action: self.tr("Kaart op de melding"),
            self.white_spots_action: self.tr("Witte vlekken (AED-dekking) tonen"),
            self.dismiss_action: self.tr("Meldingen boven de kaart wegklikken"),
            self.shortcuts_action: self.tr("Sneltoetsen"),
            self.about_action: self.tr("Over Zesminuten"),
        }
        for action, text in texts.items():
            shown = action.data()
            # A key owned by a panel is shown after a tab, as Qt shows a menu shortcut.
            action.setText(f"{text}\t{shown}" if shown else text)
        self.queue_model.retranslate()
        self.header.set_state(self.selected.state())
        self.sync_outages()

    # -- shutdown -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        running = [s.id for s in self.service.incidents() if s.alarm_open]
        if running and self.ask_before_quit and self.isVisible() and not self._confirm(
            self,
            self.tr("Console afsluiten?"),
            self.tr("Er loopt nog een alarm ({0}). Na een herstart gaat het verder, maar zolang de "
                    "console dicht is ziet niemand wie er komt. Toch afsluiten?").format(", ".join(running)),
        ):
            event.ignore()
            return
        for timer in (self._pump_timer, self._tick_timer, self._pulse_timer):
            timer.stop()
        self.intake.send_changes()  # a fact typed just before closing is still recorded
        super().closeEvent(event)
