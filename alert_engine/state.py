"""Incident state as a pure fold over events: live view, replay and reports share it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import reduce
from types import MappingProxyType
from typing import Any

from .aedcheck.model import AedCheck
from .complaints import model as complaint_rules
from .complaints.model import Complaint
from .errors import InvalidInput
from .events import Event
from .lifecycle import (
    COMING,
    HOLDING,
    INSTRUCTION_OVER,
    PENDING,
    aed_move,
    caller_instruction_move,
    responder_move,
)


@dataclass(frozen=True, slots=True)
class ResponderState:
    id: str
    role: str  # "cpr" (straight to the victim) or "aed" (fetch an AED first)
    aed: str | None
    distance_m: float
    lat: float | None
    lon: float | None
    state: str = "alerted"
    alerted_at: datetime | None = None
    answered_at: datetime | None = None
    arrived_at: datetime | None = None
    cancelled_at: datetime | None = None
    pseudonym: str = ""
    # Issue 12: the channels the alert went out on (in order), the first delivery report of
    # it, and the first acknowledgement by the responder's app (the real receipt).
    channels: tuple[str, ...] = ()
    cancel_reason: str = ""
    delivered_at: datetime | None = None
    acknowledged_at: datetime | None = None

    @property
    def reached(self) -> bool:
        """The alert is known to have reached the responder: their app said so, or they answered."""
        return self.acknowledged_at is not None or self.answered_at is not None

    @property
    def holds_alarm(self) -> bool:
        return self.state in HOLDING


@dataclass(frozen=True, slots=True)
class AedState:
    id: str
    distance_m: float
    lat: float | None
    lon: float | None
    runners: tuple[str, ...] = ()
    state: str = "assigned"
    fetched_at: datetime | None = None
    connected_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageState:
    """One message to one responder on one channel: what the gateways reported about it."""

    responder: str
    channel: str
    kind: str  # alert / cancel / not_needed
    attempt: int
    sent_at: datetime
    why: str = ""
    delivered_at: datetime | None = None
    failed_at: datetime | None = None
    failure: str = ""

    @property
    def key(self) -> str:
        return message_key(self.responder, self.channel, self.kind)


@dataclass(frozen=True, slots=True)
class Outage:
    """A channel this alarm stopped relying on (its provider failed or stayed silent)."""

    channel: str
    since: datetime
    reason: str  # "errors" or "unacknowledged"


@dataclass(frozen=True, slots=True)
class UnitState:
    """An ambulance on the incident: its status and ETA, from the dispatch system or the dispatcher."""

    id: str
    status: str  # dispatched, en_route, on_scene, transporting, cleared, cancelled, unknown
    since: datetime
    eta: datetime | None = None
    eta_reported_at: datetime | None = None
    source: str = "dispatcher"  # "eido", "gms" or "dispatcher"


@dataclass(frozen=True, slots=True)
class IntakeLink:
    """What the dispatch system said about this incident: its key, the last message, hints."""

    source: str
    key: str
    fingerprint: str
    sent: datetime
    heard_at: datetime  # when its last message (not a duplicate) was taken in
    triage: Mapping[str, Any] | None = None
    hints: tuple[Mapping[str, Any], ...] = ()  # shown to the dispatcher, never applied
    notes: tuple[str, ...] = ()
    messages: int = 1
    silent_since: datetime | None = None  # flagged as silent (orphaned); cleared by a message


def message_key(responder: str, channel: str, kind: str) -> str:
    """One message per responder × channel × kind in an incident (the idempotency key's core)."""
    return f"{responder}/{channel}/{kind}"


def _frozen(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True, slots=True)
class IncidentState:
    id: str
    mode: str = "live"
    call_time: datetime | None = None
    lat: float = 0.0
    lon: float = 0.0
    facts: Mapping[str, Any] = field(default_factory=dict)
    excluded: bool = False
    criteria: tuple[str, ...] = ()
    findings: tuple[Mapping[str, Any], ...] = ()
    exclusion_assessed_at: datetime | None = None
    override_reason: str | None = None
    overridden_at: datetime | None = None
    ambulance_units: tuple[str, ...] = ()
    ambulance_dispatched_at: datetime | None = None
    ambulance_arrived_at: datetime | None = None
    refusals: tuple[tuple[datetime, str], ...] = ()
    alert_time: datetime | None = None
    radius_m: float | None = None
    responders: Mapping[str, ResponderState] = field(default_factory=dict)
    aeds: Mapping[str, AedState] = field(default_factory=dict)
    target_met_at: datetime | None = None
    oversupply: tuple[str, ...] = ()
    oversupply_feedback: tuple[str, ...] = ()
    caller_instruction: str = "not_started"
    caller_instruction_since: Mapping[str, datetime] = field(default_factory=dict)
    alarm_cancelled_at: datetime | None = None
    closed_at: datetime | None = None
    aed_checks: tuple[str, ...] = ()
    # Issue 15: each AED awaiting its check, with reminders, answers and manager messages.
    aed_check_detail: Mapping[str, AedCheck] = field(default_factory=dict)
    annotations: tuple[Mapping[str, Any], ...] = ()
    # Issue 15: complaints about this incident by id (alert_engine/complaints/model.py).
    complaints: Mapping[str, Complaint] = field(default_factory=dict)
    # Issue 12: messages by message_key, acknowledgements by "responder/channel", outages by channel.
    messages: Mapping[str, MessageState] = field(default_factory=dict)
    acknowledgements: Mapping[str, datetime] = field(default_factory=dict)
    outages: Mapping[str, Outage] = field(default_factory=dict)
    # Issue 13: ambulance units by id (status, ETA) and the dispatch system's link.
    units: Mapping[str, UnitState] = field(default_factory=dict)
    intake: IntakeLink | None = None
    coordinator: str | None = None  # FirstAED's third role (option coordinator_role)
    last_seq: int = 0
    last_time: datetime | None = None

    # -- derived views (no state of their own) -------------------------------------------
    @property
    def exclusion_stands(self) -> bool:
        return self.excluded and self.override_reason is None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def alarm_open(self) -> bool:
        return (
            self.alert_time is not None
            and self.alarm_cancelled_at is None
            and self.closed_at is None
        )

    def count(self, *states: str) -> int:
        return sum(1 for r in self.responders.values() if r.state in states)

    @property
    def accepted(self) -> int:
        """Responders coming or there (accepted or arrived), excluding oversupply."""
        return self.count("accepted", "arrived")

    @property
    def accepted_runners(self) -> int:
        return sum(
            1 for r in self.responders.values() if r.role == "aed" and r.state in COMING
        )

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.responders.values() if r.state in PENDING)

    @property
    def phase(self) -> str:
        if self.closed_at is not None:
            return "closed"
        if self.alarm_cancelled_at is not None:
            return "cancelled"
        if self.ambulance_arrived_at is not None or self.caller_instruction in INSTRUCTION_OVER:
            return "handed_over"
        if self.target_met_at is not None:
            return "target_met"
        if self.alert_time is not None:
            return "alerted"
        if self.exclusion_stands:
            return "excluded"
        if self.ambulance_dispatched_at is not None:
            return "waiting_ambulance"
        return "new"

    @classmethod
    def empty(cls, incident: str) -> IncidentState:
        return cls(id=incident)


