"""Columnar, in-memory registry: numpy arrays plus KD-trees in RD metres.

Selection works on these arrays with masks; Python objects are only touched for the
handful of responders that end up alerted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import opening_hours
from scipy.spatial import cKDTree

from ..clock import AMSTERDAM
from ..geo import to_rd
from .model import CHANNELS, Aed, AedStatus, Responder

SLOT_GPS, SLOT_HOME, SLOT_WORK = 0, 1, 2
AED_STATUS_CODES = {s: i for i, s in enumerate(AedStatus)}
AED_STATUS_BY_CODE = list(AedStatus)


class Patterns:
    """Interned opening-hours strings, parsed once, evaluated once per distinct string."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._code: dict[str, int] = {}
        self._parsed: list[opening_hours.OpeningHours | None] = []

    def code(self, text: str) -> int:
        text = text.strip() or "24/7"
        found = self._code.get(text)
        if found is None:
            found = len(self.texts)
            self._code[text] = found
            self.texts.append(text)
            self._parsed.append(None if text == "24/7" else opening_hours.OpeningHours(text))
        return found

    def open_at(self, codes: np.ndarray, t: datetime) -> np.ndarray:
        """Boolean per code: is that pattern open at local time t?"""
        local = t.astimezone(AMSTERDAM).replace(tzinfo=None)
        uniq, inverse = np.unique(codes, return_inverse=True)
        flags = np.fromiter(
            (self._is_open(int(c), local) for c in uniq), dtype=bool, count=len(uniq)
        )
        return flags[inverse]

    def _is_open(self, code: int, local: datetime) -> bool:
        parsed = self._parsed[code]
        return True if parsed is None else bool(parsed.is_open(local))


@dataclass
class ResponderColumns:
    """Plain columns for bulk loading (from SQLite or the demo generator)."""

    ids: Sequence[str]
    pseudonyms: Sequence[str]
    active: np.ndarray
    cert_day: np.ndarray  # date.toordinal() of certificate_valid_until
    availability: Sequence[str]
    medical: np.ndarray
    test_opt_in: np.ndarray
    channels: np.ndarray  # bitmask over CHANNELS
    municipality: Sequence[str]
    slot_resp: np.ndarray
    slot_lat: np.ndarray
    slot_lon: np.ndarray
    slot_kind: np.ndarray
    slot_window: Sequence[str]
    slot_gps_epoch: np.ndarray  # seconds since epoch for GPS fixes, NaN for addresses


@dataclass
class AedColumns:
    ids: Sequence[str]
    lat: np.ndarray
    lon: np.ndarray
    opening_hours: Sequence[str]
    status: Sequence[str]
    cabinet_code: Sequence[str]
    location_description: Sequence[str]


def channel_mask(channels: Iterable[str]) -> int:
    return sum(1 << CHANNELS.index(c) for c in channels if c in CHANNELS)


