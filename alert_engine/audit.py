"""Check an event log against the contract's seven rules (used by tests and reviewers).

Returns readable violations instead of raising, so a reviewer sees all of them at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np

from .clock import local_day
from .config import AlertConfig
from .events import Event
from .lifecycle import HOLDING
from .registry.model import AedStatus
from .registry.table import AED_STATUS_CODES, SLOT_GPS, Registry
from .state import IncidentState, apply

_READY = AED_STATUS_CODES[AedStatus.READY]


def audit(
    events: Sequence[Event],
    config: AlertConfig,
    registry: Registry | None = None,
    recorded: Mapping[int, Mapping[str, IncidentState]] | None = None,
) -> list[str]:
    """Problems with a log against the contract's rules (empty: none found).

    `recorded` (rule 7): the states a live engine held right after the event with that seq,
    from an independent run; each must equal this audit's own fold of the log up to there."""
    problems: list[str] = []
    states: dict[str, IncidentState] = {}
    holder: dict[str, str] = {}  # responder -> incident whose alarm they hold
    ever_alerted: dict[str, set[str]] = {}
    aed_status = registry.a_status.copy() if registry is not None else None
    last_time: datetime | None = None
    for i, e in enumerate(events, start=1):
        if e.seq != i:
            problems.append(f"seq {e.seq} at position {i}: sequence has a gap or is out of order")
        if last_time is not None and e.time < last_time:
            problems.append(f"event {e.seq}: time goes backwards")
        last_time = e.time
        before = states.get(e.incident) or IncidentState.empty(e.incident)
        if e.type == "alert_sent":
            problems += _check_alert(e, before, config, registry, holder, ever_alerted, aed_status)
        if e.type == "responder_accepted" and before.target_met_at is not None:
            problems.append(f"event {e.seq}: accept after the target was met should be oversupply")
        try:
            after = apply(before, e)
        except Exception as exc:
            problems.append(f"event {e.seq}: illegal in its lifecycle ({exc})")
            continue
        states[e.incident] = after
        if recorded is not None and e.seq in recorded and dict(recorded[e.seq]) != states:
            differ = sorted(k for k in set(states) | set(recorded[e.seq]) if states.get(k) != recorded[e.seq].get(k))
            problems.append(f"event {e.seq}: rule 7: the live state of {', '.join(differ)} differs from the fold of the log")
        problems += _check_target(e, before, after, config)
        problems.extend(_track_holders(e, after, holder))
        if aed_status is not None and registry is not None and e.type in ("aed_check_requested", "aed_ready_confirmed"):
            idx = registry.a_index.get(e["aed"])
            if idx is not None:
                status = AedStatus.CHECK_NEEDED if e.type == "aed_check_requested" else AedStatus.READY
                aed_status[idx] = AED_STATUS_CODES[status]
    return problems


def _check_alert(
    e: Event,
    s: IncidentState,
    config: AlertConfig,
    registry: Registry | None,
    holder: dict[str, str],
    ever_alerted: dict[str, set[str]],
    aed_status: np.ndarray | None,
) -> list[str]:
    out: list[str] = []
    where = f"event {e.seq} (alert_sent {e.incident})"
    if s.mode != "test":
        if s.ambulance_dispatched_at is None:
            out.append(f"{where}: rule 1: no ambulance was dispatched before the alert")
        if s.exclusion_stands:
            out.append(f"{where}: rule 2: an exclusion stands without an override")
    responders, aeds = e["responders"], e["aeds"]
    if len(responders) > config.max_responders:
        out.append(f"{where}: rule 3: {len(responders)} responders > max {config.max_responders}")
    if len(aeds) > config.max_aeds:
        out.append(f"{where}: rule 3: {len(aeds)} AEDs > max {config.max_aeds}")
    aed_ids = {a["id"] for a in aeds}
    seen = ever_alerted.setdefault(e.incident, set())
    for r in responders:
        rid = r["id"]
        if rid in seen:
            out.append(f"{where}: rule 4: {rid} alerted twice for this incident")
        seen.add(rid)
        if rid in holder and holder[rid] != e.incident:
            out.append(f"{where}: rule 4: {rid} is still on the open alarm of {holder[rid]}")
        if r["role"] == "aed" and r.get("aed") not in aed_ids:
            out.append(f"{where}: rule 5: AED runner {rid} names AED {r.get('aed')} not in this alert")
        if r["role"] == "cpr" and r.get("aed") is not None:
            out.append(f"{where}: direct responder {rid} should have aed null")
    if registry is not None:
        out += _check_eligibility(e, where, registry, config, test=s.mode == "test")
        if aed_status is not None:
            idx = np.array([registry.a_index[a["id"]] for a in aeds if a["id"] in registry.a_index], np.int64)
            if len(idx):
                open_now = registry.patterns.open_at(registry.a_hours[idx], e.time)
                for i, ok_open in zip(idx, open_now, strict=True):
                    if aed_status[i] != _READY or not ok_open:
                        out.append(f"{where}: rule 3: AED {registry.a_ids[i]} was not ready and open")
    return out


