"""Who is alerted: eligibility masks, variable radius, nearest AEDs, role split.

Everything up to the final role assignment is vectorised over the KD-tree's candidates;
Python loops run only over the (at most 100) chosen responders.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from .config import AlertConfig
from .registry.model import AedStatus
from .registry.table import AED_STATUS_CODES, SLOT_GPS, Registry

_READY = AED_STATUS_CODES[AedStatus.READY]


@dataclass(frozen=True, slots=True)
class ChosenResponder:
    index: int
    id: str
    role: str
    aed: str | None
    distance_m: float
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class ChosenAed:
    index: int
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


def eligible_responders(
    registry: Registry,
    x: float,
    y: float,
    t: datetime,
    busy: np.ndarray,
    config: AlertConfig,
    want: int,
    extra_mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest eligible responders within max radius: (responder idx, slot idx, distance m).

    A responder can appear under several positions (GPS, home, work); each counts only
    where it is valid now, and the nearest valid one wins.
    """
    tree = registry.s_tree
    n_slots = len(registry.s_resp)
    empty = np.empty(0, np.int64)
    if tree is None or n_slots == 0:
        return empty, empty, np.empty(0)
    today = t.date().toordinal()
    epoch = t.timestamp()
    k = min(n_slots, max(4 * want, 64))
    while True:
        dist, slot = tree.query((x, y), k=k, distance_upper_bound=config.max_radius_m)
        dist = np.atleast_1d(dist)
        slot = np.atleast_1d(slot)
        found = np.isfinite(dist)
        dist, slot = dist[found], slot[found]
        resp = registry.s_resp[slot]
        ok = registry.r_active[resp] & (registry.r_cert_day[resp] >= today) & ~busy[resp]
        if extra_mask is not None:
            ok &= extra_mask[resp]
        gps_age = epoch - registry.r_gps_epoch[resp]
        gps_fresh = gps_age <= config.gps_stale_after_s  # NaN (no fix) compares False
        is_gps = registry.s_kind[slot] == SLOT_GPS
        # A fresh fix says where someone is; their registered addresses don't count then.
        ok &= np.where(is_gps, gps_fresh, ~gps_fresh)
        cand = np.flatnonzero(ok)
        if len(cand):
            addr = cand[~is_gps[cand]]
            if len(addr):
                ok[addr] &= registry.patterns.open_at(registry.s_window[slot[addr]], t)
            cand = np.flatnonzero(ok)
            if len(cand):
                ok[cand] &= registry.patterns.open_at(registry.r_avail[resp[cand]], t)
        keep = np.flatnonzero(ok)
        # Sorted by distance already; first occurrence per responder is its nearest slot.
        _, first = np.unique(resp[keep], return_index=True)
        keep = keep[np.sort(first)]
        exhausted = len(found) < k or k >= n_slots
        if len(keep) >= want or exhausted:
            return resp[keep].astype(np.int64), slot[keep].astype(np.int64), dist[keep]
        k = min(n_slots, k * 4)


def choose_radius(distances: np.ndarray, config: AlertConfig) -> float:
    """Grow from the minimum radius in steps until `wanted_responders` fit, capped at max."""
    if len(distances) >= config.wanted_responders and config.wanted_responders > 0:
        needed = float(distances[config.wanted_responders - 1])
        steps = math.ceil(max(needed - config.min_radius_m, 0.0) / config.radius_step_m)
        return min(config.max_radius_m, config.min_radius_m + steps * config.radius_step_m)
    return config.max_radius_m


def nearest_aeds(
    registry: Registry, x: float, y: float, t: datetime, config: AlertConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Up to max_aeds nearest AEDs that are ready and open now: (aed idx, distance m)."""
    tree = registry.a_tree
    n = registry.n_aeds
    if tree is None or n == 0 or config.max_aeds == 0:
        return np.empty(0, np.int64), np.empty(0)
    k = min(n, max(8, 4 * config.max_aeds))
    while True:
        dist, idx = tree.query((x, y), k=k, distance_upper_bound=config.aed_max_distance_m)
        dist, idx = np.atleast_1d(dist), np.atleast_1d(idx)
        found = np.isfinite(dist)
        dist, idx = dist[found], idx[found]
        ok = registry.a_status[idx] == _READY
        cand = np.flatnonzero(ok)
        if len(cand):
            ok[cand] &= registry.patterns.open_at(registry.a_hours[idx[cand]], t)
        keep = np.flatnonzero(ok)[: config.max_aeds]
        if len(keep) >= config.max_aeds or len(found) < k or k >= n:
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
    load = np.zeros(m, dtype=np.int64)
    # Shortest routes are served first so balancing never pushes a close runner far.
    order = np.argsort(np.where(reasonable, via, np.inf).min(axis=1), kind="stable")
    for i in order:
        options = np.flatnonzero(reasonable[i])
        if len(options) == 0:
            continue
        options = options[np.argsort(via[i, options], kind="stable")]
        free = options[load[options] < cap]
        pick = int(free[0]) if len(free) else int(options[0])
        out[rest[i]] = pick
        load[pick] += 1
    return out


def select(
    registry: Registry,
    x: float,
    y: float,
    t: datetime,
    busy: np.ndarray,
    config: AlertConfig,
    extra_mask: np.ndarray | None = None,
) -> Selection:
    """The complete selection for an alert at RD point (x, y) at time t."""
    want = max(config.wanted_responders, config.max_responders)
    resp, slot, dist = eligible_responders(registry, x, y, t, busy, config, want, extra_mask)
    radius = choose_radius(dist, config)
    inside = dist <= radius
    resp, slot, dist = resp[inside], slot[inside], dist[inside]
    eligible_in_reach = len(resp)
    resp, slot, dist = (
        resp[: config.max_responders],
        slot[: config.max_responders],
        dist[: config.max_responders],
    )
    aed_idx, aed_dist = nearest_aeds(registry, x, y, t, config)
    roles = assign_roles(
        registry.s_x[slot],
        registry.s_y[slot],
        dist,
        registry.a_x[aed_idx],
        registry.a_y[aed_idx],
        aed_dist,
        config,
    )
    aeds = tuple(
        ChosenAed(
            index=int(i),
            id=str(registry.a_ids[i]),
            distance_m=round(float(d), 1),
            lat=round(float(registry.a_lat[i]), 6),
            lon=round(float(registry.a_lon[i]), 6),
        )
        for i, d in zip(aed_idx, aed_dist, strict=True)
    )
    chosen = tuple(
        ChosenResponder(
            index=int(r),
            id=str(registry.r_ids[r]),
            role="cpr" if a < 0 else "aed",
            aed=None if a < 0 else aeds[a].id,
            distance_m=round(float(d), 1),
            lat=round(float(registry.s_lat[s]), 5),
            lon=round(float(registry.s_lon[s]), 5),
        )
        for r, s, d, a in zip(resp, slot, dist, roles, strict=True)
    )
    return Selection(radius_m=radius, responders=chosen, aeds=aeds, eligible_in_reach=eligible_in_reach)
