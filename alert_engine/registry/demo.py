"""Deterministic synthetic registry for a region: responders and AEDs placed inside CBS
postcode areas in proportion to population. No real person or AED is in it; every record
and the store's metadata say so."""

from __future__ import annotations

from datetime import date

import numpy as np

from ..errors import InvalidInput
from .demo_set import DemoAeds, DemoResponders, DemoSet
from .model import Aed, AedStatus, Responder
from .placement import points_in_polygons, points_nearby
from .postcodes import PostcodeAreas, region_areas

# HartslagNu 2023: 236,715 responders and 26,892 AEDs for 17.4 M inhabitants.
RESPONDERS_PER_INHABITANT = 0.0136
AEDS_PER_INHABITANT = 0.0015
# Certificates are judged against the scenario contract's example date.
REFERENCE_DAY = date(2026, 11, 22)

# (work window, home window): home covers what work does not.
WORK_PATTERNS = (
    ("Mo-Fr 08:00-17:00", "Mo-Fr 00:00-08:00,17:00-24:00; Sa,Su 00:00-24:00"),
    ("Mo-Fr 09:00-18:00", "Mo-Fr 00:00-09:00,18:00-24:00; Sa,Su 00:00-24:00"),
    ("Mo-Th 07:30-16:30", "Mo-Th 00:00-07:30,16:30-24:00; Fr-Su 00:00-24:00"),
    ("Mo,We,Fr 08:30-17:00", "Mo,We,Fr 00:00-08:30,17:00-24:00; Tu,Th,Sa,Su 00:00-24:00"),
)
AVAILABILITY = (("24/7", 0.70), ("Mo-Su 07:00-23:00", 0.20), ("Mo-Su 17:00-23:00", 0.10))
CHANNEL_MIX = (("app", 0.83), ("app;sms", 0.14), ("voice", 0.03))
OUTDOOR_SHARE = 0.45
# Indoor AEDs: the kind of building and its hours.
VENUES = (
    ("kantoor", "Mo-Fr 08:00-18:00"),
    ("supermarkt", "Mo-Sa 08:00-21:00; Su 12:00-18:00"),
    ("winkelcentrum", "Mo-Sa 09:00-21:00; Su 12:00-18:00"),
    ("sporthal", "Mo-Fr 08:00-23:00; Sa,Su 08:00-18:00"),
    ("school", "Mo-Fr 07:30-17:00"),
    ("buurthuis", "Mo-Fr 09:00-22:00; Sa 10:00-17:00"),
)
STATUS_MIX = (
    (AedStatus.READY, 0.955),
    (AedStatus.MAINTENANCE, 0.02),
    (AedStatus.RESERVE, 0.01),
    (AedStatus.CHECK_NEEDED, 0.015),
)


def generate(region: str, seed: int) -> tuple[list[Responder], list[Aed]]:
    """Records for `region` ("nl", "denhaag", a province or municipalities); same seed,
    same registry."""
    demo = generate_set(region, seed)
    return demo.responder_records(), demo.aed_records()


def generate_set(region: str, seed: int) -> DemoSet:
    """The same registry as `generate`, as columns (fast path for the national set)."""
    areas = region_areas(region)
    population = int(areas.population.sum())
    if population == 0:
        raise InvalidInput(f"region {region!r} has no inhabitants in the CBS postcode data")
    rng = np.random.default_rng(seed)
    share = areas.population / population
    n_resp = rng.multinomial(round(population * RESPONDERS_PER_INHABITANT), share)
    n_aed = rng.multinomial(round(population * AEDS_PER_INHABITANT), share)
    responders = _responders(areas, n_resp, rng)
    aeds = _aeds(areas, n_aed, rng)
    return DemoSet(region, seed, population, responders, aeds)


def _placed(
    areas: PostcodeAreas, counts: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    area, lat, lon = points_in_polygons(areas.geometry, counts, rng)
    # Shuffle so that ids do not run through the postcodes in order.
    order = rng.permutation(len(area))
    return area[order], lat[order], lon[order]


def _pick(options: tuple[tuple[str, float], ...], n: int, rng: np.random.Generator) -> list[str]:
    values = np.asarray([o for o, _ in options], dtype=object)
    return values[rng.choice(len(options), size=n, p=[p for _, p in options])].tolist()


def _responders(
    areas: PostcodeAreas, counts: np.ndarray, rng: np.random.Generator
) -> DemoResponders:
    area, lat, lon = _placed(areas, counts, rng)
    n = len(area)
    has_work = rng.random(n) < 0.60
    work_lat, work_lon = np.full(n, np.nan), np.full(n, np.nan)
    work_lat[has_work], work_lon[has_work] = points_nearby(lat[has_work], lon[has_work], rng)
    pattern = rng.integers(len(WORK_PATTERNS), size=n)
    work_window = [WORK_PATTERNS[p][0] if w else "" for p, w in zip(pattern, has_work, strict=True)]
    home_window = [
        WORK_PATTERNS[p][1] if w else "24/7" for p, w in zip(pattern, has_work, strict=True)
    ]

    # ~12 % expired before the reference day; a certificate lasts a year after a refresher.
    expired = rng.random(n) < 0.12
    offset = np.where(expired, -rng.integers(1, 731, n), rng.integers(0, 365, n))
    cert_day = REFERENCE_DAY.toordinal() + offset
    refresher_day = np.where(rng.random(n) < 0.02, 0, cert_day - 365)
    numbers = rng.choice(10_000_000, size=n, replace=False)
    return DemoResponders(
        ids=[f"R{i:06d}" for i in range(1, n + 1)],
        pseudonyms=[f"BHV-{k:07d}" for k in numbers.tolist()],
        availability=_pick(AVAILABILITY, n, rng),
        cert_day=cert_day.astype(np.int32),
        refresher_day=refresher_day.astype(np.int32),
        active=rng.random(n) >= 0.03,
        medical=rng.random(n) < 0.08,
        test_opt_in=rng.random(n) < 0.40,
        channels=_pick(CHANNEL_MIX, n, rng),
        municipality=areas.municipality[area].tolist(),
        home_lat=lat,
        home_lon=lon,
        home_window=home_window,
        work_lat=work_lat,
        work_lon=work_lon,
        work_window=work_window,
    )


def _aeds(areas: PostcodeAreas, counts: np.ndarray, rng: np.random.Generator) -> DemoAeds:
    area, lat, lon = _placed(areas, counts, rng)
    n = len(area)
    outdoor = rng.random(n) < OUTDOOR_SHARE
    venue = rng.integers(len(VENUES), size=n)
    places = areas.place[area].tolist()
    ids = [f"AED{i:05d}" for i in range(1, n + 1)]
    return DemoAeds(
        ids=ids,
        lat=lat,
        lon=lon,
        opening_hours=[
            "24/7" if out else VENUES[v][1] for out, v in zip(outdoor, venue, strict=True)
        ],
        status=[str(s) for s in _pick(STATUS_MIX, n, rng)],
        cabinet_code=[f"{c:04d}" for c in rng.integers(0, 10_000, n).tolist()],
        location_description=[
            f"Synthetisch – buitenkast bij {p}" if out else f"Synthetisch – {VENUES[v][0]} in {p}"
            for out, v, p in zip(outdoor, venue, places, strict=True)
        ],
        manager_contact=[f"Synthetische beheerder {i}" for i in ids],
        indoor=~outdoor,
    )
