"""`zesminuten-engine calibrate-behaviour`: fit the behaviour model's free parameters on
HartslagNu's 2020 year, then predict 2019 from the rule change alone (a held-out check).

The fit is a plain grid over three named parameters (`GRID`); every point is a simulated
year of alarms through the real engine (the same alarms and random streams at every point,
so differences between points are the parameters', not noise). The objective is the sum
of squared misses, each in units of its tolerance (`TARGETS`).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import math
import multiprocessing as mp
import shlex
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import RULE_PRESETS
from ..registry.table import Registry
from .behaviour import BehaviourParams
from .incidents import Alarm, IncidentParams, draw_alarms
from .validation_report import write_validation
from .year import keep_freed_memory, load_registry, simulate
from .year_figures import key_figures
from .year_report import figures_of


@dataclass(frozen=True)
class Target:
    key: str  # a name in year_figures.key_figures
    value: float
    tolerance: float  # one unit of the objective
    source: str


# HartslagNu 2020 ("2020 in cijfers"); Andelius 2020 / Scquizzato 2020; Sweden 2022.
TARGETS: tuple[Target, ...] = (
    Target("accepted", 0.735, 0.03, "HartslagNu 2020"),
    Target("cpr_started", 0.701, 0.03, "HartslagNu 2020"),
    Target("aed_connected", 0.593 * 0.70, 0.03, "HartslagNu 2020: 59.3 % x 70 % citizens"),
    Target("before_ems", 0.445, 0.025, "Andelius 2020 42 %; Scquizzato 2020 47 %"),
    Target("direct_s", 4.6 * 60, 60.0, "Sweden 2022"),
    Target("runner_s", 6.0 * 60, 60.0, "Sweden 2022"),
)
# HartslagNu 2023: ~80,000 profiles that could not be brought up to date were removed,
# leaving 236,715. If they were all dormant, of the 316,715 before 34 % were dormant and
# after (0.34 x 316,715 - 80,000) / 236,715 = 11.7 %. HartslagNu 2024: 87.5 % accepted.
CLEANED_DORMANT = (0.34 * 316_715 - 80_000) / 236_715
PUBLISHED_2024_ACCEPTED = 0.875

GRID: dict[str, tuple[float, ...]] = {
    "p_accept": (0.20, 0.25, 0.30, 0.35),
    "alarm_shape": (0.75, 1.0, 1.5, 2.0),
    "accept_distance_m": (500.0, 600.0, 700.0, 800.0),
}


def objective(figures: dict[str, float], targets: Sequence[Target] = TARGETS) -> float:
    """Sum over the targets of ((model - published) / tolerance)²; NaN counts as a miss of 10."""
    total = 0.0
    for t in targets:
        v = figures.get(t.key, math.nan)
        z = 10.0 if math.isnan(v) else (v - t.value) / t.tolerance
        total += z * z
    return total


@dataclass(frozen=True)
class GridPoint:
    params: dict[str, float]
    figures: dict[str, float]
    objective: float


def grid_points(grid: dict[str, tuple[float, ...]]) -> list[dict[str, float]]:
    names = list(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*grid.values())]


def fit(
    registry: Registry,
    alarms: Sequence[Alarm],
    seed: int,
    grid: dict[str, tuple[float, ...]],
    base: BehaviourParams,
    workers: int = 1,
    log: Callable[[str], None] | None = None,
) -> list[GridPoint]:
    """Every grid point on the 2020 rules, best (lowest objective) first. With workers > 1
    the points are shared out over forked processes, each point a whole year in one
    process, so the result is the same as with one worker."""
    points = grid_points(grid)
    _FIT.update(registry=registry, alarms=alarms, seed=seed, base=base)
    out: list[GridPoint] = []
    try:
        if workers > 1 and "fork" in mp.get_all_start_methods():
            gc.collect()
            gc.freeze()  # the children share the registry's pages instead of copying them
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore", "This process .* is multi-threaded", DeprecationWarning
                )
                with mp.get_context("fork").Pool(workers) as pool:
                    results = pool.imap(_fit_point, points)
                    for n, gp in enumerate(results, 1):
                        out.append(gp)
                        _log_point(log, n, gp)
        else:
            for n, point in enumerate(points, 1):
                gp = _fit_point(point)
                out.append(gp)
                _log_point(log, n, gp)
    finally:
        _FIT.clear()
        gc.unfreeze()
    return sorted(out, key=lambda g: g.objective)


_FIT: dict[str, Any] = {}  # set before the fork; the children inherit it


def _fit_point(point: dict[str, float]) -> GridPoint:
    rules = RULE_PRESETS["2020"]
    registry = _FIT["registry"]
    behaviour = replace(_FIT["base"], **point)
    result = simulate(
        registry, _FIT["alarms"], _FIT["seed"], behaviour, 1, None, rules.alert, rules.channel
    )
    figures = key_figures(figures_of(result, registry))
    return GridPoint(point, figures, objective(figures))


def _log_point(log: Callable[[str], None] | None, n: int, gp: GridPoint) -> None:
    if log is not None:
        log(f"  [{n:>3}] {_point(gp.params)}  objective {gp.objective:7.2f}  {_brief(gp.figures)}")


def _point(point: dict[str, float]) -> str:
    return " ".join(f"{k}={v:g}" for k, v in point.items())


def _brief(f: dict[str, float]) -> str:
    return (
        f"accepted {100 * f['accepted']:.1f} cpr {100 * f['cpr_started']:.1f} "
        f"aed {100 * f['aed_connected']:.1f} before-EMS {100 * f['before_ems']:.1f} "
        f"direct {f['direct_s'] / 60:.1f} runner {f['runner_s'] / 60:.1f} min"
    )


# -- command line ----------------------------------------------------------------------
def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "calibrate-behaviour",
        help="fit the behaviour model on HartslagNu 2020 and predict 2019 (held out)",
        description=__doc__,
    )
    p.add_argument("--fit-alarms", type=int, default=2000, help="alarms per grid point (2000)")
    p.add_argument("--alarms", type=int, default=12_500, help="alarms per validation year (12500)")
    p.add_argument("--seed", type=int, default=1, help="registry and alarm seed (default 1)")
    p.add_argument("--region", default="nl", help="demo region (default nl = national)")
    p.add_argument("--registry-store", type=Path, help="SQLite registry (as simulate-year)")
    p.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("docs/behaviour-validation.md"),
        help="markdown report whose calibration block is rewritten",
    )
    p.add_argument("--no-grid", action="store_true", help="skip the fit; validate the defaults")
    p.set_defaults(func=cmd_calibrate)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from ..errors import InvalidInput
    from ..registry.demo import REFERENCE_DAY

    if args.alarms < 1 or args.fit_alarms < 1:
        raise InvalidInput("--alarms and --fit-alarms must be at least 1")
    started = time.perf_counter()
    keep_freed_memory()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    registry, note = load_registry(args.region, args.seed, args.registry_store, log)
    base = BehaviourParams()
    points: list[GridPoint] = []
    if not args.no_grid:
        fit_alarms = draw_alarms(args.region, args.fit_alarms, args.seed, REFERENCE_DAY)
        log(f"fit: {len(grid_points(GRID))} grid points x {len(fit_alarms):,} alarms, 2020 rules")
        points = fit(registry, fit_alarms, args.seed, GRID, base, args.workers, log)
        best = points[0]
        log(f"best: {_point(best.params)}  objective {best.objective:.2f}")
        chosen = replace(base, **best.params)
        defaults = {k: getattr(base, k) for k in best.params}
        if defaults != best.params:
            log(f"note: BehaviourParams defaults are {_point(defaults)}; the fit differs")
    else:
        chosen = base
    years = {}
    alarms = draw_alarms(args.region, args.alarms, args.seed, REFERENCE_DAY, IncidentParams())
    # 2020 and 2019 rules with the fitted behaviour; then the 2020 rules after the 2023
    # clean-up of dormant profiles (a second prediction, for HartslagNu's 2024 figure).
    runs = (("2020", "2020", chosen), ("2019", "2019", chosen),
            ("cleanup", "2020", replace(chosen, p_dormant=CLEANED_DORMANT)))  # fmt: skip
    for name, preset, behaviour in runs:
        rules = RULE_PRESETS[preset]
        t0 = time.perf_counter()
        result = simulate(
            registry, alarms, args.seed, behaviour, args.workers, None, rules.alert, rules.channel
        )
        years[name] = figures_of(result, registry)
        log(f"{name}: {args.alarms:,} alarms in {time.perf_counter() - t0:.1f} s")
    command = "zesminuten-engine calibrate-behaviour " + shlex.join(_argv(args))
    text = write_validation(
        years, points, chosen, TARGETS, GRID, command=command, out=args.out,
        registry_note=note, total_s=time.perf_counter() - started, fit_alarms=args.fit_alarms,
    )  # fmt: skip
    print(text)
    return 0


def _argv(args: argparse.Namespace) -> list[str]:
    out = ["--fit-alarms", str(args.fit_alarms), "--alarms", str(args.alarms)]
    out += ["--seed", str(args.seed)]
    if args.region != "nl":
        out += ["--region", args.region]
    if args.no_grid:
        out.append("--no-grid")
    return [*out, "--out", str(args.out), "--workers", str(args.workers)]
