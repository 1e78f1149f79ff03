"""Issue 13: a call from the dispatch system shows its ambulance's ETA counting down on the
live panel, next to the first coming responder's expected arrival."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from alert_engine.api import AmbulanceStatus, Respond, TriggerAlert
from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.funnel import MessageFunnel
from console.models.aeds import AedTableModel
from console.models.responders import ResponderTableModel
from console.widgets.live_panel import LivePanel, countdown
from tests.builders import AMS, ring_responders
from tests.paths import TEST_DATA

pytestmark = pytest.mark.gui


def test_countdown_text() -> None:
    assert (countdown(462), countdown(0.2), countdown(0), countdown(-35)) == ("07:42", "00:01", "00:00", "+00:35")


def test_the_ambulance_eta_counts_down_next_to_the_first_responder(qtbot: Any, tmp_path: Path) -> None:
    clock = SimClock(datetime(2025, 3, 14, 21, 5, 30, tzinfo=AMS))
    service = LocalService(Registry.from_records(ring_responders(60), []),
                           SqliteEventStore(tmp_path / "events.sqlite"), clock)
    now = service.now
    panel = LivePanel(service, MessageFunnel(), ResponderTableModel(service, now), AedTableModel(service, now), now)
    qtbot.addWidget(panel)
    service.subscribe(panel.on_events)
    text = (TEST_DATA / "intake" / "gms-new.json").read_text(encoding="utf-8")
    incident = service.receive_intake(text, "gms").incident
    panel.set_incident(incident)
    assert panel.ambulance_label.isVisibleTo(panel)
    # eta_s 480 after 21:05:12 is 21:13:12; it is 21:05:30.
    assert panel.ambulance_label.text() == "Ambulance 15-105: over 07:42 (ETA 21:13:12)"
    clock.advance(60)
    panel.tick()
    assert panel.ambulance_label.text() == "Ambulance 15-105: over 06:42 (ETA 21:13:12)"
    assert incident is not None
    service.execute(TriggerAlert(incident))
    nearest = min(service.state(incident).responders.values(), key=lambda r: r.distance_m)
    service.execute(Respond(incident, nearest.id, "accept"))
    assert " · eerste hulpverlener over " in panel.ambulance_label.text()
    clock.advance(500)  # the ambulance is late: the count goes on past its ETA
    panel.tick()
    assert panel.ambulance_label.text().startswith("Ambulance 15-105: over +01:38")
    service.execute(AmbulanceStatus(incident, "15-105", "on_scene"))
    assert panel.ambulance_label.text() == "Ambulance ter plaatse om 21:14:50"
