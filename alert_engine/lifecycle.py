"""Declared lifecycles: which move is allowed from which state.

The fold (state.py) and the engine both consult these tables, so an illegal move fails
loudly with a sentence a dispatcher can read instead of silently corrupting state.
"""

from __future__ import annotations

from .errors import IllegalTransition
from .vocabulary import AedRunStatus, CallerInstructionStatus, ResponderStatus

# Responder states: alerted -> accepted / declined / timed_out -> arrived, or cancelled.
# A late accept after a timeout still counts (people answer late); an accept after a
# cancellation or once the target is met is recorded as oversupply.
R, A, C = ResponderStatus, AedRunStatus, CallerInstructionStatus
RESPONDER_MOVES: dict[str, dict[str, str]] = {
    "accept": {R.ALERTED: R.ACCEPTED, R.TIMED_OUT: R.ACCEPTED},
    "decline": {R.ALERTED: R.DECLINED, R.TIMED_OUT: R.DECLINED},
    "time_out": {R.ALERTED: R.TIMED_OUT},
    "cancel": {R.ALERTED: R.CANCELLED, R.TIMED_OUT: R.CANCELLED, R.ACCEPTED: R.CANCELLED},
    "oversupply": {R.ALERTED: R.OVERSUPPLY, R.TIMED_OUT: R.OVERSUPPLY, R.CANCELLED: R.OVERSUPPLY},
    "arrive": {R.ACCEPTED: R.ARRIVED, R.OVERSUPPLY: R.ARRIVED, R.CANCELLED: R.ARRIVED},
}
# States in which a responder still holds the alarm (cannot be alerted elsewhere).
HOLDING = frozenset({R.ALERTED, R.ACCEPTED, R.ARRIVED, R.OVERSUPPLY})
# Still without an answer (the target-reached cancellation goes to them).
PENDING = frozenset({R.ALERTED, R.TIMED_OUT})
# Accepted and not stood down: coming or there (oversupply is counted apart).
COMING = frozenset({R.ACCEPTED, R.ARRIVED})
# Whom a cancellation reaches: every state the "cancel" move leaves.
CANCELLABLE = frozenset(RESPONDER_MOVES["cancel"])
# Who may come back to an alarm that let them go (a late accept after lapse or cancellation).
RETURNING = frozenset({R.TIMED_OUT, R.CANCELLED})

AED_MOVES: dict[str, dict[str, str]] = {
    "fetch": {A.ASSIGNED: A.FETCHED},
    "connect": {A.ASSIGNED: A.CONNECTED, A.FETCHED: A.CONNECTED},
}
# Taken from its cabinet: needs its manager's check after the alarm.
AED_USED = frozenset({A.FETCHED, A.CONNECTED})

CALLER_INSTRUCTION_MOVES: dict[str, frozenset[str]] = {
    C.NOT_STARTED: frozenset({C.INSTRUCTING, C.ENDED}),
    C.INSTRUCTING: frozenset({C.HANDED_OVER, C.ENDED}),
    C.HANDED_OVER: frozenset({C.INSTRUCTING, C.ENDED}),
    C.ENDED: frozenset(),
}
# Instruction still to be wrapped up when the incident closes.
INSTRUCTION_RUNNING = frozenset({C.INSTRUCTING, C.HANDED_OVER})
INSTRUCTION_OVER = frozenset({C.HANDED_OVER, C.ENDED})
CALLER_INSTRUCTION_STATES = tuple(str(c) for c in CALLER_INSTRUCTION_MOVES)



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
