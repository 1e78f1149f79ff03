"""The benchmark's machinery at a small scale: the brute-force baseline must choose exactly
what `select` chooses, or its timings compare different work. No timing is asserted."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta

import numpy as np

from alert_engine import cli
from alert_engine.clock import AMSTERDAM
from alert_engine.config import AlertConfig
from alert_engine.geo import point_rd, to_wgs
from alert_engine.registry import Address, Aed, AedStatus, GpsFix, Registry, Responder
from alert_engine.selection import select
from benchmarks.selection.brute import brute_select, fingerprint


def test_bench_command_brute_force_agrees_with_select(tmp_path):
    out = tmp_path / "bench.json"
    code = cli.main(
        ["bench", "--region", "denhaag", "--points", "50", "--brute-points", "50",
         "--no-postgis", "--json", str(out)]
    )  # fmt: skip
    assert code == 0
    data = json.loads(out.read_text())
    (brute,) = [a for a in data["agreements"] if a["other"] == "brute-force numpy"]
    assert brute["points"] == 50
    assert brute["same"] == 50, brute["first_difference"]
    assert data["selected_mean"] > 5  # the agreement is about real selections, not empty ones
    assert data["postgis_note"] == "skipped (--no-postgis)"
    assert data["responders"] > 1000


def test_bench_without_the_benchmarks_package_says_so_in_one_line(monkeypatch, capsys):
    """An installed wheel has no benchmarks/: `bench` names what is missing, no traceback."""
    for name in ("benchmarks", "benchmarks.selection", cli.BENCH_MODULE):
        monkeypatch.setitem(sys.modules, name, None)
    assert cli.main(["bench", "--points", "5", "--no-postgis"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "benchmarks are not installed" in err


def test_brute_force_agrees_on_gps_busy_and_closed_aeds():
    """The demo set has no GPS fixes; here fresh, stale and absent fixes, busy responders
    and closed or broken AEDs all occur."""
    rng = np.random.default_rng(5)
    t = datetime(2026, 11, 24, 21, 30, tzinfo=AMSTERDAM)
    cx, cy = point_rd(52.07, 4.30)

    def near(n: int, spread: float) -> tuple[np.ndarray, np.ndarray]:
        return to_wgs(cx + rng.normal(0, spread, n), cy + rng.normal(0, spread, n))

    n = 600
    hlat, hlon = near(n, 900)
    glat, glon = near(n, 900)
    responders = []
    for i in range(n):
        age = [None, 60.0, 3600.0][i % 3]  # no fix, fresh fix, stale fix
        gps = None if age is None else GpsFix(glat[i], glon[i], t - timedelta(seconds=age))
        responders.append(
            Responder(
                id=f"R{i:04d}",
                certificate_valid_until=date(2027, 1, 1) if i % 7 else date(2026, 1, 1),
                addresses=(
                    Address(
                        hlat[i], hlon[i], "Mo-Su 18:00-24:00" if i % 4 else "Mo-Fr 08:00-17:00"
                    ),
                ),
                gps=gps,
                availability="24/7" if i % 5 else "Mo-Su 07:00-21:00",
                active=i % 11 != 0,
            )
        )
    alat, alon = near(40, 1200)
    aeds = [
        Aed(f"A{j:02d}", alat[j], alon[j], "24/7" if j % 3 else "Mo-Fr 08:00-18:00",
            AedStatus.MAINTENANCE if j % 5 == 0 else AedStatus.READY)
        for j in range(40)
    ]  # fmt: skip
    registry = Registry.from_records(responders, aeds)
    busy = rng.random(n) < 0.1
    config = AlertConfig()
    checked = 0
    for x, y in zip(cx + rng.normal(0, 700, 40), cy + rng.normal(0, 700, 40), strict=True):
        fast = select(registry, x, y, t, busy, config)
        slow = brute_select(registry, x, y, t, busy, config)
        assert fingerprint(slow) == fingerprint(fast)
        assert slow.eligible_in_reach == fast.eligible_in_reach
        checked += bool(fast.responders and fast.aeds)
    assert checked > 30
