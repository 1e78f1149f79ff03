"""The selected incident on the map: engine state translated into map ops, sent as deltas.

`MapSync` keeps the last op it sent per (kind, id) and pushes only what changed, so a
batch of twenty responder updates moves twenty markers, not a hundred. It redraws when
the event feed delivers (at most ten times a second), never per engine event.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from alert_engine.events import Event
from alert_engine.service import AedView, IncidentService
from alert_engine.state import IncidentState

from .map.bridge import MapView
from .map.ops import Op
from .models.incident_queue import place_text

Key = tuple[str, str]
AED_SEARCH_RADIUS_M = 2000.0  # HartslagNu: AEDs alerted within about 2 km
AED_REFRESH = timedelta(seconds=60)  # opening hours change by the hour; once a minute is plenty
CANDIDATE_ID = "new-call"
MIN_UNCERTAINTY_DRAWN_M = 25.0  # below this the pin itself says enough
CANDIDATE_VIEW_M = 90.0  # a new exact location is shown at house-number level


def _bounds(lat: float, lon: float, radius_m: float) -> list[list[float]]:
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * math.cos(math.radians(lat)))
    return [[lat - dlat, lon - dlon], [lat + dlat, lon + dlon]]


ADDRESS_POINTS_MAX = 2500  # a street-level view of a city centre holds ~1,500


def address_op(points: Sequence[Any]) -> Op:
    """The address points in view as one map op: house numbers, and each street's name once,
    at the address nearest the middle of that street's addresses in view."""
    by_street: dict[str, list[Any]] = {}
    for p in points:
        by_street.setdefault(p.street, []).append(p)
    streets = []
    for name, group in by_street.items():
        lat = sum(p.lat for p in group) / len(group)
        lon = sum(p.lon for p in group) / len(group)
        mid = min(group, key=lambda p: (p.lat - lat) ** 2 + (p.lon - lon) ** 2)
        streets.append([round(mid.lat, 6), round(mid.lon, 6), name])
    # One label per house number: flats (12-1 … 12-40) and letters share a door on the map.
    doors: dict[tuple[str, int], list[Any]] = {}
    for p in points:
        doors.setdefault((p.street, p.number), []).append(p)
    labels = [[round(g[0].lat, 6), round(g[0].lon, 6), g[0].house if len(g) == 1 else f"{g[0].number}…"]
              for g in doors.values()]
    return {"op": "addresses", "id": "view", "streets": streets, "points": labels}


def _number(value: object) -> float:
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return out if math.isfinite(out) else 0.0


def aed_map_state(view: AedView) -> str:
    if view.open_now:
        return "available"
    return "closed" if view.status == "ready" else "unavailable"


