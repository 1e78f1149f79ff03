"""The responder web app in a real browser (Debian's /usr/bin/chromium driven by Playwright)
against real `serve` processes: sign-in by one-time link, a live alarm triggered as a
console client triggers one, the AED runner's cabinet code, cancellation, test alarms, and
a kill -9 of the service while the pages are open.

How the roles are made deterministic: the service runs with `direct_share` 0, so exactly
one responder goes straight to the victim (the nearest: the engine always sends at least
one) and everyone near a chosen AED fetches it. Responder A gets a GPS fix on the victim's
point, responder B one on an AED 150 m away (through the gateway token, as their phones
would), so A is the nearest (direct) and B is an AED runner, whoever else lives nearby.

Screenshots: every run writes them to the test's tmp dir; with ZESMINUTEN_SCREENSHOTS=1
they go to docs/responder-app-*.png (the ones the docs show).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from alert_engine.registry.demo import generate_set
from alert_engine.registry.table import Registry
from tests.paths import REPO

from .serving import GATEWAY, WS1, Serve

playwright_api = pytest.importorskip("playwright.sync_api")

DOCS = REPO / "docs"
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--autoplay-policy=no-user-gesture-required"]
CONFIG = {"direct_share": 0.0}
HOLD_S = 1.0
# The screenshots docs/responder-app.md shows (the others stay in the test's tmp dir).
DOC_SHOTS = {"alert-aed-runner", "accepted-aed-runner", "cancelled", "test-alarm"}


# -- the registry the service runs on (the same synthetic demo set, generated here) ----------
@pytest.fixture(scope="module")
def registry() -> Registry:
    return generate_set("denhaag", 1).registry()


def always_available(reg: Registry, test_opt_in: bool = False) -> list[str]:
    """Responders the engine may select at any hour: active, certified, available 24/7."""
    full_time = reg.patterns.code("24/7")
    ok = reg.r_active & (reg.r_cert_day >= date.today().toordinal() + 2) & (reg.r_avail == full_time)
    ok &= reg.r_test_opt_in == test_opt_in
    return [str(reg.r_ids[int(i)]) for i in np.flatnonzero(ok)]


def sites(reg: Registry) -> Iterator[tuple[str, float, float]]:
    """Ready 24/7 AEDs, far apart: one per test (a fetched AED waits for its check)."""
    full_time = reg.patterns.code("24/7")
    picked: list[tuple[float, float]] = []
    for i in np.flatnonzero((reg.a_hours == full_time) & (reg.a_status == 0)):
        lat, lon = float(reg.a_lat[i]), float(reg.a_lon[i])
        if all(abs(lat - a) + abs(lon - b) > 0.03 for a, b in picked):
            picked.append((lat, lon))
            yield str(reg.a_ids[int(i)]), lat, lon


class Cast:
    """Hands out responders and sites so no two tests share one."""

    def __init__(self, reg: Registry) -> None:
        self.reg = reg
        self._responders = iter(always_available(reg))
        self._testers = iter(always_available(reg, test_opt_in=True))
        self._sites = sites(reg)

    def responders(self, n: int) -> list[str]:
        return [next(self._responders) for _ in range(n)]

    def testers(self) -> Iterator[str]:
        """Responders who agreed to test alarms (always available too)."""
        return self._testers

    def site(self) -> tuple[str, float, float]:
        return next(self._sites)

    def cabinet(self, aed: str) -> str:
        return str(self.reg.a_cabinet[self.reg.a_index[aed]])

    def pseudonym(self, rid: str) -> str:
        return str(self.reg.r_pseudonym[self.reg.r_index[rid]])


@pytest.fixture(scope="module")
def cast(registry: Registry) -> Cast:
    return Cast(registry)


# -- the service and the browser ----------------------------------------------------------------
@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("responder-app")
    n = Serve(folder, str(folder / "events.sqlite"), config=CONFIG).start()
    yield n
    n.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


class Phone:
    """One responder's phone: a browser context of its own (its own localStorage)."""

    def __init__(self, browser: Any, node: Serve, rid: str, link: str | None = None) -> None:
        self.rid = rid
        self.node = node
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="nl-NL",
                                           timezone_id="Europe/Amsterdam", permissions=["geolocation"],
                                           geolocation={"latitude": 52.07, "longitude": 4.30})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.link = link or sign_in_link(node, rid)
        self.page.goto(self.link)

    def _console(self, msg: Any) -> None:
        # A refused connection while the service is down is expected; a CSP refusal or a
        # script error is a bug.
        if msg.type == "error" and "Failed to load resource" not in msg.text and "ERR_CONNECTION" not in msg.text:
            self.errors.append(msg.text)

    def wait(self, selector: str, timeout: float = 10.0) -> Any:
        return self.page.wait_for_selector(selector, timeout=timeout * 1000)

    def screen(self) -> str:
        return str(self.page.evaluate("document.body.dataset.screen"))

    def received(self) -> list[dict[str, Any]]:
        return list(self.page.evaluate("window.zm.received.filter(Boolean)"))

    def token(self) -> str:
        return str(self.page.evaluate("localStorage.getItem('zm.token')"))

    def text(self) -> str:
        return str(self.page.inner_text("body"))

    def hold(self, selector: str, seconds: float) -> float:
        """Press and hold (pointer down for `seconds`); returns when the press began."""
        box = self.page.locator(selector).bounding_box()
        assert box is not None, selector
        self.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        self.page.mouse.down()
        began = time.monotonic()
        self.page.wait_for_timeout(seconds * 1000)
        self.page.mouse.up()
        return began

    def shoot(self, tmp: Path, name: str) -> Path:
        folder = DOCS if os.environ.get("ZESMINUTEN_SCREENSHOTS") == "1" and name in DOC_SHOTS else tmp
        path = folder / f"responder-app-{name}.png"
        self.page.wait_for_timeout(400)  # the map settles
        self.page.screenshot(path=str(path), full_page=False)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def phones(browser: Any, node: Serve) -> Iterator[Callable[..., Phone]]:
    opened: list[Phone] = []

    def open_phone(rid: str, on: Serve | None = None, link: str | None = None) -> Phone:
        p = Phone(browser, on or node, rid, link)
        opened.append(p)
        return p

    yield open_phone
    errors = [e for p in opened for e in p.errors]
    for p in opened:
        p.close()
    assert errors == [], errors


