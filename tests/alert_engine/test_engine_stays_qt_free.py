"""The engine never reaches for Qt or the console, also not hidden in a string that a
child process runs (import-linter sees imports only)."""

from __future__ import annotations

import re

from tests.paths import REPO

ENGINE = REPO / "alert_engine"
QT_OR_CONSOLE = re.compile(r"^\s*(from|import)\s+(PySide6|qasync|pyqtgraph|console)\b", re.MULTILINE)


def test_no_engine_source_imports_qt_or_the_console_even_in_a_string() -> None:
    offenders = [str(p.relative_to(ENGINE)) for p in ENGINE.rglob("*.py")
                 if QT_OR_CONSOLE.search(p.read_text(encoding="utf-8"))]
    assert offenders == []
