"""Registry CSV files: UTF-8, a header row, comma-separated (semicolons are detected too,
as Dutch spreadsheet programs write them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..safe_input import read_text
from .problems import Problems

Row = tuple[str, dict[str, str]]


def read_csv(path: Path, problems: Problems) -> tuple[list[str], list[Row]]:
    """Header columns and (where, values) per data row; where = "row N" as a spreadsheet
    numbers it (header = row 1, blank lines count)."""
    try:
        text = read_text(path, encoding="utf-8-sig")
    except InvalidInput as exc:
        hint = " (save it as 'CSV UTF-8')" if "UTF-8" in str(exc) else ""
        problems.file(str(exc).removeprefix(f"{path}: ") + hint)
        return [], []
    first = text.split("\n", 1)[0]
    if first.count("\t") > max(first.count(","), first.count(";")):
        # Otherwise the whole header is one unknown column named "id\tlat\tlon...".
        problems.file("row 1: wrong delimiter: the columns are separated by tabs; save the file "
                      "as comma-separated CSV (semicolons also work)")  # fmt: skip
        return [], []
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[Row] = []
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            _row(number, cells, header, rows, problems)
    except csv.Error as exc:
        # The csv module stops at a cell over its size limit (or a broken quote); the
        # rest of the file cannot be split into rows reliably, so report where it stopped.
        reason = str(exc)
        if "field limit" in reason:
            reason = f"a cell is longer than {csv.field_size_limit():,} characters"
        problems.file(f"row {number + 1}: cannot read the file from here on ({reason})")
        return header, rows
    if not header:
        problems.file("empty file: expected a header row")
    return header, rows


def _row(number: int, cells: list[str], header: list[str], rows: list[Row], problems: Problems) -> None:
    """Take one CSV record: the header (number 1) or a data row."""
    if number == 1:
        header[:] = [c.strip().lower() for c in cells]
        return
    if not any(c.strip() for c in cells):
        return
    where = f"row {number}"
    if len(cells) > len(header):
        extra = len(cells) - len(header)
        problems.add(where, "(row)", f"{extra} more cell(s) than the header has columns")
        return
    # Spreadsheets drop trailing empty cells; a short row means blank values.
    rows.append((where, dict(zip(header, cells, strict=False))))


def write_csv(path: Path, columns: tuple[str, ...], records: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for values in records:
            writer.writerow([_cell(values[c]) for c in columns])
            count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back to the same float
    if isinstance(value, list | tuple):
        return ";".join(value)
    return str(value)
