"""Write the example scenarios in scenarios/ (run once; the JSON files are committed).

Inline registries are small synthetic sets placed around each incident so every
scenario reads on its own; the city and village ones use the built-in demo registry.
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "scenarios"
ZOETERMEER = (52.0601, 4.4932)
DEN_HAAG = (52.0786, 4.2887)


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        round(lat + north_m / 111_320, 6),
        round(lon + east_m / (111_320 * math.cos(math.radians(lat))), 6),
    )


def responders(center: tuple[float, float], n: int, r_max: float, seed: int, prefix: str = "R") -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        d = r_max * math.sqrt(rng.random())
        a = rng.random() * 2 * math.pi
        lat, lon = offset(*center, d * math.cos(a), d * math.sin(a))
        out.append(
            {
                "id": f"{prefix}{i}",
                "pseudonym": f"BHV-{prefix}{i:03d}",
                "lat": lat,
                "lon": lon,
                "certificate_valid_until": "2027-06-30",
                "active": True,
                "availability": "24/7",
                "channels": ["app"],
                "test_alarms_opt_in": i % 2 == 0,
            }
        )
    return out


def aed(aid: str, center: tuple[float, float], north: float, east: float, hours: str = "24/7",
        status: str = "ready", code: str = "1234", where: str = "") -> dict:
    lat, lon = offset(*center, north, east)
    return {"id": aid, "lat": lat, "lon": lon, "opening_hours": hours, "status": status,
            "cabinet_code": code, "location_description": where or f"Synthetische AED {aid}"}


def call(at: float, inc: str, pos: tuple[float, float], **facts: object) -> dict:
    base = {"at": at, "do": "call", "incident": inc, "lat": pos[0], "lon": pos[1],
            "patient_age_years": 67, "suicide": False, "trauma": False, "violence": False,
            "location_kind": "home"}
    base.update(facts)
    return base


def standard_alarm(inc: str, t0: float = 0) -> list[dict]:
    return [
        {"at": t0 + 20, "do": "ambulance_dispatched", "incident": inc, "unit": "15-101"},
        {"at": t0 + 30, "do": "caller_instruction", "incident": inc, "state": "instructing"},
        {"at": t0 + 35, "do": "trigger_alert", "incident": inc},
    ]


def scenario(name: str, start: str, registry: dict, timeline: list[dict], seed: int = 7,
             config: dict | None = None, expected: dict | None = None) -> dict:
    out = {"name": name, "seed": seed, "start": start, "config": config or {},
           "registry": registry, "timeline": timeline}
    if expected:
        out["expected"] = expected
    return out


def write(slug: str, data: dict) -> None:
    (OUT / f"{slug}.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    EVENING = "2026-11-22T19:40:00+01:00"
    demo = {"demo": {"region": "denhaag", "seed": 3}}
    # 1 City: Zoetermeer centre on the demo registry, behaviour model answers.
    write("01_city_zoetermeer_evening", scenario(
        "Zoetermeer centrum, woning, avond (demo-registry, gedragsmodel)", EVENING, demo,
        [call(0, "I1", ZOETERMEER, address="Zoetermeer centrum"), *standard_alarm("I1"),
         {"at": 36, "do": "simulate_responses", "incident": "I1"},
         {"at": 560, "do": "ambulance_arrived", "incident": "I1"},
         {"at": 580, "do": "caller_instruction", "incident": "I1", "state": "handed_over"},
         {"at": 1500, "do": "close", "incident": "I1"}],
        expected={"alert": "sent", "decisions": {"exclusion": []}}))
    # 2 Village: few responders spread wide, so the radius grows towards 2 km.
    village = (51.9405, 4.8740)  # polder between Schoonhoven and Bergambacht (synthetic)
    write("02_village_radius_grows", scenario(
        "Dorp in het Groene Hart: straal groeit", EVENING,
        {"responders": responders(village, 40, 2300, 11),
         "aeds": [aed("A1", village, 400, -300, where="Synthetisch – dorpshuis, buitenkast"),
                  aed("A2", village, -900, 700, where="Synthetisch – sportveld")]},
        [call(0, "I1", village), *standard_alarm("I1"),
         {"at": 36, "do": "simulate_responses", "incident": "I1"},
         {"at": 1400, "do": "close", "incident": "I1"}]))
    # 3 Motorway: A12 carriageway near Zoetermeer, geometric exclusion.
    a12 = (52.0471668, 4.4909848)  # A12 carriageway south of Zoetermeer (OSM)
    write("03_motorway_a12", scenario(
        "A12 bij Zoetermeer: snelweg, geen burgerhulpverleners", EVENING,
        {"responders": responders(a12, 30, 1500, 3), "aeds": [aed("A1", a12, 500, 200)]},
        [call(0, "I1", a12, location_kind="road", location_description="A12 hmp 14,2 Re"),
         *standard_alarm("I1"), {"at": 900, "do": "close", "incident": "I1"}],
        expected={"alert": "refused", "decisions": {"exclusion": ["motorway"]}}))
    # 4 Infant.
    write("04_infant", scenario(
        "Zuigeling (8 maanden), Den Haag", EVENING,
        {"responders": responders(DEN_HAAG, 30, 800, 4), "aeds": [aed("A1", DEN_HAAG, 200, 100)]},
        [call(0, "I1", DEN_HAAG, patient_age_years=0.7), *standard_alarm("I1"),
         {"at": 900, "do": "close", "incident": "I1"}],
        expected={"alert": "refused", "decisions": {"exclusion": ["infant"]}}))
    # 5 Suicide.
    write("05_suicide", scenario(
        "Poging tot suïcide, Zoetermeer", EVENING,
        {"responders": responders(ZOETERMEER, 30, 800, 5), "aeds": [aed("A1", ZOETERMEER, 200, 100)]},
        [call(0, "I1", ZOETERMEER, suicide=True), *standard_alarm("I1"),
         {"at": 900, "do": "close", "incident": "I1"}],
        expected={"alert": "refused", "decisions": {"exclusion": ["suicide"]}}))
    # 6 Violence.
    write("06_violence", scenario(
        "Onveilige situatie (geweld), Den Haag", EVENING,
        {"responders": responders(DEN_HAAG, 30, 800, 6), "aeds": [aed("A1", DEN_HAAG, 200, 100)]},
        [call(0, "I1", DEN_HAAG, violence=True, location_kind="public"), *standard_alarm("I1"),
         {"at": 900, "do": "close", "incident": "I1"}],
        expected={"alert": "refused", "decisions": {"exclusion": ["violence"]}}))
    # 7 Night: indoor AEDs are closed, only the outdoor cabinet farther away is used.
    NIGHT = "2026-11-24T03:10:00+01:00"
    write("07_night_indoor_aeds_closed", scenario(
        "Nacht: AED's binnen gesloten, alleen buitenkast", NIGHT,
        {"responders": responders(ZOETERMEER, 50, 1000, 7),
         "aeds": [aed("A1", ZOETERMEER, 80, 60, "Mo-Fr 08:00-18:00", where="Synthetisch – kantoor, binnen"),
                  aed("A2", ZOETERMEER, -120, 90, "Mo-Sa 09:00-21:00", where="Synthetisch – winkel, binnen"),
                  aed("A3", ZOETERMEER, 650, -400, "24/7", where="Synthetisch – buitenkast school")]},
        [call(0, "I1", ZOETERMEER), *standard_alarm("I1"),
         {"at": 36, "do": "simulate_responses", "incident": "I1"},
         {"at": 1500, "do": "close", "incident": "I1"}]))
    # 8 No AED in reach: everyone goes straight to the victim.
    write("08_no_aed_in_reach", scenario(
        "Geen AED binnen bereik: iedereen direct", EVENING,
        {"responders": responders(village, 25, 1200, 8),
         "aeds": [aed("A1", village, 3000, 2500), aed("A2", village, 200, 0, status="maintenance")]},
        [call(0, "I1", village), *standard_alarm("I1"),
         {"at": 36, "do": "simulate_responses", "incident": "I1"},
         {"at": 1500, "do": "close", "incident": "I1"}]))
    # 9 Oversupply: scripted accepts; target met at the 5th, two more accept too late.
    reg9 = {"responders": responders(ZOETERMEER, 20, 600, 9),
            "aeds": [aed("A1", ZOETERMEER, 150, 150), aed("A2", ZOETERMEER, -200, -100)]}
    t9 = [call(0, "I1", ZOETERMEER), *standard_alarm("I1")]
    for i, at in enumerate([50, 58, 64, 70, 75, 77, 80, 84, 95, 110, 120, 130], start=1):
        t9.append({"at": at, "do": "respond", "incident": "I1", "responder": f"R{i}", "answer": "accept"})
    t9 += [{"at": 200, "do": "arrive", "incident": "I1", "responder": "R1"},
           {"at": 205, "do": "caller_instruction", "incident": "I1", "state": "handed_over"},
           {"at": 230, "do": "arrive", "incident": "I1", "responder": "R2"},
           {"at": 240, "do": "oversupply_feedback", "incident": "I1", "note": "8 burgerhulpverleners ter plaatse"},
           {"at": 900, "do": "close", "incident": "I1"}]
    write("09_oversupply", scenario("Overaanbod: te veel burgerhulpverleners", EVENING, reg9, t9))
    # 10 Two concurrent incidents 400 m apart compete for the same responders.
    second = (ZOETERMEER[0] + 0.0036, ZOETERMEER[1])
    write("10_two_concurrent_incidents", scenario(
        "Twee gelijktijdige reanimaties, 400 m uit elkaar", EVENING,
        {"responders": responders(ZOETERMEER, 60, 900, 10),
         "aeds": [aed("A1", ZOETERMEER, 100, 0), aed("A2", second, 50, 50), aed("A3", ZOETERMEER, 300, -300)]},
        [call(0, "I1", ZOETERMEER), *standard_alarm("I1"),
         call(60, "I2", second), *standard_alarm("I2", 60),
         {"at": 36, "do": "simulate_responses", "incident": "I1"},
         {"at": 96, "do": "simulate_responses", "incident": "I2"},
         {"at": 1500, "do": "close", "incident": "I1"}, {"at": 1560, "do": "close", "incident": "I2"}],
        config={"wanted_responders": 30, "max_responders": 40}))
    # 11 Exclusion overridden: trauma reported, dispatcher judges it a medical collapse.
    write("11_exclusion_overridden", scenario(
        "Trauma gemeld, centralist overrulet met reden", EVENING,
        {"responders": responders(DEN_HAAG, 40, 900, 12), "aeds": [aed("A1", DEN_HAAG, 150, 100)]},
        [call(0, "I1", DEN_HAAG, trauma=True, location_kind="public",
              location_description="fietser gevallen, onwel geworden"),
         {"at": 20, "do": "ambulance_dispatched", "incident": "I1", "unit": "15-102"},
         {"at": 30, "do": "trigger_alert", "incident": "I1"},
         {"at": 60, "do": "override_exclusion", "incident": "I1",
          "reason": "Onwel geworden op de fiets, geen ernstig letsel volgens melder"},
         {"at": 62, "do": "trigger_alert", "incident": "I1"},
         {"at": 63, "do": "simulate_responses", "incident": "I1"},
         {"at": 1200, "do": "close", "incident": "I1"}],
        expected={"alert": "sent", "decisions": {"exclusion": ["trauma"], "override": True}}))


if __name__ == "__main__":
    main()
