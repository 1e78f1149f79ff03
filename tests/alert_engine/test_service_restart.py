"""Issue 9 (never lose a call): after a restart every running alarm continues, and the
demo's simulated responders go on from the moment of the restart."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from tests.builders import EVENING, facts, ring_responders


def service_on(path: Path, clock: SimClock) -> LocalService:
    registry = Registry.from_records(ring_responders(80, r_max=900, seed=3), [])
    return LocalService(registry, SqliteEventStore(path, key=None), clock, simulate=True, seed=5)


def test_a_running_alarm_and_its_simulated_responders_continue_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "events.sqlite"
    clock = SimClock(EVENING)
    first = service_on(path, clock)
    incident = first.new_call(facts())
    first.command("dispatch_ambulance", incident, "15-101")
    first.command("trigger_alert", incident)
    clock.advance(20)
    first.pump()
    before = first.engine.store.read()
    first.engine.store.close()  # the console is closed ...

    clock.advance(40)  # ... and started again 40 s later
    restarted = service_on(path, clock)
    assert restarted.resumed == [incident]
    assert restarted.engine.states == first.engine.states  # the same incidents, as folded from the log
    assert restarted.sim is not None and restarted.sim.pending() > 0
    restart_time = clock.now()
    for _ in range(60):
        clock.advance(10)
        restarted.pump()
    after = restarted.engine.store.read()[len(before):]
    answers = [e for e in after if e.type in ("responder_accepted", "responder_declined", "responder_arrived")]
    assert answers, "the simulated responders went on after the restart"
    assert all(e.time > restart_time for e in after)  # nothing back-dated into the gap
    assert restarted.engine.state(incident).accepted >= 1
    assert clock.now() - EVENING > timedelta(minutes=10)
