"""Reasons in new events are codes with parameters; the words are rendered when shown
(issue 10), and logs from before still read."""

from __future__ import annotations

import json

from alert_engine.config import AlertConfig
from alert_engine.exclusion import CallFacts, Finding, assess, verdict_data, verdict_from_data
from alert_engine.exclusion.reasons import CODES, finding_text, render
from alert_engine.scenario.loader import load_scenario
from alert_engine.scenario.runner import run_scenario
from tests.paths import REPO

ROOT = REPO


def test_an_assessment_stores_codes_and_parameters_not_prose() -> None:
    verdict = assess(CallFacts(52.06, 4.49, patient_age_years=0.5, violence=True), AlertConfig())
    data = verdict_data(verdict)
    text = json.dumps(data, ensure_ascii=False)
    assert "reason_nl" not in text and "Patiënt" not in text and "Patient" not in text
    infant = next(f for f in data["findings"] if f["criterion"] == "infant")
    assert infant["code"] == "infant.young" and infant["params"] == {"age": 0.5, "limit": 1.0}
    # The reader picks the language; the same stored finding reads in both.
    assert finding_text(infant, "nl") == "Patiënt jonger dan 1 jaar (0,5 jaar)"
    assert finding_text(infant, "en") == "Patient younger than 1 year (0.5 years)"
    assert verdict_from_data(data) == verdict


def test_a_log_from_before_reason_codes_still_reads() -> None:
    old = {"criterion": "motorway", "met": True, "reason_nl": "Locatie ligt 12 m van de A12 (rijbaan)",
           "reason_en": "Location is 12 m from the A12 carriageway"}
    assert finding_text(old, "en") == "Location is 12 m from the A12 carriageway"
    f = Finding.from_data(old)
    assert (f.reason_nl, f.reason_en) == (old["reason_nl"], old["reason_en"])


def test_every_code_the_example_and_training_scenarios_produce_has_words() -> None:
    seen: set[str] = set()
    paths = sorted((ROOT / "scenarios").glob("*.json")) + sorted((ROOT / "scenarios" / "training").glob("*.json"))
    assert len(paths) > 20
    for path in paths:
        events = run_scenario(load_scenario(path)).events
        for e in events:
            if e.type == "exclusion_assessed":
                for f in e["findings"]:
                    seen.add(f["code"])
                    doubt = (f.get("params") or {}).get("doubt")
                    if doubt:
                        seen.add(doubt[0])
                    assert finding_text(f, "nl") and finding_text(f, "en")
    assert seen <= CODES, seen - CODES
    assert {"infant.young", "motorway.on_map", "violence.met", "suicide.met"} <= seen


def test_an_unknown_code_is_shown_not_hidden() -> None:
    assert render("motorway.from_a_newer_version", {"road": "A4"}) == "motorway.from_a_newer_version {'road': 'A4'}"
