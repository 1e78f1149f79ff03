"""`zesminuten-engine simulate-year`: a year of alarms over the national demo registry,
each through the real engine with simulated responders, checked against published figures.

Alarms run one at a time in call order on their own engine (sharing the registry), so a
responder still busy on an earlier alarm is masked out of a later one, and an AED used
on one alarm is out of service until its manager confirms it ready.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import multiprocessing as mp
import os
import queue
import shlex
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from ..clock import SimClock
from ..config import AlertConfig
from ..engine import Engine
from ..files import write_atomically
from ..registry.table import Registry
from ..timeline import Timeline
from .alarm import AlarmOutcome, run_alarm
from .behaviour import BehaviourParams
from .incidents import Alarm, IncidentParams, draw_alarms
from .year_report import write_report

# Assumption: the AED manager checks a used AED and reports it ready within a day.
AED_READY_AFTER = timedelta(hours=24)
Progress = Callable[[int], None]


@dataclass
class ChunkResult:
    outcomes: list[AlarmOutcome]
    alerted: np.ndarray  # registry index of every alert sent (one entry per alert)
    cpu_s: list[float] = field(default_factory=list)  # CPU seconds per worker


def run_chunk(
    registry: Registry,
    alarms: Sequence[Alarm],
    seed: int,
    behaviour: BehaviourParams,
    progress: Progress | None = None,
    config: AlertConfig | None = None,
    channel: str = "app",
) -> ChunkResult:
    """Play `alarms` (sorted by call time) one after another on the shared registry."""
    cpu0 = time.process_time()
    engaged: list[tuple[datetime, np.ndarray]] = []  # busy until the alarm closed
    # AED checks of closed alarms, each on its own alarm's engine and clock: no shared clock
    # to move, only an order (by time, ties as they were planned).
    checks = Timeline()
    outcomes: list[AlarmOutcome] = []
    alerted: list[np.ndarray] = []
    index = registry.r_index
    # One mask for the whole chunk: a fresh 240,000-entry array per alarm costs page faults.
    free = np.ones(registry.n_responders, dtype=bool)
    for n, alarm in enumerate(alarms, 1):
        alert_at = alarm.call_time + timedelta(seconds=alarm.alert_s)
        checks.run_until(alert_at)
        engaged = [(until, idx) for until, idx in engaged if until > alert_at]
        for _, idx in engaged:
            free[idx] = False
        rng = np.random.default_rng([seed, 3, alarm.index])
        engine, out = run_alarm(
            registry, alarm, behaviour, rng, config, free if engaged else None, channel
        )
        for _, idx in engaged:
            free[idx] = True
        closed = alarm.call_time + timedelta(seconds=alarm.close_s)
        if out.engaged_ids:
            engaged.append((closed, np.asarray([index[r] for r in out.engaged_ids], np.int64)))
        clock = engine.clock
        assert isinstance(clock, SimClock)
        for aed in out.fetched_aeds:
            ready = closed + AED_READY_AFTER
            checks.schedule(ready, partial(_confirm_ready, engine, clock, ready, aed))
        alerted.append(np.asarray([index[r] for r in out.alerted_ids], np.int64))
        out.alerted_ids, out.engaged_ids = [], []  # counted; no need to ship them back
        outcomes.append(out)
        if progress is not None:
            progress(n)
    flat = np.concatenate(alerted) if alerted else np.zeros(0, np.int64)
    return ChunkResult(outcomes, flat, [time.process_time() - cpu0])


def _confirm_ready(engine: Engine, clock: SimClock, ready: datetime, aed: str) -> None:
    clock.set(max(ready, clock.now()))
    engine.confirm_aed_ready(aed)


# -- workers ---------------------------------------------------------------------------
_SHARED: dict[str, Any] = {}  # set before fork; the children inherit it


def _worker(i: int, chunk: Sequence[Alarm], seed: int, behaviour: BehaviourParams,
            done: Any, results: Any, config: AlertConfig | None, channel: str) -> None:  # fmt: skip
    def progress(n: int) -> None:
        done[i] = n

    try:
        res = run_chunk(_SHARED["registry"], chunk, seed, behaviour, progress, config, channel)
        results.put((i, res))
    except BaseException:  # the parent reports it; a silent dead child would hang it
        results.put((i, traceback.format_exc()))


def simulate(
    registry: Registry,
    alarms: Sequence[Alarm],
    seed: int,
    behaviour: BehaviourParams,
    workers: int = 1,
    report: Callable[[int], None] | None = None,
    config: AlertConfig | None = None,
    channel: str = "app",
) -> ChunkResult:
    """All alarms; with workers > 1 the year is cut into consecutive stretches, one per
    process (forked, so the registry is shared copy-on-write, not pickled)."""
    workers = max(1, min(workers, len(alarms) or 1))
    if workers == 1 or "fork" not in mp.get_all_start_methods():
        return run_chunk(registry, alarms, seed, behaviour, report, config, channel)
    bounds = np.linspace(0, len(alarms), workers + 1).round().astype(int)
    chunks = [alarms[a:b] for a, b in itertools.pairwise(bounds)]
    ctx = mp.get_context("fork")
    done = ctx.Array("q", workers, lock=False)
    results = ctx.Queue()
    _SHARED["registry"] = registry
    procs = [
        ctx.Process(
            target=_worker,
            args=(i, c, seed, behaviour, done, results, config, channel),
            daemon=True,
        )
        for i, c in enumerate(chunks)
    ]
    # Frozen objects are skipped by the collector, so the children's garbage collections
    # do not write to (and so copy) every page of the registry they share with us.
    gc.collect()
    gc.freeze()
    with warnings.catch_warnings():
        # numpy's idle OpenBLAS pool counts as threads; the children never use it.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        for p in procs:
            p.start()
    got: dict[int, ChunkResult] = {}
    try:
        while len(got) < workers:
            try:
                i, res = results.get(timeout=0.2)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise RuntimeError("a simulation worker died") from None
            else:
                if isinstance(res, str):
                    raise RuntimeError(f"simulation worker {i} failed:\n{res}")
                got[i] = res
            if report is not None:
                report(sum(done[:]))
    finally:
        for p in procs:
            p.join(timeout=1)
            if p.is_alive():
                p.kill()
        _SHARED.clear()
        gc.unfreeze()
    parts = [got[i] for i in range(workers)]
    return ChunkResult(
        [o for p in parts for o in p.outcomes],
        np.concatenate([p.alerted for p in parts]),
        [c for p in parts for c in p.cpu_s],
    )


# -- registry --------------------------------------------------------------------------
def load_registry(
    region: str, seed: int, store: Path | None, log: Callable[[str], None]
) -> tuple[Registry, str]:
    """The demo registry: from `store` when it holds one, else generated (and saved there)."""
    from ..errors import InvalidInput
    from ..registry.demo import generate_set
    from ..registry.store import RegistryStore

    t0 = time.perf_counter()
    if store is not None:
        with RegistryStore(store) as s:
            if s.counts().responders:
                meta = s.metadata()
                if meta.get("region", region) != region:
                    raise InvalidInput(
                        f"{store} holds the registry of region {meta['region']!r}, not "
                        f"{region!r}: pass --region {meta['region']} or another store"
                    )
                registry = s.load_registry()
                what = f"region {meta.get('region', '?')}, seed {meta.get('seed', '?')}"
                return registry, f"loaded from {store} ({what}) in {time.perf_counter() - t0:.1f} s"
    log(f"generating the demo registry {region!r} (seed {seed}) ...")
    demo = generate_set(region, seed)
    registry = demo.registry()
    note = f"generated (region {region}, seed {seed}) in {time.perf_counter() - t0:.1f} s"
    if store is not None:
        t1 = time.perf_counter()
        with RegistryStore(store) as s:
            s.write_rows(demo.rows(), clear=("responders", "aeds"), metadata=demo.metadata())
        note += f"; saved to {store} in {time.perf_counter() - t1:.1f} s"
    return registry, note


# -- memory ----------------------------------------------------------------------------
def keep_freed_memory() -> bool:
    """Ask glibc to keep freed memory instead of handing it back to the kernel.

    Each alarm builds and drops a few MB (an engine, its states and numpy temporaries);
    by default glibc unmaps or trims it and the next alarm faults it back in, which cost
    ~1 ms of kernel time per alarm (500 page faults). A batch run can keep it. Linux
    with glibc only; elsewhere nothing happens (returns False).
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if sys.platform != "linux" or not name:
        return False
    try:
        libc = ctypes.CDLL(name)
        m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
        ok = libc.mallopt(m_mmap_threshold, 8 << 20)
        ok &= libc.mallopt(m_trim_threshold, 512 << 20)
        ok &= libc.mallopt(m_top_pad, 64 << 20)
        return bool(ok)
    except (OSError, AttributeError):
        return False


