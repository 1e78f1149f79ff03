"""One funnel for everything the dispatcher must see: errors, warnings, confirmations.

Widgets never show their own message boxes for errors; they call `funnel.report(...)`.
Unexpected exceptions (also from qasync slots) arrive here through sys.excepthook, are
logged with their traceback, and reach the dispatcher as one readable sentence.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal

from alert_engine.errors import EngineError

log = logging.getLogger("zesminuten.console")


class MessageFunnel(QObject):
    """Emits `message(level, text)` and `notice(level, text, incident, cause)`; the main
    window's notice bar shows the notices of the selected incident.

    `incident` (None: the one selected when it arrives) and `cause` (a word such as an
    alert blocker, "" for none) let the bar drop a notice once its cause is resolved.
    """

    message = Signal(str, str)  # level ("error", "warning", "info"), text
    notice = Signal(str, str, object, str)  # level, text, incident or None, cause

    def _emit(self, level: str, text: str, incident: str | None, cause: str) -> None:
        self.message.emit(level, text)
        self.notice.emit(level, text, incident, cause)

    def report(
        self, error: BaseException | str, level: str = "error", *, incident: str | None = None, cause: str = ""
    ) -> None:
        if isinstance(error, EngineError):
            text = str(error)
        elif isinstance(error, BaseException):
            log.error("unexpected error", exc_info=error)
            text = QCoreApplication.translate(
                "Funnel", "Er ging iets mis in de console ({0}). De melding is vastgelegd in het logboek."
            ).format(type(error).__name__)
        else:
            text = error
        if level == "error" and not isinstance(error, str):
            log.warning("reported to dispatcher: %s", text)
        self._emit(level, text, incident, cause)

    def info(self, text: str, *, incident: str | None = None, cause: str = "") -> None:
        self._emit("info", text, incident, cause)

    def warning(self, text: str, *, incident: str | None = None, cause: str = "") -> None:
        self._emit("warning", text, incident, cause)

    def install_excepthook(self) -> None:
        """Route unexpected exceptions here instead of printing a traceback at the user."""

        def hook(
            exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
        ) -> None:
            log.error("uncaught: %s", "".join(traceback.format_exception(exc_type, exc, tb)))
            self.report(exc)

        sys.excepthook = hook
