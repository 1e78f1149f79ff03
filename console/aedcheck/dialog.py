"""A dialog listing the AEDs awaiting their manager's check, with their age (issue 15).

It reads `aed_checks()` from the backend (the engine's fold in process, or the centre's
`GET /v1/aed-checks`) and follows it every few seconds; no rule lives here: which AEDs
await a check and how old it is are the engine's (alert_engine/aedcheck/listing.py).
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.aedcheck.listing import AwaitingAed
from alert_engine.errors import EngineError

from ..funnel import MessageFunnel

REFRESH_MS = 5000


class AedCheckSource(Protocol):
    def aed_checks(self) -> list[AwaitingAed]: ...


def _age(hours: float) -> str:
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.0f} u"
    return f"{hours / 24:.0f} d"


class AedCheckDialog(QDialog):
    def __init__(self, source: AedCheckSource, funnel: MessageFunnel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.funnel = funnel
        self.rows: list[AwaitingAed] = []
        self.summary = QLabel(self)
        self.table = QTableWidget(0, 6, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)
        self.retranslate()
        self.refresh()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("AED's wachtend op controle"))
        self.table.setHorizontalHeaderLabels([
            self.tr("AED"), self.tr("Plaats"), self.tr("Wacht sinds"), self.tr("Leeftijd"),
            self.tr("Herinneringen"), self.tr("Status")])
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        try:
            self.rows = self.source.aed_checks()
        except EngineError as exc:
            self.funnel.warning(str(exc))
            return
        self._render()

    def _status(self, row: AwaitingAed) -> str:
        if row.out_of_service_until is not None:
            return self.tr("buiten gebruik tot {0}").format(row.out_of_service_until.strftime("%d-%m-%Y"))
        if row.messages_failed and row.messages_failed >= row.messages_sent:
            return self.tr("bericht aan beheerder mislukt")
        return self.tr("wacht op beheerder")

    def _render(self) -> None:
        self.summary.setText(self.tr("{0} AED's krijgen geen alarmen tot hun beheerder ze inzetklaar meldt.")
                             .format(len(self.rows)) if self.rows else self.tr("Geen AED's wachtend op controle."))
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            cells = (row.aed, row.description, row.requested_at.strftime("%d-%m %H:%M"), _age(row.age_hours),
                     ", ".join(row.reminders) or "–", self._status(row))
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))


class _Entry(QObject):
    """The menu entry's text, in the language the console is switched to."""

    def __init__(self, action: QAction, parent: QMainWindow) -> None:
        super().__init__(parent)
        self.action = action
        self.retranslate()
        parent.installEventFilter(self)

    def retranslate(self) -> None:
        self.action.setText(QCoreApplication.translate("AedCheckDialog", "AED's wachtend op controle…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def install_aed_check_action(window: QMainWindow, source: AedCheckSource, funnel: MessageFunnel) -> QAction:
    """Add "AED's wachtend op controle…" to the window's Go menu (`go_menu` of
    console.main_window.MainWindow), from outside, as the test-alarm menu is added."""
    action = QAction(window)
    action.triggered.connect(lambda: AedCheckDialog(source, funnel, window).open())
    window.aed_check_entry = _Entry(action, window)  # type: ignore[attr-defined]  # kept alive with the window
    menu = getattr(window, "go_menu", None) or window.menuBar().addMenu("AED")
    menu.addSeparator()
    menu.addAction(action)
    return action