# -- the service, as a console and a gateway use it ----------------------------------------------------
def sign_in_link(node: Serve, rid: str) -> str:
    r = node.post(f"/v1/responders/{rid}/sign-in-link", {})
    assert r.status_code == 201, r.text
    return str(r.json()["link"])


def place(node: Serve, rid: str, lat: float, lon: float) -> None:
    r = node.post(f"/v1/responders/{rid}/position", {"lat": lat, "lon": lon}, token=GATEWAY)
    assert r.status_code == 200, r.text


def alarm(node: Serve, lat: float, lon: float, address: str) -> tuple[str, dict[str, Any]]:
    """What a console does: the call, the ambulance, then the alert; returns alert_sent."""
    r = node.post("/v1/calls", {"lat": lat, "lon": lon, "patient_age_years": 64, "location_kind": "home",
                                "address": address, "location_description": "achterdeur via de tuin"})
    assert r.status_code == 201, r.text
    incident = r.json()["incident"]
    assert node.post(f"/v1/incidents/{incident}/do", {"do": "ambulance_dispatched", "unit": "15-101"}).status_code == 200
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "trigger_alert"})
    assert r.status_code == 200, r.text
    sent = [e for e in r.json()["events"] if e["type"] == "alert_sent"]
    assert sent, r.json()
    return incident, sent[0]


def events(node: Serve, incident: str) -> list[dict[str, Any]]:
    r = node.get(f"/v1/incidents/{incident}/events")
    assert r.status_code == 200, r.text
    return list(r.json())


def wait_event(node: Serve, incident: str, match: Callable[[dict[str, Any]], bool], timeout: float = 5.0
               ) -> tuple[dict[str, Any], float]:
    """The first event that matches, and when (monotonic) this poller first saw it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for e in events(node, incident):
            if match(e):
                return e, time.monotonic()
        time.sleep(0.05)
    raise AssertionError(f"no matching event in {incident} after {timeout} s")


def acknowledged_by(rid: str) -> Callable[[dict[str, Any]], bool]:
    return lambda e: e["type"] == "message_acknowledged" and e["responder"] == rid


def roles_of(sent: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in sent["responders"]}


def others_in(sent: dict[str, Any], me: str, cast: Cast) -> list[str]:
    """Ids and pseudonyms of everyone else this alert reached: none may reach `me`'s page."""
    out = []
    for r in sent["responders"]:
        if r["id"] != me:
            out += [r["id"], cast.pseudonym(r["id"])]
    return out


