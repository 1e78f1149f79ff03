"""One test per alerting rule, asserting what a dispatcher would notice in the log."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from alert_engine.config import AlertConfig
from alert_engine.errors import AlertRefused, IllegalTransition
from alert_engine.registry.model import Address, AedStatus, GpsFix, Responder
from alert_engine.state import fold, state_at
from tests.builders import (
    AMS,
    EVENING,
    ZOETERMEER,
    aed_at,
    alerted,
    facts,
    make_engine,
    offset,
    ring_responders,
)


def types(events):
    return [e.type for e in events]


def test_alert_refused_until_an_ambulance_is_dispatched():
    engine, clock, _ = make_engine(ring_responders(20), [aed_at("A1", 100, 0)])
    engine.call("I1", facts())
    refused = engine.trigger_alert("I1")
    assert types(refused) == ["alert_refused"]
    assert refused[0]["reason"] == "no_ambulance"
    clock.advance(20)
    engine.dispatch_ambulance("I1", "15-101")
    sent = engine.trigger_alert("I1")
    assert types(sent) == ["alert_sent"]
    assert engine.state("I1").phase == "alerted"


def test_exclusion_blocks_alert_until_overridden_with_a_reason():
    engine, _, _ = make_engine(ring_responders(20), [])
    events = engine.call("I1", facts(age=0.5))
    assessed = events[-1]
    assert assessed["excluded"] is True and assessed["criteria"] == ["infant"]
    engine.dispatch_ambulance("I1", "15-101")
    assert engine.trigger_alert("I1")[0]["reason"] == "excluded"
    with pytest.raises(AlertRefused, match="written reason"):
        engine.override_exclusion("I1", "   ")
    engine.override_exclusion("I1", "Leeftijd bleek 4 jaar")
    assert types(engine.trigger_alert("I1")) == ["alert_sent"]


def test_unknown_age_is_flagged_not_excluded():
    engine, _, _ = make_engine(ring_responders(5), [])
    assessed = engine.call("I1", facts(age=None))[-1]
    assert assessed["excluded"] is False
    assert assessed["age_unknown"] is True


def test_new_fact_from_caller_reassesses_and_needs_a_fresh_override():
    engine, _, _ = make_engine(ring_responders(5), [])
    engine.call("I1", facts(trauma=True))
    engine.override_exclusion("I1", "geen trauma volgens ambulance")
    assert not engine.state("I1").exclusion_stands
    engine.update_call("I1", {"violence": True})
    s = engine.state("I1")
    assert s.exclusion_stands and set(s.criteria) == {"trauma", "violence"}


def test_only_eligible_responders_are_alerted():
    good = ring_responders(10, 300)
    lat, lon = offset(ZOETERMEER, 50, 50)
    bad = [
        Responder("INACTIVE", date(2027, 1, 1), (Address(lat, lon),), active=False),
        Responder("EXPIRED", date(2026, 11, 21), (Address(lat, lon),)),
        Responder("DAYTIME", date(2027, 1, 1), (Address(lat, lon, "Mo-Su 08:00-17:00"),)),
        Responder("OFFDUTY", date(2027, 1, 1), (Address(lat, lon),), availability="Mo-Su 06:00-12:00"),
        # Registered at home next door, but GPS says they are 30 km away right now.
        Responder("AWAY", date(2027, 1, 1), (Address(lat, lon),),
                  gps=GpsFix(52.37, 4.89, EVENING)),
        # Stale GPS fix: falls back to the home address, which is near.
        Responder("STALEGPS", date(2027, 1, 1), (Address(lat, lon),),
                  gps=GpsFix(52.37, 4.89, datetime(2026, 11, 22, 17, 0, tzinfo=AMS))),
    ]
    engine, _, _ = make_engine(good + bad, [])
    alerted(engine)
    ids = {r["id"] for r in engine.store.read()[-1]["responders"]}
    assert {"INACTIVE", "EXPIRED", "DAYTIME", "OFFDUTY", "AWAY"}.isdisjoint(ids)
    assert "STALEGPS" in ids
    assert {r.id for r in good} <= ids


def test_radius_grows_where_responders_are_sparse_and_caps_at_100():
    town, _, _ = make_engine(ring_responders(300, 600), [])
    alerted(town)
    sent = town.store.read()[-1]
    assert sent["radius_m"] <= 400  # the 70th nearest is within ~330 m
    assert 70 <= len(sent["responders"]) < 100

    dense, _, _ = make_engine(ring_responders(1000, 600), [])
    alerted(dense)
    sent = dense.store.read()[-1]
    assert sent["radius_m"] == AlertConfig().min_radius_m
    assert len(sent["responders"]) == 100  # more than 100 inside: the 100 nearest
    distances = [r["distance_m"] for r in sent["responders"]]
    assert distances == sorted(distances) and max(distances) <= sent["radius_m"]

    sparse, _, _ = make_engine(ring_responders(30, 1900), [])
    alerted(sparse)
    sent = sparse.store.read()[-1]
    assert sent["radius_m"] == AlertConfig().max_radius_m
    assert len(sent["responders"]) == 30


def test_at_most_three_aeds_only_ready_and_open_now():
    aeds = [
        aed_at("NEAR_CLOSED", 50, 0, "Mo-Fr 08:00-18:00"),  # Sunday evening: closed
        aed_at("NEAR_MAINT", 60, 0, status=AedStatus.MAINTENANCE),
        aed_at("A1", 100, 0), aed_at("A2", 200, 0), aed_at("A3", 300, 0), aed_at("A4", 400, 0),
    ]
    engine, _, _ = make_engine(ring_responders(60, 800), aeds)
    alerted(engine)
    sent = engine.store.read()[-1]
    assert [a["id"] for a in sent["aeds"]] == ["A1", "A2", "A3"]


def test_roles_nearest_direct_others_fetch_and_only_runners_get_the_code():
    engine, _, channel = make_engine(ring_responders(90, 900), [aed_at("A1", 150, 0), aed_at("A2", -200, 100)])
    alerted(engine)
    sent = engine.store.read()[-1]
    responders = sent["responders"]
    direct = [r for r in responders if r["role"] == "cpr"]
    runners = [r for r in responders if r["role"] == "aed"]
    assert responders[0]["role"] == "cpr"  # the nearest goes straight to the victim
    assert max(r["distance_m"] for r in direct[: len(responders) // 3]) <= min(
        r["distance_m"] for r in runners
    )
    assert 0.4 <= len(runners) / len(responders) <= 0.7
    assert {r["aed"] for r in runners} == {"A1", "A2"}  # spread over both AEDs
    by_id = {m.responder: m for m in channel.sent if m.kind == "alert"}
    for r in responders:
        code = by_id[r["id"]].cabinet_code
        assert code == (f"C-{r['aed']}" if r["role"] == "aed" else None)


def test_no_aed_in_reach_everyone_goes_direct():
    engine, _, _ = make_engine(ring_responders(30, 500), [aed_at("FAR", 4000, 0)])
    alerted(engine)
    sent = engine.store.read()[-1]
    assert sent["aeds"] == []
    assert {r["role"] for r in sent["responders"]} == {"cpr"}


def _accept(engine, clock, rids):
    out = []
    for rid in rids:
        clock.advance(3)
        out.extend(engine.respond("I1", rid, "accept"))
    return out


def test_target_met_cancels_the_pending_and_late_accepts_are_oversupply():
    engine, clock, channel = make_engine(ring_responders(40, 600), [aed_at("A1", 100, 0), aed_at("A2", -100, 0)])
    alerted(engine, clock=clock)
    responders = engine.store.read()[-1]["responders"]
    runners = [r["id"] for r in responders if r["role"] == "aed"]
    direct = [r["id"] for r in responders if r["role"] == "cpr"]
    events = _accept(engine, clock, direct[:4])
    assert "cancellation_sent" not in types(events)  # 4 accepted, no runner yet
    events = _accept(engine, clock, runners[:1])
    assert "cancellation_sent" not in types(events)  # 5 accepted, but only 1 AED runner
    events = _accept(engine, clock, runners[1:2])
    assert types(events) == ["responder_accepted", "cancellation_sent"]
    cancel = events[-1]
    assert cancel["reason"] == "target_reached"
    s = engine.state("I1")
    assert set(cancel["responders"]) == set(s.responders) - set(direct[:4] + runners[:2])
    assert s.phase == "target_met"
    late = engine.respond("I1", direct[5], "accept")
    assert types(late) == ["oversupply"]
    assert engine.state("I1").oversupply == (direct[5],)
    assert channel.sent[-1].kind == "not_needed"


def test_unanswered_alerts_time_out_on_the_clock():
    engine, clock, _ = make_engine(ring_responders(10, 300), [])
    alerted(engine, clock=clock)
    deadline = engine.next_deadline()
    assert deadline is not None
    clock.set(deadline)
    lapsed = engine.tick()
    assert len(lapsed) == 10 and {e.type for e in lapsed} == {"responder_timed_out"}
    assert engine.tick() == []


def test_responder_is_never_on_two_open_alarms():
    engine, clock, _ = make_engine(ring_responders(30, 400), [])
    alerted(engine, "I1", clock)
    engine.call("I2", facts(offset(ZOETERMEER, 100, 0)))
    engine.dispatch_ambulance("I2", "15-102")
    second = engine.trigger_alert("I2")
    assert types(second) == ["alert_refused"] and second[0]["reason"] == "no_responders_in_reach"
    first = {r["id"] for r in engine.store.read("I1")[-1]["responders"]}
    engine.respond("I1", "R1", "decline")
    engine.close("I1")  # closing frees everyone for the next alarm
    engine.call("I3", facts())
    engine.dispatch_ambulance("I3", "15-103")
    third = {r["id"] for r in engine.trigger_alert("I3")[0]["responders"]}
    assert third == first
    with pytest.raises(AlertRefused, match="already alerted"):
        engine.trigger_alert("I3")


def test_dispatcher_cancel_tells_everyone_coming_and_used_aeds_need_a_check():
    engine, clock, _ = make_engine(ring_responders(30, 500), [aed_at("A1", 100, 0)])
    alerted(engine, clock=clock)
    engine.respond("I1", "R1", "accept")
    engine.aed_fetched("I1", "A1")
    events = engine.cancel_alarm("I1")
    assert types(events) == ["cancellation_sent", "alarm_cancelled", "aed_check_requested"]
    assert "R1" in events[0]["responders"] and events[0]["reason"] == "dispatcher"
    # Awaiting its check (kept in the event log's fold, not written into the registry):
    # the next alarm does not send anyone to fetch it.
    assert engine.aeds_awaiting_check() == {"A1"}
    assert engine.registry.aed_status("A1") == AedStatus.READY  # the manager's own status
    clock.advance(60)
    engine.call("I2", facts())
    engine.dispatch_ambulance("I2", "15-102")
    assert engine.trigger_alert("I2")[-1]["aeds"] == []
    engine.confirm_aed_ready("A1")
    assert engine.aeds_awaiting_check() == set()
    engine.close("I2")
    engine.call("I3", facts())
    engine.dispatch_ambulance("I3", "15-103")
    assert [a["id"] for a in engine.trigger_alert("I3")[-1]["aeds"]] == ["A1"]


def test_illegal_moves_fail_loudly_and_write_nothing():
    engine, clock, _ = make_engine(ring_responders(10, 300), [])
    alerted(engine, clock=clock)
    before = len(engine.store.read())
    with pytest.raises(IllegalTransition, match="R2 is alerted"):
        engine.arrive("I1", "R2")
    with pytest.raises(IllegalTransition, match="not_started to handed_over"):
        engine.caller_instruction("I1", "handed_over")
    with pytest.raises(IllegalTransition, match="was not alerted"):
        engine.respond("I1", "NOBODY", "accept")
    assert len(engine.store.read()) == before


def test_caller_instruction_lifecycle_and_phase():
    engine, clock, _ = make_engine(ring_responders(10, 300), [])
    alerted(engine, clock=clock)
    engine.caller_instruction("I1", "instructing")
    clock.advance(200)
    engine.respond("I1", "R1", "accept")
    engine.arrive("I1", "R1")
    engine.caller_instruction("I1", "handed_over")
    s = engine.state("I1")
    assert s.phase == "handed_over"
    assert s.caller_instruction_since["handed_over"] > s.caller_instruction_since["instructing"]
    events = engine.close("I1")
    assert types(events)[-2:] == ["caller_instruction_changed", "incident_closed"]


def test_state_is_the_fold_of_the_events_at_any_moment():
    engine, clock, _ = make_engine(ring_responders(40, 600), [aed_at("A1", 100, 0)])
    alerted(engine, clock=clock)
    mid_time = None
    for i, r in enumerate(list(engine.state("I1").responders)[:8]):
        clock.advance(5)
        engine.respond("I1", r, "accept" if i % 2 == 0 else "decline")
        if i == 3:
            mid_time = clock.now()
            mid_live = engine.state("I1")
    events = engine.store.read()
    assert fold(events, "I1") == engine.state("I1")
    assert state_at(events, "I1", mid_time) == mid_live


def test_test_alarm_only_opted_in_in_the_municipality_and_marked_test():
    rs = ring_responders(20, 500, municipality="Zoetermeer")
    rs = [r if i % 2 else type(r)(**{**{f: getattr(r, f) for f in r.__slots__}, "test_alarms_opt_in": True})
          for i, r in enumerate(rs)]
    elsewhere = ring_responders(5, 500, seed=9, municipality="Delft", test_alarms_opt_in=True)
    elsewhere = [type(r)(**{**{f: getattr(r, f) for f in r.__slots__}, "id": "D" + r.id}) for r in elsewhere]
    engine, _, channel = make_engine(rs + elsewhere, [aed_at("A1", 100, 0)])
    events = engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")
    sent = events[-1]
    assert types(events) == ["call_received", "alert_sent"]
    ids = {r["id"] for r in sent["responders"]}
    assert ids == {r.id for r in rs if r.test_alarms_opt_in}
    assert sent["aeds"] == []  # no cabinet is opened for an exercise
    assert all(m.text.startswith("TEST") and m.cabinet_code is None for m in channel.sent)


def test_live_alarm_takes_precedence_over_a_test_alarm():
    rs = ring_responders(20, 400, municipality="Zoetermeer", test_alarms_opt_in=True)
    engine, clock, channel = make_engine(rs, [])
    # R1..R20 on a live alarm first: nobody is left for a test alarm.
    alerted(engine, "LIVE1", clock)
    assert engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")[-1]["reason"] == "no_test_responders"
    engine.close("LIVE1")
    engine.test_alarm("T2", *ZOETERMEER, "Zoetermeer")
    # A real alarm now takes them off the exercise before alerting them.
    engine.call("LIVE2", facts())
    engine.dispatch_ambulance("LIVE2", "15-102")
    events = engine.trigger_alert("LIVE2")
    assert types(events) == ["cancellation_sent", "alert_sent"]
    assert events[0].incident == "T2" and events[0]["reason"] == "live_alarm"
    assert set(events[0]["responders"]) == {r["id"] for r in events[1]["responders"]}
    assert any("echte reanimatie" in m.text for m in channel.sent if m.kind == "cancel")
