"""The synthetic demo registry: deterministic, proportional to population, inside the
Netherlands and inside its postcode areas, and marked synthetic everywhere."""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np
import opening_hours
import pytest
import shapely

from alert_engine.assets import resource_path
from alert_engine.errors import InvalidInput
from alert_engine.geo import NL_LAT, NL_LON, in_netherlands
from alert_engine.registry.demo import REFERENCE_DAY, generate, generate_set
from alert_engine.registry.model import Aed, AedStatus, Responder
from alert_engine.registry.postcodes import DENHAAG, on_land, postcode_areas

Demo = tuple[list[Responder], list[Aed]]


@pytest.fixture(scope="module")
def denhaag() -> Demo:
    return generate("denhaag", 42)


def municipal_population(names: tuple[str, ...]) -> dict[str, int]:
    """From the municipality file, not the PC4 file the generator reads."""
    data = json.loads(resource_path("data/gemeenten_2022_cbs.geojson").read_text("utf-8"))
    return {
        f["properties"]["gemeente"]: f["properties"]["inwoners"]
        for f in data["features"]
        if f["properties"]["gemeente"] in names
    }


def share(flags: list[bool]) -> float:
    return sum(flags) / len(flags)


def test_same_seed_same_registry_other_seed_other_registry(denhaag: Demo) -> None:
    assert generate("denhaag", 42) == denhaag
    other = generate("denhaag", 43)
    assert other[0][0].addresses != denhaag[0][0].addresses


def test_counts_follow_population(denhaag: Demo) -> None:
    responders, aeds = denhaag
    population = municipal_population(DENHAAG)
    inhabitants = sum(population.values())
    assert len(responders) / inhabitants == pytest.approx(0.0136, rel=0.02)
    assert len(aeds) / inhabitants * 1000 == pytest.approx(1.5, rel=0.03)
    # Each municipality gets its population share of responders (within a few %).
    per_municipality = Counter(r.municipality for r in responders)
    for name, people in population.items():
        assert per_municipality[name] / people == pytest.approx(0.0136, rel=0.12), name


def test_every_point_is_on_dutch_land_and_homes_lie_in_their_municipality(
    denhaag: Demo,
) -> None:
    responders, aeds = denhaag
    areas = postcode_areas()
    tree = shapely.STRtree(areas.geometry)
    points = [(a.lat, a.lon) for r in responders for a in r.addresses] + [
        (a.lat, a.lon) for a in aeds
    ]
    assert all(in_netherlands(lat, lon) for lat, lon in points)
    lat, lon = np.asarray(points).T
    point_idx, _ = tree.query(shapely.points(lon, lat), predicate="intersects")
    assert set(point_idx.tolist()) == set(range(len(points)))

    # A sample of homes: strictly inside a PC4 polygon of the responder's municipality.
    rng = np.random.default_rng(0)
    for i in rng.choice(len(responders), 300, replace=False):
        home = responders[i].addresses[0]
        # Simplified PC4 outlines overlap by a few metres here and there: any hit will do.
        hits = tree.query(shapely.Point(home.lon, home.lat), predicate="within")
        assert responders[i].municipality in set(areas.municipality[hits])
    for i in rng.choice(len(aeds), 100, replace=False):
        hits = tree.query(shapely.Point(aeds[i].lon, aeds[i].lat), predicate="within")
        assert set(areas.municipality[hits]) & set(DENHAAG)
        assert any(aeds[i].location_description.endswith(p) for p in areas.place[hits])


def test_responder_mix(denhaag: Demo) -> None:
    responders, _ = denhaag
    assert share([r.certificate_valid_until < REFERENCE_DAY for r in responders]) == (
        pytest.approx(0.12, abs=0.015)
    )
    assert share([not r.active for r in responders]) == pytest.approx(0.03, abs=0.01)
    assert share([r.medical for r in responders]) == pytest.approx(0.08, abs=0.015)
    assert share([len(r.addresses) == 2 for r in responders]) == pytest.approx(0.60, abs=0.02)
    assert share([r.test_alarms_opt_in for r in responders]) == pytest.approx(0.40, abs=0.02)
    channels = Counter(";".join(r.channels) for r in responders)
    assert channels.most_common(1)[0][0] == "app"
    assert 0.10 < channels["app;sms"] / len(responders) < 0.20
    assert 0 < channels["voice"] / len(responders) < 0.06
    assert all(r.synthetic and r.addresses[0].label == "home" for r in responders)


