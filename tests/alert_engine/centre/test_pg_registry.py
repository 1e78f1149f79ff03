"""The registry in PostGIS (alert_engine/centre/pg_registry.py): versioned schema, saved
all or nothing, loaded into the engine's own Registry, live fixes upserted in batches."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import psycopg
import pytest

from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.errors import InvalidInput
from alert_engine.geo import point_rd, to_rd
from alert_engine.registry.live_positions import LivePositions, PositionFix
from alert_engine.registry.model import Address, Aed, AedStatus, GpsFix, Responder
from alert_engine.registry.rows import rows_from_records
from alert_engine.registry.table import Registry
from alert_engine.selection import select
from benchmarks.selection.brute import fingerprint
from tests.builders import EVENING, ZOETERMEER, aed_at, offset, ring_responders

from alert_engine.centre.pg_registry import (  # isort: skip
    ensure_registry_schema,
    load_registry,
    registry_metadata,
    save_registry,
    write_positions,
)

pytestmark = pytest.mark.centre

CONFIG = AlertConfig()


@pytest.fixture
def conn(pg_url: str) -> Iterator[psycopg.Connection]:
    with psycopg.connect(pg_url, autocommit=True) as c:
        yield c


def _records() -> tuple[list[Responder], list[Aed]]:
    """Responders with home and work windows, availability, expired certificates, GPS
    fixes fresh and stale, and AEDs open and closed: every column selection reads."""
    rng = random.Random(11)
    people = []
    for r in ring_responders(300, r_max=3000, seed=11):
        extra: dict = {}
        if rng.random() < 0.4:
            work = offset(ZOETERMEER, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000))
            extra["addresses"] = (
                Address(
                    r.addresses[0].lat, r.addresses[0].lon, "Mo-Fr 17:00-24:00; Sa,Su 00:00-24:00"
                ),
                Address(*work, "Mo-Fr 08:00-17:00", "work"),
            )
        if rng.random() < 0.3:
            at = offset(ZOETERMEER, rng.uniform(-2500, 2500), rng.uniform(-2500, 2500))
            age = rng.choice([30, 600, 5000])  # the last one is stale
            extra["gps"] = GpsFix(*at, EVENING - timedelta(seconds=age))
        if rng.random() < 0.1:
            extra["certificate_valid_until"] = date(2026, 1, 1)
        if rng.random() < 0.2:
            extra["availability"] = "Mo-Su 07:00-23:00"
        extra["channels"] = rng.choice([("app",), ("app", "sms"), ("voice",)])
        people.append(replace(r, **extra, synthetic=True))
    aeds = [
        aed_at(f"A{i}", rng.uniform(-2500, 2500), rng.uniform(-2500, 2500),
               rng.choice(["24/7", "Mo-Fr 08:00-18:00"]),
               rng.choice([AedStatus.READY, AedStatus.READY, AedStatus.MAINTENANCE]))
        for i in range(40)
    ]  # fmt: skip
    return people, aeds


def _fingerprints(registry: Registry, points: int = 60) -> list[object]:
    rng = random.Random(5)
    busy = np.zeros(registry.n_responders, bool)
    out = []
    for i in range(points):
        lat, lon = offset(ZOETERMEER, rng.uniform(-2500, 2500), rng.uniform(-2500, 2500))
        x, y = point_rd(lat, lon)
        t = EVENING + timedelta(hours=13 * (i % 3))  # evening, next morning, next evening
        out.append(fingerprint(select(registry, x, y, t, busy, CONFIG)))
    return out


def test_schema_is_versioned_and_can_be_ensured_twice(conn: psycopg.Connection) -> None:
    assert ensure_registry_schema(conn) == 1
    assert ensure_registry_schema(conn) == 1
    rows = conn.execute("SELECT component, version FROM schema_migrations").fetchall()
    assert ("registry", 1) in rows
    gist = {
        r[0]
        for r in conn.execute(
            "SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'"
        ).fetchall()
    }
    assert {"responder_slots", "responder_positions", "aeds"} <= gist
    srids = conn.execute("SELECT DISTINCT srid FROM geometry_columns").fetchall()
    assert srids == [(28992,)]


def test_a_newer_schema_is_refused(conn: psycopg.Connection) -> None:
    ensure_registry_schema(conn)
    conn.execute("INSERT INTO schema_migrations (component, version) VALUES ('registry', 2)")
    with pytest.raises(InvalidInput, match="newer Zesminuten"):
        ensure_registry_schema(conn)


def test_saved_and_loaded_registry_selects_the_same(conn: psycopg.Connection) -> None:
    people, aeds = _records()
    original = Registry.from_records(people, aeds)
    save_registry(conn, (people, aeds), metadata={"synthetic": "yes", "region": "test"})
    loaded = load_registry(conn)
    assert loaded.r_ids.tolist() == original.r_ids.tolist()
    for column in ("s_resp", "s_kind", "s_lat", "s_lon", "s_x", "s_y", "r_cert_day", "r_channels"):
        np.testing.assert_array_equal(getattr(loaded, column), getattr(original, column))
    np.testing.assert_array_equal(loaded.s_gps_epoch, original.s_gps_epoch)
    assert _fingerprints(loaded) == _fingerprints(original)
    assert registry_metadata(conn) == {"synthetic": "yes", "region": "test"}
    synthetic = conn.execute("SELECT bool_and(synthetic) FROM responders").fetchone()
    assert synthetic == (True,)


def test_a_live_registry_saved_from_memory_selects_the_same(conn: psycopg.Connection) -> None:
    people, aeds = _records()
    registry = Registry.from_records(people, aeds)
    live = LivePositions(registry, SimClock(EVENING))  # placeholders for those without a fix
    rng = random.Random(2)
    fixes = [
        PositionFix(
            f"R{i}",
            *offset(ZOETERMEER, rng.uniform(-3000, 3000), rng.uniform(-3000, 3000)),
            EVENING,
        )
        for i in rng.sample(range(1, 301), 120)
    ]
    assert live.apply(fixes).applied == 120
    save_registry(conn, registry)
    loaded = load_registry(conn)
    # The loaded registry has no placeholders (and slots in record order): same choice.
    assert _fingerprints(loaded) == _fingerprints(registry)
    stored = conn.execute("SELECT count(*) FROM responder_positions").fetchone()
    assert stored == (len({f.responder_id for f in fixes} | {p.id for p in people if p.gps}),)


def test_the_stored_geometry_is_the_engines_rd_point(conn: psycopg.Connection) -> None:
    people, aeds = _records()
    save_registry(conn, (people, aeds))
    rows = conn.execute(
        "SELECT lat, lon, ST_X(geom), ST_Y(geom) FROM responder_slots ORDER BY slot_no LIMIT 50"
    ).fetchall()
    x, y = to_rd(np.asarray([r[0] for r in rows]), np.asarray([r[1] for r in rows]))
    np.testing.assert_array_equal(x, [r[2] for r in rows])
    np.testing.assert_array_equal(y, [r[3] for r in rows])
    # A GiST radius query finds what the engine's distance says is inside.
    x0, y0 = point_rd(*ZOETERMEER)
    near = conn.execute(
        "SELECT count(DISTINCT responder_id) FROM responder_slots "
        "WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint(%s, %s), 28992), 1000)",
        (x0, y0),
    ).fetchone()
    reg = Registry.from_records(people, aeds)
    addresses = reg.s_kind != 0
    inside = np.hypot(reg.s_x - x0, reg.s_y - y0) <= 1000
    assert near == (len(np.unique(reg.s_resp[addresses & inside])),)


def test_a_failed_save_leaves_the_registry_as_it_was(conn: psycopg.Connection) -> None:
    people, aeds = _records()
    save_registry(conn, (people, aeds))
    before = _fingerprints(load_registry(conn), 10)
    twice = [*people[:5], people[0]]
    with pytest.raises(InvalidInput, match="R1 appears twice"):
        save_registry(conn, (twice, aeds))
    # A refusal by the database half-way (the AEDs come last) rolls back the responders too.
    rows = rows_from_records(people[:10], aeds)
    rows.aeds[0] = (*rows.aeds[0][:4], "broken", *rows.aeds[0][5:])  # type: ignore[assignment]
    with pytest.raises(psycopg.errors.CheckViolation):
        save_registry(conn, rows)
    assert conn.execute("SELECT count(*) FROM responders").fetchone() == (len(people),)
    assert _fingerprints(load_registry(conn), 10) == before


def test_written_positions_are_the_latest_fix_and_load_as_gps(conn: psycopg.Connection) -> None:
    people, aeds = _records()
    save_registry(conn, (people, aeds))
    far = offset(ZOETERMEER, 30_000, 0)
    rng = random.Random(4)
    batch = [
        PositionFix(
            f"R{rng.randint(1, 300)}", *far, EVENING - timedelta(seconds=rng.randint(0, 20))
        )
        for _ in range(250)  # > 100 rows in one statement, repeats; all newer than the records
    ]
    batch += [
        PositionFix("R7", *ZOETERMEER, EVENING),  # R7's newest
        PositionFix("R7", *far, EVENING - timedelta(seconds=500)),
        PositionFix("NOBODY", *ZOETERMEER, EVENING),
    ]
    written = write_positions(conn, batch)
    moved = {f.responder_id for f in batch} - {"NOBODY"}
    assert written == len(moved)
    # An older fix arriving late does not overwrite the stored one.
    assert write_positions(conn, [PositionFix("R7", *far, EVENING - timedelta(seconds=1))]) == 0
    stored = conn.execute(
        "SELECT lat, lon, fix_time FROM responder_positions WHERE responder_id = 'R7'"
    ).fetchone()
    assert stored == (*ZOETERMEER, EVENING)
    loaded = load_registry(conn)
    x0, y0 = point_rd(*ZOETERMEER)
    busy = np.zeros(loaded.n_responders, bool)
    chosen = {r.id for r in select(loaded, x0, y0, EVENING, busy, CONFIG).responders}
    assert "R7" in chosen
    # Everyone else who moved is 30 km away with a fresh fix: not chosen here.
    assert not (chosen & (moved - {"R7"}))
    gps_rows = loaded.s_resp[(loaded.s_kind == 0) & np.isfinite(loaded.s_gps_epoch)]
    assert {loaded.r_ids[int(r)] for r in gps_rows} >= moved


def test_each_call_commits_on_a_connection_without_autocommit(pg_url: str) -> None:
    people, aeds = _records()
    with psycopg.connect(pg_url) as c, psycopg.connect(pg_url, autocommit=True) as other:
        save_registry(c, (people[:3], aeds))
        assert c.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert other.execute("SELECT count(*) FROM responders").fetchone() == (3,)
        assert write_positions(c, [PositionFix("R1", *ZOETERMEER, EVENING)]) == 1
        assert registry_metadata(c) == {}
        assert c.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        loaded = load_registry(other)
    assert loaded.n_responders == 3
    assert loaded.r_gps_epoch[0] == EVENING.timestamp()
