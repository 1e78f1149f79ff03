"""Where a reviewed incident comes from: an event store or an exported / run JSON Lines file.

A `ReviewSource` holds the incident's history (without reviewer notes), the verdict on
its integrity and where notes go. Notes never change the history: for a store incident
they are `annotation_added` events written through the engine's `annotate`; for a file
they go to a separate annotations store, keyed by a fingerprint of the file's events.
Only the chosen incident is loaded, so the review shows nothing it did not log access to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from ..api.commands import Annotate
from ..clock import Clock, SystemClock
from ..engine import Engine
from ..errors import EngineError, InvalidInput
from ..eventlog.chain import ChainedRecord
from ..eventlog.jsonl import (
    LogIntegrity,
    read_jsonl,
    records_from_store,
    store_integrity,
)
from ..eventlog.store import IntegrityReport, SqliteEventStore
from ..events import Event
from ..paths import data_dir
from ..registry.table import Registry
from ..service import IncidentService

STORE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


class AnnotationSink(Protocol):
    def list(self) -> list[Event]: ...
    def add(self, author: str, text: str, at: datetime) -> Event: ...


@dataclass
class ReviewSource:
    kind: str  # "store" or "jsonl"
    path: Path
    incident: str
    events: list[Event]  # the incident's history, reviewer notes left out
    integrity: LogIntegrity
    fingerprint: str  # sha256 over the history's bodies: the same content, the same notes
    notes: AnnotationSink
    # What proves this history later: the store head (seq, hash) or the file's export head.
    head: tuple[int, str] | str | None = None

    def head_details(self) -> dict[str, object]:
        """The head for an access-log entry, so a later check can compare against it."""
        if isinstance(self.head, tuple):
            return {"store_head": {"seq": self.head[0], "hash": self.head[1]}}
        return {"export_head": self.head} if self.head else {}

    @property
    def label(self) -> str:
        what = "gebeurtenissenopslag" if self.kind == "store" else "bestand"
        return f"{what} {self.path.name}, melding {self.incident}"

    def annotations(self) -> list[Event]:
        return self.notes.list()


def open_source(path: Path | str, incident: str | None = None, clock: Clock | None = None) -> ReviewSource:
    """A store (by suffix or SQLite header) or a JSON Lines file."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    with path.open("rb") as fh:
        is_sqlite = fh.read(16) == b"SQLite format 3\x00"
    if path.suffix in STORE_SUFFIXES or is_sqlite:
        if incident is None:
            found = store_incidents(path)
            if len(found) != 1:
                raise InvalidInput(f"{path}: name the incident to review (--incident): {', '.join(found) or 'none'}")
            incident = found[0]
        return open_store_incident(path, incident, clock)
    return open_jsonl(path, incident)


def incidents_in(path: Path | str) -> list[str]:
    """The incidents a store or a JSON Lines file holds, in order of their first event."""
    path = Path(path)
    with path.open("rb") as fh:
        is_sqlite = fh.read(16) == b"SQLite format 3\x00"
    if path.suffix in STORE_SUFFIXES or is_sqlite:
        return store_incidents(path)
    return read_jsonl(path).incidents


def store_incidents(path: Path | str) -> list[str]:
    store = SqliteEventStore(path, readonly=True)
    try:
        return list(dict.fromkeys(inc for _, inc, _, _, _ in store.rows()))
    finally:
        store.close()


def open_store_incident(path: Path | str, incident: str, clock: Clock | None = None) -> ReviewSource:
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"{path}: no such event store")
    # Read-only: a review never writes or locks the store it checks. The verdict is the
    # store's own verify() over the whole store, so the banner can never contradict it.
    store = SqliteEventStore(path, readonly=True)
    try:
        records = records_from_store(store, incident)
        report = store.verify()
    finally:
        store.close()
    if not records:
        raise InvalidInput(f"{path}: no incident {incident}")
    events, notes, integrity = _split(records, report, incident)
    return ReviewSource("store", path, incident, events, integrity, _fingerprint(records, notes),
                        StoreNotes(path, incident, clock), report.head)


