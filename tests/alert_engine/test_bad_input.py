"""Every bad input is one clear error (exit 2 naming file, JSON path or row and field,
and what is wrong), never a traceback; and nothing is written for it (issue 8)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from alert_engine.cli import main
from alert_engine.config import AlertConfig
from alert_engine.errors import InvalidInput
from tests.paths import REPO

ROOT = REPO
BASE = json.loads((ROOT / "scenarios/02_village_radius_grows.json").read_text(encoding="utf-8"))
RESPONDERS_CSV = (
    "id,lat,lon,certificate_valid_until\nR1,52.06,4.49,2027-06-30\nR2,52.07,4.50,2027-06-30\n"
)


def scenario(**changes: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for change in changes.values():
        change(data)
    return data


def run_scenario(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Any = None, text: str | None = None,
    *extra: str,
) -> tuple[int, str]:  # fmt: skip
    path = tmp_path / "bad.json"
    path.write_text(text if text is not None else json.dumps(data), encoding="utf-8")
    events = tmp_path / "out.jsonl"
    code = main(["run", str(path), "--events", str(events), "--quiet", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code == 2:
        assert "bad.json" in err and not events.exists()
    return code, err


def import_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, body: str | bytes,
                kind: str = "responders") -> tuple[int, str]:  # fmt: skip
    path = tmp_path / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8")
    store = tmp_path / "registry.sqlite"
    code = main(["import", str(path), "--kind", kind, "--store", str(store)])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def set_(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


# -- ranges checked up front -------------------------------------------------------------
def test_negative_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_scenario(tmp_path, capsys, scenario(s=set_(("seed",), -1)))
    assert code == 2 and "seed: -1 is outside 0.." in err


@pytest.mark.parametrize("at", [1e12, 1e15, -1, 604_801])
def test_timeline_at_beyond_a_week(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], at: float
) -> None:
    code, err = run_scenario(tmp_path, capsys, scenario(s=set_(("timeline", 1, "at"), at)))
    assert code == 2 and "timeline[1].at:" in err and "is outside 0..604800" in err


@pytest.mark.parametrize(
    "start", ["9999-12-31T23:00:00+01:00", "9999-12-31T23:59:00-12:00", "0001-01-01T00:00:00+00:00"]
)
def test_start_far_from_now(tmp_path: Path, capsys: pytest.CaptureFixture[str], start: str) -> None:
    code, err = run_scenario(tmp_path, capsys, scenario(s=set_(("start",), start)))
    assert code == 2 and "start:" in err and "outside the years 1900..2200" in err


def test_addresses_must_be_a_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_scenario(
        tmp_path, capsys, scenario(s=set_(("registry", "responders", 0, "addresses"), 5))
    )
    assert code == 2 and "registry.responders[0].addresses: expected a list, got 5" in err


def test_huge_response_timeout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_scenario(
        tmp_path, capsys, scenario(s=set_(("config", "response_timeout_s"), 1e300))
    )
    assert code == 2 and "config.response_timeout_s: 1e+300 is outside 1..86400" in err


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("direct_share", 5, "config.direct_share: 5 is outside 0..1"),
        ("radius_step_m", 0, "config.radius_step_m: 0 is outside 1..50000"),
        ("max_responders", 0, "config.max_responders: 0 is outside 1..10000"),
        ("max_responders", 2.5, "config.max_responders: expected a whole number, got 2.5"),
        ("target_aed_runners", 9, "config: target_aed_runners is larger than target_responders"),
    ],
)
def test_nonsense_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: Any, message: str
) -> None:
    code, err = run_scenario(tmp_path, capsys, scenario(s=set_(("config", key), value)))
    assert code == 2 and message in err


def test_config_validation_is_one_method_with_the_field_name() -> None:
    with pytest.raises(InvalidInput, match=r"settings\.radius_step_m: 0 is outside"):
        AlertConfig(radius_step_m=0).validate("settings")
    AlertConfig().validate()  # the defaults are in range


def test_invalid_scenario_leaves_nothing_in_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The call at 0 s used to be stored before the step at 1e12 s crashed the run.
    store = tmp_path / "events.sqlite"
    data = scenario(s=set_(("timeline", 3, "at"), 1e12))
    code, _ = run_scenario(tmp_path, capsys, data, None, "--store", str(store))
    assert code == 2 and not store.exists()


# -- JSON that Python's json module crashes on or accepts silently ------------------------
def test_scenario_nested_100000_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_scenario(tmp_path, capsys, text="[" * 100_000 + "]" * 100_000)
    assert code == 2 and "line 1, column 65: nested more than 64 levels deep" in err


def test_scenario_with_a_5000_digit_integer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_scenario(tmp_path, capsys, text='{\n "seed": ' + "9" * 5000 + "}")
    assert code == 2 and "line 2, column 10: a whole number with more than 30 digits" in err


@pytest.mark.parametrize(
    ("literal", "message"), [("NaN", "NaN is not a number"), ("1e400", "is too large")]
)
def test_scenario_nan_and_overflowing_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], literal: str, message: str
) -> None:
    text = json.dumps(BASE).replace('"id": "R1"', f'"id": {literal}', 1)
    code, err = run_scenario(tmp_path, capsys, text=text)
    assert code == 2 and message in err


def test_bounded_loader_still_reads_ordinary_json() -> None:
    from alert_engine.safe_input import JsonProblem, loads

    assert loads('{"a": [1, -2.5, "[[[{", {"b": null}], "c": 123456789012345678901234567890}') == {
        "a": [1, -2.5, "[[[{", {"b": None}],
        "c": 123456789012345678901234567890,
    }
    with pytest.raises(JsonProblem, match="line 1, column 2: invalid JSON"):
        loads("{")


@pytest.mark.parametrize(("text", "kind"), [("null", "null"), ("[1]", "a list")])
def test_top_level_not_an_object_names_the_top_level(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, kind: str
) -> None:
    code, err = run_scenario(tmp_path, capsys, text=text)
    assert code == 2 and f"bad.json: the top level: expected an object, got {kind}" in err


# -- ids and text ------------------------------------------------------------------------
@pytest.mark.parametrize("rid", [1e308, 1.5, True, ["R1"]])
def test_ids_must_be_text_or_whole_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rid: Any
) -> None:
    code, err = run_scenario(
        tmp_path, capsys, scenario(s=set_(("registry", "responders", 0, "id"), rid))
    )
    assert code == 2 and "registry.responders[0].id: expected an id (text or a whole number)" in err


def test_whole_number_ids_are_taken_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = scenario(s=set_(("registry", "responders", 0, "id"), 17))
    code, _ = run_scenario(tmp_path, capsys, data)
    assert code == 0


@pytest.mark.parametrize("value", ["R\x001", "\ud800"])
def test_control_characters_in_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, err = run_scenario(
        tmp_path, capsys, scenario(s=set_(("registry", "responders", 0, "id"), value))
    )
    assert code == 2 and "registry.responders[0].id: contains the control character" in err


def test_nul_in_free_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_scenario(tmp_path, capsys, scenario(s=set_(("name",), "a\x00b")))
    assert code == 2 and "name: contains the control character U+0000 at position 2" in err


# -- null means "not given" --------------------------------------------------------------
def test_null_optional_fields_mean_not_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = scenario(
        name=set_(("name",), None),
        config=set_(("config",), {"max_aeds": None}),
        pseudonym=set_(("registry", "responders", 0, "pseudonym"), None),
        gps=set_(("registry", "responders", 0, "gps"), None),
        addresses=set_(("registry", "responders", 0, "addresses"), None),
        channels=set_(("registry", "responders", 0, "channels"), None),
        kind=set_(("timeline", 0, "location_kind"), None),
    )
    code, err = run_scenario(tmp_path, capsys, data)
    assert code == 0, err


def test_null_required_field_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run_scenario(tmp_path, capsys, scenario(s=set_(("start",), None)))
    assert code == 2 and "start: required field is null" in err


# -- files a scenario names --------------------------------------------------------------
def with_file(name: str) -> dict[str, Any]:
    return scenario(
        s=set_(("registry", "responders"), {"file": name}),
        t=set_(("timeline",), BASE["timeline"][:3]),
    )


def test_registry_file_next_to_the_scenario_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "r.csv").write_text(RESPONDERS_CSV, encoding="utf-8")
    code, err = run_scenario(tmp_path, capsys, with_file("r.csv"))
    assert code == 0, err


@pytest.mark.parametrize("name", ["/etc/passwd", "../outside.csv"])
def test_registry_file_outside_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "outside.csv").write_text("secret-first-line\n", encoding="utf-8")
    code, err = run_scenario(inner, capsys, with_file(name))
    assert (
        code == 2 and "registry.responders.file:" in err and "outside the scenario's folder" in err
    )
    assert "secret" not in err and "root:" not in err


def test_files_anywhere_only_with_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inner = tmp_path / "inner"
    inner.mkdir()
    (tmp_path / "r.csv").write_text(RESPONDERS_CSV, encoding="utf-8")
    code, err = run_scenario(inner, capsys, with_file("../r.csv"), None, "--allow-files-anywhere")
    assert code == 0, err


def test_a_file_that_is_no_registry_is_not_quoted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.csv").write_text("secret-first-line,more\nx,y\n", encoding="utf-8")
    code, err = run_scenario(tmp_path, capsys, with_file("notes.csv"))
    assert code == 2 and "none of the columns of a responders file" in err
    assert "secret" not in err


def test_registry_file_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sub").mkdir()
    code, err = run_scenario(tmp_path, capsys, with_file("sub"))
    assert code == 2 and "is a folder, not a file" in err and "no such file" not in err
    code = main(
        [
            "import",
            str(tmp_path / "sub"),
            "--kind",
            "responders",
            "--store",
            str(tmp_path / "s.sqlite"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "sub: is a folder, not a file" in err


# -- registry CSV ------------------------------------------------------------------------
def test_csv_cell_over_the_csv_module_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = RESPONDERS_CSV + "R3," + "5" * 131_073 + ",4.5,2027-06-30\n"
    code, err = import_file(tmp_path, capsys, "r.csv", body)
    assert (
        code == 2
        and "r.csv: row 4: cannot read the file from here on (a cell is longer than 131,072 characters)"
        in err
    )


def test_tab_separated_csv_is_a_wrong_delimiter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = import_file(tmp_path, capsys, "r.csv", RESPONDERS_CSV.replace(",", "\t"))
    assert code == 2 and "r.csv: row 1: wrong delimiter: the columns are separated by tabs" in err
    assert "unknown column" not in err


def test_nul_in_a_csv_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = import_file(tmp_path, capsys, "r.csv", RESPONDERS_CSV.replace("R2", "R\x002"))
    assert code == 2 and "r.csv:row 3: field id: contains the control character U+0000" in err


def test_csv_ids_nan_are_text_but_numbers_are_not_coordinates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = import_file(tmp_path, capsys, "r.csv", RESPONDERS_CSV.replace("52.07", "nan"))
    assert code == 2 and "r.csv:row 3: field lat: not a finite number: 'nan'" in err


# -- registry GeoJSON --------------------------------------------------------------------
def feature_collection(rid: str = '"R1"', lat: str = "52.06") -> str:
    return (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "id": ' + rid + ', '
        '"geometry": {"type": "Point", "coordinates": [4.49, ' + lat + ']}, '
        '"properties": {"certificate_valid_until": "2027-06-30", "pseudonym": null}}]}'
    )  # fmt: skip


def test_geojson_good_file_with_null_property(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = import_file(tmp_path, capsys, "r.geojson", feature_collection())
    assert code == 0, err


def test_geojson_nested_100000_deep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = import_file(tmp_path, capsys, "r.geojson", "[" * 100_000 + "]" * 100_000)
    assert (
        code == 2
        and "r.geojson: not valid JSON (line 1, column 65: nested more than 64 levels deep)" in err
    )


@pytest.mark.parametrize(
    ("lat", "message"),
    [
        ("9" * 5000, "more than 30 digits"),
        ("1e400", "is too large"),
        ("NaN", "NaN is not a number"),
    ],
)
def test_geojson_huge_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lat: str, message: str
) -> None:
    code, err = import_file(tmp_path, capsys, "r.geojson", feature_collection(lat=lat))
    assert code == 2 and "r.geojson: not valid JSON (line 1, column" in err and message in err


@pytest.mark.parametrize("rid", ["1e308", "1.5", "true", '["R1"]'])
def test_geojson_ids_must_be_text_or_whole_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], rid: str
) -> None:
    code, err = import_file(tmp_path, capsys, "r.geojson", feature_collection(rid=rid))
    assert (
        code == 2
        and "r.geojson:feature 1: field id: expected an id (text or a whole number)" in err
    )


def test_geojson_nul_in_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = import_file(tmp_path, capsys, "r.geojson", feature_collection(rid='"R\\u00001"'))
    assert (
        code == 2 and "r.geojson:feature 1: field id: contains the control character U+0000" in err
    )


def test_events_path_that_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "out.jsonl").mkdir()
    scenario_file = ROOT / "scenarios/02_village_radius_grows.json"
    code = main(["run", str(scenario_file), "--events", str(tmp_path / "out.jsonl"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "out.jsonl: Is a directory" in err and "Traceback" not in err
