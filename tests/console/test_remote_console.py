"""The whole console as a workstation of the centre's shared service (issue 11, part 4).

A real `zesminuten-engine serve` (SQLite store, demo registry), a real QtWebEngine map.
The console takes a call, dispatches and alerts; the responders' accepts come from
another client (the responder gateway); then the service is killed (SIGKILL) and started
again on the same store: the header says so meanwhile, commands are off, and afterwards
the console shows the same state and carries on live.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from alert_engine.gazetteer import Gazetteer
from console.app import keep_painting, remote_translate
from console.funnel import MessageFunnel
from console.i18n import Translations
from console.main_window import MainWindow
from console.remote import RemoteBackend
from tests.alert_engine.centre.serving import GATEWAY, WS1, Serve
from tests.builders import ZOETERMEER
from tests.paths import REPO

from .console_harness import QT_LOG_IGNORE, Answers, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE, pytest.mark.timeout(180)]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("remote-console")
    node = Serve(folder, str(folder / "events.sqlite"), name="node-a").start()
    yield node
    node.kill()


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


class RemoteConsole:
    """The main window on a RemoteBackend, as `zesminuten --service` builds it (pump on)."""

    def __init__(self, qtbot: Any, run_async: RunAsync, service: Serve, gazetteer: Gazetteer, map_cache: Path) -> None:
        self.qtbot = qtbot
        self.run_async = run_async
        self.backend = RemoteBackend([service.url], WS1, translate=remote_translate)
        self.backend.idle = keep_painting
        self.funnel = MessageFunnel()
        self.messages: list[tuple[str, str]] = []
        self.funnel.message.connect(lambda level, text: self.messages.append((level, text)))
        self.window = MainWindow(
            self.backend, self.funnel, gazetteer,
            translations=Translations(QApplication.instance()),  # type: ignore[arg-type]
            confirm=Answers(True), reason_asker=Answers("test"), map_cache_dir=map_cache,
        )
        self.window.ask_before_quit = False
        self.window.resize(1600, 1000)
        self.window.show()
        qtbot.waitExposed(self.window)

    def settle(self) -> None:
        self.window.feed.flush()
        QApplication.processEvents()

    def click(self, button: Any) -> None:
        assert button.isEnabled(), f"{button.text()!r} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.settle()

    def header(self) -> str:
        return self.window.header.connection_text()

    def counters(self) -> dict[str, str]:
        return {name: tile.value.text() for name, tile in self.window.live.tiles.items()}

    def map_info(self, kind: str, layer_id: str) -> dict[str, Any] | None:
        info: dict[str, Any] | None = self.run_async(
            self.window.map_view.eval_json(f"window.api.info({kind!r}, {layer_id!r})"))
        return info

    def map_counts(self) -> dict[str, int]:
        counts: dict[str, int] = self.run_async(self.window.map_view.eval_json("window.api.counts()"))
        return counts

    def queue(self) -> list[tuple[str, str]]:
        """The incident list as the dispatcher reads it: id and phase of every row."""
        model = self.window.queue_model
        return sorted((str(model.index(row, model.COL_ID).data()), str(model.index(row, model.COL_PHASE).data()))
                      for row in range(model.rowCount()))

    def close(self) -> None:
        errors = self.window.map_view.script_errors
        gone: list[bool] = []
        self.window.destroyed.connect(lambda: gone.append(True))
        self.window.close()
        self.window.deleteLater()
        self.qtbot.waitUntil(lambda: bool(gone), timeout=5_000)
        self.backend.close()
        assert errors == []


@pytest.fixture
def remote_console(
    qtbot: Any, run_async: RunAsync, service: Serve, gazetteer: Gazetteer, tmp_path: Path
) -> Iterator[RemoteConsole]:
    console = RemoteConsole(qtbot, run_async, service, gazetteer, tmp_path / "map-cache")
    yield console
    console.close()


def accept(service: Serve, incident: str, responder: str) -> None:
    r = service.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": responder, "answer": "accept"},
                     token=GATEWAY)
    assert r.status_code == 200, r.text


def test_the_console_on_the_service_rides_out_a_restart(
    remote_console: RemoteConsole, service: Serve, qtbot: Any
) -> None:
    console, w = remote_console, remote_console.window
    actions = w.action_panel
    assert console.header() == "Meldkamerservice: verbonden"
    # What the service does not offer is left out, not shown broken.
    assert not w.white_spots_action.isVisible()

    # -- the call, the ambulance, the alert: every command goes to the service -------------
    w.intake.start_new_call()
    w.map_view.mapClicked.emit(*ZOETERMEER)
    w.intake.age.set_age(67.0)
    qtbot.waitUntil(w.intake.create_button.isEnabled, timeout=5_000)  # after the service's verdict
    with qtbot.waitSignal(w.intake.callCreated) as created:
        qtbot.mouseClick(w.intake.create_button, Qt.MouseButton.LeftButton)
    incident = str(created.args[0])
    console.settle()
    assert w.current_incident == incident
    console.click(actions.dispatch_button)
    console.click(actions.alert_button)
    state = console.backend.state(incident)
    alerted = len(state.responders)
    assert state.alert_time is not None and alerted > 10
    assert console.counters()["accepted"] == "0/5"

    # -- three accepts from the responder gateway, another client -----------------------------
    coming = list(state.responders)[:3]
    for rid in coming:
        accept(service, incident, rid)
    qtbot.waitUntil(lambda: console.counters()["accepted"] == "3/5", timeout=10_000)
    console.settle()
    for rid in coming:
        marker = console.map_info("responder", rid)
        assert marker is not None and "zm-s-accepted" in marker["class_name"]
    assert console.map_counts()["responder"] == alerted
    before = (console.counters(), console.queue(), console.backend.state(incident))
    assert actions.cancel_button.isEnabled()

    # -- the service dies: the header says so, commands are off, nothing is shown as lost ---
    service.kill()
    restart: threading.Thread | None = None
    try:
        qtbot.waitUntil(lambda: console.header().startswith("Meldkamerservice: opnieuw verbinden… (sinds "),
                        timeout=5_000)
        assert not actions.cancel_button.isEnabled() and not actions.close_button.isEnabled()
        assert "Geen verbinding met een actieve meldkamerservice" in actions.blocker_label.text()
        assert not w.caller.start_action.isEnabled()
        assert console.counters() == before[0] and console.queue() == before[1]

        # ... and comes back on the same store
        restart = threading.Thread(target=service.start)
        restart.start()
        qtbot.waitUntil(lambda: console.header() == "Meldkamerservice: verbonden", timeout=30_000)
    finally:
        if restart is not None:
            restart.join()
        if service.health() is None:
            service.start()
    console.settle()
    assert console.counters() == before[0]
    assert console.queue() == before[1]
    assert console.backend.state(incident) == before[2]
    assert actions.cancel_button.isEnabled() and w.caller.start_action.isEnabled()

    # -- live again: the next accept shows, on the counters and on the map ---------------------
    late = list(state.responders)[3]
    accept(service, incident, late)
    qtbot.waitUntil(lambda: console.counters()["accepted"] == "4/5", timeout=10_000)
    console.settle()
    marker = console.map_info("responder", late)
    assert marker is not None and "zm-s-accepted" in marker["class_name"]
    assert [e["seq"] for e in service.get("/v1/events", after=0).json()] == [e.seq for e in console.backend.events()]
    assert not [text for level, text in console.messages if level == "error"]


def test_zesminuten_with_service_starts_without_a_local_store(service: Serve, tmp_path: Path) -> None:
    """`zesminuten --service URL --token-file F` as a user starts it: no registry or event
    store in the data folder, a window on the service's state, the token in no output."""
    home = tmp_path / "home"
    token_file = tmp_path / "token"
    token_file.write_text(WS1 + "\n")
    token_file.chmod(0o600)
    png = tmp_path / "console.png"
    env = {**os.environ, "ZESMINUTEN_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "console.app", "--service", service.url, "--token-file", str(token_file),
         "--screenshot", str(png), "--after", "2"],
        env=env, capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr and WS1 not in done.stderr + done.stdout
    assert not (home / "registry.sqlite").exists() and not (home / "events-live.sqlite").exists()
    image = QImage(str(png))
    assert image.width() >= 1300 and image.height() >= 700
