"""`ReportExport`: the review's report as HTML and PDF, with map images at the key moments.

Asked through the export dialog and a save path, logged in the access log before anything
is written (NEN 7513), rendered by the engine's `render_report` over the source's events.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from alert_engine.aftercare.questionnaire import Summary
from alert_engine.clock import SystemClock
from alert_engine.review.access_log import ReviewSession
from alert_engine.review.intervals import Intervals
from alert_engine.review.replay import ReplayService
from alert_engine.review.report import MapImage, ReportContext, ReportOptions, render_report
from alert_engine.review.source import ReviewSource

from ..funnel import MessageFunnel
from ..map.bridge import MapView
from .dialogs import ExportChoice, ExportDialog
from .pdf import html_to_pdf

# Captions of the report's map images: the report is Dutch, whatever the window's language.
MAP_MOMENTS = (("alert_sent", "Alarmering verstuurd"), ("first_on_scene", "Eerste hulpverlener ter plaatse"),
               ("aed_connected", "AED aangesloten"))

AskSavePath = Callable[[QWidget | None, str], Path | None]


def ask_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    title = QCoreApplication.translate("ReportExport", "Rapport opslaan")
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, "HTML (*.html)")
    return Path(name) if name else None


@dataclass(frozen=True)
class ExportedReport:
    html: Path
    pdf: Path | None
    maps: int


class ReportExport(QObject):
    """Exports `source`'s incident; `seek` moves the review to a moment for a map image."""

    def __init__(
        self,
        source: ReviewSource,
        session: ReviewSession,
        replay: ReplayService,
        intervals: Intervals,
        map_view: MapView,
        seek: Callable[[datetime], None],
        funnel: MessageFunnel,
        save_path: AskSavePath = ask_save_path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self.source = source
        self.session = session
        self.replay = replay
        self.intervals = intervals
        self.map_view = map_view
        self._seek = seek
        self.funnel = funnel
        self._save_path = save_path
        # The incident's aftercare counts for the report (the window's panel holds them).
        self.aftercare: Callable[[], Summary | None] = lambda: None

    def ask_and_export(self) -> None:
        """The menu's export: the dialog, a path, then the report in the background."""
        dialog = ExportDialog(self._parent)
        try:
            if dialog.exec() != ExportDialog.DialogCode.Accepted:
                return
            choice = dialog.choice
        finally:
            dialog.deleteLater()
        html_path = self._save_path(self._parent, f"rapport-{self.source.incident}.html")
        if html_path is None:
            return
        task = asyncio.get_event_loop().create_task(self.export_report(html_path, choice))
        task.add_done_callback(self._export_done)

    def _export_done(self, task: asyncio.Task[ExportedReport]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.funnel.report(exc)
            return
        done = task.result()
        if done.pdf:
            self.funnel.info(self.tr("Rapport opgeslagen: {0} en {1}").format(done.html, done.pdf.name))
        else:
            self.funnel.info(self.tr("Rapport opgeslagen: {0}").format(done.html))

    async def export_report(self, html_path: Path, choice: ExportChoice | None = None) -> ExportedReport:
        """Write the report (and the PDF next to it); logged in the access log first."""
        choice = choice or ExportChoice()
        pdf_path = html_path.with_suffix(".pdf") if choice.pdf else None
        self.session.record(
            "export",
            {"to": str(html_path), "pdf": bool(pdf_path), "exact_location": choice.exact_location,
             "real_pseudonyms": choice.real_pseudonyms, "maps": choice.include_maps},
        )
        maps = await self.capture_maps() if choice.include_maps and choice.exact_location else []
        html = render_report(
            self.source.events,
            self.source.incident,
            self.source.integrity,
            ReportOptions(exact_location=choice.exact_location, real_pseudonyms=choice.real_pseudonyms),
            self.source.annotations(),
            maps,
            ReportContext(self.session.who, self.session.reason, self.source.label, SystemClock().now()),
            target=self.replay.config.target_responders,
            aftercare=self.aftercare(),
        )
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(html, encoding="utf-8")
        if pdf_path is not None:
            await html_to_pdf(html, pdf_path)
        return ExportedReport(html_path, pdf_path, len(maps))

    async def capture_maps(self) -> list[MapImage]:
        """The map at the key moments (alert, first on scene, AED connected), then back."""
        back = self.replay.now()
        images = []
        try:
            for key, caption in MAP_MOMENTS:
                at = self.intervals[key].at
                if at is None:
                    continue
                self._seek(at)
                await self.map_view.eval_json("1")  # the pushed ops are applied once this answers
                await asyncio.sleep(0.15)  # and painted
                images.append(MapImage(caption, _png(self.map_view.grab()), at))
        finally:
            self._seek(back)
        return images


def _png(pixmap: Any) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())
