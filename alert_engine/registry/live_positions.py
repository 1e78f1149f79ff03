"""Live GPS fixes from the responder apps, applied in place to the in-memory registry.

The centre service receives fixes (`POST /v1/responders/{id}/position`, batched too) and
hands them here in batches; the next selection uses them. Every responder gets exactly
one GPS slot, so a fix only overwrites that slot's position and time.

How the KD-tree keeps up: the tree is rebuilt in a background thread (at most every
`rebuild_every_s`, once enough slots moved; ~0.15 s for the national registry, outside
the GIL) and swapped in, and between rebuilds a small delta covers the slots that moved
since the tree was built (`Registry.s_moved`).
Selection skips the tree entries of those slots (they hold where the responder was) and
measures the moved slots directly where they are now, a few thousand distances at most.
So a fix is visible to the very next selection, not after the next swap: a responder who
moved into range is found at once, one who moved out is never selected by their old tree
position, and the rebuild only keeps the delta short. A rebuild alone (swap every 0.5 s)
would have let the old position count for up to a second after every fix.

Writers and selection hold `Registry.positions_lock` (a selection holds it for well under
a millisecond, a batch write for tens of microseconds), so a selection never sees half a
batch. The tree itself is built outside the lock from a copy of the positions; slots
written while it builds stay in the delta after the swap, so their copied (possibly older)
positions are never used.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import NamedTuple

import numpy as np
from scipy.spatial import cKDTree

from ..clock import Clock
from ..geo import NL_LAT, NL_LON, to_rd
from ..safe_input import shown
from .table import SLOT_GPS, Registry, StrColumn

# A phone's clock may run a little ahead of ours; more than this is a wrong clock.
FUTURE_TOLERANCE_S = 60.0
# A selection measures every moved slot directly (~15 µs per 1,000); a rebuild of the
# national tree costs ~150 ms of a CPU (outside the GIL). So the tree is rebuilt once this
# many slots moved, checked every REBUILD_EVERY_S: at 2,000 fixes/s about every second.
REBUILD_EVERY_S = 0.5
REBUILD_AT_MOVED = 2_000
# ... and, when fewer moved, after this long anyway, so the tree does not lag for ever.
REBUILD_AFTER_S = 10.0
# Where a responder without any fix is kept: ~10,000 km from the Netherlands, so never
# within any alarm's radius even before its NaN time makes it ineligible.
PLACEHOLDER_XY = (-1.0e7, -1.0e7)


class PositionFix(NamedTuple):
    """One GPS fix as a responder's app reports it (WGS84, aware time)."""

    responder_id: str
    lat: float
    lon: float
    time: datetime


class Refusal(NamedTuple):
    item: int  # where the fix is in the batch (0-based)
    responder_id: str
    reason: str


@dataclass(frozen=True)
class Applied:
    """What a batch did: how many fixes now count, and each refused one with its reason."""

    applied: int
    refused: tuple[Refusal, ...]
    applied_items: tuple[int, ...] = ()  # where the applied fixes are in the batch


