"""HTML to PDF with the same engine that shows the map: QWebEnginePage.printToPdf (A4).

The page is written to a temporary file and loaded from disk (setHtml stops at 2 MB, and
map images make a report larger than that). Measured offscreen: a 3-page report in ~0.2 s.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWebEngineCore import QWebEnginePage

MARGINS_MM = QMarginsF(14, 14, 14, 16)  # left, top, right, bottom (the footer sits in the bottom one)


class PdfError(RuntimeError):
    """The report could not be printed to PDF."""


async def html_to_pdf(html: str, out: Path | None = None, timeout: float = 30.0) -> bytes:
    """Render `html` and return the PDF bytes (also written to `out` when given)."""
    loop = asyncio.get_running_loop()
    with tempfile.TemporaryDirectory(prefix="zesminuten-report-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(html, encoding="utf-8")
        page = QWebEnginePage()
        try:
            loaded: asyncio.Future[bool] = loop.create_future()
            page.loadFinished.connect(lambda ok: _settle(loaded, bool(ok)))
            page.load(QUrl.fromLocalFile(str(source)))
            if not await asyncio.wait_for(loaded, timeout):
                raise PdfError("the report page did not load")
            printed: asyncio.Future[bytes] = loop.create_future()
            layout = QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter
            )
            page.printToPdf(lambda data: _settle(printed, bytes(data.data())), layout)
            data = await asyncio.wait_for(printed, timeout)
        finally:
            page.deleteLater()
    if not data.startswith(b"%PDF"):
        raise PdfError("printing the report gave no PDF")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    return data


def _settle[T](future: asyncio.Future[T], value: T) -> None:
    if not future.done():
        future.set_result(value)
