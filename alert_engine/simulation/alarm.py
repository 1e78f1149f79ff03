"""One alarm through the real engine path on a simulated clock, and what its fold says.

call -> dispatch ambulance -> trigger_alert -> simulated responders (behaviour model) ->
ambulance arrives -> close. The outcome is read from the incident's state, which the
engine builds with the same fold (state.apply) that replay and reports use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

import numpy as np

from ..clock import AMSTERDAM, SimClock
from ..config import AlertConfig
from ..engine import Engine
from ..eventlog.store import MemoryEventStore
from ..exclusion import CallFacts
from ..registry.table import Registry
from ..state import AedState, IncidentState, ResponderState
from ..timeline import Timeline
from .behaviour import BehaviourParams
from .incidents import Alarm
from .responders import SimulatedResponders

NAN = math.nan
# Responders still coming or there hold the alarm until it is closed.
_ENGAGED = ("accepted", "arrived", "oversupply")


@dataclass
class AlarmOutcome:
    """The figures of one alarm, in seconds after the alert unless named otherwise."""

    index: int
    hour: int  # local hour of the call
    alerted: bool
    arrest: bool = True  # False: not an arrest after all
    called_off: bool = False  # the dispatcher cancelled the alarm before the close
    refusal: str = ""
    radius_m: float = NAN
    eligible_in_reach: int = 0
    n_alerted: int = 0
    n_aeds: int = 0
    n_runners: int = 0
    accepted: int = 0  # accepted while needed (not oversupply)
    oversupply: int = 0  # accepted after the target was met or after their cancellation
    declined: int = 0
    cancelled_unanswered: int = 0  # told "not needed" before they had answered
    full_window_alerts: int = 0  # alerts answered or left their whole answer window
    silent: int = 0  # ... of which never answered (neither accept nor decline)
    arrived: int = 0
    arrived_after_ambulance: int = 0  # on scene after the ambulance: redundant for the patient
    call_to_alert_s: float = NAN
    first_accept_s: float = NAN
    first_direct_s: float = NAN  # first responder with role "cpr" on scene
    first_on_scene_s: float = NAN
    aed_on_scene_s: float = NAN  # first runner on scene with the AED they fetched
    aed_connected: bool = False
    ambulance_after_call_s: float = NAN
    ambulance_after_alert_s: float = NAN
    responder_before_ambulance: bool = False
    aed_before_ambulance: bool = False
    target_met: bool = False
    full_window: bool = False
    # Per responder on scene (seconds after the alert) and how far they came (metres,
    # straight line; via the AED for runners who brought one).
    direct_arrivals_s: list[float] = field(default_factory=list)
    runner_arrivals_s: list[float] = field(default_factory=list)
    direct_distance_m: list[float] = field(default_factory=list)
    runner_distance_m: list[float] = field(default_factory=list)
    alerted_ids: list[str] = field(default_factory=list)
    engaged_ids: list[str] = field(default_factory=list)  # busy until close
    fetched_aeds: list[str] = field(default_factory=list)


def run_alarm(
    registry: Registry,
    alarm: Alarm,
    behaviour: BehaviourParams,
    rng: np.random.Generator,
    config: AlertConfig | None = None,
    free: np.ndarray | None = None,
    channel: str = "app",
) -> tuple[Engine, AlarmOutcome]:
    """Play one alarm to its close. `free` masks out responders busy on another alarm;
    `channel` is how the alert reaches phones (the rules' "app" or "sms")."""
    t0 = alarm.call_time
    clock = SimClock(t0)
    # No motorway index: a year's alarms are the ones that were alerted (exclusions are
    # not part of these figures), so the call facts exclude nothing.
    engine = Engine(registry, MemoryEventStore(), clock, config)
    sim = SimulatedResponders(engine, behaviour, rng, channel=channel)
    inc = alarm.incident
    if not alarm.arrest:
        sim.not_arrest.add(inc)
    engine.call(inc, CallFacts(lat=alarm.lat, lon=alarm.lon, location_kind="home"))
    sim.enable(inc)
    # Everyone is alerted at the same instant, so one tick at alert + timeout lapses
    # every unanswered alert exactly when the engine's own deadline says.
    lapse = alarm.alert_s + engine.config.response_timeout_s
    script = [
        (float(alarm.dispatch_s), 1, "dispatch"),
        (float(alarm.alert_s), 2, "alert"),
        (lapse, 0, "lapse"),
        (float(alarm.ambulance_s), 3, "ambulance"),
        (float(alarm.close_s), 4, "close"),
    ]
    if not math.isnan(alarm.called_off_s):
        script.append((alarm.called_off_s, 3, "call_off"))
    # At equal times: timeouts lapse first, then dispatch, alert, ambulance, close; the
    # responders after the dispatcher's step, as in the scenario runner.
    timeline = Timeline(clock)
    # ETA-aware alerting needs the ambulance's ETA: the simulated dispatch knows its arrival
    # exactly (the best case of the option; a real ETA errs by a minute or two).
    eta = t0 + timedelta(seconds=float(alarm.ambulance_s)) if engine.config.eta_aware else None
    for at, rank, what in sorted(script):
        timeline.schedule(t0 + timedelta(seconds=at), partial(_do, engine, inc, what, free, eta), rank)
    timeline.follow(sim.next_due, sim.run_due, order=5)  # after every script rank (0-4)
    while timeline:  # the responders only fill the gaps: the alarm ends with the script
        timeline.step()
    sent = next((e for e in engine.store.read(inc) if e.type == "alert_sent"), None)
    in_reach = int(sent.get("eligible_in_reach", 0)) if sent is not None else 0
    return engine, outcome(engine.state(inc), alarm, engine.config.response_timeout_s, in_reach)


def _do(engine: Engine, inc: str, what: str, free: np.ndarray | None, eta: datetime | None = None) -> None:
    if what == "dispatch":
        engine.dispatch_ambulance(inc, "A1")
        if eta is not None:
            engine.ambulance_status(inc, "A1", "en_route", eta)
    elif what == "alert":
        engine.trigger_alert(inc, free)
    elif what == "lapse":
        engine.tick()
    elif what == "ambulance":
        engine.ambulance_arrived(inc)
    elif what == "call_off":
        if engine.state(inc).alarm_open:
            engine.cancel_alarm(inc)
    else:
        engine.close(inc)


def _after(t: datetime | None, t0: datetime | None) -> float:
    return (t - t0).total_seconds() if t is not None and t0 is not None else NAN


def _via(r: ResponderState, a: AedState) -> float:
    """Straight-line metres from the responder to the AED and on to the victim."""
    if r.lat is None or r.lon is None or a.lat is None or a.lon is None:
        return NAN
    lat = math.radians((r.lat + a.lat) / 2)
    dx = math.radians(a.lon - r.lon) * math.cos(lat) * 6_371_000
    dy = math.radians(a.lat - r.lat) * 6_371_000
    return math.hypot(dx, dy) + a.distance_m


def outcome(
    s: IncidentState, alarm: Alarm, timeout_s: float, eligible_in_reach: int = 0
) -> AlarmOutcome:
    """Read an alarm's figures from its folded state (`eligible_in_reach` is the alert's)."""
    local = alarm.call_time.astimezone(AMSTERDAM)
    out = AlarmOutcome(
        index=alarm.index, hour=local.hour, alerted=s.alert_time is not None,
        arrest=alarm.arrest, called_off=s.alarm_cancelled_at is not None,
    )  # fmt: skip
    out.refusal = s.refusals[-1][1] if s.refusals and s.alert_time is None else ""
    amb = s.ambulance_arrived_at
    out.ambulance_after_call_s = _after(amb, s.call_time)
    if s.alert_time is None:
        return out
    a0 = s.alert_time
    out.call_to_alert_s = _after(a0, s.call_time)
    out.ambulance_after_alert_s = _after(amb, a0)
    out.radius_m = float(s.radius_m or 0.0)
    out.eligible_in_reach = eligible_in_reach
    # No "target reached" cancellation inside the answer window: every alert had its full
    # chance to be answered, as in systems that do not call responders off.
    out.full_window = s.target_met_at is None or _after(s.target_met_at, a0) >= timeout_s
    rs = list(s.responders.values())
    out.n_alerted = len(rs)
    out.n_aeds = len(s.aeds)
    out.n_runners = sum(1 for r in rs if r.role == "aed")
    out.alerted_ids = [r.id for r in rs]
    over = set(s.oversupply)
    out.oversupply = len(over)
    # answered_at is stamped by accept, decline and oversupply; a decline stays "declined".
    accepted = [
        r for r in rs if r.answered_at is not None and r.state != "declined" and r.id not in over
    ]
    out.accepted = len(accepted)
    out.declined = sum(1 for r in rs if r.state == "declined")
    out.cancelled_unanswered = sum(
        1 for r in rs if r.answered_at is None and r.cancelled_at is not None
    )
    window = [
        r for r in rs
        if r.answered_at is not None or r.cancelled_at is None
        or _after(r.cancelled_at, a0) >= timeout_s
    ]  # fmt: skip
    out.full_window_alerts = len(window)
    out.silent = sum(1 for r in window if r.answered_at is None and r.state != "declined")
    out.first_accept_s = min((_after(r.answered_at, a0) for r in accepted), default=NAN)
    arrived = [r for r in rs if r.arrived_at is not None]
    out.arrived = len(arrived)
    out.arrived_after_ambulance = sum(
        1 for r in arrived if amb is not None and r.arrived_at is not None and r.arrived_at >= amb
    )
    out.first_on_scene_s = min((_after(r.arrived_at, a0) for r in arrived), default=NAN)
    out.first_direct_s = min(
        (_after(r.arrived_at, a0) for r in arrived if r.role == "cpr"), default=NAN
    )
    bringer: dict[str, ResponderState] = {}
    for r in arrived:
        a = s.aeds.get(r.aed) if r.aed is not None else None
        if r.role == "cpr" or a is None:
            out.direct_arrivals_s.append(_after(r.arrived_at, a0))
            out.direct_distance_m.append(r.distance_m)
        elif a.fetched_at is not None and r.arrived_at is not None and r.arrived_at >= a.fetched_at:
            # The first of an AED's runners on scene brings it; the fold does not say
            # which runner opened the cabinet, and later runners found it empty.
            known = bringer.get(a.id)
            if known is None or (known.arrived_at is not None and r.arrived_at < known.arrived_at):
                bringer[a.id] = r
    for aed_id, r in bringer.items():
        out.runner_arrivals_s.append(_after(r.arrived_at, a0))
        out.runner_distance_m.append(_via(r, s.aeds[aed_id]))
    out.aed_on_scene_s = min(out.runner_arrivals_s, default=NAN)
    out.aed_connected = any(a.connected_at is not None for a in s.aeds.values())
    first = min((r.arrived_at for r in arrived if r.arrived_at is not None), default=None)
    out.responder_before_ambulance = first is not None and (amb is None or first < amb)
    connected = [a.connected_at for a in s.aeds.values() if a.connected_at is not None]
    out.aed_before_ambulance = bool(connected) and (amb is None or min(connected) < amb)
    out.target_met = s.target_met_at is not None
    out.engaged_ids = [r.id for r in rs if r.state in _ENGAGED or r.arrived_at is not None]
    # The AEDs the engine holds back for their manager's check (fetched, connected, or whose
    # code went to a runner who accepted): the year's simulation confirms each a day later.
    out.fetched_aeds = list(s.aed_checks)
    return out
