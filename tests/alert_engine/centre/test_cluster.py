"""The private PostgreSQL clusters of scripts/pgcluster.py do what the service tests rely
on: synchronous replication, PostGIS, a URL that finds the primary, and failover."""

from __future__ import annotations

import socket
import time
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.alert_engine.centre.conftest import pgcluster


def _dbname(url: str) -> str:
    return str(conninfo_to_dict(url)["dbname"])


def test_commit_on_primary_is_on_standby_at_once(pg_cluster: Any, pg_url: str) -> None:
    status = pg_cluster.status()
    assert status["synchronous_standby_names"] == "ANY 1 (s1)"
    assert [
        (r["application_name"], r["state"], r["sync_state"]) for r in status["replication"]
    ] == [("s1", "streaming", "quorum")]
    with psycopg.connect(pg_url, autocommit=True) as conn:
        # remote_apply: the commit returns only once the standby has replayed it, so the
        # read below needs no polling; the cluster's default (on) waits for the flush only.
        conn.execute("SET synchronous_commit = remote_apply")
        conn.execute("CREATE TABLE alarm (id int PRIMARY KEY, note text)")
        conn.execute("INSERT INTO alarm VALUES (1, 'reanimatie Amersfoort')")
    with psycopg.connect(
        pg_cluster.url_for(_dbname(pg_url), role="standby"), autocommit=True
    ) as standby:
        row = standby.execute("SELECT pg_is_in_recovery(), note FROM alarm WHERE id = 1").fetchone()
    assert row == (True, "reanimatie Amersfoort")


def test_postgis_distances_in_rd_new(pg_url: str) -> None:
    with psycopg.connect(pg_url) as conn:
        distance, lon, lat = conn.execute(
            "SELECT ST_Distance(a, b), ST_X(ST_Transform(a, 4326)), ST_Y(ST_Transform(a, 4326)) "
            "FROM (SELECT ST_SetSRID(ST_MakePoint(155000, 463000), 28992) AS a, "
            "             ST_SetSRID(ST_MakePoint(155300, 463400), 28992) AS b) p"
        ).fetchone()  # type: ignore[misc]
    assert distance == pytest.approx(500.0)
    # The RD origin of Amersfoort, so the projection data came with PostGIS too.
    assert (lon, lat) == (pytest.approx(5.3872, abs=1e-3), pytest.approx(52.1552, abs=1e-3))


def test_multi_host_url_finds_the_primary(pg_cluster: Any, pg_url: str) -> None:
    primary_port = pg_cluster.ports[pg_cluster.leader]
    standby_port = pg_cluster.ports[pg_cluster.follower]
    # Standby first as well: target_session_attrs, not the order, must pick the primary.
    reversed_url = (
        f"postgresql://postgres@127.0.0.1:{standby_port},127.0.0.1:{primary_port}/"
        f"{_dbname(pg_url)}?target_session_attrs=read-write"
    )
    for url in (pg_url, reversed_url):
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT pg_is_in_recovery(), inet_server_port()").fetchone()
        assert row == (False, primary_port)


def test_failover_keeps_committed_rows_and_the_url_writes_again(fresh_cluster: Any) -> None:
    cluster = fresh_cluster()
    old_primary, new_primary = cluster.leader, cluster.follower
    with psycopg.connect(cluster.url) as conn:
        conn.execute("CREATE TABLE alarm (id int PRIMARY KEY)")
        conn.execute("INSERT INTO alarm SELECT generate_series(1, 100)")
    # Each commit above waited for the standby's flush: nothing acknowledged may be lost.
    ms = cluster.failover()
    assert 0 < ms < 5000
    began = time.monotonic()
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        port = conn.execute("SELECT inet_server_port()").fetchone()
        assert port == (cluster.ports[new_primary],)
        # Without a standby of its own the new primary must not wait for one.
        assert conn.execute("SHOW synchronous_standby_names").fetchone() == ("",)
        conn.execute("INSERT INTO alarm VALUES (101)")
        assert conn.execute("SELECT count(*) FROM alarm").fetchone() == (101,)
    assert time.monotonic() - began < 5
    status = cluster.status()
    assert status["primary"] == new_primary
    assert status["nodes"][old_primary]["role"] == "down"

    # The old primary comes back as the new synchronous standby (a fresh base backup).
    cluster.rejoin()
    status = cluster.status()
    assert status["nodes"][old_primary]["role"] == "standby"
    assert [(r["state"], r["sync_state"]) for r in status["replication"]] == [
        ("streaming", "quorum")
    ]
    with psycopg.connect(cluster.url, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = remote_apply")
        conn.execute("INSERT INTO alarm VALUES (102)")
    with psycopg.connect(cluster.url_for(role="standby")) as standby:
        assert standby.execute("SELECT count(*) FROM alarm").fetchone() == (102,)


def test_start_again_only_reports(pg_cluster: Any) -> None:
    began = time.monotonic()
    again = pgcluster.Cluster(pg_cluster.dir).start()
    assert time.monotonic() - began < 2
    assert (again["started"], again["cloned"]) == ([], [])
    assert again["url"] == pg_cluster.url


def test_a_taken_port_is_a_clear_error(tmp_path: Any) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        cluster = pgcluster.Cluster(
            tmp_path / "cluster", port=port, standby_port=pgcluster.free_ports(1)[0]
        )
        with pytest.raises(
            pgcluster.PgClusterError, match=f"port {port} \\(primary node\\) is in use by"
        ):
            cluster.start()
    assert not (tmp_path / "cluster").exists()
