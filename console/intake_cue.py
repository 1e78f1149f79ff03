"""The cue of a call the dispatch system handed over (issue 13): a sound and a visual notice.

A typed call needs no cue (the dispatcher is typing it); a call from GMS or an EIDO sender
arrives while the dispatcher may be coaching CPR on another one, so it must be heard as
well as seen. The queue highlights its row until it is opened; this says where it is, in
the status bar and the notice bar, and plays a short two-tone signal
(`resources/sounds/new-call.wav`, generated for this project). The selection never moves.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from alert_engine.assets import resource_path
from alert_engine.state import IncidentState

from .funnel import MessageFunnel
from .labels import intake_source_label
from .models.incident_queue import place_text

log = logging.getLogger(__name__)

SOUND = "sounds/new-call.wav"
STATUS_MS = 15_000


class NewCallSound(QObject):
    """The signal: QSoundEffect on a machine with a speaker, else the system beep.

    QtMultimedia is loaded on the first call only, and never without a screen or an audio
    output (a headless run has neither; loading it there only logs the missing libraries)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played = 0  # how often the signal sounded (tests and the log read it)
        self._effect: Any = None
        self._tried = False

    def play(self) -> None:
        self.played += 1
        effect = self._sound_effect()
        if effect is not None and effect.status() != effect.Status.Error:
            effect.play()
        else:  # no speaker, or the device refused the file: the beep still says "new call"
            QApplication.beep()

    def _sound_effect(self) -> Any:
        if self._tried:
            return self._effect
        self._tried = True
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            return None
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if not QMediaDevices.audioOutputs():
                return None
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(resource_path(SOUND))))
            effect.setVolume(0.8)
            self._effect = effect
        except Exception as exc:  # no multimedia backend: the beep still sounds
            log.info("new-call sound unavailable (%s); using the system beep", exc)
        return self._effect


class NewCallCue(QObject):
    """Announces the calls the dispatch system created; `announce` is given the new states."""

    def __init__(
        self, funnel: MessageFunnel, show_status: Callable[[str, int], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._funnel = funnel
        self._show_status = show_status
        self.sound = NewCallSound(self)
        self.last_text = ""

    def announce(self, states: Sequence[IncidentState]) -> None:
        calls = [s for s in states if s.intake is not None and s.is_open]
        if not calls:
            return
        parts = [f"{intake_source_label(s.intake.source)}: {place_text(s)}" for s in calls]  # type: ignore[union-attr]
        # Short: the notice over the map shows two lines; the hints box asks for the criteria.
        self.last_text = self.tr("Nieuwe melding uit het meldkamersysteem – {0}. Ctrl+G opent de nieuwste.").format(
            "; ".join(parts))
        self._show_status(self.last_text, STATUS_MS)
        self._funnel.info(self.last_text, cause="intake_new_call")
        self.sound.play()
