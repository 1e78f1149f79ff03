"""The same selection as SQL on PostGIS, in a private throw-away cluster (benchmark only).

Eligibility is denormalised onto one row per responder slot so a single index-ordered
scan (`ORDER BY geom <-> p LIMIT k`) returns eligible slots nearest first; opening-hours
patterns are evaluated in Python per query (a few distinct codes) and passed as arrays,
because PostgreSQL cannot read OSM opening_hours.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from alert_engine.config import AlertConfig
from alert_engine.registry.model import AedStatus
from alert_engine.registry.table import AED_STATUS_CODES, Registry
from alert_engine.selection import Selection, choose_radius

from .brute import as_selection

_PORT = 5433  # only names the socket file inside our private directory
_SERVER_OPTIONS = [
    "listen_addresses=''",  # unix socket only: nothing else on the machine can reach it
    "fsync=off",  # a throw-away cluster; durability would only slow the bulk load
    "synchronous_commit=off",
    "full_page_writes=off",
    "jit=off",  # JIT compile time would dwarf sub-millisecond queries
    "shared_buffers=512MB",  # the whole table and index stay cached, as in production
    "max_wal_size=4GB",
]

_SLOTS_SQL = """
CREATE TABLE responder_slots (
    slot integer PRIMARY KEY,
    resp integer NOT NULL,
    responder_id text NOT NULL,
    kind smallint NOT NULL,
    window_code integer NOT NULL,
    avail_code integer NOT NULL,
    active boolean NOT NULL,
    cert_day integer NOT NULL,
    gps_epoch double precision,          -- responder's latest fix, NULL = none
    busy boolean NOT NULL,
    x double precision NOT NULL,
    y double precision NOT NULL,
    geom geometry(Point, 28992) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 28992)) STORED
);
CREATE TABLE aeds (
    idx integer PRIMARY KEY,
    aed_id text NOT NULL,
    status smallint NOT NULL,
    hours_code integer NOT NULL,
    x double precision NOT NULL,
    y double precision NOT NULL,
    geom geometry(Point, 28992) GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(x, y), 28992)) STORED
)
"""

# No ST_DWithin in the WHERE: with it the planner switches from the index-ordered KNN
# scan to a bitmap scan of the whole 4 x 4 km box plus a sort, which in cities costs
# several milliseconds at p99. The 2 km cap is applied in Python to the returned rows.
_NEAREST_SLOTS = """
SELECT slot, resp, responder_id, geom <-> ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 28992)
FROM responder_slots
WHERE active AND NOT busy AND cert_day >= %(today)s::int
  AND avail_code = ANY(%(open)s::int[])
  AND (kind = 0 OR window_code = ANY(%(open)s::int[]))
  -- a fresh fix says where someone is; their registered addresses don't count then
  AND (kind = 0) = coalesce(%(epoch)s::float8 - gps_epoch <= %(stale)s::float8, false)
ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 28992)
LIMIT %(k)s::int
"""

_NEAREST_AEDS = """
SELECT idx, aed_id, geom <-> ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 28992)
FROM aeds
WHERE status = %(ready)s::smallint AND hours_code = ANY(%(open)s::int[])
ORDER BY geom <-> ST_SetSRID(ST_MakePoint(%(x)s, %(y)s), 28992)
LIMIT %(k)s::int
"""


class PostgisUnavailable(Exception):
    """PostGIS could not be installed or started; the message says why."""


def find_bindir(install: bool) -> Path:
    """bin directory of a PostgreSQL that has PostGIS; apt-installs it when allowed."""
    found = _bindir_with_postgis()
    if found is not None:
        return found
    if not install:
        raise PostgisUnavailable("PostgreSQL with PostGIS is not installed")
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise PostgisUnavailable("PostGIS is not installed and apt-get as root is not available")
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    packages = [f"postgresql-{v.parent.parent.name}-postgis-3" for v in versions[-1:]] or [
        "postgresql",
        "postgis",
        "postgresql-15-postgis-3",
    ]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install_cmd = ["apt-get", "install", "-y", "-q", *packages]
    if _run(install_cmd, env=env).returncode != 0:
        # A fresh machine often has no package lists yet.
        _run(["apt-get", "update", "-q"], env=env)
        done = _run(install_cmd, env=env)
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["?"]
            raise PostgisUnavailable(f"apt-get install {' '.join(packages)} failed: {tail[0]}")
    found = _bindir_with_postgis()
    if found is None:
        raise PostgisUnavailable(f"installed {' '.join(packages)} but found no PostGIS extension")
    return found


def _bindir_with_postgis() -> Path | None:
    for initdb in sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True):
        version = initdb.parent.parent.name
        if Path(f"/usr/share/postgresql/{version}/extension/postgis.control").exists():
            return initdb.parent
    return None


def _run(cmd: list[str], **kw: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False, **kw)


class PrivateCluster:
    """initdb + pg_ctl in a temp directory, unix socket only; stopped and removed on exit."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # Its own top-level temp dir: as root, `postgres` must be able to reach it, which
        # it cannot inside another private (0700) temp dir.
        self.workdir = Path(tempfile.mkdtemp(prefix="zesminuten-pg-"))
        self.data = self.workdir / "data"
        self._started = False
        # PostgreSQL refuses to run as root, so as root the cluster belongs to `postgres`.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.user = "postgres" if os.geteuid() == 0 else None

    def __enter__(self) -> PrivateCluster:
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _start(self) -> None:
        if self._as:
            shutil.chown(self.workdir, "postgres", "postgres")
        init = self._pg(
            "initdb", "-D", str(self.data), "-A", "trust", "-E", "UTF8", "--no-sync",
            "-U", self.user or _current_user(),
        )  # fmt: skip
        if init.returncode != 0:
            raise PostgisUnavailable(f"initdb failed: {_last_line(init)}")
        opts = " ".join(f"-c {o}" for o in _SERVER_OPTIONS)
        start = self._pg(
            "pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(self.workdir / "log"),
            "-o", f"-k {self.workdir} -p {_PORT} {opts}", "start",
        )  # fmt: skip
        if start.returncode != 0:
            log = (self.workdir / "log").read_text(errors="replace").strip().splitlines()
            raise PostgisUnavailable(f"pg_ctl start failed: {(log or [_last_line(start)])[-1]}")
        self._started = True

    def __exit__(
        self, exc: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._started:
            self._pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            self._started = False
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _pg(self, tool: str, *args: str) -> subprocess.CompletedProcess[str]:
        return _run([*self._as, str(self.bindir / tool), *args], cwd="/")

    def connect(self, dbname: str = "postgres") -> Any:
        import psycopg

        return psycopg.connect(
            host=str(self.workdir), port=_PORT, user=self.user or _current_user(),
            dbname=dbname, autocommit=True,
        )  # fmt: skip


def _current_user() -> str:
    import getpass

    return getpass.getuser()


def _last_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = (done.stderr or done.stdout).strip().splitlines()
    return lines[-1] if lines else f"exit code {done.returncode}"


def load_registry(conn: Any, registry: Registry, busy: np.ndarray) -> None:
    """COPY every responder slot and AED with its eligibility columns; GiST index; analyse."""
    conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.execute(_SLOTS_SQL)
    resp = registry.s_resp
    gps = registry.r_gps_epoch[resp]
    ids = list(registry.r_ids)  # works for any str sequence the registry keeps ids in
    columns = zip(
        range(len(resp)), resp.tolist(), [ids[r] for r in resp.tolist()],
        registry.s_kind.tolist(), registry.s_window.tolist(), registry.r_avail[resp].tolist(),
        registry.r_active[resp].tolist(), registry.r_cert_day[resp].tolist(),
        [None if np.isnan(g) else g for g in gps.tolist()], busy[resp].tolist(),
        registry.s_x.tolist(), registry.s_y.tolist(),
        strict=True,
    )  # fmt: skip
    with conn.cursor() as cur:
        with cur.copy(
            "COPY responder_slots (slot, resp, responder_id, kind, window_code, avail_code, "
            "active, cert_day, gps_epoch, busy, x, y) FROM STDIN"
        ) as copy:
            for row in columns:
                copy.write_row(row)
        with cur.copy("COPY aeds (idx, aed_id, status, hours_code, x, y) FROM STDIN") as copy:
            for row in zip(
                range(registry.n_aeds), list(registry.a_ids), registry.a_status.tolist(),
                registry.a_hours.tolist(), registry.a_x.tolist(), registry.a_y.tolist(),
                strict=True,
            ):  # fmt: skip
                copy.write_row(row)
    conn.execute("CREATE INDEX ON responder_slots USING gist (geom)")
    conn.execute("CREATE INDEX ON aeds USING gist (geom)")
    conn.execute("VACUUM ANALYZE responder_slots")
    conn.execute("VACUUM ANALYZE aeds")


class SqlSelector:
    """One alert's selection as two SQL queries plus the radius and role rules in Python."""

    def __init__(self, conn: Any, registry: Registry, config: AlertConfig) -> None:
        self.cur = conn.cursor()
        self.registry = registry
        self.config = config
        self.all_codes = np.arange(len(registry.patterns.texts))
        self.ready = AED_STATUS_CODES[AedStatus.READY]

    def select(self, x: float, y: float, t: datetime) -> Selection:
        cfg, reg = self.config, self.registry
        want = max(cfg.wanted_responders, cfg.max_responders)
        open_codes = np.flatnonzero(reg.patterns.open_at(self.all_codes, t)).tolist()
        params: dict[str, Any] = {
            "x": x, "y": y, "today": t.date().toordinal(), "epoch": t.timestamp(),
            "stale": cfg.gps_stale_after_s, "open": open_codes, "k": want,
        }  # fmt: skip
        while True:
            rows = self.cur.execute(_NEAREST_SLOTS, params, prepare=True).fetchall()
            # A responder's second slot (home and work both open) takes a row; re-query
            # with more rows only when that left us short inside the maximum radius.
            seen: set[int] = set()
            picked = []
            for r in rows:
                if r[3] > cfg.max_radius_m:
                    break
                if r[1] not in seen:
                    seen.add(r[1])
                    picked.append(r)
            short = len(picked) < want and len(rows) == params["k"]
            if not short or rows[-1][3] > cfg.max_radius_m:
                break
            params["k"] *= 4
        slot = np.fromiter((r[0] for r in picked), np.int64, len(picked))
        resp = np.fromiter((r[1] for r in picked), np.int64, len(picked))
        dist = np.fromiter((r[3] for r in picked), float, len(picked))
        radius = choose_radius(dist, cfg)
        inside = dist <= radius
        slot, resp, dist = slot[inside], resp[inside], dist[inside]
        eligible = len(resp)
        n = cfg.max_responders
        aed_rows = [
            r for r in self.cur.execute(
                _NEAREST_AEDS,
                {"x": x, "y": y, "ready": self.ready, "open": open_codes, "k": cfg.max_aeds},
                prepare=True,
            ).fetchall()
            if r[2] <= cfg.aed_max_distance_m
        ]  # fmt: skip
        aed_idx = np.fromiter((r[0] for r in aed_rows), np.int64, len(aed_rows))
        aed_dist = np.fromiter((r[2] for r in aed_rows), float, len(aed_rows))
        return as_selection(
            reg, radius, eligible, resp[:n], slot[:n], dist[:n], aed_idx, aed_dist, cfg
        )
