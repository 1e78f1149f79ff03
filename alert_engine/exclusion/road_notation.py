"""Dutch road notation in a free-text location ("A12 hmp 34,5", "A2 Li 120.3", "N11").

Outside the mapped region the description is the only evidence of a motorway location,
so this parser has to find the road number that dispatchers type, without reading a
street name ("A. Jacobsstraat"), a postcode ("2712 AB") or a flat ("Blok A 2") as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

# A-road numbers in use as motorways (Rijkswaterstaat). A bare "A12" only counts when its
# number is on this list, so "A3" or "A11" (numbers that are no motorway) stay text; with
# road context ("A 23 hmp 4,1") any number counts, for roads newer than this list.
# fmt: off
A_ROADS = frozenset((
    1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 16, 17, 18, 20, 22, 24, 27, 28, 29, 30, 31, 32,
    35, 37, 38, 44, 50, 58, 59, 65, 67, 73, 74, 76, 77, 79, 200, 208, 256, 270, 325, 326, 348,
))
# fmt: on


class Strength(StrEnum):
    """How sure the text is that the patient is on the road itself."""

    STRONG = "strong"  # hectometre post, "rijksweg/snelweg A12", side marker
    PLAIN = "plain"  # just "A12": usually the road, but could be a landmark
    NEARBY = "nearby"  # "bij de A4", "onder de A12": beside, under or over the road


@dataclass(frozen=True)
class RoadMention:
    """A road number found in a location description."""

    road: str  # normalised, "A12" or "N11"
    hectometre: float | None  # the hectometre post in km, e.g. 34.5
    side: str | None  # "Li" or "Re" (carriageway side of the hectometre post)
    strength: Strength
    text: str  # the matched words, for the dispatcher to see what was read

    @property
    def is_motorway(self) -> bool:
        # N-roads are provincial roads; some are autowegen, but §5.1 names motorways.
        return self.road.startswith("A")


_SIDE = r"(?P<side>li(?:nks)?|re(?:chts)?)\.?"
_HMP_WORD = r"(?:hmp|hm|hecto(?:meter)?(?:paal|bord(?:je)?)?|km)\.?"
_NUMBER = r"(?P<hmp>\d{1,3}(?:[.,]\d{1,2})?)"
# Road, then within a few words: "[side] [hmp-word] number [side]".
_ROAD = re.compile(
    r"(?<![\w.\-/])(?P<letter>[AaNn])(?P<sep>[ \-]?)(?P<num>\d{1,3})"
    r"(?![.,]\d)(?=(?i:hmp|hm(?![a-z])|li(?![a-z])|re(?![a-z]))|\W|$)"
)
_AFTER = re.compile(
    rf"^\s*(?:{_SIDE}\s*)?(?:(?P<kw>{_HMP_WORD})\s*{_NUMBER}|(?P<bare>\d{{1,3}}[.,]\d{{1,2}}))"
    rf"(?:\s*{_SIDE.replace('side', 'side2')})?",
    re.IGNORECASE,
)
_ROAD_CONTEXT_AFTER = re.compile(
    r"^\s*(?:richting|ri\.?|ter hoogte|t\.?h\.?v\.?|afrit|oprit|toerit|knooppunt|kp\.?|"
    r"rijbaan|hoofdrijbaan|parallelbaan|vluchtstrook|li\b|re\b|links|rechts|km\b|hmp)",
    re.IGNORECASE,
)
_ROAD_CONTEXT_BEFORE = re.compile(
    r"(?:rijksweg|snelweg|autosnelweg|autoweg|provinciale weg|op de)\s*$", re.IGNORECASE
)
_NEARBY_BEFORE = re.compile(
    r"(?:bij|nabij|vlakbij|naast|langs|onder|boven|over|achter|near|next to|under)"
    r"(?:\s+(?:de|het|the))?\s*$",
    re.IGNORECASE,
)
# "Flat A4", "blok A 2", "app. A12": a unit in a building, not a road.
_UNIT_BEFORE = re.compile(
    r"(?:flat|blok|app(?:artement)?|unit|kamer|portiek|gebouw|vak|zaal|hal|loods|toren|"
    r"verdieping|bed|box|nr|nummer|huisnummer|postbus|bus|lokaal|ingang)\.?\s*$",
    re.IGNORECASE,
)


def find_road(text: str) -> RoadMention | None:
    """The most telling road mention in `text`: an A-road before an N-road, else None."""
    mentions = [m for m in (_mention(text, match) for match in _ROAD.finditer(text)) if m]
    if not mentions:
        return None
    rank = {Strength.STRONG: 0, Strength.PLAIN: 1, Strength.NEARBY: 2}
    return min(mentions, key=lambda m: (not m.is_motorway, rank[m.strength]))


def _mention(text: str, match: re.Match[str]) -> RoadMention | None:
    before = text[max(0, match.start() - 30) : match.start()]
    after = text[match.end() : match.end() + 40]
    if _UNIT_BEFORE.search(before):
        return None
    letter = match["letter"].upper()
    number = int(match["num"])
    hmp = _AFTER.match(after)
    context = bool(hmp) or bool(_ROAD_CONTEXT_AFTER.match(after))
    context = context or bool(_ROAD_CONTEXT_BEFORE.search(before))
    # Without context only the tight capital form counts ("A12", "N11"), and for A-roads
    # only a number in use: "a 4" or "A 3" in a sentence is too often something else.
    tight = match["sep"] == "" and match["letter"].isupper()
    if not context and not (tight and (letter == "N" or number in A_ROADS)):
        return None
    hectometre, side = _hectometre(hmp)
    start, end = match.start(), match.end() + (hmp.end() if hmp else 0)
    nearby = _NEARBY_BEFORE.search(before)
    if nearby and hectometre is None:
        strength = Strength.NEARBY
        start -= len(before) - nearby.start()  # keep "bij de" so the reader sees why
    elif context:
        strength = Strength.STRONG
    else:
        strength = Strength.PLAIN
    return RoadMention(f"{letter}{number}", hectometre, side, strength, text[start:end].strip())


def _hectometre(hmp: re.Match[str] | None) -> tuple[float | None, str | None]:
    if hmp is None:
        return None, None
    raw = hmp["hmp"] or hmp["bare"]
    side_raw = hmp["side"] or hmp["side2"]
    side = side_raw[:2].capitalize() if side_raw else None
    return float(raw.replace(",", ".")), side