def apply(state: IncidentState, event: Event) -> IncidentState:
    """The one state transition function (pure: returns a new state)."""
    handler = _HANDLERS.get(event.type)
    if handler is None:
        # Every known type has a rule (tests/alert_engine/test_vocabulary.py): an unknown one is a bug or a
        # log from a newer version, and guessing would show a state that is not true.
        raise InvalidInput(f"event {event.seq}: no rule to fold event type {event.type!r}")
    new = handler(state, event)
    if new is state:
        return replace(state, last_seq=event.seq, last_time=event.time)
    # `new` is a fresh copy nobody has seen yet: stamping it saves a second full copy.
    object.__setattr__(new, "last_seq", event.seq)
    object.__setattr__(new, "last_time", event.time)
    return new


def fold(events: Iterable[Event], incident: str) -> IncidentState:
    return reduce(apply, (e for e in events if e.incident == incident), IncidentState.empty(incident))


def state_at(events: Iterable[Event], incident: str, t: datetime) -> IncidentState:
    return fold((e for e in events if e.time <= t), incident)


def fold_all(events: Iterable[Event]) -> dict[str, IncidentState]:
    states: dict[str, IncidentState] = {}
    for e in events:
        states[e.incident] = apply(states.get(e.incident) or IncidentState.empty(e.incident), e)
    return states


