"""What each timeline step does to the engine: one table for scenario runs and training."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..engine import Engine
from ..events import Event
from ..exclusion import CallFacts

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
