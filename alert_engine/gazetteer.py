"""Offline address search: PC4 postcodes, places, municipalities, street names, coordinates.

Everything comes from the shipped data (CBS postcodes and municipalities, the OSM road
extract of the The Hague region), so the intake works without a network. The index is
built on the first search (~0.2 s) and then answers a query in about a millisecond.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .geo import in_netherlands, to_wgs

Kind = Literal["coordinates", "municipality", "place", "postcode", "street"]
# Among equally good matches: a town before one of its postcodes before a street.
_KIND_ORDER: dict[str, int] = {"coordinates": 0, "municipality": 1, "place": 2, "postcode": 3, "street": 4}


@dataclass(frozen=True, slots=True)
class Place:
    """A search hit: what to show, what kind of place it is, and a point to put the call at."""

    label: str  # "2712", "Zoetermeer", "Vliettunnel"
    kind: Kind
    lat: float
    lon: float
    detail: str = ""  # where it is: "Zoetermeer", "Nootdorp (Pijnacker-Nootdorp)"
    radius_m: float = 0.0  # how far the place reaches from its point: the answer's uncertainty

    @property
    def text(self) -> str:
        """One line for a list or an address: "2712 Zoetermeer", "Oostweg, Zoetermeer"."""
        if not self.detail:
            return self.label
        return f"{self.label} {self.detail}" if self.kind == "postcode" else f"{self.label}, {self.detail}"


@dataclass(slots=True)
class _Entry:
    place: Place
    name: str  # normalised label
    weight: float  # population or road length: the tie-breaker, larger first
    far: int = 0  # 1 when outside the focus region


def normalise(text: str) -> str:
    """Case- and accent-free, punctuation as spaces: "'s-Gravenhage" -> "s gravenhage"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


# Two numbers with "." or "," as decimal mark, separated by a comma, semicolon or spaces.
_NUMBER = r"(-?\d+(?:[.,]\d+)?)"
_PAIR = re.compile(rf"^\s*{_NUMBER}\s*(?:[;,]\s*|\s+){_NUMBER}\s*$")
_PAIR_DOT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")
_RD_X = (0.0, 300_000.0)
_RD_Y = (289_000.0, 629_000.0)


def parse_coordinates(text: str) -> Place | None:
    """"52.0601, 4.4932", "52,0601 4,4932" or RD New "93500 447000" as a place, else None.

    A pair in Dutch lon/lat order (4.49, 52.06) is turned round, since it cannot be a
    Dutch lat/lon pair and mixing the two up is a common slip.
    """
    match = _PAIR_DOT.match(text) or _PAIR.match(text)
    if match is None:
        return None
    a, b = (float(g.replace(",", ".")) for g in match.groups())
    if _RD_X[0] <= a <= _RD_X[1] and _RD_Y[0] <= b <= _RD_Y[1] and abs(a) > 180:
        lat_arr, lon_arr = to_wgs(a, b)
        lat, lon = float(lat_arr), float(lon_arr)
        return Place(f"RD {a:.0f} {b:.0f}", "coordinates", round(lat, 6), round(lon, 6), f"{lat:.5f}, {lon:.5f}")
    if not in_netherlands(a, b) and in_netherlands(b, a):
        a, b = b, a
    whole = not any(mark in g for g in match.groups() for mark in ".,")
    if not (-90 <= a <= 90 and -180 <= b <= 180) or (whole and not in_netherlands(a, b)):
        return None  # "12 4" is more likely a typo than a point in the sea
    return Place(f"{a:.5f}, {b:.5f}", "coordinates", a, b)


