"""Registry records as flat SQL rows, in the column order of the store's tables.

One place decides how a record is flattened, so the store, the demo generator and the
record iterators cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ..errors import InvalidInput
from .model import Address, Aed, AedStatus, GpsFix, Responder

# id, pseudonym, availability, certificate_valid_until, last_refresher, active, medical,
# channels, test_alarms_opt_in, municipality, synthetic
ResponderRow = tuple[str, str, str, str, str | None, int, int, str, int, str, int]
# responder_id, kind, lat, lon, window, gps_time
PositionRow = tuple[str, str, float, float, str, str | None]
# id, lat, lon, opening_hours, status, cabinet_code, location_description,
# manager_contact, indoor, synthetic
AedRow = tuple[str, float, float, str, str, str, str, str, int, int]

POSITION_KINDS = ("gps", "home", "work")


@dataclass
class RegistryRows:
    responders: list[ResponderRow] = field(default_factory=list)
    positions: list[PositionRow] = field(default_factory=list)
    aeds: list[AedRow] = field(default_factory=list)


def rows_from_records(responders: Iterable[Responder], aeds: Iterable[Aed]) -> RegistryRows:
    rows = RegistryRows()
    for r in responders:
        rows.responders.append(
            (
                r.id,
                r.pseudonym,
                r.availability,
                r.certificate_valid_until.isoformat(),
                r.last_refresher.isoformat() if r.last_refresher else None,
                int(r.active),
                int(r.medical),
                ";".join(r.channels),
                int(r.test_alarms_opt_in),
                r.municipality,
                int(r.synthetic),
            )
        )
        if r.gps is not None:
            rows.positions.append(
                (r.id, "gps", r.gps.lat, r.gps.lon, "24/7", r.gps.time.isoformat())
            )
        for a in r.addresses:
            if a.label not in ("home", "work"):
                raise InvalidInput(f"responder {r.id}: address label {a.label!r} is not home/work")
            rows.positions.append((r.id, a.label, a.lat, a.lon, a.window, None))
    rows.aeds.extend(aed_row(a) for a in aeds)
    return rows


def aed_row(a: Aed) -> AedRow:
    return (
        a.id,
        a.lat,
        a.lon,
        a.opening_hours,
        str(a.status),
        a.cabinet_code,
        a.location_description,
        a.manager_contact,
        int(a.indoor),
        int(a.synthetic),
    )


def responder_from_row(row: Sequence[object], positions: Sequence[PositionRow]) -> Responder:
    gps: GpsFix | None = None
    addresses: list[Address] = []
    for _, kind, lat, lon, window, gps_time in positions:
        if kind == "gps" and gps_time is not None:
            gps = GpsFix(lat, lon, datetime.fromisoformat(gps_time))
        else:
            addresses.append(Address(lat, lon, window, kind))
    rid, pseudonym, availability, cert, refresher, active, medical, chans, opt_in, muni, synth = row
    return Responder(
        id=str(rid),
        certificate_valid_until=date.fromisoformat(str(cert)),
        addresses=tuple(addresses),
        gps=gps,
        pseudonym=str(pseudonym),
        availability=str(availability),
        active=bool(active),
        medical=bool(medical),
        channels=tuple(str(chans).split(";")) if chans else (),
        test_alarms_opt_in=bool(opt_in),
        municipality=str(muni),
        last_refresher=date.fromisoformat(str(refresher)) if refresher else None,
        synthetic=bool(synth),
    )


def aed_from_row(row: Sequence[object]) -> Aed:
    aid, lat, lon, hours, status, code, description, manager, indoor, synth = row
    return Aed(
        id=str(aid),
        lat=float(lat),  # type: ignore[arg-type]
        lon=float(lon),  # type: ignore[arg-type]
        opening_hours=str(hours),
        status=AedStatus(str(status)),
        cabinet_code=str(code),
        location_description=str(description),
        manager_contact=str(manager),
        indoor=bool(indoor),
        synthetic=bool(synth),
    )
