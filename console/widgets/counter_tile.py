"""One number with its caption, e.g. "Geaccepteerd 3/5", green once its target is met."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from .. import colours


class CounterTile(QFrame):
    def __init__(self, parent: QWidget | None = None, big: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("counterTile")
        self.caption = QLabel(self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("color: #4a4a4a; font-size: 11px;")
        self.value = QLabel("–", self)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._size = 24 if big else 18
        self._met: bool | str | None = "unset"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 3)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.set_value("–")

    def set_caption(self, text: str) -> None:
        self.caption.setText(text)

    def set_value(self, text: str, met: bool | None = None) -> None:
        """`met`: None for a plain count, True/False for a count against a target."""
        if self.value.text() != text:
            self.value.setText(text)
        if met == self._met and self._met != "unset":
            return  # restyling is the expensive part; do it only when the colour changes
        self._met = met
        colour = colours.NEUTRAL if met is None else colours.MET if met else colours.NOT_MET
        background = "#e3f6e6" if met else "#fdecea" if met is False else "#f6f6f6"
        border = colours.MET if met else colours.NOT_MET if met is False else "#d0d0d0"
        self.setProperty("met", met)
        self.value.setStyleSheet(f"color: {colour}; font-size: {self._size}px; font-weight: bold;")
        self.setStyleSheet(
            f"QFrame#counterTile {{ background: {background}; border: 1px solid {border};"
            " border-radius: 4px; }"
        )
