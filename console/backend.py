"""Where the console gets its backend: the one place that builds an engine.

Every other console module talks to what `connect` returns through the typed seam
(alert_engine.api: commands, queries, event stream, test alarms) and imports no engine
internals (an import-linter contract in pyproject.toml keeps it so). Today the only
backend is the embedded one: the engine in this process on a SQLite store, the default
for one workstation, training and replay. The network backend of a centre's shared
service (issue 11) is the other branch of `connect`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alert_engine.clock import Clock, SystemClock
from alert_engine.config import AlertConfig
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.paths import default_event_store_path
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService


@dataclass(frozen=True)
class Settings:
    """How to reach the engine: embedded on a store file (None: the user's live store)."""

    events: Path | None = None
    simulate: bool = False  # the demo: simulated responders answer every alert
    config: AlertConfig | None = None


def connect(settings: Settings, registry: Registry, motorways: Any = None, clock: Clock | None = None) -> LocalService:
    """The embedded backend: one writer on the event store (a second console is told who has it)."""
    store = SqliteEventStore(settings.events or default_event_store_path("live"))
    try:
        return LocalService(registry, store, clock or SystemClock(), config=settings.config, motorways=motorways,
                            simulate=settings.simulate)
    except BaseException:
        store.close()
        raise


def connect_training(training: Any, store: Any = None) -> LocalService:
    """A training run's own backend: its scenario's registry and world, its own store."""
    from alert_engine.training.service import training_service

    return training_service(training, store=store)
