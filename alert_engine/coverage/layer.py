"""The white spots around a point, as GeoJSON for the console's map layer (toggle)."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import shapely

from ..geo import point_rd, to_rd
from ..registry.postcodes import postcode_areas
from ..registry.table import Registry
from .area import Coverage, demand_points
from .geojson import white_spot_features
from .model import white_spots
from .week import availability


def white_spot_layer(
    registry: Registry, day: date, lat: float, lon: float, radius_m: float = 8000.0
) -> dict[str, Any]:
    """White-spot cells (no 24/7 AED within 500 m of an inhabited 1 km zone) of the
    postcode areas whose centre lies within `radius_m` of (lat, lon) and within 2 km of
    one of the registry's AEDs."""
    areas = postcode_areas()
    centre = shapely.centroid(areas.geometry)
    cx, cy = to_rd(shapely.get_y(centre), shapely.get_x(centre))
    x, y = point_rd(lat, lon)
    near = np.hypot(cx - x, cy - y) <= radius_m
    if registry.a_tree is not None and near.any():
        # Only where the registry holds AEDs at all: outside its region it knows nothing.
        d, _ = registry.a_tree.query(
            np.column_stack([cx[near], cy[near]]), distance_upper_bound=2000.0
        )
        near[np.flatnonzero(near)[~np.isfinite(d)]] = False
    if not near.any():
        return white_spot_features(_empty())
    people = demand_points(areas.subset(near))
    reach_m = radius_m + 3000.0  # AEDs just outside the circle still cover its edge
    idx = np.flatnonzero(np.hypot(registry.a_x - x, registry.a_y - y) <= reach_m)
    always = availability(registry, day)[idx].all(axis=1)
    spots = white_spots(people, registry.a_x[idx][always], registry.a_y[idx][always])
    cov = _empty()
    cov.white_spots = spots
    return white_spot_features(cov)


def _empty() -> Coverage:
    return Coverage("", 0, np.zeros(168), float("nan"), [], [], [], [], 0, 0)
