"""Where the engine keeps its files by default (overridable per command and by env)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """ZESMINUTEN_HOME if set (tests, kiosks), else the user data directory."""
    override = os.environ.get("ZESMINUTEN_HOME")
    path = Path(override) if override else platformdirs.user_data_path("zesminuten", appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_registry_path() -> Path:
    return data_dir() / "registry.sqlite"


def default_event_store_path(mode: str = "live") -> Path:
    """Live, training and test alarms never share a store."""
    return data_dir() / f"events-{mode}.sqlite"
