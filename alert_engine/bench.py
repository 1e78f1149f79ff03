"""`zesminuten-engine bench`: how fast is a complete selection at national scale, in
process versus brute force versus PostGIS, and does the registry fit in memory and load
fast enough from SQLite."""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from .bench_brute import Fingerprint, brute_select, fingerprint
from .clock import AMSTERDAM
from .config import AlertConfig
from .geo import to_rd
from .registry.table import Registry
from .selection import Selection, select

# Targets the engine is held to (see the TARGETS section of the report).
TARGET_P99_MS = 1.0
TARGET_VS_POSTGIS = 1 / 3
TARGET_MEMORY_MB = 300.0
TARGET_LOAD_S = 2.0
# A few hundred responders are out on other alarms at any moment; the mask must hold.
BUSY_SHARE = 0.002
WARM_UP = 50


@dataclass
class BenchOptions:
    region: str = "nl"
    points: int = 10_000
    seed: int = 1
    brute_points: int = 500  # also the points cross-checked against `select`
    postgis: bool | None = None  # None: try when root on Debian or already installed
    registry_store: Path | None = None
    log: Callable[[str], None] = field(default=lambda msg: None)


@dataclass
class Timing:
    method: str
    points: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @classmethod
    def of(cls, method: str, ns: np.ndarray) -> Timing:
        ms = ns / 1e6
        return cls(
            method, len(ms), float(np.percentile(ms, 50)), float(np.percentile(ms, 99)),
            float(ms.max()), float(ms.mean()),
        )  # fmt: skip


@dataclass
class Agreement:
    """Share of checked points where `other` chose exactly what `select` chose."""

    other: str
    points: int
    same: int
    same_responders: int
    same_aeds: int
    same_eligible_count: int
    first_difference: str = ""

    @property
    def share(self) -> float:
        return self.same / self.points if self.points else 0.0


@dataclass
class BenchResult:
    region: str
    seed: int
    responders: int = 0
    slots: int = 0
    aeds: int = 0
    generate_s: float | None = None
    build_s: float | None = None
    save_s: float | None = None
    load_s: float = 0.0
    store_mb: float = 0.0
    nbytes_mb: float = 0.0
    rss_growth_mb: float | None = None
    rss_peak_growth_mb: float | None = None
    traced_mb: float = 0.0
    traced_peak_mb: float = 0.0
    timings: list[Timing] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    selected_mean: float = 0.0
    aeds_mean: float = 0.0
    radius_p50_m: float = 0.0
    night_share: float = 0.0
    postgis_note: str = ""
    other_cpus: float | None = None  # CPUs other processes kept busy while select was timed
    notes: list[str] = field(default_factory=list)

    def timing(self, method: str) -> Timing | None:
        return next((t for t in self.timings if t.method == method), None)

    @property
    def memory_mb(self) -> float:
        # Conservative: the largest of the three ways of counting what the registry keeps.
        return max(self.nbytes_mb, self.rss_growth_mb or 0.0, self.traced_mb)

    def targets(self) -> list[tuple[str, bool | None, str]]:
        inproc = self.timing("in-process select")
        pg = self.timing("PostGIS SQL")
        out: list[tuple[str, bool | None, str]] = []
        if inproc:
            out.append((f"in-process p99 <= {TARGET_P99_MS:g} ms", inproc.p99_ms <= TARGET_P99_MS,
                        f"{inproc.p99_ms:.3f} ms"))  # fmt: skip
        if inproc and pg:
            ratio = inproc.p99_ms / pg.p99_ms
            out.append(("in-process p99 <= 1/3 of PostGIS p99", ratio <= TARGET_VS_POSTGIS,
                        f"ratio {ratio:.3f}"))  # fmt: skip
        else:
            out.append(("in-process p99 <= 1/3 of PostGIS p99", None, "PostGIS not measured"))
        out.append((f"registry in memory <= {TARGET_MEMORY_MB:g} MB",
                    self.memory_mb <= TARGET_MEMORY_MB, f"{self.memory_mb:.0f} MB"))  # fmt: skip
        out.append((f"load from SQLite <= {TARGET_LOAD_S:g} s", self.load_s <= TARGET_LOAD_S,
                    f"{self.load_s:.2f} s"))  # fmt: skip
        return out

    def as_json(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if k not in ("timings", "agreements")}
        data["timings"] = [vars(t) for t in self.timings]
        data["agreements"] = [{**vars(a), "share": a.share} for a in self.agreements]
        data["memory_mb"] = self.memory_mb
        data["ratios"] = ratios(self)
        data["targets"] = [{"target": n, "met": m, "value": v} for n, m, v in self.targets()]
        return data


