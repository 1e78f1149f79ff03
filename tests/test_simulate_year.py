"""simulate-year at small scale: every alarm goes through the engine and its fold gives
figures that make sense. No timing assertions (the national run is timed by hand)."""

from __future__ import annotations

import math
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from alert_engine.clock import AMSTERDAM
from alert_engine.config import AlertConfig
from alert_engine.registry.demo import REFERENCE_DAY, generate_set
from alert_engine.registry.table import Registry
from alert_engine.simulation.behaviour import BehaviourParams
from alert_engine.simulation.incidents import Alarm, draw_alarms
from alert_engine.simulation.year import ChunkResult, run_chunk
from alert_engine.simulation.year_figures import NIGHT_HOURS
from alert_engine.simulation.year_report import BEGIN, END, figures_of

ROOT = Path(__file__).resolve().parent.parent
# The only refusal a year of non-excluded alarms with an ambulance can meet.
DOCUMENTED_REFUSALS = {"no_responders_in_reach"}


@cache
def registry() -> Registry:
    return generate_set("denhaag", 1).registry()


@cache
def alarms() -> tuple[Alarm, ...]:
    return tuple(draw_alarms("denhaag", 200, 1, REFERENCE_DAY))


@cache
def year() -> ChunkResult:
    return run_chunk(registry(), alarms(), 1, BehaviourParams())


def test_alarms_spread_over_the_year_more_by_day():
    calls = [a.call_time for a in alarms()]
    assert calls == sorted(calls)
    assert (calls[-1] - calls[0]).days > 300
    night = sum(1 for a in alarms() if a.call_time.astimezone(AMSTERDAM).hour in NIGHT_HOURS)
    # 8 of 24 hours; the ROC day/night weights put ~23 % of arrests there, not 33 %.
    assert 0.10 < night / len(calls) < 0.30
    for a in alarms():
        assert a.dispatch_s <= a.alert_s < a.close_s
        assert a.ambulance_s < a.close_s


def test_every_alarm_was_alerted_or_refused_for_a_documented_reason():
    out = year().outcomes
    assert [o.index for o in out] == [a.index for a in alarms()]
    for o in out:
        assert o.alerted or o.refusal in DOCUMENTED_REFUSALS, (o.index, o.refusal)
    # Den Haag is dense: nearly every alarm reaches responders.
    assert sum(o.alerted for o in out) >= 0.98 * len(out)


def test_figures_are_shares_and_times_that_make_sense():
    f = figures_of(year(), registry())
    for pick in ("alerted", "responder_before_ambulance", "aed_before_ambulance", "target_met"):
        assert 0.0 <= f.share(pick) <= 1.0
    assert 0.0 < f.acceptance_all_alerts() < 1.0
    # The alert follows the call by minutes; responders come within a quarter of an hour.
    assert 60 < f.median("call_to_alert_s") < 600
    assert 0 < f.median("first_on_scene_s") < 900
    assert sum(int(c) for c in f.alerts_per_responder) == sum(o.n_alerted for o in f.outcomes)
    for o in f.alerted:
        assert o.accepted + o.oversupply + o.declined <= o.n_alerted
        assert o.arrived <= o.accepted + o.oversupply
        assert not o.aed_before_ambulance or o.aed_connected


def test_acceptance_per_alert_follows_the_model_when_nobody_is_called_off():
    """With a target nobody can meet, no alert is cancelled before it is answered, so the
    share accepted per alert must come out near the model's p_accept (0.30)."""
    never_met = AlertConfig(target_responders=1000)
    result = run_chunk(registry(), alarms()[:80], 1, BehaviourParams(), config=never_met)
    share, n = figures_of(result, registry()).acceptance_full_window()
    assert n == sum(o.alerted for o in result.outcomes)
    assert 0.15 < share < 0.5, share


def test_cancellation_at_the_target_lowers_acceptance_per_alert():
    f = figures_of(year(), registry())
    assert f.share("target_met", f.alerted) > 0.8
    # Responders told "not needed" before they answered cannot accept any more.
    assert f.acceptance_all_alerts() < 0.2
    assert not math.isnan(f.implied_acceptance(0.735))


def test_command_writes_its_block_and_keeps_the_discussion(tmp_path: Path):
    out = tmp_path / "validation.md"
    out.write_text(f"# Title\n\nintro\n\n{BEGIN}\nold figures\n{END}\n\n## Why\nkept\n")
    cmd = [sys.executable, "-m", "alert_engine.cli", "simulate-year", "--alarms", "30",
           "--region", "denhaag", "--workers", "2", "--out", str(out)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "accepted by at least one responder" in done.stdout
    assert "30/30 alarms" in done.stderr  # the progress line reached the end
    text = out.read_text()
    assert text.startswith("# Title\n\nintro\n") and text.endswith("## Why\nkept\n")
    assert "old figures" not in text
    assert "--alarms 30 --seed 1 --region denhaag" in text
    assert "| responders alerted |" in text


@pytest.mark.parametrize("bad", ["0", "-5"])
def test_command_refuses_a_year_without_alarms(bad: str, tmp_path: Path):
    from alert_engine.cli import main

    assert main(["simulate-year", "--alarms", bad, "--out", str(tmp_path / "x.md")]) == 2
