"""Who gets the questionnaire, what a valid answer is, and when the coordinator must call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..errors import InvalidInput
from ..state import IncidentState

# HartslagNu's own follow-up asks within days; a questionnaire weeks later finds nobody.
OFFERED_FOR = timedelta(days=14)
# West Betuwe's Deil volunteers phone within 24–48 hours: aim at 24 h, at the latest 48 h.
CALL_TARGET = timedelta(hours=24)
CALL_DEADLINE = timedelta(hours=48)
WELLBEING = ("good", "okay", "hard")  # "hard": it weighs on me (distress)
YES_NO = ("arrived", "cpr_under_way", "aed_used")
FLAGS = ("wants_contact", "contact_others")
FIELDS = (*YES_NO, "wellbeing", *FLAGS)


def set_out(s: IncidentState, responder: str) -> bool:
    """Accepted or arrived. At the close an accepted responder not there yet is
    "cancelled", but set out all the same (only an accept gives them an answer time)."""
    r = s.responders.get(responder)
    if r is None:
        return False
    return r.state in ("accepted", "arrived") or r.arrived_at is not None or (
        r.state == "cancelled" and r.answered_at is not None)


def ended_at(s: IncidentState) -> datetime | None:
    if s.alarm_open or s.alert_time is None:
        return None
    return s.closed_at or s.alarm_cancelled_at or s.last_time


def asked(s: IncidentState, responder: str, now: datetime) -> bool:
    """A responder who set out is asked once the alarm is over (live alarms only; a test
    alarm or training sends nobody to a victim), for two weeks."""
    ended = ended_at(s)
    if s.mode != "live" or ended is None or not set_out(s, responder):
        return False
    return now - ended <= OFFERED_FOR


def answer_data(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The checked answer, or InvalidInput naming the field. Yes/no questions may be left
    open (null): "I don't know" is an honest answer after a resuscitation."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("answer: expected a JSON object")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0]}: unknown question (known: {', '.join(FIELDS)})")
    out: dict[str, Any] = {}
    for name in YES_NO:
        value = raw.get(name)
        if value is not None and not isinstance(value, bool):
            raise InvalidInput(f"{name}: expected yes (true), no (false) or not known (null)")
        out[name] = value
    wellbeing = raw.get("wellbeing")
    if wellbeing not in WELLBEING:
        raise InvalidInput(f"wellbeing: choose one of {', '.join(WELLBEING)}")
    out["wellbeing"] = wellbeing
    for name in FLAGS:
        value = raw.get(name, False)
        if not isinstance(value, bool):
            raise InvalidInput(f"{name}: expected true or false")
        out[name] = value
    return out


def follow_up_reasons(answer: Mapping[str, Any]) -> tuple[str, ...]:
    """Why the coordinator should call: asked for it, or reported it weighs on them."""
    reasons = []
    if answer.get("wants_contact"):
        reasons.append("wants_contact")
    if answer.get("wellbeing") == "hard":
        reasons.append("distress")
    return tuple(reasons)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts over answers (an incident's, or a month's); what a review or statistic shows."""

    asked: int
    answered: int
    arrived: int
    cpr_under_way: int
    aed_used: int
    wellbeing: Mapping[str, int]
    follow_up: int
    contact_between: int
    wants_contact: int = 0  # asked to be called by an aftercare contact

    @property
    def distress(self) -> int:
        """Said it weighs on them ("hard")."""
        return int(self.wellbeing.get("hard", 0))

    def to_dict(self) -> dict[str, Any]:
        return {"asked": self.asked, "answered": self.answered, "arrived": self.arrived,
                "cpr_under_way": self.cpr_under_way, "aed_used": self.aed_used,
                "wellbeing": dict(self.wellbeing), "follow_up": self.follow_up,
                "contact_between": self.contact_between, "wants_contact": self.wants_contact,
                "distress": self.distress}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Summary:
        """Back from `to_dict` (the service's `GET /v1/aftercare/summary`)."""
        wellbeing = d.get("wellbeing") or {}
        return cls(asked=int(d["asked"]), answered=int(d["answered"]), arrived=int(d["arrived"]),
                   cpr_under_way=int(d["cpr_under_way"]), aed_used=int(d["aed_used"]),
                   wellbeing={w: int(wellbeing.get(w, 0)) for w in WELLBEING}, follow_up=int(d["follow_up"]),
                   contact_between=int(d["contact_between"]), wants_contact=int(d.get("wants_contact", 0)))


def summarise(answers: Iterable[Mapping[str, Any]], asked_count: int, contact_pairs: int = 0) -> Summary:
    items = list(answers)
    return Summary(
        asked=asked_count, answered=len(items),
        arrived=sum(1 for a in items if a.get("arrived") is True),
        cpr_under_way=sum(1 for a in items if a.get("cpr_under_way") is True),
        aed_used=sum(1 for a in items if a.get("aed_used") is True),
        wellbeing={w: sum(1 for a in items if a.get("wellbeing") == w) for w in WELLBEING},
        follow_up=sum(1 for a in items if follow_up_reasons(a)),
        contact_between=contact_pairs,
        wants_contact=sum(1 for a in items if a.get("wants_contact") is True),
    )


class AftercareAnswers(Protocol):
    """Where the answers are kept (centre/aftercare_store.AftercareStore)."""

    def answers(self, incident: str | None = None, month: str | None = None) -> list[dict[str, Any]]: ...
    def pairs(self, incidents: Sequence[str]) -> int: ...


def incident_summary(s: IncidentState, kept: AftercareAnswers) -> Summary:
    """One incident's counts, for its review: asked is everyone who set out of a live
    alarm (a test alarm or training asks nobody)."""
    asked_count = sum(1 for r in s.responders if set_out(s, r)) if s.mode == "live" else 0
    return summarise(kept.answers(incident=s.id), asked_count, kept.pairs([s.id]))