@dataclass
class Incidents:
    x: list[float]
    y: list[float]
    t: list[datetime]


# -- incidents ---------------------------------------------------------------------------
def incident_points(region: str, n: int, seed: int) -> Incidents:
    """`n` points in proportion to population (uniform inside each CBS PC4 area), at times
    spread uniformly over one week, day and night."""
    from .registry.demo import REFERENCE_DAY
    from .registry.placement import points_in_polygons
    from .registry.postcodes import region_areas

    rng = np.random.default_rng([seed, 112])  # not the demo's stream: other points
    areas = region_areas(region)
    counts = rng.multinomial(n, areas.population / areas.population.sum())
    _, lat, lon = points_in_polygons(areas.geometry, counts, rng)
    order = rng.permutation(len(lat))  # so any prefix (the brute subsample) is national
    x, y = to_rd(lat[order], lon[order])
    # The week the demo certificates are judged against: some expire during it.
    start = datetime(REFERENCE_DAY.year, REFERENCE_DAY.month, REFERENCE_DAY.day, tzinfo=AMSTERDAM)
    offsets = rng.uniform(0, 7 * 86400, len(x))
    times = [
        (start + timedelta(seconds=float(s))).astimezone(AMSTERDAM)  # DST-safe wall time
        for s in offsets
    ]
    return Incidents(x.tolist(), y.tolist(), times)


# -- memory ------------------------------------------------------------------------------
def _status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM, so the peak covers only what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# -- timing ------------------------------------------------------------------------------
Selector = Callable[[float, float, datetime], Selection]


@dataclass
class Run:
    wall_ns: np.ndarray
    cpu_ns: np.ndarray  # this thread's CPU time: excludes waiting (for PostGIS, the server)
    kept: list[Selection]
    gc_pauses_ns: list[tuple[int, int]]  # (generation, pause) of collections while timing


def time_selections(selector: Selector, inc: Incidents, n: int, keep: int) -> Run:
    """Wall and CPU time per call for the first `n` incidents; the first `keep` results."""
    for i in range(min(WARM_UP, n)):  # untimed: first-call costs (imports, plans, caches)
        selector(inc.x[-1 - i], inc.y[-1 - i], inc.t[-1 - i])
    run = Run(np.empty(n, np.int64), np.empty(n, np.int64), [], [])
    clock, cpu = time.perf_counter_ns, time.thread_time_ns
    started = [0]

    def on_gc(phase: str, info: dict[str, int]) -> None:
        # The collector runs inside whichever call allocates; its pauses explain the max.
        if phase == "start":
            started[0] = clock()
        else:
            run.gc_pauses_ns.append((info["generation"], clock() - started[0]))

    gc.callbacks.append(on_gc)
    try:
        for i in range(n):
            x, y, t = inc.x[i], inc.y[i], inc.t[i]
            c0, w0 = cpu(), clock()
            sel = selector(x, y, t)
            run.wall_ns[i], run.cpu_ns[i] = clock() - w0, cpu() - c0
            if i < keep:
                run.kept.append(sel)
    finally:
        gc.callbacks.remove(on_gc)
    return run


def _gc_note(method: str, run: Run) -> str:
    pauses = run.gc_pauses_ns
    if not pauses:
        return f"{method}: no garbage collection while timing"
    worst = max(pauses, key=lambda p: p[1])
    return (
        f"{method}: {len(pauses)} garbage collections while timing "
        f"({sum(g == 2 for g, _ in pauses)} full); longest {worst[1] / 1e6:.2f} ms (gen {worst[0]})"
    )


def compare(other: str, reference: list[Selection], results: list[Selection]) -> Agreement:
    a = Agreement(other, len(results), 0, 0, 0, 0)
    for i, (ref, res) in enumerate(zip(reference, results, strict=False)):
        fr: Fingerprint = fingerprint(ref)
        fo: Fingerprint = fingerprint(res)
        a.same += fr == fo
        a.same_responders += fr[1] == fo[1]
        a.same_aeds += fr[2] == fo[2]
        a.same_eligible_count += ref.eligible_in_reach == res.eligible_in_reach
        if fr != fo and not a.first_difference:
            a.first_difference = _describe_difference(i, fr, fo)
    return a


