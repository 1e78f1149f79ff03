"""§5.1 "risky location such as a motorway": the map weighed against what was said.

Geometry decides where the map has every motorway; the description (road number,
hectometre post) and the location kind decide elsewhere, and settle doubts the map
cannot: a viaduct, a tunnel, a service area. Doubt gives `met=None` ("check"), which
never excludes by itself: the dispatcher looks and can still refuse the alert.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..config import AlertConfig
from ..reason_text import metres
from .motorway import MotorwayHit, MotorwayIndex
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
    reason_nl: str
    reason_en: str
    hit: MotorwayHit | None


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
    where_nl = f"de {road}" if road else "de snelweg"
    where_en = f"the {road}" if road else "the motorway"
    return MotorwayJudgement(
        None,
        f"Mogelijk verzorgingsplaats langs {where_nl}: parkeerplaats bereikbaar via de "
        "dienstweg, geen harde uitsluiting – controleer",
        f"Possibly a service area on {where_en}: its car park is reachable via the service "
        "road, not a hard exclusion – check",
        seen or _described(said),
    )


def _by_geometry(hit: MotorwayHit, said: _Said) -> MotorwayJudgement:
    distance = metres(hit.distance_m or 0.0)
    place_nl = f"Locatie ligt {distance} van {_label_nl(hit)}{_near_nl(hit)}"
    place_en = f"Location is {distance} from {_label_en(hit)}{_near_en(hit)}"
    levels = hit.grade_separated
    check_nl = " – viaduct/tunnel: controleer" if levels else " – controleer"
    check_en = " – viaduct/tunnel: check" if levels else " – check"
    road = said.motorway
    sure = said.motorway_kind or (road is not None and road.strength is Strength.STRONG)
    doubt = _doubt(hit, said)
    if doubt and not sure:
        return MotorwayJudgement(
            None,
            f"{place_nl}, maar {doubt[0]}{check_nl}",
            f"{place_en}, but {doubt[1]}{check_en}",
            hit,
        )
    if hit.crossing_road and levels:
        place_nl += f"; {hit.crossing_road} kruist hier"
        place_en += f"; {hit.crossing_road} crosses here"
    if not levels:
        check_nl = check_en = ""
    return MotorwayJudgement(True, place_nl + check_nl, place_en + check_en, hit)


def _doubt(hit: MotorwayHit, said: _Said) -> tuple[str, str] | None:
    if hit.tunnel:
        return (
            "de weg ligt hier in een tunnel en de locatie waarschijnlijk erboven",
            "the road runs in a tunnel here and the location is probably above it",
        )
    if hit.crossing_road and hit.crossing_nearer:
        d = metres(hit.crossing_distance_m or 0.0)
        return (
            f"{hit.crossing_road} ligt dichterbij ({d}): mogelijk op die weg",
            f"{hit.crossing_road} is closer ({d}): possibly on that road",
        )
    if said.motorway is not None and said.motorway.strength is Strength.NEARBY:
        return (
            f"de omschrijving zegt '{said.motorway.text}'",
            f"the description says '{said.motorway.text}'",
        )
    if said.home:
        return (
            f"locatiesoort '{said.kind}' past niet bij een snelweg",
            f"location kind '{said.kind}' does not fit a motorway",
        )
    return None


def _by_description(said: _Said, mapped_here: bool) -> MotorwayJudgement:
    road = said.motorway
    hit = _described(said)
    if road is None:
        return MotorwayJudgement(
            True,
            f"Locatiesoort '{said.kind}': op de snelweg",
            f"Location kind '{said.kind}': on the motorway",
            hit,
        )
    if road.strength is Strength.NEARBY and not said.motorway_kind:
        return MotorwayJudgement(
            None,
            f"Omschrijving zegt '{road.text}': mogelijk naast of onder de snelweg – controleer",
            f"Description says '{road.text}': possibly beside or under the motorway – check",
            hit,
        )
    if road.strength is Strength.PLAIN and mapped_here and not said.motorway_kind:
        return MotorwayJudgement(
            None,
            f"Omschrijving noemt de {road.road}, maar de kaart plaatst de locatie niet op een "
            "snelweg – controleer",
            f"Description names the {road.road}, but the map does not put the location on a "
            "motorway – check",
            hit,
        )
    post_nl = post_en = ""
    if road.hectometre is not None:
        # Posts always show one decimal ("15,0"), so the reason does too.
        post = f"{road.hectometre:.1f}"
        side = f" {road.side}" if road.side else ""
        post_nl = f" (hectometerpaal {post.replace('.', ',')}{side})"
        post_en = f" (hectometre post {post}{side})"
    return MotorwayJudgement(
        True,
        f"Locatie op snelweg {road.road}{post_nl} volgens omschrijving",
        f"Location on motorway {road.road}{post_en} according to the description",
        hit,
    )


def _not_met(
    said: _Said, index: MotorwayIndex, lat: float, lon: float, config: AlertConfig
) -> MotorwayJudgement:
    if said.road is not None:  # an N-road: only A-roads are motorways
        return MotorwayJudgement(
            False,
            f"Omschrijving noemt de {said.road.road}: provinciale weg, geen snelweg",
            f"Description names the {said.road.road}: a provincial road, not a motorway",
            None,
        )
    if index.covers(lat, lon):
        near = index.closest(lat, lon, buffer_m=config.motorway_buffer_m)
        if near is None:
            return MotorwayJudgement(
                False, "Niet op of bij een snelweg", "Not on or near a motorway", None
            )
        d, limit = metres(near.distance_m or 0.0), metres(near.buffer_m or 0.0)
        return MotorwayJudgement(
            False,
            f"Niet op een snelweg: {_label_nl(near)} ligt op {d} (grens {limit})",
            f"Not on a motorway: {_label_en(near)} is {d} away (limit {limit})",
            None,
        )
    if not said.anything:
        return MotorwayJudgement(
            None,
            "Geen snelwegkaart voor deze plek en geen locatieomschrijving – controleer",
            "No motorway map for this place and no location description – check",
            None,
        )
    return MotorwayJudgement(
        False,
        "Geen snelweg in de omschrijving (snelwegkaart alleen voor regio Den Haag)",
        "No motorway in the description (motorway map covers the The Hague region only)",
        None,
    )


def _described(said: _Said) -> MotorwayHit:
    road = said.motorway
    return MotorwayHit(
        road=road.road if road else None,
        detected_by="description",
        hectometre=road.hectometre if road else None,
        side=road.side if road else None,
    )


def _label_nl(hit: MotorwayHit) -> str:
    if hit.autoweg:
        name = " ".join(p for p in (hit.name, f"({hit.road})" if hit.road else None) if p)
        return f"autoweg {name}".strip() + (" (toe-/afrit)" if hit.is_link else "")
    if hit.road is None:
        return "een toe-/afrit van een snelweg" if hit.is_link else "een snelweg (rijbaan)"
    return f"een toe-/afrit van de {hit.road}" if hit.is_link else f"de {hit.road} (rijbaan)"


def _label_en(hit: MotorwayHit) -> str:
    if hit.autoweg:
        name = " ".join(p for p in (hit.name, f"({hit.road})" if hit.road else None) if p)
        road = f"the {name} expressway (autoweg)" if name else "an expressway (autoweg)"
        return f"a slip road of {road}" if hit.is_link else road
    if hit.road is None:
        return "a motorway slip road" if hit.is_link else "a motorway carriageway"
    # "an A12": the letter is read "ay"; "an N11" likewise.
    return f"an {hit.road} slip road" if hit.is_link else f"the {hit.road} carriageway"


def _near_nl(hit: MotorwayHit) -> str:
    return f", bij {hit.junction}" if hit.junction else ""


def _near_en(hit: MotorwayHit) -> str:
    return f", near {hit.junction}" if hit.junction else ""
