"""Injected time: rules never read the wall clock themselves."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def local_day(t: datetime) -> int:
    """The Dutch calendar day of an instant (date.toordinal()), whatever offset it was
    written in: a certificate valid until 30 June is valid until midnight in Amsterdam."""
    return (t.astimezone(AMSTERDAM) if t.tzinfo is not None else t).date().toordinal()


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """Wall clock in Dutch local time (live console)."""

    def now(self) -> datetime:
        return datetime.now(AMSTERDAM).replace(microsecond=0)


class SimClock:
    """A clock that only moves when told to (scenarios, training, tests)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("SimClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, t: datetime) -> None:
        if t < self._now:
            raise ValueError(f"clock cannot go back from {self._now} to {t}")
        self._now = t

    def advance(self, seconds: float) -> None:
        self.set(self._now + timedelta(seconds=seconds))