def stage(node: Serve, cast: Cast, address: str) -> tuple[str, str, dict[str, Any], str]:
    """A direct responder A and an AED runner B around a fresh site; the alert, live."""
    a, b = cast.responders(2)
    _, lat, lon = cast.site()
    victim = (lat + 0.00135, lon)  # 150 m north of the AED
    place(node, a, *victim)
    place(node, b, lat - 0.00108, lon)  # 120 m south of it: inside its fetch circle, 270 m from the victim
    return a, b, {"lat": victim[0], "lon": victim[1]}, address


# -- the tests ----------------------------------------------------------------------------------
def test_a_live_alarm_reaches_both_pages_only_the_runner_sees_the_code(
        node: Serve, cast: Cast, phones: Callable[..., Phone], tmp_path: Path) -> None:
    a, b, victim, address = stage(node, cast, "Dorpsstraat 12, Zoetermeer")
    pa, pb = phones(a), phones(b)
    for p in (pa, pb):
        p.wait("body[data-screen=home][data-conn=online]")

    incident, sent = alarm(node, victim["lat"], victim["lon"], address)
    roles = roles_of(sent)
    assert roles[a]["role"] == "cpr" and roles[b]["role"] == "aed", (roles.get(a), roles.get(b))
    runner_aed = roles[b]["aed"]
    code = cast.cabinet(runner_aed)
    codes = {cast.cabinet(x["id"]) for x in sent["aeds"]}

    # Both pages ring within two seconds, each with its own role first.
    for p, role in ((pa, "cpr"), (pb, "aed")):
        p.wait("body[data-screen=alert][data-ringing]", timeout=2.0)
        assert p.page.get_attribute("[data-role]", "data-role") == role
    assert "Ga direct naar het slachtoffer" in pa.text()
    assert "Haal eerst de AED" in pb.text()
    assert pb.page.inner_text("[data-aed=description]").strip()
    # Each page's own receipt: the alert reached the app.
    for rid in (a, b):
        wait_event(node, incident, acknowledged_by(rid))
    # Before accepting: no exact point, no address, no code, on either page.
    for p in (pa, pb):
        view = p.received()[-1]
        assert view["victim"]["exact"] is False and view["victim"]["address"] is None
        assert address not in p.text() and not p.page.query_selector("[data-cabinet-code]")
    pb.shoot(tmp_path, "alert-aed-runner")
    pa.shoot(tmp_path, "alert-direct")

    # A tap is not an accept.
    pb.hold("[data-action=accept]", 0.2)
    pb.wait("[data-hint=accept]:has-text('1 seconde')")
    time.sleep(0.5)
    assert not any(e["type"] == "responder_accepted" for e in events(node, incident))

    # Held for a second it is, and the dispatcher's log shows it within a second.
    began = pb.hold("[data-action=accept]", HOLD_S + 0.2)
    accepted, seen = wait_event(node, incident, lambda e: e["type"] == "responder_accepted" and e["responder"] == b)
    assert seen - (began + HOLD_S) < 1.0, f"accept reached the log {seen - began - HOLD_S:.2f} s after the hold"
    assert accepted["actor"] == "responder"

    pb.wait("body[data-screen=accepted]", timeout=3.0)
    assert pb.page.inner_text("[data-cabinet-code] .digits").strip() == code
    assert pb.page.inner_text("[data-address=victim]").strip() == address
    assert not pb.page.evaluate("document.body.dataset.ringing")
    pb.shoot(tmp_path, "accepted-aed-runner")

    # The direct responder accepts too: the address, never a code.
    pa.hold("[data-action=accept]", HOLD_S + 0.2)
    pa.wait("body[data-screen=accepted]", timeout=3.0)
    assert pa.page.inner_text("[data-address=victim]").strip() == address
    pa.shoot(tmp_path, "accepted-direct")

    # The AED runner's steps: fetched (the code is gone then), then on scene.
    pb.page.click("[data-action=aed-fetched]")
    wait_event(node, incident, lambda e: e["type"] == "aed_fetched" and e["aed"] == runner_aed)
    pb.wait("[data-aed=fetched]")
    assert not pb.page.query_selector("[data-cabinet-code]")

    # The dispatcher cancels: both pages say so, the runner is asked to bring the AED back.
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "cancel_alarm"})
    assert r.status_code == 200, r.text
    for p in (pa, pb):
        p.wait("body[data-screen=cancelled]", timeout=2.0)
        assert "ingetrokken" in p.text()
        assert p.page.query_selector("[data-action=aftercare]")
    assert "Breng de AED terug" in pb.text()
    pb.shoot(tmp_path, "cancelled")

    # The direct responder's page never held a cabinet code: not in the DOM, not in the JSON.
    views = pa.received()
    assert views and all(v["aed"] is None for v in views)
    assert "cabinet" not in json.dumps(views).replace('"cabinet_code":null', "")
    assert not any(c in pa.text() for c in codes) and "Kastcode" not in pa.text()
    # Nothing about anyone else on either page, in the DOM or in what it was sent.
    for p, me in ((pa, a), (pb, b)):
        seen_text = p.text() + json.dumps(p.received(), ensure_ascii=False)
        leaked = [x for x in others_in(sent, me, cast) if x in seen_text]
        assert leaked == [], leaked
        assert all(set(v) >= {"incident", "status", "role"} and "responders" not in v for v in p.received())

    # Closing the screen brings the home screen back.
    pa.page.click("[data-action=close]")
    pa.wait("body[data-screen=home]")


