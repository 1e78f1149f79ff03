"""Value types on the wire: what the centre service sends and its clients read back.

The console is the same program on either backend, so what crosses HTTP must come back as
the very value types the embedded engine hands it (ExclusionVerdict, AedView, config).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from ..config import AlertConfig
from ..exclusion import verdict_data, verdict_from_data

__all__ = ["config_from_data", "verdict_data", "verdict_from_data"]


def config_from_data(data: Mapping[str, Any]) -> AlertConfig:
    known = {f.name for f in fields(AlertConfig)}
    values: dict[str, Any] = {k: v for k, v in data.items() if k in known}
    return AlertConfig(**values)
