"""The registry in PostGIS: the centre's one copy, loaded into the in-memory index at start.

Selection never queries these tables: the service loads them once into the engine's
columnar `Registry` (numpy columns + KD-tree) and keeps that up to date in place
(registry/live_positions.py). The tables are what survives a restart and what other
tools can query; every position has an RD New geometry (EPSG:28992, projected by
alert_engine.geo like the engine's own) with a GiST index.

- `responders`, `responder_slots` (registered home/work addresses with their weekly
  window), `aeds`: replaced as a whole by `save_registry`, in one transaction.
- `responder_positions`: the latest GPS fix per responder, upserted by `write_positions`
  (a fix older than the stored one never overwrites it). `load_registry` turns each
  into the responder's GPS slot, as the SQLite store's 'gps' position rows are.

`row_no`/`slot_no` keep the order of the registry that was saved: selection breaks
distance ties by slot order, so the loaded registry selects exactly as the saved one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import psycopg

from ..errors import InvalidInput
from ..geo import to_rd
from ..registry.live_positions import PositionFix
from ..registry.model import CHANNELS, Aed, Responder
from ..registry.rows import AedRow, PositionRow, RegistryRows, ResponderRow, rows_from_records
from ..registry.table import (
    AED_STATUS_BY_CODE,
    SLOT_GPS,
    SLOT_HOME,
    SLOT_WORK,
    AedColumns,
    Registry,
    ResponderColumns,
    channel_mask,
)
from . import schema

COMPONENT = "registry"
# The spatial indexes, part of migration 1 (a change needs a new migration) and dropped
# and rebuilt by save_registry: one sorted build instead of 600,000 index inserts.
_GIST = """
CREATE INDEX responder_slots_geom ON responder_slots USING gist (geom);
CREATE INDEX responder_positions_geom ON responder_positions USING gist (geom);
CREATE INDEX aeds_geom ON aeds USING gist (geom);
"""
_GIST_NAMES = "responder_slots_geom, responder_positions_geom, aeds_geom"
# Save and load lock the tables in this one order, so they cannot deadlock each other.
_TABLES = "responder_positions, responder_slots, responders, aeds"
REGISTRY_MIGRATIONS: tuple[str, ...] = (
    # 1: responders, their addresses, their latest fix, AEDs.
    """
    CREATE EXTENSION IF NOT EXISTS postgis;
    CREATE TABLE responders (
        id                      text PRIMARY KEY,
        row_no                  integer NOT NULL UNIQUE,
        pseudonym               text NOT NULL DEFAULT '',
        availability            text NOT NULL DEFAULT '24/7',   -- OSM opening_hours
        certificate_valid_until date NOT NULL,
        last_refresher          date,
        active                  boolean NOT NULL,
        medical                 boolean NOT NULL,
        channels                text[] NOT NULL,
        test_alarms_opt_in      boolean NOT NULL,
        municipality            text NOT NULL DEFAULT '',
        synthetic               boolean NOT NULL
    );
    CREATE TABLE responder_slots (
        slot_no      integer PRIMARY KEY,
        responder_id text NOT NULL REFERENCES responders (id) ON DELETE CASCADE,
        kind         text NOT NULL CHECK (kind IN ('home', 'work')),
        lat          double precision NOT NULL,
        lon          double precision NOT NULL,
        "window"     text NOT NULL DEFAULT '24/7',             -- when this address applies
        geom         geometry(Point, 28992) NOT NULL
    );
    CREATE INDEX responder_slots_by_responder ON responder_slots (responder_id);
    CREATE TABLE responder_positions (
        responder_id text PRIMARY KEY REFERENCES responders (id) ON DELETE CASCADE,
        lat          double precision NOT NULL,
        lon          double precision NOT NULL,
        geom         geometry(Point, 28992) NOT NULL,
        fix_time     timestamptz NOT NULL,                      -- when the phone took it
        received_at  timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE aeds (
        id                   text PRIMARY KEY,
        row_no               integer NOT NULL UNIQUE,
        lat                  double precision NOT NULL,
        lon                  double precision NOT NULL,
        geom                 geometry(Point, 28992) NOT NULL,
        opening_hours        text NOT NULL DEFAULT '24/7',
        status               text NOT NULL
            CHECK (status IN ('ready', 'maintenance', 'reserve', 'check_needed')),
        cabinet_code         text NOT NULL DEFAULT '',
        location_description text NOT NULL DEFAULT '',
        manager_contact      text NOT NULL DEFAULT '',
        indoor               boolean NOT NULL,
        synthetic            boolean NOT NULL
    );
    CREATE TABLE registry_metadata (key text PRIMARY KEY, value text NOT NULL);
    """
    + _GIST,
)

# One statement per batch: the fixes as arrays, the newest per responder, unknown
# responders dropped by the join, and a stored fix that is newer left alone.
_UPSERT_POSITIONS = """
INSERT INTO responder_positions AS p (responder_id, lat, lon, geom, fix_time)
SELECT DISTINCT ON (f.id) f.id, f.lat, f.lon, ST_SetSRID(ST_MakePoint(f.x, f.y), 28992), f.t
FROM unnest(%s::text[], %s::float8[], %s::float8[], %s::float8[], %s::float8[],
            %s::timestamptz[]) AS f (id, lat, lon, x, y, t)
JOIN responders r ON r.id = f.id
ORDER BY f.id, f.t DESC
ON CONFLICT (responder_id) DO UPDATE
    SET lat = excluded.lat, lon = excluded.lon, geom = excluded.geom,
        fix_time = excluded.fix_time, received_at = now()
    WHERE p.fix_time <= excluded.fix_time
"""
POSITIONS_PER_STATEMENT = 5_000  # a batch larger than this goes in several statements

Source = Registry | RegistryRows | tuple[Iterable[Responder], Iterable[Aed]]


def ensure_registry_schema(conn: psycopg.Connection) -> int:
    """Create or migrate the registry's tables (component 'registry' in
    schema_migrations); the version now. A newer database than this code is refused."""
    version = schema.migrate(conn, COMPONENT, REGISTRY_MIGRATIONS)
    if version > len(REGISTRY_MIGRATIONS):
        raise InvalidInput(
            f"registry tables written by a newer Zesminuten (version {version}, "
            f"this one knows up to {len(REGISTRY_MIGRATIONS)})"
        )
    return version


# -- saving ------------------------------------------------------------------------------
def save_registry(
    conn: psycopg.Connection, source: Source, metadata: Mapping[str, str] | None = None
) -> None:
    """Replace the stored registry with `source` in one transaction (all or nothing).

    `source`: an in-memory Registry, RegistryRows (the store's and demo generator's rows)
    or (responders, aeds) records. A Registry does not hold last_refresher, synthetic,
    manager_contact or indoor: those are stored empty/false; its fixes are stored."""
    rows = _rows_of(source)
    _refuse_bad_rows(rows)
    ensure_registry_schema(conn)
    gps: dict[str, tuple[datetime, PositionRow]] = {}
    addresses: list[PositionRow] = []
    for p in rows.positions:
        if p[1] != "gps":
            addresses.append(p)
        elif p[5] is not None:
            t = datetime.fromisoformat(p[5])
            if p[0] not in gps or gps[p[0]][0] <= t:
                gps[p[0]] = (t, p)  # one fix per responder in the table: its latest
    with conn.transaction(), conn.cursor() as cur:
        # One lock for the lot: readers wait for the new registry instead of seeing half.
        cur.execute(f"TRUNCATE {_TABLES}, registry_metadata")
        cur.execute(f"DROP INDEX {_GIST_NAMES}")
        _copy(cur, "responders", _responder_values(rows.responders))
        _copy(cur, "responder_slots", _slot_values(addresses))
        _copy(cur, "responder_positions", _gps_values([p for _, p in gps.values()]))
        _copy(cur, "aeds", _aed_values(rows.aeds))
        cur.execute(_GIST)
        if metadata:
            cur.executemany(
                "INSERT INTO registry_metadata (key, value) VALUES (%s, %s)",
                [(k, str(v)) for k, v in metadata.items()],
            )
        cur.execute(f"ANALYZE {_TABLES}")  # planner statistics for the new contents


def _rows_of(source: Source) -> RegistryRows:
    if isinstance(source, Registry):
        return registry_rows(source)
    if isinstance(source, RegistryRows):
        return source
    responders, aeds = source
    return rows_from_records(responders, aeds)


def _refuse_bad_rows(rows: RegistryRows) -> None:
    problems: list[str] = []
    for table, ids in (
        ("responders", [r[0] for r in rows.responders]),
        ("aeds", [a[0] for a in rows.aeds]),
    ):
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                problems.append(f"{i} appears twice ({table})")
            seen.add(i)
    known = {r[0] for r in rows.responders}
    problems += [
        f"position of unknown responder {p[0]}" for p in rows.positions if p[0] not in known
    ]
    if problems:
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise InvalidInput("nothing written: " + "\n".join(problems[:20]) + more)


def registry_rows(reg: Registry) -> RegistryRows:
    """An in-memory registry as the store's rows (for saving it elsewhere)."""
    texts = reg.patterns.texts
    channel_sets = {m: ";".join(c for i, c in enumerate(CHANNELS) if m >> i & 1) for m in range(8)}
    days: dict[int, str] = {}

    def day(ordinal: int) -> str:
        if ordinal not in days:
            days[ordinal] = date.fromordinal(ordinal).isoformat()
        return days[ordinal]

    ids = reg.r_ids.tolist()
    responders: list[ResponderRow] = [
        (rid, pseudo, texts[avail], day(cert), None, int(act), int(med), channel_sets[chans],
         int(opt), muni, 0)
        for rid, pseudo, avail, cert, act, med, chans, opt, muni in zip(
            ids, reg.r_pseudonym.tolist(), reg.r_avail.tolist(), reg.r_cert_day.tolist(),
            reg.r_active.tolist(), reg.r_medical.tolist(), reg.r_channels.tolist(),
            reg.r_test_opt_in.tolist(), reg.r_municipality.tolist(),
            strict=True,
        )
    ]  # fmt: skip
    kinds = {SLOT_GPS: "gps", SLOT_HOME: "home", SLOT_WORK: "work"}
    positions: list[PositionRow] = []
    # Live fixes keep writing these in place: copy them as one consistent moment (a few ms).
    with reg.positions_lock:
        slots = [a.copy() for a in (reg.s_resp, reg.s_kind, reg.s_lat, reg.s_lon, reg.s_window,
                                    reg.s_gps_epoch)]  # fmt: skip
    for resp, kind, lat, lon, window, epoch in zip(*(a.tolist() for a in slots), strict=True):
        if kind != SLOT_GPS:
            positions.append((ids[resp], kinds[kind], lat, lon, texts[window], None))
        elif math.isfinite(epoch):  # a placeholder GPS slot (no fix yet) is no position
            fix_time = datetime.fromtimestamp(epoch, UTC).isoformat()
            positions.append((ids[resp], "gps", lat, lon, "24/7", fix_time))
    aeds: list[AedRow] = [
        (aid, lat, lon, texts[hours], str(AED_STATUS_BY_CODE[status]), code, desc, "", 0, 0)
        for aid, lat, lon, hours, status, code, desc in zip(
            reg.a_ids.tolist(), reg.a_lat.tolist(), reg.a_lon.tolist(), reg.a_hours.tolist(),
            reg.a_status.tolist(), reg.a_cabinet.tolist(), reg.a_description.tolist(),
            strict=True,
        )
    ]  # fmt: skip
    return RegistryRows(responders, positions, aeds)


