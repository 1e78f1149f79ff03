"""Is an incident point on a motorway? The geometric half of Kwaliteitskader §5.1.

Lines are projected to RD New once and searched with a shapely STRtree, so a query is a
few tens of microseconds. Why the buffer is 25 m (wider for 5+ lanes), why autowegen
count and how service areas, viaducts and tunnels are treated: docs/rules.md,
"Exclusion criteria".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import shapely

from ..assets import resource_path
from ..errors import InvalidInput
from ..geo import point_rd, to_wgs
from .motorway_map import RoadWay, read_junctions, read_region, read_ways

# A Dutch motorway lane is 3.5 m wide; the base buffer covers a carriageway of up to four
# lanes, and each lane beyond that moves the outer edge half a lane further from the
# centre line that OSM draws.
LANE_WIDTH_M = 3.5
LANES_IN_BASE_BUFFER = 4
# How far to look for a motorway worth naming in a "not on a motorway" reason.
CONTEXT_RADIUS_M = 500.0
# A slip road that ends in nothing (no other mapped road) leads onto a service road: a
# service area. 200 m reaches the middle of the A12 one, whose ramps end 350 m apart.
SERVICE_RADIUS_M = 200.0
# Slip roads cut off at the edge of the extract also end in nothing; ignore those.
REGION_EDGE_MARGIN_M = 300.0
JUNCTION_RADIUS_M = 1000.0

Detection = Literal["geometry", "description"]


@dataclass(frozen=True)
class MotorwayHit:
    """The motorway an incident is on or next to, with what a map and a dispatcher need."""

    road: str | None  # "A12"; None when neither the way nor its neighbours carry a ref
    detected_by: Detection
    distance_m: float | None = None  # from the incident to the centre line
    name: str | None = None  # the OSM way's name, e.g. "Utrechtsebaan"
    is_link: bool = False  # slip road / connector (motorway_link, trunk_link)
    highway: str | None = None
    osm_id: int | None = None
    buffer_m: float | None = None  # the buffer this way was tested against
    road_lat: float | None = None  # nearest point on the centre line, to draw
    road_lon: float | None = None
    bridge: bool = False  # the motorway itself is on a bridge/viaduct here
    tunnel: bool = False
    crossing_road: str | None = None  # nearest walkable road within the buffer, by name
    crossing_distance_m: float | None = None
    grade_separated: bool = False  # viaduct or tunnel involved: the levels differ
    service_area: bool = False  # inside the catchment of a service area's slip roads
    junction: str | None = None  # nearest named exit or interchange within 1 km
    hectometre: float | None = None  # from the description
    side: str | None = None  # "Li"/"Re", from the description
    autoweg: bool = False  # a trunk road with motorroad=yes rather than a motorway

    @property
    def crossing_nearer(self) -> bool:
        """The walkable road is closer than the motorway: the point may well be on it."""
        if self.crossing_distance_m is None or self.distance_m is None:
            return False
        return self.crossing_distance_m < self.distance_m


class MotorwayIndex:
    """Motorway and autoweg centre lines in RD New, searchable around an incident point."""

    def __init__(
        self,
        motorways: Sequence[RoadWay],
        local_roads: Sequence[RoadWay] = (),
        junctions: Sequence[tuple[str, float, float]] = (),
        region: shapely.Geometry | None = None,
    ) -> None:
        self._ways = [w for w in motorways if w.counts_as_motorway]
        if not self._ways:
            raise InvalidInput("motorway data: no motorway, motorway_link or autoweg ways found")
        self._lines = np.array([w.line for w in self._ways], dtype=object)
        self._tree = shapely.STRtree(self._lines)
        self._is_link = np.array([w.is_link for w in self._ways])
        extra_lanes = np.array([max(0, (w.lanes or 0) - LANES_IN_BASE_BUFFER) for w in self._ways])
        self._widen = extra_lanes * LANE_WIDTH_M / 2
        self._refs = _refs(self._ways)
        self._local = [w for w in local_roads if w.is_local]
        self._local_tree = shapely.STRtree([w.line for w in self._local])
        self._junction_names = [name for name, _, _ in junctions]
        self._junction_xy = np.array([(x, y) for _, x, y in junctions], dtype=float).reshape(-1, 2)
        self._region = region if region is not None else _bbox(self._lines)
        shapely.prepare(self._region)
        self._service = _service_zones(self._ways, self._local, region)

    @classmethod
    def from_files(
        cls,
        roads: Path,
        junctions: Path | None = None,
        municipalities: Path | None = None,
    ) -> MotorwayIndex:
        """Build from an OSM road GeoJSON holding the motorways and the roads crossing them.

        The shipped major-roads file repeats every way of the motorways file, so one read
        gives both with the same node coordinates (needed to find dead-end ramps).
        """
        ways = read_ways(roads)
        return cls(
            motorways=[w for w in ways if w.counts_as_motorway],
            local_roads=[w for w in ways if w.is_local],
            junctions=read_junctions(junctions) if junctions else (),
            region=read_region(municipalities) if municipalities else None,
        )

    def covers(self, lat: float, lon: float) -> bool:
        """Whether the data has every motorway here (else only the description can tell)."""
        return bool(shapely.contains_xy(self._region, *point_rd(lat, lon)))

    def in_service_area(self, lat: float, lon: float) -> bool:
        if self._service is None:
            return False
        return bool(shapely.contains_xy(self._service, *point_rd(lat, lon)))

    def closest(
        self,
        lat: float,
        lon: float,
        max_distance_m: float = CONTEXT_RADIUS_M,
        buffer_m: float = 25.0,
    ) -> MotorwayHit | None:
        """The closest motorway within `max_distance_m`, in its buffer or not (for reasons)."""
        point = shapely.Point(point_rd(lat, lon))
        found = self._tree.query(point, predicate="dwithin", distance=max_distance_m)
        if found.size == 0:
            return None
        distances = shapely.distance(self._lines[found], point)
        best = int(np.argmin(distances))
        i = int(found[best])
        return self._hit(i, point, float(distances[best]), buffer_m + float(self._widen[i]), None)

    def nearest(self, lat: float, lon: float, buffer_m: float = 25.0) -> MotorwayHit | None:
        """The motorway whose buffer holds the point, preferring a carriageway over a ramp."""
        point = shapely.Point(point_rd(lat, lon))
        reach = buffer_m + float(self._widen.max())
        found = self._tree.query(point, predicate="dwithin", distance=reach)
        if found.size == 0:
            return None
        distances = shapely.distance(self._lines[found], point)
        limits = buffer_m + self._widen[found]
        inside = distances <= limits
        if not inside.any():
            return None
        # A carriageway in reach is what matters, even when a ramp runs closer.
        carriageway = inside & ~self._is_link[found]
        pool = carriageway if carriageway.any() else inside
        best = int(np.flatnonzero(pool)[np.argmin(distances[pool])])
        i, distance = int(found[best]), float(distances[best])
        return self._hit(i, point, distance, float(limits[best]), found[inside])

    def _hit(
        self,
        i: int,
        point: shapely.Point,
        distance: float,
        buffer_m: float,
        nearby: np.ndarray | None,
    ) -> MotorwayHit:
        way = self._ways[i]
        along = shapely.line_locate_point(way.line, point)
        on_line = shapely.line_interpolate_point(way.line, along)
        road_lat, road_lon = to_wgs(shapely.get_x(on_line), shapely.get_y(on_line))
        crossing, crossing_distance, crosses = (
            self._crossing(point, buffer_m, nearby) if nearby is not None else (None, None, False)
        )
        return MotorwayHit(
            road=self._refs[i],
            detected_by="geometry",
            distance_m=round(distance, 1),
            name=way.name,
            is_link=way.is_link,
            highway=way.highway,
            osm_id=way.osm_id,
            buffer_m=round(float(buffer_m), 1),
            road_lat=float(road_lat),
            road_lon=float(road_lon),
            bridge=way.bridge,
            tunnel=way.tunnel,
            crossing_road=crossing,
            crossing_distance_m=crossing_distance,
            grade_separated=way.bridge or way.tunnel or crosses,
            service_area=self._service is not None
            and bool(shapely.contains_xy(self._service, point.x, point.y)),
            junction=self._junction(point),
            autoweg=way.is_trunk,
        )

    def _crossing(
        self, point: shapely.Point, buffer_m: float, nearby: np.ndarray
    ) -> tuple[str | None, float | None, bool]:
        """The nearest walkable road within the buffer and whether levels differ there."""
        found = self._local_tree.query(point, predicate="dwithin", distance=buffer_m)
        if found.size == 0:
            return None, None, False
        distances = shapely.distance(self._local_tree.geometries[found], point)
        j = int(found[int(np.argmin(distances))])
        road = self._local[j]
        # A road that crosses a motorway line without sharing a node passes over or under
        # it; one that merely touches a ramp's end meets it at grade (traffic lights).
        crosses = bool(shapely.crosses(road.line, self._lines[nearby]).any())
        levels = road.bridge or road.tunnel or road.layer != 0 or crosses
        label = road.name or road.ref or road.highway
        return label, round(float(distances.min()), 1), levels

    def _junction(self, point: shapely.Point) -> str | None:
        if not self._junction_names:
            return None
        d = np.hypot(self._junction_xy[:, 0] - point.x, self._junction_xy[:, 1] - point.y)
        k = int(np.argmin(d))
        return self._junction_names[k] if d[k] <= JUNCTION_RADIUS_M else None


@cache
def default_index() -> MotorwayIndex:
    """The shipped The Hague region index (OSM, January 2019), built on first use."""
    return MotorwayIndex.from_files(
        roads=resource_path("data/major_roads_denhaag_region_osm2019.geojson"),
        junctions=resource_path("data/motorway_junctions_denhaag_region_osm2019.geojson"),
        municipalities=resource_path("data/gemeenten_2022_cbs.geojson"),
    )


def _refs(ways: list[RoadWay]) -> list[str | None]:
    """Each way's road number; a ramp without one borrows that of the nearest carriageway."""
    numbered = [w for w in ways if w.ref and not w.is_link and w.ref[:1] in "AN"]
    if not numbered:
        return [w.ref for w in ways]
    tree = shapely.STRtree([w.line for w in numbered])
    refs: list[str | None] = []
    for way in ways:
        if way.ref and way.ref[:1] in "AN":
            refs.append(way.ref)
            continue
        # Exit numbers ("3") are refs too in OSM, but a dispatcher wants the road.
        nearest = tree.query_nearest(way.line, max_distance=300.0)
        refs.append(numbered[int(nearest[0])].ref if nearest.size else None)
    return refs


