"""Who caused the events being written: the `actor` of the service contract.

A workstation's command, the engine's own timers and a responder's answer all end up in
the same `Engine._commit`; the caller says who it is by running the command inside
`acting(...)`, and every event of that commit carries `actor`. A context variable rather
than a parameter threaded through every engine method, because the engine's commands are
also called by scenarios, training and the simulator, where no actor is recorded (the
embedded one-workstation log stays as it was).

The same context carries a command's idempotency key and request fingerprint, which a
store writes in the transaction that writes the command's events (so a retry after a lost
answer or a failover finds the first answer, and never writes twice).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

# `{"workstation": "ws-1", "user": "A. Jansen"}`, or "system" / "responder".
Actor = Mapping[str, str] | str
SYSTEM = "system"
RESPONDER = "responder"


@dataclass(frozen=True, slots=True)
class Acting:
    actor: Actor | None = None
    request_key: str | None = None      # the Idempotency-Key, scoped to the workstation
    request_hash: str | None = None     # fingerprint of the request body, to catch a reused key


_current: ContextVar[Acting] = ContextVar("zesminuten_acting", default=Acting())  # noqa: B039 (frozen)


def current() -> Acting:
    return _current.get()


def actor_value() -> Any:
    """The actor as it goes into an event (a fresh dict, so no event shares another's)."""
    a = _current.get().actor
    if a is None or isinstance(a, str):
        return a
    return dict(a)


@contextmanager
def acting(actor: Actor | None, request_key: str | None = None, request_hash: str | None = None) -> Iterator[None]:
    token = _current.set(Acting(actor, request_key, request_hash))
    try:
        yield
    finally:
        _current.reset(token)
