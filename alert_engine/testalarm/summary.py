"""What a test alarm showed: who was reached, who answered, accepted and arrived, and how fast.

Made from the events alone (the fold plus the cancellations), so a summary can be made
again later from the live event store. Exports carry pseudonyms, never names.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from ..errors import UnknownIncident
from ..events import Event
from ..state import fold
from ..views.figures import accepted_at

CHANNEL_NL = {"app": "app", "sms": "sms", "voice": "spraak"}
STATE_NL = {
    "alerted": "geen antwoord",
    "timed_out": "geen antwoord (verlopen)",
    "accepted": "geaccepteerd",
    "declined": "geweigerd",
    "arrived": "ter plaatse",
    "cancelled": "afgemeld",
    "oversupply": "geaccepteerd na afmelding",
}


@dataclass(frozen=True, slots=True)
class ResponderOutcome:
    id: str
    pseudonym: str
    distance_m: float
    state: str
    answer_s: float | None  # alert -> accept or decline
    arrived_s: float | None  # alert -> on scene
    taken_for_live: bool  # taken off the exercise by a real alarm
    # Issue 12: which channels the alert went out on, and when the phone confirmed it
    # (the app's acknowledgement, or a provider's delivery report as a hint).
    channels: tuple[str, ...] = ()
    acknowledged_s: float | None = None
    delivered_s: float | None = None

    @property
    def received(self) -> bool:
        return self.acknowledged_s is not None or self.delivered_s is not None or self.answer_s is not None


@dataclass
class ExerciseSummary:
    incident: str
    municipality: str
    started: datetime | None
    alerted: int = 0
    received: int = 0       # acknowledged by the app, reported delivered, or answered
    acknowledged: int = 0   # the app confirmed it (the real receipt)
    answered: int = 0
    accepted: int = 0
    declined: int = 0
    no_answer: int = 0
    arrived: int = 0
    taken_for_live: int = 0
    median_answer_s: float | None = None
    median_accept_s: float | None = None
    median_arrival_s: float | None = None
    refused_reason: str | None = None
    responders: list[ResponderOutcome] = field(default_factory=list)

    def rows(self) -> list[tuple[str, str]]:
        """(Dutch label, value) for a summary table."""
        return [
            ("Gemeente", self.municipality),
            ("Start", f"{self.started:%d-%m-%Y %H:%M:%S}" if self.started else "–"),
            ("Gealarmeerd", str(self.alerted)),
            ("Ontvangen", f"{self.received} ({_pct(self.received, self.alerted)})"),
            ("Ontvangst bevestigd door de app", f"{self.acknowledged} ({_pct(self.acknowledged, self.alerted)})"),
            ("Geantwoord", f"{self.answered} ({_pct(self.answered, self.alerted)})"),
            ("Geaccepteerd", f"{self.accepted} ({_pct(self.accepted, self.alerted)})"),
            ("Geweigerd", str(self.declined)),
            ("Geen antwoord", str(self.no_answer)),
            ("Ter plaatse", f"{self.arrived} ({_pct(self.arrived, self.alerted)})"),
            ("Afgemeld voor een echte reanimatie", str(self.taken_for_live)),
            ("Mediaan tijd tot antwoord", _mmss(self.median_answer_s)),
            ("Mediaan tijd tot accepteren", _mmss(self.median_accept_s)),
            ("Mediaan tijd tot ter plaatse", _mmss(self.median_arrival_s)),
        ]


def summarise(events: Sequence[Event], incident: str) -> ExerciseSummary:
    mine = [e for e in events if e.incident == incident]
    call = next((e for e in mine if e.type == "call_received"), None)
    if call is None:
        raise UnknownIncident(f"geen proefalarm {incident}")
    s = fold(mine, incident)
    taken = {rid for e in mine if e.type == "cancellation_sent" and e["reason"] == "live_alarm" for rid in e["responders"]}
    pseudonyms = {r["id"]: r.get("pseudonym", "") for e in mine if e.type == "alert_sent" for r in e["responders"]}
    yes = accepted_at(s, late=True)  # an exercise counts a late yes too: they answered
    out = ExerciseSummary(incident, str(call.get("municipality", "")), s.call_time)
    refusal = next((e for e in mine if e.type == "alert_refused"), None)
    out.refused_reason = str(refusal["reason"]) if refusal is not None else None
    answers, accepts, arrivals = [], [], []
    for r in sorted(s.responders.values(), key=lambda r: r.distance_m):
        start = r.alerted_at
        answer_s = (r.answered_at - start).total_seconds() if r.answered_at and start else None
        arrived_s = (r.arrived_at - start).total_seconds() if r.arrived_at and start else None
        ack_s = (r.acknowledged_at - start).total_seconds() if r.acknowledged_at and start else None
        delivered_s = (r.delivered_at - start).total_seconds() if r.delivered_at and start else None
        out.responders.append(
            ResponderOutcome(r.id, pseudonyms.get(r.id, r.pseudonym), r.distance_m, r.state, answer_s, arrived_s,
                             r.id in taken, r.channels, ack_s, delivered_s)
        )
        if answer_s is not None:
            answers.append(answer_s)
        if r.id in yes and start is not None:
            accepts.append((yes[r.id] - start).total_seconds())
        if arrived_s is not None:
            arrivals.append(arrived_s)
    out.alerted = len(s.responders)
    out.received = sum(1 for r in out.responders if r.received)
    out.acknowledged = sum(1 for r in out.responders if r.acknowledged_s is not None)
    out.accepted = len(yes)
    out.declined = sum(1 for r in s.responders.values() if r.state == "declined")
    out.answered = out.accepted + out.declined
    out.arrived = len(arrivals)
    out.taken_for_live = len(taken)
    out.no_answer = sum(
        1 for r in s.responders.values() if r.id not in yes and r.state != "declined" and r.id not in taken
    )
    out.median_answer_s = statistics.median(answers) if answers else None
    out.median_accept_s = statistics.median(accepts) if accepts else None
    out.median_arrival_s = statistics.median(arrivals) if arrivals else None
    return out


def to_csv(summary: ExerciseSummary) -> str:
    """Two parts in one file: the totals, a blank line, then one row per responder."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")  # ';' opens straight in Dutch Excel
    w.writerow(["proefalarm", summary.incident])
    for label, value in summary.rows():
        w.writerow([label, value])
    w.writerow([])
    w.writerow(["pseudoniem", "afstand_m", "status", "antwoord_s", "ter_plaatse_s", "afgemeld_voor_echt_alarm",
                "kanalen", "ontvangst_bevestigd_s"])
    for r in summary.responders:
        w.writerow([
            r.pseudonym or r.id,
            f"{r.distance_m:.0f}",
            STATE_NL.get(r.state, r.state),
            "" if r.answer_s is None else f"{r.answer_s:.0f}",
            "" if r.arrived_s is None else f"{r.arrived_s:.0f}",
            "ja" if r.taken_for_live else "nee",
            "+".join(r.channels),
            "" if r.acknowledged_s is None else f"{r.acknowledged_s:.0f}",
        ])
    return buf.getvalue()


