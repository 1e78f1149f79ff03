"""`AftercarePanel`: the reviewed incident's aftercare questionnaire, in counts (issue 15).

Read-only and pseudonymised: how many of those who set out answered, arrived, found CPR
under way, saw an AED used, asked to be called, said it weighs on them. The figures come
through the seam (`AftercareQueries.aftercare_summary`), read once when the review opens;
the answers themselves and who gave them stay with the aftercare coordinator.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.aftercare.questionnaire import Summary
from alert_engine.api.protocols import AftercareQueries
from alert_engine.errors import EngineError

ROW_HEIGHT = 21


class AftercarePanel(QFrame):
    def __init__(self, queries: AftercareQueries | None, incident: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queries = queries
        self.incident = incident
        self.summary: Summary | None = None
        self.failure: str | None = None
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13px;")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 2, self)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addStretch(1)  # a short panel keeps its lines together at the top
        self.refresh()

    def refresh(self) -> None:
        """Read the counts again (they grow for two weeks after the alarm)."""
        self.failure = None
        try:
            self.summary = self.queries.aftercare_summary(self.incident) if self.queries is not None else None
        except EngineError as exc:  # the service away or refusing: said here, the review goes on
            self.summary, self.failure = None, str(exc)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def rows(self) -> list[tuple[str, int]]:
        s = self.summary
        if s is None or not s.asked:
            return []
        return [
            (self.tr("Beantwoord"), s.answered),
            (self.tr("Ter plaatse gekomen"), s.arrived),
            (self.tr("Reanimatie al bezig"), s.cpr_under_way),
            (self.tr("AED gebruikt"), s.aed_used),
            (self.tr("Wil gebeld worden"), s.wants_contact),
            (self.tr("Zit het niet lekker"), s.distress),
            (self.tr("Op de nazorglijst"), s.follow_up),
            (self.tr("Contact onderling (paren)"), s.contact_between),
        ]

    def retranslate(self) -> None:
        self.title.setText(self.tr("Nazorg (vragenlijst)"))
        s = self.summary
        if self.failure is not None:
            text = self.tr("Nazorg niet op te halen: {0}").format(self.failure)
        elif s is None:
            text = self.tr("Geen nazorggegevens bij deze bron.")
        elif not s.asked:
            text = self.tr("Niemand gevraagd: geen hulpverlener vertrok, of het was geen echt alarm.")
        else:
            text = self.tr("{0} van {1} gevraagde hulpverleners antwoordden. Alleen aantallen, geen namen.").format(
                s.answered, s.asked)
        self.status.setText(text)
        rows = self.rows()
        self.table.setRowCount(len(rows))
        bold = QFont()
        bold.setBold(True)
        for row, (label, value) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(label))
            number = QTableWidgetItem(str(value))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            number.setFont(bold)
            self.table.setItem(row, 1, number)
        self.table.setVisible(bool(rows))
        self.table.setFixedHeight(ROW_HEIGHT * len(rows) + 4)

    def values(self) -> dict[str, int]:
        """What the panel shows, by its (current language's) label: for tests and scripts."""
        return {label: value for label, value in self.rows()}
