"""Issue 13: refused dispatch-system messages on a workstation of the centre's service.

A real `serve` process takes a malformed GMS adapter message (400, kept as a dead letter);
the console's watch, reading `GET /v1/intake/dead-letters` through the RemoteBackend, warns
the dispatcher once, and the list under the Melding menu shows when, from which system,
which field and why, with the message's text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtWidgets import QMainWindow

from console.funnel import MessageFunnel
from console.intake_dead_letters import DeadLettersDialog, install_dead_letters_action
from console.remote import CONNECTED, RemoteBackend
from tests.alert_engine.centre.serving import ADAPTER, WS1, Serve, auth

# The offscreen platform has no window manager to pass the dialog's size hints to.
pytestmark = [pytest.mark.gui, pytest.mark.timeout(120),
              pytest.mark.qt_log_ignore(r"^This plugin does not support propagateSizeHints\(\)")]


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("serve-dead-letters")
    n = Serve(folder, str(folder / "events.sqlite")).start()
    yield n
    n.kill()


def test_a_refused_message_is_announced_once_and_listed(qtbot: Any, node: Serve, tmp_path: Path) -> None:
    backend = RemoteBackend([node.url], WS1)
    try:
        deadline = time.monotonic() + 15
        while backend.connection != CONNECTED and time.monotonic() < deadline:
            backend.pump()
            time.sleep(0.05)
        assert backend.connection == CONNECTED
        window = QMainWindow()
        qtbot.addWidget(window)
        window.incident_menu = window.menuBar().addMenu("Melding")  # type: ignore[attr-defined]
        funnel = MessageFunnel()
        said: list[tuple[str, str]] = []
        funnel.message.connect(lambda level, text: said.append((level, text)))
        action = install_dead_letters_action(window, backend, funnel, remote=True)
        assert action.text() == "Geweigerde berichten meldkamersysteem…"

        bad = json.dumps({"format": "gms-adapter/1", "incident_id": "GMS-DL-1", "type": "new",
                          "time": datetime.now(UTC).isoformat(), "triage": {"code": "09-E-01"},
                          "location": {"lat": 52.0705}})
        r = httpx.post(f"{node.url}/v1/intake/gms", content=bad, timeout=10.0,
                       headers={**auth(ADAPTER), "Content-Type": "application/json"})
        assert r.status_code == 400
        watch = window.dead_letter_watch  # type: ignore[attr-defined]
        watch.check()  # its timer's next turn (every 10 s on the service)
        watch.check()  # nothing new: no second warning
        assert said == [("warning", "Bericht van het meldkamersysteem (GMS) geweigerd – location.lon: missing (lat and lon come together). "
                                    "Er is niets verwerkt; zie Melding → Geweigerde berichten.")]
        assert action.text() == "Geweigerde berichten meldkamersysteem (1)…"

        action.trigger()
        dialog = window.dead_letters_dialog  # type: ignore[attr-defined]
        assert isinstance(dialog, DeadLettersDialog)
        ((_when, source, field, reason),) = dialog.rows()
        assert (source, field, reason) == ("GMS", "location.lon", "missing (lat and lon come together)")
        assert dialog.text.toPlainText() == bad
        dialog.close()
    finally:
        backend.close()
