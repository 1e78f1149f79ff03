"""The exchange format: which columns a responder or AED file has and what they mean.

CSV and GeoJSON share these column sets; GeoJSON puts `lat`/`lon` in the Point geometry
and the rest in `properties`.

Responders (one row per responder; the Point is the home address):

| column | required | meaning |
|---|---|---|
| id | yes | unique, e.g. R000001 |
| pseudonym | no | shown to dispatchers instead of a name, e.g. BHV-0001234 |
| lat, lon | yes | home address, WGS84 decimal degrees, inside the Netherlands |
| window | no | when the home address applies (OSM opening_hours, default 24/7) |
| work_lat, work_lon | no | work address; both or neither |
| work_window | no | when the work address applies (default 24/7) |
| availability | no | when the responder may be alerted at all (default 24/7) |
| certificate_valid_until | yes | YYYY-MM-DD |
| last_refresher | no | YYYY-MM-DD of the last refresher course |
| active | no | true/false, 1/0, yes/no (default true) |
| medical | no | a medical professional (default false) |
| channels | no | app, sms, voice separated by ";" (default app) |
| test_alarms_opt_in | no | takes part in test alarms (default false) |
| municipality | no | home municipality |
| synthetic | no | generated demo data, not a real person (default false) |

AEDs: id, lat, lon and opening_hours are required; status (ready | maintenance | reserve
| check_needed, default ready), cabinet_code, location_description, manager_contact,
indoor (default false) and synthetic (default false) are optional.

A responder is exported with its first home and first work address; live GPS fixes are
not registry data and are not exported. Unknown columns are reported (a typo such as
"lattitude" must not silently drop data).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..geo import NL_LAT, NL_LON, in_netherlands
from . import fields as f
from .model import Address, Aed, AedStatus, Responder
from .problems import Problems

RESPONDERS, AEDS = "responders", "aeds"
KINDS = (RESPONDERS, AEDS)

RESPONDER_COLUMNS = (
    "id", "pseudonym", "lat", "lon", "window", "work_lat", "work_lon", "work_window",
    "availability", "certificate_valid_until", "last_refresher", "active", "medical",
    "channels", "test_alarms_opt_in", "municipality", "synthetic",
)  # fmt: skip
AED_COLUMNS = (
    "id", "lat", "lon", "opening_hours", "status", "cabinet_code", "location_description",
    "manager_contact", "indoor", "synthetic",
)  # fmt: skip
COLUMNS = {RESPONDERS: RESPONDER_COLUMNS, AEDS: AED_COLUMNS}
REQUIRED = {
    RESPONDERS: ("id", "lat", "lon", "certificate_valid_until"),
    AEDS: ("id", "lat", "lon", "opening_hours"),
}

_REQUIRED = object()


def guess_kind(columns: set[str]) -> str | None:
    """Responders or AEDs, from the columns a file has (for `import` without --kind)."""
    if "certificate_valid_until" in columns:
        return RESPONDERS
    if columns & {"opening_hours", "cabinet_code", "status"}:
        return AEDS
    return None


# -- records -> fields -------------------------------------------------------------------
def responder_fields(r: Responder) -> dict[str, Any]:
    home = next((a for a in r.addresses if a.label == "home"), None)
    work = next((a for a in r.addresses if a.label == "work"), None)
    return {
        "id": r.id,
        "pseudonym": r.pseudonym,
        "lat": home.lat if home else None,
        "lon": home.lon if home else None,
        "window": home.window if home else None,
        "work_lat": work.lat if work else None,
        "work_lon": work.lon if work else None,
        "work_window": work.window if work else None,
        "availability": r.availability,
        "certificate_valid_until": r.certificate_valid_until.isoformat(),
        "last_refresher": r.last_refresher.isoformat() if r.last_refresher else None,
        "active": r.active,
        "medical": r.medical,
        "channels": list(r.channels),
        "test_alarms_opt_in": r.test_alarms_opt_in,
        "municipality": r.municipality,
        "synthetic": r.synthetic,
    }


def aed_fields(a: Aed) -> dict[str, Any]:
    return {
        "id": a.id,
        "lat": a.lat,
        "lon": a.lon,
        "opening_hours": a.opening_hours,
        "status": str(a.status),
        "cabinet_code": a.cabinet_code,
        "location_description": a.location_description,
        "manager_contact": a.manager_contact,
        "indoor": a.indoor,
        "synthetic": a.synthetic,
    }


# -- fields -> records -------------------------------------------------------------------
class _Row:
    """One row being read: parse each field, note every problem, keep going."""

    def __init__(self, values: Mapping[str, object], where: str, problems: Problems) -> None:
        self.values, self.where, self.problems = values, where, problems
        self.ok = True

    def fail(self, field: str, what: str) -> None:
        self.ok = False
        self.problems.add(self.where, field, what)

    def get(self, name: str, parse: Callable[[object], Any], default: Any = _REQUIRED) -> Any:
        raw = self.values.get(name)
        if f.is_blank(raw):
            if default is _REQUIRED:
                self.fail(name, "missing")
            return None if default is _REQUIRED else default
        try:
            return parse(raw)
        except f.FieldError as e:
            self.fail(name, str(e))
            return None

    def position(self, lat_key: str, lon_key: str, required: bool) -> tuple[float, float] | None:
        blank_lat = f.is_blank(self.values.get(lat_key))
        blank_lon = f.is_blank(self.values.get(lon_key))
        if not required and blank_lat and blank_lon:
            return None
        if not required and blank_lat != blank_lon:
            missing, given = (lat_key, lon_key) if blank_lat else (lon_key, lat_key)
            self.fail(missing, f"missing ({given} is given)")
            return None
        lat, lon = self.get(lat_key, f.number), self.get(lon_key, f.number)
        if lat is None or lon is None:
            return None
        if in_netherlands(lat, lon):
            return lat, lon
        if in_netherlands(lon, lat):
            self.fail(lat_key, f"{lat}, {lon} is outside the Netherlands; lat and lon look swapped")
        elif not NL_LAT[0] <= lat <= NL_LAT[1]:
            self.fail(lat_key, f"{lat} is outside the Netherlands (lat {NL_LAT[0]}-{NL_LAT[1]})")
        else:
            self.fail(lon_key, f"{lon} is outside the Netherlands (lon {NL_LON[0]}-{NL_LON[1]})")
        return None


def responder_from_fields(
    values: Mapping[str, object], where: str, problems: Problems
) -> Responder | None:
    row = _Row(values, where, problems)
    rid = row.get("id", f.identifier)
    home = row.position("lat", "lon", required=True)
    home_window = row.get("window", f.hours, "24/7")
    work = row.position("work_lat", "work_lon", required=False)
    work_window = row.get("work_window", f.hours, "24/7")
    responder = dict(
        pseudonym=row.get("pseudonym", f.text, ""),
        availability=row.get("availability", f.hours, "24/7"),
        certificate_valid_until=row.get("certificate_valid_until", f.iso_date),
        last_refresher=row.get("last_refresher", f.iso_date, None),
        active=row.get("active", f.boolean, True),
        medical=row.get("medical", f.boolean, False),
        channels=row.get("channels", f.channels, ("app",)),
        test_alarms_opt_in=row.get("test_alarms_opt_in", f.boolean, False),
        municipality=row.get("municipality", f.text, ""),
        synthetic=row.get("synthetic", f.boolean, False),
    )
    if not row.ok or home is None:
        return None
    addresses = [Address(home[0], home[1], home_window, "home")]
    if work is not None:
        addresses.append(Address(work[0], work[1], work_window, "work"))
    return Responder(id=rid, addresses=tuple(addresses), **responder)


def aed_from_fields(values: Mapping[str, object], where: str, problems: Problems) -> Aed | None:
    row = _Row(values, where, problems)
    aid = row.get("id", f.identifier)
    position = row.position("lat", "lon", required=True)
    aed = dict(
        opening_hours=row.get("opening_hours", f.hours),
        status=row.get("status", f.status, AedStatus.READY),
        cabinet_code=row.get("cabinet_code", f.text, ""),
        location_description=row.get("location_description", f.text, ""),
        manager_contact=row.get("manager_contact", f.text, ""),
        indoor=row.get("indoor", f.boolean, False),
        synthetic=row.get("synthetic", f.boolean, False),
    )
    if not row.ok or position is None:
        return None
    return Aed(id=aid, lat=position[0], lon=position[1], **aed)
