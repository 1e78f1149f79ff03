"""Annual-report statistics: counted by hand on a few records, and read from a real event
store (a scenario played into SQLite) and from simulate-year's alarm CSV."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from alert_engine.clock import AMSTERDAM
from alert_engine.simulation.statistics import (
    AlarmRecord,
    figures_csv,
    group,
    municipalities_of,
    read_records,
    records_from_store,
    render_html,
    write_records,
)
from tests.paths import REPO

ROOT = REPO


def rec(
    i: int, month: int, muni: str, alerted: bool, aed: bool, accepted: bool, over: int
) -> AlarmRecord:
    t = datetime(2026, month, 3, 14, 0, tzinfo=AMSTERDAM)
    return AlarmRecord(f"I{i}", t, 52.06, 4.49, muni, alerted, aed, accepted, over, 0)


RECORDS = [
    rec(1, 1, "Zoetermeer", True, True, True, 2),
    rec(2, 1, "Zoetermeer", True, False, False, 0),
    rec(3, 2, "Rijswijk", True, True, True, 0),
    rec(4, 2, "Rijswijk", False, False, False, 0),
]


def test_figures_per_month_and_municipality_by_hand():
    (total,) = group(RECORDS, "all")
    assert (total.alarms, total.alerted, total.aed_alerted, total.accepted) == (4, 0.75, 0.5, 0.5)
    # Oversupply over the 3 alerted alarms: one had 2 late accepts.
    assert total.oversupply_alarms == pytest.approx(
        1 / 3
    ) and total.oversupply_mean == pytest.approx(2 / 3)
    months = {g.key: g for g in group(RECORDS, "month")}
    assert months["2026-01"].accepted == 0.5 and months["2026-02"].alerted == 0.5
    munis = {g.key: g for g in group(RECORDS, "municipality")}
    assert munis["Rijswijk"].aed_alerted == 0.5 and munis["Zoetermeer"].oversupply_mean == 1.0
    csv = figures_csv(group(RECORDS, "municipality")).splitlines()
    assert csv[0].startswith("by,key,alarms,alerted_pct")
    assert "municipality,Zoetermeer,2,100.0,50.0,50.0,50.0,1.00" in csv


def test_records_round_trip_and_report(tmp_path: Path):
    path = tmp_path / "year.csv"
    path.write_text(write_records(RECORDS))
    assert read_records(path) == RECORDS
    html = render_html(RECORDS, "test", datetime(2026, 12, 1, 12, 0))
    assert "Zoetermeer" in html and "<svg" in html and "75,0 %" in html


def test_municipality_of_a_point():
    assert municipalities_of([52.0607, 52.0705], [4.4940, 4.3007]) == [
        "Zoetermeer",
        "'s-Gravenhage",
    ]


def test_statistics_of_a_real_event_store(tmp_path: Path):
    store = tmp_path / "events.sqlite"
    run = [sys.executable, "-m", "alert_engine.cli", "run", "scenarios/01_city_zoetermeer_evening.json",
           "--store", str(store), "--quiet"]  # fmt: skip
    assert subprocess.run(run, cwd=ROOT, capture_output=True, timeout=120).returncode == 0
    (r,) = records_from_store(store)
    assert r.municipality == "Zoetermeer" and r.alerted and r.aed_alerted and r.accepted
    out = tmp_path / "stats.csv"
    cmd = [
        sys.executable,
        "-m",
        "alert_engine.cli",
        "statistics",
        "--store",
        str(store),
        "--csv",
        str(out),
    ]
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True, timeout=120).returncode == 0
    assert "municipality,Zoetermeer,1,100.0,100.0,100.0" in out.read_text()
