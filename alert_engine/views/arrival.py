"""When a responder is expected on scene, and whether that beats the ambulance (issue 13).

One definition of the figure, read by ETA-aware alerting (engine), the console and the
simulation's comparison: turnout + straight-line route x detour factor / speed (+ the
cabinet for a runner, whose route goes via the AED). The parameters are the behaviour
model's published figures, kept in AlertConfig (`eta_*`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..config import AlertConfig
from ..state import IncidentState, ResponderState

EARTH_M = 6_371_000.0
# Units whose ETA still counts down: one on scene has arrived (its arrival time counts).
COMING = frozenset({"dispatched", "en_route"})


def route_m(r_lat: float, r_lon: float, a_lat: float, a_lon: float, aed_to_victim_m: float) -> float:
    """Straight-line metres from the responder to the AED and on to the victim."""
    lat = math.radians((r_lat + a_lat) / 2)
    dx = math.radians(a_lon - r_lon) * math.cos(lat) * EARTH_M
    dy = math.radians(a_lat - r_lat) * EARTH_M
    return math.hypot(dx, dy) + aed_to_victim_m


def travel_s(route: float, config: AlertConfig, via_aed: bool) -> float:
    """Seconds from the alert to on scene for a route of `route` metres."""
    cabinet = config.eta_cabinet_s if via_aed else 0.0
    return config.eta_turnout_s + route * config.eta_detour_factor / config.eta_speed_mps + cabinet


def ambulance_eta(s: IncidentState) -> datetime | None:
    """The first ambulance on scene: when it arrived, else the earliest ETA of a coming unit."""
    if s.ambulance_arrived_at is not None:
        return s.ambulance_arrived_at
    etas = [u.eta for u in s.units.values() if u.status in COMING and u.eta is not None]
    return min(etas) if etas else None


@dataclass(frozen=True, slots=True)
class Arrival:
    responder: str
    expected_at: datetime
    ahead_s: float | None  # seconds before the ambulance (negative: after it); None: no ETA

    @property
    def beats_ambulance(self) -> bool | None:
        return None if self.ahead_s is None else self.ahead_s > 0


def expected(s: IncidentState, r: ResponderState, config: AlertConfig) -> datetime | None:
    if r.alerted_at is None:
        return None
    aed = s.aeds.get(r.aed) if r.aed else None
    if aed is not None and None not in (r.lat, r.lon, aed.lat, aed.lon):
        route = route_m(r.lat, r.lon, aed.lat, aed.lon, aed.distance_m)  # type: ignore[arg-type]
        return r.alerted_at + timedelta(seconds=travel_s(route, config, True))
    return r.alerted_at + timedelta(seconds=travel_s(r.distance_m, config, False))


def arrivals(s: IncidentState, config: AlertConfig) -> dict[str, Arrival]:
    """Per alerted responder: expected on scene, and how far ahead of the ambulance."""
    eta = ambulance_eta(s)
    out: dict[str, Arrival] = {}
    for r in s.responders.values():
        at = expected(s, r, config)
        if at is not None:
            ahead = None if eta is None else (eta - at).total_seconds()
            out[r.id] = Arrival(r.id, at, ahead)
    return out


@dataclass(frozen=True)
class EtaFilter:
    """What ETA-aware alerting kept of a selection (the `alert_sent` lists) and left out."""

    responders: list[dict[str, Any]]
    aeds: list[dict[str, Any]]
    left_out: int
    made_direct: int


def before_ambulance(
    responders: list[dict[str, Any]], aeds: list[dict[str, Any]], now: datetime, eta: datetime,
    config: AlertConfig,
) -> EtaFilter:  # fmt: skip
    """Keep the responders expected at least `eta_margin_s` before the ambulance. A runner
    too late via the AED who is in time going straight to the victim goes direct (an AED
    that comes after the ambulance adds nothing: the crew brings a defibrillator); an AED
    whose runners all went is not alerted."""
    budget = (eta - now).total_seconds() - config.eta_margin_s
    by_id = {a["id"]: a for a in aeds}
    kept: list[dict[str, Any]] = []
    made_direct = 0
    for r in responders:
        aed = by_id.get(r["aed"]) if r["aed"] else None
        direct = travel_s(r["distance_m"], config, False)
        if aed is not None:
            via = travel_s(route_m(r["lat"], r["lon"], aed["lat"], aed["lon"], aed["distance_m"]), config, True)
            if via <= budget:
                kept.append(r)
            elif direct <= budget:
                kept.append({**r, "role": "cpr", "aed": None})
                made_direct += 1
        elif direct <= budget:
            kept.append(r)
    had_runners = {r["aed"] for r in responders if r["aed"]}
    runners = {r["aed"] for r in kept if r["aed"]}
    kept_aeds = [a for a in aeds if a["id"] in runners or a["id"] not in had_runners]
    return EtaFilter(kept, kept_aeds, len(responders) - len(kept), made_direct)


def coordinator_candidate(s: IncidentState, responder: str, config: AlertConfig) -> bool:
    """FirstAED's coordinator (option `coordinator_role`): the third or a later direct
    responder who accepted and is expected within `coordinator_window_s` of the first one
    coming; one per alarm. `s` is the state with their accept folded in."""
    r = s.responders.get(responder)
    if s.coordinator is not None or r is None or r.role != "cpr" or r.state != "accepted":
        return False
    coming = [x for x in s.responders.values() if x.state in ("accepted", "arrived") and x.id != responder]
    if len(coming) < 2:
        return False
    mine = expected(s, r, config)
    others = [t for x in coming if (t := x.arrived_at or expected(s, x, config)) is not None]
    return mine is not None and bool(others) and (mine - min(others)).total_seconds() <= config.coordinator_window_s
