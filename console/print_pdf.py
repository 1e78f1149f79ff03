"""`zesminuten-pdf REPORT.html [OUT.pdf]`: print any of the engine's HTML reports (incident,
coverage, statistics, debrief) to PDF with QtWebEngine, as the review window does.

The engine writes HTML only and stays free of Qt; printing is the console's job.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="zesminuten-pdf", description="print an HTML report to PDF")
    parser.add_argument("html", type=Path)
    parser.add_argument("pdf", type=Path, nargs="?", help="default: the HTML's name with .pdf")
    args = parser.parse_args(argv)
    if not args.html.is_file():
        print(f"zesminuten-pdf: {args.html}: no such file", file=sys.stderr)
        return 2
    out = args.pdf or args.html.with_suffix(".pdf")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # printing needs no window
    from .app import prepare_environment

    prepare_environment()
    import qasync
    from PySide6.QtWidgets import QApplication

    from .review.pdf import html_to_pdf

    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(html_to_pdf(args.html.read_text(encoding="utf-8"), out))
    print(f"zesminuten-pdf: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
