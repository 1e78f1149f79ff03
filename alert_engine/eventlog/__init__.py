"""Append-only event log: the spine every view is computed from."""

from .store import EventStore, IntegrityReport, MemoryEventStore, SqliteEventStore, open_store

__all__ = ["EventStore", "IntegrityReport", "MemoryEventStore", "SqliteEventStore", "open_store"]
