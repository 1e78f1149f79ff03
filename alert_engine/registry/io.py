"""Import and export of responder and AED files (CSV or GeoJSON, see `exchange` for the
columns). An import checks every row first and returns nothing unless all rows are good."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from .csv_io import read_csv, write_csv
from .exchange import (
    AEDS,
    COLUMNS,
    KINDS,
    REQUIRED,
    RESPONDERS,
    aed_fields,
    aed_from_fields,
    guess_kind,
    responder_fields,
    responder_from_fields,
)
from .fields import FieldError, identifier, is_blank
from .geojson_io import read_geojson, write_geojson
from .model import Aed, Responder
from .problems import Problems

FORMATS = ("csv", "geojson")


@dataclass
class Imported:
    kind: str
    responders: list[Responder] = field(default_factory=list)
    aeds: list[Aed] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.responders) + len(self.aeds)


def file_format(path: Path) -> str:
    return "geojson" if path.suffix.lower() in (".geojson", ".json") else "csv"


def import_file(
    path: Path | str,
    kind: str | None = None,
    existing_ids: Mapping[str, Collection[str]] | None = None,
) -> Imported:
    """Read and validate a whole file; raise ImportRejected listing every problem.

    `existing_ids` maps a kind to the ids already stored (for an append): reusing one is a
    problem of that row.
    """
    path = Path(path)
    problems = Problems(path.name)
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file")
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if file_format(path) == "geojson":
        names, rows = read_geojson(path, problems)
        where_columns = "feature 1"
    else:
        header, rows = read_csv(path, problems)
        names, where_columns = set(header), "row 1"
        for column in sorted({c for c in header if header.count(c) > 1}):
            problems.add("row 1", column, "column appears more than once")
    if problems.unreadable:
        problems.raise_if_any()
    if kind is None:
        kind = guess_kind(names)
        if kind is None:
            raise InvalidInput(
                f"{path.name}: cannot tell whether this is a responder or an AED file; "
                "give --kind responders or --kind aeds"
            )
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r} (use {' or '.join(KINDS)})")
    _check_columns(kind, names, where_columns, problems, geojson=file_format(path) == "geojson")
    if problems.unreadable:
        problems.raise_if_any()  # not a file of this kind: its rows would only add noise
    return _build(kind, rows, problems, set((existing_ids or {}).get(kind, ())))


def _check_columns(
    kind: str, names: set[str], where: str, problems: Problems, geojson: bool
) -> None:
    known = COLUMNS[kind]
    if names and not names & set(known):
        # Not a registry file at all (say, some other file named by mistake): repeating
        # its first line as "unknown columns" would only copy its content into the error.
        problems.file(f"{where}: none of the columns of a {kind} file (expected {', '.join(REQUIRED[kind])}, ...)")
        return
    for name in sorted(names - set(known) - {""}):
        problems.add(where, name, f"unknown column for {kind} (known: {', '.join(known)})")
    if geojson:
        return  # lat/lon come from the geometry; a missing property shows per feature
    for name in REQUIRED[kind]:
        if name not in names:
            problems.add(where, name, "required column is missing")


def _build(
    kind: str, rows: list[tuple[str, Any]], problems: Problems, existing: set[str]
) -> Imported:
    result = Imported(kind)
    first_seen: dict[str, str] = {}
    for where, values in rows:
        record: Responder | Aed | None
        if kind == RESPONDERS:
            record = responder_from_fields(values, where, problems)
        else:
            record = aed_from_fields(values, where, problems)
        rid = record.id if record is not None else _id_or_blank(values.get("id"))
        if rid in existing:
            problems.add(where, "id", f"{rid} is already in the registry")
        elif rid and rid in first_seen:
            problems.add(where, "id", f"duplicate id {rid} (first on {first_seen[rid]})")
        elif rid:
            first_seen[rid] = where
        if isinstance(record, Responder):
            result.responders.append(record)
        elif isinstance(record, Aed):
            result.aeds.append(record)
    problems.raise_if_any()
    return result


def _id_or_blank(value: object) -> str:
    """The id of a rejected row, for the duplicate check; "" when it is no id at all (its
    own problem is already listed)."""
    try:
        return "" if is_blank(value) else identifier(value)
    except FieldError:
        return ""


def read_responders(path: Path | str) -> list[Responder]:
    return import_file(path, kind=RESPONDERS).responders


def read_aeds(path: Path | str) -> list[Aed]:
    return import_file(path, kind=AEDS).aeds


def export_file(
    path: Path | str,
    kind: str,
    records: Iterable[Responder] | Iterable[Aed],
    fmt: str | None = None,
) -> int:
    """Write records in the exchange format; returns how many were written."""
    path = Path(path)
    fmt = fmt or file_format(path)
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r} (use {' or '.join(KINDS)})")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown format {fmt!r} (use {' or '.join(FORMATS)})")
    to_fields = responder_fields if kind == RESPONDERS else aed_fields
    values = (to_fields(r) for r in records)  # type: ignore[arg-type]
    if fmt == "geojson":
        return write_geojson(path, values)
    return write_csv(path, COLUMNS[kind], values)


__all__ = [
    "AEDS",
    "FORMATS",
    "RESPONDERS",
    "Imported",
    "export_file",
    "import_file",
    "read_aeds",
    "read_responders",
]
