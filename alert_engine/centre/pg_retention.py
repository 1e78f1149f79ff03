"""Retention on the centre's PostgreSQL database (docs/retention.md), in one transaction.

The nodes hold the log in memory, so a run is a maintenance window: it refuses while any
node holds a live leader lease, and for its own transaction it takes the lease as
`retention` (row locked FOR UPDATE, epoch raised): no node can take over or write until it
commits, and a node from before is fenced by the raised epoch. Inside that transaction, and
only there, the log's append-only trigger lets a row go whose chain values were just kept
in `events_removed`, or a body change whose hash was just kept in `events_redacted`
(schema.py, migration 3). The side tables expire in the same transaction, and the lease is
released at its end: a run is applied whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import psycopg

from ..eventlog import pruning
from ..eventlog.chain import GENESIS, chain_hash
from ..eventlog.store import IntegrityReport, StoreInUse, check_history
from ..events import Event
from . import schema

LOCK_FOR_S = 3600  # the trigger's check of the lease; the row lock is what keeps nodes out


def has_table(db: psycopg.Connection, name: str) -> bool:
    row = db.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
    return bool(row and row[0])


def record(db: psycopg.Connection, key: bytes | None) -> pruning.Pruned:
    """What retention removed and redacted in this database, checked (eventlog/pruning.py)."""
    if not has_table(db, "retention_runs"):
        return pruning.Pruned()
    return pruning.check_record(db.execute(pruning.REMOVED_SQL).fetchall(), db.execute(pruning.REDACTED_SQL).fetchall(),
                                db.execute(pruning.RUNS_SQL).fetchall(), key)


def verify(db: psycopg.Connection, key: bytes | None, expected_heads: Iterable[tuple[int, str]] = ()) -> IntegrityReport:
    """The store's check over the kept and the removed rows, as the SQLite store's verify()."""
    meta = {str(k): str(v) for k, v in db.execute("SELECT key, value FROM store_meta").fetchall()}
    count = int(db.execute("SELECT COUNT(*) FROM events").fetchone()[0])  # type: ignore[index]
    if meta.get("head_seq") == "0" and not count:
        meta.pop("head_seq")
    signed = key if meta.get("keyed") == "1" else None
    sql = "SELECT seq, incident, type, time, body, prev, hash, ghash FROM events"
    if has_table(db, "events_removed"):  # removed rows take part in the chains without a body
        sql += " UNION ALL SELECT seq, incident, type, time, NULL, prev, hash, ghash FROM events_removed"
    rows = db.execute(sql + " ORDER BY seq").fetchall()  # type: ignore[arg-type]
    return check_history(rows, count, meta, key, expected_heads, record(db, signed))  # type: ignore[arg-type]


def read_events(db: psycopg.Connection) -> list[Event]:
    return [Event.from_json(body) for (body,) in db.execute("SELECT body FROM events ORDER BY seq").fetchall()]


def take_lease(db: psycopg.Connection) -> None:
    """Inside the run's transaction: refuse while a node is active, else hold the lease."""
    row = db.execute("SELECT holder, epoch, expires_at >= clock_timestamp() FROM leader_lease WHERE id = 1 "
                     "FOR UPDATE").fetchone()
    assert row is not None
    holder, epoch, live = row
    if live:
        raise StoreInUse(f"--store: serve node {holder!r} holds the centre's leader lease (epoch {epoch}): "
                         "retention runs in a maintenance window; stop every serve node of the centre first "
                         "(docs/retention.md)")
    db.execute("UPDATE leader_lease SET holder = %s, epoch = epoch + 1, "
               "expires_at = clock_timestamp() + make_interval(secs => %s) WHERE id = 1",
               (schema.RETENTION_HOLDER, LOCK_FOR_S))


def release_lease(db: psycopg.Connection) -> None:
    # The epoch stays raised: a node that held the lease before this run cannot write with it.
    db.execute("UPDATE leader_lease SET expires_at = '-infinity' WHERE id = 1 AND holder = %s",
               (schema.RETENTION_HOLDER,))


def apply(db: psycopg.Connection, key: bytes | None, time: str, policy: Mapping[str, Any],
          remove: Sequence[int], redact: Mapping[int, str]) -> pruning.Run:
    """Inside the run's transaction, after take_lease: the same record as pruning.apply on SQLite."""
    last = db.execute("SELECT id, hash FROM retention_runs ORDER BY id DESC LIMIT 1").fetchone()
    run_id, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    db.execute("SELECT set_config('zesminuten.retention_run', %s, true)", (str(run_id),))  # this transaction only
    db.execute("INSERT INTO events_removed SELECT seq, incident, type, time, prev, hash, ghash, %s FROM events "
               "WHERE seq = ANY(%s)", (run_id, list(remove)))
    gone = db.execute("DELETE FROM events WHERE seq = ANY(%s) RETURNING seq, hash", (list(remove),)).fetchall()
    removed = [(int(s), str(h)) for s, h in gone]
    redacted: list[tuple[int, str]] = []
    for seq, body in sorted(redact.items()):
        digest = pruning.body_hash(body)
        db.execute("INSERT INTO events_redacted VALUES (%s, %s, %s)", (seq, digest, run_id))
        db.execute("UPDATE events SET body = %s WHERE seq = %s", (body, seq))
        redacted.append((seq, digest))
    # An idempotency key whose events are all gone answers nothing any more.
    db.execute("DELETE FROM requests q WHERE NOT EXISTS "
               "(SELECT 1 FROM events e WHERE e.seq BETWEEN q.first_seq AND q.last_seq)")
    policy_text = json.dumps(dict(policy), sort_keys=True, separators=(",", ":"))
    digest = pruning.run_digest(removed, redacted)
    row_hash = chain_hash(prev, pruning.run_body(run_id, time, policy_text, len(removed), len(redacted), digest), key)
    db.execute("INSERT INTO retention_runs VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
               (run_id, time, policy_text, len(removed), len(redacted), digest, prev, row_hash))
    return pruning.Run(run_id, time, dict(policy), len(removed), len(redacted), row_hash)
