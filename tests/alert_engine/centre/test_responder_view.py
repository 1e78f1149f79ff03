"""What a responder's page may be shown, read straight off the fold (responder_view.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from alert_engine.centre.responder_view import (
    SHOWN_AFTER_END,
    AedInfo,
    AlarmIndex,
    current_view,
    responder_view,
)
from alert_engine.events import Event
from alert_engine.state import IncidentState, fold

T0 = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
VICTIM = (52.07312, 4.30457)
AEDS = {"AED1": AedInfo("Hal van het gemeentehuis", "4711"), "AED2": AedInfo("Sporthal De Kei", "0815")}
RESPONDERS: list[dict[str, Any]] = [
    {"id": "R1", "role": "cpr", "aed": None, "distance_m": 310.0, "lat": 52.0752, "lon": 4.3049, "pseudonym": "BHV-1"},
    {"id": "R2", "role": "aed", "aed": "AED1", "distance_m": 520.0, "lat": 52.0701, "lon": 4.3001, "pseudonym": "BHV-2"},
    {"id": "R3", "role": "aed", "aed": "AED2", "distance_m": 640.0, "lat": 52.0777, "lon": 4.3102, "pseudonym": "BHV-3"},
    {"id": "R4", "role": "cpr", "aed": None, "distance_m": 700.0, "lat": 52.0790, "lon": 4.2990, "pseudonym": "BHV-4"},
]


class Log:
    def __init__(self, mode: str = "live") -> None:
        self.events: list[Event] = []
        self.t = T0
        self.add("call_received", lat=VICTIM[0], lon=VICTIM[1], mode=mode, address="Spui 70, Den Haag",
                 location_description="derde verdieping, lift rechts")
        self.add("ambulance_dispatched", unit="15-101")
        self.add("alert_sent", radius_m=800.0, responders=RESPONDERS,
                 aeds=[{"id": "AED1", "distance_m": 240.0, "lat": 52.0712, "lon": 4.3020},
                       {"id": "AED2", "distance_m": 410.0, "lat": 52.0760, "lon": 4.3080}])

    def add(self, type: str, **data: Any) -> Log:
        self.t += timedelta(seconds=5)
        self.events.append(Event(len(self.events) + 1, self.t, "I1", type, data))
        return self

    def state(self) -> IncidentState:
        return fold(self.events, "I1")


def view(log: Log, rid: str) -> dict[str, Any]:
    v = responder_view(log.state(), rid, AEDS.get, 180.0)
    assert v is not None
    return v


def text(v: dict[str, Any]) -> str:
    return json.dumps(v, ensure_ascii=False)


def test_the_cabinet_code_reaches_only_that_aeds_runner_after_accepting_and_until_fetched() -> None:
    log = Log()
    assert view(log, "R2")["aed"]["cabinet_code"] is None  # ringing: not yet
    log.add("responder_accepted", responder="R2")
    assert view(log, "R2")["aed"]["cabinet_code"] == "4711"
    assert "4711" not in text(view(log, "R3")) and "4711" not in text(view(log, "R1"))
    log.add("responder_accepted", responder="R3")
    assert view(log, "R3")["aed"]["cabinet_code"] == "0815"
    assert "0815" not in text(view(log, "R2")) and "AED2" not in text(view(log, "R2"))
    log.add("responder_accepted", responder="R1")
    assert view(log, "R1")["aed"] is None and "cabinet" not in text(view(log, "R1")).replace('"cabinet_code":null', "")
    log.add("aed_fetched", aed="AED1")
    fetched = view(log, "R2")
    assert fetched["aed"]["cabinet_code"] is None and fetched["actions"] == ["arrived"]


def test_the_exact_point_and_address_only_after_accepting() -> None:
    log = Log()
    before = view(log, "R1")
    assert before["victim"] == {"lat": 52.073, "lon": 4.305, "exact": False, "radius_m": 100,
                                "address": None, "description": None}
    assert "Spui" not in text(before) and "derde" not in text(before)
    log.add("responder_accepted", responder="R1")
    after = view(log, "R1")["victim"]
    assert after["exact"] and (after["lat"], after["lon"]) == VICTIM
    assert after["address"] == "Spui 70, Den Haag" and after["description"] == "derde verdieping, lift rechts"
    log.add("responder_declined", responder="R4")
    assert view(log, "R4")["victim"]["lat"] is None  # declined: nothing about the place any more


def test_a_view_names_nobody_else() -> None:
    log = Log().add("responder_accepted", responder="R2").add("responder_accepted", responder="R1")
    for r in RESPONDERS:
        seen = text(view(log, r["id"]))
        others = [x for o in RESPONDERS if o is not r for x in (o["id"], o["pseudonym"], str(o["lat"]))]
        assert [x for x in others if x in seen] == []
        assert r["pseudonym"] not in seen  # not even one's own: the page asks /v1/me for that


@pytest.mark.parametrize(("events", "status", "reason"), [
    ([("cancellation_sent", {"responders": ["R4"], "reason": "target_reached"})], "not_needed", "target_reached"),
    ([("oversupply", {"responder": "R4"})], "not_needed", "oversupply"),
    ([("cancellation_sent", {"responders": ["R4"], "reason": "dispatcher"}), ("alarm_cancelled", {"by": "dispatcher"})],
     "cancelled", "dispatcher"),
    ([("cancellation_sent", {"responders": ["R4"], "reason": "closed"}), ("incident_closed", {})], "cancelled", "closed"),
    ([("responder_timed_out", {"responder": "R4"})], "timed_out", None),
    ([("responder_declined", {"responder": "R4"})], "declined", None),
])
def test_why_an_alert_ended_comes_from_the_fold(events: list[tuple[str, dict[str, Any]]], status: str,
                                                reason: str | None) -> None:
    log = Log()
    # One commit: the cancellation and its cause carry the same time.
    log.t += timedelta(seconds=5)
    for i, (typ, data) in enumerate(events):
        log.events.append(Event(len(log.events) + 1, log.t, "I1", typ, data))
        assert i < 2
    v = view(log, "R4")
    assert (v["status"], v["reason"]) == (status, reason)
    assert (v["actions"] == ["accept", "decline"]) == (status == "timed_out")


def test_after_arriving_the_end_of_the_alarm_offers_aftercare() -> None:
    log = Log().add("responder_accepted", responder="R1").add("responder_arrived", responder="R1")
    assert view(log, "R1")["status"] == "arrived" and view(log, "R1")["aftercare"]
    log.add("incident_closed")
    v = view(log, "R1")
    assert v["status"] == "ended" and v["aftercare"] and v["ended_at"]
    assert not view(Log().add("responder_declined", responder="R1"), "R1")["aftercare"]


def test_a_test_alarm_is_marked_and_sends_nobody_anywhere() -> None:
    log = Log(mode="test")
    v = view(log, "R1")
    assert v["mode"] == "test" and v["victim"]["lat"] is None and v["distance_m"] is None
    assert v["actions"] == ["accept", "decline"]
    log.add("responder_accepted", responder="R1")
    assert view(log, "R1")["actions"] == [] and not view(log, "R1")["aftercare"]


def test_the_page_shows_the_alarm_that_holds_the_responder_and_forgets_old_ones() -> None:
    old = Log().add("responder_declined", responder="R1")
    new = Log()
    new.events = [Event(e.seq, e.time + timedelta(hours=1), "I2", e.type, e.data) for e in new.events]
    states = {"I1": old.state(), "I2": fold(new.events, "I2")}
    now = T0 + timedelta(hours=1, minutes=1)
    assert current_view(states, ["I1", "I2"], "R1", AEDS.get, 180.0, now)["incident"] == "I2"  # type: ignore[index]
    assert current_view({"I1": old.state()}, ["I1"], "R1", AEDS.get, 180.0, now)["status"] == "declined"  # type: ignore[index]
    later = T0 + SHOWN_AFTER_END + timedelta(minutes=5)
    assert current_view({"I1": old.state()}, ["I1"], "R1", AEDS.get, 180.0, later) is None


def test_the_index_finds_a_responders_alarms_in_the_published_log() -> None:
    class P:
        def __init__(self, e: Event) -> None:
            self.seq, self.type, self.incident, self.json = e.seq, e.type, e.incident, e.to_json()

    log = Log()
    index = AlarmIndex(lambda after: [P(e) for e in log.events if e.seq > after])
    index.refresh()
    assert index.incidents_of("R3") == ["I1"] and index.incidents_of("R9") == []
