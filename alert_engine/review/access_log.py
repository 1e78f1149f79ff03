"""NEN 7513-style access log: who looked at which incident, when, what they did and why.

Append-only by construction and checkable afterwards: an SQLite file (WAL, synchronous
FULL) with triggers that refuse UPDATE and DELETE, one hash chain over all entries, and
AUTOINCREMENT ids, whose high-water mark (`sqlite_sequence`) survives a deleted last row.
`verify()` reports an edited entry, a removed entry (also the last one), removed triggers
and a broken chain, in plain words. Someone with write access to the file can still
rewrite all of it consistently; keep a copy of `head()` elsewhere to prove even that.
"""

from __future__ import annotations

import getpass
import json
import socket
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..clock import Clock, SystemClock
from ..errors import InvalidInput
from ..eventlog.store import GENESIS, chain_hash
from ..paths import data_dir

ACTIONS = ("open", "replay", "export", "annotate")
ACTION_LABELS = {"open": "geopend", "replay": "afgespeeld", "export": "geëxporteerd", "annotate": "notitie"}
_FIELDS = ("id", "time", "who", "login", "workstation", "action", "incident", "source", "reason", "details")
_TRIGGERS = ("access_log_no_update", "access_log_no_delete")

_SCHEMA = (
    """CREATE TABLE access_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    time        TEXT NOT NULL,
    who         TEXT NOT NULL,
    login       TEXT NOT NULL,
    workstation TEXT NOT NULL,
    action      TEXT NOT NULL,
    incident    TEXT NOT NULL,
    source      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    details     TEXT NOT NULL,
    prev        TEXT NOT NULL,
    hash        TEXT NOT NULL
)""",
    """CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only: entries cannot be changed'); END""",
    """CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only: entries cannot be removed'); END""",
)


def default_access_log_path() -> Path:
    return data_dir() / "access-log.sqlite"


def workstation_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): say so rather than guess
        return "onbekend"


@dataclass(frozen=True)
class AccessEntry:
    id: int
    time: str
    who: str  # the name the reviewer gave (default: the login)
    login: str  # the workstation login
    workstation: str
    action: str
    incident: str
    source: str  # store path or file the incident came from
    reason: str
    details: Mapping[str, Any] = field(default_factory=dict)

    def body(self) -> str:
        values = {k: getattr(self, k) for k in _FIELDS}
        values["details"] = dict(self.details)
        return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @property
    def action_nl(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True)
class AccessLogCheck:
    ok: bool
    entries: int
    problems_nl: list[str] = field(default_factory=list)
    problems_en: list[str] = field(default_factory=list)

    def headline_nl(self) -> str:
        if self.ok:
            return f"Toegangslog gecontroleerd: {self.entries} regels, hashketen klopt, niets verwijderd."
        return "Let op, het toegangslog is aangetast: " + " ".join(self.problems_nl[:5])


