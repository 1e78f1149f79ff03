"""The AED manager's check-back in a real browser (Debian's /usr/bin/chromium through
Playwright) against a real `serve` with the fake SMS and e-mail providers (issue 15).

An AED runner fetches an AED; the alarm is closed; the manager gets an SMS and an e-mail
with a one-time link; until they answer, the next alarm does not send anyone to that AED;
on the phone-sized page they report "used, pads replaced, ready" and the AED is alerted
again in the next alarm. Screenshots: the test's tmp dir, or docs/aed-check-*.png with
ZESMINUTEN_SCREENSHOTS=1.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from alert_engine.registry.demo import generate_set
from alert_engine.registry.table import Registry
from tests.paths import REPO
from tools.fake_providers import FakeProviders, channels_config, write_vapid_key

from .serving import GATEWAY, WS1, Serve
from .test_responder_app import CHROMIUM_ARGS, CONFIG, PHONE, Cast, alarm, place, wait_event

playwright_api = pytest.importorskip("playwright.sync_api")
LINK = re.compile(r"https?://\S+/app/aed-check\.html#code=[A-Za-z0-9_-]+")


@pytest.fixture(scope="module")
def cast() -> Cast:
    reg: Registry = generate_set("denhaag", 1).registry()
    return Cast(reg)


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProviders]:
    providers = FakeProviders().start()
    yield providers
    providers.stop()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, fake: FakeProviders) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("aed-check")
    vapid = write_vapid_key(folder / "vapid.pem")
    channels = folder / "channels.json"
    n = Serve(folder, str(folder / "events.sqlite"), config=CONFIG, extra=["--channels", str(channels)])
    settings = channels_config(fake.url, fake.p256dh, vapid, {"sms_after_s": 600, "voice_after_s": 900},
                               push_url=fake.push_url, aed_check=True)
    channels.write_text(json.dumps({**settings, "app_url": f"{n.url}/app/"}))
    channels.chmod(0o600)
    n.start()
    yield n
    n.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()


def wait_for(what: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"not within {timeout} s")


def do(node: Serve, incident: str, body: dict[str, Any]) -> None:
    r = node.post(f"/v1/incidents/{incident}/do", body)
    assert r.status_code == 200, r.text


def shoot(page: Any, tmp: Path, name: str) -> Path:
    folder = REPO / "docs" if os.environ.get("ZESMINUTEN_SCREENSHOTS") == "1" else tmp
    path = folder / f"aed-check-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def test_manager_confirms_used_pads_replaced_ready_and_the_aed_is_alerted_again(
        node: Serve, fake: FakeProviders, cast: Cast, browser: Any, tmp_path: Path) -> None:
    runner = cast.responders(1)[0]
    aed, lat, lon = cast.site()
    place(node, runner, lat - 0.00108, lon)  # 120 m south of the AED: its runner
    victim = (lat + 0.00135, lon)
    incident, sent = alarm(node, *victim, "Dorpsstraat 12, Den Haag")
    assert {r["id"]: r["aed"] for r in sent["responders"]}.get(runner) == aed, sent["responders"]
    code = cast.cabinet(aed)
    do(node, incident, {"do": "respond", "responder": runner, "answer": "accept"})
    do(node, incident, {"do": "aed_fetched", "aed": aed})
    do(node, incident, {"do": "close"})

    # The manager's SMS and e-mail, each with a link of its own; never the cabinet code.
    def manager_messages() -> list[dict[str, Any]]:
        found = [r for r in fake.requests() if r["provider"] in ("sms", "email") and LINK.search(r["text"] or "")]
        return found if len(found) >= 2 else []
    messages = wait_for(manager_messages)
    assert sorted(m["provider"] for m in messages) == ["email", "sms"]
    assert all(code not in m["text"] for m in messages)
    email = next(m for m in messages if m["provider"] == "email")
    assert email["to"].endswith("@aed.zesminuten.invalid") and "graag controleren" in email["subject"]
    links = {LINK.search(m["text"]).group(0) for m in messages}
    assert len(links) == 2
    first, _ = wait_event(node, incident, lambda e: e["type"] == "aed_check_message_sent")
    assert first["aed"] == aed and first["round"] == "request" and first["actor"] == "system"

    # The centre's list: this AED, awaiting, with its age; never a code.
    listed = node.get("/v1/aed-checks", token=WS1).json()
    mine = next(a for a in listed if a["aed"] == aed)
    assert mine["status"] == "awaiting" and mine["age_hours"] >= 0 and mine["messages_sent"] == 2
    assert code not in json.dumps(listed)
    assert node.get("/v1/aed-checks", token=GATEWAY).status_code == 403
    # The console's seam over the network says the same (what its dialog shows).
    from console.remote import RemoteBackend

    remote = RemoteBackend([node.url], WS1)
    try:
        seen = next(a for a in remote.aed_checks() if a.aed == aed)
        assert seen.status == "awaiting" and seen.incident == incident and seen.messages_sent == 2
    finally:
        remote.close()

    # Until answered, the next alarm at the same spot sends nobody to that AED.
    second, sent2 = alarm(node, *victim, "Dorpsstraat 14, Den Haag")
    assert aed not in [a["id"] for a in sent2["aeds"]]
    do(node, second, {"do": "close"})

    context = browser.new_context(viewport=PHONE, device_scale_factor=2, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    link = next(iter(links))
    page.goto(link)
    page.wait_for_selector("body[data-screen=form]", timeout=10_000)
    assert "#code=" not in page.url  # taken off the address bar
    body = page.inner_text("body")
    assert "AED-controle na inzet" in body and code not in body
    # Used and new pads, but forgot "returned": refused with the reason, nothing written.
    for name in ("fetched", "used", "pads_replaced"):
        page.check(f"input[name={name}]")
    page.check("input[name=outcome][value=ready]")
    page.click("#send")
    page.wait_for_selector("#error:not([hidden])")
    assert "niet terug in de kast" in page.inner_text("#error")
    assert aed in [a["aed"] for a in node.get("/v1/aed-checks").json()]
    page.check("input[name=returned]")
    assert page.is_hidden("#error")  # a change clears the complaint
    shot = shoot(page, tmp_path, "page")
    assert shot.stat().st_size > 20_000
    page.click("#send")
    page.wait_for_selector("body[data-screen=done]", timeout=10_000)
    assert "weer beschikbaar voor alarmen" in page.inner_text("body")
    shoot(page, tmp_path, "done")

    answered, _ = wait_event(node, incident, lambda e: e["type"] == "aed_check_answered")
    assert answered["outcome"] == "ready" and answered["used"] and answered["pads_replaced"]
    assert answered["actor"]["workstation"] == "aed-check-link"
    assert aed not in [a["aed"] for a in node.get("/v1/aed-checks").json()]

    # One-time: the same link (and the other message's) now says it was used.
    for used in links:
        other = context.new_page()
        other.goto(used)
        other.wait_for_selector("body[data-screen=refused]", timeout=10_000)
        assert "al gebruikt" in other.inner_text("#refused")
        other.close()
    context.close()
    assert errors == []

    # Back in alerts: the next alarm sends its runner to it again.
    third, sent3 = alarm(node, *victim, "Dorpsstraat 16, Den Haag")
    assert aed in [a["id"] for a in sent3["aeds"]]
    do(node, third, {"do": "close"})
