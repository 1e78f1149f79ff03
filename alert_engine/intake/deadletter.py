"""Messages that were refused: kept (text, error, time) so the console can show them.

A bounded value: the newest `limit` entries, and a count of the older ones dropped, so
a sender stuck in a loop of bad messages cannot fill memory or the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..errors import InvalidInput
from .fields import error_body

MAX_KEPT_CHARS = 64_000  # enough to read any real message; a huge one is kept cut short
DEFAULT_LIMIT = 100


@dataclass(frozen=True)
class DeadLetter:
    received: datetime
    error: str
    field: str
    text: str  # the message as received, cut to MAX_KEPT_CHARS
    truncated: bool = False
    source: str | None = None  # "eido" / "gms" when the sender's endpoint says so

    @staticmethod
    def of(
        text: str | bytes, exc: InvalidInput, received: datetime, source: str | None = None
    ) -> DeadLetter:
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")  # kept for reading, not for parsing
        body = error_body(exc)
        return DeadLetter(
            received=received,
            error=body["error"],
            field=body["field"],
            text=text[:MAX_KEPT_CHARS],
            truncated=len(text) > MAX_KEPT_CHARS,
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "received": self.received.isoformat(),
            "error": self.error,
            "field": self.field,
            "text": self.text,
            "truncated": self.truncated,
            "source": self.source,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> DeadLetter:
        """The inverse of `to_dict` (a console reading the service's list)."""
        return DeadLetter(received=datetime.fromisoformat(data["received"]), error=data["error"],
                          field=data["field"], text=data["text"], truncated=bool(data.get("truncated")),
                          source=data.get("source"))  # fmt: skip


@dataclass(frozen=True)
class DeadLetters:
    entries: tuple[DeadLetter, ...] = ()
    dropped: int = 0  # older entries no longer kept
    limit: int = DEFAULT_LIMIT

    def __post_init__(self) -> None:
        if self.limit < 1:
            raise ValueError("a dead-letter list keeps at least one entry")

    def add(self, letter: DeadLetter) -> DeadLetters:
        entries = (*self.entries, letter)
        over = max(0, len(entries) - self.limit)
        return replace(self, entries=entries[over:], dropped=self.dropped + over)

    def __len__(self) -> int:
        return len(self.entries)

    def to_dict(self) -> dict[str, Any]:
        """Newest first, as the console lists them."""
        return {
            "entries": [e.to_dict() for e in reversed(self.entries)],
            "dropped": self.dropped,
            "limit": self.limit,
        }

    @staticmethod
    def from_dict(data: dict[str, Any]) -> DeadLetters:
        entries = tuple(DeadLetter.from_dict(e) for e in reversed(data.get("entries", [])))
        return DeadLetters(entries, int(data.get("dropped", 0)), int(data.get("limit", DEFAULT_LIMIT)))
