"""Load the columnar registry from the store's tables in a few bulk reads.

Fetching 600,000 rows value by value costs ~1.5 s in the sqlite3 module alone; asking
SQLite for each column as one separator-joined string and splitting it in Python is
several times faster. Every column of one table comes from the same scan, so the columns
line up. If a text value contains the separator, that table is read row by row instead.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import numpy as np

from .model import CHANNELS
from .table import SLOT_GPS, SLOT_HOME, SLOT_WORK, AedColumns, Registry, ResponderColumns

SEP = "\x1f"  # ASCII unit separator: not expected in ids, names or opening hours

Column = tuple[str, type]  # SQL expression, Python type of the result

# julianday('0001-01-01') is 1721425.5, so this is date.toordinal() computed in SQLite.
_ORDINAL = "CAST(julianday(certificate_valid_until) - 1721424.5 AS INTEGER)"
_CHANNEL_BITS = " + ".join(
    f"({1 << i} * (instr(';' || channels || ';', ';{c};') > 0))" for i, c in enumerate(CHANNELS)
)
_KIND = f"CASE kind WHEN 'gps' THEN {SLOT_GPS} WHEN 'home' THEN {SLOT_HOME} ELSE {SLOT_WORK} END"
_EPOCH = "round((julianday(gps_time) - 2440587.5) * 86400.0, 3)"

RESPONDERS: Sequence[Column] = (
    ("rowid", int),
    ("id", str),
    ("CASE WHEN pseudonym = '' THEN id ELSE pseudonym END", str),
    ("active", int),
    (_ORDINAL, int),
    ("availability", str),
    ("medical", int),
    ("test_alarms_opt_in", int),
    (_CHANNEL_BITS, int),
    ("municipality", str),
)
POSITIONS: Sequence[Column] = (
    ("responder_rowid", int),
    (_KIND, int),
    ("lat", float),
    ("lon", float),
    ('"window"', str),
    (_EPOCH, float),
)
AEDS: Sequence[Column] = (
    ("id", str),
    ("lat", float),
    ("lon", float),
    ("opening_hours", str),
    ("status", str),
    ("cabinet_code", str),
    ("location_description", str),
)
_POSITIONS_FROM = """(
    SELECT r.rowid AS responder_rowid, p.kind, p.lat, p.lon, p."window", p.gps_time
    FROM responders r JOIN responder_positions p ON p.responder_id = r.id
    ORDER BY r.rowid, p.rowid)"""


def load_registry(db: sqlite3.Connection) -> Registry:
    r = fetch_columns(db, RESPONDERS, "responders")
    s = fetch_columns(db, POSITIONS, _POSITIONS_FROM)
    a = fetch_columns(db, AEDS, "aeds")
    # A slot names its responder by rowid; the registry wants the responder's index.
    rowids = np.asarray(r[0], dtype=np.int64)
    by_rowid = np.argsort(rowids)
    slot_resp = by_rowid[np.searchsorted(rowids[by_rowid], s[0])] if len(rowids) else s[0]
    responders = ResponderColumns(
        ids=r[1],
        pseudonyms=r[2],
        active=r[3].astype(bool),
        cert_day=r[4].astype(np.int32),
        availability=r[5],
        medical=r[6].astype(bool),
        test_opt_in=r[7].astype(bool),
        channels=r[8].astype(np.uint8),
        municipality=r[9],
        slot_resp=np.asarray(slot_resp, dtype=np.int32),
        slot_kind=s[1].astype(np.int8),
        slot_lat=s[2],
        slot_lon=s[3],
        slot_window=s[4],
        slot_gps_epoch=s[5],  # NaN for addresses
    )
    aeds = AedColumns(
        ids=a[0],
        lat=a[1],
        lon=a[2],
        opening_hours=a[3],
        status=a[4],
        cabinet_code=a[5],
        location_description=a[6],
    )
    return Registry(responders, aeds)


def fetch_columns(db: sqlite3.Connection, columns: Sequence[Column], source: str) -> list[Any]:
    """One numpy array (numbers) or list of str per column, in one scan of `source`."""
    joined = ", ".join(f"group_concat({_as_text(e, t)}, char(31))" for e, t in columns)
    count, *texts = db.execute(f"SELECT count(*), {joined} FROM {source}").fetchone()
    parts = [t.split(SEP) if count else [] for t in texts]
    if any(len(p) != count for p in parts):
        return _fetch_rows(db, columns, source)
    return [_typed(p, t) for p, (_, t) in zip(parts, columns, strict=True)]


def _as_text(expr: str, kind: type) -> str:
    if kind is float:
        # 17 significant digits read back to the very same double; NULL becomes NaN.
        return f"iif(({expr}) IS NULL, 'nan', printf('%!.17g', {expr}))"
    return f"coalesce({expr}, '')"


def _typed(values: list[Any], kind: type) -> Any:
    if kind is str:
        return values
    if kind is float:  # text 'nan' from the bulk read, None from the row-by-row read
        return np.asarray([np.nan if v is None else v for v in values], dtype=float)
    return np.asarray(values, dtype=np.int64)


def _fetch_rows(db: sqlite3.Connection, columns: Sequence[Column], source: str) -> list[Any]:
    exprs = ", ".join(e for e, _ in columns)
    rows = db.execute(f"SELECT {exprs} FROM {source}").fetchall()
    cols = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    return [_typed(c, t) for c, (_, t) in zip(cols, columns, strict=True)]
