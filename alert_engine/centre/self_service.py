"""Self-service (issue 15): what responders and AED managers change themselves, kept beside
the event store (`<store>-self-service.sqlite`, or component `self_service` on PostgreSQL)
and applied to the node's in-memory registry at once, as a GPS fix is: the next selection
uses it. Every node re-applies the whole (small) table at start and on its availability
poll, so a change through one node reaches the others within seconds.

Each change is also a row in `ss_changes` (when, whose, which field; never the value: a
cabinet code is not to be kept twice, let alone logged). A cabinet code is never given
back: the manager's page sees that one is set and its last character.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from ..registry.model import AedStatus
from ..registry.table import AED_STATUS_BY_CODE, AED_STATUS_CODES, Registry, StrColumn, channel_mask
from .responder_accounts import _iso, digest
from .side_db import side_db

MANAGER_LINK_VALID = timedelta(days=90)
_TABLES = (
    """CREATE TABLE IF NOT EXISTS ss_responders (
        responder text PRIMARY KEY, certificate_valid_until text, refresher_on text,
        competent_declared_at text, channels text, updated_at text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ss_away (
        id text PRIMARY KEY, responder text NOT NULL, from_day text NOT NULL, until_day text NOT NULL,
        created_at text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ss_aeds (
        aed text PRIMARY KEY, hours text, status text, cabinet_code text, updated_at text NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS ss_manager_links (
        digest text PRIMARY KEY, aed text NOT NULL, created_at text NOT NULL, expires_at text NOT NULL,
        revoked_at text)""",
    """CREATE TABLE IF NOT EXISTS ss_changes (
        at text NOT NULL, kind text NOT NULL, subject text NOT NULL, field text NOT NULL)""",
)


def _set_text(col: StrColumn, i: int, text: str) -> None:
    raw = text.encode()
    if len(raw) > col.data.dtype.itemsize:
        col.data = col.data.astype(f"S{len(raw)}")
    col.data[i] = raw


class SelfService:
    def __init__(self, store: str | Path, registry: Registry, lock: threading.RLock,
                 clock: Callable[[], datetime] | None = None) -> None:
        self._db: Any = side_db(store, "self-service", "self_service", _TABLES)
        self.registry = registry
        self.lock = lock
        self._now = clock or (lambda: datetime.now(UTC))
        # The registry's own values, so a removed override gives them back.
        self._own_cert: dict[int, int] = {}

    def close(self) -> None:
        self._db.close()

    def _changed(self, kind: str, subject: str, *fields: str) -> None:
        now = _iso(self._now())
        for f in fields:
            self._db.execute("INSERT INTO ss_changes (at, kind, subject, field) VALUES (?, ?, ?, ?)",
                             (now, kind, subject, f))

    # -- responders ---------------------------------------------------------------------------
    def set_training(self, responder: str, until: date, refresher: date | None) -> None:
        now = _iso(self._now())
        self._db.execute(
            "INSERT INTO ss_responders (responder, certificate_valid_until, refresher_on, competent_declared_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (responder) DO UPDATE SET "
            "certificate_valid_until = excluded.certificate_valid_until, refresher_on = excluded.refresher_on, "
            "competent_declared_at = excluded.competent_declared_at, updated_at = excluded.updated_at",
            (responder, until.isoformat(), refresher.isoformat() if refresher else None, now, now))
        self._changed("responder", responder, "certificate_valid_until", "competent")
        self.apply()

    def set_channels(self, responder: str, channels: tuple[str, ...]) -> None:
        now = _iso(self._now())
        self._db.execute("INSERT INTO ss_responders (responder, channels, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (responder) DO UPDATE SET channels = excluded.channels, "
                         "updated_at = excluded.updated_at", (responder, ",".join(channels), now))
        self._changed("responder", responder, "channels")
        self.apply()

    def add_away(self, responder: str, start: date, end: date) -> str:
        pid = secrets.token_hex(6)
        self._db.execute("INSERT INTO ss_away (id, responder, from_day, until_day, created_at) VALUES (?, ?, ?, ?, ?)",
                         (pid, responder, start.isoformat(), end.isoformat(), _iso(self._now())))
        self._changed("responder", responder, "unavailability")
        return pid

    def remove_away(self, responder: str, pid: str) -> bool:
        gone = self._db.execute("DELETE FROM ss_away WHERE id = ? AND responder = ? RETURNING id", (pid, responder))
        if gone:
            self._changed("responder", responder, "unavailability")
        return bool(gone)

    def away_today(self, today: date) -> set[str]:
        day = today.isoformat()
        return {str(r[0]) for r in self._db.execute(
            "SELECT responder FROM ss_away WHERE from_day <= ? AND until_day >= ?", (day, day))}

    def profile(self, responder: str) -> dict[str, Any]:
        reg = self.registry
        idx = reg.responder_index(responder)
        rows = self._db.execute("SELECT certificate_valid_until, refresher_on, competent_declared_at, channels "
                                "FROM ss_responders WHERE responder = ?", (responder,))
        mask = int(reg.r_channels[idx]) if idx is not None else 0
        from ..registry.model import CHANNELS

        away = [{"id": str(i), "from": str(f), "until": str(u)} for i, f, u in self._db.execute(
            "SELECT id, from_day, until_day FROM ss_away WHERE responder = ? ORDER BY from_day", (responder,))]
        until = date.fromordinal(int(reg.r_cert_day[idx])).isoformat() if idx is not None else None
        return {"certificate_valid_until": until,
                "refresher_on": rows[0][1] if rows else None,
                "competent_declared_at": rows[0][2] if rows else None,
                "channels": [c for i, c in enumerate(CHANNELS) if mask & (1 << i)], "unavailability": away}

    # -- AED managers ------------------------------------------------------------------------
    def issue_manager_link(self, aed: str, valid_for: timedelta = MANAGER_LINK_VALID) -> tuple[str, datetime]:
        code = secrets.token_urlsafe(32)
        now = self._now()
        self._db.execute("INSERT INTO ss_manager_links (digest, aed, created_at, expires_at) VALUES (?, ?, ?, ?)",
                         (digest(code), aed, _iso(now), _iso(now + valid_for)))
        return code, now + valid_for

    def manager_of(self, code: str | None) -> str | None:
        if not code or len(code) > 100:
            return None
        rows = self._db.execute("SELECT aed FROM ss_manager_links WHERE digest = ? AND revoked_at IS NULL "
                                "AND expires_at > ?", (digest(code), _iso(self._now())))
        return str(rows[0][0]) if rows else None

    def set_aed(self, aed: str, *, hours: str | None = None, status: str | None = None,
                cabinet_code: str | None = None) -> None:
        now = _iso(self._now())
        with self._db.transaction():
            self._db.execute("INSERT INTO ss_aeds (aed, updated_at) VALUES (?, ?) ON CONFLICT (aed) DO NOTHING",
                             (aed, now))
            for field, value in (("hours", hours), ("status", status), ("cabinet_code", cabinet_code)):
                if value is not None:
                    self._db.execute(f"UPDATE ss_aeds SET {field} = ?, updated_at = ? WHERE aed = ?", (value, now, aed))
                    self._changed("aed", aed, field)
        self.apply()

    def aed_view(self, aed: str) -> dict[str, Any]:
        from ..selfservice.rules import code_hint

        reg = self.registry
        i = reg.a_index.get(aed)
        if i is None:
            return {}
        return {"aed": aed, "description": str(reg.a_description[i]), "hours": reg.patterns.texts[int(reg.a_hours[i])],
                "status": str(AED_STATUS_BY_CODE[int(reg.a_status[i])]),
                "cabinet_code_set": bool(str(reg.a_cabinet[i])), "cabinet_code_hint": code_hint(str(reg.a_cabinet[i]))}

    # -- applied to the registry -------------------------------------------------------------
    def apply(self) -> None:
        """Every override onto the in-memory registry (idempotent: re-applied on each poll)."""
        from ..registry.model import CHANNELS

        reg = self.registry
        people = self._db.execute("SELECT responder, certificate_valid_until, channels FROM ss_responders")
        aeds = self._db.execute("SELECT aed, hours, status, cabinet_code FROM ss_aeds")
        with self.lock:  # selection reads these arrays under the engine lock
            for rid, until, chans in people:
                idx = reg.responder_index(str(rid))
                if idx is None:
                    continue
                if until:
                    self._own_cert.setdefault(idx, int(reg.r_cert_day[idx]))
                    reg.r_cert_day[idx] = np.int32(date.fromisoformat(str(until)).toordinal())
                if chans:
                    reg.r_channels[idx] = channel_mask(c for c in str(chans).split(",") if c in CHANNELS)
            for aed, hours, status, code in aeds:
                i = reg.a_index.get(str(aed))
                if i is None:
                    continue
                if hours:
                    reg.a_hours[i] = reg.patterns.code(str(hours))
                if status:
                    reg.a_status[i] = AED_STATUS_CODES[AedStatus(str(status))]
                if code:
                    _set_text(reg.a_cabinet, i, str(code))
