"""`python -m benchmarks.review`: how fast the review opens and follows the scrubber.

Builds a 60-minute incident on the real engine with a SimClock: 100 alerted responders
who accept, decline, time out, accept late (oversupply) and arrive; two ambulances; AED
runners fetching and connecting AEDs; the caller instruction handed over and taken back;
AED checks after closing. One incident with 100 responders yields about 300 events (a
responder has at most ~3 of their own), so the rest of the ~1,000 are the dispatcher's
notes during the incident (`annotation_added` via the engine's `annotate`, real events the
fold applies), kept in the replayed history here on purpose. A second run reviews one of
six concurrent incidents (several incidents' worth in one store) without notes.

Then it opens the ReviewWindow offscreen and measures opening and 200 random seeks that
each update every panel: the fold, both table models, the live panel with its chart
(redrawn at once, not on its 10 Hz timer), the caller panel, the header, the intervals,
the timeline and the map push (queued ops sent to the page in one runJavaScript call).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.engine import Engine
from alert_engine.errors import EngineError
from alert_engine.eventlog.jsonl import export_jsonl
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts
from alert_engine.registry.model import Address, Aed, Responder
from alert_engine.registry.table import Registry
from alert_engine.timeline import Timeline

START = datetime(2026, 11, 22, 19, 40, tzinfo=ZoneInfo("Europe/Amsterdam"))
CENTRE = (52.0601, 4.4932)  # Zoetermeer
SPEED_MPS = 2.3
# The radius grows until 100 eligible responders are in reach (default 70), so that every
# alarm alerts the maximum of 100: the heaviest tables and map for the review.
CONFIG = AlertConfig(wanted_responders=100)


def _offset(centre: tuple[float, float], north: float, east: float) -> tuple[float, float]:
    lat, lon = centre
    return lat + north / 111_320, lon + east / (111_320 * math.cos(math.radians(lat)))


def registry(rng: random.Random, centres: list[tuple[float, float]], per_centre: int = 400) -> Registry:
    """Synthetic responders within 1 km of each centre and six AEDs each: 100 get alerted."""
    responders, aeds = [], []
    for c, centre in enumerate(centres):
        for i in range(per_centre):
            d, a = 1000 * math.sqrt(rng.random()), rng.random() * 2 * math.pi
            lat, lon = _offset(centre, d * math.cos(a), d * math.sin(a))
            n = c * per_centre + i + 1
            responders.append(Responder(f"B{n:05d}", date(2027, 6, 30), (Address(lat, lon),), pseudonym=f"BHV-{n:05d}"))
        for i, (north, east) in enumerate(((250, 0), (0, 300), (-350, 0), (0, -400), (600, 500), (-500, -600)), 1):
            lat, lon = _offset(centre, north, east)
            aeds.append(Aed(f"AED-{c + 1}{i}", lat, lon, cabinet_code="0000",
                            location_description=f"Synthetische AED {c + 1}.{i}"))
    return Registry.from_records(responders, aeds)


@dataclass
class Built:
    events: list[Event]
    registry: Registry
    incident: str


class IncidentScript:
    """Commands at simulated times (an action may schedule more); lapsed alerts in between."""

    def __init__(self, engine: Engine, clock: SimClock) -> None:
        self.engine = engine
        self.clock = clock
        self.timeline = Timeline(clock)
        # Lapses first at equal times; none after the last command (the bench's log ends there).
        self.timeline.follow(engine.next_deadline, lambda _t: engine.tick(), order=0)

    def at(self, seconds: float, action: Callable[[], object]) -> None:
        self.timeline.schedule(START + timedelta(seconds=seconds), partial(_tolerant, action), order=1)

    def run(self) -> None:
        while self.timeline:
            self.timeline.step()


def _tolerant(action: Callable[[], object]) -> None:
    with contextlib.suppress(EngineError):  # e.g. an answer after closing: the script is not the rules
        action()


def script_incident(s: IncidentScript, rng: random.Random, incident: str, t0: float,
                    centre: tuple[float, float], notes_every: float | None, length: float = 3600.0) -> None:
    engine = s.engine
    lat, lon = centre
    s.at(t0, lambda: engine.call(incident, CallFacts(lat=lat, lon=lon, patient_age_years=67, location_kind="woning")))
    s.at(t0 + 20, lambda: engine.dispatch_ambulance(incident, "15-101"))
    s.at(t0 + 28, lambda: engine.dispatch_ambulance(incident, "15-117"))
    s.at(t0 + 30, lambda: engine.caller_instruction(incident, "instructing"))
    s.at(t0 + 35, lambda: engine.trigger_alert(incident))
    s.at(t0 + 36, lambda: _answers(s, engine, rng, incident, t0 + 36))
    s.at(t0 + 560, lambda: engine.ambulance_arrived(incident, "15-101"))
    s.at(t0 + 590, lambda: engine.ambulance_arrived(incident, "15-117"))
    s.at(t0 + 600, lambda: engine.caller_instruction(incident, "handed_over"))
    s.at(t0 + 640, lambda: engine.caller_instruction(incident, "instructing"))  # the caller is asked to help again
    s.at(t0 + 700, lambda: engine.caller_instruction(incident, "handed_over"))
    s.at(t0 + 760, lambda: engine.oversupply_feedback(incident, ""))
    s.at(t0 + length - 600, lambda: engine.close(incident))
    for k, when in enumerate((length - 420, length - 300, length - 120)):
        s.at(t0 + when, partial(_confirm, engine, k))
    if notes_every:
        n = 0
        t = t0 + 40.0
        while t < t0 + length - 1:
            n += 1
            s.at(t, partial(engine.annotate, incident, "centralist", f"notitie {n}", START + timedelta(seconds=t)))
            t += notes_every


def _confirm(engine: Engine, k: int) -> None:
    waiting = [a for st in engine.states.values() for a in st.aed_checks]
    if waiting:
        engine.confirm_aed_ready(waiting[min(k, len(waiting) - 1)])


def _answers(s: IncidentScript, engine: Engine, rng: random.Random, incident: str, now: float) -> None:
    """A slow evening: a few early accepts (the target is not met before the 180 s timeout),
    early declines, then timeouts, late accepts that meet the target, and oversupply."""
    state = engine.state(incident)
    fetched: set[str] = set()
    early = 0
    for r in state.responders.values():
        roll = rng.random()
        if roll < 0.20:
            s.at(now + rng.uniform(5, 120), partial(engine.respond, incident, r.id, "decline"))
            continue
        if roll < 0.24 and early < 3:
            early += 1
            answer = now + rng.uniform(40, 170)
        elif roll < 0.45:
            answer = now + rng.uniform(200, 600)  # after the 180 s timeout: a late accept
        else:
            continue  # never answers: times out
        s.at(answer, partial(engine.respond, incident, r.id, "accept"))
        travel = r.distance_m / SPEED_MPS
        if r.role == "aed" and r.aed:
            travel *= 1.6
            if r.aed not in fetched:
                fetched.add(r.aed)
                s.at(answer + travel * 0.55, partial(engine.aed_fetched, incident, r.aed))
                s.at(answer + travel + 40, partial(engine.aed_connected, incident, r.aed))
        if rng.random() < 0.8:
            s.at(answer + travel, partial(engine.arrive, incident, r.id))


def build(incidents: int = 1, notes_every: float | None = 5.0, seed: int = 7) -> Built:
    rng = random.Random(seed)
    centres = [_offset(CENTRE, 0, 4500 * k) for k in range(incidents)]  # far enough apart not to share
    reg = registry(rng, centres)
    clock = SimClock(START)
    engine = Engine(reg, MemoryEventStore(), clock, CONFIG)
    script = IncidentScript(engine, clock)
    for k, centre in enumerate(centres):
        script_incident(script, rng, f"I{k + 1}", 90.0 * k, centre, notes_every if k == 0 else None)
    script.run()
    return Built(engine.store.read(), reg, "I1")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def fold_only(events: list[Event], incident: str, snapshot_every: int | None, seeks: list[float]) -> list[float]:
    from alert_engine.review.replay import ReplayService

    replay = ReplayService([e for e in events if e.incident == incident], snapshot_every=snapshot_every)
    out = []
    for s in seeks:
        t = replay.start + timedelta(seconds=s)
        started = time.perf_counter()
        replay.seek(t)
        replay.state(incident)
        out.append((time.perf_counter() - started) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.review")
    parser.add_argument("--seeks", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.app import prepare_environment

    # The live console's Chromium and Qt settings (software map, no zygotes, ...), so a
    # review window costs and behaves the same whether opened here or from the console.
    prepare_environment()
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        code: int = loop.run_until_complete(run(args))
    return code


async def run(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    from alert_engine.review.access_log import AccessLog
    from console.review.window import ReviewWindow, open_review

    built_at = time.perf_counter()
    one = build(1, notes_every=4.2)
    busy = build(6, notes_every=None)
    print(f"built both workloads on the engine in {time.perf_counter() - built_at:.1f} s; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (other processes slow the wall clock)")
    rng = random.Random(args.seed)
    first = True
    with tempfile.TemporaryDirectory(prefix="zesminuten-bench-") as tmp:
        os.environ["ZESMINUTEN_HOME"] = tmp
        for label, built in (("one 60-minute incident incl. dispatcher notes", one),
                             ("incident I1 of six concurrent ones (a busy hour; the store holds all six)", busy)):
            mine = [e for e in built.events if e.incident == built.incident]
            kinds: dict[str, int] = {}
            for e in mine:
                kinds[e.type] = kinds.get(e.type, 0) + 1
            alerted = len(next(e for e in mine if e.type == "alert_sent")["responders"])
            span = (mine[-1].time - mine[0].time).total_seconds() / 60
            print(f"\n== {label}")
            print(f"   {len(built.events)} events in the log, {len(mine)} of them in the reviewed incident, "
                  f"{alerted} alerted responders, {span:.0f} minutes")
            print("   " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])))
            path = Path(tmp) / f"{len(built.events)}.jsonl"
            export_jsonl(built.events, path)
            seeks = [rng.uniform(0, span * 60) for _ in range(args.seeks)]
            for every in (None, 32, 1):
                ms = fold_only(built.events, built.incident, every, seeks)
                name = {None: "re-fold from the start", 32: "snapshot every 32", 1: "snapshot every event"}[every]
                print(f"   fold only, {name:>22}: p50 {percentile(ms, .5):6.2f} ms  p99 {percentile(ms, .99):6.2f} ms  "
                      f"max {max(ms):6.2f} ms")

            cache = Path(tmp) / "map-cache"

            def open_window(path: Path = path, built: Built = built, cache: Path = cache) -> ReviewWindow:
                window = open_review(path, built.incident, access_log=AccessLog(Path(tmp) / "access.sqlite"),
                                     who="bench", reason="benchmark", registry=built.registry, config=CONFIG,
                                     map_cache_dir=cache)
                assert window is not None
                window.resize(1600, 1000)
                window.show()
                QApplication.processEvents()  # first paint
                return window

            if first:  # the first web view of a process starts QtWebEngine and builds the map page
                started = time.perf_counter()
                cold = open_window()
                cold_ms = (time.perf_counter() - started) * 1000
                await cold.map_view.wait_ready(30)
                print(f"   first open in this process (QtWebEngine start-up, map page built): {cold_ms:.0f} ms; "
                      f"map ready after {(time.perf_counter() - started) * 1000:.0f} ms")
                cold.close()
                cold.deleteLater()
                await asyncio.sleep(0.2)
                first = False
            started = time.perf_counter()
            window = open_window()
            opened = (time.perf_counter() - started) * 1000
            await window.map_view.wait_ready(30)
            map_ready = (time.perf_counter() - started) * 1000
            print(f"   open (read + verify {path.stat().st_size // 1024} KB JSONL, log access, fold, build and "
                  f"show the window): {opened:.0f} ms; map page ready after {map_ready:.0f} ms")
            update, paint, total, cpu = [], [], [], []
            for s in seeks:
                t = window.replay.start + timedelta(seconds=s)
                t0, c0 = time.perf_counter(), time.thread_time()
                window.seek(t)  # fold, both models, live panel, caller panel, map ops, header, timeline
                window.redraw_now()  # the chart, which would otherwise redraw on its 10 Hz timer
                t1 = time.perf_counter()
                QApplication.processEvents()  # repaint every widget; the queued map ops go to the page
                t2, c2 = time.perf_counter(), time.thread_time()
                update.append((t1 - t0) * 1000)
                paint.append((t2 - t1) * 1000)
                total.append((t2 - t0) * 1000)
                cpu.append((c2 - c0) * 1000)
            for name, ms in (("update (fold, models, panels, chart, map ops)", update),
                             ("paint + map send (processEvents)", paint), ("total per seek, wall clock", total),
                             ("total per seek, CPU time of the GUI thread", cpu)):
                print(f"   {len(ms)} random seeks, {name:>46}: p50 {percentile(ms, .5):5.1f} ms  "
                      f"p99 {percentile(ms, .99):5.1f} ms  max {max(ms):5.1f} ms")
            print(f"   (map: {window.map_sync.pushes} pushes, {window.map_sync.ops_sent} ops; "
                  f"fold applied {window.replay.folds} events in all)")
            trips = []
            for s in seeks[:20]:
                window.seek(window.replay.start + timedelta(seconds=s))
                t0 = time.perf_counter()
                await window.map_view.eval_json("window.api.counts()")
                trips.append((time.perf_counter() - t0) * 1000)
            print(f"   map page applying a seek's ops (round trip, 20 samples): p50 {percentile(trips, .5):.1f} ms  "
                  f"max {max(trips):.1f} ms")
            window.close()
            window.deleteLater()
            await asyncio.sleep(0.2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
