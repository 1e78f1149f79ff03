"""The complaint dialog (issue 15) on the embedded engine: register a complaint against the
selected incident, a bad field named and nothing written, investigating then answered, and
"Nazien (klacht)" opens the incident's review with the reason "klacht <id>" in the access log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMainWindow

from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.registry.table import Registry
from alert_engine.review.access_log import AccessLog
from alert_engine.service import LocalService
from console.complaints.dialog import ComplaintDialog, install_complaints_action
from console.funnel import MessageFunnel
from console.review.menu import install_review_menu
from tests.builders import EVENING, alerted, ring_responders

from .console_harness import QT_LOG_IGNORE

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


def _service(path: Path) -> LocalService:
    from alert_engine.clock import SimClock

    clock = SimClock(EVENING)
    service = LocalService(Registry.from_records(ring_responders(30), []), SqliteEventStore(path), clock)
    alerted(service.engine, "I1", clock)
    service.engine.close("I1")
    clock.advance(86400)
    return service


def cells(dialog: ComplaintDialog) -> list[list[str]]:
    t = dialog.table
    return [[t.item(i, j).text() for j in range(t.columnCount())] for i in range(t.rowCount())]


def test_a_complaint_is_registered_moved_on_and_its_review_opened_with_klacht(
        qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path))  # the access log goes here
    service = _service(tmp_path / "events.sqlite")
    window = QMainWindow()
    qtbot.addWidget(window)
    window.current_incident = "I1"  # type: ignore[attr-defined]
    funnel = MessageFunnel()
    messages: list[tuple[str, str]] = []
    funnel.message.connect(lambda level, text: messages.append((level, text)))
    menu = install_review_menu(window, service, funnel, tmp_path / "events.sqlite")
    action = install_complaints_action(menu, service, funnel)
    assert action is not None and action in menu.menu.actions() and action.text() == "Klachten…"

    opened: list[tuple[str, str, str]] = []
    report = tmp_path / "rapport-I1.html"
    report.write_text("<html>rapport</html>", encoding="utf-8")
    dialog = ComplaintDialog(service, funnel, "I1", open_review=lambda *a: opened.append(a),
                             choose=lambda _parent: str(report), parent=window)
    qtbot.addWidget(dialog)
    assert dialog.incident_edit.text() == "I1" and cells(dialog) == []
    dialog.complainant.setCurrentIndex(dialog.complainant.findData("relative"))
    dialog.summary_edit.setPlainText("Niemand kwam met een AED")
    dialog.received_edit.setDate(QDate(2026, 11, 23))
    dialog.by_edit.setText("K. Behandelaar")
    dialog.register_button.click()  # no reference yet
    assert messages[-1] == ("warning", "contact: required") and cells(dialog) == []

    dialog.contact_edit.setText("KL-2026-113")
    dialog.register_button.click()
    assert cells(dialog) == [["I1-K1", "I1", "23-11-2026", "naaste", "Niemand kwam met een AED", "ontvangen", "–"]]
    assert dialog.selected() is not None and dialog.investigate_button.isEnabled()
    assert not dialog.answer_button.isEnabled()
    dialog.investigate_button.click()
    assert cells(dialog)[0][-2] == "in onderzoek"
    dialog.report_button.click()
    assert cells(dialog)[0][-1] == "rapport-I1.html"
    dialog.answer_button.click()  # an answer needs a note
    assert messages[-1] == ("warning", "note: an answered complaint needs a note saying what was answered")
    dialog.note_edit.setText("Brief verstuurd")
    dialog.answer_button.click()
    assert cells(dialog)[0][-2] == "beantwoord" and not dialog.answer_button.isEnabled()
    dialog.review_button.click()
    assert opened == [("I1", "K. Behandelaar", "klacht I1-K1")]

    [c] = service.complaints()
    assert [s.status for s in c.steps] == ["received", "investigating", "answered"]
    import hashlib
    assert c.reports[0].sha256 == hashlib.sha256(report.read_bytes()).hexdigest()
    with AccessLog(tmp_path / "access-log.sqlite") as log:
        entries = log.entries("I1")
    assert [(e.action, e.reason, e.details["step"]) for e in entries] == [
        ("complaint", "klacht I1-K1", "registered"), ("complaint", "klacht I1-K1", "investigating"),
        ("complaint", "klacht I1-K1", "report_linked"), ("complaint", "klacht I1-K1", "answered")]
    with AccessLog(tmp_path / "access-log.sqlite") as log:
        assert [e.reason for e in log.entries("*")] == ["klacht (lijst)"]  # opening the list is a read too


def test_nazien_opens_the_review_of_the_incident_with_reason_klacht(qtbot: Any, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path))
    service = _service(tmp_path / "events.sqlite")
    service.engine.register_complaint("I1", "patient", "KL-1", "te laat", "2026-11-23", "K. Behandelaar")
    window = QMainWindow()
    qtbot.addWidget(window)
    funnel = MessageFunnel()
    menu = install_review_menu(window, service, funnel, tmp_path / "events.sqlite")
    install_complaints_action(menu, service, funnel)
    menu.complaints_action.trigger()  # type: ignore[attr-defined]
    dialog = window.findChild(ComplaintDialog)
    assert dialog is not None
    dialog.table.selectRow(0)
    dialog.review_button.click()
    assert len(menu.open_windows) == 1
    review = menu.open_windows[0]
    assert "I1" in review.windowTitle()
    with AccessLog(tmp_path / "access-log.sqlite") as log:
        [entry] = [e for e in log.entries("I1") if e.action == "open"]
    assert entry.reason == "klacht I1-K1" and entry.who
    review.close()
    dialog.close()


def test_on_the_centres_service_the_dialog_registers_through_the_endpoints(qtbot: Any, tmp_path: Path) -> None:
    from console.remote import RemoteBackend
    from tests.alert_engine.centre.serving import WS1, Serve

    node = Serve(tmp_path, str(tmp_path / "events.sqlite")).start()
    backend = None
    try:
        r = node.post("/v1/calls", {"lat": 52.0705, "lon": 4.3007, "patient_age_years": 67, "location_kind": "home"})
        incident = r.json()["incident"]
        backend = RemoteBackend([node.url], WS1)
        funnel = MessageFunnel()
        dialog = ComplaintDialog(backend, funnel, incident, log_access=False)
        qtbot.addWidget(dialog)
        assert not dialog.by_edit.isVisibleTo(dialog)  # the token names who does it
        dialog.contact_edit.setText("KL-9")
        dialog.summary_edit.setPlainText("Geen annulering ontvangen")
        dialog.register_button.click()
        assert [row[0] for row in cells(dialog)] == [f"{incident}-K1"]
        dialog.investigate_button.click()
        assert cells(dialog)[0][-2] == "in onderzoek"
        [listed] = node.get("/v1/complaints").json()["complaints"]
        assert listed["status"] == "investigating" and listed["steps"][0]["by"] == "A. Jansen"
        with AccessLog(tmp_path / "access-node-a.sqlite") as log:
            reasons = [e.reason for e in log.entries(incident) if e.action == "complaint"]
        assert reasons[:2] == [f"klacht {incident}-K1"] * 2
    finally:
        if backend is not None:
            backend.close()
        node.kill()
