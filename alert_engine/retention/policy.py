"""The retention periods per kind of data (docs/retention.md says why each is what it is).

Defaults are the centre's choice; a centre changes them in a JSON file (`--policy FILE`, or
`retention.json` in the data directory) naming any of the fields below. Periods are
whole days (hours for GPS fixes), counted in Europe/Amsterdam calendar days.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..clock import AMSTERDAM
from ..errors import InvalidInput
from ..paths import data_dir

# NEN 7513 asks that access logs be kept at least as long as is needed to answer who saw a
# record; five years is the floor this project accepts.
MIN_ACCESS_LOG_DAYS = 1826


@dataclass(frozen=True)
class RetentionPolicy:
    live_responder_data_days: int = 730  # responder ids, pseudonyms, positions, addresses in live incidents
    live_incident_days: int = 7305  # the de-identified alarm record of a live incident: 20 years (WGBO)
    test_incident_days: int = 365  # municipal test alarms (proefalarm) in the live store
    training_days: int = 90  # training runs (events-training/, training incidents)
    complaint_days: int = 1826  # a complaint after its answer; holds its incident whole until then
    aftercare_answer_days: int = 365  # questionnaire answers (pseudonymised)
    contact_request_days: int = 365  # consents to contact between people of one incident
    access_log_days: int = 1826  # NEN 7513 access log: reported when due, never deleted (docs/retention.md)
    position_hours: int = 24  # stored GPS fixes of responders
    dead_letter_days: int = 30  # refused dispatch-system messages (may hold a caller's address)
    away_days: int = 30  # a responder's past unavailability periods (self-service), after they end

    def to_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def load(cls, path: Path | None) -> RetentionPolicy:
        """The policy from `path` (or the data directory's retention.json when present)."""
        p = path if path is not None else data_dir() / "retention.json"
        if path is None and not p.exists():
            return cls()
        try:
            raw: Any = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InvalidInput(f"--policy: {p}: no such file") from None
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"--policy: {p}: not readable JSON ({exc})") from None
        if not isinstance(raw, dict):
            raise InvalidInput(f"{p}: expected an object of retention periods")
        known = {f.name for f in fields(cls)}
        for name, value in raw.items():
            if name not in known:
                raise InvalidInput(f"{p}: {name}: unknown retention period (known: {', '.join(sorted(known))})")
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise InvalidInput(f"{p}: {name}: a whole number of days (hours for position_hours) of at least 1")
        policy = cls(**raw)
        if policy.access_log_days < MIN_ACCESS_LOG_DAYS:
            raise InvalidInput(f"{p}: access_log_days: at least {MIN_ACCESS_LOG_DAYS} (NEN 7513, docs/retention.md)")
        if policy.live_incident_days < policy.live_responder_data_days:
            raise InvalidInput(f"{p}: live_incident_days: not shorter than live_responder_data_days")
        return policy


def local_date(t: datetime) -> date:
    return t.astimezone(AMSTERDAM).date()


def expired(end: datetime | date, days: int, today: date) -> bool:
    """Kept `days` whole calendar days (Amsterdam) after the day of `end`, gone from the next."""
    day = end if not isinstance(end, datetime) else local_date(end)
    return today > day + timedelta(days=days)


def day_start(day: date) -> datetime:
    """Midnight starting `day` in Amsterdam: the cutoff for rows with a timestamp."""
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)
