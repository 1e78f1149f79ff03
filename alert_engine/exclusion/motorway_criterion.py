"""§5.1 "risky location such as a motorway": the map weighed against what was said.

Geometry decides where the map has every motorway; the description (road number,
hectometre post) and the location kind decide elsewhere, and settle doubts the map
cannot: a viaduct, a tunnel, a service area. Doubt gives `met=None` ("check"), which
never excludes by itself: the dispatcher looks and can still refuse the alert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..config import AlertConfig
from .motorway import MotorwayHit, MotorwayIndex
from .reasons import render, road_label
from .road_notation import RoadMention, Strength, find_road

_MOTORWAY_KIND = re.compile(r"motorway|snelweg|autoweg|motorroad|rijksweg|highway|freeway", re.I)
# "service" alone (location kind "service_area", "motorway_service") but not "serviceflat".
_SERVICE = re.compile(
    r"verzorgingsplaats|tankstation|benzinestation|wegrestaurant|parkeerplaats|"
    r"(?<![a-z])service(?![a-z])|rest[ _-]?area",
    re.I,
)
_HOME_KINDS = frozenset({"home", "woning", "thuis", "huis", "woonhuis", "house", "residence"})


@dataclass(frozen=True)
class MotorwayJudgement:
    met: bool | None
    code: str  # a reason code of exclusion.reasons; the words are rendered when shown
    params: dict[str, Any]
    hit: MotorwayHit | None

    @property
    def reason_nl(self) -> str:
        return render(self.code, self.params, "nl")

    @property
    def reason_en(self) -> str:
        return render(self.code, self.params, "en")


@dataclass(frozen=True)
class _Said:
    """What the dispatcher typed about the location."""

    kind: str
    road: RoadMention | None
    motorway_kind: bool
    service: bool
    home: bool
    anything: bool

    @classmethod
    def read(cls, location_kind: str, description: str) -> _Said:
        kind = (location_kind or "").strip()
        text = (description or "").strip()
        return cls(
            kind=kind,
            road=find_road(text),
            motorway_kind=bool(_MOTORWAY_KIND.search(kind)),
            service=bool(_SERVICE.search(f"{kind} {text}")),
            home=kind.lower() in _HOME_KINDS,
            anything=bool(kind or text),
        )

    @property
    def motorway(self) -> RoadMention | None:
        return self.road if self.road and self.road.is_motorway else None


def judge_motorway(
    lat: float,
    lon: float,
    location_kind: str,
    description: str,
    config: AlertConfig,
    index: MotorwayIndex,
) -> MotorwayJudgement:
    """The motorway finding for an incident point and what was said about the place."""
    said = _Said.read(location_kind, description)
    hit = index.nearest(lat, lon, config.motorway_buffer_m)
    if _at_service_area(said, hit, index.in_service_area(lat, lon)):
        seen = hit or index.closest(lat, lon, buffer_m=config.motorway_buffer_m)
        return _service_area(said, seen)
    if hit is not None:
        return _by_geometry(hit, said)
    if said.motorway or said.motorway_kind:
        return _by_description(said, index.covers(lat, lon))
    return _not_met(said, index, lat, lon, config)


def _at_service_area(said: _Said, hit: MotorwayHit | None, in_zone: bool) -> bool:
    # On a slip road or off the road inside a service area's catchment, or where the
    # words say so: the car park and shop are reachable on foot from the service road.
    # On the carriageway itself only the words can move it to the service area.
    if said.home:
        return False
    on_carriageway = hit is not None and not hit.is_link
    if in_zone:
        return not on_carriageway or said.service
    if said.service and not on_carriageway:
        return hit is not None or said.motorway is not None or said.motorway_kind
    return False


def _service_area(said: _Said, seen: MotorwayHit | None) -> MotorwayJudgement:
    road = (seen.road if seen else None) or (said.motorway.road if said.motorway else None)
    return MotorwayJudgement(None, "motorway.service_area", {"road": road}, seen or _described(said))


def _by_geometry(hit: MotorwayHit, said: _Said) -> MotorwayJudgement:
    levels = bool(hit.grade_separated)
    params: dict[str, Any] = {
        "distance_m": hit.distance_m or 0.0,
        "road": _label(hit),
        "junction": hit.junction,
        "levels": levels,
    }
    road = said.motorway
    sure = said.motorway_kind or (road is not None and road.strength is Strength.STRONG)
    doubt = _doubt(hit, said)
    if doubt and not sure:
        return MotorwayJudgement(None, "motorway.on_map", {**params, "doubt": list(doubt)}, hit)
    if hit.crossing_road and levels:
        params["crossing_here"] = hit.crossing_road
    return MotorwayJudgement(True, "motorway.on_map", params, hit)


def _doubt(hit: MotorwayHit, said: _Said) -> tuple[str, dict[str, Any]] | None:
    if hit.tunnel:
        return ("motorway.doubt.tunnel", {})
    if hit.crossing_road and hit.crossing_nearer:
        return ("motorway.doubt.crossing_nearer",
                {"road": hit.crossing_road, "distance_m": hit.crossing_distance_m or 0.0})
    if said.motorway is not None and said.motorway.strength is Strength.NEARBY:
        return ("motorway.doubt.described_nearby", {"text": said.motorway.text})
    if said.home:
        return ("motorway.doubt.home_kind", {"kind": said.kind})
    return None


def _by_description(said: _Said, mapped_here: bool) -> MotorwayJudgement:
    road = said.motorway
    hit = _described(said)
    if road is None:
        return MotorwayJudgement(True, "motorway.kind_says", {"kind": said.kind}, hit)
    if road.strength is Strength.NEARBY and not said.motorway_kind:
        return MotorwayJudgement(None, "motorway.described_nearby", {"text": road.text}, hit)
    if road.strength is Strength.PLAIN and mapped_here and not said.motorway_kind:
        return MotorwayJudgement(None, "motorway.described_not_mapped", {"road": road.road}, hit)
    return MotorwayJudgement(True, "motorway.described_on",
                             {"road": road.road, "hectometre": road.hectometre, "side": road.side or None}, hit)


def _not_met(
    said: _Said, index: MotorwayIndex, lat: float, lon: float, config: AlertConfig
) -> MotorwayJudgement:
    if said.road is not None:  # an N-road: only A-roads are motorways
        return MotorwayJudgement(False, "motorway.provincial", {"road": said.road.road}, None)
    if index.covers(lat, lon):
        near = index.closest(lat, lon, buffer_m=config.motorway_buffer_m)
        if near is None:
            return MotorwayJudgement(False, "motorway.none_near", {}, None)
        return MotorwayJudgement(False, "motorway.not_on", {
            "road": _label(near), "distance_m": near.distance_m or 0.0, "limit_m": near.buffer_m or 0.0}, None)
    if not said.anything:
        return MotorwayJudgement(None, "motorway.no_map_no_text", {}, None)
    return MotorwayJudgement(False, "motorway.not_in_description", {}, None)


def _described(said: _Said) -> MotorwayHit:
    road = said.motorway
    return MotorwayHit(
        road=road.road if road else None,
        detected_by="description",
        hectometre=road.hectometre if road else None,
        side=road.side if road else None,
    )


def _label(hit: MotorwayHit) -> dict[str, Any]:
    return road_label(bool(hit.autoweg), hit.name, hit.road, bool(hit.is_link))
