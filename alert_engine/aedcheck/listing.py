"""The list of AEDs awaiting their manager's check, with their age: one definition for the
service's `GET /v1/aed-checks`, the seam's query and the console's dialog."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from ..registry.table import Registry
from .model import AedCheck


@dataclass(frozen=True, slots=True)
class AwaitingAed:
    aed: str
    description: str
    incident: str
    requested_at: datetime
    age_hours: float
    reminders: tuple[str, ...]
    messages_sent: int
    messages_failed: int
    answered: bool
    out_of_service_until: date | None

    @property
    def status(self) -> str:
        """`out_of_service` (the manager said until when) or `awaiting` (no answer yet)."""
        return "out_of_service" if self.out_of_service_until is not None else "awaiting"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["requested_at"] = self.requested_at.isoformat()
        d["out_of_service_until"] = self.out_of_service_until.isoformat() if self.out_of_service_until else None
        d["reminders"] = list(self.reminders)
        d["status"] = self.status
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> AwaitingAed:
        until = d.get("out_of_service_until")
        return cls(str(d["aed"]), str(d.get("description", "")), str(d["incident"]),
                   datetime.fromisoformat(str(d["requested_at"])), float(d["age_hours"]),
                   tuple(d.get("reminders", ())), int(d.get("messages_sent", 0)), int(d.get("messages_failed", 0)),
                   bool(d.get("answered", False)), date.fromisoformat(until) if until else None)


def awaiting(checks: Iterable[AedCheck], registry: Registry, now: datetime) -> list[AwaitingAed]:
    out = []
    for c in checks:
        idx = registry.a_index.get(c.aed)
        description = str(registry.a_description[idx]) if idx is not None else ""
        out.append(AwaitingAed(c.aed, description, c.incident, c.requested_at,
                               round(c.age(now).total_seconds() / 3600, 1), c.reminders,
                               len(c.messages), len(c.failed), bool(c.answers), c.out_of_service_until))
    return out