# -- handlers --------------------------------------------------------------------------------
def _call_received(s: IncidentState, e: Event) -> IncidentState:
    facts = {k: v for k, v in e.data.items() if k not in ("lat", "lon", "mode")}
    return replace(
        s,
        mode=str(e.get("mode", "live")),
        # The 112 clock runs from when the call came in (intake, or the dispatcher's "new call"),
        # not from when the incident was saved; older logs have only the event time.
        call_time=_call_started(e),
        lat=float(e["lat"]),
        lon=float(e["lon"]),
        facts=_frozen(facts),
        caller_instruction_since=_frozen({"not_started": e.time}),
    )


def _call_started(e: Event) -> datetime:
    raw = e.get("call_started_at")
    if not raw:
        return e.time
    started = datetime.fromisoformat(str(raw))
    return started if started.tzinfo is not None and started <= e.time else e.time


def _call_updated(s: IncidentState, e: Event) -> IncidentState:
    changes = dict(e["changes"])
    lat = float(changes.pop("lat", s.lat))
    lon = float(changes.pop("lon", s.lon))
    return replace(s, lat=lat, lon=lon, facts=_frozen({**s.facts, **changes}))


def _exclusion_assessed(s: IncidentState, e: Event) -> IncidentState:
    excluded = bool(e["excluded"])
    return replace(
        s,
        excluded=excluded,
        criteria=tuple(e["criteria"]),
        findings=tuple(_frozen(f) for f in e.get("findings", ())),
        exclusion_assessed_at=e.time,
        # A new assessment supersedes an earlier override only when it excludes again
        # for a criterion that was not overridden; keep it simple and explicit: a fresh
        # exclusion needs a fresh override.
        override_reason=None if excluded else s.override_reason,
        overridden_at=None if excluded else s.overridden_at,
    )


def _exclusion_overridden(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, override_reason=str(e["reason"]), overridden_at=e.time)


def _ambulance_dispatched(s: IncidentState, e: Event) -> IncidentState:
    unit = str(e["unit"])
    units = s.units
    if unit not in units:
        units = _frozen({**units, unit: UnitState(unit, "dispatched", e.time, source=str(e.get("source", "dispatcher")))})
    return replace(
        s,
        ambulance_units=(*s.ambulance_units, unit),
        ambulance_dispatched_at=s.ambulance_dispatched_at or e.time,
        units=units,
    )


def _ambulance_arrived(s: IncidentState, e: Event) -> IncidentState:
    unit = s.units.get(str(e["unit"]))
    units = s.units
    if unit is not None and unit.status != "on_scene":
        units = _frozen({**units, unit.id: replace(unit, status="on_scene", since=e.time)})
    return replace(s, ambulance_arrived_at=s.ambulance_arrived_at or e.time, units=units)


def _unit(s: IncidentState, e: Event) -> UnitState:
    unit = str(e["unit"])
    return s.units.get(unit) or UnitState(unit, "unknown", e.time, source=str(e["source"]))


def _ambulance_status_changed(s: IncidentState, e: Event) -> IncidentState:
    u = replace(_unit(s, e), status=str(e["status"]), since=e.time, source=str(e["source"]))
    if e.get("eta"):
        u = replace(u, eta=datetime.fromisoformat(str(e["eta"])), eta_reported_at=e.time)
    return replace(s, units=_frozen({**s.units, u.id: u}))


def _ambulance_eta_changed(s: IncidentState, e: Event) -> IncidentState:
    eta = datetime.fromisoformat(str(e["eta"])) if e["eta"] else None
    u = replace(_unit(s, e), eta=eta, eta_reported_at=e.time, source=str(e["source"]))
    return replace(s, units=_frozen({**s.units, u.id: u}))


def _intake_received(s: IncidentState, e: Event) -> IncidentState:
    old = s.intake
    triage = e.get("triage")
    link = IntakeLink(
        source=str(e["source"]),
        key=str(e["key"]),
        fingerprint=str(e["fingerprint"]),
        sent=datetime.fromisoformat(str(e["sent"])),
        heard_at=e.time,
        triage=_frozen(triage) if triage else (old.triage if old else None),
        hints=(*(old.hints if old else ()), *(_frozen(h) for h in e.get("hints", ()))),
        notes=(*(old.notes if old else ()), *(str(n) for n in e.get("notes", ()))),
        messages=(old.messages + 1) if old else 1,
    )
    return replace(s, intake=link)


