"""Training mode, headless: the clock, a session that plays only the world, injections, debrief."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from alert_engine.errors import IllegalTransition
from alert_engine.eventlog.store import MemoryEventStore, SqliteEventStore
from alert_engine.exclusion import CallFacts
from alert_engine.notifications import RecordingChannel
from alert_engine.testalarm.routing import ModeRouter
from alert_engine.training.clock import TrainingClock
from alert_engine.training.debrief import build_debrief, debrief_session
from alert_engine.training.debrief_html import render_html, write_html
from alert_engine.training.library import DISPATCHER_STEPS, library, load_training_scenario
from alert_engine.training.service import training_service, training_store_path
from alert_engine.training.session import TrainingSession
from tests.builders import EVENING, ZOETERMEER, make_engine, ring_responders
from tests.paths import REPO

ROOT = REPO
TRAINING = ROOT / "scenarios" / "training"


class Wall:
    """A wall clock the test moves."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def session_for(slug: str) -> TrainingSession:
    training = load_training_scenario(TRAINING / f"{slug}.json")
    return TrainingSession(training, training_service(training, store=MemoryEventStore()))


def at(session: TrainingSession, seconds: float) -> None:
    """Fast-forward the scenario to `seconds` after its start, playing what is due on the way."""
    session.run_until(session.start + timedelta(seconds=seconds))


def play_out(session: TrainingSession, limit: int = 2000) -> None:
    for _ in range(limit):
        if session.jump_to_next() is None:
            return
    raise AssertionError("the scenario did not come to rest")


# -- the training clock -----------------------------------------------------------------
def test_clock_starts_paused_and_runs_with_the_wall_times_the_speed() -> None:
    wall = Wall()
    clock = TrainingClock(EVENING, wall)
    wall.t += 30
    assert clock.now() == EVENING and not clock.running  # paused until the trainer starts
    clock.resume()
    wall.t += 10
    assert clock.elapsed_s() == 10
    clock.set_speed(2.0)
    wall.t += 10
    assert clock.elapsed_s() == 30
    clock.set_speed(5.0)
    wall.t += 4
    assert clock.elapsed_s() == 50
    clock.pause()
    wall.t += 100
    assert clock.elapsed_s() == 50
    clock.resume()
    wall.t += 1.2345
    assert clock.now() == EVENING + timedelta(seconds=56, microseconds=172_000)  # 5 × 1.2345 s, in ms


def test_clock_jumps_forward_only_and_refuses_odd_speeds() -> None:
    wall = Wall()
    clock = TrainingClock(EVENING, wall)
    clock.jump_to(EVENING + timedelta(minutes=3))
    assert clock.elapsed_s() == 180
    clock.resume()
    wall.t += 2
    assert clock.elapsed_s() == 182  # runs on from the jump
    with pytest.raises(ValueError, match="cannot go back"):
        clock.jump_to(EVENING)
    with pytest.raises(ValueError, match="speed"):
        clock.set_speed(3.0)


# -- the session plays the world, never the dispatcher -----------------------------------
def test_session_plays_world_steps_only() -> None:
    s = session_for("14_zuigeling_na_twee_minuten")
    assert s.model_answer and all(st.do in DISPATCHER_STEPS for st in s.model_answer)
    play_out(s)
    events = s.service.events()
    kinds = [e.type for e in events]
    # The call and the caller's later facts came in ...
    assert kinds[:2] == ["call_received", "exclusion_assessed"]
    assert "call_updated" in kinds
    assert events[0].incident == "OEF1-I1" and events[0]["mode"] == "training"
    updated = next(e for e in events if e.type == "call_updated")
    assert updated.time - events[0].time == timedelta(seconds=120)
    # ... but nothing the trainee must do was done for them.
    for dispatcher_event in ("ambulance_dispatched", "caller_instruction_changed", "alert_sent",
                             "alert_refused", "alarm_cancelled", "incident_closed"):
        assert dispatcher_event not in kinds
    # The ambulance cannot arrive without being dispatched: noted for the trainer, not fatal.
    assert any("ambulance_arrived" in w for w in s.warnings)


def test_scripted_answers_and_the_behaviour_model_answer_the_trainees_alert() -> None:
    s = session_for("10_overaanbod")
    at(s, 0)
    inc = s.incidents[0]
    at(s, 15)
    s.service.command("dispatch_ambulance", inc, "15-101")
    s.service.command("trigger_alert", inc)
    play_out(s)
    state = s.service.state(inc)
    assert state.target_met_at is not None
    scripted = {f"R{i}" for i in range(1, 13)}
    # Every scripted accept came in (as oversupply once the model's people had met the target).
    assert all(state.responders[r].state in ("accepted", "arrived", "oversupply") for r in scripted)
    assert state.responders["R1"].state == "arrived"  # a scripted `arrive`
    # The model plays the others: with the calibrated model (a third dormant, acceptance
    # falling with distance) the 8 unscripted ones of this small world decline rather than
    # come, so "answered" is what shows the model at work, not "accepted".
    assert any(r.answered_at is not None for rid, r in state.responders.items() if rid not in scripted)
    # The scripted responders are not also played by the behaviour model (no double answers).
    answers = [e["responder"] for e in s.service.events(inc) if e.type in ("responder_accepted", "oversupply")]
    assert len(answers) == len(set(answers))


