"""Kwaliteitskader §5.1 exclusion criteria, with real The Hague region coordinates.

The motorway points come from the shipped OSM extract (January 2019); where a point is
an offset from a carriageway the comment says how far and to which side.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from alert_engine.config import AlertConfig
from alert_engine.errors import InvalidInput
from alert_engine.exclusion import CRITERIA, CallFacts, ExclusionVerdict, assess
from alert_engine.exclusion.motorway import MotorwayIndex, default_index
from alert_engine.exclusion.motorway_map import RoadWay
from alert_engine.exclusion.road_notation import A_ROADS, Strength, find_road
from alert_engine.geo import to_wgs

CONFIG = AlertConfig()

# On a carriageway centre line (vertices of the OSM ways, 6 decimals ~ 0.1 m).
A12_ZOETERMEER = (52.047435, 4.485071)  # between exits 6 Zoetermeer-Centrum and 7 Zoetermeer
A12_NOOTDORP = (52.051865, 4.424828)  # between exits 5 Nootdorp and 6, 3 lanes
A4_RIJSWIJK = (52.030833, 4.328310)  # south-east carriageway near exit 11 Rijswijk, 4 lanes
A4_LEIDSCHENDAM = (52.080751, 4.408910)  # north of exit 8 Leidschendam, 4 lanes
PRINS_CLAUSPLEIN = (52.050917, 4.363164)  # interchange node where an A4 ramp leaves
# Beside the A4 in Rijswijk (PC4 2287, ~3,800 inhabitants/km²), perpendicular to the
# north-west carriageway: 41 m and 81 m out, i.e. behind the verge and noise barrier.
A4_RIJSWIJK_41M = (52.031165, 4.327622)
A4_RIJSWIJK_81M = (52.031387, 4.327163)
A12_VOORBURG_80M = (52.066100, 4.364274)  # Voorburg, PC4 2271, 80 m from the A12
ZOETERMEER_CENTRE = (52.060300, 4.494000)
# A12 service area between Nootdorp and Zoetermeer, north of the westbound carriageway:
# the end of its exit ramp, and a point between its two ramps ~33 m off the carriageway.
SERVICE_RAMP_END = (52.050989, 4.439489)
SERVICE_AREA = (52.051400, 4.437000)
# Afrikaweg (Zoetermeer) crosses over the A12 on a bridge.
AFRIKAWEG_ON_BRIDGE = (52.048053, 4.475636)  # on Afrikaweg, 12 m from the A12 line
A12_UNDER_AFRIKAWEG = (52.048163, 4.475571)  # on the A12, 8 m from the Afrikaweg line
# Schenkkade (Den Haag) passes over the Utrechtsebaan tunnel (A12, autoweg).
SCHENKKADE_OVER_TUNNEL = (52.077776, 4.335372)
UTRECHTSEBAAN = (52.078247, 4.335100)  # the autoweg itself, out of the tunnel
UTRECHT = (52.090700, 5.121400)  # far outside the mapped region
VUGHT = (51.660000, 5.290000)


def facts(point: tuple[float, float], age: float | None = 60.0, **kw: Any) -> CallFacts:
    return CallFacts(point[0], point[1], age, **kw)


def motorway(point: tuple[float, float], **kw: Any) -> ExclusionVerdict:
    return assess(facts(point, **kw), CONFIG)


# -- the simple criteria -------------------------------------------------------------------


def test_infant_is_excluded_with_age_in_reason() -> None:
    verdict = assess(facts(ZOETERMEER_CENTRE, age=0.5), CONFIG)
    assert verdict.excluded
    assert verdict.criteria == ("infant",)
    infant = verdict.finding("infant")
    assert infant.met is True
    assert infant.reason_nl == "Patiënt jonger dan 1 jaar (0,5 jaar)"
    assert infant.reason_en == "Patient younger than 1 year (0.5 years)"


def test_one_year_old_is_not_an_infant() -> None:
    verdict = assess(facts(ZOETERMEER_CENTRE, age=1.0), CONFIG)
    assert not verdict.excluded
    assert verdict.finding("infant").reason_nl == "Patiënt is 1 jaar (1 jaar of ouder)"
    assert verdict.finding("infant").reason_en == "Patient is 1 year old (1 year or older)"


def test_infant_threshold_comes_from_config() -> None:
    verdict = assess(facts(ZOETERMEER_CENTRE, age=1.5), AlertConfig(min_patient_age_years=2.0))
    assert verdict.criteria == ("infant",)
    assert verdict.finding("infant").reason_nl == "Patiënt jonger dan 2 jaar (1,5 jaar)"


def test_unknown_age_is_flagged_not_excluded() -> None:
    verdict = assess(facts(ZOETERMEER_CENTRE, age=None), CONFIG)
    assert verdict.age_unknown
    assert not verdict.excluded
    infant = verdict.finding("infant")
    assert infant.met is None
    assert infant.reason_nl == "Leeftijd onbekend – niet uitgesloten"
    assert "infant" in verdict.to_check


@pytest.mark.parametrize(
    ("flag", "nl", "en"),
    [
        ("suicide", "(Poging tot) suïcide", "(Attempted) suicide"),
        ("trauma", "Ernstig (ongevals)trauma", "Severe (accident) trauma"),
        (
            "violence",
            "Mogelijk onveilige situatie (geweld)",
            "Possibly unsafe situation (violence)",
        ),
    ],
)
def test_flag_criteria(flag: str, nl: str, en: str) -> None:
    verdict = assess(facts(ZOETERMEER_CENTRE, **{flag: True}), CONFIG)
    assert verdict.excluded and verdict.criteria == (flag,)
    finding = verdict.finding(flag)  # type: ignore[arg-type]
    assert (finding.met, finding.reason_nl, finding.reason_en) == (True, nl, en)


def test_clean_call_has_five_findings_none_met() -> None:
    verdict = assess(facts(ZOETERMEER_CENTRE, location_kind="home"), CONFIG)
    assert not verdict.excluded and verdict.criteria == ()
    assert tuple(f.criterion for f in verdict.findings) == CRITERIA
    assert all(f.met is False for f in verdict.findings)
    assert verdict.finding("suicide").reason_nl == "Geen (poging tot) suïcide gemeld"
    assert verdict.motorway is None


def test_criteria_keep_the_fixed_order() -> None:
    verdict = assess(
        facts(A12_ZOETERMEER, age=0.2, violence=True, trauma=True, suicide=True), CONFIG
    )
    assert verdict.criteria == ("infant", "suicide", "trauma", "motorway", "violence")


def test_verdict_serialises_for_the_event_log() -> None:
    data = json.loads(json.dumps(motorway(A12_ZOETERMEER).as_dict()))
    assert data["excluded"] is True and data["criteria"] == ["motorway"]
    assert [f["criterion"] for f in data["findings"]] == list(CRITERIA)
    assert data["motorway"]["road"] == "A12"


@pytest.mark.parametrize(
    "bad", [dict(age=-1.0), dict(age=math.nan), dict(lat=math.nan), dict(lon=math.inf)]
)
def test_impossible_facts_are_refused(bad: dict[str, float]) -> None:
    lat, lon, age = bad.get("lat", 52.0), bad.get("lon", 4.4), bad.get("age", 30.0)
    with pytest.raises(InvalidInput):
        CallFacts(lat, lon, age)


# -- motorway from geometry ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("point", "road"),
    [(A12_ZOETERMEER, "A12"), (A12_NOOTDORP, "A12"), (A4_RIJSWIJK, "A4"), (A4_LEIDSCHENDAM, "A4")],
)
def test_point_on_carriageway_is_excluded(point: tuple[float, float], road: str) -> None:
    verdict = motorway(point)
    assert verdict.criteria == ("motorway",)
    hit = verdict.motorway
    assert hit is not None
    assert (hit.road, hit.detected_by, hit.is_link) == (road, "geometry", False)
    assert hit.distance_m is not None and hit.distance_m < 1.0
    assert f"m van de {road} (rijbaan)" in verdict.finding("motorway").reason_nl
    assert f"m from the {road} carriageway" in verdict.finding("motorway").reason_en


def test_reason_states_the_distance() -> None:
    verdict = motorway(A4_RIJSWIJK)
    assert (
        verdict.finding("motorway").reason_nl
        == "Locatie ligt 0 m van de A4 (rijbaan), bij Rijswijk"
    )


def test_interchange_prins_clausplein() -> None:
    verdict = motorway(PRINS_CLAUSPLEIN)
    assert verdict.criteria == ("motorway",)
    assert (
        verdict.motorway is not None and verdict.motorway.junction == "Knooppunt Prins Clausplein"
    )
    # The node joins A4 and A13 ramps; either is a right answer to "which road".
    assert verdict.motorway.is_link and verdict.motorway.road in ("A4", "A13")
    assert "m van een toe-/afrit van de A" in verdict.finding("motorway").reason_nl


@pytest.mark.parametrize(
    ("point", "reason_nl"),
    [
        (A4_RIJSWIJK_41M, "Niet op een snelweg: de A4 (rijbaan) ligt op 41 m (grens 25 m)"),
        (A4_RIJSWIJK_81M, "Niet op een snelweg: de A4 (rijbaan) ligt op 81 m (grens 25 m)"),
        (A12_VOORBURG_80M, "Niet op een snelweg: de A12 (rijbaan) ligt op 80 m (grens 25 m)"),
        (ZOETERMEER_CENTRE, "Niet op of bij een snelweg"),
    ],
)
def test_houses_beside_the_motorway_are_not_on_it(
    point: tuple[float, float], reason_nl: str
) -> None:
    verdict = motorway(point, location_kind="home")
    assert not verdict.excluded
    assert verdict.finding("motorway").met is False
    assert verdict.finding("motorway").reason_nl == reason_nl
    assert verdict.motorway is None


def test_home_kind_on_the_carriageway_asks_for_a_check() -> None:
    finding = motorway(A12_ZOETERMEER, location_kind="home").finding("motorway")
    assert finding.met is None
    assert "locatiesoort 'home' past niet bij een snelweg" in finding.reason_nl


@pytest.mark.parametrize("point", [SERVICE_RAMP_END, SERVICE_AREA])
def test_service_area_is_possible_not_excluded(point: tuple[float, float]) -> None:
    verdict = motorway(point)
    assert not verdict.excluded
    finding = verdict.finding("motorway")
    assert finding.met is None
    assert finding.reason_nl.startswith("Mogelijk verzorgingsplaats langs de A12")
    assert verdict.motorway is not None and verdict.motorway.road == "A12"


def test_service_area_words_on_a_ramp_elsewhere() -> None:
    # Outside the map: only the words tell, and they say service area on the A2.
    verdict = motorway(VUGHT, location_description="Tankstation langs de A2 bij Vught")
    assert verdict.finding("motorway").met is None
    assert "verzorgingsplaats langs de A2" in verdict.finding("motorway").reason_nl


def test_carriageway_beside_service_area_is_still_motorway() -> None:
    # 27 m south of the ramp end: on the westbound carriageway itself.
    lat, lon = 52.050751, 4.439444
    assert motorway((lat, lon)).criteria == ("motorway",)
    said = motorway((lat, lon), location_kind="verzorgingsplaats")
    assert said.finding("motorway").met is None


def test_road_on_a_bridge_over_the_motorway_needs_a_check() -> None:
    finding = motorway(AFRIKAWEG_ON_BRIDGE).finding("motorway")
    assert finding.met is None
    assert "Afrikaweg ligt dichterbij" in finding.reason_nl
    assert "viaduct/tunnel: controleer" in finding.reason_nl
    assert "viaduct/tunnel: check" in finding.reason_en


def test_motorway_under_a_bridge_is_excluded_with_a_note() -> None:
    finding = motorway(A12_UNDER_AFRIKAWEG).finding("motorway")
    assert finding.met is True
    assert "Afrikaweg kruist hier – viaduct/tunnel: controleer" in finding.reason_nl


def test_street_above_a_tunnel_needs_a_check() -> None:
    verdict = motorway(SCHENKKADE_OVER_TUNNEL)
    assert verdict.finding("motorway").met is None
    assert "tunnel" in verdict.finding("motorway").reason_nl
    assert verdict.motorway is not None and verdict.motorway.tunnel


def test_motorway_kind_overrides_the_doubt() -> None:
    verdict = motorway(SCHENKKADE_OVER_TUNNEL, location_kind="motorway")
    assert verdict.criteria == ("motorway",)


def test_autoweg_counts_as_motorway() -> None:
    verdict = motorway(UTRECHTSEBAAN)
    assert verdict.criteria == ("motorway",)
    assert verdict.motorway is not None and verdict.motorway.autoweg
    assert "autoweg Utrechtsebaan (A12)" in verdict.finding("motorway").reason_nl


# -- motorway from the description ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "nl", "en"),
    [
        (
            "A12 hmp 34,5",
            "Locatie op snelweg A12 (hectometerpaal 34,5) volgens omschrijving",
            "Location on motorway A12 (hectometre post 34.5) according to the description",
        ),
        (
            "A2 Li 120.3",
            "Locatie op snelweg A2 (hectometerpaal 120,3 Li) volgens omschrijving",
            "Location on motorway A2 (hectometre post 120.3 Li) according to the description",
        ),
        (
            "A 4 hectometerpaal 12,3 Re",
            "Locatie op snelweg A4 (hectometerpaal 12,3 Re) volgens omschrijving",
            "Location on motorway A4 (hectometre post 12.3 Re) according to the description",
        ),
        (
            "rijksweg A12 richting Utrecht",
            "Locatie op snelweg A12 volgens omschrijving",
            "Location on motorway A12 according to the description",
        ),
    ],
)
def test_description_outside_the_map(text: str, nl: str, en: str) -> None:
    verdict = motorway(UTRECHT, location_description=text)
    finding = verdict.finding("motorway")
    assert (finding.met, finding.reason_nl, finding.reason_en) == (True, nl, en)
    assert verdict.motorway is not None and verdict.motorway.detected_by == "description"


def test_motorway_kind_outside_the_map() -> None:
    verdict = motorway(UTRECHT, location_kind="motorway")
    assert verdict.criteria == ("motorway",)
    assert verdict.finding("motorway").reason_nl == "Locatiesoort 'motorway': op de snelweg"


@pytest.mark.parametrize(
    "text",
    [
        "N11",
        "N11 richting Leiden",
        "A. Jacobsstraat 12, 2712 AB Zoetermeer",
        "Rijksweg 12, Duiven",
        "Flat A4, Dorpsstraat 3",
        "Blok A 2, 3e verdieping",
        "A3",
    ],
)
def test_no_motorway_in_the_description(text: str) -> None:
    verdict = motorway(UTRECHT, location_description=text)
    assert verdict.finding("motorway").met is False
    assert not verdict.excluded


def test_n_road_reason_says_why() -> None:
    finding = motorway(UTRECHT, location_description="N11 hmp 12,1").finding("motorway")
    assert finding.reason_nl == "Omschrijving noemt de N11: provinciale weg, geen snelweg"


def test_nothing_known_outside_the_map_asks_for_a_check() -> None:
    finding = motorway(UTRECHT).finding("motorway")
    assert finding.met is None and "Geen snelwegkaart" in finding.reason_nl


def test_beside_the_motorway_in_words_asks_for_a_check() -> None:
    verdict = motorway(UTRECHT, location_description="Vlietweg 12, Leidschendam, bij de A4")
    assert verdict.finding("motorway").met is None
    assert "'bij de A4'" in verdict.finding("motorway").reason_nl


def test_under_the_motorway_in_words_on_the_map() -> None:
    finding = motorway(A12_ZOETERMEER, location_description="onder het viaduct, onder de A12")
    assert finding.finding("motorway").met is None
    assert "'onder de A12'" in finding.finding("motorway").reason_nl


def test_hectometre_keeps_its_decimal() -> None:
    finding = motorway(UTRECHT, location_description="A12 Re 15,0").finding("motorway")
    assert (
        finding.reason_nl == "Locatie op snelweg A12 (hectometerpaal 15,0 Re) volgens omschrijving"
    )


def test_words_against_the_map() -> None:
    # A bare "A12" for a point the map puts in Zoetermeer centre: check, don't exclude.
    assert motorway(ZOETERMEER_CENTRE, location_description="A12").finding("motorway").met is None
    # A hectometre post is a deliberate location: it wins over the coordinates.
    strong = motorway(ZOETERMEER_CENTRE, location_description="A12 hmp 14,2")
    assert strong.criteria == ("motorway",)


# -- the road-notation parser --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "road", "hmp", "side"),
    [
        ("A12 hmp 34,5", "A12", 34.5, None),
        ("A2 Li 120.3", "A2", 120.3, "Li"),
        ("A 4 hectometerpaal 12,3 Re", "A4", 12.3, "Re"),
        ("a12 ri utrecht", "A12", None, None),
        ("A12hmp34,5", "A12", 34.5, None),
        ("Aanrijding op de A13 ter hoogte van Delft", "A13", None, None),
        ("N11 en daarna A4 hmp 3.1", "A4", 3.1, None),
        ("N11", "N11", None, None),
    ],
)
def test_road_notation(text: str, road: str, hmp: float | None, side: str | None) -> None:
    found = find_road(text)
    assert found is not None
    assert (found.road, found.hectometre, found.side) == (road, hmp, side)


@pytest.mark.parametrize(
    "text",
    [
        "A. Jacobsstraat 12",
        "2712 AB Zoetermeer",
        "Flat A4",
        "app. A12",
        "Blok A 2",
        "A3",
        "A 12",
        "A12b",
        "A2lijn",
        "Rijksweg 12",
        "bijna 3 km",
        "ca. 4 km",
        "",
    ],
)
def test_road_notation_false_positive_guards(text: str) -> None:
    assert find_road(text) is None


@given(st.text())
@settings(max_examples=300)
def test_parser_never_crashes(text: str) -> None:
    found = find_road(text)
    if found is not None:
        assert found.road[0] in "AN" and found.road[1:].isdigit()
        assert found.hectometre is None or found.hectometre >= 0


@given(st.sampled_from(sorted(A_ROADS)), st.integers(0, 2999), st.sampled_from(["hmp", "hm", "km"]))
def test_hectometre_round_trip(number: int, tenths: int, word: str) -> None:
    text = f"A{number} {word} {tenths // 10},{tenths % 10}"
    found = find_road(text)
    assert found is not None and found.road == f"A{number}"
    assert found.hectometre == pytest.approx(tenths / 10)
    assert found.strength is Strength.STRONG


# -- the index itself ----------------------------------------------------------------------


def _synthetic_index(lanes: int) -> MotorwayIndex:
    """One straight north-south carriageway at RD x=90 km (near Zoetermeer)."""
    way = RoadWay(
        line=shapely.LineString([(90_000.0, 450_000.0), (90_000.0, 452_000.0)]),
        highway="motorway",
        ref="A99",
        name=None,
        lanes=lanes,
        bridge=False,
        tunnel=False,
        layer=0,
        motorroad=False,
        osm_id=1,
    )
    return MotorwayIndex([way])


def _rd(x: float, y: float) -> tuple[float, float]:
    lat, lon = to_wgs(x, y)
    return float(np.asarray(lat)), float(np.asarray(lon))


def test_buffer_widens_for_five_lanes() -> None:
    east_26m = _rd(90_026.0, 451_000.0)
    assert _synthetic_index(lanes=4).nearest(*east_26m) is None
    hit = _synthetic_index(lanes=5).nearest(*east_26m)
    assert hit is not None and hit.buffer_m == 26.8 and hit.road == "A99"
    assert _synthetic_index(lanes=4).nearest(*_rd(90_024.0, 451_000.0)) is not None


def test_buffer_comes_from_config() -> None:
    index = _synthetic_index(lanes=3)
    verdict = assess(
        CallFacts(*_rd(90_030.0, 451_000.0), 50), AlertConfig(motorway_buffer_m=35.0), index
    )
    assert verdict.criteria == ("motorway",)


def test_default_index_is_built_once() -> None:
    assert default_index() is default_index()
    assert default_index().covers(*A12_ZOETERMEER) and not default_index().covers(*UTRECHT)


@given(
    st.floats(51.99, 52.17),
    st.floats(4.20, 4.56),
    st.one_of(st.none(), st.floats(0, 110)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
@settings(max_examples=150, deadline=None)
def test_verdict_invariants(
    lat: float, lon: float, age: float | None, suicide: bool, trauma: bool, violence: bool
) -> None:
    verdict = assess(CallFacts(lat, lon, age, suicide, trauma, violence), CONFIG)
    assert tuple(f.criterion for f in verdict.findings) == CRITERIA
    met = tuple(f.criterion for f in verdict.findings if f.met is True)
    assert verdict.criteria == met and verdict.excluded == bool(met)
    assert verdict.age_unknown == (age is None)
    # A motorway on the verdict means "met or check"; met always names one.
    motorway_met = verdict.finding("motorway").met
    assert verdict.motorway is None or motorway_met is not False
    assert motorway_met is not True or verdict.motorway is not None
