"""Every example scenario end to end: contract rules, determinism, and its own point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alert_engine.audit import audit, target_check_missing
from alert_engine.events import Event
from alert_engine.registry.table import Registry
from alert_engine.scenario.loader import load_scenario
from alert_engine.scenario.runner import run_scenario
from tests.paths import REPO

ROOT = REPO
SCENARIOS = sorted((ROOT / "scenarios").glob("*.json"))


def run(path: Path) -> tuple[list[Event], object]:
    scenario = load_scenario(path)
    result = run_scenario(scenario)
    return result.events, scenario


def of_type(events: list[Event], t: str) -> list[Event]:
    return [e for e in events if e.type == t]


def test_there_are_at_least_ten_example_scenarios():
    assert len(SCENARIOS) >= 10


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_obeys_the_contract(path: Path):
    events, scenario = run(path)
    registry = Registry.from_records(scenario.responders, scenario.aeds)
    assert audit(events, scenario.config, registry) == []
    assert target_check_missing(events, scenario.config) == []
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    expected = json.loads(path.read_text()).get("expected", {})
    if expected.get("alert") == "sent":
        assert of_type(events, "alert_sent")
    if expected.get("alert") == "refused":
        assert not of_type(events, "alert_sent")
        assert of_type(events, "alert_refused")[0]["reason"] == "excluded"
    if "decisions" in expected:
        first = of_type(events, "exclusion_assessed")[0]
        assert first["criteria"] == expected["decisions"]["exclusion"]


def test_city_alarm_behaves_like_a_real_one():
    events, _ = run(ROOT / "scenarios/01_city_zoetermeer_evening.json")
    sent = of_type(events, "alert_sent")[0]
    assert 70 <= len(sent["responders"]) <= 100
    assert sent["radius_m"] < 1500
    assert len(sent["aeds"]) == 3
    assert of_type(events, "cancellation_sent")[0]["reason"] == "target_reached"
    assert of_type(events, "responder_arrived")
    assert of_type(events, "aed_connected")


def test_village_radius_grows():
    events, _ = run(ROOT / "scenarios/02_village_radius_grows.json")
    sent = of_type(events, "alert_sent")[0]
    assert sent["radius_m"] >= 1500
    assert len(sent["responders"]) < 70


def test_night_uses_only_the_outdoor_cabinet():
    events, _ = run(ROOT / "scenarios/07_night_indoor_aeds_closed.json")
    sent = of_type(events, "alert_sent")[0]
    assert [a["id"] for a in sent["aeds"]] == ["A3"]
    assert {r["aed"] for r in sent["responders"] if r["role"] == "aed"} == {"A3"}


def test_no_aed_means_everyone_direct():
    events, _ = run(ROOT / "scenarios/08_no_aed_in_reach.json")
    sent = of_type(events, "alert_sent")[0]
    assert sent["aeds"] == [] and {r["role"] for r in sent["responders"]} == {"cpr"}


def test_oversupply_is_recorded_and_fed_back():
    events, _ = run(ROOT / "scenarios/09_oversupply.json")
    assert len(of_type(events, "responder_accepted")) == 5
    assert len(of_type(events, "oversupply")) == 7
    assert of_type(events, "oversupply_feedback")


def test_concurrent_incidents_never_share_a_responder():
    events, _ = run(ROOT / "scenarios/10_two_concurrent_incidents.json")
    first, second = of_type(events, "alert_sent")
    shared = {r["id"] for r in first["responders"]} & {r["id"] for r in second["responders"]}
    # Only people whose part in I1 was over (declined, lapsed, cancelled) may be asked for I2.
    released = set()
    for e in events:
        if e.seq >= second.seq:
            break
        if e.incident == "I1" and e.type in ("responder_declined", "responder_timed_out"):
            released.add(e["responder"])
        if e.incident == "I1" and e.type == "cancellation_sent":
            released |= set(e["responders"])
    assert shared <= released
    assert len(second["responders"]) < len(first["responders"])  # the rest were still on I1


def test_override_comes_before_the_alert():
    events, _ = run(ROOT / "scenarios/11_exclusion_overridden.json")
    kinds = [e.type for e in events]
    assert kinds.index("alert_refused") < kinds.index("exclusion_overridden") < kinds.index("alert_sent")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "alert_engine.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_run_is_byte_identical(tmp_path: Path):
    # Speed is the benchmarks' business (zesminuten-engine bench), never a timed unit test.
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for out in (a, b):
        done = cli("run", "scenarios/10_two_concurrent_incidents.json", "--events", str(out))
        assert done.returncode == 0, done.stderr
    assert a.read_bytes() == b.read_bytes()
    first = json.loads(a.read_text().splitlines()[0])
    assert list(first)[:4] == ["seq", "time", "incident", "type"]


@pytest.mark.parametrize(
    ("patch", "message"),
    [
        (lambda s: s["timeline"][0].update(lat="noord"), "timeline[0].lat: expected a number"),
        (lambda s: s["registry"]["responders"][3].update(certificate_valid_until="31-12-2027"),
         "registry.responders[3].certificate_valid_until: expected a date as YYYY-MM-DD"),
        (lambda s: s["registry"]["aeds"][0].update(opening_hours="Mo-Fx 8"),
         "registry.aeds[0].opening_hours"),
        (lambda s: s["timeline"].append({"at": 50, "do": "respond", "incident": "I1", "responder": "NOPE",
                                         "answer": "accept"}), "no responder 'NOPE'"),
        (lambda s: s["timeline"].append({"at": 5, "do": "teleport", "incident": "I1"}), "unknown action 'teleport'"),
        (lambda s: s.pop("start"), "start: required field is missing"),
    ],
)
def test_invalid_scenario_exits_2_names_the_path_and_writes_nothing(tmp_path: Path, patch, message):
    data = json.loads((ROOT / "scenarios/09_oversupply.json").read_text())
    patch(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    out = tmp_path / "out.jsonl"
    done = cli("run", str(bad), "--events", str(out))
    assert done.returncode == 2
    assert message in done.stderr and "bad.json" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_broken_json_names_line_and_column(tmp_path: Path):
    bad = tmp_path / "broken.json"
    bad.write_text('{"name": "x",\n "seed": 1,,\n}')
    done = cli("run", str(bad), "--events", str(tmp_path / "o.jsonl"))
    assert done.returncode == 2 and "line 2" in done.stderr
