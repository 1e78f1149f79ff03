#!/usr/bin/env python3
"""Private PostgreSQL 15 + PostGIS clusters on loopback (issue 11): a primary and a
synchronous streaming standby, for tests, benchmarks and the demo.

    scripts/pgcluster.py install
    scripts/pgcluster.py start --dir DIR [--port 5440] [--standby-port 5441] [--no-standby]
    scripts/pgcluster.py status --dir DIR
    scripts/pgcluster.py stop --dir DIR
    scripts/pgcluster.py kill-primary --dir DIR
    scripts/pgcluster.py promote --dir DIR
    scripts/pgcluster.py failover --dir DIR      # kill-primary + promote, prints the ms
    scripts/pgcluster.py rejoin --dir DIR        # the old primary becomes the new standby

Every command prints one JSON line; an expected failure is one line on stderr
("pgcluster: ...") and exit status 1.

DIR holds primary/ and standby/ (data directories, named after the role each node
started with: roles move on failover, cluster.json records which node leads now), a log
per node (primary.log, standby.log) and the unix sockets.

Failover semantics: `promote` (and `failover`) make the standby the primary and leave
the old primary down. Re-attaching the old primary as the new standby means either
pg_rewind (needs wal_log_hints or data checksums) or a fresh pg_basebackup; `rejoin` (and
`start`, which always brings the cluster back to primary + standby) take the fresh base
backup, which for a test-sized cluster takes well under a second and cannot go wrong the
way a rewind of a crashed node can.

Stdlib only, so CI can run it before the virtualenv exists; importable by path from the
tests (tests/alert_engine/centre/conftest.py): the logic is in `Cluster` and a few functions.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import pwd
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PGBIN = Path(os.environ.get("PGCLUSTER_PGBIN", "/usr/lib/postgresql/15/bin"))
PACKAGES = ("postgresql-15", "postgresql-15-postgis-3", "postgresql-contrib")
NODES = ("primary", "standby")
APP_NAME = "s1"  # the standby's application_name, whichever node is the standby
SYNC_NAMES = f"ANY 1 ({APP_NAME})"
DATABASE = "zesminuten"
# Fresh databases are copies of this one: CREATE EXTENSION postgis takes ~0.5 s, a copy
# of a database that already has it a fraction of that.
TEMPLATE = "zesminuten_template"
DEFAULT_PORT = 5440
DEFAULT_STANDBY_PORT = 5441
INSTALL_HINT = "run scripts/pgcluster.py install"
DB_IN_PRODUCTION = 6  # DBState in src/include/catalog/pg_control.h


class PgClusterError(Exception):
    """An expected failure, reported as one line without a traceback."""


# --- processes ----------------------------------------------------------------------


def _server_user() -> str | None:
    """The user the server runs as when we are root (initdb and pg_ctl refuse root)."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PgClusterError(f"the postgres system user is missing: {INSTALL_HINT}") from None
    return "postgres"


