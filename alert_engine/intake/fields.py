"""Typed reads at JSON paths: every problem is an IntakeInvalid naming the path and the fault.

A dispatch system's message is read only through `At`, so each error says where it is
(`incidentComponent.incidentTypeInternalCode: missing`) and the service can answer 400
with the field. A field may have several spellings (EIDO 2020 and 2025): the first name
is the current one and is the one an error names when none of them is there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..errors import InvalidInput
from ..safe_input import control_problem, shown

# Enough for any id a dispatch system issues (EIDO ids are URNs of ~60 characters).
MAX_ID_CHARS = 200
# A note or caution is a few sentences; a whole report pasted into one is cut off by this.
MAX_TEXT_CHARS = 10_000
# Units, notes and locations of one incident: a cardiac arrest has a handful of each.
MAX_ITEMS = 200
# Times outside this window are typing or clock errors, and keeping them out keeps every
# comparison and `sent + eta_s` finite (year 9999 with a negative offset overflows).
_YEARS = (2000, 2099)


class IntakeInvalid(InvalidInput):
    """A malformed incident message: `field` is the JSON path, `problem` what is wrong."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def error_body(exc: InvalidInput) -> dict[str, str]:
    """The service's 400 answer for a rejected message: `{"error", "field"}`."""
    return {"error": str(exc), "field": getattr(exc, "field", "$")}


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@dataclass(frozen=True)
class At:
    """A JSON value and the path it was read from ("" is the message itself)."""

    value: Any
    path: str = ""

    @property
    def where(self) -> str:
        return self.path or "$"

    def fail(self, problem: str) -> IntakeInvalid:
        return IntakeInvalid(self.where, problem)

    # -- structure -------------------------------------------------------------------

    def obj(self) -> dict[str, Any]:
        if not isinstance(self.value, dict):
            raise self.fail(f"must be an object, got {_kind(self.value)}")
        return self.value

    def key(self, *names: str) -> At | None:
        """The first spelling present, or None; two spellings that disagree are an error."""
        data = self.obj()
        found = [(n, data[n]) for n in names if n in data]
        if not found:
            return None
        name, value = found[0]
        for other, other_value in found[1:]:
            if other_value != value:
                raise IntakeInvalid(
                    _child(self.path, name), f"given twice, also as {other}, with another value"
                )
        return At(value, _child(self.path, name))

    def need(self, *names: str) -> At:
        found = self.key(*names)
        if found is None:
            also = f" (also accepted: {', '.join(names[1:])})" if len(names) > 1 else ""
            raise IntakeInvalid(_child(self.path, names[0]), f"missing{also}")
        return found

    def items(self, max_items: int = MAX_ITEMS) -> list[At]:
        if not isinstance(self.value, list):
            raise self.fail(f"must be a list, got {_kind(self.value)}")
        if len(self.value) > max_items:
            raise self.fail(f"has {len(self.value)} entries; at most {max_items}")
        return [At(v, f"{self.where}[{i}]") for i, v in enumerate(self.value)]

    def one_or_list(self) -> At:
        """An object, or a list holding exactly one (the 2020 sample wraps it in a list)."""
        if isinstance(self.value, list):
            entries = self.items()
            if len(entries) != 1:
                raise self.fail(f"must hold exactly one entry, got {len(entries)}")
            entries[0].obj()
            return entries[0]
        self.obj()
        return self

    def texts(self, max_chars: int = MAX_TEXT_CHARS) -> list[str]:
        """A string or a list of strings (the schema changed some fields from one to the other)."""
        if isinstance(self.value, str):
            return [self.text(max_chars)]
        return [entry.text(max_chars) for entry in self.items()]

    # -- values ----------------------------------------------------------------------

    def text(self, max_chars: int = MAX_TEXT_CHARS, *, free: bool = True) -> str:
        """A non-empty string without control characters (tab and newline allowed if free)."""
        if not isinstance(self.value, str):
            raise self.fail(f"must be text, got {_kind(self.value)}")
        value = self.value.strip()
        if not value:
            raise self.fail("is empty")
        if len(value) > max_chars:
            raise self.fail(f"is {len(value)} characters long; at most {max_chars}")
        problem = control_problem(value, free_text=free)
        if problem:
            raise self.fail(problem)
        return value

    def ident(self) -> str:
        return self.text(MAX_ID_CHARS, free=False)

    def number(self, low: float, high: float) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            raise self.fail(f"must be a number, got {_kind(self.value)}")
        if not low <= self.value <= high:
            raise self.fail(f"must be between {low:g} and {high:g}, got {shown(self.value)}")
        return float(self.value)

    def integer(self, low: int, high: int) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise self.fail(f"must be a whole number, got {_kind(self.value)}")
        if not low <= self.value <= high:
            raise self.fail(f"must be between {low} and {high}, got {shown(self.value)}")
        return self.value

    def time(self, received: datetime | None = None) -> datetime:
        """An ISO 8601 date-time with a UTC offset (an EIDO `date-time`)."""
        raw = self.text(64, free=False)
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            raise self.fail(f"not an ISO 8601 date-time: {shown(raw)}") from None
        if value.tzinfo is None or value.utcoffset() is None:
            raise self.fail(f"{raw} has no UTC offset (add Z or +01:00)")
        if not _YEARS[0] <= value.year <= _YEARS[1]:
            raise self.fail(f"{raw} is outside the years {_YEARS[0]}-{_YEARS[1]}")
        if received is not None and value - received > MAX_FUTURE:
            raise self.fail(
                f"{raw} is more than {MAX_FUTURE.seconds // 60} minutes after it was received"
                f" ({received.isoformat(timespec='seconds')}): check the sender's clock"
            )
        return value

    def pattern(self, regex: re.Pattern[str], what: str, max_chars: int = 100) -> str:
        value = self.text(max_chars, free=False)
        if not regex.fullmatch(value):
            raise self.fail(f"{shown(value)} is not {what}")
        return value


# A message from the future would make every later real message look older, so it would
# block all updates of its incident (merge ignores older messages). Ten minutes allows for
# clocks that are not NTP-synchronised without letting a wrong date through.
MAX_FUTURE = timedelta(minutes=10)


def only_keys(node: At, allowed: frozenset[str]) -> None:
    """Our own formats refuse unknown fields, so a typo is an error and not a silent gap."""
    for name in node.obj():
        if name not in allowed:
            expected = ", ".join(sorted(allowed))
            raise IntakeInvalid(
                _child(node.path, name), f"unknown field (expected one of {expected})"
            )


def each(node: At | None) -> Iterator[At]:
    """The entries of an optional list."""
    if node is not None:
        yield from node.items()


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
