"""White spots and proposed AEDs as GeoJSON (WGS84), for the console's map layer."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..geo import to_wgs
from .area import Coverage


def white_spot_features(cov: Coverage, cell_m: float = 500.0) -> dict[str, Any]:
    """A FeatureCollection: one polygon per white-spot cell, one point per proposed AED."""
    features: list[dict[str, Any]] = []
    for c in cov.white_spots:
        xs = np.array([c.x0, c.x0 + cell_m, c.x0 + cell_m, c.x0, c.x0])
        ys = np.array([c.y0, c.y0, c.y0 + cell_m, c.y0 + cell_m, c.y0])
        lat, lon = to_wgs(xs, ys)
        ring = [[round(float(a), 6), round(float(b), 6)] for a, b in zip(lon, lat, strict=True)]
        features.append({
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {"kind": "white_spot", "inhabitants": round(c.inhabitants)},
        })  # fmt: skip
    for n, p in enumerate(cov.placements, 1):
        lat, lon = to_wgs(p.x, p.y)
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]},
            "properties": {"kind": "proposed_aed", "rank": n, "newly_covered": round(p.gain)},
        })  # fmt: skip
    return {"type": "FeatureCollection", "name": f"witte vlekken {cov.name}", "features": features}
