"""Every tunable of the alerting rules in one typed place, each with its default's source."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from .errors import InvalidInput


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

    @classmethod
    def from_mapping(cls, data: dict[str, Any], where: str = "config") -> AlertConfig:
        """Build from a scenario's `config` object; unknown keys or bad types are errors."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                raise InvalidInput(f"{where}.{key}: unknown setting (known: {', '.join(known)})")
            default = getattr(cls(), key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidInput(f"{where}.{key}: expected a number, got {value!r}")
            if value < 0:
                raise InvalidInput(f"{where}.{key}: must not be negative, got {value!r}")
            values[key] = type(default)(value)
        cfg = cls(**values)
        if cfg.min_radius_m > cfg.max_radius_m:
            raise InvalidInput(f"{where}: min_radius_m is larger than max_radius_m")
        return cfg

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
