"""Live GPS positions at national scale (issue 11): selection latency while fixes arrive,
and how soon a fix is visible to selection.

    .venv/bin/python -m benchmarks.positions [--seconds 12] [--rate 2000] [--batch 100]
                                             [--seed 1] [--postgis URL]

The national demo registry (~237,000 responders, ~26,000 AEDs) gets a GPS slot per
responder (registry/live_positions.py); 60 % of them report positions. The main thread
runs complete selections at population-weighted points, first with no fixes arriving,
then while a feeder thread applies `--rate` fixes/s in batches of `--batch` and the tree
is rebuilt in the background. Each batch carries one probe: a responder put on a spot
of its own; after every selection the main thread looks for pending probes with the
selection's own candidate search, so "visible" is measured, not assumed.

With --postgis URL the applied fixes also go through pg_registry.write_positions (one
statement per batch) from a writer thread; the registry is saved there first (replacing
what the database holds) and loaded back, and both are timed.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from alert_engine.clock import AMSTERDAM
from alert_engine.config import AlertConfig
from alert_engine.geo import NL_LAT, NL_LON, to_rd, to_wgs
from alert_engine.registry.demo_set import DemoSet
from alert_engine.registry.live_positions import LivePositions, PositionFix
from alert_engine.registry.table import SLOT_HOME, Registry
from alert_engine.selection import eligible_responders, select

from .selection.measure import Incidents, cpu_seconds, incident_points, other_cpus

# Assumption: about 60 % of responders have the app share their position.
REPORTING_SHARE = 0.6
# Moves are drawn around the home address (people are mostly near home).
MOVE_SIGMA_M = 1_500.0
PROBES = 2_000  # responders kept apart for probes: never moved by the random feed
# A Monday morning in the week the demo certificates are judged against.
START = datetime(2026, 11, 23, 10, 0, tzinfo=AMSTERDAM)
# Probes are looked for within a metre of where they were put.
PROBE_CONFIG = AlertConfig(min_radius_m=1.0, max_radius_m=1.0, wanted_responders=1)


class WallClock:
    """Domain time that runs with the wall clock from START (fixes must be fresh)."""

    def __init__(self) -> None:
        self._t0 = time.perf_counter()

    def now(self) -> datetime:
        return START + timedelta(seconds=time.perf_counter() - self._t0)


@dataclass
class Feed:
    """What the feeder thread did during the loaded phase."""

    applied: int = 0
    refused: int = 0
    batches: int = 0
    apply_ns: list[int] = field(default_factory=list)
    apply_cpu_ns: list[int] = field(default_factory=list)  # the feeder's own CPU in apply
    probes: deque[tuple[int, float, float, int]] = field(default_factory=deque)
    error: BaseException | None = None


@dataclass
class Phase:
    wall_ns: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)  # slots measured outside the tree
    stale_ns: list[int] = field(default_factory=list)
    seconds: float = 0.0
    cpus: float | None = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.positions", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--seconds", type=float, default=12.0, help="length of each phase (default 12)"
    )
    parser.add_argument(
        "--rate", type=float, default=2000.0, help="fixes per second (default 2000)"
    )
    parser.add_argument("--batch", type=int, default=100, help="fixes per batch (default 100)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--postgis", metavar="URL", help="also write the fixes to this database")
    args = parser.parse_args(argv)

    def log(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr, flush=True)

    from alert_engine.registry.demo import generate_set

    log("generating the national demo registry ...")
    demo = generate_set("nl", args.seed)
    registry = demo.registry()
    rng = np.random.default_rng([args.seed, 11])
    clock = WallClock()
    t0 = time.perf_counter()
    live = LivePositions(registry, clock)
    attach_s = time.perf_counter() - t0
    ids = registry.r_ids.tolist()
    probes, movers = _split(registry, rng)
    home_lat, home_lon = _homes(registry)

    log(f"first fixes for {len(movers):,} reporting responders ...")
    t0 = time.perf_counter()
    for start in range(0, len(movers), 20_000):
        rows = movers[start : start + 20_000]
        lat, lon = _near(home_lat[rows], home_lon[rows], rng)
        now = clock.now()
        live.apply(
            PositionFix(ids[r], la, lo, now)
            for r, la, lo in zip(rows.tolist(), lat.tolist(), lon.tolist(), strict=True)
        )
    seed_s = time.perf_counter() - t0
    live.rebuild()

    pg = _Postgis(args.postgis, demo, log) if args.postgis else None
    del demo

    inc = incident_points("nl", 20_000, args.seed)
    spots = incident_points("nl", 50_000, args.seed + 1)  # where probes are put
    busy = np.zeros(registry.n_responders, bool)
    config = AlertConfig()
    for i in range(200):  # warm up: caches, first-call costs
        select(registry, inc.x[i], inc.y[i], clock.now(), busy, config)

    log(f"quiet phase: selections for {args.seconds:g} s, no fixes arriving ...")
    with live:
        quiet = _selections(registry, live, clock, inc, busy, config, args.seconds, None)
        log(f"loaded phase: {args.rate:g} fixes/s in batches of {args.batch} ...")
        feed = Feed()
        stop = threading.Event()
        feeder = threading.Thread(
            target=_feed,
            args=(
                live,
                clock,
                ids,
                movers,
                probes,
                spots,
                home_lat,
                home_lon,
                args,
                feed,
                stop,
                pg,
            ),
            name="feeder",
        )
        rebuilds0, build0 = live.rebuilds, live.rebuild_s_total
        feeder.start()
        loaded = _selections(registry, live, clock, inc, busy, config, args.seconds, feed)
        stop.set()
        feeder.join()
        rebuilds, build_s = live.rebuilds - rebuilds0, live.rebuild_s_total - build0
    if feed.error is not None:
        raise feed.error
    pg_report = pg.finish(registry) if pg else []

    q, ld = (np.asarray(p.wall_ns) / 1e6 for p in (quiet, loaded))
    stale = np.asarray(loaded.stale_ns) / 1e6
    apply_ms = np.asarray(feed.apply_ns) / 1e6
    apply_cpu_ms = np.asarray(feed.apply_cpu_ns) / 1e6
    lines = [
        f"registry: {registry.n_responders:,} responders, {len(registry.s_resp):,} slots "
        f"(one GPS slot each; attach {attach_s:.2f} s), {registry.n_aeds:,} AEDs",
        f"first fixes: {len(movers):,} in {seed_s:.2f} s ({len(movers) / seed_s:,.0f}/s, batches of 20,000)",
        "",
        f"{'selection':<22}{'n':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}",
        _row("no fixes arriving", q),
        _row(f"{args.rate:g} fixes/s", ld),
        f"{'ratio (loaded/quiet)':<22}{'':>8}{np.median(ld) / np.median(q):>9.2f}"
        f"{np.percentile(ld, 99) / np.percentile(q, 99):>9.2f}",
        "",
        f"fixes applied: {feed.applied:,} in {loaded.seconds:.1f} s = {feed.applied / loaded.seconds:,.0f}/s "
        f"({feed.batches:,} batches; {feed.refused} refused)",
        f"apply per batch: p50 {np.median(apply_ms):.2f} ms, p99 {np.percentile(apply_ms, 99):.2f} ms "
        f"wall (waiting for the GIL and the lock included); CPU p50 {np.median(apply_cpu_ms):.2f} ms",
        f"staleness (fix handed to apply -> found by selection's search): p50 {np.median(stale):.2f} ms, "
        f"p99 {np.percentile(stale, 99):.2f} ms, max {stale.max():.2f} ms ({len(stale)} probes)",
        f"tree rebuilds: {rebuilds} ({build_s / max(rebuilds, 1) * 1e3:.0f} ms each, in a background thread); "
        f"slots measured outside the tree per selection: p50 {np.median(loaded.moved):.0f}, max {max(loaded.moved)}",
        *pg_report,
        _cpu_note(quiet, loaded),
    ]
    print("\n".join(lines))
    return 0


def _split(registry: Registry, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(probe rows, reporting rows): probes are eligible all day so a probe that is not
    found is late, not ineligible."""
    day = START.date().toordinal()
    always = registry.patterns.code("24/7")
    eligible = registry.r_active & (registry.r_cert_day >= day) & (registry.r_avail == always)
    probes = rng.choice(np.flatnonzero(eligible), PROBES, replace=False)
    reporting = rng.random(registry.n_responders) < REPORTING_SHARE
    reporting[probes] = False
    return probes, np.flatnonzero(reporting)


