"""A small mutable store beside the event store: a SQLite file next to a SQLite event store
(never a table in it: that file has one writer, a hash chain and `verify`), or tables on
the centre's PostgreSQL migrated as a named component. The same SQL runs on both."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .responder_accounts import _Postgres


class SideSqlite:
    def __init__(self, path: Path, tables: Sequence[str]) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._lock = threading.RLock()
        for sql in tables:
            self._db.execute(sql)
        path.chmod(0o600)

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


class SidePostgres(_Postgres):
    def __init__(self, url: str, component: str, tables: Sequence[str]) -> None:
        from .schema import migrate

        super().__init__(url)
        migrate(self._connection(), component, (";\n".join(tables),))


def side_db(store: str | Path, suffix: str, component: str, tables: Sequence[str]) -> Any:
    text = str(store)
    if text.startswith(("postgresql://", "postgres://")):
        return SidePostgres(text, component, tables)
    p = Path(text)
    return SideSqlite(p.with_name(f"{p.stem}-{suffix}.sqlite"), tables)
