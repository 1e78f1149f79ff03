"""What one message from the dispatch system writes: the events' fields, as pure functions.

The engine decides (`merge.decide`), builds its batch from these pieces and commits it
in one transaction, so a message is applied whole or not at all. Hints go into the log
and onto the state for the dispatcher to see; none of them sets a criterion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..events import Event
from ..state import UnitState
from .merge import ETA_CHANGE_MIN_S, Decision
from .message import IntakeMessage

# Unit statuses that mean "an ambulance is coming or there": the first one is the
# contract's `ambulance_dispatched` (alerting needs it, rule 1).
ACTIVE_STATUSES = frozenset({"dispatched", "en_route", "on_scene"})
# The reason word of the cancellation responders get when the dispatch system cancels.
CANCEL_REASON = "dispatch_system"
Step = tuple[str, dict[str, Any]]  # (event type, data) for one incident


@dataclass(frozen=True)
class IntakeOutcome:
    """What a message did: `outcome` as merge.decide says, the incident, the events."""

    outcome: str  # new / update / duplicate / ignored
    reason: str
    incident: str | None
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "reason": self.reason, "incident": self.incident,
                "events": [e.to_dict() for e in self.events]}  # fmt: skip


def received(message: IntakeMessage, decision: Decision) -> dict[str, Any]:
    """The `intake_received` fields: what came in, what changed, the new hints and notes."""
    if decision.outcome == "new":
        hints = [_hint(h.__dict__) for h in message.hints]
        notes = list(message.notes)
        triage = _triage(message)
    else:
        hints = [_hint(c.data) for c in decision.changes if c.kind == "hint_added"]
        notes = [str(c.data["text"]) for c in decision.changes if c.kind == "note_added"]
        triage = _triage(message) if any(c.kind == "triage_changed" for c in decision.changes) else None
    return {
        "source": message.source,
        "key": message.key,
        "fingerprint": message.fingerprint,
        "kind": message.kind,
        "outcome": decision.outcome,
        "sent": message.sent.isoformat(),
        "changes": [c.to_dict() for c in decision.changes],
        "hints": hints,
        "notes": notes,
        "triage": triage,
        # The message as read, so a restarted engine rebuilds what it compares the next one with.
        "message": message.to_dict(),
    }


def call_fields(message: IntakeMessage) -> dict[str, Any]:
    """`call_received`'s location notes for a new incident (the point is checked by the caller)."""
    loc = message.location
    out: dict[str, Any] = {"intake": message.key}
    if loc is None:
        return out
    if loc.address is not None and loc.address.label:
        out["address"] = loc.address.label
    if loc.uncertainty_m is not None:
        out["location_uncertainty_m"] = loc.uncertainty_m
    out["location_precision"] = "coordinates"
    if loc.is_callers:
        out["location_role"] = loc.role  # only the caller's position: the dispatcher confirms it
    return out


def call_changes(decision: Decision) -> dict[str, Any]:
    """`call_updated` changes (point, address, age) an update carries; {} when none."""
    changes: dict[str, Any] = {}
    for c in decision.changes:
        if c.kind in ("location_known", "location_moved"):
            changes["lat"], changes["lon"] = c.data["lat"], c.data["lon"]
            if c.data.get("uncertainty_m") is not None:
                changes["location_uncertainty_m"] = c.data["uncertainty_m"]
        elif c.kind == "address_changed" and c.data.get("to"):
            changes["address"] = c.data["to"]
        elif c.kind == "age_known":
            changes["patient_age_years"] = c.data["age_years"]
        elif c.kind == "age_changed":
            changes["patient_age_years"] = c.data["to"]
    return changes


def unit_steps(
    known: UnitState | None, unit: str, status: str, eta: datetime | None, source: str,
    dispatched: bool,
) -> list[Step]:  # fmt: skip
    """Events for one unit's report (from a message or the dispatcher) against what the fold
    knows: dispatched (contract), status, ETA (a move under 15 s is noise), arrival."""
    steps: list[Step] = []
    current = known.status if known is not None else None
    if not dispatched and status in ACTIVE_STATUSES:
        steps.append(("ambulance_dispatched", {"unit": unit, "source": source}))
        current = current or "dispatched"
    eta_text = None if eta is None else eta.isoformat()
    if status != current or known is None:  # a new unit: its status and ETA in one event
        data: dict[str, Any] = {"unit": unit, "status": status, "source": source}
        if eta_text is not None:
            data["eta"] = eta_text
        steps.append(("ambulance_status_changed", data))
    elif eta is not None and (known is None or known.eta is None
                              or abs((eta - known.eta).total_seconds()) >= ETA_CHANGE_MIN_S):
        steps.append(("ambulance_eta_changed", {"unit": unit, "eta": eta_text, "source": source}))
    if status == "on_scene" and current != "on_scene":
        steps.append(("ambulance_arrived", {"unit": unit, "source": source}))
    return steps


def hinted(hints: tuple[Mapping[str, Any], ...]) -> tuple[str, ...]:
    """The criteria the dispatch system's words suggest (a denied one too: the dispatcher reads it)."""
    return tuple(dict.fromkeys(str(h["criterion"]) for h in hints))


def _hint(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("criterion", "matched", "text", "field", "negated")}


def _triage(message: IntakeMessage) -> dict[str, Any] | None:
    t = message.triage
    if t is None:
        return None
    return {"code": t.code, "text": t.text, "suspected": t.suspected_cardiac_arrest,
            "rule": t.rule, "normalised": t.normalised}  # fmt: skip
