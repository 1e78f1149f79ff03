"""Who is alerted: eligibility masks, variable radius, nearest AEDs, role split.

Everything up to the final role assignment is vectorised over the KD-tree's candidates;
Python loops run only over the (at most 100) chosen responders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

import numpy as np

from .clock import local_day
from .config import AlertConfig
from .registry.model import AedStatus
from .registry.table import AED_STATUS_CODES, SLOT_GPS, Registry

_READY = AED_STATUS_CODES[AedStatus.READY]


class ChosenResponder(NamedTuple):  # NamedTuple: ~4x cheaper to build than a frozen dataclass
    row: int  # position in the registry arrays
    id: str
    role: str
    aed: str | None
    distance_m: float
    lat: float
    lon: float


class ChosenAed(NamedTuple):
    row: int
    id: str
    distance_m: float
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class Selection:
    radius_m: float
    responders: tuple[ChosenResponder, ...]
    aeds: tuple[ChosenAed, ...]
    eligible_in_reach: int


def open_flags(registry: Registry, t: datetime) -> np.ndarray:
    """Open/closed at t for every interned pattern, then plain indexing per candidate.

    Opening hours have minute resolution, so the flags are cached per minute: alerts in
    the same minute (and the benchmark's burst of them) evaluate each pattern once."""
    patterns = registry.patterns
    key = (t.replace(second=0, microsecond=0), len(patterns.texts))
    cached = getattr(patterns, "_flags_cache", None)
    if cached is not None and cached[0] == key:
        flags: np.ndarray = cached[1]
        return flags
    flags = patterns.all_open_at(t)
    patterns._flags_cache = (key, flags)  # type: ignore[attr-defined]
    return flags


def eligible_responders(
    registry: Registry,
    x: float,
    y: float,
    t: datetime,
    busy: np.ndarray,
    config: AlertConfig,
    want: int,
    extra_mask: np.ndarray | None = None,
    open_now: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest eligible responders within max radius: (responder idx, slot idx, distance m).

    A responder can appear under several positions (GPS, home, work); each counts only
    where it is valid now, and the nearest valid one wins.
    """
    # Live GPS fixes are written under this lock (registry/live_positions.py): one
    # consistent view of tree, positions and the slots that moved since the tree was built.
    with registry.positions_lock:
        tree = registry.s_tree
        n_slots = len(registry.s_resp)
        empty = np.empty(0, np.int64)
        if tree is None or n_slots == 0:
            return empty, empty, np.empty(0)
        today = local_day(t)
        epoch = t.timestamp()
        if open_now is None:
            open_now = open_flags(registry, t)
        k = min(n_slots, max(4 * want, 64))
        moved = (
            _moved_within(registry, x, y, config.max_radius_m) if len(registry.s_moved) else None
        )
        while True:
            dist, slot = tree.query((x, y), k=k, distance_upper_bound=config.max_radius_m)
            # Sorted ascending with inf padding past the maximum radius: count, don't mask.
            n_found = int(np.searchsorted(np.atleast_1d(dist), np.inf))
            dist, slot = np.atleast_1d(dist)[:n_found], np.atleast_1d(slot)[:n_found]
            # Fewer slots than asked for within the maximum radius: there are no more to find.
            exhausted = n_found < k or k >= n_slots
            if moved is not None:
                # The tree is complete up to its farthest hit (or the maximum radius).
                reach = config.max_radius_m if exhausted else float(dist[-1])
                dist, slot = _with_moved(registry, dist, slot, *moved, reach)
            resp = registry.s_resp[slot]
            ok = registry.r_active[resp] & (registry.r_cert_day[resp] >= today) & ~busy[resp]
            if extra_mask is not None:
                ok &= extra_mask[resp]
            gps_age = epoch - registry.r_gps_epoch[resp]
            gps_fresh = gps_age <= config.gps_stale_after_s  # NaN (no fix) compares False
            is_gps = registry.s_kind[slot] == SLOT_GPS
            # A fresh fix says where someone is; their registered addresses don't count then.
            ok &= np.where(is_gps, gps_fresh, ~gps_fresh)
            ok &= (is_gps | open_now[registry.s_window[slot]]) & open_now[registry.r_avail[resp]]
            keep = np.flatnonzero(ok)
            # Sorted by distance already; first occurrence per responder is its nearest slot.
            _, first = np.unique(resp[keep], return_index=True)
            keep = keep[np.sort(first)]
            if len(keep) >= want or exhausted:
                return resp[keep].astype(np.int64), slot[keep].astype(np.int64), dist[keep]
            k = min(n_slots, k * 4)


def _moved_within(
    registry: Registry, x: float, y: float, radius: float
) -> tuple[np.ndarray, np.ndarray]:
    """Slots that moved since the tree was built (live GPS), within `radius` of where they
    are now: (slot, distance). Measured directly, once per search: a few thousand."""
    moved = registry.s_moved
    dx, dy = registry.s_x[moved] - x, registry.s_y[moved] - y
    d2 = dx * dx + dy * dy
    near = np.flatnonzero(d2 <= radius * radius)
    return moved[near], np.sqrt(d2[near])


def _with_moved(
    registry: Registry,
    dist: np.ndarray,
    slot: np.ndarray,
    moved_slot: np.ndarray,
    moved_dist: np.ndarray,
    reach: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Tree hits without the out-of-date entries of moved slots, plus the moved slots up
    to `reach` where they are now, sorted by distance again."""
    keep = ~registry.s_moved_mask[slot]
    near = moved_dist <= reach
    dist = np.concatenate((dist[keep], moved_dist[near]))
    slot = np.concatenate((slot[keep], moved_slot[near]))
    order = np.argsort(dist, kind="stable")
    return dist[order], slot[order]


def choose_radius(distances: np.ndarray, config: AlertConfig) -> float:
    """Grow from the minimum radius in steps until `wanted_responders` fit, capped at max."""
    if len(distances) >= config.wanted_responders and config.wanted_responders > 0:
        needed = float(distances[config.wanted_responders - 1])
        steps = math.ceil(max(needed - config.min_radius_m, 0.0) / config.radius_step_m)
        return min(config.max_radius_m, config.min_radius_m + steps * config.radius_step_m)
    return config.max_radius_m


def nearest_aeds(
    registry: Registry,
    x: float,
    y: float,
    t: datetime,
    config: AlertConfig,
    open_now: np.ndarray | None = None,
    out_of_service: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Up to max_aeds nearest AEDs that are ready and open now: (aed idx, distance m).
    `out_of_service`: AEDs the event log holds back (awaiting their check after an alarm)."""
    tree = registry.a_tree
    n = registry.n_aeds
    if tree is None or n == 0 or config.max_aeds == 0:
        return np.empty(0, np.int64), np.empty(0)
    if open_now is None:
        open_now = open_flags(registry, t)
    k = min(n, max(8, 4 * config.max_aeds))
    while True:
        dist, idx = tree.query((x, y), k=k, distance_upper_bound=config.aed_max_distance_m)
        n_found = int(np.searchsorted(np.atleast_1d(dist), np.inf))
        dist, idx = np.atleast_1d(dist)[:n_found], np.atleast_1d(idx)[:n_found]
        ok = (registry.a_status[idx] == _READY) & open_now[registry.a_hours[idx]]
        if out_of_service is not None:
            ok &= ~out_of_service[idx]
        keep = np.flatnonzero(ok)[: config.max_aeds]
        if len(keep) >= config.max_aeds or n_found < k or k >= n:
            return idx[keep].astype(np.int64), dist[keep]
        k = min(n, k * 4)


def assign_roles(
    rx: np.ndarray,
    ry: np.ndarray,
    rdist: np.ndarray,
    ax: np.ndarray,
    ay: np.ndarray,
    adist: np.ndarray,
    config: AlertConfig,
) -> np.ndarray:
    """AED index (into the chosen AEDs) per responder, or -1 for straight to the victim.

    The nearest third go direct. The others fetch the AED with the shortest route via it
    when they are inside its fetch circle or the detour is within tolerance; runners are
    spread so no AED collects them all while another gets none.
    """
    n, m = len(rx), len(ax)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0 or m == 0:
        return out
    n_direct = max(1, round(n * config.direct_share))
    rest = np.arange(n_direct, n)
    if len(rest) == 0:
        return out
    to_aed = np.hypot(rx[rest, None] - ax[None, :], ry[rest, None] - ay[None, :])
    via = to_aed + adist[None, :]
    reasonable = (to_aed <= config.aed_fetch_radius_m) | (
        via <= (1.0 + config.aed_detour_tolerance) * rdist[rest, None]
    )
    n_runners = int(reasonable.any(axis=1).sum())
    if n_runners == 0:
        return out
    cap = math.ceil(n_runners / m)
    masked = np.where(reasonable, via, np.inf)
    best = masked.min(axis=1)
    rows = np.flatnonzero(np.isfinite(best))
    # Shortest routes are served first so balancing never pushes a close runner far.
    rows = rows[np.argsort(best[rows], kind="stable")]
    preference = np.argsort(masked[rows], axis=1, kind="stable").tolist()
    n_options = reasonable[rows].sum(axis=1).tolist()
    load = [0] * m
    picks = out.tolist()
    rest_list = rest.tolist()
    # A loop over the ~50 runners with plain lists: numpy calls on 3-element rows cost more.
    for i, prefs, k in zip(rows.tolist(), preference, n_options, strict=True):
        pick = prefs[0]
        if load[pick] >= cap:
            pick = next((j for j in prefs[1:k] if load[j] < cap), pick)
        picks[rest_list[i]] = pick
        load[pick] += 1
    return np.asarray(picks, dtype=np.int64)


def select(
    registry: Registry,
    x: float,
    y: float,
    t: datetime,
    busy: np.ndarray,
    config: AlertConfig,
    extra_mask: np.ndarray | None = None,
    aeds_out_of_service: np.ndarray | None = None,
) -> Selection:
    """The complete selection for an alert at RD point (x, y) at time t."""
    want = max(config.wanted_responders, config.max_responders)
    open_now = open_flags(registry, t)
    # The chosen slots' positions are read under the same lock as their distances: a GPS
    # fix arriving in between must not put a responder somewhere else than measured.
    with registry.positions_lock:
        resp, slot, dist = eligible_responders(
            registry, x, y, t, busy, config, want, extra_mask, open_now
        )
        radius = choose_radius(dist, config)
        inside = dist <= radius
        resp, slot, dist = resp[inside], slot[inside], dist[inside]
        eligible_in_reach = len(resp)
        resp, slot, dist = (
            resp[: config.max_responders],
            slot[: config.max_responders],
            dist[: config.max_responders],
        )
        sx, sy = registry.s_x[slot], registry.s_y[slot]
        slat, slon = registry.s_lat[slot], registry.s_lon[slot]
    aed_idx, aed_dist = nearest_aeds(registry, x, y, t, config, open_now, aeds_out_of_service)
    roles = assign_roles(
        sx,
        sy,
        dist,
        registry.a_x[aed_idx],
        registry.a_y[aed_idx],
        aed_dist,
        config,
    )
    # Plain Python values before the per-record loop: int()/float()/round() on numpy
    # scalars was most of its cost. round() stays per value: np.round differs on ties.
    aeds = tuple(
        ChosenAed(i, aid, round(d, 1), round(la, 6), round(lo, 6))
        for i, aid, d, la, lo in zip(
            aed_idx.tolist(), registry.a_ids[aed_idx].tolist(), aed_dist.tolist(),
            registry.a_lat[aed_idx].tolist(), registry.a_lon[aed_idx].tolist(),
            strict=True,
        )
    )  # fmt: skip
    chosen = tuple(
        ChosenResponder(
            r, rid, "cpr" if a < 0 else "aed", None if a < 0 else aeds[a].id,
            round(d, 1), round(la, 5), round(lo, 5),
        )
        # Ids decoded in one go: per-item access to the compact id column costs ~1 µs each.
        for r, rid, d, la, lo, a in zip(
            resp.tolist(), registry.r_ids[resp].tolist(), dist.tolist(),
            slat.tolist(), slon.tolist(), roles.tolist(),
            strict=True,
        )
    )  # fmt: skip
    return Selection(radius_m=radius, responders=chosen, aeds=aeds, eligible_in_reach=eligible_in_reach)
