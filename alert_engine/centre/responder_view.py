"""What one responder's web app is shown: a pure function of the incident's fold.

The page never sees an event. It sees `responder_view(state, responder, ...)`: their own
role, distance and next step, computed from the same IncidentState every console folds,
so the app and the dispatcher cannot disagree about where a responder stands. The rules
of what may be shown live here, in one place, and the tests read them back:

- nothing about any other responder: no ids, pseudonyms, positions, or counts;
- only the responder's own AED (an AED runner's), never the other AEDs of the alarm;
- the cabinet code only to a runner of that AED who accepted, while the AED is still in
  its cabinet (once fetched nobody needs it);
- the victim's exact point, address and location description only to a responder who
  accepted and is on the way or there; before that, the point rounded to a ~100 m grid.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..geo import point_rd
from ..registry.table import Registry
from ..state import AedState, IncidentState, ResponderState

# An answered or ended alarm stays on the phone this long (then the home screen returns),
# so a responder who looks later still learns it was called off.
SHOWN_AFTER_END = timedelta(hours=12)
# Before accepting, the victim's point is rounded to 3 decimals: a ~110 x 70 m cell.
APPROX_DECIMALS = 3
APPROX_RADIUS_M = 100  # the circle the page draws around the rounded point covers the true one
RECENT_PER_RESPONDER = 5


@dataclass(frozen=True, slots=True)
class AedInfo:
    description: str
    cabinet_code: str


def registry_aed(registry: Registry) -> Callable[[str], AedInfo | None]:
    def lookup(aed_id: str) -> AedInfo | None:
        i = registry.a_index.get(aed_id)
        if i is None:
            return None
        return AedInfo(str(registry.a_description[i]), str(registry.a_cabinet[i]))
    return lookup


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x1, y1 = point_rd(lat1, lon1)
    x2, y2 = point_rd(lat2, lon2)
    return math.hypot(x2 - x1, y2 - y1)


def _iso(t: datetime | None) -> str | None:
    return t.isoformat(timespec="seconds") if t is not None else None


def status_of(s: IncidentState, r: ResponderState) -> tuple[str, str | None]:
    """(status, reason) as the page knows them, from the responder's state in the fold.

    The fold keeps no reason per cancelled responder, but a cancellation is written in the
    same commit (at the same time) as what caused it: the target being met, the
    dispatcher's cancel, the close; otherwise (a test alarm) a real alarm took them off."""
    state = r.state
    if state == "cancelled":
        t = r.cancelled_at
        if s.target_met_at is not None and t == s.target_met_at:
            return "not_needed", "target_reached"
        if t is not None and t == s.alarm_cancelled_at:
            return "cancelled", "dispatcher"
        if t is not None and t == s.closed_at:
            return "cancelled", "closed"
        return "cancelled", "live_alarm" if s.mode == "test" else "dispatcher"
    if state == "oversupply":
        return "not_needed", "oversupply"
    if state in ("alerted", "timed_out"):
        return (state, None) if s.alarm_open else ("ended", None)
    if state in ("accepted", "arrived"):
        return (state, None) if s.is_open and s.alarm_cancelled_at is None else ("ended", None)
    return state, None  # declined


def _ended_at(s: IncidentState, r: ResponderState, status: str) -> datetime | None:
    if status in ("alerted", "timed_out", "accepted", "arrived"):
        return None
    for t in (r.cancelled_at, r.answered_at if status in ("declined", "not_needed") else None,
              s.alarm_cancelled_at, s.closed_at):
        if t is not None:
            return t
    return s.last_time