def _copy(
    cur: psycopg.Cursor[Any], table: str, values: tuple[str, Iterable[Sequence[Any]]]
) -> None:
    columns, rows = values
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _ewkt(lat: Sequence[float], lon: Sequence[float]) -> list[str]:
    """RD New points as EWKT for COPY, projected exactly as the engine projects them."""
    x, y = to_rd(np.asarray(lat, float), np.asarray(lon, float))
    return [f"SRID=28992;POINT({a!r} {b!r})" for a, b in zip(x.tolist(), y.tolist(), strict=True)]


def _responder_values(rows: list[ResponderRow]) -> tuple[str, Iterable[Sequence[Any]]]:
    columns = (
        "id, row_no, pseudonym, availability, certificate_valid_until, last_refresher, active, "
        "medical, channels, test_alarms_opt_in, municipality, synthetic"
    )
    return columns, (
        (rid, i, pseudo, avail, cert, refr, bool(act), bool(med),
         chans.split(";") if chans else [], bool(opt), muni, bool(synth))
        for i, (rid, pseudo, avail, cert, refr, act, med, chans, opt, muni, synth) in enumerate(rows)
    )  # fmt: skip


def _slot_values(rows: list[PositionRow]) -> tuple[str, Iterable[Sequence[Any]]]:
    geoms = _ewkt([p[2] for p in rows], [p[3] for p in rows])
    return 'slot_no, responder_id, kind, lat, lon, "window", geom', (
        (i, rid, kind, lat, lon, window, g)
        for i, ((rid, kind, lat, lon, window, _), g) in enumerate(zip(rows, geoms, strict=True))
    )


