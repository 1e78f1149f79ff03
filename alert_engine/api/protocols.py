"""What a backend offers a console, split by concern (issue 10): queries, commands, the
event stream, test alarms. `alert_engine.service.LocalService` implements all of them in
process; `alert_engine.review.replay.ReplayService` the read-only part; a network backend
(issue 11) the same over HTTP. Value types only cross this seam (events, states, commands,
plans), never the engine, its registry arrays or its store."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from ..config import AlertConfig
from ..events import Event
from ..exclusion import CallFacts, ExclusionVerdict
from ..state import IncidentState
from .commands import Command

if TYPE_CHECKING:
    from ..aedcheck.listing import AwaitingAed
    from ..aftercare.questionnaire import Summary
    from ..complaints.model import Complaint
    from ..intake.deadletter import DeadLetters
    from ..service import AedView
    from ..testalarm.plan import ExercisePlan, Municipality

Listener = Callable[[Sequence[Event]], None]


class IncidentQueries(Protocol):
    config: AlertConfig

    def now(self) -> datetime: ...
    def incidents(self) -> list[IncidentState]: ...
    def state(self, incident: str) -> IncidentState: ...
    def events(self, incident: str | None = None) -> list[Event]: ...
    def preview(self, facts: CallFacts) -> ExclusionVerdict: ...
    def alert_blocker(self, incident: str) -> str | None: ...
    def aeds_near(self, lat: float, lon: float, radius_m: float) -> list[AedView]: ...


class AedCheckQueries(Protocol):
    """Issue 15: the AEDs awaiting their manager's check after an alarm, oldest first."""

    def aed_checks(self) -> list[AwaitingAed]: ...


class AftercareQueries(Protocol):
    """Issue 15: an incident's aftercare questionnaire in pseudonymised counts, for its
    review; None where no aftercare answers are kept (an embedded console without them)."""

    def aftercare_summary(self, incident: str) -> Summary | None: ...


class ComplaintDesk(Protocol):
    """Issue 15: complaints about incidents; `handle_complaint` takes the COMPLAINT_COMMANDS."""

    def complaints(self) -> list[Complaint]: ...
    def handle_complaint(self, command: Command) -> list[Event]: ...


class IncidentCommands(Protocol):
    def new_call(self, facts: CallFacts, address: str = "", *, location: Mapping[str, Any] | None = None,
                 call_started: datetime | None = None) -> str: ...
    def execute(self, command: Command) -> list[Event]: ...


class EventStream(Protocol):
    def subscribe(self, listener: Listener) -> None: ...
    def pump(self) -> None: ...


class ExerciseAlarms(Protocol):
    """Municipal exercise alarms on the live backend (a real alarm always takes precedence)."""


    @property
    def answers_simulated(self) -> bool: ...
    def municipalities(self) -> list[Municipality]: ...
    def schedule_test_alarm(self, municipality: Municipality, at: datetime) -> ExercisePlan: ...
    def start_test_alarm(self, plan: ExercisePlan) -> list[Event]: ...
    def due_test_alarms(self, now: datetime) -> list[ExercisePlan]: ...
    def let_model_answer(self, incident: str) -> None: ...


class DispatchIntake(Protocol):
    """Messages from the dispatch system (issue 13): what was refused, for the console's list.
    Units with status and ETA are on the state (`IncidentState.units`, `views.arrival`)."""

    def intake_dead_letters(self) -> DeadLetters: ...
