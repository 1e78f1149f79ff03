"""What a responder or an AED manager may change about themselves, checked by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ..errors import InvalidInput
from ..registry.model import CHANNELS

# A BLS/AED certificate runs two years; a date further out is a typing error.
LONGEST_CERTIFICATE = timedelta(days=3 * 365)
LONGEST_AWAY = timedelta(days=366)
WEEKDAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_CODE = re.compile(r"^[0-9A-Za-z]{3,10}$")
AED_STATUSES = ("ready", "maintenance", "reserve")  # check_needed is the fold's, never typed in


def _day(value: Any, field: str) -> date:
    if not isinstance(value, str):
        raise InvalidInput(f"{field}: give a date (YYYY-MM-DD)")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field}: {value[:20]!r} is not a date (YYYY-MM-DD)") from None


def training(raw: Mapping[str, Any], today: date) -> dict[str, Any]:
    """New certificate and refresher dates, with the responder's own declaration that they
    are competent (the Kwaliteitskader asks it of every first responder)."""
    if raw.get("competent") is not True:
        raise InvalidInput("competent: declare that you are competent to resuscitate (true) to update your training")
    until = _day(raw.get("certificate_valid_until"), "certificate_valid_until")
    if until < today:
        raise InvalidInput("certificate_valid_until: this certificate has expired; a new one is needed to be alerted")
    if until > today + LONGEST_CERTIFICATE:
        raise InvalidInput("certificate_valid_until: at most three years ahead")
    refresher = raw.get("refresher_on")
    done = _day(refresher, "refresher_on") if refresher is not None else None
    if done is not None and done > today:
        raise InvalidInput("refresher_on: the refresher training must have taken place (today or earlier)")
    return {"certificate_valid_until": until, "refresher_on": done}


def away(raw: Mapping[str, Any], today: date) -> tuple[date, date]:
    """A period without alarms (a holiday), both days included."""
    start, end = _day(raw.get("from"), "from"), _day(raw.get("until"), "until")
    if end < start:
        raise InvalidInput("until: the period ends before it starts")
    if end < today:
        raise InvalidInput("until: this period is over already")
    if end - start > LONGEST_AWAY:
        raise InvalidInput("until: at most a year at a time (switch alarms off instead)")
    return start, end


def channels(raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise InvalidInput(f"channels: a list of at least one of {', '.join(CHANNELS)}")
    wrong = [c for c in raw if c not in CHANNELS]
    if wrong:
        raise InvalidInput(f"channels: {str(wrong[0])[:20]!r} is not one of {', '.join(CHANNELS)}")
    return tuple(dict.fromkeys(raw))


def hours(raw: Any) -> str:
    """Hours per weekday ({"mo": "08:00-17:00" | "24h" | "closed", …}, all seven) as an
    opening-hours pattern the registry evaluates ("24/7" when open all week)."""
    if not isinstance(raw, Mapping) or set(raw) != set(WEEKDAYS):
        raise InvalidInput(f"hours: give each weekday ({', '.join(WEEKDAYS)})")
    parts = []
    for day in WEEKDAYS:
        value = raw[day]
        field = f"hours.{day}"
        if value == "24h":
            parts.append(f"{day.capitalize()} 00:00-24:00")
        elif value == "closed":
            parts.append(f"{day.capitalize()} off")
        elif isinstance(value, str) and (m := _SPAN.match(value)):
            if (m.group(1), m.group(2)) >= (m.group(3), m.group(4)):
                raise InvalidInput(f"{field}: closes before it opens")
            parts.append(f"{day.capitalize()} {value}")
        else:
            raise InvalidInput(f"{field}: use HH:MM-HH:MM, 24h or closed")
    if all(raw[d] == "24h" for d in WEEKDAYS):
        return "24/7"
    return "; ".join(parts)


def status(raw: Any) -> str:
    if raw not in AED_STATUSES:
        raise InvalidInput(f"status: one of {', '.join(AED_STATUSES)}")
    return str(raw)


def cabinet_code(raw: Any) -> str:
    # The refusal never repeats what was typed: a code is not to be echoed anywhere.
    if not isinstance(raw, str) or not _CODE.match(raw):
        raise InvalidInput("cabinet_code: 3 to 10 letters or digits")
    return raw


def code_hint(code: str) -> str:
    """What is shown of a cabinet code: that there is one, and its last character."""
    return f"•••{code[-1]}" if code else ""
