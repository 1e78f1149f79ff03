"""The notice bar above the map: what the funnel says, coloured by level, dismissable.

Errors and warnings stay until the dispatcher dismisses them; information fades after a
while. The same text again raises a counter instead of stacking a second line.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from .. import colours
from ..funnel import MessageFunnel

MAX_VISIBLE = 3
INFO_LIFETIME_MS = 10_000
MAX_CHARS = 400


class Notice(QFrame):
    dismissed = Signal(object)  # the Notice

    def __init__(self, level: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.level = level if level in colours.NOTICE else "info"
        self.text = text
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
    """Stacks the latest notices (newest on top); hidden when there is nothing to say."""

    def __init__(self, funnel: MessageFunnel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(3)
        self._notices: list[Notice] = []
        funnel.message.connect(self.show_message)
        self.setVisible(False)

    def notices(self) -> list[tuple[str, str]]:
        """(level, text) of what is shown, newest first (tests, screen readers)."""
        return [(n.level, n.label.text()) for n in self._notices]

    def show_message(self, level: str, text: str) -> None:
        # Never a traceback, whatever a caller passed in: keep its last line, the message.
        if "Traceback (most recent call last)" in text:
            text = [line for line in text.splitlines() if line.strip()][-1]
        text = " ".join(text.split())
        for notice in self._notices:
            if notice.level == level and notice.text == text:
                notice.repeat()
                return
        notice = Notice(level, text, self)
        notice.dismissed.connect(self.dismiss)
        self._notices.insert(0, notice)
        self._layout.insertWidget(0, notice)
        while len(self._notices) > MAX_VISIBLE:
            self.dismiss(self._notices[-1])
        if notice.level == "info":
            QTimer.singleShot(INFO_LIFETIME_MS, notice, lambda: self.dismiss(notice))
        self.setVisible(True)

    def dismiss(self, notice: Notice) -> None:
        if notice not in self._notices:
            return
        self._notices.remove(notice)
        notice.hide()
        notice.deleteLater()
        self.setVisible(bool(self._notices))

    def dismiss_all(self) -> None:
        for notice in list(self._notices):
            self.dismiss(notice)