def test_next_event_time_and_jump() -> None:
    s = session_for("13_drukke_avond")
    assert s.next_event_time() == s.start  # the first call
    s.jump_to_next()
    assert s.incidents == ["OEF1-I1"]
    assert s.next_event_time() == s.start + timedelta(seconds=240)  # the second call; I1 is quiet
    s.jump_to_next()
    assert s.incidents == ["OEF1-I1", "OEF1-I2"]
    assert s.clock.elapsed_s() == 240


def test_a_second_run_on_the_same_store_gets_new_ids() -> None:
    training = load_training_scenario(TRAINING / "05_zuigeling.json")
    service = training_service(training, store=MemoryEventStore())
    first = TrainingSession(training, service)
    first.jump_to_next()
    second = TrainingSession(training, service)
    assert second.ids == {"I1": "OEF2-I1"}


def test_training_service_has_its_own_store_and_never_a_live_channel(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path))
    training = load_training_scenario(TRAINING / "05_zuigeling.json")
    path = training_store_path(training.slug)
    assert path.parent == tmp_path / "events-training" and path != tmp_path / "events-live.sqlite"
    with pytest.raises(ValueError, match="training messages"):
        training_service(training, store=MemoryEventStore(), channel=RecordingChannel(frozenset({"live"})))
    service = training_service(training)
    assert isinstance(service.engine.store, SqliteEventStore)
    assert service.engine.store.path.parent == tmp_path / "events-training"
    assert service.engine.channel is not None and service.engine.channel.modes == frozenset({"training"})
    service.engine.store.close()


# -- a training incident cannot reach a live channel ----------------------------------------
def test_training_alarm_reaches_only_the_training_channel_and_says_oefening() -> None:
    live, training = RecordingChannel(frozenset({"live"})), RecordingChannel(frozenset({"training"}))
    engine, _, _ = make_engine(ring_responders(30, 600), [])
    engine.channel = ModeRouter([live, training])
    engine.call("OEF1-I1", CallFacts(*ZOETERMEER, 60), mode="training")
    engine.dispatch_ambulance("OEF1-I1", "15-101")
    engine.trigger_alert("OEF1-I1")
    engine.cancel_alarm("OEF1-I1")
    assert live.sent == []
    assert training.sent and all(m.text.startswith("OEFENING") and m.mode == "training" for m in training.sent)
    assert {m.kind for m in training.sent} == {"alert", "cancel"}


def test_training_session_messages_are_marked() -> None:
    s = session_for("01_stad_zoetermeer_avond")
    at(s, 0)
    inc = s.incidents[0]
    s.service.command("dispatch_ambulance", inc, "15-101")
    s.service.command("trigger_alert", inc)
    channel = s.service.engine.channel
    assert isinstance(channel, RecordingChannel) and channel.modes == frozenset({"training"})
    assert len(channel.sent) >= 70 and all(m.text.startswith("OEFENING – ") for m in channel.sent)


# -- trainer injections -----------------------------------------------------------------------
def test_trainer_injections() -> None:
    s = session_for("02_dorp_groene_hart")
    at(s, 0)
    inc = s.incidents[0]
    with pytest.raises(IllegalTransition, match="geaccepteerd"):
        s.inject_first_on_scene(inc)
    s.service.command("dispatch_ambulance", inc, "15-101")
    s.service.command("trigger_alert", inc)
    nearest = s.pending_responders(inc)[0]
    assert s.inject_answer(inc, "accept") == nearest.id
    second = s.pending_responders(inc)[0].id
    s.inject_answer(inc, "decline", second)
    assert s.inject_first_on_scene(inc) == nearest.id
    s.inject_ambulance_on_scene(inc)
    s.inject_caller_facts(inc, {"trauma": True})
    state = s.service.state(inc)
    assert state.responders[nearest.id].state == "arrived"
    assert state.responders[second].state == "declined"
    assert state.ambulance_arrived_at is not None
    assert state.criteria == ("trauma",)
    assert [i.text.split(":")[0] for i in s.injections] == ["Trainer"] * 5


