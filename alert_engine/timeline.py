"""One discrete-event timeline: things due at simulated times, played in a fixed order.

Scenario runs, training sessions, simulated responders, simulate-year and the review bench
all move a clock forward through "what is due next". They share this one queue so that
they agree on what happens first when two things are due at the same instant:

- earlier `at` first;
- at the same `at`, lower `order` first (a rank the caller chooses: the scenario runner
  lapses timeouts before the script and the script before simulated people);
- at the same `at` and `order`, first scheduled first (a scenario's ties in file order,
  as the contract says: "applied in at order, ties in file order").

Besides scheduled entries, a timeline can *follow* another agenda that knows its own next
time and changes as the world does (the engine's answer deadlines, a SimulatedResponders'
plan). A followed agenda is asked afresh before every step, so it is never out of date, and
it takes part in the same ordering with its own `order`.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


class MovableClock(Protocol):
    """What a timeline moves: SimClock, or the training clock (which jumps)."""

    def now(self) -> datetime: ...

    def set(self, t: datetime) -> None: ...


@dataclass(eq=False, slots=True)
class Entry:
    """A scheduled action; keep it to cancel it. Compared by identity, never by value."""

    at: datetime
    order: int
    action: Callable[[], object]
    pending: bool = True  # False once played or cancelled


@dataclass(frozen=True, slots=True)
class _Followed:
    order: int
    seq: int
    next_due: Callable[[], datetime | None]
    run: Callable[[datetime], object]


class Timeline:
    """A queue of due actions on an injected clock (or on none: then every action reads
    whatever clock it has; the timeline only decides the order)."""

    def __init__(self, clock: MovableClock | None = None) -> None:
        self.clock = clock
        # (at, order, seq, entry): seq is unique, so an Entry is never compared.
        self._heap: list[tuple[datetime, int, int, Entry]] = []
        self._seq = itertools.count()
        self._pending = 0
        self._followed: list[_Followed] = []

    # -- filling ---------------------------------------------------------------------------
    def schedule(self, at: datetime, action: Callable[[], object], order: int = 0) -> Entry:
        """Play `action()` at `at`. An action may schedule more, also at the same instant:
        those come after everything already scheduled there with the same `order`."""
        entry = Entry(at, order, action)
        heapq.heappush(self._heap, (at, order, next(self._seq), entry))
        self._pending += 1
        return entry

    def follow(
        self,
        next_due: Callable[[], datetime | None],
        run: Callable[[datetime], object],
        order: int = 0,
    ) -> None:
        """Merge in an agenda kept elsewhere: `next_due()` says when it next wants to act
        (None: nothing), `run(t)` plays what it has due at `t`."""
        self._followed.append(_Followed(order, next(self._seq), next_due, run))

    def cancel(self, entry: Entry) -> bool:
        """Take a scheduled entry off; False if it was played or cancelled already."""
        if not entry.pending:
            return False
        entry.pending = False  # left in the heap and skipped: no O(n) removal
        self._pending -= 1
        return True

    # -- reading ---------------------------------------------------------------------------
    def __len__(self) -> int:
        """Scheduled entries still to play (followed agendas not counted: they are not ours)."""
        return self._pending

    def next_due(self) -> datetime | None:
        """When the next thing is due, a followed agenda's included; None when nothing is."""
        head = self._next()
        return None if head is None else head[0]

    def _next(self) -> tuple[datetime, int, int, Entry | _Followed] | None:
        heap = self._heap
        while heap and not heap[0][3].pending:
            heapq.heappop(heap)
        best: tuple[datetime, int, int, Entry | _Followed] | None = heap[0] if heap else None
        for f in self._followed:
            due = f.next_due()
            if due is not None and (best is None or (due, f.order, f.seq) < best[:3]):
                best = (due, f.order, f.seq, f)
        return best

    # -- playing ---------------------------------------------------------------------------
    def step(self, until: datetime | None = None) -> datetime | None:
        """Play the one next thing (if it is due by `until`); its time, or None if nothing was."""
        head = self._next()
        if head is None or (until is not None and head[0] > until):
            return None
        at, _, _, what = head
        self._move_to(at)
        if isinstance(what, Entry):
            heapq.heappop(self._heap)
            what.pending = False
            self._pending -= 1
            what.action()
        else:
            what.run(at)
        return at

    def run_until(self, t: datetime) -> int:
        """Play everything due at or before `t` (what those actions schedule by `t` too),
        then move the clock on to `t`. Returns how many steps were played."""
        played = 0
        while self.step(until=t) is not None:
            played += 1
        self._move_to(t)
        return played

    def run(self) -> int:
        """Play until nothing is due anywhere, followed agendas included."""
        played = 0
        while self.step() is not None:
            played += 1
        return played

    def _move_to(self, t: datetime) -> None:
        # Never back: something played late (a slow wall, an earlier jump) runs at now.
        if self.clock is not None and t > self.clock.now():
            self.clock.set(t)
