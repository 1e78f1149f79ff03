"""NENA EIDO 1.0 JSON (NENA-STA-021.1) -> IntakeMessage.

An EIDO is the incident's current state, not a transaction (NENA-STA-021.1: "EIDO only
convey Incident current state, not history"), so a message is "update" unless its
incident status says Cancelled or Closed; whether it is new is for `merge` to decide.

Both spellings of the public schema are read: the repository's schema and sample of
2020 and the 2025 schema (NENA-STA-021.1.1). docs/intake.md lists every difference;
in short:

  2025 (current)                     2020
  lastUpdateTimeStamp                LastUpdateTimeStamp (sample)
  eidoVersion                        EIDOVersion
  $id of the EIDO (incident id)      incidentTrackingIdentifier (the $id was a header id)
  incidentComponent: an object       incidentComponent: a list of one (sample)
  locationComponent                  locationInformationComponent
  personComponent                    personInformationComponent
  internalIncidentId                 internalIncidentID
  emergencyResource... eta           ETA
  emergencyResourceName              enforcementUnitName / enforcementUnitIdentification
  incidentStatusCommonRegistryText   the same, a string instead of a list
  cautionComponent                   (none: cautions were notes)

Where both spellings are present they must agree. Fields this program does not use
(agency, agent, call, media, ...) are not checked, so extensions pass.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import hints, pidf, triage
from .fields import At, IntakeInvalid, each
from .message import Hint, IntakeMessage, Location, Unit, UnitStatus

_VERSION = re.compile(r"1(\.\d{1,3})?")
# Incident Status-Common registry (NENA-STA-021.1 table 3.3): both end the incident here.
_ENDED = {"cancelled": "Cancelled", "closed": "Closed"}
# Location Type registry (table 3.8), best first. A unit's, a staging area's, a cell
# tower's or an investigation's location is never the patient's.
_ROLE_RANK = {
    "CurrentIncident": 0,
    "InitialIncident": 1,
    "Other": 2,
    "Caller": 3,
    "RoutingLocation": 4,
}
_NOT_PATIENT = {"UnitLocation", "Staging", "TowerLocation", "Investigation"}
# Secondary Unit Status-Common registry (table 3.10) -> our status, strongest first: an
# "EnRoute" + "Hospital" unit is transporting, an "Arrived" + "Cleared" one has left.
_SECONDARY: dict[str, UnitStatus] = {
    "assignmentcancelled": "cancelled",
    "cleared": "cleared",
    "backtoassignedarea": "cleared",
    "transporting": "transporting",
    "hospital": "transporting",
    "arrived": "on_scene",
    "onscene": "on_scene",
    "patientcontact": "on_scene",
    "enroute": "en_route",
    "delayed": "en_route",
    "dispatched": "dispatched",
    "assigned": "dispatched",
    "acknowledgedtransmission": "dispatched",
}
_ORDER: tuple[UnitStatus, ...] = (
    "cancelled",
    "cleared",
    "transporting",
    "on_scene",
    "en_route",
    "dispatched",
)
# Person Role registry (table 3.6): the caller's age is not the patient's.
_PATIENT_ROLES = {"patient", "victim"}
# UN/ECE time units in nc:TimeMeasureType; an age without a unit is read as years.
_PER_YEAR = {"ANN": 1.0, "MON": 12.0, "WEE": 52.1775, "DAY": 365.25, "HUR": 8766.0}
_TAG = re.compile(r"<[^>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse(data: Any, *, fingerprint: str, received: datetime | None = None) -> IntakeMessage:
    root = At(data)
    root.obj()
    root.need("eidoVersion", "EIDOVersion").pattern(_VERSION, "an EIDO 1.x version")
    tracking = root.key("incidentTrackingIdentifier")
    incident_id = (tracking if tracking is not None else root.need("$id")).ident()
    sent = root.need("lastUpdateTimeStamp", "LastUpdateTimeStamp").time(received)

    incident = root.need("incidentComponent").one_or_list()
    code_at = incident.need("incidentTypeInternalCode")
    code = code_at.text(100, free=False)
    text_at = incident.key("incidentTypeInternalText")
    text = None if text_at is None else text_at.text(500)
    ended = _ended(incident.key("incidentStatusCommonRegistryText"))
    internal = incident.key("internalIncidentId", "internalIncidentID")

    places = root.key("locationComponent", "locationInformationComponent")
    chosen = _choose([_location(n, i) for i, n in enumerate(each(places))])
    notes = [
        (_note_text(n.need("notesActionComments")), f"{n.path}.notesActionComments")
        for n in each(root.key("notesComponent"))
    ]
    texts = [(text, text_at.path)] if text and text_at else []
    texts += [*notes, *(chosen.texts if chosen else ())]
    found = [
        *triage.hints_for(code, text, code_at.path),
        *_caution_hints(root.key("cautionComponent")),
        *hints.find_all(texts),
    ]
    return IntakeMessage(
        source="eido",
        incident_id=incident_id,
        sent=sent,
        kind="cancel" if ended else "update",
        fingerprint=fingerprint,
        triage=triage.classify(code, text),
        location=None if chosen is None else chosen.location,
        patient_age_years=_patient_age(root.key("personComponent", "personInformationComponent")),
        hints=_unique(found),
        units=_units(root.key("emergencyResourceComponent"), incident_id),
        notes=tuple(note for note, _ in notes),
        cancel_reason=ended,
        internal_id=None if internal is None else internal.ident(),
    )


def _ended(status: At | None) -> str | None:
    """The incident status Cancelled or Closed, if it says so (a string in 2020, a list later)."""
    if status is None:
        return None
    return next((_ENDED[s.lower()] for s in status.texts(100) if s.lower() in _ENDED), None)


@dataclass(frozen=True)
class _Candidate:
    rank: int
    index: int
    location: Location
    texts: tuple[tuple[str, str], ...]  # (text, path) to read for hints: description, street


def _location(node: At, index: int) -> _Candidate | None:
    node.obj()
    role_at = node.key("locationTypeDescriptionRegistryText")
    role = None if role_at is None else role_at.text(100, free=False)
    by_value = node.key("locationByValue")
    described = node.key("locationDescriptionText")
    description = None if described is None else described.text(500)
    if by_value is None and described is None:
        return None  # by reference only: this program does not dereference URLs
    read = pidf.Pidf()
    if by_value is not None:
        read = pidf.parse(by_value.text(pidf.MAX_XML_CHARS), by_value.path)
    if role in _NOT_PATIENT:
        return None  # read all the same: a broken one is a broken message
    texts = []
    if described is not None and description:
        texts.append((description, described.path))
    if by_value is not None and read.address is not None and read.address.street:
        texts.append((read.address.street, by_value.path))
    location = Location(
        lat=read.lat, lon=read.lon, uncertainty_m=read.uncertainty_m,
        confidence_pct=read.confidence_pct, address=read.address, description=description,
        role=role, method=read.method, note=read.note,
    )  # fmt: skip
    return _Candidate(
        _ROLE_RANK.get(role or "Other", _ROLE_RANK["Other"]), index, location, tuple(texts)
    )


def _choose(candidates: list[_Candidate | None]) -> _Candidate | None:
    """The best-ranked location; within a rank the first with a point, else the first."""
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    return min(found, key=lambda c: (c.rank, c.location.point is None, c.index))


def _note_text(node: At) -> str:
    """notesActionComments is HTML5: tags dropped, entities decoded, shown as plain text."""
    raw = node.text(50_000)
    plain = _CONTROL.sub("", html.unescape(_TAG.sub(" ", raw)))
    plain = " ".join(plain.split())
    if not plain:
        raise node.fail("holds no text")
    return plain[:10_000]


def _caution_hints(cautions: At | None) -> list[Hint]:
    """Every caution is at least an "unsafe situation" hint: EIDO defines a caution as a
    circumstance that might threaten the safety of people (§5.1: possibly unsafe)."""
    found: list[Hint] = []
    for caution in each(cautions):
        caution.obj()
        texts = []
        for name in ("cautionTypeInternalText", "cautionTypeCommonRegistryText"):
            at = caution.key(name)
            if at is not None:
                texts.append((at.text(1000), at.path))
        sub = caution.key("cautionTypeCommonSubRegistryText")
        if sub is not None:
            texts += [(t, sub.path) for t in sub.texts(1000)]
        if not texts:
            raise IntakeInvalid(f"{caution.where}.cautionTypeInternalText", "missing")
        own: dict[str, Hint] = {}
        for hint in hints.find_all(texts):
            own.setdefault(hint.criterion, hint)  # one per criterion for one caution
        if "violence" not in own:
            found.append(Hint("violence", "caution", texts[0][0], texts[0][1]))
        found += own.values()
    return found


def _unique(found: list[Hint]) -> tuple[Hint, ...]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for hint in found:
        if (hint.criterion, hint.field) not in seen:
            seen.add((hint.criterion, hint.field))
            kept.append(hint)
    return tuple(kept)


def _patient_age(persons: At | None) -> float | None:
    """The first patient's (or victim's) age, when the message gives one."""
    for person in each(persons):
        person.obj()
        roles = person.key("personIncidentRoleRegistryText")
        if roles is None or not {r.lower() for r in roles.texts(100)} & _PATIENT_ROLES:
            continue
        nc = person.key("ncPersonComponent")
        ages = None if nc is None else nc.key("ageMeasure")
        if ages is None:
            continue
        measures = ages.items() if isinstance(ages.value, list) else [ages]
        if measures:
            return _years(measures[0])
    return None


def _years(measure: At) -> float:
    measure.obj()
    value_at = next(
        (at for name in ("decimalValue", "doubleValue", "integerValue", "unsignedIntegerValue")
         if (at := measure.key(name)) is not None),
        None,
    )  # fmt: skip
    if value_at is None:
        raise IntakeInvalid(f"{measure.where}.integerValue", "missing (an age needs a value)")
    value = _first_value(value_at).number(0, 200 * 366)
    unit, unit_at = "ANN", measure.key("timeUnitCode")
    if unit_at is not None:
        unit = _unit_code(unit_at)
        if unit not in _PER_YEAR:
            raise unit_at.fail(f"time unit {unit!r} is not read (ANN, MON, WEE, DAY, HUR)")
    years = value / _PER_YEAR[unit]
    if years > 130:
        raise value_at.fail(f"an age of {years:.0f} years is not possible")
    return round(years, 3)


def _first_value(node: At) -> At:
    """nc measures are lists of {"value": n}; a bare number or one object is read too."""
    if isinstance(node.value, list):
        entries = node.items()
        if not entries:
            raise node.fail("is empty")
        node = entries[0]
    if isinstance(node.value, dict):
        return node.need("value")
    return node


def _unit_code(node: At) -> str:
    if isinstance(node.value, list):
        entries = node.items()
        if not entries:
            raise node.fail("is empty")
        node = entries[0]
    if isinstance(node.value, dict):
        node = node.need("simpleType")
    return node.text(10, free=False).upper()


def _units(resources: At | None, incident_id: str) -> tuple[Unit, ...]:
    units: dict[str, Unit] = {}
    for resource in each(resources):
        resource.obj()
        id_at = resource.need("$id")
        unit_id = id_at.ident()
        if unit_id in units:
            raise id_at.fail(f"unit {unit_id!r} appears twice")
        eta_at = resource.key("eta", "ETA")
        name = next(
            (at.text(100, free=False) for n in ("emergencyResourceName", "enforcementUnitName",
             "enforcementUnitIdentification") if (at := resource.key(n)) is not None),
            None,
        )  # fmt: skip
        kind_at = resource.key("emergencyResourceTypeInternalText") or resource.key(
            "emergencyResourceTypeCommonRegistryText"
        )
        status, status_text = _status(resource, incident_id)
        units[unit_id] = Unit(
            id=unit_id,
            status=status,
            eta=None if eta_at is None else eta_at.time(),  # an ETA is in the future: no skew check
            name=name if name != unit_id else None,
            kind=None if kind_at is None else kind_at.text(100, free=False),
            status_text=status_text,
        )
    return tuple(units.values())


def _status(resource: At, incident_id: str) -> tuple[UnitStatus, str | None]:
    secondary_at = resource.key("secondaryUnitStatusRegistryText")
    secondary = [] if secondary_at is None else secondary_at.texts(100)
    primary_at = resource.key("primaryUnitStatusRegistryText")
    primary = None if primary_at is None else primary_at.text(100, free=False)
    internal_at = resource.key("unitStatusInternal")
    internal = [] if internal_at is None else internal_at.texts(100)
    text = ", ".join(secondary) or primary or ", ".join(internal) or None
    active_at = resource.key("activeOnIncidentId")
    if active_at is not None and active_at.ident() != incident_id:
        # 2025: a unit reassigned to another incident is no longer coming to this one.
        return "cleared", f"active on incident {active_at.ident()}"
    mapped = {_SECONDARY[s.lower()] for s in secondary if s.lower() in _SECONDARY}
    for status in _ORDER:
        if status in mapped:
            return status, text
    if primary is not None and primary.lower() == "available":
        return "cleared", text
    return "unknown", text
