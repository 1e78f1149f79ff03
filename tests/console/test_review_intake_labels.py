"""Issue 13 in review: the dispatch system's messages and the ambulance's status and ETA are
named on the player's line and have a lane on the timeline, in Dutch and in English."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from alert_engine.api import AmbulanceStatus
from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.registry.table import Registry
from alert_engine.review.report_text import describe
from alert_engine.service import LocalService
from console.i18n import Translations
from console.review.player import event_text
from console.review.timeline import LANES, TimelineWidget
from tests.builders import AMS, ring_responders
from tests.paths import TEST_DATA

pytestmark = pytest.mark.gui

NEW_KINDS = ("intake_received", "ambulance_status_changed", "ambulance_eta_changed", "intake_silent",
             "coordinator_assigned")


def test_intake_and_ambulance_events_are_named_in_both_languages(qtbot: Any, tmp_path: Path) -> None:
    clock = SimClock(datetime(2025, 3, 14, 21, 5, 30, tzinfo=AMS))
    service = LocalService(Registry.from_records(ring_responders(20), []),
                           SqliteEventStore(tmp_path / "events.sqlite"), clock)
    incident = service.receive_intake((TEST_DATA / "intake" / "gms-new.json").read_bytes(), "gms").incident
    assert incident is not None
    clock.advance(60)
    service.receive_intake((TEST_DATA / "intake" / "gms-update-location.json").read_bytes(), "gms")
    clock.advance(200)
    service.execute(AmbulanceStatus(incident, "15-105", "on_scene"))
    events = service.events(incident)
    t0 = events[0].time
    by_kind = {e.type: e for e in reversed(events)}  # the first of each kind
    assert {"intake_received", "ambulance_status_changed", "ambulance_eta_changed"} <= set(by_kind)

    nl = {k: event_text(by_kind[k], t0) for k in ("intake_received", "ambulance_status_changed",
                                                   "ambulance_eta_changed")}
    assert nl == {"intake_received": "T+00:00 Bericht meldkamersysteem",
                  "ambulance_status_changed": "T+00:00 Ambulancestatus",
                  "ambulance_eta_changed": "T+01:00 Aanrijtijd ambulance"}
    translations = Translations(QApplication.instance())  # type: ignore[arg-type]
    assert translations.switch("en", persist=False)
    try:
        en = {k: event_text(e, t0) for k, e in by_kind.items() if k in nl}
    finally:
        translations.switch("nl", persist=False)
    assert en == {"intake_received": "T+00:00 Dispatch-system message",
                  "ambulance_status_changed": "T+00:00 Ambulance status",
                  "ambulance_eta_changed": "T+01:00 Ambulance ETA"}
    # The report's detail line (the engine's text) says what the message did.
    assert describe(by_kind["intake_received"], {}) == "GMS · nieuwe melding"
    assert describe(by_kind["ambulance_eta_changed"], {}).startswith("eenheid 15-105 · ETA 21:14:30")

    # Every new kind has its lane; the timeline draws the incident's events with them.
    for kind in NEW_KINDS:
        assert any(kind in kinds for _name, kinds in LANES), kind
    timeline = TimelineWidget(events, t0, events[-1].time)
    qtbot.addWidget(timeline)
    timeline.resize(900, timeline.sizeHint().height())
    image = timeline.grab().toImage()
    assert not image.isNull() and image.width() == 900
