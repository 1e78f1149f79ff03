"""What a client may send: the contract's timeline entries as request models.

A command body is a scenario timeline entry without `at` (service-api.md), so the `do`
words are the scenario contract's. Pydantic validates every field, names the one that is
wrong, refuses unknown ones (a typo must not be silently ignored when a life depends on
the command), and the same models document the API at /docs.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..api import commands as c

Text = Annotated[str, Field(min_length=1, max_length=200)]
Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CallEntry(Body):
    """A new 112 call (`do` may be given as "call" or left out)."""

    do: Literal["call"] = "call"
    incident: Id | None = Field(None, description="the incident id; the service numbers it when absent")
    lat: float = Field(ge=50.5, le=53.8, description="WGS84 latitude of the victim (the Netherlands)")
    lon: float = Field(ge=3.0, le=7.5, description="WGS84 longitude of the victim")
    patient_age_years: float | None = Field(None, ge=0, le=130, description="null = unknown")
    suicide: bool = False
    trauma: bool = False
    violence: bool = False
    location_kind: Annotated[str, Field(max_length=40)] = ""
    location_description: Annotated[str, Field(max_length=200)] = ""
    address: Annotated[str, Field(max_length=200)] = ""
    location_precision: Literal["address", "street", "postcode", "place", "motorway", "coordinates", "map"] | None = None
    location_uncertainty_m: float | None = Field(None, ge=0, le=50_000)
    location_label: Annotated[str, Field(max_length=200)] | None = None
    call_started_at: datetime | None = Field(None, description="when the 112 call came in, if before now")


class AmbulanceDispatched(Body):
    do: Literal["ambulance_dispatched"]
    unit: Text


class AmbulanceArrived(Body):
    do: Literal["ambulance_arrived"]
    unit: Annotated[str, Field(max_length=200)] = ""


class AmbulanceStatus(Body):
    """A unit's status and ETA as the dispatcher enters it (issue 13)."""

    do: Literal["ambulance_status"]
    unit: Text
    status: Literal["dispatched", "en_route", "on_scene", "transporting", "cleared", "cancelled", "unknown"]
    eta: datetime | None = Field(None, description="ISO 8601 with a UTC offset")


class TriggerAlert(Body):
    do: Literal["trigger_alert"]


class OverrideExclusion(Body):
    do: Literal["override_exclusion"]
    reason: Text


class Respond(Body):
    do: Literal["respond"]
    responder: Id
    answer: Literal["accept", "decline"]


class Arrive(Body):
    do: Literal["arrive"]
    responder: Id


class AedFetched(Body):
    do: Literal["aed_fetched"]
    aed: Id


class AedConnected(Body):
    do: Literal["aed_connected"]
    aed: Id


class CallerInstruction(Body):
    do: Literal["caller_instruction"]
    state: Literal["not_started", "instructing", "handed_over", "ended"]


class CancelAlarm(Body):
    do: Literal["cancel_alarm"]
    by: Annotated[str, Field(max_length=40)] = "dispatcher"


class Close(Body):
    do: Literal["close"]


class OversupplyFeedback(Body):
    do: Literal["oversupply_feedback"]
    note: Annotated[str, Field(max_length=500)] = ""


class UpdateCall(Body):
    """New facts from the caller; the exclusion criteria are assessed again."""

    do: Literal["update_call"]
    lat: float | None = Field(None, ge=50.5, le=53.8)
    lon: float | None = Field(None, ge=3.0, le=7.5)
    patient_age_years: float | None = Field(None, ge=0, le=130)
    suicide: bool | None = None
    trauma: bool | None = None
    violence: bool | None = None
    location_kind: Annotated[str, Field(max_length=40)] | None = None
    location_description: Annotated[str, Field(max_length=200)] | None = None
    address: Annotated[str, Field(max_length=200)] | None = None
    location_precision: str | None = None
    location_uncertainty_m: float | None = Field(None, ge=0, le=50_000)
    location_label: Annotated[str, Field(max_length=200)] | None = None


