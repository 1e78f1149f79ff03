"""Declared lifecycles: which move is allowed from which state.

The fold (state.py) and the engine both consult these tables, so an illegal move fails
loudly with a sentence a dispatcher can read instead of silently corrupting state.
"""

from __future__ import annotations

from .errors import IllegalTransition

# Responder states: alerted -> accepted / declined / timed_out -> arrived, or cancelled.
# A late accept after a timeout still counts (people answer late); an accept after a
# cancellation or once the target is met is recorded as oversupply.
RESPONDER_MOVES: dict[str, dict[str, str]] = {
    "accept": {"alerted": "accepted", "timed_out": "accepted"},
    "decline": {"alerted": "declined", "timed_out": "declined"},
    "time_out": {"alerted": "timed_out"},
    "cancel": {"alerted": "cancelled", "timed_out": "cancelled", "accepted": "cancelled"},
    "oversupply": {"alerted": "oversupply", "timed_out": "oversupply", "cancelled": "oversupply"},
    "arrive": {"accepted": "arrived", "oversupply": "arrived", "cancelled": "arrived"},
}
# States in which a responder still holds the alarm (cannot be alerted elsewhere).
HOLDING = frozenset({"alerted", "accepted", "arrived", "oversupply"})
PENDING = frozenset({"alerted", "timed_out"})

AED_MOVES: dict[str, dict[str, str]] = {
    "fetch": {"assigned": "fetched"},
    "connect": {"assigned": "connected", "fetched": "connected"},
}

CALLER_INSTRUCTION_MOVES: dict[str, frozenset[str]] = {
    "not_started": frozenset({"instructing", "ended"}),
    "instructing": frozenset({"handed_over", "ended"}),
    "handed_over": frozenset({"instructing", "ended"}),
    "ended": frozenset(),
}
CALLER_INSTRUCTION_STATES = tuple(CALLER_INSTRUCTION_MOVES)



def responder_move(responder: str, current: str, move: str, since: str = "") -> str:
    target = RESPONDER_MOVES[move].get(current)
    if target is None:
        when = f" at {since}" if since else ""
        raise IllegalTransition(
            f"cannot {move.replace('_', ' ')}: responder {responder} is {current}{when}"
        )
    return target


def aed_move(aed: str, current: str, move: str) -> str:
    target = AED_MOVES[move].get(current)
    if target is None:
        raise IllegalTransition(f"cannot {move} AED {aed}: it is {current}")
    return target


def caller_instruction_move(current: str, new: str) -> str:
    if new not in CALLER_INSTRUCTION_MOVES:
        raise IllegalTransition(
            f"unknown caller-instruction state {new!r} (use {', '.join(CALLER_INSTRUCTION_STATES)})"
        )
    if new not in CALLER_INSTRUCTION_MOVES[current]:
        raise IllegalTransition(f"caller instruction cannot go from {current} to {new}")
    return new