def test_a_used_link_does_not_sign_in_twice(node: Serve, cast: Cast, phones: Callable[..., Phone]) -> None:
    (rid,) = cast.responders(1)
    first = phones(rid)
    first.wait("body[data-screen=home][data-conn=online]")
    assert first.token() and first.page.url.endswith("/app/")  # the code left the address bar

    second = phones(rid, link=first.link)
    second.wait("body[data-screen=signin] [data-error=signin]")
    assert "al gebruikt" in second.text()
    assert second.page.evaluate("localStorage.getItem('zm.token')") is None
    r = node.post("/v1/me/session", {"code": first.link.split("#code=", 1)[1]}, token="")
    assert r.status_code == 401 and r.json()["reason"] == "used"
    # The first phone stays signed in, on its own token; English is one tap away and stays.
    assert node.get("/v1/me", token=first.token()).status_code == 200
    assert "Beschikbaar voor alarmen" in first.text()
    first.page.click("[data-lang=en]")
    first.wait("html[lang=en]")
    assert "Available for alarms" in first.text()
    first.page.reload()
    first.wait("body[data-screen=home][data-conn=online]")
    assert "Available for alarms" in first.text()
    assert node.get("/v1/me", token=first.token()).json()["preferences"]["language"] == "en"


def test_the_pages_come_back_after_the_service_is_killed(
        browser: Any, cast: Cast, phones: Callable[..., Phone], tmp_path: Path) -> None:
    folder = tmp_path / "svc"
    folder.mkdir()
    svc = Serve(folder, str(folder / "events.sqlite"), config=CONFIG).start()
    try:
        a, b, victim, address = stage(svc, cast, "Spui 70, Den Haag")
        pa, pb = phones(a, on=svc), phones(b, on=svc)
        for p in (pa, pb):
            p.wait("body[data-screen=home][data-conn=online]")
        incident, sent = alarm(svc, victim["lat"], victim["lon"], address)
        assert roles_of(sent)[b]["role"] == "aed"
        code = cast.cabinet(roles_of(sent)[b]["aed"])
        for p in (pa, pb):
            p.wait("body[data-screen=alert]", timeout=2.0)
        pb.hold("[data-action=accept]", HOLD_S + 0.2)
        pb.wait("body[data-screen=accepted]", timeout=3.0)

        svc.kill()  # SIGKILL: no goodbye to the streams
        for p in (pa, pb):
            p.wait("body[data-conn=offline] #conn-banner:not([hidden])", timeout=30.0)
        assert "Geen verbinding" in pa.text()
        assert pb.screen() == "accepted"  # what it knew stays on the screen meanwhile

        svc.start()
        # While the pages are still reconnecting, the dispatcher's side moves on.
        r = svc.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": a, "answer": "decline"},
                     token=GATEWAY)
        assert r.status_code == 200, r.text
        for p in (pa, pb):
            p.wait("body[data-conn=online]", timeout=20.0)
        pa.wait("body[data-screen=declined]", timeout=3.0)
        pb.wait("body[data-screen=accepted]", timeout=3.0)
        assert pb.page.inner_text("[data-cabinet-code] .digits").strip() == code
        # The sessions outlived the restart; the answers go on.
        pb.page.click("[data-action=arrived]")
        wait_event(svc, incident, lambda e: e["type"] == "responder_arrived" and e["responder"] == b)
        pb.wait("body[data-screen=arrived]")
        assert svc.post(f"/v1/incidents/{incident}/do", {"do": "close"}).status_code == 200
        pb.wait("body[data-screen=ended] [data-action=aftercare]", timeout=3.0)
    finally:
        svc.kill()