def to_html(summary: ExerciseSummary) -> str:
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in summary.rows())
    people = "".join(
        f"<tr><td>{escape(r.pseudonym or r.id)}</td><td>{r.distance_m:.0f} m</td>"
        f"<td>{escape(STATE_NL.get(r.state, r.state))}</td><td>{_mmss(r.answer_s)}</td>"
        f"<td>{_mmss(r.arrived_s)}</td><td>{'ja' if r.taken_for_live else ''}</td>"
        f"<td>{escape(' + '.join(CHANNEL_NL.get(c, c) for c in r.channels))}</td><td>{_mmss(r.acknowledged_s)}</td></tr>"
        for r in summary.responders
    )
    return (
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
        f"<title>TEST – proefalarm {escape(summary.municipality)}</title>"
        "<style>body{font-family:sans-serif;font-size:10pt}th{text-align:left;background-color:#f2dcff}"
        "td,th{padding:3px 8px}table{border-collapse:collapse}</style></head><body>"
        '<table width="100%" cellpadding="8"><tr><td style="background-color:#7b2cbf;color:#ffffff;'
        f'font-size:15pt;font-weight:bold">TEST – proefalarm {escape(summary.municipality)}</td></tr></table>'
        f"<h2>Samenvatting {escape(summary.incident)}</h2>"
        f'<table border="1" cellspacing="0">{rows}</table>'
        "<h2>Per burgerhulpverlener (pseudoniem)</h2>"
        '<table border="1" cellspacing="0"><tr><th>Pseudoniem</th><th>Afstand</th><th>Status</th>'
        f"<th>Antwoord na</th><th>Ter plaatse na</th><th>Afgemeld (echt alarm)</th><th>Kanalen</th>"
        f"<th>Ontvangst bevestigd na</th></tr>{people}</table>"
        "</body></html>"
    )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "–"


def _mmss(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    m, s = divmod(round(seconds), 60)
    return f"{m}:{s:02d}"
