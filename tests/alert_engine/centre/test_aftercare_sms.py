"""The aftercare questionnaire by SMS for a responder without the web app (issue 15): a real
`serve` with the fake SMS provider and real Chromium. The responder set out (accepted on
the phone call's fallback, as it were), never signed in to the app; after the close one
SMS brings a one-time link that signs in and opens that incident's questionnaire."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from alert_engine.registry.demo import generate_set
from tools.fake_providers import FakeProviders, channels_config, write_vapid_key

from . import test_responder_app as app_tests
from .serving import Serve
from .test_responder_app import CONFIG, PHONE, Cast, alarm, place

browser = app_tests.browser  # the responder-app tests' Chromium (fixture)
LINK = re.compile(r"https?://\S+/app/#code=[A-Za-z0-9_-]+&next=nazorg&incident=\S+")


@pytest.fixture(scope="module")
def cast() -> Cast:
    return Cast(generate_set("denhaag", 1).registry())


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProviders]:
    providers = FakeProviders().start()
    yield providers
    providers.stop()


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory, fake: FakeProviders) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("aftercare-sms")
    vapid = write_vapid_key(folder / "vapid.pem")
    channels = folder / "channels.json"
    n = Serve(folder, str(folder / "events.sqlite"), config=CONFIG, extra=["--channels", str(channels)])
    settings = channels_config(fake.url, fake.p256dh, vapid, {"sms_after_s": 600, "voice_after_s": 900},
                               push_url=fake.push_url, aftercare=True)
    channels.write_text(json.dumps({**settings, "app_url": f"{n.url}/app/"}))
    channels.chmod(0o600)
    n.start()
    yield n
    n.kill()


def test_a_responder_without_the_app_gets_one_sms_and_answers_through_it(
        node: Serve, fake: FakeProviders, cast: Cast, browser: Any) -> None:
    rid = cast.responders(1)[0]
    _, lat, lon = cast.site()
    place(node, rid, lat, lon)
    incident, sent = alarm(node, lat, lon, "Plein 1, Den Haag")
    assert rid in [r["id"] for r in sent["responders"]]
    assert node.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": rid, "answer": "accept"}
                     ).status_code == 200
    assert node.post(f"/v1/incidents/{incident}/do", {"do": "close"}).status_code == 200

    def invitations() -> list[dict[str, Any]]:
        return [r for r in fake.requests("sms") if LINK.search(r["text"] or "") and incident in r["text"]]
    deadline = time.monotonic() + 15
    while not invitations() and time.monotonic() < deadline:
        time.sleep(0.1)
    found = invitations()
    assert len(found) == 1 and "Hoe gaat het met je?" in found[0]["text"]
    events = node.get(f"/v1/incidents/{incident}/events").json()
    mine = [e for e in events if e["type"] == "message_sent" and e["kind"] == "aftercare"]
    assert [(e["responder"], e["channel"], e["why"]) for e in mine] == [(rid, "sms", "no_app")]

    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    page.goto(LINK.search(found[0]["text"]).group(0))
    page.wait_for_selector("body[data-screen=form]", timeout=15_000)
    assert page.url.endswith(f"/app/nazorg.html#incident={incident}")
    page.check("input[name=arrived][value=unknown]")
    page.check("input[name=wellbeing][value=okay]")
    page.click("#send")
    page.wait_for_selector("body[data-screen=done]", timeout=10_000)
    context.close()
    time.sleep(3)  # a few of the messenger's steps: still one SMS (the log says it was sent)
    assert len(invitations()) == 1
