"""The engine: commands in, events out; state is the fold of those events.

Every command first folds its new events onto the current state (which raises on an
illegal move), then writes them in one transaction, then tells the channel. So a refused
or illegal command leaves nothing half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from . import actor as acting
from .aedcheck.answers import answer_data
from .aedcheck.model import AedCheck, due_reminders, next_reminder
from .clock import AMSTERDAM, Clock, local_day
from .complaints import model as complaint_rules
from .complaints.model import Complaint
from .config import AlertConfig
from .errors import AlertRefused, IllegalTransition, InvalidInput, UnknownIncident
from .eventlog.store import EventStore
from .events import Event
from .exclusion import CallFacts, ExclusionVerdict, assess, verdict_data
from .exclusion.motorway import MotorwayIndex
from .geo import point_rd
from .intake import plan as intake_plan
from .intake.fields import IntakeInvalid
from .intake.merge import decide
from .intake.message import UNIT_STATUSES, IntakeMessage
from .lifecycle import (
    AED_USED,
    CANCELLABLE,
    COMING,
    HOLDING,
    INSTRUCTION_RUNNING,
    PENDING,
    RETURNING,
)
from .notifications import (
    Channel,
    Message,
    alert_text,
    cancel_text,
    coordinator_text,
    not_needed_text,
)
from .registry.model import CHANNELS
from .registry.table import Registry
from .selection import select
from .state import IncidentState, apply, message_key
from .views import arrival
from .views import figures as views

MODES = ("live", "training", "test")
# How a location was found (recorded with the call and its updates; no rule reads them).
LOCATION_NOTES = ("address", "location_precision", "location_uncertainty_m", "location_label")
# Responder positions in stored events: 4 decimals is ~11 m north-south, ~7 m east-west.
POSITION_DECIMALS = 4
# A test alarm's responders a live alarm takes over: those still ringing or coming.
HOLDING_ANSWERABLE = frozenset({"alerted", "accepted"})
Pending = tuple[str, str, dict[str, Any]]  # (incident, type, data)
log = logging.getLogger("zesminuten.engine")


class Engine:
    def __init__(
        self,
        registry: Registry,
        store: EventStore,
        clock: Clock,
        config: AlertConfig | None = None,
        motorways: MotorwayIndex | None = None,
        channel: Channel | None = None,
    ) -> None:
        self.registry = registry
        self.store = store
        self.clock = clock
        self.config = config or AlertConfig()
        self.motorways = motorways
        self.channel = channel
        self.states: dict[str, IncidentState] = {}
        # Incidents whose alarm is running: the only place "busy" is derived from (see
        # holder_of); kept in step with the fold by _track, never edited on its own.
        self._running: dict[str, None] = {}
        # Incidents with AEDs awaiting their manager's check: likewise only an index into the fold.
        self._checking: dict[str, None] = {}
        # Issue 13: incidents by the dispatch system's key, and the last message of each
        # (merged) to compare the next one with; rebuilt from the log like the fold.
        self._intake_incident: dict[str, str] = {}
        self._intake_current: dict[str, IntakeMessage] = {}
        self._listeners: list[Any] = []
        # Issue 12: the centre's channel dispatcher adds an alert's first messages to the
        # commit that sends the alert (one synchronous commit fewer before the pushes).
        # companion(states after the batch, the batch, its time) -> more (incident, type,
        # data); events of the "system" actor. Never set in the embedded console.
        self.companion: Callable[[Mapping[str, IncidentState], Sequence[Event], datetime], Sequence[Pending]] | None = None
        self.last_seq = 0
        # One writer per store: a second console gets a clear "in use by" message here.
        store.claim_writer()
        # Re-read the log: a restarted engine continues exactly where the fold says.
        for event in store.read():
            self._absorb(event)

    # -- plumbing ------------------------------------------------------------------------
    def subscribe(self, listener: Any) -> None:
        """listener(events) is called after every committed batch (console, recorder)."""
        self._listeners.append(listener)

    def state(self, incident: str) -> IncidentState:
        try:
            return self.states[incident]
        except KeyError:
            raise UnknownIncident(f"unknown incident {incident}") from None

    def _commit(self, pending: Sequence[Pending]) -> list[Event]:
        now = self.clock.now()
        seq = self.store.next_seq()
        who = acting.actor_value()
        events = [
            Event(seq=seq + i, time=now, incident=inc, type=typ,
                  data=data if who is None else {**data, "actor": who})
            for i, (inc, typ, data) in enumerate(pending)
        ]
        trial = dict(self.states)
        steps: list[tuple[Event, IncidentState, IncidentState]] = []
        for e in events:  # raises IllegalTransition before anything is written
            before = trial.get(e.incident) or IncidentState.empty(e.incident)
            trial[e.incident] = after = apply(before, e)
            steps.append((e, before, after))
        own = events  # what the command answers with; its companions are heard by listeners
        if self.companion is not None and events:
            events = events + self._companions(trial, steps, events, now, who is not None)
        self.store.append(events)
        self.states = trial
        self.last_seq = events[-1].seq if events else self.last_seq
        for e, before, after in steps:
            self._side_effects(e, before, after)
        self._deliver(events)
        for listener in list(self._listeners):
            listener(events)
        return own

    def _companions(self, trial: dict[str, IncidentState], steps: list[tuple[Event, IncidentState, IncidentState]],
                    events: list[Event], now: datetime, with_actor: bool) -> list[Event]:
        """The companion's events, folded into `trial` and `steps`; none when it fails or one
        is refused (then they are written a moment later on their own, as without a companion)."""
        assert self.companion is not None
        try:
            pending = list(self.companion(trial, events, now))
        except Exception as exc:  # a companion's fault must never hold up the command itself
            log.error("commit companion: %s", type(exc).__name__)
            return []
        seq = events[-1].seq + 1
        extra = [Event(seq=seq + i, time=now, incident=inc, type=typ,
                       data={**data, "actor": acting.SYSTEM} if with_actor else data)
                 for i, (inc, typ, data) in enumerate(pending)]
        folded = dict(trial)
        more: list[tuple[Event, IncidentState, IncidentState]] = []
        try:
            for e in extra:
                before = folded.get(e.incident) or IncidentState.empty(e.incident)
                folded[e.incident] = after = apply(before, e)
                more.append((e, before, after))
        except IllegalTransition as exc:
            log.error("commit companion refused: %s", exc)
            return []
        trial.update(folded)
        steps.extend(more)
        return extra

    def catch_up(self) -> list[Event]:
        """Fold in events another node wrote to a shared store since our last one (a standby
        following the active node, or a node taking over): the listeners hear them as if
        committed here. Nothing is written."""
        events = self.store.read_after(self.last_seq)
        for e in events:
            self._absorb(e)
        if events:
            for listener in list(self._listeners):
                listener(events)
        return events

    def _absorb(self, e: Event) -> None:
        """Fold one stored event in (start-up replay, a standby following)."""
        self.last_seq = e.seq
        before = self.states.get(e.incident) or IncidentState.empty(e.incident)
        after = apply(before, e)
        self.states[e.incident] = after
        self._side_effects(e, before, after)

    def _side_effects(self, e: Event, before: IncidentState, after: IncidentState) -> None:
        """Keep the derived indexes (running alarms, AED status) in step with the fold."""
        if after.alarm_open:
            self._running[after.id] = None
        else:
            self._running.pop(after.id, None)
        if after.aed_checks:
            self._checking[after.id] = None
        else:
            self._checking.pop(after.id, None)
        if e.type == "intake_received" and "incident_id" in e["message"]:  # not a redacted export's
            message = IntakeMessage.from_dict(dict(e["message"]))
            previous = self._intake_current.get(message.key)
            self._intake_incident[message.key] = e.incident
            self._intake_current[message.key] = decide(previous, message).current or message

    # -- who holds whom (contract rule 4) ------------------------------------------------
    def running_alarms(self) -> list[IncidentState]:
        return [self.states[i] for i in self._running]

    def holder_of(self, responder: str, test: bool | None = None) -> str | None:
        """The one open alarm this responder is held by (pending, accepted, arrived or
        oversupply on it), read from the fold; None when free. `test` narrows to test
        alarms (True) or real ones (False)."""
        for s in self.running_alarms():
            if test is not None and (s.mode == "test") != test:
                continue
            r = s.responders.get(responder)
            if r is not None and r.state in HOLDING:
                return s.id
        return None

    def busy_mask(self, test: bool = False) -> np.ndarray:
        """Registry rows held by a running real alarm (or test alarm when `test`), from the fold.
        A responder is released only by their own alarm's answer, lapse, cancellation or close."""
        mask = np.zeros(self.registry.n_responders, dtype=bool)
        index = self.registry.responder_index
        for s in self.running_alarms():
            if (s.mode == "test") != test:
                continue
            for rid, r in s.responders.items():
                if r.state in HOLDING:
                    idx = index(rid)
                    if idx is not None:
                        mask[idx] = True
        return mask

    def aeds_awaiting_check(self) -> set[str]:
        """AEDs fetched or used in an alarm and not yet confirmed ready (from the fold; the
        registry keeps the manager's own status untouched)."""
        return {a for i in self._checking for a in self.states[i].aed_checks}

    def aed_out_of_service_mask(self) -> np.ndarray:
        mask = np.zeros(self.registry.n_aeds, dtype=bool)
        for aed in self.aeds_awaiting_check():
            idx = self.registry.a_index.get(aed)
            if idx is not None:
                mask[idx] = True
        return mask

    @property
    def busy(self) -> np.ndarray:
        return self.busy_mask(test=False)

    def _deliver(self, events: Sequence[Event]) -> None:
        if self.channel is None:
            return
        for e in events:
            s = self.states[e.incident]
            if s.mode not in self.channel.modes:
                continue  # a training or test alarm never reaches a channel not made for it
            for message in self._messages(s, e):
                self.channel.send(message)

    def _messages(self, s: IncidentState, e: Event) -> list[Message]:
        if e.type == "alert_sent":
            out = []
            for r in e["responders"]:
                aed = s.aeds.get(r["aed"]) if r["aed"] else None
                idx = self.registry.a_index.get(aed.id) if aed else None
                desc = str(self.registry.a_description[idx]) if idx is not None else None
                code = str(self.registry.a_cabinet[idx]) if idx is not None else None
                out.append(
                    Message(
                        responder=r["id"],
                        kind="alert",
                        mode=s.mode,
                        incident=s.id,
                        text=alert_text(s.mode, r["role"], desc, r["distance_m"]),
                        role=r["role"],
                        aed=r["aed"],
                        cabinet_code=code or None,
                    )
                )
            return out
        if e.type == "cancellation_sent":
            text = cancel_text(s.mode, e["reason"])
            return [Message(rid, "cancel", s.mode, s.id, text) for rid in e["responders"]]
        if e.type == "oversupply":
            return [Message(e["responder"], "not_needed", s.mode, s.id, not_needed_text(s.mode))]
        if e.type == "coordinator_assigned":
            return [Message(e["responder"], "coordinator", s.mode, s.id, coordinator_text(s.mode), role="coordinator")]
        return []

    def _open(self, incident: str) -> IncidentState:
        s = self.state(incident)
        if not s.is_open:
            raise IllegalTransition(f"incident {incident} was closed at {s.closed_at:%H:%M:%S}")
        return s

    # -- intake --------------------------------------------------------------------------
    def assess(self, facts: CallFacts) -> ExclusionVerdict:
        return assess(facts, self.config, self.motorways)

    def call(self, incident: str, facts: CallFacts, mode: str = "live", **extra: Any) -> list[Event]:
        if incident in self.states:
            raise AlertRefused(f"incident {incident} already exists")
        if mode not in MODES:
            raise AlertRefused(f"unknown mode {mode!r}")
        verdict = self.assess(facts)
        data = {
            "lat": facts.lat,
            "lon": facts.lon,
            "patient_age_years": facts.patient_age_years,
            "suicide": facts.suicide,
            "trauma": facts.trauma,
            "violence": facts.violence,
            "location_kind": facts.location_kind,
            "location_description": facts.location_description,
            "mode": mode,
            **extra,
        }
        return self._commit(
            [(incident, "call_received", data), (incident, "exclusion_assessed", verdict_data(verdict))]
        )

    def facts(self, incident: str) -> CallFacts:
        s = self.state(incident)
        f = s.facts
        return CallFacts(
            lat=s.lat,
            lon=s.lon,
            patient_age_years=f.get("patient_age_years"),
            suicide=bool(f.get("suicide", False)),
            trauma=bool(f.get("trauma", False)),
            violence=bool(f.get("violence", False)),
            location_kind=str(f.get("location_kind", "") or ""),
            location_description=str(f.get("location_description", "") or ""),
        )

    def update_call(self, incident: str, changes: Mapping[str, Any]) -> list[Event]:
        """New facts from the caller: recorded, then the exclusion criteria re-assessed."""
        self._open(incident)
        return self._commit(self._update_batch(incident, changes))

    def _update_batch(self, incident: str, changes: Mapping[str, Any]) -> list[Pending]:
        criteria_facts = set(CallFacts.__dataclass_fields__)
        unknown = set(changes) - criteria_facts - set(LOCATION_NOTES)
        if unknown:
            raise AlertRefused(f"cannot update {', '.join(sorted(unknown))}: not a call fact")
        facts = replace(self.facts(incident), **{k: v for k, v in changes.items() if k in criteria_facts})
        verdict = self.assess(facts)
        return [
            (incident, "call_updated", {"changes": dict(changes)}),
            (incident, "exclusion_assessed", verdict_data(verdict)),
        ]

    def override_exclusion(self, incident: str, reason: str) -> list[Event]:
        s = self._open(incident)
        if not reason.strip():
            raise AlertRefused("an override needs a written reason")
        if not s.excluded:
            raise AlertRefused(f"incident {incident} is not excluded; nothing to override")
        return self._commit([(incident, "exclusion_overridden", {"reason": reason.strip()})])

    def dispatch_ambulance(self, incident: str, unit: str) -> list[Event]:
        self._open(incident)
        if not unit.strip():
            raise AlertRefused("name the ambulance unit (for example 15-101)")
        return self._commit([(incident, "ambulance_dispatched", {"unit": unit.strip()})])

    def ambulance_arrived(self, incident: str, unit: str = "") -> list[Event]:
        s = self._open(incident)
        if not s.ambulance_units:
            raise IllegalTransition(f"no ambulance was dispatched for {incident}")
        return self._commit([(incident, "ambulance_arrived", {"unit": unit or s.ambulance_units[0]})])

    def ambulance_status(self, incident: str, unit: str, status: str, eta: datetime | None = None,
                         source: str = "dispatcher") -> list[Event]:
        """A unit's status and ETA as the dispatcher enters it (or a message reports it);
        nothing is written when it says what the fold already knows."""
        s = self._open(incident)
        if not unit.strip():
            raise InvalidInput("unit: name the ambulance unit (for example 15-101)")
        if status not in UNIT_STATUSES:
            raise InvalidInput(f"status: {status!r} is not one of {', '.join(UNIT_STATUSES)}")
        if eta is not None and eta.tzinfo is None:
            raise InvalidInput("eta: needs a UTC offset")
        unit = unit.strip()
        steps = intake_plan.unit_steps(s.units.get(unit), unit, status, eta, source, unit in s.ambulance_units)
        return self._commit([(incident, typ, data) for typ, data in steps]) if steps else []

    # -- alerting ------------------------------------------------------------------------
    def alert_blocker(self, incident: str) -> str | None:
        """Why an alert cannot be sent now (a refusal reason word), or None."""
        s = self.states.get(incident)
        if s is None:
            return "unknown_incident"
        if not s.is_open:
            return "closed"
        if s.alert_time is not None:
            return "already_alerted"
        if s.alarm_cancelled_at is not None:
            return "cancelled"  # the dispatch system called it off before an alert
        if s.mode != "test":
            if s.exclusion_stands:
                return "excluded"
            if not s.ambulance_units:
                return "no_ambulance"
        return None

    def trigger_alert(self, incident: str, extra_mask: np.ndarray | None = None, *,
                      automatic: bool = False) -> list[Event]:
        s = self.state(incident)
        blocker = self.alert_blocker(incident)
        if blocker in ("closed", "already_alerted"):
            raise AlertRefused(
                f"incident {incident} is {'closed' if blocker == 'closed' else 'already alerted'}"
            )
        if blocker is not None:
            data: dict[str, Any] = {"reason": blocker}
            if blocker == "excluded":
                data["criteria"] = list(s.criteria)
            return self._commit([(incident, "alert_refused", data)])
        x, y = point_rd(s.lat, s.lon)
        sel = select(self.registry, x, y, self.clock.now(), self.busy_mask(), self.config, extra_mask,
                     self.aed_out_of_service_mask())
        if not sel.responders:
            return self._commit(
                [(incident, "alert_refused", {"reason": "no_responders_in_reach", "radius_m": sel.radius_m})]
            )
        responders = [
            {
                "id": r.id,
                "role": r.role,
                "aed": r.aed,
                "distance_m": r.distance_m,
                # ~10 m is all the map needs; a position to the metre is often a home address.
                "lat": round(r.lat, POSITION_DECIMALS),
                "lon": round(r.lon, POSITION_DECIMALS),
                "pseudonym": str(self.registry.r_pseudonym[r.row]),
            }
            for r in sel.responders
        ]
        aeds = [{"id": a.id, "distance_m": a.distance_m, "lat": a.lat, "lon": a.lon} for a in sel.aeds]
        data = {
            "radius_m": sel.radius_m,
            "responders": responders,
            "aeds": aeds,
            "eligible_in_reach": sel.eligible_in_reach,
        }
        if automatic:
            data["automatic"] = True  # sent on the dispatch system's message (intake_auto_alert)
        eta = arrival.ambulance_eta(s) if self.config.eta_aware and s.mode != "test" else None
        if eta is not None:
            kept = arrival.before_ambulance(responders, aeds, self.clock.now(), eta, self.config)
            if not kept.responders:
                return self._commit([(incident, "alert_refused", {
                    "reason": "none_before_ambulance", "ambulance_eta": eta.isoformat(),
                    "margin_s": self.config.eta_margin_s, "left_out": kept.left_out})])  # fmt: skip
            data.update(responders=kept.responders, aeds=kept.aeds, eta_aware={
                "ambulance_eta": eta.isoformat(), "margin_s": self.config.eta_margin_s,
                "left_out": kept.left_out, "made_direct": kept.made_direct})  # fmt: skip
        batch = self._preempt_test_alarms([r["id"] for r in data["responders"]])
        batch.append((incident, "alert_sent", data))
        return self._commit(batch)

    def _preempt_test_alarms(self, responders: list[str]) -> list[Pending]:
        """A live alarm takes a responder off any test alarm first (cancellation per test)."""
        chosen = set(responders)
        batch: list[Pending] = []
        for s in self.running_alarms():
            if s.mode != "test":
                continue
            mine = [rid for rid, r in s.responders.items() if rid in chosen and r.state in HOLDING_ANSWERABLE]
            if mine:
                batch.append((s.id, "cancellation_sent", {"responders": mine, "reason": "live_alarm"}))
        return batch

    def test_alarm(
        self, incident: str, lat: float, lon: float, municipality: str, max_responders: int = 1000
    ) -> list[Event]:
        """A municipality's exercise alarm: only opted-in responders of that municipality,
        never anyone on a real alarm, no ambulance, no AEDs (no cabinet is opened for a test)."""
        if incident in self.states:
            raise AlertRefused(f"incident {incident} already exists")
        reg = self.registry
        now = self.clock.now()
        mask = (
            reg.r_test_opt_in
            & (reg.r_municipality == municipality)
            & reg.r_active
            & (reg.r_cert_day >= local_day(now))
            & ~self.busy_mask(test=False)
            & ~self.busy_mask(test=True)
        )
        idx = np.flatnonzero(mask)
        idx = idx[reg.patterns.open_at(reg.r_avail[idx], now)] if len(idx) else idx
        x, y = point_rd(lat, lon)
        first_slot = np.full(reg.n_responders, -1, dtype=np.int64)
        first_slot[reg.s_resp[::-1]] = np.arange(len(reg.s_resp))[::-1]
        slots = first_slot[idx]
        idx, slots = idx[slots >= 0], slots[slots >= 0]
        dist = np.hypot(reg.s_x[slots] - x, reg.s_y[slots] - y)
        order = np.argsort(dist, kind="stable")[:max_responders]
        responders = [
            {
                "id": str(reg.r_ids[idx[o]]),
                "role": "cpr",
                "aed": None,
                "distance_m": round(float(dist[o]), 1),
                "lat": round(float(reg.s_lat[slots[o]]), POSITION_DECIMALS),
                "lon": round(float(reg.s_lon[slots[o]]), POSITION_DECIMALS),
                "pseudonym": str(reg.r_pseudonym[idx[o]]),
            }
            for o in order
        ]
        call = {"lat": lat, "lon": lon, "mode": "test", "municipality": municipality,
                "location_kind": "test", "location_description": f"Proefalarm {municipality}"}
        radius = float(dist[order].max()) if len(order) else 0.0
        batch: list[Pending] = [(incident, "call_received", call)]
        if responders:
            batch.append((incident, "alert_sent", {"radius_m": round(radius, 1), "responders": responders,
                                                   "aeds": [], "test": True}))
        else:
            batch.append((incident, "alert_refused", {"reason": "no_test_responders"}))
        return self._commit(batch)

    def target_met(self, s: IncidentState) -> bool:
        return views.target_met(s, self.config)

    def respond(self, incident: str, responder: str, answer: str) -> list[Event]:
        s = self.state(incident)
        r = s.responders.get(responder)
        if r is None:
            raise IllegalTransition(f"responder {responder} was not alerted for incident {incident}")
        if answer == "decline":
            if r.state not in PENDING:
                return []  # a decline after a cancellation changes nothing
            return self._commit([(incident, "responder_declined", {"responder": responder})])
        if answer != "accept":
            raise AlertRefused(f"unknown answer {answer!r} (use accept or decline)")
        if r.state not in (*PENDING, "cancelled"):
            raise IllegalTransition(f"cannot accept: responder {responder} is {r.state}")
        preempt = self._free_for(s, responder, "accept") if r.state in RETURNING else []
        if r.state == "cancelled" or s.target_met_at is not None or not s.alarm_open:
            if s.mode == "test" and r.state != "cancelled" and s.alarm_open:
                return self._commit([*preempt, (incident, "responder_accepted", {"responder": responder})])
            return self._commit([*preempt, (incident, "oversupply", {"responder": responder})])
        accepted: Pending = (incident, "responder_accepted", {"responder": responder})
        after = apply(s, Event(seq=s.last_seq + 1, time=self.clock.now(), incident=incident,
                               type=accepted[1], data=accepted[2]))
        batch = [*preempt, accepted]
        if self.config.coordinator_role and s.mode != "test" and arrival.coordinator_candidate(
                after, responder, self.config):
            batch.append((incident, "coordinator_assigned", {"responder": responder}))
        if s.mode != "test" and self.target_met(after) and after.pending:
            batch.append(
                (incident, "cancellation_sent", {"responders": list(after.pending), "reason": "target_reached"})
            )
        return self._commit(batch)

    def arrive(self, incident: str, responder: str) -> list[Event]:
        s = self.state(incident)
        r = s.responders.get(responder)
        if r is None:
            raise IllegalTransition(f"responder {responder} was not alerted for incident {incident}")
        preempt = self._free_for(s, responder, "arrive") if r.state == "cancelled" and s.alarm_open else []
        return self._commit([*preempt, (incident, "responder_arrived", {"responder": responder})])

    def _free_for(self, s: IncidentState, responder: str, verb: str) -> list[Pending]:
        """Rule 4 for a responder who comes back to alarm `s` after it let them go (late
        accept, arrival after a cancellation): refused while another real alarm holds them;
        a test alarm that holds them is told first, since a real alarm always wins."""
        other = self.holder_of(responder)
        if other is None or other == s.id:
            return []
        held_by = self.states[other]
        if held_by.mode == "test" and s.mode != "test":
            return [(other, "cancellation_sent", {"responders": [responder], "reason": "live_alarm"})]
        state = s.responders[responder].state
        why = {"timed_out": "lapsed", "cancelled": "was cancelled"}.get(state, f"is {state}")
        raise IllegalTransition(
            f"cannot {verb}: the alert of {responder} for {s.id} {why} and they are now on alarm {other}"
        )

    def aed_fetched(self, incident: str, aed: str) -> list[Event]:
        self.state(incident)
        return self._commit([(incident, "aed_fetched", {"aed": aed})])

    def aed_connected(self, incident: str, aed: str) -> list[Event]:
        self.state(incident)
        return self._commit([(incident, "aed_connected", {"aed": aed})])

    def caller_instruction(self, incident: str, state: str) -> list[Event]:
        self._open(incident)
        return self._commit([(incident, "caller_instruction_changed", {"state": state})])

    def oversupply_feedback(self, incident: str, note: str = "") -> list[Event]:
        self.state(incident)
        text = note.strip() or "Meer first responders ter plaatse dan verwacht"
        return self._commit([(incident, "oversupply_feedback", {"note": text})])

    def annotate(self, incident: str, author: str, text: str, at: datetime) -> list[Event]:
        self.state(incident)
        if not text.strip():
            raise AlertRefused("an annotation needs text")
        data = {"author": author, "text": text.strip(), "at": at.isoformat()}
        return self._commit([(incident, "annotation_added", data)])

    # -- complaints (issue 15): events on the incident; the rules are complaints/model.py ------
    def register_complaint(self, incident: str, complainant: str, contact: str, summary: str,
                           received: Any, by: str) -> list[Event]:
        s = self.state(incident)
        day = s.call_time.astimezone(AMSTERDAM).date() if s.call_time else None
        data = complaint_rules.registration(s.complaints, incident, s.mode, day, complainant, contact, summary,
                                            received, by, self.clock.now())
        return self._commit([(incident, "complaint_registered", data)])

    def change_complaint_status(self, incident: str, complaint: str, status: str, note: str, by: str) -> list[Event]:
        data = complaint_rules.status_change(self.state(incident).complaints, complaint, status, note, by)
        return self._commit([(incident, "complaint_status_changed", data)])

    def link_complaint_report(self, incident: str, complaint: str, report: str, sha256: str, fmt: str,
                              by: str) -> list[Event]:
        data = complaint_rules.report_link(self.state(incident).complaints, complaint, report, sha256, fmt, by)
        return self._commit([(incident, "complaint_report_linked", data)])

    def complaints(self) -> list[Complaint]:
        """Every complaint, the oldest registration first."""
        return sorted((c for s in self.states.values() for c in s.complaints.values()),
                      key=lambda c: (c.registered_at, c.id))

    def cancel_alarm(self, incident: str, by: str = "dispatcher") -> list[Event]:
        s = self._open(incident)
        if not s.alarm_open:
            raise IllegalTransition(f"incident {incident} has no running alarm to cancel")
        told = [r.id for r in s.responders.values() if r.state in CANCELLABLE]
        batch: list[Pending] = []
        if told:
            batch.append((incident, "cancellation_sent", {"responders": told, "reason": "dispatcher"}))
        batch.append((incident, "alarm_cancelled", {"by": by}))
        batch.extend(self._aed_checks(s))
        return self._commit(batch)

    def close(self, incident: str) -> list[Event]:
        return self._commit(self._close_batch(self._open(incident)))

    def _close_batch(self, s: IncidentState, **closed: Any) -> list[Pending]:
        incident = s.id
        batch: list[Pending] = []
        if s.alarm_open:
            told = [r.id for r in s.responders.values() if r.state in CANCELLABLE]
            if told:
                batch.append((incident, "cancellation_sent", {"responders": told, "reason": "closed"}))
            batch.extend(self._aed_checks(s))
        if s.caller_instruction in INSTRUCTION_RUNNING:
            batch.append((incident, "caller_instruction_changed", {"state": "ended"}))
        batch.append((incident, "incident_closed", dict(closed)))
        return batch

    def _aed_checks(self, s: IncidentState) -> list[Pending]:
        # A fetched or used AED is out of service until its manager confirms it is ready; so
        # is one whose cabinet code went to a runner who accepted (the cabinet may have been
        # opened without anyone tapping "fetched").
        coded = {r.aed for r in s.responders.values() if r.role == "aed" and r.aed and r.state in COMING}
        return [
            (s.id, "aed_check_requested", {"aed": a.id})
            for a in s.aeds.values()
            if (a.state in AED_USED or a.id in coded) and a.id not in s.aed_checks
        ]

    def confirm_aed_ready(self, aed: str) -> list[Event]:
        for s in reversed(list(self.states.values())):
            if aed in s.aed_checks:
                return self._commit([(s.id, "aed_ready_confirmed", {"aed": aed})])
        raise IllegalTransition(f"AED {aed} is not waiting for a check")

    # -- the AED manager's check-back (issue 15, docs/aftercare.md) ----------------------------
    def aed_checks(self) -> list[AedCheck]:
        """Every AED awaiting its manager's check, oldest first (one per AED: its latest alarm)."""
        latest: dict[str, AedCheck] = {}
        for i in self._checking:
            s = self.states[i]
            for aed in s.aed_checks:
                check = s.aed_check_detail.get(aed) or AedCheck(aed, s.id, s.last_time or self.clock.now())
                if aed not in latest or latest[aed].requested_at <= check.requested_at:
                    latest[aed] = check
        return sorted(latest.values(), key=lambda c: (c.requested_at, c.aed))

    def answer_aed_check(self, aed: str, answer: Mapping[str, Any], via: str = "link") -> list[Event]:
        """The manager's answer (checked by aedcheck.answers first): one `aed_check_answered`,
        and with outcome "ready" an `aed_ready_confirmed` for every alarm it awaited a check of."""
        data = answer_data(answer, self.clock.now(), via)
        waiting = [s for i in self._checking if aed in (s := self.states[i]).aed_checks]
        if not waiting:
            raise IllegalTransition(f"AED {aed} is not waiting for a check")
        latest = max(waiting, key=lambda s: s.aed_check_detail[aed].requested_at if aed in s.aed_check_detail
                     else s.last_time or self.clock.now())
        batch: list[Pending] = [(latest.id, "aed_check_answered", {"aed": aed, **data})]
        if data["outcome"] == "ready":
            batch += [(s.id, "aed_ready_confirmed", {"aed": aed}) for s in waiting]
        return self._commit(batch)

    def remind_aed_checks(self) -> list[Event]:
        """The check-back's timers: a reminder 24 h and 72 h after an unanswered request, and
        on the morning an "out of service until" date comes round."""
        now = self.clock.now()
        batch: list[Pending] = [
            (check.incident, "aed_check_reminded", {"aed": check.aed, "round": name})
            for check in self.aed_checks()
            for name in due_reminders(check, now)
        ]
        return self._commit(batch) if batch else []

    def next_aed_check_reminder(self) -> datetime | None:
        times = [due[1] for check in self.aed_checks() if (due := next_reminder(check)) is not None]
        return min(times) if times else None

    # -- messages to responders (issue 12) ---------------------------------------------------
    def acknowledge_message(self, incident: str, responder: str, channel: str = "app") -> list[Event]:
        """The responder's app (or a link in an SMS) says the alert reached them: the real
        receipt, which stops the fallback to the next channel. Once per responder × channel;
        a repeat changes nothing."""
        s = self.state(incident)
        if channel not in CHANNELS:
            raise InvalidInput(f"channel: {channel!r} is not one of {', '.join(CHANNELS)}")
        if responder not in s.responders:
            raise IllegalTransition(f"responder {responder} was not alerted for incident {incident}")
        if f"{responder}/{channel}" in s.acknowledgements:
            return []
        sent = s.messages.get(message_key(responder, channel, "alert"))
        # attempt null: the app showed the alarm before (or without) a message on this channel,
        # e.g. from its open live stream.
        data = {"responder": responder, "channel": channel, "attempt": sent.attempt if sent else None}
        return self._commit([(incident, "message_acknowledged", data)])

    def record_messages(self, batch: Sequence[Pending]) -> list[Event]:
        """What the channel gateways did (message_sent / _delivered / _failed, channel_outage),
        written like every other fact; the fold refuses a second message on one channel."""
        allowed = {"message_sent", "message_delivered", "message_failed", "channel_outage",
                   "aed_check_message_sent", "aed_check_message_failed"}
        for incident, typ, _ in batch:
            if typ not in allowed:
                raise InvalidInput(f"not a message event: {typ!r}")
            self.state(incident)
        return self._commit(batch) if batch else []

    # -- the dispatch system (issue 13, docs/intake.md) -------------------------------------
    def intake_incident(self, key: str) -> str | None:
        """The incident a dispatch system's key (`source:incident_id`) was taken in as."""
        return self._intake_incident.get(key)

    def receive_intake(self, message: IntakeMessage, incident: str, mode: str = "live") -> intake_plan.IntakeOutcome:
        """One message, whole or not at all: a new incident (named `incident`), an update of
        the one it belongs to, or nothing (a duplicate, an older or an unknown cancel)."""
        known = self._intake_incident.get(message.key)
        decision = decide(self._intake_current.get(message.key), message)
        if decision.outcome in ("duplicate", "ignored"):
            return intake_plan.IntakeOutcome(decision.outcome, decision.reason, known)
        received = intake_plan.received(message, decision)
        if known is None:
            batch = self._intake_new(message, incident, mode, received)
            known = incident
        else:
            batch = self._intake_update(self.state(known), message, decision, received)
        events = self._commit(batch)
        events += self._auto_alert(known)
        return intake_plan.IntakeOutcome(decision.outcome, decision.reason, known, events)

    def _intake_new(self, message: IntakeMessage, incident: str, mode: str,
                    received: dict[str, Any]) -> list[Pending]:  # fmt: skip
        if incident in self.states:
            raise AlertRefused(f"incident {incident} already exists")
        loc = message.location
        if loc is None or loc.point is None:
            address = loc.address.label if loc is not None and loc.address is not None else ""
            raise IntakeInvalid("location", "no point (lat/lon): the alert system never guesses one"
                                + (f" from the address {address!r}" if address else "")
                                + "; type the call in")  # fmt: skip
        facts = CallFacts(lat=loc.point[0], lon=loc.point[1], patient_age_years=message.patient_age_years,
                          location_description=loc.description or "")
        extra = intake_plan.call_fields(message)
        if message.sent < self.clock.now():
            extra["call_started_at"] = message.sent.isoformat(timespec="seconds")
        call = {"lat": facts.lat, "lon": facts.lon, "patient_age_years": facts.patient_age_years,
                "suicide": False, "trauma": False, "violence": False, "location_kind": "",
                "location_description": facts.location_description, "mode": mode, **extra}  # fmt: skip
        batch: list[Pending] = [
            (incident, "call_received", call),
            (incident, "exclusion_assessed", verdict_data(self.assess(facts))),
            (incident, "intake_received", received),
        ]
        return batch + self._intake_units(IncidentState.empty(incident), message)

    def _intake_update(self, s: IncidentState, message: IntakeMessage, decision: Any,
                       received: dict[str, Any]) -> list[Pending]:  # fmt: skip
        batch: list[Pending] = [(s.id, "intake_received", received)]
        if not s.is_open:
            return batch  # recorded, but a closed incident stays closed
        changes = intake_plan.call_changes(decision)
        if changes:
            batch += self._update_batch(s.id, changes)
        batch += self._intake_units(s, message)
        if any(c.kind == "cancelled" for c in decision.changes) and s.alarm_cancelled_at is None:
            if s.alarm_open:
                told = [r.id for r in s.responders.values() if r.state in CANCELLABLE]
                if told:
                    batch.append((s.id, "cancellation_sent",
                                  {"responders": told, "reason": intake_plan.CANCEL_REASON}))
                batch.append((s.id, "alarm_cancelled", {"by": message.source}))
                batch.extend(self._aed_checks(s))
            elif s.alert_time is None:
                batch.append((s.id, "alarm_cancelled", {"by": message.source}))
        return batch

    def _intake_units(self, s: IncidentState, message: IntakeMessage) -> list[Pending]:
        batch: list[Pending] = []
        dispatched = set(s.ambulance_units)
        for unit in message.units:
            steps = intake_plan.unit_steps(s.units.get(unit.id), unit.id, unit.status, unit.eta,
                                           message.source, unit.id in dispatched)
            dispatched.add(unit.id)
            batch += [(s.id, typ, data) for typ, data in steps]
        return batch

    def _auto_alert(self, incident: str) -> list[Event]:
        """The option (off by default): alert at once when the dispatch system says arrest,
        no criterion is hinted, none is met, and an ambulance is on its way."""
        s = self.states[incident]
        link = s.intake
        if not self.config.intake_auto_alert or link is None or s.refusals or s.mode != "live":
            return []
        triage = link.triage or {}
        if not triage.get("suspected") or intake_plan.hinted(link.hints) or self.alert_blocker(incident):
            return []
        return self.trigger_alert(incident, automatic=True)

    def _intake_deadlines(self) -> list[tuple[datetime, str, str]]:
        """(when, incident, "silent" / "close") for incidents whose dispatch system is quiet."""
        silent = timedelta(seconds=self.config.intake_silent_after_s)
        close = timedelta(seconds=self.config.intake_close_after_s)
        out = []
        for incident in self._intake_incident.values():
            s = self.states[incident]
            if s.intake is None or not s.is_open:
                continue
            if s.intake.silent_since is None:
                out.append((s.intake.heard_at + silent, incident, "silent"))
            out.append((s.intake.heard_at + close, incident, "close"))
        return out

    def _orphans(self, now: datetime) -> list[Pending]:
        batch: list[Pending] = []
        for when, incident, what in self._intake_deadlines():
            if when > now:
                continue
            s = self.states[incident]
            assert s.intake is not None
            heard = s.intake.heard_at
            if what == "silent":
                batch.append((incident, "intake_silent", {"last_heard": heard.isoformat(),
                                                          "silent_s": round((now - heard).total_seconds())}))
            else:
                batch += self._close_batch(s, reason="intake_silent", last_heard=heard.isoformat())
        return batch

    # -- time ----------------------------------------------------------------------------
    def next_deadline(self) -> datetime | None:
        timeout = timedelta(seconds=self.config.response_timeout_s)
        times = [
            r.alerted_at + timeout
            for s in self.states.values()
            if s.alarm_open
            for r in s.responders.values()
            if r.state == "alerted" and r.alerted_at is not None
        ]
        times += [when for when, _, _ in self._intake_deadlines()]
        return min(times) if times else None

    def tick(self) -> list[Event]:
        """Lapse unanswered alerts whose time is up."""
        now = self.clock.now()
        timeout = timedelta(seconds=self.config.response_timeout_s)
        batch: list[Pending] = [
            (s.id, "responder_timed_out", {"responder": r.id})
            for s in self.states.values()
            if s.alarm_open
            for r in s.responders.values()
            if r.state == "alerted" and r.alerted_at is not None and r.alerted_at + timeout <= now
        ]
        if self._intake_incident:
            batch += self._orphans(now)
        return self._commit(batch) if batch else []
