"""Patient age in years with an explicit "onbekend" (unknown) state, the default."""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox, QWidget

UNKNOWN = -1.0  # the spin box minimum; shown as the special value text "onbekend"
_PARTIAL = re.compile(r"^\s*\d{0,3}(?:[.,]\d{0,2})?\s*$")


class AgeSpinBox(QDoubleSpinBox):
    """Years, two decimals (an infant of 3 months is 0,25); accepts "0,5" and "0.5" alike.

    A Dutch keyboard types a comma and many people a point; reading "0.5" as 5 (the point
    as a thousands separator) would hide an infant, so both mean the decimal mark here.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(UNKNOWN, 130.0)
        self.setDecimals(2)
        self.setSingleStep(1.0)
        self._retranslate()
        self.setValue(UNKNOWN)
        self.setAccelerated(True)

    def _retranslate(self) -> None:
        self.setSpecialValueText(self.tr("onbekend"))
        self.setSuffix(self.tr(" jaar"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def age(self) -> float | None:
        """The age in years, or None when unknown."""
        value = self.value()
        return None if value < 0 else round(value, 2)

    def set_age(self, age: float | None) -> None:
        self.setValue(UNKNOWN if age is None else float(age))

    def clear_age(self) -> None:
        self.setValue(UNKNOWN)

    def stepBy(self, steps: int) -> None:
        # Down from 0,5 goes to "onbekend", never to a negative age; up from it starts at 0.
        if self.age() is None:
            self.setValue(0.0 if steps > 0 else UNKNOWN)
        else:
            new = self.value() + steps * self.singleStep()
            self.setValue(new if new >= 0 else UNKNOWN)
        self.selectAll()

    # -- text <-> value ------------------------------------------------------------------
    def _number(self, text: str) -> str:
        return text.removesuffix(self.suffix()).strip().replace(",", ".")

    def textFromValue(self, value: float) -> str:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        return text.replace(".", self.locale().decimalPoint())

    def valueFromText(self, text: str) -> float:
        number = self._number(text)
        if not number or number == self._number(self.specialValueText()):
            return UNKNOWN
        try:
            return float(number)
        except ValueError:
            return UNKNOWN

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        number = self._number(text)
        special = self.specialValueText()
        if text == special or not number:
            return QValidator.State.Acceptable if text == special else QValidator.State.Intermediate, text, pos
        if special.startswith(text.strip()):
            return QValidator.State.Intermediate, text, pos
        if not _PARTIAL.match(number):
            return QValidator.State.Invalid, text, pos
        try:
            value = float(number)
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        if value > self.maximum():
            return QValidator.State.Invalid, text, pos
        return QValidator.State.Acceptable, text, pos
