"""Issue 13 point 3: the coordinator's role reaches the responder by the channels their
alert used (the delivery policy and the dispatcher, with in-memory gateways), once, and
only while the alarm is open; nobody else hears of it."""

from __future__ import annotations

from alert_engine.channels.policy import DeliveryPolicy, plan
from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.engine import Engine
from tests.builders import aed_at, alerted, facts, make_engine

from ..views.test_arrival import AEDS, PEOPLE
from .test_channel_policy import dispatcher_for, reach_all, run_steps, sent


def coordinator_alarm(**config: object) -> tuple[Engine, SimClock]:
    engine, clock, _ = make_engine(PEOPLE, AEDS, config=AlertConfig(
        max_responders=6, wanted_responders=6, min_radius_m=1500, coordinator_role=True,
        coordinator_window_s=300, **config))  # type: ignore[arg-type]
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    engine.trigger_alert("I1")
    return engine, clock


def test_the_coordinator_hears_of_the_role_on_each_channel_the_alert_used_and_nobody_else() -> None:
    engine, clock = coordinator_alarm()
    d, gw = dispatcher_for(engine, clock)
    run_steps(d)  # the alert's pushes
    ids = set(engine.state("I1").responders)
    assert {o.responder for o in gw["webpush"].sent} == ids
    # R2's push went unanswered for 20 s: the SMS followed (R2 now has two channels).
    sent(engine, "I1", "R2", "sms", attempt=2, why="no_receipt")
    for rid in ("R1", "R3", "R2"):  # R2 is the third direct responder, inside the window
        engine.respond("I1", rid, "accept")
    assert engine.state("I1").coordinator == "R2"
    gw["webpush"].sent.clear()
    run_steps(d)
    told = [(o.channel, o.responder) for g in gw.values() for o in g.sent if o.kind == "coordinator"]
    assert sorted(told) == [("app", "R2"), ("sms", "R2")]
    push = next(o for o in gw["webpush"].sent if o.kind == "coordinator")
    sms = next(o for o in gw["sms"].sent if o.kind == "coordinator")
    for text in (push.text, sms.text):
        assert "coördinator" in text and "ambulance" in text and "reanimatie" in text
    assert push.data["title"] == "Je bent coördinator" and push.key == "I1/R2/app/coordinator"
    assert not any(o.kind == "coordinator" for o in gw["voice"].sent)
    # Written before it was sent, once: later steps send nothing again.
    written = [e for e in engine.store.read("I1") if e.type == "message_sent" and e["kind"] == "coordinator"]
    assert [(e["responder"], e["channel"]) for e in written] == [("R2", "app"), ("R2", "sms")]
    for g in gw.values():
        g.sent.clear()
    run_steps(d)
    assert not any(o.kind == "coordinator" for g in gw.values() for o in g.sent)


def test_no_role_message_once_the_alarm_is_over_or_with_the_option_off() -> None:
    engine, clock = coordinator_alarm()
    for rid in engine.state("I1").responders:
        sent(engine, "I1", rid, "app")
    for rid in ("R1", "R3", "R2"):
        engine.respond("I1", rid, "accept")
    due = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert [(x.responder, x.channel) for x in due.sends if x.kind == "coordinator"] == [("R2", "app")]
    engine.cancel_alarm("I1")
    due = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert not any(x.kind == "coordinator" for x in due.sends)  # the cancellation goes instead
    assert {x.responder for x in due.sends if x.kind == "cancel"} >= {"R2"}

    off, off_clock, _ = make_engine(PEOPLE, [aed_at("A1", 500, 0)], config=AlertConfig(
        max_responders=6, wanted_responders=6, min_radius_m=1500))
    alerted(off, "I1")
    for rid in off.state("I1").responders:
        sent(off, "I1", rid, "app")
    for rid in ("R1", "R3", "R2"):
        off.respond("I1", rid, "accept")
    due = plan(off.state("I1"), off_clock.now(), DeliveryPolicy(), reach_all())
    assert off.state("I1").coordinator is None and not any(x.kind == "coordinator" for x in due.sends)
