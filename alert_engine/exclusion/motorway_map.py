"""Reads the shipped OSM road extract into RD New line geometry for the motorway index.

Which ways count as "motorway" for Kwaliteitskader §5.1 is decided here:
`highway=motorway` and `motorway_link`, plus `trunk`/`trunk_link` tagged `motorroad=yes`.
Autowegen (road sign G3) forbid pedestrians and cyclists exactly like motorways, have no
footway and carry 70–100 km/h traffic, so a citizen responder arriving on foot or by bike
is in the same danger; §5.1 says "a risky location *such as* a motorway". In this
extract every trunk way is an autoweg (A12 Utrechtsebaan, Laan van Delfvliet, Boslaan).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely

from ..geo import to_rd

LINK = frozenset({"motorway_link", "trunk_link"})
# Roads a person may walk or cycle along: a crossing or joining one of these makes a
# point near a motorway ambiguous (viaduct, underpass, end of a slip road).
LOCAL = frozenset({"primary", "primary_link", "secondary", "secondary_link"})
# The six municipalities of NUTS-3 NL332, the area the OSM extract was cut to.
REGION_MUNICIPALITIES = frozenset(
    {
        "'s-Gravenhage",
        "Leidschendam-Voorburg",
        "Pijnacker-Nootdorp",
        "Rijswijk",
        "Wassenaar",
        "Zoetermeer",
    }
)


@dataclass(frozen=True)
class RoadWay:
    """One OSM way in RD New metres with the tags the exclusion reasons need."""

    line: shapely.LineString
    highway: str
    ref: str | None
    name: str | None
    lanes: int | None
    bridge: bool
    tunnel: bool
    layer: int
    motorroad: bool
    osm_id: int | None

    @property
    def counts_as_motorway(self) -> bool:
        return self.highway in ("motorway", "motorway_link") or (self.is_trunk and self.motorroad)

    @property
    def is_local(self) -> bool:
        return self.highway in LOCAL or (self.is_trunk and not self.motorroad)

    @property
    def is_trunk(self) -> bool:
        return self.highway in ("trunk", "trunk_link")

    @property
    def is_link(self) -> bool:
        return self.highway in LINK


def read_features(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        features: list[dict[str, Any]] = json.load(fh)["features"]
    return features


def read_ways(path: Path) -> list[RoadWay]:
    """All LineString ways of a GeoJSON file, projected to RD New."""
    ways = []
    for feature in read_features(path):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "LineString":
            continue
        ways.append(_way(np.asarray(geometry["coordinates"], dtype=float), feature["properties"]))
    return ways


def read_region(path: Path) -> shapely.Polygon | shapely.MultiPolygon:
    """The union of the NL332 municipalities: where the extract has every motorway."""
    parts = []
    for feature in read_features(path):
        if feature["properties"].get("gemeente") in REGION_MUNICIPALITIES:
            geometry = shapely.geometry.shape(feature["geometry"])
            parts.append(shapely.transform(geometry, _lonlat_to_rd))
    # The simplified municipal polygons leave thin slivers between neighbours; closing
    # them keeps an inner boundary from looking like the edge of the data.
    union = shapely.union_all(parts).buffer(50).buffer(-50)
    shells = [shapely.Polygon(p.exterior) for p in getattr(union, "geoms", [union])]
    region = shapely.union_all(shells)
    shapely.prepare(region)
    return region


def read_junctions(path: Path) -> list[tuple[str, float, float]]:
    """Named motorway exits and interchanges as (name, x, y) in RD New."""
    out = []
    for feature in read_features(path):
        name = feature["properties"].get("name")
        if name and feature["geometry"]["type"] == "Point":
            lon, lat = feature["geometry"]["coordinates"][:2]
            x, y = to_rd(lat, lon)
            out.append((str(name), float(x), float(y)))
    return out


def _lonlat_to_rd(coords: np.ndarray) -> np.ndarray:
    x, y = to_rd(coords[:, 1], coords[:, 0])
    return np.column_stack([x, y])


def _way(lonlat: np.ndarray, props: dict[str, Any]) -> RoadWay:
    return RoadWay(
        line=shapely.LineString(_lonlat_to_rd(lonlat)),
        highway=str(props.get("highway", "")),
        ref=_text(props.get("ref")),
        name=_text(props.get("name")),
        lanes=_first_int(props.get("lanes")),
        bridge=props.get("bridge") not in (None, "no"),
        tunnel=props.get("tunnel") not in (None, "no"),
        layer=_first_int(props.get("layer")) or 0,
        motorroad=props.get("motorroad") == "yes",
        osm_id=_first_int(props.get("osm_id")),
    )


def _text(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _first_int(value: object) -> int | None:
    # OSM allows "3;2" and "-1"; the first number is what the way mostly has.
    found = re.search(r"-?\d+", str(value)) if value is not None else None
    return int(found.group()) if found else None
