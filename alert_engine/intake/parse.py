"""Message text in, IntakeMessage out (or an IntakeInvalid naming the field)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..safe_input import JsonProblem, loads
from . import eido, gms
from .fields import IntakeInvalid
from .message import IntakeMessage, Source, fingerprint

# An EIDO of a cardiac arrest with a few units and notes is 5-20 kB; this leaves room for
# long note histories and refuses what is no incident message at all.
MAX_MESSAGE_CHARS = 512_000


def parse_message(
    text: str | bytes, *, source: Source | None = None, received: datetime | None = None
) -> IntakeMessage:
    """Read one message. `source` None: tell EIDO and GMS adapter apart by their fields.

    `received` (aware) refuses a message whose time lies more than a few minutes ahead of
    it (a wrong clock would otherwise hide every later message of its incident).
    """
    data = read_json(text)
    found = source or detect(data)
    if found == "gms":
        return gms.parse(data, fingerprint=fingerprint(data), received=received)
    return eido.parse(data, fingerprint=fingerprint(data), received=received)


def read_json(text: str | bytes) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IntakeInvalid("$", f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    text = text.removeprefix("\ufeff")
    if len(text) > MAX_MESSAGE_CHARS:
        raise IntakeInvalid(
            "$", f"message is {len(text)} characters long; at most {MAX_MESSAGE_CHARS}"
        )
    try:
        return loads(text)
    except JsonProblem as exc:
        raise IntakeInvalid("$", str(exc)) from None


def detect(data: Any) -> Source:
    if isinstance(data, dict):
        if "format" in data:
            return "gms"
        if {"eidoVersion", "EIDOVersion", "incidentComponent"} & data.keys():
            return "eido"
    raise IntakeInvalid(
        "$", "neither an EIDO (no eidoVersion) nor a GMS adapter message (no format)"
    )
