"""Write docs/example-report.pdf and docs/example-report-page1.png from scenario 01.

The scenario runs on the engine (synthetic demo registry), is exported as chained JSON
Lines, opened in the review window offscreen like a reviewer would (a note added at the
moment the first AED was connected), and exported with the default privacy options:
pseudonymised responders, rounded location, no map images. Run from the repository root:

    .venv/bin/python scripts/build_example_report.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")


async def build(tmp: Path) -> None:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtPdf import QPdfDocument

    from alert_engine.eventlog.jsonl import export_jsonl
    from alert_engine.review.access_log import AccessLog
    from alert_engine.scenario.loader import load_scenario
    from alert_engine.scenario.runner import run_scenario
    from console.review.dialogs import ExportChoice
    from console.review.window import open_review

    events = run_scenario(load_scenario(ROOT / "scenarios/01_city_zoetermeer_evening.json")).events
    export_jsonl(events, tmp / "I1.jsonl")
    window = open_review(tmp / "I1.jsonl", "I1", access_log=AccessLog(tmp / "access.sqlite"),
                         who="M. de Boer (kwaliteitsfunctionaris)",
                         reason="Voorbeeld: kwaliteitsreview van scenario 01 (synthetische gegevens)",
                         map_cache_dir=tmp / "map")
    assert window is not None
    window.resize(1600, 1000)
    window.show()
    connected = window.intervals["aed_connected"].at
    assert connected is not None
    window.seek(connected)
    window.add_note("Eerste AED pas na de 6-minutengrens aangesloten; de AED-lopers vertrokken pas na "
                    "de annulering van de overige hulpverleners. Bespreken in het kwaliteitsoverleg.")
    done = await window.export_report(tmp / "example-report.html", ExportChoice())
    assert done.pdf is not None
    out = ROOT / "docs/example-report.pdf"
    out.write_bytes(done.pdf.read_bytes())
    doc = QPdfDocument()
    doc.load(str(out))
    size = doc.pagePointSize(0)
    scale = 2.0  # 144 dpi: sharp enough to read the small print
    page = doc.render(0, QSize(round(size.width() * scale), round(size.height() * scale)))
    image = QImage(page.size(), QImage.Format.Format_RGB32)
    image.fill(QColor("white"))  # the rendered page is transparent where nothing is printed
    painter = QPainter(image)
    painter.drawImage(0, 0, page)
    painter.end()
    image.save(str(ROOT / "docs/example-report-page1.png"))
    print(f"{out} ({doc.pageCount()} pages, {out.stat().st_size // 1024} KB) and docs/example-report-page1.png")
    doc.close()
    window.close()
    window.deleteLater()
    await asyncio.sleep(0.2)


def main() -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp, loop:
        os.environ["ZESMINUTEN_HOME"] = tmp  # the example's access log and notes stay out of yours
        loop.run_until_complete(build(Path(tmp)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
