"""The responders' aftercare answers and contact consents, kept by pseudonym (issue 15).

Not in the event log: how a person is doing is kept only as long as its retention period
(docs/aftercare.md), and the log is append-only and hash-chained. Rows name the responder
by their registry pseudonym (BHV-…), never by id, name or number; the coordinator finds
the person through the registry when calling. Beside a SQLite store in
`<store>-aftercare.sqlite`, on PostgreSQL in `aftercare_answers` / `aftercare_contact`
(migration component `aftercare`), so every node sees every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..aftercare.questionnaire import CALL_DEADLINE, CALL_TARGET, follow_up_reasons
from ..errors import IllegalTransition
from .responder_accounts import _iso
from .side_db import side_db

COMPONENT = "aftercare"
_TABLES = (
    """CREATE TABLE IF NOT EXISTS aftercare_answers (
        incident       text NOT NULL,
        pseudonym      text NOT NULL,
        municipality   text NOT NULL,
        answered_at    text NOT NULL,
        arrived        integer,
        cpr_under_way  integer,
        aed_used       integer,
        wellbeing      text NOT NULL,
        wants_contact  integer NOT NULL,
        contact_others integer NOT NULL,
        called_at      text,
        called_by      text,
        PRIMARY KEY (incident, pseudonym)
    )""",
    """CREATE TABLE IF NOT EXISTS aftercare_contact (
        incident     text NOT NULL,
        pseudonym    text NOT NULL,
        consented_at text NOT NULL,
        PRIMARY KEY (incident, pseudonym)
    )""",
)
_BOOL = ("arrived", "cpr_under_way", "aed_used")


def _flag(v: Any) -> bool | None:
    return None if v is None else bool(v)


class AftercareStore:
    def __init__(self, store: str | Path, clock: Callable[[], datetime] | None = None) -> None:
        text = str(store)
        self._now = clock or (lambda: datetime.now(UTC))
        self._db: Any = side_db(text, "aftercare", COMPONENT, _TABLES)

    def close(self) -> None:
        self._db.close()

    # -- the questionnaire -------------------------------------------------------------------
    def answer(self, incident: str, pseudonym: str, municipality: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Store a checked answer (aftercare.questionnaire.answer_data); once per incident."""
        now = self._now()
        row = [incident, pseudonym, municipality, _iso(now),
               *[None if data[k] is None else int(data[k]) for k in _BOOL], data["wellbeing"],
               int(data["wants_contact"]), int(data["contact_others"])]
        with self._db.transaction():
            if self._db.execute("SELECT 1 FROM aftercare_answers WHERE incident = ? AND pseudonym = ?",
                                (incident, pseudonym)):
                raise IllegalTransition("this questionnaire was filled in already; thank you")
            self._db.execute("INSERT INTO aftercare_answers (incident, pseudonym, municipality, answered_at, arrived, "
                             "cpr_under_way, aed_used, wellbeing, wants_contact, contact_others) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            if data["contact_others"]:
                self._consent(incident, pseudonym, now)
        return self.answer_of(incident, pseudonym) or {}

    def _rows(self, where: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        cols = ("incident", "pseudonym", "municipality", "answered_at", *_BOOL, "wellbeing", "wants_contact",
                "contact_others", "called_at", "called_by")
        out = []
        for r in self._db.execute(f"SELECT {', '.join(cols)} FROM aftercare_answers WHERE {where} "
                                  "ORDER BY answered_at, pseudonym", params):
            d = dict(zip(cols, r, strict=True))
            for k in (*_BOOL, "wants_contact", "contact_others"):
                d[k] = _flag(d[k])
            out.append(d)
        return out

    def answer_of(self, incident: str, pseudonym: str) -> dict[str, Any] | None:
        found = self._rows("incident = ? AND pseudonym = ?", (incident, pseudonym))
        return found[0] if found else None

    def answers(self, incident: str | None = None, month: str | None = None) -> list[dict[str, Any]]:
        """An incident's answers, or a month's (`YYYY-MM`, by the UTC time of answering)."""
        if incident is not None:
            return self._rows("incident = ?", (incident,))
        if month is not None:
            return self._rows("substr(answered_at, 1, 7) = ?", (month,))
        return self._rows("1 = 1", ())

    # -- the coordinator's list ----------------------------------------------------------------
    def follow_ups(self, municipality: str | None = None, include_called: bool = False) -> list[dict[str, Any]]:
        """Who asked to be contacted or reported distress, with the 24 h target and 48 h deadline."""
        rows = self._rows("(wants_contact = 1 OR wellbeing = 'hard')" + ("" if include_called else
                          " AND called_at IS NULL") + (" AND municipality = ?" if municipality else ""),
                          (municipality,) if municipality else ())
        for d in rows:
            answered = datetime.fromisoformat(d["answered_at"])
            d["reasons"] = list(follow_up_reasons(d))
            d["call_by"] = _iso(answered + CALL_TARGET)
            d["deadline"] = _iso(answered + CALL_DEADLINE)
        return [{k: d[k] for k in ("incident", "pseudonym", "municipality", "answered_at", "reasons", "call_by",
                                   "deadline", "wellbeing", "called_at", "called_by")} for d in rows]

    def called(self, incident: str, pseudonym: str, by: str) -> bool:
        return bool(self._db.execute("UPDATE aftercare_answers SET called_at = ?, called_by = ? WHERE incident = ? "
                                     "AND pseudonym = ? AND called_at IS NULL RETURNING pseudonym",
                                     (_iso(self._now()), by, incident, pseudonym)))

    # -- contact between responders of one incident ---------------------------------------------
    def _consent(self, incident: str, pseudonym: str, now: datetime) -> None:
        self._db.execute("INSERT INTO aftercare_contact (incident, pseudonym, consented_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (incident, pseudonym) DO NOTHING", (incident, pseudonym, _iso(now)))

    def consent(self, incident: str, pseudonym: str) -> None:
        self._consent(incident, pseudonym, self._now())

    def consented(self, incident: str) -> list[str]:
        return [str(r[0]) for r in self._db.execute("SELECT pseudonym FROM aftercare_contact WHERE incident = ? "
                                                    "ORDER BY consented_at, pseudonym", (incident,))]

    def contact_view(self, incident: str, pseudonym: str) -> dict[str, Any]:
        """What one responder may see: before they agreed, only whether someone else of this
        incident would like contact (no pseudonym); after, the pseudonyms of the others who agreed."""
        everyone = self.consented(incident)
        others = [p for p in everyone if p != pseudonym]
        if pseudonym in everyone:
            return {"agreed": True, "others_waiting": False, "matched": others}
        return {"agreed": False, "others_waiting": bool(others), "matched": []}

    def pairs(self, incidents: Sequence[str]) -> int:
        """Pairs of responders who agreed to contact, over these incidents (for the summary)."""
        total = 0
        for i in incidents:
            n = len(self.consented(i))
            total += n * (n - 1) // 2
        return total

    # -- retention and AVG ------------------------------------------------------------------
    def remove_before(self, answers_before: datetime, contact_before: datetime) -> dict[str, int]:
        with self._db.transaction():
            a = len(self._db.execute("DELETE FROM aftercare_answers WHERE answered_at < ? RETURNING pseudonym",
                                     (_iso(answers_before),)))
            c = len(self._db.execute("DELETE FROM aftercare_contact WHERE consented_at < ? RETURNING pseudonym",
                                     (_iso(contact_before),)))
        return {"aftercare_answers": a, "aftercare_contact": c}

    def of_pseudonym(self, pseudonym: str) -> dict[str, Any]:
        contact = self._db.execute("SELECT incident, consented_at FROM aftercare_contact WHERE pseudonym = ? "
                                   "ORDER BY consented_at", (pseudonym,))
        return {"aftercare_answers": self._rows("pseudonym = ?", (pseudonym,)),
                "aftercare_contact": [{"incident": str(i), "consented_at": str(t)} for i, t in contact]}


def kept_beside(events: Path) -> AftercareStore | None:
    """The aftercare answers kept beside a SQLite event store (`<store>-aftercare.sqlite`),
    or None when it has none: opening one never creates it (the review of a copied store,
    a store no service wrote)."""
    return AftercareStore(events) if events.with_name(f"{events.stem}-aftercare.sqlite").is_file() else None

