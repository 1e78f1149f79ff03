"""The live console opens its own incidents for review (same store, notes via the engine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from console.review.menu import install_review_menu

from .console_harness import QT_LOG_IGNORE, ConsoleHarness
from .test_console_workflow import console, console_map_cache, gazetteer, make_console  # noqa: F401

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def test_review_menu_opens_the_selected_incident_read_only(
    console: ConsoleHarness, tmp_path: Path, monkeypatch: Any  # noqa: F811
) -> None:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path))  # the access log goes here
    menu = install_review_menu(console.window, console.service, console.funnel, console.store.path)
    titles = [a.text() for a in console.window.menuBar().actions()]
    assert "&Nazien" in titles
    menu.review_selected()
    assert any("Selecteer eerst" in text for _, text in console.messages)  # nothing selected yet

    incident = console.alert()
    console.window.select_incident(incident)
    menu.ask = lambda *_: ("Q. Reviewer", "kwaliteitscontrole")
    menu.review_selected()
    assert len(menu.open_windows) == 1
    review = menu.open_windows[0]
    assert incident in review.windowTitle()
    from alert_engine.review.access_log import AccessLog

    entries = AccessLog(tmp_path / "access-log.sqlite").entries()
    assert [(e.action, e.incident, e.reason) for e in entries][:1] == [("open", incident, "kwaliteitscontrole")]
    review.close()
    review.deleteLater()


def test_closing_a_review_window_ends_its_renderer_and_forgets_it(
    console: ConsoleHarness, tmp_path: Path, monkeypatch: Any, qtbot: Any, run_async: Any  # noqa: F811
) -> None:
    """A closed review gives its map page and renderer process (~200 MB) back at once."""
    import os

    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path))
    menu = install_review_menu(console.window, console.service, console.funnel, console.store.path)
    console.window.select_incident(console.alert())
    menu.ask = lambda *_: ("Q. Reviewer", "kwaliteitscontrole")
    menu.review_selected()
    review: Any = menu.open_windows[0]  # a ReviewWindow
    run_async(review.map_view.wait_ready(30))
    pid = review.map_view.page().renderProcessPid()
    assert pid > 0 and pid != console.window.map_view.page().renderProcessPid()

    review.close()
    qtbot.waitUntil(lambda: not menu.open_windows, timeout=5000)  # deleted, then forgotten
    qtbot.waitUntil(lambda: not os.path.exists(f"/proc/{pid}"), timeout=10_000)
    assert console.window.map_view.is_ready  # the live map is untouched
