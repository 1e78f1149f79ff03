"""A municipality's coverage: CBS PC4 inhabitants as demand points, the registry's AEDs by
hour of the week, white spots, the next AEDs by greedy placement, responder density."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import shapely

from ..geo import to_rd
from ..registry.model import AedStatus
from ..registry.placement import points_in_polygons
from ..registry.postcodes import PostcodeAreas, postcode_areas, region_areas
from ..registry.table import AED_STATUS_CODES, SLOT_HOME, Registry
from .model import Cell, Demand, Placement, covered_by_hour, covered_mask, greedy_placement, reach
from .model import white_spots as find_white_spots
from .model import zones as join_zones
from .week import availability

PEOPLE_PER_POINT = 25  # a demand point stands for ~25 inhabitants (a few houses)
# HartslagNu: ~12,000 alarms a year for 17.5 million inhabitants, one per ~1,460. A past
# alarm then weighs as much as the arrests its neighbourhood's inhabitants have in a year.
INHABITANTS_PER_ALARM = 1460.0
# Stieglis 2020 (Resuscitation 150:170): more than 10 responders per km² gave more shocks
# within 6 minutes; more than 2 AEDs per km² gave no further gain.
STIEGLIS_RESPONDERS_KM2 = 10.0
STIEGLIS_AEDS_KM2 = 2.0


@dataclass(frozen=True)
class AreaDensity:
    postcode: str
    inhabitants: int
    km2: float
    responders: int  # eligible (active, valid certificate), by home address
    aeds: int  # ready, any opening hours

    @property
    def responders_km2(self) -> float:
        return self.responders / self.km2 if self.km2 > 0 else math.nan

    @property
    def aeds_km2(self) -> float:
        return self.aeds / self.km2 if self.km2 > 0 else math.nan


@dataclass
class Coverage:
    name: str
    inhabitants: int
    by_hour: np.ndarray  # (168,) share of inhabitants with an AED available within 500 m
    always: float  # share covered by a 24/7 AED
    white_spots: list[Cell]
    zones: list[list[Cell]]
    placements: list[Placement]
    density: list[AreaDensity]
    n_aeds: int
    n_aeds_24_7: int
    alarms_used: int = 0
    bounds_rd: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    outlines_rd: list[np.ndarray] = field(default_factory=list)  # PC4 outlines for the map
    aed_xy: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    aed_always: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))


def demand_points(areas: PostcodeAreas, seed: int = 1) -> Demand:
    """Each area's inhabitants as points spread uniformly inside it (RD metres)."""
    counts = np.maximum(1, np.ceil(areas.population / PEOPLE_PER_POINT)).astype(np.int64)
    counts[areas.population <= 0] = 0
    idx, lat, lon = points_in_polygons(areas.geometry, counts, np.random.default_rng([seed, 14]))
    x, y = to_rd(lat, lon)
    weight = (areas.population / np.maximum(counts, 1))[idx].astype(float)
    return Demand(x, y, weight)


def municipality_areas(name: str) -> PostcodeAreas:
    """The PC4 areas of a municipality (CBS 2022 name, any case); any other region name
    `region_areas` knows (a province, several municipalities) when no municipality has it."""
    areas = postcode_areas()
    wanted = name.strip().lower()
    mask = np.asarray([m.lower() == wanted for m in areas.municipality])
    return areas.subset(mask) if mask.any() else region_areas(name)


def _rd_polygons(areas: PostcodeAreas) -> np.ndarray:
    def project(coords: np.ndarray) -> np.ndarray:
        x, y = to_rd(coords[:, 1], coords[:, 0])
        return np.column_stack([x, y])

    return shapely.transform(areas.geometry, project)


