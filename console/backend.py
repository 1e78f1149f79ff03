"""Where the console gets its backend: the one place that builds one.

Every other console module talks to what `connect` returns through the typed seam
(alert_engine.api: commands, queries, event stream, test alarms) and imports no engine
internals (an import-linter contract in pyproject.toml keeps it so). Two backends:

- embedded (the default): the engine in this process on a SQLite store, for one
  workstation, training and replay;
- remote (issue 11): the centre's shared service over HTTP (`console.remote`), when
  `Settings.service` names its URLs. No registry or event store is opened here then:
  the service has them, and every workstation sees the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alert_engine.clock import Clock, SystemClock
from alert_engine.config import AlertConfig
from alert_engine.errors import InvalidInput
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.paths import default_event_store_path
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService

if TYPE_CHECKING:
    from .remote import RemoteBackend


@dataclass(frozen=True)
class Settings:
    """How to reach the engine: embedded on a store file (None: the user's live store), or
    the centre's service at `service` (its URLs, tried in turn) with the workstation's
    token from `token_file`."""

    events: Path | None = None
    simulate: bool = False  # the demo: simulated responders answer every alert
    config: AlertConfig | None = None
    service: tuple[str, ...] = ()
    token_file: Path | None = None
    intake: Path | None = None  # a folder the dispatch system's adapter writes to (issue 13)

    @property
    def remote(self) -> bool:
        return bool(self.service)


def parse_service_urls(text: str) -> tuple[str, ...]:
    """`--service URL,URL2`: the nodes of one service, in the order to try them."""
    urls = tuple(u.strip().rstrip("/") for u in text.split(",") if u.strip())
    if not urls:
        raise InvalidInput("--service: give at least one URL, e.g. http://127.0.0.1:8750")
    for url in urls:
        if not url.startswith(("http://", "https://")):
            raise InvalidInput(f"--service: {url!r} is not an http:// or https:// URL")
    return urls


def connect(
    settings: Settings,
    registry: Registry | None = None,
    motorways: Any = None,
    clock: Clock | None = None,
    translate: Callable[[str], str] | None = None,
) -> LocalService | RemoteBackend:
    """The remote backend when `settings.service` is set, else the embedded one (one
    writer on the event store: a second console is told who has it)."""
    if settings.remote:
        from .remote import RemoteBackend, read_token

        if settings.token_file is None:
            raise InvalidInput("--service needs --token-file (this workstation's token)")
        return RemoteBackend(settings.service, read_token(settings.token_file), translate=translate)
    if registry is None:
        raise InvalidInput("the embedded backend needs a registry")
    from alert_engine.centre.aftercare_store import (
        kept_beside,  # the answers a service kept beside it
    )

    events = Path(settings.events or default_event_store_path("live"))
    store = SqliteEventStore(events)
    try:
        service = LocalService(registry, store, clock or SystemClock(), config=settings.config,
                               motorways=motorways, simulate=settings.simulate, aftercare=kept_beside(events))
        if settings.intake is not None:
            service.watch_intake(settings.intake)
        return service
    except BaseException:
        store.close()
        raise


def connect_training(training: Any, store: Any = None) -> LocalService:
    """A training run's own backend: its scenario's registry and world, its own store."""
    from alert_engine.training.service import training_service

    return training_service(training, store=store)