def _check_eligibility(
    e: Event, where: str, reg: Registry, config: AlertConfig, test: bool = False
) -> list[str]:
    out = []
    today = local_day(e.time)
    for r in e["responders"]:
        i = reg.r_index.get(r["id"])
        if i is None:
            out.append(f"{where}: rule 3: {r['id']} is not in the registry")
            continue
        if not reg.r_active[i]:
            out.append(f"{where}: rule 3: {r['id']} is not active")
        if reg.r_cert_day[i] < today:
            out.append(f"{where}: rule 3: {r['id']}'s certificate had expired")
        if not reg.patterns.open_at(reg.r_avail[i : i + 1], e.time)[0]:
            out.append(f"{where}: rule 3: {r['id']} was not available at that time")
        if test:
            if not reg.r_test_opt_in[i]:
                out.append(f"{where}: test alarm reached {r['id']}, who did not opt in")
            continue  # a test alarm goes to the municipality's opted-in people, wherever they are
        slots = np.flatnonzero(reg.s_resp == i)
        gps_fresh = e.time.timestamp() - reg.r_gps_epoch[i] <= config.gps_stale_after_s
        valid = [
            (reg.s_kind[s] == SLOT_GPS) == gps_fresh
            and (reg.s_kind[s] == SLOT_GPS or bool(reg.patterns.open_at(reg.s_window[s : s + 1], e.time)[0]))
            for s in slots
        ]
        if not any(valid):
            out.append(f"{where}: rule 3: {r['id']} had no valid position at that time")
    return out


def _check_target(e: Event, before: IncidentState, after: IncidentState, config: AlertConfig) -> list[str]:
    if e.type != "cancellation_sent" or e["reason"] != "target_reached":
        return []
    out = []
    runners = sum(1 for r in before.responders.values() if r.role == "aed")
    need = min(config.target_aed_runners, runners)
    if before.accepted < config.target_responders or before.accepted_runners < need:
        out.append(f"event {e.seq}: rule 6: target_reached cancellation before the target was met")
    if set(e["responders"]) != set(before.pending):
        out.append(f"event {e.seq}: rule 6: cancellation did not go to exactly the responders without an answer")
    return out


def _track_holders(e: Event, s: IncidentState, holder: dict[str, str]) -> list[str]:
    """Who is held by which open alarm after `e`; a responder who becomes held by a second
    open alarm (a late accept, an arrival after cancellation) breaks rule 4."""
    if e.type in ("incident_closed", "alarm_cancelled"):
        for rid in s.responders:
            if holder.get(rid) == e.incident:
                del holder[rid]
        return []
    out = []
    for rid, r in s.responders.items():
        if r.state in HOLDING and s.is_open and s.alarm_cancelled_at is None:
            other = holder.get(rid)
            if other is not None and other != e.incident:
                out.append(f"event {e.seq}: rule 4: {rid} is held by {e.incident} while still on the open alarm of {other}")
            holder[rid] = e.incident
        elif holder.get(rid) == e.incident:
            del holder[rid]
    return out


def target_check_missing(events: Sequence[Event], config: AlertConfig) -> list[str]:
    """Rule 6 the other way round: a met target must be followed by its cancellation."""
    out = []
    states: dict[str, IncidentState] = {}
    for e in events:
        s = apply(states.get(e.incident) or IncidentState.empty(e.incident), e)
        states[e.incident] = s
    for inc, s in states.items():
        runners = sum(1 for r in s.responders.values() if r.role == "aed")
        need = min(config.target_aed_runners, runners)
        met = s.accepted >= config.target_responders and s.accepted_runners >= need
        if met and s.target_met_at is None and s.alarm_cancelled_at is None and any(
            r.state == "alerted" for r in s.responders.values()
        ):
            out.append(f"{inc}: rule 6: target met but responders still pending without cancellation")
    return out