def _coordinator_assigned(s: IncidentState, e: Event) -> IncidentState:
    rid = str(e["responder"])
    r = s.responders.get(rid)
    if r is None or r.state != "accepted" or s.coordinator is not None:
        from .errors import IllegalTransition

        raise IllegalTransition(f"cannot make {rid} coordinator of {s.id}: "
                                + ("there is one" if s.coordinator else "not a responder who accepted"))
    return replace(s, coordinator=rid)


def _intake_silent(s: IncidentState, e: Event) -> IncidentState:
    if s.intake is None:
        from .errors import IllegalTransition

        raise IllegalTransition(f"incident {s.id} did not come from the dispatch system")
    return replace(s, intake=replace(s.intake, silent_since=s.intake.silent_since or e.time))


def _alert_refused(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, refusals=(*s.refusals, (e.time, str(e["reason"]))))


def _alert_sent(s: IncidentState, e: Event) -> IncidentState:
    responders = {
        r["id"]: ResponderState(
            id=r["id"],
            role=r["role"],
            aed=r.get("aed"),
            distance_m=float(r["distance_m"]),
            lat=r.get("lat"),
            lon=r.get("lon"),
            alerted_at=e.time,
            pseudonym=r.get("pseudonym", ""),
        )
        for r in e["responders"]
    }
    aeds = {
        a["id"]: AedState(
            id=a["id"],
            distance_m=float(a["distance_m"]),
            lat=a.get("lat"),
            lon=a.get("lon"),
            runners=tuple(r.id for r in responders.values() if r.aed == a["id"]),
        )
        for a in e["aeds"]
    }
    return replace(
        s, alert_time=e.time, radius_m=float(e["radius_m"]), responders=_frozen(responders), aeds=_frozen(aeds)
    )


def _responder_change(s: IncidentState, e: Event, move: str, **stamp: Any) -> IncidentState:
    rid = str(e["responder"])
    current = s.responders.get(rid)
    if current is None:
        from .errors import IllegalTransition

        raise IllegalTransition(f"responder {rid} was not alerted for incident {s.id}")
    new_state = responder_move(rid, current.state, move)
    stamps: dict[str, Any] = {k: e.time for k in stamp}
    updated = replace(current, state=new_state, **stamps)
    return replace(s, responders=_frozen({**s.responders, rid: updated}))


def _accepted(s: IncidentState, e: Event) -> IncidentState:
    return _responder_change(s, e, "accept", answered_at=True)


def _declined(s: IncidentState, e: Event) -> IncidentState:
    return _responder_change(s, e, "decline", answered_at=True)


def _timed_out(s: IncidentState, e: Event) -> IncidentState:
    return _responder_change(s, e, "time_out")


def _arrived(s: IncidentState, e: Event) -> IncidentState:
    return _responder_change(s, e, "arrive", arrived_at=True)


def _oversupply(s: IncidentState, e: Event) -> IncidentState:
    new = _responder_change(s, e, "oversupply", answered_at=True)
    return replace(new, oversupply=(*s.oversupply, str(e["responder"])))


def _cancellation_sent(s: IncidentState, e: Event) -> IncidentState:
    responders = dict(s.responders)
    for rid in e["responders"]:
        current = responders[rid]
        responders[rid] = replace(
            current, state=responder_move(rid, current.state, "cancel"), cancelled_at=e.time,
            cancel_reason=str(e["reason"]),
        )
    target = s.target_met_at
    if e["reason"] == "target_reached" and target is None:
        target = e.time
    return replace(s, responders=_frozen(responders), target_met_at=target)


def _aed_change(s: IncidentState, e: Event, move: str, stamp: str) -> IncidentState:
    aid = str(e["aed"])
    current = s.aeds.get(aid)
    if current is None:
        from .errors import IllegalTransition

        raise IllegalTransition(f"AED {aid} was not alerted for incident {s.id}")
    stamps: dict[str, Any] = {stamp: e.time}
    updated = replace(current, state=aed_move(aid, current.state, move), **stamps)
    return replace(s, aeds=_frozen({**s.aeds, aid: updated}))


