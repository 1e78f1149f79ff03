"""Registry CSV files: UTF-8, a header row, comma-separated (semicolons are detected too,
as Dutch spreadsheet programs write them)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .problems import Problems

Row = tuple[str, dict[str, str]]


def read_csv(path: Path, problems: Problems) -> tuple[list[str], list[Row]]:
    """Header columns and (where, values) per data row; where = "row N" as a spreadsheet
    numbers it (header = row 1, blank lines count)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        problems.file("not UTF-8 text (save it as 'CSV UTF-8')")
        return [], []
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    rows: list[Row] = []
    for number, cells in enumerate(reader, start=1):
        if number == 1:
            header = [c.strip().lower() for c in cells]
            continue
        if not any(c.strip() for c in cells):
            continue
        where = f"row {number}"
        if len(cells) > len(header):
            extra = len(cells) - len(header)
            problems.add(where, "(row)", f"{extra} more cell(s) than the header has columns")
            continue
        # Spreadsheets drop trailing empty cells; a short row means blank values.
        rows.append((where, dict(zip(header, cells, strict=False))))
    if not header:
        problems.file("empty file: expected a header row")
    return header, rows


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