class Annotate(Body):
    do: Literal["annotate"]
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    at: datetime | None = None


class ConfirmAedReady(Body):
    do: Literal["confirm_aed_ready"]
    aed: Id


DoEntry = Annotated[
    AmbulanceDispatched | AmbulanceArrived | TriggerAlert | OverrideExclusion | Respond | Arrive | AedFetched
    | AedConnected | CallerInstruction | CancelAlarm | Close | OversupplyFeedback | UpdateCall | Annotate
    | ConfirmAedReady | AmbulanceStatus,
    Field(discriminator="do"),
]


class PositionFix(Body):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    time: datetime | None = Field(None, description="when the fix was taken (default: now)")
    accuracy_m: float | None = Field(None, ge=0, le=10_000)


class PositionBatchItem(PositionFix):
    responder: Id


class PositionBatch(Body):
    positions: Annotated[list[PositionBatchItem], Field(min_length=1, max_length=10_000)]


def command_of(incident: str, entry: Any, user: str, now: datetime | None = None) -> c.Command | None:
    """The typed engine command for a `do` entry (None for confirm_aed_ready, which names
    an AED, not an incident's command)."""
    match entry:
        case AmbulanceDispatched():
            return c.DispatchAmbulance(incident, entry.unit)
        case AmbulanceArrived():
            return c.AmbulanceArrived(incident, entry.unit)
        case TriggerAlert():
            return c.TriggerAlert(incident)
        case AmbulanceStatus():
            return c.AmbulanceStatus(incident, entry.unit, entry.status, entry.eta)
        case OverrideExclusion():
            return c.OverrideExclusion(incident, entry.reason)
        case Respond():
            return c.Respond(incident, entry.responder, entry.answer)
        case Arrive():
            return c.Arrive(incident, entry.responder)
        case AedFetched():
            return c.AedFetched(incident, entry.aed)
        case AedConnected():
            return c.AedConnected(incident, entry.aed)
        case CallerInstruction():
            return c.CallerInstruction(incident, entry.state)
        case CancelAlarm():
            return c.CancelAlarm(incident, entry.by)
        case Close():
            return c.Close(incident)
        case OversupplyFeedback():
            return c.OversupplyFeedback(incident, entry.note)
        case UpdateCall():
            changes = entry.model_dump(exclude={"do"}, exclude_none=True)
            return c.UpdateCall(incident, changes)
        case Annotate():
            return c.Annotate(incident, user, entry.text, entry.at or now)
    return None


def entry_of(command: c.Command) -> dict[str, Any]:
    """The `do` entry a client sends for a typed command (the inverse of command_of)."""
    word = {v: k for k, v in DO_WORDS.items()}[command.name]
    args = dict(zip(_ARG_NAMES[command.name], command.arguments(), strict=True))
    if command.name == "update_call":
        return {"do": word, **dict(args["changes"])}
    if command.name == "ambulance_status":
        eta = args["eta"]
        return {"do": word, **args, "eta": None if eta is None else eta.isoformat()}
    if command.name == "annotate":
        body: dict[str, Any] = {"do": word, "text": args["text"]}
        if args["at"] is not None:
            body["at"] = args["at"].isoformat()
        return body
    return {"do": word, **args}


DO_WORDS = {
    "ambulance_dispatched": "dispatch_ambulance", "ambulance_arrived": "ambulance_arrived",
    "trigger_alert": "trigger_alert", "override_exclusion": "override_exclusion", "respond": "respond",
    "arrive": "arrive", "aed_fetched": "aed_fetched", "aed_connected": "aed_connected",
    "caller_instruction": "caller_instruction", "cancel_alarm": "cancel_alarm", "close": "close",
    "oversupply_feedback": "oversupply_feedback", "update_call": "update_call", "annotate": "annotate",
    "ambulance_status": "ambulance_status",
}
_ARG_NAMES = {
    name: [f.name for f in fields(kind) if f.name != "incident"] for name, kind in c.COMMAND_TYPES.items()
}
