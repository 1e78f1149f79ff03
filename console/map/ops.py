"""The map's delta operations: the dicts `MapView.push` sends to `window.api.apply` in the page.

Each op is a plain JSON-able dict with an ``"op"`` key. Layer ops (victim, ring, responder,
aed, route, motorway_hit) are keyed by ``id`` within their kind; re-sending an id updates the
layer in place. Validation here catches a bad op in Python, where the stack trace is useful,
instead of as a console error inside the page.
"""

from __future__ import annotations

import math
from typing import Any

Op = dict[str, Any]

RESPONDER_STATES = frozenset(
    {"alerted", "accepted", "declined", "timed_out", "arrived", "cancelled", "oversupply"}
)
RESPONDER_ROLES = frozenset({"cpr", "aed"})
AED_STATES = frozenset({"available", "closed", "unavailable", "assigned", "fetched", "connected"})
# A route follows its runner's state; "planned" is a route not yet tied to an answer.
ROUTE_STATES = RESPONDER_STATES | {"planned"}
# Kinds a "remove" can name; one Leaflet layer per (kind, id) in the page.
LAYER_KINDS = ("victim", "ring", "responder", "aed", "route", "motorway_hit", "uncertainty")

_REQUIRED: dict[str, tuple[str, ...]] = {
    "victim": ("id", "lat", "lon"),
    "ring": ("id", "lat", "lon", "radius_m"),
    # How far the victim may be from the point shown (postcode area, street, place).
    "uncertainty": ("id", "lat", "lon", "radius_m"),
    "responder": ("id", "lat", "lon", "state", "role"),
    "aed": ("id", "lat", "lon", "state"),
    "route": ("id", "points"),
    "motorway_hit": ("id", "lat", "lon"),
    "remove": ("kind", "id"),
    "clear_incident": (),
    "fit": ("bounds",),
    "center": ("lat", "lon"),
    "select": ("kind",),
    # Address points in view (street level): [[lat, lon, "12a"], ...] and street labels.
    "addresses": ("id", "points"),
    # Coverage layer (docs/coverage.md): a GeoJSON FeatureCollection of white-spot cells
    # (alert_engine.coverage.layer.white_spot_layer), or null to take it off the map.
    "white_spots": ("id", "geojson"),
}
OP_NAMES = frozenset(_REQUIRED)


def validate(op: Op) -> None:
    """Raise ValueError naming the first problem with one op."""
    name = op.get("op")
    if name not in _REQUIRED:
        raise ValueError(f"unknown map op {name!r} (known: {', '.join(sorted(OP_NAMES))})")
    missing = [key for key in _REQUIRED[name] if key not in op]
    if missing:
        raise ValueError(f"map op {name!r} lacks {', '.join(missing)}: {op!r}")
    if "lat" in op:
        _check_point(op["lat"], op["lon"], op)
    if name == "responder":
        _check_member(op["state"], RESPONDER_STATES, "responder state", op)
        _check_member(op["role"], RESPONDER_ROLES, "responder role", op)
    elif name == "aed":
        _check_member(op["state"], AED_STATES, "AED state", op)
    elif name == "route":
        _check_member(op.get("state", "planned"), ROUTE_STATES, "route state", op)
        if len(op["points"]) < 2:
            raise ValueError(f"a route needs at least two points: {op!r}")
        for point in op["points"]:
            _check_point(point[0], point[1], op)
    elif name in ("ring", "uncertainty"):
        if not _finite(op["radius_m"]) or op["radius_m"] <= 0:
            raise ValueError(f"ring radius must be a positive number: {op!r}")
    elif name == "fit":
        (a, b), (c, d) = op["bounds"]
        _check_point(a, b, op)
        _check_point(c, d, op)
    elif name == "white_spots":
        fc = op["geojson"]
        if fc is not None and not (isinstance(fc, dict) and fc.get("type") == "FeatureCollection"):
            raise ValueError(f"white_spots needs a GeoJSON FeatureCollection or null: {op!r}")
    elif name in ("remove", "select") and op["kind"] not in LAYER_KINDS:
        raise ValueError(f"map op {name!r}: unknown kind {op['kind']!r}")


def _finite(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_point(lat: object, lon: object, op: Op) -> None:
    if not (_finite(lat) and _finite(lon)):
        raise ValueError(f"map op needs finite lat/lon numbers: {op!r}")
    assert isinstance(lat, int | float) and isinstance(lon, int | float)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"map op lat/lon out of range: {op!r}")


def _check_member(value: object, allowed: frozenset[str], what: str, op: Op) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r} (known: {', '.join(sorted(allowed))}): {op!r}")
