"""The debrief's words, Dutch first and English beside it (the engine has no Qt translator)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

TEXT: dict[str, tuple[str, str]] = {
    # timeline
    "tl_call": ("112-melding: {where}, {age}", "112 call: {where}, {age}"),
    "tl_update": ("Melder meldt nieuwe feiten: {changes}", "Caller reports new facts: {changes}"),
    "tl_excluded": ("Criteria beoordeeld: uitgesloten ({criteria})", "Criteria assessed: excluded ({criteria})"),
    "tl_not_excluded": ("Criteria beoordeeld: geen uitsluiting", "Criteria assessed: no exclusion"),
    "tl_check": ("controleer: {what}", "check: {what}"),
    "tl_ambulance": ("Ambulance {unit} uitgegeven", "Ambulance {unit} dispatched"),
    "tl_ambulance_arrived": ("Ambulance {unit} ter plaatse", "Ambulance {unit} on scene"),
    "tl_override": ("Uitsluiting overrulet: “{reason}”", "Exclusion overridden: “{reason}”"),
    "tl_refused": ("Alarmeren geprobeerd, geweigerd: {why}", "Alert attempted, refused: {why}"),
    "tl_alert": (
        "Burgerhulpverleners gealarmeerd: {n} personen, {aeds} AED('s), straal {radius} m",
        "Citizen responders alerted: {n} people, {aeds} AED(s), radius {radius} m",
    ),
    "tl_first_accept": ("Eerste burgerhulpverlener accepteert ({who})", "First responder accepts ({who})"),
    "tl_target": ("Doel bereikt: genoeg burgerhulpverleners onderweg", "Target met: enough responders coming"),
    "tl_first_arrive": ("Eerste burgerhulpverlener ter plaatse ({who})", "First responder on scene ({who})"),
    "tl_aed": ("Eerste AED aangesloten ({aed})", "First AED connected ({aed})"),
    "tl_instruction": ("Meldersinstructie: {state}", "Caller instruction: {state}"),
    "tl_cancelled": ("Alarm ingetrokken", "Alarm cancelled"),
    "tl_feedback": ("Terugkoppeling overaanbod: {note}", "Oversupply feedback: {note}"),
    "tl_closed": ("Melding afgesloten", "Incident closed"),
    "m_alert": ("Alarmeren", "Alert"),
    "why_excluded": ("uitsluitcriterium", "exclusion criterion"),
    "why_no_ambulance": ("eerst een ambulance uitgeven", "dispatch an ambulance first"),
    "why_no_responders_in_reach": ("geen burgerhulpverleners binnen bereik", "no responders in reach"),
    "ci_not_started": ("niet gestart", "not started"),
    "ci_instructing": ("instructie gestart", "instructing"),
    "ci_handed_over": ("overgedragen", "handed over"),
    "ci_ended": ("beëindigd", "ended"),
    # checks
    "ck_no_ambulance": ("Geen ambulance uitgegeven.", "No ambulance dispatched."),
    "ck_ambulance": ("Ambulance uitgegeven na {t}.", "Ambulance dispatched after {t}."),
    "ck_ambulance_late": (
        "Ambulance pas na {t} uitgegeven: later dan het model.",
        "Ambulance dispatched only after {t}: later than the model answer.",
    ),
    "ck_alert_before_ambulance": (
        "Alarmeren geprobeerd vóór de ambulance-uitgifte (geweigerd): alarmeren mag de ambulancezorg nooit vertragen.",
        "Alert attempted before dispatching the ambulance (refused): alerting must never delay ambulance care.",
    ),
    "ck_override_wrong": (
        "Gealarmeerd na overrulen van {criteria} (“{reason}”): volgens het scenario was de uitsluiting terecht.",
        "Alerted after overriding {criteria} (“{reason}”): in this scenario the exclusion was right.",
    ),
    "ck_alert_despite": (
        "Gealarmeerd terwijl {criteria} van toepassing was.",
        "Alerted although {criteria} applied.",
    ),
    "ck_refused_ok": (
        "Terecht geen burgerhulpverleners gealarmeerd ({criteria}).",
        "Rightly no citizen responders alerted ({criteria}).",
    ),
    "ck_override_missing": (
        "Niet gealarmeerd: het model overrulet {criteria} met een geschreven reden en alarmeert.",
        "Not alerted: the model answer overrides {criteria} with a written reason and alerts.",
    ),
    "ck_override_ok": ("Uitsluiting terecht overrulet (“{reason}”).", "Exclusion rightly overridden (“{reason}”)."),
    "ck_no_reach": (
        "Alarmeren geprobeerd, maar geen burgerhulpverleners binnen bereik.",
        "Alert attempted, but no citizen responders in reach.",
    ),
    "ck_not_alerted": (
        "Niet gealarmeerd terwijl geen uitsluitcriterium gold.",
        "Not alerted although no exclusion criterion applied.",
    ),
    "ck_alert_ok": ("Burgerhulpverleners gealarmeerd na {t}.", "Citizen responders alerted after {t}."),
    "ck_alert_late": (
        "Burgerhulpverleners pas na {t} gealarmeerd: later dan het model (elke minuut telt).",
        "Citizen responders alerted only after {t}: later than the model answer (every minute counts).",
    ),
    "ck_not_cancelled": (
        "Alarm niet ingetrokken, terwijl na {since} bleek: {what}.",
        "Alarm not cancelled, although after {since} it turned out: {what}.",
    ),
    "ck_cancelled": (
        "Alarm terecht ingetrokken ({what}), {after} na de nieuwe melding.",
        "Alarm rightly cancelled ({what}), {after} after the new report.",
    ),
    "ck_cancelled_unexpected": (
        "Alarm ingetrokken zonder dat een uitsluitcriterium bleek: reden vastleggen.",
        "Alarm cancelled without an exclusion coming to light: record why.",
    ),
    "ck_no_instruction": ("Geen meldersinstructie (reanimatie-instructie) gestart.", "No caller instruction (CPR coaching) started."),
    "ck_instruction": ("Meldersinstructie gestart na {t}.", "Caller instruction started after {t}."),
    "ck_instruction_late": (
        "Meldersinstructie pas na {t} gestart: later dan het model.",
        "Caller instruction started only after {t}: later than the model answer.",
    ),
    "ck_no_handover": (
        "Meldersinstructie niet als overgedragen vastgelegd.",
        "Caller instruction never recorded as handed over.",
    ),
    "ck_no_feedback": (
        "Geen terugkoppeling over overaanbod gegeven (Kwaliteitskader §2.3).",
        "No oversupply feedback given (Kwaliteitskader §2.3).",
    ),
    "ck_not_closed": ("Melding niet afgesloten.", "Incident not closed."),
    "new_facts": ("nieuwe feiten van de melder", "new facts from the caller"),
    "age_unknown": ("leeftijd onbekend", "age unknown"),
    "age_months": ("{n} maanden", "{n} months"),
    "age_years": ("{n} jaar", "{n} years"),
    "yes": ("ja", "yes"),
    "no": ("nee", "no"),
    # criteria
    "cr_infant": ("jonger dan 1 jaar", "younger than 1 year"),
    "cr_suicide": ("(poging tot) suïcide", "(attempted) suicide"),
    "cr_trauma": ("ernstig (ongevals)trauma", "severe (accident) trauma"),
    "cr_motorway": ("snelweg", "motorway"),
    "cr_violence": ("onveilige situatie (geweld)", "unsafe situation (violence)"),
    "cr_none": ("geen uitsluitcriterium", "no exclusion criterion"),
}


def say(lang: str, key: str, **values: Any) -> str:
    nl, en = TEXT.get(key, (key, key))
    return (en if lang == "en" else nl).format(**values)


def criteria_text(criteria: Iterable[str], lang: str) -> str:
    words = [say(lang, f"cr_{c}") for c in criteria]
    return ", ".join(words) if words else say(lang, "cr_none")