# -- progress --------------------------------------------------------------------------
class ProgressLine:
    """One updating line on stderr: done / total, rate, ETA (a line per 10 % if not a tty)."""

    def __init__(self, total: int, stream: Any = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.start = time.perf_counter()
        self._last = 0.0
        self._decile = -1

    def __call__(self, done: int) -> None:
        now = time.perf_counter()
        if self.tty and now - self._last < 0.2 and done < self.total:
            return
        decile = 10 * done // max(self.total, 1)
        if not self.tty and decile == self._decile:
            return
        self._last, self._decile = now, decile
        elapsed = now - self.start
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = (self.total - done) / rate if rate > 0 else float("nan")
        line = f"simulate-year: {done:,}/{self.total:,} alarms  {rate:,.0f}/s  ETA {eta:,.0f} s"
        self.stream.write(("\r" + line + "\x1b[K") if self.tty else line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


# -- command line ----------------------------------------------------------------------
def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "simulate-year",
        help="run a year of alarms through the engine and compare with published figures",
        description=__doc__,
    )
    p.add_argument("--alarms", type=int, default=12_500, help="alarms in the year (default 12500)")
    p.add_argument("--seed", type=int, default=1, help="registry and alarm seed (default 1)")
    p.add_argument("--region", default="nl", help="demo region (default nl = national)")
    p.add_argument(
        "--registry-store",
        type=Path,
        help="SQLite registry to load (else the demo set is generated and saved there)",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("docs/behaviour-validation.md"),
        help="markdown report (default docs/behaviour-validation.md)",
    )
    p.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    p.add_argument("--alarms-csv", type=Path, help="also write every alarm as CSV (for statistics)")
    p.add_argument(
        "--rules", default="2020", help="alerting rules of a year: 2019 or 2020 (default 2020)"
    )
    p.add_argument(
        "--compare-eta-aware", type=Path, metavar="DOC",
        help="run the year twice, default and ETA-aware alerting, and put the table in DOC "
             "(a block of its own; the rest of DOC is kept); no --out report",
    )
    p.add_argument(
        "--eta-margin-s", type=float, default=None,
        help="with --compare-eta-aware: alert only responders expected this many seconds "
             "before the ambulance (default: the config's eta_margin_s, 60)",
    )
    p.set_defaults(func=cmd_simulate_year)  # fmt: skip


def cmd_simulate_year(args: argparse.Namespace) -> int:
    from ..config import rule_preset
    from ..errors import InvalidInput
    from ..registry.demo import REFERENCE_DAY

    if args.alarms < 1:
        raise InvalidInput("--alarms must be at least 1")
    rules = rule_preset(args.rules)
    started = time.perf_counter()
    keep_freed_memory()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    registry, registry_note = load_registry(args.region, args.seed, args.registry_store, log)
    alarms = draw_alarms(args.region, args.alarms, args.seed, REFERENCE_DAY, IncidentParams())
    behaviour = BehaviourParams()
    if args.compare_eta_aware is not None:
        return _compare_eta_aware(args, registry, alarms, behaviour, rules, registry_note, started)
    line = ProgressLine(len(alarms))
    t_sim = time.perf_counter()
    result = simulate(
        registry, alarms, args.seed, behaviour, args.workers, line, rules.alert, rules.channel
    )
    line(len(alarms))
    line.finish()
    sim_s = time.perf_counter() - t_sim
    total_s = time.perf_counter() - started
    command = "zesminuten-engine simulate-year " + shlex.join(_argv(args))
    text = write_report(
        result, registry, command=command, seed=args.seed, region=args.region,
        out=args.out, registry_note=registry_note, sim_s=sim_s, total_s=total_s,
        workers=args.workers, cpus=os.cpu_count() or 1, rules=rules.name,
    )  # fmt: skip
    if args.alarms_csv:
        from .statistics import write_records, year_records

        write_atomically(args.alarms_csv, write_records(year_records(alarms, result.outcomes)))
    print(text)
    return 0


def _compare_eta_aware(args: argparse.Namespace, registry: Registry, alarms: Sequence[Alarm],
                       behaviour: BehaviourParams, rules: Any, registry_note: str, started: float) -> int:  # fmt: skip
    from dataclasses import replace

    from . import eta_compare

    base = rules.alert if args.eta_margin_s is None else replace(rules.alert, eta_margin_s=args.eta_margin_s)
    base.validate("--eta-margin-s")
    line = ProgressLine(len(alarms))  # once per run
    default, aware = eta_compare.compare(registry, alarms, args.seed, behaviour, args.workers, base,
                                         rules.channel, line)  # fmt: skip
    line.finish()
    out = ["--alarms", str(args.alarms), "--seed", str(args.seed)]
    if args.region != "nl":
        out += ["--region", args.region]
    if args.eta_margin_s is not None:
        out += ["--eta-margin-s", f"{args.eta_margin_s:g}"]
    out += ["--compare-eta-aware", str(args.compare_eta_aware), "--workers", str(args.workers)]
    note = (f"{registry_note}; rules {rules.name}; both runs on the same alarms and seed, "
            f"{time.perf_counter() - started:.0f} s in all.")
    print(eta_compare.write(args.compare_eta_aware, "zesminuten-engine simulate-year " + shlex.join(out),
                            base.eta_margin_s, default, aware, note))  # fmt: skip
    return 0


def _argv(args: argparse.Namespace) -> list[str]:
    out = ["--alarms", str(args.alarms), "--seed", str(args.seed)]
    if args.region != "nl":
        out += ["--region", args.region]
    if args.rules != "2020":
        out += ["--rules", args.rules]
    if args.registry_store:
        out += ["--registry-store", str(args.registry_store)]
    return [*out, "--out", str(args.out), "--workers", str(args.workers)]
