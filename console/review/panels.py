"""The review's own panels: the integrity banner and the intervals (the notes: `notes.py`)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.eventlog.jsonl import LogIntegrity
from alert_engine.review.intervals import Intervals

from ..i18n import current_language

BANNER = {  # status -> background, border, text colour
    "ok": ("#e3f6e6", "#1a7f37", "#0b3d1a"),
    "warning": ("#fff1c2", "#b7791f", "#3d2a00"),
    "broken": ("#fde2e1", "#b42318", "#5c0f0a"),
}


class IntegrityBanner(QFrame):
    """Green only when the hash chain proves the history; never a quiet "fine" otherwise."""

    def __init__(self, report: LogIntegrity, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.status = report.status
        background, border, text = BANNER[self.status]
        self.setObjectName("integrityBanner")
        self.setStyleSheet(
            f"QFrame#integrityBanner {{ background: {background}; border: 1px solid {border};"
            f" border-left: 8px solid {border}; border-radius: 3px; }}"
        )
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setStyleSheet(f"color: {text}; font-weight: bold; font-size: 13px;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 10, 5)
        layout.addWidget(self.label, 1)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        # The engine words its verdict in both languages; the catalogue cannot hold it.
        english = current_language() == "en"
        report = self.report
        icon = {"ok": "✔", "warning": "⚠", "broken": "✖"}[self.status]
        summary = report.summary()
        headline = summary[:1].upper() + summary[1:] if english else report.headline_nl()
        self.label.setText(f"{icon}  {headline}")
        details = [f.en if english else f.nl for f in report.findings]
        self.setToolTip("\n".join(details) if details else summary)

    @property
    def text(self) -> str:
        return self.label.text()


class IntervalsPanel(QFrame):
    """The key intervals of the whole incident; the ones still ahead of the scrubber are grey.

    A click on a row moves the scrubber to that moment.
    """

    milestoneClicked = Signal(object)  # datetime

    def __init__(self, intervals: Intervals, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.intervals = intervals
        self._ahead: tuple[bool, ...] | None = None  # which milestones are still ahead of the scrubber
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13px;")
        self.table = QTableWidget(len(intervals.milestones), 2, self)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(21)
        for row, m in enumerate(intervals.milestones):
            label = QTableWidgetItem()
            value = QTableWidgetItem(m.readable)
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            bold = QFont()
            bold.setBold(True)
            value.setFont(bold)
            self.table.setItem(row, 0, label)
            self.table.setItem(row, 1, value)
        self.table.setFixedHeight(21 * len(intervals.milestones) + self.table.horizontalHeader().sizeHint().height() + 4)
        self.table.cellClicked.connect(self._clicked)
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        zone = intervals.six_minute_zone
        colour = "#555555" if intervals.alert_time is None else "#1a7f37" if zone else "#b42318"
        self.zone = QLabel(self)
        self.zone.setWordWrap(True)
        self.zone.setStyleSheet(f"color: {colour}; font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.table)
        layout.addWidget(self.zone)
        layout.addWidget(self.counts)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        intervals = self.intervals
        english = current_language() == "en"
        self.title.setText(self.tr("Tijden en aantallen"))
        self.table.setHorizontalHeaderLabels([self.tr("Interval"), self.tr("Duur")])
        for row, m in enumerate(intervals.milestones):
            label = self.table.item(row, 0)
            if label is None:
                continue
            # The engine names each interval in both languages (the report is Dutch).
            label.setText(m.label_en[:1].upper() + m.label_en[1:] if english else m.label_nl)
            other = m.label_nl if english else m.label_en
            label.setToolTip(
                self.tr("{0}\nklok: {1}").format(other, f"{m.at:%H:%M:%S}")
                if m.at
                else self.tr("{0}\nkwam niet voor in het logboek").format(other)
            )
        c = intervals.counts
        self.counts.setText(
            self.tr(
                "Gealarmeerd {0} · geaccepteerd {1} · ter plaatse {2} · afgewezen {3} · geen reactie {4} · "
                "geannuleerd {5} · overaanbod {6} · AED's {7} (opgehaald {8}, aangesloten {9})"
            ).format(c.alerted, c.accepted, c.arrived, c.declined, c.timed_out, c.cancelled, c.oversupply,
                     c.aeds_alerted, c.aeds_fetched, c.aeds_connected)
        )
        zone = intervals.six_minute_zone
        if intervals.alert_time is None:
            text = self.tr("Geen burgerhulpverleners gealarmeerd")
        elif zone:
            text = self.tr("Binnen de 6-minutenzone: AED aangesloten ≤ 6 min na de melding")
        elif zone is False:
            text = self.tr("Buiten de 6-minutenzone: AED later dan 6 min aangesloten")
        else:
            text = self.tr("Geen AED aangesloten volgens het logboek")
        self.zone.setText(text)

    def set_now(self, t: datetime) -> None:
        ahead_now = tuple(m.at is None or m.at > t for m in self.intervals.milestones)
        if ahead_now == self._ahead:
            return  # nothing to repaint
        self._ahead = ahead_now
        for row, ahead in enumerate(ahead_now):
            colour = QBrush(QColor("#9a9a9a" if ahead else "#1d1d1d"))
            for col in (0, 1):
                item = self.table.item(row, col)
                if item is not None:
                    item.setForeground(colour)

    def _clicked(self, row: int, _col: int) -> None:
        m = self.intervals.milestones[row]
        if m.at is not None:
            self.milestoneClicked.emit(m.at)
