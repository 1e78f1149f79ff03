"""Fixtures for the centre's shared service (issue 11): private PostgreSQL 15 + PostGIS
clusters on loopback, a primary with a synchronous streaming standby, started by
scripts/pgcluster.py (imported by path: scripts/ is not a package).

- ``pg_cluster`` (session): one cluster for the whole run, a ``pgcluster.Cluster`` (``.url``,
  ``.primary_url``, ``.standby_url``, ``.url_for(dbname, role=None)``, ``.status()``).
  Do not fail it over: every ``pg_url`` database lives on it.
- ``pg_url`` (function): a fresh empty database with PostGIS on ``pg_cluster``, as the
  multi-host URL with target_session_attrs=read-write; dropped afterwards.
- ``fresh_cluster`` (function): a factory, ``fresh_cluster(standby=True)`` starts a cluster
  of the test's own (for ``.failover()``, which returns the milliseconds); all stopped and
  removed afterwards.

Every test in tests/centre is marked ``centre``. A missing PostgreSQL or PostGIS fails the
test (it does not skip): run ``scripts/pgcluster.py install``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.paths import REPO

_HERE = Path(__file__).resolve().parent
_SCRIPT = REPO / "scripts" / "pgcluster.py"


def _load_pgcluster() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pgcluster", _SCRIPT)
    assert spec is not None and spec.loader is not None, _SCRIPT
    module = importlib.util.module_from_spec(spec)
    sys.modules["pgcluster"] = module
    spec.loader.exec_module(module)
    return module


pgcluster = _load_pgcluster()
_databases = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "centre: needs private PostgreSQL 15 + PostGIS clusters (scripts/pgcluster.py)"
    )


@pytest.hookimpl(tryfirst=True)  # before -m deselects, so `-m "not centre"` sees the mark
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(_HERE):
            item.add_marker(pytest.mark.centre)


def _discard(cluster: Any) -> None:
    try:
        cluster.stop()
    finally:
        shutil.rmtree(cluster.dir, ignore_errors=True)


def _start_cluster(*, standby: bool = True) -> Any:
    # Not pytest's tmp_path: it sits under a root-only directory, and as root the server
    # runs as the postgres user, who must reach the data and socket directory.
    directory = tempfile.mkdtemp(prefix="zesminuten-pg-")
    port, standby_port = pgcluster.free_ports(2)
    cluster = pgcluster.Cluster(directory, port=port, standby_port=standby_port, standby=standby)
    try:
        cluster.start()
    except pgcluster.PgClusterError as exc:
        _discard(cluster)
        pytest.fail(f"PostgreSQL test cluster: {exc}", pytrace=False)
    except BaseException:
        _discard(cluster)
        raise
    return cluster


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Any]:
    cluster = _start_cluster()
    try:
        yield cluster
    finally:
        _discard(cluster)


@pytest.fixture
def pg_url(pg_cluster: Any) -> Iterator[str]:
    name = f"test_{os.getpid()}_{next(_databases)}"
    try:
        pg_cluster.create_database(name)
    except pgcluster.PgClusterError as exc:
        pytest.fail(f"PostgreSQL test database: {exc}", pytrace=False)
    yield pg_cluster.url_for(name)
    # FORCE: a connection the test left open must not keep the database alive.
    with contextlib.suppress(pgcluster.PgClusterError):
        pg_cluster.drop_database(name)


@pytest.fixture
def fresh_cluster() -> Iterator[Callable[..., Any]]:
    started: list[Any] = []

    def make(*, standby: bool = True) -> Any:
        cluster = _start_cluster(standby=standby)
        started.append(cluster)
        return cluster

    yield make
    for cluster in started:
        with contextlib.suppress(pgcluster.PgClusterError):
            _discard(cluster)
