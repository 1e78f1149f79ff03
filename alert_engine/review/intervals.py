"""Key intervals and counts of one incident, for the review panel and the report.

Times run from the 112 call as the engine registered it (`call_received`), the start of
the six-minute zone as far as the log can know it; the alert-based interval is given too.
Milestones are read from the events (the first of each kind), counts from both: a
responder who accepted and was later cancelled at closing still counts as accepted here,
while the live panel's "coming" counter no longer shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..events import Event
from ..state import IncidentState, fold
from ..views.figures import accepted_at

SIX_MINUTES_S = 360.0

# key, Dutch label, English label, measured from ("call" or "alert")
MILESTONES: tuple[tuple[str, str, str, str], ...] = (
    ("ambulance_dispatched", "Melding → ambulance uitgegeven", "call → ambulance dispatched", "call"),
    ("alert_sent", "Melding → alarmering", "call → alert", "call"),
    ("first_accept", "Alarmering → eerste acceptatie", "alert → first accept", "alert"),
    ("first_on_scene", "Melding → eerste hulpverlener ter plaatse", "call → first responder on scene", "call"),
    ("aed_on_scene", "Melding → AED ter plaatse", "call → AED on scene", "call"),
    ("aed_connected", "Melding → AED aangesloten", "call → AED connected", "call"),
    ("ambulance_on_scene", "Melding → ambulance ter plaatse", "call → ambulance on scene", "call"),
)


def mmss(seconds: float | None) -> str:
    """"mm:ss" (h:mm:ss past an hour), whole seconds as the console shows them; "–" when it
    did not happen."""
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes:02d}:{secs:02d}"


@dataclass(frozen=True)
class Milestone:
    key: str
    label_nl: str
    label_en: str
    origin: str  # "call" or "alert": what `seconds` is measured from
    at: datetime | None
    since_call_s: float | None
    since_alert_s: float | None

    @property
    def seconds(self) -> float | None:
        return self.since_call_s if self.origin == "call" else self.since_alert_s

    @property
    def readable(self) -> str:
        return mmss(self.seconds)


@dataclass(frozen=True)
class Counts:
    alerted: int = 0
    accepted: int = 0  # responders who accepted (before the target was met)
    declined: int = 0
    timed_out: int = 0
    arrived: int = 0
    cancelled: int = 0  # told they were no longer needed (target reached, dispatcher, closed)
    oversupply: int = 0  # accepted after the target was met or after their cancellation
    aeds_alerted: int = 0
    aeds_fetched: int = 0
    aeds_connected: int = 0


@dataclass(frozen=True)
class Intervals:
    incident: str
    call_time: datetime | None
    alert_time: datetime | None
    milestones: tuple[Milestone, ...]
    counts: Counts

    def __getitem__(self, key: str) -> Milestone:
        for m in self.milestones:
            if m.key == key:
                return m
        raise KeyError(key)

    @property
    def six_minute_zone(self) -> bool | None:
        """AED connected within six minutes of the call (None: no AED was connected)."""
        s = self["aed_connected"].since_call_s
        return None if s is None else s <= SIX_MINUTES_S

    def to_dict(self) -> dict[str, Any]:
        """Machine values: seconds (None when it did not happen) and the counts."""
        return {
            "incident": self.incident,
            "call_time": self.call_time.isoformat() if self.call_time else None,
            "alert_time": self.alert_time.isoformat() if self.alert_time else None,
            "intervals_s": {m.key: m.seconds for m in self.milestones},
            "since_call_s": {m.key: m.since_call_s for m in self.milestones},
            "readable": {m.key: m.readable for m in self.milestones},
            "counts": dict(self.counts.__dict__),
            "six_minute_zone": self.six_minute_zone,
        }


def intervals(events: Sequence[Event], incident: str | None = None, state: IncidentState | None = None) -> Intervals:
    """Intervals and counts of `incident` (default: the first incident in `events`)."""
    if incident is None:
        if not events:
            raise ValueError("no events")
        incident = events[0].incident
    mine = [e for e in events if e.incident == incident]
    s = state if state is not None else fold(mine, incident)
    firsts = _first_times(mine, s)
    call, alert = s.call_time, s.alert_time
    milestones = tuple(
        Milestone(
            key,
            nl,
            en,
            origin,
            firsts.get(key),
            _seconds(call, firsts.get(key)),
            _seconds(alert, firsts.get(key)),
        )
        for key, nl, en, origin in MILESTONES
    )
    return Intervals(incident, call, alert, milestones, _counts(mine, s))


def _seconds(origin: datetime | None, at: datetime | None) -> float | None:
    if origin is None or at is None:
        return None
    return (at - origin).total_seconds()


def _first_times(events: Sequence[Event], s: IncidentState) -> dict[str, datetime]:
    out: dict[str, datetime] = {}

    def first(key: str, t: datetime) -> None:
        out.setdefault(key, t)

    fetched: set[str] = set()
    for e in events:
        if e.type == "ambulance_dispatched":
            first("ambulance_dispatched", e.time)
        elif e.type == "alert_sent":
            first("alert_sent", e.time)
        elif e.type == "responder_accepted":
            first("first_accept", e.time)
        elif e.type == "responder_arrived":
            first("first_on_scene", e.time)
            r = s.responders.get(e["responder"])
            # An AED runner arriving after their AED was taken from its cabinet brings it.
            if r is not None and r.role == "aed" and r.aed in fetched:
                first("aed_on_scene", e.time)
        elif e.type == "aed_fetched":
            fetched.add(e["aed"])
        elif e.type == "aed_connected":
            first("aed_connected", e.time)
            first("aed_on_scene", e.time)
        elif e.type == "ambulance_arrived":
            first("ambulance_on_scene", e.time)
    return out


def _counts(events: Sequence[Event], s: IncidentState) -> Counts:
    who: dict[str, set[str]] = {}
    for e in events:
        if e.type in ("responder_accepted", "responder_declined", "responder_timed_out", "responder_arrived", "oversupply"):
            who.setdefault(e.type, set()).add(e["responder"])
        elif e.type == "cancellation_sent":
            who.setdefault(e.type, set()).update(e["responders"])
        elif e.type in ("aed_fetched", "aed_connected"):
            who.setdefault(e.type, set()).add(e["aed"])
    n = {k: len(v) for k, v in who.items()}
    return Counts(
        alerted=len(s.responders),
        accepted=len(accepted_at(s)),
        declined=n.get("responder_declined", 0),
        timed_out=n.get("responder_timed_out", 0),
        arrived=n.get("responder_arrived", 0),
        cancelled=n.get("cancellation_sent", 0),
        oversupply=n.get("oversupply", 0),
        aeds_alerted=len(s.aeds),
        aeds_fetched=n.get("aed_fetched", 0),
        aeds_connected=n.get("aed_connected", 0),
    )
