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
from tests.paths import REPO

ROOT = REPO
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
    """With a target nobody can meet, no alert is cancelled before it is answered, so with
    the uneven mechanisms switched off (nobody dormant, no distance, time of day or alarm
    factor) the share accepted per alert must come out near the model's p_accept (0.30)."""
    never_met = AlertConfig(target_responders=1000)
    flat = BehaviourParams(
        p_accept=0.30, p_dormant=0.0, accept_distance_m=1e9, alarm_shape=0.0,
        evening_factor=1.0, night_factor=1.0,
    )  # fmt: skip
    result = run_chunk(registry(), alarms()[:80], 1, flat, config=never_met)
    share, n = figures_of(result, registry()).acceptance_full_window()
    called_off = sum(o.alerted and o.called_off for o in result.outcomes)
    assert n == sum(o.alerted for o in result.outcomes) - called_off
    assert 0.2 < share < 0.4, share
    # The calibrated model accepts far less per alert: dormant profiles, distance, alarms.
    real = run_chunk(registry(), alarms()[:80], 1, BehaviourParams(), config=never_met)
    assert figures_of(real, registry()).acceptance_full_window()[0] < share / 2


def test_cancellation_at_the_target_lowers_acceptance_per_alert():
    f = figures_of(year(), registry())
    # The calibrated model meets the target (5 accepted incl. 2 runners) in a third of Den
    # Haag's alarms (its mean is ~3 accepts per arrest, as Denmark's 3.7 by day).
    assert f.share("target_met", f.alerted) > 0.2
    # Responders told "not needed" before they answered cannot accept any more: the same
    # alarms and random streams with a target nobody meets accept more per alert.
    some = alarms()[:80]
    with_target = figures_of(run_chunk(registry(), some, 1, BehaviourParams()), registry())
    never = run_chunk(
        registry(), some, 1, BehaviourParams(), config=AlertConfig(target_responders=1000)
    )
    assert (
        with_target.acceptance_all_alerts() < figures_of(never, registry()).acceptance_all_alerts()
    )
    assert sum(o.cancelled_unanswered for o in with_target.alerted) > 0
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


def test_objective_counts_misses_in_tolerances():
    from alert_engine.simulation.calibrate import TARGETS, objective

    exact = {t.key: t.value for t in TARGETS}
    assert objective(exact) == 0.0
    off = {**exact, "accepted": exact["accepted"] + 0.06, "runner_s": exact["runner_s"] + 60}
    assert objective(off) == pytest.approx(2.0**2 + 1.0**2)


def test_calibrate_command_fits_on_2020_and_predicts_2019(tmp_path: Path):
    out = tmp_path / "validation.md"
    cmd = [sys.executable, "-m", "alert_engine.cli", "calibrate-behaviour", "--region", "denhaag",
           "--fit-alarms", "6", "--alarms", "12", "--workers", "1", "--out", str(out)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "best: p_accept=" in done.stderr and "objective" in done.stderr
    text = out.read_text()
    assert "**objective" in text and "2019 rules: model (held out)" in text
    assert (
        "| accepted by at least one responder |" in text and "54.9 %" in text and "73.5 %" in text
    )


def test_the_2019_rules_alert_fewer_nearer_and_accept_less():
    from alert_engine.config import RULE_PRESETS

    old = RULE_PRESETS["2019"]
    some = alarms()[:60]
    r19 = run_chunk(registry(), some, 1, BehaviourParams(), config=old.alert, channel=old.channel)
    r20 = run_chunk(registry(), some, 1, BehaviourParams())
    for o in r19.outcomes:
        assert not o.alerted or (o.radius_m == 750.0 and o.n_alerted <= 30)
    f19, f20 = figures_of(r19, registry()), figures_of(r20, registry())
    accepted = [f.share_where(lambda o: o.accepted + o.oversupply > 0) for f in (f19, f20)]
    assert accepted[0] < accepted[1]


def test_command_refuses_unknown_rules(tmp_path: Path):
    from alert_engine.cli import main

    assert main(["simulate-year", "--rules", "2018", "--out", str(tmp_path / "x.md")]) == 2
