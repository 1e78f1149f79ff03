"""The review window over a replay: it shows what the live console showed, says whether
the history can be trusted, logs every access and exports a report and a PDF."""

from __future__ import annotations

import base64
import random
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from alert_engine.clock import SimClock
from alert_engine.eventlog.jsonl import export_jsonl
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts
from alert_engine.registry.table import Registry
from alert_engine.review.access_log import AccessLog
from alert_engine.scenario.loader import Scenario, load_scenario
from alert_engine.scenario.runner import run_scenario
from alert_engine.service import LocalService
from console.funnel import MessageFunnel
from console.models.aeds import AedTableModel
from console.models.responders import ResponderTableModel
from console.review.dialogs import ExportChoice
from console.review.window import ReviewWindow, open_review
from console.widgets.caller_instruction import CallerInstructionPanel
from console.widgets.live_panel import LivePanel
from tests.paths import REPO

from .console_harness import QT_LOG_IGNORE, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]

ROOT = REPO
OVERSUPPLY = ROOT / "scenarios/09_oversupply.json"


# -- what a dispatcher sees -----------------------------------------------------------------------
def table_texts(proxy: QSortFilterProxyModel) -> list[list[str]]:
    """Every cell as displayed, in the order the (sorted) table shows the rows."""
    return [
        [str(proxy.index(row, col, QModelIndex()).data() or "") for col in range(proxy.columnCount())]
        for row in range(proxy.rowCount())
    ]


def screen(live: LivePanel, caller: CallerInstructionPanel) -> dict[str, Any]:
    return {
        "counters": {name: tile.value.text() for name, tile in live.tiles.items()},
        "responders": table_texts(live.responder_proxy),
        "aeds": table_texts(live.aed_proxy),
        "oversupply_notice": live.oversupply_label.text() if live.oversupply_box.isVisibleTo(live) else "",
        "tabs": [live.tabs.tabText(i) for i in range(live.tabs.count())],
        "caller": (caller.state_label.text(), caller.call_clock.text(), caller.cpr_clock.text(), caller.prompt_text),
    }


# -- the live side: the scenario through a LocalService and the live widgets ----------------------
class LiveRun:
    """Scenario 09 driven step by step through a LocalService, with the live panel attached
    the way the main window attaches it (models, panel and caller fed every batch)."""

    def __init__(self, scenario: Scenario, store_path: Path) -> None:
        self.scenario = scenario
        self.registry = Registry.from_records(scenario.responders, scenario.aeds)
        self.clock = SimClock(scenario.start)
        self.store = SqliteEventStore(store_path)
        self.service = LocalService(self.registry, self.store, self.clock, scenario.config)
        self.funnel = MessageFunnel()
        now = self.service.now
        self.responders = ResponderTableModel(self.service, now)
        self.aeds = AedTableModel(self.service, now)
        self.live = LivePanel(self.service, self.funnel, self.responders, self.aeds, now)
        self.caller = CallerInstructionPanel(self.service, self.funnel, now)
        self.service.subscribe(self.on_batch)
        self.seen: dict[datetime, dict[str, Any]] = {}

    def on_batch(self, events: list[Event]) -> None:
        if self.responders.incident is None:
            for w in (self.responders, self.aeds, self.live, self.caller):
                w.set_incident("I1")
            return
        self.responders.apply_events(events)
        self.aeds.apply_events(events)
        self.live.on_events(events)
        self.caller.on_events(events)

    def record(self) -> None:
        for tick in (self.responders.tick, self.aeds.tick, self.live.tick, self.caller.tick):
            tick()
        self.seen[self.clock.now()] = screen(self.live, self.caller)

    def step(self, do: str, incident: str, f: dict[str, Any]) -> None:
        s = self.service
        if do == "call":
            facts = CallFacts(lat=f["lat"], lon=f["lon"], patient_age_years=f.get("patient_age_years"),
                              location_kind=f.get("location_kind", ""))
            s.engine.call(incident, facts)
        elif do == "ambulance_dispatched":
            s.command("dispatch_ambulance", incident, f["unit"])
        elif do == "caller_instruction":
            s.command("caller_instruction", incident, f["state"])
        elif do == "trigger_alert":
            s.command("trigger_alert", incident)
        elif do == "respond":
            s.command("respond", incident, f["responder"], f["answer"])
        elif do == "arrive":
            s.command("arrive", incident, f["responder"])
        elif do == "oversupply_feedback":
            s.command("oversupply_feedback", incident, f.get("note", ""))
        elif do == "close":
            s.command("close", incident)
        else:
            raise AssertionError(f"step {do} not scripted here")

    def run(self) -> None:
        steps = sorted(self.scenario.steps, key=lambda st: (st.at, st.order))
        for i, st in enumerate(steps):
            self.clock.set(self.scenario.start + timedelta(seconds=st.at))
            self.service.pump()
            self.step(st.do, st.incident, st.fields)
            last_at_this_time = i + 1 == len(steps) or steps[i + 1].at != st.at
            if last_at_this_time:
                self.record()
                # and a moment later, when only the clocks and ETAs have moved on
                later = st.at + 7 if i + 1 == len(steps) else min(st.at + 7, (st.at + steps[i + 1].at) / 2)
                if later > st.at:
                    self.clock.set(self.scenario.start + timedelta(seconds=later))
                    self.record()


