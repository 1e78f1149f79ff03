"""The event log in PostgreSQL, behind the engine's `EventStore` interface.

The same rows and chains as the SQLite store (per-incident hash chain, store-wide chain
ending in a head kept in `store_meta`), plus what a shared store needs:
- the sequence is checked inside the commit's transaction (the lease row is locked FOR
  SHARE by the fence trigger, and `MAX(seq)` must be the one this writer expects), so two
  writers can never fork the history;
- every row carries the writer's lease epoch and the database refuses a stale epoch or an
  expired lease (schema.events_fence), so a node that lost its lease cannot write;
- the command's idempotency key is written in the same transaction as its events;
- `pg_notify` rings a doorbell with the last seq at commit. It is only a doorbell: NOTIFY
  is not stored and does not work on a standby, so every reader reads the table.

Connections are made from a libpq URL, which may list several hosts with
`target_session_attrs=read-write`: after a database failover the next connection finds
the promoted standby.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

from .. import actor as acting
from ..errors import EngineError
from ..eventlog import pruning
from ..eventlog.chain import GENESIS
from ..eventlog.keys import key_check, load_chain_key
from ..eventlog.store import (
    SCHEMA_VERSION,
    Answered,
    IntegrityReport,
    KeyArg,
    StoreConflict,
    StoreKeyError,
    chain_rows,
)
from ..events import Event
from . import schema

CHANNEL = "zesminuten_events"


class StoreUnavailable(EngineError):
    """The database cannot be reached (or the answer to a commit was lost)."""


class LeaseLost(EngineError):
    """This node is not (or no longer) the active one: the database refused its epoch."""


def connect(url: str, **kwargs: Any) -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=3, **kwargs)
    except psycopg.OperationalError as exc:
        raise StoreUnavailable(f"database not reachable: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PostgresEventStore:
    """One node's handle on the shared log. `epoch` is set by the node while it holds the
    lease; without it the store only reads."""

    def __init__(self, url: str, key: KeyArg = "config") -> None:
        self.url = url
        self.key: bytes | None = load_chain_key() if key == "config" else key
        self.epoch: int | None = None
        self._db: psycopg.Connection | None = None
        self._next = 1
        self._heads: dict[str, str] = {}
        self._ghead = GENESIS
        db = self._conn()
        schema.migrate(db, schema.EVENTS, schema.EVENT_MIGRATIONS)
        self._check_key()
        self._load_position()

    # -- connection --------------------------------------------------------------------
    def _conn(self) -> psycopg.Connection:
        if self._db is None or self._db.closed or self._db.broken:
            self._db = connect(self.url)
        return self._db

    def _drop(self) -> None:
        if self._db is not None:
            with contextlib.suppress(psycopg.Error):
                self._db.close()
        self._db = None

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """A read, retried once on a fresh connection (the database may have failed over)."""
        for attempt in (1, 2):
            try:
                return self._conn().execute(sql, params).fetchall()  # type: ignore[arg-type]
            except psycopg.OperationalError as exc:
                self._drop()
                if attempt == 2:
                    raise StoreUnavailable(f"database not reachable: {_first_line(exc)}") from None
        raise AssertionError("unreachable")

    def _meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self._query("SELECT key, value FROM store_meta")}

    def _check_key(self) -> None:
        meta = self._meta()
        if not meta:
            values = {"schema": SCHEMA_VERSION, "keyed": "1" if self.key else "0", "head_seq": "0",
                      "head_hash": GENESIS}
            if self.key:
                values["key_check"] = key_check(self.key)
            with self._conn().transaction():
                for k, v in values.items():
                    self._conn().execute("INSERT INTO store_meta VALUES (%s, %s) ON CONFLICT DO NOTHING", (k, v))
            meta = self._meta()
        if meta.get("keyed") == "1":
            if self.key is None:
                raise StoreKeyError("the centre's event log is signed with an HMAC key; configure it "
                                    "(ZESMINUTEN_CHAIN_KEY_FILE) on every node")
            if key_check(self.key) != meta.get("key_check"):
                raise StoreKeyError("the configured chain key is not the key the centre's event log was signed with")
        else:
            self.key = None

    def _load_position(self) -> None:
        # The last seq ever written, also when retention removed it (centre/pg_retention.py).
        row = self._query("SELECT GREATEST((SELECT COALESCE(MAX(seq), 0) FROM events), "
                          "(SELECT COALESCE(MAX(seq), 0) FROM events_removed))")
        self._next = int(row[0][0]) + 1
        self._heads = {
            str(inc): str(h)
            for inc, h in self._query(
                "SELECT DISTINCT ON (incident) incident, hash FROM events ORDER BY incident, seq DESC")
        }
        last = self._query("SELECT ghash FROM events WHERE seq = %s UNION ALL "
                           "SELECT ghash FROM events_removed WHERE seq = %s", (self._next - 1, self._next - 1))
        self._ghead = str(last[0][0]) if last else GENESIS

    # -- EventStore ----------------------------------------------------------------------
    def claim_writer(self) -> None:
        pass  # the writer is whoever holds the lease; the fence in the database enforces it

    def next_seq(self) -> int:
        return self._next

    def append(self, events: Sequence[Event]) -> None:
        if not events:
            return
        if self.epoch is None:
            raise LeaseLost("this node is standby: it does not write events")
        chained, heads, g = chain_rows(events, self._next, self._heads, self._ghead, self.key)
        rows = [(*row, self.epoch) for row in chained]
        request = acting.current()
        db = self._conn()
        try:
            # One pipelined round trip: the guard (lease epoch, sequence), the rows, the head,
            # the idempotency key and the doorbell; any refusal rolls all of it back.
            with db.transaction(), db.pipeline():
                db.execute("SELECT events_append_guard(%s, %s)", (self.epoch, self._next))
                with db.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO events (seq, incident, type, time, body, prev, hash, ghash, epoch) "
                        "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)", rows)
                db.execute("UPDATE store_meta SET value = CASE key WHEN 'head_seq' THEN %s ELSE %s END "
                           "WHERE key IN ('head_seq', 'head_hash')", (str(rows[-1][0]), g))
                if request.request_key:
                    db.execute("INSERT INTO requests VALUES (%s, %s, %s, %s)",
                               (request.request_key, request.request_hash, rows[0][0], rows[-1][0]))
                db.execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(rows[-1][0])))
        except psycopg.errors.RaiseException as exc:
            if exc.sqlstate == schema.STALE_EPOCH:
                raise LeaseLost(f"leader lease lost: {_first_line(exc)}") from None
            if exc.sqlstate == schema.SEQUENCE_MOVED:
                raise StoreConflict(f"{_first_line(exc)}; nothing was saved") from None
            raise
        except psycopg.errors.UniqueViolation:
            raise StoreConflict("another node wrote the same sequence number; nothing was saved") from None
        except psycopg.OperationalError as exc:
            # The commit's answer may be lost with the connection: the node re-reads the
            # log before it writes again, and the client's retry finds its idempotency key.
            self._drop()
            raise StoreUnavailable(f"database connection lost while writing: {_first_line(exc)}") from None
        self._heads = heads
        self._ghead = g
        self._next += len(rows)

    def resync(self) -> None:
        """Start again from what the database holds (after a lost commit or a takeover)."""
        self._load_position()

    def read(self, incident: str | None = None) -> list[Event]:
        if incident is None:
            rows = self._query("SELECT body FROM events ORDER BY seq")
        else:
            rows = self._query("SELECT body FROM events WHERE incident = %s ORDER BY seq", (incident,))
        return [Event.from_json(body) for (body,) in rows]

    def read_after(self, seq: int) -> list[Event]:
        """Events after `seq` (a follower reading on); also moves this handle's position on."""
        rows = self._query("SELECT body FROM events WHERE seq > %s ORDER BY seq", (seq,))
        events = [Event.from_json(body) for (body,) in rows]
        if events and events[-1].seq >= self._next:
            self._load_position()
        return events

    def find_request(self, key: str) -> Answered | None:
        row = self._query("SELECT hash, first_seq, last_seq FROM requests WHERE key = %s", (key,))
        if not row:
            return None
        h, first, last = row[0]
        bodies = self._query("SELECT body FROM events WHERE seq BETWEEN %s AND %s ORDER BY seq", (first, last))
        return Answered(h, [Event.from_json(b) for (b,) in bodies])

    def head(self) -> tuple[int, str]:
        return self._next - 1, self._ghead

    @property
    def signed(self) -> bool:
        return self._meta().get("keyed") == "1"

    def rows(self) -> Iterable[tuple[int, str, str, str, str]]:
        """(seq, incident, body, prev, hash) in seq order: what an export carries."""
        yield from self._query("SELECT seq, incident, body, prev, hash FROM events ORDER BY seq")

    def verify(self, expected_heads: Iterable[tuple[int, str]] = ()) -> IntegrityReport:
        from . import pg_retention

        # One snapshot: a commit between the reads would look like tampering.
        db = self._conn()
        with db.transaction():
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            return pg_retention.verify(db, self.key, expected_heads)

    def retention_record(self) -> pruning.Pruned:
        """What retention removed and redacted in this store, checked (eventlog/pruning.py)."""
        from . import pg_retention

        return pg_retention.record(self._conn(), self.key if self.signed else None)

    def close(self) -> None:
        self._drop()
