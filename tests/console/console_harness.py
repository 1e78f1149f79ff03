"""The whole console on a real engine: SQLite event store, small inline registry, SimClock.

`ConsoleHarness` builds the main window the way `console.app` does, but with a clock the
test moves, no simulated responders, the pump timer off and the dialogs answered by the
test. It reads back what a dispatcher would see.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.gazetteer import Gazetteer
from alert_engine.registry.model import Aed, Responder
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.funnel import MessageFunnel
from console.i18n import Translations
from console.main_window import MainWindow
from tests.builders import EVENING, ZOETERMEER, aed_at, ring_responders

# Offscreen QtWebEngine has no GPU and says so; the offscreen platform cannot pass size
# hints to a window manager. That is the test machine talking, not the console.
QT_LOG_IGNORE = pytest.mark.qt_log_ignore(
    r"^QRhiGles2: Failed to create",
    r"^Failed to create RHI for backend",
    r"createPlatformVulkanInstance",
    r"^QVulkanInstance: Failed to initialize Vulkan",
    r"^GBM is not supported",
    r"^GPUInfo not initialized",
    r"^This plugin does not support propagateSizeHints\(\)",
    r"^This plugin does not support raise\(\)",
    r"^This plugin does not support grabbing the keyboard",
)

RunAsync = Callable[..., Any]


def small_registry() -> tuple[list[Responder], list[Aed]]:
    """60 responders within 800 m of Zoetermeer centre and four AEDs around the victim."""
    responders = ring_responders(60, r_max=800.0, seed=7)
    aeds = [aed_at("AED-N", 250, 0), aed_at("AED-E", 0, 300), aed_at("AED-S", -350, 0), aed_at("AED-W", 0, -400)]
    return responders, aeds


class Answers:
    """Stands in for a dialog: records the question, gives the prepared answer."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: object, title: str, _text: str) -> Any:
        self.asked.append(title)
        return self.answer


class ConsoleHarness:
    def __init__(
        self,
        qtbot: Any,
        run_async: RunAsync,
        events_path: Path,
        gazetteer: Gazetteer,
        map_cache: Path,
        clock: SimClock | None = None,
        address_book: Any = None,
        registry: tuple[list[Responder], list[Aed]] | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.run_async = run_async
        self.clock = clock or SimClock(EVENING)
        responders, aeds = registry or small_registry()
        self.store = SqliteEventStore(events_path)
        self.service = LocalService(Registry.from_records(responders, aeds), self.store, self.clock)
        self.funnel = MessageFunnel()
        self.messages: list[tuple[str, str]] = []
        self.funnel.message.connect(lambda level, text: self.messages.append((level, text)))
        self.confirm = Answers(True)
        self.translations = Translations(QApplication.instance())  # type: ignore[arg-type]
        self.window = MainWindow(
            self.service,
            self.funnel,
            gazetteer,
            translations=self.translations,
            confirm=self.confirm,
            reason_asker=Answers("test"),
            map_cache_dir=map_cache,
            pump=False,
            address_book=address_book,
        )
        self.window.resize(1600, 1000)
        self.window.show()
        qtbot.waitExposed(self.window)

    # -- driving ----------------------------------------------------------------------
    def settle(self) -> None:
        """Deliver pending engine events now (the feed would within 100 ms)."""
        self.window.feed.flush()
        QApplication.processEvents()

    def click(self, button: Any) -> None:
        assert button.isEnabled(), f"{button.text()!r} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def create_call(self, point: tuple[float, float] = ZOETERMEER, age: int = 67) -> str:
        """Ctrl+N, a click on the map, the age, then 'Melding aanmaken'."""
        w = self.window
        w.intake.start_new_call()
        w.map_view.mapClicked.emit(*point)
        w.intake.age.set_age(float(age))
        with self.qtbot.waitSignal(w.intake.callCreated) as created:
            self.qtbot.mouseClick(w.intake.create_button, Qt.MouseButton.LeftButton)
        self.settle()
        return str(created.args[0])

    def alert(self, incident: str | None = None) -> str:
        incident = incident or self.create_call()
        self.clock.advance(20)
        self.click(self.window.action_panel.dispatch_button)
        self.clock.advance(10)
        self.click(self.window.action_panel.alert_button)
        return incident

    def respond(self, incident: str, responder: str, answer: str = "accept") -> None:
        self.service.command("respond", incident, responder, answer)

    def responders(self, incident: str, role: str | None = None, state: str | None = None) -> list[str]:
        s = self.service.state(incident)
        return [
            r.id
            for r in s.responders.values()
            if (role is None or r.role == role) and (state is None or r.state == state)
        ]

    # -- reading ----------------------------------------------------------------------
    def map_counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.run_async(self.window.map_view.eval_json("window.api.counts()"))
        return counts

    def map_info(self, kind: str, layer_id: str) -> dict[str, Any] | None:
        info: dict[str, Any] | None = self.run_async(
            self.window.map_view.eval_json(f"window.api.info({kind!r}, {layer_id!r})")
        )
        return info

    def queue_row(self, incident: str) -> dict[str, Any]:
        model = self.window.queue_model
        row = model.row_of(incident)
        assert row >= 0, f"{incident} not in the queue"
        phase = model.index(row, model.COL_PHASE)
        return {
            "phase": phase.data(),
            "background": phase.data(Qt.ItemDataRole.BackgroundRole).color().name(),
            "time": model.index(row, model.COL_TIME).data(),
            "bold": bool(font := model.index(row, 0).data(Qt.ItemDataRole.FontRole)) and font.bold(),
        }

    def counters(self) -> dict[str, str]:
        return {name: tile.value.text() for name, tile in self.window.live.tiles.items()}

    def close(self) -> None:
        """Close and delete the window, waiting until it is gone (a live web page at the end
        of the session makes QtWebEngine warn), and check the map logged no script error."""
        errors = self.window.map_view.script_errors
        gone: list[bool] = []
        self.window.destroyed.connect(lambda: gone.append(True))
        self.window.close()
        self.window.deleteLater()
        self.qtbot.waitUntil(lambda: bool(gone), timeout=5_000)
        self.store.close()
        assert errors == []


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    mid = math.radians((a[0] + b[0]) / 2)
    return math.hypot(math.radians(b[1] - a[1]) * math.cos(mid), math.radians(b[0] - a[0])) * 6_371_000