class LivePositions:
    """Applies batches of GPS fixes to `registry` in place; optionally rebuilds its slot
    tree in a background thread (`start()`/`stop()` or `with`).

    Attaching gives every responder one GPS slot (appended once, placeholders far away
    with no time, so never eligible); a responder with several GPS slots keeps its newest.
    One LivePositions per Registry: the tree's bookkeeping of moved slots lives here.
    """

    def __init__(
        self,
        registry: Registry,
        clock: Clock,
        rebuild_every_s: float = REBUILD_EVERY_S,
        future_tolerance_s: float = FUTURE_TOLERANCE_S,
        rebuild_at_moved: int = REBUILD_AT_MOVED,
    ) -> None:
        self.registry = registry
        self.clock = clock
        self.rebuild_every_s = rebuild_every_s
        self.rebuild_at_moved = rebuild_at_moved
        self.future_tolerance_s = future_tolerance_s
        self.rebuilds = 0
        self.last_rebuild_s = 0.0  # how long the last tree build took
        self.rebuild_s_total = 0.0
        self.last_error: BaseException | None = None  # of the background thread, if any
        self._rebuild_lock = threading.Lock()  # one rebuild at a time (thread or caller)
        self._written_while_building: list[np.ndarray] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        with registry.positions_lock:
            self.gps_slot = _attach(registry)

    # -- applying fixes ---------------------------------------------------------------
    def apply(self, fixes: Iterable[PositionFix]) -> Applied:
        """Apply a batch: each fix is refused on its own (with a reason) or applied; a
        responder's newest fix in the batch wins (the last of equal times). A fix older than
        the one held is refused too, so batches arriving out of order never move anyone
        backwards."""
        reg = self.registry
        ids, lat, lon, epoch, problem = _columns(list(fixes))
        # Checked for the whole batch at once: ~2 µs a fix, most of it unpacking.
        rows = reg.r_index.rows(StrColumn.of(ids))
        ahead = epoch - self.clock.now().timestamp()
        usable = ~np.asarray([bool(p[0]) for p in problem], dtype=bool) & (rows >= 0)
        usable &= np.isfinite(lat) & np.isfinite(lon) & _in_netherlands(lat, lon)
        usable &= ahead <= self.future_tolerance_s
        refused = [
            Refusal(
                i,
                ids[i] or problem[i][1],
                self._reason(problem[i][0], ids[i], rows[i], lat[i], lon[i], ahead[i]),
            )
            for i in np.flatnonzero(~usable).tolist()
        ]
        item = np.flatnonzero(usable)
        newest = _newest_per_row(rows[item], epoch[item])
        refused += [
            Refusal(i, ids[i], "a newer fix for this responder is in the batch")
            for i in item[~newest].tolist()
        ]
        item = item[newest]
        row, lat, lon, epoch = rows[item], lat[item], lon[item], epoch[item]
        x, y = to_rd(lat, lon)  # outside the lock: the projection is the slow part
        slots = self.gps_slot[row]
        with reg.positions_lock:
            newer = ~(reg.r_gps_epoch[row] > epoch)  # NaN (no fix yet) counts as older
            s = slots[newer]
            reg.s_lat[s], reg.s_lon[s] = lat[newer], lon[newer]
            reg.s_x[s], reg.s_y[s] = x[newer], y[newer]
            reg.s_gps_epoch[s] = reg.r_gps_epoch[row[newer]] = epoch[newer]
            new = s[~reg.s_moved_mask[s]]
            if len(new):
                reg.s_moved_mask[new] = True
                reg.s_moved = np.concatenate((reg.s_moved, new))
            if self._written_while_building is not None:
                self._written_while_building.append(s)
        refused += [
            Refusal(i, ids[i], "older than the fix already held") for i in item[~newer].tolist()
        ]
        refused.sort(key=lambda f: f.item)
        done = tuple(sorted(item[newer].tolist()))
        return Applied(len(done), tuple(refused), done)

    def _reason(
        self, problem: str, rid: str, row: int, lat: float, lon: float, ahead: float
    ) -> str:
        if problem:
            return problem
        if row < 0:
            return f"unknown responder {shown(rid)}"
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return "position is not a finite number"
        if not _in_netherlands(np.asarray(lat), np.asarray(lon)):
            return f"position {lat:.5f}, {lon:.5f} is outside the Netherlands"
        return f"time is {ahead:.0f} s in the future (more than {self.future_tolerance_s:.0f} s)"

    # -- the tree ---------------------------------------------------------------------
    @property
    def moved(self) -> int:
        """Slots selection currently measures outside the tree."""
        return len(self.registry.s_moved)

    def rebuild(self) -> bool:
        """Rebuild the slot tree from the current positions and swap it in, if any slot
        moved since the last build; True when it swapped."""
        reg = self.registry
        with self._rebuild_lock:
            with reg.positions_lock:
                if not len(reg.s_moved):
                    return False
                self._written_while_building = []
            tree = None
            try:
                started = time.perf_counter()
                # A copy: the tree keeps the array it is given, and fixes keep writing
                # s_x/s_y. Taken outside the lock; slots written meanwhile stay moved.
                xy = np.column_stack((reg.s_x, reg.s_y))
                # Sliding midpoint instead of median splits: ~30 % faster to build, as
                # fast to query (benchmarks/positions.py).
                tree = cKDTree(xy, balanced_tree=False)
                build_s = time.perf_counter() - started
            finally:
                with reg.positions_lock:
                    written = self._written_while_building or []
                    self._written_while_building = None
                    if tree is not None:
                        still = np.unique(np.concatenate(written)) if written else _NONE
                        reg.s_moved_mask[reg.s_moved] = False
                        reg.s_moved_mask[still] = True
                        reg.s_moved = still
                        reg.s_tree = tree
        self.rebuilds += 1
        self.last_rebuild_s = build_s
        self.rebuild_s_total += build_s
        return True

    def start(self) -> LivePositions:
        """Rebuild in a background thread: checked every `rebuild_every_s`, rebuilt once
        `rebuild_at_moved` slots moved (or REBUILD_AFTER_S passed with any moved)."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name="live-positions-rebuild", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stop.set()
            thread.join()

    def _run(self) -> None:
        # Machinery timing (how often to rebuild), not a rule: the monotonic clock is right.
        last = time.monotonic()
        while not self._stop.wait(self.rebuild_every_s):
            moved = self.moved
            due = moved >= self.rebuild_at_moved or time.monotonic() - last >= REBUILD_AFTER_S
            if not (moved and due):
                continue
            try:
                self.rebuild()
            except Exception as exc:  # selection stays correct on the delta; keep trying
                self.last_error = exc
            last = time.monotonic()

    def __enter__(self) -> LivePositions:
        return self.start()

    def __exit__(
        self, exc: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


_NONE = np.empty(0, np.int64)


def _attach(reg: Registry) -> np.ndarray:
    """Give every responder exactly one GPS slot; return the slot per responder.

    Rebuilds the slot columns once (caller holds the lock). s_x/s_y become arrays of
    their own: as built they are views of the tree's data, which must never change."""
    n = reg.n_responders
    gps = np.flatnonzero(reg.s_kind == SLOT_GPS)
    # Newest GPS slot per responder (NaN times last): sort by time, keep the last per row.
    by_time = gps[np.argsort(np.nan_to_num(reg.s_gps_epoch[gps], nan=-np.inf), kind="stable")]
    gps_slot = np.full(n, -1, np.int64)
    gps_slot[reg.s_resp[by_time]] = by_time
    extra = np.setdiff1d(gps, gps_slot[gps_slot >= 0])
    missing = np.flatnonzero(gps_slot < 0)
    n_old = len(reg.s_resp)
    total = n_old + len(missing)
    gps_slot[missing] = np.arange(n_old, total)
    window = reg.patterns.code("24/7")

    def grown(column: np.ndarray, fill: float | int) -> np.ndarray:
        out = np.empty(total, dtype=column.dtype)
        out[:n_old] = column
        out[n_old:] = fill
        return out

    reg.s_resp = np.concatenate((reg.s_resp, missing.astype(reg.s_resp.dtype)))
    reg.s_kind = grown(reg.s_kind, SLOT_GPS)
    reg.s_window = grown(reg.s_window, window)
    reg.s_lat, reg.s_lon = grown(reg.s_lat, np.nan), grown(reg.s_lon, np.nan)
    reg.s_x, reg.s_y = grown(reg.s_x, PLACEHOLDER_XY[0]), grown(reg.s_y, PLACEHOLDER_XY[1])
    reg.s_gps_epoch = grown(reg.s_gps_epoch, np.nan)
    # A responder's older GPS slots would count as fresh with its newest fix: park them.
    reg.s_lat[extra] = reg.s_lon[extra] = np.nan
    reg.s_x[extra], reg.s_y[extra] = PLACEHOLDER_XY
    reg.s_gps_epoch[extra] = np.nan
    if len(missing) or len(extra):
        reg.s_tree = cKDTree(np.column_stack((reg.s_x, reg.s_y)), balanced_tree=False)
        reg.s_moved, reg.s_moved_mask = _NONE, np.zeros(total, dtype=bool)
    # Otherwise the tree stays: it keeps the array it was built from, which from now on
    # nobody writes (s_x/s_y are the copies above), and slots already moved stay moved.
    return gps_slot


