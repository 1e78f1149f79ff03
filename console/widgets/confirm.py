"""Questions put to the dispatcher, injectable so tests answer them without a modal loop.

`Confirm(parent, title, text) -> bool` and `AskReason(parent, title, text) -> str | None`
are plain callables: widgets take one in their constructor and default to the dialogs here.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

Confirm = Callable[[QWidget | None, str, str], bool]
AskReason = Callable[[QWidget | None, str, str], str | None]


CONFIRM_KEYS = ("Ctrl+Return", "Ctrl+Enter")  # Enter alone is a new line in a reason


def yes_no_box(parent: QWidget | None, title: str, text: str) -> tuple[QMessageBox, QPushButton]:
    """The box and its yes button. The mnemonics (&Ja/&Nee, &Yes/&No) let J/N or Y/N answer
    without Alt: a QMessageBox presses a button whose mnemonic key is typed alone."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    yes = box.addButton(QCoreApplication.translate("Confirm", "&Ja"), QMessageBox.ButtonRole.YesRole)
    no = box.addButton(QCoreApplication.translate("Confirm", "&Nee"), QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    return box, yes


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question with "Nee" as the default, so a stray Enter changes nothing."""
    box, yes = yes_no_box(parent, title, text)
    try:
        box.exec()
        return box.clickedButton() is yes
    finally:
        box.deleteLater()


def confirm_with_ctrl_enter(dialog: QDialog, ok: QPushButton) -> None:
    """Ctrl+Enter presses `ok` (when enabled) from anywhere in `dialog`, also from a text box,
    and `ok` is drawn as the default button with the key in its label."""
    ok.setDefault(True)
    ok.setAutoDefault(True)
    ok.setToolTip("Ctrl+Enter")
    for keys in CONFIRM_KEYS:
        QShortcut(QKeySequence(keys), dialog, lambda: ok.click() if ok.isEnabled() else None)


class ReasonDialog(QDialog):
    """Asks for a written reason; OK stays disabled while the text is empty or blank."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.prompt = QLabel(text)
        self.prompt.setWordWrap(True)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setPlaceholderText(self.tr("Schrijf de reden op (verplicht)"))
        self.buttons = QDialogButtonBox()
        self.ok_button: QPushButton = self.buttons.addButton(
            self.tr("Overrulen (Ctrl+Enter)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Annuleren"), QDialogButtonBox.ButtonRole.RejectRole)
        confirm_with_ctrl_enter(self, self.ok_button)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._update_ok)
        self._update_ok()

    @property
    def reason(self) -> str:
        return self.reason_edit.toPlainText().strip()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(bool(self.reason))


def ask_reason(parent: QWidget | None, title: str, text: str) -> str | None:
    """The written reason, or None when the dispatcher cancelled."""
    dialog = ReasonDialog(title, text, parent)
    try:
        return dialog.reason if dialog.exec() == QDialog.DialogCode.Accepted and dialog.reason else None
    finally:
        dialog.deleteLater()
