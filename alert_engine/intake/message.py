"""One typed value for an incident message from the dispatch system, whatever its format.

Both readers (`eido`, `gms`) produce an `IntakeMessage`; `merge` compares two of them. A
message reports what the dispatch system knows; a field it leaves out (None, or an empty
tuple) is "not reported", never "removed". Hints are what the text suggests about the
exclusion criteria; whether a criterion is met stays the dispatcher's decision.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast, get_args

from ..exclusion.criteria import Criterion

Source = Literal["eido", "gms"]
Kind = Literal["new", "update", "cancel"]
UnitStatus = Literal[
    "dispatched", "en_route", "on_scene", "transporting", "cleared", "cancelled", "unknown"
]
UNIT_STATUSES: tuple[UnitStatus, ...] = get_args(UnitStatus)
SOURCES: tuple[Source, ...] = get_args(Source)
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True)
class Triage:
    """The dispatch system's triage code and text, and what the one mapping table makes of it."""

    code: str | None
    text: str | None
    suspected_cardiac_arrest: bool
    rule: str  # the id of the table row that decided, "none" when no row matched
    normalised: str | None = None  # "09-E-01" (MPDS) or "U0" (NTS) when the code was read as one


@dataclass(frozen=True)
class CivicAddress:
    """A civic address as sent (PIDF-LO civicAddress or the GMS adapter's fields)."""

    street: str | None = None
    house_number: str | None = None
    house_suffix: str | None = None  # huisletter and/or toevoeging, e.g. "a" or "a-2"
    postcode: str | None = None
    place: str | None = None  # woonplaats (PIDF-LO A3)
    municipality: str | None = None  # gemeente (A2)
    province: str | None = None  # provincie (A1)
    country: str | None = None
    details: tuple[tuple[str, str], ...] = ()  # floor, unit, building, landmark ... as sent

    @property
    def label(self) -> str:
        """The one-line form, e.g. "Vlietweg 12a, 2266 KA Leidschendam"."""
        number = (self.house_number or "") + (self.house_suffix or "")
        street = " ".join(p for p in (self.street, number) if p)
        town = " ".join(p for p in (self.postcode, self.place or self.municipality) if p)
        return ", ".join(p for p in (street, town) if p)


@dataclass(frozen=True)
class Location:
    """Where the patient is, as far as the message says: a point, an address, or both."""

    lat: float | None = None
    lon: float | None = None
    uncertainty_m: float | None = None  # radius around the point (circle, ellipse's major axis)
    confidence_pct: float | None = None  # PIDF-LO confidence of that radius
    address: CivicAddress | None = None
    description: str | None = None  # free text: "A12 hmp 34,5 Li", "achter de sporthal"
    role: str | None = None  # EIDO location type: CurrentIncident, Caller, ...
    method: str | None = None  # PIDF-LO method: GPS, Cell, Manual, ...
    note: str | None = None  # why no point could be read (an unsupported shape)

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)

    @property
    def is_callers(self) -> bool:
        """Only the caller's location is known: the patient may be elsewhere, so confirm it."""
        return self.role in ("Caller", "RoutingLocation")


@dataclass(frozen=True)
class Hint:
    """Text that suggests an exclusion criterion: shown to the dispatcher, never applied."""

    criterion: Criterion
    matched: str  # the words that were read, e.g. "verhanging"
    text: str  # the sentence they came from (cut short)
    field: str  # JSON path of that text, e.g. "cautionComponent[0].cautionTypeInternalText"
    negated: bool = False  # "geen geweld": the words are there but the sentence denies them


@dataclass(frozen=True)
class Unit:
    """An ambulance (or other unit) on the incident, with its status and ETA."""

    id: str
    status: UnitStatus
    eta: datetime | None = None  # aware; GMS `eta_s` is counted from the message's time
    name: str | None = None  # call sign for display, when it differs from the id
    kind: str | None = None  # resource type as sent ("Ambulance", "MMT", ...)
    status_text: str | None = None  # the status as the dispatch system wrote it


@dataclass(frozen=True)
class IntakeMessage:
    source: Source
    incident_id: str  # the dispatch system's id of the incident
    sent: datetime  # aware: when the dispatch system last changed what this message says
    kind: Kind
    fingerprint: str  # sha256 of the message's canonical JSON: equal for a resent message
    triage: Triage | None = None
    location: Location | None = None
    patient_age_years: float | None = None
    hints: tuple[Hint, ...] = ()
    units: tuple[Unit, ...] = ()
    notes: tuple[str, ...] = ()
    cancel_reason: str | None = None
    internal_id: str | None = None  # EIDO internalIncidentId, for display

    @property
    def key(self) -> str:
        """Messages of one incident share this key (ids of two systems never collide)."""
        return f"{self.source}:{self.incident_id}"

    @property
    def suspected_cardiac_arrest(self) -> bool:
        return self.triage is not None and self.triage.suspected_cardiac_arrest

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (times as ISO 8601), for events and the console; see `from_dict`."""
        return {
            "source": self.source,
            "incident_id": self.incident_id,
            "sent": self.sent.isoformat(),
            "kind": self.kind,
            "fingerprint": self.fingerprint,
            "triage": None if self.triage is None else _plain(self.triage),
            "location": None if self.location is None else _location_dict(self.location),
            "patient_age_years": self.patient_age_years,
            "hints": [_plain(h) for h in self.hints],
            "units": [_unit_dict(u) for u in self.units],
            "notes": list(self.notes),
            "cancel_reason": self.cancel_reason,
            "internal_id": self.internal_id,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> IntakeMessage:
        """The inverse of `to_dict` (for a message kept in an event); trusts its input."""
        location = data.get("location")
        triage = data.get("triage")
        return IntakeMessage(
            source=cast(Source, data["source"]),
            incident_id=data["incident_id"],
            sent=datetime.fromisoformat(data["sent"]),
            kind=cast(Kind, data["kind"]),
            fingerprint=data["fingerprint"],
            triage=None if triage is None else Triage(**triage),
            location=None if location is None else _location_from(location),
            patient_age_years=data.get("patient_age_years"),
            hints=tuple(Hint(**h) for h in data.get("hints", ())),
            units=tuple(_unit_from(u) for u in data.get("units", ())),
            notes=tuple(data.get("notes", ())),
            cancel_reason=data.get("cancel_reason"),
            internal_id=data.get("internal_id"),
        )


def fingerprint(data: Any) -> str:
    """sha256 of canonical JSON (sorted keys, no spaces): whitespace and key order don't count."""
    # ensure_ascii keeps a lone surrogate ("\ud800", valid JSON) encodable as bytes.
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _plain(value: Any) -> dict[str, Any]:
    return dict(value.__dict__)


def _location_dict(location: Location) -> dict[str, Any]:
    data = _plain(location)
    if location.address is not None:
        address = _plain(location.address)
        address["details"] = [list(pair) for pair in location.address.details]
        data["address"] = address
    return data


def _location_from(data: dict[str, Any]) -> Location:
    address = data.get("address")
    if address is not None:
        details = tuple((k, v) for k, v in address.get("details", ()))
        address = CivicAddress(**{**address, "details": details})
    return Location(**{**data, "address": address})


def _unit_dict(unit: Unit) -> dict[str, Any]:
    data = _plain(unit)
    data["eta"] = None if unit.eta is None else unit.eta.isoformat()
    return data


def _unit_from(data: dict[str, Any]) -> Unit:
    eta = data.get("eta")
    return Unit(**{**data, "eta": None if eta is None else datetime.fromisoformat(eta)})
