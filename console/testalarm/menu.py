"""The "Proefalarm" menu, added to the live main window from outside (console.app calls this)."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QWidget

from alert_engine.service import ExerciseService

from ..funnel import MessageFunnel
from .controller import TestAlarmController
from .dialog import TestAlarmDialog
from .summary_dialog import TestAlarmSummaryDialog


class TestAlarmMenu(QMenu):
    __test__ = False  # not a pytest test class, despite the name

    def __init__(self, service: ExerciseService, funnel: MessageFunnel, parent: QWidget) -> None:
        super().__init__(parent)
        self.service = service
        self.funnel = funnel
        self.controller = TestAlarmController(service, funnel, self)
        self.setup_action = QAction(self)
        self.setup_action.triggered.connect(self.open_setup)
        self.summary_action = QAction(self)
        self.summary_action.triggered.connect(self.open_summary)
        self.addAction(self.setup_action)
        self.addAction(self.summary_action)
        self.retranslate()

    def open_setup(self) -> TestAlarmDialog:
        dialog = TestAlarmDialog(self.service, self.funnel, self.controller, parent=self.parentWidget())
        dialog.open()
        return dialog

    def open_summary(self) -> TestAlarmSummaryDialog:
        dialog = TestAlarmSummaryDialog(self.service, self.funnel, parent=self.parentWidget())
        dialog.open()
        return dialog

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Proefalarm"))
        self.setup_action.setText(self.tr("Proefalarm instellen…"))
        self.summary_action.setText(self.tr("Samenvatting proefalarm…"))


def install_test_alarm_menu(window: QMainWindow, service: ExerciseService, funnel: MessageFunnel) -> TestAlarmMenu:
    """Add the menu before Help in `window`'s menu bar (a console.main_window.MainWindow)."""
    menu = TestAlarmMenu(service, funnel, window)
    bar = window.menuBar()
    help_menu = getattr(window, "help_menu", None)
    if help_menu is not None:
        bar.insertMenu(help_menu.menuAction(), menu)
    else:
        bar.addMenu(menu)
    return menu
