"""Issue 12: the delivery policy on a simulated clock (no database, no network).

`plan` is a pure function of the folded state and the time; the dispatcher writes what is
due before it hands it to a gateway, so the log alone says what was sent. These tests
drive both with a SimClock and in-memory gateways.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import pytest

from alert_engine import actor as acting
from alert_engine.channels.compose import Outgoing
from alert_engine.channels.contacts import (
    MemoryDirectory,
    SyntheticDirectory,
    phone_number,
    push_subscription,
)
from alert_engine.channels.dispatcher import ChannelDispatcher
from alert_engine.channels.gateways import Outcome
from alert_engine.channels.policy import DeliveryPolicy, plan
from alert_engine.channels.settings import ChannelSettings, settings_from
from alert_engine.clock import SimClock
from alert_engine.engine import Engine
from alert_engine.errors import IllegalTransition, InvalidInput
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.events import Event
from alert_engine.testalarm.summary import summarise
from tests.builders import aed_at, alerted, facts, make_engine, ring_responders

APP_SMS = ("app", "sms", "voice")


def reach_all(chain: Sequence[str] = APP_SMS) -> Callable[[str], Sequence[str]]:
    return lambda rid: chain


def sent(engine: Engine, incident: str, responder: str, channel: str, kind: str = "alert",
         attempt: int = 1, why: str = "first") -> None:
    with acting.acting(acting.SYSTEM):
        engine.record_messages([(incident, "message_sent", {"responder": responder, "channel": channel, "kind": kind,
                                                             "attempt": attempt, "why": why})])


def failed(engine: Engine, incident: str, responder: str, channel: str, reason: str = "http_503") -> None:
    m = engine.state(incident).messages[f"{responder}/{channel}/alert"]
    with acting.acting(acting.SYSTEM):
        engine.record_messages([(incident, "message_failed", {"responder": responder, "channel": channel,
                                                               "kind": "alert", "attempt": m.attempt,
                                                               "reason": reason})])


@pytest.fixture
def alarm() -> tuple[Engine, SimClock, datetime]:
    engine, clock, _ = make_engine(ring_responders(30), [aed_at("A1", 100, 100), aed_at("A2", -150, 50)])
    alerted(engine, "I1", clock)
    t0 = engine.state("I1").alert_time
    assert t0 is not None
    return engine, clock, t0


def test_push_first_then_sms_at_20_s_then_voice_for_the_nearest_at_60_s(alarm: Any) -> None:
    engine, clock, t0 = alarm
    policy = DeliveryPolicy(voice_nearest=3)
    s = engine.state("I1")
    p = plan(s, clock.now(), policy, reach_all())
    assert {(x.channel, x.why, x.attempt) for x in p.sends} == {("app", "first", 1)}
    assert len(p.sends) == len(s.responders)
    for x in p.sends:
        sent(engine, "I1", x.responder, "app")
    first = sorted(s.responders)[0]
    engine.acknowledge_message("I1", first, "app")
    clock.advance(19)
    p = plan(engine.state("I1"), clock.now(), policy, reach_all())
    assert p.sends == [] and p.next_due is not None and (p.next_due - t0).total_seconds() == 20
    clock.advance(1)
    p = plan(engine.state("I1"), clock.now(), policy, reach_all())
    assert {x.channel for x in p.sends} == {"sms"} and {x.attempt for x in p.sends} == {2}
    assert first not in {x.responder for x in p.sends}  # the app's receipt: no SMS (as since 2022)
    assert len(p.sends) == len(s.responders) - 1
    for x in p.sends:
        sent(engine, "I1", x.responder, "sms", attempt=2, why=x.why)
    clock.advance(40)
    p = plan(engine.state("I1"), clock.now(), policy, reach_all())
    unreached = sorted((r for r in engine.state("I1").responders.values() if not r.reached),
                       key=lambda r: r.distance_m)
    assert [x.responder for x in p.sends] == [r.id for r in unreached[:3]]
    assert {(x.channel, x.why, x.attempt) for x in p.sends} == {("voice", "nearest_unreached", 3)}
    for x in p.sends:
        sent(engine, "I1", x.responder, "voice", attempt=3, why=x.why)
    assert plan(engine.state("I1"), clock.now(), policy, reach_all()).sends == []  # the 3 calls are the budget


def test_a_failed_push_makes_the_sms_due_at_once(alarm: Any) -> None:
    engine, clock, _ = alarm
    rid = sorted(engine.state("I1").responders)[0]
    sent(engine, "I1", rid, "app")
    clock.advance(2)
    failed(engine, "I1", rid, "app", "gone")
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), lambda r: APP_SMS if r == rid else ())
    assert [(x.responder, x.channel, x.why) for x in p.sends] == [(rid, "sms", "failed")]


def test_without_the_app_the_first_channel_is_sms_and_voice_only_is_called_at_once(alarm: Any) -> None:
    engine, clock, _ = alarm
    ids = sorted(engine.state("I1").responders)
    chains = {ids[0]: ("sms", "voice"), ids[1]: ("voice",), ids[2]: ()}
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), lambda r: chains.get(r, ()))
    assert sorted((x.responder, x.channel, x.why) for x in p.sends) == [(ids[0], "sms", "first"),
                                                                           (ids[1], "voice", "first")]


def test_pushes_that_fail_are_an_outage_and_the_alarm_switches_to_sms(alarm: Any) -> None:
    engine, clock, _ = alarm
    ids = sorted(engine.state("I1").responders)
    for rid in ids:
        sent(engine, "I1", rid, "app")
    for rid in ids[:3]:
        failed(engine, "I1", rid, "app")
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert p.outages == []  # 3 of 30: three phones, not the provider
    assert {x.responder for x in p.sends} == set(ids[:3])
    for rid in ids[3:16]:
        failed(engine, "I1", rid, "app")
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert [(o.channel, o.reason) for o in p.outages] == [("app", "errors")]
    # the whole alarm goes to SMS now, also those whose push did not fail (yet)
    assert {x.responder for x in p.sends} == set(ids) and {x.channel for x in p.sends} == {"sms"}


def test_a_silent_push_service_is_an_outage_after_20_s(alarm: Any) -> None:
    engine, clock, t0 = alarm
    ids = sorted(engine.state("I1").responders)
    for rid in ids:
        sent(engine, "I1", rid, "app")
    for rid in ids[:10]:  # a third acknowledges, then the provider goes quiet
        engine.acknowledge_message("I1", rid)
    clock.advance(10)
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert p.outages == [] and p.next_due == t0 + (p.next_due - t0)
    clock.advance(10)
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert [(o.channel, o.reason, dict(o.detail)) for o in p.outages] == [
        ("app", "unacknowledged", {"unacknowledged": 20, "sent": 30})]
    assert {x.responder for x in p.sends} == set(ids[10:])
    assert {(x.channel, x.why) for x in p.sends} == {("sms", "outage")}


def test_cancellations_follow_the_channels_the_alert_used(alarm: Any) -> None:
    engine, clock, _ = alarm
    ids = sorted(engine.state("I1").responders)
    for rid in ids:
        sent(engine, "I1", rid, "app")
    sent(engine, "I1", ids[0], "sms", attempt=2, why="no_receipt")
    engine.cancel_alarm("I1")
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    got = {(x.responder, x.channel) for x in p.sends}
    assert got == {(r, "app") for r in ids} | {(ids[0], "sms")}
    assert {x.kind for x in p.sends} == {"cancel"} and {x.reason for x in p.sends} == {"dispatcher"}
    assert not any(x.kind == "alert" for x in p.sends)  # everything stops at the cancellation


def test_a_cancellation_on_a_channel_in_outage_takes_the_next_one(alarm: Any) -> None:
    engine, clock, _ = alarm
    ids = sorted(engine.state("I1").responders)
    for rid in ids:
        sent(engine, "I1", rid, "app")
    with acting.acting(acting.SYSTEM):
        engine.record_messages([("I1", "channel_outage", {"channel": "app", "reason": "unacknowledged"})])
    engine.cancel_alarm("I1")
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert {x.channel for x in p.sends} == {"sms"} and len(p.sends) == len(ids)


def test_the_target_stops_every_alert_and_late_accepts_hear_not_needed(alarm: Any) -> None:
    engine, clock, _ = alarm
    s = engine.state("I1")
    for rid in s.responders:
        sent(engine, "I1", rid, "app")
        engine.acknowledge_message("I1", rid)
    runners = [r.id for r in s.responders.values() if r.role == "aed"][:2]
    direct = [r.id for r in s.responders.values() if r.role == "cpr"][:3]
    for rid in runners + direct:
        engine.respond("I1", rid, "accept")
    s = engine.state("I1")
    assert s.target_met_at is not None
    late = next(r for r in s.responders.values() if r.state == "cancelled")
    engine.respond("I1", late.id, "accept")  # oversupply
    clock.advance(30)
    p = plan(engine.state("I1"), clock.now(), DeliveryPolicy(), reach_all())
    assert not any(x.kind == "alert" for x in p.sends)
    assert {x.reason for x in p.sends if x.kind == "cancel"} == {"target_reached"}
    assert [(x.responder, x.channel) for x in p.sends if x.kind == "not_needed"] == [(late.id, "app")]


def test_training_never_reaches_a_phone() -> None:
    engine, clock, _ = make_engine(ring_responders(10), [])
    engine.call("T1", facts(), mode="training")
    engine.dispatch_ambulance("T1", "15-101")
    engine.trigger_alert("T1")
    assert plan(engine.state("T1"), clock.now(), DeliveryPolicy(), reach_all()).sends == []
    with pytest.raises(InvalidInput, match="training"):
        DeliveryPolicy.from_mapping({"modes": ["live", "training"]})


def test_the_fold_refuses_a_second_message_on_one_channel(alarm: Any) -> None:
    engine, _, _ = alarm
    rid = sorted(engine.state("I1").responders)[0]
    sent(engine, "I1", rid, "app")
    before = engine.last_seq
    with pytest.raises(IllegalTransition, match="already sent"):
        sent(engine, "I1", rid, "app", attempt=2)
    assert engine.last_seq == before  # nothing half-written


def test_an_acknowledgement_is_recorded_once_and_only_for_an_alerted_responder(alarm: Any) -> None:
    engine, _, _ = alarm
    rid = sorted(engine.state("I1").responders)[0]
    sent(engine, "I1", rid, "app")
    events = engine.acknowledge_message("I1", rid, "app")
    assert [(e.type, e["attempt"]) for e in events] == [("message_acknowledged", 1)]
    assert engine.acknowledge_message("I1", rid, "app") == []
    with pytest.raises(IllegalTransition):
        engine.acknowledge_message("I1", "nobody", "app")
    with pytest.raises(InvalidInput):
        engine.acknowledge_message("I1", rid, "pigeon")


# -- the dispatcher, with in-memory gateways ----------------------------------------------------
class RecordingGateway:
    def __init__(self, name: str, channel: str, fail: bool = False) -> None:
        self.name, self.channel, self.fail = name, channel, fail
        self.sent: list[Outgoing] = []

    def accepts(self, address: Any) -> bool:
        return address is not None

    async def send(self, out: Outgoing) -> Outcome:
        self.sent.append(out)
        return Outcome(False, "http_503") if self.fail else Outcome(True)

    async def aclose(self) -> None:
        pass


class Host:
    def __init__(self, engine: Engine) -> None:
        self.lock = threading.RLock()
        self.engine = engine
        self.active = True

    def is_active(self) -> bool:
        return self.active

    def write_as_system(self, work: Callable[[], list[Event]]) -> list[Event]:
        with self.lock, acting.acting(acting.SYSTEM):
            return work()


def dispatcher_for(engine: Engine, clock: SimClock, *, fail_push: bool = False,
                   policy: DeliveryPolicy | None = None) -> tuple[ChannelDispatcher, dict[str, RecordingGateway]]:
    gateways = {"webpush": RecordingGateway("webpush", "app", fail_push), "sms": RecordingGateway("sms", "sms"),
                "voice": RecordingGateway("voice", "voice")}
    settings = ChannelSettings(policy=policy or DeliveryPolicy(), gateways=dict(gateways))  # type: ignore[arg-type]
    d = ChannelDispatcher(Host(engine), settings, SyntheticDirectory("http://127.0.0.1:9/push"), clock.now)
    engine.subscribe(d.notice)
    return d, gateways


def run_steps(d: ChannelDispatcher, n: int = 3) -> None:
    async def go() -> None:
        for _ in range(n):
            await d.step()
            await asyncio.gather(*list(d._inflight))

    asyncio.run(go())


def test_the_dispatcher_writes_before_it_sends_and_a_restart_sends_nothing_twice() -> None:
    store = MemoryEventStore()
    engine, clock, _ = make_engine(ring_responders(12), [aed_at("A1", 100, 100)], store=store)
    alerted(engine, "I1", clock)
    d, gw = dispatcher_for(engine, clock)
    run_steps(d)
    n = len(engine.state("I1").responders)
    assert len(gw["webpush"].sent) == n and not gw["sms"].sent
    assert all(e["actor"] == "system" for e in store.read() if e.type == "message_sent")
    keys = [o.key for o in gw["webpush"].sent]
    assert len(set(keys)) == n and all(k.startswith("I1/") and k.endswith("/app/alert") for k in keys)
    # no cabinet code in a push payload: the app shows it from its own session
    assert not any("C-A1" in str(o.data) for o in gw["webpush"].sent)
    # "restart": a new engine and dispatcher fold the same log and find nothing due yet
    engine2 = Engine(engine.registry, store, clock)
    d2, gw2 = dispatcher_for(engine2, clock)
    run_steps(d2)
    assert gw2["webpush"].sent == [] and gw2["sms"].sent == []
    clock.advance(20)
    run_steps(d2)
    assert len(gw2["sms"].sent) == n and gw2["webpush"].sent == []
    runner = next(o for o in gw2["sms"].sent if engine2.state("I1").responders[o.responder].role == "aed")
    assert "C-A1" in runner.text  # the SMS to the AED runner carries that AED's code ...
    assert not any("C-A1" in o.text for o in gw2["sms"].sent
                   if engine2.state("I1").responders[o.responder].aed != "A1")  # ... and no other does


def test_failed_pushes_come_back_as_events_and_the_sms_follows_in_the_next_step() -> None:
    engine, clock, _ = make_engine(ring_responders(8), [])
    alerted(engine, "I1", clock)
    d, gw = dispatcher_for(engine, clock, fail_push=True)
    run_steps(d, 4)
    s = engine.state("I1")
    assert all(m.failed_at is not None for m in s.messages.values() if m.channel == "app")
    assert len(gw["sms"].sent) == len(s.responders)
    assert [o.channel for o in s.outages.values()] == ["app"]  # 8 of 8 failed: the provider


def test_delivery_reports_become_events_by_our_key() -> None:
    engine, clock, _ = make_engine(ring_responders(4), [])
    alerted(engine, "I1", clock)
    d, gw = dispatcher_for(engine, clock, policy=DeliveryPolicy(sms_after_s=0, voice_after_s=0))
    run_steps(d)
    sms = gw["sms"].sent
    assert sms
    events = d.receipts("sms", [{"reference": sms[0].key, "status": "delivered"},
                                {"reference": sms[0].key, "status": "delivered"},
                                {"reference": "I1/nobody/sms/alert", "status": "delivered"},
                                {"reference": sms[1].key, "status": "EXPIRED"}])
    assert [e.type for e in events] == ["message_delivered", "message_failed"]
    assert events[1]["reason"] == "report_expired"
    s = engine.state("I1")
    assert s.responders[sms[0].responder].delivered_at is not None


def test_the_test_alarm_summary_shows_who_received_and_acknowledged() -> None:
    from alert_engine.registry.model import Responder

    people = [Responder(**{**vars_of(r), "test_alarms_opt_in": True, "municipality": "Zoetermeer"})
              for r in ring_responders(6)]
    engine, clock, _ = make_engine(people, [])
    engine.test_alarm("P1", 52.0601, 4.4932, "Zoetermeer")
    d, gw = dispatcher_for(engine, clock)
    run_steps(d)
    assert all(o.text.startswith("TEST") for o in gw["webpush"].sent)
    ids = sorted(engine.state("P1").responders)
    engine.acknowledge_message("P1", ids[0])
    engine.acknowledge_message("P1", ids[1])
    engine.respond("P1", ids[1], "accept")
    summary = summarise(engine.store.read(), "P1")
    assert (summary.alerted, summary.received, summary.acknowledged, summary.answered) == (6, 2, 2, 1)
    row = next(r for r in summary.responders if r.id == ids[0])
    assert row.channels == ("app",) and row.acknowledged_s == 0


def vars_of(r: Any) -> dict[str, Any]:
    from dataclasses import fields

    return {f.name: getattr(r, f.name) for f in fields(r)}


# -- addresses and configuration ---------------------------------------------------------------
def test_addresses_are_checked_before_they_are_stored() -> None:
    sub = SyntheticDirectory("https://push.example/p").address("R1")["app"]
    assert push_subscription(sub) == sub
    with pytest.raises(InvalidInput, match="endpoint"):
        push_subscription({**sub, "endpoint": "http://10.0.0.1/internal"})
    with pytest.raises(InvalidInput, match="p256dh"):
        push_subscription({**sub, "keys": {"p256dh": "AAAA", "auth": sub["keys"]["auth"]}})
    assert phone_number("06 1234 5678".replace("06", "+316", 1)) == "+31612345678"
    with pytest.raises(InvalidInput, match="phone"):
        phone_number("0612345678")
    directory = MemoryDirectory()
    directory.store("R1", "phone", "+31612345678")
    assert directory.lookup(["R1", "R2"]) == {"R1": {"phone": "+31612345678"}}


def test_credentials_come_from_the_environment_and_a_missing_one_is_named(tmp_path: Any) -> None:
    raw = {"sms": {"url": "https://sms.example/v1", "sender": "+3197010200300", "token_env": "ZM_SMS"}}
    with pytest.raises(InvalidInput, match="ZM_SMS"):
        settings_from(raw, env={})
    settings = settings_from(raw, env={"ZM_SMS": "s3cret-token"})
    assert set(settings.gateways) == {"sms"} and not settings.secrets_in_file
    with pytest.raises(InvalidInput, match="unknown setting"):
        settings_from({"sms": {**raw["sms"], "tokne": "x"}}, env={"ZM_SMS": "x"})
    with pytest.raises(InvalidInput, match="https"):
        settings_from({"sms": {**raw["sms"], "url": "http://sms.example"}}, env={"ZM_SMS": "x"})
