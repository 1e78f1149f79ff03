"""Deduplication and updates: what a new message means, given the last one of its incident.

Pure functions over IntakeMessage values; the caller keeps `Decision.current` per
incident key and turns each `Change` into an event with the message's source:

- no previous message: a new incident (a cancel for an unknown incident is ignored);
- the same fingerprint as the last message, or an older `sent` time: a duplicate,
  ignored (a resent or reordered message must not undo a newer one);
- otherwise an update with the list of changes, possibly empty (a heartbeat: the
  dispatch system still knows the incident). What a message leaves out is not reported,
  not removed: `current` keeps the previous value.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from .message import Hint, IntakeMessage, Location, Triage, Unit
from .pidf import distance_m

Outcome = Literal["new", "update", "duplicate", "ignored"]
ChangeKind = Literal[
    "location_known",
    "location_moved",
    "address_changed",
    "age_known",
    "age_changed",
    "triage_changed",
    "hint_added",
    "note_added",
    "unit_added",
    "unit_status_changed",
    "unit_eta_changed",
    "cancelled",
    "reopened",
]
# A point that moves less than this is the same point: AML and GNSS fixes jitter by tens
# of metres, and an alert radius is hundreds; smaller moves would only flood the log.
MOVE_MIN_M = 25.0
# ETAs are recomputed by the dispatch system every few seconds; a change under this is
# noise for a countdown that shows minutes and seconds.
ETA_CHANGE_MIN_S = 15.0


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, **self.data}


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reason: str
    current: IntakeMessage | None  # what to keep for the incident (None: nothing known)
    changes: tuple[Change, ...] = ()


def decide(previous: IntakeMessage | None, new: IntakeMessage) -> Decision:
    if previous is None:
        if new.kind == "cancel":
            return Decision(
                "ignored", "a cancellation of an incident that was never received", None
            )
        return Decision("new", "first message of this incident", new)
    if previous.key != new.key:
        raise ValueError(f"messages of two incidents: {previous.key} and {new.key}")
    if new.fingerprint == previous.fingerprint:
        return Decision("duplicate", "the same message again", previous)
    if new.sent < previous.sent:
        when = previous.sent.isoformat(timespec="seconds")
        return Decision("duplicate", f"older than the message of {when} already applied", previous)
    changes = _changes(previous, new)
    return Decision("update", f"{len(changes)} change(s)", _merged(previous, new), changes)


def _reopens(old: IntakeMessage, new: IntakeMessage) -> bool:
    """After a cancellation, only a message that says the incident is live again reopens
    it: an EIDO (full state) whose status no longer says so, or a GMS "new". A late GMS
    "update" (a unit returning) does not."""
    if old.kind != "cancel" or new.kind == "cancel":
        return False
    return new.kind == "new" or new.source == "eido"


def _still_cancelled(old: IntakeMessage, new: IntakeMessage) -> bool:
    return new.kind == "cancel" or (old.kind == "cancel" and not _reopens(old, new))


def _changes(old: IntakeMessage, new: IntakeMessage) -> tuple[Change, ...]:
    changes: list[Change] = []
    if _reopens(old, new):
        changes.append(Change("reopened"))
    changes += _location_changes(old.location, new.location)
    if new.patient_age_years is not None and new.patient_age_years != old.patient_age_years:
        if old.patient_age_years is None:
            changes.append(Change("age_known", {"age_years": new.patient_age_years}))
        else:
            changes.append(
                Change("age_changed", {"from": old.patient_age_years, "to": new.patient_age_years})
            )
    if new.triage is not None and _triage_data(new.triage) != _triage_data(old.triage):
        changes.append(
            Change(
                "triage_changed", {"from": _triage_data(old.triage), "to": _triage_data(new.triage)}
            )
        )
    known = {_hint_key(h) for h in old.hints}
    changes += [Change("hint_added", _hint_data(h)) for h in new.hints if _hint_key(h) not in known]
    changes += [Change("note_added", {"text": n}) for n in new.notes if n not in old.notes]
    changes += _unit_changes({u.id: u for u in old.units}, new.units)
    if new.kind == "cancel" and old.kind != "cancel":
        changes.append(Change("cancelled", {"reason": new.cancel_reason}))
    return tuple(changes)


def _location_changes(old: Location | None, new: Location | None) -> list[Change]:
    if new is None:
        return []
    changes = []
    before = None if old is None else old.point
    after = new.point
    if after is not None:
        if before is None:
            changes.append(Change("location_known", _point_data(new)))
        else:
            moved = distance_m(*before, *after)
            if moved >= MOVE_MIN_M:
                changes.append(Change("location_moved", {
                    **_point_data(new), "from": {"lat": before[0], "lon": before[1]},
                    "distance_m": round(moved, 1),
                }))  # fmt: skip
    old_label = None if old is None or old.address is None else old.address.label
    if new.address is not None and new.address.label != old_label:
        changes.append(Change("address_changed", {"from": old_label, "to": new.address.label}))
    return changes


def _unit_changes(old: dict[str, Unit], units: tuple[Unit, ...]) -> list[Change]:
    changes = []
    for unit in units:
        before = old.get(unit.id)
        eta = None if unit.eta is None else unit.eta.isoformat()
        if before is None:
            changes.append(
                Change("unit_added", {"unit": unit.id, "status": unit.status, "eta": eta})
            )
            continue
        if unit.status != before.status:
            changes.append(
                Change(
                    "unit_status_changed",
                    {"unit": unit.id, "from": before.status, "to": unit.status},
                )
            )
        if unit.eta is not None and (
            before.eta is None or abs((unit.eta - before.eta).total_seconds()) >= ETA_CHANGE_MIN_S
        ):
            changes.append(Change("unit_eta_changed", {
                "unit": unit.id, "from": None if before.eta is None else before.eta.isoformat(), "to": eta,
            }))  # fmt: skip
    return changes


def _merged(old: IntakeMessage, new: IntakeMessage) -> IntakeMessage:
    """`new`, with what it left out taken from `old` (units by id, hints and notes added)."""
    units = {u.id: u for u in old.units}
    for unit in new.units:
        before = units.get(unit.id)
        keep_eta = before is not None and unit.eta is None
        units[unit.id] = replace(unit, eta=before.eta) if keep_eta and before else unit
    known = {_hint_key(h) for h in new.hints}
    cancelled = _still_cancelled(old, new)
    return replace(
        new,
        kind="cancel" if cancelled else new.kind,
        triage=new.triage or old.triage,
        location=_merged_location(old.location, new.location),
        patient_age_years=new.patient_age_years
        if new.patient_age_years is not None
        else old.patient_age_years,
        hints=new.hints + tuple(h for h in old.hints if _hint_key(h) not in known),
        units=tuple(units.values()),
        notes=old.notes + tuple(n for n in new.notes if n not in old.notes),
        cancel_reason=(new.cancel_reason or old.cancel_reason) if cancelled else None,
        internal_id=new.internal_id or old.internal_id,
    )


def _merged_location(old: Location | None, new: Location | None) -> Location | None:
    if new is None or old is None:
        return new or old
    if new.point is None and old.point is not None:
        new = replace(new, lat=old.lat, lon=old.lon, uncertainty_m=old.uncertainty_m,
                      confidence_pct=old.confidence_pct)  # fmt: skip
    if new.address is None and old.address is not None:
        new = replace(new, address=old.address)
    return new


def _triage_data(triage: Triage | None) -> dict[str, Any] | None:
    if triage is None:
        return None
    return {"code": triage.code, "text": triage.text,
            "suspected": triage.suspected_cardiac_arrest, "rule": triage.rule}  # fmt: skip


def _point_data(location: Location) -> dict[str, Any]:
    return {"lat": location.lat, "lon": location.lon, "uncertainty_m": location.uncertainty_m}


def _hint_key(hint: Hint) -> tuple[str, str, str]:
    return hint.criterion, hint.matched.lower(), hint.text


def _hint_data(hint: Hint) -> dict[str, Any]:
    return {"criterion": hint.criterion, "matched": hint.matched, "text": hint.text,
            "field": hint.field, "negated": hint.negated}  # fmt: skip