def _service_zones(
    ways: list[RoadWay], local: list[RoadWay], region: shapely.Geometry | None
) -> shapely.Geometry | None:
    if not local or region is None:
        return None  # without the full road network every ramp end looks like a dead end
    use: Counter[tuple[float, float]] = Counter()
    for way in [*ways, *local]:
        use.update({_node(xy) for xy in shapely.get_coordinates(way.line)})
    edge = shapely.boundary(region)
    ends = []
    for way in ways:
        # Only motorway ramps: trunk ramps in The Hague end at parking garages and streets.
        if way.highway != "motorway_link":
            continue
        for xy in shapely.get_coordinates(way.line)[[0, -1]]:
            end = shapely.Point(xy)
            inland = shapely.distance(edge, end) > REGION_EDGE_MARGIN_M
            if use[_node(xy)] == 1 and inland and shapely.contains(region, end):
                ends.append(end.buffer(SERVICE_RADIUS_M))
    if not ends:
        return None
    zones = shapely.union_all(ends)
    shapely.prepare(zones)
    return zones


def _node(xy: np.ndarray) -> tuple[float, float]:
    return round(float(xy[0]), 2), round(float(xy[1]), 2)


def _bbox(lines: np.ndarray) -> shapely.Geometry:
    xmin, ymin, xmax, ymax = shapely.total_bounds(lines)
    return shapely.box(xmin, ymin, xmax, ymax).buffer(2000.0)
