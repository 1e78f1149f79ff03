"""The engine's event batches, coalesced for the screen: at most one delivery per interval.

The service calls its listeners synchronously for every committed batch (20 a second in
a busy alarm). Views redraw from the delivered batches instead, so the whole console
repaints at most ten times a second however fast the engine writes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from alert_engine.api.commands import Command
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts, ExclusionVerdict
from alert_engine.service import AedView, IncidentService, Listener
from alert_engine.state import IncidentState

DEFAULT_INTERVAL_MS = 100  # 10 updates a second at most


class EventFeed(QObject):
    """Collects engine events and emits them as one list per interval (leading edge)."""

    batch = Signal(object)  # list[Event]

    def __init__(
        self,
        service: IncidentService,
        interval_ms: int = DEFAULT_INTERVAL_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._interval = interval_ms / 1000
        self._pending: list[Event] = []
        self._last_flush = float("-inf")
        self._timer = QTimer(self)
        # A coarse timer may fire up to 5 % early, which would let an 11th update into a second.
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._due)
        self.flushes = 0  # deliveries so far (the benchmark's UI update count)
        service.subscribe(self._on_events)

    def _on_events(self, events: Sequence[Event]) -> None:
        self._pending.extend(events)
        if self._timer.isActive():
            return
        self._schedule()

    def _schedule(self) -> None:
        # A lone click shows at once; a burst waits for the rest of the interval. Rounded
        # up: a delivery a fraction of a millisecond early would let an 11th into a second.
        wait = max(0.0, self._last_flush + self._interval - time.monotonic())
        self._timer.start(math.ceil(wait * 1000))

    def _due(self) -> None:
        if time.monotonic() - self._last_flush < self._interval:
            self._schedule()  # woke early (timers may): never two deliveries within one interval
            return
        self.flush()

    @property
    def last_flush(self) -> float:
        """time.monotonic() of the latest delivery."""
        return self._last_flush

    def flush(self) -> None:
        """Deliver what is pending now (also used by tests and on incident switch)."""
        self._timer.stop()
        if not self._pending:
            return
        events, self._pending = self._pending, []
        self._last_flush = time.monotonic()
        self.flushes += 1
        self.batch.emit(events)


class CoalescedService:
    """A service as the console's panels see it: the same queries and commands, but the
    event batches they subscribe to arrive through the feed, so every part of the window
    repaints at most ten times a second (the intake and the action panel listen for
    themselves; without this they would redraw on each of 20 responder updates a second).
    A panel refreshes itself after its own commands, so a click still shows at once."""

    def __init__(self, service: IncidentService, feed: EventFeed) -> None:
        self._service = service
        self._feed = feed
        self.config = service.config

    def subscribe(self, listener: Listener) -> None:
        self._feed.batch.connect(listener)

    def now(self) -> datetime:
        return self._service.now()

    def incidents(self) -> list[IncidentState]:
        return self._service.incidents()

    def state(self, incident: str) -> IncidentState:
        return self._service.state(incident)

    def events(self, incident: str | None = None) -> list[Event]:
        return self._service.events(incident)

    def preview(self, facts: CallFacts) -> ExclusionVerdict:
        return self._service.preview(facts)

    def new_call(self, facts: CallFacts, address: str = "", *, location: Mapping[str, Any] | None = None,
                 call_started: datetime | None = None) -> str:
        return self._service.new_call(facts, address, location=location, call_started=call_started)

    def alert_blocker(self, incident: str) -> str | None:
        return self._service.alert_blocker(incident)

    def execute(self, command: Command) -> list[Event]:
        return self._service.execute(command)

    def aeds_near(self, lat: float, lon: float, radius_m: float) -> list[AedView]:
        return self._service.aeds_near(lat, lon, radius_m)

    def pump(self) -> None:
        self._service.pump()
