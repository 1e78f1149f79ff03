"""The centre's dead letters: refused intake messages in the shared database.

A node keeps nothing of its own: the active node writes each refused message here and
every node (a standby serving a console's query, a node that took over, a restarted one)
reads the same list. On a SQLite store it is a file beside it (side_db.py). Bounded: the
newest KEEP messages stay, older ones are counted as dropped, so a sender stuck in a loop
of bad messages cannot fill the disk.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..intake.deadletter import DEFAULT_LIMIT, DeadLetter, DeadLetters
from .side_db import side_db

KEEP = 1000
_TABLES = (
    "CREATE TABLE IF NOT EXISTS intake_dead_letters (n INTEGER PRIMARY KEY, received TEXT NOT NULL, source TEXT, field TEXT NOT NULL, "
    "error TEXT NOT NULL, body TEXT NOT NULL, truncated INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS intake_dead_letter_count (id INTEGER PRIMARY KEY, refused INTEGER NOT NULL)",
)


class DeadLetterStore:
    def __init__(self, store: str | Path) -> None:
        self._db: Any = side_db(store, "dead-letters", "intake_dead_letters", _TABLES)

    def add(self, letter: DeadLetter) -> None:
        with self._db.transaction():
            # n: the order they were refused in (the clock may give two the same second).
            self._db.execute("INSERT INTO intake_dead_letter_count VALUES (1, 1) "
                             "ON CONFLICT (id) DO UPDATE SET refused = intake_dead_letter_count.refused + 1")
            n = int(self._db.execute("SELECT refused FROM intake_dead_letter_count WHERE id = 1")[0][0])
            self._db.execute("INSERT INTO intake_dead_letters VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (n, letter.received.astimezone(UTC).isoformat(), letter.source, letter.field,
                              letter.error, letter.text, int(letter.truncated)))  # fmt: skip
            self._db.execute("DELETE FROM intake_dead_letters WHERE n <= ?", (n - KEEP,))

    def letters(self, limit: int = DEFAULT_LIMIT) -> DeadLetters:
        """The newest `limit`, oldest first (as DeadLetters keeps them), and how many more were refused."""
        rows = self._db.execute("SELECT received, source, field, error, body, truncated FROM intake_dead_letters "
                                "ORDER BY n DESC LIMIT ?", (limit,))
        count = self._db.execute("SELECT refused FROM intake_dead_letter_count WHERE id = 1")
        refused = int(count[0][0]) if count else 0
        entries = tuple(DeadLetter(received=datetime.fromisoformat(r[0]), source=r[1], field=r[2], error=r[3],
                                   text=r[4], truncated=bool(r[5])) for r in reversed(rows))  # fmt: skip
        return DeadLetters(entries=entries, dropped=max(0, refused - len(entries)), limit=limit)

    def close(self) -> None:
        close = getattr(self._db, "close", None)
        if close is not None:
            close()
