"""Caller instruction (meldersinstructie): its state, the clocks, a CPR rhythm cue, prompts.

The three moves are QActions (F5/F6/F7) so the main window's menu and the buttons here
share one shortcut. Which move is allowed comes from the engine's declared lifecycle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from alert_engine.api.commands import CallerInstruction
from alert_engine.errors import EngineError
from alert_engine.events import Event
from alert_engine.service import IncidentService
from alert_engine.state import IncidentState

from ..funnel import MessageFunnel
from ..labels import caller_instruction_labels, mmss
from ..models.caller_prompt import (
    CPR_RATE_PER_MIN,
    allowed_moves,
    prompt,
    since_call,
    since_instruction,
)

BEAT_ON_MS = 120  # how long the dot stays lit per compression


class RhythmDot(QWidget):
    """A round light that blinks on each compression (painted, not restyled: 4 times a second)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(26, 26)
        self.colour = QColor("#dddddd")

    def set_colour(self, name: str) -> None:
        if self.colour.name() != name:
            self.colour = QColor(name)
            self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.setBrush(self.colour)
        painter.drawEllipse(2, 2, 22, 22)


class CallerInstructionPanel(QFrame):
    def __init__(
        self,
        service: IncidentService,
        funnel: MessageFunnel,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._funnel = funnel
        self._now = now or service.now
        self._incident: str | None = None
        self._state: IncidentState | None = None
        self._writable = True  # False while the centre's service cannot take commands
        self.setObjectName("callerInstruction")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.start_action = self._action("F5", "instructing")
        self.handover_action = self._action("F6", "handed_over")
        self.end_action = self._action("F7", "ended")
        self.sound_action = QAction(self)
        self.sound_action.setCheckable(True)
        self.sound_action.setChecked(False)  # an audible click only when asked for
        self.sound_action.setShortcut(QKeySequence("F8"))

        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13px;")
        self.state_label = QLabel(self)
        self.state_label.setStyleSheet("font-weight: bold; padding: 1px 6px; border-radius: 3px;")
        self.call_caption, self.call_clock = QLabel(self), self._clock_label()
        self.cpr_caption, self.cpr_clock = QLabel(self), self._clock_label()
        self.dot = RhythmDot(self)
        self.rate_label = QLabel(self)
        self.sound_box = QCheckBox(self)
        self.sound_box.toggled.connect(self.sound_action.setChecked)
        self.sound_action.toggled.connect(self.sound_box.setChecked)
        self.prompt_label = QLabel(self)
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setStyleSheet(
            "background: #fff1c2; border: 1px solid #b7791f; border-left: 6px solid #b7791f;"
            " padding: 4px; font-weight: bold; color: #3d2a00;"
        )
        self.prompt_label.hide()

        self.start_button, self.handover_button, self.end_button = (
            self._button(a) for a in (self.start_action, self.handover_action, self.end_action)
        )

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(self.state_label)
        clocks = QGridLayout()
        clocks.addWidget(self.call_caption, 0, 0)
        clocks.addWidget(self.cpr_caption, 0, 1)
        clocks.addWidget(self.call_clock, 1, 0)
        clocks.addWidget(self.cpr_clock, 1, 1)
        rhythm = QVBoxLayout()
        rhythm.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignHCenter)
        rhythm.addWidget(self.rate_label, 0, Qt.AlignmentFlag.AlignHCenter)
        rhythm.addWidget(self.sound_box)
        clocks.addLayout(rhythm, 0, 2, 2, 1)
        clocks.setColumnStretch(0, 1)
        clocks.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        for b in (self.start_button, self.handover_button, self.end_button):
            buttons.addWidget(b, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addLayout(head)
        layout.addLayout(clocks)
        layout.addLayout(buttons)
        layout.addWidget(self.prompt_label)

        self._beat = QTimer(self)
        self._beat.setInterval(round(60_000 / CPR_RATE_PER_MIN))
        self._beat.timeout.connect(self._beat_on)
        self._styled_state: str | None = "unset"
        self._paint_dot(False)
        self.retranslate()
        self._render()

    # -- construction helpers ---------------------------------------------------------
    def _action(self, key: str, target: str) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: self.move_to(target))
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setMinimumHeight(30)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        return button

    def _clock_label(self) -> QLabel:
        label = QLabel("–", self)
        label.setStyleSheet("font-size: 26px; font-weight: bold; font-family: 'DejaVu Sans Mono', monospace;")
        return label

    # -- public -----------------------------------------------------------------------
    def set_incident(self, incident: str | None) -> None:
        self._incident = incident
        self._state = self._service.state(incident) if incident is not None else None
        self._render()

    def set_writable(self, writable: bool) -> None:
        self._writable = writable
        self._render()

    def on_events(self, events: Sequence[Event]) -> None:
        if self._incident is not None and any(e.incident == self._incident for e in events):
            self._state = self._service.state(self._incident)
            self._render()

    def tick(self) -> None:
        now = self._now()
        self.call_clock.setText(mmss(since_call(self._state, now)))
        self.cpr_clock.setText(mmss(since_instruction(self._state, now)))

    def move_to(self, target: str) -> None:
        if self._incident is None:
            self._funnel.warning(self.tr("Selecteer eerst een melding."))
            return
        try:
            self._service.execute(CallerInstruction(self._incident, target))
        except EngineError as exc:
            self._funnel.report(exc)

    @property
    def rhythm_running(self) -> bool:
        return self._beat.isActive()

    @property
    def prompt_text(self) -> str:
        return self.prompt_label.text() if not self.prompt_label.isHidden() else ""

    # -- rendering --------------------------------------------------------------------
    def _render(self) -> None:
        s = self._state
        moves = allowed_moves(s) if self._writable else frozenset()
        self.start_action.setEnabled("instructing" in moves)
        self.handover_action.setEnabled("handed_over" in moves)
        self.end_action.setEnabled("ended" in moves)
        state = s.caller_instruction if s is not None else None
        self.state_label.setText(caller_instruction_labels().get(state, "–") if state else "–")
        if state != self._styled_state:
            self._styled_state = state
            colour = {"instructing": "#ffb4a8", "handed_over": "#c3ece6", "ended": "#dcdcdc"}.get(
                state or "", "#eeeeee"
            )
            self.state_label.setStyleSheet(
                f"font-weight: bold; padding: 1px 6px; border-radius: 3px; background: {colour};"
            )
        if state == "instructing":
            if not self._beat.isActive():
                self._beat.start()
        else:
            self._beat.stop()
            self._paint_dot(False)
        which = prompt(s)
        if which == "ambulance":
            self.prompt_label.setText(
                self.tr("Ambulance ter plaatse – draag over aan de ambulance en rond de instructie af")
            )
        elif which == "first_responder":
            self.prompt_label.setText(
                self.tr("Eerste hulpverlener ter plaatse – draag over en rond de instructie af")
            )
        self.prompt_label.setVisible(which is not None)
        self.tick()

    def _beat_on(self) -> None:
        self._paint_dot(True)
        if self.sound_action.isChecked():
            QApplication.beep()
        QTimer.singleShot(BEAT_ON_MS, self, lambda: self._paint_dot(False))

    def _paint_dot(self, lit: bool) -> None:
        self.dot.set_colour("#d0021b" if lit else "#f3c4c9" if self._beat.isActive() else "#dddddd")

    # -- language ---------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._render()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Meldersinstructie"))
        self.start_action.setText(self.tr("Start instructie (F5)"))
        self.start_action.setToolTip(self.tr("Reanimatie-instructie aan de melder gestart"))
        self.handover_action.setText(self.tr("Overgedragen (F6)"))
        self.handover_action.setToolTip(
            self.tr("Een hulpverlener of de ambulance heeft de reanimatie overgenomen")
        )
        self.end_action.setText(self.tr("Beëindigd (F7)"))
        self.end_action.setToolTip(self.tr("De meldersinstructie is afgerond"))
        self.sound_action.setText(self.tr("Ritme-tik hoorbaar (F8)"))
        self.call_caption.setText(self.tr("Sinds 112-melding"))
        self.cpr_caption.setText(self.tr("Sinds start instructie"))
        self.rate_label.setText(self.tr("{0}/min").format(CPR_RATE_PER_MIN))
        self.sound_box.setText(self.tr("tik"))
        self.sound_box.setToolTip(self.tr("Hoorbare tik op het ritme (standaard uit)"))
        self.dot.setToolTip(self.tr("Compressieritme {0} per minuut").format(CPR_RATE_PER_MIN))
