"""Starts and schedules test alarms on the live service and, for a demo, answers them.

Test alarms share the live engine on purpose: only then does a real alarm take precedence
(nobody on a real alarm is test-alerted; a real alarm takes a responder off an exercise).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from alert_engine.errors import EngineError
from alert_engine.service import ExerciseService
from alert_engine.testalarm.plan import ExercisePlan, Municipality, exercise_id

from ..funnel import MessageFunnel

TICK_MS = 1000


class TestAlarmController(QObject):
    __test__ = False  # not a pytest test class, despite the name

    started = Signal(str)  # incident id of a test alarm that went out

    def __init__(self, service: ExerciseService, funnel: MessageFunnel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.funnel = funnel
        self._simulate: set[str] = set()  # exercises whose answers the model gives (off the demo)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def municipalities(self) -> list[Municipality]:
        return self.service.municipalities()

    def start(self, municipality: Municipality, at: datetime | None = None, simulate: bool = False) -> str | None:
        """Run the exercise now (at None or past), else schedule it; returns the incident id."""
        now = self.service.now()
        when = at if at is not None and at > now else now
        try:
            if when > now:
                plan = self.service.schedule_test_alarm(municipality, when)
            else:
                plan = ExercisePlan(municipality.name, now, municipality.lat, municipality.lon,
                                    exercise_id(municipality.name, now))
                self._launch(plan)
        except EngineError as exc:
            self.funnel.report(exc)
            return None
        if simulate:
            self._simulate.add(plan.incident)
            if when <= now:
                self.service.let_model_answer(plan.incident)
        if when > now:
            self.funnel.info(self.tr("Proefalarm {0} ingepland om {1}.").format(plan.incident, f"{when:%d-%m %H:%M}"))
        return plan.incident

    def _launch(self, plan: ExercisePlan) -> None:
        incident = plan.incident
        events = self.service.start_test_alarm(plan)
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
        if incident in self._simulate:
            self.service.let_model_answer(incident)
        self.started.emit(incident)

    def tick(self) -> None:
        for plan in self.service.due_test_alarms(self.service.now()):
            try:
                self._launch(plan)
            except EngineError as exc:
                self.funnel.report(exc)
