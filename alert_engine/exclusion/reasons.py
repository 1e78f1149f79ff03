"""Why a criterion is (not) met, as a code with parameters; the words come at the edge.

An `exclusion_assessed` event stores each finding's reason as `code` + `params` (issue 10):
the log says what was found (which road, how far, what the description said), and the
console, reports and debriefs render it in the reader's language when they show it. A
change of wording never rewrites history, and English is not frozen into Dutch logs.
Logs written before this kept the prose (`reason_nl`, `reason_en`); `finding_text` still
reads those.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..reason_text import metres, years_en, years_nl

Params = Mapping[str, Any]
Lang = str  # "nl" | "en"


def render(code: str, params: Params, lang: Lang = "nl") -> str:
    texts = _TEXTS.get(code)
    if texts is None:
        # A code from a newer version: shown as it is rather than hidden.
        return f"{code} {dict(params)}" if params else code
    return texts[1 if lang == "en" else 0](params)


def finding_text(finding: Mapping[str, Any], lang: Lang = "nl") -> str:
    """The reason of a finding as stored in an event: a code, or the prose of older logs."""
    if "code" in finding:
        return render(str(finding["code"]), finding.get("params") or {}, lang)
    return str(finding.get("reason_en" if lang == "en" else "reason_nl", ""))


# -- pieces ------------------------------------------------------------------------------
def road_label(autoweg: bool, name: str | None, road: str | None, is_link: bool) -> dict[str, Any]:
    """What a sentence needs to name a road the map found (stored with the finding)."""
    return {"autoweg": autoweg, "name": name, "road": road, "is_link": is_link}


def _label_nl(p: Params) -> str:
    road, link = p.get("road"), bool(p.get("is_link"))
    if p.get("autoweg"):
        name = " ".join(x for x in (p.get("name"), f"({road})" if road else None) if x)
        return f"autoweg {name}".strip() + (" (toe-/afrit)" if link else "")
    if road is None:
        return "een toe-/afrit van een snelweg" if link else "een snelweg (rijbaan)"
    return f"een toe-/afrit van de {road}" if link else f"de {road} (rijbaan)"


def _label_en(p: Params) -> str:
    road, link = p.get("road"), bool(p.get("is_link"))
    if p.get("autoweg"):
        name = " ".join(x for x in (p.get("name"), f"({road})" if road else None) if x)
        text = f"the {name} expressway (autoweg)" if name else "an expressway (autoweg)"
        return f"a slip road of {text}" if link else text
    if road is None:
        return "a motorway slip road" if link else "a motorway carriageway"
    # "an A12": the letter is read "ay"; "an N11" likewise.
    return f"an {road} slip road" if link else f"the {road} carriageway"


def _on_map(lang: Lang) -> Callable[[Params], str]:
    def text(p: Params) -> str:
        nl = lang == "nl"
        label = (_label_nl if nl else _label_en)(p["road"])
        junction = p.get("junction")
        near = (f", bij {junction}" if nl else f", near {junction}") if junction else ""
        place = (f"Locatie ligt {metres(p['distance_m'])} van {label}{near}" if nl
                 else f"Location is {metres(p['distance_m'])} from {label}{near}")
        levels = bool(p.get("levels"))
        check = ((" – viaduct/tunnel: controleer" if nl else " – viaduct/tunnel: check") if levels
                 else (" – controleer" if nl else " – check"))
        doubt = p.get("doubt")
        if doubt:
            return f"{place}{', maar ' if nl else ', but '}{render(doubt[0], doubt[1], lang)}{check}"
        crossing = p.get("crossing_here")
        if crossing:
            place += f"; {crossing} kruist hier" if nl else f"; {crossing} crosses here"
        return place + (check if levels else "")
    return text


def _post(p: Params, lang: Lang) -> str:
    hm = p.get("hectometre")
    if hm is None:
        return ""
    post = f"{hm:.1f}"  # posts always show one decimal ("15,0"), so the reason does too
    side = f" {p['side']}" if p.get("side") else ""
    return f" (hectometerpaal {post.replace('.', ',')}{side})" if lang == "nl" else f" (hectometre post {post}{side})"


def _where(p: Params, lang: Lang) -> str:
    road = p.get("road")
    if lang == "nl":
        return f"de {road}" if road else "de snelweg"
    return f"the {road}" if road else "the motorway"


_TEXTS: dict[str, tuple[Callable[[Params], str], Callable[[Params], str]]] = {
    "text": (lambda p: str(p.get("nl", "")), lambda p: str(p.get("en", ""))),
    "infant.unknown": (lambda p: "Leeftijd onbekend – niet uitgesloten", lambda p: "Age unknown – not excluded"),
    "infant.young": (lambda p: f"Patiënt jonger dan {years_nl(p['limit'])} ({years_nl(p['age'])})",
                     lambda p: f"Patient younger than {years_en(p['limit'])} ({years_en(p['age'])})"),
    "infant.old_enough": (lambda p: f"Patiënt is {years_nl(p['age'])} ({years_nl(p['limit'])} of ouder)",
                          lambda p: f"Patient is {years_en(p['age'])} old ({years_en(p['limit'])} or older)"),
    "suicide.met": (lambda p: "(Poging tot) suïcide", lambda p: "(Attempted) suicide"),
    "suicide.not_met": (lambda p: "Geen (poging tot) suïcide gemeld", lambda p: "No (attempted) suicide reported"),
    "trauma.met": (lambda p: "Ernstig (ongevals)trauma", lambda p: "Severe (accident) trauma"),
    "trauma.not_met": (lambda p: "Geen ernstig (ongevals)trauma gemeld", lambda p: "No severe (accident) trauma reported"),
    "violence.met": (lambda p: "Mogelijk onveilige situatie (geweld)", lambda p: "Possibly unsafe situation (violence)"),
    "violence.not_met": (lambda p: "Geen aanwijzing voor geweld", lambda p: "No sign of violence reported"),
    "motorway.service_area": (
        lambda p: f"Mogelijk verzorgingsplaats langs {_where(p, 'nl')}: parkeerplaats bereikbaar via de "
                  "dienstweg, geen harde uitsluiting – controleer",
        lambda p: f"Possibly a service area on {_where(p, 'en')}: its car park is reachable via the service "
                  "road, not a hard exclusion – check"),
    "motorway.on_map": (_on_map("nl"), _on_map("en")),
    "motorway.doubt.tunnel": (
        lambda p: "de weg ligt hier in een tunnel en de locatie waarschijnlijk erboven",
        lambda p: "the road runs in a tunnel here and the location is probably above it"),
    "motorway.doubt.crossing_nearer": (
        lambda p: f"{p['road']} ligt dichterbij ({metres(p['distance_m'])}): mogelijk op die weg",
        lambda p: f"{p['road']} is closer ({metres(p['distance_m'])}): possibly on that road"),
    "motorway.doubt.described_nearby": (lambda p: f"de omschrijving zegt '{p['text']}'",
                                        lambda p: f"the description says '{p['text']}'"),
    "motorway.doubt.home_kind": (lambda p: f"locatiesoort '{p['kind']}' past niet bij een snelweg",
                                 lambda p: f"location kind '{p['kind']}' does not fit a motorway"),
    "motorway.kind_says": (lambda p: f"Locatiesoort '{p['kind']}': op de snelweg",
                           lambda p: f"Location kind '{p['kind']}': on the motorway"),
    "motorway.described_nearby": (
        lambda p: f"Omschrijving zegt '{p['text']}': mogelijk naast of onder de snelweg – controleer",
        lambda p: f"Description says '{p['text']}': possibly beside or under the motorway – check"),
    "motorway.described_not_mapped": (
        lambda p: f"Omschrijving noemt de {p['road']}, maar de kaart plaatst de locatie niet op een snelweg – controleer",
        lambda p: f"Description names the {p['road']}, but the map does not put the location on a motorway – check"),
    "motorway.described_on": (
        lambda p: f"Locatie op snelweg {p['road']}{_post(p, 'nl')} volgens omschrijving",
        lambda p: f"Location on motorway {p['road']}{_post(p, 'en')} according to the description"),
    "motorway.provincial": (lambda p: f"Omschrijving noemt de {p['road']}: provinciale weg, geen snelweg",
                            lambda p: f"Description names the {p['road']}: a provincial road, not a motorway"),
    "motorway.none_near": (lambda p: "Niet op of bij een snelweg", lambda p: "Not on or near a motorway"),
    "motorway.not_on": (
        lambda p: f"Niet op een snelweg: {_label_nl(p['road'])} ligt op {metres(p['distance_m'])} "
                  f"(grens {metres(p['limit_m'])})",
        lambda p: f"Not on a motorway: {_label_en(p['road'])} is {metres(p['distance_m'])} away "
                  f"(limit {metres(p['limit_m'])})"),
    "motorway.no_map_no_text": (
        lambda p: "Geen snelwegkaart voor deze plek en geen locatieomschrijving – controleer",
        lambda p: "No motorway map for this place and no location description – check"),
    "motorway.not_in_description": (
        lambda p: "Geen snelweg in de omschrijving (snelwegkaart alleen voor regio Den Haag)",
        lambda p: "No motorway in the description (motorway map covers the The Hague region only)"),
}
CODES = frozenset(_TEXTS)
