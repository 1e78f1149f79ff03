"""Events: the append-only facts every view (live, training, replay, reports) is folded from.

The JSON form is the contract in shared/contracts/scenario-and-events.md: `seq`, `time`,
`incident`, `type`, then the type's own fields. Types beyond the contract are listed in
docs/events.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any

from .errors import InvalidInput

# Required fields per event type (the contract's table, plus this project's additions).
REQUIRED: dict[str, tuple[str, ...]] = {
    "call_received": ("lat", "lon"),
    "call_updated": ("changes",),
    "exclusion_assessed": ("excluded", "criteria"),
    "exclusion_overridden": ("reason",),
    "ambulance_dispatched": ("unit",),
    "ambulance_arrived": ("unit",),
    "alert_refused": ("reason",),
    "alert_sent": ("radius_m", "responders", "aeds"),
    "responder_accepted": ("responder",),
    "responder_declined": ("responder",),
    "responder_timed_out": ("responder",),
    "cancellation_sent": ("responders", "reason"),
    "oversupply": ("responder",),
    "oversupply_feedback": ("note",),
    "responder_arrived": ("responder",),
    "aed_fetched": ("aed",),
    "aed_connected": ("aed",),
    "aed_check_requested": ("aed",),
    "aed_ready_confirmed": ("aed",),
    "caller_instruction_changed": ("state",),
    "alarm_cancelled": ("by",),
    "incident_closed": (),
    "annotation_added": ("author", "text", "at"),
    # Issue 15: complaints about a deployment (alert_engine/complaints/model.py).
    "complaint_registered": ("complaint", "complainant", "contact", "summary", "received"),
    "complaint_status_changed": ("complaint", "status"),
    "complaint_report_linked": ("complaint", "report", "sha256", "format"),
    # Issue 12: what the channel gateways did with each message (docs/events.md). `kind` is
    # alert / cancel / not_needed; `attempt` counts the tries to reach one responder with one
    # kind of message, across channels (1 = the push at T0, 2 = the SMS fallback, ...).
    "message_sent": ("responder", "channel", "kind", "attempt"),
    "message_delivered": ("responder", "channel", "kind", "attempt"),
    "message_failed": ("responder", "channel", "kind", "attempt", "reason"),
    "message_acknowledged": ("responder", "channel", "attempt"),
    "channel_outage": ("channel", "reason"),
    # Issue 13: messages from the dispatch system, its units' status and ETA, silence.
    "intake_received": ("source", "key", "fingerprint", "kind", "outcome", "sent", "changes", "message"),
    "ambulance_status_changed": ("unit", "status", "source"),
    "ambulance_eta_changed": ("unit", "eta", "source"),
    "intake_silent": ("last_heard", "silent_s"),
    "coordinator_assigned": ("responder",),
    # Issue 15: the AED manager's check-back after the alarm (docs/aftercare.md).
    "aed_check_reminded": ("aed", "round"),
    "aed_check_answered": ("aed", "outcome"),
    "aed_check_message_sent": ("aed", "round", "channel"),
    "aed_check_message_failed": ("aed", "round", "channel", "reason"),
}
HEADER = ("seq", "time", "incident", "type")


def format_time(t: datetime) -> str:
    if t.tzinfo is None:
        raise ValueError("event times must carry a UTC offset")
    return t.isoformat(timespec="milliseconds" if t.microsecond else "seconds")


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    time: datetime
    incident: str
    type: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        required = REQUIRED.get(self.type)
        if required is None:
            raise InvalidInput(f"unknown event type {self.type!r}")
        missing = [f for f in required if f not in self.data]
        if missing:
            raise InvalidInput(f"event {self.type}: missing field(s) {', '.join(missing)}")
        object.__setattr__(self, "data", MappingProxyType(dict(self.data)))

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "seq": self.seq,
            "time": format_time(self.time),
            "incident": self.incident,
            "type": self.type,
        }
        out.update(self.data)
        return out

    def to_json(self) -> str:
        """Canonical one-line JSON (stable key order: header, then fields as emitted)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Event:
        for key in HEADER:
            if key not in raw:
                raise InvalidInput(f"event is missing {key!r}")
        try:
            time = datetime.fromisoformat(str(raw["time"]))
        except ValueError as exc:
            raise InvalidInput(f"event {raw.get('seq')}: time {raw['time']!r} is not ISO 8601") from exc
        if time.tzinfo is None:
            raise InvalidInput(f"event {raw.get('seq')}: time {raw['time']!r} has no UTC offset")
        data = {k: v for k, v in raw.items() if k not in HEADER}
        seq = raw["seq"]
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise InvalidInput(f"event seq {seq!r} is not a whole number")
        return cls(seq=seq, time=time, incident=str(raw["incident"]), type=str(raw["type"]), data=data)

    @classmethod
    def from_json(cls, line: str) -> Event:
        return cls.from_dict(json.loads(line))
