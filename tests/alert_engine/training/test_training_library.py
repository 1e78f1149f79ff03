"""The training library end to end, headless: every scenario obeys the contract and its `expected`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from alert_engine.audit import audit, target_check_missing
from alert_engine.events import Event
from alert_engine.exclusion.reasons import finding_text
from alert_engine.registry.table import Registry
from alert_engine.scenario.runner import run_scenario
from alert_engine.training.debrief import expectation
from alert_engine.training.library import TrainingScenario, load_training_scenario
from tests.paths import REPO

ROOT = REPO
LIBRARY = sorted((ROOT / "scenarios" / "training").glob("*.json"))


def of(events: list[Event], incident: str, kind: str) -> list[Event]:
    return [e for e in events if e.incident == incident and e.type == kind]


def test_the_library_has_the_situations_asked_for() -> None:
    assert len(LIBRARY) >= 12
    names = " ".join(p.stem for p in LIBRARY)
    for word in ("stad", "dorp", "a12", "a4", "zuigeling", "suicide", "geweld", "nacht", "geen_aed",
                 "overaanbod", "twee_tegelijk", "overrulen", "drukke_avond", "na_twee_minuten",
                 "verzorgingsplaats", "intrekken", "platteland"):
        assert word in names, word


@pytest.fixture(scope="module", params=LIBRARY, ids=lambda p: p.stem)
def played(request: pytest.FixtureRequest) -> tuple[TrainingScenario, list[Event]]:
    training = load_training_scenario(request.param)
    return training, run_scenario(training.scenario).events


def test_scenario_obeys_the_contract(played: tuple[TrainingScenario, list[Event]]) -> None:
    training, events = played
    scenario = training.scenario
    registry = Registry.from_records(scenario.responders, scenario.aeds)
    assert audit(events, scenario.config, registry) == []
    assert target_check_missing(events, scenario.config) == []
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


def test_model_answer_matches_expected(played: tuple[TrainingScenario, list[Event]]) -> None:
    training, events = played
    assert len(training.briefing) > 80, "a trainer needs a briefing"
    assert training.expected, "the debrief needs an expected block"
    for incident in {st.incident for st in training.scenario.steps if st.do == "call"}:
        exp = expectation(training, incident)
        sent, refused = of(events, incident, "alert_sent"), of(events, incident, "alert_refused")
        if exp["alert"] == "sent":
            assert sent, incident
        else:
            assert not sent and refused[0]["reason"] == "excluded", incident
        first = of(events, incident, "exclusion_assessed")[0]
        assert first["criteria"] == exp["decisions"]["exclusion"], incident
        if exp["decisions"].get("override"):
            assert of(events, incident, "exclusion_overridden"), incident
        if exp.get("cancel"):
            assert of(events, incident, "alarm_cancelled"), incident
        assert of(events, incident, "incident_closed"), incident


def test_service_area_is_a_check_not_an_exclusion() -> None:
    training = load_training_scenario(ROOT / "scenarios/training/15_verzorgingsplaats_a12.json")
    events = run_scenario(training.scenario).events
    motorway = next(f for f in of(events, "I1", "exclusion_assessed")[0]["findings"] if f["criterion"] == "motorway")
    assert motorway["met"] is None and "controleer" in finding_text(motorway, "nl")
    assert "dienstweg" in training.expected["explanation"]


def test_infant_becomes_known_after_two_minutes() -> None:
    training = load_training_scenario(ROOT / "scenarios/training/14_zuigeling_na_twee_minuten.json")
    events = run_scenario(training.scenario).events
    update = of(events, "I1", "call_updated")[0]
    call = of(events, "I1", "call_received")[0]
    assert (update.time - call.time).total_seconds() == 120
    assert update["changes"] == {"patient_age_years": 0.5}
    assert of(events, "I1", "exclusion_assessed")[-1]["criteria"] == ["infant"]


def test_rural_night_alerts_without_any_aed() -> None:
    training = load_training_scenario(ROOT / "scenarios/training/17_platteland_nacht_geen_aed_open.json")
    sent = of(run_scenario(training.scenario).events, "I1", "alert_sent")[0]
    assert sent["aeds"] == [] and {r["role"] for r in sent["responders"]} == {"cpr"}


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_runs_headless_with_the_engine_cli(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    done = subprocess.run(
        [sys.executable, "-m", "alert_engine.cli", "run", str(path), "--events", str(out), "--quiet"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no step of the model answer was impossible
    assert out.read_text().count("\n") > 5
