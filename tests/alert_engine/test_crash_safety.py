"""Kill a running engine with SIGKILL at random moments; the store must stay whole."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from alert_engine.clock import SimClock
from alert_engine.engine import Engine
from alert_engine.eventlog.store import SqliteEventStore
from alert_engine.registry.table import Registry
from alert_engine.scenario.loader import load_scenario
from alert_engine.state import fold_all
from tests.paths import REPO

ROOT = REPO
SCENARIO = ROOT / "scenarios/10_two_concurrent_incidents.json"


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_sigkill_mid_scenario_loses_nothing_that_was_committed(tmp_path: Path, seed: int):
    store_path = tmp_path / "events.sqlite"
    proc = subprocess.Popen(
        [sys.executable, "-m", "alert_engine.cli", "run", str(SCENARIO), "--store", str(store_path),
         "--pace", "0.002", "--announce", "--quiet"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    committed: list[int] = []
    kill_after = random.Random(seed).randint(5, 60)  # events committed before the kill
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break  # the run ended on its own
        if line.startswith("committed "):
            committed.append(int(line.split()[1]))
        if len(committed) >= kill_after:
            proc.send_signal(signal.SIGKILL)
            break
    if proc.poll() is None and time.monotonic() >= deadline:
        proc.kill()
    proc.wait(timeout=10)
    proc.stdout.close()
    assert proc.stderr is not None
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL, "the scenario finished before it could be killed"

    # Restart on the same store, as the console or service would after a crash.
    store = SqliteEventStore(store_path)
    report = store.verify()
    assert report.ok, report.summary()
    events = store.read()
    seqs = [e.seq for e in events]
    assert seqs == list(range(1, len(seqs) + 1))
    assert set(committed) <= set(seqs)  # everything reported as written is there
    scenario = load_scenario(SCENARIO)
    clock = SimClock(max(e.time for e in events))
    engine = Engine(Registry.from_records(scenario.responders, scenario.aeds), store, clock, scenario.config)
    assert engine.states == fold_all(events)
    # The restarted engine carries on with the next sequence number.
    open_incident = next((s.id for s in engine.states.values() if s.is_open), None)
    if open_incident:
        more = engine.close(open_incident)
        assert more[0].seq == seqs[-1] + 1
        assert store.verify().ok


def test_tampered_event_is_detected(tmp_path: Path):
    import sqlite3

    store_path = tmp_path / "events.sqlite"
    done = subprocess.run(
        [sys.executable, "-m", "alert_engine.cli", "run", "scenarios/09_oversupply.json", "--store",
         str(store_path), "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert SqliteEventStore(store_path).journal_mode == "wal"
    db = sqlite3.connect(store_path)
    body = db.execute("SELECT body FROM events WHERE type='alert_sent'").fetchone()[0]
    db.execute("UPDATE events SET body=? WHERE type='alert_sent'", (body.replace('"radius_m":2000.0', '"radius_m":500.0'),))
    db.commit()
    db.close()
    report = SqliteEventStore(store_path).verify()
    assert not report.ok
    assert any("altered" in p for p in report.problems)
    verify = subprocess.run(
        [sys.executable, "-m", "alert_engine.cli", "verify", "--store", str(store_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert verify.returncode == 3 and "altered" in verify.stdout
