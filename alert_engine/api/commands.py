"""Dispatcher commands as values: what a console sends, what a service receives as JSON.

Each command names its incident and carries exactly its own fields; `name` is the word of
the scenario contract's `do` vocabulary (and of the engine method that carries it out), so
a typo is a type error in the console, not an "unknown command" at run time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, ClassVar

from ..errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Command:
    incident: str
    name: ClassVar[str] = ""

    def arguments(self) -> tuple[Any, ...]:
        """The fields after `incident`, in order: the engine method's arguments."""
        return tuple(getattr(self, f.name) for f in fields(self) if f.name != "incident")


@dataclass(frozen=True, slots=True)
class UpdateCall(Command):
    changes: Mapping[str, Any] = field(default_factory=dict)
    name: ClassVar[str] = "update_call"


@dataclass(frozen=True, slots=True)
class OverrideExclusion(Command):
    reason: str = ""
    name: ClassVar[str] = "override_exclusion"


@dataclass(frozen=True, slots=True)
class DispatchAmbulance(Command):
    unit: str = ""
    name: ClassVar[str] = "dispatch_ambulance"


@dataclass(frozen=True, slots=True)
class AmbulanceArrived(Command):
    unit: str = ""
    name: ClassVar[str] = "ambulance_arrived"


@dataclass(frozen=True, slots=True)
class AmbulanceStatus(Command):
    """A unit's status and ETA as the dispatcher enters it (issue 13); the dispatch system's
    own reports arrive as intake messages."""

    unit: str = ""
    status: str = ""  # dispatched | en_route | on_scene | transporting | cleared | cancelled | unknown
    eta: datetime | None = None
    name: ClassVar[str] = "ambulance_status"


@dataclass(frozen=True, slots=True)
class TriggerAlert(Command):
    name: ClassVar[str] = "trigger_alert"


@dataclass(frozen=True, slots=True)
class Respond(Command):
    responder: str = ""
    answer: str = ""  # "accept" | "decline"
    name: ClassVar[str] = "respond"


@dataclass(frozen=True, slots=True)
class Arrive(Command):
    responder: str = ""
    name: ClassVar[str] = "arrive"


@dataclass(frozen=True, slots=True)
class AedFetched(Command):
    aed: str = ""
    name: ClassVar[str] = "aed_fetched"


@dataclass(frozen=True, slots=True)
class AedConnected(Command):
    aed: str = ""
    name: ClassVar[str] = "aed_connected"


@dataclass(frozen=True, slots=True)
class CallerInstruction(Command):
    state: str = ""  # not_started | instructing | handed_over | ended
    name: ClassVar[str] = "caller_instruction"


@dataclass(frozen=True, slots=True)
class CancelAlarm(Command):
    by: str = "dispatcher"
    name: ClassVar[str] = "cancel_alarm"


@dataclass(frozen=True, slots=True)
class Close(Command):
    name: ClassVar[str] = "close"


@dataclass(frozen=True, slots=True)
class OversupplyFeedback(Command):
    note: str = ""
    name: ClassVar[str] = "oversupply_feedback"


@dataclass(frozen=True, slots=True)
class Annotate(Command):
    author: str = ""
    text: str = ""
    at: datetime | None = None
    name: ClassVar[str] = "annotate"


COMMAND_TYPES: dict[str, type[Command]] = {
    c.name: c
    for c in (UpdateCall, OverrideExclusion, DispatchAmbulance, AmbulanceArrived, TriggerAlert, Respond, Arrive,
              AedFetched, AedConnected, CallerInstruction, CancelAlarm, Close, OversupplyFeedback, Annotate,
              AmbulanceStatus)
}


# Issue 15: complaints about an incident. Not dispatcher commands on a running alarm (not in
# COMMAND_TYPES or the `do` vocabulary): a backend's `handle_complaint` carries them out.
@dataclass(frozen=True, slots=True)
class RegisterComplaint(Command):
    complainant: str = ""  # alert_engine.complaints.model.COMPLAINANTS
    contact: str = ""  # a reference into the complaint file, never a name or phone number
    summary: str = ""
    received: date | None = None
    by: str = ""
    name: ClassVar[str] = "register_complaint"


@dataclass(frozen=True, slots=True)
class ChangeComplaintStatus(Command):
    complaint: str = ""
    status: str = ""  # investigating | answered
    note: str = ""
    by: str = ""
    name: ClassVar[str] = "change_complaint_status"


@dataclass(frozen=True, slots=True)
class LinkComplaintReport(Command):
    complaint: str = ""
    report: str = ""  # file name or document reference of the review's report
    sha256: str = ""
    format: str = "html"
    by: str = ""
    name: ClassVar[str] = "link_complaint_report"


COMPLAINT_COMMANDS: dict[str, type[Command]] = {
    c.name: c for c in (RegisterComplaint, ChangeComplaintStatus, LinkComplaintReport)
}


def command_from(name: str, incident: str, *args: Any) -> Command:
    """The typed command for the contract's word and positional arguments (scenario steps)."""
    kind = COMMAND_TYPES.get(name)
    if kind is None:
        raise InvalidInput(f"unknown command {name!r} (known: {', '.join(sorted(COMMAND_TYPES))})")
    names = [f.name for f in fields(kind) if f.name != "incident"]
    if len(args) > len(names):
        raise InvalidInput(f"command {name}: takes {len(names)} argument(s) ({', '.join(names)}), got {len(args)}")
    return kind(incident, *args)