class AccessLog:
    def __init__(self, path: Path | str | None = None, clock: Clock | None = None) -> None:
        self.path = Path(path) if path is not None else default_access_log_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock or SystemClock()
        self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        # Create once; never re-create removed triggers silently: verify() must see that.
        self._db.execute("BEGIN IMMEDIATE")
        if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name='access_log'").fetchone():
            for statement in _SCHEMA:
                self._db.execute(statement)
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> AccessLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def append(
        self,
        who: str,
        action: str,
        incident: str,
        reason: str,
        source: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> AccessEntry:
        """Write one entry (in its own transaction, so concurrent reviewers chain correctly)."""
        if action not in ACTIONS:
            raise InvalidInput(f"unknown access action {action!r} (use {', '.join(ACTIONS)})")
        if not who.strip():
            raise InvalidInput("the access log needs the name of who is looking")
        if not reason.strip():
            raise InvalidInput("the access log needs a reason (NEN 7513: why this incident is opened)")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            row = self._db.execute("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1").fetchone()
            seq = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name='access_log'").fetchone()
            next_id = max(int(row[0]) if row else 0, int(seq[0]) if seq else 0) + 1
            entry = AccessEntry(
                id=next_id,
                time=_stamp(self.clock.now()),
                who=who.strip(),
                login=workstation_login(),
                workstation=socket.gethostname(),
                action=action,
                incident=incident,
                source=source,
                reason=reason.strip(),
                details=dict(details or {}),
            )
            prev = row[1] if row else GENESIS
            digest = chain_hash(prev, entry.body())
            self._db.execute(
                "INSERT INTO access_log VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*[getattr(entry, k) for k in _FIELDS[:-1]], json.dumps(dict(entry.details), ensure_ascii=False), prev, digest),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        return entry

    def entries(self, incident: str | None = None) -> list[AccessEntry]:
        sql = "SELECT " + ",".join(_FIELDS) + " FROM access_log"
        args: tuple[str, ...] = ()
        if incident is not None:
            sql += " WHERE incident=?"
            args = (incident,)
        return [_entry(row) for row in self._db.execute(sql + " ORDER BY id", args)]

    def head(self) -> str:
        row = self._db.execute("SELECT hash FROM access_log ORDER BY id DESC LIMIT 1").fetchone()
        return str(row[0]) if row else GENESIS

    def verify(self) -> AccessLogCheck:
        nl: list[str] = []
        en: list[str] = []

        def problem(dutch: str, english: str) -> None:
            nl.append(dutch)
            en.append(english)

        present = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
        for name in _TRIGGERS:
            if name not in present:
                problem(
                    f"De beveiliging tegen wijzigen ({name}) is verwijderd.",
                    f"the append-only trigger {name} was removed",
                )
        rows = list(self._db.execute("SELECT " + ",".join(_FIELDS) + ", prev, hash FROM access_log ORDER BY id"))
        expected_id, head = 1, GENESIS
        for row in rows:
            entry = _entry(row[: len(_FIELDS)])
            prev, digest = row[-2], row[-1]
            if entry.id != expected_id:
                missing = f"{expected_id}" if entry.id == expected_id + 1 else f"{expected_id}–{entry.id - 1}"
                problem(f"Regel(s) {missing} zijn verwijderd.", f"entries {missing} were deleted")
            expected_id = entry.id + 1
            if prev != head:
                problem(
                    f"De keten is onderbroken vóór regel {entry.id}.",
                    f"the chain is broken before entry {entry.id}",
                )
            if chain_hash(prev, entry.body()) != digest:
                problem(f"Regel {entry.id} is achteraf gewijzigd.", f"entry {entry.id} was changed after it was written")
            head = digest
        seq = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name='access_log'").fetchone()
        issued = int(seq[0]) if seq else 0
        last = rows[-1][0] if rows else 0
        if issued > last:
            missing = f"{last + 1}" if issued == last + 1 else f"{last + 1}–{issued}"
            problem(f"De laatste regel(s) ({missing}) zijn verwijderd.", f"the last entries ({missing}) were deleted")
        elif issued < last:
            problem("De teller van het log is teruggezet.", "the log's id counter was reset")
        return AccessLogCheck(ok=not nl, entries=len(rows), problems_nl=nl, problems_en=en)


def list_entries(path: Path | str | None = None, incident: str | None = None) -> list[AccessEntry]:
    """The entries of an access log (default location), oldest first."""
    with AccessLog(path) as log:
        return log.entries(incident)


def _entry(row: tuple[Any, ...]) -> AccessEntry:
    values = dict(zip(_FIELDS, row, strict=True))
    try:
        details = json.loads(values["details"])
    except (TypeError, ValueError):
        details = {"unreadable": str(values["details"])}
    values["details"] = details if isinstance(details, dict) else {"value": details}
    return AccessEntry(**values)


def _stamp(t: datetime) -> str:
    return t.isoformat(timespec="seconds")


class ReviewSession:
    """One reviewer looking at one incident for one reason (asked once), logging each action.

    `replay` is logged once per session (the first play or seek), not per scrubber move.
    """

    def __init__(self, log: AccessLog, who: str, reason: str, incident: str, source: str = "") -> None:
        if not reason.strip():
            raise InvalidInput("a review needs a reason (NEN 7513): why is this incident opened?")
        self.log = log
        self.who = who.strip() or workstation_login()
        self.reason = reason.strip()
        self.incident = incident
        self.source = source
        self._replayed = False

    def record(self, action: str, details: Mapping[str, Any] | None = None) -> AccessEntry | None:
        if action == "replay":
            if self._replayed:
                return None
            self._replayed = True
        return self.log.append(self.who, action, self.incident, self.reason, self.source, details)
