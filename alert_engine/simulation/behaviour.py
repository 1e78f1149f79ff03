"""A responder behaviour model built from published figures (sources in docs/behaviour.md).

Given an alert, it plans what each alerted responder will do and when: answer (accept,
decline or nothing), leave, fetch an AED, arrive. The plan is deterministic for a seed.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ..clock import AMSTERDAM


@dataclass(frozen=True)
class BehaviourParams:
    # Acceptance of one alert by an active (not dormant) responder next to the victim, by
    # day, in an average alarm; it falls with distance, time of day and the alarm's shared
    # factor below. Fitted by `zesminuten-engine calibrate-behaviour` (2020 rules) to
    # HartslagNu 2020; Scquizzato 2020 (median 29 % of alerts accepted over 12 systems,
    # 35 % in Denmark) is the order of magnitude, not the target.
    p_accept: float = 0.30
    # Fitted: acceptance falls as exp(-trip / accept_distance_m), the trip being straight
    # to the victim or, for a runner, via the AED (the issue's "acceptance falls with
    # distance"; no published curve, so the scale is fitted).
    accept_distance_m: float = 600.0
    # Fitted: per-alarm overdispersion. Every alarm draws one factor F ~ Gamma(shape,
    # 1/shape) (mean 1) that multiplies every responder's acceptance: alarms differ as a
    # whole (the hour, the street, the weather, the alert reaching phones), so answers are
    # not independent coins. 0 turns it off (F = 1). Fitted: 1 (an exponential factor).
    alarm_shape: float = 1.0
    # HartslagNu: of 100 alerted, 34 never act (no answer at all). A responder is dormant
    # or not for the whole year (drawn once from their id), not per alert.
    p_dormant: float = 0.34
    # Mottlau 2022 (Denmark): accepted per arrest 4.8 evening / 3.7 day / 1.8 night,
    # read as acceptance relative to the day: evening 1.30, night 0.49.
    evening_factor: float = 4.8 / 3.7
    night_factor: float = 1.8 / 3.7
    # HartslagNu's "34 of 100 never act" is the dormant share above; the active ones who do
    # not accept all press "decline" (they act). Was 0.5 (an assumption) before.
    p_decline_of_rest: float = 1.0
    # Assumption: median ~60 s from alert to answer (phone in pocket), long right tail.
    answer_delay_median_s: float = 60.0
    answer_delay_sigma: float = 0.7
    # Region der Lebensretter 2025 (Resuscitation, PMID 40816549; 4,138 GPS-tracked runs):
    # median alert -> departure ("turnout") 1:42 min by day, 2:22 at night; with the 60 s
    # answer median above, 42 s / 82 s from answering to leaving.
    departure_s: float = 42.0
    departure_night_s: float = 82.0
    # Assumption: an SMS alert (the channel before 2020) is read ~30 s later than an app
    # push (delivery, no lock-screen button; answering means opening a link).
    sms_extra_delay_s: float = 30.0
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


# Mottlau 2022's periods: day 08-16, evening 16-24, night 00-08 (local time).
def time_band(hour: int) -> str:
    """'day', 'evening' or 'night' for a local hour."""
    return "night" if hour < 8 else "day" if hour < 16 else "evening"


def is_dormant(params: BehaviourParams, responder: str) -> bool:
    """Whether a responder never acts on alerts: fixed per responder, not per alert."""
    return zlib.crc32(b"dormant:" + responder.encode()) / 2**32 < params.p_dormant


def alarm_factor(params: BehaviourParams, rng: np.random.Generator) -> float:
    """The alarm's shared acceptance factor (mean 1); 1 without overdispersion."""
    k = params.alarm_shape
    return float(rng.gamma(k, 1.0 / k)) if k > 0 else 1.0


def acceptance(
    params: BehaviourParams, distance_m: np.ndarray, hour: int, factor: float
) -> np.ndarray:
    """Probability that an active responder at `distance_m` accepts."""
    band = time_band(hour)
    tod = (
        params.night_factor
        if band == "night"
        else params.evening_factor
        if band == "evening"
        else 1.0
    )
    p = params.p_accept * tod * factor * np.exp(-distance_m / params.accept_distance_m)
    return np.minimum(p, 1.0)


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


@dataclass(frozen=True, slots=True)
class Intention:
    """What one alerted responder will do, in seconds after their alert reached them."""

    responder: str
    answer: str | None  # accept / decline / None (never answers)
    answer_s: float
    arrive_s: float | None = None  # None: does not come (declines, no answer, no-show)
    aed: str | None = None  # the AED they are asked to fetch
    cabinet_s: float | None = None  # when they have it in hand


