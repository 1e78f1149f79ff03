"""Shared test set-up: headless Qt and QtWebEngine, set before any Qt import."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QT_API", "pyside6")
# Keep the user's real data directory out of every test run.
os.environ.setdefault("ZESMINUTEN_HOME", os.path.join(os.getcwd(), ".pytest-home"))
# ... and the user's chain key (eventlog/keys.py reads the user config dir): tests pass keys explicitly.
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.getcwd(), ".pytest-home", "config")
os.environ.pop("ZESMINUTEN_CHAIN_KEY_FILE", None)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """The headless tier first, then the GUI tier: an engine failure shows up in seconds."""
    items.sort(key=lambda item: item.get_closest_marker("gui") is not None)
