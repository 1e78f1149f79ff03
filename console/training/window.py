"""The training window: the live console inside a frame nobody can mistake for the real one.

The dispatcher's `MainWindow` is used as it is (same widgets, same keys) and embedded; the
shell adds the striped banner on top, a purple frame around it, "OEFENING" in the title
and the status bar, and the trainer's dock. A new scenario brings a new registry and so a
new service: the shell swaps the embedded console and keeps everything else.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QFrame, QLabel, QMainWindow, QMenu, QToolBar, QVBoxLayout, QWidget

from ..main_window import MainWindow
from .banner import PURPLE, TrainingBanner
from .controls import TrainerDock

MODE_PROPERTY = "zesminutenMode"


class TrainingWindow(QMainWindow):
    def __init__(self, dock: TrainerDock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingWindow")
        self.setProperty(MODE_PROPERTY, "training")
        self.banner = TrainingBanner(self)
        self.banner_bar = QToolBar(self)
        self.banner_bar.setObjectName("trainingBannerBar")
        self.banner_bar.setMovable(False)
        self.banner_bar.setFloatable(False)
        self.banner_bar.setContentsMargins(0, 0, 0, 0)
        self.banner_bar.setStyleSheet("QToolBar { border: 0; padding: 0; spacing: 0; }")
        self.banner_bar.addWidget(self.banner)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner_bar)

        self.frame = QFrame(self)
        self.frame.setObjectName("trainingFrame")
        self.frame.setStyleSheet(f"QFrame#trainingFrame {{ background: {PURPLE}; }}")
        self._frame_layout = QVBoxLayout(self.frame)
        self._frame_layout.setContentsMargins(4, 0, 4, 4)
        self.placeholder = QLabel(self.frame)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: white; font-size: 18px;")
        self._frame_layout.addWidget(self.placeholder)
        self.setCentralWidget(self.frame)

        self.dock = dock
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        self.console: MainWindow | None = None
        self.status_marks: list[QLabel] = []
        self.retranslate()
        self.resize(1600, 1000)

    def createPopupMenu(self) -> QMenu | None:
        return None  # no right-click menu to hide the banner or the trainer's dock

    def set_console(self, console: MainWindow) -> MainWindow | None:
        """Show `console` in the frame; returns the previous one for the caller to dispose of."""
        old = self.console
        if old is not None:
            old.windowTitleChanged.disconnect(self._sync_title)
            self._frame_layout.removeWidget(old)
            old.hide()
        self.placeholder.hide()
        console.setWindowFlags(Qt.WindowType.Widget)
        console.setProperty(MODE_PROPERTY, "training")
        mark = QLabel(self.tr("OEFENING"), console)
        mark.setObjectName("trainingStatusMark")
        mark.setStyleSheet(f"background: {PURPLE}; color: white; font-weight: bold; padding: 1px 10px;")
        console.statusBar().addPermanentWidget(mark)
        self.status_marks = [mark]
        self._frame_layout.addWidget(console)
        console.windowTitleChanged.connect(self._sync_title)
        console.show()
        self.console = console
        self._sync_title()
        return old

    def _sync_title(self, _title: str = "") -> None:
        inner = self.console.windowTitle() if self.console is not None else self.tr("Zesminuten")
        self.setWindowTitle(self.tr("OEFENING – {0}").format(inner))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.placeholder.setText(self.tr("Kies rechts een scenario en klik op Laden."))
        for mark in self.status_marks:
            mark.setText(self.tr("OEFENING"))
        self._sync_title()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.console is not None:
            self.console.close()
        super().closeEvent(event)