# -- fixtures --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def review_map_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("review-map-cache")


@pytest.fixture
def make_review(
    qtbot: Any, qasync_loop: Any, review_map_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path / "home"))  # notes of one test stay there
    made: list[ReviewWindow] = []

    def make(source: Path, incident: str | None = None, **kw: Any) -> ReviewWindow:
        kw.setdefault("access_log", AccessLog(tmp_path / "access.sqlite"))
        kw.setdefault("who", "Anna de Vries")
        kw.setdefault("reason", "kwaliteitsreview 2026-11")
        window = open_review(source, incident, map_cache_dir=review_map_cache, **kw)
        assert window is not None
        window.resize(1600, 1000)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # the player's keys are window shortcuts
        made.append(window)
        return window

    yield make
    errors = [e for window in made for e in window.map_view.script_errors]
    gone: list[bool] = []
    for window in made:
        window.destroyed.connect(lambda: gone.append(True))
        window.close()
        window.deleteLater()
    qtbot.waitUntil(lambda: len(gone) == len(made), timeout=5_000)
    assert errors == []


@pytest.fixture(scope="module")
def oversupply_events() -> list[Event]:
    return run_scenario(load_scenario(OVERSUPPLY)).events


@pytest.fixture
def exported(tmp_path: Path, oversupply_events: list[Event]) -> Path:
    out = tmp_path / "I1.jsonl"
    export_jsonl(oversupply_events, out, "I1")
    return out


# -- replay equals live ----------------------------------------------------------------------------
def test_replay_shows_exactly_what_the_live_panel_showed(qtbot: Any, make_review: Any, tmp_path: Path) -> None:
    live = LiveRun(load_scenario(OVERSUPPLY), tmp_path / "events.sqlite")
    live.run()
    live.store.close()
    assert len(live.seen) >= 20
    # the moments include the alert, the target, oversupply, arrivals and the close
    assert any(s["counters"]["oversupply"] == "7" for s in live.seen.values())

    window = make_review(tmp_path / "events.sqlite", "I1", registry=live.registry)
    moments = list(live.seen)
    random.Random(9).shuffle(moments)  # back and forth: the reset path and the forward path
    for t in moments:
        window.seek(t)
        window.redraw_now()
        assert screen(window.live, window.caller) == live.seen[t], f"differs at {t:%H:%M:%S}"


