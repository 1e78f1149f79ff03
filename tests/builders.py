"""Small registries and engines for the headless tests."""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from zoneinfo import ZoneInfo

from alert_engine.clock import SimClock
from alert_engine.config import AlertConfig
from alert_engine.engine import Engine
from alert_engine.eventlog.store import EventStore, MemoryEventStore
from alert_engine.exclusion import CallFacts
from alert_engine.notifications import RecordingChannel
from alert_engine.registry.model import Address, Aed, AedStatus, Responder
from alert_engine.registry.table import Registry

AMS = ZoneInfo("Europe/Amsterdam")
ZOETERMEER = (52.0601, 4.4932)
EVENING = datetime(2026, 11, 22, 19, 40, tzinfo=AMS)


def offset(center: tuple[float, float], north_m: float, east_m: float) -> tuple[float, float]:
    lat, lon = center
    return lat + north_m / 111_320, lon + east_m / (111_320 * math.cos(math.radians(lat)))


def ring_responders(
    n: int, r_max: float = 800.0, seed: int = 1, center: tuple[float, float] = ZOETERMEER, **kw: object
) -> list[Responder]:
    rng = random.Random(seed)
    out = []
    for i in range(1, n + 1):
        d = r_max * math.sqrt(rng.random())
        a = rng.random() * 2 * math.pi
        lat, lon = offset(center, d * math.cos(a), d * math.sin(a))
        fields: dict = {
            "id": f"R{i}",
            "certificate_valid_until": date(2027, 6, 30),
            "addresses": (Address(lat, lon, "24/7"),),
            "pseudonym": f"BHV-{i:04d}",
        }
        fields.update(kw)
        out.append(Responder(**fields))
    return out


def aed_at(aid: str, north: float, east: float, hours: str = "24/7",
           status: AedStatus = AedStatus.READY, center: tuple[float, float] = ZOETERMEER) -> Aed:
    lat, lon = offset(center, north, east)
    return Aed(aid, lat, lon, hours, status, cabinet_code=f"C-{aid}", location_description=f"kast {aid}")


def make_engine(
    responders: list[Responder],
    aeds: list[Aed],
    start: datetime = EVENING,
    store: EventStore | None = None,
    config: AlertConfig | None = None,
) -> tuple[Engine, SimClock, RecordingChannel]:
    clock = SimClock(start)
    channel = RecordingChannel()
    engine = Engine(
        Registry.from_records(responders, aeds), store or MemoryEventStore(), clock, config, channel=channel
    )
    return engine, clock, channel


def facts(center: tuple[float, float] = ZOETERMEER, **kw: object) -> CallFacts:
    return CallFacts(lat=center[0], lon=center[1], patient_age_years=kw.pop("age", 67), **kw)  # type: ignore[arg-type]


def alerted(engine: Engine, incident: str = "I1", clock: SimClock | None = None) -> None:
    """Take an incident from call to alert_sent the normal way."""
    engine.call(incident, facts())
    if clock:
        clock.advance(20)
    engine.dispatch_ambulance(incident, "15-101")
    if clock:
        clock.advance(10)
    engine.trigger_alert(incident)
