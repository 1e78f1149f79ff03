"""`ReviewPlayer`: play, pause, step and speed over a replay, and where the scrubber stands.

The row under the timeline (buttons, the replay's time, its last event) and the playback
menu's entries. It moves time only through the window's `seek`, so a frame of the player
is an ordinary seek (logged, clamped, drawn by the incident view).
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from alert_engine.events import Event
from alert_engine.review.access_log import ReviewSession
from alert_engine.review.intervals import mmss
from alert_engine.review.replay import ReplayService

SPEEDS = (1, 4, 16)
SPEED_KEYS = {1: "1", 4: "4", 16: "6"}
FRAME_MS = 40  # player: 25 seeks a second at most


class ReviewPlayer(QFrame):
    def __init__(
        self,
        replay: ReplayService,
        incident: str,
        seek: Callable[[datetime], None],
        session: ReviewSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.replay = replay
        self.incident = incident
        self._seek = seek
        self._session = session
        self._moments = replay.moments()
        self._t0 = replay.start
        self._playing = False
        self._speed = 1
        self._last_frame = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._frame)
        self._build_row()
        self._build_actions()
        self.retranslate()

    def _build_row(self) -> None:
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        self.prev_button = self._tool("|◀", self.step_previous)
        self.play_button = self._tool("▶", self.toggle_play)
        self.next_button = self._tool("▶|", self.step_next)
        for b in (self.prev_button, self.play_button, self.next_button):
            row.addWidget(b)
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[int, QToolButton] = {}
        for speed in SPEEDS:
            b = self._tool(f"{speed}×", self._speed_setter(speed))
            b.setCheckable(True)
            self.speed_group.addButton(b)
            self.speed_buttons[speed] = b
            row.addWidget(b)
        self.speed_buttons[1].setChecked(True)
        self.time_label = QLabel(self)
        self.time_label.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace; font-size: 14px; font-weight: bold;")
        self.event_label = QLabel(self)
        self.event_label.setStyleSheet("color: #444;")
        row.addSpacing(12)
        row.addWidget(self.time_label)
        row.addSpacing(12)
        row.addWidget(self.event_label, 1)

    def _tool(self, text: str, slot: Callable[[], None]) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setMinimumWidth(36)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must stay the player's key
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _build_actions(self) -> None:
        self.play_action = self._action(self.toggle_play, "Space")
        self.prev_action = self._action(self.step_previous, "Left")
        self.next_action = self._action(self.step_next, "Right")
        group = QActionGroup(self)
        self.speed_actions: dict[int, QAction] = {}
        for speed in SPEEDS:
            a = self._action(self._speed_setter(speed), SPEED_KEYS[speed])
            a.setCheckable(True)
            group.addAction(a)
            self.speed_actions[speed] = a
        self.speed_actions[1].setChecked(True)
        self.start_action = self._action(lambda: self._seek(self.replay.start), "Home")
        self.end_action = self._action(lambda: self._seek(self.replay.end), "End")

    def _action(self, slot: Callable[[], object], keys: str) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def fill_menu(self, menu: QMenu) -> None:
        """The playback menu: its entries own the player's keys (Space, arrows, 1/4/6, Home, End)."""
        menu.addActions([self.play_action, self.prev_action, self.next_action])
        menu.addSeparator()
        menu.addActions(list(self.speed_actions.values()))
        menu.addSeparator()
        menu.addActions([self.start_action, self.end_action])

    # -- language -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.prev_button.setToolTip(self.tr("Vorige gebeurtenis (←)"))
        self.play_button.setToolTip(self.tr("Afspelen / pauzeren (spatie)"))
        self.next_button.setToolTip(self.tr("Volgende gebeurtenis (→)"))
        for speed, button in self.speed_buttons.items():
            button.setToolTip(self.tr("Snelheid {0}× (toets {1})").format(speed, SPEED_KEYS[speed]))
        texts = {
            self.play_action: self.tr("Afspelen / pauzeren"),
            self.prev_action: self.tr("Vorige gebeurtenis"),
            self.next_action: self.tr("Volgende gebeurtenis"),
            self.start_action: self.tr("Naar het begin"),
            self.end_action: self.tr("Naar het einde"),
        }
        for speed, action in self.speed_actions.items():
            texts[action] = self.tr("Snelheid {0}×").format(speed)
        for action, text in texts.items():
            action.setText(text)
        self._show_last_event()

    # -- where the scrubber is ------------------------------------------------------------
    def set_now(self, t: datetime) -> str:
        """Show the replay's time and last event; returns the time relative to the start."""
        rel = f"T+{mmss((t - self._t0).total_seconds())}"
        self.time_label.setText(f"{rel}  ·  {t:%H:%M:%S}")
        self._show_last_event()
        return rel

    def _show_last_event(self) -> None:
        last = self.replay.events(self.incident)
        text = self.tr("laatste gebeurtenis: {0}").format(event_text(last[-1], self._t0)) if last else ""
        self.event_label.setText(text)

    # -- playing --------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> int:
        return self._speed

    def toggle_play(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.replay.now() >= self.replay.end:
            self._seek(self.replay.start)
        self._session.record("replay", {"play": True})
        self._playing = True
        self._last_frame = time.monotonic()
        self._timer.start()
        self.play_button.setText("❚❚")

    def pause(self) -> None:
        self._playing = False
        self._timer.stop()
        self.play_button.setText("▶")

    def _speed_setter(self, speed: int) -> Callable[[], None]:
        return lambda: self.set_speed(speed)

    def set_speed(self, speed: int) -> None:
        self._speed = speed
        self.speed_buttons[speed].setChecked(True)
        self.speed_actions[speed].setChecked(True)

    def _frame(self) -> None:
        now = time.monotonic()
        elapsed, self._last_frame = now - self._last_frame, now
        target = self.replay.now() + timedelta(seconds=elapsed * self._speed)
        self._seek(min(target, self.replay.end))
        if self.replay.now() >= self.replay.end:
            self.pause()

    def step_next(self) -> None:
        i = bisect_right(self._moments, self.replay.now())
        if i < len(self._moments):
            self._seek(self._moments[i])

    def step_previous(self) -> None:
        i = bisect_left(self._moments, self.replay.now())
        if i > 0:
            self._seek(self._moments[i - 1])


def event_text(e: Event, t0: datetime) -> str:
    from alert_engine.review.report_text import event_label

    label = event_labels().get(e.type) or event_label(e.type)
    return f"T+{mmss((e.time - t0).total_seconds())} {label}"


def event_labels() -> dict[str, str]:
    """The engine's event names (report_text.EVENT_KINDS, Dutch only) through the catalogue."""

    return {
        "call_received": QCoreApplication.translate("EventKinds", "112-melding"),
        "call_updated": QCoreApplication.translate("EventKinds", "Melding aangevuld"),
        "exclusion_assessed": QCoreApplication.translate("EventKinds", "Uitsluitcriteria"),
        "exclusion_overridden": QCoreApplication.translate("EventKinds", "Uitsluiting overruled"),
        "ambulance_dispatched": QCoreApplication.translate("EventKinds", "Ambulance uitgegeven"),
        "ambulance_arrived": QCoreApplication.translate("EventKinds", "Ambulance ter plaatse"),
        "alert_refused": QCoreApplication.translate("EventKinds", "Alarmering geweigerd"),
        "alert_sent": QCoreApplication.translate("EventKinds", "Alarmering"),
        "responder_accepted": QCoreApplication.translate("EventKinds", "Geaccepteerd"),
        "responder_declined": QCoreApplication.translate("EventKinds", "Afgewezen"),
        "responder_timed_out": QCoreApplication.translate("EventKinds", "Geen reactie"),
        "responder_arrived": QCoreApplication.translate("EventKinds", "Ter plaatse"),
        "cancellation_sent": QCoreApplication.translate("EventKinds", "Annulering"),
        "oversupply": QCoreApplication.translate("EventKinds", "Overaanbod"),
        "oversupply_feedback": QCoreApplication.translate("EventKinds", "Terugkoppeling overaanbod"),
        "aed_fetched": QCoreApplication.translate("EventKinds", "AED opgehaald"),
        "aed_connected": QCoreApplication.translate("EventKinds", "AED aangesloten"),
        "aed_check_requested": QCoreApplication.translate("EventKinds", "AED-controle gevraagd"),
        "aed_ready_confirmed": QCoreApplication.translate("EventKinds", "AED weer gereed"),
        "caller_instruction_changed": QCoreApplication.translate("EventKinds", "Meldersinstructie"),
        "alarm_cancelled": QCoreApplication.translate("EventKinds", "Alarm ingetrokken"),
        "incident_closed": QCoreApplication.translate("EventKinds", "Melding afgesloten"),
        "annotation_added": QCoreApplication.translate("EventKinds", "Notitie"),
        "message_sent": QCoreApplication.translate("EventKinds", "Bericht verstuurd"),
        "message_delivered": QCoreApplication.translate("EventKinds", "Bericht afgeleverd"),
        "message_failed": QCoreApplication.translate("EventKinds", "Bericht niet afgeleverd"),
        "message_acknowledged": QCoreApplication.translate("EventKinds", "Ontvangst bevestigd"),
        "channel_outage": QCoreApplication.translate("EventKinds", "Kanaalstoring"),
        # Issue 13: the dispatch system's messages and the ambulance's status and ETA.
        "intake_received": QCoreApplication.translate("EventKinds", "Bericht meldkamersysteem"),
        "ambulance_status_changed": QCoreApplication.translate("EventKinds", "Ambulancestatus"),
        "ambulance_eta_changed": QCoreApplication.translate("EventKinds", "Aanrijtijd ambulance"),
        "intake_silent": QCoreApplication.translate("EventKinds", "Meldkamersysteem stil"),
        "coordinator_assigned": QCoreApplication.translate("EventKinds", "Coördinator"),
    }
