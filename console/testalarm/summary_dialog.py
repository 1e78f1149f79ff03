"""The summary of a test alarm: totals and medians, per responder, end it, export CSV or HTML."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.api.commands import Close
from alert_engine.errors import EngineError
from alert_engine.paths import data_dir
from alert_engine.service import ExerciseService
from alert_engine.testalarm.summary import STATE_NL, ExerciseSummary, summarise, to_csv, to_html

from ..funnel import MessageFunnel
from .dialog import TEST_COLOUR

# (parent, suggested path, file filter) -> chosen path or None; tests answer instead.
AskSavePath = Callable[[QWidget, Path, str], Path | None]
REFRESH_MS = 1000


def ask_save_path(parent: QWidget, suggested: Path, file_filter: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, parent.tr("Samenvatting exporteren"), str(suggested), file_filter)
    return Path(name) if name else None


def _mmss(seconds: float | None) -> str:
    if seconds is None:
        return ""
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"


class TestAlarmSummaryDialog(QDialog):
    __test__ = False  # not a pytest test class, despite the name

    def __init__(
        self,
        service: ExerciseService,
        funnel: MessageFunnel,
        incident: str | None = None,
        ask_path: AskSavePath = ask_save_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.funnel = funnel
        self._ask_path = ask_path
        self.summary: ExerciseSummary | None = None
        self._seen_seq = -1
        self.setWindowTitle(self.tr("TEST – samenvatting proefalarm"))
        banner = QLabel(self.tr("TEST – proefalarm"), self)
        banner.setStyleSheet(f"background: {TEST_COLOUR}; color: white; font-weight: bold; font-size: 16px; padding: 6px;")
        self.incidents = QComboBox(self)
        self.totals = QTableWidget(0, 2, self)
        self.totals.horizontalHeader().setVisible(False)
        self.totals.verticalHeader().setVisible(False)
        self.totals.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.totals.horizontalHeader().setStretchLastSection(True)
        self.people = QTableWidget(0, 6, self)
        self.people.setHorizontalHeaderLabels(
            [self.tr("Pseudoniem"), self.tr("Afstand"), self.tr("Status"), self.tr("Ontvangst bevestigd na"),
             self.tr("Antwoord na"), self.tr("Ter plaatse na")]
        )
        self.people.verticalHeader().setVisible(False)
        self.people.horizontalHeader().setStretchLastSection(True)
        for table in (self.totals, self.people):
            table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.end_button = QPushButton(self.tr("Proefalarm beëindigen"), self)
        self.csv_button = QPushButton(self.tr("Exporteren als CSV…"), self)
        self.html_button = QPushButton(self.tr("Exporteren als HTML…"), self)
        self.end_button.clicked.connect(self.end_exercise)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.html_button.clicked.connect(lambda: self.export("html"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Proefalarm"), self))
        top.addWidget(self.incidents, 1)
        buttons = QHBoxLayout()
        for b in (self.end_button, self.csv_button, self.html_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(banner)
        layout.addLayout(top)
        layout.addWidget(self.totals, 2)
        layout.addWidget(self.people, 3)
        layout.addLayout(buttons)
        self.resize(640, 680)
        self._fill_incidents(incident)
        self.incidents.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()
        # Answers keep coming in during an exercise; the dialog follows them.
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._follow)
        self.timer.start()

    def _fill_incidents(self, wanted: str | None) -> None:
        tests = sorted(
            (s for s in self.service.incidents() if s.mode == "test"),
            key=lambda s: s.call_time.timestamp() if s.call_time else 0.0,
            reverse=True,
        )
        self.incidents.clear()
        for s in tests:
            self.incidents.addItem(s.id, s.id)
        if wanted is not None:
            self.incidents.setCurrentIndex(max(0, self.incidents.findData(wanted)))

    def current(self) -> str | None:
        data = self.incidents.currentData()
        return str(data) if data else None

    def _follow(self) -> None:
        incident = self.current()
        if incident is not None and self.service.state(incident).last_seq != self._seen_seq:
            self.refresh()

    def refresh(self) -> None:
        incident = self.current()
        self.summary = None
        for b in (self.csv_button, self.html_button):
            b.setEnabled(incident is not None)
        self.end_button.setEnabled(incident is not None and self.service.state(incident).is_open)
        if incident is None:
            self.totals.setRowCount(0)
            self.people.setRowCount(0)
            return
        self._seen_seq = self.service.state(incident).last_seq
        self.summary = summarise(self.service.events(incident), incident)
        rows = self.summary.rows()
        self.totals.setRowCount(len(rows))
        for i, (label, value) in enumerate(rows):
            self.totals.setItem(i, 0, QTableWidgetItem(label))
            self.totals.setItem(i, 1, QTableWidgetItem(value))
        self.people.setRowCount(len(self.summary.responders))
        for i, r in enumerate(self.summary.responders):
            cells = [r.pseudonym or r.id, f"{r.distance_m:.0f} m", STATE_NL.get(r.state, r.state),
                     _mmss(r.acknowledged_s), _mmss(r.answer_s), _mmss(r.arrived_s)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if j == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.people.setItem(i, j, item)

    def end_exercise(self) -> None:
        incident = self.current()
        if incident is None:
            return
        try:
            self.service.execute(Close(incident))
        except EngineError as exc:
            self.funnel.report(exc)
        self.refresh()

    def export(self, kind: str) -> Path | None:
        if self.summary is None:
            return None
        suffix, file_filter = (
            (".csv", self.tr("CSV-bestand (*.csv)")) if kind == "csv" else (".html", self.tr("HTML-bestand (*.html)"))
        )
        suggested = data_dir() / "proefalarmen" / f"{self.summary.incident}{suffix}"
        path = self._ask_path(self, suggested, file_filter)
        if path is None:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            text = to_csv(self.summary) if kind == "csv" else to_html(self.summary)
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.funnel.report(self.tr("Samenvatting niet opgeslagen: {0}").format(exc))
            return None
        self.funnel.info(self.tr("Samenvatting opgeslagen in {0}").format(path))
        return path
