"""The selection rules without a spatial index, as the benchmark's baseline and cross-check.

Distances go to every responder slot and every AED; the masks, radius growth, AED choice
and role split are the ones `selection.select` applies, so any disagreement between the
two points at the KD-tree path (candidate count, re-query), not at the rules.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from alert_engine.config import AlertConfig
from alert_engine.registry.model import AedStatus
from alert_engine.registry.table import AED_STATUS_CODES, SLOT_GPS, Registry
from alert_engine.selection import (
    ChosenAed,
    ChosenResponder,
    Selection,
    assign_roles,
    choose_radius,
)

_READY = AED_STATUS_CODES[AedStatus.READY]

# What must match between two selections: radius, who (in order), their role and AED,
# and which AEDs. Distances are left out: tree and hypot may differ in the last bit.
Fingerprint = tuple[float, tuple[tuple[str, str, str | None], ...], tuple[str, ...]]


def fingerprint(sel: Selection) -> Fingerprint:
    return (
        sel.radius_m,
        tuple((r.id, r.role, r.aed) for r in sel.responders),
        tuple(a.id for a in sel.aeds),
    )


def brute_select(
    registry: Registry,
    x: float,
    y: float,
    t: datetime,
    busy: np.ndarray,
    config: AlertConfig,
    extra_mask: np.ndarray | None = None,
) -> Selection:
    """`select` by computing the distance to every slot and AED (vectorised, no tree)."""
    d_all = np.hypot(registry.s_x - x, registry.s_y - y)
    near = np.flatnonzero(d_all <= config.max_radius_m)
    slot = near[np.argsort(d_all[near], kind="stable")]
    dist = d_all[slot]
    resp = registry.s_resp[slot]
    ok = registry.r_active[resp] & (registry.r_cert_day[resp] >= t.date().toordinal()) & ~busy[resp]
    if extra_mask is not None:
        ok &= extra_mask[resp]
    gps_fresh = t.timestamp() - registry.r_gps_epoch[resp] <= config.gps_stale_after_s
    is_gps = registry.s_kind[slot] == SLOT_GPS
    ok &= np.where(is_gps, gps_fresh, ~gps_fresh)
    open_codes = registry.patterns.open_at(np.arange(len(registry.patterns.texts)), t)
    ok &= is_gps | open_codes[registry.s_window[slot]]
    ok &= open_codes[registry.r_avail[resp]]
    keep = np.flatnonzero(ok)
    _, first = np.unique(resp[keep], return_index=True)
    keep = keep[np.sort(first)]
    resp, slot, dist = resp[keep].astype(np.int64), slot[keep], dist[keep]

    radius = choose_radius(dist, config)
    inside = dist <= radius
    resp, slot, dist = resp[inside], slot[inside], dist[inside]
    eligible = len(resp)
    n = config.max_responders
    resp, slot, dist = resp[:n], slot[:n], dist[:n]

    a_all = np.hypot(registry.a_x - x, registry.a_y - y)
    a_near = np.flatnonzero((a_all <= config.aed_max_distance_m) & (registry.a_status == _READY))
    a_near = a_near[open_codes[registry.a_hours[a_near]]]
    aed_idx = a_near[np.argsort(a_all[a_near], kind="stable")][: config.max_aeds]
    aed_dist = a_all[aed_idx]
    return as_selection(registry, radius, eligible, resp, slot, dist, aed_idx, aed_dist, config)


def as_selection(
    registry: Registry,
    radius: float,
    eligible_in_reach: int,
    resp: np.ndarray,
    slot: np.ndarray,
    dist: np.ndarray,
    aed_idx: np.ndarray,
    aed_dist: np.ndarray,
    config: AlertConfig,
) -> Selection:
    """Role split and the output records, built exactly as `select` builds them."""
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
            row=int(i),
            id=str(registry.a_ids[i]),
            distance_m=round(float(d), 1),
            lat=round(float(registry.a_lat[i]), 6),
            lon=round(float(registry.a_lon[i]), 6),
        )
        for i, d in zip(aed_idx, aed_dist, strict=True)
    )
    chosen = tuple(
        ChosenResponder(
            row=int(r),
            id=str(registry.r_ids[r]),
            role="cpr" if a < 0 else "aed",
            aed=None if a < 0 else aeds[a].id,
            distance_m=round(float(d), 1),
            lat=round(float(registry.s_lat[s]), 5),
            lon=round(float(registry.s_lon[s]), 5),
        )
        for r, s, d, a in zip(resp, slot, dist, roles, strict=True)
    )
    return Selection(
        radius_m=radius, responders=chosen, aeds=aeds, eligible_in_reach=eligible_in_reach
    )
