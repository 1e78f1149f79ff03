"""Typed field readers that name the JSON path of whatever is wrong."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import opening_hours

from ..errors import InvalidInput
from ..geo import NL_LAT, NL_LON
from ..safe_input import clip, control_problem, shown

_MISSING = object()

# Dates and moments outside these years are typing errors, and near year 1 or 9999 adding
# a scenario's seconds or a timeout to them overflows `datetime` in the middle of a run.
YEARS = (1900, 2200)
# Ids and short words; longer text is free text (descriptions, notes).
MAX_ID_CHARS = 100
MAX_TEXT_CHARS = 10_000


class Reader:
    """Reads fields of one JSON object; every error names `path.field`.

    A field given as JSON `null` counts as not given: optional fields take their default,
    required ones are reported as missing.
    """

    def __init__(self, obj: Any, path: str) -> None:
        if not isinstance(obj, dict):
            where = path or "the top level"
            raise InvalidInput(f"{where}: expected an object, got {_kind(obj)}")
        self.obj = obj
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def given(self, key: str) -> bool:
        return self.obj.get(key) is not None

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if self.given(key):
            return self.obj[key]
        if default is _MISSING:
            what = "is null" if key in self.obj else "is missing"
            raise InvalidInput(f"{self.at(key)}: required field {what}")
        return default

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or (default is _MISSING and not value.strip()):
            raise InvalidInput(f"{self.at(key)}: expected text, got {shown(value)}")
        if len(value) > MAX_TEXT_CHARS:
            raise InvalidInput(f"{self.at(key)}: longer than {MAX_TEXT_CHARS} characters")
        problem = control_problem(value)
        if problem:
            raise InvalidInput(f"{self.at(key)}: {problem}")
        return value

    def identifier(self, key: str, default: Any = _MISSING) -> str:
        """An id: text, or a whole number taken as its digits; never NaN, 1e308 or true."""
        value = self.raw(key, default)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (default is _MISSING and not value.strip()):
            raise InvalidInput(f"{self.at(key)}: expected an id (text or a whole number), got {shown(value)}")
        if len(value) > MAX_ID_CHARS:
            raise InvalidInput(f"{self.at(key)}: an id of at most {MAX_ID_CHARS} characters, got {shown(value)}")
        problem = control_problem(value, free_text=False)
        if problem:
            raise InvalidInput(f"{self.at(key)}: {problem}")
        return value

    def number(self, key: str, default: Any = _MISSING, lo: float = -math.inf, hi: float = math.inf) -> float:
        value = self.raw(key, default)
        if value is None and default is None:
            return None  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidInput(f"{self.at(key)}: expected a number, got {shown(value)}")
        if not lo <= value <= hi:
            raise InvalidInput(f"{self.at(key)}: {shown(value)} is outside {lo:g}..{hi:g}")
        return float(value)

    def integer(self, key: str, default: Any = _MISSING, lo: int | None = None, hi: int | None = None) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{self.at(key)}: expected a whole number, got {shown(value)}")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise InvalidInput(f"{self.at(key)}: {shown(value)} is outside {lo}..{hi}")
        return value

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise InvalidInput(f"{self.at(key)}: expected true or false, got {shown(value)}")
        return value

    def items(self, key: str) -> list[Any]:
        """An optional list field (absent or null: empty)."""
        value = self.raw(key, [])
        if not isinstance(value, list):
            raise InvalidInput(f"{self.at(key)}: expected a list, got {shown(value)}")
        return value

    def lat_lon(self) -> tuple[float, float]:
        lat = self.number("lat")
        lon = self.number("lon")
        if not (NL_LAT[0] <= lat <= NL_LAT[1]):
            raise InvalidInput(f"{self.at('lat')}: {lat} is not a latitude in the Netherlands")
        if not (NL_LON[0] <= lon <= NL_LON[1]):
            raise InvalidInput(f"{self.at('lon')}: {lon} is not a longitude in the Netherlands")
        return lat, lon

    def day(self, key: str, default: Any = _MISSING) -> date:
        value = self.raw(key, default)
        if value is None and default is None:
            return None  # type: ignore[return-value]
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            raise InvalidInput(f"{self.at(key)}: expected a date as YYYY-MM-DD, got {shown(value)}")
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise InvalidInput(f"{self.at(key)}: {shown(value)} is outside the years {YEARS[0]}..{YEARS[1]}")
        return day

    def moment(self, key: str) -> datetime:
        value = self.text(key)
        try:
            t = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{self.at(key)}: expected ISO 8601 date-time, got {shown(value)}") from None
        if t.tzinfo is None:
            raise InvalidInput(f"{self.at(key)}: {shown(value)} needs a UTC offset such as +01:00")
        if not YEARS[0] <= t.year <= YEARS[1]:
            raise InvalidInput(f"{self.at(key)}: {shown(value)} is outside the years {YEARS[0]}..{YEARS[1]}")
        return t

    def hours(self, key: str, default: Any = _MISSING) -> str:
        value = self.text(key, default)
        if value.strip() and value.strip() != "24/7":
            try:
                opening_hours.OpeningHours(value)
            except Exception as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot parse"
                raise InvalidInput(
                    f"{self.at(key)}: {shown(value)} is not valid opening hours ({clip(first)})"
                ) from None
        return value

    def strings(self, key: str, allowed: tuple[str, ...], default: Any = _MISSING) -> tuple[str, ...]:
        value = self.raw(key, default)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{self.at(key)}: expected a list of text, got {shown(value)}")
        bad = [v for v in value if v not in allowed]
        if bad:
            raise InvalidInput(f"{self.at(key)}: unknown value(s) {shown(bad)} (allowed: {', '.join(allowed)})")
        return tuple(value)


def _kind(value: Any) -> str:
    """How a JSON value is called in a message ("a list", not "list")."""
    names = {type(None): "null", bool: "true/false", int: "a number", float: "a number",
             str: "text", list: "a list", dict: "an object"}  # fmt: skip
    return names.get(type(value), type(value).__name__)