class Registry:
    """Responders and AEDs as arrays; build once, query many times."""

    def __init__(self, responders: ResponderColumns, aeds: AedColumns) -> None:
        self.patterns = Patterns()
        self.r_ids = np.asarray(responders.ids, dtype=object)
        self.r_index = {rid: i for i, rid in enumerate(responders.ids)}
        self.r_pseudonym = np.asarray(responders.pseudonyms, dtype=object)
        self.r_active = np.asarray(responders.active, dtype=bool)
        self.r_cert_day = np.asarray(responders.cert_day, dtype=np.int32)
        self.r_avail = self._codes(responders.availability)
        self.r_medical = np.asarray(responders.medical, dtype=bool)
        self.r_test_opt_in = np.asarray(responders.test_opt_in, dtype=bool)
        self.r_channels = np.asarray(responders.channels, dtype=np.uint8)
        self.r_municipality = np.asarray(responders.municipality, dtype=object)

        self.s_resp = np.asarray(responders.slot_resp, dtype=np.int32)
        self.s_lat = np.asarray(responders.slot_lat, dtype=float)
        self.s_lon = np.asarray(responders.slot_lon, dtype=float)
        self.s_x, self.s_y = to_rd(self.s_lat, self.s_lon)
        self.s_kind = np.asarray(responders.slot_kind, dtype=np.int8)
        self.s_window = self._codes(responders.slot_window)
        self.s_gps_epoch = np.asarray(responders.slot_gps_epoch, dtype=float)
        self.s_tree = cKDTree(np.column_stack([self.s_x, self.s_y])) if len(self.s_x) else None
        # Latest GPS fix per responder: a fresh fix overrides the registered addresses.
        self.r_gps_epoch = np.full(len(self.r_ids), np.nan)
        gps = self.s_kind == SLOT_GPS
        np.fmax.at(self.r_gps_epoch, self.s_resp[gps], self.s_gps_epoch[gps])

        self.a_ids = np.asarray(aeds.ids, dtype=object)
        self.a_index = {aid: i for i, aid in enumerate(aeds.ids)}
        self.a_lat = np.asarray(aeds.lat, dtype=float)
        self.a_lon = np.asarray(aeds.lon, dtype=float)
        self.a_x, self.a_y = to_rd(self.a_lat, self.a_lon)
        self.a_hours = self._codes(aeds.opening_hours)
        self.a_status = np.asarray([AED_STATUS_CODES[AedStatus(s)] for s in aeds.status], np.int8)
        self.a_cabinet = np.asarray(aeds.cabinet_code, dtype=object)
        self.a_description = np.asarray(aeds.location_description, dtype=object)
        self.a_tree = cKDTree(np.column_stack([self.a_x, self.a_y])) if len(self.a_x) else None

    def _codes(self, texts: Sequence[str]) -> np.ndarray:
        # A national registry repeats a few dozen patterns ~600,000 times: intern each
        # distinct text once (in first-seen order, so codes match a one-by-one pass).
        lookup = {t: self.patterns.code(t) for t in dict.fromkeys(texts)}
        return np.fromiter(map(lookup.__getitem__, texts), dtype=np.int32, count=len(texts))

    # -- sizes and lookups -------------------------------------------------------------
    @property
    def n_responders(self) -> int:
        return len(self.r_ids)

    @property
    def n_aeds(self) -> int:
        return len(self.a_ids)

    def responder_index(self, responder_id: str) -> int | None:
        return self.r_index.get(responder_id)

    def aed_status(self, aed_id: str) -> AedStatus:
        return AED_STATUS_BY_CODE[int(self.a_status[self.a_index[aed_id]])]

    def set_aed_status(self, aed_id: str, status: AedStatus) -> None:
        self.a_status[self.a_index[aed_id]] = AED_STATUS_CODES[status]

    def aed_open_now(self, t: datetime) -> np.ndarray:
        return self.patterns.open_at(self.a_hours, t)

    def nbytes(self) -> int:
        """Rough size of the arrays and trees (for the benchmark's memory figure)."""
        arrays = [v for v in vars(self).values() if isinstance(v, np.ndarray)]
        total = sum(a.nbytes for a in arrays)
        for tree in (self.s_tree, self.a_tree):
            if tree is not None:
                total += tree.data.nbytes + tree.indices.nbytes
        return int(total)

    # -- construction from records -----------------------------------------------------
    @classmethod
    def from_records(cls, responders: Iterable[Responder], aeds: Iterable[Aed]) -> Registry:
        return cls(responder_columns(responders), aed_columns(aeds))

    @classmethod
    def empty(cls) -> Registry:
        return cls.from_records([], [])


def responder_columns(responders: Iterable[Responder]) -> ResponderColumns:
    ids: list[str] = []
    pseudo: list[str] = []
    active: list[bool] = []
    cert: list[int] = []
    avail: list[str] = []
    medical: list[bool] = []
    opt_in: list[bool] = []
    chans: list[int] = []
    muni: list[str] = []
    s_resp: list[int] = []
    s_lat: list[float] = []
    s_lon: list[float] = []
    s_kind: list[int] = []
    s_win: list[str] = []
    s_gps: list[float] = []
    for i, r in enumerate(responders):
        ids.append(r.id)
        pseudo.append(r.pseudonym or r.id)
        active.append(r.active)
        cert.append(r.certificate_valid_until.toordinal())
        avail.append(r.availability)
        medical.append(r.medical)
        opt_in.append(r.test_alarms_opt_in)
        chans.append(channel_mask(r.channels))
        muni.append(r.municipality)
        if r.gps is not None:
            s_resp.append(i)
            s_lat.append(r.gps.lat)
            s_lon.append(r.gps.lon)
            s_kind.append(SLOT_GPS)
            s_win.append("24/7")
            s_gps.append(r.gps.time.timestamp())
        for a in r.addresses:
            s_resp.append(i)
            s_lat.append(a.lat)
            s_lon.append(a.lon)
            s_kind.append(SLOT_WORK if a.label == "work" else SLOT_HOME)
            s_win.append(a.window)
            s_gps.append(np.nan)
    return ResponderColumns(
        ids=ids,
        pseudonyms=pseudo,
        active=np.asarray(active, bool),
        cert_day=np.asarray(cert, np.int32),
        availability=avail,
        medical=np.asarray(medical, bool),
        test_opt_in=np.asarray(opt_in, bool),
        channels=np.asarray(chans, np.uint8),
        municipality=muni,
        slot_resp=np.asarray(s_resp, np.int32),
        slot_lat=np.asarray(s_lat, float),
        slot_lon=np.asarray(s_lon, float),
        slot_kind=np.asarray(s_kind, np.int8),
        slot_window=s_win,
        slot_gps_epoch=np.asarray(s_gps, float),
    )


def aed_columns(aeds: Iterable[Aed]) -> AedColumns:
    items = list(aeds)
    return AedColumns(
        ids=[a.id for a in items],
        lat=np.asarray([a.lat for a in items], float),
        lon=np.asarray([a.lon for a in items], float),
        opening_hours=[a.opening_hours for a in items],
        status=[str(a.status) for a in items],
        cabinet_code=[a.cabinet_code for a in items],
        location_description=[a.location_description for a in items],
    )
