"""Event stores behind one interface: in memory (scenario runs) and SQLite (live, training).

SQLite runs in WAL mode with synchronous=FULL so an event the engine reported as written
survives a crash or power loss. Each incident's events form a hash chain, and a store-wide
chain over every row ends in a *head* (last seq + hash) kept in the `meta` table: an edited,
reordered, removed or truncated history is detected rather than shown as if it were true.
The head can be recorded elsewhere (the access log, a printed report) and checked later
with `verify(expected_heads=...)`; with an HMAC key (eventlog/keys.py) a full rewrite by
someone without the key is detected too.

A store has exactly one writer: the first engine that opens it takes an exclusive lock
(`<store>.lock`, released when the process ends), and every append re-checks the sequence
inside its write transaction. A second console gets a clear "in use by ..." message
instead of a half-working store; readers (verify, review, export) need no lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sqlite3
import sys
import weakref
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from .. import actor as acting
from ..errors import EngineError, StoreCorrupted
from ..events import Event, format_time
from . import pruning
from .chain import GENESIS, ChainedRecord, ChainWalk, chain_hash
from .keys import key_check, load_chain_key

SCHEMA_VERSION = "2"


class StoreInUse(EngineError):
    """Another program is already the writer of this event store."""


class StoreConflict(EngineError):
    """Events appeared in the store that this writer did not write."""


class StoreKeyError(EngineError):
    """The store is signed and the configured key is missing or not its key."""


@dataclass
class IntegrityReport:
    ok: bool
    events: int
    problems: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    head: tuple[int, str] | None = None

    def summary(self) -> str:
        if self.ok:
            tail = "".join(f"; {n}" for n in self.remarks)
            head = f"; head {self.head[0]}:{self.head[1][:16]}" if self.head else ""
            return f"intact: {self.events} events, hash chains and sequence verified{head}{tail}"
        return "NOT INTACT: " + "; ".join(self.problems[:10])


class EventStore(Protocol):
    """What the engine needs from storage; a PostgreSQL store implements the same."""

    def claim_writer(self) -> None: ...
    def append(self, events: Sequence[Event]) -> None: ...
    def next_seq(self) -> int: ...
    def read(self, incident: str | None = None) -> list[Event]: ...
    def read_after(self, seq: int) -> list[Event]: ...
    def find_request(self, key: str) -> Answered | None: ...
    def verify(self) -> IntegrityReport: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Answered:
    """A command already carried out under an idempotency key: its fingerprint and events."""

    request_hash: str | None
    events: list[Event]


class MemoryEventStore:
    def __init__(self) -> None:
        self._events: list[Event] = []
        self._requests: dict[str, tuple[str | None, int, int]] = {}

    def claim_writer(self) -> None:
        pass  # one process, one list: nothing to share

    def append(self, events: Sequence[Event]) -> None:
        expected = self.next_seq()
        for i, e in enumerate(events):
            if e.seq != expected + i:
                raise StoreCorrupted(f"event seq {e.seq} out of order (expected {expected + i})")
        self._events.extend(events)
        request = acting.current()
        if request.request_key and events:
            self._requests[request.request_key] = (request.request_hash, events[0].seq, events[-1].seq)

    def next_seq(self) -> int:
        return len(self._events) + 1

    def read(self, incident: str | None = None) -> list[Event]:
        return [e for e in self._events if incident is None or e.incident == incident]

    def read_after(self, seq: int) -> list[Event]:
        return self._events[max(seq, 0):]

    def find_request(self, key: str) -> Answered | None:
        found = self._requests.get(key)
        if found is None:
            return None
        return Answered(found[0], self._events[found[1] - 1:found[2]])

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
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS requests (
    key       TEXT PRIMARY KEY,
    hash      TEXT,
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL
);
"""
# The store-wide chain: ghash(n) = H(ghash(n-1), hash(n)). Added in schema 2; a store
# written before that gets it computed when a writer first opens it.
_ADD_GHASH = "ALTER TABLE events ADD COLUMN ghash TEXT"

