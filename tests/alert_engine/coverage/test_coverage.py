"""AED coverage on a small synthetic town, checked against a hand computation.

The town, on RD metres along one street (y = 0):

    A (0 m, 100 inhabitants)   B (400 m, 200)   C (1000 m, 300)   D (3000 m, 400)
    AED E1 at (200, 0), 24/7;  AED E2 at (1000, 300), open 08:00-18:00 on weekdays.

By hand, with "an AED within 500 m": A and B reach E1 (200 m each); C reaches only E2
(300 m); D reaches none. So 300 of 1000 inhabitants are covered at night and at the
weekend, 600 on weekday office hours, and 300 by a 24/7 AED.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from alert_engine.coverage.model import (
    Demand,
    covered_by_hour,
    covered_mask,
    greedy_placement,
    reach,
    white_spots,
    zones,
)
from alert_engine.coverage.week import HOURS, availability, hour_label, week_hours
from alert_engine.geo import to_wgs
from alert_engine.registry.model import Aed, AedStatus
from alert_engine.registry.table import Registry
from tests.paths import REPO

TOWN = Demand(
    np.array([0.0, 400.0, 1000.0, 3000.0]), np.zeros(4), np.array([100.0, 200.0, 300.0, 400.0])
)
AED_X, AED_Y = np.array([200.0, 1000.0]), np.array([0.0, 300.0])


def office_hours() -> np.ndarray:
    avail = np.zeros((2, HOURS), dtype=bool)
    avail[0] = True  # E1: 24/7
    for day in range(5):
        avail[1, day * 24 + 8 : day * 24 + 18] = True  # E2: Mon-Fri 08-18
    return avail


def test_covered_share_per_hour_matches_the_hand_computation():
    within = reach(TOWN, AED_X, AED_Y)
    assert within.toarray().tolist() == [[1, 0], [1, 0], [0, 1], [0, 0]]
    share = covered_by_hour(TOWN, within, office_hours())
    assert share[3] == pytest.approx(0.3)  # Monday 03 h
    assert share[10] == pytest.approx(0.6)  # Monday 10 h
    assert share[5 * 24 + 10] == pytest.approx(0.3)  # Saturday 10 h
    assert sorted(set(np.round(share, 6))) == [0.3, 0.6]
    assert int((share > 0.5).sum()) == 5 * 10  # fifty office hours a week
    assert covered_mask(within, office_hours()).tolist() == [True, True, False, False]


def test_white_spots_are_the_inhabited_cells_without_a_24_7_aed_in_their_circle():
    # 500 m cells: A and B share cell (0, 0) whose centre (250, 250) is 255 m from E1;
    # C's cell centre (1250, 250) is 1050 m from E1, D's (3250, 250) 3050 m. E2 does not
    # count: it is not available 24/7.
    spots = white_spots(TOWN, AED_X[:1], AED_Y[:1])
    assert [(c.x0, c.y0, c.inhabitants) for c in spots] == [
        (3000.0, 0.0, 400.0),
        (1000.0, 0.0, 300.0),
    ]
    assert len(zones(spots)) == 2  # cells 2 and 6 along the street do not touch
    joined = white_spots(
        Demand(np.array([1000.0, 1600.0]), np.zeros(2), np.ones(2)), AED_X[:1], AED_Y[:1]
    )
    assert len(zones(joined)) == 1  # neighbouring cells make one spot


def test_greedy_placement_covers_the_largest_uncovered_group_first():
    covered = covered_mask(reach(TOWN, AED_X, AED_Y), office_hours())
    cand_x, cand_y = np.array([1000.0, 2000.0, 3000.0]), np.zeros(3)
    placed = greedy_placement(TOWN, covered, cand_x, cand_y, k=3)
    # D (400 uncovered) first, then C (300); the candidate at 2000 m reaches nobody.
    assert [(p.x, p.gain, p.covered_after) for p in placed] == [
        (3000.0, 400.0, 0.7),
        (1000.0, 300.0, 1.0),
    ]


def test_availability_follows_the_opening_hours_of_the_week():
    lat, lon = to_wgs(AED_X + 80_000.0, AED_Y + 450_000.0)
    reg = Registry.from_records(
        [],
        [
            Aed("E1", float(lat[0]), float(lon[0])),
            Aed("E2", float(lat[1]), float(lon[1]), opening_hours="Mo-Fr 08:00-18:00"),
            Aed("E3", float(lat[1]), float(lon[1]), status=AedStatus.MAINTENANCE),
        ],
    )
    avail = availability(reg, date(2026, 11, 25))  # a Wednesday: its week's Monday is the 23rd
    assert avail.shape == (3, HOURS)
    assert avail[0].all() and not avail[2].any()
    assert (avail[1] == office_hours()[1]).all()
    hours = week_hours(date(2026, 11, 25))
    assert (hours[0].weekday(), hours[0].hour, hours[-1].weekday(), hours[-1].hour) == (0, 0, 6, 23)
    assert hour_label(5 * 24 + 10) == "za 10"


def test_a_municipality_report_from_the_demo_registry(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    root = REPO
    html, geo = tmp_path / "z.html", tmp_path / "z.geojson"
    cmd = [sys.executable, "-m", "alert_engine.cli", "coverage", "--municipality", "zoetermeer",
           "--region", "denhaag", "--out", str(html), "--geojson", str(geo)]  # fmt: skip
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Zoetermeer: 125,270 inhabitants")
    page = html.read_text()
    assert "AED-dekking en witte vlekken — Zoetermeer" in page and page.count("<svg") == 2
    features = json.loads(geo.read_text())["features"]
    kinds = [f["properties"]["kind"] for f in features]
    assert kinds.count("proposed_aed") == 10 and "white_spot" in kinds
    gains = [
        f["properties"]["newly_covered"]
        for f in features
        if f["properties"]["kind"] == "proposed_aed"
    ]
    assert gains == sorted(gains, reverse=True)  # greedy: each next AED helps less


def test_coverage_by_hour_never_falls_below_the_24_7_share():
    from alert_engine.coverage.area import coverage_of
    from alert_engine.registry.demo import REFERENCE_DAY, generate_set

    cov = coverage_of("Rijswijk", generate_set("denhaag", 1).registry(), REFERENCE_DAY, n_new=3)
    assert 0 < cov.always <= cov.by_hour.min() + 1e-12 <= cov.by_hour.max() + 1e-12 <= 1 + 1e-12
    assert sum(c.inhabitants for c in cov.white_spots) < cov.inhabitants
    assert [p.covered_after for p in cov.placements] == sorted(
        p.covered_after for p in cov.placements
    )
