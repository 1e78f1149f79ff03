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
    # The refusal in the page's language, its field named (the API's own words are English).
    assert page.inner_text("#error") == "Bereikbaar per dag, zaterdag: de sluitingstijd ligt vóór de openingstijd."
    page.click(".langs [data-lang=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.inner_text("#error") == "Available per day, Saturday: it closes before it opens."
    assert "Cabinet code" in page.inner_text("body") and "Saturday" in page.inner_text("#hours")
    page.select_option("select[name='hours.sa']", "closed")  # hours are checked first
    page.fill("input[name=cabinet_code]", "12 34!")
    page.click("#send")
    page.wait_for_selector("#error[data-field=cabinet_code]")
    assert page.inner_text("#error") == "Cabinet code: 3 to 10 letters or digits." and "12 34!" not in page.content()
    page.reload()  # the choice stays
    page.wait_for_selector("body[data-screen=form]")
    assert page.inner_text("h1") == "AED management"
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
    assert page.inner_text("#error").startswith("Verklaring: vink aan dat je bekwaam bent")
    page.fill("input[name=from]", start.isoformat())
    page.fill("input[name=until]", (start - timedelta(1)).isoformat())
    page.click("#add-away")
    phone.wait("#error[data-field=until]")
    assert page.inner_text("#error") == "Tot en met: de periode eindigt voordat die begint."
    page.click(".langs [data-lang=en]")
    phone.wait("html[lang=en]")
    assert page.inner_text("#error") == "Until: the period ends before it starts."
    assert "My details" in page.inner_text("h1") and "Save certificate" in page.inner_text("body")
    profile = call(node, "GET", "/v1/me/profile", phone.token()).json()
    assert profile["unavailability"] == [{"id": profile["unavailability"][0]["id"], "from": start.isoformat(),
                                          "until": end.isoformat()}]
    assert profile["competent_declared_at"] is None


def refusals() -> list[tuple[int, dict[str, str]]]:
    """Every refusal the self-service endpoints give, as (status, body) the way the service
    words them: the rules' InvalidInput (400, field before the colon) and the routes' own."""
    from alert_engine.errors import InvalidInput
    from alert_engine.selfservice import rules

    today = date.today()
    week = dict.fromkeys(WEEK, "24h")
    cases: list[Callable[[], object]] = [
        lambda: rules.training({"certificate_valid_until": "2030-01-01"}, today),
        lambda: rules.training({"competent": True}, today),
        lambda: rules.training({"competent": True, "certificate_valid_until": "31-12-2030"}, today),
        lambda: rules.training({"competent": True, "certificate_valid_until": "2020-01-01"}, today),
        lambda: rules.training({"competent": True, "certificate_valid_until": (today + timedelta(4 * 365)).isoformat()},
                               today),
        lambda: rules.training({"competent": True, "certificate_valid_until": (today + timedelta(30)).isoformat(),
                                "refresher_on": (today + timedelta(3)).isoformat()}, today),
        lambda: rules.training({"competent": True, "certificate_valid_until": (today + timedelta(30)).isoformat(),
                                "refresher_on": "gisteren"}, today),
        lambda: rules.away({"until": today.isoformat()}, today),
        lambda: rules.away({"from": today.isoformat(), "until": "morgen"}, today),
        lambda: rules.away({"from": today.isoformat(), "until": (today - timedelta(1)).isoformat()}, today),
        lambda: rules.away({"from": (today - timedelta(9)).isoformat(), "until": (today - timedelta(2)).isoformat()},
                           today),
        lambda: rules.away({"from": today.isoformat(), "until": (today + timedelta(400)).isoformat()}, today),
        lambda: rules.channels([]),
        lambda: rules.channels(["pigeon"]),
        lambda: rules.hours({"mo": "24h"}),
        lambda: rules.hours({**week, "tu": "17:00-08:00"}),
        lambda: rules.hours({**week, "su": "acht tot vijf"}),
        lambda: rules.status("check_needed"),
        lambda: rules.cabinet_code("12 34!"),
    ]
    out: list[tuple[int, dict[str, str]]] = []
    for case in cases:
        with pytest.raises(InvalidInput) as refused:
            case()
        text = str(refused.value)
        out.append((400, {"error": text, "field": text.split(":", 1)[0]}))
    out += [(404, {"error": "no such period", "field": "period"}),
            (422, {"error": "nothing to change", "field": "body"}),
            (401, {"error": "missing or unknown bearer token", "field": "Authorization"})]
    return out


def test_every_self_service_refusal_reads_in_dutch_and_english_with_its_field(
        node: Serve, cast: Cast, phones: Callable[..., Any]) -> None:
    rid = cast.responders(1)[0]
    phone = phones(rid)
    phone.wait("body[data-screen=home][data-conn=online]")
    phone.page.click("[data-action=profile]")
    phone.wait("body[data-screen=form]")
    seen: dict[str, set[str]] = {"nl": set(), "en": set()}
    for status, body in refusals():
        for lang in ("nl", "en"):
            got = phone.page.evaluate("([b, s, l]) => zmSelfServiceErrors.describe(b, s, l)", [body, status, lang])
            name = phone.page.evaluate("([f, l]) => zmSelfServiceErrors.label(f, l === 'en')", [body["field"], lang])
            assert got["specific"], (lang, body)  # a refusal of its own, not the catch-all
            assert name and got["text"].startswith(f"{name}: "), (lang, body, got)
            assert body["error"] not in got["text"] and got["text"] != body["error"], (lang, body)
            seen[lang].add(got["text"])
    assert len(seen["nl"]) == len(seen["en"]) >= 18  # each refusal its own words, in both languages
    assert not seen["nl"] & seen["en"]
    # Something new still names its field in the page's language, never in English only.
    got = phone.page.evaluate("zmSelfServiceErrors.describe({error: 'until: something new', field: 'until'}, 400, 'nl')")
    assert got == {"text": "Tot en met: deze waarde kan niet worden opgeslagen; controleer haar.", "specific": False}
