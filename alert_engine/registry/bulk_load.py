"""Load the columnar registry from the store's tables in a few bulk reads.

Fetching 600,000 rows value by value costs well over a second in the sqlite3 module.
Instead each text column comes back as one separator-joined string, the 0/1 flags as one
string of digits, and only the floats as rows. Every read is a full scan without an index
(NOT INDEXED), which visits the table in rowid order, inside one read transaction: the
columns of a table line up.

Ids and pseudonyms come back as bytes and are cut into fixed-width arrays by numpy, and a
position finds its responder by binary search in the ids: no Python str per row is made
for them, which saves both time and ~50 MB on a national registry.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date

import numpy as np

from .table import (
    SLOT_GPS,
    SLOT_HOME,
    SLOT_WORK,
    AedColumns,
    Categorical,
    IdIndex,
    Registry,
    ResponderColumns,
    StrColumn,
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
    (ids, pseudonyms, flag_text), (availability, municipality, channels, certificate) = _scan(
        db,
        "responders",
        ("id", "CASE WHEN pseudonym = '' THEN id ELSE pseudonym END", "active || medical || test_alarms_opt_in"),
        ("availability", "municipality", "channels", "certificate_valid_until"),
    )
    flags = _chars(flag_text, 3)
    (owner, kind_text), (window,) = _scan(
        db, "responder_positions", ("responder_id", "substr(kind, 1, 1)"), ('"window"',)
    )
    kind = _chars(kind_text, 1)[:, 0]
    numbers = _floats(db, "responder_positions", "lat, lon", 2)
    # Only GPS fixes have a time; the filtered scan meets them in the same rowid order.
    gps = kind == ord("g")
    epoch = np.full(len(owner), np.nan)
    epoch[gps] = _floats(db, "responder_positions", _EPOCH, 1, where="kind = 'gps'", nullable=True)[
        :, 0
    ]
    slot_resp = IdIndex(ids).rows(owner)
    if len(slot_resp) and slot_resp.min() < 0:
        missing = owner[int(np.flatnonzero(slot_resp < 0)[0])]
        raise KeyError(missing)  # a position without its responder (the schema forbids it)
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
        municipality=Categorical.of(municipality),
        slot_resp=slot_resp.astype(np.int32),
        slot_lat=numbers[:, 0],
        slot_lon=numbers[:, 1],
        slot_kind=slot_kind.astype(np.int8),
        slot_window=window,
        slot_gps_epoch=epoch,
    )


def _aeds(db: sqlite3.Connection) -> AedColumns:
    (ids, code, description, manager), (hours, status) = _scan(
        db, "aeds", ("id", "cabinet_code", "location_description", "manager_contact"), ("opening_hours", "status")
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
        manager_contact=manager,
    )


def _scan(
    db: sqlite3.Connection, table: str, kept: Sequence[str], texts: Sequence[str]
) -> tuple[list[StrColumn], list[list[str]]]:
    """One scan of `table` in rowid order: the `kept` expressions as byte columns (kept for
    good: ids, pseudonyms), the `texts` as lists of str (interned into codes by the caller)."""
    parts = [f"CAST(group_concat(coalesce({e}, ''), char(31)) AS BLOB)" for e in kept]
    parts += [f"group_concat(coalesce({e}, ''), char(31))" for e in texts]
    count, *values = db.execute(
        f"SELECT count(*), {', '.join(parts)} FROM {table} NOT INDEXED"
    ).fetchone()
    columns = [_fixed_width(b or b"", count) for b in values[: len(kept)]]
    lists = [t.split(SEP) if count else [] for t in values[len(kept) :]]
    if all(c is not None for c in columns) and all(len(t) == count for t in lists):
        return [StrColumn(c) for c in columns if c is not None], lists
    # A value holds the separator: this table the slow way, row by row.
    rows = db.execute(f"SELECT {', '.join([*kept, *texts])} FROM {table} ORDER BY rowid").fetchall()
    every = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in [*kept, *texts]]
    return [StrColumn.of(c) for c in every[: len(kept)]], every[len(kept) :]


def _fixed_width(joined: bytes, count: int) -> np.ndarray | None:
    """Cut separator-joined bytes into a (count,) 'S' array; None if the count is off."""
    if count == 0:
        return np.zeros(0, "S1")
    raw = np.frombuffer(joined, dtype=np.uint8)
    is_sep = raw == ord(SEP)
    seps = np.flatnonzero(is_sep)
    if len(seps) != count - 1:
        return None
    starts = np.concatenate(([0], seps + 1))
    lengths = np.diff(np.concatenate((starts, [len(raw) + 1]))) - 1
    width = int(lengths.max())
    if width == 0:
        return np.zeros(count, "S1")
    if int(lengths.min()) == width:  # all the same length (ids usually): one reshape
        rows = np.append(raw, np.uint8(ord(SEP))).reshape(count, width + 1)[:, :width]
        return np.ascontiguousarray(rows).view(f"S{width}").reshape(count)
    out = np.zeros(count * width, dtype=np.uint8)
    keep = np.flatnonzero(~is_sep)
    # Byte k of row r goes to r * width + k: shift each row's bytes by r * width - start.
    out[keep + np.repeat(np.arange(count, dtype=np.int64) * width - starts, lengths)] = raw[keep]
    return out.view(f"S{width}")


def _chars(column: StrColumn, width: int) -> np.ndarray:
    """A fixed-width ASCII column (flags "101", kind letters) as a (rows, width) array of
    byte codes."""
    data = column.data
    if len(data) == 0:
        return np.zeros((0, width), dtype=np.uint8)
    if data.dtype.itemsize != width:  # cannot happen for these columns; be loud if it does
        raise ValueError(f"expected {width} characters per row, got {data.dtype}")
    return np.ascontiguousarray(data).view(np.uint8).reshape(len(data), width)


def _floats(
    db: sqlite3.Connection,
    table: str,
    exprs: str,
    width: int,
    where: str = "1",
    nullable: bool = False,
) -> np.ndarray:
    sql = f"SELECT {exprs} FROM {table} NOT INDEXED WHERE {where} ORDER BY rowid"
    if nullable:
        rows = db.execute(sql).fetchall()
        return np.asarray(rows, dtype=float).reshape(len(rows), width)  # None -> NaN
    # NOT NULL columns: straight from the cursor, without a list of row tuples.
    values = np.fromiter(itertools.chain.from_iterable(db.execute(sql)), dtype=float)
    return values.reshape(len(values) // width, width)


def _mapped(values: list[str], convert: Callable[[str], int], dtype: type) -> np.ndarray:
    """Convert each distinct value once (a few hundred dates, a handful of channel sets)."""
    lookup = {v: convert(v) for v in dict.fromkeys(values)}
    return np.fromiter(map(lookup.__getitem__, values), dtype=dtype, count=len(values))
