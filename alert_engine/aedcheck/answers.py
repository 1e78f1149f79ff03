"""What an AED manager may answer, checked before anything is written.

An answer says what happened to the AED (fetched, used, returned, pads and battery
replaced) and ends in one of two outcomes: `ready` (back in alerts at once) or
`out_of_service` until a date. A used AED without new pads, or one not back in its
cabinet, cannot be ready: the message names the field, so the page can point at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from ..clock import AMSTERDAM
from ..errors import InvalidInput

FACTS = ("fetched", "used", "returned", "pads_replaced", "battery_replaced")
OUTCOMES = ("ready", "out_of_service")
VIA = ("link", "console")
# Longer than this is not "out of service until", it is a new AED: the registry's business.
LONGEST_OUT = timedelta(days=366)


def answer_data(raw: Mapping[str, Any], now: datetime, via: str = "link") -> dict[str, Any]:
    """The `aed_check_answered` fields (without `aed`) of a manager's answer, or InvalidInput."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("answer: expected a JSON object")
    if via not in VIA:
        raise InvalidInput(f"via: one of {', '.join(VIA)}")
    unknown = sorted(set(raw) - {*FACTS, "outcome", "until"})
    if unknown:
        raise InvalidInput(f"{unknown[0]}: unknown field (known: {', '.join((*FACTS, 'outcome', 'until'))})")
    facts: dict[str, bool] = {}
    for name in FACTS:
        value = raw.get(name, False)
        if not isinstance(value, bool):
            raise InvalidInput(f"{name}: expected true or false")
        facts[name] = value
    outcome = raw.get("outcome")
    if outcome not in OUTCOMES:
        raise InvalidInput("outcome: choose ready or out_of_service")
    until: date | None = None
    if outcome == "out_of_service":
        until = _until(raw.get("until"), now)
    elif raw.get("until") not in (None, ""):
        raise InvalidInput("until: only with outcome out_of_service")
    else:
        if (facts["fetched"] or facts["used"]) and not facts["returned"]:
            raise InvalidInput("returned: an AED that is not back in its cabinet cannot be ready")
        if facts["used"] and not facts["pads_replaced"]:
            raise InvalidInput("pads_replaced: a used AED needs new pads before it is ready")
    return {**facts, "outcome": outcome, "until": until.isoformat() if until else None, "via": via}


def _until(value: Any, now: datetime) -> date:
    if not isinstance(value, str) or not value:
        raise InvalidInput("until: give the date the AED is back (YYYY-MM-DD)")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"until: {value[:20]!r} is not a date (YYYY-MM-DD)") from None
    today = now.astimezone(AMSTERDAM).date()
    if day <= today:
        raise InvalidInput("until: must be a day after today")
    if day > today + LONGEST_OUT:
        raise InvalidInput("until: at most a year ahead")
    return day
