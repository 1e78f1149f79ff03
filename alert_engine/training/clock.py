"""The training clock: scenario time that runs with the wall clock, faster, or not at all."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta

SPEEDS = (1.0, 2.0, 5.0)


class TrainingClock:
    """now() = scenario start + wall time elapsed while running × speed; never goes back.

    Starts paused at the scenario's start, so the trainer can brief before time runs.
    """

    def __init__(self, start: datetime, wall: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("TrainingClock needs an aware datetime")
        self.start = _floor_ms(start)
        self._wall = wall
        self._anchor = self.start  # scenario time at the last re-anchoring
        self._anchor_wall = wall()
        self._speed = 1.0
        self._running = False

    # -- reading ----------------------------------------------------------------------
    def now(self) -> datetime:
        if not self._running:
            return self._anchor
        elapsed = (self._wall() - self._anchor_wall) * self._speed
        return _floor_ms(self._anchor + timedelta(seconds=max(0.0, elapsed)))

    def elapsed_s(self) -> float:
        """Scenario seconds since the start (what the trainer's display shows)."""
        return (self.now() - self.start).total_seconds()

    @property
    def running(self) -> bool:
        return self._running

    @property
    def speed(self) -> float:
        return self._speed

    # -- control ----------------------------------------------------------------------
    def _reanchor(self) -> None:
        self._anchor = self.now()
        self._anchor_wall = self._wall()

    def resume(self) -> None:
        if not self._running:
            self._anchor_wall = self._wall()
            self._running = True

    def pause(self) -> None:
        if self._running:
            self._reanchor()
            self._running = False

    def set_speed(self, speed: float) -> None:
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {', '.join(f'{s:g}×' for s in SPEEDS)}, got {speed!r}")
        self._reanchor()
        self._speed = float(speed)

    def jump_to(self, t: datetime) -> None:
        """Skip ahead to `t` (for "jump to the next event"); going back is refused."""
        now = self.now()
        if t < now:
            raise ValueError(f"the training clock cannot go back from {now:%H:%M:%S} to {t:%H:%M:%S}")
        # Rounded up, so whatever was due at `t` is due at now() after the jump.
        self._anchor = _ceil_ms(t)
        self._anchor_wall = self._wall()

    def set(self, t: datetime) -> None:
        """How a Timeline moves this clock to the next thing due when fast-forwarding."""
        self.jump_to(t)


# Milliseconds are what the event log keeps; the clock never shows more.
def _floor_ms(t: datetime) -> datetime:
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


def _ceil_ms(t: datetime) -> datetime:
    floor = _floor_ms(t)
    return floor if floor == t else floor + timedelta(milliseconds=1)
