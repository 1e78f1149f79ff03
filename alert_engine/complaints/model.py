"""Complaints (issue 15): the lifecycle, the checks on what is registered, and the fold.

A complaint is a case against one incident: who complains (a kind and a reference into the
centre's complaint file, never the person's name or number), what, and when it was received.
It moves received -> investigating -> answered; each step and each linked report is an event
on the incident, so the incident's hash chain and the review carry the whole case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ..clock import AMSTERDAM
from ..errors import IllegalTransition, InvalidInput, UnknownIncident
from ..events import Event

STATUSES = ("received", "investigating", "answered")
NEXT: Mapping[str, tuple[str, ...]] = {"received": ("investigating",), "investigating": ("answered",), "answered": ()}
STATUS_LABELS = {"received": "ontvangen", "investigating": "in onderzoek", "answered": "beantwoord"}
COMPLAINANTS = ("patient", "relative", "responder", "bystander", "aed_manager", "care_provider", "other")
COMPLAINANT_LABELS = {"patient": "patiënt", "relative": "naaste", "responder": "burgerhulpverlener",
                      "bystander": "omstander", "aed_manager": "AED-beheerder", "care_provider": "zorgverlener",
                      "other": "anders"}
REPORT_FORMATS = ("html", "pdf")
MAX_REFERENCE = 120
MAX_TEXT = 4000
ACCESS_REASON = "klacht"  # the access-log reason of every entry about a complaint (followed by its id)


@dataclass(frozen=True, slots=True)
class ComplaintStep:
    status: str
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReportLink:
    report: str  # the report's file name or document reference
    sha256: str
    format: str
    at: datetime
    by: str


@dataclass(frozen=True, slots=True)
class Complaint:
    id: str
    incident: str
    complainant: str
    contact: str
    summary: str
    received: date
    steps: tuple[ComplaintStep, ...]
    reports: tuple[ReportLink, ...] = ()

    @property
    def status(self) -> str:
        return self.steps[-1].status

    @property
    def registered_at(self) -> datetime:
        return self.steps[0].at

    @property
    def answered_at(self) -> datetime | None:
        return next((s.at for s in self.steps if s.status == "answered"), None)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "incident": self.incident, "complainant": self.complainant, "contact": self.contact,
                "summary": self.summary, "received": self.received.isoformat(), "status": self.status,
                "steps": [{"status": s.status, "at": s.at.isoformat(), "by": s.by, "note": s.note} for s in self.steps],
                "reports": [{"report": r.report, "sha256": r.sha256, "format": r.format, "at": r.at.isoformat(),
                             "by": r.by} for r in self.reports]}


def incident_of(complaint: str) -> str:
    """A complaint id is `<incident>-K<n>`: the incident it is about, or a clear error."""
    incident, sep, n = complaint.rpartition("-K")
    if not sep or not incident or not n.isdigit():
        raise UnknownIncident(f"complaint: {complaint!r} is not a complaint id (<incident>-K<n>)")
    return incident


def _text(field: str, value: Any, limit: int, *, one_line: bool) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field}: required")
    text = value.strip()
    if len(text) > limit:
        raise InvalidInput(f"{field}: at most {limit} characters")
    if one_line and any(c in text for c in "\r\n\t"):
        raise InvalidInput(f"{field}: one line")
    return text


def _received(value: Any, today: date) -> date:
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM).date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(f"received: {value!r} is not a date (YYYY-MM-DD)") from None
    if not isinstance(value, date):
        raise InvalidInput("received: required (YYYY-MM-DD)")
    if value > today:
        raise InvalidInput(f"received: {value.isoformat()} is in the future")
    return value


def registration(complaints: Mapping[str, Complaint], incident: str, mode: str, incident_day: date | None,
                 complainant: str, contact: str, summary: str, received: Any, by: str,
                 now: datetime) -> dict[str, Any]:
    """The `complaint_registered` event's data, after every field is checked (nothing is
    written on an error, which names the field)."""
    if mode == "training":
        raise InvalidInput("incident: a training incident involves no real people; a complaint needs a live or test alarm")
    if complainant not in COMPLAINANTS:
        raise InvalidInput(f"complainant: {complainant!r} is not one of {', '.join(COMPLAINANTS)}")
    day = _received(received, now.astimezone(AMSTERDAM).date())
    if incident_day is not None and day < incident_day:
        raise InvalidInput(f"received: {day.isoformat()} is before the incident ({incident_day.isoformat()})")
    return {"complaint": f"{incident}-K{len(complaints) + 1}", "complainant": complainant,
            "contact": _text("contact", contact, MAX_REFERENCE, one_line=True),
            "summary": _text("summary", summary, MAX_TEXT, one_line=False),
            "received": day.isoformat(), "by": _text("by", by, MAX_REFERENCE, one_line=True)}


def find(complaints: Mapping[str, Complaint], complaint: str) -> Complaint:
    found = complaints.get(complaint)
    if found is None:
        raise UnknownIncident(f"unknown complaint {complaint}")
    return found


def status_change(complaints: Mapping[str, Complaint], complaint: str, status: str, note: str,
                  by: str) -> dict[str, Any]:
    """The `complaint_status_changed` data; an answer needs a note (what was answered)."""
    c = find(complaints, complaint)
    if status not in STATUSES:
        raise InvalidInput(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    _check_step(c, status)
    text = note.strip() if isinstance(note, str) else ""
    if status == "answered" and not text:
        raise InvalidInput("note: an answered complaint needs a note saying what was answered")
    if len(text) > MAX_TEXT:
        raise InvalidInput(f"note: at most {MAX_TEXT} characters")
    return {"complaint": complaint, "status": status, "note": text, "by": _text("by", by, MAX_REFERENCE, one_line=True)}


def report_link(complaints: Mapping[str, Complaint], complaint: str, report: str, sha256: str, fmt: str,
                by: str) -> dict[str, Any]:
    find(complaints, complaint)
    digest = sha256.strip().lower() if isinstance(sha256, str) else ""
    if len(digest) != 64 or any(ch not in "0123456789abcdef" for ch in digest):
        raise InvalidInput("sha256: the report's SHA-256 as 64 hex digits")
    if fmt not in REPORT_FORMATS:
        raise InvalidInput(f"format: {fmt!r} is not one of {', '.join(REPORT_FORMATS)}")
    return {"complaint": complaint, "report": _text("report", report, 300, one_line=True), "sha256": digest,
            "format": fmt, "by": _text("by", by, MAX_REFERENCE, one_line=True)}


def _check_step(c: Complaint, status: str) -> None:
    if status not in NEXT.get(c.status, ()):
        since = next(s.at for s in reversed(c.steps) if s.status == c.status)
        allowed = " or ".join(NEXT.get(c.status, ())) or "nothing (it is answered)"
        raise IllegalTransition(f"cannot mark complaint {c.id} {status}: it is {c.status} since "
                                f"{since.astimezone(AMSTERDAM):%Y-%m-%d %H:%M}; next is {allowed}")


def fold(complaints: Mapping[str, Complaint], e: Event) -> dict[str, Complaint]:
    """The incident's complaints after one complaint event (raises on an illegal step)."""
    out = dict(complaints)
    cid = str(e["complaint"])
    if e.type == "complaint_registered":
        if cid in out:
            raise IllegalTransition(f"complaint {cid} is already registered")
        out[cid] = Complaint(cid, e.incident, str(e["complainant"]), str(e["contact"]), str(e["summary"]),
                             date.fromisoformat(str(e["received"])),
                             (ComplaintStep("received", e.time, str(e.get("by", ""))),))
        return out
    c = find(out, cid)
    if e.type == "complaint_status_changed":
        _check_step(c, str(e["status"]))
        step = ComplaintStep(str(e["status"]), e.time, str(e.get("by", "")), str(e.get("note", "")))
        out[cid] = replace(c, steps=(*c.steps, step))
    else:  # complaint_report_linked
        link = ReportLink(str(e["report"]), str(e["sha256"]), str(e["format"]), e.time, str(e.get("by", "")))
        out[cid] = replace(c, reports=(*c.reports, link))
    return out
