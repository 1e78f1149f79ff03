"""Offline address search over the shipped postcodes, municipalities and road names."""

from __future__ import annotations

import time

import pytest

from alert_engine.gazetteer import Gazetteer, Place, normalise, parse_coordinates


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(focus=(52.06, 4.49))


def texts(places: list[Place]) -> list[str]:
    return [p.text for p in places]


def test_postcode_finds_its_pc4_with_town(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("2712")
    assert hits[0].kind == "postcode"
    assert hits[0].label == "2712"
    assert hits[0].text == "2712 Zoetermeer"
    assert 52.0 < hits[0].lat < 52.1 and 4.4 < hits[0].lon < 4.6


def test_full_postcode_and_town_narrow_to_one_pc4(gazetteer: Gazetteer) -> None:
    assert texts(gazetteer.search("2711 zoetermeer")) == ["2711 Zoetermeer"]
    assert texts(gazetteer.search("2711 AB"))[0] == "2711 Zoetermeer"
    assert gazetteer.search("2711 leiden") == []


def test_town_prefix_puts_the_municipality_first(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("zoeterm")
    assert (hits[0].label, hits[0].kind) == ("Zoetermeer", "municipality")
    # Zoetermeer's representative point lies inside Zoetermeer.
    assert 52.03 < hits[0].lat < 52.09 and 4.44 < hits[0].lon < 4.54


def test_case_and_diacritics_do_not_matter(gazetteer: Gazetteer) -> None:
    assert gazetteer.search("ZOETERMEER")[0].label == "Zoetermeer"
    assert gazetteer.search("'s-grav")[0].label == "'s-Gravenhage"
    assert gazetteer.search("gravenhage")[0].label == "'s-Gravenhage"
    assert "Aziëweg" in [p.label for p in gazetteer.search("azieweg")]
    assert normalise("  Aziëweg 's-Gravenhage ") == "azieweg s gravenhage"


def test_street_prefix_and_word_inside_a_name(gazetteer: Gazetteer) -> None:
    hits = gazetteer.search("vliet")
    assert hits[0].text == "Vliettunnel, Leidschendam-Voorburg"
    assert hits[0].kind == "street"
    # A word inside a compound name is found too, ranked after prefix matches.
    assert any(p.label == "Laan van Delfvliet" for p in hits)


def test_street_segments_merge_per_name_and_municipality(gazetteer: Gazetteer) -> None:
    oostweg = [p for p in gazetteer.search("oostweg") if p.label == "Oostweg"]
    assert [p.detail for p in oostweg] == ["Zoetermeer"]  # many OSM segments, one place
    utrechtsebaan = {p.detail for p in gazetteer.search("utrechtsebaan")}
    assert utrechtsebaan == {"Leidschendam-Voorburg", "'s-Gravenhage"}


def test_house_number_is_ignored_for_matching(gazetteer: Gazetteer) -> None:
    assert gazetteer.search("Oostweg 12 Zoetermeer")[0].text == "Oostweg, Zoetermeer"


def test_town_that_is_not_a_municipality(gazetteer: Gazetteer) -> None:
    hit = gazetteer.search("nootdorp")[0]
    assert (hit.label, hit.kind, hit.detail) == ("Nootdorp", "place", "Pijnacker-Nootdorp")
    assert gazetteer.search("den haag")[0].text == "Den Haag, 's-Gravenhage"


def test_limit_and_empty_queries(gazetteer: Gazetteer) -> None:
    assert len(gazetteer.search("27", limit=5)) == 5
    assert all(p.label.startswith("27") for p in gazetteer.search("27", limit=50))
    assert gazetteer.search("   ") == []
    assert gazetteer.search("xqzzy") == []


@pytest.mark.parametrize(
    "text",
    ["52.0601, 4.4932", "52,0601 4,4932", "52.0601 4.4932", "52,0601, 4,4932", "52.0601;4.4932", "4.4932, 52.0601"],
)
def test_coordinates_in_the_ways_people_type_them(gazetteer: Gazetteer, text: str) -> None:
    place = parse_coordinates(text)
    assert place is not None and place.kind == "coordinates"
    assert (place.lat, place.lon) == pytest.approx((52.0601, 4.4932))
    assert gazetteer.search(text) == [place]


def test_rd_coordinates_and_nonsense() -> None:
    rd = parse_coordinates("93500 447000")
    assert rd is not None
    assert (rd.lat, rd.lon) == pytest.approx((52.008, 4.4915), abs=0.001)
    assert parse_coordinates("95, 200") is None
    assert parse_coordinates("12 4") is None
    assert parse_coordinates("52 5") is not None  # whole degrees, but in the Netherlands
    assert parse_coordinates("2712") is None
    assert parse_coordinates("Oostweg 12") is None


def test_given_places_replace_the_shipped_data() -> None:
    g = Gazetteer([Place("Dorpsstraat", "street", 52.0, 4.0, "Ergens"), (Place("Ergens", "place", 52.0, 4.0), 10.0)])
    assert len(g) == 2
    assert texts(g.search("erg")) == ["Ergens", "Dorpsstraat, Ergens"]


def test_a_query_is_fast(gazetteer: Gazetteer) -> None:
    gazetteer.search("warm-up")
    queries = ["2", "z", "zoeterm", "2711 zoetermeer", "vliet", "laan van", "s grav", "den haag", "a"]
    worst = 0.0
    for q in queries:
        t = time.perf_counter()
        gazetteer.search(q)
        worst = max(worst, time.perf_counter() - t)
    assert worst < 0.020, f"slowest query took {worst * 1000:.1f} ms"
