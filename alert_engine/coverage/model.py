"""Coverage of inhabitants by available AEDs, white spots and greedy placement.

Plain arrays in RD metres, so a small synthetic town can be checked by hand:
demand points (x, y, weight = inhabitants), AEDs (x, y) and their availability per hour.
Definitions (HartslagNu / Hartstichting): an inhabitant is covered by an AED within
500 m; a white spot is a 1 km-diameter zone (a 500 m circle) without a 24/7 AED.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree

COVER_M = 500.0  # Hartstichting: an AED within 500 m
CELL_M = 500.0  # white-spot grid: cells of 500 m, each judged by a 500 m circle on its centre


@dataclass(frozen=True)
class Demand:
    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray  # inhabitants (or alarms) the point stands for

    @property
    def total(self) -> float:
        return float(self.weight.sum())


def reach(
    demand: Demand, aed_x: np.ndarray, aed_y: np.ndarray, radius_m: float = COVER_M
) -> csr_matrix:
    """Sparse (n_demand, n_aeds) 0/1: the AED is within `radius_m` of the point."""
    n, m = len(demand.x), len(aed_x)
    if n == 0 or m == 0:
        return csr_matrix((n, m), dtype=np.int32)
    near = cKDTree(np.column_stack([aed_x, aed_y])).query_ball_point(
        np.column_stack([demand.x, demand.y]), r=radius_m
    )
    rows = np.repeat(np.arange(n), [len(a) for a in near])
    cols = np.fromiter((j for a in near for j in a), dtype=np.int64, count=len(rows))
    return csr_matrix((np.ones(len(rows), np.int32), (rows, cols)), shape=(n, m))


def covered_by_hour(demand: Demand, within: csr_matrix, available: np.ndarray) -> np.ndarray:
    """Per hour (a column of `available`, shape (n_aeds, hours)): the share of the demand
    with at least one AED within reach that is available then."""
    if demand.total == 0:
        return np.full(available.shape[1], np.nan)
    hits = within @ available.astype(np.int32)  # (n_demand, hours): AEDs available in reach
    return np.asarray(demand.weight @ (hits > 0)) / demand.total


def covered_mask(within: csr_matrix, available: np.ndarray) -> np.ndarray:
    """Per demand point: covered by an AED available in every hour given (24/7: all 168)."""
    always = available.all(axis=1).astype(np.int32)
    return np.asarray(within @ always).ravel() > 0


@dataclass(frozen=True)
class Cell:
    x0: float  # south-west corner, RD metres
    y0: float
    inhabitants: float


def white_spots(
    demand: Demand, aed24_x: np.ndarray, aed24_y: np.ndarray, cell_m: float = CELL_M,
    radius_m: float = COVER_M,
) -> list[Cell]:  # fmt: skip
    """Inhabited grid cells whose 1 km-diameter circle (centre ± `radius_m`) holds no
    24/7 AED, largest population first."""
    if len(demand.x) == 0:
        return []
    ix, iy = (
        np.floor(demand.x / cell_m).astype(np.int64),
        np.floor(demand.y / cell_m).astype(np.int64),
    )
    keys, inverse = np.unique(np.column_stack([ix, iy]), axis=0, return_inverse=True)
    people = np.bincount(inverse.ravel(), weights=demand.weight, minlength=len(keys))
    centres = (keys + 0.5) * cell_m
    if len(aed24_x):
        d, _ = cKDTree(np.column_stack([aed24_x, aed24_y])).query(centres, k=1)
        empty = d > radius_m
    else:
        empty = np.ones(len(keys), dtype=bool)
    cells = [
        Cell(float(k[0] * cell_m), float(k[1] * cell_m), float(p))
        for k, p, e in zip(keys, people, empty, strict=True)
        if e and p > 0
    ]
    return sorted(cells, key=lambda c: -c.inhabitants)


def zones(cells: list[Cell], cell_m: float = CELL_M) -> list[list[Cell]]:
    """White-spot cells joined where they share an edge: the spots a map shows."""
    index = {(round(c.x0 / cell_m), round(c.y0 / cell_m)): c for c in cells}
    seen: set[tuple[int, int]] = set()
    out = []
    for start in index:
        if start in seen:
            continue
        seen.add(start)
        todo, zone = [start], []
        while todo:
            k = todo.pop()
            zone.append(index[k])
            for n in ((k[0] + 1, k[1]), (k[0] - 1, k[1]), (k[0], k[1] + 1), (k[0], k[1] - 1)):
                if n in index and n not in seen:
                    seen.add(n)
                    todo.append(n)
        out.append(zone)
    return sorted(out, key=lambda z: -sum(c.inhabitants for c in z))


@dataclass(frozen=True)
class Placement:
    x: float
    y: float
    gain: float  # demand newly covered by this AED
    covered_after: float  # share of all demand covered after it


def greedy_placement(
    demand: Demand, covered: np.ndarray, cand_x: np.ndarray, cand_y: np.ndarray, k: int = 10,
    radius_m: float = COVER_M,
) -> list[Placement]:  # fmt: skip
    """Maximal covering, greedily: place `k` new 24/7 AEDs at candidate points, each where
    it covers the most demand not yet covered (`covered`: already covered per point)."""
    if len(cand_x) == 0 or demand.total == 0:
        return []
    cand = Demand(cand_x, cand_y, np.zeros(len(cand_x)))
    # (n_candidates, n_demand): which demand points a new AED at the candidate reaches.
    within = reach(cand, demand.x, demand.y, radius_m)
    left = np.where(covered, 0.0, demand.weight)
    done = float(demand.weight[covered].sum())
    out: list[Placement] = []
    for _ in range(k):
        gains = within @ left
        best = int(np.argmax(gains))
        if gains[best] <= 0:
            break
        reached = within[best].indices
        left[reached] = 0.0
        done += float(gains[best])
        out.append(
            Placement(
                float(cand_x[best]), float(cand_y[best]), float(gains[best]), done / demand.total
            )
        )
    return out
