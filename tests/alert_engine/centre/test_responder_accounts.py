"""One-time sign-in codes, sessions and settings of the responder web app, on SQLite (beside
the event store) and on PostgreSQL (the centre's shared database)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alert_engine.centre.responder_accounts import (
    RedeemRefused,
    ResponderAccounts,
    digest,
    side_file,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "events.sqlite")
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def accounts(store: str) -> Iterator[tuple[ResponderAccounts, Clock]]:
    clock = Clock()
    with ResponderAccounts(store, clock) as a:
        yield a, clock


def test_a_code_signs_in_once(accounts: tuple[ResponderAccounts, Clock]) -> None:
    a, _ = accounts
    code, _ = a.issue_code("R000007")
    got = a.redeem(code)
    assert got.responder == "R000007" and a.session(got.token) == "R000007"
    with pytest.raises(RedeemRefused) as refused:
        a.redeem(code)
    assert refused.value.reason == "used"
    with pytest.raises(RedeemRefused) as unknown:
        a.redeem("x" * 43)
    assert unknown.value.reason == "unknown"


def test_codes_expire_and_sessions_end(accounts: tuple[ResponderAccounts, Clock]) -> None:
    a, clock = accounts
    code, _ = a.issue_code("R000007", timedelta(minutes=10))
    clock.now += timedelta(minutes=11)
    with pytest.raises(RedeemRefused) as refused:
        a.redeem(code)
    assert refused.value.reason == "expired"
    session = a.redeem(a.issue_code("R000007")[0], valid_for=timedelta(days=1)).token
    clock.now += timedelta(days=2)
    assert a.session(session) is None


def test_revoking_signs_out_everywhere_and_voids_unused_links(accounts: tuple[ResponderAccounts, Clock]) -> None:
    a, _ = accounts
    one = a.redeem(a.issue_code("R1")[0]).token
    two = a.redeem(a.issue_code("R1")[0]).token
    other = a.redeem(a.issue_code("R2")[0]).token
    spare, _ = a.issue_code("R1")
    assert a.revoke_all("R1") == 2
    assert a.session(one) is None and a.session(two) is None and a.session(other) == "R2"
    with pytest.raises(RedeemRefused):
        a.redeem(spare)
    a.revoke(other)
    assert a.session(other) is None


def test_two_pages_racing_with_one_link_get_one_session(accounts: tuple[ResponderAccounts, Clock]) -> None:
    a, _ = accounts
    code, _ = a.issue_code("R000009")
    results: list[str] = []
    barrier = threading.Barrier(4)

    def redeem() -> None:
        barrier.wait()
        try:
            results.append(a.redeem(code).token)
        except RedeemRefused:
            results.append("refused")

    threads = [threading.Thread(target=redeem) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r == "refused" for r in results) == [False, True, True, True]


def test_preferences_default_and_change(accounts: tuple[ResponderAccounts, Clock]) -> None:
    a, _ = accounts
    assert a.preferences("R5").as_dict() == {"available": True, "share_location": False, "language": "nl"}
    a.set_preferences("R5", available=False)
    a.set_preferences("R5", share_location=True, language="en")
    assert a.preferences("R5").as_dict() == {"available": False, "share_location": True, "language": "en"}
    assert a.unavailable() == {"R5"}
    a.set_preferences("R5", available=True)
    assert a.unavailable() == set()


def test_only_digests_are_stored(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    with ResponderAccounts(store) as a:
        code, _ = a.issue_code("R000001")
        token = a.redeem(code).token
    raw = side_file(store)
    assert raw.name == "events-responder-app.sqlite" and oct(raw.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(raw) as db:
        dump = "\n".join(db.iterdump())
    assert code not in dump and token not in dump
    assert digest(code) in dump and digest(token) in dump


def test_the_command_line_prints_a_link_that_signs_in(tmp_path: Path) -> None:
    store = tmp_path / "events.sqlite"
    store.touch()
    out = subprocess.run([sys.executable, "-m", "alert_engine.cli", "responder-link", "R000042", "--store", str(store),
                          "--url", "https://centrale.example.nl/"], capture_output=True, text=True, check=True)
    link = out.stdout.splitlines()[0]
    assert link.startswith("https://centrale.example.nl/app/#code=")
    with ResponderAccounts(store) as a:
        assert a.redeem(link.split("#code=", 1)[1]).responder == "R000042"
    bad = subprocess.run([sys.executable, "-m", "alert_engine.cli", "responder-link", "R000042", "--store",
                          str(tmp_path / "none.sqlite")], capture_output=True, text=True)
    assert bad.returncode != 0 and "no such event store" in bad.stderr