def _clean_env() -> dict[str, str]:
    # A PGHOST/PGPORT/PGOPTIONS/... of the caller must not redirect our own commands.
    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def _run(
    args: list[str],
    what: str,
    *,
    as_server: bool = False,
    cwd: Path | None = None,
    timeout: float = 60,
    check: bool = True,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    if as_server and (user := _server_user()):
        args = ["runuser", "-u", user, "--", *args]
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            env=env if env is not None else _clean_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise PgClusterError(f"{what} failed: {args[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise PgClusterError(f"{what} did not finish within {timeout:g} s") from None
    if check and proc.returncode != 0:
        raise PgClusterError(f"{what} failed: {_last_line(proc.stderr or proc.stdout)}")
    return proc


def _proc_alive(pid: int) -> bool:
    """A live postgres process (not a zombie, not a recycled pid of something else)."""
    proc = Path(f"/proc/{pid}")
    if not Path("/proc/self").exists():  # not Linux: best effort
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    try:
        stat = (proc / "stat").read_text()
        cmdline = (proc / "cmdline").read_bytes()
    except OSError:
        return False
    # A killed postmaster stays a zombie until its parent reaps it, and its parent is
    # whatever adopted the daemon (pid 1 in a container may never reap).
    if stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X"):
        return False
    return b"postgres" in cmdline


def _wait_gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _proc_alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _port_owner(port: int) -> str:
    try:
        out = subprocess.run(
            ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, timeout=5
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return "another process"
    found = re.search(r'users:\(\("([^"]+)",pid=(\d+)', out)
    return f"{found.group(1)} (pid {found.group(2)})" if found else "another process"


def _check_port_free(port: int, label: str) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # The server binds with SO_REUSEADDR too, so TIME_WAIT leftovers are no conflict.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise PgClusterError(
                f"port {port} ({label}) is in use by {_port_owner(port)}; choose another port"
            ) from None


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 right now (held together so they differ)."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(sock)
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in socks]
    finally:
        for sock in socks:
            sock.close()


# --- install ------------------------------------------------------------------------


def missing_packages() -> list[str]:
    if shutil.which("dpkg-query") is None:
        raise PgClusterError(
            "install needs dpkg/apt (Debian or Ubuntu); elsewhere install PostgreSQL 15 and "
            "PostGIS 3 yourself and point PGCLUSTER_PGBIN at the server binaries"
        )
    missing = []
    for pkg in PACKAGES:
        proc = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True, check=False
        )
        if proc.returncode != 0 or "ok installed" not in proc.stdout:
            missing.append(pkg)
    return missing


