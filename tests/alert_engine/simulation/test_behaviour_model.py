"""Each mechanism of the behaviour model, checked on its own distribution (seeded).

The alerts here are synthetic `alert_sent` payloads, so every figure can be computed by
hand: the plan's respond/arrive actions are counted over many seeded alarms.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from functools import cache

import numpy as np
import pytest

from alert_engine.clock import AMSTERDAM
from alert_engine.config import RULE_PRESETS, rule_preset
from alert_engine.errors import InvalidInput
from alert_engine.registry.demo import REFERENCE_DAY, generate_set
from alert_engine.registry.table import Registry
from alert_engine.simulation.behaviour import (
    BehaviourParams,
    Plan,
    acceptance,
    alarm_factor,
    is_dormant,
    plan_responses,
    speed_for_density,
    time_band,
)
from alert_engine.simulation.incidents import draw_alarms

# Only the mechanism under test moves; the others are switched off.
FLAT = BehaviourParams(
    p_accept=0.3, p_dormant=0.0, accept_distance_m=1e12, alarm_shape=0.0,
    evening_factor=1.0, night_factor=1.0, p_no_show=0.0,
)  # fmt: skip


def local(hour: int) -> datetime:
    return datetime(2026, 3, 10, hour, 30, tzinfo=AMSTERDAM).astimezone(UTC)


def alert(n: int = 80, distance_m: float = 0.0) -> dict:
    people = [
        {"id": f"R{i:05d}", "role": "cpr", "aed": None, "distance_m": distance_m,
         "lat": 52.0, "lon": 4.3}
        for i in range(n)
    ]  # fmt: skip
    return {"radius_m": 1000.0, "responders": people, "aeds": [], "eligible_in_reach": n}


def plans(
    params: BehaviourParams,
    runs: int = 400,
    *,
    at: datetime | None = None,
    channel: str = "app",
    arrest: bool = True,
    distance_m: float = 0.0,
) -> list[Plan]:
    a = alert(distance_m=distance_m)
    return [
        plan_responses(
            a, np.random.default_rng([7, i]), params, at=at, channel=channel, arrest=arrest
        )
        for i in range(runs)
    ]


def accepts(plan: Plan) -> int:
    return sum(1 for x in plan.actions if x.do == "respond" and x.answer == "accept")


def mean_accepts(ps: list[Plan]) -> float:
    return float(np.mean([accepts(p) for p in ps]))


# -- not every alarm is an arrest; some are called off --------------------------------
def test_a_third_of_alarms_are_not_arrests_and_half_of_those_are_called_off():
    alarms = draw_alarms("denhaag", 3000, 5, REFERENCE_DAY)
    not_arrest = [a for a in alarms if not a.arrest]
    assert len(not_arrest) / len(alarms) == pytest.approx(1 / 3, abs=0.03)
    called_off = [a for a in alarms if not np.isnan(a.called_off_s)]
    assert all(not a.arrest for a in called_off)  # an arrest is never called off
    assert len(called_off) / len(not_arrest) == pytest.approx(0.5, abs=0.05)
    after_alert = np.array([a.called_off_s - a.alert_s for a in called_off])
    assert np.median(after_alert) == pytest.approx(120, rel=0.1)
    assert all(a.alert_s < a.called_off_s < a.close_s for a in called_off)


def test_a_patient_not_in_arrest_gets_responders_but_no_pads():
    p = plans(FLAT, runs=50, at=local(12), arrest=False)
    assert sum(1 for x in p for a in x.actions if a.do == "arrive") > 0
    assert all(a.do != "aed_connected" for x in p for a in x.actions)


# -- time of day: acceptance (Mottlau 2022) and turnout (Region der Lebensretter 2025) --
def test_time_bands_follow_mottlau():
    assert [time_band(h) for h in (0, 7, 8, 15, 16, 23)] == [
        "night", "night", "day", "day", "evening", "evening"]  # fmt: skip


def test_acceptance_by_night_and_evening_relative_to_day():
    params = replace(FLAT, p_accept=0.1, evening_factor=4.8 / 3.7, night_factor=1.8 / 3.7)
    day = mean_accepts(plans(params, at=local(11)))
    evening = mean_accepts(plans(params, at=local(20)))
    night = mean_accepts(plans(params, at=local(3)))
    assert day == pytest.approx(80 * 0.1, rel=0.05)
    assert night / day == pytest.approx(1.8 / 3.7, rel=0.08)
    assert evening / day == pytest.approx(4.8 / 3.7, rel=0.08)


def test_turnout_median_is_1_42_by_day_and_2_22_at_night():
    # At 0 m the arrival is the turnout itself: answer delay + departure.
    for hour, expected_s in ((11, 102.0), (3, 142.0)):
        arrive = [a.at_s for x in plans(FLAT, runs=200, at=local(hour)) for a in x.actions
                  if a.do == "arrive"]  # fmt: skip
        assert np.median(arrive) == pytest.approx(expected_s, abs=4), hour


def test_an_sms_alert_is_answered_later_than_an_app_push():
    def answer_median(channel: str) -> float:
        ps = plans(FLAT, runs=100, at=local(11), channel=channel)
        return float(np.median([a.at_s for x in ps for a in x.actions if a.do == "respond"]))

    assert answer_median("sms") - answer_median("app") == pytest.approx(30.0, abs=4)


# -- a partly dormant pool -------------------------------------------------------------
def test_a_third_of_the_pool_is_dormant_and_stays_so():
    params = BehaviourParams()
    ids = [f"R{i:06d}" for i in range(20_000)]
    flags = [is_dormant(params, r) for r in ids]
    assert np.mean(flags) == pytest.approx(0.34, abs=0.015)
    assert flags == [is_dormant(params, r) for r in ids]  # per responder, not per alert


def test_dormant_responders_never_answer():
    params = replace(FLAT, p_dormant=0.34)
    ps = plans(params, runs=30, at=local(11))
    answered = {a.responder for x in ps for a in x.actions if a.do == "respond"}
    dormant = {r["id"] for r in alert()["responders"] if is_dormant(params, r["id"])}
    assert dormant and not answered & dormant
    # Everyone else acts (accepts or declines): HartslagNu's "34 of 100 never act".
    assert len(answered) == 80 - len(dormant)


# -- acceptance falls with distance ----------------------------------------------------
def test_acceptance_falls_exponentially_with_distance():
    params = replace(FLAT, p_accept=0.4, accept_distance_m=600.0)
    near = mean_accepts(plans(params, at=local(11), distance_m=0.0))
    far = mean_accepts(plans(params, at=local(11), distance_m=1200.0))
    assert near == pytest.approx(80 * 0.4, rel=0.03)
    assert far / near == pytest.approx(np.exp(-2.0), rel=0.08)
    p = acceptance(params, np.array([0.0, 600.0]), 11, 1.0)
    assert p == pytest.approx([0.4, 0.4 / np.e])


# -- per-alarm overdispersion ----------------------------------------------------------
def test_the_alarm_factor_has_mean_one_and_the_chosen_spread():
    params = replace(FLAT, alarm_shape=1.0)
    rng = np.random.default_rng(3)
    f = np.array([alarm_factor(params, rng) for _ in range(20_000)])
    assert f.mean() == pytest.approx(1.0, abs=0.03)
    assert f.var() == pytest.approx(1.0, rel=0.08)  # Gamma(k, 1/k): variance 1/k
    assert alarm_factor(FLAT, rng) == 1.0  # shape 0: no overdispersion


def test_answers_in_one_alarm_are_not_independent_coins():
    params = replace(FLAT, p_accept=0.05, alarm_shape=1.0)
    counts = np.array([accepts(p) for p in plans(params, runs=2000, at=local(11))])
    mean = counts.mean()
    assert mean == pytest.approx(80 * 0.05, rel=0.06)
    binomial_var = 80 * 0.05 * 0.95
    assert counts.var() > 3 * binomial_var
    # Independent coins would leave (0.95)^80 = 1.7 % of alarms without an accept; the
    # shared factor leaves 1/(1+4) = 20 % (a Gamma(1) mixture of Poissons with mean 4).
    assert np.mean(counts == 0) == pytest.approx(0.2, abs=0.03)


# -- speed (kept from the Swedish GPS study) -------------------------------------------
def test_speed_is_the_published_dense_and_sparse_speed():
    p = BehaviourParams()
    assert speed_for_density(p, 500.0) == 1.8
    assert speed_for_density(p, 1.0) == 3.1
    assert 1.8 < speed_for_density(p, 22.0) < 3.1


# -- rule presets ----------------------------------------------------------------------
@cache
def _registry() -> Registry:
    return generate_set("denhaag", 1).registry()


def test_rule_presets_alert_like_hartslagnu_did():
    from alert_engine.geo import point_rd
    from alert_engine.selection import select

    reg = _registry()
    x, y = point_rd(52.0705, 4.3007)  # Den Haag centre
    t = datetime(2026, 3, 10, 14, 0, tzinfo=AMSTERDAM)
    busy = np.zeros(reg.n_responders, dtype=bool)
    old = select(reg, x, y, t, busy, RULE_PRESETS["2019"].alert)
    new = select(reg, x, y, t, busy, RULE_PRESETS["2020"].alert)
    assert old.radius_m == 750.0 and len(old.responders) <= 30
    assert all(r.distance_m <= 750.0 for r in old.responders)
    assert all(a.distance_m <= 500.0 for a in old.aeds)
    assert len(new.responders) > 30 and new.radius_m <= 2000.0
    assert (RULE_PRESETS["2019"].channel, RULE_PRESETS["2020"].channel) == ("sms", "app")
    with pytest.raises(InvalidInput, match="known: 2019, 2020"):
        rule_preset("2018")


# -- phased alerting -------------------------------------------------------------------
def test_waves_go_out_only_while_too_few_have_accepted():
    from alert_engine.config import AlertConfig
    from alert_engine.simulation.behaviour import Intention
    from alert_engine.simulation.phased import Schedule, play_waves

    people = [
        {"id": f"R{i:02d}", "role": "cpr", "aed": None, "distance_m": 10.0 * i} for i in range(40)
    ]
    a = {"radius_m": 1000.0, "responders": people, "aeds": []}
    # Two of the nearest 20 accept (at 20 s and 40 s, on scene 100 s later); in the second
    # twenty, four accept at 30 s after their alert.
    its = [Intention("R00", "accept", 20.0, 120.0), Intention("R01", "accept", 40.0, 140.0)]
    its += [Intention(f"R{20 + i:02d}", "accept", 30.0, 200.0) for i in range(4)]
    cfg = AlertConfig(target_responders=5, target_aed_runners=0)
    params = BehaviourParams()
    at_once = play_waves(a, its, Schedule("all", 100, 0.0), params, cfg, 600.0, 1800.0)
    # Everyone at 0 s: accepts at 20, 30, 30, 30, 30 -> the target at 30 s; R01 (40 s) is
    # cancelled in time and stays home; six were asked to come, five did.
    assert (at_once.alerts_sent, at_once.accepted, at_once.arrived) == (40, 5, 5)
    waves = play_waves(a, its, Schedule("waves", 20, 60.0), params, cfg, 600.0, 1800.0)
    # Waves: only 2 accepted by 60 s, so the second wave goes at 60 s; the target is met at
    # 90 s with R00, R01 and three of the four; the fourth crosses it (oversupply) and comes.
    assert (waves.alerts_sent, waves.accepted, waves.oversupply, waves.arrived) == (40, 5, 1, 6)
    assert waves.first_cpr_s == at_once.first_cpr_s == 120.0
    enough = play_waves(a, its, Schedule("waves", 20, 30.0), params, cfg, 600.0, 1800.0)
    assert enough.alerts_sent == 40  # 1 accept by 30 s: the second wave goes at 30 s
    lazy = [Intention(f"R{i:02d}", "accept", 10.0, 100.0) for i in range(5)]
    done = play_waves(a, lazy, Schedule("waves", 20, 60.0), params, cfg, 600.0, 1800.0)
    assert done.alerts_sent == 20  # five accepted in the first wave: nobody else is asked


def test_a_runner_takes_the_aed_from_its_cabinet_and_pads_go_on_45_s_after_arrival():
    # No spread: answer at 60 s, leave 42 s later, walk at the sparse speed (3.1 m/s for
    # one responder in 1 km radius), 40 s at the cabinet, 45 s to connect. The victim is at
    # 52.0 N 4.3 E, the AED 300 m and the runner 500 m north of it.
    params = replace(FLAT, p_accept=1.0, answer_delay_sigma=0.0, speed_sigma=0.0)
    aed = {"id": "AED1", "distance_m": 300.0, "lat": 52.0 + 300 / 111_195, "lon": 4.3}
    runner = {"id": "R1", "role": "aed", "aed": "AED1", "distance_m": 500.0,
              "lat": 52.0 + 500 / 111_195, "lon": 4.3}  # fmt: skip
    a = {"radius_m": 1000.0, "responders": [runner], "aeds": [aed], "eligible_in_reach": 1}
    plan = plan_responses(a, np.random.default_rng(1), params, at=local(11))
    at = {x.do: x.at_s for x in plan.actions}
    to_cabinet = 200.0 / 3.1  # 500 m out, the AED 300 m out on the same line
    assert at["respond"] == pytest.approx(60.0)
    assert at["aed_fetched"] == pytest.approx(60 + 42 + to_cabinet + 40, abs=0.5)
    assert at["arrive"] == pytest.approx(at["aed_fetched"] + 300 / 3.1, abs=0.5)
    assert at["aed_connected"] == pytest.approx(at["arrive"] + 45)