def test_work_is_a_few_km_from_home_in_office_hours(denhaag: Demo) -> None:
    workers = [r for r in denhaag[0] if len(r.addresses) == 2]
    km = [
        np.hypot((h.lat - w.lat) * 111.2, (h.lon - w.lon) * 111.2 * np.cos(np.radians(h.lat)))
        for h, w in (r.addresses for r in workers)
    ]
    assert 1.5 < float(np.median(km)) < 5
    assert all(
        w.label == "work" and w.window.startswith("Mo") for _, w in (r.addresses for r in workers)
    )


def test_no_names_only_pseudonyms(denhaag: Demo) -> None:
    responders, aeds = denhaag
    assert all(re.fullmatch(r"BHV-\d{7}", r.pseudonym) for r in responders)
    assert len({r.pseudonym for r in responders}) == len(responders)
    assert [r.id for r in responders[:2]] == ["R000001", "R000002"]
    assert [a.id for a in aeds[:2]] == ["AED00001", "AED00002"]


def test_aed_mix(denhaag: Demo) -> None:
    _, aeds = denhaag
    outdoor = [a for a in aeds if not a.indoor]
    assert len(outdoor) / len(aeds) == pytest.approx(0.45, abs=0.03)
    assert all(a.opening_hours == "24/7" for a in outdoor)
    assert all("buitenkast" in a.location_description for a in outdoor)
    assert share([a.status is not AedStatus.READY for a in aeds]) == pytest.approx(0.045, abs=0.02)
    assert all(re.fullmatch(r"\d{4}", a.cabinet_code) for a in aeds)
    assert all(a.synthetic and a.location_description.startswith("Synthetisch") for a in aeds)


def test_every_time_window_parses(denhaag: Demo) -> None:
    responders, aeds = denhaag
    texts = {a.opening_hours for a in aeds} | {r.availability for r in responders}
    texts |= {a.window for r in responders for a in r.addresses}
    assert all(opening_hours.validate(t) for t in texts)


@pytest.mark.parametrize(
    ("region", "municipalities"),
    [
        ("Wassenaar", {"Wassenaar"}),
        ("den haag, Rijswijk", {"'s-Gravenhage", "Rijswijk"}),
        ("Zeeland", None),
    ],
)
def test_regions(region: str, municipalities: set[str] | None) -> None:
    demo = generate_set(region, 1)
    found = set(demo.responders.municipality)
    if municipalities is not None:
        assert found == municipalities
    else:
        assert {"Middelburg", "Vlissingen", "Goes"} <= found
        assert "'s-Gravenhage" not in found


def test_unknown_region_suggests_a_name() -> None:
    with pytest.raises(InvalidInput, match=r"unknown region 'zoetermer'.*did you mean Zoetermeer"):
        generate_set("zoetermer", 1)


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("ZESMINUTEN_SLOW"), reason="national set: set ZESMINUTEN_SLOW=1"
)
def test_national_set_size_and_time(tmp_path: Path) -> None:
    from alert_engine.registry.store import RegistryStore

    postcode_areas()  # data loading is not generation
    started = time.perf_counter()
    demo = generate_set("nl", 1)
    generated = time.perf_counter() - started
    assert 230_000 < len(demo.responders) < 245_000
    assert 25_000 < len(demo.aeds) < 28_000
    assert generated < 20
    r, a = demo.responders, demo.aeds
    lat = np.concatenate([r.home_lat, r.work_lat[~np.isnan(r.work_lat)], a.lat])
    lon = np.concatenate([r.home_lon, r.work_lon[~np.isnan(r.work_lon)], a.lon])
    assert ((lat > NL_LAT[0]) & (lat < NL_LAT[1]) & (lon > NL_LON[0]) & (lon < NL_LON[1])).all()
    assert on_land(lat, lon).all()

    with RegistryStore(tmp_path / "nl.sqlite") as store:
        store.write_rows(demo.rows(), clear=("responders", "aeds"), metadata=demo.metadata())
    with RegistryStore(tmp_path / "nl.sqlite") as store:
        started = time.perf_counter()
        registry = store.load_registry()
        loaded = time.perf_counter() - started
    assert registry.n_responders == len(demo.responders)
    assert loaded < 4  # target 2 s on an idle machine; shared CI machines are slower
