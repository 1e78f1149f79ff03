"""Responder web app accounts: one-time sign-in codes, sessions and a responder's settings.

A responder signs in with a link that carries a one-time code (`responder-link`, or a
workstation's `POST /v1/responders/{id}/sign-in-link`). The page exchanges the code once
for a session token and keeps that token; only SHA-256 digests of codes and tokens are
stored, so a copy of this table signs nobody in. The secrets are 256 random bits, which
is why a fast digest suffices (there is nothing to guess a slow hash would protect).

Where it is kept: next to the event store. A SQLite event store `events.sqlite` gets
`events-responder-app.sqlite` beside it (not a table in the event store itself: that file
has one writer, a hash chain and `verify`, and must not hold mutable rows); a PostgreSQL
store gets three tables, migrated as component `responder_app` (schema.migrate), so every
node of a centre knows every session.

The same SQL runs on both (text times in UTC ISO form, 0/1 flags), so the two cannot drift.
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from ..errors import InvalidInput

COMPONENT = "responder_app"
CODE_VALID = timedelta(hours=72)     # a link sent by SMS or e-mail must survive a weekend
SESSION_VALID = timedelta(days=180)  # a volunteer signs in again twice a year
LANGUAGES = ("nl", "en")

_TABLES = (
    """CREATE TABLE IF NOT EXISTS app_signin_codes (
        digest     text PRIMARY KEY,
        responder  text NOT NULL,
        created_at text NOT NULL,
        expires_at text NOT NULL,
        used_at    text
    )""",
    """CREATE TABLE IF NOT EXISTS app_sessions (
        digest     text PRIMARY KEY,
        responder  text NOT NULL,
        created_at text NOT NULL,
        expires_at text NOT NULL,
        revoked_at text
    )""",
    "CREATE INDEX IF NOT EXISTS app_sessions_responder ON app_sessions (responder)",
    """CREATE TABLE IF NOT EXISTS app_preferences (
        responder      text PRIMARY KEY,
        available      integer NOT NULL,
        share_location integer NOT NULL,
        language       text NOT NULL,
        updated_at     text NOT NULL
    )""",
)
# PostgreSQL: the same tables as one numbered migration of this component.
MIGRATIONS: tuple[str, ...] = (";\n".join(_TABLES),)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Preferences:
    available: bool = True          # off: the responder is not selected for alarms
    share_location: bool = False    # consent, off until given: GPS while on the way to an alarm
    language: str = "nl"

    def as_dict(self) -> dict[str, Any]:
        return {"available": self.available, "share_location": self.share_location, "language": self.language}


@dataclass(frozen=True, slots=True)
class Redeemed:
    responder: str
    token: str
    expires_at: datetime


class RedeemRefused(InvalidInput):
    """A code that signs nobody in: `reason` is unknown, used or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"sign-in code {reason}")
        self.reason = reason


class _Db(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def transaction(self) -> Any: ...

    def close(self) -> None: ...


class _Sqlite:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=10000")
        self._lock = threading.RLock()
        for sql in _TABLES:
            self._db.execute(sql)
        path.chmod(0o600)  # digests only, but nobody else's business who has an account

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(params)).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Postgres:
    """One connection under a lock, opened again after the database failed over."""

    def __init__(self, url: str) -> None:
        from .schema import migrate

        self.url = url
        self._lock = threading.RLock()
        self._conn: Any = None
        self._in_tx = False
        migrate(self._connection(), COMPONENT, MIGRATIONS)

    def _connection(self) -> Any:
        from .pg_store import connect

        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = connect(self.url)
        return self._conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        import psycopg

        from .pg_store import StoreUnavailable

        with self._lock:
            for attempt in (1, 2):
                try:
                    cur = self._connection().execute(sql.replace("?", "%s"), tuple(params))  # type: ignore[arg-type]
                    return list(cur.fetchall()) if cur.description else []
                except psycopg.OperationalError as exc:
                    self._conn = None
                    # Outside a transaction one retry on a new connection is safe: every
                    # statement here is either a read or an idempotent single-row write.
                    if attempt == 2 or self._in_tx:
                        raise StoreUnavailable(f"responder accounts: {exc}") from None
            raise AssertionError("unreachable")

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            conn = self._connection()
            self._in_tx = True
            try:
                with conn.transaction():
                    yield
            finally:
                self._in_tx = False

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()


