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

from ..safe_input import control_problem, shown
from .model import CHANNELS, AedStatus


class FieldError(ValueError):
    """The message is shown after "field F: " in the import report."""


TRUE_WORDS = ("true", "1", "yes")
FALSE_WORDS = ("false", "0", "no")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Same limits as scenario files (alert_engine.scenario.fields).
YEARS = (1900, 2200)
MAX_ID_CHARS = 100
MAX_TEXT_CHARS = 10_000


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value: object) -> str:
    if isinstance(value, bool | int | float):
        if isinstance(value, float) and not math.isfinite(value):
            raise FieldError(f"expected text, got {value!r}")
        return str(value)
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {shown(value)}")
    if len(value) > MAX_TEXT_CHARS:
        raise FieldError(f"longer than {MAX_TEXT_CHARS:,} characters")
    problem = control_problem(value)
    if problem:
        raise FieldError(problem)
    return value.strip()


def identifier(value: object) -> str:
    """An id: text, or a whole number (GeoJSON) taken as its digits; never 1e308 or true."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise FieldError(f"expected an id (text or a whole number), got {shown(value)}")
    raw = value.strip()
    if len(raw) > MAX_ID_CHARS:
        raise FieldError(f"an id of at most {MAX_ID_CHARS} characters, got {shown(raw)}")
    problem = control_problem(raw, free_text=False)
    if problem:
        raise FieldError(problem)
    return raw


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
            raise FieldError(f"not a number: {shown(value.strip())}{hint}") from None
    else:
        raise FieldError(f"expected a number, got {shown(value)}")
    if not math.isfinite(result):
        raise FieldError(f"not a finite number: {shown(value)}")
    return result


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else repr(value)
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise FieldError(f"{shown(value)} is not a yes/no value (use true/false, 1/0 or yes/no)")


def iso_date(value: object) -> date:
    raw = text(value)
    if not _ISO_DATE.fullmatch(raw):
        raise FieldError(f"{shown(raw)} is not a date as YYYY-MM-DD")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise FieldError(f"{raw!r} is not a real date") from None
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise FieldError(f"{raw!r} is outside the years {YEARS[0]}..{YEARS[1]}")
    return day


def hours(value: object) -> str:
    """An OSM opening_hours string such as "Mo-Fr 08:00-18:00" or "24/7"."""
    raw = text(value)
    if len(raw) > 1_000 or not _valid_hours(raw):
        raise FieldError(f"{shown(raw)} is not valid opening_hours syntax (e.g. 'Mo-Fr 08:00-18:00')")
    return raw


@cache
def _valid_hours(raw: str) -> bool:
    # A registry repeats a handful of patterns many thousand times: parse each once.
    try:
        return bool(opening_hours.validate(raw))
    except Exception:  # the parser's own errors on odd text mean "not valid", not a crash
        return False


def channels(value: object) -> tuple[str, ...]:
    """'app;sms' in CSV or ["app", "sms"] in GeoJSON."""
    if isinstance(value, list):
        items = [text(v) for v in value]
    else:
        items = [part.strip() for part in text(value).split(";")]
    items = [i.lower() for i in items if i]
    unknown = [i for i in items if i not in CHANNELS]
    if unknown:
        raise FieldError(f"unknown channel {shown(unknown[0])} (known: {', '.join(CHANNELS)})")
    if len(set(items)) != len(items):
        raise FieldError(f"a channel is listed twice in {shown(';'.join(items))}")
    if not items:
        raise FieldError("no channel given")
    return tuple(items)


def status(value: object) -> AedStatus:
    raw = text(value).lower()
    try:
        return AedStatus(raw)
    except ValueError:
        known = ", ".join(s.value for s in AedStatus)
        raise FieldError(f"unknown status {shown(raw)} (known: {known})") from None
