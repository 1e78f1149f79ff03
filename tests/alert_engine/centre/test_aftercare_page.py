"""Aftercare in a real browser (Debian's /usr/bin/chromium through Playwright) against a
real `serve` (issue 15): after an alarm a responder who set out fills in the questionnaire
in the web app and asks to be called, and appears on the coordinator's call list; two
responders of the incident agree to contact and only then see each other's pseudonym.
Screenshots: the test's tmp dir, or docs/aftercare-*.png with ZESMINUTEN_SCREENSHOTS=1.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from alert_engine.review.access_log import AccessLog
from tests.paths import REPO

from . import test_responder_app as app_tests
from .serving import GATEWAY, WS1, Serve
from .test_responder_app import CONFIG, Cast, Phone, alarm, stage

# The responder-app tests' fixtures (the registry, the cast of responders, Chromium, phones).
registry, cast, browser, phones = app_tests.registry, app_tests.cast, app_tests.browser, app_tests.phones

playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("aftercare")
    n = Serve(folder, str(folder / "events.sqlite"), config=CONFIG).start()
    yield n
    n.kill()


def do(node: Serve, incident: str, body: dict[str, Any]) -> None:
    r = node.post(f"/v1/incidents/{incident}/do", body)
    assert r.status_code == 200, r.text


def shoot(page: Any, tmp: Path, name: str) -> Path:
    folder = REPO / "docs" if os.environ.get("ZESMINUTEN_SCREENSHOTS") == "1" else tmp
    path = folder / f"aftercare-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def questionnaire(phone: Phone, node: Serve, incident: str) -> Any:
    page = phone.page
    page.goto(f"{node.url}/app/nazorg.html#incident={incident}")
    return page


def test_questionnaire_coordinator_list_and_consented_contact(
        node: Serve, cast: Cast, phones: Callable[..., Phone], browser: Any, tmp_path: Path) -> None:
    a, b, victim, address = stage(node, cast, "Kerkstraat 3, Den Haag")
    pa, pb = phones(a), phones(b)
    for p in (pa, pb):
        p.wait("body[data-screen=home][data-conn=online]")
    incident, sent = alarm(node, victim["lat"], victim["lon"], address)
    assert {a, b} <= {r["id"] for r in sent["responders"]}
    do(node, incident, {"do": "respond", "responder": a, "answer": "accept"})
    do(node, incident, {"do": "respond", "responder": b, "answer": "accept"})
    do(node, incident, {"do": "arrive", "responder": a})
    # Nothing is offered while the alarm runs.
    running = node.get("/v1/me/aftercare", token=pa.token()).json()
    assert running["questionnaires"] == []
    do(node, incident, {"do": "close"})
    pseudo_a, pseudo_b = cast.pseudonym(a), cast.pseudonym(b)

    # A: there, CPR under way, no AED, it weighs on them; wants a call and contact with others.
    page = questionnaire(pa, node, incident)
    pa.wait("body[data-screen=form]")
    page.check("input[name=arrived][value=yes]")
    page.check("input[name=cpr_under_way][value=yes]")
    page.check("input[name=aed_used][value=no]")
    page.click("#send")  # wellbeing still open: asked for, nothing sent
    pa.wait("#error:not([hidden])")
    assert "hoe het met je gaat" in page.inner_text("#error")
    page.check("input[name=wellbeing][value=hard]")
    page.check("input[name=wants_contact]")
    page.check("input[name=contact_others]")
    page.evaluate("document.querySelector('#error').hidden = true")
    assert shoot(page, tmp_path, "questionnaire").stat().st_size > 20_000
    page.click("#send")
    pa.wait("body[data-screen=done]")
    pa.wait("[data-contact=agreed]")
    assert pseudo_b not in pa.text()

    # The coordinator's list: A, both reasons, the 24 h / 48 h times. B is not on it.
    coordinator = browser.new_context(viewport={"width": 1000, "height": 640}, locale="nl-NL",
                                      timezone_id="Europe/Amsterdam")
    desk = coordinator.new_page()
    desk.goto(f"{node.url}/app/nazorg-coordinator.html")
    desk.fill("#token", WS1)
    desk.click("#open")
    desk.wait_for_selector(f"tr[data-pseudonym='{pseudo_a}']", timeout=10_000)
    row = desk.inner_text(f"tr[data-pseudonym='{pseudo_a}']")
    assert "wil gebeld worden" in row and "zit het niet lekker" in row
    assert pseudo_b not in desk.inner_text("body")
    listed = node.get("/v1/aftercare/follow-ups").json()
    mine = next(f for f in listed if f["pseudonym"] == pseudo_a)
    assert mine["reasons"] == ["wants_contact", "distress"] and mine["call_by"] < mine["deadline"]
    assert node.get("/v1/aftercare/follow-ups", token=GATEWAY).status_code == 403
    assert shoot(desk, tmp_path, "coordinator").stat().st_size > 10_000

    # B: set out, fine, no call. Someone would like contact: B sees that, not who.
    page_b = questionnaire(pb, node, incident)
    pb.wait("body[data-screen=form]")
    page_b.check("input[name=arrived][value=no]")
    page_b.check("input[name=wellbeing][value=good]")
    page_b.click("#send")
    pb.wait("[data-contact=waiting]")
    assert pseudo_a not in pb.text()
    mine_b = node.get("/v1/me/aftercare", token=pb.token()).json()
    assert pseudo_a not in str(mine_b) and mine_b["questionnaires"][0]["contact"]["others_waiting"] is True
    page_b.click("#agree")
    pb.wait("[data-contact=matched]")
    assert pseudo_a in pb.text()
    pa.page.reload()  # A comes back: now B is named
    pa.wait("[data-contact=matched]")
    assert pseudo_b in pa.text()

    # Once per incident; and the incident's summary for the review.
    again = node.post(f"/v1/me/aftercare/{incident}", {"answer": {"wellbeing": "good"}}, token=pb.token())
    assert again.status_code == 409
    summary = node.get("/v1/aftercare/summary", incident=incident).json()
    assert {k: summary[k] for k in ("asked", "answered", "arrived", "cpr_under_way", "aed_used", "follow_up",
                                     "contact_between")} == {"asked": 2, "answered": 2, "arrived": 1,
                                                              "cpr_under_way": 1, "aed_used": 0, "follow_up": 1,
                                                              "contact_between": 1}
    assert summary["wellbeing"] == {"good": 1, "okay": 0, "hard": 1}
    this_month = date.today().strftime("%Y-%m")
    month = node.get("/v1/aftercare/summary", month=this_month).json()
    assert month["answered"] >= 2 and month["asked"] >= 2 and month["month"] == this_month
    assert node.get("/v1/aftercare/summary").status_code == 400  # incident or month
    log = AccessLog(node.folder / "access-node-a.sqlite")
    reads = [e for e in log.entries() if e.reason == "nazorg"]
    log.close()
    assert {e.details.get("read") for e in reads} >= {"aftercare follow-ups", "aftercare summary"}
    # The coordinator calls A: off the list.
    desk.click(f"tr[data-pseudonym='{pseudo_a}'] button")
    desk.wait_for_selector(f"tr[data-pseudonym='{pseudo_a}']", state="detached", timeout=10_000)
    coordinator.close()
