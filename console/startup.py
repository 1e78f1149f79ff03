"""Start-up work that needs no Qt, done in worker threads while Qt and the map start.

Reading the national registry is the longest part of a start (~1.3 s, half of it inside
SQLite, which lets other threads run). `preload()` starts it before PySide6 is imported;
`console.app.build` creates the map view meanwhile (QtWebEngine starts its processes and
loads the page) and then waits for the registry. The motorway and address indexes
(~0.25 s of Python each) are built in threads of their own once the window is up, so
they do not compete with the registry for the GIL during the start.
"""

from __future__ import annotations

import gc
import linecache
import threading
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alert_engine.errors import InvalidInput

if TYPE_CHECKING:
    from alert_engine.exclusion.motorway import MotorwayIndex
    from alert_engine.gazetteer import Gazetteer
    from alert_engine.registry.table import Registry

    from .regions import Region
    from .registry_setup import RegistryInfo

# Between The Hague and Zoetermeer (console.map.page.DEFAULT_CENTER; that module imports Qt).
GAZETTEER_FOCUS = (52.060, 4.400)


def _in_thread[T](name: str, work: Any) -> Future[T]:
    future: Future[T] = Future()

    def run() -> None:
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(work())
            except BaseException as exc:  # handed to whoever waits for the result
                future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


class LazyMotorways:
    """Stands in for the motorway index: built in a thread by `start()`; the first
    exclusion check waits for it if it comes sooner."""

    def __init__(self) -> None:
        self._future: Future[MotorwayIndex] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        from alert_engine.exclusion.motorway import default_index

        with self._lock:
            if self._future is None:
                self._future = _in_thread("motorways", default_index)

    def index(self) -> MotorwayIndex:
        self.start()
        assert self._future is not None
        return self._future.result()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.index(), name)


def _background_gazetteer(focus: tuple[float, float] = GAZETTEER_FOCUS) -> Gazetteer:
    from alert_engine.gazetteer import Gazetteer

    class BackgroundGazetteer(Gazetteer):
        """The address index, built in a thread: `load()` (the intake calls it when the
        window is up) starts that build and returns at once; a search waits for it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._build_lock = threading.Lock()  # held while the index is built
            self._started = threading.Event()

        def load(self) -> None:
            if not self._started.is_set():
                self._started.set()
                threading.Thread(target=self._load, name="gazetteer", daemon=True).start()

        def build_now(self) -> None:
            """Build in this thread (or wait for the build under way)."""
            self._started.set()
            self._load()

        def _load(self) -> None:
            with self._build_lock:
                super()._load()

    return BackgroundGazetteer(focus=focus)


@dataclass
class Preload:
    registry: Future[tuple[Registry, RegistryInfo]]
    gazetteer: Gazetteer
    motorways: LazyMotorways = field(default_factory=LazyMotorways)
    addresses: Future[Any] = field(default_factory=lambda: _done(None))
    # On the centre's service the exclusion check (and its motorway map) runs there.
    motorways_wanted: bool = True

    def after_start(self) -> None:
        """The window is up: build the motorway and address indexes in the background,
        then switch the garbage collector back on (see `preload`)."""
        if self.motorways_wanted:
            self.motorways.start()
        threading.Thread(target=self._build_then_collect, name="after-start", daemon=True).start()

    def _build_then_collect(self) -> None:
        try:
            self.gazetteer.build_now()  # type: ignore[attr-defined]
            if self.motorways_wanted:
                self.motorways.index()
        finally:
            # Their ~100,000 objects are long-lived too: frozen, they never cost a collection
            # (collected young, they cost GUI-thread pauses of 30-50 ms, measured).
            gc.freeze()
            gc.enable()


def _done(value: Any) -> Future[Any]:
    future: Future[Any] = Future()
    future.set_result(value)
    return future


def preload(registry_path: Path | None, region: Region | None = None, *, embedded: bool = True) -> Preload:
    """Start loading the registry; call it before PySide6 is imported. `embedded=False`
    (the console on the centre's service): no registry or motorway map here, the service
    has them; the address book and place names still load, the intake needs them.

    The cyclic garbage collector is off from here until the indexes built after the start
    are done (`Preload.after_start`): the start creates hundreds of thousands of
    long-lived objects (modules, classes, Qt wrappers, indexes) and the collector would
    walk them ~240 times (~140 ms, measured) for nothing.
    """
    if registry_path is not None and not registry_path.is_file():
        raise InvalidInput(f"{registry_path}: no such registry file")  # at once, before any window
    gc.disable()
    from .regions import REGIONS, open_address_book

    where = region or REGIONS["denhaag"]
    addresses: Future[Any] = _in_thread("addresses", lambda: open_address_book(where))
    if not embedded:
        # Imported now for the same reason as the engine below.
        import alert_engine.service

        from . import remote  # noqa: F401

        return Preload(_done((None, None)), _background_gazetteer(where.centre), addresses=addresses,
                       motorways_wanted=False)
    from .registry_setup import open_registry  # the registry package: numpy, scipy, pyproj

    registry: Future[tuple[Registry, RegistryInfo]] = _in_thread(
        "registry", lambda: open_registry(registry_path, where.registry_region)
    )
    # The rest of the engine imports no Qt: import it now, while SQLite reads, and before
    # PySide6, whose import hook reads the source of every module imported after it.
    import alert_engine.eventlog.store
    import alert_engine.service  # noqa: F401

    return Preload(registry, _background_gazetteer(where.centre), addresses=addresses)


def settle_after_start(failed: bool = False) -> None:
    """The window exists: keep the collector off what was made, drop import leftovers.

    gc.freeze() moves the objects made so far (modules, classes, Qt wrappers, the
    registry) out of the collector's generations, so a full collection no longer walks
    them: without it one takes tens of milliseconds on the GUI thread, a visible stall.
    (No gc.collect() first: that would be such a pause, in the middle of the start.)
    linecache holds the source of every module imported after PySide6 (its import hook
    reads them): ~25 MB nobody needs until a traceback is printed. A failed start
    switches the collector back on here; a good one once the indexes are built.
    """
    linecache.clearcache()
    gc.freeze()
    if failed:
        gc.enable()
