"""Write the training library in scenarios/training/ (run once; the JSON files are committed).

Each file is an ordinary engine scenario (`zesminuten-engine run` plays it headless) plus a
trainer's `briefing` and an `expected` block. In training only the world's steps run; the
dispatcher's steps in the timeline are the model answer the debrief compares with.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_example_scenarios import (  # a sibling script, not a package
    DEN_HAAG,
    ZOETERMEER,
    aed,
    call,
    responders,
)

OUT = Path(__file__).resolve().parent.parent / "scenarios" / "training"
EVENING = "2026-11-22T19:40:00+01:00"
DEMO = {"demo": {"region": "denhaag", "seed": 3}}
VILLAGE = (51.9405, 4.8740)  # polder between Schoonhoven and Bergambacht (synthetic registry)
A12 = (52.0471668, 4.4909848)  # A12 carriageway south of Zoetermeer (OSM)
A4 = (52.030833, 4.328310)  # A4 south-east carriageway near exit 11 Rijswijk (OSM)
SERVICE_AREA = (52.051400, 4.437000)  # A12 service area between Nootdorp and Zoetermeer
RIJSWIJK = (52.0390, 4.3240)
LEIDSCHENDAM = (52.0810, 4.3950)


def step(at: float, do: str, inc: str = "I1", **fields: object) -> dict:
    return {"at": at, "do": do, "incident": inc, **fields}


def standard(inc: str = "I1", t0: float = 0, unit: str = "15-101", alert: bool = True) -> list[dict]:
    """The model dispatcher: ambulance first, caller instruction, then (if right) the alert."""
    out = [step(t0 + 20, "ambulance_dispatched", inc, unit=unit),
           step(t0 + 30, "caller_instruction", inc, state="instructing")]
    if alert:
        out += [step(t0 + 35, "trigger_alert", inc), step(t0 + 36, "simulate_responses", inc)]
    return out


def ending(inc: str = "I1", t0: float = 0, arrive: float = 540, close: float = 1200) -> list[dict]:
    return [step(t0 + arrive, "ambulance_arrived", inc),
            step(t0 + arrive + 20, "caller_instruction", inc, state="handed_over"),
            step(t0 + close, "close", inc)]


def scenario(name: str, briefing: str, registry: dict, timeline: list[dict], expected: dict,
             start: str = EVENING, seed: int = 7, config: dict | None = None) -> dict:
    return {"name": name, "seed": seed, "start": start, "config": config or {}, "registry": registry,
            "briefing": briefing, "expected": expected, "timeline": timeline}


def sent(exclusion: list[str] | None = None, **more: object) -> dict:
    return {"alert": "sent", "decisions": {"exclusion": exclusion or []}, **more}


def refused(criterion: str, **more: object) -> dict:
    return {"alert": "refused", "decisions": {"exclusion": [criterion]}, **more}


def small(center: tuple[float, float], n: int, r: float, seed: int, aeds: list[dict]) -> dict:
    return {"responders": responders(center, n, r, seed), "aeds": aeds}


def library() -> dict[str, dict]:
    lib: dict[str, dict] = {}
    lib["01_stad_zoetermeer_avond"] = scenario(
        "Stad: reanimatie in een woning, Zoetermeer centrum",
        "Rustige avond. Een vrouw belt 112: haar man (67) is in de woonkamer in elkaar gezakt en "
        "ademt niet normaal. Verwacht: ambulance uitgeven, meldersinstructie starten en direct "
        "burgerhulpverleners alarmeren. Let op het doel (5 hulpverleners, 2 AED's) en overaanbod.",
        DEMO,
        [call(0, "I1", ZOETERMEER, address="Stadhuisplein, Zoetermeer"), *standard(), *ending(arrive=560, close=1500)],
        sent(),
    )
    lib["02_dorp_groene_hart"] = scenario(
        "Dorp: weinig burgerhulpverleners, de straal groeit",
        "Dorp in het Groene Hart, weinig burgerhulpverleners in de buurt. Het systeem vergroot de "
        "straal tot 2 km. Verwacht: gewoon alarmeren; de ambulance doet er langer over, dus "
        "burgerhulpverleners zijn hier extra belangrijk.",
        small(VILLAGE, 40, 2300, 11, [aed("A1", VILLAGE, 400, -300, where="Dorpshuis, buitenkast"),
                                       aed("A2", VILLAGE, -900, 700, where="Sportveld")]),
        [call(0, "I1", VILLAGE, address="Dorpsstraat, Groene Hart (synthetisch)", location_description="woning, Dorpsstraat"), *standard(), *ending(arrive=780, close=1400)],
        sent(),
    )
    lib["03_snelweg_a12"] = scenario(
        "Snelweg A12 bij Zoetermeer",
        "Een automobilist belt vanaf de vluchtstrook van de A12: een bestuurder is onwel geworden. "
        "Verwacht: ambulance uitgeven en instructie geven, maar géén burgerhulpverleners: een snelweg "
        "is een risicovolle locatie (Kwaliteitskader §5.1).",
        small(A12, 30, 1500, 3, [aed("A1", A12, 500, 200)]),
        [call(0, "I1", A12, location_kind="road", location_description="A12 hmp 14,2 Re"),
         *standard(alert=False), step(35, "trigger_alert"), *ending(arrive=600, close=900)],
        refused("motorway"),
    )
    lib["04_snelweg_a4_rijswijk"] = scenario(
        "Snelweg A4 bij Rijswijk",
        "Melding van een reanimatie op de A4 ter hoogte van afrit Rijswijk. De melder noemt een "
        "hectometerpaal. Verwacht: geen burgerhulpverleners alarmeren (snelweg), wel ambulance en "
        "meldersinstructie.",
        small(A4, 40, 1200, 13, [aed("A1", A4, 600, -400, where="Bedrijfspand, buitenkast")]),
        [call(0, "I1", A4, patient_age_years=58, location_kind="road", location_description="A4 hmp 11,2 Li"),
         *standard(alert=False), step(35, "trigger_alert"), *ending(arrive=480, close=900)],
        refused("motorway"),
    )
    lib["05_zuigeling"] = scenario(
        "Zuigeling van 8 maanden",
        "Een moeder belt: haar baby van 8 maanden reageert niet. Verwacht: ambulance en "
        "instructie (babyreanimatie), géén burgerhulpverleners: patiënt jonger dan 1 jaar.",
        small(DEN_HAAG, 30, 800, 4, [aed("A1", DEN_HAAG, 200, 100)]),
        [call(0, "I1", DEN_HAAG, patient_age_years=0.7, address="Den Haag Centrum (synthetisch)"), *standard(alert=False), step(35, "trigger_alert"),
         *ending(arrive=420, close=900)],
        refused("infant"),
    )
    lib["06_suicide"] = scenario(
        "Poging tot suïcide",
        "Een buurman vindt iemand na een poging tot suïcide. Verwacht: geen burgerhulpverleners "
        "(Kwaliteitskader: (poging tot) suïcide is een uitsluitcriterium), wel ambulance en instructie.",
        small(ZOETERMEER, 30, 800, 5, [aed("A1", ZOETERMEER, 200, 100)]),
        [call(0, "I1", ZOETERMEER, suicide=True, address="Zoetermeer Centrum (synthetisch)"), *standard(alert=False), step(35, "trigger_alert"),
         *ending(arrive=480, close=900)],
        refused("suicide"),
    )
    lib["07_geweld"] = scenario(
        "Onveilige situatie: geweld op straat",
        "Na een vechtpartij op straat ligt iemand bewusteloos; de dader is mogelijk nog in de buurt. "
        "Verwacht: geen burgerhulpverleners (onveilige situatie), ambulance en politie.",
        small(DEN_HAAG, 30, 800, 6, [aed("A1", DEN_HAAG, 200, 100)]),
        [call(0, "I1", DEN_HAAG, violence=True, location_kind="public", location_description="Grote Markt"),
         *standard(alert=False), step(35, "trigger_alert"), *ending(arrive=420, close=900)],
        refused("violence"),
    )
    night = "2026-11-24T03:10:00+01:00"
    lib["08_nacht_aeds_binnen_dicht"] = scenario(
        "Nacht: AED's binnen zijn dicht",
        "03:10 op een dinsdag. De AED's in het kantoor en de winkel om de hoek zijn 's nachts niet "
        "bereikbaar; alleen de buitenkast bij de school doet mee. Verwacht: gewoon alarmeren; zie in "
        "het live-paneel welke AED wordt gehaald.",
        small(ZOETERMEER, 50, 1000, 7, [
            aed("A1", ZOETERMEER, 80, 60, "Mo-Fr 08:00-18:00", where="Kantoor, binnen"),
            aed("A2", ZOETERMEER, -120, 90, "Mo-Sa 09:00-21:00", where="Winkel, binnen"),
            aed("A3", ZOETERMEER, 650, -400, "24/7", where="Buitenkast basisschool")]),
        [call(0, "I1", ZOETERMEER, address="Zoetermeer Centrum (synthetisch)"), *standard(), *ending(arrive=600, close=1500)],
        sent(), start=night,
    )
    lib["09_geen_aed_in_bereik"] = scenario(
        "Geen AED binnen bereik",
        "Buitengebied: de dichtstbijzijnde AED hangt bijna 4 km verderop, een andere is in onderhoud. "
        "Verwacht: alarmeren; iedereen gaat direct naar het slachtoffer. Vertel de melder dat de "
        "AED met de ambulance komt.",
        small(VILLAGE, 25, 1200, 8, [aed("A1", VILLAGE, 3000, 2500), aed("A2", VILLAGE, 200, 0, status="maintenance")]),
        [call(0, "I1", VILLAGE, address="Polderweg, Groene Hart (synthetisch)", location_description="boerderij, Polderweg"), *standard(), *ending(arrive=840, close=1500)],
        sent(),
    )
    over = [call(0, "I1", ZOETERMEER, address="Zoetermeer Centrum (synthetisch)"), *standard()[:2], step(35, "trigger_alert")]
    for i, at in enumerate([50, 58, 64, 70, 75, 77, 80, 84, 95, 110, 120, 130], start=1):
        over.append(step(at, "respond", responder=f"R{i}", answer="accept"))
    over += [step(200, "arrive", responder="R1"), step(205, "caller_instruction", state="handed_over"),
             step(230, "arrive", responder="R2"),
             step(240, "oversupply_feedback", note="8 burgerhulpverleners ter plaatse"),
             step(900, "close")]
    lib["10_overaanbod"] = scenario(
        "Overaanbod: meer hulpverleners dan nodig",
        "Na het alarm accepteren twaalf burgerhulpverleners; na de vijfde is het doel bereikt. "
        "Verwacht: alarmeren, en zodra de melder meldt dat er veel meer hulpverleners staan dan "
        "nodig: terugkoppeling overaanbod geven (Kwaliteitskader §2.3).",
        small(ZOETERMEER, 20, 600, 9, [aed("A1", ZOETERMEER, 150, 150), aed("A2", ZOETERMEER, -200, -100)]),
        over,
        sent(),
    )
    second = (ZOETERMEER[0] + 0.0036, ZOETERMEER[1])
    lib["11_twee_tegelijk"] = scenario(
        "Twee reanimaties tegelijk, 400 m uit elkaar",
        "Twee meldingen vlak na elkaar in dezelfde wijk. Verwacht: beide alarmeren; niemand staat "
        "op twee alarmen tegelijk, dus de tweede melding krijgt minder hulpverleners.",
        small(ZOETERMEER, 60, 900, 10, [aed("A1", ZOETERMEER, 100, 0), aed("A2", second, 50, 50),
                                          aed("A3", ZOETERMEER, 300, -300)]),
        [call(0, "I1", ZOETERMEER, address="Zoetermeer Centrum (synthetisch)"), *standard(),
         call(60, "I2", second, address="Zoetermeer, 400 m noordelijker (synthetisch)"), *standard("I2", 60, unit="15-102"),
         step(1500, "close"), step(1560, "close", "I2")],
        sent(), config={"wanted_responders": 30, "max_responders": 40},
    )
    lib["12_uitsluiting_overrulen"] = scenario(
        "Trauma gemeld – terecht overrulen",
        "Een fietser is gevallen; de melder zegt later dat hij eerst onwel werd en daarna viel, "
        "zonder ernstig letsel. Het systeem ziet 'trauma' en weigert. Verwacht: overrulen met een "
        "geschreven reden en alarmeren.",
        small(DEN_HAAG, 40, 900, 12, [aed("A1", DEN_HAAG, 150, 100)]),
        [call(0, "I1", DEN_HAAG, trauma=True, location_kind="public",
              location_description="fietser gevallen, onwel geworden"),
         step(20, "ambulance_dispatched", unit="15-102"), step(25, "caller_instruction", state="instructing"),
         step(30, "trigger_alert"),
         step(60, "override_exclusion", reason="Onwel geworden op de fiets, geen ernstig letsel volgens melder"),
         step(62, "trigger_alert"), step(63, "simulate_responses"), *ending(arrive=500, close=1200)],
        {"alert": "sent", "decisions": {"exclusion": ["trauma"], "override": True}},
    )
    lib["13_drukke_avond"] = scenario(
        "Drukke avond: drie meldingen in tien minuten",
        "Drie reanimatiemeldingen binnen tien minuten in de regio Haaglanden. De tweede is een "
        "poging tot suïcide in Den Haag. Verwacht: melding 1 en 3 alarmeren, melding 2 niet; "
        "houd de wachtrij in de gaten (nieuwe meldingen knipperen).",
        DEMO,
        [call(0, "I1", ZOETERMEER, patient_age_years=72, address="Stadhuisplein, Zoetermeer"), *standard(),
         call(240, "I2", DEN_HAAG, patient_age_years=34, suicide=True, address="Grote Markt, Den Haag"),
         *standard("I2", 240, unit="15-102", alert=False), step(275, "trigger_alert", "I2"),
         call(540, "I3", LEIDSCHENDAM, patient_age_years=81, address="Damplein, Leidschendam"),
         *standard("I3", 540, unit="15-103"),
         *ending("I1", arrive=560, close=1500), *ending("I2", 240, arrive=420, close=1200),
         *ending("I3", 540, arrive=600, close=1500)],
        {"alert": "sent", "decisions": {"exclusion": []},
         "incidents": {"I2": {"alert": "refused", "decisions": {"exclusion": ["suicide"]}}}},
    )
    lib["14_zuigeling_na_twee_minuten"] = scenario(
        "Leeftijd pas na twee minuten bekend: een zuigeling",
        "Een oppas belt in paniek; de leeftijd is eerst niet duidelijk. Leeftijd onbekend is geen "
        "uitsluiting, dus alarmeren is in eerste instantie juist. Na twee minuten blijkt het een baby "
        "van zes maanden. Verwacht: dan direct het alarm intrekken.",
        small(DEN_HAAG, 40, 900, 14, [aed("A1", DEN_HAAG, 200, 100), aed("A2", DEN_HAAG, -300, 250)]),
        [call(0, "I1", DEN_HAAG, patient_age_years=None, address="Den Haag Centrum (synthetisch)"), *standard(),
         step(120, "update_call", patient_age_years=0.5), step(130, "cancel_alarm"),
         *ending(arrive=420, close=900)],
        sent(cancel=True, explanation=(
            "Leeftijd onbekend sluit niet uit: alarmeren bij de eerste melding is juist. Zodra blijkt "
            "dat de patiënt jonger dan 1 jaar is, geldt het uitsluitcriterium alsnog: trek het alarm "
            "direct in, zodat burgerhulpverleners niet onnodig komen.")),
    )
    lib["15_verzorgingsplaats_a12"] = scenario(
        "Verzorgingsplaats langs de A12",
        "Iemand zakt in elkaar op de parkeerplaats van een verzorgingsplaats langs de A12 tussen "
        "Nootdorp en Zoetermeer. Het systeem zegt bij 'snelweg': onbekend – controleer. Verwacht: "
        "navragen dat het slachtoffer op de parkeerplaats ligt (niet op de rijbaan) en dan alarmeren.",
        small(SERVICE_AREA, 40, 2000, 15, [aed("A1", SERVICE_AREA, 40, 30, where="Tankstation, binnen (24/7)"),
                                            aed("A2", SERVICE_AREA, 900, 600, where="Sportpark, buitenkast")]),
        [call(0, "I1", SERVICE_AREA, location_kind="verzorgingsplaats",
              location_description="verzorgingsplaats A12, parkeerplaats bij het tankstation"),
         step(20, "ambulance_dispatched", unit="15-101"), step(30, "caller_instruction", state="instructing"),
         step(50, "trigger_alert"), step(51, "simulate_responses"), *ending(arrive=540, close=1200)],
        sent(explanation=(
            "Een verzorgingsplaats is geen harde uitsluiting: de parkeerplaats en de shop liggen buiten "
            "het rijdende verkeer en zijn meestal via een dienstweg te voet of per fiets bereikbaar. De "
            "motorway-bevinding is daarom 'onbekend – controleer'. Vraag de melder waar het slachtoffer "
            "ligt; ligt het op de parkeerplaats of in de shop, alarmeer dan. Ligt het op de rijbaan of "
            "de invoegstrook, alarmeer dan niet.")),
    )
    lib["16_intrekken_na_geweld"] = scenario(
        "Alarm intrekken: onveilige situatie na het alarm",
        "Een reanimatie in een portiekflat. Anderhalve minuut na het alarm meldt de melder dat de "
        "man die het slachtoffer heeft geslagen nog in het trappenhuis staat. Verwacht: alarmeren "
        "bij de eerste melding, daarna direct het alarm intrekken en de politie erbij.",
        small(RIJSWIJK, 40, 900, 16, [aed("A1", RIJSWIJK, 150, -120, where="Wijkcentrum, buitenkast")]),
        [call(0, "I1", RIJSWIJK, patient_age_years=45, address="portiekflat, Rijswijk"), *standard(),
         step(125, "update_call", violence=True), step(135, "cancel_alarm"), *ending(arrive=480, close=900)],
        sent(cancel=True),
    )
    rural_night = "2026-11-25T02:30:00+01:00"
    lib["17_platteland_nacht_geen_aed_open"] = scenario(
        "Platteland, nacht: geen AED open",
        "02:30 in het buitengebied. De AED's in de buurt hangen binnen (school, dorpshuis) en zijn "
        "'s nachts niet bereikbaar. Verwacht: toch alarmeren; alle burgerhulpverleners gaan direct "
        "naar het slachtoffer om te reanimeren; de AED komt met de ambulance.",
        small(VILLAGE, 30, 2200, 17, [
            aed("A1", VILLAGE, 300, 200, "Mo-Fr 08:00-17:00", where="Basisschool, binnen"),
            aed("A2", VILLAGE, -500, -300, "Mo-Su 09:00-23:00", where="Dorpshuis, binnen")]),
        [call(0, "I1", VILLAGE, patient_age_years=74, address="Lekdijk, buitengebied (synthetisch)",
              location_description="woonboerderij, Lekdijk"),
         *standard(), *ending(arrive=900, close=1600)],
        sent(), start=rural_night,
    )
    return lib


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for slug, data in library().items():
        (OUT / f"{slug}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
