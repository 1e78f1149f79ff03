"""Issue 13: the embedded console's watched folder, with real files: a message taken in moves
to done/, a refused one to refused/ with its reason, a resent one changes nothing."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from alert_engine.clock import SimClock
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.intake.folder import IntakeFolder
from alert_engine.registry.table import Registry
from alert_engine.service import LocalService
from tests.builders import AMS, ring_responders
from tests.paths import TEST_DATA


def drop(folder: Path, name: str, sample: str | None = None, text: str = "") -> None:
    """As an adapter writes: under a hidden name, then renamed."""
    body = (TEST_DATA / "intake" / f"{sample}.json").read_text(encoding="utf-8") if sample else text
    tmp = folder / f".{name}.part"
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, folder / name)


def test_files_in_done_or_refused_with_a_reason(tmp_path: Path) -> None:
    clock = SimClock(datetime(2025, 3, 14, 21, 7, tzinfo=AMS))
    svc = LocalService(Registry.from_records(ring_responders(50), []),
                       SqliteEventStore(tmp_path / "events.sqlite"), clock)
    inbox = tmp_path / "intake"
    folder = IntakeFolder(inbox, svc.receive_intake)
    drop(inbox, "001-new.json", "gms-new")
    drop(inbox, "002-update.json", "gms-update-location")
    drop(inbox, "003-bad.json", text='{"format": "gms-adapter/1", "incident_id": "X"}')
    (inbox / ".004-half.json.part").write_text('{"format": ', encoding="utf-8")  # still being written
    handled = folder.poll()
    assert [(h.name, h.outcome) for h in handled] == [
        ("001-new.json", "new"), ("002-update.json", "update"), ("003-bad.json", "refused")]
    assert handled[0].incident == handled[1].incident and len(svc.incidents()) == 1
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["001-new.json", "002-update.json"]
    reason = (inbox / "refused" / "003-bad.json.reason.txt").read_text(encoding="utf-8")
    assert reason.startswith("field: time\n") and "missing" in reason
    assert (inbox / "refused" / "003-bad.json").exists()
    assert svc.dead_letters.entries[-1].field == "time"
    assert [p.name for p in inbox.iterdir() if p.is_file()] == [".004-half.json.part"]
    # The same message again (a resend) is taken in and changes nothing.
    before = len(svc.events())
    drop(inbox, "001-new.json", "gms-new")
    assert [h.outcome for h in folder.poll()] == ["duplicate"]
    assert len(svc.events()) == before
    assert (inbox / "done" / "001-new.1.json").exists()
    assert folder.poll() == []


def test_the_services_pump_takes_in_the_watched_folder(tmp_path: Path) -> None:
    clock = SimClock(datetime(2025, 3, 14, 21, 7, tzinfo=AMS))
    svc = LocalService(Registry.from_records(ring_responders(50), []),
                       SqliteEventStore(tmp_path / "events.sqlite"), clock)
    inbox = tmp_path / "intake"
    svc.watch_intake(inbox)
    drop(inbox, "gms-1.json", "gms-new")
    svc.pump()  # what the console's pump timer does
    assert [s.facts["address"] for s in svc.incidents()] == ["Dorpsstraat 12a, 2712 AB Zoetermeer"]
    assert (inbox / "done" / "gms-1.json").exists()