def _gps_values(rows: list[PositionRow]) -> tuple[str, Iterable[Sequence[Any]]]:
    geoms = _ewkt([p[2] for p in rows], [p[3] for p in rows])
    return "responder_id, lat, lon, geom, fix_time", (
        (rid, lat, lon, g, datetime.fromisoformat(str(t)))
        for (rid, _, lat, lon, _, t), g in zip(rows, geoms, strict=True)
    )


def _aed_values(rows: list[AedRow]) -> tuple[str, Iterable[Sequence[Any]]]:
    columns = (
        "id, row_no, lat, lon, geom, opening_hours, status, cabinet_code, location_description, "
        "manager_contact, indoor, synthetic"
    )
    geoms = _ewkt([a[1] for a in rows], [a[2] for a in rows])
    return columns, (
        (aid, i, lat, lon, g, hours, status, code, desc, manager, bool(indoor), bool(synth))
        for i, ((aid, lat, lon, hours, status, code, desc, manager, indoor, synth), g) in enumerate(
            zip(rows, geoms, strict=True)
        )
    )


# -- loading -----------------------------------------------------------------------------
def load_registry(conn: psycopg.Connection) -> Registry:
    """The stored registry as the engine's in-memory Registry, with each responder's latest
    fix as its GPS slot (first among its slots, as Registry.from_records places it)."""
    ensure_registry_schema(conn)
    # A save waits until all is read (and a load for a save): never half of two registries.
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(f"LOCK TABLE {_TABLES} IN ACCESS SHARE MODE")
        people = cur.execute(
            "SELECT id, pseudonym, availability, certificate_valid_until, active, medical, "
            "channels, test_alarms_opt_in, municipality FROM responders ORDER BY row_no"
        ).fetchall()
        slots = cur.execute(
            'SELECT r.row_no, s.kind, s.lat, s.lon, s."window" FROM responder_slots s '
            "JOIN responders r ON r.id = s.responder_id ORDER BY s.slot_no"
        ).fetchall()
        fixes = cur.execute(
            "SELECT r.row_no, p.lat, p.lon, extract(epoch FROM p.fix_time)::float8 "
            "FROM responder_positions p JOIN responders r ON r.id = p.responder_id"
        ).fetchall()
        aeds = cur.execute(
            "SELECT id, lat, lon, opening_hours, status, cabinet_code, location_description, manager_contact "
            "FROM aeds ORDER BY row_no"
        ).fetchall()
    return Registry(_responder_columns(people, slots, fixes), _aed_columns(aeds))


