"""The training window on the real console (QtWebEngine map included): marked everywhere,
driven by the trainer's dock, never reaching a live channel, and debriefed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.gazetteer import Gazetteer
from alert_engine.notifications import RecordingChannel
from alert_engine.state import ResponderState
from alert_engine.testalarm.routing import ModeRouter
from console.funnel import MessageFunnel
from console.training.banner import ORANGE, PURPLE
from console.training.controller import TrainingController
from tests.paths import REPO

from .console_harness import QT_LOG_IGNORE, Answers, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]

ROOT = REPO
LIBRARY = sorted((ROOT / "scenarios" / "training").glob("*.json"))
INFANT_LATER = ROOT / "scenarios" / "training" / "14_zuigeling_na_twee_minuten.json"


class Trainer:
    """Answers the trainer's dialogs: the first responder offered, prepared facts, a save path."""

    def __init__(self, tmp_path: Path) -> None:
        self.picked: list[str] = []
        self.facts: dict[str, Any] = {"patient_age_years": 0.5}
        self.saved = tmp_path / "debrief.html"

    def pick(self, _parent: object, responders: Sequence[ResponderState], _question: str) -> str:
        self.picked.append(responders[0].id)
        return responders[0].id

    def ask_facts(self, _parent: object, _incident: str, _facts: dict[str, Any]) -> dict[str, Any]:
        return self.facts

    def save_path(self, _parent: object, _suggested: Path) -> Path:
        return self.saved


@pytest.fixture
def training(qtbot: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TrainingController, Trainer]]:
    trainer = Trainer(tmp_path)
    funnel = MessageFunnel()
    controller = TrainingController(
        funnel,
        Gazetteer(),
        scenarios=LIBRARY,
        store_factory=lambda _training: MemoryEventStore(),
        map_cache_dir=tmp_path_factory.mktemp("training-map"),
        confirm=Answers(True),
        reason_asker=Answers("test"),
        pick=trainer.pick,
        facts_asker=trainer.ask_facts,
        save_path=trainer.save_path,
        tick_ms=50,
    )
    controller.load(INFANT_LATER)
    controller.window.resize(1600, 1000)
    controller.window.show()
    qtbot.waitExposed(controller.window)
    yield controller, trainer
    if controller.debrief_dialog is not None:
        controller.debrief_dialog.close()
    controller.shutdown()
    gone: list[bool] = []
    controller.window.destroyed.connect(lambda: gone.append(True))
    controller.window.close()
    controller.window.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=5_000)


def settle(controller: TrainingController) -> None:
    assert controller.console is not None
    controller.console.feed.flush()
    QApplication.processEvents()


def colours_in(image: Any) -> set[str]:
    return {QColor(image.pixel(x, y)).name() for x in range(0, image.width(), 7) for y in range(0, image.height(), 5)}


