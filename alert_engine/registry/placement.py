"""Random points inside polygons, drawn in bulk (rejection sampling over all polygons at
once), and points a few kilometres from a given point that still fall on Dutch land."""

from __future__ import annotations

import numpy as np
import shapely

from ..geo import to_rd, to_wgs
from .postcodes import on_land

_MAX_ROUNDS = 40
# Coordinates are rounded (0.1 m) before they are tested, so the exported text is short and
# a rounded point is still inside its polygon.
DECIMALS = 6


def points_in_polygons(
    polygons: np.ndarray, counts: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`counts[i]` uniform points inside `polygons[i]` (WGS84): (polygon index, lat, lon),
    grouped by polygon index."""
    bounds = shapely.bounds(polygons)
    box_area = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    # Share of the bounding box the polygon fills: how many draws one hit costs.
    fill = np.clip(shapely.area(polygons) / np.where(box_area > 0, box_area, 1.0), 0.02, 1.0)
    need = np.asarray(counts, dtype=np.int64).copy()
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for _ in range(_MAX_ROUNDS):
        todo = np.flatnonzero(need > 0)
        if not len(todo):
            break
        draws = np.ceil(need[todo] / fill[todo] * 1.25).astype(np.int64) + 4
        idx = np.repeat(todo, draws)
        lon = np.round(rng.uniform(bounds[idx, 0], bounds[idx, 2]), DECIMALS)
        lat = np.round(rng.uniform(bounds[idx, 1], bounds[idx, 3]), DECIMALS)
        hit = shapely.contains_xy(polygons[idx], lon, lat)
        idx, lat, lon = idx[hit], lat[hit], lon[hit]
        # idx is sorted, so a point's rank within its polygon is its distance to the
        # polygon's first hit; keep only as many as that polygon still needs.
        rank = np.arange(len(idx)) - np.searchsorted(idx, idx)
        keep = rank < need[idx]
        found.append((idx[keep], lat[keep], lon[keep]))
        need -= np.bincount(idx[keep], minlength=len(need))
    if need.any():  # slivers that keep missing: fall back to a point known to be inside
        idx = np.repeat(np.arange(len(need)), need)
        inner = shapely.point_on_surface(polygons[idx])
        found.append((idx, shapely.get_y(inner), shapely.get_x(inner)))
    idx = np.concatenate([f[0] for f in found]) if found else np.zeros(0, np.int64)
    lat = np.concatenate([f[1] for f in found]) if found else np.zeros(0)
    lon = np.concatenate([f[2] for f in found]) if found else np.zeros(0)
    order = np.argsort(idx, kind="stable")
    return idx[order], lat[order], lon[order]


def points_nearby(
    lat: np.ndarray,
    lon: np.ndarray,
    rng: np.random.Generator,
    median_m: float = 3000.0,
    max_m: float = 15000.0,
) -> tuple[np.ndarray, np.ndarray]:
    """A point on land a few km from each given point (log-normal distance); where no such
    point turns up after a few tries, the given point itself."""
    out_lat, out_lon = np.asarray(lat, float).copy(), np.asarray(lon, float).copy()
    x, y = to_rd(lat, lon)
    todo = np.arange(len(out_lat))
    for _ in range(8):
        if not len(todo):
            break
        dist = np.minimum(rng.lognormal(np.log(median_m), 0.6, len(todo)), max_m)
        angle = rng.uniform(0.0, 2 * np.pi, len(todo))
        cand_lat, cand_lon = to_wgs(x[todo] + dist * np.cos(angle), y[todo] + dist * np.sin(angle))
        cand_lat, cand_lon = np.round(cand_lat, DECIMALS), np.round(cand_lon, DECIMALS)
        ok = on_land(cand_lat, cand_lon)
        out_lat[todo[ok]], out_lon[todo[ok]] = cand_lat[ok], cand_lon[ok]
        todo = todo[~ok]
    return out_lat, out_lon
