"""Shared test set-up: headless Qt and QtWebEngine, set before any Qt import."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QT_API", "pyside6")
# Keep the user's real data directory out of every test run.
os.environ.setdefault("ZESMINUTEN_HOME", os.path.join(os.getcwd(), ".pytest-home"))
