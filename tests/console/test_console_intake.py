"""Issue 13, acceptance: a call from the dispatch system, in the whole console.

Real engine on a SQLite store, the real map, the console's own pump timer polling a watched
intake folder, and GMS adapter JSON files dropped into it the way an adapter does (written
under another name, then renamed). Each step asserts what the dispatcher sees: the queue's
badge and highlight, the sound and the notice, the prefilled form with the hints, the
normal buttons, the ambulance countdown, the responders who cannot beat the ambulance and
the list of refused messages.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from alert_engine.gazetteer import Gazetteer
from console import colours
from console.intake_dead_letters import DeadLettersDialog, install_dead_letters_action
from console.models.incident_queue import SOURCE_ROLE, UNSEEN_ROLE
from console.widgets.live_panel import countdown

from .console_harness import QT_LOG_IGNORE, ConsoleHarness, RunAsync

pytestmark = [pytest.mark.gui, QT_LOG_IGNORE]

GMS_ID = "GMS-2026-112201"
STADHUISPLEIN = (52.0601, 4.4932)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer()


@pytest.fixture(scope="session")
def console_map_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("console-map-cache")


@pytest.fixture
def console(qtbot: Any, run_async: RunAsync, gazetteer: Gazetteer, console_map_cache: Path,
            tmp_path: Path) -> Iterator[ConsoleHarness]:
    c = ConsoleHarness(qtbot, run_async, tmp_path / "events.sqlite", gazetteer, console_map_cache)
    yield c
    c.close()


def drop(folder: Path, name: str, message: dict[str, Any] | str) -> None:
    """As an adapter writes: under a hidden name first, then renamed, so no half file is read."""
    body = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False)
    hidden = folder / f".{name}.part"
    hidden.write_text(body, encoding="utf-8")
    os.replace(hidden, folder / f"{name}.json")


def gms_new(console: ConsoleHarness) -> dict[str, Any]:
    sent = console.clock.now() - timedelta(seconds=40)  # the call-taker began 40 s ago
    return {
        "format": "gms-adapter/1", "incident_id": GMS_ID, "time": sent.isoformat(), "type": "new",
        "triage": {"system": "MPDS", "code": "09-E-01", "text": "Reanimatie volwassene"},
        "location": {"lat": STADHUISPLEIN[0], "lon": STADHUISPLEIN[1], "uncertainty_m": 15,
                     "address": {"street": "Stadhuisplein", "house_number": "1", "postcode": "2711 EC",
                                 "place": "Zoetermeer"}},
        "patient": {"age_years": 71},
        "notes": ["Dochter zegt: hij sprak vanochtend over zelfdoding", "Geen sprake van geweld"],
        "units": [{"id": "15-105", "status": "en_route", "eta_s": 720}],
    }


def intake_incident(console: ConsoleHarness) -> str | None:
    model = console.window.queue_model
    for row in range(model.rowCount()):
        if model.index(row, 0).data(SOURCE_ROLE) == "gms":
            return str(model.index(row, 0).data(Qt.ItemDataRole.UserRole + 2))
    return None


def test_a_gms_call_arrives_with_its_cue_is_alerted_and_its_ambulance_counts_down(
    console: ConsoleHarness, tmp_path: Path
) -> None:
    w, qtbot = console.window, console.qtbot
    folder = tmp_path / "intake"
    console.service.watch_intake(folder)
    install_dead_letters_action(w, console.service, console.funnel)
    w._pump_timer.start()  # the console's own pump polls the folder, as with --intake-folder

    # The dispatcher is busy with a call typed in at this desk.
    typed = console.create_call()
    assert w.current_incident == typed

    # -- the dispatch system hands over a new call -------------------------------------------
    drop(folder, "0001", gms_new(console))
    qtbot.waitUntil(lambda: intake_incident(console) is not None, timeout=5_000)
    console.settle()
    incident = intake_incident(console)
    assert incident is not None
    assert (folder / "done" / "0001.json").exists()
    model = w.queue_model
    row = model.row_of(incident)
    assert row == 0  # newest on top
    assert model.index(row, model.COL_SOURCE).data() == "GMS"
    assert model.index(row, 0).data(UNSEEN_ROLE) is True
    assert "Uit het meldkamersysteem (GMS, GMS-2026-112201)" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    # Highlighted until opened: between pulses its own colour, on a pulse the attention colour.
    backgrounds = set()
    for _ in range(2):
        model.pulse()
        backgrounds.add(console.queue_row(incident)["background"])
    assert backgrounds == {colours.INTAKE_NEW, colours.ATTENTION}
    assert console.queue_row(incident)["bold"]
    assert w.queue.badge_text() == "1 nieuw"
    # Heard and seen, and the dispatcher's own call stays open.
    assert w.new_call_cue.sound.played == 1
    assert "Nieuwe melding uit het meldkamersysteem – GMS: Stadhuisplein 1, 2711 EC Zoetermeer" in (
        w.statusBar().currentMessage())
    assert any(level == "info" and "GMS: Stadhuisplein 1" in text for level, text in console.messages)
    assert w.current_incident == typed

    # -- opened: the form is prefilled, the hints are shown, nothing is ticked ---------------
    w.newest_action.trigger()  # Ctrl+G
    console.settle()
    assert w.current_incident == incident
    assert model.index(model.row_of(incident), 0).data(UNSEEN_ROLE) is False
    assert console.queue_row(incident)["background"] != colours.INTAKE_NEW
    assert w.queue.badge_text() == ""
    intake = w.intake
    assert intake.location.address_edit.text() == "Stadhuisplein 1, 2711 EC Zoetermeer"
    assert intake.location.location == pytest.approx(STADHUISPLEIN)
    assert intake.age.age() == 71
    assert intake.hints.isVisibleTo(intake)
    assert "Uit GMS · GMS-2026-112201" in intake.hints.title.text()
    assert "09-E-01 Reanimatie volwassene – vermoedelijk reanimatie" in intake.hints.triage.text()
    suicide_hint, violence_hint = intake.hints.hint_texts()
    assert "(Poging tot) suïcide" in suicide_hint and "“zelfdoding”" in suicide_hint
    assert "“Dochter zegt: hij sprak vanochtend over zelfdoding”" in suicide_hint
    assert "ontkend in het bericht" in violence_hint and "“Geen sprake van geweld”" in violence_hint
    # A hint is never a tick: the criteria stay the dispatcher's to confirm.
    assert not (intake.suicide.isChecked() or intake.violence.isChecked() or intake.trauma.isChecked())
    qtbot.waitUntil(lambda: intake.checklist.verdict is not None)
    assert intake.checklist.state_of("suicide") == "not_met"
    # The message dispatched the ambulance: the dispatcher's next step is the alert.
    actions = w.action_panel
    assert console.service.state(incident).ambulance_units == ("15-105",)
    assert actions.alert_button.isEnabled()
    eta = console.service.state(incident).units["15-105"].eta
    assert eta is not None
    label = w.live.ambulance_label
    assert label.isVisibleTo(w.live)
    assert label.text().startswith(f"Ambulance 15-105: over {countdown((eta - console.clock.now()).total_seconds())}")

    # -- the call-taker corrects the place and the age while the form is open -----------------
    console.clock.advance(10)
    moved = (STADHUISPLEIN[0] + 0.0006, STADHUISPLEIN[1])  # ~67 m north: past the jitter threshold
    drop(folder, "0002", {"format": "gms-adapter/1", "incident_id": GMS_ID, "type": "update",
                          "time": console.clock.now().isoformat(), "patient": {"age_years": 73},
                          "location": {"lat": moved[0], "lon": moved[1], "uncertainty_m": 10}})
    qtbot.waitUntil(lambda: intake.age.age() == 73, timeout=5_000)
    assert intake.location.location == pytest.approx(moved)
    assert w.new_call_cue.sound.played == 1  # an update is no new call

    # -- the dispatcher confirms the criteria (asked the caller: no suicide) and alerts -------
    console.clock.advance(15)
    console.click(actions.alert_button)
    state = console.service.state(incident)
    assert state.alert_time is not None and len(state.responders) > 10
    assert w.responder_model.rowCount() == len(state.responders)
    r = w.responder_model
    # 11 minutes out: everyone is in time, and each says by how much.
    assert not [i for i in range(r.rowCount()) if r.index(i, r.COL_ETA).data() == "na amb."]
    assert all("vóór de ambulance" in r.index(i, r.COL_ETA).data(Qt.ItemDataRole.ToolTipRole)
               for i in range(r.rowCount()))

    # -- a later message: the ambulance is closer than thought ------------------------------
    console.clock.advance(30)
    update = {"format": "gms-adapter/1", "incident_id": GMS_ID, "time": console.clock.now().isoformat(),
              "type": "update", "units": [{"id": "15-105", "status": "en_route", "eta_s": 200}]}
    drop(folder, "0003", update)
    qtbot.waitUntil(lambda: console.service.state(incident).units["15-105"].eta != eta, timeout=5_000)
    console.settle()
    w.tick()
    assert label.text().startswith("Ambulance 15-105: over 03:20 (ETA ")
    console.clock.advance(60)
    w.tick()
    assert label.text().startswith("Ambulance 15-105: over 02:20 (ETA ")
    # Who cannot beat the ambulance now is muted, says so, and says by how much.
    late = [i for i in range(r.rowCount()) if r.index(i, r.COL_ETA).data() == "na amb."]
    in_time = [i for i in range(r.rowCount()) if r.index(i, r.COL_ETA).data() == ""]
    assert late and in_time
    assert "vóór de ambulance" in r.index(in_time[0], r.COL_ETA).data(Qt.ItemDataRole.ToolTipRole)
    muted = r.index(late[0], r.COL_NAME).data(Qt.ItemDataRole.ForegroundRole)
    assert muted is not None and muted.color().name() == colours.AFTER_AMBULANCE
    assert r.index(in_time[0], r.COL_NAME).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "na de ambulance" in r.index(late[0], r.COL_DISTANCE).data(Qt.ItemDataRole.ToolTipRole)
    # A responder who accepts: the first responder's arrival next to the ambulance's.
    nearest = min(state.responders.values(), key=lambda x: x.distance_m)
    console.respond(incident, nearest.id)
    console.settle()
    assert " · eerste hulpverlener over " in label.text()
    screenshot(console)
    # The same screen in English.
    assert console.translations.switch("en", persist=False)
    try:
        console.settle()  # the language change reaches the widgets as an event
        w.tick()
        assert model.headerData(model.COL_SOURCE, Qt.Orientation.Horizontal) == "Source"
        assert intake.hints.title.text().startswith("From GMS · GMS-2026-112201 · last message ")
        assert "suspected cardiac arrest" in intake.hints.triage.text()
        assert "(denied in the message) – words “geweld”" in intake.hints.hint_texts()[1]
        assert r.index(late[0], r.COL_ETA).data() == "after amb."
        assert label.text().startswith("Ambulance 15-105: in 02:20 (ETA ")
    finally:
        console.translations.switch("nl", persist=False)

    # -- a message the intake refuses: a notice, and the list of refused messages ------------
    bad = {**update, "time": "straks"}
    drop(folder, "0004", bad)
    qtbot.waitUntil(lambda: any("geweigerd" in text for _level, text in console.messages), timeout=5_000)
    warning = next(text for level, text in console.messages if "geweigerd" in text and level == "warning")
    assert warning.startswith("Bericht van het meldkamersysteem (GMS) geweigerd – time: not an ISO 8601 date-time")
    assert (folder / "refused" / "0004.json").exists()
    assert console.service.state(incident).units["15-105"].eta is not None  # nothing applied
    action = next(a for a in w.incident_menu.actions() if a.objectName() == "intakeDeadLettersAction")
    assert action.text() == "Geweigerde berichten meldkamersysteem (1)…"
    action.trigger()
    dialog = w.dead_letters_dialog  # type: ignore[attr-defined]
    assert isinstance(dialog, DeadLettersDialog)
    ((when, source, field, reason),) = dialog.rows()
    assert (source, field) == ("GMS", "time")
    assert reason.startswith("not an ISO 8601 date-time") and when.endswith(f"{console.clock.now():%H:%M:%S}")
    assert '"time": "straks"' in dialog.text.toPlainText()
    dialog.close()
    w._pump_timer.stop()


def screenshot(console: ConsoleHarness) -> None:
    """docs/console-intake.png when ZESMINUTEN_DOCS_SCREENSHOT names it (a manual step; the
    grab is of the offscreen window)."""
    target = os.environ.get("ZESMINUTEN_DOCS_SCREENSHOT")
    if not target:
        return
    console.qtbot.wait(1500)  # the map draws its markers
    assert console.window.grab().save(target)
