"""Dutch words for the report and the review timeline: event kinds, states, one line per event.

Kept apart from the console's translatable labels because the engine has no Qt; the words
match `console/labels.py` so the report and the screen say the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..events import Event

MODE_NL = {"live": "LIVE", "training": "OEFENING", "test": "PROEFALARM"}
ROLE_NL = {"cpr": "Direct", "aed": "AED-loper"}
RESPONDER_STATE_NL = {
    "alerted": "gealarmeerd",
    "accepted": "komt (geaccepteerd)",
    "declined": "afgewezen",
    "timed_out": "geen reactie",
    "arrived": "ter plaatse",
    "cancelled": "geannuleerd",
    "oversupply": "overaanbod",
}
CALLER_NL = {
    "not_started": "niet gestart",
    "instructing": "instructie loopt",
    "handed_over": "overgedragen",
    "ended": "beëindigd",
}
LOCATION_KIND_NL = {
    "home": "woning",
    "public": "openbare ruimte",
    "work": "werk",
    "motorway": "snelweg",
    "test": "proefalarm",
}
CRITERIA_NL = {
    "infant": "jonger dan 1 jaar",
    "suicide": "(poging tot) suïcide",
    "trauma": "ernstig (ongevals)letsel",
    "motorway": "risicolocatie (snelweg)",
    "violence": "mogelijk onveilige situatie",
}
REFUSAL_NL = {
    "excluded": "uitsluitcriterium van toepassing",
    "no_ambulance": "nog geen ambulance uitgegeven",
    "no_responders_in_reach": "geen beschikbare hulpverleners binnen bereik",
    "no_test_responders": "geen deelnemers voor het proefalarm",
    "cancelled": "melding geannuleerd door het meldkamersysteem",
    "none_before_ambulance": "niemand verwacht vóór de ambulance (ETA-bewust alarmeren)",
}
UNIT_STATUS_NL = {
    "dispatched": "uitgegeven", "en_route": "onderweg", "on_scene": "ter plaatse",
    "transporting": "vervoert", "cleared": "vrij", "cancelled": "geannuleerd", "unknown": "onbekend",
}
INTAKE_OUTCOME_NL = {"new": "nieuwe melding", "update": "bijgewerkt"}
CANCEL_NL = {
    "target_reached": "doel bereikt",
    "dispatcher": "door de centralist",
    "closed": "melding afgesloten",
    "live_alarm": "echte alarmering gaat voor",
    "dispatch_system": "geannuleerd door het meldkamersysteem",
}

# Event kind -> (label, colour). Colours group kinds: call and decisions blue, ambulance
# teal, alert purple, responders green/grey, AEDs orange, instruction brown, end dark grey.
EVENT_KINDS: dict[str, tuple[str, str]] = {
    "call_received": ("112-melding", "#1f5fbf"),
    "call_updated": ("Melding aangevuld", "#1f5fbf"),
    "exclusion_assessed": ("Uitsluitcriteria", "#1f5fbf"),
    "exclusion_overridden": ("Uitsluiting overruled", "#b42318"),
    "ambulance_dispatched": ("Ambulance uitgegeven", "#0f7b7b"),
    "ambulance_arrived": ("Ambulance ter plaatse", "#0f7b7b"),
    "alert_refused": ("Alarmering geweigerd", "#b42318"),
    "alert_sent": ("Alarmering", "#7b3fa0"),
    "responder_accepted": ("Geaccepteerd", "#1a9e3a"),
    "responder_declined": ("Afgewezen", "#8a8a8a"),
    "responder_timed_out": ("Geen reactie", "#8a8a8a"),
    "responder_arrived": ("Ter plaatse", "#0b5a1d"),
    "cancellation_sent": ("Annulering", "#8e44ad"),
    "oversupply": ("Overaanbod", "#8e44ad"),
    "oversupply_feedback": ("Terugkoppeling overaanbod", "#8e44ad"),
    "aed_fetched": ("AED opgehaald", "#d9730d"),
    "aed_connected": ("AED aangesloten", "#b35900"),
    "aed_check_requested": ("AED-controle gevraagd", "#d9730d"),
    "aed_ready_confirmed": ("AED weer gereed", "#d9730d"),
    "aed_check_reminded": ("AED-controle: herinnering", "#d9730d"),
    "aed_check_answered": ("AED-controle beantwoord", "#d9730d"),
    "aed_check_message_sent": ("Bericht aan AED-beheerder", "#d9730d"),
    "aed_check_message_failed": ("Bericht aan AED-beheerder mislukt", "#b42318"),
    "caller_instruction_changed": ("Meldersinstructie", "#8a5a00"),
    "alarm_cancelled": ("Alarm ingetrokken", "#b42318"),
    "incident_closed": ("Melding afgesloten", "#404040"),
    "annotation_added": ("Notitie", "#1f3f75"),
    "message_sent": ("Bericht verstuurd", "#7b3fa0"),
    "message_delivered": ("Bericht afgeleverd", "#7b3fa0"),
    "message_failed": ("Bericht niet afgeleverd", "#b42318"),
    "message_acknowledged": ("Ontvangst bevestigd", "#1a9e3a"),
    "channel_outage": ("Kanaalstoring", "#b42318"),
    "intake_received": ("Bericht meldkamersysteem", "#1f5fbf"),
    "ambulance_status_changed": ("Ambulancestatus", "#0f7b7b"),
    "ambulance_eta_changed": ("Aanrijtijd ambulance", "#0f7b7b"),
    "intake_silent": ("Meldkamersysteem stil", "#b42318"),
    "coordinator_assigned": ("Coördinator", "#1a9e3a"),
}
CHANNEL_NL = {"app": "app", "sms": "sms", "voice": "spraakoproep"}
OUTAGE_NL = {"errors": "fouten van de aanbieder", "unacknowledged": "geen ontvangstbevestigingen"}


def event_label(kind: str) -> str:
    return EVENT_KINDS.get(kind, (kind, ""))[0]


def event_colour(kind: str) -> str:
    return EVENT_KINDS.get(kind, ("", "#606060"))[1]


def _people(n: int) -> str:
    return f"{n} hulpverlener" if n == 1 else f"{n} hulpverleners"


def _list(ids: Any, names: Mapping[str, str], limit: int = 12) -> str:
    shown = [names.get(str(i), "?") for i in ids]
    if len(shown) > limit:
        return ", ".join(shown[:limit]) + f" … (+{len(shown) - limit})"
    return ", ".join(shown)


def describe(
    e: Event,
    names: Mapping[str, str],
    exact: bool = False,
    location: Callable[[float, float, bool], str] | None = None,
    roles: Mapping[str, str] | None = None,
) -> str:
    """One line about an event, with responders by `names` (never a registry id)."""
    who = names.get(str(e.get("responder")), "?") if "responder" in e.data else ""
    where = location or (lambda lat, lon, _exact: f"{lat:.2f}, {lon:.2f}")
    t = e.type
    if t == "call_received":
        age = e.get("patient_age_years")
        bits = [where(float(e["lat"]), float(e["lon"]), exact)]
        bits.append("leeftijd onbekend" if age is None else f"{float(age):g} jaar")
        if e.get("location_kind"):
            bits.append(LOCATION_KIND_NL.get(str(e["location_kind"]), str(e["location_kind"])))
        if exact and (e.get("address") or e.get("location_description")):
            bits.append(str(e.get("address") or e.get("location_description")))
        return " · ".join(bits)
    if t == "call_updated":
        changes = dict(e["changes"])
        if not exact:
            for k in ("lat", "lon", "location_description", "address"):
                if k in changes:
                    changes[k] = "(gewijzigd)"
        return ", ".join(f"{k}: {v}" for k, v in changes.items())
    if t == "exclusion_assessed":
        if not e["criteria"]:
            return "geen uitsluitcriterium van toepassing"
        met = ", ".join(CRITERIA_NL.get(c, c) for c in e["criteria"])
        return ("uitgesloten: " if e["excluded"] else "van toepassing: ") + met
    if t == "exclusion_overridden":
        return f"reden: {e['reason']}"
    if t in ("ambulance_dispatched", "ambulance_arrived"):
        return f"eenheid {e['unit']}"
    if t == "alert_refused":
        return REFUSAL_NL.get(str(e["reason"]), str(e["reason"]))
    if t == "alert_sent":
        rs = list(e["responders"])
        runners = sum(1 for r in rs if r.get("role") == "aed")
        radius = f"{float(e['radius_m']):,.0f}".replace(",", ".")
        return (
            f"{_people(len(rs))} ({len(rs) - runners} direct, {runners} via een AED), "
            f"{len(e['aeds'])} AED's, straal {radius} m"
        )
    if t in ("responder_accepted", "responder_declined", "responder_timed_out", "responder_arrived"):
        role = roles.get(str(e["responder"]), "") if roles else ""
        return f"{who} · {role}" if role else who
    if t == "oversupply":
        return f"{who} accepteerde na het bereiken van het doel"
    if t == "coordinator_assigned":
        return f"{who} is coördinator"
    if t == "cancellation_sent":
        reason = CANCEL_NL.get(str(e["reason"]), str(e["reason"]))
        return f"{_people(len(e['responders']))} ({reason}): {_list(e['responders'], names)}"
    if t == "oversupply_feedback":
        return str(e["note"])
    if t in ("aed_fetched", "aed_connected", "aed_check_requested", "aed_ready_confirmed"):
        return str(e["aed"])
    if t == "aed_check_answered":
        outcome = "inzetklaar" if e["outcome"] == "ready" else f"buiten gebruik tot {e.get('until')}"
        done = [w for k, w in (("fetched", "opgehaald"), ("used", "gebruikt"), ("returned", "teruggebracht"),
                               ("pads_replaced", "elektroden vervangen"), ("battery_replaced", "batterij"))
                if e.get(k)]
        return f"{e['aed']}: {', '.join(done) or 'niets gemeld'}; {outcome}"
    if t in ("aed_check_reminded", "aed_check_message_sent", "aed_check_message_failed"):
        return f"{e['aed']} · {e['round']}" + (f" · {e['channel']}" if "channel" in e.data else "")
    if t == "caller_instruction_changed":
        return CALLER_NL.get(str(e["state"]), str(e["state"]))
    if t == "alarm_cancelled":
        return f"door {e['by']}"
    if t == "annotation_added":
        return f"{e['author']}: {e['text']}"
    if t in ("message_sent", "message_delivered", "message_failed", "message_acknowledged"):
        line = f"{who} · {CHANNEL_NL.get(str(e['channel']), str(e['channel']))}"
        return f"{line} ({e['reason']})" if t == "message_failed" else line
    if t == "intake_received":
        n = len(e["changes"])
        bits = [str(e["source"]).upper(), INTAKE_OUTCOME_NL.get(str(e["outcome"]), str(e["outcome"]))]
        if e["outcome"] == "update":
            bits.append("geen wijziging" if n == 0 else f"{n} wijziging{'en' if n != 1 else ''}")
        if e.get("hints"):
            bits.append("aanwijzing: " + ", ".join(CRITERIA_NL.get(h["criterion"], h["criterion"]) for h in e["hints"]))
        return " · ".join(bits)
    if t in ("ambulance_status_changed", "ambulance_eta_changed"):
        line = f"eenheid {e['unit']}"
        if t == "ambulance_status_changed":
            line += f": {UNIT_STATUS_NL.get(str(e['status']), str(e['status']))}"
        if e.get("eta"):
            line += f" · ETA {str(e['eta'])[11:19]}"
        return line
    if t == "intake_silent":
        return f"{int(e['silent_s']) // 60} min geen bericht"
    if t == "channel_outage":
        return f"{CHANNEL_NL.get(str(e['channel']), str(e['channel']))}: {OUTAGE_NL.get(str(e['reason']), str(e['reason']))}"
    return ""
