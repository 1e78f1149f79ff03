"""One-time links for the AED manager's check-back page (issue 15).

Each message to a manager carries a fresh code (256 random bits, in the link's fragment, so
in no server or proxy log); only its SHA-256 digest is kept. A code opens the page of its
AED as often as needed and is used up by the first answer: that answer uses up every other
open link of the same AED too (the reminders' links). Kept beside a SQLite event store in
`<store>-aed-checks.sqlite`, on PostgreSQL in `aed_check_links` (migration component
`aed_check`), so every node knows every link.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from .responder_accounts import _iso, digest
from .side_db import side_db

COMPONENT = "aed_check"
LINK_VALID = timedelta(days=14)  # the 72 h reminder's link must outlive a holiday week
_TABLE = """CREATE TABLE IF NOT EXISTS aed_check_links (
    digest     text PRIMARY KEY,
    aed        text NOT NULL,
    incident   text NOT NULL,
    round      text NOT NULL,
    created_at text NOT NULL,
    expires_at text NOT NULL,
    used_at    text
)"""
_INDEX = "CREATE INDEX IF NOT EXISTS aed_check_links_aed ON aed_check_links (aed)"


@dataclass(frozen=True, slots=True)
class Link:
    aed: str
    incident: str
    round: str


class LinkRefused(InvalidInput):
    """A code that opens nothing: `reason` is unknown, used or expired."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"code: this link is {reason}")
        self.reason = reason


class AedCheckLinks:
    def __init__(self, store: str | Path, clock: Callable[[], datetime] | None = None) -> None:
        text = str(store)
        self._now = clock or (lambda: datetime.now(UTC))
        self._db: Any = side_db(text, "aed-checks", COMPONENT, (_TABLE, _INDEX))
        # One answer per link even with two phones racing: look-up, write and use-up in one go.
        self.answering = threading.Lock()

    def close(self) -> None:
        self._db.close()

    def issue(self, aed: str, incident: str, round_: str, valid_for: timedelta = LINK_VALID) -> str:
        code = secrets.token_urlsafe(32)
        now = self._now()
        self._db.execute("INSERT INTO aed_check_links (digest, aed, incident, round, created_at, expires_at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (digest(code), aed, incident, round_, _iso(now),
                                                        _iso(now + valid_for)))
        return code

    def lookup(self, code: str) -> Link:
        if not isinstance(code, str) or not 20 <= len(code) <= 100:
            raise LinkRefused("unknown")
        rows = self._db.execute("SELECT aed, incident, round, expires_at, used_at FROM aed_check_links "
                                "WHERE digest = ?", (digest(code),))
        if not rows:
            raise LinkRefused("unknown")
        aed, incident, round_, expires, used = rows[0]
        if used:
            raise LinkRefused("used")
        if str(expires) <= _iso(self._now()):
            raise LinkRefused("expired")
        return Link(str(aed), str(incident), str(round_))

    def use_up(self, aed: str) -> int:
        """After an answer: every open link of this AED is used."""
        return len(self._db.execute("UPDATE aed_check_links SET used_at = ? WHERE aed = ? AND used_at IS NULL "
                                    "RETURNING digest", (_iso(self._now()), aed)))

    def remove_expired(self, before: datetime) -> int:
        """Retention: links that expired before `before` are of no use to anyone."""
        return len(self._db.execute("DELETE FROM aed_check_links WHERE expires_at < ? RETURNING digest",
                                    (_iso(before),)))


def link_for(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/app/aed-check.html#code={code}"