# -- integrity banner -----------------------------------------------------------------------------
def test_the_banner_is_green_only_for_a_proven_history(make_review: Any, exported: Path, tmp_path: Path,
                                                       oversupply_events: list[Event]) -> None:
    window = make_review(exported)
    assert window.banner.status == "ok"
    # 27: the run ends with two aed_check_requested (the runners got the cabinet codes; docs/events.md).
    assert "Integriteit gecontroleerd: 27 gebeurtenissen, hashketen klopt" in window.banner.text

    lines = exported.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("15-101", "15-999")
    (tmp_path / "edited.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    edited = make_review(tmp_path / "edited.jsonl")
    assert edited.banner.status == "broken"
    assert "niet betrouwbaar" in edited.banner.text and "gewijzigd" in edited.banner.text

    plain = tmp_path / "run.jsonl"
    plain.write_text("".join(e.to_json() + "\n" for e in oversupply_events), encoding="utf-8")
    run_output = make_review(plain)
    assert run_output.banner.status == "warning"
    assert "niet te controleren" in run_output.banner.text


def test_a_redacted_export_opens_with_a_green_banner(make_review: Any, tmp_path: Path,
                                                    oversupply_events: list[Event]) -> None:
    redacted = tmp_path / "redacted.jsonl"
    export_jsonl(oversupply_events, redacted, "I1", redact=True)
    window = make_review(redacted)
    assert window.banner.status == "ok"
    assert all(r.lat is None for r in window.replay.state("I1").responders.values())


# -- access log, player, notes ----------------------------------------------------------------------
def test_opening_replaying_and_exporting_are_logged_with_the_reason(
    qtbot: Any, make_review: Any, run_async: RunAsync, exported: Path, tmp_path: Path
) -> None:
    log = AccessLog(tmp_path / "access.sqlite")
    window = make_review(exported, access_log=log)
    assert [e.action for e in log.entries()] == ["open"]
    QTest.keyClick(window, Qt.Key.Key_Right)  # next event: the replay starts
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert window.now > window.replay.start
    done = run_async(window.export_report(tmp_path / "out" / "rapport.html", ExportChoice(pdf=False)))
    assert done.html.exists()
    entries = log.entries()
    assert [e.action for e in entries] == ["open", "replay", "export"]
    assert {e.reason for e in entries} == {"kwaliteitsreview 2026-11"}
    assert {e.who for e in entries} == {"Anna de Vries"}
    assert entries[-1].details["exact_location"] is False


def test_player_keys_step_play_and_change_speed(qtbot: Any, make_review: Any, exported: Path,
                                                oversupply_events: list[Event]) -> None:
    window = make_review(exported)
    times = sorted({e.time for e in oversupply_events})
    QTest.keyClick(window, Qt.Key.Key_Right)
    assert window.now == times[1]
    QTest.keyClick(window, Qt.Key.Key_Right)
    QTest.keyClick(window, Qt.Key.Key_Left)
    assert window.now == times[1]
    QTest.keyClick(window, Qt.Key.Key_6)
    assert window.speed == 16
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert window.playing
    before = window.now
    qtbot.waitUntil(lambda: window.now >= before + timedelta(seconds=4), timeout=3_000)
    QTest.keyClick(window, Qt.Key.Key_Space)
    assert not window.playing
    QTest.keyClick(window, Qt.Key.Key_4)
    assert window.speed == 4


def test_a_note_goes_to_a_separate_store_and_the_file_stays_as_it_was(
    make_review: Any, exported: Path, tmp_path: Path
) -> None:
    before = exported.read_bytes()
    window = make_review(exported)
    window.seek(window.replay.start + timedelta(seconds=200))
    window.notes_panel.edit.setText("R1 is als eerste ter plaatse; instructie pas na 5 s overgedragen")
    window.notes_panel.add_button.click()
    assert window.notes_panel.texts() == ["T+03:20 · Anna de Vries: R1 is als eerste ter plaatse; instructie pas na 5 s overgedragen"]
    assert exported.read_bytes() == before
    assert window.banner.status == "ok"
    assert [e.action for e in AccessLog(tmp_path / "access.sqlite").entries()][-1] == "annotate"


def test_a_note_on_a_store_incident_goes_through_the_engine(make_review: Any, tmp_path: Path,
                                                           oversupply_events: list[Event]) -> None:
    store = SqliteEventStore(tmp_path / "events.sqlite")
    store.append(oversupply_events)
    store.close()
    window = make_review(tmp_path / "events.sqlite", "I1")
    window.seek(window.replay.start + timedelta(seconds=75))
    assert window.add_note("Doel bereikt na 40 s") is not None
    store = SqliteEventStore(tmp_path / "events.sqlite")
    stored = store.read("I1")
    assert store.verify().ok
    store.close()
    assert [e.type for e in stored[:-1]] == [e.type for e in oversupply_events]  # the history is untouched
    assert stored[-1].type == "annotation_added" and stored[-1]["at"].startswith("2026-11-22T19:41:15")


def test_a_live_widget_command_is_refused_readably(make_review: Any, exported: Path) -> None:
    window = make_review(exported)
    messages: list[tuple[str, str]] = []
    window.funnel.message.connect(lambda level, text: messages.append((level, text)))
    window.seek(window.replay.end)
    assert window.live.feedback_button.isHidden()  # read-only: the live command buttons are gone
    window.live.send_oversupply_feedback()  # and if one were called anyway:
    assert messages and "review is read-only" in messages[-1][1]


# -- report and PDF ---------------------------------------------------------------------------------
def test_the_exported_report_and_pdf(qtbot: Any, make_review: Any, run_async: RunAsync, exported: Path,
                                     tmp_path: Path, oversupply_events: list[Event]) -> None:
    window = make_review(exported)
    done = run_async(window.export_report(tmp_path / "rapport.html", ExportChoice()), timeout=30_000)
    html = done.html.read_text(encoding="utf-8")
    alerted = next(e for e in oversupply_events if e.type == "alert_sent")["responders"]
    for r in alerted:
        assert f">{r['id']}<" not in html and f"{r['id']} " not in html and r["pseudonym"] not in html
    assert "52.06° N, 4.49° O" in html and "52.0601" not in html
    assert "Kaartbeelden zijn weggelaten" in html
    pdf = done.pdf.read_bytes()
    assert pdf.startswith(b"%PDF")
    doc = QPdfDocument()
    doc.load(str(done.pdf))
    assert doc.pageCount() > 1 or len(pdf) > 10_000
    doc.close()


def test_map_images_only_with_the_exact_location(qtbot: Any, make_review: Any, run_async: RunAsync,
                                                 exported: Path, tmp_path: Path) -> None:
    window = make_review(exported)
    run_async(window.map_view.wait_ready())
    back = window.now
    done = run_async(
        window.export_report(tmp_path / "exact.html", ExportChoice(exact_location=True, include_maps=True, pdf=False)),
        timeout=30_000,
    )
    assert done.maps == 2  # the alert and the first arrival; no AED was connected in this scenario
    html = done.html.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 2 and "52.06010° N" in html
    assert window.now == back
    exports = [e for e in AccessLog(tmp_path / "access.sqlite").entries() if e.action == "export"]
    assert len(exports) == 1 and exports[0].details["exact_location"] is True
    for src in re.findall(r'src="data:image/png;base64,([^"]+)"', html):
        image = QImage.fromData(base64.b64decode(src), "PNG")
        assert image.width() > 300
        colours = {image.pixel(x, y) for x in range(0, image.width(), 17) for y in range(0, image.height(), 17)}
        assert len(colours) > 20, "the map image is blank"


def test_the_access_log_dialog_lists_entries(qtbot: Any, make_review: Any, exported: Path, tmp_path: Path) -> None:
    from console.review.dialogs import AccessLogDialog

    window = make_review(exported)
    dialog = AccessLogDialog(window.session.log)
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 4).text() == "geopend"
    assert "hashketen klopt" in dialog.verdict.text()
    db = sqlite3.connect(tmp_path / "access.sqlite", isolation_level=None)
    db.execute("DROP TRIGGER access_log_no_update")
    db.execute("UPDATE access_log SET who='iemand anders'")
    db.close()
    tampered = AccessLogDialog(AccessLog(tmp_path / "access.sqlite"))
    assert "aangetast" in tampered.verdict.text()
    dialog.deleteLater()
    tampered.deleteLater()
    QApplication.processEvents()