def install() -> list[str]:
    """apt-get install what is missing of PACKAGES; returns what it installed.

    Debian's postgresql package also creates (and where it can, starts) a system cluster
    "15 main" on port 5432; it is not used here and does not conflict with 5440/5441.
    """
    missing = missing_packages()
    if not missing:
        return []
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") is None:
            raise PgClusterError("install needs root: run it as root or install sudo")
        prefix = ["sudo"]
    apt = [*prefix, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get"]
    # Without a fresh package list a new CI image knows none of the packages.
    _run([*apt, "update", "-qq"], "apt-get update", timeout=600, env=dict(os.environ))
    _run(
        [*apt, "install", "-y", "-qq", "--no-install-recommends", *missing],
        f"apt-get install {' '.join(missing)}",
        timeout=1200,
        env=dict(os.environ),
    )
    return missing


def _check_installed() -> None:
    for tool in ("initdb", "pg_ctl", "pg_basebackup", "psql", "pg_config"):
        if not (PGBIN / tool).exists():
            raise PgClusterError(
                f"PostgreSQL 15 is not installed (no {PGBIN / tool}): {INSTALL_HINT}"
            )


def _check_postgis() -> None:
    sharedir = _run([str(PGBIN / "pg_config"), "--sharedir"], "pg_config").stdout.strip()
    if not (Path(sharedir) / "extension" / "postgis.control").exists():
        raise PgClusterError(f"PostGIS for PostgreSQL 15 is not installed: {INSTALL_HINT}")


# --- the cluster --------------------------------------------------------------------


def _quote_conf(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class Cluster:
    """A primary + synchronous standby in one directory, on 127.0.0.1."""

    def __init__(
        self,
        directory: str | os.PathLike[str],
        port: int | None = None,
        standby_port: int | None = None,
        standby: bool = True,
    ) -> None:
        self.dir = Path(directory).absolute()
        self.with_standby = standby
        state = self._load_state()
        if state is not None:
            ports = state["ports"]
            for given, node in ((port, "primary"), (standby_port, "standby")):
                if given is not None and given != ports[node]:
                    raise PgClusterError(
                        f"{self.dir} holds a cluster on ports {ports['primary']}/{ports['standby']}; "
                        "stop it and remove the directory to use other ports"
                    )
            self.ports: dict[str, int] = dict(ports)
            self.leader: str = state["leader"]
        else:
            self.ports = {
                "primary": port or DEFAULT_PORT,
                "standby": standby_port or DEFAULT_STANDBY_PORT,
            }
            self.leader = "primary"
        if self.ports["primary"] == self.ports["standby"]:
            raise PgClusterError(f"primary and standby cannot share port {self.ports['primary']}")

    # -- naming

    @property
    def follower(self) -> str:
        return "standby" if self.leader == "primary" else "primary"

    def datadir(self, node: str) -> Path:
        return self.dir / node

    def logfile(self, node: str) -> Path:
        return self.dir / f"{node}.log"

    @property
    def _state_file(self) -> Path:
        return self.dir / "cluster.json"

    def _load_state(self) -> dict[str, Any] | None:
        try:
            return dict(json.loads(self._state_file.read_text()))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise PgClusterError(f"cannot read {self._state_file}: {exc}") from None

    def _save_state(self) -> None:
        tmp = self._state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"ports": self.ports, "leader": self.leader}) + "\n")
        tmp.replace(self._state_file)

    def node_url(self, node: str, dbname: str = DATABASE) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.ports[node]}/{dbname}"

    def url_for(self, dbname: str = DATABASE, role: str | None = None) -> str:
        """The multi-host URL that finds the primary (role None), or one role's node."""
        if role == "primary":
            return self.node_url(self.leader, dbname)
        if role == "standby":
            return self.node_url(self.follower, dbname)
        # Both nodes in a fixed order, whichever leads: the URL a client holds stays the
        # same across a failover, and target_session_attrs picks the primary.
        nodes = NODES if self.with_standby else (self.leader,)
        hosts = [f"127.0.0.1:{self.ports[node]}" for node in nodes]
        return f"postgresql://postgres@{','.join(hosts)}/{dbname}?target_session_attrs=read-write"

    @property
    def url(self) -> str:
        return self.url_for()

    @property
    def primary_url(self) -> str:
        return self.url_for(role="primary")

    @property
    def standby_url(self) -> str:
        return self.url_for(role="standby")

    def info(self) -> dict[str, Any]:
        return {
            "primary": self.primary_url,
            "standby": self.standby_url if self.with_standby else None,
            "url": self.url,
            "dir": str(self.dir),
        }

    # -- low-level node handling

    def pid(self, node: str) -> int | None:
        """The postmaster's pid when the node is running."""
        try:
            first = (self.datadir(node) / "postmaster.pid").read_text().split("\n", 1)[0]
            pid = int(first)
        except (OSError, ValueError):
            return None
        return pid if _proc_alive(pid) else None

    def _control_state(self, node: str) -> int | None:
        # ControlFileData starts with system_identifier (8 bytes), pg_control_version and
        # catalog_version_no (4 each), then the DBState enum: stable across versions.
        try:
            with (self.datadir(node) / "global" / "pg_control").open("rb") as control:
                raw = control.read(20)
        except OSError:
            return None
        return int(struct.unpack("=i", raw[16:20])[0]) if len(raw) == 20 else None

    def sql(
        self, node: str, *statements: str, dbname: str = "postgres", timeout: float = 60
    ) -> str:
        """Run statements (one round trip each, so CREATE DATABASE works) on a node."""
        args = [str(PGBIN / "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"]
        args += ["-h", "127.0.0.1", "-p", str(self.ports[node]), "-U", "postgres", "-d", dbname]
        for statement in statements:
            args += ["-c", statement]
        return _run(args, f"SQL on {node}", cwd=self.dir, timeout=timeout).stdout.strip()

    def _own(self, path: Path) -> None:
        if user := _server_user():
            shutil.chown(path, user, user)

    def _write_node_conf(self, datadir: Path, node: str) -> None:
        path = datadir / "node.conf"
        path.write_text(
            f"# written by scripts/pgcluster.py for the {node} node\nport = {self.ports[node]}\n"
        )
        self._own(path)

    def _prepare_dir(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        socket_path = self.dir / f".s.PGSQL.{max(self.ports.values())}"
        if len(str(socket_path)) > 107:
            raise PgClusterError(
                f"{self.dir} is too long a path for a unix socket; choose a shorter one"
            )
        if user := _server_user():
            shutil.chown(self.dir, user, user)
            # The server runs as postgres: every parent of DIR must be searchable by it.
            if (
                _run(
                    ["test", "-w", str(self.dir), "-a", "-x", str(self.dir)],
                    "access check",
                    as_server=True,
                    check=False,
                ).returncode
                != 0
            ):
                raise PgClusterError(
                    f"{self.dir} is not reachable by the postgres user (the server cannot run as "
                    "root); choose a directory it can reach, e.g. under /tmp"
                )

    def _init_primary(self) -> None:
        target = self.datadir("primary")
        # Build in a side directory and rename: a primary/ that exists is always complete,
        # so a failed first start can simply be run again.
        work = self.dir / "primary.init"
        shutil.rmtree(work, ignore_errors=True)
        _run(
            [
                str(PGBIN / "initdb"),
                "-D",
                str(work),
                "-U",
                "postgres",
                # trust: anyone on this machine may connect as superuser, over loopback or the
                # socket in DIR. Fine for a throwaway test cluster on 127.0.0.1; never for the
                # centre's real service, which needs scram-sha-256 and TLS.
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                # Skipping fsync of the fresh files only matters if the machine crashes in the
                # next seconds, and it saves most of initdb's time.
                "--no-sync",
                "--no-instructions",
            ],
            "initdb",
            as_server=True,
            cwd=self.dir,
            timeout=120,
        )
        with (work / "postgresql.conf").open("a") as conf:
            conf.write(
                "\n# --- scripts/pgcluster.py: private cluster on loopback ---\n"
                "listen_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = {_quote_conf(str(self.dir))}\n"
                "wal_level = replica\n"
                "max_wal_senders = 10\n"
                # No replication slot: a slot for a standby that is gone (--no-standby, a
                # failover) would keep WAL forever; with synchronous commit the standby
                # cannot fall far behind, and this covers a restart of it.
                "wal_keep_size = '256MB'\n"
                "hot_standby = on\n"
                # Long reads on the standby are not cancelled by vacuum on the primary.
                "hot_standby_feedback = on\n"
                # A standby retries a lost primary every 5 s by default; a restarted primary
                # is then without its synchronous standby, and its commits wait, that long.
                "wal_retrieve_retry_interval = '200ms'\n"
                # The port differs per node and node.conf is rewritten after a base backup.
                "include_if_exists = 'node.conf'\n"
            )
        self._write_node_conf(work, "primary")
        work.rename(target)

    def _start_node(self, node: str) -> None:
        _check_port_free(self.ports[node], f"{node} node")
        # The server refuses to start while a lock file names a pid that kill(pid, 0)
        # finds, and a killed postmaster lingers as a zombie until its adopter reaps it.
        for lock in (
            self.datadir(node) / "postmaster.pid",
            self.dir / f".s.PGSQL.{self.ports[node]}.lock",
        ):
            try:
                pid = int(lock.read_text().split("\n", 1)[0])
            except (OSError, ValueError):
                continue
            if not _proc_alive(pid):
                lock.unlink(missing_ok=True)
        log = self.logfile(node)
        proc = _run(
            [
                str(PGBIN / "pg_ctl"),
                "start",
                "-D",
                str(self.datadir(node)),
                "-l",
                str(log),
                "-w",
                "-t",
                "60",
                "-s",
            ],
            f"starting the {node} node",
            as_server=True,
            cwd=self.dir,
            timeout=90,
            check=False,
        )
        if proc.returncode != 0:
            try:
                tail = [line for line in log.read_text().splitlines() if line.strip()]
            except OSError:
                tail = []
            fatal = [line for line in tail if "FATAL" in line or "ERROR" in line]
            detail = (fatal or tail or [_last_line(proc.stderr)])[-1]
            raise PgClusterError(
                f"starting the {node} node on port {self.ports[node]} failed ({log}): {detail}"
            )

    def _stop_node(self, node: str) -> bool:
        pid = self.pid(node)
        if pid is not None:
            for mode in ("fast", "immediate"):
                _run(
                    [
                        str(PGBIN / "pg_ctl"),
                        "stop",
                        "-D",
                        str(self.datadir(node)),
                        "-m",
                        mode,
                        "-w",
                        "-t",
                        "30",
                        "-s",
                    ],
                    f"stopping the {node} node",
                    as_server=True,
                    cwd=self.dir,
                    timeout=45,
                    check=False,
                )
                if _wait_gone(pid, 5):
                    break
            else:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                _wait_gone(pid, 5)
        self._sweep(node)
        return pid is not None

    def _sweep(self, node: str) -> None:
        """Kill leftovers of a killed postmaster and free its shared memory segment.

        Children of a postmaster killed with -9 exit by themselves once they notice, but a
        stop must leave no process behind; they are recognised as postgres executables
        whose working directory is this node's data directory.
        """
        datadir = str(self.datadir(node).resolve())
        leftovers = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if (
                    os.readlink(entry / "cwd") == datadir
                    and Path(os.readlink(entry / "exe")).name == "postgres"
                ):
                    leftovers.append(int(entry.name))
            except OSError:
                continue
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        for pid in leftovers:
            _wait_gone(pid, 5)
        # A postmaster that died without shutting down leaves its SysV segment behind; a
        # restart reuses it, but once the directory is removed it would stay until reboot.
        try:
            lines = (self.datadir(node) / "postmaster.pid").read_text().splitlines()
            shmid = int(lines[6].split()[1])
            table = Path("/proc/sysvipc/shm").read_text().splitlines()[1:]
        except (OSError, ValueError, IndexError):
            return
        for row in table:
            fields = row.split()
            if len(fields) > 6 and fields[1] == str(shmid) and fields[6] == "0":
                subprocess.run(["ipcrm", "-m", str(shmid)], capture_output=True, check=False)

    def _is_standby_dir(self, node: str) -> bool:
        return (self.datadir(node) / "standby.signal").exists()

    def _ensure_databases(self) -> None:
        leader = self.leader
        exists = set(self.sql(leader, "SELECT datname FROM pg_database").split())
        # synchronous_commit=local: with synchronous replication on and the standby not
        # (yet) attached, every commit would block.
        local = "SET synchronous_commit TO local"
        if TEMPLATE not in exists:
            _check_postgis()
            self.sql(leader, local, f"CREATE DATABASE {TEMPLATE}")
            self.sql(leader, local, "CREATE EXTENSION postgis", dbname=TEMPLATE, timeout=120)
            self.sql(leader, local, f"ALTER DATABASE {TEMPLATE} IS_TEMPLATE true")
        if DATABASE not in exists:
            self.sql(leader, local, f"CREATE DATABASE {DATABASE} TEMPLATE {TEMPLATE}")

    def _clone_follower(self) -> None:
        node = self.follower
        self._stop_node(node)
        work = self.dir / f"{node}.init"
        shutil.rmtree(work, ignore_errors=True)
        conninfo = (
            f"host=127.0.0.1 port={self.ports[self.leader]} user=postgres "
            f"application_name={APP_NAME}"
        )
        _run(
            # -R writes standby.signal and primary_conninfo (with application_name, which
            # synchronous_standby_names names); -c fast: do not wait for a spread checkpoint.
            [
                str(PGBIN / "pg_basebackup"),
                "-d",
                conninfo,
                "-D",
                str(work),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ],
            f"pg_basebackup of the {node} node",
            as_server=True,
            cwd=self.dir,
            timeout=300,
        )
        auto = work / "postgresql.auto.conf"
        # The copy would inherit the leader's synchronous_standby_names; a standby promoted
        # with it set would block every commit until a standby of its own attaches.
        kept = [
            line
            for line in auto.read_text().splitlines(keepends=True)
            if not line.startswith("synchronous_standby_names")
        ]
        auto.write_text("".join(kept))
        self._write_node_conf(work, node)
        shutil.rmtree(self.datadir(node), ignore_errors=True)
        work.rename(self.datadir(node))

    def _wait_streaming(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        query = f"SELECT state FROM pg_stat_replication WHERE application_name = '{APP_NAME}'"
        while "streaming" not in self.sql(self.leader, query).split():
            if self.pid(self.follower) is None:
                raise PgClusterError(
                    f"the {self.follower} node stopped ({self.logfile(self.follower)})"
                )
            if time.monotonic() > deadline:
                raise PgClusterError(
                    f"the {self.follower} node did not start streaming within {timeout:g} s "
                    f"({self.logfile(self.follower)})"
                )
            time.sleep(0.02)

    def _wait_replayed(self, timeout: float = 60) -> None:
        # A standby still replaying (the PostGIS database it was sent) would make the first
        # failover slow by that replay, and its reads of it stale.
        target = self.sql(self.leader, "SELECT pg_current_wal_lsn()")
        query = (
            f"SELECT coalesce(bool_and(replay_lsn >= '{target}'), false) FROM pg_stat_replication "
            f"WHERE application_name = '{APP_NAME}'"
        )
        deadline = time.monotonic() + timeout
        while self.sql(self.leader, query) != "t":
            if time.monotonic() > deadline:
                raise PgClusterError(
                    f"the {self.follower} node did not catch up within {timeout:g} s"
                )
            time.sleep(0.02)

    def _set_sync(self, on: bool) -> None:
        want = SYNC_NAMES if on else ""
        if self.sql(self.leader, "SHOW synchronous_standby_names") == want:
            return
        change = (
            f"ALTER SYSTEM SET synchronous_standby_names = {_quote_conf(SYNC_NAMES)}"
            if on
            else "ALTER SYSTEM RESET synchronous_standby_names"
        )
        self.sql(self.leader, change, "SELECT pg_reload_conf()")
        if not on:
            return
        # The reload is asynchronous; once the walsender reports quorum, commits wait.
        deadline = time.monotonic() + 10
        query = f"SELECT sync_state FROM pg_stat_replication WHERE application_name = '{APP_NAME}'"
        while self.sql(self.leader, query) != "quorum":
            if time.monotonic() > deadline:
                raise PgClusterError("synchronous replication did not take effect within 10 s")
            time.sleep(0.02)

    # -- commands

    def start(self) -> dict[str, Any]:
        """Bring the cluster to primary (+ synchronous standby) running; idempotent."""
        _check_installed()
        started: list[str] = []
        cloned: list[str] = []
        stopped: list[str] = []
        if not self.datadir("primary").exists():
            if self._state_file.exists() and self.leader == "primary":
                raise PgClusterError(
                    f"{self.datadir('primary')} is missing; remove {self.dir} and start afresh"
                )
            if not self._state_file.exists():
                _check_postgis()
                for node in NODES if self.with_standby else ("primary",):
                    _check_port_free(self.ports[node], f"{node} node")
                self._prepare_dir()
                self._init_primary()
                self._save_state()
        elif not self._state_file.exists():
            raise PgClusterError(
                f"{self.dir} has a primary/ but no cluster.json; remove {self.dir} and start afresh"
            )
        leader = self.leader
        if self._is_standby_dir(leader):
            raise PgClusterError(f"cluster.json says the {leader} node leads, but it is a standby")
        if self.pid(leader) is None:
            self._start_node(leader)
            started.append(leader)
        follower = self.follower
        if self.with_standby:
            if not self._is_standby_dir(follower):
                # Missing, or the old primary after a failover: re-clone from the leader.
                self._clone_follower()
                cloned.append(follower)
            if self.pid(follower) is None:
                self._start_node(follower)
                started.append(follower)
            self._wait_streaming()
            # After the clone: on a new cluster the standby then gets PostGIS by streaming,
            # quicker than a base backup of it (the checkpoint would write it out first).
            self._ensure_databases()
            self._set_sync(True)
            self._wait_replayed()
        else:
            if self._stop_node(follower):
                stopped.append(follower)
            self._ensure_databases()
            self._set_sync(False)
        return {**self.info(), "started": started, "cloned": cloned, "stopped": stopped}

    def stop(self) -> list[str]:
        if not self._state_file.exists():
            return []
        # The leader first: its fast shutdown hands the last WAL to a standby still up.
        return [node for node in (self.leader, self.follower) if self._stop_node(node)]

    def status(self) -> dict[str, Any]:
        if not self._state_file.exists():
            raise PgClusterError(f"no cluster in {self.dir} (run start first)")
        nodes: dict[str, Any] = {}
        for node in NODES:
            pid = self.pid(node)
            role = "down"
            if pid is not None:
                try:
                    role = (
                        "standby"
                        if self.sql(node, "SELECT pg_is_in_recovery()", timeout=10) == "t"
                        else "primary"
                    )
                except PgClusterError:
                    role = "unreachable"
            nodes[node] = {"port": self.ports[node], "pid": pid, "role": role}
        primaries = [node for node in NODES if nodes[node]["role"] == "primary"]
        replication: list[Any] = []
        sync_names = None
        if len(primaries) == 1:
            query = (
                "SELECT coalesce(json_agg(r), '[]') FROM (SELECT application_name, "
                "client_port, state, sync_state, replay_lag::text FROM pg_stat_replication) r"
            )
            replication = json.loads(self.sql(primaries[0], query))
            sync_names = self.sql(primaries[0], "SHOW synchronous_standby_names")
        return {
            "dir": str(self.dir),
            "primary": primaries[0] if len(primaries) == 1 else (primaries or None),
            "nodes": nodes,
            "replication": replication,
            "synchronous_standby_names": sync_names,
            "url": self.url,
        }

    def kill_primary(self) -> int:
        """kill -9 the current primary's postmaster; returns its pid."""
        pid = self.pid(self.leader)
        if pid is None:
            raise PgClusterError(f"the primary ({self.leader} node) is not running")
        os.kill(pid, signal.SIGKILL)
        if not _wait_gone(pid, 10):
            raise PgClusterError(f"the primary's postmaster (pid {pid}) survived kill -9")
        return pid

    def promote(self) -> float:
        """Promote the standby (stopping the old primary if it runs); returns the ms."""
        node = self.follower
        if self.pid(node) is None or not self._is_standby_dir(node):
            raise PgClusterError(f"there is no running standby to promote ({node} node)")
        # Two primaries would split the brain; the old one is gone after a promote.
        self._stop_node(self.leader)
        started = time.monotonic()
        # -W and our own wait: pg_ctl's wait polls every 100 ms, longer than the promotion.
        _run(
            [str(PGBIN / "pg_ctl"), "promote", "-D", str(self.datadir(node)), "-W", "-s"],
            f"promoting the {node} node",
            as_server=True,
            cwd=self.dir,
            timeout=30,
        )
        deadline = started + 60
        # pg_control says "in production" just before recovery ends (postmaster.pid says
        # "ready" for a hot standby as well, so it cannot tell); a query then confirms.
        while self._control_state(node) != DB_IN_PRODUCTION:
            if self.pid(node) is None:
                raise PgClusterError(
                    f"the {node} node stopped while promoting ({self.logfile(node)})"
                )
            if time.monotonic() > deadline:
                raise PgClusterError(
                    f"promoting the {node} node took over 60 s ({self.logfile(node)})"
                )
            time.sleep(0.002)
        while self.sql(node, "SELECT pg_is_in_recovery()") != "f":
            if time.monotonic() > deadline:
                raise PgClusterError(
                    f"promoting the {node} node took over 60 s ({self.logfile(node)})"
                )
            time.sleep(0.002)
        elapsed = (time.monotonic() - started) * 1000
        self.leader = node
        self._save_state()
        return elapsed

    def failover(self) -> float:
        """kill -9 the primary and promote the standby; returns the ms from kill to promoted."""
        if self.pid(self.follower) is None or not self._is_standby_dir(self.follower):
            # Checked before the kill: a failover with nothing to fail over to is an outage.
            raise PgClusterError(
                f"there is no running standby to fail over to ({self.follower} node)"
            )
        started = time.monotonic()
        self.kill_primary()
        self.promote()
        return (time.monotonic() - started) * 1000

    def rejoin(self) -> dict[str, Any]:
        """The node that is not the primary becomes its synchronous standby again."""
        if self.pid(self.leader) is None:
            raise PgClusterError(f"the primary ({self.leader} node) is not running")
        self.with_standby = True
        return self.start()

    def create_database(self, name: str) -> None:
        """A fresh database with PostGIS, copied from the template."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise PgClusterError(f"database name {name!r}: use lower case letters, digits and _")
        self.sql(self.leader, f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")

    def drop_database(self, name: str) -> None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise PgClusterError(f"database name {name!r}: use lower case letters, digits and _")
        self.sql(self.leader, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# --- command line -------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pgcluster.py",
        description="Private PostgreSQL 15 + PostGIS primary/standby on loopback.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("install", help="apt-get install PostgreSQL 15 + PostGIS when missing")
    start = sub.add_parser("start", help="start primary + synchronous standby (initdb once)")
    start.add_argument("--dir", required=True)
    start.add_argument(
        "--port", type=int, default=None, help=f"primary port (default {DEFAULT_PORT})"
    )
    start.add_argument(
        "--standby-port",
        type=int,
        default=None,
        help=f"standby port (default {DEFAULT_STANDBY_PORT})",
    )
    start.add_argument(
        "--no-standby", action="store_true", help="primary only, no synchronous replication"
    )
    for name, text in (
        ("stop", "fast shutdown of both nodes"),
        ("status", "roles and replication state"),
        ("kill-primary", "kill -9 the current primary's postmaster"),
        ("promote", "promote the standby (the old primary is stopped)"),
        ("failover", "kill-primary + promote; prints the milliseconds"),
        ("rejoin", "re-clone the old primary as the new synchronous standby"),
    ):
        sub.add_parser(name, help=text).add_argument("--dir", required=True)
    args = parser.parse_args(argv)

    try:
        if args.command == "install":
            installed = install()
            out: dict[str, Any] = {"installed": installed, "packages": list(PACKAGES)}
        elif args.command == "start":
            began = time.monotonic()
            cluster = Cluster(args.dir, args.port, args.standby_port, standby=not args.no_standby)
            out = cluster.start()
            out["seconds"] = round(time.monotonic() - began, 2)
        else:
            cluster = Cluster(args.dir)
            if args.command != "stop" and cluster._load_state() is None:
                raise PgClusterError(f"no cluster in {cluster.dir} (run start first)")
            if args.command == "stop":
                out = {"stopped": cluster.stop(), "dir": str(cluster.dir)}
            elif args.command == "status":
                out = cluster.status()
            elif args.command == "kill-primary":
                node = cluster.leader
                out = {"killed": node, "pid": cluster.kill_primary()}
            elif args.command == "promote":
                node = cluster.follower
                out = {"promoted": node, "ms": round(cluster.promote(), 1), **cluster.info()}
            elif args.command == "failover":
                node = cluster.follower
                out = {"promoted": node, "ms": round(cluster.failover(), 1), **cluster.info()}
            else:
                out = cluster.rejoin()
    except PgClusterError as exc:
        print(f"pgcluster: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
