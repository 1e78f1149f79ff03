"""Issue 13: the intake form on a call from the dispatch system (real engine, offscreen Qt).

The hints box says what the message said and never ticks a criterion; a later message
updates the open form, but not over a fact the dispatcher is typing.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.gazetteer import Gazetteer
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.funnel import MessageFunnel
from console.widgets.intake import IntakePanel
from tests.builders import EVENING, ZOETERMEER, ring_responders

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"^This plugin does not support ")]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


def message(clock: SimClock, kind: str, **fields: Any) -> str:
    return json.dumps({"format": "gms-adapter/1", "incident_id": "GMS-FORM-1", "type": kind,
                       "time": (clock.now() - timedelta(seconds=5)).isoformat(), **fields})


def test_the_form_shows_the_message_and_keeps_what_the_dispatcher_types(qtbot: Any, gazetteer: Gazetteer) -> None:
    clock = SimClock(EVENING)
    service = LocalService(Registry.from_records(ring_responders(20), []), MemoryEventStore(), clock)
    funnel = MessageFunnel()
    said: list[tuple[str, str]] = []
    funnel.message.connect(lambda level, text: said.append((level, text)))
    panel = IntakePanel(service, gazetteer, funnel)
    qtbot.addWidget(panel)
    panel.show()

    # A typed call: no box.
    panel.set_location(*ZOETERMEER, "Testadres 1, Zoetermeer")
    assert not panel.hints.isVisibleTo(panel)

    # A call whose triage the table cannot place, with no hint at all.
    incident = service.receive_intake(message(clock, "new", triage={"code": "A1", "text": "Onwel"},
                                              location={"lat": ZOETERMEER[0], "lon": ZOETERMEER[1]},
                                              patient={"age_years": 40}), "gms").incident
    panel.load_incident(incident)
    assert panel.hints.isVisibleTo(panel)
    assert panel.hints.triage.text() == "Triage: A1 Onwel – de centralist beoordeelt"
    assert panel.hints.hint_texts() == []
    assert "Geen aanwijzingen voor een uitsluitcriterium in het bericht" in panel.hints.hints.text()
    assert not panel.hints.notes.isVisibleTo(panel)

    # An update with a hint and an age: both show, and no box is ticked.
    clock.advance(20)
    service.receive_intake(message(clock, "update", patient={"age_years": 41},
                                   notes=["Aanrijding met fietser"]), "gms")
    qtbot.waitUntil(lambda: panel.age.age() == 41, timeout=3000)
    (hint,) = panel.hints.hint_texts()
    assert hint.startswith("⚠ Ernstig (ongevals)trauma – woorden “Aanrijding”")
    assert "“Aanrijding met fietser”" in hint
    assert not panel.trauma.isChecked()
    assert panel.hints.notes.text() == "Notities: Aanrijding met fietser"

    # The dispatcher is typing the age when the next message changes it: theirs stays.
    panel.age.set_age(45.0)
    clock.advance(20)
    service.receive_intake(message(clock, "update", patient={"age_years": 42}), "gms")
    qtbot.waitUntil(lambda: any("terwijl u typte" in text for _level, text in said), timeout=3000)
    assert panel.age.age() == 45


def test_the_queue_and_responder_models_stay_valid_with_an_intake_call(qtmodeltester: Any) -> None:
    from alert_engine.api import TriggerAlert
    from console.models.incident_queue import SOURCE_ROLE, IncidentQueueModel
    from console.models.responders import ResponderTableModel

    clock = SimClock(EVENING)
    service = LocalService(Registry.from_records(ring_responders(30), []), MemoryEventStore(), clock)
    queue = IncidentQueueModel(service)
    responders = ResponderTableModel(service)
    service.subscribe(queue.apply_events)
    service.subscribe(responders.apply_events)
    incident = service.receive_intake(message(clock, "new", triage={"code": "09-E-01"},
                                              location={"lat": ZOETERMEER[0], "lon": ZOETERMEER[1]},
                                              units=[{"id": "15-101", "status": "en_route", "eta_s": 150}]),
                                      "gms").incident
    assert incident is not None
    responders.set_incident(incident)
    service.execute(TriggerAlert(incident))
    assert queue.index(queue.row_of(incident), queue.COL_SOURCE).data() == "GMS"
    assert queue.index(queue.row_of(incident), 0).data(SOURCE_ROLE) == "gms"
    assert any(responders.index(i, responders.COL_ETA).data() == "na amb." for i in range(responders.rowCount()))
    qtmodeltester.check(queue)
    qtmodeltester.check(responders)
