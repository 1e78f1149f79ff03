"""BAG address book and the location resolver (issue 9): import all or nothing, Dutch
spelling variants, precision stated, never a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alert_engine.addresses.book import HEADER, AddressBook
from alert_engine.addresses.keys import place_key, street_key
from alert_engine.addresses.resolver import Resolver
from alert_engine.cli import main
from alert_engine.errors import InvalidInput
from alert_engine.gazetteer import Gazetteer

ROWS = [
    "Grote Markt;1;;;9712HN;Groningen;Groningen;Groningen;53.21856880;6.56719550",
    "Grote Markt;2;;;9712HN;Groningen;Groningen;Groningen;53.21848000;6.56740000",
    "Grote Markt;2;A;;9712HN;Groningen;Groningen;Groningen;53.21849000;6.56745000",
    "Dorpsstraat;12;;;9351AB;Leek;Westerkwartier;Groningen;53.16000000;6.38000000",
    "Dorpstraat;3;;;9351AC;Leek;Westerkwartier;Groningen;53.16100000;6.38100000",
    "Spui;1;;;2511BL;'s-Gravenhage;'s-Gravenhage;Zuid-Holland;52.07700000;4.31500000",
    "Eikenlaan;7;;2;9351AD;Leek;Westerkwartier;Groningen;53.16200000;6.38200000",
]


def write(path: Path, rows: list[str], header: str = ";".join(HEADER)) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def resolver(tmp_path_factory: pytest.TempPathFactory) -> Resolver:
    folder = tmp_path_factory.mktemp("book")
    book = AddressBook(folder / "book.sqlite")
    book.load(write(folder / "a.csv", ROWS))
    return Resolver(Gazetteer(), book)


def test_keys_know_dutch_variants() -> None:
    assert place_key("Den Haag") == place_key("'s-Gravenhage") == place_key("s gravenhage")
    assert street_key("Kerkstr.") == street_key("Kerkstraat") == street_key("kerk straat")
    assert street_key("Dijkweg") == street_key("Dykweg")
    assert street_key("Burg. de Withstraat") == street_key("Burgemeester de Withstraat")


@pytest.mark.parametrize("typed", ["9712 HN 1", "9712HN1", "Grote Markt 1 Groningen", "grote markt 1, GRONINGEN",
                                   "Grote Mrkt 1 Groningen"])
def test_an_address_resolves_to_its_bag_point(resolver: Resolver, typed: str) -> None:
    r = resolver.resolve(typed)
    assert (r.precision, r.label) == ("address", "Grote Markt 1, 9712 HN Groningen")
    assert (r.lat, r.lon) == pytest.approx((53.2185688, 6.5671955))
    assert r.uncertainty_m <= 10


def test_house_letters_and_additions(resolver: Resolver) -> None:
    assert resolver.resolve("9712HN 2a").label == "Grote Markt 2a, 9712 HN Groningen"
    assert resolver.resolve("9712HN 2").label == "Grote Markt 2, 9712 HN Groningen"
    assert resolver.resolve("Eikenlaan 7-2 Leek").label == "Eikenlaan 7-2, 9351 AD Leek"
    only_with_addition = resolver.resolve("Eikenlaan 7 Leek")
    assert only_with_addition.precision == "none" and only_with_addition.note == "house_letter_needed"
    assert [a.label for a in only_with_addition.alternatives] == ["Eikenlaan 7-2, 9351 AD Leek"]


def test_den_haag_is_s_gravenhage(resolver: Resolver) -> None:
    assert resolver.resolve("Spui 1 Den Haag").label == "Spui 1, 2511 BL 's-Gravenhage"


def test_two_similar_street_names_stay_a_question(resolver: Resolver) -> None:
    """'Dorpsstraat' and 'Dorpstraat' both exist in Leek: a typo between them is no answer."""
    r = resolver.resolve("Dorpstrat 12 Leek")
    assert r.precision == "none" and r.lat is None


@pytest.mark.parametrize("typed,note", [
    ("Grote Markt 999 Groningen", "house_number_not_found"),
    ("Nergensstraat 1 Groningen", "street_not_found"),
    ("Dorpsstraat 12 Zoetermeer", "no_address_data"),  # another region: never a guess
    ("2711 EC 10", "postcode_not_in_address_data"),
])
def test_what_cannot_be_checked_is_not_found_with_known_alternatives(resolver: Resolver, typed: str,
                                                                     note: str) -> None:
    r = resolver.resolve(typed)
    assert (r.precision, r.lat, r.lon, r.note) == ("none", None, None, note)
    assert all(a.precision != "address" or "999" not in a.label for a in r.alternatives)


def test_coarser_inputs_say_how_coarse(resolver: Resolver) -> None:
    pc = resolver.resolve("2711")
    assert pc.precision == "postcode" and 200 < pc.uncertainty_m < 2000
    street = resolver.resolve("Grote Markt Groningen")
    assert street.precision == "street" and street.uncertainty_m >= 25
    place = resolver.resolve("Leek")
    assert place.precision == "place" and place.uncertainty_m >= 250


def test_motorway_notation_has_no_invented_point(resolver: Resolver) -> None:
    r = resolver.resolve("A12 hmp 10,2")
    assert (r.precision, r.lat, r.lon, r.params["road"]) == ("motorway", None, None, "A12")


def test_import_is_all_or_nothing_and_names_line_and_field(tmp_path: Path) -> None:
    book = AddressBook(tmp_path / "b.sqlite")
    book.load(write(tmp_path / "good.csv", ROWS[:2]))
    bad = [*ROWS, "Grote Markt;x;;;9712HN;Groningen;Groningen;Groningen;53.2;6.5",
           "Grote Markt;3;;;97HN;Groningen;Groningen;Groningen;53.2;6.5",
           "Grote Markt;4;;;9712HN;Groningen;Groningen;Groningen;48.0;6.5"]
    with pytest.raises(InvalidInput) as caught:
        book.load(write(tmp_path / "bad.csv", bad))
    text = str(caught.value)
    assert "bad.csv" in text and "nothing imported" in text
    assert "line 9: huisnummer 'x'" in text and "line 10: postcode '97HN'" in text and "line 11: lat/lon" in text
    assert len(book) == 2  # unchanged


def test_a_tab_separated_file_is_a_wrong_delimiter(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="wrong delimiter"):
        AddressBook(tmp_path / "b.sqlite").load(write(tmp_path / "t.csv", [], header="\t".join(HEADER)))


def test_geocode_command_prints_one_json_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = tmp_path / "b.sqlite"
    assert main(["import-addresses", str(write(tmp_path / "a.csv", ROWS)), "--book", str(book)]) == 0
    capsys.readouterr()
    assert main(["geocode", "--book", str(book), "9712", "HN", "1"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["precision"] == "address" and found["label"].startswith("Grote Markt 1")
    assert main(["geocode", "--book", str(book), "Nergensstraat 1 Groningen"]) == 0  # exit 0 also when not found
    missing = json.loads(capsys.readouterr().out)
    assert missing["precision"] == "none" and missing["lat"] is None
    assert set(missing) >= {"label", "lat", "lon", "precision", "alternatives"}
