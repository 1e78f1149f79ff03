"""Console benchmark: `python -m console.bench` (offscreen unless --show).

Loads the national synthetic registry, opens the real main window (QtWebEngine map
included), starts 100-responder alarms and feeds responder updates at 20 a second through
the service, as answering responders would. It measures what the dispatcher would feel:

* UI update rate: how often the coalesced feed repaints the console (target ≤ 10/s);
* event-loop stalls: lateness of a 5 ms heartbeat timer (p99 and max);
* start-up: from building the window to a usable queue with the map ready;
* memory: resident set of this process plus QtWebEngine's helper processes (/proc).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()

# Dense places across the country, so four alarms each find 100 responders of their own.
ALARM_PLACES = (
    (52.3731, 4.8922, "Dam, Amsterdam (bench)"),
    (51.9225, 4.4792, "Coolsingel, Rotterdam (bench)"),
    (52.0907, 5.1214, "Neude, Utrecht (bench)"),
    (52.0799, 4.3113, "Plein, Den Haag (bench)"),
    (51.4416, 5.4697, "Markt, Eindhoven (bench)"),
)
TARGETS = {
    "ui_updates_per_s": 10.0,
    "stall_p99_ms": 50.0,
    "stall_max_ms": 250.0,
    "start_to_queue_s": 5.0,
    "rss_total_mb": 1500.0,
}


# -- memory ----------------------------------------------------------------------------------
def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        for child in parents.get(pid, []):
            out.append(child)
            todo.append(child)
    return out


def rss_mb() -> tuple[float, float]:
    """(this process, this process + all descendants such as QtWebEngineProcess) in MB."""
    me = os.getpid()
    own = _rss_kb(me)
    total = own + sum(_rss_kb(p) for p in _descendants(me))
    return own / 1024, total / 1024


# -- measurements ----------------------------------------------------------------------------
@dataclass
class Measurements:
    registry_load_s: float = 0.0
    responders: int = 0
    window_to_queue_s: float = 0.0
    process_to_queue_s: float = 0.0
    lateness_ms: list[float] = field(default_factory=list)
    flush_times: list[float] = field(default_factory=list)
    flushes_per_s: list[int] = field(default_factory=list)
    map_pushes_per_s: list[int] = field(default_factory=list)
    chart_redraws_per_s: list[int] = field(default_factory=list)
    updates_sent: int = 0
    events_written: int = 0
    command_ms: list[float] = field(default_factory=list)
    switch_ms: list[float] = field(default_factory=list)
    alarms: list[int] = field(default_factory=list)
    rss_own_mb: float = 0.0
    rss_total_mb: float = 0.0
    rss_peak_total_mb: float = 0.0
    seconds: float = 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def max_in_window(times: Sequence[float], width: float = 1.0) -> int:
    """Most events in any sliding window of `width` seconds (not just aligned seconds)."""
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


def report(m: Measurements) -> bool:
    busy = m.flushes_per_s[1:] or m.flushes_per_s  # the first second includes start-up
    ui_max = max_in_window(m.flush_times)
    p50, p99, worst = (percentile(m.lateness_ms, 50), percentile(m.lateness_ms, 99),
                       max(m.lateness_ms, default=0.0))
    checks = [
        ("UI updates per second (max in any sliding 1 s window)", ui_max, TARGETS["ui_updates_per_s"], "/s", ui_max <= TARGETS["ui_updates_per_s"]),
        ("event-loop stall p99 (5 ms heartbeat lateness)", p99, TARGETS["stall_p99_ms"], " ms", p99 <= TARGETS["stall_p99_ms"]),
        ("event-loop stall max", worst, TARGETS["stall_max_ms"], " ms", worst <= TARGETS["stall_max_ms"]),
        ("window built -> usable queue + map ready", m.window_to_queue_s, TARGETS["start_to_queue_s"], " s", m.window_to_queue_s <= TARGETS["start_to_queue_s"]),
        ("resident memory incl. QtWebEngine helpers", m.rss_total_mb, TARGETS["rss_total_mb"], " MB", m.rss_total_mb <= TARGETS["rss_total_mb"]),
    ]  # fmt: skip
    print()
    print("Zesminuten console benchmark")
    print(f"  registry: {m.responders:,} responders (national synthetic), loaded in {m.registry_load_s:.1f} s")
    print(f"  alarms: {len(m.alarms)} with {', '.join(map(str, m.alarms))} responders alerted")
    print(f"  fed {m.updates_sent} responder updates in {m.seconds:.1f} s "
          f"({m.updates_sent / max(m.seconds, 1e-9):.1f}/s), {m.events_written} events written")
    print(f"  service command: median {statistics.median(m.command_ms or [0]):.2f} ms, "
          f"p99 {percentile(m.command_ms, 99):.2f} ms")
    if m.switch_ms:
        print(f"  incident switch (100 responders on the map and in the tables): "
              f"median {statistics.median(m.switch_ms):.0f} ms, max {max(m.switch_ms):.0f} ms")
    print(f"  UI updates: mean {statistics.mean(busy or [0]):.1f}/s, max {ui_max}/s; "
          f"map pushes max {max(m.map_pushes_per_s[1:] or [0])}/s; "
          f"chart redraws max {max(m.chart_redraws_per_s[1:] or [0])}/s")
    print(f"  heartbeat lateness: p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {worst:.1f} ms "
          f"({len(m.lateness_ms)} beats)")
    print(f"  start: process -> usable queue {m.process_to_queue_s:.1f} s (incl. registry), "
          f"window -> usable queue {m.window_to_queue_s:.2f} s")
    print(f"  memory: this process {m.rss_own_mb:.0f} MB, with helpers {m.rss_total_mb:.0f} MB "
          f"(peak {m.rss_peak_total_mb:.0f} MB)")
    print()
    ok = True
    for name, value, target, unit, met in checks:
        ok = ok and met
        print(f"  [{'met' if met else 'NOT MET'}] {name}: {value:.2f}{unit} (target ≤ {target:g}{unit})")
    return ok


# -- the run ---------------------------------------------------------------------------------
def load_registry(args: argparse.Namespace) -> Any:
    if args.registry:
        from alert_engine.registry.store import RegistryStore

        with RegistryStore(args.registry) as store:
            return store.load_registry()
    from alert_engine.registry.demo import generate_set

    print("generating the national synthetic registry (a few seconds, up to ~20 s on a slow machine)…", file=sys.stderr, flush=True)
    return generate_set("nl", args.seed).registry()


class Feeder:
    """Plays responder answers and arrivals for the selected alarm, one per timer tick."""

    def __init__(self, service: Any, window: Any, incidents: list[str], m: Measurements, seed: int) -> None:
        import random

        self.service, self.window, self.m = service, window, m
        self.incidents = incidents
        self.rng = random.Random(seed)
        self.current = -1
        self.plan: list[tuple[str, str, str]] = []
        self.next_incident()

    def next_incident(self) -> bool:
        self.current += 1
        if self.current >= len(self.incidents):
            return False
        incident = self.incidents[self.current]
        started = time.perf_counter()
        self.window.queue.select(incident)
        self.m.switch_ms.append((time.perf_counter() - started) * 1000)
        ids = list(self.service.state(incident).responders)
        self.rng.shuffle(ids)
        # People accept first and walk afterwards: after the first 30 answers, every answer
        # is followed by the arrival of someone who accepted earlier.
        plan: list[tuple[str, str, str]] = []
        walking: list[str] = []
        for n, rid in enumerate(ids):
            answer = "accept" if self.rng.random() < 0.7 else "decline"
            plan.append((incident, rid, answer))
            if answer == "accept":
                walking.append(rid)
            if n >= 30 and walking:
                plan.append((incident, walking.pop(0), "arrive"))
        plan += [(incident, rid, "arrive") for rid in walking]
        self.plan = plan[::-1]
        return True

    def step(self) -> None:
        while not self.plan:
            if not self.next_incident():
                return
        incident, rid, what = self.plan.pop()
        started = time.perf_counter()
        try:
            if what == "arrive":
                events = self.service.command("arrive", incident, rid)
            else:
                events = self.service.command("respond", incident, rid, what)
        except Exception:  # an illegal move in the random plan is fine: it is refused
            events = []
        self.m.command_ms.append((time.perf_counter() - started) * 1000)
        self.m.updates_sent += 1
        self.m.events_written += len(events)


async def run(app: Any, args: argparse.Namespace, registry: Any, m: Measurements) -> bool:
    from PySide6.QtCore import Qt, QTimer

    from alert_engine.clock import SystemClock
    from alert_engine.config import AlertConfig
    from alert_engine.eventlog.store import SqliteEventStore
    from alert_engine.exclusion import CallFacts
    from alert_engine.gazetteer import Gazetteer
    from alert_engine.service import LocalService

    from .funnel import MessageFunnel
    from .main_window import MainWindow
    from .registry_setup import RegistryInfo

    work = Path(tempfile.mkdtemp(prefix="zesminuten-bench-"))
    store = SqliteEventStore(work / "events.sqlite")
    # Every alarm alerts the full 100 (the radius grows until 100 are in reach).
    service = LocalService(registry, store, SystemClock(), config=AlertConfig(wanted_responders=100))
    funnel = MessageFunnel()
    info = RegistryInfo(work / "national", registry.n_responders, registry.n_aeds, True, "nl")

    window_started = time.perf_counter()
    window = MainWindow(service, funnel, Gazetteer(), registry=info, map_cache_dir=work / "map", pump=True)
    window.resize(1600, 1000)
    window.show()
    await window.map_view.wait_ready(30)
    app.processEvents()
    m.window_to_queue_s = time.perf_counter() - window_started
    m.process_to_queue_s = time.perf_counter() - STARTED

    incidents = []
    for lat, lon, address in ALARM_PLACES[: args.alarms]:
        incident = service.new_call(CallFacts(lat=lat, lon=lon, patient_age_years=60), address)
        service.command("dispatch_ambulance", incident, "15-101")
        service.command("trigger_alert", incident)
        m.alarms.append(len(service.state(incident).responders))
        incidents.append(incident)
    window.feed.flush()

    # Heartbeat: how late does a 5 ms timer fire while the console works?
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        m.lateness_ms.append(max(0.0, (now - last[0]) * 1000 - 5.0))
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)

    feeder = Feeder(service, window, incidents, m, args.seed)
    feed_timer = QTimer()
    feed_timer.setTimerType(Qt.TimerType.PreciseTimer)
    feed_timer.setInterval(round(1000 / args.rate))
    feed_timer.timeout.connect(feeder.step)

    counters = [window.feed.flushes, window.map_sync.pushes, window.live.chart.redraws]
    window.feed.batch.connect(lambda _events: m.flush_times.append(time.perf_counter()))

    def per_second() -> None:
        now = [window.feed.flushes, window.map_sync.pushes, window.live.chart.redraws]
        m.flushes_per_s.append(now[0] - counters[0])
        m.map_pushes_per_s.append(now[1] - counters[1])
        m.chart_redraws_per_s.append(now[2] - counters[2])
        counters[:] = now
        m.rss_peak_total_mb = max(m.rss_peak_total_mb, rss_mb()[1])

    sampler = QTimer()
    sampler.setInterval(1000)
    sampler.timeout.connect(per_second)

    started = time.perf_counter()
    last[0] = started
    for timer in (heartbeat, feed_timer, sampler):
        timer.start()
    await asyncio.sleep(args.seconds)
    for timer in (heartbeat, feed_timer, sampler):
        timer.stop()
    m.seconds = time.perf_counter() - started
    m.rss_own_mb, m.rss_total_mb = rss_mb()
    m.rss_peak_total_mb = max(m.rss_peak_total_mb, m.rss_total_mb)
    ok = report(m)
    if errors := window.map_view.script_errors:
        print(f"  map page errors: {errors[:3]}")
        ok = False
    window.close()
    window.deleteLater()
    store.close()
    return ok


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m console.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=Path, help="a RegistryStore file instead of the generated national set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=20.0, help="responder updates per second")
    parser.add_argument("--alarms", type=int, default=4, choices=range(1, len(ALARM_PLACES) + 1))
    parser.add_argument("--show", action="store_true", help="use the real display instead of offscreen")
    args = parser.parse_args(argv)

    if not args.show:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from .app import prepare_environment

    prepare_environment()
    m = Measurements()
    loaded = time.perf_counter()
    registry = load_registry(args)
    m.registry_load_s = time.perf_counter() - loaded
    m.responders = registry.n_responders

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        ok: bool = loop.run_until_complete(run(app, args, registry, m))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