class Gazetteer:
    """Prefix and token search over the shipped places; build once, query often."""

    def __init__(
        self,
        places: Iterable[Place | tuple[Place, float]] | None = None,
        focus: tuple[float, float] | None = None,
        focus_radius_km: float = 40.0,
    ) -> None:
        """`places` (optionally weighted) replaces the shipped data, for tests; among equal
        matches, places within `focus_radius_km` of `focus` (the MKA's region) come first."""
        self._given = list(places) if places is not None else None
        self._focus = focus
        self._focus_radius_km = focus_radius_km
        self._entries: list[_Entry] = []
        self._tokens: list[str] = []  # sorted, unique: bisect finds a prefix range
        self._label_index: dict[str, set[int]] = defaultdict(set)
        self._detail_index: dict[str, set[int]] = defaultdict(set)
        self._loaded = False

    def __len__(self) -> int:
        self.load()
        return len(self._entries)

    def load(self) -> None:
        """Build the index now (a console does it at start-up, not on the first keystroke)."""
        self._load()

    def places(self) -> list[Place]:
        """Every place in the index (the resolver reads town and postcode names from it)."""
        self._load()
        return [e.place for e in self._entries]

    def search(self, text: str, limit: int = 10) -> list[Place]:
        """Best matches first; coordinates typed as such come back as one place."""
        coordinates = parse_coordinates(text)
        if coordinates is not None:
            return [coordinates]
        query = normalise(text)
        words = _query_words(query)
        if not words or limit <= 0:
            return []
        self._load()
        label_sets, candidates = [], None
        for word in words:
            in_label, in_detail, inside = self._hits(word)
            label_sets.append(in_label)
            found = in_label | in_detail | inside
            candidates = found if candidates is None else candidates & found
            if not candidates:
                return []
        assert candidates is not None
        all_in_label = set.intersection(*label_sets)
        prefixed = self._prefix_only(words)
        joined = " ".join(words)

        def rank(i: int) -> tuple[int, int, int, float, str]:
            e = self._entries[i]
            if e.name == joined:
                quality = 0
            elif e.name.startswith(joined):
                quality = 1
            elif i in all_in_label:
                quality = 2
            elif i in prefixed:
                quality = 3
            else:
                quality = 4  # a word found inside another word ("vliet" in "Westvlietweg")
            return (quality, e.far, _KIND_ORDER[e.place.kind], -e.weight, e.name)

        return [self._entries[i].place for i in heapq.nsmallest(limit, candidates, key=rank)]

    # -- matching ------------------------------------------------------------------------
    def _prefixed(self, word: str) -> list[str]:
        lo = bisect.bisect_left(self._tokens, word)
        hi = bisect.bisect_left(self._tokens, word + "\uffff")
        return self._tokens[lo:hi]

    def _hits(self, word: str) -> tuple[set[int], set[int], set[int]]:
        in_label: set[int] = set()
        in_detail: set[int] = set()
        for token in self._prefixed(word):
            in_label |= self._label_index.get(token, set())
            in_detail |= self._detail_index.get(token, set())
        inside: set[int] = set()
        if len(word) >= 4 and not word.isdigit():
            for token in self._tokens:
                if word in token and not token.startswith(word):
                    inside |= self._label_index.get(token, set())
        return in_label, in_detail, inside

    def _prefix_only(self, words: list[str]) -> set[int]:
        sets = []
        for word in words:
            hit: set[int] = set()
            for token in self._prefixed(word):
                hit |= self._label_index.get(token, set()) | self._detail_index.get(token, set())
            sets.append(hit)
        return set.intersection(*sets)

    # -- building ------------------------------------------------------------------------
    def _load(self) -> None:
        if self._loaded:
            return
        from .gazetteer_data import shipped_places  # shapely and the files only when needed

        given = self._given if self._given is not None else list(shipped_places())
        for item in given:
            place, weight = (item, 0.0) if isinstance(item, Place) else item
            i = len(self._entries)
            tokens = tuple(normalise(place.label).split())
            self._entries.append(_Entry(place, " ".join(tokens), weight, self._far(place)))
            for t in tokens:
                self._label_index[t].add(i)
            for t in normalise(place.detail).split():
                self._detail_index[t].add(i)
        self._tokens = sorted(set(self._label_index) | set(self._detail_index))
        self._loaded = True


    def _far(self, place: Place) -> int:
        if self._focus is None:
            return 0
        lat0, lon0 = self._focus
        dy = (place.lat - lat0) * 111.32
        dx = (place.lon - lon0) * 111.32 * math.cos(math.radians(lat0))
        return int(math.hypot(dx, dy) > self._focus_radius_km)


def _query_words(query: str) -> list[str]:
    # A full postcode ("2711 AB", "2711AB") searches its PC4: the letters are not in the data.
    query = re.sub(r"\b(\d{4}) ?[a-z]{2}\b", r"\1", query)
    words = query.split()
    # Next to a name, "12" or "12a" is a house number, which the data does not hold.
    if any(not w.isdigit() for w in words):
        words = [w for w in words if not _HOUSE_NUMBER.match(w)] or words
    return words


_HOUSE_NUMBER = re.compile(r"^\d{1,3}[a-z]?$")
