"""Estimated arrival of a responder who accepted: distance still to go at walking speed.

A display estimate, not an engine rule: straight-line metres (via the AED for an AED
runner) divided by the median responder speed, minus the time since they accepted.
"""

from __future__ import annotations

import math
from datetime import datetime

from alert_engine.state import AedState, IncidentState, ResponderState

# Swedish GPS study (Resuscitation 2020): median responder speed 2.3 m/s.
WALKING_SPEED_MPS = 2.3


def metres_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance; exact enough below a few kilometres."""
    mid = math.radians((lat1 + lat2) / 2)
    dx = math.radians(lon2 - lon1) * math.cos(mid) * 6_371_000
    dy = math.radians(lat2 - lat1) * 6_371_000
    return math.hypot(dx, dy)


def route_metres(incident: IncidentState, responder: ResponderState) -> float:
    """Metres to the victim: direct, or via the responder's AED for an AED runner."""
    aed: AedState | None = incident.aeds.get(responder.aed) if responder.aed else None
    if (
        responder.role == "aed"
        and aed is not None
        and aed.lat is not None
        and aed.lon is not None
        and responder.lat is not None
        and responder.lon is not None
    ):
        return metres_between(responder.lat, responder.lon, aed.lat, aed.lon) + aed.distance_m
    return responder.distance_m


def eta_seconds(
    incident: IncidentState,
    responder: ResponderState,
    now: datetime,
    speed_mps: float = WALKING_SPEED_MPS,
) -> float | None:
    """Seconds until an accepted responder arrives (0 when overdue); None if not coming."""
    if responder.state != "accepted" or responder.answered_at is None:
        return None
    travel = route_metres(incident, responder) / speed_mps
    underway = (now - responder.answered_at).total_seconds()
    return max(0.0, travel - underway)
