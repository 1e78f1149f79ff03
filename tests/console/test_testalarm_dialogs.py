"""Test alarms from the live console: the menu, the set-up dialog on the live engine, live
precedence as the dispatcher sees it, simulated answers and the exported summary."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.exclusion import CallFacts
from alert_engine.gazetteer import Gazetteer
from alert_engine.notifications import RecordingChannel
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from alert_engine.testalarm.routing import ModeRouter
from console.funnel import MessageFunnel
from console.main_window import MainWindow
from console.testalarm.dialog import TestAlarmDialog
from console.testalarm.menu import install_test_alarm_menu
from console.testalarm.summary_dialog import TestAlarmSummaryDialog
from tests.builders import EVENING, ZOETERMEER, aed_at, ring_responders

from .console_harness import QT_LOG_IGNORE, Answers

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


class Live:
    def __init__(self, qtbot: Any, tmp_path: Path, map_cache: Path) -> None:
        responders = [replace(r, municipality="Zoetermeer", test_alarms_opt_in=i % 3 != 0)
                      for i, r in enumerate(ring_responders(40, 700, seed=4))]
        responders += [replace(r, id=f"P{i}", municipality="Pijnacker-Nootdorp", test_alarms_opt_in=True)
                       for i, r in enumerate(ring_responders(5, 300, seed=8), start=1)]
        self.clock = SimClock(EVENING)
        self.live = RecordingChannel(frozenset({"live"}))
        self.test = RecordingChannel(frozenset({"test"}))
        self.store = SqliteEventStore(tmp_path / "events-live.sqlite")
        self.service = LocalService(
            Registry.from_records(responders, [aed_at("A1", 200, 0)]),
            self.store,
            self.clock,
            channel=ModeRouter([self.live, self.test]),
        )
        self.funnel = MessageFunnel()
        self.messages: list[tuple[str, str]] = []
        self.funnel.message.connect(lambda level, text: self.messages.append((level, text)))
        self.window = MainWindow(
            self.service, self.funnel, Gazetteer(), confirm=Answers(True), reason_asker=Answers("x"),
            map_cache_dir=map_cache, pump=False,
        )
        self.menu = install_test_alarm_menu(self.window, self.service, self.funnel)
        self.window.resize(1600, 1000)
        self.window.show()
        qtbot.waitExposed(self.window)

    def settle(self) -> None:
        self.window.feed.flush()
        QApplication.processEvents()


@pytest.fixture
def live(qtbot: Any, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    made = Live(qtbot, tmp_path, tmp_path_factory.mktemp("testalarm-map"))
    yield made
    gone: list[bool] = []
    made.window.destroyed.connect(lambda: gone.append(True))
    made.window.close()
    made.window.map_view.close()
    made.window.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=5_000)
    made.store.close()


def test_menu_sits_before_help(live: Live) -> None:
    titles = [a.text() for a in live.window.menuBar().actions()]
    assert titles.index("&Proefalarm") == titles.index("&Help") - 1
    assert [a.text() for a in live.menu.actions()] == ["Proefalarm instellen…", "Samenvatting proefalarm…"]


def test_test_alarm_on_the_live_engine_marked_test_and_preempted_by_a_live_alarm(
    live: Live, qtbot: Any, tmp_path: Path
) -> None:
    confirm = Answers(True)
    dialog = TestAlarmDialog(live.service, live.funnel, live.menu.controller, confirm=confirm, parent=live.window)
    names = [dialog.municipality.itemText(i) for i in range(dialog.municipality.count())]
    assert names == ["Pijnacker-Nootdorp (5 aangemeld)", "Zoetermeer (26 aangemeld)"]
    dialog.select("Zoetermeer")
    dialog.simulate.setChecked(True)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert confirm.asked == ["Proefalarm starten?"]
    incident = dialog.started
    assert incident == "TEST-Zoetermeer-20261122-1940"
    state = live.service.state(incident)
    assert state.mode == "test" and len(state.responders) == 26 and state.aeds == {}
    assert live.live.sent == []
    assert len(live.test.sent) == 26 and all(m.text.startswith("TEST – proefalarm") for m in live.test.sent)
    assert ("info", "Proefalarm TEST-Zoetermeer-20261122-1940 verstuurd naar 26 burgerhulpverleners "
            "(berichten beginnen met TEST).") in live.messages
    live.settle()
    queue = live.window.queue_model
    assert queue.index(queue.row_of(incident), queue.COL_MODE).data() == "PROEF"

    # Simulated answers (a demo): the backend plays them as the clock moves (the console's pump).
    for _ in range(4):
        live.clock.advance(15)
        live.menu.controller.tick()
        live.service.pump()
    assert any(r.state != "alerted" for r in live.service.state(incident).responders.values())
    assert not any(r.state == "arrived" for r in live.service.state(incident).responders.values())

    # A real alarm nearby: the dispatcher alerts in the console; the exercise gives way.
    facts_incident = live.service.new_call(CallFacts(*ZOETERMEER, 70), "Zoetermeer")
    live.service.command("dispatch_ambulance", facts_incident, "15-101")
    live.service.command("trigger_alert", facts_incident)
    live_state = live.service.state(facts_incident)
    on_test = live.service.state(incident)
    taken = {rid for rid, r in on_test.responders.items() if r.state == "cancelled"}
    assert taken and taken <= set(live_state.responders)
    assert {m.incident for m in live.live.sent} == {facts_incident}
    assert all(not m.text.startswith("TEST") for m in live.live.sent)
    told = [m for m in live.test.sent if m.kind == "cancel"]
    assert {m.responder for m in told} == taken and all("echte reanimatie" in m.text for m in told)

    # -- the summary -------------------------------------------------------------------------
    saved: dict[str, Path] = {}

    def ask(_parent: object, suggested: Path, _filter: str) -> Path:
        saved[suggested.suffix] = tmp_path / f"summary{suggested.suffix}"
        return saved[suggested.suffix]

    summary = TestAlarmSummaryDialog(live.service, live.funnel, incident, ask_path=ask, parent=live.window)
    rows = {summary.totals.item(r, 0).text(): summary.totals.item(r, 1).text() for r in range(summary.totals.rowCount())}
    assert rows["Gealarmeerd"] == "26"
    assert rows["Afgemeld voor een echte reanimatie"] == str(len(taken))
    assert summary.people.rowCount() == 26
    assert summary.end_button.isEnabled()
    qtbot.mouseClick(summary.end_button, Qt.MouseButton.LeftButton)
    assert not live.service.state(incident).is_open and not summary.end_button.isEnabled()
    qtbot.mouseClick(summary.csv_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(summary.html_button, Qt.MouseButton.LeftButton)
    table = list(csv.reader(io.StringIO(saved[".csv"].read_text(encoding="utf-8")), delimiter=";"))
    assert ["Gealarmeerd", "26"] in table
    assert "TEST – proefalarm Zoetermeer" in saved[".html"].read_text(encoding="utf-8")
    summary.close()


def test_scheduled_test_alarm_starts_when_its_time_comes(live: Live, qtbot: Any) -> None:
    dialog = TestAlarmDialog(live.service, live.funnel, live.menu.controller, confirm=Answers(True))
    dialog.select("Pijnacker-Nootdorp")
    dialog.later_button.setChecked(True)
    assert dialog.when.isEnabled()
    at = dialog.chosen_time()
    assert at is not None and at == EVENING + timedelta(hours=1)
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.started == "TEST-PijnackerNootdorp-20261122-2040"
    assert dialog.started not in live.service.engine.states
    live.clock.advance(3600)
    live.menu.controller.tick()
    assert len(live.service.state(dialog.started).responders) == 5
