"""One resolution of what the dispatcher typed: label, point and precision together.

The label and the coordinates always come from the same answer, so a label can never
name a place the point is not at. When the text holds a detail that cannot be checked
(a house number, a street the data does not have), the answer is `none` and the coarser
places that *are* known come back as `alternatives` for the dispatcher to choose: an
approximate location is a deliberate choice, never a silent fallback. A motorway in road
notation ("A12 hmp 10,2") is recognised, but without hectometre data it has no point:
the resolver never invents one.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz, process

from ..exclusion.road_notation import Strength, find_road
from ..gazetteer import Gazetteer, Place, normalise, parse_coordinates
from .book import AddressBook, AddressPoint, Area
from .keys import place_key, street_key

Precision = Literal["address", "street", "postcode", "place", "motorway", "coordinates", "map", "none"]
# Finest first: the console asks for refinement before alerting on the coarse ones.
APPROXIMATE: frozenset[str] = frozenset({"street", "postcode", "place"})
ADDRESS_UNCERTAINTY_M = 10.0  # a BAG point lies in the building, not at its door
TYPED_POINT_UNCERTAINTY_M = 5.0
STREET_CUTOFF, PLACE_CUTOFF = 88.0, 88.0  # rapidfuzz ratio: one or two typos in a name

_PC_NUMBER = re.compile(
    r"^\s*(?P<pc>[1-9]\d{3})\s?(?P<letters>[a-zA-Z]{2})[\s,]*(?P<num>\d{1,5})\s*(?P<letter>[a-zA-Z])?"
    r"\s*(?:[-/ ]\s*(?P<add>[0-9a-zA-Z]{1,4}))?\s*(?:,?\s*(?P<rest>[^\d].*))?$"
)
_PC6 = re.compile(r"^\s*(?P<pc>[1-9]\d{3})\s?(?P<letters>[a-zA-Z]{2})\s*(?:,?\s*(?P<rest>[^\d].*))?$")
_PC4 = re.compile(r"^\s*(?P<pc>[1-9]\d{3})\s*(?:,?\s*(?P<rest>[^\d].*))?$")
_STREET_NUMBER = re.compile(
    r"^\s*(?P<street>.*?[^\d\s,][^,]*?)\s+(?P<num>\d{1,5})\s*(?P<letter>[a-zA-Z](?![a-zA-Z]))?"
    r"\s*(?:[-/]\s*(?P<add>[0-9a-zA-Z]{1,4}))?\s*(?:,\s*|\s+|$)(?P<rest>.*)$"
)


@dataclass(frozen=True)
class Resolution:
    """Where the call is, as far as the typed text (or a click) tells."""

    label: str
    lat: float | None
    lon: float | None
    precision: Precision
    uncertainty_m: float = 0.0
    alternatives: tuple[Resolution, ...] = ()
    note: str = ""  # a code (see NOTES), rendered in the user's language by the console
    params: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.label

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def approximate(self) -> bool:
        return self.precision in APPROXIMATE

    def to_json(self, with_alternatives: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "label": self.label,
            "lat": None if self.lat is None else round(self.lat, 6),
            "lon": None if self.lon is None else round(self.lon, 6),
            "precision": self.precision,
            "uncertainty_m": round(self.uncertainty_m),
        }
        if self.note:
            out["note"] = self.note
            out.update({f"note_{k}": v for k, v in self.params.items()})
        if with_alternatives:
            out["alternatives"] = [a.to_json(with_alternatives=False) for a in self.alternatives]
        return out


NOTES = {
    "not_found": "nothing matches this text",
    "house_number_not_found": "the street is known, this house number is not",
    "house_letter_needed": "this number has several addresses (letters or additions): choose one",
    "postcode_not_in_address_data": "no address data for this postcode: only its area is known",
    "no_address_data": "no address data is loaded for this place: only coarser places are known",
    "street_not_found": "the place is known, this street is not",
    "place_not_found": "the place is not known",
    "ambiguous": "several places match: choose one",
    "spelling_corrected": "matched despite a spelling difference",
    "motorway_point_unknown": "on a motorway; without hectometre data the exact point is unknown",
}
NONE = Resolution("", None, None, "none", note="not_found")


def _none(note: str, alternatives: list[Resolution] | tuple[Resolution, ...] = (), **params: str) -> Resolution:
    seen: set[tuple[str, str]] = set()
    alts = []
    for a in alternatives:
        if (a.label, a.precision) not in seen:
            seen.add((a.label, a.precision))
            alts.append(a)
    return Resolution("", None, None, "none", alternatives=tuple(alts[:8]), note=note, params=params)


def _address(p: AddressPoint, note: str = "") -> Resolution:
    return Resolution(p.label, p.lat, p.lon, "address", ADDRESS_UNCERTAINTY_M, note=note)


def _street_area(a: Area, note: str = "") -> Resolution:
    return Resolution(f"{a.name}, {a.place}", a.lat, a.lon, "street", a.radius_m, note=note)


def _place_area(a: Area, note: str = "") -> Resolution:
    label = a.place if a.place == a.municipality else f"{a.place} ({a.municipality})"
    return Resolution(label, a.lat, a.lon, "place", a.radius_m, note=note)


_GAZ_PRECISION: dict[str, Precision] = {
    "coordinates": "coordinates", "municipality": "place", "place": "place", "postcode": "postcode", "street": "street",
}


def _from_place(p: Place, note: str = "") -> Resolution:
    precision = _GAZ_PRECISION[p.kind]
    radius = p.radius_m or (TYPED_POINT_UNCERTAINTY_M if p.kind == "coordinates" else 1000.0)
    return Resolution(p.text, p.lat, p.lon, precision, radius, note=note)


class Resolver:
    """Resolves typed locations against the address book (if loaded) and the gazetteer."""

    def __init__(self, gazetteer: Gazetteer, book: AddressBook | None = None) -> None:
        self.gazetteer = gazetteer
        self.book = book if book is not None and len(book) else None
        self._gaz_places: dict[str, Place] | None = None
        self._gaz_postcodes: dict[str, Place] | None = None
        self._book_places: dict[str, str] | None = None

    # -- indexes -------------------------------------------------------------------------
    def _places(self) -> dict[str, Place]:
        if self._gaz_places is None:
            places: dict[str, Place] = {}
            postcodes: dict[str, Place] = {}
            for p in self.gazetteer.places():
                if p.kind in ("municipality", "place"):
                    places.setdefault(place_key(p.label), p)
                elif p.kind == "postcode":
                    postcodes[p.label] = p
            self._gaz_places, self._gaz_postcodes = places, postcodes
        return self._gaz_places

    def _postcodes(self) -> dict[str, Place]:
        self._places()
        assert self._gaz_postcodes is not None
        return self._gaz_postcodes

    def _book_place_keys(self) -> dict[str, str]:
        if self._book_places is None:
            self._book_places = self.book.place_keys() if self.book else {}
        return self._book_places

    def covers(self, place_k: str) -> bool:
        """Whether the address book has this place (so a miss there is a real miss)."""
        return place_k in self._book_place_keys()

    # -- entry points --------------------------------------------------------------------
    def resolve(self, text: str) -> Resolution:
        text = " ".join(text.replace("\u00a0", " ").split())
        if not text:
            return NONE
        point = parse_coordinates(text)
        if point is not None:
            return Resolution(f"{point.lat:.5f}, {point.lon:.5f}", point.lat, point.lon, "coordinates",
                              TYPED_POINT_UNCERTAINTY_M)
        road = find_road(text)
        if road is not None and road.is_motorway and road.strength is not Strength.NEARBY and (
            road.hectometre is not None or normalise(text) == normalise(road.text)
        ):
            # Without hectometre data there is no point; the exclusion applies anyway.
            return Resolution(road.text, None, None, "motorway", note="motorway_point_unknown",
                              params={"road": road.road})
        if m := _PC_NUMBER.match(text):
            return self._postcode_number(m["pc"] + m["letters"].upper(), int(m["num"]), m["letter"] or "",
                                         m["add"] or "", m["rest"] or "")
        if m := _PC6.match(text):
            return self._pc6(m["pc"] + m["letters"].upper(), m["rest"] or "")
        if m := _PC4.match(text):
            pc = self._postcodes().get(m["pc"])
            return _from_place(pc) if pc else _none("not_found")
        if (m := _STREET_NUMBER.match(text)) and not text.replace(" ", "").isdigit():
            return self._street_number(m["street"], int(m["num"]), m["letter"] or "", m["add"] or "", m["rest"] or "")
        return self._words(text)

    def at_point(self, lat: float, lon: float) -> Resolution:
        """A map click: the point is exact; the nearest address names it when there is one."""
        near = self.book.nearest(lat, lon) if self.book else None
        label = near.label if near else f"{lat:.5f}, {lon:.5f}"
        params = {"near": near.label} if near else {}
        return Resolution(label, lat, lon, "map", TYPED_POINT_UNCERTAINTY_M, params=params)

    # -- postcodes -----------------------------------------------------------------------
    def _postcode_number(self, pc: str, number: int, letter: str, addition: str, rest: str) -> Resolution:
        points = self.book.at_postcode(pc, number) if self.book else []
        if points:
            return self._pick_house(points, letter, addition)
        on_pc = self.book.at_postcode(pc) if self.book else []
        if on_pc:
            near = sorted((p for p in on_pc if not p.letter and not p.addition), key=lambda p: abs(p.number - number))
            street = self._pc6_area(on_pc, pc)
            return _none("house_number_not_found", [street, *(_address(p) for p in near[:4])], number=str(number))
        return self._pc4_fallback(pc)

    def _pc6(self, pc: str, rest: str) -> Resolution:
        points = self.book.at_postcode(pc) if self.book else []
        if points:
            return self._pc6_area(points, pc)
        return self._pc4_fallback(pc)

    def _pc6_area(self, points: list[AddressPoint], pc: str) -> Resolution:
        lat = sum(p.lat for p in points) / len(points)
        lon = sum(p.lon for p in points) / len(points)
        mid = min(points, key=lambda p: _m(lat, lon, p.lat, p.lon))
        radius = max(25.0, max(_m(mid.lat, mid.lon, p.lat, p.lon) for p in points))
        streets = sorted({p.street for p in points})
        label = f"{pc[:4]} {pc[4:]}, {' / '.join(streets[:2])}, {mid.place}"
        return Resolution(label, mid.lat, mid.lon, "street", radius)

    def _pc4_fallback(self, pc: str) -> Resolution:
        area = self._postcodes().get(pc[:4])
        if area is None:
            return _none("not_found")
        return _none("postcode_not_in_address_data", [_from_place(area)], postcode=pc)

    # -- streets -------------------------------------------------------------------------
    def _pick_house(self, points: list[AddressPoint], letter: str, addition: str, note: str = "") -> Resolution:
        letter, addition = letter.upper(), addition.upper()
        exact = [p for p in points if p.letter == letter and p.addition == addition]
        if exact:
            return _address(exact[0], note)
        # "7" where only "7-2" exists is a question, not an answer: flats share a number.
        return _none("house_letter_needed", [_address(p) for p in points], number=str(points[0].number))

    def _resolve_place(self, text: str) -> tuple[str | None, str]:
        """(place key in the address book or None, note) for a typed place name."""
        key = place_key(text)
        book = self._book_place_keys()
        if key in book:
            return key, ""
        if book and len(key) >= 4:
            best = process.extractOne(key, list(book), scorer=fuzz.ratio, score_cutoff=PLACE_CUTOFF)
            if best is not None:
                return str(best[0]), "spelling_corrected"
        return None, ""

    def _known_place(self, text: str) -> Resolution | None:
        """The place as a coarse answer (book or gazetteer), or None when unknown."""
        pk, note = self._resolve_place(text)
        if pk is not None and self.book is not None:
            area = self.book.place(pk)
            if area is not None:
                return _place_area(area, note)
        gp = self._places().get(place_key(text))
        return _from_place(gp) if gp else None

    def _street_number(self, street: str, number: int, letter: str, addition: str, rest: str) -> Resolution:
        place_text = rest.strip(" ,")
        if not place_text:
            return self._street_number_anywhere(street, number, letter, addition)
        pk, place_note = self._resolve_place(place_text)
        coarse = self._known_place(place_text)
        if pk is None or self.book is None:
            if coarse is None:
                return _none("place_not_found", place=place_text)
            alts = [a for a in (self._osm_street(street, place_text), coarse) if a is not None]
            return _none("no_address_data", alts, place=coarse.label)
        sk, street_note = self._match_street(pk, street)
        if sk is None:
            return _none("street_not_found", [coarse] if coarse else [], street=street)
        points = self.book.on_street(pk, sk, number)
        note = street_note or place_note
        if points:
            return self._pick_house(points, letter, addition, note)
        area = self.book.street(pk, sk)
        near = self.book.numbers_near(pk, sk, number)
        alts = [*([_street_area(area)] if area else []), *(_address(p) for p in near)]
        return _none("house_number_not_found", alts, number=str(number))

    def _street_number_anywhere(self, street: str, number: int, letter: str, addition: str) -> Resolution:
        if self.book is None:
            return _none("not_found")
        found = self.book.streets_named(street_key(street))
        hits = [(pk, area, self.book.on_street(pk, street_key(street), number)) for pk, area in found]
        with_number = [(pk, area, pts) for pk, area, pts in hits if pts]
        if len(with_number) == 1:
            return self._pick_house(with_number[0][2], letter, addition)
        if with_number:
            return _none("ambiguous", [_address(pts[0]) for _, _, pts in with_number])
        return _none("house_number_not_found" if hits else "not_found", [_street_area(a) for _, a, _ in hits])

    def _match_street(self, pk: str, street: str) -> tuple[str | None, str]:
        assert self.book is not None
        streets = self.book.streets_in(pk)
        sk = street_key(street)
        if sk in streets:
            return sk, ""
        ranked = process.extract(sk, list(streets), scorer=fuzz.ratio, limit=2, score_cutoff=STREET_CUTOFF)
        # Only a clear winner: two similar names ("Dorpsstraat" / "Dorpstraat") stay a question.
        if ranked and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 4):
            return str(ranked[0][0]), "spelling_corrected"
        return None, ""

    def _osm_street(self, street: str, place_text: str) -> Resolution | None:
        """A major road of the shipped OSM extract (Den Haag region) by name and town."""
        want_street, want_place = street_key(street), place_key(place_text)
        for p in self.gazetteer.search(f"{street} {place_text}", 20):
            if p.kind == "street" and street_key(p.label) == want_street and place_key(p.detail) == want_place:
                return _from_place(p)
        return None

    # -- words: "Grote Markt Den Haag", "Zoetermeer", "Oostweg" -------------------------
    def _words(self, text: str) -> Resolution:
        plain = text.replace(",", " ")
        tokens = plain.split()
        place = self._known_place(plain)
        if place is not None:
            return place
        # "street place": the longest known place at the end.
        for i in range(1, len(tokens)):
            street_text, place_text = " ".join(tokens[:i]), " ".join(tokens[i:])
            if place_key(place_text) not in self._places() and self._resolve_place(place_text)[0] is None:
                continue
            pk, note = self._resolve_place(place_text)
            coarse = self._known_place(place_text)
            if pk is not None and self.book is not None:
                sk, street_note = self._match_street(pk, street_text)
                area = self.book.street(pk, sk) if sk else None
                if area is not None:
                    return _street_area(area, street_note or note)
                return _none("street_not_found", [coarse] if coarse else [], street=street_text)
            osm = self._osm_street(street_text, place_text)
            if osm is not None:
                return osm
            return _none("no_address_data", [coarse] if coarse else [], place=coarse.label if coarse else place_text)
        if self.book is not None:
            found = self.book.streets_named(street_key(plain))
            if len(found) == 1:
                return _street_area(found[0][1])
            if found:
                return _none("ambiguous", [_street_area(a) for _, a in found])
        hits = self.gazetteer.search(text, 6)
        query = normalise(text)
        for p in hits:
            if normalise(p.label) == query or normalise(p.text) == query:
                return _from_place(p)
        return _none("not_found", [_from_place(p) for p in hits])


def _m(lat0: float, lon0: float, lat: float, lon: float) -> float:
    return math.hypot((lat - lat0) * 111_320.0, (lon - lon0) * 111_320.0 * math.cos(math.radians(lat0)))

