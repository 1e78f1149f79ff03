"""A responder behaviour model built from published figures (sources in docs/behaviour.md).

Given an alert, it plans what each alerted responder will do and when: answer (accept,
decline or nothing), leave, fetch an AED, arrive. The plan is deterministic for a seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class BehaviourParams:
    # Scquizzato 2020: median 29 % of alerts accepted (12 systems); Denmark 35 %.
    p_accept: float = 0.30
    # Assumption: of the rest, about half actively decline; the others let it lapse.
    p_decline_of_rest: float = 0.5
    # Assumption: median ~60 s from alert to answer (phone in pocket), long right tail.
    answer_delay_median_s: float = 60.0
    answer_delay_sigma: float = 0.7
    # Region of Lifesavers 2025 (Resuscitation, PMID 40816549; 4,138 GPS-tracked runs):
    # median alert -> departure ("turnout") 1:45 min; with the 60 s answer median above,
    # ~45 s from answering to leaving (shoes, keys). Was 30 s (assumption) before.
    departure_s: float = 45.0
    # Swedish GPS study 2020: median 2.3 m/s; 1.8 in dense areas, 3.1 in sparse ones.
    # (The median itself is documentation: speeds are interpolated between the two.)
    speed_median_mps: float = 2.3
    speed_dense_mps: float = 1.8
    speed_sparse_mps: float = 3.1
    # Assumption: eligible responders per km² that count as "dense" / "sparse".
    dense_per_km2: float = 100.0
    sparse_per_km2: float = 5.0
    # Assumption: spread of speeds between responders (log-normal: a factor 1.35 at one sigma).
    speed_sigma: float = 0.3
    # Assumption: 1.0, i.e. the published speed is read as an effective straight-line
    # speed. Berglund 2018 (560 m) with the Swedish 2.3 m/s and the 1:45 turnout already
    # gives 5.8 min against the published 4.6; a detour factor of 1.25 (the earlier value)
    # made it 6.8 min (see docs/behaviour-validation.md).
    route_factor: float = 1.0
    # Assumption: opening the cabinet with the code and taking the AED: ~40 s.
    cabinet_s: float = 40.0
    # Assumption: pads on and analysis started ~45 s after the AED reaches the victim.
    connect_s: float = 45.0
    # Assumption: ~10 % of accepted responders never arrive (turned back, lost, too late).
    p_no_show: float = 0.10
    # Assumption: a responder who gets the cancellation within this many seconds before
    # answering accepts anyway (messages cross): a source of oversupply.
    cancel_latency_s: float = 8.0


@dataclass(frozen=True, slots=True)
class PlannedAction:
    at_s: float  # seconds after the alert
    do: str  # respond / arrive / aed_fetched / aed_connected
    responder: str | None = None
    answer: str | None = None
    aed: str | None = None


@dataclass
class Plan:
    actions: list[PlannedAction] = field(default_factory=list)


def speed_for_density(params: BehaviourParams, per_km2: float) -> float:
    """Median walking/cycling speed, interpolated on log density between dense and sparse."""
    if per_km2 >= params.dense_per_km2:
        return params.speed_dense_mps
    if per_km2 <= params.sparse_per_km2:
        return params.speed_sparse_mps
    span = math.log(params.dense_per_km2) - math.log(params.sparse_per_km2)
    w = (math.log(per_km2) - math.log(params.sparse_per_km2)) / span
    return params.speed_sparse_mps + w * (params.speed_dense_mps - params.speed_sparse_mps)


def plan_responses(
    alert: dict, rng: np.random.Generator, params: BehaviourParams, skip: frozenset[str] = frozenset()
) -> Plan:
    """Plan every alerted responder's behaviour for one `alert_sent` event's data."""
    radius_km = max(float(alert["radius_m"]), 100.0) / 1000.0
    density = float(alert.get("eligible_in_reach", len(alert["responders"]))) / (math.pi * radius_km**2)
    median_speed = speed_for_density(params, density)
    aeds = {a["id"]: a for a in alert["aeds"]}
    plan = Plan()
    fetched_at: dict[str, float] = {}
    fetched_by: dict[str, tuple[str, float]] = {}
    arrivals: list[tuple[float, str, str | None]] = []
    people = alert["responders"]
    n = len(people)
    # One draw per responder and quantity, in bulk (a national year plans ~800,000).
    u = rng.random(n)
    delays = params.answer_delay_median_s * np.exp(params.answer_delay_sigma * rng.standard_normal(n))
    speeds = median_speed * np.exp(params.speed_sigma * rng.standard_normal(n))
    no_show = rng.random(n) < params.p_no_show
    declines = rng.random(n) < params.p_decline_of_rest
    for i, r in enumerate(people):
        if r["id"] in skip:
            continue
        delay = float(delays[i])
        if u[i] >= params.p_accept:
            if declines[i]:
                plan.actions.append(PlannedAction(delay, "respond", r["id"], "decline"))
            continue
        plan.actions.append(PlannedAction(delay, "respond", r["id"], "accept"))
        if no_show[i]:
            continue
        speed = float(speeds[i])
        leave = delay + params.departure_s
        direct = float(r["distance_m"]) * params.route_factor
        aed = aeds.get(r.get("aed")) if r.get("role") == "aed" else None
        if aed is None:
            arrivals.append((leave + direct / speed, r["id"], None))
            continue
        to_aed = _straight(r, aed) * params.route_factor
        at_cabinet = leave + to_aed / speed + params.cabinet_s
        arrive = at_cabinet + float(aed["distance_m"]) * params.route_factor / speed
        if aed["id"] not in fetched_at or at_cabinet < fetched_at[aed["id"]]:
            # Whoever reaches the cabinet first takes the AED; later runners find it empty.
            fetched_at[aed["id"]] = at_cabinet
            fetched_by[aed["id"]] = (r["id"], arrive)
        arrivals.append((arrive, r["id"], aed["id"]))
    for aed_id, t in fetched_at.items():
        plan.actions.append(PlannedAction(t, "aed_fetched", aed=aed_id))
    for t, rid, _aed in arrivals:
        plan.actions.append(PlannedAction(t, "arrive", rid))
    for aed_id, (_rid, t) in fetched_by.items():
        plan.actions.append(PlannedAction(t + params.connect_s, "aed_connected", aed=aed_id))
    plan.actions.sort(key=lambda a: a.at_s)
    return plan


def _straight(a: dict, b: dict) -> float:
    """Distance in metres between two lat/lon dicts (equirectangular; fine below 5 km)."""
    lat = math.radians((a["lat"] + b["lat"]) / 2)
    dx = math.radians(b["lon"] - a["lon"]) * math.cos(lat) * 6_371_000
    dy = math.radians(b["lat"] - a["lat"]) * 6_371_000
    return math.hypot(dx, dy)
