"""Columnar, in-memory registry: numpy arrays plus KD-trees in RD metres.

Selection works on these arrays with masks; Python objects are only touched for the
handful of responders that end up alerted. Text columns follow the same rule: ids and
pseudonyms are fixed-width UTF-8 byte arrays (a str is made when one is read), the
municipality a code per responder, and the id index a sorted array, so a national
registry holds a few MB of text instead of ~750,000 Python strings and a dict.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, overload

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

    def all_open_at(self, t: datetime) -> np.ndarray:
        """Open/closed for every pattern at t (one parser call per distinct pattern)."""
        local = t.astimezone(AMSTERDAM).replace(tzinfo=None)
        return np.array([p is None or bool(p.is_open(local)) for p in self._parsed], dtype=bool)

    def _is_open(self, code: int, local: datetime) -> bool:
        parsed = self._parsed[code]
        return True if parsed is None else bool(parsed.is_open(local))


class StrColumn(Sequence[str]):
    """Texts as one fixed-width UTF-8 byte array; indexing with an int gives a str, with
    an array or slice another StrColumn. (A value must not end in NUL bytes.)"""

    __slots__ = ("data",)

    def __init__(self, data: np.ndarray) -> None:
        self.data = data

    @classmethod
    def of(cls, texts: Iterable[str]) -> StrColumn:
        if isinstance(texts, StrColumn):
            return texts
        encoded = [t.encode() for t in texts]
        return cls(np.asarray(encoded, dtype=bytes) if encoded else np.zeros(0, "S1"))

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, key: int) -> str: ...
    @overload
    def __getitem__(self, key: slice | np.ndarray) -> StrColumn: ...
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int | np.integer):
            return bytes(self.data[key]).decode()
        return StrColumn(self.data[key])

    def __iter__(self) -> Iterator[str]:
        return (b.decode() for b in self.data.tolist())

    def tolist(self) -> list[str]:
        return [b.decode() for b in self.data.tolist()]

    def __repr__(self) -> str:
        return f"StrColumn({len(self)} texts, {self.data.dtype})"

    @property
    def nbytes(self) -> int:
        return int(self.data.nbytes)


class Categorical(Sequence[str]):
    """A text column with few distinct values: a code per row. `column == text` gives a
    boolean array, as an object array of str would."""

    __slots__ = ("categories", "codes")

    def __init__(self, codes: np.ndarray, categories: Sequence[str]) -> None:
        self.codes = codes
        self.categories = tuple(categories)

    @classmethod
    def of(cls, texts: Iterable[str]) -> Categorical:
        if isinstance(texts, Categorical):
            return texts
        values = list(texts)
        lookup = {t: i for i, t in enumerate(dict.fromkeys(values))}
        dtype = np.int16 if len(lookup) < 2**15 else np.int32
        codes = np.fromiter(map(lookup.__getitem__, values), dtype=dtype, count=len(values))
        return cls(codes, list(lookup))

    def __len__(self) -> int:
        return len(self.codes)

    @overload
    def __getitem__(self, key: int) -> str: ...
    @overload
    def __getitem__(self, key: slice) -> Categorical: ...
    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, int | np.integer):
            return self.categories[self.codes[key]]
        return Categorical(self.codes[key], self.categories)

    def __iter__(self) -> Iterator[str]:
        names = self.categories
        return (names[c] for c in self.codes.tolist())

    def tolist(self) -> list[str]:
        return list(self)

    def __eq__(self, other: object) -> Any:  # elementwise, like a numpy array
        if isinstance(other, str):
            if other in self.categories:
                return self.codes == self.categories.index(other)
            return np.zeros(len(self.codes), dtype=bool)
        return NotImplemented

    def __ne__(self, other: object) -> Any:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else ~equal

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Categorical({len(self)} rows, {len(self.categories)} values)"

    @property
    def nbytes(self) -> int:
        return int(self.codes.nbytes)


class IdIndex(Mapping[str, int]):
    """id -> row, like `{id: i for i, id in enumerate(ids)}` (a repeated id maps to its
    last row), by binary search in the sorted id bytes instead of a dict of str."""

    __slots__ = ("_ids", "_order", "_sorted")

    def __init__(self, ids: StrColumn) -> None:
        data = ids.data
        self._ids = ids
        if len(data) < 2 or bool(np.all(data[1:] > data[:-1])):
            self._order: np.ndarray | None = None  # already sorted and unique (the usual case)
            self._sorted = data
        else:
            self._order = np.argsort(data, kind="stable")
            self._sorted = data[self._order]

    def find(self, key: object) -> int:
        """Row of `key`, or -1."""
        if not isinstance(key, str):
            return -1
        raw = key.encode()
        data = self._sorted
        if len(data) == 0 or len(raw) > data.dtype.itemsize or raw.endswith(b"\0"):
            return -1
        pos = int(np.searchsorted(data, raw, side="right")) - 1
        if pos < 0 or data[pos] != raw:
            return -1
        return pos if self._order is None else int(self._order[pos])

    def rows(self, keys: StrColumn) -> np.ndarray:
        """Rows of many ids at once (-1 where unknown)."""
        data = self._sorted
        if len(data) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        wanted = (
            keys.data.astype(data.dtype)
            if keys.data.dtype.itemsize <= data.dtype.itemsize
            else None
        )
        if wanted is None:
            return np.asarray([self.find(k) for k in keys], dtype=np.int64)
        pos = np.searchsorted(data, wanted, side="right") - 1
        hit = (pos >= 0) & (data[np.maximum(pos, 0)] == wanted)
        rows = pos if self._order is None else self._order[np.maximum(pos, 0)]
        return np.where(hit, rows, -1).astype(np.int64)

    def get(self, key: object, default: Any = None) -> Any:
        row = self.find(key)
        return default if row < 0 else row

    def __getitem__(self, key: str) -> int:
        row = self.find(key)
        if row < 0:
            raise KeyError(key)
        return row

    def __contains__(self, key: object) -> bool:
        return self.find(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        extra = 0 if self._order is None else self._order.nbytes + self._sorted.nbytes
        return int(extra)


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
    # The manager's contact text (name, phone, e-mail): read only to send the check-back
    # after an alarm (issue 15); empty where a source does not carry it.
    manager_contact: Sequence[str] = ()


def channel_mask(channels: Iterable[str]) -> int:
    return sum(1 << CHANNELS.index(c) for c in channels if c in CHANNELS)


class Registry:
    """Responders and AEDs as arrays; build once, query many times."""

    def __init__(self, responders: ResponderColumns, aeds: AedColumns) -> None:
        self.patterns = Patterns()
        self.r_ids = StrColumn.of(responders.ids)
        self.r_index = IdIndex(self.r_ids)
        self.r_pseudonym = StrColumn.of(responders.pseudonyms)
        self.r_active = np.asarray(responders.active, dtype=bool)
        self.r_cert_day = np.asarray(responders.cert_day, dtype=np.int32)
        self.r_avail = self._codes(responders.availability)
        self.r_medical = np.asarray(responders.medical, dtype=bool)
        self.r_test_opt_in = np.asarray(responders.test_opt_in, dtype=bool)
        self.r_channels = np.asarray(responders.channels, dtype=np.uint8)
        self.r_municipality = Categorical.of(responders.municipality)

        self.s_resp = np.asarray(responders.slot_resp, dtype=np.int32)
        self.s_lat = np.asarray(responders.slot_lat, dtype=float)
        self.s_lon = np.asarray(responders.slot_lon, dtype=float)
        # x and y are the columns of the array the KD-tree keeps (not a second copy).
        slots_xy = np.column_stack(to_rd(self.s_lat, self.s_lon))
        self.s_x, self.s_y = slots_xy[:, 0], slots_xy[:, 1]
        self.s_kind = np.asarray(responders.slot_kind, dtype=np.int8)
        self.s_window = self._codes(responders.slot_window)
        self.s_gps_epoch = np.asarray(responders.slot_gps_epoch, dtype=float)
        self.s_tree = cKDTree(slots_xy) if len(self.s_x) else None
        # Live GPS fixes (registry/live_positions.py) move slots after the tree was built:
        # selection skips the out-of-date tree entries of `s_moved` (also a mask) and
        # measures those slots where they are now. Writers and selection hold the lock.
        self.s_moved = np.empty(0, np.int64)
        self.s_moved_mask = np.zeros(len(self.s_x), dtype=bool)
        self.positions_lock = threading.RLock()
        # Latest GPS fix per responder: a fresh fix overrides the registered addresses.
        self.r_gps_epoch = np.full(len(self.r_ids), np.nan)
        gps = self.s_kind == SLOT_GPS
        np.fmax.at(self.r_gps_epoch, self.s_resp[gps], self.s_gps_epoch[gps])

        self.a_ids = StrColumn.of(aeds.ids)
        self.a_index = IdIndex(self.a_ids)
        self.a_lat = np.asarray(aeds.lat, dtype=float)
        self.a_lon = np.asarray(aeds.lon, dtype=float)
        self.a_x, self.a_y = to_rd(self.a_lat, self.a_lon)
        self.a_hours = self._codes(aeds.opening_hours)
        self.a_status = np.asarray([AED_STATUS_CODES[AedStatus(s)] for s in aeds.status], np.int8)
        self.a_cabinet = StrColumn.of(aeds.cabinet_code)
        self.a_description = StrColumn.of(aeds.location_description)
        self.a_manager = StrColumn.of(list(aeds.manager_contact) or [""] * len(self.a_ids))
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

    def nbytes(self) -> int:
        """Rough size of the arrays and trees (for the benchmark's memory figure)."""
        columns = (np.ndarray, StrColumn, Categorical, IdIndex)
        total = sum(v.nbytes for v in vars(self).values() if isinstance(v, columns))
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
        manager_contact=[a.manager_contact for a in items],
    )
