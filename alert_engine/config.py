"""Every tunable of the alerting rules in one typed place, each with its default's source."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import InvalidInput
from .safe_input import shown

# What a setting may be set to (inclusive). The bounds are sanity limits, not advice: they
# keep every computation finite (radius steps, timedelta of a timeout) and every count
# meaningful (an alarm for at most 0 responders alerts no one).
_DAY_S = 86_400.0
_FAR_M = 50_000.0
RANGES: dict[str, tuple[float, float]] = {
    "max_responders": (1, 10_000),
    "max_aeds": (0, 100),
    "wanted_responders": (1, 10_000),
    "min_radius_m": (1.0, _FAR_M),
    "radius_step_m": (1.0, _FAR_M),
    "max_radius_m": (1.0, _FAR_M),
    "aed_max_distance_m": (0.0, _FAR_M),
    "direct_share": (0.0, 1.0),
    "aed_fetch_radius_m": (0.0, _FAR_M),
    "aed_detour_tolerance": (0.0, 10.0),
    "target_responders": (1, 10_000),
    "target_aed_runners": (0, 10_000),
    "response_timeout_s": (1.0, _DAY_S),
    "gps_stale_after_s": (0.0, 7 * _DAY_S),
    "min_patient_age_years": (0.0, 130.0),
    "motorway_buffer_m": (0.0, 1_000.0),
    "intake_silent_after_s": (60.0, 7 * _DAY_S),
    "intake_close_after_s": (60.0, 30 * _DAY_S),
    "eta_margin_s": (-3_600.0, 3_600.0),
    "eta_speed_mps": (0.1, 50.0),
    "eta_detour_factor": (1.0, 5.0),
    "eta_turnout_s": (0.0, 3_600.0),
    "eta_cabinet_s": (0.0, 3_600.0),
    "coordinator_window_s": (0.0, 600.0),
}
# On/off settings (true or false, never a number): new options of issue 13, off by default.
SWITCHES = ("intake_auto_alert", "eta_aware", "coordinator_role")


@dataclass(frozen=True)
class AlertConfig:
    # HartslagNu: up to 100 responders and, where possible, 3 AEDs per alarm.
    max_responders: int = 100
    max_aeds: int = 3
    # HartslagNu: ~70 alerted gives ~5 on scene (q~0.07); radius grows until this many.
    wanted_responders: int = 70
    # HartslagNu: variable radius, at most about 2 km (was a fixed 750 m before 2020).
    min_radius_m: float = 300.0
    radius_step_m: float = 100.0
    max_radius_m: float = 2000.0
    # HartslagNu / oogtv 2020: two available AEDs wanted within 2 km.
    aed_max_distance_m: float = 2000.0
    # Published split: about 1/3 straight to the victim, 2/3 via an AED.
    direct_share: float = 1 / 3
    # HartslagNu FAQ: a responder inside an AED's 500 m circle fetches it ...
    aed_fetch_radius_m: float = 500.0
    # ... or when the route via the AED is at most ~5 % longer than going direct.
    aed_detour_tolerance: float = 0.05
    # Kwaliteitskader: target on scene 5 responders and 2 AEDs.
    target_responders: int = 5
    target_aed_runners: int = 2
    # Assumption (no published figure): an unanswered alert lapses after 3 minutes.
    response_timeout_s: float = 180.0
    # Assumption: a GPS fix older than 15 minutes no longer says where someone is.
    gps_stale_after_s: float = 900.0
    # Kwaliteitskader §5.1: no alert for patients younger than 1 year.
    min_patient_age_years: float = 1.0
    # Motorway buffer around motorway/motorway_link centre lines (see docs/rules.md).
    motorway_buffer_m: float = 25.0
    # Issue 13 (docs/intake.md). HartslagNu's GMS link alerts without the dispatcher when
    # the call qualifies; here only as an option, and only when no criterion is hinted.
    intake_auto_alert: bool = False
    # Assumption: a dispatch system updates a live incident (units, ETA) within minutes;
    # 15 min of silence flags the incident, 4 h closes it (docs/intake.md, "Orphans").
    intake_silent_after_s: float = 900.0
    intake_close_after_s: float = 14_400.0
    # ETA-aware alerting (docs/rules.md): Region der Lebensretter/FirstAED and Momentum alert
    # only responders expected to arrive before the ambulance; off by default. On: alert
    # only those expected at least `eta_margin_s` before the first ambulance's ETA.
    eta_aware: bool = False
    eta_margin_s: float = 60.0
    # The estimated arrival of a responder (alert_engine/views/arrival.py), from the
    # behaviour model's published figures (simulation/behaviour.py, checked equal in tests):
    # Swedish GPS study 2020, median 2.3 m/s read as a straight-line speed (route factor 1);
    eta_speed_mps: float = 2.3
    eta_detour_factor: float = 1.0
    # Region der Lebensretter 2025: median alert -> departure 1:42 min by day;
    eta_turnout_s: float = 102.0
    # assumption: ~40 s at the cabinet (code, door, AED).
    eta_cabinet_s: float = 40.0
    # FirstAED / Region der Lebensretter give a third responder the coordinator's role (meet
    # the ambulance, manage bystanders, report); off by default. On: the third (or later)
    # direct responder who accepts and is expected on scene within `coordinator_window_s`
    # of the first coming responder (assumption: a minute) becomes it.
    coordinator_role: bool = False
    coordinator_window_s: float = 60.0

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str = "config") -> AlertConfig:
        """Build from a scenario's `config` object; unknown keys, bad types and values out
        of range are errors naming `where.key`. A key given as null keeps its default."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise InvalidInput(f"{where}.{key}: unknown setting (known: {', '.join(known)})")
            if value is None:
                continue
            if key in SWITCHES:
                if not isinstance(value, bool):
                    raise InvalidInput(f"{where}.{key}: expected true or false, got {shown(value)}")
                values[key] = value
                continue
            whole = isinstance(getattr(cls(), key), int)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                kind = "a whole number" if whole else "a number"
                raise InvalidInput(f"{where}.{key}: expected {kind}, got {shown(value)}")
            if whole and value != int(value):
                raise InvalidInput(f"{where}.{key}: expected a whole number, got {shown(value)}")
            values[key] = int(value) if whole else float(value)
        cfg = cls(**values)
        cfg.validate(where)
        return cfg

    def validate(self, where: str = "config") -> None:
        """Raise InvalidInput naming the first setting that is out of range.

        Run on every config built from user input, before anything runs: a value the rules
        cannot work with (a zero radius step, a timeout of 1e300 s) must be refused up
        front, not crash an alarm half-way.
        """
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in SWITCHES:
                if not isinstance(value, bool):
                    raise InvalidInput(f"{where}.{f.name}: expected true or false, got {shown(value)}")
                continue
            lo, hi = RANGES[f.name]
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
            ):
                raise InvalidInput(f"{where}.{f.name}: expected a number, got {shown(value)}")
            if not lo <= value <= hi:
                raise InvalidInput(f"{where}.{f.name}: {value:g} is outside {lo:g}..{hi:g}")
        if self.min_radius_m > self.max_radius_m:
            raise InvalidInput(f"{where}: min_radius_m is larger than max_radius_m")
        if self.target_aed_runners > self.target_responders:
            raise InvalidInput(f"{where}: target_aed_runners is larger than target_responders")
        if self.intake_silent_after_s > self.intake_close_after_s:
            raise InvalidInput(f"{where}: intake_silent_after_s is larger than intake_close_after_s")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RulePreset:
    """A year's alerting rules as HartslagNu ran them: what the engine selects (`alert`)
    and how the alert reaches phones (`channel`: "app" push or "sms")."""

    name: str
    alert: AlertConfig
    channel: str
    source: str


# HartslagNu annual report 2020 ("Aanpassing van de alarmeringsstraal"): from a fixed
# radius everywhere to a variable one in 2020. Before: a fixed 750 m for responders and
# 500 m for AEDs, at most 30 responders, alerted by SMS (issue 14; the report gives the
# change, not the old figures). From 2020: the defaults above (up to 100 within ≤ 2 km, app).
RULE_PRESETS: dict[str, RulePreset] = {
    "2019": RulePreset(
        "2019",
        AlertConfig(
            max_responders=30,
            wanted_responders=30,
            min_radius_m=750.0,
            max_radius_m=750.0,
            aed_max_distance_m=500.0,
        ),
        "sms",
        "pre-2020 rules: fixed 750 m / 500 m AEDs, at most 30, SMS",
    ),
    "2020": RulePreset(
        "2020",
        AlertConfig(),
        "app",
        "2020 rules: variable radius up to 2 km, up to 100, app",
    ),
}


def rule_preset(name: str) -> RulePreset:
    """The named preset; an unknown name is an error that lists the known ones."""
    if name not in RULE_PRESETS:
        raise InvalidInput(f"unknown rules {name!r} (known: {', '.join(RULE_PRESETS)})")
    return RULE_PRESETS[name]
