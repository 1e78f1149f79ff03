"""What the benchmark measures with: incident points, per-call timing with the garbage
collector watched, memory of this process, and how busy the rest of the machine was."""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from alert_engine.clock import AMSTERDAM
from alert_engine.geo import to_rd
from alert_engine.selection import Selection

from .brute import Fingerprint, fingerprint
from .report import Agreement

WARM_UP = 50


@dataclass
class Incidents:
    x: list[float]
    y: list[float]
    t: list[datetime]


# -- incidents ---------------------------------------------------------------------------
def incident_points(region: str, n: int, seed: int) -> Incidents:
    """`n` points in proportion to population (uniform inside each CBS PC4 area), at times
    spread uniformly over one week, day and night."""
    from alert_engine.registry.demo import REFERENCE_DAY
    from alert_engine.registry.placement import points_in_polygons
    from alert_engine.registry.postcodes import region_areas

    rng = np.random.default_rng([seed, 112])  # not the demo's stream: other points
    areas = region_areas(region)
    counts = rng.multinomial(n, areas.population / areas.population.sum())
    _, lat, lon = points_in_polygons(areas.geometry, counts, rng)
    order = rng.permutation(len(lat))  # so any prefix (the brute subsample) is national
    x, y = to_rd(lat[order], lon[order])
    # The week the demo certificates are judged against: some expire during it.
    start = datetime(REFERENCE_DAY.year, REFERENCE_DAY.month, REFERENCE_DAY.day, tzinfo=AMSTERDAM)
    offsets = rng.uniform(0, 7 * 86400, len(x))
    # From the timestamp, so an hour is an hour even across a DST change.
    times = [datetime.fromtimestamp(start.timestamp() + s, AMSTERDAM) for s in offsets.tolist()]
    return Incidents(x.tolist(), y.tolist(), times)


# -- memory ------------------------------------------------------------------------------
def status_kb(key: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak_rss() -> bool:
    """Linux: writing 5 to clear_refs resets VmHWM, so the peak covers only what follows."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def cpu_seconds() -> tuple[float, float, float] | None:
    """(wall, CPU busy on the whole machine, CPU of this process) in seconds (Linux)."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    return time.perf_counter(), busy, time.process_time()


def other_cpus(
    before: tuple[float, float, float] | None, after: tuple[float, float, float] | None
) -> float | None:
    if before is None or after is None or after[0] <= before[0]:
        return None
    others = (after[1] - before[1]) - (after[2] - before[2])
    return max(0.0, others / (after[0] - before[0]))


def contention_note(other_cpus: float | None) -> str:
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


def gc_note(method: str, run: Run) -> str:
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