def _homes(registry: Registry) -> tuple[np.ndarray, np.ndarray]:
    home = np.flatnonzero(registry.s_kind == SLOT_HOME)
    lat, lon = np.zeros(registry.n_responders), np.zeros(registry.n_responders)
    lat[registry.s_resp[home]], lon[registry.s_resp[home]] = (
        registry.s_lat[home],
        registry.s_lon[home],
    )
    return lat, lon


def _near(
    lat: np.ndarray, lon: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    x, y = to_rd(lat, lon)
    x, y = x + rng.normal(0, MOVE_SIGMA_M, len(x)), y + rng.normal(0, MOVE_SIGMA_M, len(y))
    la, lo = to_wgs(x, y)
    return np.clip(la, *NL_LAT), np.clip(lo, *NL_LON)


def _feed(
    live: LivePositions,
    clock: WallClock,
    ids: list[str],
    movers: np.ndarray,
    probes: np.ndarray,
    spots: Incidents,
    home_lat: np.ndarray,
    home_lon: np.ndarray,
    args: argparse.Namespace,
    feed: Feed,
    stop: threading.Event,
    pg: _Postgis | None,
) -> None:
    """`args.rate` fixes/s, paced by deadline (a late batch is sent at once, not dropped)."""
    rng = np.random.default_rng([args.seed, 12])
    interval = args.batch / args.rate
    p_lat, p_lon = to_wgs(np.asarray(spots.x), np.asarray(spots.y))
    started = time.perf_counter()
    try:
        while not stop.is_set():
            rows = movers[rng.integers(0, len(movers), args.batch - 1)]
            lat, lon = _near(home_lat[rows], home_lon[rows], rng)
            probe = int(probes[feed.batches % len(probes)])
            spot = feed.batches % len(p_lat)
            now = clock.now()
            fixes = [
                PositionFix(ids[r], la, lo, now)
                for r, la, lo in zip(rows.tolist(), lat.tolist(), lon.tolist(), strict=True)
            ]
            fixes.append(PositionFix(ids[probe], float(p_lat[spot]), float(p_lon[spot]), now))
            c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
            done = live.apply(fixes)
            feed.apply_ns.append(time.perf_counter_ns() - t0)
            feed.apply_cpu_ns.append(time.thread_time_ns() - c0)
            feed.probes.append((probe, float(spots.x[spot]), float(spots.y[spot]), t0))
            feed.applied += done.applied
            feed.refused += len(done.refused)
            feed.batches += 1
            if pg is not None:
                pg.queue.put([fixes[i] for i in done.applied_items])
            wait = started + feed.batches * interval - time.perf_counter()
            if wait > 0:
                stop.wait(wait)
    except BaseException as exc:
        feed.error = exc
        stop.set()


def _selections(
    registry: Registry,
    live: LivePositions,
    clock: WallClock,
    inc: Incidents,
    busy: np.ndarray,
    config: AlertConfig,
    seconds: float,
    feed: Feed | None,
) -> Phase:
    """Selections back to back for `seconds`; after each, look for the pending probes."""
    xs, ys = inc.x, inc.y
    phase = Phase()
    pending: list[tuple[int, float, float, int]] = []
    no_busy = np.zeros(registry.n_responders, bool)
    before = cpu_seconds()
    started = time.perf_counter()
    i = 0
    while time.perf_counter() - started < seconds:
        if feed is not None and feed.error is not None:
            break
        x, y = xs[i % len(xs)], ys[i % len(xs)]
        i += 1
        t = clock.now()
        phase.moved.append(live.moved)
        w0 = time.perf_counter_ns()
        select(registry, x, y, t, busy, config)
        phase.wall_ns.append(time.perf_counter_ns() - w0)
        if feed is None:
            continue
        while feed.probes:
            pending.append(feed.probes.popleft())
        still = []
        for probe in pending:
            row, px, py, submitted = probe
            found, _, _ = eligible_responders(
                registry, px, py, clock.now(), no_busy, PROBE_CONFIG, 4
            )
            if row in found.tolist():
                phase.stale_ns.append(time.perf_counter_ns() - submitted)
            else:
                still.append(probe)
        pending = still
    phase.seconds = time.perf_counter() - started
    phase.cpus = other_cpus(before, cpu_seconds())
    return phase


def _row(name: str, ms: np.ndarray) -> str:
    return (
        f"{name:<22}{len(ms):>8,}{np.median(ms):>9.3f}{np.percentile(ms, 99):>9.3f}{ms.max():>9.3f}"
    )


def _cpu_note(quiet: Phase, loaded: Phase) -> str:
    import os

    def share(p: Phase) -> str:
        return "?" if p.cpus is None else f"{p.cpus:.2f}"

    note = (
        f"machine: {os.cpu_count()} CPUs; other processes kept {share(quiet)} (quiet) / "
        f"{share(loaded)} (loaded) CPUs busy"
    )
    # The feeder and the rebuild need a CPU of their own besides the selecting thread.
    if max(p.cpus or 0.0 for p in (quiet, loaded)) > 0.25:
        note += ": p99 and max are inflated, re-run on a quiet machine for clean tails"
    return note


class _Postgis:
    """Save the registry to PostGIS, then write every applied fix there from a thread."""

    def __init__(self, url: str, demo: DemoSet, log: Callable[[str], None]) -> None:
        import psycopg

        from alert_engine.centre.pg_registry import save_registry

        self.url = url
        self.queue: queue.Queue[list[PositionFix] | None] = queue.Queue()
        self.rows = 0
        self.statements = 0
        self.busy_s = 0.0
        self.lag_max = 0
        self.error: BaseException | None = None
        log(f"PostGIS: saving the registry to {url} ...")
        self.conn = psycopg.connect(url, autocommit=True)
        t0 = time.perf_counter()
        save_registry(self.conn, demo.rows(), demo.metadata())
        self.save_s = time.perf_counter() - t0
        self.thread = threading.Thread(target=self._write, name="pg-writer")
        self.thread.start()

    def _write(self) -> None:
        from alert_engine.centre.pg_registry import write_positions

        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is not None:
                continue
            # Whatever queued up meanwhile goes in the same statement.
            while not self.queue.empty():
                more = self.queue.get()
                if more is None:
                    self.queue.put(None)
                    break
                batch += more
            self.lag_max = max(self.lag_max, self.queue.qsize())
            try:
                t0 = time.perf_counter()
                self.rows += write_positions(self.conn, batch)
                self.busy_s += time.perf_counter() - t0
                self.statements += 1
            except BaseException as exc:
                self.error = exc

    def finish(self, registry: Registry) -> list[str]:
        from alert_engine.centre.pg_registry import load_registry

        self.queue.put(None)
        self.thread.join()
        t0 = time.perf_counter()
        loaded = load_registry(self.conn)
        load_s = time.perf_counter() - t0
        self.conn.close()
        if self.error is not None:
            return [f"PostGIS: writing failed: {type(self.error).__name__}: {self.error}"]
        return [
            "",
            f"PostGIS: save_registry {self.save_s:.1f} s; load_registry {load_s:.1f} s "
            f"({loaded.n_responders:,} responders, {int(np.isfinite(loaded.r_gps_epoch).sum()):,} with a fix)",
            f"PostGIS: write_positions {self.rows:,} rows in {self.statements:,} statements "
            f"({self.rows / max(self.statements, 1):.0f} rows each), {self.rows / max(self.busy_s, 1e-9):,.0f} rows/s "
            f"while writing ({self.busy_s:.1f} s busy)",
        ]


if __name__ == "__main__":
    sys.exit(main())