def start_test_alarm(reg: Registry, store: Path, municipality: str) -> str:
    """A municipality's exercise on the service's store, as the console's test-alarm dialog
    starts it on the engine (the service offers no endpoint for it yet); the service then
    starts on that store and the responders' pages show it."""
    from alert_engine.clock import SystemClock
    from alert_engine.engine import Engine
    from alert_engine.eventlog.store import SqliteEventStore
    from alert_engine.testalarm.plan import (
        ExercisePlan,
        exercise_id,
        municipalities,
        start_exercise,
    )

    clock = SystemClock()
    place = next(m for m in municipalities(reg, clock.now()) if m.name == municipality)
    events = SqliteEventStore(store)
    try:
        plan = ExercisePlan(place.name, clock.now(), place.lat, place.lon, exercise_id(place.name, clock.now()))
        start_exercise(Engine(reg, events, clock), plan)
    finally:
        events.close()
    return plan.incident


def test_a_test_alarm_says_test_on_every_screen(
        browser: Any, registry: Registry, cast: Cast, phones: Callable[..., Phone], tmp_path: Path) -> None:
    wassenaar = registry.r_municipality == "Wassenaar"
    rid = next(r for r in cast.testers() if wassenaar[registry.r_index[r]])
    folder = tmp_path / "svc"
    folder.mkdir()
    incident = start_test_alarm(registry, folder / "events.sqlite", "Wassenaar")
    svc = Serve(folder, str(folder / "events.sqlite"), config=CONFIG).start()
    try:
        page = phones(rid, on=svc)

        def says_test(screen: str) -> None:
            page.wait(f"body[data-screen={screen}][data-mode=test]", timeout=5.0)
            banner = page.page.locator("#mode-banner")
            assert banner.is_visible() and "TEST" in banner.inner_text(), screen
            assert page.page.title().startswith("TEST")

        says_test("alert")
        assert "TEST-ALARM" in page.text().upper() and not page.page.query_selector("[data-cabinet-code]")
        page.shoot(tmp_path, "test-alarm")
        assert "nergens heen" in page.text() and not page.page.query_selector(".map-slot")
        page.hold("[data-action=accept]", HOLD_S + 0.2)
        says_test("accepted")
        assert "test geaccepteerd" in page.text()
        page.shoot(tmp_path, "test-accepted")
        assert svc.post(f"/v1/incidents/{incident}/do", {"do": "close"}).status_code == 200
        says_test("cancelled")  # closed: the accepted are told it is over
        page.page.click("[data-action=close]")
        page.wait("body[data-screen=home][data-mode=live]")
        assert page.page.locator("#mode-banner").is_hidden()
    finally:
        svc.kill()


# -- the API behind the page, without a browser -------------------------------------------------
def session_for(node: Serve, rid: str) -> str:
    code = sign_in_link(node, rid).split("#code=", 1)[1]
    r = node.post("/v1/me/session", {"code": code}, token="")
    assert r.status_code == 201, r.text
    return str(r.json()["token"])