KeyArg = bytes | None | Literal["config"]


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def _holder_text(raw: str) -> str:
    try:
        h = json.loads(raw)
        since = datetime.fromisoformat(str(h["since"]))
        return f"{h['program']} (pid {h['pid']} on {h['host']}) since {since:%Y-%m-%d %H:%M:%S}"
    except (ValueError, KeyError, TypeError):
        return "another program"


class SqliteEventStore:
    """SQLite event store. `readonly=True` opens without ever writing or locking (review,
    export, verify); otherwise the first `claim_writer()` or `append()` takes the lock."""

    def __init__(self, path: Path | str, key: KeyArg = "config", *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.key: bytes | None = load_chain_key() if key == "config" else key
        self._lock: weakref.finalize[Any, Any] | None = None
        if readonly:
            if not self.path.is_file():
                raise StoreCorrupted(f"{self.path}: no such event store")
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None,
                                       check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.executescript(_SCHEMA)
        self._has_ghash = "ghash" in self._columns()
        self._load_position()

    # -- opening -----------------------------------------------------------------------
    def _columns(self) -> set[str]:
        return {str(r[1]) for r in self._db.execute("PRAGMA table_info(events)")}

    def _meta(self) -> dict[str, str]:
        try:
            return {str(k): str(v) for k, v in self._db.execute("SELECT key, value FROM meta")}
        except sqlite3.OperationalError:  # a read-only look at a store from before schema 2
            return {}

    def _last_seq(self) -> int:
        """The last seq ever written, also when retention removed it (eventlog/pruning.py)."""
        row = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()
        last = int(row[0])
        if self._pruned:
            gone = self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events_removed").fetchone()
            last = max(last, int(gone[0]))
        return last

    def _load_position(self) -> None:
        # Only this store's writer prunes (under its lock), so the flag is re-read here only.
        self._pruned = pruning.has_tables(self._db)
        self._next = self._last_seq() + 1
        self._heads: dict[str, str] = {
            inc: h
            for inc, h in self._db.execute(
                "SELECT incident, hash FROM events WHERE seq IN "
                "(SELECT MAX(seq) FROM events GROUP BY incident)"
            )
        }
        last = None
        if self._has_ghash:
            last = self._db.execute("SELECT ghash FROM events WHERE seq=?", (self._next - 1,)).fetchone()
            if last is None and self._pruned:
                last = self._db.execute("SELECT ghash FROM events_removed WHERE seq=?", (self._next - 1,)).fetchone()
        self._ghead = str(last[0]) if last and last[0] else GENESIS

    @property
    def journal_mode(self) -> str:
        return str(self._db.execute("PRAGMA journal_mode").fetchone()[0])

    @property
    def signed(self) -> bool:
        return self._meta().get("keyed") == "1"

    def claim_writer(self) -> None:
        """Become this store's one writer, or say clearly who already is."""
        if self._lock is not None:
            return
        if self.readonly:
            raise StoreInUse(f"{self.path}: opened read-only")
        # A raw descriptor, closed by a finalizer too: a store dropped without close() (a test,
        # a crashed window) must not keep its lock for the rest of the process.
        fd = os.open(lock_path(self.path), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder_text(os.pread(fd, 4096, 0).decode("utf-8", "replace"))
            os.close(fd)
            raise StoreInUse(
                f"event store {self.path} is in use by {holder}. A store has one writer: work in that "
                "console, or open this store read-only (review, export-events, verify)."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"program": Path(sys.argv[0]).name or "python", "pid": os.getpid(),
                                  "host": socket.gethostname(),
                                  "since": datetime.now().astimezone().isoformat()}).encode(), 0)
        self._lock = weakref.finalize(self, os.close, fd)
        try:
            self._check_key_and_migrate()
        except BaseException:
            self._release()
            raise
        # Another writer may have appended between our open and the lock: start from disk.
        self._load_position()

    def _check_key_and_migrate(self) -> None:
        meta = self._meta()
        if meta.get("keyed") == "1":
            if self.key is None:
                raise StoreKeyError(
                    f"event store {self.path} is signed with an HMAC key; configure it "
                    "(ZESMINUTEN_CHAIN_KEY_FILE) before writing to it"
                )
            if key_check(self.key) != meta.get("key_check"):
                raise StoreKeyError(f"the configured chain key is not the key event store {self.path} was signed with")
        elif meta and self.key is not None:
            self.key = None  # an unsigned store stays unsigned: mixed chains would prove nothing
        if meta.get("schema") == SCHEMA_VERSION and self._has_ghash:
            return
        with self._transaction():
            if not self._has_ghash:
                self._db.execute(_ADD_GHASH)
                self._has_ghash = True
            g = GENESIS
            updates = []
            for seq, digest in self._db.execute("SELECT seq, hash FROM events ORDER BY seq").fetchall():
                g = chain_hash(g, str(digest), self.key)
                updates.append((g, seq))
            self._db.executemany("UPDATE events SET ghash=? WHERE seq=?", updates)
            last = updates[-1][1] if updates else 0
            values = {"schema": SCHEMA_VERSION, "head_seq": str(last), "head_hash": g,
                      "keyed": "1" if self.key else "0"}
            if self.key:
                values["key_check"] = key_check(self.key)
            if updates and not meta:
                values["migrated_at_seq"] = str(last)  # events before this had no store head
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(values.items()))

    def _release(self) -> None:
        if self._lock is not None:
            self._lock()  # closing the descriptor releases the flock
            self._lock = None

    # -- writing -----------------------------------------------------------------------
    def append(self, events: Sequence[Event]) -> None:
        if self.readonly:
            raise StoreInUse(f"{self.path}: opened read-only; events cannot be written through it")
        self.claim_writer()
        rows, heads, g = chain_rows(events, self._next, self._heads, self._ghead, self.key)
        if not rows:
            return
        with self._transaction():
            # The sequence is re-read inside the write transaction: if anything else wrote
            # to this file, refuse rather than fork the history.
            last = self._last_seq()
            if last + 1 != self._next:
                raise StoreConflict(
                    f"event store {self.path} holds events up to {last} that this workstation did not "
                    "write; nothing was saved. Restart the console to continue from the store."
                )
            self._db.executemany(
                "INSERT INTO events (seq, incident, type, time, body, prev, hash, ghash) "
                "VALUES (?,?,?,?,?,?,?,?)",
                rows,
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("head_seq", str(rows[-1][0])), ("head_hash", g)],
            )
            request = acting.current()
            if request.request_key:  # in the same transaction: a retry finds it or nothing was written
                self._db.execute("INSERT INTO requests VALUES (?,?,?,?)",
                                 (request.request_key, request.request_hash, rows[0][0], rows[-1][0]))
        self._heads = heads
        self._ghead = g
        self._next += len(rows)

    def _transaction(self) -> _Tx:
        return _Tx(self._db)

    # -- reading -----------------------------------------------------------------------
    def next_seq(self) -> int:
        return self._next

    def head(self) -> tuple[int, str]:
        """The store's head: last seq and the store-wide chain hash up to it."""
        if self._lock is None:
            self._load_position()  # a reader sees what is on disk now
        return self._next - 1, self._ghead

    def read(self, incident: str | None = None) -> list[Event]:
        if incident is None:
            cur = self._db.execute("SELECT body FROM events ORDER BY seq")
        else:
            cur = self._db.execute("SELECT body FROM events WHERE incident=? ORDER BY seq", (incident,))
        return [Event.from_json(body) for (body,) in cur]

    def read_after(self, seq: int) -> list[Event]:
        cur = self._db.execute("SELECT body FROM events WHERE seq > ? ORDER BY seq", (seq,))
        return [Event.from_json(body) for (body,) in cur]

    def find_request(self, key: str) -> Answered | None:
        try:
            row = self._db.execute("SELECT hash, first_seq, last_seq FROM requests WHERE key=?", (key,)).fetchone()
        except sqlite3.OperationalError:  # read-only look at a store from before requests existed
            return None
        if row is None:
            return None
        cur = self._db.execute("SELECT body FROM events WHERE seq BETWEEN ? AND ? ORDER BY seq", (row[1], row[2]))
        return Answered(row[0], [Event.from_json(body) for (body,) in cur])

    def rows(self) -> Iterator[tuple[int, str, str, str, str]]:
        """(seq, incident, body, prev, hash) in seq order: what an export carries."""
        yield from self._db.execute("SELECT seq, incident, body, prev, hash FROM events ORDER BY seq")

    def verify(self, expected_heads: Iterable[tuple[int, str]] = ()) -> IntegrityReport:
        """Check every row, both chains and the recorded head; `expected_heads` are heads
        recorded elsewhere earlier (each must still be on this store's chain)."""
        cols = "seq, incident, type, time, body, prev, hash" + (", ghash" if self._has_ghash else ", NULL")
        count = int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        meta = self._meta()
        pruned = pruning.load(self._db, self.key if meta.get("keyed") == "1" else None)
        sql = f"SELECT {cols} FROM events"
        if pruning.has_tables(self._db):  # removed rows take part in the chains without a body
            sql += " UNION ALL SELECT seq, incident, type, time, NULL, prev, hash, ghash FROM events_removed"
        return check_history(self._db.execute(sql + " ORDER BY seq"), count, meta, self.key, expected_heads, pruned)

    def prune(self, remove: Sequence[int], redact: Mapping[int, str], time: str,
              policy: Mapping[str, Any]) -> pruning.Run:
        """Retention (docs/retention.md): remove and redact events in one transaction, as
        this store's writer, recorded so that verify() still proves the rest."""
        if self.readonly:
            raise StoreInUse(f"{self.path}: opened read-only; retention needs the store's writer")
        self.claim_writer()
        pruning.ensure_tables(self._db)
        with self._transaction():
            run = pruning.apply(self._db, self.key, time, policy, remove, redact)
        self._load_position()
        return run

    def retention_record(self) -> pruning.Pruned:
        """What retention removed and redacted in this store, checked (eventlog/pruning.py)."""
        return pruning.load(self._db, self.key if self.signed else None)

    def close(self) -> None:
        self._release()
        self._db.close()