def _responder_columns(
    people: list[tuple[Any, ...]], slots: list[tuple[Any, ...]], fixes: list[tuple[Any, ...]]
) -> ResponderColumns:
    ids, pseudo, avail, cert, active, medical, chans, opt_in, muni = (
        list(c) for c in (zip(*people, strict=True) if people else [()] * 9)
    )
    days = {d: d.toordinal() for d in set(cert)}
    masks = {tuple(c): channel_mask(c) for c in chans}
    kind_code = {"home": SLOT_HOME, "work": SLOT_WORK}
    n_fix, n_addr = len(fixes), len(slots)
    resp = np.asarray([f[0] for f in fixes] + [s[0] for s in slots], np.int64)
    # GPS first per responder, then its addresses in their stored order.
    order = np.lexsort((np.arange(n_fix + n_addr), np.arange(n_fix + n_addr) >= n_fix, resp))
    lat = np.asarray([f[1] for f in fixes] + [s[2] for s in slots], float)
    lon = np.asarray([f[2] for f in fixes] + [s[3] for s in slots], float)
    kind = np.asarray([SLOT_GPS] * n_fix + [kind_code[s[1]] for s in slots], np.int8)
    windows = ["24/7"] * n_fix + [s[4] for s in slots]
    epoch = np.asarray([f[3] for f in fixes] + [math.nan] * n_addr, float)
    return ResponderColumns(
        ids=ids,
        pseudonyms=[p or i for p, i in zip(pseudo, ids, strict=True)],
        active=np.asarray(active, bool),
        cert_day=np.asarray([days[d] for d in cert], np.int32),
        availability=avail,
        medical=np.asarray(medical, bool),
        test_opt_in=np.asarray(opt_in, bool),
        channels=np.asarray([masks[tuple(c)] for c in chans], np.uint8),
        municipality=muni,
        slot_resp=resp[order].astype(np.int32),
        slot_lat=lat[order],
        slot_lon=lon[order],
        slot_kind=kind[order],
        slot_window=[windows[i] for i in order.tolist()],
        slot_gps_epoch=epoch[order],
    )


