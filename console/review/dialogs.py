"""The review's questions and lists: who and why (asked once), export options, the access log.

`AskAccess(parent, incident, default_name) -> (name, reason) | None` is a plain callable so
tests answer it without a modal loop, like the console's `AskReason`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
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

from alert_engine.review.access_log import AccessLog

from ..i18n import current_language
from ..widgets.confirm import confirm_with_ctrl_enter

AskAccess = Callable[[QWidget | None, str, str], tuple[str, str] | None]


class AccessDialog(QDialog):
    """NEN 7513: who opens this incident and why. OK stays off until both are filled in."""

    def __init__(self, incident: str, default_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Terugblik op melding {0}").format(incident))
        intro = QLabel(
            self.tr(
                "Deze melding bevat gezondheidsgegevens. Het openen wordt vastgelegd in het toegangslog "
                "(wie, wanneer, welke melding, wat en waarom; NEN 7513)."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(default_name, self)
        self.reason_edit = QPlainTextEdit(self)
        self.reason_edit.setPlaceholderText(
            self.tr("bijvoorbeeld: kwaliteitsreview, klacht nr. …, nazorg (verplicht)")
        )
        self.reason_edit.setFixedHeight(70)
        form = QFormLayout()
        name_label = QLabel(self.tr("&Naam"), self)
        name_label.setBuddy(self.name_edit)
        reason_label = QLabel(self.tr("&Reden"), self)
        reason_label.setBuddy(self.reason_edit)
        form.addRow(name_label, self.name_edit)
        form.addRow(reason_label, self.reason_edit)
        self.buttons = QDialogButtonBox(self)
        self.ok_button: QPushButton = self.buttons.addButton(
            self.tr("Openen (Ctrl+Enter)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        confirm_with_ctrl_enter(self, self.ok_button)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name_edit.textChanged.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self._update()
        self.resize(460, self.sizeHint().height())

    @property
    def answer(self) -> tuple[str, str]:
        return self.name_edit.text().strip(), self.reason_edit.toPlainText().strip()

    def _update(self) -> None:
        name, reason = self.answer
        self.ok_button.setEnabled(bool(name and reason))


def ask_access(parent: QWidget | None, incident: str, default_name: str) -> tuple[str, str] | None:
    dialog = AccessDialog(incident, default_name, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and all(dialog.answer):
            return dialog.answer
        return None
    finally:
        dialog.deleteLater()


@dataclass(frozen=True)
class ExportChoice:
    exact_location: bool = False
    real_pseudonyms: bool = False
    include_maps: bool = False
    pdf: bool = True


class ExportDialog(QDialog):
    """The report's privacy options, all off by default; maps only with exact locations."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Rapport exporteren"))
        self.exact = QCheckBox(self.tr("&exacte locatie tonen (adres en coördinaten)"), self)
        self.pseudonyms = QCheckBox(self.tr("echte &pseudoniemen tonen (in plaats van R-01, R-02 …)"), self)
        self.maps = QCheckBox(self.tr("&kaartbeelden opnemen (tonen exacte locaties)"), self)
        self.maps.setEnabled(False)
        self.exact.toggled.connect(self._exact_toggled)
        self.pdf = QCheckBox(self.tr("ook als P&DF"), self)
        self.pdf.setChecked(True)
        note = QLabel(
            self.tr(
                "Standaard is het rapport gepseudonimiseerd en de locatie afgerond (±1 km). "
                "De export wordt vastgelegd in het toegangslog."
            ),
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.exact, self.pseudonyms, self.maps, self.pdf, note, buttons):
            layout.addWidget(w)

    def _exact_toggled(self, on: bool) -> None:
        self.maps.setEnabled(on)
        if not on:
            self.maps.setChecked(False)

    @property
    def choice(self) -> ExportChoice:
        return ExportChoice(self.exact.isChecked(), self.pseudonyms.isChecked(),
                            self.maps.isChecked() and self.exact.isChecked(), self.pdf.isChecked())


class AccessLogDialog(QDialog):
    """Every entry of the access log, newest first, with the verdict of `verify()` on top."""

    COLUMNS = ("Nr", "Tijd", "Wie", "Login@werkplek", "Actie", "Melding", "Reden", "Details")

    def __init__(self, log: AccessLog, incident: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Toegangslog (NEN 7513)"))
        check = log.verify()
        problems = check.problems_en if current_language() == "en" else check.problems_nl
        verdict = (
            self.tr("Toegangslog gecontroleerd: {0} regels, hashketen klopt, niets verwijderd.").format(check.entries)
            if check.ok
            else self.tr("Let op, het toegangslog is aangetast: ") + " ".join(problems[:5])
        )
        self.verdict = QLabel(verdict, self)
        self.verdict.setWordWrap(True)
        colour = ("#e3f6e6", "#1a7f37") if check.ok else ("#fde2e1", "#b42318")
        self.verdict.setStyleSheet(
            f"background: {colour[0]}; border-left: 6px solid {colour[1]}; padding: 5px; font-weight: bold;"
        )
        entries = list(reversed(log.entries(incident)))
        self.table = QTableWidget(len(entries), len(self.COLUMNS), self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Nr"), self.tr("Tijd"), self.tr("Wie"), self.tr("Login@werkplek"), self.tr("Actie"),
            self.tr("Melding"), self.tr("Reden"), self.tr("Details"),
        ])  # fmt: skip
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, e in enumerate(entries):
            details = ", ".join(f"{k}: {v}" for k, v in e.details.items())
            for col, value in enumerate(
                (str(e.id), e.time.replace("T", " "), e.who, f"{e.login}@{e.workstation}", e.action_nl,
                 e.incident, e.reason, details)
            ):
                self.table.setItem(row, col, QTableWidgetItem(value))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The head in full: it is what a copy kept elsewhere is compared with.
        where = QLabel(self.tr("{0} · kop {1}:{2}").format(log.path, check.head_id, check.head), self)
        where.setStyleSheet("color: #555; font-size: 11px;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.table, 1)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.resize(980, 420)
