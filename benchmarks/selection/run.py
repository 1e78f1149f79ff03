"""The selection benchmark's run: a complete selection at national scale, in process versus
brute force versus PostGIS, and the registry's memory and load time from SQLite."""

from __future__ import annotations

import gc
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from alert_engine.config import AlertConfig
from alert_engine.registry.table import Registry
from alert_engine.selection import Selection, select

from .brute import brute_select
from .measure import (
    Incidents,
    compare,
    contention_note,
    cpu_seconds,
    gc_note,
    incident_points,
    other_cpus,
    reset_peak_rss,
    status_kb,
    time_selections,
)
from .report import BenchResult, Timing

# A few hundred responders are out on other alarms at any moment; the mask must hold.
BUSY_SHARE = 0.002


@dataclass
class BenchOptions:
    region: str = "nl"
    points: int = 10_000
    seed: int = 1
    brute_points: int = 500  # also the points cross-checked against `select`
    postgis: bool | None = None  # None: try when root on Debian or already installed
    registry_store: Path | None = None
    log: Callable[[str], None] = field(default=lambda msg: None)


# -- the run -----------------------------------------------------------------------------
def run_bench(opts: BenchOptions) -> BenchResult:
    res = BenchResult(opts.region, opts.seed)
    log = opts.log
    with tempfile.TemporaryDirectory(prefix="zesminuten-selection-bench-") as tmp:
        store_path = opts.registry_store or Path(tmp) / "registry.sqlite"
        registry = _registry_from_store(opts, res, store_path)
        res.responders, res.slots, res.aeds = (
            registry.n_responders,
            len(registry.s_x),
            registry.n_aeds,
        )
        config = AlertConfig()
        rng = np.random.default_rng([opts.seed, 7])
        busy = rng.random(registry.n_responders) < BUSY_SHARE

        log(f"drawing {opts.points} incident points ...")
        inc = incident_points(opts.region, opts.points, opts.seed)
        hours = np.asarray([t.hour for t in inc.t])
        res.night_share = float(np.mean((hours < 7) | (hours >= 23)))
        n_brute = n_check = min(opts.brute_points, opts.points)

        log("timing in-process select ...")
        before = cpu_seconds()
        run = time_selections(
            lambda x, y, t: select(registry, x, y, t, busy, config), inc, opts.points, n_check
        )
        res.other_cpus = other_cpus(before, cpu_seconds())
        reference = run.kept
        res.timings.append(Timing.of("in-process select", run.wall_ns))
        res.timings.append(Timing.of("in-process select, CPU time", run.cpu_ns))
        res.notes.append(gc_note("in-process select", run))
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
    res.notes.append(contention_note(res.other_cpus))
    return res


def _registry_from_store(opts: BenchOptions, res: BenchResult, store_path: Path) -> Registry:
    """Generate and save the demo set (unless the store already holds one), then load it
    the way the engine does, measuring time and memory."""
    from alert_engine.registry.store import RegistryStore

    log = opts.log
    with RegistryStore(store_path) as store:
        if store.counts().responders:
            res.notes.append(f"used the registry already in {store_path}: no build or save")
        else:
            log(f"generating demo registry {opts.region!r} seed {opts.seed} ...")
            t0 = time.perf_counter()
            from alert_engine.registry.demo import generate_set

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
    rss0 = status_kb("VmRSS")
    can_peak = reset_peak_rss()
    t0 = time.perf_counter()
    with RegistryStore(store_path) as store:
        registry = store.load_registry()
    res.load_s = time.perf_counter() - t0
    rss1, hwm = status_kb("VmRSS"), status_kb("VmHWM")
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
        from .postgis import _bindir_with_postgis

        wanted = root_debian or _bindir_with_postgis() is not None
        if not wanted:
            res.postgis_note = (
                "skipped (not root on Debian and no PostGIS installed; use --postgis)"
            )
            return
    elif not wanted:
        res.postgis_note = "skipped (--no-postgis)"
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        res.postgis_note = "skipped (psycopg not installed: pip install 'zesminuten[postgis]')"
        return
    from .postgis import (
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
