"""When the caller instruction needs the dispatcher's attention (no Qt)."""

from __future__ import annotations

from datetime import datetime

from alert_engine.lifecycle import CALLER_INSTRUCTION_MOVES
from alert_engine.state import IncidentState

CPR_RATE_PER_MIN = 110  # guideline compression rate 100–120/min; the cue beats in the middle


def prompt(s: IncidentState | None) -> str | None:
    """"ambulance" or "first_responder" when help arrived and the instruction still runs."""
    if s is None or not s.is_open or s.caller_instruction == "ended":
        return None
    if s.ambulance_arrived_at is not None:
        return "ambulance"
    if s.caller_instruction == "instructing" and s.count("arrived") > 0:
        return "first_responder"
    return None


def allowed_moves(s: IncidentState | None) -> frozenset[str]:
    """Caller-instruction states the engine accepts next (the declared lifecycle)."""
    if s is None or not s.is_open:
        return frozenset()
    return CALLER_INSTRUCTION_MOVES[s.caller_instruction]


def since_call(s: IncidentState | None, now: datetime) -> float | None:
    if s is None or s.call_time is None:
        return None
    return ((s.closed_at or now) - s.call_time).total_seconds()


def since_instruction(s: IncidentState | None, now: datetime) -> float | None:
    """Seconds since the CPR instruction started; frozen once handed over or ended."""
    if s is None:
        return None
    started = s.caller_instruction_since.get("instructing")
    if started is None:
        return None
    end = now
    if s.caller_instruction in ("handed_over", "ended"):
        end = s.caller_instruction_since.get(s.caller_instruction, now)
    if s.closed_at is not None:
        end = min(end, s.closed_at)
    return (end - started).total_seconds()
