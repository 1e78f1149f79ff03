"""The places the gazetteer searches, read from the shipped CBS and OSM files.

Postcodes (PC4) carry their town and municipality; towns that are not a municipality of
their own get the population-weighted middle of their postcodes; municipalities a point
inside their polygon; roads one entry per name and municipality, at the point of the road
nearest its middle.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.ops import nearest_points

from .assets import resource_path
from .gazetteer import Place

POSTCODES = "data/postcode4_population_2021_cbs.csv"
MUNICIPALITIES = "data/gemeenten_2022_cbs.geojson"
ROADS = "data/major_roads_denhaag_region_osm2019.geojson"


def shipped_places() -> Iterable[tuple[Place, float]]:
    municipalities = _read_municipalities(resource_path(MUNICIPALITIES))
    yield from ((p, w) for p, w, _ in municipalities)
    yield from _read_postcodes(resource_path(POSTCODES), {p.label for p, _, _ in municipalities})
    yield from _read_streets(resource_path(ROADS), municipalities)


def _read_municipalities(path: Path) -> list[tuple[Place, float, Any]]:
    out = []
    for f in json.loads(path.read_text(encoding="utf-8"))["features"]:
        props, geom = f["properties"], shape(f["geometry"])
        point = geom.representative_point()  # inside the polygon, unlike a centroid
        place = Place(str(props["gemeente"]), "municipality", round(point.y, 6), round(point.x, 6),
                      radius_m=_radius(props.get("oppervlakte_km2")))
        out.append((place, float(props.get("inwoners") or 0), geom))
    return out


def _read_postcodes(path: Path, municipality_names: set[str]) -> Iterable[tuple[Place, float]]:
    towns: dict[tuple[str, str], list[float]] = {}  # (plaats, gemeente) -> [pop, Σlat·pop, Σlon·pop]
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if not row["lat"] or not row["plaats"]:
                continue
            lat, lon, pop = float(row["lat"]), float(row["lon"]), float(row["inwoners"] or 0)
            town, municipality = row["plaats"], row["gemeente_2022"] or row["gemeente"]
            detail = town if town == municipality else f"{town} ({municipality})"
            area = float(row["oppervlakte_km2"] or 0)
            yield Place(row["postcode"], "postcode", lat, lon, detail, radius_m=_radius(area)), pop
            acc = towns.setdefault((town, municipality), [0.0, 0.0, 0.0, 0.0])
            weight = max(pop, 1.0)  # an empty postcode area still places its town
            acc[0] += weight
            acc[1] += lat * weight
            acc[2] += lon * weight
            acc[3] += area
    for (town, municipality), (pop, slat, slon, area) in towns.items():
        if town == municipality and town in municipality_names:
            continue  # "Zoetermeer" the municipality already covers Zoetermeer the town
        yield Place(town, "place", round(slat / pop, 6), round(slon / pop, 6), municipality,
                    radius_m=_radius(area)), pop


def _read_streets(path: Path, municipalities: list[tuple[Place, float, Any]]) -> Iterable[tuple[Place, float]]:
    features = [
        f for f in json.loads(path.read_text(encoding="utf-8"))["features"] if f["properties"].get("name")
    ]
    lines = [shape(f["geometry"]) for f in features]
    middles = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    polygons = [geom for _, _, geom in municipalities]
    tree = shapely.STRtree(polygons)
    where = dict(zip(*tree.query(middles, predicate="within"), strict=False))
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for i, (f, line) in enumerate(zip(features, lines, strict=True)):
        j = where.get(i)
        town = municipalities[j][0].label if j is not None else ""
        groups[(str(f["properties"]["name"]), town)].append(line)
    for (name, town), parts in groups.items():
        way = shapely.MultiLineString(parts) if len(parts) > 1 else parts[0]
        # The point of the road nearest its centre: on the road, even for a curved one.
        point = nearest_points(way, way.centroid)[0]
        # How far the road reaches from that point (degrees to metres at Dutch latitudes).
        lon0, lat0, lon1, lat1 = way.bounds
        reach = 0.5 * math.hypot((lat1 - lat0) * 111_320, (lon1 - lon0) * 68_500)
        yield Place(name, "street", round(point.y, 6), round(point.x, 6), town,
                    radius_m=round(max(reach, 50.0))), float(way.length)


def _radius(area_km2: object) -> float:
    """The radius of a circle of the area's size: how far a point of it can be from its middle."""
    try:
        area = float(area_km2)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return round(math.sqrt(max(area, 0.0) * 1e6 / math.pi))
