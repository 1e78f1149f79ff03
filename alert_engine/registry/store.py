"""The registry on disk: one SQLite file, written in all-or-nothing transactions.

WAL lets the console read while an import writes; synchronous=FULL because a registry
that loses its last import after a power cut would alert the wrong people.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

import platformdirs

from ..errors import InvalidInput
from .bulk_load import load_registry
from .model import Aed, AedStatus, Responder
from .rows import (
    PositionRow,
    RegistryRows,
    aed_from_row,
    responder_from_row,
    rows_from_records,
)
from .table import Registry

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS responders (
    id TEXT PRIMARY KEY,
    pseudonym TEXT NOT NULL DEFAULT '',
    availability TEXT NOT NULL DEFAULT '24/7',       -- OSM opening_hours
    certificate_valid_until TEXT NOT NULL,           -- ISO date
    last_refresher TEXT,                             -- ISO date or NULL
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    medical INTEGER NOT NULL CHECK (medical IN (0, 1)),
    channels TEXT NOT NULL,                          -- 'app;sms'
    test_alarms_opt_in INTEGER NOT NULL CHECK (test_alarms_opt_in IN (0, 1)),
    municipality TEXT NOT NULL DEFAULT '',
    synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1))
);
CREATE TABLE IF NOT EXISTS responder_positions (
    responder_id TEXT NOT NULL REFERENCES responders(id),
    kind TEXT NOT NULL CHECK (kind IN ('gps', 'home', 'work')),
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    "window" TEXT NOT NULL DEFAULT '24/7',           -- when this position applies
    gps_time TEXT                                    -- ISO 8601 with offset, GPS only
);
CREATE INDEX IF NOT EXISTS responder_positions_by_responder
    ON responder_positions (responder_id);
CREATE TABLE IF NOT EXISTS aeds (
    id TEXT PRIMARY KEY,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    opening_hours TEXT NOT NULL DEFAULT '24/7',
    status TEXT NOT NULL CHECK (status IN ('ready', 'maintenance', 'reserve', 'check_needed')),
    cabinet_code TEXT NOT NULL DEFAULT '',
    location_description TEXT NOT NULL DEFAULT '',
    manager_contact TEXT NOT NULL DEFAULT '',
    indoor INTEGER NOT NULL CHECK (indoor IN (0, 1)),
    synthetic INTEGER NOT NULL CHECK (synthetic IN (0, 1))
);
CREATE TABLE IF NOT EXISTS metadata (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

_POSITIONS_IN_ORDER = """
SELECT p.responder_id, p.kind, p.lat, p.lon, p."window", p.gps_time
FROM responders r JOIN responder_positions p ON p.responder_id = r.id
ORDER BY r.rowid, p.rowid
"""


def default_store_path() -> Path:
    """$ZESMINUTEN_HOME/registry.sqlite when set (tests, portable use), else the user data dir."""
    home = os.environ.get("ZESMINUTEN_HOME")
    base = Path(home) if home else platformdirs.user_data_path("zesminuten")
    return base / "registry.sqlite"


class Counts(NamedTuple):
    responders: int
    aeds: int
    synthetic: str  # "yes", "no", "mixed" or "empty"


class RegistryStore:
    """Responders, their positions, AEDs and metadata in one SQLite file."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every write below opens its own explicit transaction.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as e:
            self._db.close()
            raise InvalidInput(f"{self.path}: not a registry file ({e})") from None
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        version = int(self.pragma("user_version"))
        if version > SCHEMA_VERSION:
            self._db.close()
            raise InvalidInput(
                f"{self.path}: registry written by a newer Zesminuten "
                f"(schema {version}, this version reads up to {SCHEMA_VERSION})"
            )
        self._db.executescript(SCHEMA)
        self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RegistryStore:
        return self

    def __exit__(
        self, exc: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def pragma(self, name: str) -> str:
        """Current value of a connection setting, e.g. journal_mode (for checks and tests)."""
        return str(self._db.execute(f"PRAGMA {name}").fetchone()[0])

    # -- writing -------------------------------------------------------------------------
    def replace_all(
        self,
        responders: Iterable[Responder],
        aeds: Iterable[Aed],
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Swap the whole registry for these records in one transaction."""
        self.write_rows(
            rows_from_records(responders, aeds), clear=("responders", "aeds"), metadata=metadata
        )

    def add(
        self,
        responders: Iterable[Responder] = (),
        aeds: Iterable[Aed] = (),
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Append records; if any id is already stored nothing is written."""
        self.write_rows(rows_from_records(responders, aeds), clear=(), metadata=metadata)

    def write_rows(
        self,
        rows: RegistryRows,
        clear: Iterable[str] = (),
        metadata: Mapping[str, str] | None = None,
    ) -> None:
        """Write prepared rows (the demo generator's fast path); `clear` empties
        'responders' and/or 'aeds' first, all in one transaction."""
        clear = set(clear)
        if not clear <= {"responders", "aeds"}:
            raise ValueError(f"can only clear responders/aeds, not {sorted(clear)}")
        db = self._db
        with self._transaction():
            if clear == {"responders", "aeds"}:
                db.execute("DELETE FROM metadata")  # region, seed, ... described the old set
            if "responders" in clear:
                db.execute("DELETE FROM responder_positions")
                db.execute("DELETE FROM responders")
            if "aeds" in clear:
                db.execute("DELETE FROM aeds")
            self._refuse_duplicates(rows)
            db.executemany("INSERT INTO responders VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows.responders)
            db.executemany("INSERT INTO responder_positions VALUES (?,?,?,?,?,?)", rows.positions)
            db.executemany("INSERT INTO aeds VALUES (?,?,?,?,?,?,?,?,?,?)", rows.aeds)
            self._put_metadata({**(metadata or {}), "synthetic": self._synthetic_flag()})

    def _refuse_duplicates(self, rows: RegistryRows) -> None:
        problems: list[str] = []
        for table, ids in (
            ("responders", [r[0] for r in rows.responders]),
            ("aeds", [a[0] for a in rows.aeds]),
        ):
            if not ids:
                continue
            stored = self.ids(table)
            seen: set[str] = set()
            for i in ids:
                if i in stored:
                    problems.append(f"{i} is already in the registry ({table})")
                elif i in seen:
                    problems.append(f"{i} appears twice ({table})")
                seen.add(i)
        if problems:
            more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
            raise InvalidInput("nothing written: " + "\n".join(problems[:20]) + more)

    def set_aed_status(self, aed_id: str, status: AedStatus | str) -> None:
        try:
            status = AedStatus(status)
        except ValueError:
            known = ", ".join(s.value for s in AedStatus)
            raise InvalidInput(f"unknown AED status {status!r} (known: {known})") from None
        with self._transaction():
            cur = self._db.execute("UPDATE aeds SET status = ? WHERE id = ?", (str(status), aed_id))
            if cur.rowcount == 0:
                raise InvalidInput(f"unknown AED {aed_id!r}")

    def _put_metadata(self, values: Mapping[str, str]) -> None:
        self._db.executemany(
            "INSERT INTO metadata (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [(k, str(v)) for k, v in values.items()],
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db)

    # -- reading -------------------------------------------------------------------------
    def metadata(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM metadata ORDER BY key").fetchall())

    def ids(self, kind: str) -> set[str]:
        """Stored ids of 'responders' or 'aeds'."""
        if kind not in ("responders", "aeds"):
            raise ValueError(f"unknown kind {kind!r}")
        return {row[0] for row in self._db.execute(f"SELECT id FROM {kind}")}

    def counts(self) -> Counts:
        n_resp = self._db.execute("SELECT count(*) FROM responders").fetchone()[0]
        n_aed = self._db.execute("SELECT count(*) FROM aeds").fetchone()[0]
        return Counts(n_resp, n_aed, self._synthetic_flag())

    def _synthetic_flag(self) -> str:
        lo, hi = self._db.execute(
            "SELECT min(s), max(s) FROM (SELECT synthetic AS s FROM responders "
            "UNION ALL SELECT synthetic FROM aeds)"
        ).fetchone()
        if lo is None:
            return "empty"
        return "yes" if lo == 1 else ("no" if hi == 0 else "mixed")

    def responders(self) -> Iterator[Responder]:
        """Every responder as a record, in insertion order (for export)."""
        positions = self._db.execute(_POSITIONS_IN_ORDER)
        pending: PositionRow | None = positions.fetchone()
        for row in self._db.execute("SELECT * FROM responders ORDER BY rowid"):
            mine: list[PositionRow] = []
            while pending is not None and pending[0] == row[0]:
                mine.append(pending)
                pending = positions.fetchone()
            yield responder_from_row(row, mine)

    def aeds(self) -> Iterator[Aed]:
        for row in self._db.execute("SELECT * FROM aeds ORDER BY rowid"):
            yield aed_from_row(row)

    def load_registry(self) -> Registry:
        """Build the columnar registry straight from SQL, without per-row records."""
        return load_registry(self._db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self, exc: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._db.execute("ROLLBACK" if exc is not None else "COMMIT")
