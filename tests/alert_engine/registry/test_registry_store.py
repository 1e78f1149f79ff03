"""The SQLite registry store: settings, round trips, all-or-nothing writes, bulk loading."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from alert_engine.errors import InvalidInput
from alert_engine.registry.demo import generate_set
from alert_engine.registry.demo_set import DemoSet
from alert_engine.registry.model import Address, Aed, AedStatus, GpsFix, Responder
from alert_engine.registry.store import RegistryStore, default_store_path
from alert_engine.registry.table import Registry

CEST = timezone(timedelta(hours=2))


def responder(rid: str, **kw: object) -> Responder:
    base: dict[str, object] = dict(
        id=rid,
        certificate_valid_until=date(2027, 6, 30),
        addresses=(Address(52.0601, 4.4932, "24/7", "home"),),
        pseudonym=f"BHV-{rid}",
    )
    return Responder(**{**base, **kw})  # type: ignore[arg-type]


RESPONDERS = [
    responder("R1"),
    responder(
        "R2",
        addresses=(
            Address(52.0701, 4.3001, "Mo-Fr 00:00-08:00,17:00-24:00; Sa,Su 00:00-24:00", "home"),
            Address(52.0801, 4.3101, "Mo-Fr 08:00-17:00", "work"),
        ),
        gps=GpsFix(52.075, 4.305, datetime(2026, 6, 1, 14, 30, 5, tzinfo=CEST)),
        availability="Mo-Su 07:00-23:00",
        active=False,
        medical=True,
        channels=("app", "sms"),
        test_alarms_opt_in=True,
        municipality="'s-Gravenhage",
        last_refresher=date(2025, 6, 30),
    ),
    responder("R3", channels=("voice",), certificate_valid_until=date(2025, 1, 1), synthetic=True),
]
AEDS = [
    Aed("A1", 52.0611, 4.4950, "24/7", AedStatus.READY, "4711", "buitenkast", "beheer A1"),
    Aed("A2", 52.0711, 4.3050, "Mo-Fr 08:00-18:00", AedStatus.MAINTENANCE, indoor=True),
]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RegistryStore]:
    with RegistryStore(tmp_path / "registry.sqlite") as s:
        yield s


@pytest.fixture(scope="module")
def demo() -> DemoSet:
    return generate_set("denhaag", 5)


def test_store_uses_wal_and_full_sync(store: RegistryStore) -> None:
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("synchronous") == "2"  # FULL


def test_default_path_follows_zesminuten_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ZESMINUTEN_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "registry.sqlite"
    monkeypatch.delenv("ZESMINUTEN_HOME")
    assert default_store_path().parts[-2:] == ("zesminuten", "registry.sqlite")


def test_records_round_trip(store: RegistryStore) -> None:
    store.replace_all(RESPONDERS, AEDS)
    assert list(store.responders()) == RESPONDERS
    assert list(store.aeds()) == AEDS
    assert store.counts() == (3, 2, "mixed")


def test_replace_all_swaps_everything(store: RegistryStore) -> None:
    store.replace_all(RESPONDERS, AEDS, metadata={"region": "test"})
    store.replace_all([responder("R9")], [])
    assert [r.id for r in store.responders()] == ["R9"]
    assert list(store.aeds()) == []
    assert "region" not in store.metadata()


def test_a_failing_write_leaves_the_store_as_it_was(store: RegistryStore) -> None:
    store.replace_all(RESPONDERS, AEDS)
    bad = responder("R8", addresses=(Address(52.0, 4.3, "24/7", "holiday"),))
    with pytest.raises(InvalidInput, match="holiday"):
        store.replace_all([responder("R7"), bad], [])
    with pytest.raises(InvalidInput, match="A1 is already in the registry"):
        store.add([responder("R6")], [AEDS[0]])
    with pytest.raises(InvalidInput, match="R5 appears twice"):
        store.replace_all([responder("R5"), responder("R5")], [])
    assert list(store.responders()) == RESPONDERS
    assert list(store.aeds()) == AEDS


def test_add_appends(store: RegistryStore) -> None:
    store.replace_all(RESPONDERS[:1], AEDS[:1])
    store.add(RESPONDERS[1:], AEDS[1:])
    assert list(store.responders()) == RESPONDERS
    assert store.counts()[:2] == (3, 2)


def test_set_aed_status(store: RegistryStore) -> None:
    store.replace_all([], AEDS)
    store.set_aed_status("A1", AedStatus.CHECK_NEEDED)
    assert next(store.aeds()).status is AedStatus.CHECK_NEEDED
    with pytest.raises(InvalidInput, match="unknown AED"):
        store.set_aed_status("nope", "ready")
    with pytest.raises(InvalidInput, match="unknown AED status"):
        store.set_aed_status("A1", "broken")
    assert store.load_registry().aed_status("A1") is AedStatus.CHECK_NEEDED


def assert_same_registry(a: Registry, b: Registry) -> None:
    for name, value in vars(a).items():
        if isinstance(value, np.ndarray) and value.dtype != object:
            np.testing.assert_array_equal(value, getattr(b, name), err_msg=name)
        elif isinstance(value, np.ndarray):
            assert value.tolist() == getattr(b, name).tolist(), name
    assert a.patterns.texts == b.patterns.texts
    assert a.r_index == b.r_index


def test_load_registry_equals_registry_from_records(store: RegistryStore) -> None:
    store.replace_all(RESPONDERS, AEDS)
    loaded = store.load_registry()
    assert_same_registry(loaded, Registry.from_records(RESPONDERS, AEDS))
    gps_slot = int(np.flatnonzero(loaded.s_kind == 0)[0])
    assert loaded.s_gps_epoch[gps_slot] == RESPONDERS[1].gps.time.timestamp()  # type: ignore[union-attr]


def test_load_registry_after_appends_maps_positions_to_responders(store: RegistryStore) -> None:
    store.replace_all(RESPONDERS[1:], [])
    store.add(RESPONDERS[:1], [])
    loaded = store.load_registry()
    assert_same_registry(loaded, Registry.from_records(RESPONDERS[1:] + RESPONDERS[:1], []))


def test_a_value_with_the_bulk_separator_still_loads(store: RegistryStore) -> None:
    odd = [responder("R1", pseudonym="BHV\x1f1"), responder("R2")]
    store.replace_all(odd, AEDS)
    assert store.load_registry().r_pseudonym.tolist() == ["BHV\x1f1", "BHV-R2"]


def test_empty_store_loads_an_empty_registry(store: RegistryStore) -> None:
    registry = store.load_registry()
    assert (registry.n_responders, registry.n_aeds) == (0, 0)
    assert store.counts() == (0, 0, "empty")


def test_demo_set_saved_and_loaded_equals_the_generated_registry(
    store: RegistryStore, demo: DemoSet
) -> None:
    store.write_rows(demo.rows(), clear=("responders", "aeds"), metadata=demo.metadata())
    assert_same_registry(store.load_registry(), demo.registry())
    assert store.counts() == (len(demo.responders), len(demo.aeds), "yes")
    assert store.metadata()["synthetic"] == "yes"
    assert store.metadata()["region"] == "denhaag"
    # The records written by the fast path read back as the generator's records.
    assert list(store.aeds()) == demo.aed_records()
    assert list(store.responders())[:200] == demo.responder_records()[:200]


def test_a_registry_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "registry.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version=99").connection.close()
    with pytest.raises(InvalidInput, match="newer Zesminuten"):
        RegistryStore(path)


def test_a_file_that_is_not_a_registry_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "responders.csv"
    path.write_text("id,lat,lon\n" * 200)
    with pytest.raises(InvalidInput, match="not a registry file"):
        RegistryStore(path)
