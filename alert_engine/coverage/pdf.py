"""HTML report -> PDF with the console's printer (QtWebEngine, as the incident report).

The engine package stays free of Qt, so the printing runs in a child process that
imports the console; without PySide6 installed it is an error a person can read.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..errors import InvalidInput

_PDF_SCRIPT = r"""
import asyncio, os, sys
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
import qasync
from PySide6.QtWidgets import QApplication
from console.review.pdf import html_to_pdf
app = QApplication(sys.argv[:1])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
html = Path(sys.argv[1]).read_text(encoding="utf-8")
with loop:
    loop.run_until_complete(html_to_pdf(html, Path(sys.argv[2])))
"""


def print_pdf(html: Path, pdf: Path | None = None) -> Path:
    """Print `html` to `pdf` (default: the same name with .pdf); returns the PDF's path."""
    out = pdf or html.with_suffix(".pdf")
    done = subprocess.run(
        [sys.executable, "-c", _PDF_SCRIPT, str(html), str(out)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    if done.returncode != 0 or not out.exists():
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise InvalidInput(f"printing the PDF needs the console (PySide6): {tail[0]}")
    return out
