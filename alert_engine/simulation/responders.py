"""Simulated responders acting on an engine: used by scenarios, training and the demo console."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial

import numpy as np

from ..engine import Engine
from ..errors import EngineError
from ..events import Event
from ..timeline import Timeline
from .behaviour import BehaviourParams, PlannedAction, plan_responses


class SimulatedResponders:
    """Plans each alerted responder's behaviour when an alert goes out and plays it back."""

    def __init__(
        self,
        engine: Engine,
        params: BehaviourParams | None = None,
        rng: np.random.Generator | None = None,
        scripted: dict[str, frozenset[str]] | None = None,
        channel: str = "app",
    ) -> None:
        self.engine = engine
        self.params = params or BehaviourParams()
        self.rng = rng or np.random.default_rng(0)
        self.scripted = scripted or {}
        self.channel = channel  # how alerts reach phones: "app" (2020 on) or "sms"
        self.not_arrest: set[str] = set()  # incidents that turn out not to be an arrest
        self.enabled: set[str] = set()
        self.warnings: list[str] = []
        # No clock of its own: whoever drives the engine's clock calls run_due (the scenario
        # runner's timeline follows this one; the live console pumps it with the wall clock).
        self._due = Timeline()
        self._dropped: set[tuple[str, str]] = set()
        engine.subscribe(self.on_events)

    def enable(self, incident: str) -> None:
        """Hand this incident's responders to the model (also if the alert already went out)."""
        if incident in self.enabled:
            return
        self.enabled.add(incident)
        s = self.engine.states.get(incident)
        if s is not None and s.alert_time is not None:
            alert = next(e for e in self.engine.store.read(incident) if e.type == "alert_sent")
            self._plan(alert)

    def resume(self, incident: str, now: datetime) -> int:
        """After a restart: the incident's responders go on from `now`. What the model had
        planned for while nobody ran it did not happen (a restart is no time machine), the
        rest does. Returns how many planned actions are still to come."""
        if incident in self.enabled:
            return 0
        self.enabled.add(incident)
        alert = next((e for e in self.engine.store.read(incident) if e.type == "alert_sent"), None)
        if alert is None:
            return 0
        before = len(self._due)
        self._plan(alert, after=now)
        return len(self._due) - before

    def on_events(self, events: Sequence[Event]) -> None:
        for e in events:
            if e.type == "alert_sent" and e.incident in self.enabled:
                self._plan(e)

    def _plan(self, alert: Event, after: datetime | None = None) -> None:
        plan = plan_responses(
            dict(alert.data), self.rng, self.params, self.scripted.get(alert.incident, frozenset()),
            at=alert.time, channel=self.channel, arrest=alert.incident not in self.not_arrest,
        )  # fmt: skip
        for a in plan.actions:
            due = alert.time + timedelta(seconds=a.at_s)
            if after is None or due > after:
                self._due.schedule(due, partial(self.act, alert.incident, a))

    def next_due(self) -> datetime | None:
        return self._due.next_due()

    def pending(self) -> int:
        return len(self._due)

    def run_due(self, now: datetime) -> int:
        """Play every planned action due at or before `now`; returns how many ran."""
        return self._due.run_until(now)

    def act(self, incident: str, a: PlannedAction) -> None:
        e = self.engine
        s = e.states.get(incident)
        if s is None or not s.is_open:
            return
        try:
            if a.do == "respond" and a.responder:
                r = s.responders[a.responder]
                if r.state == "cancelled" and r.cancelled_at is not None:
                    late = (e.clock.now() - r.cancelled_at).total_seconds()
                    if a.answer == "decline" or late > self.params.cancel_latency_s:
                        self._dropped.add((incident, a.responder))
                        return  # read the cancellation in time: stays home
                if r.state in ("alerted", "timed_out", "cancelled"):
                    e.respond(incident, a.responder, a.answer or "decline")
            elif a.do == "arrive" and a.responder:
                r = s.responders[a.responder]
                if (incident, a.responder) not in self._dropped and r.state in (
                    "accepted",
                    "oversupply",
                ):
                    e.arrive(incident, a.responder)
            elif a.do == "aed_fetched" and a.aed:
                if s.aeds[a.aed].state == "assigned" and s.alarm_open:
                    e.aed_fetched(incident, a.aed)
            elif (
                a.do == "aed_connected"
                and a.aed
                and s.aeds[a.aed].state in ("assigned", "fetched")
                and s.alarm_open
            ):
                e.aed_connected(incident, a.aed)
        except EngineError as exc:
            self.warnings.append(f"simulated {a.do} for {incident}: {exc}")
