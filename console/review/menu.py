"""The live console's way into review: open the selected incident, a JSONL file, the access log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMenu

from alert_engine.review.access_log import AccessLog
from alert_engine.review.source import ServiceNotes
from alert_engine.service import IncidentService

from ..funnel import MessageFunnel


class ReviewMenu(QObject):
    """Keeps the review windows alive (a window without an owner would be collected)."""

    def __init__(
        self, window: QMainWindow, service: IncidentService, funnel: MessageFunnel, store_path: Path | None
    ) -> None:
        """`store_path`: the live event store; None on the centre's service, whose store is
        not on this workstation (the selected-incident review, which verifies the store's
        hash chain, is left out there; a JSONL file can still be reviewed)."""
        super().__init__(window)
        self.window = window
        self.service = service
        self.funnel = funnel
        self.store_path = store_path
        self.open_windows: list[QMainWindow] = []
        self.ask: object | None = None  # tests answer "who and why" without a modal dialog
        self.menu = QMenu(window)
        self.incident_action = self._add(self.review_selected)
        self.file_action = self._add(self.review_file)
        self.menu.addSeparator()
        self.log_action = self._add(self.show_access_log)
        self.incident_action.setVisible(store_path is not None)
        self.retranslate()
        # A runtime language switch reaches the menu as a LanguageChange event.
        self.menu.installEventFilter(self)

    def _add(self, slot: object) -> QAction:
        action = self.menu.addAction("")
        action.triggered.connect(slot)
        return action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.menu and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False

    def retranslate(self) -> None:
        self.menu.setTitle(QCoreApplication.translate("ReviewMenu", "&Nazien"))
        self.incident_action.setText(QCoreApplication.translate("ReviewMenu", "Geselecteerde melding nazien…"))
        self.file_action.setText(QCoreApplication.translate("ReviewMenu", "Gebeurtenissenbestand (JSONL) nazien…"))
        self.log_action.setText(QCoreApplication.translate("ReviewMenu", "Toegangslogboek bekijken…"))

    def review_selected(self) -> None:
        incident = getattr(self.window, "current_incident", None)
        if self.store_path is None:
            return  # the action is hidden then; a stray call does nothing
        if not incident:
            self.funnel.warning(
                QCoreApplication.translate(
                    "ReviewMenu", "Selecteer eerst een melding om na te zien."
                )
            )
            return
        self._open(self.store_path, incident, ServiceNotes(self.service, incident))

    def review_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            QCoreApplication.translate("ReviewMenu", "Gebeurtenissen nazien"),
            "",
            QCoreApplication.translate("ReviewMenu", "JSON Lines (*.jsonl);;Alle bestanden (*)"),
        )
        if path:
            self._open(Path(path), None, None)

    def _open(self, path: Path, incident: str | None, notes: ServiceNotes | None) -> None:
        from .window import open_review

        try:
            extra: dict[str, Any] = {"ask": self.ask} if self.ask is not None else {}
            if notes is not None and hasattr(self.service, "aftercare_summary"):
                extra["aftercare"] = self.service  # the live store's incident: its aftercare too (issue 15)
            window = open_review(path, incident, parent=None, notes=notes, **extra)
        except Exception as exc:  # every failure reaches the dispatcher as one sentence
            self.funnel.report(exc)
            return
        if window is not None:
            # Closed means gone: the window, its models and its map page (and with the page
            # its renderer process) are deleted, and this list lets go of it.
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _=None, w=window: self._forget(w))
            self.open_windows.append(window)
            window.show()

    def _forget(self, window: QMainWindow) -> None:
        self.open_windows = [w for w in self.open_windows if w is not window]

    def show_access_log(self) -> None:
        from .dialogs import AccessLogDialog

        try:
            AccessLogDialog(AccessLog(), None, self.window).exec()
        except Exception as exc:
            self.funnel.report(exc)


def install_review_menu(
    window: QMainWindow, service: IncidentService, funnel: MessageFunnel, store_path: Path | None
) -> ReviewMenu:
    """Add the review menu before Help in the live window's menu bar."""
    menu = ReviewMenu(window, service, funnel, store_path)
    help_menu = getattr(window, "help_menu", None)
    bar = window.menuBar()
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu.menu)
    else:
        bar.addMenu(menu.menu)
    return menu
