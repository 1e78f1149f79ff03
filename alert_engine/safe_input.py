"""Limits every user file is held to before any of its values is used.

One place for the checks that scenario files, GeoJSON and CSV registry files share: a JSON
reader that refuses what Python's own `json` would crash on or silently accept (nesting so
deep it raises RecursionError, integers too long to convert, NaN and Infinity, numbers
that overflow to infinity), text without control characters, and a short form of a bad
value for error messages (a message must never dump a whole file or a huge cell).
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from pathlib import Path
from typing import Any

from .errors import InvalidInput

# Deeper than any real scenario or GeoJSON file (a scenario needs about 6 levels);
# well below the depth at which Python's recursive decoder gives up.
MAX_DEPTH = 64
# Enough for any id, seed or count (2**64 has 20 digits); Python refuses to convert
# integers of more than 4300 digits at all, with a ValueError that names no position.
MAX_INT_DIGITS = 30
# How much of a bad value an error message repeats.
SHOWN_CHARS = 60

_STRING = r'"(?:[^"\\]|\\.)*"'
_STRINGS = re.compile(_STRING, re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_LONG_INT = re.compile(_STRING + r"|-?\d{" + str(MAX_INT_DIGITS + 1) + ",}", re.DOTALL)
_DEPTH_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
# C0 controls, DEL and lone surrogates (JSON can spell "\ud800"; it cannot be written
# back as UTF-8); tab, newline and carriage return are allowed in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_ANY_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


class JsonProblem(ValueError):
    """The text is not JSON this project accepts; the message says where and why."""


def shown(value: Any) -> str:
    """`repr(value)`, cut short: error messages name a bad value, they do not copy it."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_INT_DIGITS:
        return "a whole number with more than 30 digits"  # repr itself would fail past 4300
    return clip(repr(value))


def clip(text: str) -> str:
    """Plain text cut short for a message (no quotes added)."""
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def control_problem(text: str, free_text: bool = True) -> str | None:
    """What is wrong with `text` as a field value, or None when it is fine."""
    pattern = _CONTROL if free_text else _ANY_CONTROL
    found = pattern.search(text)
    if found is None:
        return None
    return (
        f"contains the control character U+{ord(found.group()):04X} at position {found.start() + 1}"
    )


def _position(text: str, index: int) -> str:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line}, column {column}"


def _check_depth(text: str) -> None:
    # Fast path: drop strings (brackets inside them do not nest) and everything that is
    # not a bracket, then the running sum is the depth. Unbalanced text is left to json.
    brackets = _NOT_BRACKET.sub("", _STRINGS.sub("", text))
    if not brackets or max(accumulate(_DEPTH_STEP[c] for c in brackets)) <= MAX_DEPTH:
        return
    # Slow path only for a file that is rejected anyway: find where it got too deep.
    depth, index, in_string, escaped = 0, 0, False, False
    for index, char in enumerate(text):  # noqa: B007 - index is used after the loop
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                break
        elif char in "]}":
            depth -= 1
    raise JsonProblem(f"{_position(text, index)}: nested more than {MAX_DEPTH} levels deep")


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongInteger
    return int(digits)


def _parse_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _Overflow(literal)
    return value


def _parse_constant(name: str) -> Any:
    raise _Constant(name)


class _LongInteger(Exception):
    pass


class _Overflow(Exception):
    pass


class _Constant(Exception):
    pass


def loads(text: str) -> Any:
    """Parse JSON text within the limits above; raise JsonProblem with line and column."""
    _check_depth(text)
    try:
        return json.loads(
            text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant
        )
    except json.JSONDecodeError as exc:
        raise JsonProblem(
            f"line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"
        ) from None
    except _LongInteger:
        where = next(
            (_position(text, m.start()) for m in _LONG_INT.finditer(text) if m.group()[0] != '"'),
            "somewhere",
        )
        raise JsonProblem(
            f"{where}: a whole number with more than {MAX_INT_DIGITS} digits"
        ) from None
    except _Overflow as exc:
        literal = str(exc)
        where = _position(text, max(text.find(literal), 0))
        raise JsonProblem(f"{where}: the number {clip(literal)} is too large") from None
    except _Constant as exc:
        where = _position(text, max(text.find(str(exc)), 0))
        raise JsonProblem(f"{where}: {exc} is not a number in JSON") from None
    except RecursionError:  # should not happen after _check_depth; never a traceback
        raise JsonProblem(f"nested more than {MAX_DEPTH} levels deep") from None


def read_text(path: Path, encoding: str = "utf-8") -> str:
    """The text of a user file; missing, a folder, unreadable or not UTF-8 are InvalidInput."""
    if path.is_dir():
        raise InvalidInput(f"{path}: is a folder, not a file")
    try:
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise InvalidInput(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror or exc})") from None


def load_json_file(path: Path, encoding: str = "utf-8") -> Any:
    """Read and parse a JSON file; every problem is an InvalidInput naming the file."""
    text = read_text(path, encoding)
    try:
        return loads(text)
    except JsonProblem as exc:
        raise InvalidInput(f"{path}: {exc}") from None
