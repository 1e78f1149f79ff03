"""Records of the registry: what is known about one responder and one AED.

No names or phone numbers: the registry holds a pseudonym for display only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

CHANNELS = ("app", "sms", "voice")


class AedStatus(StrEnum):
    READY = "ready"
    MAINTENANCE = "maintenance"
    RESERVE = "reserve"
    CHECK_NEEDED = "check_needed"


@dataclass(frozen=True, slots=True)
class Address:
    """A registered address and the weekly window (OSM opening_hours syntax) it applies in."""

    lat: float
    lon: float
    window: str = "24/7"
    label: str = "home"  # "home" or "work"


@dataclass(frozen=True, slots=True)
class GpsFix:
    lat: float
    lon: float
    time: datetime


@dataclass(frozen=True, slots=True)
class Responder:
    id: str
    certificate_valid_until: date
    addresses: tuple[Address, ...] = ()
    gps: GpsFix | None = None
    pseudonym: str = ""
    availability: str = "24/7"
    active: bool = True
    medical: bool = False
    channels: tuple[str, ...] = ("app",)
    test_alarms_opt_in: bool = False
    municipality: str = ""
    last_refresher: date | None = None
    synthetic: bool = False


@dataclass(frozen=True, slots=True)
class Aed:
    id: str
    lat: float
    lon: float
    opening_hours: str = "24/7"
    status: AedStatus = AedStatus.READY
    cabinet_code: str = ""
    location_description: str = ""
    manager_contact: str = ""
    indoor: bool = False
    synthetic: bool = False
    extra: dict[str, str] = field(default_factory=dict, compare=False)
