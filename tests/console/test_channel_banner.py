"""Issue 12: the console's outage banner ("SMS-gateway storing") comes from the folded log.

Every console folds the same events, so the `channel_outage` that the centre's channel
dispatcher writes shows on every workstation; it goes when its alarm ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alert_engine import actor as acting
from alert_engine.gazetteer import Gazetteer

from .console_harness import QT_LOG_IGNORE, ConsoleHarness, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.fixture
def console(qtbot: Any, run_async: RunAsync, gazetteer: Gazetteer, tmp_path: Path) -> Iterator[ConsoleHarness]:
    c = ConsoleHarness(qtbot, run_async, tmp_path / "events.sqlite", gazetteer, tmp_path / "map-cache")
    yield c
    if c.translations.language != "nl":
        c.translations.switch("nl", persist=False)
    c.close()


def outage(console: ConsoleHarness, incident: str, channel: str) -> None:
    with acting.acting(acting.SYSTEM):
        console.service.engine.record_messages([(incident, "channel_outage", {"channel": channel,
                                                                              "reason": "errors"})])
    console.settle()


def test_the_banner_shows_while_the_alarm_with_the_outage_runs(console: ConsoleHarness) -> None:
    w = console.window
    incident = console.alert()
    assert not w.outage_banner.isVisible() and w.channels_down == ()
    outage(console, incident, "sms")
    assert w.channels_down == ("sms",)
    assert w.outage_banner.isVisible() and w.outage_banner.text().startswith("SMS-gateway storing")
    outage(console, incident, "app")
    assert w.channels_down == ("app", "sms")
    console.translations.switch("en", persist=False)
    console.settle()
    assert "SMS gateway outage" in w.outage_banner.text() and "App push gateway outage" in w.outage_banner.text()
    console.click(w.action_panel.cancel_button)
    assert w.channels_down == () and not w.outage_banner.isVisible()
