"""The patient and scene facts of a call: age, suicide, trauma, violence, kind and description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from .age import AgeSpinBox

# Location kinds as the engine reads them (Dutch words); the combo shows translated text.
LOCATION_KINDS = ("", "woning", "openbare ruimte", "werk", "snelweg", "verzorgingsplaats", "anders")


class CallFactsForm(QWidget):
    """Emits `factChanged(name)` with the CallFacts field name on every edit, `editingDone()`
    when a typed field loses focus or gets Enter (the moment to record it)."""

    factChanged = Signal(str)
    editingDone = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.age = AgeSpinBox()
        self.age_unknown_button = QToolButton()
        self.suicide = QCheckBox()
        self.trauma = QCheckBox()
        self.violence = QCheckBox()
        self.kind = QComboBox()
        for code in LOCATION_KINDS:
            self.kind.addItem("", code)
        self.description = QLineEdit()
        self.age_label, self.kind_label, self.description_label = QLabel(), QLabel(), QLabel()
        for label, buddy in ((self.age_label, self.age), (self.kind_label, self.kind),
                             (self.description_label, self.description)):
            label.setBuddy(buddy)

        age_row = QHBoxLayout()
        age_row.addWidget(self.age, 1)
        age_row.addWidget(self.age_unknown_button)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.age_label, age_row)
        for box in (self.suicide, self.trauma, self.violence):
            form.addRow("", box)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.description_label, self.description)
        self._retranslate()

        self.age.valueChanged.connect(lambda _v: self.factChanged.emit("patient_age_years"))
        self.age_unknown_button.clicked.connect(self.age.clear_age)
        for name, box in (("suicide", self.suicide), ("trauma", self.trauma), ("violence", self.violence)):
            box.toggled.connect(lambda _on, n=name: self.factChanged.emit(n))
        self.kind.currentIndexChanged.connect(lambda _i: self.factChanged.emit("location_kind"))
        self.description.textChanged.connect(lambda _t: self.factChanged.emit("location_description"))
        self.age.editingFinished.connect(self.editingDone)
        self.description.editingFinished.connect(self.editingDone)

    def _retranslate(self) -> None:
        self.age_label.setText(self.tr("&Leeftijd patiënt"))
        self.kind_label.setText(self.tr("&Soort locatie"))
        self.description_label.setText(self.tr("Omsc&hrijving locatie"))
        self.age_unknown_button.setText(self.tr("Onbekend"))
        self.age_unknown_button.setToolTip(self.tr("Leeftijd terugzetten op onbekend"))
        self.suicide.setText(self.tr("(Poging tot) suïcide"))
        self.trauma.setText(self.tr("Ernstig (ongevals)trauma"))
        self.violence.setText(self.tr("Geweld / mogelijk onveilige situatie"))
        self.description.setPlaceholderText(self.tr("bijv. A12 hmp 34,5 of Dorpsstraat 12, achterom"))
        names = {
            "": self.tr("— niet bekend —"),
            "woning": self.tr("Woning"),
            "openbare ruimte": self.tr("Openbare ruimte"),
            "werk": self.tr("Werk"),
            "snelweg": self.tr("Snelweg"),
            "verzorgingsplaats": self.tr("Verzorgingsplaats"),
            "anders": self.tr("Anders"),
        }
        for i in range(self.kind.count()):
            code = str(self.kind.itemData(i) or "")
            self.kind.setItemText(i, names.get(code, code))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def values(self) -> dict[str, Any]:
        """The facts as CallFacts keyword arguments (without the location)."""
        return {
            "patient_age_years": self.age.age(),
            "suicide": self.suicide.isChecked(),
            "trauma": self.trauma.isChecked(),
            "violence": self.violence.isChecked(),
            "location_kind": str(self.kind.currentData() or ""),
            "location_description": self.description.text().strip(),
        }

    def show_facts(self, facts: Mapping[str, Any]) -> None:
        """Fill the form from recorded facts (an incident's `state.facts`); empty: clear it."""
        age = facts.get("patient_age_years")
        self.age.set_age(None if age is None else float(age))
        self.suicide.setChecked(bool(facts.get("suicide")))
        self.trauma.setChecked(bool(facts.get("trauma")))
        self.violence.setChecked(bool(facts.get("violence")))
        kind = str(facts.get("location_kind", "") or "")
        if self.kind.findData(kind) < 0:  # a kind from elsewhere (a scenario): show it as is
            self.kind.addItem(kind, kind)
        self.kind.setCurrentIndex(self.kind.findData(kind))
        self.description.setText(str(facts.get("location_description", "") or ""))
