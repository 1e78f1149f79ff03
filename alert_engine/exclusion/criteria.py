"""Kwaliteitskader §5.1: the calls for which citizen responders are not alerted.

Every criterion gets a finding, met or not, so the console can show the whole checklist
with live verdicts; only criteria that are met (`True`) exclude. `None` means "unknown,
the dispatcher should check" and never excludes on its own (see docs/rules.md).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from ..config import AlertConfig
from ..errors import InvalidInput
from .motorway import MotorwayHit, MotorwayIndex, default_index
from .motorway_criterion import judge_motorway
from .reasons import render

Criterion = Literal["infant", "suicide", "trauma", "motorway", "violence"]
CRITERIA: tuple[Criterion, ...] = ("infant", "suicide", "trauma", "motorway", "violence")


@dataclass(frozen=True)
class CallFacts:
    """What the dispatcher knows about a reanimation call when deciding on an alert."""

    lat: float
    lon: float
    patient_age_years: float | None = None  # None: not known (yet)
    suicide: bool = False
    trauma: bool = False
    violence: bool = False
    location_kind: str = ""  # free text: home, public, motorway, verzorgingsplaats ...
    location_description: str = ""  # free text: "A12 hmp 34,5", "Vlietweg 12, Leidschendam"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)):
            raise InvalidInput(f"call location is not a number: lat={self.lat}, lon={self.lon}")
        age = self.patient_age_years
        if age is not None and not (math.isfinite(age) and age >= 0):
            raise InvalidInput(f"patient_age_years must be 0 or more (or null), got {age!r}")


@dataclass(frozen=True)
class Finding:
    """One criterion's verdict: met (excludes), not met, or None = unknown, check. The
    reason is a code with parameters (exclusion.reasons); its text is rendered on demand."""

    criterion: Criterion
    met: bool | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "nl") -> str:
        return render(self.code, self.params, lang)

    @property
    def reason_nl(self) -> str:
        return self.text("nl")

    @property
    def reason_en(self) -> str:
        return self.text("en")

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Finding:
        """A finding as an event stores it; logs from before reason codes kept the prose."""
        if "code" in data:
            return cls(data["criterion"], data["met"], str(data["code"]), dict(data.get("params") or {}))
        return cls(data["criterion"], data["met"], "text",
                   {"nl": data.get("reason_nl", ""), "en": data.get("reason_en", "")})


@dataclass(frozen=True)
class ExclusionVerdict:
    """All five findings, which of them exclude, and the motorway to show on the map."""

    excluded: bool
    criteria: tuple[Criterion, ...]  # the met ones, in CRITERIA order
    findings: tuple[Finding, ...]  # one per criterion, in CRITERIA order
    age_unknown: bool  # "leeftijd onbekend – niet uitgesloten"
    motorway: MotorwayHit | None  # set when the motorway finding is met or unknown

    def finding(self, criterion: Criterion) -> Finding:
        return next(f for f in self.findings if f.criterion == criterion)

    @property
    def to_check(self) -> tuple[Criterion, ...]:
        """Criteria the data cannot settle: the dispatcher should ask or look."""
        return tuple(f.criterion for f in self.findings if f.met is None)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the `exclusion_assessed` event and the console."""
        data = asdict(self)
        data["criteria"] = list(self.criteria)
        data["findings"] = [asdict(f) for f in self.findings]
        return data


def assess(
    facts: CallFacts, config: AlertConfig, motorways: MotorwayIndex | None = None
) -> ExclusionVerdict:
    """Judge a call against §5.1; `motorways` defaults to the shipped The Hague map."""
    motorway = judge_motorway(
        facts.lat,
        facts.lon,
        facts.location_kind,
        facts.location_description,
        config,
        motorways if motorways is not None else default_index(),
    )
    findings = (
        _infant(facts.patient_age_years, config.min_patient_age_years),
        _flag("suicide", facts.suicide),
        _flag("trauma", facts.trauma),
        Finding("motorway", motorway.met, motorway.code, motorway.params),
        _flag("violence", facts.violence),
    )
    met = tuple(f.criterion for f in findings if f.met is True)
    return ExclusionVerdict(
        excluded=bool(met),
        criteria=met,
        findings=findings,
        age_unknown=facts.patient_age_years is None,
        motorway=motorway.hit if motorway.met is not False else None,
    )


def _flag(criterion: Criterion, met: bool) -> Finding:
    return Finding(criterion, met, f"{criterion}.{'met' if met else 'not_met'}")


def _infant(age: float | None, min_age: float) -> Finding:
    if age is None:
        return Finding("infant", None, "infant.unknown")
    if age < min_age:
        return Finding("infant", True, "infant.young", {"age": age, "limit": min_age})
    return Finding("infant", False, "infant.old_enough", {"age": age, "limit": min_age})


def verdict_data(verdict: ExclusionVerdict) -> dict[str, Any]:
    """A verdict as JSON (the `exclusion_assessed` event's fields, the service's preview)."""
    return {
        "excluded": verdict.excluded,
        "criteria": list(verdict.criteria),
        "age_unknown": verdict.age_unknown,
        "findings": [asdict(f) for f in verdict.findings],
        "motorway": asdict(verdict.motorway) if verdict.motorway else None,
    }


def verdict_from_data(data: Mapping[str, Any]) -> ExclusionVerdict:
    """The inverse of verdict_data: a client of the service gets the same value type."""
    mw = data.get("motorway")
    known = {f.name for f in fields(MotorwayHit)}
    return ExclusionVerdict(
        excluded=bool(data["excluded"]),
        criteria=tuple(data["criteria"]),
        findings=tuple(Finding.from_data(f) for f in data["findings"]),
        age_unknown=bool(data["age_unknown"]),
        motorway=MotorwayHit(**{k: v for k, v in mw.items() if k in known}) if mw else None,
    )
