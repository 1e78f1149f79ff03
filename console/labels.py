"""Every word the console shows for an engine value (phase, state, role, mode), translatable.

Built on each call so a language switch takes effect the next time a view asks.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def phase_labels() -> dict[str, str]:
    return {
        "new": QCoreApplication.translate("Labels", "nieuw"),
        "excluded": QCoreApplication.translate("Labels", "uitgesloten"),
        "waiting_ambulance": QCoreApplication.translate("Labels", "wacht op ambulance"),
        "alerted": QCoreApplication.translate("Labels", "gealarmeerd"),
        "target_met": QCoreApplication.translate("Labels", "doel bereikt"),
        "handed_over": QCoreApplication.translate("Labels", "overgedragen"),
        "cancelled": QCoreApplication.translate("Labels", "ingetrokken"),
        "closed": QCoreApplication.translate("Labels", "gesloten"),
    }


def responder_state_labels() -> dict[str, str]:
    return {
        "alerted": QCoreApplication.translate("Labels", "gealarmeerd"),
        "accepted": QCoreApplication.translate("Labels", "geaccepteerd"),
        "declined": QCoreApplication.translate("Labels", "afgewezen"),
        "timed_out": QCoreApplication.translate("Labels", "geen reactie"),
        "arrived": QCoreApplication.translate("Labels", "ter plaatse"),
        "cancelled": QCoreApplication.translate("Labels", "geannuleerd"),
        "oversupply": QCoreApplication.translate("Labels", "overaanbod"),
    }


def role_labels() -> dict[str, str]:
    return {
        "cpr": QCoreApplication.translate("Labels", "Direct"),
        "aed": QCoreApplication.translate("Labels", "AED-loper"),
    }


def aed_state_labels() -> dict[str, str]:
    return {
        "assigned": QCoreApplication.translate("Labels", "toegewezen"),
        "fetched": QCoreApplication.translate("Labels", "opgehaald"),
        "connected": QCoreApplication.translate("Labels", "aangesloten"),
    }


def mode_labels() -> dict[str, str]:
    return {
        "live": QCoreApplication.translate("Labels", "LIVE"),
        "training": QCoreApplication.translate("Labels", "OEFENING"),
        "test": QCoreApplication.translate("Labels", "PROEF"),
    }


def intake_source_label(source: str | None) -> str:
    """The dispatch system a call came from, as the queue's badge shows it ("" for a typed call).
    Names of systems, not words: the same in both languages."""
    return {"gms": "GMS", "eido": "EIDO"}.get(source or "", (source or "").upper())


def caller_instruction_labels() -> dict[str, str]:
    return {
        "not_started": QCoreApplication.translate("Labels", "niet gestart"),
        "instructing": QCoreApplication.translate("Labels", "instructie loopt"),
        "handed_over": QCoreApplication.translate("Labels", "overgedragen"),
        "ended": QCoreApplication.translate("Labels", "beëindigd"),
    }


def mmss(seconds: float | None) -> str:
    """"m:ss" (or "h:mm:ss" past an hour); "–" when unknown."""
    if seconds is None:
        return "–"
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
