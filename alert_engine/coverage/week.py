"""The 168 hours of a week, and which AEDs are available in each (status and opening hours)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from ..clock import AMSTERDAM
from ..registry.model import AedStatus
from ..registry.table import AED_STATUS_CODES, Registry

HOURS = 168
DAY_NAMES = ("ma", "di", "wo", "do", "vr", "za", "zo")


def week_hours(any_day: date) -> list[datetime]:
    """Local Monday 00:30 ... Sunday 23:30 of the week holding `any_day` (the half hour,
    so an AED that opens at 08:00 counts for the hour 08-09)."""
    monday = any_day - timedelta(days=any_day.weekday())
    start = datetime.combine(monday, datetime.min.time())
    return [
        (start + timedelta(minutes=30 + 60 * h)).replace(tzinfo=AMSTERDAM) for h in range(HOURS)
    ]


def hour_label(h: int) -> str:
    return f"{DAY_NAMES[h // 24]} {h % 24:02d}"


def availability(registry: Registry, any_day: date) -> np.ndarray:
    """(n_aeds, 168) bool: ready and open in that hour of the week."""
    ready = registry.a_status == AED_STATUS_CODES[AedStatus.READY]
    out = np.empty((registry.n_aeds, HOURS), dtype=bool)
    for h, t in enumerate(week_hours(any_day)):
        out[:, h] = ready & registry.patterns.all_open_at(t)[registry.a_hours]
    return out
