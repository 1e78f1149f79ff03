"""`zesminuten-pdf`: the console prints the engine's HTML reports (the engine has no Qt)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import REPO

pytestmark = [pytest.mark.gui]
ROOT = REPO


def test_an_html_report_becomes_a_pdf(tmp_path: Path) -> None:
    html = tmp_path / "dekking.html"
    html.write_text("<html><body><h1>AED-dekking Zoetermeer</h1></body></html>", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "console.print_pdf", str(html)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-1000:]
    assert (tmp_path / "dekking.pdf").read_bytes()[:5] == b"%PDF-"
    missing = subprocess.run([sys.executable, "-m", "console.print_pdf", str(tmp_path / "nope.html")],
                             capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