def side_file(store: str | Path) -> Path:
    """Where a SQLite event store's responder accounts are kept: beside it."""
    p = Path(store)
    return p.with_name(f"{p.stem}-responder-app.sqlite")


class ResponderAccounts:
    def __init__(self, store: str | Path, clock: Callable[[], datetime] | None = None) -> None:
        text = str(store)
        self._now = clock or (lambda: datetime.now(UTC))
        self._db: _Db = _Postgres(text) if text.startswith(("postgresql://", "postgres://")) else _Sqlite(side_file(text))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResponderAccounts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sign-in -----------------------------------------------------------------------
    def issue_code(self, responder: str, valid_for: timedelta = CODE_VALID) -> tuple[str, datetime]:
        """A new one-time code for `responder` (shown once, stored only as its digest)."""
        if valid_for <= timedelta(0):
            raise InvalidInput("valid_for: must be positive")
        code = secrets.token_urlsafe(32)
        now = self._now()
        expires = now + valid_for
        self._db.execute("INSERT INTO app_signin_codes (digest, responder, created_at, expires_at) VALUES (?, ?, ?, ?)",
                         (digest(code), responder, _iso(now), _iso(expires)))
        return code, expires

    def redeem(self, code: str, valid_for: timedelta = SESSION_VALID) -> Redeemed:
        """Exchange a code for a session, once: the code is marked used in the same
        transaction that creates the session, so two pages racing with one link get one."""
        now = self._now()
        key = digest(code)
        token = secrets.token_urlsafe(32)
        expires = now + valid_for
        with self._db.transaction():
            rows = self._db.execute(
                "UPDATE app_signin_codes SET used_at = ? WHERE digest = ? AND used_at IS NULL AND expires_at > ? "
                "RETURNING responder", (_iso(now), key, _iso(now)))
            if not rows:
                found = self._db.execute("SELECT used_at FROM app_signin_codes WHERE digest = ?", (key,))
                raise RedeemRefused("unknown" if not found else "used" if found[0][0] else "expired")
            responder = str(rows[0][0])
            self._db.execute("INSERT INTO app_sessions (digest, responder, created_at, expires_at) VALUES (?, ?, ?, ?)",
                             (digest(token), responder, _iso(now), _iso(expires)))
        return Redeemed(responder, token, expires)

    def session(self, token: str) -> str | None:
        """The responder a session token stands for, or None (unknown, revoked, expired)."""
        rows = self._db.execute(
            "SELECT responder FROM app_sessions WHERE digest = ? AND revoked_at IS NULL AND expires_at > ?",
            (digest(token), _iso(self._now())))
        return str(rows[0][0]) if rows else None

    def has_session(self, responder: str) -> bool:
        """Whether this responder's web app is signed in somewhere (a session that still works)."""
        return bool(self._db.execute("SELECT 1 FROM app_sessions WHERE responder = ? AND revoked_at IS NULL "
                                     "AND expires_at > ? LIMIT 1", (responder, _iso(self._now()))))

    def revoke(self, token: str) -> None:
        self._db.execute("UPDATE app_sessions SET revoked_at = ? WHERE digest = ? AND revoked_at IS NULL",
                         (_iso(self._now()), digest(token)))

    def revoke_all(self, responder: str) -> int:
        """Sign a responder out everywhere (a lost phone); also voids their unused links."""
        now = _iso(self._now())
        with self._db.transaction():
            n = len(self._db.execute("UPDATE app_sessions SET revoked_at = ? WHERE responder = ? AND revoked_at IS NULL "
                                     "RETURNING digest", (now, responder)))
            self._db.execute("UPDATE app_signin_codes SET used_at = ? WHERE responder = ? AND used_at IS NULL",
                             (now, responder))
        return n

    # -- settings ----------------------------------------------------------------------
    def preferences(self, responder: str) -> Preferences:
        rows = self._db.execute("SELECT available, share_location, language FROM app_preferences WHERE responder = ?",
                                (responder,))
        if not rows:
            return Preferences()
        available, share, language = rows[0]
        return Preferences(bool(available), bool(share), str(language))

    def set_preferences(self, responder: str, available: bool | None = None, share_location: bool | None = None,
                        language: str | None = None) -> Preferences:
        if language is not None and language not in LANGUAGES:
            raise InvalidInput(f"language: use one of {', '.join(LANGUAGES)}")
        with self._db.transaction():
            old = self.preferences(responder)
            new = Preferences(old.available if available is None else available,
                              old.share_location if share_location is None else share_location,
                              old.language if language is None else language)
            self._db.execute(
                "INSERT INTO app_preferences (responder, available, share_location, language, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (responder) DO UPDATE SET available = excluded.available, "
                "share_location = excluded.share_location, language = excluded.language, "
                "updated_at = excluded.updated_at",
                (responder, int(new.available), int(new.share_location), new.language, _iso(self._now())))
        return new

    def remove_expired(self, before: datetime) -> dict[str, int]:
        """Retention: sign-in codes and sessions that stopped working before `before`."""
        cut = _iso(before)
        with self._db.transaction():
            codes = len(self._db.execute("DELETE FROM app_signin_codes WHERE coalesce(used_at, expires_at) < ? "
                                         "OR expires_at < ? RETURNING digest", (cut, cut)))
            sessions = len(self._db.execute("DELETE FROM app_sessions WHERE coalesce(revoked_at, expires_at) < ? "
                                            "OR expires_at < ? RETURNING digest", (cut, cut)))
        return {"app_signin_codes": codes, "app_sessions": sessions}

    def account_of(self, responder: str) -> dict[str, Any]:
        """What the accounts store holds about one responder (a data-subject export): no secrets."""
        sessions = self._db.execute("SELECT created_at, expires_at, revoked_at FROM app_sessions WHERE responder = ? "
                                    "ORDER BY created_at", (responder,))
        codes = self._db.execute("SELECT created_at, expires_at, used_at FROM app_signin_codes WHERE responder = ? "
                                 "ORDER BY created_at", (responder,))
        return {"preferences": self.preferences(responder).as_dict(),
                "sessions": [{"created_at": c, "expires_at": e, "revoked_at": r} for c, e, r in sessions],
                "sign_in_links": [{"created_at": c, "expires_at": e, "used_at": u} for c, e, u in codes]}

    def unavailable(self) -> set[str]:
        """Responders who switched themselves off (a small set; read whole on every poll)."""
        return {str(r[0]) for r in self._db.execute("SELECT responder FROM app_preferences WHERE available = 0")}


