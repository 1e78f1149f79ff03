"""A generated demo registry held as columns, so the national set (~240,000 responders)
goes to SQLite or to a `Registry` without first becoming a quarter million records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .model import Address, Aed, AedStatus, Responder
from .rows import PositionRow, RegistryRows, ResponderRow
from .table import SLOT_HOME, SLOT_WORK, AedColumns, Registry, ResponderColumns, channel_mask


@dataclass(frozen=True)
class DemoResponders:
    ids: list[str]
    pseudonyms: list[str]
    availability: list[str]
    cert_day: np.ndarray  # date.toordinal() of certificate_valid_until
    refresher_day: np.ndarray  # date.toordinal() of last_refresher, 0 = not known
    active: np.ndarray
    medical: np.ndarray
    test_opt_in: np.ndarray
    channels: list[str]  # "app;sms"
    municipality: list[str]
    home_lat: np.ndarray
    home_lon: np.ndarray
    home_window: list[str]
    work_lat: np.ndarray  # NaN = no work address
    work_lon: np.ndarray
    work_window: list[str]  # "" = no work address

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class DemoAeds:
    ids: list[str]
    lat: np.ndarray
    lon: np.ndarray
    opening_hours: list[str]
    status: list[str]
    cabinet_code: list[str]
    location_description: list[str]
    manager_contact: list[str]
    indoor: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class DemoSet:
    region: str
    seed: int
    population: int
    responders: DemoResponders
    aeds: DemoAeds

    def metadata(self) -> dict[str, str]:
        return {
            "synthetic": "yes",
            "region": self.region,
            "seed": str(self.seed),
            "population": str(self.population),
            "source": "synthetic; population: CBS PC4 2021 (CC BY 4.0)",
        }

    # -- as records ----------------------------------------------------------------------
    def responder_records(self) -> list[Responder]:
        r = self.responders
        days = _dates(r.cert_day, r.refresher_day)
        records = []
        for row in zip(
            r.ids, r.pseudonyms, r.availability, r.cert_day.tolist(), r.refresher_day.tolist(),
            r.active.tolist(), r.medical.tolist(), r.test_opt_in.tolist(), r.channels,
            r.municipality, r.home_lat.tolist(), r.home_lon.tolist(), r.home_window,
            r.work_lat.tolist(), r.work_lon.tolist(), r.work_window,
            strict=True,
        ):  # fmt: skip
            rid, pseudo, avail, cert, refr, active, medical, opt_in, chans, muni = row[:10]
            hlat, hlon, hwin, wlat, wlon, wwin = row[10:]
            addresses: tuple[Address, ...] = (Address(hlat, hlon, hwin, "home"),)
            if wwin:
                addresses += (Address(wlat, wlon, wwin, "work"),)
            records.append(
                Responder(
                    id=rid,
                    certificate_valid_until=days[cert],
                    addresses=addresses,
                    pseudonym=pseudo,
                    availability=avail,
                    active=active,
                    medical=medical,
                    channels=tuple(chans.split(";")),
                    test_alarms_opt_in=opt_in,
                    municipality=muni,
                    last_refresher=days[refr] if refr else None,
                    synthetic=True,
                )
            )
        return records

    def aed_records(self) -> list[Aed]:
        a = self.aeds
        return [
            Aed(id=i, lat=lat, lon=lon, opening_hours=h, status=AedStatus(s), cabinet_code=c,
                location_description=d, manager_contact=m, indoor=ind, synthetic=True)
            for i, lat, lon, h, s, c, d, m, ind in zip(
                a.ids, a.lat.tolist(), a.lon.tolist(), a.opening_hours, a.status,
                a.cabinet_code, a.location_description, a.manager_contact, a.indoor.tolist(),
                strict=True,
            )
        ]  # fmt: skip

    # -- fast paths ----------------------------------------------------------------------
    def rows(self) -> RegistryRows:
        """Rows for RegistryStore.write_rows, the same as rows_from_records(records)."""
        r, a = self.responders, self.aeds
        iso = {d: v.isoformat() for d, v in _dates(r.cert_day, r.refresher_day).items()}
        responders: list[ResponderRow] = [
            (rid, pseudo, avail, iso[cert], iso[refr] if refr else None, int(act), int(med),
             chans, int(opt), muni, 1)
            for rid, pseudo, avail, cert, refr, act, med, chans, opt, muni in zip(
                r.ids, r.pseudonyms, r.availability, r.cert_day.tolist(),
                r.refresher_day.tolist(), r.active.tolist(), r.medical.tolist(), r.channels,
                r.test_opt_in.tolist(), r.municipality,
                strict=True,
            )
        ]  # fmt: skip
        positions: list[PositionRow] = []
        for rid, hlat, hlon, hwin, wlat, wlon, wwin in zip(
            r.ids, r.home_lat.tolist(), r.home_lon.tolist(), r.home_window,
            r.work_lat.tolist(), r.work_lon.tolist(), r.work_window,
            strict=True,
        ):  # fmt: skip
            positions.append((rid, "home", hlat, hlon, hwin, None))
            if wwin:
                positions.append((rid, "work", wlat, wlon, wwin, None))
        aeds = [
            (i, lat, lon, h, s, c, d, m, int(ind), 1)
            for i, lat, lon, h, s, c, d, m, ind in zip(
                a.ids, a.lat.tolist(), a.lon.tolist(), a.opening_hours, a.status,
                a.cabinet_code, a.location_description, a.manager_contact, a.indoor.tolist(),
                strict=True,
            )
        ]  # fmt: skip
        return RegistryRows(responders, positions, aeds)

    def registry(self) -> Registry:
        """The columnar registry, built without records (scenarios, benchmarks)."""
        r, a = self.responders, self.aeds
        n = len(r)
        has_work = np.asarray([bool(w) for w in r.work_window])
        work = np.flatnonzero(has_work)
        resp = np.concatenate([np.arange(n), work])
        kind = np.concatenate([np.full(n, SLOT_HOME), np.full(len(work), SLOT_WORK)])
        order = np.lexsort((kind, resp))  # home before work, grouped per responder
        windows = np.asarray(r.home_window + [r.work_window[i] for i in work], dtype=object)
        masks = {c: channel_mask(c.split(";")) for c in set(r.channels)}
        columns = ResponderColumns(
            ids=r.ids,
            pseudonyms=r.pseudonyms,
            active=r.active,
            cert_day=r.cert_day,
            availability=r.availability,
            medical=r.medical,
            test_opt_in=r.test_opt_in,
            channels=np.asarray([masks[c] for c in r.channels], dtype=np.uint8),
            municipality=r.municipality,
            slot_resp=resp[order].astype(np.int32),
            slot_lat=np.concatenate([r.home_lat, r.work_lat[work]])[order],
            slot_lon=np.concatenate([r.home_lon, r.work_lon[work]])[order],
            slot_kind=kind[order].astype(np.int8),
            slot_window=windows[order].tolist(),
            slot_gps_epoch=np.full(len(resp), np.nan),
        )
        aed_columns = AedColumns(
            ids=a.ids,
            lat=a.lat,
            lon=a.lon,
            opening_hours=a.opening_hours,
            status=a.status,
            cabinet_code=a.cabinet_code,
            location_description=a.location_description,
        )
        return Registry(columns, aed_columns)


def _dates(*ordinals: np.ndarray) -> dict[int, date]:
    """date per distinct ordinal: a few hundred distinct days, not a quarter million calls."""
    days = np.unique(np.concatenate(ordinals))
    return {int(d): date.fromordinal(int(d)) for d in days if d > 0}