def density(
    areas: PostcodeAreas, rd: np.ndarray, registry: Registry, day: date
) -> list[AreaDensity]:
    """Eligible responders (home address) and ready AEDs per PC4 area and km²."""
    home = registry.s_kind == SLOT_HOME
    resp = registry.s_resp[home]
    eligible = registry.r_active[resp] & (registry.r_cert_day[resp] >= day.toordinal())
    hx, hy = registry.s_x[home][eligible], registry.s_y[home][eligible]
    ready = registry.a_status == AED_STATUS_CODES[AedStatus.READY]
    ax, ay = registry.a_x[ready], registry.a_y[ready]
    out = []
    for i, poly in enumerate(rd):
        x0, y0, x1, y1 = shapely.bounds(poly)
        inside_r = (hx >= x0) & (hx <= x1) & (hy >= y0) & (hy <= y1)
        inside_a = (ax >= x0) & (ax <= x1) & (ay >= y0) & (ay <= y1)
        n_r = int(shapely.contains_xy(poly, hx[inside_r], hy[inside_r]).sum())
        n_a = int(shapely.contains_xy(poly, ax[inside_a], ay[inside_a]).sum())
        out.append(AreaDensity(str(areas.postcode[i]), int(areas.population[i]),
                               float(shapely.area(poly)) / 1e6, n_r, n_a))  # fmt: skip
    return out


def coverage_of(
    name: str,
    registry: Registry,
    day: date,
    alarms: Sequence[tuple[float, float]] = (),
    n_new: int = 10,
    seed: int = 1,
) -> Coverage:
    """The coverage figures of a municipality (or any region name `region_areas` knows),
    with past alarm locations (lat, lon) weighing in on where new AEDs go."""
    areas = municipality_areas(name)
    if len(set(areas.municipality)) == 1:
        name = str(areas.municipality[0])  # as CBS spells it
    rd = _rd_polygons(areas)
    shapely.prepare(rd)
    people = demand_points(areas, seed)
    x0, y0, x1, y1 = shapely.total_bounds(rd)
    margin = 500.0  # AEDs just outside the border cover inhabitants inside it
    near = (registry.a_x >= x0 - margin) & (registry.a_x <= x1 + margin)
    near &= (registry.a_y >= y0 - margin) & (registry.a_y <= y1 + margin)
    idx = np.flatnonzero(near)
    avail = availability(registry, day)[idx]
    ax, ay = registry.a_x[idx], registry.a_y[idx]
    within = reach(people, ax, ay)
    by_hour = covered_by_hour(people, within, avail)
    always = avail.all(axis=1)
    covered = covered_mask(within, avail)
    spots = find_white_spots(people, ax[always], ay[always])
    # Where the next AEDs would help most: population, plus past alarms inside the area.
    demand = people
    used = 0
    if alarms:
        lat, lon = np.asarray([a[0] for a in alarms]), np.asarray([a[1] for a in alarms])
        px, py = to_rd(lat, lon)
        inside = np.zeros(len(px), dtype=bool)
        for poly in rd:
            inside |= shapely.contains_xy(poly, px, py)
        used = int(inside.sum())
        if used:
            al = Demand(px[inside], py[inside], np.full(used, INHABITANTS_PER_ALARM))
            demand = Demand(np.concatenate([people.x, al.x]), np.concatenate([people.y, al.y]),
                            np.concatenate([people.weight, al.weight]))  # fmt: skip
            covered = np.concatenate([covered, covered_mask(reach(al, ax, ay), avail)])
    cells = find_white_spots(
        people, np.zeros(0), np.zeros(0), cell_m=250.0
    )  # inhabited 250 m cells
    cand_x = np.asarray([c.x0 + 125.0 for c in cells])
    cand_y = np.asarray([c.y0 + 125.0 for c in cells])
    placements = greedy_placement(demand, covered, cand_x, cand_y, n_new)
    outlines = [
        np.asarray(shapely.get_coordinates(shapely.get_exterior_ring(g))) for g in _parts(rd)
    ]
    return Coverage(
        name=name,
        inhabitants=int(areas.population.sum()),
        by_hour=by_hour,
        always=float(people.weight[covered_mask(within, avail)].sum() / people.total)
        if people.total
        else math.nan,
        white_spots=spots,
        zones=join_zones(spots),
        placements=placements,
        density=density(areas, rd, registry, day),
        n_aeds=int(sum(shapely.contains_xy(p, ax, ay).sum() for p in rd)),
        n_aeds_24_7=int(sum(shapely.contains_xy(p, ax[always], ay[always]).sum() for p in rd)),
        alarms_used=used,
        bounds_rd=(float(x0), float(y0), float(x1), float(y1)),
        outlines_rd=outlines,
        aed_xy=np.column_stack([ax, ay]),
        aed_always=always,
    )


def _parts(rd: np.ndarray) -> list[shapely.Polygon]:
    out: list[shapely.Polygon] = []
    for g in rd:
        out.extend(getattr(g, "geoms", [g]))
    return out
