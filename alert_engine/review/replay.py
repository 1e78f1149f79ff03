"""`ReplayService`: the query side of `IncidentService` over a fixed event list, at a chosen time.

The console's live widgets read state through an `IncidentService`; given a `ReplayService`
they show an incident as it was at the scrubber's time, computed by the engine's own fold
(`state.apply`): the state at t is `state_at(events, incident, t)`. For speed the service
folds each incident once up front, keeping every 32nd state as a snapshot (states are
immutable, so a snapshot is a reference), then keeps a cursor: a seek folds forward from
the cursor or from the nearest snapshot below the target, so at most 32 events. Measured
in `python -m benchmarks.review` against re-folding from the start and a snapshot per event.
Every command raises `ReadOnlyReview`: a review never changes what happened.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import Any

from ..api.commands import Command
from ..config import AlertConfig
from ..errors import EngineError, UnknownIncident
from ..events import Event
from ..exclusion import CallFacts, ExclusionVerdict
from ..geo import point_rd
from ..registry.table import Registry
from ..service import AedView, Listener
from ..state import IncidentState, apply, state_at

DEFAULT_SNAPSHOT_EVERY = 32


class ReadOnlyReview(EngineError):
    """A command was given to a replay: the review shows history and never changes it."""


@dataclass
class _Cursor:
    """Where the fold of one incident stands, plus snapshots to restart from after a backward seek."""

    pos: int = 0  # events applied
    state: IncidentState | None = None
    snapshots: dict[int, IncidentState] = field(default_factory=dict)


class ReplayService:
    """Implements the query side of `IncidentService` over `events` at time `now()`."""

    def __init__(
        self,
        events: Sequence[Event],
        config: AlertConfig | None = None,
        registry: Registry | None = None,
        snapshot_every: int | None = DEFAULT_SNAPSHOT_EVERY,
        at: datetime | None = None,
    ) -> None:
        if not events:
            raise EngineError("nothing to replay: the event list is empty")
        self.config = config or AlertConfig()
        self.mode = "review"
        self._all = sorted(events, key=lambda e: e.seq)
        self._all_times = [e.time for e in self._all]
        # The fold at t covers the events with time <= t; with times in seq order (as the
        # engine writes them) those are a prefix, which is what makes a cursor possible.
        self._monotonic = all(a <= b for a, b in pairwise(self._all_times))
        self._by_incident: dict[str, list[Event]] = {}
        for e in self._all:
            self._by_incident.setdefault(e.incident, []).append(e)
        self._times = {k: [e.time for e in v] for k, v in self._by_incident.items()}
        self._cursors = {k: _Cursor() for k in self._by_incident}
        self._snapshot_every = snapshot_every or 0
        self._listeners: list[Listener] = []
        self._registry_lookup: Any = None
        if registry is not None:
            from ..eventlog.store import MemoryEventStore
            from ..service import LocalService

            # Reuse the live AED lookup (descriptions, opening hours) with this replay as its clock.
            self._registry_lookup = LocalService(registry, MemoryEventStore(), clock=self, config=self.config)
        self._t = at or self.start
        self.folds = 0  # events applied so far (the benchmark reports it)
        if self._snapshot_every:
            for incident, events in self._by_incident.items():
                self._snapshot_all(incident, events, self._cursors[incident])

    # -- the timeline ------------------------------------------------------------------------
    @property
    def start(self) -> datetime:
        return self._all_times[0]

    @property
    def end(self) -> datetime:
        return max(self._all_times)

    def all_events(self, incident: str | None = None) -> list[Event]:
        """Every event, whatever the scrubber time (timeline marks, reports)."""
        return list(self._all if incident is None else self._by_incident.get(incident, []))

    def moments(self, incident: str | None = None) -> list[datetime]:
        """The distinct times at which something happened, in order."""
        return sorted({e.time for e in self.all_events(incident)})

    def seek(self, t: datetime) -> list[Event]:
        """Move the scrubber. Listeners get the events passed going forward, or an empty
        batch after a backward seek, which means "the state went back: refresh"."""
        old, self._t = self._t, t
        if t >= old:
            batch = [e for e in self._all if old < e.time <= t]
            if not batch:
                return []
        else:
            batch = []
        for listener in list(self._listeners):
            listener(batch)
        return batch

    # -- IncidentService queries ---------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def now(self) -> datetime:
        return self._t

    def incidents(self) -> list[IncidentState]:
        return [self.state(k) for k, times in self._times.items() if times[0] <= self._t]

    def state(self, incident: str) -> IncidentState:
        events = self._by_incident.get(incident)
        if events is None:
            raise UnknownIncident(f"unknown incident {incident}")
        if not self._monotonic:
            return state_at(events, incident, self._t)
        return self._fold_to(incident, events, bisect_right(self._times[incident], self._t))

    def events(self, incident: str | None = None) -> list[Event]:
        source = self._all if incident is None else self._by_incident.get(incident, [])
        return [e for e in source if e.time <= self._t]

    def aeds_near(self, lat: float, lon: float, radius_m: float) -> list[AedView]:
        if self._registry_lookup is not None:
            views: list[AedView] = self._registry_lookup.aeds_near(lat, lon, radius_m)
            return views
        # Without the registry: what the alerts themselves say about their AEDs.
        x0, y0 = point_rd(lat, lon)
        seen: dict[str, AedView] = {}
        for e in self._all:
            if e.type != "alert_sent":
                continue
            for a in e["aeds"]:
                if a.get("lat") is None or a.get("lon") is None:
                    continue
                x, y = point_rd(float(a["lat"]), float(a["lon"]))
                d = ((x - x0) ** 2 + (y - y0) ** 2) ** 0.5
                if d <= radius_m:
                    seen[a["id"]] = AedView(a["id"], float(a["lat"]), float(a["lon"]), round(d, 1), "unknown", False, "")
        return sorted(seen.values(), key=lambda a: a.distance_m)

    def alert_blocker(self, incident: str) -> str | None:
        return "read_only"

    def pump(self) -> None:
        """Time does not move by itself in a review; `seek` moves it."""

    # -- commands: never in a review -------------------------------------------------------------
    def _refuse(self, what: str) -> ReadOnlyReview:
        return ReadOnlyReview(f"review is read-only: {what} is not possible while replaying an incident")

    def preview(self, facts: CallFacts) -> ExclusionVerdict:
        raise self._refuse("assessing a new call")

    def new_call(self, facts: CallFacts, address: str = "", *, location: Mapping[str, Any] | None = None,
                 call_started: datetime | None = None) -> str:
        raise self._refuse("taking a new call")

    def execute(self, command: Command) -> list[Event]:
        raise self._refuse(f"the command {command.name!r}")

    # -- the fold, incrementally ---------------------------------------------------------------
    def _fold_to(self, incident: str, events: list[Event], pos: int) -> IncidentState:
        """The state after `events[:pos]`: from the cursor or the nearest snapshot, whichever
        is closer below `pos`, folding forward with the engine's own `apply`."""
        cur = self._cursors[incident]
        every = self._snapshot_every
        base = max((k for k in cur.snapshots if k <= pos), default=0) if every else 0
        if cur.state is None or pos < cur.pos or (every and base > cur.pos):
            cur.pos = base
            cur.state = cur.snapshots.get(base) or IncidentState.empty(incident)
        state = cur.state
        for i in range(cur.pos, pos):
            state = apply(state, events[i])
        self.folds += pos - cur.pos
        cur.pos, cur.state = pos, state
        return state

    def _snapshot_all(self, incident: str, events: list[Event], cur: _Cursor) -> None:
        """One fold over the whole incident, keeping every k-th state: any seek then folds
        at most k events (a reference per snapshot: states are immutable and share parts)."""
        every = self._snapshot_every
        state = IncidentState.empty(incident)
        cur.snapshots[0] = state
        for i, e in enumerate(events, start=1):
            state = apply(state, e)
            if i % every == 0:
                cur.snapshots[i] = state
        self.folds += len(events)
