"""One AED check in the fold, and when its reminders are due (pure: a check and a time)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from ..clock import AMSTERDAM

REQUEST = "request"
# HartslagNu asks again the next day and after a weekend; a third message would be nagging.
REMINDERS: dict[str, timedelta] = {"24h": timedelta(hours=24), "72h": timedelta(hours=72)}
BACK_IN_SERVICE = "back_in_service"
ROUNDS = (REQUEST, *REMINDERS, BACK_IN_SERVICE)
# "Out of service until 20 December": that morning the manager is asked whether it is back
# (at 09:00 local time, not at midnight).
BACK_IN_SERVICE_AT = time(9, 0)


@dataclass(frozen=True, slots=True)
class AedCheck:
    """An AED awaiting its manager's check after the alarm of `incident`."""

    aed: str
    incident: str
    requested_at: datetime
    reminders: tuple[str, ...] = ()                # rounds reminded (24h, 72h, back_in_service)
    answers: tuple[Mapping[str, Any], ...] = ()    # every answer, in order
    out_of_service_until: date | None = None
    # Messages to the manager by "round/channel" (sent at), and the failed ones (reason).
    messages: Mapping[str, datetime] = field(default_factory=dict)
    failed: Mapping[str, str] = field(default_factory=dict)

    @property
    def rounds(self) -> tuple[str, ...]:
        """The message rounds decided so far: the request, then each reminder."""
        return (REQUEST, *self.reminders)

    def age(self, now: datetime) -> timedelta:
        return now - self.requested_at


def back_in_service_at(day: date) -> datetime:
    return datetime.combine(day, BACK_IN_SERVICE_AT, tzinfo=AMSTERDAM)


def next_reminder(check: AedCheck) -> tuple[str, datetime] | None:
    """The next reminder round of this check and when it is due, or None."""
    if check.out_of_service_until is not None:
        if BACK_IN_SERVICE in check.reminders:
            return None
        return BACK_IN_SERVICE, back_in_service_at(check.out_of_service_until)
    if check.answers:
        return None  # answered: no more nagging (a "ready" ends the check anyway)
    for name, after in REMINDERS.items():
        if name not in check.reminders:
            return name, check.requested_at + after
    return None


def due_reminders(check: AedCheck, now: datetime) -> list[str]:
    due = next_reminder(check)
    return [due[0]] if due is not None and due[1] <= now else []
