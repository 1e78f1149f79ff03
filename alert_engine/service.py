"""The one interface the console talks to. Today it runs the engine in process; a
multi-console deployment puts the same methods behind a network service on PostgreSQL.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from .aedcheck.listing import AwaitingAed, awaiting
from .aftercare.questionnaire import AftercareAnswers, Summary, incident_summary
from .api.commands import COMMAND_TYPES, COMPLAINT_COMMANDS, Command, command_from
from .api.protocols import EventStream, ExerciseAlarms, IncidentCommands, IncidentQueries, Listener
from .clock import Clock
from .complaints.model import Complaint
from .config import AlertConfig
from .engine import Engine
from .errors import InvalidInput
from .eventlog.store import EventStore
from .events import Event
from .exclusion import CallFacts, ExclusionVerdict
from .exclusion.motorway import MotorwayIndex
from .geo import point_rd
from .intake import DeadLetter, DeadLetters, IntakeInvalid, parse_message
from .intake.folder import IntakeFolder
from .intake.message import Source
from .intake.plan import IntakeOutcome
from .notifications import Channel
from .registry.model import AedStatus
from .registry.table import AED_STATUS_BY_CODE, Registry
from .simulation.behaviour import BehaviourParams
from .simulation.responders import SimulatedResponders
from .state import IncidentState
from .testalarm.plan import (
    ExercisePlan,
    ExerciseSchedule,
    Municipality,
    municipalities,
    start_exercise,
)

# Why an alert is not possible, for the alert button's tooltip (nl, en).
BLOCKER_TEXT: dict[str, tuple[str, str]] = {
    "no_ambulance": (
        "Eerst een ambulance uitgeven: alarmeren mag nooit de ambulancezorg vertragen.",
        "Dispatch an ambulance first: alerting must never delay ambulance care.",
    ),
    "excluded": (
        "Uitsluitcriterium van toepassing; alleen met een geschreven reden overrulen.",
        "An exclusion criterion applies; override only with a written reason.",
    ),
    "already_alerted": ("Er is al gealarmeerd voor deze melding.", "Responders were already alerted."),
    "cancelled": ("De meldkamer heeft de melding geannuleerd.", "The dispatch system cancelled the incident."),
    "closed": ("De melding is afgesloten.", "The incident is closed."),
    "unknown_incident": ("Geen melding geselecteerd.", "No incident selected."),
}


@dataclass(frozen=True, slots=True)
class AedView:
    id: str
    lat: float
    lon: float
    distance_m: float
    status: str
    open_now: bool
    description: str


class IncidentService(IncidentQueries, IncidentCommands, EventStream, Protocol):
    """Commands and queries the console needs; every command returns the events it caused."""


class ExerciseService(IncidentService, ExerciseAlarms, Protocol):
    """A live backend that also runs municipal test alarms."""


LOCATION_FIELDS = ("location_precision", "location_uncertainty_m", "location_label")

COMMAND_CLASSES = frozenset(COMMAND_TYPES.values())
INTAKE_POLL_S = 1.0  # the watched intake folder: a new call shows within a second
COMPLAINT_CLASSES = frozenset(COMPLAINT_COMMANDS.values())


class LocalService:
    """The engine in this process, with optional simulated responders (demo, training)."""

    def __init__(
        self,
        registry: Registry,
        store: EventStore,
        clock: Clock,
        config: AlertConfig | None = None,
        motorways: MotorwayIndex | None = None,
        channel: Channel | None = None,
        simulate: bool = False,
        mode: str = "live",
        seed: int = 0,
        behaviour: BehaviourParams | None = None,
        aftercare: AftercareAnswers | None = None,
    ) -> None:
        self.engine = Engine(registry, store, clock, config, motorways, channel)
        # Issue 15: the responders' aftercare answers, where this console's store has them
        # (they are the centre service's; an embedded console usually keeps none).
        self.aftercare = aftercare
        self.config = self.engine.config
        self.clock = clock
        self.mode = mode
        self.sim: SimulatedResponders | None = None
        self._schedule = ExerciseSchedule(self.engine)
        self._test_sim: SimulatedResponders | None = None  # answers chosen exercises off the demo
        self.resumed: list[str] = []  # running alarms whose simulated responders went on after a restart
        # Refused intake messages, newest kept; in memory (the sender got the 400 and keeps its own copy).
        self.dead_letters = DeadLetters()
        self._intake_folder: IntakeFolder | None = None
        self._intake_polled = -math.inf
        if simulate:
            self.sim = SimulatedResponders(self.engine, behaviour, np.random.default_rng(seed))
            self.engine.subscribe(self._simulate_new_alerts)
            now = clock.now()
            for state in self.engine.running_alarms():
                if state.mode == mode:
                    self.sim.resume(state.id, now)
                    self.resumed.append(state.id)

    def _simulate_new_alerts(self, events: Sequence[Event]) -> None:
        assert self.sim is not None
        for e in events:
            if e.type == "alert_sent":
                self.sim.enable(e.incident)

    # -- queries ---------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self.engine.subscribe(listener)

    def now(self) -> datetime:
        return self.clock.now()

    def incidents(self) -> list[IncidentState]:
        return list(self.engine.states.values())

    def state(self, incident: str) -> IncidentState:
        return self.engine.state(incident)

    def events(self, incident: str | None = None) -> list[Event]:
        return self.engine.store.read(incident)

    def preview(self, facts: CallFacts) -> ExclusionVerdict:
        return self.engine.assess(facts)

    def alert_blocker(self, incident: str) -> str | None:
        return self.engine.alert_blocker(incident)

    def aed_checks(self) -> list[AwaitingAed]:
        """AEDs awaiting their manager's check (the fold decides), with their age."""
        return awaiting(self.engine.aed_checks(), self.engine.registry, self.clock.now())

    def aftercare_summary(self, incident: str) -> Summary | None:
        """The incident's aftercare counts for its review; None without an aftercare store."""
        if self.aftercare is None:
            return None
        return incident_summary(self.engine.state(incident), self.aftercare)

    def aeds_near(self, lat: float, lon: float, radius_m: float) -> list[AedView]:
        reg = self.engine.registry
        if reg.a_tree is None:
            return []
        x, y = point_rd(lat, lon)
        idx = np.asarray(reg.a_tree.query_ball_point((x, y), radius_m), dtype=np.int64)
        if len(idx) == 0:
            return []
        open_now = reg.patterns.open_at(reg.a_hours[idx], self.clock.now())
        dist = np.hypot(reg.a_x[idx] - x, reg.a_y[idx] - y)
        checking = self.engine.aeds_awaiting_check()

        def status(i: int) -> str:
            aed_id = str(reg.a_ids[i])
            return str(AedStatus.CHECK_NEEDED) if aed_id in checking else str(AED_STATUS_BY_CODE[int(reg.a_status[i])])

        out = [
            AedView(
                id=str(reg.a_ids[i]),
                lat=float(reg.a_lat[i]),
                lon=float(reg.a_lon[i]),
                distance_m=round(float(d), 1),
                status=status(i),
                open_now=bool(o) and status(i) == str(AedStatus.READY),
                description=str(reg.a_description[i]),
            )
            for i, d, o in zip(idx, dist, open_now, strict=True)
        ]
        return sorted(out, key=lambda a: a.distance_m)

    # -- commands --------------------------------------------------------------------------
    def new_call(self, facts: CallFacts, address: str = "", *, location: Mapping[str, Any] | None = None,
                 call_started: datetime | None = None, incident: str | None = None) -> str:
        """`location`: how the point was found (`location_precision`, `location_uncertainty_m`);
        `call_started`: when the 112 call came in, if before now; `incident`: an id the
        caller chose (the dispatch system's), else the next one of the day."""
        incident = incident or self._next_id()
        extra: dict[str, Any] = {"address": address} if address else {}
        extra.update({k: v for k, v in (location or {}).items() if k in LOCATION_FIELDS and v is not None})
        if call_started is not None and call_started < self.clock.now():
            extra["call_started_at"] = call_started.isoformat(timespec="seconds")
        self.engine.call(incident, facts, mode=self.mode, **extra)
        return incident

    def receive_intake(self, text: str | bytes, source: Source | None = None) -> IntakeOutcome:
        """A message from the dispatch system (EIDO or GMS adapter JSON): applied whole, or
        refused with IntakeInvalid naming the field and kept in `dead_letters`."""
        received = self.clock.now()
        try:
            message = parse_message(text, source=source, received=received)
            return self.engine.receive_intake(message, self._next_id(), self.mode)
        except IntakeInvalid as exc:
            self.dead_letters = self.dead_letters.add(DeadLetter.of(text, exc, received, source))
            raise

    def intake_dead_letters(self) -> DeadLetters:
        return self.dead_letters

    def watch_intake(self, folder: Path) -> IntakeFolder:
        """Take in the messages the dispatch system's adapter writes to `folder` (the
        embedded console's intake, docs/intake.md); `pump` polls it once a second."""
        self._intake_folder = IntakeFolder(folder, self.receive_intake)
        return self._intake_folder

    def _next_id(self) -> str:
        day = self.clock.now().strftime("%Y%m%d")
        n = 1 + sum(1 for k in self.engine.states if k.startswith(f"{day}-"))
        while f"{day}-{n:03d}" in self.engine.states:
            n += 1
        return f"{day}-{n:03d}"

    def execute(self, command: Command) -> list[Event]:
        """Carry out one typed dispatcher command; the events it caused (a refusal is one too)."""
        if type(command) not in COMMAND_CLASSES:
            raise InvalidInput(f"not a dispatcher command: {command!r}")
        result: list[Event] = getattr(self.engine, command.name)(command.incident, *command.arguments())
        return result

    def complaints(self) -> list[Complaint]:
        return self.engine.complaints()

    def handle_complaint(self, command: Command) -> list[Event]:
        """Issue 15: register a complaint, move its status or link a report (COMPLAINT_COMMANDS)."""
        if type(command) not in COMPLAINT_CLASSES:
            raise InvalidInput(f"not a complaint command: {command!r}")
        result: list[Event] = getattr(self.engine, command.name)(command.incident, *command.arguments())
        return result

    def command(self, name: str, incident: str, *args: Any) -> list[Event]:
        """`execute` by the contract's word (scripts, tests): the same typed command underneath."""
        return self.execute(command_from(name, incident, *args))

    def pump(self) -> None:
        """Advance what time alone changes: lapsed alerts and simulated responders."""
        now = self.clock.now()
        if self.sim is not None:
            self.sim.run_due(now)
        if self._test_sim is not None:
            self._test_sim.run_due(now)
        # Files, not rules: the folder is polled by the machine's own clock, once a second.
        if self._intake_folder is not None and time.monotonic() - self._intake_polled >= INTAKE_POLL_S:
            self._intake_polled = time.monotonic()
            self._intake_folder.poll()
        self.engine.tick()

    def close(self) -> None:
        """Release the event store (and its one-writer lock), and the aftercare answers."""
        self.engine.store.close()
        close_aftercare = getattr(self.aftercare, "close", None)
        if close_aftercare is not None:
            close_aftercare()

    # -- coverage -----------------------------------------------------------------------------
    def white_spots(self, lat: float | None = None, lon: float | None = None) -> dict[str, Any]:
        """White-spot cells (no 24/7 AED within 500 m) around a point, as GeoJSON for the map;
        around the registry's AEDs when no point is given."""
        from .coverage.layer import white_spot_layer

        reg = self.engine.registry
        if lat is None or lon is None:
            if reg.n_aeds == 0:
                return {"type": "FeatureCollection", "features": []}
            lat, lon = float(np.mean(reg.a_lat)), float(np.mean(reg.a_lon))
        return white_spot_layer(reg, self.clock.now().date(), lat, lon)

    # -- test alarms (ExerciseAlarms) ------------------------------------------------------------
    @property
    def answers_simulated(self) -> bool:
        """Simulated responders answer every alert (the demo)."""
        return self.sim is not None

    def municipalities(self) -> list[Municipality]:
        return municipalities(self.engine.registry, self.clock.now())

    def schedule_test_alarm(self, municipality: Municipality, at: datetime) -> ExercisePlan:
        return self._schedule.add(municipality, at)

    def start_test_alarm(self, plan: ExercisePlan) -> list[Event]:
        self._schedule.remove(plan.incident)
        return start_exercise(self.engine, plan)

    def due_test_alarms(self, now: datetime) -> list[ExercisePlan]:
        """Scheduled exercises whose time has come (taken off the schedule; start each)."""
        due = [p for p in self._schedule.plans if p.at <= now]
        for plan in due:
            self._schedule.remove(plan.incident)
        return due

    def let_model_answer(self, incident: str) -> None:
        """Let the behaviour model answer this (test) alarm, on a console without a demo."""
        if self.sim is not None:
            return  # the demo answers everything already
        if self._test_sim is None:
            self._test_sim = SimulatedResponders(self.engine, rng=np.random.default_rng(0))
        self._test_sim.enable(incident)