def open_jsonl(path: Path | str, incident: str | None = None, notes_path: Path | None = None) -> ReviewSource:
    path = Path(path)
    log = read_jsonl(path)
    found = log.incidents
    if incident is None:
        if len(found) != 1:
            raise InvalidInput(f"{path}: name the incident to review: {', '.join(found) or 'none'}")
        incident = found[0]
    if incident not in found:
        raise InvalidInput(f"{path}: no incident {incident} (found: {', '.join(found) or 'none'})")
    history = [e for e in log.events if e.incident == incident and e.type != "annotation_added"]
    in_file = [e for e in log.events if e.incident == incident and e.type == "annotation_added"]
    fingerprint = hashlib.sha256("\n".join(e.to_json() for e in history).encode()).hexdigest()
    sink = FileNotes(notes_path or default_notes_path(), incident, fingerprint, in_file)
    return ReviewSource("jsonl", path, incident, history, log.integrity, fingerprint, sink, log.head)


def _split(
    records: Sequence[ChainedRecord], report: IntegrityReport, incident: str
) -> tuple[list[Event], list[Event], LogIntegrity]:
    events = []
    for r in records:
        try:
            events.append(Event.from_json(r.body))
        except (EngineError, ValueError):
            continue  # verify() already names the unreadable row; show the rest
    integrity = store_integrity(report, events, incident)
    history = [e for e in events if e.type != "annotation_added"]
    return history, [e for e in events if e.type == "annotation_added"], integrity


def _fingerprint(records: Sequence[ChainedRecord], notes: Sequence[Event]) -> str:
    skip = {n.seq for n in notes}
    return hashlib.sha256("\n".join(r.body for r in records if r.seq not in skip).encode()).hexdigest()


def default_notes_path() -> Path:
    return data_dir() / "review-annotations.sqlite"


class StoreNotes:
    """Notes on a store incident: the engine's own `annotate`, appended to that store's log.

    Each note re-opens the store, so the engine continues from what is on disk. Do not
    annotate a store that a running console in another process is writing to: a store has
    one writer (review it from that console, or from an export, instead).
    """

    def __init__(self, path: Path, incident: str, clock: Clock | None = None) -> None:
        self.path = path
        self.incident = incident
        self.clock = clock or SystemClock()

    def list(self) -> list[Event]:
        store = SqliteEventStore(self.path, readonly=True)
        try:
            return [e for e in store.read(self.incident) if e.type == "annotation_added"]
        finally:
            store.close()

    def add(self, author: str, text: str, at: datetime) -> Event:
        store = SqliteEventStore(self.path)
        try:
            engine = Engine(Registry.from_records([], []), store, self.clock)
            return engine.annotate(self.incident, author, text, at)[0]
        finally:
            store.close()


class ServiceNotes:
    """Notes through a running console's own service (the review opened from the console):
    the store keeps its single writer."""

    def __init__(self, service: IncidentService, incident: str) -> None:
        self.service = service
        self.incident = incident

    def list(self) -> list[Event]:
        return [e for e in self.service.events(self.incident) if e.type == "annotation_added"]

    def add(self, author: str, text: str, at: datetime) -> Event:
        return self.service.execute(Annotate(self.incident, author, text, at))[0]


class FileNotes:
    """Notes on a file: a separate hash-chained store, so the file itself is never touched."""

    def __init__(self, path: Path, incident: str, fingerprint: str, in_file: Sequence[Event] = (),
                 clock: Clock | None = None) -> None:
        self.path = path
        self.incident = incident
        self.fingerprint = fingerprint
        self.in_file = list(in_file)
        self.clock = clock or SystemClock()

    def list(self) -> list[Event]:
        if not self.path.exists():
            return list(self.in_file)
        store = SqliteEventStore(self.path, readonly=True)
        try:
            mine = [e for e in store.read(self.incident) if e.get("source") == self.fingerprint]
        finally:
            store.close()
        return [*self.in_file, *mine]

    def add(self, author: str, text: str, at: datetime) -> Event:
        if not text.strip():
            raise EngineError("an annotation needs text")
        store = SqliteEventStore(self.path)
        try:
            event = Event(
                seq=store.next_seq(),
                time=self.clock.now(),
                incident=self.incident,
                type="annotation_added",
                data={"author": author, "text": text.strip(), "at": at.isoformat(), "source": self.fingerprint},
            )
            store.append([event])
            return event
        finally:
            store.close()
