"""The "GMS adapter" message: a minimal JSON a dispatch system's adapter can send.

Designed here (docs/intake.md has the full description and an example): one flat
object per change, `type` new / update / cancel. Unlike an EIDO, an update may leave out
what did not change. Unknown fields are refused, so a typo is an error, not a gap.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, cast

from . import hints, triage
from .fields import At, IntakeInvalid, each, only_keys
from .message import (
    KINDS,
    UNIT_STATUSES,
    CivicAddress,
    Hint,
    IntakeMessage,
    Kind,
    Location,
    Unit,
    UnitStatus,
)

FORMAT = "gms-adapter/1"
_TOP = frozenset({"format", "incident_id", "time", "type", "triage", "location", "patient",
                  "notes", "units", "reason"})  # fmt: skip
_TRIAGE = frozenset({"code", "text", "system"})
_LOCATION = frozenset({"lat", "lon", "uncertainty_m", "address", "description"})
_ADDRESS_FIELDS = ("street", "house_number", "house_suffix", "postcode", "place", "municipality",
                   "province", "country")  # fmt: skip
_ADDRESS = frozenset(_ADDRESS_FIELDS)
_PATIENT = frozenset({"age_years", "age_months"})
_UNIT = frozenset({"id", "status", "eta", "eta_s", "name", "kind"})
_KIND = re.compile("|".join(KINDS))
_STATUS = re.compile("|".join(UNIT_STATUSES))
_FORMAT = re.compile(re.escape(FORMAT))
# An ambulance ETA beyond 4 hours is not an ETA (the largest Dutch A1 response norm is 15 min).
MAX_ETA_S = 4 * 3600


def parse(data: Any, *, fingerprint: str, received: datetime | None = None) -> IntakeMessage:
    root = At(data)
    only_keys(root, _TOP)
    root.need("format").pattern(_FORMAT, f"{FORMAT!r}")
    incident_id = root.need("incident_id").ident()
    sent = root.need("time").time(received)
    kind = cast(Kind, root.need("type").pattern(_KIND, "new, update or cancel"))

    triage_at = root.key("triage")
    location_at = root.key("location")
    if kind == "new" and triage_at is None:
        raise IntakeInvalid("triage", "missing (a new incident needs its triage code or text)")
    if kind == "new" and location_at is None:
        raise IntakeInvalid("location", "missing (a new incident needs lat/lon or an address)")
    code, text, found = _triage(triage_at)
    location, location_texts = (None, []) if location_at is None else _location(location_at, kind)
    notes = [(n.text(), n.where) for n in each(root.key("notes"))]
    found += hints.find_all([*([(text, "triage.text")] if text else []), *notes, *location_texts])
    reason = root.key("reason")
    return IntakeMessage(
        source="gms",
        incident_id=incident_id,
        sent=sent,
        kind=kind,
        fingerprint=fingerprint,
        triage=None if triage_at is None else triage.classify(code, text),
        location=location,
        patient_age_years=_age(root.key("patient")),
        hints=tuple(found),
        units=_units(root.key("units"), sent),
        notes=tuple(t for t, _ in notes),
        cancel_reason=None if reason is None else reason.text(500),
    )


def _triage(node: At | None) -> tuple[str | None, str | None, list[Hint]]:
    if node is None:
        return None, None, []
    only_keys(node, _TRIAGE)
    code_at, text_at, system = node.key("code"), node.key("text"), node.key("system")
    if code_at is None and text_at is None:
        raise IntakeInvalid("triage.code", "missing (give the code, the text or both)")
    if system is not None:
        system.text(40, free=False)  # informative only: the table reads the code itself
    code = None if code_at is None else code_at.text(100, free=False)
    text = None if text_at is None else text_at.text(500)
    return code, text, triage.hints_for(code, text, "triage.code")


def _location(node: At, kind: Kind) -> tuple[Location, list[tuple[str, str]]]:
    only_keys(node, _LOCATION)
    lat_at, lon_at = node.key("lat"), node.key("lon")
    if (lat_at is None) != (lon_at is None):
        missing = "lon" if lon_at is None else "lat"
        raise IntakeInvalid(f"location.{missing}", "missing (lat and lon come together)")
    lat = None if lat_at is None else lat_at.number(-90, 90)
    lon = None if lon_at is None else lon_at.number(-180, 180)
    radius_at = node.key("uncertainty_m")
    address_at = node.key("address")
    address = None if address_at is None else _address(address_at)
    described = node.key("description")
    description = None if described is None else described.text(500)
    if lat is None and address is None and (kind == "new" or description is None):
        raise IntakeInvalid("location.lat", "missing (give lat/lon, an address or both)")
    texts = [(description, "location.description")] if description else []
    if address is not None and address.street:
        texts.append((address.street, "location.address.street"))
    location = Location(
        lat=lat, lon=lon, address=address, description=description,
        uncertainty_m=None if radius_at is None else radius_at.number(0, 100_000),
    )  # fmt: skip
    return location, texts


def _address(node: At) -> CivicAddress:
    only_keys(node, _ADDRESS)
    parts = {
        name: value.text(200, free=False)
        for name in _ADDRESS_FIELDS
        if (value := node.key(name)) is not None
    }
    if not parts:
        raise node.fail("is empty")
    get = parts.get
    return CivicAddress(
        street=get("street"), house_number=get("house_number"), house_suffix=get("house_suffix"),
        postcode=get("postcode"), place=get("place"), municipality=get("municipality"),
        province=get("province"), country=get("country"),
    )  # fmt: skip


def _age(node: At | None) -> float | None:
    if node is None:
        return None
    only_keys(node, _PATIENT)
    years, months = node.key("age_years"), node.key("age_months")
    if years is not None and months is not None:
        raise months.fail("give age_years or age_months, not both")
    if years is not None:
        return years.number(0, 130)
    if months is not None:
        return round(months.integer(0, 130 * 12) / 12, 3)
    return None


def _units(node: At | None, sent: datetime) -> tuple[Unit, ...]:
    units: dict[str, Unit] = {}
    for entry in each(node):
        only_keys(entry, _UNIT)
        id_at = entry.need("id")
        unit_id = id_at.ident()
        if unit_id in units:
            raise id_at.fail(f"unit {unit_id!r} appears twice")
        status = cast(UnitStatus, entry.need("status").pattern(_STATUS, ", ".join(UNIT_STATUSES)))
        eta_at, eta_s = entry.key("eta"), entry.key("eta_s")
        if eta_at is not None and eta_s is not None:
            raise eta_s.fail("give eta or eta_s, not both")
        eta = None
        if eta_at is not None:
            eta = eta_at.time()
        elif eta_s is not None:
            eta = sent + timedelta(seconds=eta_s.integer(0, MAX_ETA_S))
        name, unit_kind = entry.key("name"), entry.key("kind")
        units[unit_id] = Unit(
            id=unit_id,
            status=status,
            eta=eta,
            name=None if name is None else name.text(100, free=False),
            kind=None if unit_kind is None else unit_kind.text(100, free=False),
        )
    return tuple(units.values())
