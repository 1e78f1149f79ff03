"""Run a scenario on a simulated clock and return (and optionally store) its event log."""

from __future__ import annotations

import time as wallclock
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

from ..clock import SimClock
from ..engine import Engine
from ..errors import EngineError
from ..eventlog.store import EventStore, MemoryEventStore
from ..events import Event
from ..exclusion.motorway import MotorwayIndex, default_index
from ..notifications import RecordingChannel
from ..registry.table import Registry
from ..simulation.behaviour import BehaviourParams
from ..simulation.responders import SimulatedResponders
from . import steps
from .loader import Scenario, Step


@dataclass
class RunResult:
    events: list[Event]
    engine: Engine
    warnings: list[str] = field(default_factory=list)


class _PacedClock:
    """The run's SimClock, moved `pace` wall seconds per simulated second (the crash tests
    run a scenario slowly, so a kill lands in the middle of it)."""

    def __init__(self, clock: SimClock, pace: float) -> None:
        self.clock, self.pace = clock, pace

    def now(self) -> datetime:
        return self.clock.now()

    def set(self, t: datetime) -> None:
        wallclock.sleep(max(0.0, (t - self.clock.now()).total_seconds() * self.pace))
        self.clock.set(t)


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
        self.pace = pace  # wall seconds per simulated second (crash tests run slowly)
        self.warnings: list[str] = []
        self.sim = SimulatedResponders(
            self.engine,
            behaviour or BehaviourParams(),
            np.random.default_rng(scenario.seed),
            self._scripted_responders(),
        )

    def _scripted_responders(self) -> dict[str, frozenset[str]]:
        out: dict[str, set[str]] = {}
        for st in self.scenario.steps:
            if st.do in ("respond", "arrive"):
                out.setdefault(st.incident, set()).add(st.fields["responder"])
        return {k: frozenset(v) for k, v in out.items()}

    def run(self, on_events: Callable[[list[Event]], None] | None = None) -> RunResult:
        produced: list[Event] = []

        def collect(events: list[Event]) -> None:
            produced.extend(events)
            if on_events:
                on_events(events)

        self.engine.subscribe(collect)
        clock = _PacedClock(self.clock, self.pace) if self.pace > 0 else self.clock
        steps.world_timeline(
            clock, self.engine, self.scenario.start, self.scenario.steps, self._run_step, self.sim
        ).run()  # until no step, no planned answer and no open alert is left
        return RunResult(produced, self.engine, self.warnings + self.sim.warnings)

    # -- timeline steps -------------------------------------------------------------------
    def _run_step(self, st: Step) -> None:
        e, f, inc = self.engine, st.fields, st.incident
        try:
            if st.do == "call":
                steps.call(e, inc, f)
            elif st.do == "simulate_responses":
                self.sim.enable(inc)
            else:
                (steps.WORLD.get(st.do) or steps.DISPATCHER[st.do])(e, inc, f)
        except EngineError as exc:
            # The scenario ran, but this step was not possible at that moment; say so
            # and keep going, as a real console would after refusing a command.
            self.warnings.append(f"{st.path} (at {st.at:g} s, {st.do}): {exc}")


def run_scenario(scenario: Scenario, store: EventStore | None = None, **kwargs: Any) -> RunResult:
    return ScenarioRunner(scenario, store=store, **kwargs).run()