def intentions(
    alert: dict,
    rng: np.random.Generator,
    params: BehaviourParams,
    skip: frozenset[str] = frozenset(),
    *,
    at: datetime | None = None,
    channel: str = "app",
) -> list[Intention]:
    """Every alerted responder's intention for one `alert_sent` event's data, as if each
    were left alone (who takes an AED first is `plan_from`'s business)."""
    radius_km = max(float(alert["radius_m"]), 100.0) / 1000.0
    density = float(alert.get("eligible_in_reach", len(alert["responders"]))) / (
        math.pi * radius_km**2
    )
    median_speed = speed_for_density(params, density)
    hour = at.astimezone(AMSTERDAM).hour if at is not None else 12
    departure = params.departure_night_s if time_band(hour) == "night" else params.departure_s
    answer_extra = params.sms_extra_delay_s if channel == "sms" else 0.0
    aeds = {a["id"]: a for a in alert["aeds"]}
    people = alert["responders"]
    n = len(people)
    # One draw per responder and quantity, in bulk (a national year plans ~800,000).
    factor = alarm_factor(params, rng)
    u = rng.random(n)
    delays = answer_extra + params.answer_delay_median_s * np.exp(
        params.answer_delay_sigma * rng.standard_normal(n)
    )
    speeds = median_speed * np.exp(params.speed_sigma * rng.standard_normal(n))
    no_show = rng.random(n) < params.p_no_show
    declines = rng.random(n) < params.p_decline_of_rest
    # The trip a responder weighs: straight there, or via the AED they are asked to fetch.
    distance = np.asarray([_trip_m(r, aeds) for r in people])
    accepts = (u < acceptance(params, distance, hour, factor)).tolist()
    out: list[Intention] = []
    for i, r in enumerate(people):
        if r["id"] in skip or is_dormant(params, r["id"]):
            continue
        delay = float(delays[i])
        if not accepts[i]:
            if declines[i]:
                out.append(Intention(r["id"], "decline", delay))
            continue
        if no_show[i]:
            out.append(Intention(r["id"], "accept", delay))
            continue
        speed = float(speeds[i])
        leave = delay + departure
        aed = aeds.get(r.get("aed")) if r.get("role") == "aed" else None
        if aed is None:
            direct = float(r["distance_m"]) * params.route_factor
            out.append(Intention(r["id"], "accept", delay, leave + direct / speed))
            continue
        to_aed = _straight(r, aed) * params.route_factor
        at_cabinet = leave + to_aed / speed + params.cabinet_s
        arrive = at_cabinet + float(aed["distance_m"]) * params.route_factor / speed
        out.append(Intention(r["id"], "accept", delay, arrive, aed["id"], at_cabinet))
    return out


def plan_from(
    shifted: list[tuple[float, Intention]], params: BehaviourParams, arrest: bool = True
) -> Plan:
    """The actions of intentions that start at the given offsets (0 for a single alert;
    a wave's start in phased alerting). The first runner at a cabinet takes the AED."""
    plan = Plan()
    fetched_at: dict[str, float] = {}
    fetched_by: dict[str, float] = {}
    for t0, it in shifted:
        if it.answer is not None:
            plan.actions.append(PlannedAction(t0 + it.answer_s, "respond", it.responder, it.answer))
        if it.arrive_s is None:
            continue
        plan.actions.append(PlannedAction(t0 + it.arrive_s, "arrive", it.responder))
        if it.aed is not None and it.cabinet_s is not None:
            at_cabinet = t0 + it.cabinet_s
            if it.aed not in fetched_at or at_cabinet < fetched_at[it.aed]:
                # Whoever reaches the cabinet first takes the AED; later runners find it empty.
                fetched_at[it.aed] = at_cabinet
                fetched_by[it.aed] = t0 + it.arrive_s
    for aed_id, t in fetched_at.items():
        plan.actions.append(PlannedAction(t, "aed_fetched", aed=aed_id))
    if arrest:  # no arrest after all: nobody puts pads on
        for aed_id, t in fetched_by.items():
            plan.actions.append(PlannedAction(t + params.connect_s, "aed_connected", aed=aed_id))
    plan.actions.sort(key=lambda a: a.at_s)
    return plan


def plan_responses(
    alert: dict,
    rng: np.random.Generator,
    params: BehaviourParams,
    skip: frozenset[str] = frozenset(),
    *,
    at: datetime | None = None,
    channel: str = "app",
    arrest: bool = True,
) -> Plan:
    """Plan every alerted responder's behaviour for one `alert_sent` event's data.

    `at` is the alert's time (its local hour sets the time-of-day band; none: by day),
    `channel` how it reached phones ("app" or "sms"), and `arrest` whether the patient
    is in arrest after all (if not, responders come but no AED is connected)."""
    its = intentions(alert, rng, params, skip, at=at, channel=channel)
    return plan_from([(0.0, it) for it in its], params, arrest)


def _trip_m(r: dict, aeds: dict) -> float:
    aed = aeds.get(r.get("aed")) if r.get("role") == "aed" else None
    if aed is None:
        return float(r["distance_m"])
    return _straight(r, aed) + float(aed["distance_m"])


def _straight(a: dict, b: dict) -> float:
    """Distance in metres between two lat/lon dicts (equirectangular; fine below 5 km)."""
    lat = math.radians((a["lat"] + b["lat"]) / 2)
    dx = math.radians(b["lon"] - a["lon"]) * math.cos(lat) * 6_371_000
    dy = math.radians(b["lat"] - a["lat"]) * 6_371_000
    return math.hypot(dx, dy)
