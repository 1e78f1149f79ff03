"""Registry GeoJSON files: a FeatureCollection of Points ([lon, lat], WGS84) whose
properties are the exchange columns other than lat/lon."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..safe_input import JsonProblem, loads, read_text
from .problems import Problems

Feature = tuple[str, dict[str, Any]]


def read_geojson(path: Path, problems: Problems) -> tuple[set[str], list[Feature]]:
    """Property names seen and (where, values) per feature; where = "feature N" (from 1)."""
    try:
        # The same bounded reader as scenarios: no RecursionError on deep nesting, no
        # ValueError on a 5,000-digit number, no NaN slipping in as an id or coordinate.
        data = loads(read_text(path, encoding="utf-8-sig"))
    except InvalidInput as e:
        problems.file(str(e).removeprefix(f"{path}: "))
        return set(), []
    except JsonProblem as e:
        problems.file(f"not valid JSON ({e})")
        return set(), []
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        problems.file("expected a GeoJSON FeatureCollection with a 'features' list")
        return set(), []
    names: set[str] = set()
    rows: list[Feature] = []
    for number, feature in enumerate(features, start=1):
        where = f"feature {number}"
        if not isinstance(feature, dict):
            problems.add(where, "(feature)", "not a JSON object")
            continue
        props = feature.get("properties") or {}
        if not isinstance(props, dict):
            problems.add(where, "properties", "not a JSON object")
            continue
        values = {str(k).strip().lower(): v for k, v in props.items()}
        names |= set(values)
        if "id" not in values and feature.get("id") is not None:
            values["id"] = feature["id"]
        lon_lat = _point(feature.get("geometry"))
        if lon_lat is None:
            problems.add(where, "geometry", "expected a Point with [lon, lat]")
            continue
        values["lon"], values["lat"] = lon_lat
        rows.append((where, values))
    return names, rows


def _point(geometry: object) -> tuple[object, object] | None:
    if not isinstance(geometry, dict) or geometry.get("type") != "Point":
        return None
    coords = geometry.get("coordinates")
    if not isinstance(coords, list) or len(coords) < 2:
        return None
    return coords[0], coords[1]


def write_geojson(path: Path, records: Iterable[Mapping[str, Any]]) -> int:
    features = []
    for values in records:
        props = {k: v for k, v in values.items() if k not in ("lat", "lon")}
        features.append(
            {
                "type": "Feature",
                "id": values["id"],
                "geometry": {"type": "Point", "coordinates": [values["lon"], values["lat"]]},
                "properties": props,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    with path.open("w", encoding="utf-8") as out:
        json.dump(collection, out, ensure_ascii=False, separators=(",", ":"))
        out.write("\n")
    return len(features)
