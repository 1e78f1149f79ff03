"""The console's list of AEDs awaiting their manager's check (issue 15), on the embedded engine."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.aedcheck.dialog import AedCheckDialog, install_aed_check_action
from console.funnel import MessageFunnel
from tests.builders import EVENING, aed_at, alerted, ring_responders

from .console_harness import QT_LOG_IGNORE

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def _service() -> tuple[LocalService, SimClock]:
    clock = SimClock(EVENING)
    service = LocalService(Registry.from_records(ring_responders(40, 500), [aed_at("A1", 100, 0)]),
                           MemoryEventStore(), clock)
    engine = service.engine
    alerted(engine, "I1", clock)
    runner = next(r["id"] for r in engine.store.read("I1")[-1]["responders"] if r["aed"] == "A1")
    engine.respond("I1", runner, "accept")
    engine.aed_fetched("I1", "A1")
    engine.close("I1")
    return service, clock


def cells(dialog: AedCheckDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(i, j).text() for j in range(t.columnCount())] for i in range(t.rowCount())]


def test_the_dialog_lists_the_aed_with_its_age_and_follows_reminders_and_the_answer(qtbot: Any) -> None:
    service, clock = _service()
    window = QMainWindow()
    qtbot.addWidget(window)
    window.go_menu = window.menuBar().addMenu("Ga naar")  # type: ignore[attr-defined]
    action = install_aed_check_action(window, service, MessageFunnel())
    assert action in window.go_menu.actions() and action.text() == "AED's wachtend op controle…"  # type: ignore[attr-defined]

    dialog = AedCheckDialog(service, MessageFunnel(), window)
    qtbot.addWidget(dialog)
    rows = cells(dialog)
    assert len(rows) == 1 and rows[0][0] == "A1" and rows[0][1] == "kast A1"
    assert rows[0][3] == "0 min" and rows[0][4] == "–" and rows[0][5] == "wacht op beheerder"
    assert dialog.summary.text().startswith("1 AED's krijgen geen alarmen")

    clock.advance(25 * 3600)
    service.engine.remind_aed_checks()
    dialog.refresh()
    assert cells(dialog)[0][3:5] == ["25 u", "24h"]

    service.engine.answer_aed_check("A1", {"fetched": True, "returned": True, "outcome": "ready"}, via="console")
    dialog.refresh()
    assert dialog.table.rowCount() == 0 and dialog.summary.text() == "Geen AED's wachtend op controle."
