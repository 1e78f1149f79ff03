"""Set up a test alarm: municipality, now or later, simulated answers for a demo."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime, QTimeZone
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from alert_engine.clock import AMSTERDAM
from alert_engine.service import ExerciseService
from alert_engine.testalarm.plan import Municipality

from ..funnel import MessageFunnel
from ..widgets.confirm import Confirm, ask_yes_no
from .controller import TestAlarmController

TEST_COLOUR = "#7b2cbf"


class TestAlarmDialog(QDialog):
    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        service: ExerciseService,
        funnel: MessageFunnel,
        controller: TestAlarmController | None = None,
        confirm: Confirm = ask_yes_no,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.funnel = funnel
        # Without a controller from the window, a scheduled exercise lives as long as the dialog.
        self.controller = controller or TestAlarmController(service, funnel, self)
        self._confirm = confirm
        self.started: str | None = None
        self.setWindowTitle(self.tr("TEST – proefalarm instellen"))

        banner = QLabel(self.tr("TEST – proefalarm"), self)
        banner.setStyleSheet(f"background: {TEST_COLOUR}; color: white; font-weight: bold; font-size: 16px; padding: 6px;")
        info = QLabel(
            self.tr(
                "Een proefalarm gaat alleen naar burgerhulpverleners van de gekozen gemeente die zich "
                "voor proefalarmen hebben aangemeld. Wie op een echte reanimatie staat, krijgt geen "
                "proefalarm, en een echte reanimatie haalt iemand altijd van een proefalarm af. Er gaan "
                "geen AED-codes mee. Elk bericht begint met TEST."
            ),
            self,
        )
        info.setWordWrap(True)
        self.municipality = QComboBox(self)
        self._municipalities = self.controller.municipalities()
        for m in self._municipalities:
            self.municipality.addItem(self.tr("{0} ({1} aangemeld)").format(m.name, m.opted_in), m.name)
        self.now_button = QRadioButton(self.tr("Nu"), self)
        self.later_button = QRadioButton(self.tr("Op tijdstip:"), self)
        self.now_button.setChecked(True)
        self.when = QDateTimeEdit(self)
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd-MM-yyyy HH:mm")
        self.when.setTimeZone(QTimeZone(b"Europe/Amsterdam"))
        self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(service.now().timestamp()) + 3600))
        self.when.setEnabled(False)
        self.later_button.toggled.connect(self.when.setEnabled)
        self.simulate = QCheckBox(self.tr("Gesimuleerde antwoorden (demo)"), self)
        if service.answers_simulated:
            self.simulate.setChecked(True)
            self.simulate.setEnabled(False)
            self.simulate.setToolTip(self.tr("Deze console draait met gesimuleerde hulpverleners: die antwoorden altijd."))

        form = QFormLayout()
        form.addRow(self.tr("Gemeente"), self.municipality)
        form.addRow(self.tr("Wanneer"), self.now_button)
        form.addRow("", self.later_button)
        form.addRow("", self.when)
        form.addRow("", self.simulate)
        self.buttons = QDialogButtonBox(self)
        self.start_button: QPushButton = self.buttons.addButton(
            self.tr("Proefalarm starten"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.start_button.setEnabled(bool(self._municipalities))
        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(520, 360)

    def chosen(self) -> Municipality | None:
        name = self.municipality.currentData()
        return next((m for m in self._municipalities if m.name == name), None)

    def chosen_time(self) -> datetime | None:
        if self.now_button.isChecked():
            return None
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), AMSTERDAM)

    def select(self, name: str) -> None:
        self.municipality.setCurrentIndex(self.municipality.findData(name))

    def start(self) -> None:
        m = self.chosen()
        if m is None:
            return
        at = self.chosen_time()
        when = self.tr("nu") if at is None else f"{at:%d-%m-%Y %H:%M}"
        question = self.tr(
            "Proefalarm voor {0} ({1}): {2} aangemelde burgerhulpverleners krijgen een TEST-bericht op hun telefoon. Doorgaan?"
        ).format(m.name, when, m.opted_in)
        if not self._confirm(self, self.tr("Proefalarm starten?"), question):
            return
        self.started = self.controller.start(m, at, self.simulate.isChecked())
        if self.started is not None:
            self.accept()
