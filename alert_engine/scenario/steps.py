"""What each timeline step does to the engine: one table for scenario runs and training."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from ..engine import Engine
from ..events import Event
from ..exclusion import CallFacts
from ..timeline import MovableClock, Timeline

if TYPE_CHECKING:
    from ..simulation.responders import SimulatedResponders
    from .loader import Step

StepCommand = Callable[[Engine, str, Mapping[str, Any]], list[Event]]


def call(engine: Engine, incident: str, f: Mapping[str, Any], mode: str = "live") -> list[Event]:
    facts = CallFacts(**{k: v for k, v in f.items() if k != "address"})
    extra = {"address": f["address"]} if "address" in f else {}
    return engine.call(incident, facts, mode=mode, **extra)


# What the world does: callers, responders, AED managers, the ambulance arriving.
WORLD: dict[str, StepCommand] = {
    "update_call": lambda e, i, f: e.update_call(i, f),
    "ambulance_arrived": lambda e, i, f: e.ambulance_arrived(i, f.get("unit", "")),
    "respond": lambda e, i, f: e.respond(i, f["responder"], f["answer"]),
    "arrive": lambda e, i, f: e.arrive(i, f["responder"]),
    "aed_fetched": lambda e, i, f: e.aed_fetched(i, f["aed"]),
    "aed_connected": lambda e, i, f: e.aed_connected(i, f["aed"]),
    "confirm_aed_ready": lambda e, i, f: e.confirm_aed_ready(f["aed"]),
}

# What the dispatcher decides (in training: the trainee's job, and the model answer).
DISPATCHER: dict[str, StepCommand] = {
    "ambulance_dispatched": lambda e, i, f: e.dispatch_ambulance(i, f["unit"]),
    "trigger_alert": lambda e, i, f: e.trigger_alert(i),
    "override_exclusion": lambda e, i, f: e.override_exclusion(i, f["reason"]),
    "caller_instruction": lambda e, i, f: e.caller_instruction(i, f["state"]),
    "cancel_alarm": lambda e, i, f: e.cancel_alarm(i, f.get("by", "dispatcher")),
    "close": lambda e, i, f: e.close(i),
    "oversupply_feedback": lambda e, i, f: e.oversupply_feedback(i, f.get("note", "")),
}


# At equal times: lapse timeouts first, then the script, then simulated people.
LAPSES, SCRIPT, PEOPLE = 0, 1, 2


def world_timeline(
    clock: MovableClock,
    engine: Engine,
    start: datetime,
    script: Sequence[Step],
    run: Callable[[Step], object],
    sim: SimulatedResponders | None,
) -> Timeline:
    """The one order a scenario is played in, headless and in training: `run(step)` at
    each step's `at` (ties in file order, as the contract says), the engine's answer
    timeouts as they fall due, and the behaviour model's responders."""
    timeline = Timeline(clock)
    # The engine has deadlines only while an alarm is open: asked before every step.
    timeline.follow(engine.next_deadline, lambda _t: engine.tick(), order=LAPSES)
    for st in sorted(script, key=lambda st: st.order):
        timeline.schedule(start + timedelta(seconds=st.at), partial(run, st), order=SCRIPT)
    if sim is not None:
        timeline.follow(sim.next_due, sim.run_due, order=PEOPLE)
    return timeline
