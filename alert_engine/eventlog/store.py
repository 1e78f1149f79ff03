"""Event stores behind one interface: in memory (scenario runs) and SQLite (live, training).

SQLite runs in WAL mode with synchronous=FULL so an event the engine reported as written
survives a crash or power loss. Each incident's events form a hash chain, so an edited or
truncated history is detected rather than shown as if it were true.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import StoreCorrupted
from ..events import Event

GENESIS = "0" * 64


def chain_hash(previous: str, body: str) -> str:
    return hashlib.sha256((previous + "\n" + body).encode("utf-8")).hexdigest()


@dataclass
class IntegrityReport:
    ok: bool
    events: int
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            return f"intact: {self.events} events, hash chains and sequence verified"
        return "NOT INTACT: " + "; ".join(self.problems[:10])


class EventStore(Protocol):
    """What the engine needs from storage; a PostgreSQL store implements the same."""

    def append(self, events: Sequence[Event]) -> None: ...
    def next_seq(self) -> int: ...
    def read(self, incident: str | None = None) -> list[Event]: ...
    def verify(self) -> IntegrityReport: ...
    def close(self) -> None: ...


class MemoryEventStore:
    def __init__(self) -> None:
        self._events: list[Event] = []

    def append(self, events: Sequence[Event]) -> None:
        expected = self.next_seq()
        for i, e in enumerate(events):
            if e.seq != expected + i:
                raise StoreCorrupted(f"event seq {e.seq} out of order (expected {expected + i})")
        self._events.extend(events)

    def next_seq(self) -> int:
        return len(self._events) + 1

    def read(self, incident: str | None = None) -> list[Event]:
        return [e for e in self._events if incident is None or e.incident == incident]

    def verify(self) -> IntegrityReport:
        return IntegrityReport(ok=True, events=len(self._events))

    def close(self) -> None:
        pass


_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq      INTEGER PRIMARY KEY,
    incident TEXT NOT NULL,
    type     TEXT NOT NULL,
    time     TEXT NOT NULL,
    body     TEXT NOT NULL,
    prev     TEXT NOT NULL,
    hash     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_incident ON events(incident, seq);
"""


class SqliteEventStore:
    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        self._next = int(row[0]) + 1
        self._heads: dict[str, str] = {
            inc: h
            for inc, h in self._db.execute(
                "SELECT incident, hash FROM events WHERE seq IN "
                "(SELECT MAX(seq) FROM events GROUP BY incident)"
            )
        }

    @property
    def journal_mode(self) -> str:
        return str(self._db.execute("PRAGMA journal_mode").fetchone()[0])

    def append(self, events: Sequence[Event]) -> None:
        rows = []
        heads = dict(self._heads)
        for i, e in enumerate(events):
            if e.seq != self._next + i:
                raise StoreCorrupted(f"event seq {e.seq} out of order (expected {self._next + i})")
            body = e.to_json()
            prev = heads.get(e.incident, GENESIS)
            digest = chain_hash(prev, body)
            heads[e.incident] = digest
            rows.append((e.seq, e.incident, e.type, e.to_dict()["time"], body, prev, digest))
        with self._transaction():
            self._db.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?)", rows)
        self._heads = heads
        self._next += len(events)

    def _transaction(self) -> _Tx:
        return _Tx(self._db)

    def next_seq(self) -> int:
        return self._next

    def read(self, incident: str | None = None) -> list[Event]:
        if incident is None:
            cur = self._db.execute("SELECT body FROM events ORDER BY seq")
        else:
            cur = self._db.execute("SELECT body FROM events WHERE incident=? ORDER BY seq", (incident,))
        return [Event.from_json(body) for (body,) in cur]

    def rows(self) -> Iterator[tuple[int, str, str, str, str]]:
        yield from self._db.execute("SELECT seq, incident, body, prev, hash FROM events ORDER BY seq")

    def verify(self) -> IntegrityReport:
        problems: list[str] = []
        heads: dict[str, str] = {}
        expected_seq = 1
        count = 0
        for seq, incident, body, prev, digest in self.rows():
            count += 1
            if seq != expected_seq:
                problems.append(f"sequence gap: expected {expected_seq}, found {seq}")
            expected_seq = seq + 1
            if prev != heads.get(incident, GENESIS):
                problems.append(f"incident {incident}: event {seq} does not follow the previous one")
            if chain_hash(prev, body) != digest:
                problems.append(f"incident {incident}: event {seq} was altered after it was written")
            heads[incident] = digest
            try:
                e = Event.from_json(body)
                if e.seq != seq or e.incident != incident:
                    problems.append(f"event {seq}: header does not match its row")
            except Exception as exc:  # a corrupted body must be reported, not crash the check
                problems.append(f"event {seq}: unreadable ({exc})")
        return IntegrityReport(ok=not problems, events=count, problems=problems)

    def close(self) -> None:
        self._db.close()


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def open_store(path: Path | str | None) -> EventStore:
    return MemoryEventStore() if path is None else SqliteEventStore(path)
