"""What retention removed from or redacted in an event store, kept so the hash chains still verify.

Retention (docs/retention.md) never re-hashes anything. A removed event leaves its chain
values (seq, incident, type, time, prev, hash, ghash; no body) in `events_removed`, so the
incident chains, the store-wide chain and every head recorded earlier still check; a
redacted event keeps its row with a new body and the SHA-256 of that body in
`events_redacted`. Each run is a row of `retention_runs` (its time, policy, counts and the
digest of exactly what it touched), hash-chained (HMAC with the store's key) so a row added
to these tables afterwards to hide an edit breaks the run's digest or the runs' chain.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .chain import GENESIS, chain_hash

SCHEMA = """
CREATE TABLE IF NOT EXISTS retention_runs (
    id       INTEGER PRIMARY KEY,
    time     TEXT NOT NULL,
    policy   TEXT NOT NULL,
    removed  INTEGER NOT NULL,
    redacted INTEGER NOT NULL,
    digest   TEXT NOT NULL,
    prev     TEXT NOT NULL,
    hash     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events_removed (
    seq      INTEGER PRIMARY KEY,
    incident TEXT NOT NULL,
    type     TEXT NOT NULL,
    time     TEXT NOT NULL,
    prev     TEXT NOT NULL,
    hash     TEXT NOT NULL,
    ghash    TEXT,
    run      INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events_redacted (
    seq       INTEGER PRIMARY KEY,
    body_hash TEXT NOT NULL,
    run       INTEGER NOT NULL
);
"""


def body_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def run_digest(removed: Sequence[tuple[int, str]], redacted: Sequence[tuple[int, str]]) -> str:
    lines = [f"removed {s} {h}" for s, h in sorted(removed)] + [f"redacted {s} {h}" for s, h in sorted(redacted)]
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def run_body(run_id: int, time: str, policy: str, removed: int, redacted: int, digest: str) -> str:
    return json.dumps({"id": run_id, "time": time, "policy": policy, "removed": removed, "redacted": redacted,
                       "digest": digest}, sort_keys=True, separators=(",", ":"))


def ensure_tables(db: sqlite3.Connection) -> None:
    """Outside any transaction: executescript commits what is open."""
    db.executescript(SCHEMA)


def has_tables(db: sqlite3.Connection) -> bool:
    return bool(db.execute("SELECT 1 FROM sqlite_master WHERE name='retention_runs'").fetchone())


@dataclass(frozen=True)
class Run:
    id: int
    time: str
    policy: Mapping[str, Any]
    removed: int
    redacted: int
    hash: str


@dataclass
class Pruned:
    """What the store's retention tables say, checked: removed seqs, redacted bodies' hashes."""

    removed: set[int] = field(default_factory=set)
    redacted: dict[int, str] = field(default_factory=dict)
    runs: list[Run] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# The same three reads on SQLite and PostgreSQL (alert_engine/centre/pg_retention.py).
REMOVED_SQL = "SELECT seq, hash, run FROM events_removed"
REDACTED_SQL = "SELECT seq, body_hash, run FROM events_redacted"
RUNS_SQL = "SELECT id, time, policy, removed, redacted, digest, prev, hash FROM retention_runs ORDER BY id"


def load(db: sqlite3.Connection, key: bytes | None) -> Pruned:
    if not has_tables(db):
        return Pruned()
    return check_record(db.execute(REMOVED_SQL), db.execute(REDACTED_SQL), db.execute(RUNS_SQL), key)


def check_record(removed_rows: Iterable[Sequence[Any]], redacted_rows: Iterable[Sequence[Any]],
                 run_rows: Iterable[Sequence[Any]], key: bytes | None) -> Pruned:
    """The retention tables' rows (REMOVED_SQL, REDACTED_SQL, RUNS_SQL), checked against the runs' chain."""
    out = Pruned()
    removed_by: dict[int, list[tuple[int, str]]] = {}
    redacted_by: dict[int, list[tuple[int, str]]] = {}
    for seq, digest, run in removed_rows:
        out.removed.add(int(seq))
        removed_by.setdefault(int(run), []).append((int(seq), str(digest)))
    for seq, digest, run in redacted_rows:
        out.redacted[int(seq)] = str(digest)
        redacted_by.setdefault(int(run), []).append((int(seq), str(digest)))
    prev = GENESIS
    known: set[int] = set()
    for run_id, time, policy, removed, redacted, digest, row_prev, row_hash in run_rows:
        known.add(int(run_id))
        rem, red = removed_by.get(int(run_id), []), redacted_by.get(int(run_id), [])
        if row_prev != prev or chain_hash(prev, run_body(run_id, time, policy, removed, redacted, digest), key) != row_hash:
            out.problems.append(f"retention run {run_id}: its record was changed or inserted afterwards")
        if (len(rem), len(red)) != (removed, redacted) or run_digest(rem, red) != digest:
            out.problems.append(f"retention run {run_id}: the events it removed or redacted are not what it recorded")
        prev = str(row_hash)
        out.runs.append(Run(int(run_id), str(time), json.loads(policy), int(removed), int(redacted), str(row_hash)))
    for run in sorted((set(removed_by) | set(redacted_by)) - known):
        out.problems.append(f"events marked as removed or redacted by retention run {run}, which does not exist")
    return out


def apply(db: sqlite3.Connection, key: bytes | None, time: str, policy: Mapping[str, Any],
          remove: Sequence[int], redact: Mapping[int, str]) -> Run:
    """Inside the caller's write transaction (after `ensure_tables`): move `remove` to
    events_removed, give `redact` (never redacted before) their new bodies, record the run."""
    last = db.execute("SELECT id, hash FROM retention_runs ORDER BY id DESC LIMIT 1").fetchone()
    run_id, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    removed: list[tuple[int, str]] = []
    for seq in remove:
        row = db.execute("SELECT seq, incident, type, time, prev, hash, ghash FROM events WHERE seq=?", (seq,)).fetchone()
        if row is None:
            continue
        db.execute("INSERT INTO events_removed VALUES (?,?,?,?,?,?,?,?)", (*row, run_id))
        db.execute("DELETE FROM events WHERE seq=?", (seq,))
        removed.append((int(row[0]), str(row[5])))
    redacted: list[tuple[int, str]] = []
    for seq, body in sorted(redact.items()):
        digest = body_hash(body)
        db.execute("UPDATE events SET body=? WHERE seq=?", (body, seq))
        db.execute("INSERT INTO events_redacted VALUES (?,?,?)", (seq, digest, run_id))
        redacted.append((seq, digest))
    policy_text = json.dumps(dict(policy), sort_keys=True, separators=(",", ":"))
    digest = run_digest(removed, redacted)
    row_hash = chain_hash(prev, run_body(run_id, time, policy_text, len(removed), len(redacted), digest), key)
    db.execute("INSERT INTO retention_runs VALUES (?,?,?,?,?,?,?,?)",
               (run_id, time, policy_text, len(removed), len(redacted), digest, prev, row_hash))
    return Run(run_id, time, dict(policy), len(removed), len(redacted), row_hash)