def _aed_fetched(s: IncidentState, e: Event) -> IncidentState:
    return _aed_change(s, e, "fetch", "fetched_at")


def _aed_connected(s: IncidentState, e: Event) -> IncidentState:
    return _aed_change(s, e, "connect", "connected_at")


def _aed_check_requested(s: IncidentState, e: Event) -> IncidentState:
    aed = str(e["aed"])
    detail = {**s.aed_check_detail, aed: AedCheck(aed, s.id, e.time)}
    return replace(s, aed_checks=(*s.aed_checks, aed), aed_check_detail=_frozen(detail))


def _aed_ready_confirmed(s: IncidentState, e: Event) -> IncidentState:
    detail = {k: v for k, v in s.aed_check_detail.items() if k != e["aed"]}
    return replace(s, aed_checks=tuple(a for a in s.aed_checks if a != e["aed"]), aed_check_detail=_frozen(detail))


def _awaiting(s: IncidentState, e: Event) -> AedCheck:
    aed = str(e["aed"])
    if aed not in s.aed_checks:
        from .errors import IllegalTransition

        raise IllegalTransition(f"AED {aed} is not waiting for a check after incident {s.id}")
    # Logs from before issue 15 requested checks without the detail: start it here.
    return s.aed_check_detail.get(aed) or AedCheck(aed, s.id, e.time)


def _with_check(s: IncidentState, check: AedCheck) -> IncidentState:
    return replace(s, aed_check_detail=_frozen({**s.aed_check_detail, check.aed: check}))


def _aed_check_reminded(s: IncidentState, e: Event) -> IncidentState:
    check = _awaiting(s, e)
    return _with_check(s, replace(check, reminders=(*check.reminders, str(e["round"]))))


def _aed_check_answered(s: IncidentState, e: Event) -> IncidentState:
    check = _awaiting(s, e)
    until = date.fromisoformat(str(e["until"])) if e.get("until") else None
    answer = _frozen({**{k: v for k, v in e.data.items() if k not in ("aed", "actor")}, "at": e.time})
    # A new "out of service until" date asks again on that date (its own reminder round).
    reminders = tuple(r for r in check.reminders if r != "back_in_service") if until else check.reminders
    return _with_check(s, replace(check, answers=(*check.answers, answer), out_of_service_until=until,
                                  reminders=reminders))


def _aed_check_message(s: IncidentState, e: Event) -> IncidentState:
    check = _awaiting(s, e)
    key = f"{e['round']}/{e['channel']}"
    if e.type == "aed_check_message_failed":
        return _with_check(s, replace(check, failed=_frozen({**check.failed, key: str(e["reason"])})))
    if key in check.messages:
        from .errors import IllegalTransition

        raise IllegalTransition(f"the {e['round']} message about AED {check.aed} by {e['channel']} was already sent")
    return _with_check(s, replace(check, messages=_frozen({**check.messages, key: e.time})))


def _caller_instruction(s: IncidentState, e: Event) -> IncidentState:
    new = caller_instruction_move(s.caller_instruction, str(e["state"]))
    since = dict(s.caller_instruction_since)
    since.setdefault(new, e.time)
    return replace(s, caller_instruction=new, caller_instruction_since=_frozen(since))


def _alarm_cancelled(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, alarm_cancelled_at=e.time)


def _closed(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, closed_at=e.time)


def _feedback(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, oversupply_feedback=(*s.oversupply_feedback, str(e["note"])))


def _annotation(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, annotations=(*s.annotations, _frozen(dict(e.data))))


def _complaint(s: IncidentState, e: Event) -> IncidentState:
    return replace(s, complaints=_frozen(complaint_rules.fold(s.complaints, e)))


# -- messages (issue 12) ------------------------------------------------------------------------
def _alerted(s: IncidentState, e: Event) -> ResponderState:
    rid = str(e["responder"])
    current = s.responders.get(rid)
    if current is None:
        from .errors import IllegalTransition

        raise IllegalTransition(f"responder {rid} was not alerted for incident {s.id}")
    return current