def test_training_window_is_marked_everywhere_and_reaches_no_live_channel(
    training: tuple[TrainingController, Trainer], qtbot: Any, run_async: RunAsync
) -> None:
    controller, trainer = training
    window, dock, console = controller.window, controller.dock, controller.console
    assert console is not None and controller.session is not None and controller.service is not None
    session, service = controller.session, controller.service

    # -- the window: title, banner, frame property, status bar -----------------------------
    assert window.windowTitle().startswith("OEFENING – Zesminuten")
    assert window.banner.isVisible() and window.banner.text() == "OEFENING – geen echte meldingen"
    assert window.banner.height() >= 40 and window.banner.width() > 1000
    painted = colours_in(window.banner.grab().toImage())
    assert PURPLE in painted and ORANGE in painted  # the stripes are really there
    assert window.property("zesminutenMode") == "training" == console.property("zesminutenMode")
    assert [m.text() for m in window.status_marks] == ["OEFENING"] and window.status_marks[0].isVisible()
    assert window.createPopupMenu() is None  # nobody right-clicks the banner away

    # A live-only channel beside the training one: training incidents never reach it.
    live, trained = RecordingChannel(frozenset({"live"})), RecordingChannel(frozenset({"training"}))
    service.engine.channel = ModeRouter([live, trained])

    # -- the trainer starts; the call comes in ----------------------------------------------
    assert dock.elapsed.text() == "00:00" and dock.start_button.text() == "Start"
    qtbot.mouseClick(dock.start_button, Qt.MouseButton.LeftButton)
    assert session.clock.running and dock.start_button.text() == "Pauze"
    qtbot.mouseClick(dock.speed_buttons[5.0], Qt.MouseButton.LeftButton)
    assert session.clock.speed == 5.0
    qtbot.waitUntil(lambda: bool(session.incidents), timeout=5_000)
    incident = session.incidents[0]
    assert incident == "OEF1-I1"
    qtbot.mouseClick(dock.start_button, Qt.MouseButton.LeftButton)  # pause while the trainee works
    assert not session.clock.running
    settle(controller)
    queue = console.queue_model
    row = queue.row_of(incident)
    texts = [queue.index(row, c).data() for c in range(queue.columnCount())]
    assert "OEFENING" in texts
    console.queue.select(incident)
    settle(controller)
    assert "OEFENING" in console.header.incident_label.text()

    # -- the trainee: ambulance, then the alert, in the real console ------------------------
    qtbot.mouseClick(console.action_panel.dispatch_button, Qt.MouseButton.LeftButton)
    settle(controller)
    qtbot.mouseClick(console.action_panel.alert_button, Qt.MouseButton.LeftButton)
    settle(controller)
    state = service.state(incident)
    assert state.alert_time is not None and len(state.responders) > 10
    assert live.sent == []
    assert trained.sent and all(m.text.startswith("OEFENING – ") for m in trained.sent)
    counts = run_async(console.map_view.eval_json("window.api.counts()"))
    assert counts["victim"] == 1 and counts["responder"] == len(state.responders)

    # -- the trainer injects: an accept, the caller's new facts ------------------------------
    assert dock.current_incident() == incident
    qtbot.mouseClick(dock.accept_button, Qt.MouseButton.LeftButton)
    assert service.state(incident).responders[trainer.picked[0]].state == "accepted"
    qtbot.mouseClick(dock.on_scene_button, Qt.MouseButton.LeftButton)
    assert service.state(incident).responders[trainer.picked[1]].state == "arrived"
    qtbot.mouseClick(dock.facts_button, Qt.MouseButton.LeftButton)
    assert service.state(incident).criteria == ("infant",)
    # Jump to the next event: the clock skips ahead, the world acts.
    before = session.clock.elapsed_s()
    qtbot.mouseClick(dock.jump_button, Qt.MouseButton.LeftButton)
    assert session.clock.elapsed_s() > before
    assert dock.elapsed.text() != "00:00"

    # -- debrief: the alarm was never withdrawn although the patient is an infant ------------
    qtbot.mouseClick(dock.debrief_button, Qt.MouseButton.LeftButton)
    dialog = controller.debrief_dialog
    assert dialog is not None and dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "FOUT" in text and "Alarm niet ingetrokken" in text and "jonger dan 1 jaar" in text
    assert "Trainer:" in text  # the injections are told apart from the world
    path = dialog.export()
    assert path == trainer.saved and "OEFENING – debrief" in path.read_text(encoding="utf-8")
    assert live.sent == []


def test_loading_another_scenario_swaps_the_console_and_keeps_the_marks(
    training: tuple[TrainingController, Trainer], qtbot: Any
) -> None:
    controller, _ = training
    first = controller.console
    controller.dock.select_scenario(LIBRARY[12])  # the busy evening
    qtbot.mouseClick(controller.dock.load_button, Qt.MouseButton.LeftButton)
    assert controller.console is not first and controller.console is not None
    assert controller.training is not None and controller.training.slug == "13_drukke_avond"
    assert controller.window.windowTitle().startswith("OEFENING – ")
    assert "Drie reanimatiemeldingen" in controller.dock.briefing.text()
    controller.jump()
    controller.jump()
    settle(controller)
    assert controller.session is not None and len(controller.session.incidents) == 2
    queue = controller.console.queue_model
    assert all(queue.index(r, queue.COL_MODE).data() == "OEFENING" for r in range(queue.rowCount()))


def test_scenario_picker_shows_the_loaded_scenario_even_by_a_relative_path(
    training: tuple[TrainingController, Trainer], monkeypatch: pytest.MonkeyPatch
) -> None:
    controller, _ = training
    assert controller.dock.library.currentText().startswith("14. ")
    monkeypatch.chdir(ROOT)
    controller.load(Path("scenarios/training/03_snelweg_a12.json"))
    assert controller.dock.library.currentText() == "03. Snelweg A12 bij Zoetermeer"
    assert controller.dock.library.count() == len(LIBRARY)


@pytest.mark.slow
def test_python_m_console_training_starts_without_touching_the_live_store(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    shot = tmp_path / "training.png"
    env = {**os.environ, "ZESMINUTEN_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
           "QTWEBENGINE_DISABLE_SANDBOX": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "console.training", "--scenario", str(INFANT_LATER), "--language", "nl",
         "--screenshot", str(shot), "--after", "2"],
        capture_output=True, text=True, cwd=ROOT, env=env, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert shot.stat().st_size > 10_000
    assert not (home / "events-live.sqlite").exists()
    # One store for the run (and its one-writer lock file, released when the window closed).
    stores = [p.name for p in (home / "events-training").iterdir() if not p.name.endswith(".lock")]
    assert len(stores) == 1 and stores[0].endswith("-14_zuigeling_na_twee_minuten.sqlite")