def _describe_difference(i: int, ref: Fingerprint, other: Fingerprint) -> str:
    if ref[0] != other[0]:
        return f"point {i}: radius {ref[0]:g} vs {other[0]:g} m"
    if ref[2] != other[2]:
        return f"point {i}: AEDs {ref[2]} vs {other[2]}"
    for j, (a, b) in enumerate(zip(ref[1], other[1], strict=False)):
        if a != b:
            return f"point {i}: responder #{j + 1} {a} vs {b}"
    return f"point {i}: {len(ref[1])} vs {len(other[1])} responders"


# -- the run -----------------------------------------------------------------------------
def run_bench(opts: BenchOptions) -> BenchResult:
    res = BenchResult(opts.region, opts.seed)
    log = opts.log
    with tempfile.TemporaryDirectory(prefix="zesminuten-bench-") as tmp:
        store_path = opts.registry_store or Path(tmp) / "registry.sqlite"
        registry = _registry_from_store(opts, res, store_path)
        res.responders, res.slots, res.aeds = registry.n_responders, len(registry.s_x), registry.n_aeds
        config = AlertConfig()
        rng = np.random.default_rng([opts.seed, 7])
        busy = rng.random(registry.n_responders) < BUSY_SHARE

        log(f"drawing {opts.points} incident points ...")
        inc = incident_points(opts.region, opts.points, opts.seed)
        hours = np.asarray([t.hour for t in inc.t])
        res.night_share = float(np.mean((hours < 7) | (hours >= 23)))
        n_brute = n_check = min(opts.brute_points, opts.points)

        log("timing in-process select ...")
        before = _cpu_seconds()
        run = time_selections(
            lambda x, y, t: select(registry, x, y, t, busy, config), inc, opts.points, n_check
        )
        res.other_cpus = _other_cpus(before, _cpu_seconds())
        reference = run.kept
        res.timings.append(Timing.of("in-process select", run.wall_ns))
        res.timings.append(Timing.of("  (same, CPU time)", run.cpu_ns))
        res.notes.append(_gc_note("in-process select", run))
        res.selected_mean = float(np.mean([len(s.responders) for s in reference]))
        res.aeds_mean = float(np.mean([len(s.aeds) for s in reference]))
        res.radius_p50_m = float(np.median([s.radius_m for s in reference]))

        log(f"timing brute force on {n_brute} points ...")
        run = time_selections(
            lambda x, y, t: brute_select(registry, x, y, t, busy, config), inc, n_brute, n_check
        )
        res.timings.append(Timing.of("brute-force numpy", run.wall_ns))
        res.agreements.append(compare("brute-force numpy", reference, run.kept))
        if n_brute < opts.points:
            res.notes.append(
                f"brute force timed on the first {n_brute} of {opts.points} points "
                f"(~{run.wall_ns.mean() / 1e6:.0f} ms each; all points would take minutes)"
            )
        _postgis(opts, res, registry, busy, config, inc, reference)
    res.notes.append(_contention_note(res.other_cpus))
    return res