def responder_view(s: IncidentState, responder: str, aed_info: Callable[[str], AedInfo | None],
                   response_timeout_s: float) -> dict[str, Any] | None:
    """The page's whole picture of one alarm for one responder (None: not alerted for it)."""
    r = s.responders.get(responder)
    if r is None:
        return None
    status, reason = status_of(s, r)
    coming = status in ("accepted", "arrived")
    exact = coming
    victim: dict[str, Any]
    if exact:
        victim = {"lat": s.lat, "lon": s.lon, "exact": True,
                  "address": str(s.facts.get("address") or "") or None,
                  "description": str(s.facts.get("location_description") or "") or None}
    else:
        victim = {"lat": round(s.lat, APPROX_DECIMALS), "lon": round(s.lon, APPROX_DECIMALS), "exact": False,
                  "radius_m": APPROX_RADIUS_M, "address": None, "description": None}
    test = s.mode == "test"
    # A test alarm has no victim: its point is the municipality's centre, its distance means
    # nothing, and answering is the whole exercise.
    if test or status in ("declined", "cancelled", "not_needed", "ended"):
        victim = {"lat": None, "lon": None, "exact": False, "address": None, "description": None}

    aed = _aed_view(s, r, aed_info, status) if r.role == "aed" and r.aed else None
    actions: list[str] = []
    if status in ("alerted", "timed_out"):
        actions = ["accept", "decline"]
    elif status == "accepted" and not test:
        actions = ["arrived"]
        if aed is not None and aed["state"] == "assigned":
            actions.insert(0, "aed_fetched")
    had_accepted = r.answered_at is not None and r.state != "declined"
    answer_by = r.alerted_at + timedelta(seconds=response_timeout_s) if r.alerted_at else None
    return {
        "incident": s.id,
        "mode": s.mode,
        "status": status,
        "reason": reason,
        "role": r.role,
        # FirstAED's third role (option coordinator_role): only whether it is this
        # responder's own; who else is coming stays out of the view.
        "coordinator": s.coordinator == r.id and status in ("accepted", "arrived"),
        "distance_m": None if test else round(r.distance_m),
        "me": {"lat": r.lat, "lon": r.lon} if r.lat is not None and r.lon is not None else None,
        "victim": victim,
        "aed": aed,
        "actions": actions,
        "alerted_at": _iso(r.alerted_at),
        "answer_by": _iso(answer_by) if status == "alerted" else None,
        "answered_at": _iso(r.answered_at),
        "arrived_at": _iso(r.arrived_at),
        "ended_at": _iso(_ended_at(s, r, status)),
        "acknowledged": getattr(r, "acknowledged_at", None) is not None,
        # Aftercare is for whoever set out (issue 15 builds the questionnaire).
        "aftercare": had_accepted and not test and status in ("arrived", "cancelled", "ended", "not_needed"),
        "seq": s.last_seq,
    }


def _aed_view(s: IncidentState, r: ResponderState, aed_info: Callable[[str], AedInfo | None],
              status: str) -> dict[str, Any] | None:
    a: AedState | None = s.aeds.get(r.aed or "")
    if a is None or a.lat is None or a.lon is None:
        return None
    info = aed_info(a.id)
    mine = r.id in a.runners
    code = None
    if mine and status == "accepted" and a.state == "assigned" and info is not None and info.cabinet_code:
        code = info.cabinet_code
    out: dict[str, Any] = {
        "id": a.id,
        "description": info.description if info else "",
        "state": a.state,
        "to_victim_m": round(a.distance_m),
        "cabinet_code": code,
    }
    if status in ("alerted", "timed_out", "accepted"):
        out |= {"lat": a.lat, "lon": a.lon}
        if r.lat is not None and r.lon is not None:
            out["distance_m"] = round(_metres(r.lat, r.lon, a.lat, a.lon))
    # After the alarm: only whether it must go back (the page asks to return a fetched AED).
    return out


def carries_text(view: dict[str, Any] | None, needle: str) -> bool:
    """Does a view mention `needle` anywhere (tests: a cabinet code, another responder)?"""
    return view is not None and needle in json.dumps(view, ensure_ascii=False)


class AlarmIndex:
    """Which incidents alerted which responder, read from the published log's alert_sent
    events; only the latest few per responder (the page shows one)."""

    def __init__(self, read_after: Callable[[int], list[Any]]) -> None:
        self._read_after = read_after
        self._cursor = 0
        self._by_responder: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def refresh(self) -> None:
        with self._lock:
            batch = self._read_after(self._cursor)
            for p in batch:
                if p.type != "alert_sent":
                    continue
                for r in json.loads(p.json)["responders"]:
                    mine = self._by_responder.setdefault(r["id"], [])
                    if p.incident not in mine:
                        mine.append(p.incident)
                        del mine[:-RECENT_PER_RESPONDER]
            if batch:
                self._cursor = batch[-1].seq

    def incidents_of(self, responder: str) -> list[str]:
        return list(self._by_responder.get(responder, ()))


def current_view(states: dict[str, IncidentState], incidents: list[str], responder: str,
                 aed_info: Callable[[str], AedInfo | None], response_timeout_s: float,
                 now: datetime) -> dict[str, Any] | None:
    """The one alarm the page shows: the one holding the responder, else the latest one
    alerted, while it ended less than SHOWN_AFTER_END ago."""
    views = []
    for inc in incidents:
        s = states.get(inc)
        if s is None:
            continue
        v = responder_view(s, responder, aed_info, response_timeout_s)
        if v is not None:
            views.append(v)
    if not views:
        return None
    live = [v for v in views if v["ended_at"] is None]
    if live:
        # A real alarm before a test one (the engine takes them off the test first anyway).
        return sorted(live, key=lambda v: (v["mode"] != "test", v["alerted_at"] or ""))[-1]
    latest = max(views, key=lambda v: v["alerted_at"] or "")
    ended = datetime.fromisoformat(latest["ended_at"])
    return latest if now - ended <= SHOWN_AFTER_END else None
