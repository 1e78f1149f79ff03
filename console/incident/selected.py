"""`SelectedIncident`: which incident an `IncidentView` shows, and over which service.

The live window moves it with the queue's selection, the review window with the replay
position; the view and the window's own panels only listen. Plain callbacks, no Qt: what is
selected is a fact of the session, not of a widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alert_engine.events import Event
from alert_engine.service import IncidentService
from alert_engine.state import IncidentState

Listener = Callable[[str | None], None]


class SelectedIncident:
    """The shown incident (None: none) of `service`, a live service or a replay."""

    def __init__(self, service: IncidentService) -> None:
        self.service = service
        self._incident: str | None = None
        self._listeners: list[Listener] = []

    @property
    def incident(self) -> str | None:
        return self._incident

    def subscribe(self, listener: Listener) -> None:
        """`listener(incident)` after every change, in the order of subscription."""
        self._listeners.append(listener)

    def select(self, incident: str | None) -> bool:
        """Show `incident`; False when it is shown already. Choosing none always reloads
        (a new call's form starts empty each time)."""
        if incident == self._incident and incident is not None:
            return False
        self._incident = incident
        for listener in list(self._listeners):
            listener(incident)
        return True

    def state(self) -> IncidentState | None:
        return self.service.state(self._incident) if self._incident is not None else None

    def events(self) -> list[Event]:
        return self.service.events(self._incident) if self._incident is not None else []

    def concerns(self, events: Sequence[Event]) -> bool:
        """Whether a batch touches the shown incident."""
        return self._incident is not None and any(e.incident == self._incident for e in events)
