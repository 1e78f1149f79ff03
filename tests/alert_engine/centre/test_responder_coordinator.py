"""Issue 13 point 3 in the responder web app (real Chromium, real `serve`): with the option
`coordinator_role` on, the third direct responder who comes with the first ones sees the
coordinator's screen (guide the others in, take over CPR in turns, meet the ambulance), in
Dutch and in English; the second responder, on the same alarm, does not."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from alert_engine.registry.demo import generate_set

from . import test_responder_app as app_tests
from .serving import GATEWAY, Serve
from .test_responder_app import HOLD_S, Cast, alarm, place, wait_event

browser, phones = app_tests.browser, app_tests.phones  # the responder-app tests' Chromium and phones (fixtures)
CONFIG = {"coordinator_role": True, "coordinator_window_s": 300}


@pytest.fixture(scope="module")
def cast() -> Cast:
    return Cast(generate_set("denhaag", 1).registry())


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("coordinator")
    n = Serve(folder, str(folder / "events.sqlite"), config=CONFIG).start()
    yield n
    n.kill()


def test_the_third_direct_responder_sees_the_coordinator_screen_the_second_does_not(
        node: Serve, cast: Cast, phones: Callable[..., Any], tmp_path: Path) -> None:
    first, second, third = cast.responders(3)
    _, lat, lon = cast.site()
    victim = (lat + 0.0045, lon)  # 500 m north of the AED: all three go straight to the victim
    for rid in (first, second, third):
        place(node, rid, *victim)
    p2, p3 = phones(second), phones(third)
    for p in (p2, p3):
        p.wait("body[data-screen=home][data-conn=online]")
    incident, sent = alarm(node, victim[0], victim[1], "Kerkstraat 3, Den Haag")
    roles = {r["id"]: r["role"] for r in sent["responders"]}
    assert [roles[r] for r in (first, second, third)] == ["cpr"] * 3, roles

    # The first accepts from their own phone (here: the gateway, as their app would).
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": first, "answer": "accept"},
                  token=GATEWAY)
    assert r.status_code == 200, r.text
    for p in (p2, p3):
        p.wait("body[data-screen=alert]", timeout=3.0)
    p2.hold("[data-action=accept]", HOLD_S + 0.2)
    p2.wait("body[data-screen=accepted]", timeout=3.0)
    p3.hold("[data-action=accept]", HOLD_S + 0.2)
    assigned, _ = wait_event(node, incident, lambda e: e["type"] == "coordinator_assigned")
    assert assigned["responder"] == third

    # The coordinator's page: its band, the way to the victim first, then the three tasks.
    p3.wait("body[data-screen=accepted] [data-card=coordinator]", timeout=3.0)
    card = p3.page.inner_text("[data-card=coordinator]")
    assert "Jij bent coördinator" in card
    assert "Wijs de anderen de weg" in card and "reanimatie om de beurt over" in card and "Vang de ambulance op" in card
    assert [p3.page.get_attribute(f"[data-task]:nth-child({i})", "data-task") for i in (1, 2, 3)] == [
        "guide", "cpr", "ambulance"]
    assert "COÖRDINATOR" in p3.page.inner_text("header.band").upper()
    assert p3.page.query_selector("[data-action=arrived]")  # still on the way: the steps stay
    order = p3.page.eval_on_selector_all("[data-card]", "cards => cards.map(c => c.dataset.card)")
    assert order.index("victim") < order.index("coordinator"), order
    shots = app_tests.DOCS if os.environ.get("ZESMINUTEN_SCREENSHOTS") == "1" else tmp_path
    p3.page.screenshot(path=str(shots / "responder-app-coordinator.png"))

    # The second responder, on the same alarm: no coordinator screen, and nothing in what
    # the page was sent says who is (the view names no one else).
    p2.page.wait_for_timeout(500)
    assert not p2.page.query_selector("[data-card=coordinator]") and "coördinator" not in p2.text().lower()
    assert all(v["coordinator"] is False for v in p2.received() if v)
    assert third not in json.dumps(p2.received())

    # English, one tap away (the home screen's language switch is stored for the app).
    p3.page.evaluate("localStorage.setItem('zm.lang', 'en')")
    p3.page.reload()
    p3.wait("body[data-screen=accepted] [data-card=coordinator]", timeout=5.0)
    card = p3.page.inner_text("[data-card=coordinator]")
    assert "You are the coordinator" in card and "Take over CPR in turns" in card and "Meet the ambulance" in card

    # On scene the role stays on the screen.
    p3.page.click("[data-action=arrived]")
    p3.wait("body[data-screen=arrived] [data-card=coordinator]", timeout=3.0)
