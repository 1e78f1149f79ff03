"""Which events of a store have expired on a given day: removed whole, or redacted.

Per incident (never part of one): a live incident's responder data (ids, pseudonyms,
positions, addresses: what a redacted export leaves out, eventlog/jsonl.py) and its
complaints' references and summaries are redacted after `live_responder_data_days`, the
whole incident is removed after `live_incident_days`; test alarms and training incidents are
removed whole. An incident with a complaint is held whole until `complaint_days` after its
answer, and never touched while unanswered; a running alarm is never touched.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from ..eventlog.jsonl import redact_events
from ..events import Event
from ..state import IncidentState, fold_all
from .policy import RetentionPolicy, expired, local_date


@dataclass
class StorePlan:
    remove: list[int] = field(default_factory=list)
    redact: dict[int, str] = field(default_factory=dict)  # seq -> its new body
    removed_incidents: dict[str, int] = field(default_factory=dict)  # incident -> events
    redacted_incidents: dict[str, int] = field(default_factory=dict)
    held: dict[str, str] = field(default_factory=dict)  # incident -> why it is kept whole

    def summary(self) -> dict[str, object]:
        return {"events_removed": len(self.remove), "events_redacted": len(self.redact),
                "incidents_removed": self.removed_incidents, "incidents_redacted": self.redacted_incidents,
                "held": self.held}


def _forget_complaint(e: Event) -> Event:
    """A complaint's reference and summary go with the responder data: its period is over."""
    if e.type != "complaint_registered":
        return e
    return Event(e.seq, e.time, e.incident, e.type, {**e.data, "contact": "", "summary": ""})


def _hold(s: IncidentState, policy: RetentionPolicy, today: date) -> str | None:
    if s.alarm_open:
        return "alarm running"
    for c in s.complaints.values():
        if c.answered_at is None:
            return f"complaint {c.id} not answered"
        if not expired(c.answered_at, policy.complaint_days, today):
            until = local_date(c.answered_at) + timedelta(days=policy.complaint_days)
            return f"complaint {c.id} answered; kept until {until.isoformat()}"
    return None


def plan_store(events: Sequence[Event], policy: RetentionPolicy, today: date,
               already_redacted: Collection[int] = ()) -> StorePlan:
    plan = StorePlan()
    by_incident: dict[str, list[Event]] = {}
    for e in events:
        by_incident.setdefault(e.incident, []).append(e)
    for incident, state in fold_all(events).items():
        mine = by_incident[incident]
        end = state.closed_at or state.last_time or mine[-1].time
        days = {"test": policy.test_incident_days, "training": policy.training_days}.get(
            state.mode, policy.live_incident_days)
        whole = expired(end, days, today)
        partly = state.mode == "live" and expired(end, policy.live_responder_data_days, today)
        if not (whole or partly):
            continue
        why = _hold(state, policy, today)
        if why is not None:
            plan.held[incident] = why
            continue
        if whole:
            plan.remove.extend(e.seq for e in mine)
            plan.removed_incidents[incident] = len(mine)
            continue
        changed = 0
        for before, after in zip(mine, [_forget_complaint(e) for e in redact_events(mine)], strict=True):
            body = after.to_json()
            if before.seq not in already_redacted and body != before.to_json():
                plan.redact[before.seq] = body
                changed += 1
        if changed:
            plan.redacted_incidents[incident] = changed
    return plan
