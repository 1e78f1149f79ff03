"""The fenced leader lease: exactly one `serve` node of a centre is active.

A single row (`leader_lease`: holder, epoch, expires_at) in the shared database. A node
takes it only when it has expired, and taking it raises the epoch; the active node renews
it well before it runs out. Every event row carries the writer's epoch and the database
refuses a stale one (schema.events_fence), so a node that was paused, cut off or simply
slow cannot write after another took over, even if it still believes it is active.
Expiry is judged by the database's clock alone, so the nodes' clocks do not matter.

Session advisory locks would not do: they vanish with a connection and with a database
failover, and they fence nothing.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import psycopg

from .pg_store import StoreUnavailable, connect

TTL_S = 3.0        # a dead node's lease runs out within this; with the poll below, takeover ≤ ~4 s
RENEW_EVERY_S = 0.5
POLL_EVERY_S = 0.5


@dataclass
class Lease:
    url: str
    node: str
    ttl_s: float = TTL_S
    epoch: int | None = None

    def __post_init__(self) -> None:
        self._db: psycopg.Connection | None = None

    def _conn(self) -> psycopg.Connection:
        if self._db is None or self._db.closed or self._db.broken:
            self._db = connect(self.url)
        return self._db

    def _run(self, sql: str, params: tuple[object, ...]) -> tuple[object, ...] | None:
        try:
            return self._conn().execute(sql, params).fetchone()  # type: ignore[arg-type]
        except psycopg.OperationalError as exc:
            if self._db is not None:
                self._db.close()
            self._db = None
            raise StoreUnavailable(f"database not reachable: {exc}".splitlines()[0]) from None

    def try_acquire(self) -> int | None:
        """Take the lease if it is free or has run out; the new epoch, or None."""
        row = self._run(
            "UPDATE leader_lease SET holder = %s, epoch = epoch + 1, "
            "expires_at = clock_timestamp() + make_interval(secs => %s) "
            "WHERE id = 1 AND expires_at < clock_timestamp() RETURNING epoch",
            (self.node, self.ttl_s))
        self.epoch = int(row[0]) if row else None  # type: ignore[call-overload]
        return self.epoch

    def renew(self) -> bool:
        """Extend our lease; False when it is no longer ours (taken over, or it ran out)."""
        if self.epoch is None:
            return False
        row = self._run(
            "UPDATE leader_lease SET expires_at = clock_timestamp() + make_interval(secs => %s) "
            "WHERE id = 1 AND holder = %s AND epoch = %s AND expires_at >= clock_timestamp() RETURNING epoch",
            (self.ttl_s, self.node, self.epoch))
        if row is None:
            self.epoch = None
        return row is not None

    def release(self) -> None:
        """Give the lease up at once (a clean stop), so a standby need not wait for expiry."""
        if self.epoch is None:
            return
        with contextlib.suppress(StoreUnavailable):
            self._run("UPDATE leader_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = %s AND epoch = %s "
                      "RETURNING epoch", (self.node, self.epoch))
        self.epoch = None

    def holder(self) -> tuple[str, int, bool]:
        row = self._run("SELECT holder, epoch, expires_at >= clock_timestamp() FROM leader_lease WHERE id = 1", ())
        assert row is not None
        return str(row[0]), int(row[1]), bool(row[2])  # type: ignore[call-overload]

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
        self._db = None
