"""Typed field readers that name the JSON path of whatever is wrong."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import opening_hours

from ..errors import InvalidInput
from ..geo import NL_LAT, NL_LON

_MISSING = object()


class Reader:
    """Reads fields of one JSON object; every error names `path.field`."""

    def __init__(self, obj: Any, path: str) -> None:
        if not isinstance(obj, dict):
            raise InvalidInput(f"{path}: expected an object, got {type(obj).__name__}")
        self.obj = obj
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def raw(self, key: str, default: Any = _MISSING) -> Any:
        if key in self.obj:
            return self.obj[key]
        if default is _MISSING:
            raise InvalidInput(f"{self.at(key)}: required field is missing")
        return default

    def text(self, key: str, default: Any = _MISSING) -> str:
        value = self.raw(key, default)
        if not isinstance(value, str) or (default is _MISSING and not value.strip()):
            raise InvalidInput(f"{self.at(key)}: expected text, got {value!r}")
        return value

    def number(self, key: str, default: Any = _MISSING, lo: float = -math.inf, hi: float = math.inf) -> float:
        value = self.raw(key, default)
        if value is None and default is None:
            return None  # type: ignore[return-value]
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidInput(f"{self.at(key)}: expected a number, got {value!r}")
        if not lo <= value <= hi:
            raise InvalidInput(f"{self.at(key)}: {value} is outside {lo}..{hi}")
        return float(value)

    def integer(self, key: str, default: Any = _MISSING) -> int:
        value = self.raw(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"{self.at(key)}: expected a whole number, got {value!r}")
        return value

    def flag(self, key: str, default: Any = _MISSING) -> bool:
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise InvalidInput(f"{self.at(key)}: expected true or false, got {value!r}")
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
            return date.fromisoformat(str(value))
        except ValueError:
            raise InvalidInput(f"{self.at(key)}: expected a date as YYYY-MM-DD, got {value!r}") from None

    def moment(self, key: str) -> datetime:
        value = self.text(key)
        try:
            t = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{self.at(key)}: expected ISO 8601 date-time, got {value!r}") from None
        if t.tzinfo is None:
            raise InvalidInput(f"{self.at(key)}: {value!r} needs a UTC offset such as +01:00")
        return t

    def hours(self, key: str, default: Any = _MISSING) -> str:
        value = self.text(key, default)
        if value.strip() and value.strip() != "24/7":
            try:
                opening_hours.OpeningHours(value)
            except Exception as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "cannot parse"
                raise InvalidInput(f"{self.at(key)}: {value!r} is not valid opening hours ({first})") from None
        return value

    def strings(self, key: str, allowed: tuple[str, ...], default: Any = _MISSING) -> tuple[str, ...]:
        value = self.raw(key, default)
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{self.at(key)}: expected a list of text, got {value!r}")
        bad = [v for v in value if v not in allowed]
        if bad:
            raise InvalidInput(f"{self.at(key)}: unknown value(s) {bad} (allowed: {', '.join(allowed)})")
        return tuple(value)
