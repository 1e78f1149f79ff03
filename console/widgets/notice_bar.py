"""The notice bar above the map: what the funnel says, coloured by level, dismissable.

Errors and warnings stay until the dispatcher dismisses them or their cause is resolved;
information fades after a while. The same text again raises a counter instead of stacking
a second line. Each notice belongs to the incident it is about (the one selected when it
arrived, unless the sender named one): the bar shows only the selected incident's.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from .. import colours
from ..funnel import MessageFunnel

MAX_VISIBLE = 3
INFO_LIFETIME_MS = 10_000
MAX_CHARS = 400


ZOOM_CONTROL_PX = 52


class Notice(QFrame):
    dismissed = Signal(object)  # the Notice

    def __init__(
        self, level: str, text: str, parent: QWidget | None = None, incident: str | None = None, cause: str = ""
    ) -> None:
        super().__init__(parent)
        self.level = level if level in colours.NOTICE else "info"
        self.text = text
        self.incident = incident
        self.cause = cause
        self.repeats = 1
        background, border = colours.NOTICE[self.level]
        self.setObjectName("notice")
        self.setProperty("level", self.level)
        self.setStyleSheet(
            f"QFrame#notice {{ background: {background}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 3px; }}"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 3, 3, 3)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #1d1d1d; font-weight: 600;")
        self._close = QToolButton(self)
        self._close.setText("✕")
        self._close.setAutoRaise(True)
        self._close.clicked.connect(lambda: self.dismissed.emit(self))
        row.addWidget(self.label, 1)
        row.addWidget(self._close)
        self._render()

    def repeat(self) -> None:
        self.repeats += 1
        self._render()

    def _render(self) -> None:
        text = self.text if len(self.text) <= MAX_CHARS else self.text[: MAX_CHARS - 1] + "…"
        suffix = f"  ({self.repeats}×)" if self.repeats > 1 else ""
        self.label.setText(text + suffix)
        self._close.setToolTip(self.tr("Wegklikken"))


class NoticeBar(QWidget):
    """Stacks the selected incident's latest notices (newest on top); hidden when there is
    nothing to say. `float_over(widget)` lays it over the top of `widget` (the map) instead
    of in a layout, so a notice coming or going never moves or resizes the map."""

    def __init__(self, funnel: MessageFunnel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(3)
        self._notices: list[Notice] = []  # of every incident, newest first
        self._incident: str | None = None
        self._over: QWidget | None = None
        funnel.notice.connect(self.show_message)
        self.setVisible(False)

    def float_over(self, widget: QWidget) -> None:
        self._over = widget
        widget.installEventFilter(self)
        self._place()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._over and event.type() in (QEvent.Type.Resize, QEvent.Type.Move):
            self._place()
        return False

    def _place(self) -> None:
        if self._over is None:
            return
        top = self._over.geometry()
        # Right of the map's zoom buttons (Leaflet's, 10 px in and 34 px wide): a notice
        # never hides them.
        left = ZOOM_CONTROL_PX
        width = max(0, top.width() - left - 6)
        height = self._layout.totalHeightForWidth(width) if self._shown() else 0
        self.setGeometry(top.x() + left, top.y() + 6, width, max(0, height))
        self.raise_()

    def _shown(self) -> list[Notice]:
        return [n for n in self._notices if n.incident == self._incident]

    def notices(self) -> list[tuple[str, str]]:
        """(level, text) of what is shown, newest first (tests, screen readers)."""
        return [(n.level, n.label.text()) for n in self._shown()]

    def set_incident(self, incident: str | None) -> None:
        """Show the notices about `incident` (None: a new call being taken)."""
        self._incident = incident
        self._render()

    def show_message(self, level: str, text: str, incident: str | None = None, cause: str = "") -> None:
        # Never a traceback, whatever a caller passed in: keep its last line, the message.
        if "Traceback (most recent call last)" in text:
            text = [line for line in text.splitlines() if line.strip()][-1]
        text = " ".join(text.split())
        incident = incident if incident is not None else self._incident
        for notice in self._notices:
            if notice.level == level and notice.text == text and notice.incident == incident:
                notice.repeat()
                return
        notice = Notice(level, text, self, incident, cause)
        notice.dismissed.connect(self.dismiss)
        self._notices.insert(0, notice)
        self._layout.insertWidget(0, notice)
        same = [n for n in self._notices if n.incident == incident]
        for old in same[MAX_VISIBLE:]:
            self.dismiss(old)
        if notice.level == "info":
            QTimer.singleShot(INFO_LIFETIME_MS, notice, lambda: self.dismiss(notice))
        self._render()

    def dismiss(self, notice: Notice) -> None:
        if notice not in self._notices:
            return
        self._notices.remove(notice)
        notice.hide()
        notice.deleteLater()
        self._render()

    def dismiss_all(self) -> None:
        """The dispatcher's "clear": what is shown now, not other incidents' notices."""
        for notice in self._shown():
            self.dismiss(notice)

    def resolve(self, incident: str | None, resolved: Callable[[str], bool]) -> None:
        """Drop `incident`'s notices whose cause `resolved(cause)` says is over."""
        for notice in [n for n in self._notices if n.incident == incident]:
            if resolved(notice.cause):
                self.dismiss(notice)

    def _render(self) -> None:
        shown = self._shown()
        for notice in self._notices:
            notice.setVisible(notice in shown)
        self.setVisible(bool(shown))
        self._place()