# -- `zesminuten-engine responder-link` -------------------------------------------------------
def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "responder-link", help="a one-time sign-in link for a responder's web app",
        description="Print a one-time sign-in link for the responder web app of a centre service. "
                    "The link signs in once; send it to the responder only (SMS, e-mail).")
    p.add_argument("responder", help="the responder's registry id, e.g. R000123")
    p.add_argument("--store", required=True, help="the service's event store (SQLite path or postgresql:// URL)")
    p.add_argument("--url", default="http://127.0.0.1:8750", help="the service's address as responders reach it")
    p.add_argument("--registry", default=None, help="check that the id is in this registry (store, scenario or 'demo')")
    p.add_argument("--valid-hours", type=float, default=CODE_VALID.total_seconds() / 3600,
                   help=f"how long the link may be used (default {CODE_VALID.total_seconds() / 3600:g})")
    p.add_argument("--revoke", action="store_true", help="instead: sign this responder out everywhere")
    p.set_defaults(func=cmd_responder_link)


def link_for(base_url: str, code: str) -> str:
    # The code rides in the fragment: a browser never sends it to a server, so it is in no
    # access log, proxy log or Referer header; the page reads it and exchanges it.
    return f"{base_url.rstrip('/')}/app/#code={code}"


def cmd_responder_link(args: argparse.Namespace) -> int:
    if args.registry:
        from .serve import load_registry

        registry, _ = load_registry(args.registry)
        if registry.responder_index(args.responder) is None:
            raise InvalidInput(f"{args.responder}: not a responder in {args.registry}")
    if not str(args.store).startswith(("postgresql://", "postgres://")) and not Path(args.store).exists():
        raise InvalidInput(f"--store: {args.store}: no such event store")
    with ResponderAccounts(args.store) as accounts:
        if args.revoke:
            n = accounts.revoke_all(args.responder)
            print(f"{args.responder}: {n} session(s) signed out, unused links voided")
            return 0
        code, expires = accounts.issue_code(args.responder, timedelta(hours=args.valid_hours))
    print(link_for(args.url, code))
    print(f"valid until {expires.astimezone():%Y-%m-%d %H:%M} (once)", flush=True)
    return 0
