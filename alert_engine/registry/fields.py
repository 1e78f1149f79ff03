"""Parsers for one field of an import row; each says in plain words what is wrong.

Values come as text from CSV or as JSON values from GeoJSON; both are accepted so the
two formats share one set of rules.
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache

import opening_hours

from .model import CHANNELS, AedStatus


class FieldError(ValueError):
    """The message is shown after "field F: " in the import report."""


TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool | int | float):
        return str(value)
    raise FieldError(f"expected text, got {value!r}")


def number(value: object) -> float:
    if isinstance(value, bool):
        raise FieldError(f"expected a number, got {value!r}")
    if isinstance(value, int | float):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            hint = " (use a decimal point, not a comma)" if "," in value else ""
            raise FieldError(f"not a number: {value.strip()!r}{hint}") from None
    else:
        raise FieldError(f"expected a number, got {value!r}")
    if not math.isfinite(result):
        raise FieldError(f"not a finite number: {value!r}")
    return result


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldError(f"{value!r} is not a yes/no value (use true/false, 1/0 or yes/no)")


def iso_date(value: object) -> date:
    raw = text(value)
    if not _ISO_DATE.fullmatch(raw):
        raise FieldError(f"{raw!r} is not a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise FieldError(f"{raw!r} is not a real date") from None


def hours(value: object) -> str:
    """An OSM opening_hours string such as "Mo-Fr 08:00-18:00" or "24/7"."""
    raw = text(value)
    if not _valid_hours(raw):
        raise FieldError(f"{raw!r} is not valid opening_hours syntax (e.g. 'Mo-Fr 08:00-18:00')")
    return raw


@cache
def _valid_hours(raw: str) -> bool:
    # A registry repeats a handful of patterns many thousand times: parse each once.
    return bool(opening_hours.validate(raw))


def channels(value: object) -> tuple[str, ...]:
    """'app;sms' in CSV or ["app", "sms"] in GeoJSON."""
    if isinstance(value, list):
        items = [text(v) for v in value]
    else:
        items = [part.strip() for part in text(value).split(";")]
    items = [i.lower() for i in items if i]
    unknown = [i for i in items if i not in CHANNELS]
    if unknown:
        raise FieldError(f"unknown channel {unknown[0]!r} (known: {', '.join(CHANNELS)})")
    if len(set(items)) != len(items):
        raise FieldError(f"a channel is listed twice in {';'.join(items)!r}")
    if not items:
        raise FieldError("no channel given")
    return tuple(items)


def status(value: object) -> AedStatus:
    raw = text(value).lower()
    try:
        return AedStatus(raw)
    except ValueError:
        known = ", ".join(s.value for s in AedStatus)
        raise FieldError(f"unknown status {raw!r} (known: {known})") from None
