"""Debrief: what the trainee did and when, checked against the scenario's expected decisions.

Built from the training's events alone (plus the trainer's injections), so a debrief can be
made again later from the stored event log. The scenario's dispatcher steps give the model
times; its `expected` block says which decisions were right.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..events import Event
from ..exclusion.reasons import finding_text
from ..scenario.loader import Step
from .debrief_text import criteria_text, say
from .library import DISPATCHER_STEPS, TrainingScenario
from .session import Injection

LATE_S = 60.0  # later than the model answer by more than this: worth a remark


@dataclass(frozen=True, slots=True)
class TimelineRow:
    offset_s: float  # seconds since this incident's 112 call
    actor: str  # "trainee", "world", "trainer", "engine"
    text: str
    model_s: float | None = None  # when the model answer did the same


@dataclass(frozen=True, slots=True)
class Check:
    topic: str  # ambulance, order, decision, cancel, caller_instruction, oversupply, close
    verdict: str  # "good", "wrong", "note"
    text: str
    trainee_s: float | None = None
    model_s: float | None = None


@dataclass
class IncidentDebrief:
    scenario_incident: str
    incident: str
    timeline: list[TimelineRow] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    caller_instruction: list[tuple[str, float]] = field(default_factory=list)
    model: list[TimelineRow] = field(default_factory=list)


@dataclass
class Debrief:
    scenario_name: str
    slug: str
    briefing: str
    explanation: str
    made_at: datetime
    incidents: list[IncidentDebrief]
    warnings: list[str] = field(default_factory=list)
    lang: str = "nl"

    @property
    def checks(self) -> list[Check]:
        return [c for i in self.incidents for c in i.checks]

    @property
    def wrong(self) -> list[Check]:
        return [c for c in self.checks if c.verdict == "wrong"]

    @property
    def score(self) -> tuple[int, int]:
        """(good, judged): notes are remarks, not judged."""
        judged = [c for c in self.checks if c.verdict != "note"]
        return sum(1 for c in judged if c.verdict == "good"), len(judged)


def expectation(training: TrainingScenario, scenario_incident: str) -> dict[str, Any]:
    """The expected block for one incident: the top level, overridden by `incidents.<id>`."""
    top = {k: v for k, v in training.expected.items() if k != "incidents"}
    own = training.expected.get("incidents", {}).get(scenario_incident, {})
    return {**top, **own}


def build_debrief(
    training: TrainingScenario,
    events: Sequence[Event],
    ids: Mapping[str, str],
    injections: Iterable[Injection] = (),
    made_at: datetime | None = None,
    warnings: Sequence[str] = (),
    lang: str = "nl",
) -> Debrief:
    """ids maps the scenario's incident ids (I1) to the training's (OEF1-I1)."""
    injections = list(injections)
    out: list[IncidentDebrief] = []
    for scenario_inc, inc in ids.items():
        mine = [e for e in events if e.incident == inc]
        if not mine:
            continue
        steps = [st for st in training.scenario.steps if st.incident == scenario_inc]
        out.append(
            _incident(scenario_inc, inc, mine, steps, expectation(training, scenario_inc),
                      [i for i in injections if i.incident == inc], lang)
        )
    last = max((e.time for e in events), default=training.scenario.start)
    return Debrief(
        scenario_name=training.name,
        slug=training.slug,
        briefing=training.briefing,
        explanation=str(training.expected.get("explanation", "")),
        made_at=made_at or last,
        incidents=out,
        warnings=list(warnings),
        lang=lang,
    )


def debrief_session(session: Any, lang: str = "nl") -> Debrief:
    """The debrief of a running or finished TrainingSession."""
    return build_debrief(
        session.training,
        session.service.events(),
        session.ids,
        session.injections,
        made_at=session.clock.now(),
        warnings=session.warnings,
        lang=lang,
    )


# -- one incident ------------------------------------------------------------------------
def _first(events: Sequence[Event], typ: str, **match: Any) -> Event | None:
    return next((e for e in events if e.type == typ and all(e.get(k) == v for k, v in match.items())), None)


def _model_time(steps: Sequence[Step], do: str, last: bool = False, **match: Any) -> float | None:
    times = [st.at for st in steps if st.do == do and all(st.fields.get(k) == v for k, v in match.items())]
    if not times:
        return None
    return times[-1] if last else times[0]


def _incident(
    scenario_inc: str,
    inc: str,
    events: Sequence[Event],
    steps: Sequence[Step],
    exp: Mapping[str, Any],
    injections: Sequence[Injection],
    lang: str,
) -> IncidentDebrief:
    call = _first(events, "call_received")
    t0 = call.time if call is not None else events[0].time
    call_at = _model_time(steps, "call") or 0.0

    def off(t: datetime) -> float:
        return (t - t0).total_seconds()

    def model(do: str, last: bool = False, **match: Any) -> float | None:
        t = _model_time(steps, do, last, **match)
        return None if t is None else t - call_at

    d = IncidentDebrief(scenario_inc, inc)
    d.timeline = _timeline(events, injections, off, model, lang)
    d.model = [
        TimelineRow(st.at - call_at, "model", _model_step_text(st, lang))
        for st in steps
        if st.do in DISPATCHER_STEPS
    ]
    d.caller_instruction = [
        (str(e["state"]), off(e.time)) for e in events if e.type == "caller_instruction_changed"
    ]
    d.checks = _checks(events, exp, off, model, lang)
    return d


def _timeline(events, injections, off, model, lang: str) -> list[TimelineRow]:  # type: ignore[no-untyped-def]
    rows: list[TimelineRow] = []
    seen_first: set[str] = set()

    def once(key: str, row: TimelineRow) -> None:
        if key not in seen_first:
            seen_first.add(key)
            rows.append(row)

    for e in events:
        t = off(e.time)
        typ = e.type
        if typ == "call_received":
            where = e.get("address") or e.get("location_description") or f"{e['lat']:.5f}, {e['lon']:.5f}"
            rows.append(TimelineRow(t, "world", say(lang, "tl_call", where=where, age=_age(e.get("patient_age_years"), lang))))
        elif typ == "call_updated":
            rows.append(TimelineRow(t, "world", say(lang, "tl_update", changes=_changes(e["changes"], lang))))
        elif typ == "exclusion_assessed":
            checks = [finding_text(f, lang) for f in e.get("findings", []) if f.get("met") is None]
            if e["excluded"]:
                text = say(lang, "tl_excluded", criteria=criteria_text(e["criteria"], lang))
            else:
                text = say(lang, "tl_not_excluded")
            if checks:
                text += " · " + say(lang, "tl_check", what="; ".join(checks))
            rows.append(TimelineRow(t, "engine", text))
        elif typ == "ambulance_dispatched":
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_ambulance", unit=e["unit"]), model("ambulance_dispatched")))
        elif typ == "ambulance_arrived":
            rows.append(TimelineRow(t, "world", say(lang, "tl_ambulance_arrived", unit=e["unit"])))
        elif typ == "exclusion_overridden":
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_override", reason=e["reason"]), model("override_exclusion")))
        elif typ == "alert_refused":
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_refused", why=say(lang, f"why_{e['reason']}")), model("trigger_alert")))
        elif typ == "alert_sent":
            text = say(lang, "tl_alert", n=len(e["responders"]), aeds=len(e["aeds"]), radius=round(e["radius_m"]))
            rows.append(TimelineRow(t, "trainee", text, model("trigger_alert", last=True)))
        elif typ == "responder_accepted":
            once("accept", TimelineRow(t, "world", say(lang, "tl_first_accept", who=e["responder"])))
        elif typ == "cancellation_sent" and e["reason"] == "target_reached":
            rows.append(TimelineRow(t, "engine", say(lang, "tl_target")))
        elif typ == "responder_arrived":
            once("arrive", TimelineRow(t, "world", say(lang, "tl_first_arrive", who=e["responder"])))
        elif typ == "aed_connected":
            once("aed", TimelineRow(t, "world", say(lang, "tl_aed", aed=e["aed"])))
        elif typ == "caller_instruction_changed":
            state = str(e["state"])
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_instruction", state=say(lang, f"ci_{state}")),
                                    model("caller_instruction", state=state)))
        elif typ == "alarm_cancelled":
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_cancelled"), model("cancel_alarm")))
        elif typ == "oversupply_feedback":
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_feedback", note=e["note"]), model("oversupply_feedback")))
        elif typ == "incident_closed":
            rows.append(TimelineRow(t, "trainee", say(lang, "tl_closed"), model("close")))
    for i in injections:
        rows.append(TimelineRow(off(i.time), "trainer", i.text))
    order = {"world": 0, "trainer": 1, "engine": 2, "trainee": 3}
    return sorted(rows, key=lambda r: (r.offset_s, order.get(r.actor, 9)))


def _checks(events, exp, off, model, lang: str) -> list[Check]:  # type: ignore[no-untyped-def]
    out: list[Check] = []
    amb = _first(events, "ambulance_dispatched")
    sent = _first(events, "alert_sent")
    override = _first(events, "exclusion_overridden")
    refused_excl = _first(events, "alert_refused", reason="excluded")
    first_assessed = _first(events, "exclusion_assessed")
    criteria_at_call = list(first_assessed["criteria"]) if first_assessed is not None else []
    m_amb, m_alert = model("ambulance_dispatched"), model("trigger_alert", last=True)

    # 1. Ambulance first: alerting must never delay ambulance care.
    if amb is None:
        out.append(Check("ambulance", "wrong", say(lang, "ck_no_ambulance"), None, m_amb))
    else:
        t = off(amb.time)
        late = m_amb is not None and t > m_amb + LATE_S
        out.append(Check("ambulance", "note" if late else "good",
                         say(lang, "ck_ambulance_late" if late else "ck_ambulance", t=mmss(t)), t, m_amb))
    early = _first(events, "alert_refused", reason="no_ambulance")
    if early is not None:
        out.append(Check("order", "note", say(lang, "ck_alert_before_ambulance"), off(early.time), None))

    # 2. The exclusion decision and the alert.
    want = exp.get("alert") or ("sent" if m_alert is not None and not criteria_at_call else "refused")
    decisions = exp.get("decisions", {})
    want_override = bool(decisions.get("override", False))
    criteria = decisions.get("exclusion", criteria_at_call) or criteria_at_call
    decided = [e for e in (refused_excl, override, sent) if e is not None]
    t_dec = off(min(decided, key=lambda e: e.seq).time) if decided else None
    if want == "refused":
        if sent is not None and override is not None:
            out.append(Check("decision", "wrong", say(lang, "ck_override_wrong", criteria=criteria_text(criteria, lang),
                                                      reason=override["reason"]), off(override.time), None))
        elif sent is not None:
            out.append(Check("decision", "wrong", say(lang, "ck_alert_despite", criteria=criteria_text(criteria, lang)),
                             off(sent.time), None))
        else:
            out.append(Check("decision", "good", say(lang, "ck_refused_ok", criteria=criteria_text(criteria, lang)),
                             t_dec, model("trigger_alert")))
    else:
        no_reach = _first(events, "alert_refused", reason="no_responders_in_reach")
        if want_override and override is None and sent is None:
            out.append(Check("decision", "wrong", say(lang, "ck_override_missing", criteria=criteria_text(criteria, lang)),
                             t_dec, model("override_exclusion")))
        elif sent is None and no_reach is not None:
            out.append(Check("decision", "note", say(lang, "ck_no_reach"), off(no_reach.time), m_alert))
        elif sent is None:
            out.append(Check("decision", "wrong", say(lang, "ck_not_alerted"), t_dec, m_alert))
        else:
            t = off(sent.time)
            if want_override and override is not None:
                out.append(Check("decision", "good", say(lang, "ck_override_ok", reason=override["reason"]),
                                 off(override.time), model("override_exclusion")))
            late = m_alert is not None and t > m_alert + LATE_S
            out.append(Check("alert", "note" if late else "good",
                             say(lang, "ck_alert_late" if late else "ck_alert_ok", t=mmss(t)), t, m_alert))

    # 3. New facts after the alert that exclude: the alarm must be withdrawn.
    out += _cancel_checks(events, exp, sent, off, model, lang)

    # 4. Caller instruction (CPR coaching until someone takes over).
    instructing = _first(events, "caller_instruction_changed", state="instructing")
    m_ci = model("caller_instruction", state="instructing")
    if instructing is None:
        out.append(Check("caller_instruction", "wrong", say(lang, "ck_no_instruction"), None, m_ci))
    else:
        t = off(instructing.time)
        late = m_ci is not None and t > m_ci + LATE_S
        out.append(Check("caller_instruction", "note" if late else "good",
                         say(lang, "ck_instruction_late" if late else "ck_instruction", t=mmss(t)), t, m_ci))
        m_ho = model("caller_instruction", state="handed_over")
        handed = _first(events, "caller_instruction_changed", state="handed_over")
        if m_ho is not None and handed is None:
            out.append(Check("caller_instruction", "note", say(lang, "ck_no_handover"), None, m_ho))

    # 5. Oversupply feedback and closing.
    m_fb = model("oversupply_feedback")
    if m_fb is not None and _first(events, "oversupply_feedback") is None:
        out.append(Check("oversupply", "note", say(lang, "ck_no_feedback"), None, m_fb))
    if _first(events, "incident_closed") is None:
        out.append(Check("close", "note", say(lang, "ck_not_closed"), None, model("close")))
    return out


def _cancel_checks(events, exp, sent, off, model, lang: str) -> list[Check]:  # type: ignore[no-untyped-def]
    if sent is None:
        return []
    cancelled = _first(events, "alarm_cancelled")
    # The first assessment after the alert that excludes, with no override after it.
    # Only criteria that were not known when the alert went out count as new facts.
    before = [e for e in events if e.type == "exclusion_assessed" and e.seq < sent.seq]
    known = set(before[-1]["criteria"]) if before else set()
    turned: Event | None = None
    for e in events:
        if e.seq <= sent.seq:
            continue
        if e.type == "exclusion_assessed" and set(e["criteria"]) - known and turned is None:
            turned = e
        if e.type == "exclusion_overridden" and turned is not None and e.seq > turned.seq:
            turned = None
    must = turned is not None or bool(exp.get("cancel"))
    m_cancel = model("cancel_alarm")
    if must:
        since = off(turned.time) if turned is not None else None
        what = criteria_text(turned["criteria"], lang) if turned is not None else say(lang, "new_facts")
        if cancelled is None:
            return [Check("cancel", "wrong", say(lang, "ck_not_cancelled", what=what, since=mmss(since)), None, m_cancel)]
        t = off(cancelled.time)
        return [Check("cancel", "good", say(lang, "ck_cancelled", what=what, after=mmss(t - since if since is not None else None)),
                      t, m_cancel)]
    if cancelled is not None and cancelled["by"] == "dispatcher":
        return [Check("cancel", "note", say(lang, "ck_cancelled_unexpected"), off(cancelled.time), m_cancel)]
    return []


# -- words -------------------------------------------------------------------------------
def mmss(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    sign = "-" if seconds < 0 else ""
    m, s = divmod(round(abs(seconds)), 60)
    return f"{sign}{m}:{s:02d}"


def _age(age: Any, lang: str) -> str:
    if age is None:
        return say(lang, "age_unknown")
    years = float(age)
    if years < 1:
        return say(lang, "age_months", n=round(years * 12))
    return say(lang, "age_years", n=f"{years:g}")


def _changes(changes: Mapping[str, Any], lang: str) -> str:
    parts = []
    for k, v in changes.items():
        if k == "patient_age_years":
            parts.append(_age(v, lang))
        elif k in ("suicide", "trauma", "violence"):
            parts.append(criteria_text([k], lang) + (" " + say(lang, "yes") if v else " " + say(lang, "no")))
        else:
            parts.append(f"{k}: {v}")
    return ", ".join(parts)


def _model_step_text(st: Step, lang: str) -> str:
    f = st.fields
    if st.do == "ambulance_dispatched":
        return say(lang, "tl_ambulance", unit=f["unit"])
    if st.do == "trigger_alert":
        return say(lang, "m_alert")
    if st.do == "override_exclusion":
        return say(lang, "tl_override", reason=f["reason"])
    if st.do == "caller_instruction":
        return say(lang, "tl_instruction", state=say(lang, f"ci_{f['state']}"))
    if st.do == "cancel_alarm":
        return say(lang, "tl_cancelled")
    if st.do == "oversupply_feedback":
        return say(lang, "tl_feedback", note=f.get("note", ""))
    return say(lang, "tl_closed")
