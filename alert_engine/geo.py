"""Projection to RD New (EPSG:28992) so every distance in the engine is in metres."""

from __future__ import annotations

from functools import cache

import numpy as np
from pyproj import Transformer

# Bounding box of the Netherlands incl. the Wadden islands, in WGS84 (generous by ~5 km).
NL_LAT = (50.70, 53.60)
NL_LON = (3.30, 7.30)


@cache
def _to_rd() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@cache
def _to_wgs() -> Transformer:
    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


def to_rd(lat: np.ndarray | float, lon: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lat/lon -> RD New x/y in metres (vectorised)."""
    x, y = _to_rd().transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


def point_rd(lat: float, lon: float) -> tuple[float, float]:
    x, y = _to_rd().transform(lon, lat)
    return float(x), float(y)


def to_wgs(x: np.ndarray | float, y: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
    """RD New x/y -> WGS84 lat/lon (vectorised)."""
    lon, lat = _to_wgs().transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def in_netherlands(lat: float, lon: float) -> bool:
    return NL_LAT[0] <= lat <= NL_LAT[1] and NL_LON[0] <= lon <= NL_LON[1]
