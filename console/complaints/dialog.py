"""Complaints about an incident (issue 15): register one, move it on, open its review.

The rules (who may complain, which step follows which, what an answer needs) are the
engine's (alert_engine/complaints/model.py); this dialog sends the seam's complaint commands
and shows the folded complaints. Each step is also an access-log entry ("klacht <id>"), and
"Nazien" opens the incident's review with that reason filled in.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication, QDate, QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.api.commands import (
    ChangeComplaintStatus,
    Command,
    LinkComplaintReport,
    RegisterComplaint,
)
from alert_engine.complaints.access import log_complaint_events, reason
from alert_engine.complaints.model import COMPLAINANT_LABELS, COMPLAINANTS, STATUS_LABELS, Complaint
from alert_engine.errors import EngineError
from alert_engine.events import Event
from alert_engine.review.access_log import AccessLog, workstation_login

from ..funnel import MessageFunnel

OpenReview = Callable[[str, str, str], None]  # (incident, who, reason)
ChooseReport = Callable[[QWidget], str | None]  # a report file's path, or None when cancelled


def choose_report(parent: QWidget) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent, QCoreApplication.translate("ComplaintDialog", "Rapport koppelen"), "",
        QCoreApplication.translate("ComplaintDialog", "Rapporten (*.html *.pdf)"))
    return path or None


class ComplaintSource(Protocol):
    def complaints(self) -> list[Complaint]: ...
    def handle_complaint(self, command: Command) -> list[Event]: ...


class ComplaintDialog(QDialog):
    def __init__(self, source: ComplaintSource, funnel: MessageFunnel, incident: str = "", *,
                 open_review: OpenReview | None = None, access_log: Path | None = None, log_access: bool = True,
                 store_label: str = "console", choose: ChooseReport = choose_report,
                 parent: QWidget | None = None) -> None:
        """`log_access=False` on the centre's service: it names the person by the token and
        writes the access-log entries itself."""
        super().__init__(parent)
        self.log_access = log_access
        self.choose = choose
        self.source = source
        self.funnel = funnel
        self.open_review = open_review
        self.access_log = access_log
        self.store_label = store_label
        self.rows: list[Complaint] = []
        self.table = QTableWidget(0, 7, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.incident_edit = QLineEdit(incident, self)
        self.complainant = QComboBox(self)
        for kind in COMPLAINANTS:
            self.complainant.addItem(kind, kind)
        self.contact_edit = QLineEdit(self)
        self.summary_edit = QPlainTextEdit(self)
        self.summary_edit.setFixedHeight(70)
        self.received_edit = QDateEdit(QDate.currentDate(), self)
        self.received_edit.setCalendarPopup(True)
        self.received_edit.setDisplayFormat("dd-MM-yyyy")
        self.by_edit = QLineEdit(workstation_login(), self)
        self.note_edit = QLineEdit(self)
        self.register_button = QPushButton(self)
        self.investigate_button = QPushButton(self)
        self.answer_button = QPushButton(self)
        self.review_button = QPushButton(self)
        self.report_button = QPushButton(self)
        self.report_button.clicked.connect(self.link_report)
        self.review_button.setVisible(open_review is not None)
        self.register_button.clicked.connect(self.register)
        self.investigate_button.clicked.connect(lambda: self.move_on("investigating"))
        self.answer_button.clicked.connect(lambda: self.move_on("answered"))
        self.review_button.clicked.connect(self.review)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.labels = {name: QLabel(self) for name in ("incident", "complainant", "contact", "summary", "received",
                                                       "by", "note")}
        form = QFormLayout()
        for name, widget in (("incident", self.incident_edit), ("complainant", self.complainant),
                             ("contact", self.contact_edit), ("summary", self.summary_edit),
                             ("received", self.received_edit), ("by", self.by_edit)):
            self.labels[name].setBuddy(widget)
            form.addRow(self.labels[name], widget)
        steps = QHBoxLayout()
        steps.addWidget(self.labels["note"])
        steps.addWidget(self.note_edit, 1)
        for b in (self.investigate_button, self.answer_button, self.report_button, self.review_button):
            steps.addWidget(b)
        self.by_edit.setVisible(log_access)
        self.labels["by"].setVisible(log_access)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(steps)
        layout.addLayout(form)
        layout.addWidget(self.register_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(820, 560)
        self.retranslate()
        self.refresh()
        if log_access:  # the list shows complaints about incidents: a read like any other (NEN 7513)
            try:
                with AccessLog(access_log) as log:
                    log.append(workstation_login(), "complaint", "*", "klacht (lijst)", store_label,
                               {"read": "complaint list", "complaints": len(self.rows)})
            except EngineError as exc:
                funnel.warning(str(exc))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Klachten"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Klacht"), self.tr("Melding"), self.tr("Ontvangen"), self.tr("Indiener"), self.tr("Waarover"),
            self.tr("Status"), self.tr("Rapporten")])
        words = {"incident": self.tr("&Melding"), "complainant": self.tr("&Indiener"), "contact": self.tr("&Kenmerk"),
                 "summary": self.tr("&Waarover"), "received": self.tr("&Ontvangen op"), "by": self.tr("&Behandelaar"),
                 "note": self.tr("Toelichting")}
        for name, text in words.items():
            self.labels[name].setText(text)
        self.contact_edit.setPlaceholderText(self.tr("kenmerk in het klachtdossier, geen naam of telefoonnummer"))
        self.kind_words = {"patient": self.tr("patiënt"), "relative": self.tr("naaste"),
                           "responder": self.tr("burgerhulpverlener"), "bystander": self.tr("omstander"),
                           "aed_manager": self.tr("AED-beheerder"), "care_provider": self.tr("zorgverlener"),
                           "other": self.tr("anders")}
        self.status_words = {"received": self.tr("ontvangen"), "investigating": self.tr("in onderzoek"),
                             "answered": self.tr("beantwoord")}
        for i, kind in enumerate(COMPLAINANTS):
            self.complainant.setItemText(i, self.kind_words.get(kind, COMPLAINANT_LABELS[kind]))
        self.register_button.setText(self.tr("Klacht &registreren"))
        self.investigate_button.setText(self.tr("In &onderzoek"))
        self.answer_button.setText(self.tr("&Beantwoord"))
        self.review_button.setText(self.tr("&Nazien (klacht)"))
        self.report_button.setText(self.tr("Rapport &koppelen…"))
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- what the user does ------------------------------------------------------------------
    def selected(self) -> Complaint | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def register(self) -> None:
        day = self.received_edit.date()
        command = RegisterComplaint(self.incident_edit.text().strip(), str(self.complainant.currentData()),
                                    self.contact_edit.text(), self.summary_edit.toPlainText(),
                                    day.toPython(), self.by_edit.text().strip())  # type: ignore[arg-type]
        events = self._run(command)
        if events:
            self.contact_edit.clear()
            self.summary_edit.clear()
            self.funnel.info(self.tr("Klacht {0} geregistreerd.").format(events[0]["complaint"]))
            self._select(str(events[0]["complaint"]))

    def move_on(self, status: str) -> None:
        c = self.selected()
        if c is None:
            return
        if self._run(ChangeComplaintStatus(c.incident, c.id, status, self.note_edit.text(), self.by_edit.text().strip())):
            self.note_edit.clear()
            self._select(c.id)

    def link_report(self) -> None:
        """Attach a report of the incident (the review's HTML or PDF export) by name and SHA-256."""
        c = self.selected()
        if c is None:
            return
        chosen = self.choose(self)
        if not chosen:
            return
        path = Path(chosen)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError as exc:
            self.funnel.warning(self.tr("Rapport {0} is niet te lezen: {1}").format(path.name, exc.strerror or exc))
            return
        fmt = "pdf" if path.suffix.lower() == ".pdf" else "html"
        if self._run(LinkComplaintReport(c.incident, c.id, path.name, digest, fmt, self.by_edit.text().strip())):
            self.funnel.info(self.tr("Rapport {0} gekoppeld aan klacht {1}.").format(path.name, c.id))
            self._select(c.id)

    def review(self) -> None:
        c = self.selected()
        if c is not None and self.open_review is not None:
            self.open_review(c.incident, self.by_edit.text().strip() or workstation_login(), reason(c.id))

    def _run(self, command: Command) -> list[Event]:
        try:
            events = self.source.handle_complaint(command)
            if self.log_access:
                with AccessLog(self.access_log) as log:
                    log_complaint_events(log, self.by_edit.text().strip() or workstation_login(), events,
                                         self.store_label)
        except EngineError as exc:  # the engine's sentence names the field or the step
            self.funnel.warning(str(exc))
            return []
        self.refresh()
        return events

    # -- showing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self.rows = self.source.complaints()
        self._render()

    def _select(self, complaint: str) -> None:
        for i, c in enumerate(self.rows):
            if c.id == complaint:
                self.table.selectRow(i)

    def _render(self) -> None:
        current = self.selected()
        chosen = current.id if current is not None else None
        self.table.setRowCount(len(self.rows))
        for i, c in enumerate(self.rows):
            cells = (c.id, c.incident, c.received.strftime("%d-%m-%Y"),
                     self.kind_words.get(c.complainant, c.complainant), c.summary.splitlines()[0] if c.summary else "",
                     self.status_words.get(c.status, STATUS_LABELS.get(c.status, c.status)),
                     ", ".join(r.report for r in c.reports) or "–")
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        if chosen:
            self._select(chosen)
        self._update_buttons()

    def _update_buttons(self) -> None:
        c = self.selected()
        self.investigate_button.setEnabled(c is not None and c.status == "received")
        self.answer_button.setEnabled(c is not None and c.status == "investigating")
        self.review_button.setEnabled(c is not None)
        self.report_button.setEnabled(c is not None)


class _Entry(QObject):
    def __init__(self, action: QAction, menu: QObject) -> None:
        super().__init__(menu)
        self.action = action
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(QCoreApplication.translate("ComplaintDialog", "Klachten…"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def install_complaints_action(review_menu: QObject, service: object, funnel: MessageFunnel) -> QAction | None:
    """Add "Klachten…" to the review menu (console/review/menu.py's ReviewMenu), on a backend
    that handles complaints (the embedded engine, the centre's service). Reviewing from the
    dialog needs the store on this workstation, as the menu's own incident review does."""
    if not callable(getattr(service, "handle_complaint", None)):
        return None
    menu = review_menu.menu  # type: ignore[attr-defined]
    window = review_menu.window  # type: ignore[attr-defined]
    store_path: Path | None = review_menu.store_path  # type: ignore[attr-defined]
    action = menu.addAction("")
    entry = _Entry(action, review_menu)
    menu.installEventFilter(entry)

    def open_review(incident: str, who: str, why: str) -> None:
        from alert_engine.review.source import ServiceNotes

        from ..review.window import open_review as review

        if store_path is None:
            return
        try:
            shown = review(store_path, incident, who=who, reason=why, notes=ServiceNotes(service, incident))  # type: ignore[arg-type]
        except Exception as exc:  # every failure reaches the dispatcher as one sentence
            funnel.report(exc)
            return
        if shown is not None:
            shown.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            review_menu.open_windows.append(shown)  # type: ignore[attr-defined]
            shown.destroyed.connect(lambda _=None, w=shown: review_menu.open_windows.remove(w)  # type: ignore[attr-defined]
                                    if w in review_menu.open_windows else None)  # type: ignore[attr-defined]
            shown.show()

    def show() -> None:
        incident = getattr(window, "current_incident", None) or ""
        dialog = ComplaintDialog(service, funnel, incident,  # type: ignore[arg-type]
                                 open_review=open_review if store_path is not None else None,
                                 log_access=store_path is not None, store_label=str(store_path or "service"),
                                 parent=window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(show)
    review_menu.complaints_action = action  # type: ignore[attr-defined]
    return action
