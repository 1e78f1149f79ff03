"""Responders' push subscriptions and phone numbers on PostgreSQL (`responder_channels`).

Shared by every node: a subscription registered through any node (the web app may talk to
a standby) is what the active node's gateways use, and it survives a failover. Read once
per alarm, for all its responders in one query. Personal data: the table is the only
place it is kept; nothing of it is written to events or logs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from typing import Any

import psycopg

from ..channels.contacts import KINDS
from . import schema
from .pg_store import StoreUnavailable, connect

COMPONENT = "channels"
MIGRATIONS: tuple[str, ...] = (
    # 1: one address per responder and kind ("app": a push subscription, "phone": E.164).
    """
    CREATE TABLE responder_channels (
        responder  text NOT NULL,
        kind       text NOT NULL CHECK (kind IN ('app', 'phone')),
        address    jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (responder, kind)
    );
    """,
)


class PgDirectory:
    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()  # one connection, used from the HTTP and channel threads
        self._db: psycopg.Connection | None = None
        with self._lock:
            schema.migrate(self._conn(), COMPONENT, MIGRATIONS)

    def _conn(self) -> psycopg.Connection:
        if self._db is None or self._db.closed or self._db.broken:
            self._db = connect(self.url)
        return self._db

    def _run(self, sql: str, params: Any) -> list[tuple[Any, ...]]:
        with self._lock:
            for attempt in (1, 2):  # once more on a fresh connection: the database may have failed over
                try:
                    cur = self._conn().execute(sql, params)  # type: ignore[arg-type]
                    return cur.fetchall() if cur.description else []
                except psycopg.OperationalError as exc:
                    self._db = None
                    if attempt == 2:
                        raise StoreUnavailable(f"database not reachable: {str(exc).splitlines()[0]}") from None
        return []

    def store(self, responder: str, kind: str, address: Any) -> None:
        assert kind in KINDS
        self._run("INSERT INTO responder_channels (responder, kind, address) VALUES (%s, %s, %s) "
                  "ON CONFLICT (responder, kind) DO UPDATE SET address = EXCLUDED.address, updated_at = now()",
                  (responder, kind, json.dumps(address)))

    def lookup(self, responders: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = list(responders)
        if not wanted:
            return {}
        out: dict[str, dict[str, Any]] = {}
        for rid, kind, address in self._run(
                "SELECT responder, kind, address FROM responder_channels WHERE responder = ANY(%s)", (wanted,)):
            out.setdefault(str(rid), {})[str(kind)] = address
        return out

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
            self._db = None