# -- debrief ----------------------------------------------------------------------------------
def trainee_alerts(s: TrainingSession, cancel_at: float | None = None) -> str:
    at(s, 0)
    inc = s.incidents[0]
    at(s, 18)
    s.service.command("dispatch_ambulance", inc, "15-101")
    at(s, 25)
    s.service.command("caller_instruction", inc, "instructing")
    at(s, 31)
    s.service.command("trigger_alert", inc)
    if cancel_at is not None:
        at(s, cancel_at)
        s.service.command("cancel_alarm", inc)
    at(s, 600)
    s.service.command("close", inc)
    return inc


def test_debrief_flags_an_alarm_not_cancelled_when_the_infant_became_known() -> None:
    s = session_for("14_zuigeling_na_twee_minuten")
    trainee_alerts(s)  # never cancels
    d = debrief_session(s)
    wrong = d.wrong
    assert [c.topic for c in wrong] == ["cancel"]
    assert "niet ingetrokken" in wrong[0].text and "jonger dan 1 jaar" in wrong[0].text and "2:00" in wrong[0].text
    html = render_html(d)
    assert "FOUT" in html and "niet ingetrokken" in html


def test_debrief_of_the_right_decisions_has_nothing_wrong() -> None:
    s = session_for("14_zuigeling_na_twee_minuten")
    trainee_alerts(s, cancel_at=128)
    d = debrief_session(s)
    assert d.wrong == []
    cancel = next(c for c in d.checks if c.topic == "cancel")
    assert cancel.verdict == "good" and cancel.trainee_s == 128 and cancel.model_s == 130
    alert = next(c for c in d.checks if c.topic == "alert")
    assert (alert.trainee_s, alert.model_s) == (31, 35)
    good, judged = d.score
    assert good == judged >= 4
    rows = d.incidents[0].timeline
    assert next(r.text for r in rows if r.actor == "trainee") == "Ambulance 15-101 uitgegeven"
    assert any(r.actor == "world" and "Melder meldt nieuwe feiten: 6 maanden" in r.text for r in rows)
    assert d.incidents[0].caller_instruction == [("instructing", 25.0), ("ended", 600.0)]


def test_debrief_refusing_a_call_without_exclusion_is_wrong() -> None:
    s = session_for("02_dorp_groene_hart")
    at(s, 0)
    inc = s.incidents[0]
    s.service.command("dispatch_ambulance", inc, "15-101")  # ... and never alerts or instructs
    wrong = debrief_session(s).wrong
    assert [c.topic for c in wrong] == ["decision", "caller_instruction"]
    assert wrong[0].text == "Niet gealarmeerd terwijl geen uitsluitcriterium gold."


def test_debrief_on_an_excluded_call() -> None:
    # Pressing "alert" on the infant: the engine refuses, which is the right outcome.
    refused = session_for("05_zuigeling")
    trainee_alerts(refused)
    decision = next(c for c in debrief_session(refused).checks if c.topic == "decision")
    assert decision.verdict == "good" and "jonger dan 1 jaar" in decision.text
    # Overriding the infant exclusion and alerting is wrong against the scenario's `expected`.
    s = session_for("05_zuigeling")
    at(s, 0)
    inc = s.incidents[0]
    s.service.command("dispatch_ambulance", inc, "15-101")
    s.service.command("override_exclusion", inc, "ouder kind volgens buurman")
    s.service.command("trigger_alert", inc)
    decision = next(c for c in debrief_session(s).checks if c.topic == "decision")
    assert decision.verdict == "wrong" and "overrulen" in decision.text


def test_debrief_html_is_self_contained_and_exported(tmp_path: Path) -> None:
    s = session_for("13_drukke_avond")
    trainee_alerts(s)
    d = debrief_session(s)
    assert [i.scenario_incident for i in d.incidents] == ["I1", "I2", "I3"]  # all calls came in
    path = write_html(d, tmp_path / "debrief.html")
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "OEFENING" in html
    assert "<script" not in html and "http" not in html and "src=" not in html
    # Rebuilt later from the stored events alone, it says the same.
    again = build_debrief(s.training, s.service.events(), s.ids, s.injections, made_at=d.made_at, warnings=s.warnings)
    assert render_html(again) == render_html(d)


def test_debrief_in_english() -> None:
    s = session_for("14_zuigeling_na_twee_minuten")
    trainee_alerts(s)
    d = debrief_session(s, lang="en")
    assert "not cancelled" in d.wrong[0].text
    assert "TRAINING – debrief" in render_html(d)


def test_library_is_found() -> None:
    assert [p.name for p in library()][:2] == ["01_stad_zoetermeer_avond.json", "02_dorp_groene_hart.json"]


def test_a_world_step_the_trainer_already_played_does_not_happen_twice() -> None:
    s = session_for("05_zuigeling")
    at(s, 0)
    inc = s.incidents[0]
    s.service.command("dispatch_ambulance", inc, "15-101")
    at(s, 200)
    s.inject_ambulance_on_scene(inc)
    play_out(s)
    assert [e.type for e in s.service.events(inc)].count("ambulance_arrived") == 1
