"""The debrief on screen (a QTextBrowser: the page is plain HTML) with an HTML export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from alert_engine.training.debrief import Debrief
from alert_engine.training.debrief_html import render_html, write_html

from ..funnel import MessageFunnel

# (parent, suggested path) -> chosen path or None; tests answer instead of a file dialog.
AskSavePath = Callable[[QWidget, Path], Path | None]


def ask_save_path(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(
        parent,
        parent.tr("Debrief exporteren"),
        str(suggested),
        parent.tr("HTML-bestand (*.html)"),
    )
    return Path(name) if name else None


class DebriefDialog(QDialog):
    def __init__(
        self,
        debrief: Debrief,
        funnel: MessageFunnel,
        export_dir: Path,
        ask_path: AskSavePath = ask_save_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.debrief = debrief
        self._funnel = funnel
        self._export_dir = export_dir
        self._ask_path = ask_path
        self.setWindowTitle(self.tr("OEFENING – debrief: {0}").format(debrief.scenario_name))
        self.html = render_html(debrief)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setHtml(self.html)
        self.export_button = QPushButton(self.tr("Exporteren als HTML…"), self)
        self.export_button.clicked.connect(self.export)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(900, 760)

    def export(self) -> Path | None:
        suggested = self._export_dir / f"debrief-{self.debrief.slug}-{self.debrief.made_at:%Y%m%d-%H%M%S}.html"
        path = self._ask_path(self, suggested)
        if path is None:
            return None
        try:
            write_html(self.debrief, path)
        except OSError as exc:
            self._funnel.report(self.tr("Debrief niet opgeslagen: {0}").format(exc))
            return None
        self._funnel.info(self.tr("Debrief opgeslagen in {0}").format(path))
        return path