def _message(s: IncidentState, e: Event) -> MessageState:
    key = message_key(str(e["responder"]), str(e["channel"]), str(e["kind"]))
    found = s.messages.get(key)
    if found is None:
        from .errors import IllegalTransition

        raise IllegalTransition(f"no {e['kind']} message went to {e['responder']} by {e['channel']} for {s.id}")
    return found


def _message_sent(s: IncidentState, e: Event) -> IncidentState:
    r = _alerted(s, e)
    m = MessageState(r.id, str(e["channel"]), str(e["kind"]), int(e["attempt"]), e.time, str(e.get("why", "")))
    if m.key in s.messages:
        from .errors import IllegalTransition

        # The policy's promise (never two alerts per responder × incident × channel) held in the fold too.
        raise IllegalTransition(f"a {m.kind} message to {r.id} by {m.channel} was already sent for {s.id}")
    responders = s.responders
    if m.kind == "alert":
        responders = _frozen({**s.responders, r.id: replace(r, channels=(*r.channels, m.channel))})
    return replace(s, messages=_frozen({**s.messages, m.key: m}), responders=responders)


def _message_delivered(s: IncidentState, e: Event) -> IncidentState:
    m = _message(s, e)
    if m.delivered_at is not None:
        return s
    responders = s.responders
    r = s.responders[m.responder]
    if m.kind == "alert" and r.delivered_at is None:
        responders = _frozen({**s.responders, r.id: replace(r, delivered_at=e.time)})
    return replace(s, messages=_frozen({**s.messages, m.key: replace(m, delivered_at=e.time)}),
                   responders=responders)


def _message_failed(s: IncidentState, e: Event) -> IncidentState:
    m = _message(s, e)
    failed = replace(m, failed_at=m.failed_at or e.time, failure=m.failure or str(e["reason"]))
    return replace(s, messages=_frozen({**s.messages, m.key: failed}))


def _message_acknowledged(s: IncidentState, e: Event) -> IncidentState:
    r = _alerted(s, e)
    key = f"{r.id}/{e['channel']}"
    if key in s.acknowledgements:
        return s
    updated = replace(r, acknowledged_at=r.acknowledged_at or e.time)
    return replace(s, acknowledgements=_frozen({**s.acknowledgements, key: e.time}),
                   responders=_frozen({**s.responders, r.id: updated}))


def _channel_outage(s: IncidentState, e: Event) -> IncidentState:
    channel = str(e["channel"])
    if channel in s.outages:
        return s
    return replace(s, outages=_frozen({**s.outages, channel: Outage(channel, e.time, str(e["reason"]))}))


_HANDLERS = {
    "call_received": _call_received,
    "call_updated": _call_updated,
    "exclusion_assessed": _exclusion_assessed,
    "exclusion_overridden": _exclusion_overridden,
    "ambulance_dispatched": _ambulance_dispatched,
    "ambulance_arrived": _ambulance_arrived,
    "alert_refused": _alert_refused,
    "alert_sent": _alert_sent,
    "responder_accepted": _accepted,
    "responder_declined": _declined,
    "responder_timed_out": _timed_out,
    "responder_arrived": _arrived,
    "oversupply": _oversupply,
    "cancellation_sent": _cancellation_sent,
    "aed_fetched": _aed_fetched,
    "aed_connected": _aed_connected,
    "aed_check_requested": _aed_check_requested,
    "aed_ready_confirmed": _aed_ready_confirmed,
    "aed_check_reminded": _aed_check_reminded,
    "aed_check_answered": _aed_check_answered,
    "aed_check_message_sent": _aed_check_message,
    "aed_check_message_failed": _aed_check_message,
    "caller_instruction_changed": _caller_instruction,
    "alarm_cancelled": _alarm_cancelled,
    "incident_closed": _closed,
    "oversupply_feedback": _feedback,
    "annotation_added": _annotation,
    "complaint_registered": _complaint,
    "complaint_status_changed": _complaint,
    "complaint_report_linked": _complaint,
    "message_sent": _message_sent,
    "message_delivered": _message_delivered,
    "message_failed": _message_failed,
    "message_acknowledged": _message_acknowledged,
    "channel_outage": _channel_outage,
    "intake_received": _intake_received,
    "ambulance_status_changed": _ambulance_status_changed,
    "ambulance_eta_changed": _ambulance_eta_changed,
    "intake_silent": _intake_silent,
    "coordinator_assigned": _coordinator_assigned,
}
