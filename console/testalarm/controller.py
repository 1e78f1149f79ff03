"""Starts and schedules test alarms on the live service and, for a demo, answers them.

Test alarms share the live engine on purpose: only then does a real alarm take precedence
(nobody on a real alarm is test-alerted; a real alarm takes a responder off an exercise).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from alert_engine.errors import EngineError
from alert_engine.service import LocalService
from alert_engine.simulation.responders import SimulatedResponders
from alert_engine.testalarm.plan import (
    ExercisePlan,
    ExerciseSchedule,
    Municipality,
    exercise_id,
    municipalities,
)

from ..funnel import MessageFunnel

TICK_MS = 1000


class TestAlarmController(QObject):
    __test__ = False  # not a pytest test class, despite the name

    started = Signal(str)  # incident id of a test alarm that went out

    def __init__(self, service: LocalService, funnel: MessageFunnel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.funnel = funnel
        self.schedule = ExerciseSchedule(service.engine)
        self._simulate: set[str] = set()
        self._sim: SimulatedResponders | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def municipalities(self) -> list[Municipality]:
        return municipalities(self.service.engine.registry, self.service.now())

    def start(self, municipality: Municipality, at: datetime | None = None, simulate: bool = False) -> str | None:
        """Run the exercise now (at None or past), else schedule it; returns the incident id."""
        now = self.service.now()
        when = at if at is not None and at > now else now
        try:
            if when > now:
                plan = self.schedule.add(municipality, when)
            else:
                plan = ExercisePlan(municipality.name, now, municipality.lat, municipality.lon,
                                    exercise_id(municipality.name, now))
                self._launch(plan)
        except EngineError as exc:
            self.funnel.report(exc)
            return None
        if simulate:
            self._simulate.add(plan.incident)
            self._enable_simulation()
        if when > now:
            self.funnel.info(self.tr("Proefalarm {0} ingepland om {1}.").format(plan.incident, f"{when:%d-%m %H:%M}"))
        return plan.incident

    def _launch(self, plan: ExercisePlan) -> None:
        incident = plan.incident
        events = self.service.engine.test_alarm(plan.incident, plan.lat, plan.lon, plan.municipality)
        sent = next((e for e in events if e.type == "alert_sent"), None)
        if sent is None:
            self.funnel.warning(
                self.tr("Proefalarm {0}: niemand bereikbaar (geen aangemelde, beschikbare burgerhulpverleners).").format(incident)
            )
        else:
            self.funnel.info(
                self.tr("Proefalarm {0} verstuurd naar {1} burgerhulpverleners (berichten beginnen met TEST).").format(
                    incident, len(sent["responders"])
                )
            )
        self._enable_simulation()
        self.started.emit(incident)

    def _enable_simulation(self) -> None:
        # A demo service simulates every alert already; otherwise answer only chosen exercises.
        if self.service.sim is not None:
            return
        if self._sim is None and self._simulate:
            self._sim = SimulatedResponders(self.service.engine, rng=np.random.default_rng(0))
        if self._sim is not None:
            for incident in self._simulate:
                if incident in self.service.engine.states:
                    self._sim.enable(incident)

    def tick(self) -> None:
        now = self.service.now()
        for plan in [p for p in self.schedule.plans if p.at <= now]:
            self.schedule.remove(plan.incident)
            try:
                self._launch(plan)
            except EngineError as exc:
                self.funnel.report(exc)
        if self._sim is not None:
            try:
                self._sim.run_due(now)
            except EngineError as exc:
                self.funnel.report(exc)
