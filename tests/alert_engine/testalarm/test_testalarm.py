"""Test alarms, headless: municipalities, scheduling, live precedence, channels, the summary."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta

import numpy as np

from alert_engine.notifications import RecordingChannel
from alert_engine.simulation.responders import SimulatedResponders
from alert_engine.testalarm.plan import ExerciseSchedule, exercise_id, municipalities
from alert_engine.testalarm.routing import ModeRouter
from alert_engine.testalarm.summary import summarise, to_csv, to_html
from alert_engine.timeline import Timeline
from tests.builders import EVENING, ZOETERMEER, alerted, facts, make_engine, ring_responders


def zoetermeer_and_delft():  # type: ignore[no-untyped-def]
    zm = [replace(r, municipality="Zoetermeer", test_alarms_opt_in=i % 2 == 0)
          for i, r in enumerate(ring_responders(20, 600))]
    delft = [replace(r, id=f"D{i}", municipality="Delft", test_alarms_opt_in=True)
             for i, r in enumerate(ring_responders(6, 400, seed=5), start=1)]
    return zm, delft


def test_municipalities_with_opted_in_count_and_centre() -> None:
    zm, delft = zoetermeer_and_delft()
    engine, _, _ = make_engine(zm + delft, [])
    found = {m.name: m for m in municipalities(engine.registry, EVENING)}
    assert set(found) == {"Delft", "Zoetermeer"}
    assert found["Zoetermeer"].opted_in == 10 and found["Delft"].opted_in == 6
    assert abs(found["Zoetermeer"].lat - ZOETERMEER[0]) < 0.005


def test_scheduled_exercise_starts_on_time_on_the_live_engine() -> None:
    zm, delft = zoetermeer_and_delft()
    engine, clock, channel = make_engine(zm + delft, [])
    schedule = ExerciseSchedule(engine)
    zoetermeer = next(m for m in municipalities(engine.registry, EVENING) if m.name == "Zoetermeer")
    plan = schedule.add(zoetermeer, EVENING + timedelta(minutes=10))
    assert plan.incident == exercise_id("Zoetermeer", EVENING + timedelta(minutes=10)) == "TEST-Zoetermeer-20261122-1950"
    assert schedule.run_due(clock.now()) == []
    clock.advance(600)
    assert schedule.run_due(clock.now()) == [plan.incident]
    s = engine.state(plan.incident)
    assert s.mode == "test" and len(s.responders) == 10
    assert channel.sent and all(m.text.startswith("TEST") for m in channel.sent)


def test_test_alarm_never_reaches_a_live_only_channel() -> None:
    zm, _ = zoetermeer_and_delft()
    live, test = RecordingChannel(frozenset({"live"})), RecordingChannel(frozenset({"test"}))
    engine, _, _ = make_engine(zm, [])
    engine.channel = ModeRouter([live, test])
    engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")
    engine.close("T1")
    assert live.sent == []
    assert len(test.sent) >= 10 and all(m.text.startswith("TEST – proefalarm") for m in test.sent)
    # A live alarm on the same engine goes to the live channel only.
    alerted(engine, "LIVE1")
    assert live.sent and not any(m.incident == "LIVE1" for m in test.sent)


def test_precedence_both_ways() -> None:
    responders = [replace(r, municipality="Zoetermeer", test_alarms_opt_in=True) for r in ring_responders(30, 500)]
    engine, clock, channel = make_engine(responders, [])
    engine.config = replace(engine.config, max_responders=10, wanted_responders=10)
    alerted(engine, "LIVE1", clock)
    on_live = set(engine.state("LIVE1").responders)
    assert len(on_live) == 10
    engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")
    assert not on_live & set(engine.state("T1").responders)  # nobody on a real alarm is test-alerted
    # A second real alarm takes people off the exercise first, and tells them why.
    engine.call("LIVE2", facts())
    engine.dispatch_ambulance("LIVE2", "15-102")
    events = engine.trigger_alert("LIVE2")
    taken = set(events[0]["responders"])
    assert events[0].incident == "T1" and events[0]["reason"] == "live_alarm"
    assert taken == {r["id"] for r in events[1]["responders"]} & set(engine.state("T1").responders)
    told = [m for m in channel.sent if m.incident == "T1" and m.kind == "cancel"]
    assert {m.responder for m in told} == taken and all("echte reanimatie" in m.text for m in told)
    summary = summarise(engine.store.read(), "T1")
    assert summary.taken_for_live == len(taken)


def test_summary_counts_medians_and_exports() -> None:
    zm, _ = zoetermeer_and_delft()
    engine, clock, _ = make_engine(zm, [])
    sim = SimulatedResponders(engine, rng=np.random.default_rng(3))
    engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")
    sim.enable("T1")
    timeline = Timeline(clock)
    timeline.follow(sim.next_due, sim.run_due)
    timeline.run()
    summary = summarise(engine.store.read(), "T1")
    assert summary.alerted == 10
    assert summary.answered == summary.accepted + summary.declined
    assert summary.alerted == summary.answered + summary.no_answer
    assert summary.arrived <= summary.accepted
    if summary.accepted:
        assert summary.median_accept_s is not None and summary.median_accept_s > 0
    assert summary.municipality == "Zoetermeer"
    text = to_csv(summary)
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["proefalarm", "T1"]
    assert ["Gealarmeerd", "10"] in rows
    header = rows.index(["pseudoniem", "afstand_m", "status", "antwoord_s", "ter_plaatse_s", "afgemeld_voor_echt_alarm",
                         "kanalen", "ontvangst_bevestigd_s"])
    assert len(rows) - header - 1 == 10
    assert all(row[0].startswith("BHV-") for row in rows[header + 1:])  # pseudonyms, never names
    html = to_html(summary)
    assert "TEST – proefalarm Zoetermeer" in html and "<script" not in html


def test_summary_with_known_times() -> None:
    zm, _ = zoetermeer_and_delft()
    engine, clock, _ = make_engine(zm, [])
    engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")
    ids = sorted(engine.state("T1").responders)
    clock.advance(40)
    engine.respond("T1", ids[0], "accept")
    clock.advance(20)
    engine.respond("T1", ids[1], "accept")
    engine.respond("T1", ids[2], "decline")
    clock.advance(240)
    engine.arrive("T1", ids[0])
    s = summarise(engine.store.read(), "T1")
    assert (s.alerted, s.answered, s.accepted, s.declined, s.arrived) == (10, 3, 2, 1, 1)
    assert s.median_accept_s == 50 and s.median_answer_s == 60 and s.median_arrival_s == 300
    assert s.no_answer == 7
    assert ("Mediaan tijd tot accepteren", "0:50") in s.rows()


def test_live_alarm_goes_out_even_when_someone_arrived_at_an_exercise() -> None:
    responders = [replace(r, municipality="Zoetermeer", test_alarms_opt_in=True) for r in ring_responders(10, 400)]
    engine, clock, _ = make_engine(responders, [])
    engine.test_alarm("T1", *ZOETERMEER, "Zoetermeer")
    nearest = min(engine.state("T1").responders.values(), key=lambda r: r.distance_m).id
    clock.advance(60)
    engine.respond("T1", nearest, "accept")
    clock.advance(240)
    engine.arrive("T1", nearest)  # on scene at the exercise point
    engine.call("LIVE1", facts())
    engine.dispatch_ambulance("LIVE1", "15-101")
    events = engine.trigger_alert("LIVE1")  # a real arrest must never be blocked by an exercise
    assert events[-1].type == "alert_sent"