def test_a_session_opens_only_its_own_door(node: Serve, cast: Cast) -> None:
    rid, other = cast.responders(2)
    token = session_for(node, rid)
    assert node.get("/v1/me", token=token).json()["pseudonym"] == cast.pseudonym(rid)
    # A responder's token is no workstation token, and the other way round.
    for path in ("/v1/incidents", "/v1/events", "/v1/stream", "/v1/config"):
        assert node.get(path, token=token).status_code == 401, path
    assert node.post("/v1/calls", {"lat": 52.07, "lon": 4.3}, token=token).status_code == 401
    assert node.post(f"/v1/responders/{other}/sign-in-link", {}, token=token).status_code == 401
    for t in ("", WS1, GATEWAY):
        assert node.get("/v1/me", token=t).status_code == 401
    assert node.post(f"/v1/responders/{rid}/sign-in-link", {}, token=GATEWAY).status_code == 403
    assert node.post("/v1/responders/R999999/sign-in-link", {}).status_code == 404
    # Someone else's alarm does not exist as far as this phone is concerned.
    _, lat, lon = cast.site()
    place(node, other, lat, lon)
    incident, sent = alarm(node, lat, lon, "Kerkstraat 1")
    assert other in roles_of(sent) and rid not in roles_of(sent)
    for what, body in (("answer", {"answer": "accept"}), ("arrived", {}), ("received", {})):
        r = node.post(f"/v1/me/alarms/{incident}/{what}", body, token=token)
        assert r.status_code == 404 and r.json()["field"] == "incident", r.text
    assert node.get(f"/v1/me/alarms/{incident}/basemap", token=token).status_code == 404
    # No Web Push gateway on this service: the page is told, and keeps its stream open instead.
    sub = {"endpoint": "https://push.example.net/abc", "keys": {"p256dh": "x" * 20, "auth": "y" * 8}}
    assert node.post("/v1/me/push-subscription", sub, token=token).status_code == 501
    assert node.get("/v1/me", token=token).json()["push"] is None
    node.post(f"/v1/incidents/{incident}/do", {"do": "cancel_alarm"})
    # Signed out is signed out.
    import httpx

    assert httpx.delete(f"{node.url}/v1/me/session", headers={"Authorization": f"Bearer {token}"}).status_code == 204
    assert node.get("/v1/me", token=token).status_code == 401


def test_switched_off_a_responder_is_not_alerted(node: Serve, cast: Cast) -> None:
    (rid,) = cast.responders(1)
    token = session_for(node, rid)
    _, lat, lon = cast.site()
    place(node, rid, lat, lon)
    r = httpx_patch(node, token, {"available": False})
    assert r.json()["available"] is False
    incident, sent = alarm(node, lat, lon, "Kerkstraat 2")
    assert rid not in roles_of(sent)
    node.post(f"/v1/incidents/{incident}/do", {"do": "cancel_alarm"})
    assert httpx_patch(node, token, {"available": True}).json()["available"] is True
    incident, sent = alarm(node, lat, lon, "Kerkstraat 2")
    assert roles_of(sent)[rid]["role"] == "cpr"
    node.post(f"/v1/incidents/{incident}/do", {"do": "cancel_alarm"})


def test_positions_are_taken_only_on_the_way_and_with_consent(node: Serve, cast: Cast) -> None:
    (rid,) = cast.responders(1)
    token = session_for(node, rid)
    _, lat, lon = cast.site()
    fix = {"lat": lat + 0.001, "lon": lon}
    assert node.post("/v1/me/position", fix, token=token).status_code == 409  # no alarm, no consent
    place(node, rid, lat, lon)
    incident, _ = alarm(node, lat, lon, "Kerkstraat 3")
    httpx_patch(node, token, {"share_location": True})
    r = node.post("/v1/me/position", fix, token=token)
    assert r.status_code == 409 and r.json()["field"] == "position"  # still deciding: not yet
    r = node.post(f"/v1/me/alarms/{incident}/answer", {"answer": "accept"}, token=token, key="k-accept-1")
    assert r.status_code == 200 and r.json()["alarm"]["status"] == "accepted"
    again = node.post(f"/v1/me/alarms/{incident}/answer", {"answer": "accept"}, token=token, key="k-accept-1")
    assert again.status_code == 200  # a retry with the same key: the first answer, nothing appended
    assert sum(e["type"] == "responder_accepted" for e in events(node, incident)) == 1
    assert node.post("/v1/me/position", fix, token=token).json() == {"applied": 1}
    httpx_patch(node, token, {"share_location": False})
    assert node.post("/v1/me/position", fix, token=token).json()["field"] == "share_location"
    httpx_patch(node, token, {"share_location": True})
    assert node.post(f"/v1/me/alarms/{incident}/arrived", {}, token=token).status_code == 200
    assert node.post("/v1/me/position", fix, token=token).status_code == 409  # there: no more tracking
    node.post(f"/v1/incidents/{incident}/do", {"do": "cancel_alarm"})


def httpx_patch(node: Serve, token: str, body: dict[str, Any]) -> Any:
    import httpx

    r = httpx.patch(f"{node.url}/v1/me/preferences", json=body, headers={"Authorization": f"Bearer {token}"},
                    timeout=10.0)
    assert r.status_code == 200, r.text
    return r
