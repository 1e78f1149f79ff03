"""Refused messages from the dispatch system (issue 13): a list, and a notice when one arrives.

A message the intake refuses (a missing field, a bad time, a location without a point) is
kept by the backend (`intake_dead_letters()`: the embedded service's memory, or the
centre's `GET /v1/intake/dead-letters`). Nothing of it reached an incident, so the
dispatcher must hear of it: the call may have to be typed in. The list shows when, from
which system, which field and why; the message text is below the selected row.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.intake.deadletter import DeadLetter, DeadLetters

from .funnel import MessageFunnel
from .labels import intake_source_label

LOCAL_POLL_MS = 1000  # the embedded service: a read of its memory
REMOTE_POLL_MS = 10_000  # the centre's service: one GET per workstation


class DeadLetterSource(Protocol):
    def intake_dead_letters(self) -> DeadLetters: ...


class DeadLettersDialog(QDialog):
    """Newest first: time, source, field, reason; the selected message's text underneath."""

    def __init__(self, letters: DeadLetters, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeDeadLetters")
        self.letters: list[DeadLetter] = list(reversed(letters.entries))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(self.letters), 4, self)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setMaximumHeight(160)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_text(row))
        self._dropped = letters.dropped
        self.resize(820, 460)
        self._fill()
        if self.letters:
            self.table.selectRow(0)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """The table as the dispatcher reads it (tests)."""
        def cell(r: int, c: int) -> str:
            item = self.table.item(r, c)
            return item.text() if item is not None else ""

        return [(cell(r, 0), cell(r, 1), cell(r, 2), cell(r, 3)) for r in range(self.table.rowCount())]

    def _fill(self) -> None:
        self.setWindowTitle(self.tr("Geweigerde berichten van het meldkamersysteem"))
        self.table.setHorizontalHeaderLabels([self.tr("Ontvangen"), self.tr("Bron"), self.tr("Veld"), self.tr("Reden")])
        for row, letter in enumerate(self.letters):
            cells = (f"{letter.received:%d-%m %H:%M:%S}", source_of(letter),
                     letter.field, _reason(letter))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(letter.error)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        text = self.tr("Geen geweigerde berichten.") if not self.letters else self.tr(
            "Deze berichten zijn niet verwerkt: er is geen melding van gemaakt of bijgewerkt. Neem zo nodig de "
            "melding zelf op (Ctrl+N).")
        if self._dropped:
            text += " " + self.tr("{0} oudere niet meer bewaard.").format(self._dropped)
        self.summary.setText(text)

    def _show_text(self, row: int) -> None:
        letter = self.letters[row] if 0 <= row < len(self.letters) else None
        if letter is None:
            self.text.clear()
            return
        self.text.setPlainText(letter.text + ("\n…" if letter.truncated else ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._fill()
        super().changeEvent(event)


def source_of(letter: DeadLetter) -> str:
    """The sending system: as its endpoint said, else as the text shows (a file in the watched
    folder names no source, and a message refused as unreadable was never told apart)."""
    if letter.source:
        return intake_source_label(letter.source)
    head = letter.text[:4000]
    if '"gms-adapter/' in head:
        return intake_source_label("gms")
    if "eidoVersion" in head or "EIDOVersion" in head:
        return intake_source_label("eido")
    return "?"


def _reason(letter: DeadLetter) -> str:
    """The error without its leading "<field>: " (the field has its own column)."""
    prefix = f"{letter.field}: "
    return letter.error[len(prefix):] if letter.error.startswith(prefix) else letter.error


class DeadLetterWatch(QObject):
    """Follows the backend's list and says so when a new message was refused."""

    def __init__(self, source: DeadLetterSource, funnel: MessageFunnel, action: QAction,
                 interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.funnel = funnel
        self.action = action
        self.seen = self._count(self._read())  # refused before this console started: listed, not announced
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        if isinstance(parent, QWidget):
            parent.installEventFilter(self)  # the window's language change renames the menu entry
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def _read(self) -> DeadLetters | None:
        if getattr(self.source, "connection", "connected") != "connected":
            return None  # the centre's service is away: no read that would only time out
        try:
            return self.source.intake_dead_letters()
        except Exception:  # the service away: the header says so; the list comes back with it
            return None

    @staticmethod
    def _count(letters: DeadLetters | None) -> int:
        return 0 if letters is None else len(letters) + letters.dropped

    def check(self) -> None:
        letters = self._read()
        if letters is None:
            return
        count = self._count(letters)
        if count <= self.seen:
            self.seen = min(self.seen, count)  # a restarted service starts its list again
            return
        new = count - self.seen
        self.seen = count
        newest = letters.entries[-1]
        self.funnel.warning(self.tr("Bericht van het meldkamersysteem ({0}) geweigerd – {1}. Er is niets verwerkt; "
                                "zie Melding → Geweigerde berichten.").format(
            source_of(newest), newest.error)
            + (" " + self.tr("({0} nieuwe)").format(new) if new > 1 else ""),
            incident=None, cause="intake_dead_letter")
        self.retranslate()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Geweigerde berichten meldkamersysteem ({0})…").format(self.seen)
                            if self.seen else self.tr("Geweigerde berichten meldkamersysteem…"))


def open_dead_letters(source: DeadLetterSource, funnel: MessageFunnel, parent: QWidget) -> DeadLettersDialog | None:
    try:
        letters = source.intake_dead_letters()
    except Exception as exc:  # never a traceback: the funnel words it
        funnel.report(exc)
        return None
    dialog = DeadLettersDialog(letters, parent)
    dialog.open()
    return dialog


def install_dead_letters_action(window: QMainWindow, source: DeadLetterSource, funnel: MessageFunnel,
                                *, remote: bool = False) -> QAction:
    """Add "Geweigerde berichten meldkamersysteem…" to the window's Melding menu
    (`incident_menu` of console.main_window.MainWindow) and start following the list."""
    action = QAction(window)
    action.setObjectName("intakeDeadLettersAction")
    action.triggered.connect(lambda: setattr(window, "dead_letters_dialog", open_dead_letters(source, funnel, window)))
    menu: QMenu = getattr(window, "incident_menu", None) or window.menuBar().addMenu("Intake")
    menu.addSeparator()
    menu.addAction(action)
    watch = DeadLetterWatch(source, funnel, action, REMOTE_POLL_MS if remote else LOCAL_POLL_MS, window)
    window.dead_letter_watch = watch  # type: ignore[attr-defined]  # kept alive with the window
    return action
