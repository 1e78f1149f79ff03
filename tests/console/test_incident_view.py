"""One incident view (issue 10 point 5): the live window and the review window both show an
incident through the same `IncidentView`, so the same state looks the same in both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import QApplication

from alert_engine.registry.table import Registry
from alert_engine.review.access_log import AccessLog
from console.incident.view import IncidentView
from console.review.window import ReviewWindow, open_review
from tests.builders import ZOETERMEER, offset

from .console_harness import QT_LOG_IGNORE, ConsoleHarness, RunAsync, small_registry
from .test_console_workflow import console, console_map_cache, gazetteer, make_console  # noqa: F401

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def table_texts(proxy: QSortFilterProxyModel) -> list[list[str]]:
    return [
        [str(proxy.index(row, col, QModelIndex()).data() or "") for col in range(proxy.columnCount())]
        for row in range(proxy.rowCount())
    ]


def shown(view: IncidentView) -> dict[str, Any]:
    """What a dispatcher or reviewer reads off the view for its selected incident."""
    incident = view.selected.incident
    assert incident is not None
    queue, live, caller = view.queue_model, view.live, view.caller
    row = queue.row_of(incident)
    return {
        "selected in the queue": view.queue.selected(),
        "queue row": [queue.index(row, col).data() for col in range(queue.columnCount())],
        "counters": {name: tile.value.text() for name, tile in live.tiles.items()},
        "tabs": [live.tabs.tabText(i) for i in range(live.tabs.count())],
        "responders": table_texts(live.responder_proxy),
        "aeds": table_texts(live.aed_proxy),
        "caller": (caller.state_label.text(), caller.call_clock.text(), caller.cpr_clock.text(), caller.prompt_text),
    }


def test_the_live_and_the_review_window_show_an_incident_through_one_view(
    console: ConsoleHarness, run_async: RunAsync, qtbot: Any, tmp_path: Path,  # noqa: F811
    console_map_cache: Path, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path / "home"))
    live = console.window
    first = console.alert()
    other = console.create_call(point=offset(ZOETERMEER, 900, 300))  # takes the live selection
    assert live.current_incident == other
    console.clock.advance(40)
    state = console.service.state(first)
    runner = console.responders(first, role="aed")[0]
    direct = console.responders(first, role="cpr")[:3]
    for rid in [runner, *direct]:
        console.respond(first, rid)
    console.service.command("caller_instruction", first, "instructing")
    console.clock.advance(25)
    console.service.command("arrive", first, direct[0])  # the last event: the review ends here
    console.settle()
    live.queue.select(first)  # the dispatcher clicks the first incident in the queue
    live.tick()

    review = open_review(console.store.path, first, access_log=AccessLog(tmp_path / "access.sqlite"),
                         who="Q. Reviewer", reason="kwaliteitscontrole", map_cache_dir=console_map_cache,
                         registry=Registry.from_records(*small_registry()))
    assert isinstance(review, ReviewWindow)
    try:
        review.resize(1600, 1000)
        review.show()
        qtbot.waitExposed(review)
        review.seek(review.replay.end)
        QApplication.processEvents()

        # One class, embedded by both, holding the panels both windows name.
        assert type(live.view) is IncidentView and type(review.view) is IncidentView
        for window in (live, review):
            view = window.view
            assert window.centralWidget().isAncestorOf(view)
            assert (window.live, window.caller, window.map_view) == (view.live, view.caller, view.map_view)
            assert view.isAncestorOf(view.queue) and view.isAncestorOf(view.live) and view.isAncestorOf(view.map_view)

        assert review.now == console.clock.now()
        assert live.view.selected.incident == review.view.selected.incident == first
        seen_live, seen_review = shown(live.view), shown(review.view)
        assert seen_live["selected in the queue"] == first
        assert seen_live["counters"]["accepted"] == "4/5" and seen_live["counters"]["arrived"] == "1"
        assert len(seen_live["responders"]) == len(state.responders)
        assert any(cell[live.responder_model.COL_ETA] not in ("", "✓") for cell in seen_live["responders"])
        assert seen_review == seen_live

        # The map is the same view too: the same layers for the same state.
        layers = ("victim", "ring", "responder", "route", "aed")
        live_map = console.map_counts()
        review_map = run_async(review.map_view.eval_json("window.api.counts()"))
        assert live_map["responder"] == len(state.responders)
        assert {k: review_map[k] for k in layers} == {k: live_map[k] for k in layers}
        errors = review.map_view.script_errors
    finally:
        gone: list[bool] = []
        review.destroyed.connect(lambda: gone.append(True))
        review.close()
        review.deleteLater()
        qtbot.waitUntil(lambda: bool(gone), timeout=5_000)
    assert errors == []
