"""The incident report: one self-contained HTML page (print CSS), rendered from a jinja2 template.

Privacy by default (AVG, NEN 7510): responders appear as R-01, R-02 … in the order they
were alerted, never with a registry id or pseudonym; the victim's location is rounded to
0.01° (about 1 km) and no address is shown. A reviewer can choose exact locations or the
registry pseudonyms explicitly (`ReportOptions`); the report then says so in its header.
Map images are PNG bytes the caller took (the console grabs its map at chosen moments).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import jinja2

from ..aftercare.questionnaire import Summary
from ..config import AlertConfig
from ..eventlog.jsonl import LogIntegrity
from ..events import Event
from ..state import IncidentState, fold
from ..views.figures import accepted_at, arrived_at
from .intervals import Intervals, intervals, mmss
from .report_text import (
    CRITERIA_NL,
    LOCATION_KIND_NL,
    MODE_NL,
    RESPONDER_STATE_NL,
    ROLE_NL,
    describe,
    event_colour,
    event_label,
)

ROUNDING_DEG = 0.01  # ≈ 1.1 km north–south, ≈ 0.7 km east–west in the Netherlands


@dataclass(frozen=True)
class ReportOptions:
    exact_location: bool = False  # "exacte locatie tonen"
    real_pseudonyms: bool = False  # "echte pseudoniemen tonen"


@dataclass(frozen=True)
class MapImage:
    caption: str
    png: bytes
    at: datetime | None = None


@dataclass(frozen=True)
class ReportContext:
    """Who made the report and why (it is itself an access to personal data)."""

    reviewer: str = ""
    reason: str = ""
    source: str = ""
    generated_at: datetime | None = None


QUIET = frozenset({"annotation_added", "message_sent", "message_delivered", "message_acknowledged"})


def aliases(state: IncidentState, options: ReportOptions) -> dict[str, str]:
    """Responder id -> what the report calls them: R-01 … in alert order, or the pseudonym."""
    width = max(2, len(str(len(state.responders))))
    out = {}
    for n, r in enumerate(state.responders.values(), start=1):
        out[r.id] = (r.pseudonym or f"R-{n:0{width}d}") if options.real_pseudonyms else f"R-{n:0{width}d}"
    return out


def location_text(lat: float, lon: float, exact: bool) -> str:
    if exact:
        return f"{lat:.5f}° N, {lon:.5f}° O"
    return f"{round(lat / ROUNDING_DEG) * ROUNDING_DEG:.2f}° N, {round(lon / ROUNDING_DEG) * ROUNDING_DEG:.2f}° O (afgerond, ±1 km)"


def render_report(
    events: Sequence[Event],
    incident: str | None = None,
    integrity: LogIntegrity | None = None,
    options: ReportOptions | None = None,
    annotations: Sequence[Event] = (),
    maps: Sequence[MapImage] = (),
    context: ReportContext | None = None,
    target: int = AlertConfig().target_responders,
    aftercare: Summary | None = None,
) -> str:
    """The report as one HTML string (images inline, no external files). `aftercare`: the
    incident's questionnaire counts, where the caller has them (the seam's aftercare_summary)."""
    options = options or ReportOptions()
    context = context or ReportContext()
    incident = incident or events[0].incident
    # One row per message would bury the alarm under hundreds of lines: the report keeps
    # the failures and outages; the sending itself shows in the per-responder channels.
    mine = [e for e in events if e.incident == incident and e.type not in QUIET]
    if not mine:
        raise ValueError(f"no events for incident {incident}")
    state = fold(mine, incident)
    iv = intervals(mine, incident, state)
    names = aliases(state, options)
    roles = {
        r.id: ROLE_NL.get(r.role, r.role) + (f" ({r.aed})" if r.role == "aed" and r.aed else "")
        for r in state.responders.values()
    }
    t0 = state.call_time or mine[0].time
    page = {
        "incident": incident,
        "mode": MODE_NL.get(state.mode, state.mode),
        "mode_word": state.mode,
        "date": t0.strftime("%d-%m-%Y"),
        "call_clock": t0.strftime("%H:%M:%S"),
        "utc_offset": t0.strftime("%z")[:3] + ":" + t0.strftime("%z")[3:],
        "generated": (context.generated_at or datetime.now(t0.tzinfo)).strftime("%d-%m-%Y %H:%M"),
        "reviewer": context.reviewer,
        "reason": context.reason,
        "source": context.source,
        "options": options,
        "location": location_text(state.lat, state.lon, options.exact_location),
        "address": _address(state) if options.exact_location else "",
        "facts": _facts(state),
        "integrity": _integrity(integrity),
        "intervals": _interval_rows(iv),
        "six_minutes": iv.six_minute_zone,
        "alerted": state.alert_time is not None,
        "counts": _count_rows(iv),
        "chart_svg": chart_svg(state, mine, iv, target),
        "timeline": [_timeline_row(e, t0, names, options, roles) for e in mine],
        "responders": _responder_rows(state, t0, names),
        "silent": _silent(state),
        "aeds": _aed_rows(state, t0, names, mine),
        "maps": [
            {"caption": m.caption, "src": "data:image/png;base64," + base64.b64encode(m.png).decode("ascii"),
             "rel": _rel(m.at, t0) if m.at else ""}
            for m in maps
        ],
        "maps_withheld": not maps and not options.exact_location,
        "annotations": _annotation_rows(annotations, t0, None if options.real_pseudonyms else _redactor(state, names)),
        "closed": state.closed_at is not None,
        "phase": state.phase,
        "aftercare": _aftercare_rows(aftercare) if aftercare is not None else None,
    }
    return _template().render(**page)


# -- pieces ------------------------------------------------------------------------------------
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("alert_engine.review", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template("report.html.j2")


def _rel(t: datetime, t0: datetime) -> str:
    s = (t - t0).total_seconds()
    return ("T+" if s >= 0 else "T") + mmss(s)


def _address(state: IncidentState) -> str:
    parts = [str(state.facts.get(k) or "") for k in ("address", "location_description")]
    return " · ".join(p for p in parts if p)


def _facts(state: IncidentState) -> list[tuple[str, str]]:
    f = state.facts
    age = f.get("patient_age_years")
    rows = [
        ("Leeftijd patiënt", "onbekend" if age is None else f"{float(age):g} jaar"),
        ("Soort locatie", LOCATION_KIND_NL.get(str(f.get("location_kind") or ""), str(f.get("location_kind") or "–"))),
        (
            "Uitsluitcriteria",
            ", ".join(CRITERIA_NL.get(c, c) for c in state.criteria) if state.criteria else "geen van toepassing",
        ),
    ]
    if state.override_reason:
        rows.append(("Uitsluiting overruled", state.override_reason))
    rows.append(("Ambulance(s)", ", ".join(state.ambulance_units) or "–"))
    if state.radius_m is not None:
        rows.append(("Alarmeringsstraal", f"{state.radius_m:,.0f} m".replace(",", ".")))
    return rows


def _integrity(report: LogIntegrity | None) -> dict[str, Any]:
    if report is None:
        return {"status": "warning", "headline": "Integriteit niet gecontroleerd (geen controle meegegeven).",
                "findings": [], "notes": []}
    return {
        "status": report.status,
        "headline": report.headline_nl(),
        "findings": [f.nl for f in report.problem_findings + report.warnings if f.kind != "no_chain"],
        "notes": [f.nl for f in report.notes],
    }


def _interval_rows(iv: Intervals) -> list[dict[str, str]]:
    return [
        {
            "label": m.label_nl,
            "value": m.readable,
            "clock": m.at.strftime("%H:%M:%S") if m.at else "–",
            "since_call": mmss(m.since_call_s),
            "since_alert": mmss(m.since_alert_s) if m.since_alert_s is not None and m.since_alert_s >= 0 else "–",
            "missing": "1" if m.at is None else "",
        }
        for m in iv.milestones
    ]


def _aftercare_rows(s: Summary) -> dict[str, Any]:
    """Counts only: the answers are kept by pseudonym, and the report names none of them."""
    return {
        "asked": s.asked,
        "answered": s.answered,
        "rows": [
            ("Beantwoord", s.answered),
            ("Ter plaatse gekomen", s.arrived),
            ("Reanimatie al bezig", s.cpr_under_way),
            ("AED gebruikt", s.aed_used),
            ("Wil gebeld worden", s.wants_contact),
            ("Zit het niet lekker", s.distress),
            ("Op de nazorglijst", s.follow_up),
            ("Contact onderling (paren)", s.contact_between),
        ],
    }


def _count_rows(iv: Intervals) -> list[tuple[str, int]]:
    c = iv.counts
    return [
        ("Gealarmeerd", c.alerted),
        ("Geaccepteerd", c.accepted),
        ("Ter plaatse", c.arrived),
        ("Afgewezen", c.declined),
        ("Geen reactie (verlopen)", c.timed_out),
        ("Geannuleerd", c.cancelled),
        ("Overaanbod", c.oversupply),
        ("AED's gealarmeerd", c.aeds_alerted),
        ("AED's opgehaald", c.aeds_fetched),
        ("AED's aangesloten", c.aeds_connected),
    ]


def _timeline_row(
    e: Event, t0: datetime, names: Mapping[str, str], options: ReportOptions, roles: Mapping[str, str]
) -> dict[str, str]:
    return {
        "rel": _rel(e.time, t0),
        "clock": e.time.strftime("%H:%M:%S"),
        "label": event_label(e.type),
        "detail": describe(e, names, options.exact_location, location_text, roles),
        "colour": event_colour(e.type),
        "seq": str(e.seq),
    }


def _responder_rows(state: IncidentState, t0: datetime, names: Mapping[str, str]) -> list[dict[str, str]]:
    rows = []
    for r in state.responders.values():
        if r.answered_at is None and r.arrived_at is None and r.state != "timed_out":
            continue
        rows.append(
            {
                "name": names[r.id],
                "role": ROLE_NL.get(r.role, r.role),
                "aed": r.aed or "" if r.role == "aed" else "",
                "distance": f"{round(r.distance_m, -1):,.0f} m".replace(",", "."),
                "answer": _answer(state, r.id),
                "answered": _rel(r.answered_at, t0) if r.answered_at else "–",
                "arrived": _rel(r.arrived_at, t0) if r.arrived_at else "–",
                "cancelled": _rel(r.cancelled_at, t0) if r.cancelled_at else "–",
                "state": RESPONDER_STATE_NL.get(r.state, r.state),
                "state_word": r.state,
            }
        )
    return rows


def _answer(state: IncidentState, rid: str) -> str:
    r = state.responders[rid]
    if r.answered_at is None:
        return "geen"
    if rid in state.oversupply:
        return "te laat"
    return "afgewezen" if r.state == "declined" else "geaccepteerd"


def _silent(state: IncidentState) -> int:
    """Alerted responders who never answered (no accept, decline or arrival)."""
    return sum(1 for r in state.responders.values() if r.answered_at is None and r.arrived_at is None and r.state != "timed_out")


def _aed_rows(state: IncidentState, t0: datetime, names: Mapping[str, str], events: Sequence[Event]) -> list[dict[str, str]]:
    rows = []
    for a in state.aeds.values():
        runners = [names[rid] for rid in a.runners if rid in names]
        coming = [names[rid] for rid in a.runners if rid in state.responders and state.responders[rid].answered_at is not None
                  and state.responders[rid].state in ("accepted", "arrived", "cancelled", "oversupply")]
        rows.append(
            {
                "id": a.id,
                "distance": f"{round(a.distance_m, -1):,.0f} m".replace(",", "."),
                "runners": f"{len(runners)} gealarmeerd" + (f"; kwam: {', '.join(coming)}" if coming else ""),
                "fetched": _rel(a.fetched_at, t0) if a.fetched_at else "–",
                "connected": _rel(a.connected_at, t0) if a.connected_at else "–",
                # As the console's AED table: once the alarm is withdrawn or closed, an AED
                # nobody fetched is released, not still "assigned".
                "state": "vrijgegeven" if a.state == "assigned" and not state.alarm_open and state.alert_time
                else {"assigned": "toegewezen", "fetched": "opgehaald", "connected": "aangesloten"}.get(a.state, a.state),
                "checked": "controle gevraagd" if any(e.type == "aed_check_requested" and e["aed"] == a.id for e in events) else "",
            }
        )
    return rows


def _redactor(state: IncidentState, names: Mapping[str, str]) -> Callable[[str], str]:
    """Free text may name a responder by registry id or pseudonym: put the alias there too."""
    words: dict[str, str] = {}
    for r in state.responders.values():
        words[r.id] = names[r.id]
        if r.pseudonym:
            words[r.pseudonym] = names[r.id]
    if not words:
        return lambda text: text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?![\w-])")
    return lambda text: pattern.sub(lambda m: words[m.group(1)], text)


def _annotation_rows(
    annotations: Sequence[Event], t0: datetime, redact: Callable[[str], str] | None = None
) -> list[dict[str, str]]:
    rows = []
    for e in sorted(annotations, key=lambda a: str(a.get("at", ""))):
        try:
            at = datetime.fromisoformat(str(e["at"]))
            moment = f"{_rel(at, t0)} ({at.strftime('%H:%M:%S')})"
        except ValueError:
            moment = str(e["at"])
        rows.append(
            {"moment": moment, "author": str(e["author"]),
             "text": redact(str(e["text"])) if redact else str(e["text"]),
             "written": e.time.strftime("%d-%m-%Y %H:%M")}
        )
    return rows


# -- the chart (inline SVG, no pixels: sharp in print) ---------------------------------------
def chart_svg(
    state: IncidentState, events: Sequence[Event], iv: Intervals, target: int = 5, width: int = 680, height: int = 210
) -> str:
    """Cumulative accepts and arrivals since the call, with the milestones and the 6-minute mark."""
    t0 = state.call_time or events[0].time
    accepts = sorted((t - t0).total_seconds() for t in accepted_at(state).values())
    arrivals = sorted((t - t0).total_seconds() for t in arrived_at(state).values())
    marks = [(m.since_call_s, m.key) for m in iv.milestones if m.since_call_s is not None]
    horizon = max([600.0, *accepts, *arrivals, *(s for s, _ in marks)])
    horizon = min(horizon, max(600.0, (events[-1].time - t0).total_seconds()))
    horizon = 60.0 * (int(horizon // 60) + 1)
    top = max(target, len(accepts), len(arrivals)) + 1
    left, right, upper, lower = 38, 10, 36, 30
    pw, ph = width - left - right, height - upper - lower

    def x(s: float) -> float:
        return left + pw * min(max(s, 0.0), horizon) / horizon

    def y(n: float) -> float:
        return upper + ph * (1 - n / top)

    def steps(times: list[float]) -> str:
        pts = [(x(0), y(0))]
        for n, t in enumerate(times, start=1):
            pts += [(x(t), y(n - 1)), (x(t), y(n))]
        pts.append((x(horizon), y(len(times))))
        return " ".join(f"{a:.1f},{b:.1f}" for a, b in pts)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" '
             f'aria-label="Aantal geaccepteerd en ter plaatse in de tijd">']
    parts.append(f'<rect x="{left}" y="{upper}" width="{pw}" height="{ph}" fill="#fbfbfb" stroke="#c8c8c8"/>')
    six = x(360)
    parts.append(f'<rect x="{x(0):.1f}" y="{upper}" width="{six - x(0):.1f}" height="{ph}" fill="#e9f4ec"/>')
    step = 60 if horizon <= 900 else 120 if horizon <= 1800 else 300
    for s in range(0, int(horizon) + 1, step):
        parts.append(f'<line x1="{x(s):.1f}" y1="{upper}" x2="{x(s):.1f}" y2="{upper + ph}" stroke="#e2e2e2"/>')
        parts.append(f'<text x="{x(s):.1f}" y="{upper + ph + 12}" class="tick" text-anchor="middle">{s // 60}</text>')
    for n in range(0, top + 1, 1 if top <= 10 else 2 if top <= 20 else 5):
        parts.append(f'<text x="{left - 5}" y="{y(n) + 3:.1f}" class="tick" text-anchor="end">{n}</text>')
    parts.append(f'<line x1="{left}" y1="{y(target):.1f}" x2="{left + pw}" y2="{y(target):.1f}" stroke="#b42318" stroke-dasharray="2,3"/>')
    parts.append(f'<text x="{left + pw - 4}" y="{y(target) - 3:.1f}" class="note" text-anchor="end" fill="#b42318">doel {target}</text>')
    parts.append(f'<line x1="{six:.1f}" y1="{upper}" x2="{six:.1f}" y2="{upper + ph}" stroke="#1a7f37" stroke-width="1.2"/>')
    parts.append(f'<text x="{six - 3:.1f}" y="{upper + 10}" class="note" text-anchor="end" fill="#1a7f37">6 min</text>')
    short = {"ambulance_dispatched": "ambulance uit", "alert_sent": "alarm", "first_on_scene": "1e ter plaatse",
             "aed_connected": "AED aan", "ambulance_on_scene": "ambulance ter plaatse"}
    row_end = [float("-inf")] * 3  # milestone labels above the plot in up to three rows, none overlapping
    labelled = [(float(at), short[key]) for at, key in marks if key in short]
    for at, label in sorted(labelled):
        mx = x(at)
        label_w = 4.7 * len(label) + 6
        row = next((i for i, end in enumerate(row_end) if end < mx), len(row_end) - 1)
        row_end[row] = mx + label_w
        ly = 9.0 + 10 * row
        parts.append(f'<line x1="{mx:.1f}" y1="{ly + 2:.1f}" x2="{mx:.1f}" y2="{upper + ph}" stroke="#666" stroke-dasharray="1,2"/>')
        parts.append(f'<text x="{mx + 2:.1f}" y="{ly:.1f}" class="note" fill="#333">{html.escape(label)}</text>')
    parts.append(f'<text x="9" y="{upper + ph / 2:.1f}" class="tick" text-anchor="middle" '
                 f'transform="rotate(-90 9 {upper + ph / 2:.1f})">aantal</text>')
    parts.append(f'<polyline points="{steps(accepts)}" fill="none" stroke="#1a9e3a" stroke-width="2.2"/>')
    parts.append(f'<polyline points="{steps(arrivals)}" fill="none" stroke="#0b5a1d" stroke-width="2.2" stroke-dasharray="6,3"/>')
    parts.append(f'<text x="{left + pw / 2:.1f}" y="{height - 3}" class="tick" text-anchor="middle">minuten sinds de 112-melding</text>')
    parts.append("</svg>")
    return "".join(parts)
