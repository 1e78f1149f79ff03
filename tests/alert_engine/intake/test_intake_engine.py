"""Issue 13: messages from the dispatch system become events: a new call, updates of the
same incident, cancellation, duplicates that change nothing, refusals kept as dead letters,
units with status and ETA, and the incidents whose dispatch system went silent."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from alert_engine.api import AmbulanceStatus, TriggerAlert
from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.errors import InvalidInput
from alert_engine.eventlog.jsonl import redact_events
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.intake import IntakeInvalid
from alert_engine.registry.table import Registry
from alert_engine.review.report_text import describe, event_label
from alert_engine.service import LocalService
from tests.builders import AMS, aed_at, ring_responders
from tests.paths import TEST_DATA

GMS_NEW_AT = datetime(2025, 3, 14, 21, 5, 30, tzinfo=AMS)  # 18 s after the message's time


def text(name: str) -> str:
    return (TEST_DATA / "intake" / f"{name}.json").read_text(encoding="utf-8")


def service(tmp_path: Path, start: datetime = GMS_NEW_AT, **config: Any) -> tuple[LocalService, SimClock]:
    clock = SimClock(start)
    registry = Registry.from_records(ring_responders(120), [aed_at("A1", 150, 0), aed_at("A2", -300, 200)])
    store = SqliteEventStore(tmp_path / "events.sqlite")
    return LocalService(registry, store, clock, AlertConfig(**config)), clock


def types(events: list[Any]) -> list[str]:
    return [e.type for e in events]


def gms(**fields: Any) -> str:
    base = json.loads(text("gms-new"))
    base.update(fields)
    return json.dumps(base)


def test_a_new_message_is_a_prefilled_call_that_waits_for_the_dispatcher(tmp_path: Path) -> None:
    svc, _ = service(tmp_path)
    out = svc.receive_intake(text("gms-new"), "gms")
    assert out.outcome == "new"
    assert types(out.events) == ["call_received", "exclusion_assessed", "intake_received",
                                 "ambulance_dispatched", "ambulance_status_changed"]
    s = svc.state(out.incident or "")
    assert (s.lat, s.lon) == (52.05753, 4.49317)
    assert s.facts["patient_age_years"] == 58
    assert s.facts["address"] == "Dorpsstraat 12a, 2712 AB Zoetermeer"
    assert s.call_time == datetime(2025, 3, 14, 21, 5, 12, tzinfo=AMS)  # the 112 clock runs from GMS's time
    assert s.ambulance_units == ("15-105",)
    unit = s.units["15-105"]
    assert (unit.status, unit.source) == ("en_route", "gms")
    assert unit.eta == datetime(2025, 3, 14, 21, 13, 12, tzinfo=AMS)  # eta_s 480 after the message
    assert s.intake is not None and s.intake.triage and s.intake.triage["suspected"] is True
    assert s.intake.notes == ("Echtgenote start reanimatie, AED in de sporthal",)
    # Nothing is alerted until the dispatcher confirms the criteria and alerts.
    assert s.alert_time is None and svc.alert_blocker(s.id) is None
    sent = svc.execute(TriggerAlert(s.id))
    assert types(sent) == ["alert_sent"] and "automatic" not in sent[0].data


def test_an_update_moves_the_same_incident_and_its_units(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    incident = svc.receive_intake(text("gms-new"), "gms").incident
    clock.advance(80)
    out = svc.receive_intake(text("gms-update-location"), "gms")
    assert (out.outcome, out.incident) == ("update", incident)
    assert types(out.events) == ["intake_received", "call_updated", "exclusion_assessed",
                                 "ambulance_eta_changed", "ambulance_dispatched", "ambulance_status_changed"]
    s = svc.state(incident or "")
    assert (s.lat, s.lon) == (52.0591, 4.4962)
    assert s.units["15-105"].eta == datetime(2025, 3, 14, 21, 14, 30, tzinfo=AMS)
    assert s.units["15-112"].status == "dispatched"
    assert s.ambulance_units == ("15-105", "15-112")
    assert len(svc.incidents()) == 1


def test_a_duplicate_or_an_older_message_changes_nothing(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    svc.receive_intake(text("gms-new"), "gms")
    clock.advance(80)
    svc.receive_intake(text("gms-update-location"), "gms")
    before = len(svc.events())
    # The same text with other whitespace and key order is the same message.
    again = json.dumps(json.loads(text("gms-update-location")), indent=1, sort_keys=True)
    assert svc.receive_intake(again, "gms").outcome == "duplicate"
    assert svc.receive_intake(text("gms-new"), "gms").outcome == "duplicate"  # older than the update
    assert len(svc.events()) == before


def test_a_cancellation_cancels_the_running_alarm(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    incident = svc.receive_intake(text("gms-new"), "gms").incident or ""
    svc.execute(TriggerAlert(incident))
    clock.advance(200)
    out = svc.receive_intake(text("gms-cancel"), "gms")
    assert types(out.events)[:3] == ["intake_received", "cancellation_sent", "alarm_cancelled"]
    assert out.events[1]["reason"] == "dispatch_system"
    s = svc.state(incident)
    assert s.phase == "cancelled" and not s.alarm_open
    assert out.events[2]["by"] == "gms"


def test_a_cancellation_before_the_alert_blocks_it(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    incident = svc.receive_intake(text("gms-new"), "gms").incident or ""
    clock.advance(200)
    assert types(svc.receive_intake(text("gms-cancel"), "gms").events) == ["intake_received", "alarm_cancelled"]
    assert svc.alert_blocker(incident) == "cancelled"
    refused = svc.execute(TriggerAlert(incident))
    assert types(refused) == ["alert_refused"] and refused[0]["reason"] == "cancelled"


def test_an_invalid_message_names_the_field_writes_nothing_and_is_kept(tmp_path: Path) -> None:
    svc, _ = service(tmp_path)
    bad = gms(units=[{"id": "15-105", "status": "en_route", "eta_s": 480, "eta": "2025-03-14T21:13:00+01:00"}])
    with pytest.raises(IntakeInvalid, match=r"units\[0\].eta_s: give eta or eta_s, not both"):
        svc.receive_intake(bad, "gms")
    assert svc.events() == [] and svc.incidents() == []
    letter = svc.dead_letters.entries[-1]
    assert (letter.field, letter.source, letter.text) == ("units[0].eta_s", "gms", bad)


def test_a_new_message_without_a_point_is_refused_not_guessed(tmp_path: Path) -> None:
    svc, _ = service(tmp_path, start=datetime(2025, 6, 2, 10, 16, tzinfo=AMS))
    with pytest.raises(IntakeInvalid, match="location: no point") as caught:
        svc.receive_intake(text("eido-2025-civic-caution"))
    assert "never guesses" in str(caught.value)
    assert svc.events() == [] and len(svc.dead_letters) == 1


def test_hints_are_shown_never_applied_and_stop_the_automatic_alert(tmp_path: Path) -> None:
    svc, _ = service(tmp_path, start=datetime(2025, 7, 19, 16, 3, tzinfo=AMS), intake_auto_alert=True)
    motorway = json.loads(text("eido-2025-motorway"))
    out = svc.receive_intake(json.dumps(motorway))
    s = svc.state(out.incident or "")
    assert {h["criterion"] for h in s.intake.hints} == {"trauma", "motorway"}  # type: ignore[union-attr]
    assert s.facts["trauma"] is False  # a hint is the dispatcher's to confirm
    assert s.alert_time is None


def test_the_automatic_alert_fires_only_when_asked_and_nothing_is_hinted(tmp_path: Path) -> None:
    svc, _ = service(tmp_path, intake_auto_alert=True)
    out = svc.receive_intake(text("gms-new"), "gms")
    assert types(out.events)[-1] == "alert_sent"
    assert out.events[-1]["automatic"] is True
    hinted = gms(incident_id="GMS-2", notes=["Steekpartij, politie ter plaatse"])
    s = svc.state(svc.receive_intake(hinted, "gms").incident or "")
    assert s.alert_time is None and "violence" in {h["criterion"] for h in s.intake.hints}  # type: ignore[union-attr]


def test_a_restarted_engine_knows_the_last_message_of_each_incident(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    incident = svc.receive_intake(text("gms-new"), "gms").incident
    svc.close()
    again, _ = service(tmp_path, start=clock.now() + timedelta(seconds=80))
    assert again.receive_intake(text("gms-new"), "gms").outcome == "duplicate"
    out = again.receive_intake(text("gms-update-location"), "gms")
    assert (out.outcome, out.incident) == ("update", incident)


def test_the_dispatcher_enters_a_units_status_and_eta(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    incident = svc.receive_intake(text("gms-new"), "gms").incident or ""
    eta = clock.now() + timedelta(minutes=6)
    events = svc.execute(AmbulanceStatus(incident, "15-120", "en_route", eta))
    assert types(events) == ["ambulance_dispatched", "ambulance_status_changed"]
    assert events[1]["source"] == "dispatcher"
    assert svc.execute(AmbulanceStatus(incident, "15-120", "en_route", eta)) == []  # nothing new
    assert types(svc.execute(AmbulanceStatus(incident, "15-120", "on_scene"))) == [
        "ambulance_status_changed", "ambulance_arrived"]
    s = svc.state(incident)
    assert s.units["15-120"].status == "on_scene" and s.ambulance_arrived_at == clock.now()
    with pytest.raises(InvalidInput, match="status: 'parked' is not one of"):
        svc.execute(AmbulanceStatus(incident, "15-120", "parked"))


def test_a_silent_dispatch_system_flags_then_closes_the_incident(tmp_path: Path) -> None:
    svc, clock = service(tmp_path, intake_silent_after_s=600, intake_close_after_s=3600)
    incident = svc.receive_intake(text("gms-new"), "gms").incident or ""
    assert svc.engine.next_deadline() == clock.now() + timedelta(seconds=600)
    clock.advance(599)
    svc.pump()
    assert svc.state(incident).intake.silent_since is None  # type: ignore[union-attr]
    clock.advance(1)
    svc.pump()
    flagged = svc.events(incident)[-1]
    assert flagged.type == "intake_silent" and flagged["silent_s"] == 600
    # A message clears the flag and restarts both clocks.
    clock.advance(60)
    svc.receive_intake(gms(time="2025-03-14T21:16:00+01:00", type="update"), "gms")
    assert svc.state(incident).intake.silent_since is None  # type: ignore[union-attr]
    clock.advance(3599)
    svc.pump()
    assert svc.state(incident).is_open
    clock.advance(1)
    svc.pump()
    s = svc.state(incident)
    assert s.phase == "closed"
    assert svc.events(incident)[-1]["reason"] == "intake_silent"


def test_the_review_timeline_names_what_the_dispatch_system_did(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    incident = svc.receive_intake(text("gms-new"), "gms").incident or ""
    clock.advance(80)
    svc.receive_intake(text("gms-update-location"), "gms")
    lines = [(event_label(e.type), describe(e, {})) for e in svc.events(incident)]
    assert ("Bericht meldkamersysteem", "GMS · nieuwe melding") in lines
    assert ("Bericht meldkamersysteem", "GMS · bijgewerkt · 3 wijzigingen") in lines
    assert ("Ambulancestatus", "eenheid 15-105: onderweg · ETA 21:13:12") in lines
    assert ("Aanrijtijd ambulance", "eenheid 15-105 · ETA 21:14:30") in lines


def test_a_redacted_export_keeps_no_address_note_or_exact_point_of_the_message(tmp_path: Path) -> None:
    svc, clock = service(tmp_path)
    svc.receive_intake(gms(notes=["Echtgenote start reanimatie", "Steekpartij bij de buren"]), "gms")
    clock.advance(80)
    svc.receive_intake(text("gms-update-location"), "gms")
    full = "\n".join(e.to_json() for e in svc.events())
    assert "Dorpsstraat" in full and "Echtgenote" in full and "52.05753" in full
    redacted = "\n".join(e.to_json() for e in redact_events(svc.events()))
    for private in ("Dorpsstraat", "Echtgenote", "bij de buren", "52.05753", "52.0591", "fietspad"):
        assert private not in redacted, private
    received = [e for e in redact_events(svc.events()) if e.type == "intake_received"]
    assert [h["criterion"] for h in received[0]["hints"]] == ["violence"]  # what was hinted stays
    assert [c["kind"] for c in received[1]["changes"]] == ["location_moved", "unit_eta_changed", "unit_added"]
