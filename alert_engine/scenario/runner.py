"""Run a scenario on a simulated clock and return (and optionally store) its event log."""

from __future__ import annotations

import heapq
import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import numpy as np

from ..clock import SimClock
from ..engine import Engine
from ..errors import EngineError
from ..eventlog.store import EventStore, MemoryEventStore
from ..events import Event
from ..exclusion import CallFacts
from ..motorway import MotorwayIndex, default_index
from ..notifications import RecordingChannel
from ..registry.table import Registry
from ..simulation.behaviour import BehaviourParams, PlannedAction, plan_responses
from .loader import Scenario, Step


@dataclass
class RunResult:
    events: list[Event]
    engine: Engine
    warnings: list[str] = field(default_factory=list)


@dataclass(order=True)
class _Item:
    at: float
    rank: int  # timeline steps before simulated actions at the same second, file order kept
    order: int
    step: Step | None = field(compare=False, default=None)
    sim: tuple[str, PlannedAction] | None = field(compare=False, default=None)


class ScenarioRunner:
    def __init__(
        self,
        scenario: Scenario,
        store: EventStore | None = None,
        registry: Registry | None = None,
        behaviour: BehaviourParams | None = None,
        pace: float = 0.0,
        motorways: MotorwayIndex | None = None,
    ) -> None:
        self.scenario = scenario
        self.clock = SimClock(scenario.start)
        self.channel = RecordingChannel()
        self.registry = registry or Registry.from_records(scenario.responders, scenario.aeds)
        self.engine = Engine(
            self.registry,
            store or MemoryEventStore(),
            self.clock,
            scenario.config,
            motorways=motorways if motorways is not None else default_index(),
            channel=self.channel,
        )
        self.behaviour = behaviour or BehaviourParams()
        self.rng = np.random.default_rng(scenario.seed)
        self.pace = pace  # wall seconds per simulated second (crash tests run slowly)
        self.simulated: set[str] = set()
        self.warnings: list[str] = []
        self._queue: list[_Item] = []
        self._counter = 0
        self._scripted = self._scripted_responders()

    def _scripted_responders(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for st in self.scenario.steps:
            if st.do in ("respond", "arrive"):
                out.setdefault(st.incident, set()).add(st.fields["responder"])
        return {k: frozenset(v) for k, v in out.items()}

    def _push(self, item: _Item) -> None:
        heapq.heappush(self._queue, item)

    def run(self, on_events: Callable[[list[Event]], None] | None = None) -> RunResult:
        produced: list[Event] = []

        def collect(events: list[Event]) -> None:
            produced.extend(events)
            if on_events:
                on_events(events)

        self.engine.subscribe(collect)
        for st in self.scenario.steps:
            self._push(_Item(st.at, 0, st.order, step=st))
        start = self.scenario.start
        while self._queue or self.engine.next_deadline() is not None:
            deadline = self.engine.next_deadline()
            head = self._queue[0] if self._queue else None
            head_time = start + timedelta(seconds=head.at) if head else None
            if deadline is not None and (head_time is None or deadline <= head_time):
                if not self._queue and not any(s.is_open for s in self.engine.states.values()):
                    break
                self._advance(deadline)
                self.engine.tick()
                continue
            assert head is not None and head_time is not None
            heapq.heappop(self._queue)
            self._advance(head_time)
            if head.step is not None:
                self._run_step(head.step)
            elif head.sim is not None:
                self._run_sim(*head.sim)
        return RunResult(produced, self.engine, self.warnings)

    def _advance(self, t: Any) -> None:
        if self.pace > 0:
            wallclock.sleep(max(0.0, (t - self.clock.now()).total_seconds() * self.pace))
        self.clock.set(max(t, self.clock.now()))

    # -- timeline steps -------------------------------------------------------------------
    def _run_step(self, st: Step) -> None:
        e, f, inc = self.engine, st.fields, st.incident
        try:
            if st.do == "call":
                facts = CallFacts(**{k: v for k, v in f.items() if k != "address"})
                extra = {"address": f["address"]} if "address" in f else {}
                e.call(inc, facts, **extra)
            elif st.do == "update_call":
                e.update_call(inc, f)
            elif st.do == "ambulance_dispatched":
                e.dispatch_ambulance(inc, f["unit"])
            elif st.do == "ambulance_arrived":
                e.ambulance_arrived(inc, f.get("unit", ""))
            elif st.do == "trigger_alert":
                events = e.trigger_alert(inc)
                self._maybe_plan(inc, events)
            elif st.do == "override_exclusion":
                e.override_exclusion(inc, f["reason"])
            elif st.do == "respond":
                e.respond(inc, f["responder"], f["answer"])
            elif st.do == "arrive":
                e.arrive(inc, f["responder"])
            elif st.do == "aed_fetched":
                e.aed_fetched(inc, f["aed"])
            elif st.do == "aed_connected":
                e.aed_connected(inc, f["aed"])
            elif st.do == "caller_instruction":
                e.caller_instruction(inc, f["state"])
            elif st.do == "cancel_alarm":
                e.cancel_alarm(inc, f.get("by", "dispatcher"))
            elif st.do == "close":
                e.close(inc)
            elif st.do == "oversupply_feedback":
                e.oversupply_feedback(inc, f.get("note", ""))
            elif st.do == "confirm_aed_ready":
                e.confirm_aed_ready(f["aed"])
            elif st.do == "simulate_responses":
                self.simulated.add(inc)
                s = e.states.get(inc)
                if s is not None and s.alert_time is not None:
                    self._plan(inc, s.alert_time)
        except EngineError as exc:
            # The scenario ran, but this step was not possible at that moment; say so
            # and keep going, as a real console would after refusing a command.
            self.warnings.append(f"{st.path} (at {st.at:g} s, {st.do}): {exc}")

    def _maybe_plan(self, incident: str, events: list[Event]) -> None:
        if incident in self.simulated and any(ev.type == "alert_sent" for ev in events):
            self._plan(incident, events[-1].time)

    def _plan(self, incident: str, alert_time: Any) -> None:
        alert = next(ev for ev in self.engine.store.read(incident) if ev.type == "alert_sent")
        plan = plan_responses(
            dict(alert.data), self.rng, self.behaviour, self._scripted.get(incident, frozenset())
        )
        offset = (alert_time - self.scenario.start).total_seconds()
        for action in plan.actions:
            self._counter += 1
            self._push(_Item(offset + action.at_s, 1, self._counter, sim=(incident, action)))

    # -- simulated behaviour ----------------------------------------------------------------
    def _run_sim(self, incident: str, a: PlannedAction) -> None:
        e = self.engine
        s = e.states[incident]
        if not s.is_open:
            return
        try:
            if a.do == "respond" and a.responder:
                r = s.responders[a.responder]
                if r.state == "cancelled" and r.cancelled_at is not None:
                    late = (self.clock.now() - r.cancelled_at).total_seconds()
                    if a.answer == "decline" or late > self.behaviour.cancel_latency_s:
                        self._dropped.add((incident, a.responder))
                        return  # read the cancellation in time: does nothing
                e.respond(incident, a.responder, a.answer or "decline")
            elif a.do == "arrive" and a.responder:
                r = s.responders[a.responder]
                if (incident, a.responder) in self._dropped or r.state not in ("accepted", "oversupply"):
                    return
                e.arrive(incident, a.responder)
            elif a.do == "aed_fetched" and a.aed:
                if s.aeds[a.aed].state == "assigned" and s.alarm_open:
                    e.aed_fetched(incident, a.aed)
            elif a.do == "aed_connected" and a.aed:
                if s.aeds[a.aed].state in ("assigned", "fetched"):
                    e.aed_connected(incident, a.aed)
        except EngineError as exc:
            self.warnings.append(f"simulated {a.do} for {incident}: {exc}")

    @property
    def _dropped(self) -> set[tuple[str, str | None]]:
        if not hasattr(self, "_dropped_set"):
            self._dropped_set: set[tuple[str, str | None]] = set()
        return self._dropped_set


def run_scenario(scenario: Scenario, store: EventStore | None = None, **kwargs: Any) -> RunResult:
    return ScenarioRunner(scenario, store=store, **kwargs).run()
