"""CBS 4-digit postcode (PC4) areas with population, and picking a region from them.

Municipality names are the 2022 division (as in gemeenten_2022_cbs.geojson), taken from
the PC4 table's `gemeente_2022`; where that is empty, the PC4 file's own (older) name.
"""

from __future__ import annotations

import csv
import difflib
import json
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from shapely.geometry import shape

from ..assets import resource_path
from ..errors import InvalidInput

# NUTS-3 NL332 "Agglomeratie 's-Gravenhage": the region of the bundled OSM road data.
DENHAAG = (
    "'s-Gravenhage",
    "Leidschendam-Voorburg",
    "Pijnacker-Nootdorp",
    "Rijswijk",
    "Wassenaar",
    "Zoetermeer",
)
_ALIASES = {"den haag": "'s-gravenhage", "the hague": "'s-gravenhage"}


@dataclass(frozen=True)
class PostcodeAreas:
    postcode: np.ndarray  # str objects
    place: np.ndarray  # plaats, or the municipality where CBS gives none
    municipality: np.ndarray  # 2022 name
    old_municipality: np.ndarray  # name before the 2022 mergers
    province: np.ndarray
    population: np.ndarray  # int64, 0 where CBS gives none
    geometry: np.ndarray  # prepared shapely polygons, WGS84 lon/lat

    def __len__(self) -> int:
        return len(self.postcode)

    def subset(self, mask: np.ndarray) -> PostcodeAreas:
        return PostcodeAreas(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))


@cache
def postcode_areas() -> PostcodeAreas:
    """All PC4 areas with a geometry, loaded once per process."""
    with resource_path("data/postcode4_population_2021_cbs.csv").open(encoding="utf-8") as fh:
        muni_2022 = {row["postcode"]: row["gemeente_2022"] for row in csv.DictReader(fh)}
    data = json.loads(resource_path("data/postcode4_2020_cbs.geojson").read_text("utf-8"))
    rows = []
    for feature in data["features"]:
        p = feature["properties"]
        geom = shape(feature["geometry"])
        if geom.is_empty:
            continue
        old = p["gemeente"] or ""
        muni = muni_2022.get(p["postcode"]) or old
        place = p["plaats"] or muni
        rows.append(
            (p["postcode"], place, muni, old, p["provincie"] or "", p["inwoners"] or 0, geom)
        )
    cols = list(zip(*rows, strict=True))
    geometry = np.asarray(cols[6], dtype=object)
    shapely.prepare(geometry)
    return PostcodeAreas(
        postcode=np.asarray(cols[0], dtype=object),
        place=np.asarray(cols[1], dtype=object),
        municipality=np.asarray(cols[2], dtype=object),
        old_municipality=np.asarray(cols[3], dtype=object),
        province=np.asarray(cols[4], dtype=object),
        population=np.asarray(cols[5], dtype=np.int64),
        geometry=geometry,
    )


@cache
def national_tree() -> shapely.STRtree:
    """Spatial index over every PC4 area: is a point on Dutch land?"""
    return shapely.STRtree(postcode_areas().geometry)


def on_land(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Boolean per point: inside some PC4 area (so inside the Netherlands, not at sea)."""
    inside = np.zeros(len(lat), dtype=bool)
    if len(lat):
        hits = national_tree().query(shapely.points(lon, lat), predicate="intersects")
        inside[hits[0]] = True
    return inside


def region_areas(region: str) -> PostcodeAreas:
    """PC4 areas of "nl", "denhaag", a province, or municipalities separated by commas."""
    areas = postcode_areas()
    key = region.strip().lower()
    if key == "nl":
        return areas
    names = [n.lower() for n in DENHAAG] if key == "denhaag" else _split(key)
    province = _lower(areas.province)
    if len(names) == 1 and names[0] in set(province):
        return areas.subset(province == names[0])
    muni, old = _lower(areas.municipality), _lower(areas.old_municipality)
    unknown = [n for n in names if n not in set(muni) | set(old)]
    if unknown:
        every = np.concatenate([areas.municipality, areas.old_municipality, areas.province])
        raise InvalidInput(_unknown_region(unknown[0], {n.lower(): n for n in every if n}))
    wanted = np.asarray(names, dtype=object)
    return areas.subset(np.isin(muni, wanted) | np.isin(old, wanted))


def _split(key: str) -> list[str]:
    return [_ALIASES.get(n.strip(), n.strip()) for n in key.split(",") if n.strip()]


def _lower(values: np.ndarray) -> np.ndarray:
    return np.asarray([v.lower() for v in values], dtype=object)


def _unknown_region(name: str, known: dict[str, str]) -> str:
    """`known` maps lower-case names to their spelling."""
    close = difflib.get_close_matches(name, sorted(known), n=3)
    hint = f"; did you mean {', '.join(known[c] for c in close)}?" if close else ""
    return (
        f"unknown region {name!r}: use nl, denhaag, a province or municipality names "
        f"separated by commas{hint}"
    )