def _cpu_seconds() -> tuple[float, float, float] | None:
    """(wall, CPU busy on the whole machine, CPU of this process) in seconds (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    return time.perf_counter(), busy, time.process_time()


def _other_cpus(
    before: tuple[float, float, float] | None, after: tuple[float, float, float] | None
) -> float | None:
    if before is None or after is None or after[0] <= before[0]:
        return None
    others = (after[1] - before[1]) - (after[2] - before[2])
    return max(0.0, others / (after[0] - before[0]))


def _contention_note(other_cpus: float | None) -> str:
    if other_cpus is None:
        return "CPU use of other processes while timing: unknown (no /proc/stat)"
    note = (
        f"while select was timed, other processes kept {other_cpus:.2f} of "
        f"{os.cpu_count()} CPUs busy"
    )
    # Other work steals cycles and cache from the timed loop; the tail suffers first.
    if other_cpus > 0.25:
        note += ": p99 and max are inflated, re-run on a quiet machine for clean tails"
    return note


def _registry_from_store(opts: BenchOptions, res: BenchResult, store_path: Path) -> Registry:
    """Generate and save the demo set (unless the store already holds one), then load it
    the way the engine does, measuring time and memory."""
    from .registry.store import RegistryStore

    log = opts.log
    with RegistryStore(store_path) as store:
        if store.counts().responders:
            res.notes.append(f"used the registry already in {store_path}: no build or save")
        else:
            log(f"generating demo registry {opts.region!r} seed {opts.seed} ...")
            t0 = time.perf_counter()
            from .registry.demo import generate_set

            demo = generate_set(opts.region, opts.seed)
            res.generate_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            built = demo.registry()
            res.build_s = time.perf_counter() - t0
            del built
            log("saving to SQLite ...")
            t0 = time.perf_counter()
            store.write_rows(demo.rows(), clear=("responders", "aeds"), metadata=demo.metadata())
            res.save_s = time.perf_counter() - t0
            del demo
    res.store_mb = store_path.stat().st_size / 1e6
    gc.collect()

    log("loading from SQLite ...")
    rss0 = _status_kb("VmRSS")
    can_peak = _reset_peak_rss()
    t0 = time.perf_counter()
    with RegistryStore(store_path) as store:
        registry = store.load_registry()
    res.load_s = time.perf_counter() - t0
    rss1, hwm = _status_kb("VmRSS"), _status_kb("VmHWM")
    if rss0 is not None and rss1 is not None:
        res.rss_growth_mb = (rss1 - rss0) / 1024
        if can_peak and hwm is not None:
            res.rss_peak_growth_mb = (hwm - rss0) / 1024
    res.nbytes_mb = registry.nbytes() / 1e6

    # A second, traced load: tracemalloc slows allocation, so it is not the timed one.
    gc.collect()
    tracemalloc.start()
    with RegistryStore(store_path) as store:
        traced = store.load_registry()
    res.traced_mb, peak = (v / 1e6 for v in tracemalloc.get_traced_memory())
    res.traced_peak_mb = peak
    tracemalloc.stop()
    del traced
    gc.collect()
    return registry


def _postgis(
    opts: BenchOptions,
    res: BenchResult,
    registry: Registry,
    busy: np.ndarray,
    config: AlertConfig,
    inc: Incidents,
    reference: list[Selection],
) -> None:
    wanted = opts.postgis
    if wanted is None:
        root_debian = os.geteuid() == 0 and Path("/etc/debian_version").exists()
        from .bench_postgis import _bindir_with_postgis

        wanted = root_debian or _bindir_with_postgis() is not None
        if not wanted:
            res.postgis_note = "skipped (not root on Debian and no PostGIS installed; use --postgis)"
            return
    elif not wanted:
        res.postgis_note = "skipped (--no-postgis)"
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        res.postgis_note = "skipped (psycopg not installed: pip install 'zesminuten[postgis]')"
        return
    from .bench_postgis import (
        PostgisUnavailable,
        PrivateCluster,
        SqlSelector,
        find_bindir,
        load_registry,
    )

    log = opts.log
    try:
        log("PostGIS: looking for / installing PostgreSQL + PostGIS ...")
        bindir = find_bindir(install=True)
        log(f"PostGIS: starting a private cluster ({bindir}) ...")
        with PrivateCluster(bindir) as cluster:
            with cluster.connect() as admin:
                admin.execute("CREATE DATABASE bench")
            with cluster.connect("bench") as conn:
                t0 = time.perf_counter()
                log("PostGIS: COPY + GiST index ...")
                load_registry(conn, registry, busy)
                load_s = time.perf_counter() - t0
                version = conn.execute("SELECT postgis_lib_version()").fetchone()
                sql = SqlSelector(conn, registry, config)
                log(f"PostGIS: timing {opts.points} points ...")
                run = time_selections(sql.select, inc, opts.points, len(reference))
                res.timings.append(Timing.of("PostGIS SQL", run.wall_ns))
                res.agreements.append(compare("PostGIS SQL", reference, run.kept))
        pg_version = str(version[0]) if version else "?"
        res.postgis_note = (
            f"measured (PostgreSQL {bindir.parent.name}, PostGIS {pg_version}, unix socket, "
            f"COPY + index {load_s:.1f} s; cluster stopped)"
        )
    except (PostgisUnavailable, OSError) as exc:
        res.postgis_note = f"skipped ({exc})"
    except Exception as exc:  # psycopg errors: report, keep the rest of the bench
        res.postgis_note = f"skipped ({type(exc).__name__}: {str(exc).strip().splitlines()[0]})"


# -- the report --------------------------------------------------------------------------
def ratios(res: BenchResult) -> dict[str, float | None]:
    inproc, brute, pg = (
        res.timing("in-process select"),
        res.timing("brute-force numpy"),
        res.timing("PostGIS SQL"),
    )
    return {
        "inprocess_p99_over_postgis_p99": inproc.p99_ms / pg.p99_ms if inproc and pg else None,
        "brute_p50_over_inprocess_p50": brute.p50_ms / inproc.p50_ms if inproc and brute else None,
    }


def format_report(res: BenchResult) -> str:
    def s(v: float | None, unit: str = "s", fmt: str = ".2f") -> str:
        return "n/a" if v is None else f"{v:{fmt}} {unit}"

    lines = [
        f"Zesminuten selection benchmark: region {res.region!r}, seed {res.seed}",
        f"registry: {res.responders:,} responders ({res.slots:,} position slots), "
        f"{res.aeds:,} AEDs",
        "",
        f"demo generation            {s(res.generate_s)}",
        f"registry build (in memory) {s(res.build_s)}",
        f"SQLite save                {s(res.save_s)}   (file {res.store_mb:.0f} MB)",
        f"SQLite load_registry()     {s(res.load_s)}",
        "",
        "memory of the loaded registry:",
        f"  Registry.nbytes()          {res.nbytes_mb:8.1f} MB  (arrays + tree points only)",
        f"  RSS growth (kept)          {s(res.rss_growth_mb, 'MB', '8.1f')}",
        f"  RSS growth (peak in load)  {s(res.rss_peak_growth_mb, 'MB', '8.1f')}",
        f"  tracemalloc (kept)         {res.traced_mb:8.1f} MB  (incl. id strings, index dicts)",
        f"  tracemalloc (peak in load) {res.traced_peak_mb:8.1f} MB",
        "",
        f"{'method':<20} | {'points':>6} | {'p50 ms':>8} | {'p99 ms':>8} | {'max ms':>8}",
        f"{'-' * 20}-+-{'-' * 6}-+-{'-' * 8}-+-{'-' * 8}-+-{'-' * 8}",
    ]
    for t in res.timings:
        lines.append(
            f"{t.method:<20} | {t.points:>6} | {t.p50_ms:8.3f} | {t.p99_ms:8.3f} | {t.max_ms:8.3f}"
        )
    r = ratios(res)
    lines += [
        "",
        f"in-process p99 / PostGIS p99:   {s(r['inprocess_p99_over_postgis_p99'], '', '.3f')}",
        f"brute p50 / in-process p50:     {s(r['brute_p50_over_inprocess_p50'], '', '.0f')}",
        f"PostGIS: {res.postgis_note}",
        f"per alert (first sample): {res.selected_mean:.1f} responders, {res.aeds_mean:.2f} AEDs, "
        f"median radius {res.radius_p50_m:.0f} m; {res.night_share:.0%} of incidents 23-07 h",
        "",
        "cross-check against in-process select (same ids, order, roles, AEDs, radius):",
    ]
    for a in res.agreements:
        lines.append(
            f"  {a.other:<18} {a.same}/{a.points} = {a.share:.1%}  (responders {a.same_responders}, "
            f"AEDs {a.same_aeds}, eligible-in-reach count {a.same_eligible_count})"
        )
        if a.first_difference:
            lines.append(f"    first difference: {a.first_difference}")
    lines += ["", "TARGETS"]
    for name, met, value in res.targets():
        mark = "n/a    " if met is None else ("met    " if met else "NOT MET")
        lines.append(f"  [{mark}] {name:<40} {value}")
    if res.notes:
        lines += ["", "notes:", *(f"  - {n}" for n in res.notes)]
    return "\n".join(lines)


# -- command line ------------------------------------------------------------------------
def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "bench", help="time the selection: in process vs brute force vs PostGIS",
        description=__doc__,
    )  # fmt: skip
    p.add_argument("--points", type=int, default=10_000, help="incident points (default 10000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--region", default="nl", help="demo region (default nl = national)")
    p.add_argument("--brute-points", type=int, default=500,
                   help="points for the brute-force timing (default 500)")  # fmt: skip
    p.add_argument(
        "--postgis", action=argparse.BooleanOptionalAction, default=None,
        help="compare with PostGIS in a private cluster, installing it with apt if missing "
        "(default: try when root on Debian)",
    )  # fmt: skip
    p.add_argument(
        "--registry-store", type=Path,
        help="SQLite registry store to use: loaded as is when it holds a registry, else the "
        "demo set is saved there and kept (default: a temp dir, removed afterwards)",
    )  # fmt: skip
    p.add_argument("--json", type=Path, help="also write the figures as JSON here")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from .errors import InvalidInput

    if args.points < 1:
        raise InvalidInput("--points must be at least 1")
    opts = BenchOptions(
        region=args.region,
        points=args.points,
        seed=args.seed,
        brute_points=max(1, args.brute_points),
        postgis=args.postgis,
        registry_store=args.registry_store,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    res = run_bench(opts)
    print(format_report(res))
    if args.json:
        out: Path = args.json
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(json.dumps(res.as_json(), indent=2, default=str) + "\n", encoding="utf-8")
        tmp.replace(out)  # a reader never sees half a file
    return 0
