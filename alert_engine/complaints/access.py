"""The access-log entries of complaint work (NEN 7513): one per registration, step, linked
report and list read, with the reason "klacht <id>" and no complaint text or contact."""

from __future__ import annotations

from collections.abc import Sequence

from ..events import Event
from ..review.access_log import AccessLog
from .model import ACCESS_REASON


def reason(complaint: str) -> str:
    return f"{ACCESS_REASON} {complaint}"


def entry_details(e: Event) -> dict[str, str]:
    """What the access log says of a complaint event: its id and step, never its text."""
    what = {"complaint_registered": "registered", "complaint_status_changed": str(e.get("status", "")),
            "complaint_report_linked": "report_linked"}.get(e.type, e.type)
    details = {"complaint": str(e["complaint"]), "step": what, "seq": str(e.seq)}
    if e.type == "complaint_report_linked":
        details["sha256"] = str(e["sha256"])
    return details


def log_complaint_events(log: AccessLog, who: str, events: Sequence[Event], source: str) -> None:
    for e in events:
        if e.type.startswith("complaint_"):
            log.append(who, "complaint", e.incident, reason(str(e["complaint"])), source, entry_details(e))
