"""The AED check-back in the engine: out of alerts until "ready", reminders on time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from alert_engine.errors import IllegalTransition, InvalidInput
from alert_engine.state import fold
from tests.builders import aed_at, alerted, facts, make_engine, ring_responders


def _runner_of(engine, incident, aed):
    return next(r["id"] for r in engine.store.read(incident)[-1]["responders"] if r["aed"] == aed)


def _used_and_closed(engine, clock, incident="I1", aed="A1"):
    alerted(engine, incident, clock)
    runner = _runner_of(engine, incident, aed)
    engine.respond(incident, runner, "accept")
    engine.aed_fetched(incident, aed)
    clock.advance(600)
    return engine.close(incident)


def _alert_aeds(engine, incident):
    engine.call(incident, facts())
    engine.dispatch_ambulance(incident, "15-102")
    sent = engine.trigger_alert(incident)[-1]
    assert sent.type == "alert_sent"
    return [a["id"] for a in sent["aeds"]]


def test_an_aed_awaiting_its_check_is_never_alerted_until_ready():
    engine, clock, _ = make_engine(ring_responders(40, 500), [aed_at("A1", 100, 0), aed_at("A2", 300, 0)])
    closed = _used_and_closed(engine, clock)
    assert [e["aed"] for e in closed if e.type == "aed_check_requested"] == ["A1"]
    assert [c.aed for c in engine.aed_checks()] == ["A1"]
    # Every later alarm within a week: A1 is never sent, A2 (ready) is.
    for day in range(7):
        clock.advance(24 * 3600)
        engine.remind_aed_checks()
        assert _alert_aeds(engine, f"J{day}") == ["A2"]
        engine.close(f"J{day}")
    # An answer that cannot be "ready" changes nothing: named field, nothing written.
    before = engine.last_seq
    with pytest.raises(InvalidInput, match=r"^pads_replaced:"):
        engine.answer_aed_check("A1", {"fetched": True, "used": True, "returned": True, "outcome": "ready"})
    assert engine.last_seq == before and _alert_aeds(engine, "K1") == ["A2"]
    engine.close("K1")
    events = engine.answer_aed_check("A1", {"fetched": True, "used": True, "returned": True,
                                            "pads_replaced": True, "outcome": "ready"})
    assert [e.type for e in events] == ["aed_check_answered", "aed_ready_confirmed"]
    assert engine.aed_checks() == []
    assert _alert_aeds(engine, "K2") == ["A1", "A2"]
    with pytest.raises(IllegalTransition, match="not waiting"):
        engine.answer_aed_check("A1", {"outcome": "ready"})
    # The review report tells the check-back in words.
    from alert_engine.review.report import render_report

    html = render_report(engine.store.read("I1"), "I1")
    assert "AED-controle: herinnering" in html and "AED-controle beantwoord" in html
    assert "opgehaald, gebruikt, teruggebracht, elektroden vervangen; inzetklaar" in html


def test_an_aed_whose_code_was_given_needs_a_check_even_without_fetched():
    engine, clock, _ = make_engine(ring_responders(40, 500), [aed_at("A1", 100, 0)])
    alerted(engine, "I1", clock)
    engine.respond("I1", _runner_of(engine, "I1", "A1"), "accept")
    closed = engine.close("I1")
    assert [e["aed"] for e in closed if e.type == "aed_check_requested"] == ["A1"]


def test_reminders_go_at_24_and_72_hours_on_the_simulated_clock():
    engine, clock, _ = make_engine(ring_responders(40, 500), [aed_at("A1", 100, 0)])
    _used_and_closed(engine, clock)
    requested = engine.aed_checks()[0].requested_at
    assert engine.next_aed_check_reminder() == requested + timedelta(hours=24)
    clock.set(requested + timedelta(hours=23, minutes=59, seconds=59))
    assert engine.remind_aed_checks() == []
    clock.set(requested + timedelta(hours=24))
    first = engine.remind_aed_checks()
    assert [(e.type, e["aed"], e["round"], e.time) for e in first] == [
        ("aed_check_reminded", "A1", "24h", requested + timedelta(hours=24))]
    assert engine.remind_aed_checks() == []  # once
    clock.set(requested + timedelta(hours=71, minutes=59))
    assert engine.remind_aed_checks() == []
    clock.set(requested + timedelta(hours=80))  # the timer ran late (a failover): sent at once
    assert [e["round"] for e in engine.remind_aed_checks()] == ["72h"]
    clock.advance(30 * 24 * 3600)
    assert engine.remind_aed_checks() == [] and engine.next_aed_check_reminder() is None
    assert engine.aed_checks()[0].reminders == ("24h", "72h")


def test_out_of_service_until_a_date_stays_out_and_asks_that_morning():
    engine, clock, _ = make_engine(ring_responders(40, 500), [aed_at("A1", 100, 0)])
    _used_and_closed(engine, clock)  # 22 Nov 2026, evening
    with pytest.raises(InvalidInput, match=r"^until: must be a day after today"):
        engine.answer_aed_check("A1", {"outcome": "out_of_service", "until": "2026-11-22"})
    with pytest.raises(InvalidInput, match=r"^until: give the date"):
        engine.answer_aed_check("A1", {"outcome": "out_of_service"})
    engine.answer_aed_check("A1", {"fetched": True, "used": True, "outcome": "out_of_service",
                                   "until": "2026-11-30"})
    check = engine.aed_checks()[0]
    assert str(check.out_of_service_until) == "2026-11-30" and check.answers[0]["used"] is True
    # Answered: no 24 h / 72 h reminders; the one on 30 November at 09:00 Amsterdam time.
    due = engine.next_aed_check_reminder()
    assert due is not None and due.isoformat() == "2026-11-30T09:00:00+01:00"
    clock.advance(4 * 24 * 3600)
    assert engine.remind_aed_checks() == []
    assert _alert_aeds(engine, "L1") == []
    engine.close("L1")
    clock.set(due)
    assert [e["round"] for e in engine.remind_aed_checks()] == ["back_in_service"]
    # The fold of the stored log says the same as the live engine.
    replayed = fold(engine.store.read("I1"), "I1")
    assert replayed.aed_check_detail["A1"].reminders == ("back_in_service",)
    assert replayed.aed_checks == ("A1",)