def _newest_per_row(rows: np.ndarray, epochs: np.ndarray) -> np.ndarray:
    """Mask of the one fix kept per responder: its newest (the last of equal times)."""
    order = np.lexsort((np.arange(len(rows)), epochs, rows))
    last = np.ones(len(rows), dtype=bool)
    last[:-1] = rows[order][1:] != rows[order][:-1]
    keep = np.zeros(len(rows), dtype=bool)
    keep[order[last]] = True
    return keep


def _columns(
    items: list[object],
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[tuple[str, str]]]:
    """Ids, lat, lon and time (epoch s) of a batch, NaN where not a number; per item a
    (problem, shown id) pair, empty for a well-formed fix."""
    ids: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    epochs: list[float] = []
    problems: list[tuple[str, str]] = []
    ok = ("", "")
    for fix in items:
        rid, la, lo, t = fix if isinstance(fix, tuple) and len(fix) == 4 else (None, 0, 0, None)
        lats.append(float(la) if _is_number(la) else math.nan)
        lons.append(float(lo) if _is_number(lo) else math.nan)
        if type(rid) is not str or "\0" in rid:
            ids.append("")
            epochs.append(math.nan)
            what = (
                f"not a position fix: {shown(fix)}"
                if rid is None
                else f"unknown responder {shown(rid)}"
            )
            problems.append((what, "" if rid is None else shown(rid)))
        elif not isinstance(t, datetime):
            ids.append(rid)
            epochs.append(math.nan)
            problems.append((f"time is not a date-time: {shown(t)}", rid))
        elif t.utcoffset() is None:
            ids.append(rid)
            epochs.append(math.nan)
            problems.append((f"time {t.isoformat()} has no UTC offset", rid))
        else:
            ids.append(rid)
            epochs.append(t.timestamp())
            problems.append(ok)
    return (
        ids,
        np.asarray(lats, float),
        np.asarray(lons, float),
        np.asarray(epochs, float),
        problems,
    )


def _is_number(value: object) -> bool:
    return isinstance(value, float | int | np.number) and not isinstance(value, bool)


def _in_netherlands(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    return (lat >= NL_LAT[0]) & (lat <= NL_LAT[1]) & (lon >= NL_LON[0]) & (lon <= NL_LON[1])
