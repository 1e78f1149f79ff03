"""`zesminuten` as a user starts it: a separate process, first start on an empty data dir."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.paths import REPO

pytestmark = [pytest.mark.gui, pytest.mark.slow]


def run_console(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ZESMINUTEN_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "console.app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


def test_first_start_seeds_the_demo_registry_and_screenshots_an_alarm(qapp: object, tmp_path: Path) -> None:
    home = tmp_path / "home"
    png = tmp_path / "console.png"
    done = run_console(home, "--demo-incident", "--screenshot", str(png), "--after", "4")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert (home / "registry.sqlite").is_file()  # created from the synthetic demo set
    assert (home / "events-live.sqlite").is_file()
    image = QImage(str(png))
    # The window takes the (offscreen) screen, up to 1920×1080.
    assert image.width() >= 1300 and image.height() >= 700
    # Not a blank window: the map, the tables and the counters give many colours.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 200

    # Second start on the same data: the demo alarm is still in the event store.
    from alert_engine.eventlog.store import SqliteEventStore
    from alert_engine.state import fold_all

    store = SqliteEventStore(home / "events-live.sqlite")
    states = fold_all(store.read())
    store.close()
    assert [s.phase for s in states.values()] in (["alerted"], ["target_met"])
    assert all(len(s.responders) > 20 for s in states.values())


def test_a_missing_registry_file_is_a_clear_error(qapp: object, tmp_path: Path) -> None:
    done = run_console(tmp_path, "--registry", str(tmp_path / "nope.sqlite"), timeout=60)
    assert done.returncode == 2
    assert "no such registry file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_second_console_on_the_same_store_says_who_has_it(qapp: object, tmp_path: Path) -> None:
    """Two workstations pointed at one event store: the second one explains and stops,
    the first one's store is untouched (issue 8: one writer per store)."""
    from alert_engine.eventlog.store import SqliteEventStore

    home = tmp_path / "home"
    home.mkdir()
    first = SqliteEventStore(home / "events-live.sqlite", key=None)
    first.claim_writer()  # as a running console's engine does
    try:
        done = run_console(home, timeout=90)
    finally:
        first.close()
    assert done.returncode == 2
    assert "is in use by" in done.stderr and "one writer" in done.stderr
    assert "Traceback" not in done.stderr
