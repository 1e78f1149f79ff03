"""Property tests: the contract's rules hold for random registries and random timelines."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alert_engine.audit import audit, target_check_missing
from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.engine import Engine
from alert_engine.errors import EngineError
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.registry.model import Address, Aed, AedStatus, GpsFix, Responder
from alert_engine.registry.table import Registry
from alert_engine.state import state_at
from tests.builders import AMS, ZOETERMEER, facts, offset

WINDOWS = ["24/7", "Mo-Fr 08:00-18:00", "Mo-Su 17:00-24:00,00:00-08:00", "Sa,Su 00:00-24:00"]
START = datetime(2026, 11, 23, 18, 30, tzinfo=AMS)  # a Monday evening


@st.composite
def responders(draw: st.DrawFn) -> list[Responder]:
    n = draw(st.integers(1, 120))
    out = []
    for i in range(n):
        north = draw(st.floats(-2500, 2500))
        east = draw(st.floats(-2500, 2500))
        lat, lon = offset(ZOETERMEER, north, east)
        gps = None
        if draw(st.booleans()) and draw(st.booleans()):
            age_min = draw(st.sampled_from([1, 5, 30, 120]))
            glat, glon = offset(ZOETERMEER, draw(st.floats(-2000, 2000)), draw(st.floats(-2000, 2000)))
            gps = GpsFix(glat, glon, START - timedelta(minutes=age_min))
        out.append(
            Responder(
                id=f"R{i}",
                certificate_valid_until=date(2026, 11, 23) + timedelta(days=draw(st.integers(-30, 300))),
                addresses=(Address(lat, lon, draw(st.sampled_from(WINDOWS))),),
                gps=gps,
                availability=draw(st.sampled_from(["24/7", "24/7", "Mo-Su 06:00-22:00"])),
                active=draw(st.booleans()) or draw(st.booleans()),
            )
        )
    return out


@st.composite
def aeds(draw: st.DrawFn) -> list[Aed]:
    out = []
    for i in range(draw(st.integers(0, 8))):
        lat, lon = offset(ZOETERMEER, draw(st.floats(-2500, 2500)), draw(st.floats(-2500, 2500)))
        out.append(
            Aed(
                f"A{i}",
                lat,
                lon,
                draw(st.sampled_from(WINDOWS)),
                draw(st.sampled_from([AedStatus.READY, AedStatus.READY, AedStatus.MAINTENANCE])),
            )
        )
    return out


COMMANDS = ["dispatch", "trigger", "accept", "decline", "arrive", "fetch", "connect", "cancel", "close",
            "update", "override", "wait", "wait", "call"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(responders(), aeds(), st.data())
def test_contract_rules_hold_for_random_timelines(rs, ads, data):
    config = AlertConfig(
        wanted_responders=data.draw(st.integers(1, 80)),
        max_responders=data.draw(st.integers(1, 100)),
        max_aeds=data.draw(st.integers(0, 3)),
    )
    registry = Registry.from_records(rs, ads)
    clock = SimClock(START)
    engine = Engine(registry, MemoryEventStore(), clock, config)
    # Rule 7 from an independent run: the live engine's states after every commit, checked
    # below against audit.py's own fold of the log up to that event.
    recorded: dict[int, dict] = {}
    engine.subscribe(lambda batch: recorded.__setitem__(batch[-1].seq, dict(engine.states)))
    incidents: list[str] = []
    for _ in range(data.draw(st.integers(3, 40))):
        cmd = data.draw(st.sampled_from(COMMANDS)) if incidents else "call"
        clock.advance(data.draw(st.integers(0, 120)))
        engine.tick()
        try:
            if cmd == "call":
                inc = f"I{len(incidents) + 1}"
                north, east = data.draw(st.floats(-1500, 1500)), data.draw(st.floats(-1500, 1500))
                age = data.draw(st.sampled_from([None, 0.5, 40, 80]))
                engine.call(inc, facts(offset(ZOETERMEER, north, east), age=age,
                                       violence=data.draw(st.booleans()) and data.draw(st.booleans())))
                incidents.append(inc)
                continue
            inc = data.draw(st.sampled_from(incidents))
            s = engine.state(inc)
            if cmd == "dispatch":
                engine.dispatch_ambulance(inc, "15-101")
            elif cmd == "trigger":
                engine.trigger_alert(inc)
            elif cmd in ("accept", "decline", "arrive") and s.responders:
                rid = data.draw(st.sampled_from(sorted(s.responders)))
                if cmd == "arrive":
                    engine.arrive(inc, rid)
                else:
                    engine.respond(inc, rid, cmd)
            elif cmd in ("fetch", "connect") and s.aeds:
                aid = data.draw(st.sampled_from(sorted(s.aeds)))
                (engine.aed_fetched if cmd == "fetch" else engine.aed_connected)(inc, aid)
            elif cmd == "cancel":
                engine.cancel_alarm(inc)
            elif cmd == "close":
                engine.close(inc)
            elif cmd == "update":
                engine.update_call(inc, {"patient_age_years": data.draw(st.sampled_from([None, 0.3, 55]))})
            elif cmd == "override":
                engine.override_exclusion(inc, "beoordeeld door centralist")
        except EngineError:
            pass  # refused commands must leave the log untouched: checked below
    events = engine.store.read()
    assert audit(events, config, Registry.from_records(rs, ads), recorded=recorded) == []
    assert target_check_missing(events, config) == []
    assert len(recorded) == len({e.seq for e in events} & set(recorded))  # every commit was compared
    # Replay by time (the review's scrubber) gives the live state of the last commit at or before it.
    if events:
        mid = events[len(events) // 2]
        last_commit = max(seq for seq in recorded if events[seq - 1].time <= mid.time)
        for inc in incidents:
            live = recorded[last_commit].get(inc)
            if live is not None and all(e.time <= mid.time for e in events[:last_commit]):
                later = [e for e in events[last_commit:] if e.incident == inc and e.time <= mid.time]
                if not later:
                    assert state_at(events, inc, mid.time) == live
