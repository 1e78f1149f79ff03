"""Build the service a training runs on: its own registry, clock, store and training-only channel."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..clock import AMSTERDAM
from ..eventlog.store import EventStore, SqliteEventStore
from ..exclusion.motorway import default_index
from ..notifications import Channel, RecordingChannel
from ..paths import default_event_store_path
from ..registry.table import Registry
from ..service import LocalService
from .clock import TrainingClock
from .library import TrainingScenario


def training_store_path(slug: str, when: datetime | None = None) -> Path:
    """One SQLite file per training run, beside the training store and never the live one.

    Each run gets its own file because every scenario brings its own registry: a shared
    store would replay another scenario's AED checks onto AEDs that happen to share an id.
    """
    stamp = (when or datetime.now(AMSTERDAM)).strftime("%Y%m%d-%H%M%S")
    folder = default_event_store_path("training").with_suffix("")  # …/events-training/
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stamp}-{slug}.sqlite"


def training_channel() -> RecordingChannel:
    """Where training messages go: a recorder that carries training messages only."""
    return RecordingChannel(frozenset({"training"}))


def training_service(
    training: TrainingScenario,
    store: EventStore | None = None,
    channel: Channel | None = None,
    clock: TrainingClock | None = None,
) -> LocalService:
    """A LocalService in training mode with simulated responders on the scenario's registry."""
    channel = channel if channel is not None else training_channel()
    if "live" in channel.modes or "test" in channel.modes:
        raise ValueError("a training service may only have a channel for training messages")
    scenario = training.scenario
    return LocalService(
        Registry.from_records(scenario.responders, scenario.aeds),
        store if store is not None else SqliteEventStore(training_store_path(training.slug)),
        clock or TrainingClock(scenario.start),
        scenario.config,
        motorways=default_index(),
        channel=channel,
        simulate=True,
        mode="training",
        seed=scenario.seed,
    )
