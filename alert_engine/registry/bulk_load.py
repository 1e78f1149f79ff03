"""Load the columnar registry from the store's tables in a few bulk reads.

Fetching 600,000 rows value by value costs well over a second in the sqlite3 module.
Instead each text column comes back as one separator-joined string, the 0/1 flags as one
string of digits, and only the floats as rows. Every read is a full scan without an index
(NOT INDEXED), which visits the table in rowid order, inside one read transaction: the
columns of a table line up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from .table import (
    SLOT_GPS,
    SLOT_HOME,
    SLOT_WORK,
    AedColumns,
    Registry,
    ResponderColumns,
    channel_mask,
)

_EPOCH = "round((julianday(gps_time) - 2440587.5) * 86400.0, 3)"
SEP = "\x1f"  # ASCII unit separator; a value containing it sends that table the slow way


def load_registry(db: sqlite3.Connection) -> Registry:
    db.execute("BEGIN")  # one snapshot for every read below
    try:
        responders = _responders(db)
        aeds = _aeds(db)
    finally:
        db.execute("COMMIT")
    return Registry(responders, aeds)


def _responders(db: sqlite3.Connection) -> ResponderColumns:
    ids, pseudonyms, availability, municipality, channels, certificate = _texts(
        db,
        "responders",
        ("id", "CASE WHEN pseudonym = '' THEN id ELSE pseudonym END", "availability",
         "municipality", "channels", "certificate_valid_until"),
    )  # fmt: skip
    flags = _chars(db, "responders", "active || medical || test_alarms_opt_in", len(ids), 3)
    owner, window = _texts(db, "responder_positions", ("responder_id", '"window"'))
    kind = _chars(db, "responder_positions", "substr(kind, 1, 1)", len(owner), 1)[:, 0]
    numbers = _floats(db, "responder_positions", "lat, lon", 2)
    # Only GPS fixes have a time; the filtered scan meets them in the same rowid order.
    gps = kind == ord("g")
    epoch = np.full(len(owner), np.nan)
    epoch[gps] = _floats(db, "responder_positions", _EPOCH, 1, where="kind = 'gps'")[:, 0]
    index = {rid: i for i, rid in enumerate(ids)}
    slot_kind = np.select([kind == ord("g"), kind == ord("h")], [SLOT_GPS, SLOT_HOME], SLOT_WORK)
    return ResponderColumns(
        ids=ids,
        pseudonyms=pseudonyms,
        active=flags[:, 0] == ord("1"),
        cert_day=_mapped(certificate, lambda d: date.fromisoformat(d).toordinal(), np.int32),
        availability=availability,
        medical=flags[:, 1] == ord("1"),
        test_opt_in=flags[:, 2] == ord("1"),
        channels=_mapped(channels, lambda c: channel_mask(c.split(";")), np.uint8),
        municipality=municipality,
        slot_resp=np.fromiter(map(index.__getitem__, owner), dtype=np.int32, count=len(owner)),
        slot_lat=numbers[:, 0],
        slot_lon=numbers[:, 1],
        slot_kind=slot_kind.astype(np.int8),
        slot_window=window,
        slot_gps_epoch=epoch,
    )


def _aeds(db: sqlite3.Connection) -> AedColumns:
    ids, hours, status, code, description = _texts(
        db, "aeds", ("id", "opening_hours", "status", "cabinet_code", "location_description")
    )
    numbers = _floats(db, "aeds", "lat, lon", 2)
    return AedColumns(
        ids=ids,
        lat=numbers[:, 0],
        lon=numbers[:, 1],
        opening_hours=hours,
        status=status,
        cabinet_code=code,
        location_description=description,
    )


def _texts(db: sqlite3.Connection, table: str, exprs: Sequence[str]) -> list[list[str]]:
    """Each text expression over the whole table, in rowid order."""
    joined = ", ".join(f"group_concat(coalesce({e}, ''), char(31))" for e in exprs)
    count, *texts = db.execute(f"SELECT count(*), {joined} FROM {table} NOT INDEXED").fetchone()
    columns = [t.split(SEP) if count else [] for t in texts]
    if all(len(c) == count for c in columns):
        return columns
    rows = db.execute(f"SELECT {', '.join(exprs)} FROM {table} ORDER BY rowid").fetchall()
    return [list(c) for c in zip(*rows, strict=True)]


def _chars(db: sqlite3.Connection, table: str, expr: str, count: int, width: int) -> np.ndarray:
    """A fixed-width ASCII expression per row as a (count, width) array of byte codes."""
    (text,) = db.execute(f"SELECT group_concat({expr}, '') FROM {table} NOT INDEXED").fetchone()
    return np.frombuffer((text or "").encode("ascii"), dtype=np.uint8).reshape(count, width)


def _floats(
    db: sqlite3.Connection, table: str, exprs: str, width: int, where: str = "1"
) -> np.ndarray:
    sql = f"SELECT {exprs} FROM {table} NOT INDEXED WHERE {where} ORDER BY rowid"
    rows = db.execute(sql).fetchall()
    return np.asarray(rows, dtype=float).reshape(len(rows), width)  # None -> NaN


def _mapped(values: list[str], convert: Callable[[str], int], dtype: type) -> np.ndarray:
    """Convert each distinct value once (a few hundred dates, a handful of channel sets)."""
    lookup = {v: convert(v) for v in dict.fromkeys(values)}
    return np.fromiter(map(lookup.__getitem__, values), dtype=dtype, count=len(values))