HistoryRow = tuple[int, str, str, str, str | None, str, str, str | None]  # seq … hash, ghash (body None: removed)
ChainedRow = tuple[int, str, str, str, str, str, str, str]  # seq, incident, type, time, body, prev, hash, ghash


def chain_rows(events: Sequence[Event], next_seq: int, heads: Mapping[str, str], ghead: str,
               key: bytes | None) -> tuple[list[ChainedRow], dict[str, str], str]:
    """The rows any store writes for `events`, chained onto its incident heads and store head:
    (rows, new incident heads, new store head). Refuses a seq out of line."""
    rows: list[ChainedRow] = []
    new_heads = dict(heads)
    g = ghead
    for i, e in enumerate(events):
        if e.seq != next_seq + i:
            raise StoreCorrupted(f"event seq {e.seq} out of order (expected {next_seq + i})")
        body = e.to_json()
        prev = new_heads.get(e.incident, GENESIS)
        digest = chain_hash(prev, body, key)
        new_heads[e.incident] = digest
        g = chain_hash(g, digest, key)
        rows.append((e.seq, e.incident, e.type, format_time(e.time), body, prev, digest, g))
    return rows, new_heads, g


def check_history(rows: Iterable[HistoryRow], count: int, meta: Mapping[str, str], configured_key: bytes | None,
                  expected_heads: Iterable[tuple[int, str]] = (), pruned: pruning.Pruned | None = None) -> IntegrityReport:
    """The integrity check of any store's rows in seq order (SQLite, PostgreSQL): sequence,
    per-incident chains, the store-wide chain, the recorded head and heads recorded elsewhere.
    Rows retention removed come with body None; `pruned` says which were removed or redacted."""
    pruned = pruned or pruning.Pruned()
    problems: list[str] = list(pruned.problems)
    notes: list[str] = []
    keyed = meta.get("keyed") == "1"
    key = configured_key if keyed else None
    if keyed and configured_key is None:
        return IntegrityReport(False, count, [
            "not verifiable: this store is signed with an HMAC key and no key is configured "
            "(ZESMINUTEN_CHAIN_KEY_FILE)"])
    if keyed and configured_key is not None and key_check(configured_key) != meta.get("key_check"):
        return IntegrityReport(False, count, ["not verifiable: the configured key is not this store's key"])
    wanted = {int(s): str(h) for s, h in expected_heads}
    seen_at: dict[int, str] = {}
    chain = ChainWalk(key)
    expected_seq = 1
    g = GENESIS
    migrated = int(meta.get("migrated_at_seq", "0"))
    for seq, incident, typ, time, body, prev, digest, ghash in rows:
        if seq != expected_seq:
            problems.append(f"sequence gap: expected {expected_seq}, found {seq} (events removed)")
        expected_seq = seq + 1
        removed = body is None
        if removed and seq not in pruned.removed:
            problems.append(f"event {seq}: removed without a retention run recording it")
        step = chain.step(ChainedRecord(seq, seq, incident, body or "", prev, digest))
        if not step.linked:
            problems.append(f"incident {incident}: event {seq} does not follow the previous one")
        altered = step.altered
        if body is not None and seq in pruned.redacted:  # its hash is the original's; the run vouches for the new body
            altered = pruning.body_hash(body) != pruned.redacted[seq]
        if altered and not removed:
            problems.append(f"incident {incident}: event {seq} was altered after it was written")
        g = chain_hash(g, digest, key)
        if ghash is not None and ghash != g and seq > migrated:
            problems.append(f"event {seq}: the store-wide chain is broken (rows replaced or reordered)")
        if seq in wanted:
            seen_at[seq] = g
        if body is None:
            continue
        try:
            e = Event.from_json(body)
            if (e.seq, e.incident, e.type, format_time(e.time)) != (seq, incident, typ, time):
                problems.append(f"event {seq}: the row's seq/incident/type/time columns do not match its hashed body")
        except Exception as exc:  # a corrupted body must be reported, not crash the check
            problems.append(f"event {seq}: unreadable ({exc})")
    last = expected_seq - 1
    if "head_seq" in meta:
        head_seq = int(meta["head_seq"])
        if head_seq > last:
            problems.append(
                f"the store's last {head_seq - last} event(s) ({last + 1}–{head_seq}) are missing "
                "(the store's head records more events than it holds)"
            )
        elif head_seq < last:
            problems.append(f"events {head_seq + 1}–{last} were added outside the engine (after the recorded head)")
        elif meta.get("head_hash") != g:
            problems.append("the store's recorded head does not match its events (the history was rewritten)")
    elif count:
        notes.append("no store head recorded (store from before schema 2): a removed last event cannot be detected")
    for s, h in sorted(wanted.items()):
        if s > last:
            problems.append(f"head {s}:{h[:16]} recorded earlier is gone: the store now ends at {last}")
        elif seen_at.get(s) != h:
            problems.append(f"head {s}:{h[:16]} recorded earlier does not match: the history up to {s} was rewritten")
    if not keyed and count:
        notes.append("unsigned chain: proves no partial edit, not a full rewrite (docs/review.md)")
    if pruned.runs:
        notes.append(f"retention: {len(pruned.removed)} event(s) removed and {len(pruned.redacted)} redacted by "
                     f"{len(pruned.runs)} recorded run(s), last {pruned.runs[-1].time} (docs/retention.md)")
    return IntegrityReport(ok=not problems, events=count, problems=problems, remarks=notes,
                           head=(last, g) if count or pruned.removed else None)


class _Tx:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self._db.execute("ROLLBACK" if exc_type else "COMMIT")


def open_store(path: Path | str | None) -> EventStore:
    return MemoryEventStore() if path is None else SqliteEventStore(path)
