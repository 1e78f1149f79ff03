"""Self-service against a real `serve` (issue 15): a responder updates training data with a
declaration of competence, channels and a holiday; an AED manager sets status, hours per
weekday and the cabinet code. Each change is refused by field when wrong (nothing stored)
and, when right, used by the very next alarm. The cabinet code is never given back or logged."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from alert_engine.registry.demo import generate_set
from tests.paths import REPO

from . import test_responder_app as app_tests
from .serving import GATEWAY, WS1, Serve
from .test_responder_app import CONFIG, PHONE, Cast, alarm, place

browser, phones = app_tests.browser, app_tests.phones  # the responder-app tests' Chromium and phones (fixtures)

WEEK = ("mo", "tu", "we", "th", "fr", "sa", "su")


@pytest.fixture(scope="module")
def cast() -> Cast:
    return Cast(generate_set("denhaag", 1).registry())


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("self-service")
    n = Serve(folder, str(folder / "events.sqlite"), config=CONFIG).start()
    yield n
    n.kill()


def session(node: Serve, rid: str) -> str:
    link = node.post(f"/v1/responders/{rid}/sign-in-link", {}).json()["link"]
    r = node.post("/v1/me/session", {"code": link.split("#code=")[1]}, token="")
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def call(node: Serve, method: str, path: str, token: str, body: Any = None) -> Any:
    import httpx

    return httpx.request(method, f"{node.url}{path}", json=body, headers={"Authorization": f"Bearer {token}"},
                         timeout=10)


def closed_alarm(node: Serve, lat: float, lon: float) -> dict[str, Any]:
    incident, sent = alarm(node, lat, lon, "Laan 1, Den Haag")
    assert node.post(f"/v1/incidents/{incident}/do", {"do": "close"}).status_code == 200
    return sent


def test_a_responder_updates_training_channels_and_a_holiday(node: Serve, cast: Cast) -> None:
    rid = cast.responders(1)[0]
    token = session(node, rid)
    today = date.today()
    assert call(node, "GET", "/v1/me/profile", GATEWAY).status_code == 401
    r = call(node, "PATCH", "/v1/me/training", token, {"certificate_valid_until": (today + timedelta(700)).isoformat()})
    assert r.status_code == 400 and r.json()["field"] == "competent"
    r = call(node, "PATCH", "/v1/me/training", token, {"certificate_valid_until": "2020-01-01", "competent": True})
    assert r.status_code == 400 and r.json()["field"] == "certificate_valid_until"
    new_until = (today + timedelta(700)).isoformat()
    r = call(node, "PATCH", "/v1/me/training", token, {"certificate_valid_until": new_until,
                                                        "refresher_on": today.isoformat(), "competent": True})
    assert r.status_code == 200 and r.json()["certificate_valid_until"] == new_until
    assert r.json()["competent_declared_at"] and r.json()["refresher_on"] == today.isoformat()

    r = call(node, "PUT", "/v1/me/channels", token, {"channels": ["pigeon"]})
    assert r.status_code == 400 and r.json()["field"] == "channels"
    assert set(call(node, "PUT", "/v1/me/channels", token, {"channels": ["sms", "app"]}).json()["channels"]) == {
        "app", "sms"}

    # A holiday: the next alarm at their own spot passes them by; over, and it finds them again.
    _, lat, lon = cast.site()
    place(node, rid, lat, lon)
    assert rid in [x["id"] for x in closed_alarm(node, lat, lon)["responders"]]
    r = call(node, "POST", "/v1/me/unavailability", token, {"from": today.isoformat(),
                                                             "until": (today - timedelta(1)).isoformat()})
    assert r.status_code == 400 and r.json()["field"] == "until"
    r = call(node, "POST", "/v1/me/unavailability", token, {"from": today.isoformat(),
                                                             "until": (today + timedelta(7)).isoformat()})
    assert r.status_code == 201, r.text
    period = r.json()["unavailability"][0]["id"]
    assert rid not in [x["id"] for x in closed_alarm(node, lat, lon)["responders"]]
    assert call(node, "DELETE", f"/v1/me/unavailability/{period}", token).status_code == 200
    assert rid in [x["id"] for x in closed_alarm(node, lat, lon)["responders"]]


def test_an_aed_manager_sets_status_hours_and_code_which_is_never_shown(node: Serve, cast: Cast) -> None:
    runner = cast.responders(1)[0]
    aed, lat, lon = cast.site()
    place(node, runner, lat - 0.00108, lon)
    victim = (lat + 0.00135, lon)
    assert aed in [a["id"] for a in closed_alarm(node, *victim)["aeds"]]
    # (closing without anyone accepting: no check-back, the AED stays in alerts)

    link = node.post(f"/v1/aeds/{aed}/manager-link", {}).json()["link"]
    code = link.split("#code=")[1]
    assert node.post(f"/v1/aeds/{aed}/manager-link", {}, token=GATEWAY).status_code == 403
    view = call(node, "GET", "/v1/aed-manager", code).json()
    old = cast.cabinet(aed)
    assert view["aed"] == aed and view["cabinet_code_hint"] == f"•••{old[-1]}" and old not in str(view)

    r = call(node, "PATCH", "/v1/aed-manager", code, {"status": "maintenance", "hours": {"mo": "08:00-17:00"}})
    assert r.status_code == 400 and r.json()["field"] == "hours"
    assert call(node, "GET", "/v1/aed-manager", code).json()["status"] == "ready"  # nothing half-written
    r = call(node, "PATCH", "/v1/aed-manager", code, {"hours": {**dict.fromkeys(WEEK, "24h"), "we": "17:00-08:00"}})
    assert r.status_code == 400 and r.json()["field"] == "hours.we"
    assert call(node, "PATCH", "/v1/aed-manager", code, {"status": "maintenance"}).json()["status"] == "maintenance"
    assert aed not in [a["id"] for a in closed_alarm(node, *victim)["aeds"]]
    closed_all_week = call(node, "PATCH", "/v1/aed-manager", code, {"status": "ready",
                                                                     "hours": dict.fromkeys(WEEK, "closed")})
    assert closed_all_week.json()["hours"].startswith("Mo off")
    assert aed not in [a["id"] for a in closed_alarm(node, *victim)["aeds"]]
    assert call(node, "PATCH", "/v1/aed-manager", code, {"hours": dict.fromkeys(WEEK, "24h")}).json()["hours"] == "24/7"
    assert aed in [a["id"] for a in closed_alarm(node, *victim)["aeds"]]

    bad = call(node, "PATCH", "/v1/aed-manager", code, {"cabinet_code": "12 34!"})
    assert bad.status_code == 400 and bad.json()["field"] == "cabinet_code" and "12 34!" not in bad.text
    done = call(node, "PATCH", "/v1/aed-manager", code, {"cabinet_code": "7351"}).json()
    assert done["cabinet_code_hint"] == "•••1" and "7351" not in str(done)
    assert "7351" not in node.log.read_text()
    assert call(node, "GET", "/v1/aed-manager", WS1).status_code == 401  # a workstation token is no manager link


def test_the_managers_page_changes_hours_status_and_code(node: Serve, cast: Cast, browser: Any) -> None:
    aed, _, _ = cast.site()
    link = node.post(f"/v1/aeds/{aed}/manager-link", {}).json()["link"]
    old = cast.cabinet(aed)
    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(link)
    page.wait_for_selector("body[data-screen=form]", timeout=10_000)
    assert "#code=" not in page.url and old not in page.inner_text("body")
    page.select_option("select[name='hours.we']", "closed")
    page.select_option("select[name='hours.sa']", "span")
    page.fill("input[name='span.sa']", "10:00-14:00")
    page.check("input[name=status][value=maintenance]")
    page.fill("input[name=cabinet_code]", "9182")
    page.click("#send")
    page.wait_for_selector("body[data-screen=saved]", timeout=10_000)
    if os.environ.get("ZESMINUTEN_SCREENSHOTS") == "1":
        page.screenshot(path=str(REPO / "docs" / "aed-manager-page.png"), full_page=True)
    assert "•••2" in page.inner_text("#code-hint") and "9182" not in page.content()
    code = link.split("#code=")[1]
    view = call(node, "GET", "/v1/aed-manager", code).json()
    assert view["status"] == "maintenance" and "We off" in view["hours"] and "Sa 10:00-14:00" in view["hours"]
    page.select_option("select[name='hours.sa']", "span")
    page.fill("input[name='span.sa']", "14:00-10:00")
    page.click("#send")
    page.wait_for_selector("#error:not([hidden])")
    assert "closes before it opens" in page.inner_text("#error")
    context.close()
    assert errors == []


def test_the_responders_own_page_takes_a_holiday_and_asks_for_the_declaration(
        node: Serve, cast: Cast, phones: Callable[..., Any]) -> None:
    rid = cast.responders(1)[0]
    phone = phones(rid)
    phone.wait("body[data-screen=home][data-conn=online]")
    phone.page.click("[data-action=profile]")
    phone.wait("body[data-screen=form]")
    page = phone.page
    start, end = date.today() + timedelta(10), date.today() + timedelta(17)
    page.fill("input[name=from]", start.isoformat())
    page.fill("input[name=until]", end.isoformat())
    page.click("#add-away")
    phone.wait("body[data-screen=saved]")
    assert page.locator("#away li").count() == 1
    page.fill("input[name=certificate_valid_until]", (date.today() + timedelta(400)).isoformat())
    page.click("#save-training")  # without the declaration
    phone.wait("#error:not([hidden])")
    assert "bekwaam" in page.inner_text("#error")
    profile = call(node, "GET", "/v1/me/profile", phone.token()).json()
    assert profile["unavailability"] == [{"id": profile["unavailability"][0]["id"], "from": start.isoformat(),
                                          "until": end.isoformat()}]
    assert profile["competent_declared_at"] is None
