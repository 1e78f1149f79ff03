"""Import and export of responder and AED files: every problem named, nothing half-imported."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from alert_engine.errors import InvalidInput
from alert_engine.registry.commands import register
from alert_engine.registry.demo import generate
from alert_engine.registry.io import export_file, import_file, read_aeds, read_responders
from alert_engine.registry.model import Aed, Responder
from alert_engine.registry.problems import ImportRejected
from alert_engine.registry.store import RegistryStore

HEADER = "id,pseudonym,lat,lon,availability,certificate_valid_until,active,channels"


def good_row(i: int) -> str:
    return f"R{i},BHV-{i:07d},52.06{i:02d},4.49{i:02d},24/7,2027-06-30,true,app"


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="zesminuten-engine")
    register(parser.add_subparsers(required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


@pytest.fixture(scope="module")
def demo() -> tuple[list[Responder], list[Aed]]:
    responders, aeds = generate("denhaag", 11)
    return responders[:400], aeds[:200]


def test_ten_rows_with_one_broken_row_import_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [good_row(i) for i in range(1, 11)]
    rows[5] = rows[5].replace("52.0606", "52.06O6")  # a letter O typed for a zero, row 7
    csv_file = write(tmp_path / "responders.csv", [HEADER, *rows])
    store_path = tmp_path / "registry.sqlite"

    assert run("import", str(csv_file), "--store", str(store_path)) == 2

    err = capsys.readouterr().err
    assert "responders.csv:row 7: field lat:" in err
    assert "nothing was imported" in err
    with RegistryStore(store_path) as store:
        assert store.counts()[:2] == (0, 0)


def test_a_good_file_imports_and_appends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = str(tmp_path / "registry.sqlite")
    first = write(tmp_path / "a.csv", [HEADER, *(good_row(i) for i in range(1, 6))])
    second = write(tmp_path / "b.csv", [HEADER, *(good_row(i) for i in range(6, 9))])
    assert run("import", str(first), "--store", store_path) == 0
    assert run("import", str(second), "--store", store_path) == 0
    assert "registry now 8 responders" in capsys.readouterr().out
    # Appending a responder that is already stored names the row.
    assert run("import", str(second), "--store", store_path) == 2
    err = capsys.readouterr().err
    assert "b.csv:row 2: field id: R6 is already in the registry" in err
    assert "hint: add --replace" in err
    assert run("import", str(second), "--replace", "--store", store_path) == 0
    with RegistryStore(store_path) as store:
        assert store.counts()[:2] == (3, 0)


BAD_VALUES = [
    ("lat", "abc", "field lat: not a number: 'abc'"),
    ("lat", "nan", "field lat: not a finite number"),
    ("lat", "", "field lat: missing"),
    ("lat", "48.8566", "field lat: 48.8566 is outside the Netherlands"),
    ("lon", "2.3522", "field lon: 2.3522 is outside the Netherlands"),
    ("lat", "4.49", "field lat: 4.49, 52.06 is outside the Netherlands; lat and lon look swapped"),
    (
        "availability",
        "Mo-Fr 08:00-",
        "field availability: 'Mo-Fr 08:00-' is not valid opening_hours",
    ),
    ("certificate_valid_until", "30-06-2027", "not a date as YYYY-MM-DD"),
    ("certificate_valid_until", "2027-02-30", "'2027-02-30' is not a real date"),
    ("channels", "app;pigeon", "field channels: unknown channel 'pigeon'"),
    ("active", "maybe", "field active: 'maybe' is not a yes/no value"),
]


@pytest.mark.parametrize(("field", "value", "expected"), BAD_VALUES)
def test_each_bad_value_is_named(tmp_path: Path, field: str, value: str, expected: str) -> None:
    columns = HEADER.split(",")
    cells = good_row(1).split(",")
    cells[columns.index(field)] = value
    if value == "4.49":
        cells[columns.index("lon")] = "52.06"
    path = write(tmp_path / "r.csv", [HEADER, good_row(2), ",".join(cells)])
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"r.csv:row 3: field {field}: ")
    assert expected in problem


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("status", "broken", "field status: unknown status 'broken'"),
        ("opening_hours", "sometimes", "field opening_hours: 'sometimes' is not valid"),
        ("indoor", "ja", "field indoor: 'ja' is not a yes/no value"),
    ],
)
def test_bad_aed_values(tmp_path: Path, column: str, value: str, expected: str) -> None:
    header = "id,lat,lon,opening_hours,status,cabinet_code,indoor"
    good = {"id": "A1", "lat": "52.06", "lon": "4.49", "opening_hours": "24/7",
            "status": "ready", "cabinet_code": "0042", "indoor": "no"}  # fmt: skip
    bad = {**good, "id": "A2", column: value}
    path = write(tmp_path / "aeds.csv", [header, ",".join(good.values()), ",".join(bad.values())])
    with pytest.raises(InvalidInput) as caught:
        import_file(path)
    assert f"aeds.csv:row 3: {expected}" in str(caught.value)


def test_duplicate_ids_name_both_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", [HEADER, good_row(1), good_row(2), good_row(1)])
    with pytest.raises(
        ImportRejected, match=r"r.csv:row 4: field id: duplicate id R1 \(first on row 2\)"
    ):
        import_file(path)


def test_every_problem_is_listed_and_the_message_is_capped(tmp_path: Path) -> None:
    rows = [good_row(1).replace("true", "perhaps") for _ in range(1)]
    rows += [f"X{i},,52.0,4.3,24/7,2027-13-01,true,app" for i in range(120)]
    path = write(tmp_path / "r.csv", [HEADER, *rows])
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    problems = caught.value.problems
    assert len(problems) == 121
    assert (
        problems[0] == "r.csv:row 2: field active: 'perhaps' is not a yes/no value "
        "(use true/false, 1/0 or yes/no)"
    )
    assert problems[-1].startswith("r.csv:row 122: field certificate_valid_until:")
    lines = str(caught.value).splitlines()
    assert len(lines) == 52
    assert lines[-1] == "... and 71 more"


def test_rows_are_numbered_as_in_a_spreadsheet(tmp_path: Path) -> None:
    # A blank line and a quoted cell with a line break each still count as one row.
    rows = [good_row(1), "", 'R2,"BHV\nline two",52.06,4.49,24/7,2027-06-30,true,app',
            good_row(3).replace("app", "fax")]  # fmt: skip
    path = write(tmp_path / "r.csv", [HEADER, *rows])
    with pytest.raises(
        ImportRejected, match=r"r\.csv:row 5: field channels: unknown channel 'fax'"
    ):
        import_file(path)


def test_header_problems(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.csv", ["id,lattitude,lon,certificate_valid_until", "R1,52,4.4,2027-01-01"]
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(path, kind="responders")
    text = str(caught.value)
    assert "r.csv:row 1: field lattitude: unknown column for responders" in text
    assert "r.csv:row 1: field lat: required column is missing" in text


def test_kind_must_be_clear(tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", ["id,lat,lon", "X1,52.0,4.3"])
    with pytest.raises(InvalidInput, match="give --kind"):
        import_file(path)


def test_dutch_spreadsheet_csv_with_semicolons_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\ufeffid;lat;lon;certificate_valid_until;channels\n"
                    'R1;52.06;4.49;2027-06-30;"app;sms"\n', encoding="utf-8")  # fmt: skip
    (r,) = read_responders(path)
    assert (r.id, r.channels, r.addresses[0].lat) == ("R1", ("app", "sms"), 52.06)
    assert (r.active, r.medical, r.availability) == (True, False, "24/7")


def test_work_address_needs_both_coordinates(tmp_path: Path) -> None:
    path = write(tmp_path / "r.csv", [HEADER + ",work_lat", good_row(1) + ",52.07"])
    with pytest.raises(
        ImportRejected, match="row 2: field work_lon: missing \\(work_lat is given\\)"
    ):
        import_file(path)


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_export_then_import_gives_the_same_records(
    tmp_path: Path, demo: tuple[list[Responder], list[Aed]], fmt: str
) -> None:
    responders, aeds = demo
    assert export_file(tmp_path / f"r.{fmt}", "responders", responders) == len(responders)
    assert export_file(tmp_path / f"a.{fmt}", "aeds", aeds) == len(aeds)
    assert read_responders(tmp_path / f"r.{fmt}") == responders
    assert read_aeds(tmp_path / f"a.{fmt}") == aeds


def test_geojson_problems_name_the_feature(tmp_path: Path) -> None:
    features = [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.49, 52.06]},
         "properties": {"id": "A1", "opening_hours": "24/7", "status": "ready"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.49, 152.06]},
         "properties": {"id": "A2", "opening_hours": "24/7", "status": "kapot"}},
        {"type": "Feature", "geometry": None, "properties": {"id": "A3"}},
    ]  # fmt: skip
    path = tmp_path / "aeds.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(ImportRejected) as caught:
        import_file(path)
    assert caught.value.problems == [
        "aeds.geojson:feature 2: field lat: 152.06 is outside the Netherlands (lat 50.7-53.6)",
        "aeds.geojson:feature 2: field status: unknown status 'kapot' "
        "(known: ready, maintenance, reserve, check_needed)",
        "aeds.geojson:feature 3: field geometry: expected a Point with [lon, lat]",
    ]


def test_cli_round_trip_through_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = str(tmp_path / "one.sqlite"), str(tmp_path / "two.sqlite")
    assert run("demo-data", "--region", "Wassenaar", "--seed", "3", "--store", first) == 0
    assert "synthetic" in capsys.readouterr().out
    for kind in ("responders", "aeds"):
        out = tmp_path / f"{kind}.geojson"
        assert run("export", "--kind", kind, str(out), "--store", first) == 0
        assert run("import", str(out), "--replace", "--store", second) == 0
    with RegistryStore(first) as a, RegistryStore(second) as b:
        assert list(a.responders()) == list(b.responders())
        assert list(a.aeds()) == list(b.aeds())
        assert b.counts().synthetic == "yes"