def _aed_columns(aeds: list[tuple[Any, ...]]) -> AedColumns:
    ids, lat, lon, hours, status, code, desc, manager = (
        list(c) for c in (zip(*aeds, strict=True) if aeds else [()] * 8)
    )
    return AedColumns(
        ids=ids,
        lat=np.asarray(lat, float),
        lon=np.asarray(lon, float),
        opening_hours=hours,
        status=status,
        cabinet_code=code,
        location_description=desc,
        manager_contact=manager,
    )


def registry_metadata(conn: psycopg.Connection) -> dict[str, str]:
    """What save_registry was given as metadata (region, seed, synthetic, ...)."""
    ensure_registry_schema(conn)
    with conn.transaction():
        rows = conn.execute("SELECT key, value FROM registry_metadata ORDER BY key").fetchall()
    return dict(rows)


# -- live positions ----------------------------------------------------------------------
def write_positions(conn: psycopg.Connection, fixes: Iterable[PositionFix]) -> int:
    """Upsert the latest fix per responder, one statement per batch (up to
    POSITIONS_PER_STATEMENT rows); the rows written. Meant for the fixes LivePositions
    applied: unknown responders are skipped, a stored newer fix is kept."""
    items = list(fixes)
    written = 0
    with conn.transaction(), conn.cursor() as cur:
        for start in range(0, len(items), POSITIONS_PER_STATEMENT):
            chunk = items[start : start + POSITIONS_PER_STATEMENT]
            lat = np.asarray([f.lat for f in chunk], float)
            lon = np.asarray([f.lon for f in chunk], float)
            x, y = to_rd(lat, lon)
            cur.execute(
                _UPSERT_POSITIONS,
                (
                    [f.responder_id for f in chunk], lat.tolist(), lon.tolist(), x.tolist(),
                    y.tolist(), [f.time for f in chunk],
                ),
                prepare=True,
            )  # fmt: skip
            written += max(cur.rowcount, 0)
    return written


def recent_positions(conn: psycopg.Connection, since: datetime) -> list[PositionFix]:
    """Fixes taken after `since` (a node taking over brings its in-memory copy up to date)."""
    rows = conn.execute("SELECT responder_id, lat, lon, fix_time FROM responder_positions WHERE fix_time > %s",
                        (since,)).fetchall()
    return [PositionFix(str(r), float(la), float(lo), t) for r, la, lo, t in rows]


def responder_count(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT COUNT(*) FROM responders").fetchone()
    return int(row[0]) if row else 0