class MapSync:
    def __init__(
        self, view: MapView, service: IncidentService, now: Callable[[], datetime] | None = None
    ) -> None:
        self._view = view
        self._service = service
        self._now = now or service.now
        self._incident: str | None = None
        self._state: IncidentState | None = None
        self._sent: dict[Key, Op] = {}
        self._aeds_near: list[AedView] = []
        self._aeds_at: datetime | None = None
        self._motorway: Op | None = None
        self._candidate: Op | None = None
        self._candidate_area: Op | None = None
        self._ring_shown = False
        self.pushes = 0  # push() calls (the benchmark's map update count)
        self.ops_sent = 0

    @property
    def incident(self) -> str | None:
        return self._incident

    def set_incident(self, incident: str | None) -> None:
        """Show another incident: clear the incident layers, draw it, fit the view to it."""
        self._incident = incident
        self._state = self._service.state(incident) if incident is not None else None
        self._sent.clear()
        self._aeds_at = None
        self._motorway = None
        self._candidate = self._candidate_area = None
        ops: list[Op] = [{"op": "clear_incident"}]
        ops += self._delta()
        s = self._state
        if s is not None:
            self._ring_shown = s.radius_m is not None
            ops.append({"op": "fit", "bounds": _bounds(s.lat, s.lon, s.radius_m or 600.0)})
        self._push(ops)

    def on_events(self, events: Sequence[Event]) -> None:
        if self._incident is None or not any(e.incident == self._incident for e in events):
            return
        self._state = self._service.state(self._incident)
        ops = self._delta()
        s = self._state
        if s.radius_m is not None and not self._ring_shown:
            # The alert just went out: show the whole alerted area once.
            self._ring_shown = True
            ops.append({"op": "fit", "bounds": _bounds(s.lat, s.lon, s.radius_m)})
        self._push(ops)

    def tick(self) -> None:
        """Refresh AED opening states now and then (an AED in a shop closes at 21:00)."""
        if self._state is not None and self._aeds_at is not None and self._now() - self._aeds_at >= AED_REFRESH:
            self._push(self._delta())

    def select(self, kind: str, layer_id: str | None) -> None:
        self._push([{"op": "select", "kind": kind, "id": layer_id}])

    def center_on_incident(self) -> None:
        s = self._state
        if s is not None:
            self._push([{"op": "fit", "bounds": _bounds(s.lat, s.lon, s.radius_m or 600.0)}])
        elif self._candidate is not None:
            self._push([{"op": "center", "lat": self._candidate["lat"], "lon": self._candidate["lon"], "zoom": 15}])

    def show_candidate(self, lat: float, lon: float, label: str, uncertainty_m: float = 0.0) -> None:
        """Where a call being taken is (before it exists in the engine), with how far the
        victim may be from that point; the view moves to every new location."""
        self._candidate = {"op": "victim", "id": CANDIDATE_ID, "lat": lat, "lon": lon, "label": label}
        self._candidate_area = (
            {"op": "uncertainty", "id": CANDIDATE_ID, "lat": lat, "lon": lon, "radius_m": float(uncertainty_m)}
            if uncertainty_m >= MIN_UNCERTAINTY_DRAWN_M else None
        )
        ops = self._delta()
        ops.append({"op": "fit", "bounds": _bounds(lat, lon, max(uncertainty_m * 1.2, CANDIDATE_VIEW_M)), "max_zoom": 18})
        self._push(ops)

    def clear_candidate(self) -> None:
        """The form has no location any more (an unresolved address): no pin may stay behind."""
        if self._candidate is None and self._candidate_area is None:
            return
        self._candidate = self._candidate_area = None
        self._push(self._delta())

    def show_motorway_hit(self, hit: Any) -> None:
        """The motorway the intake found near the call (None removes the mark)."""
        self._motorway = _motorway_op(hit, self._state, self._candidate)
        self._push(self._delta())

    # -- ops --------------------------------------------------------------------------
    def _push(self, ops: list[Op]) -> None:
        if ops:
            self.pushes += 1
            self.ops_sent += len(ops)
            self._view.push(ops)

    def _delta(self) -> list[Op]:
        wanted = self._wanted()
        ops: list[Op] = [op for key, op in wanted.items() if self._sent.get(key) != op]
        ops += [{"op": "remove", "kind": kind, "id": lid} for kind, lid in self._sent if (kind, lid) not in wanted]
        self._sent = wanted
        return ops

    def _wanted(self) -> dict[Key, Op]:
        wanted: dict[Key, Op] = {}
        for extra in (self._candidate, self._candidate_area, self._motorway):
            if extra is not None:
                wanted[(extra["op"], str(extra["id"]))] = extra
        s = self._state
        if s is None:
            return wanted
        wanted[("victim", s.id)] = {
            "op": "victim", "id": s.id, "lat": s.lat, "lon": s.lon, "label": f"{s.id} · {place_text(s)}",
        }
        spread = _number(s.facts.get("location_uncertainty_m"))
        if spread >= MIN_UNCERTAINTY_DRAWN_M:
            wanted[("uncertainty", s.id)] = {"op": "uncertainty", "id": s.id, "lat": s.lat, "lon": s.lon,
                                             "radius_m": spread}
        if s.radius_m is not None:
            wanted[("ring", s.id)] = {"op": "ring", "id": s.id, "lat": s.lat, "lon": s.lon, "radius_m": s.radius_m}
        for view in self._nearby_aeds(s):
            wanted[("aed", view.id)] = {
                "op": "aed", "id": view.id, "lat": view.lat, "lon": view.lon,
                "state": aed_map_state(view), "label": f"{view.id} · {view.description}",
            }
        for aed in s.aeds.values():
            if aed.lat is None or aed.lon is None:
                continue
            previous = wanted.get(("aed", aed.id), {})
            wanted[("aed", aed.id)] = {
                "op": "aed", "id": aed.id, "lat": aed.lat, "lon": aed.lon, "state": aed.state,
                "label": previous.get("label", aed.id),
            }
        victim = [s.lat, s.lon]
        for r in s.responders.values():
            if r.lat is None or r.lon is None:
                continue
            wanted[("responder", r.id)] = {
                "op": "responder", "id": r.id, "lat": r.lat, "lon": r.lon,
                "state": r.state, "role": r.role, "label": r.pseudonym or r.id,
            }
            fetch = s.aeds.get(r.aed) if r.role == "aed" and r.aed else None
            if fetch is not None and fetch.lat is not None and fetch.lon is not None:
                wanted[("route", r.id)] = {
                    "op": "route", "id": r.id, "state": r.state,
                    "points": [[r.lat, r.lon], [fetch.lat, fetch.lon], victim],
                }
        return wanted

    def _nearby_aeds(self, s: IncidentState) -> list[AedView]:
        now = self._now()
        if self._aeds_at is None or now - self._aeds_at >= AED_REFRESH:
            self._aeds_near = self._service.aeds_near(s.lat, s.lon, AED_SEARCH_RADIUS_M)
            self._aeds_at = now
        return self._aeds_near


def _motorway_op(hit: Any, state: IncidentState | None, candidate: Op | None) -> Op | None:
    if hit is None:
        return None
    get = hit.get if isinstance(hit, dict) else lambda k, d=None: getattr(hit, k, d)
    lat, lon = get("road_lat"), get("road_lon")
    if lat is None or lon is None:
        if state is not None:
            lat, lon = state.lat, state.lon
        elif candidate is not None:
            lat, lon = candidate["lat"], candidate["lon"]
        else:
            return None
    parts = [get("road"), get("name"), get("junction")]
    text = " · ".join(str(p) for p in parts if p) or None
    op: Op = {"op": "motorway_hit", "id": "motorway", "lat": float(lat), "lon": float(lon)}
    if text:
        op["text"] = text
    return op
