"""The per-incident hash chain: how a link is made, and the one walk that checks it.

Each event's hash is H(prev, body), where prev is the hash of the same incident's previous
event (64 zeros for its first). The SQLite store's `verify` and the JSON Lines check both
walk their records with `ChainWalk` and only differ in how they word what it finds.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

GENESIS = "0" * 64


def chain_hash(previous: str, body: str, key: bytes | None = None) -> str:
    data = (previous + "\n" + body).encode("utf-8")
    if key:
        return hmac.new(key, data, hashlib.sha256).hexdigest()
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ChainedRecord:
    """One event as exported or stored: its canonical body and (optional) chain values."""

    line: int  # 1-based line in the file, or position in the store
    seq: int
    incident: str
    body: str
    prev: str | None = None
    hash: str | None = None


@dataclass(frozen=True)
class ChainStep:
    """One record as its chain sees it."""

    record: ChainedRecord
    previous: ChainedRecord | None  # the same incident's record before it, if any
    expected_prev: str | None  # GENESIS for an incident's first; None: the one before has no hash
    altered: bool  # the body no longer matches its hash (never set when not checked)

    @property
    def chained(self) -> bool:
        return self.record.prev is not None and self.record.hash is not None

    @property
    def linked(self) -> bool:
        """Its prev is the hash of the incident's previous record (or unknowable)."""
        return self.expected_prev is None or self.record.prev == self.expected_prev


class ChainWalk:
    """Follows every incident's chain over records in the order given (a file's order, a
    store's seq order); `check_content=False` skips hashing (a key that is not at hand)."""

    def __init__(self, key: bytes | None = None, *, check_content: bool = True) -> None:
        self.key = key
        self.check_content = check_content
        self.last: dict[str, ChainedRecord] = {}  # incident -> its latest record

    def step(self, r: ChainedRecord) -> ChainStep:
        before = self.last.get(r.incident)
        altered = (
            self.check_content
            and r.prev is not None
            and r.hash is not None
            and chain_hash(r.prev, r.body, self.key) != r.hash
        )
        self.last[r.incident] = r
        return ChainStep(r, before, GENESIS if before is None else before.hash, altered)


def walk(
    records: Iterable[ChainedRecord], key: bytes | None = None, *, check_content: bool = True
) -> Iterator[ChainStep]:
    """Each record with what its incident's chain says about it."""
    chain = ChainWalk(key, check_content=check_content)
    for r in records:
        yield chain.step(r)
