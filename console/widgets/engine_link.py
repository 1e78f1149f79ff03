"""How widgets reach the engine safely: committed events into the GUI thread, errors to the funnel."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from alert_engine.events import Event
from alert_engine.service import IncidentService

from ..funnel import MessageFunnel


class EventRelay(QObject):
    """Re-emits the service's committed batches as a Qt signal.

    The signal is queued into the relay's (GUI) thread if a batch is ever committed from
    another thread, and a relay whose widget was deleted simply drops batches, so a
    service that outlives its widgets never calls into a dead C++ object.
    """

    committed = Signal(object)  # list[Event]

    def __init__(self, service: IncidentService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        service.subscribe(self._listener())

    def _listener(self) -> Callable[[Sequence[Event]], None]:
        relay = self

        def on_events(events: Sequence[Event]) -> None:
            if shiboken6.isValid(relay):
                relay.committed.emit(list(events))

        return on_events


def attempt[T](funnel: MessageFunnel, fn: Callable[..., T], *args: Any) -> T | None:
    """Call into the engine; a failure reaches the dispatcher through the funnel, never escapes a slot."""
    try:
        return fn(*args)
    except Exception as exc:
        funnel.report(exc)
        return None


def touches(events: Sequence[Event], incident: str | None) -> bool:
    return incident is not None and any(e.incident == incident for e in events)
