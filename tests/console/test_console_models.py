"""The console's item models: Qt's model contract (qtmodeltester) and updates without resets."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from console.models.aeds import AedTableModel
from console.models.counters import Counters, cumulative_curves
from console.models.incident_queue import IncidentQueueModel
from console.models.incident_rows import ID_ROLE
from console.models.responders import ResponderTableModel
from tests.builders import EVENING, ZOETERMEER, facts, offset

from .console_harness import small_registry

pytestmark = pytest.mark.gui


class Recorder:
    """Counts what a model told its views."""

    def __init__(self, model: Any) -> None:
        self.resets = 0
        self.inserted: list[tuple[int, int]] = []
        self.removed: list[tuple[int, int]] = []
        self.changed = 0
        model.modelReset.connect(lambda: setattr(self, "resets", self.resets + 1))
        model.rowsInserted.connect(lambda _p, a, b: self.inserted.append((a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.removed.append((a, b)))
        model.dataChanged.connect(lambda *_: setattr(self, "changed", self.changed + 1))


@pytest.fixture
def service() -> LocalService:
    responders, aeds = small_registry()
    return LocalService(Registry.from_records(responders, aeds), MemoryEventStore(), SimClock(EVENING))


def alerted(service: LocalService, at: tuple[float, float] = ZOETERMEER) -> str:
    incident = service.new_call(facts(at), "Testadres 1")
    service.command("dispatch_ambulance", incident, "15-101")
    service.command("trigger_alert", incident)
    return incident


def feed(service: LocalService) -> list[Any]:
    """Subscribe models the way the main window does (batches of events)."""
    batches: list[Any] = []
    service.subscribe(batches.append)
    return batches


def test_queue_model_contract_and_inserts_without_reset(qtmodeltester: Any, service: LocalService) -> None:
    first = alerted(service)
    model = IncidentQueueModel(service)
    qtmodeltester.check(model)
    seen = Recorder(model)
    batches = feed(service)
    second = service.new_call(facts(offset(ZOETERMEER, 300, 0)), "Tweede 2")
    for batch in batches:
        model.apply_events(batch)
    assert seen.resets == 0 and seen.inserted == [(0, 0)]
    assert model.incident_ids() == [second, first]
    assert model.index(0, model.COL_PHASE).data() == "nieuw"
    assert model.index(1, model.COL_PHASE).data() == "gealarmeerd"
    assert model.unseen == {second}
    batches.clear()
    service.clock.advance(65)  # type: ignore[attr-defined]
    service.command("close", first)
    for batch in batches:
        model.apply_events(batch)
    model.tick()
    assert seen.resets == 0 and len(seen.inserted) == 1
    assert model.index(1, model.COL_PHASE).data() == "gesloten"
    assert model.index(0, model.COL_TIME).data() == "01:05"
    qtmodeltester.check(model)


def test_responder_model_contract_eta_and_row_updates(qtmodeltester: Any, service: LocalService) -> None:
    incident = alerted(service)
    model = ResponderTableModel(service)
    model.set_incident(incident)
    qtmodeltester.check(model)
    state = service.state(incident)
    assert model.rowCount() == len(state.responders)
    seen = Recorder(model)
    batches = feed(service)
    runner = next(r for r in state.responders.values() if r.role == "aed")
    service.clock.advance(10)  # type: ignore[attr-defined]
    service.command("respond", incident, runner.id, "accept")
    for batch in batches:
        model.apply_events(batch)
    assert seen.resets == 0 and seen.inserted == [] and seen.changed == 1
    row = model.row_of(runner.id)
    cells = [model.index(row, c).data() for c in range(model.columnCount())]
    assert cells[model.COL_NAME] == runner.pseudonym and cells[model.COL_NAME].startswith("BHV-")
    assert cells[model.COL_ROLE] == "AED-loper"
    assert cells[model.COL_STATE] == "geaccepteerd"
    assert cells[model.COL_AED] == runner.aed
    # Via the AED: responder → AED, then AED → victim, at 2.3 m/s.
    aed = state.aeds[runner.aed]  # type: ignore[index]
    from console.models.eta import metres_between

    route = metres_between(runner.lat, runner.lon, aed.lat, aed.lon) + aed.distance_m  # type: ignore[arg-type]
    assert route > runner.distance_m
    expected = int(route / 2.3)
    minutes, seconds = divmod(expected, 60)
    assert cells[model.COL_ETA] == f"{minutes:02d}:{seconds:02d}"
    # No personal data beyond the pseudonym in any cell or tooltip.
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            text = str(model.index(r, c).data() or "") + str(model.index(r, c).data(Qt.ItemDataRole.ToolTipRole) or "")
            assert "@" not in text and "+31" not in text
    qtmodeltester.check(model)


def test_aed_model_contract_runner_and_state(qtmodeltester: Any, service: LocalService) -> None:
    incident = alerted(service)
    model = AedTableModel(service)
    model.set_incident(incident)
    qtmodeltester.check(model)
    state = service.state(incident)
    aed_id, aed = next((k, a) for k, a in state.aeds.items() if a.runners)
    runner = aed.runners[0]
    seen = Recorder(model)
    batches = feed(service)
    service.command("respond", incident, runner, "accept")
    service.command("aed_fetched", incident, aed_id)
    for batch in batches:
        model.apply_events(batch)
    row = model.row_of(aed_id)
    assert seen.resets == 0 and seen.changed >= 1
    assert model.index(row, model.COL_ID).data() == aed_id
    assert model.index(row, model.COL_STATE).data() == "opgehaald"
    assert model.index(row, model.COL_RUNNERS).data() == state.responders[runner].pseudonym
    assert "kast" in model.index(row, model.COL_DESCRIPTION).data()
    assert model.index(row, model.COL_ETA).data() not in ("", "–")
    service.command("aed_connected", incident, aed_id)
    model.apply_events(service.events(incident)[-1:])
    assert model.index(row, model.COL_STATE).data() == "aangesloten"
    qtmodeltester.check(model)


def test_switching_incident_removes_and_inserts_rows_never_resets(qtmodeltester: Any, service: LocalService) -> None:
    first = alerted(service)
    service.command("close", first)  # its responders are free for the next alarm
    second = alerted(service, offset(ZOETERMEER, 200, -150))
    for model in (ResponderTableModel(service), AedTableModel(service)):
        model.set_incident(first)
        before = model.rowCount()
        seen = Recorder(model)
        model.set_incident(second)
        after = model.rowCount()
        assert before > 0 and after > 0
        assert seen.resets == 0 and seen.removed == [(0, before - 1)] and seen.inserted == [(0, after - 1)]
        ids = {model.index(r, 0).data(ID_ROLE) for r in range(after)}
        state = service.state(second)
        assert ids == set(state.responders if isinstance(model, ResponderTableModel) else state.aeds)
        qtmodeltester.check(model)
        model.set_incident(None)  # nothing selected: an empty table, by removal too
        assert model.rowCount() == 0 and seen.resets == 0 and seen.removed[-1] == (0, after - 1)
        qtmodeltester.check(model)


def test_counters_and_curves(service: LocalService) -> None:
    incident = alerted(service)
    state = service.state(incident)
    c = Counters.of(state, service.config)
    assert (c.alerted, c.accepted, c.target_responders, c.target_runners) == (len(state.responders), 0, 5, 2)
    assert not c.show_oversupply_notice
    rid = next(iter(state.responders))
    service.clock.advance(42)  # type: ignore[attr-defined]
    service.command("respond", incident, rid, "accept")
    ax, ay, rx, ry = cumulative_curves(service.state(incident), service.now())
    assert ax == [0.0, 42.0, 42.0, 42.0] and ay == [0.0, 0.0, 1.0, 1.0]
    assert rx == [0.0, 42.0] and ry == [0.0, 0.0]
