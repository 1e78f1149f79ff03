"""Setting up a test alarm: which municipalities can run one, where, and when.

A test alarm always runs on the live engine (never a separate one), so the engine's
precedence holds: nobody on a real alarm is test-alerted, and a real alarm takes a
responder off an exercise first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from ..clock import local_day
from ..engine import Engine
from ..errors import AlertRefused
from ..events import Event
from ..registry.table import Registry


@dataclass(frozen=True, slots=True)
class Municipality:
    name: str
    opted_in: int  # active, certified responders who agreed to test alarms
    lat: float  # centre of their registered addresses: where the exercise "happens"
    lon: float


def municipalities(registry: Registry, when: datetime) -> list[Municipality]:
    """Every municipality in the registry, by name, with its opted-in count and centre."""
    reg = registry
    if reg.n_responders == 0:
        return []
    first_slot = np.full(reg.n_responders, -1, dtype=np.int64)
    first_slot[reg.s_resp[::-1]] = np.arange(len(reg.s_resp))[::-1]
    ready = reg.r_test_opt_in & reg.r_active & (reg.r_cert_day >= local_day(when))
    out = []
    for name in sorted({str(m) for m in reg.r_municipality if m}):
        members = (reg.r_municipality == name) & (first_slot >= 0)
        slots = first_slot[members]
        out.append(
            Municipality(
                name=name,
                opted_in=int(np.count_nonzero(ready & (reg.r_municipality == name))),
                lat=round(float(reg.s_lat[slots].mean()), 6),
                lon=round(float(reg.s_lon[slots].mean()), 6),
            )
        )
    return out


def exercise_id(municipality: str, at: datetime) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "", municipality.title())[:24] or "Gemeente"
    return f"TEST-{slug}-{at:%Y%m%d-%H%M}"


@dataclass(frozen=True, slots=True)
class ExercisePlan:
    municipality: str
    at: datetime
    lat: float
    lon: float
    incident: str


def start_exercise(engine: Engine, plan: ExercisePlan) -> list[Event]:
    return engine.test_alarm(plan.incident, plan.lat, plan.lon, plan.municipality)


@dataclass
class ExerciseSchedule:
    """Exercises set for a later time; `run_due(now)` starts those whose time has come."""

    engine: Engine
    plans: list[ExercisePlan] = field(default_factory=list)

    def add(self, municipality: Municipality, at: datetime) -> ExercisePlan:
        incident = exercise_id(municipality.name, at)
        if incident in self.engine.states or any(p.incident == incident for p in self.plans):
            raise AlertRefused(f"er staat al een proefalarm voor {municipality.name} om {at:%H:%M}")
        plan = ExercisePlan(municipality.name, at, municipality.lat, municipality.lon, incident)
        self.plans.append(plan)
        return plan

    def remove(self, incident: str) -> None:
        self.plans = [p for p in self.plans if p.incident != incident]

    def run_due(self, now: datetime) -> list[str]:
        due = [p for p in self.plans if p.at <= now]
        self.plans = [p for p in self.plans if p.at > now]
        for plan in due:
            start_exercise(self.engine, plan)
        return [p.incident for p in due]
