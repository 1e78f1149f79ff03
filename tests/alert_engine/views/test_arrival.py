"""Issue 13, point 3: a responder's expected arrival against the ambulance's ETA, and the
ETA-aware option (off by default) that alerts only those expected before the ambulance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.engine import Engine
from alert_engine.registry.model import Address, Responder
from alert_engine.simulation.behaviour import BehaviourParams
from alert_engine.views.arrival import ambulance_eta, arrivals, route_m, travel_s
from tests.builders import EVENING, ZOETERMEER, aed_at, facts, make_engine, offset


def at(rid: str, north_m: float, east_m: float = 0.0) -> Responder:
    lat, lon = offset(ZOETERMEER, north_m, east_m)
    return Responder(id=rid, certificate_valid_until=date(2027, 6, 30), addresses=(Address(lat, lon, "24/7"),),
                     pseudonym=f"BHV-{rid}")


# Three straight to the victim (100 m, 400 m, 900 m); three in the ring who fetch the AED 500 m north.
PEOPLE = [at("R1", 100), at("R2", 0, 400), at("R3", -900), at("R4", 600), at("R5", 650, 50), at("R6", 0, -1200)]
AEDS = [aed_at("A1", 500, 0)]


def alarm(eta_s: float | None, **config: object) -> tuple[Engine, SimClock]:
    engine, clock, _ = make_engine(PEOPLE, AEDS, config=AlertConfig(max_responders=6, wanted_responders=6,
                                                                   min_radius_m=1500, **config))  # type: ignore[arg-type]
    engine.call("I1", facts())
    eta = None if eta_s is None else clock.now() + timedelta(seconds=eta_s)
    engine.ambulance_status("I1", "15-101", "en_route", eta)
    engine.trigger_alert("I1")
    return engine, clock


def test_the_figures_are_the_behaviour_models() -> None:
    c, b = AlertConfig(), BehaviourParams()
    assert c.eta_speed_mps == b.speed_median_mps and c.eta_detour_factor == b.route_factor
    assert c.eta_turnout_s == b.answer_delay_median_s + b.departure_s and c.eta_cabinet_s == b.cabinet_s
    assert travel_s(460.0, c, via_aed=False) == pytest.approx(102 + 200)
    assert travel_s(460.0, c, via_aed=True) == pytest.approx(102 + 200 + 40)
    assert route_m(52.0, 4.0, 52.001, 4.0, 300.0) == pytest.approx(111.2 + 300, abs=0.5)


def test_off_by_default_everyone_is_alerted_and_the_view_marks_who_is_late() -> None:
    engine, _ = alarm(eta_s=360)
    s = engine.state("I1")
    assert len(s.responders) == 6 and "eta_aware" not in engine.store.read("I1")[-1].data
    assert ambulance_eta(s) == EVENING + timedelta(seconds=360)
    seen = arrivals(s, engine.config)
    assert seen["R1"].beats_ambulance is True and seen["R1"].ahead_s == pytest.approx(360 - 102 - 100 / 2.3, abs=1)
    assert seen["R6"].beats_ambulance is False  # 1200 m: 102 + 522 s, after the ambulance


def test_eta_aware_alerts_only_those_expected_before_the_ambulance() -> None:
    # Budget: 360 s ETA - 60 s margin = 300 s; direct reach (300 - 102) * 2.3 = 455 m.
    engine, _ = alarm(eta_s=360, eta_aware=True)
    s = engine.state("I1")
    sent = engine.store.read("I1")[-1]
    assert set(s.responders) == {"R1", "R2"}
    assert sent["eta_aware"]["left_out"] == 4 and sent["eta_aware"]["margin_s"] == 60
    assert all(a.ahead_s is not None and a.ahead_s >= 60 for a in arrivals(s, engine.config).values())
    # Without an ETA nothing is known to beat: everyone is alerted as before.
    engine, _ = alarm(eta_s=None, eta_aware=True)
    assert len(engine.state("I1").responders) == 6


def test_a_runner_too_late_via_the_aed_goes_direct_and_the_aed_is_not_alerted() -> None:
    # R4 (600 m north) and R5 (652 m) fetch the AED 500 m north when everyone is alerted.
    engine, _ = alarm(eta_s=None, eta_aware=True)
    assert {r.id for r in engine.state("I1").responders.values() if r.aed == "A1"} == {"R4", "R5"}
    # Budget 380 s: R4 via the AED is 102 + 600/2.3 + 40 = 403 s (late), direct 363 s (in
    # time); R5 direct is 385 s (late). So R4 goes direct and the AED has no runner left.
    late, _ = alarm(eta_s=380, eta_aware=True, eta_margin_s=0)
    s = late.state("I1")
    assert (s.responders["R4"].role, s.responders["R4"].aed) == ("cpr", None)
    assert "R5" not in s.responders and s.aeds == {}
    assert late.store.read("I1")[-1]["eta_aware"]["made_direct"] == 1


def test_nobody_before_the_ambulance_is_a_refusal_the_dispatcher_sees() -> None:
    engine, _ = alarm(eta_s=90, eta_aware=True)
    s = engine.state("I1")
    assert s.alert_time is None and s.refusals[-1][1] == "none_before_ambulance"


def test_the_third_direct_responder_coming_with_the_first_ones_is_the_coordinator() -> None:
    # Off by default: nobody gets the role.
    engine, _ = alarm(eta_s=600)
    for rid in ("R1", "R2", "R3"):
        engine.respond("I1", rid, "accept")
    assert engine.state("I1").coordinator is None
    # On, window 300 s: R1 (100 m, expected ~145 s) accepts, then R3 (900 m, only the
    # second), then R2 (400 m, ~276 s): the third, 131 s after R1, inside the window.
    engine, _ = alarm(eta_s=600, coordinator_role=True, coordinator_window_s=300)
    engine.respond("I1", "R1", "accept")
    engine.respond("I1", "R3", "accept")
    events = engine.respond("I1", "R2", "accept")  # the third, 276 - 145 s after the first
    assert [e.type for e in events] == ["responder_accepted", "coordinator_assigned"]
    assert engine.state("I1").coordinator == "R2"
    told = [m for m in engine.channel.sent if m.kind == "coordinator"]  # type: ignore[union-attr]
    assert [(m.responder, m.role) for m in told] == [("R2", "coordinator")]
    assert "coördinator" in told[0].text
    # One per alarm.
    assert "coordinator_assigned" not in [e.type for e in engine.respond("I1", "R6", "accept")]


def test_a_late_third_responder_is_not_the_coordinator() -> None:
    engine, _ = alarm(eta_s=600, coordinator_role=True, coordinator_window_s=60)
    engine.respond("I1", "R1", "accept")
    engine.respond("I1", "R2", "accept")
    events = engine.respond("I1", "R3", "accept")  # ~493 s, R1 ~145 s: far behind
    assert [e.type for e in events] == ["responder_accepted"] and engine.state("I1").coordinator is None
