"""NEN 7513-style access log: who looked at which incident, when, what they did and why.

Append-only by construction and checkable afterwards: an SQLite file (WAL, synchronous
FULL) with triggers that refuse UPDATE and DELETE, one hash chain over all entries, and
AUTOINCREMENT ids, whose high-water mark (`sqlite_sequence`) survives a deleted last row.

Everything inside one SQLite file can be undone by someone who can write that file: drop
a trigger, delete the last row, lower `sqlite_sequence`, re-create the trigger; or drop
the table and let the next open create it empty; or delete the file. So the log's head
(last id and hash, and the log's random id) is also kept in an *anchor* file next to it
(`<log>.anchor`), written after every entry and never overwritten when the log no longer
continues it. `verify()` compares the two: a log that is shorter than its anchor, no
longer holds the anchored hash, or is another log than the anchored one is reported.
With a chain key (eventlog/keys.py) the chain is HMAC and the anchor is signed, so a
consistent rewrite of both without the key is detected too; without a key, keep a copy
of the head elsewhere (docs/review.md).
"""

from __future__ import annotations

import getpass
import hmac
import json
import socket
import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..clock import Clock, SystemClock
from ..errors import InvalidInput
from ..eventlog.chain import GENESIS, chain_hash
from ..eventlog.keys import key_check, load_chain_key
from ..files import write_atomically
from ..paths import data_dir

# Issue 15: `complaint` (a complaint registered, moved on or listed), `retention` (expired data
# removed: docs/retention.md) and `subject_export` (everything held about one responder).
ACTIONS = ("open", "replay", "export", "annotate", "complaint", "retention", "subject_export")
ACTION_LABELS = {"open": "geopend", "replay": "afgespeeld", "export": "geëxporteerd", "annotate": "notitie",
                 "complaint": "klacht", "retention": "bewaartermijn", "subject_export": "inzageverzoek"}
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
_META = "CREATE TABLE IF NOT EXISTS access_log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def anchor_path(log_path: Path) -> Path:
    return log_path.with_name(log_path.name + ".anchor")


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
    head_id: int = 0  # the log's head: last id and hash (write it down to prove a rewrite later)
    head: str = GENESIS
    remarks_nl: list[str] = field(default_factory=list)
    remarks_en: list[str] = field(default_factory=list)

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
        self.anchor = anchor_path(self.path)
        # Create once; never re-create removed triggers silently: verify() must see that.
        self._db.execute("BEGIN IMMEDIATE")
        try:
            had_meta = bool(self._db.execute("SELECT 1 FROM sqlite_master WHERE name='access_log_meta'").fetchone())
            if not self._db.execute("SELECT 1 FROM sqlite_master WHERE name='access_log'").fetchone():
                for statement in _SCHEMA:
                    self._db.execute(statement)
            self._db.execute(_META)
            if not had_meta:
                # A new log (or one from before anchors) gets its own identity; a key, when
                # configured now, signs it from here on. The key never changes for a log.
                key = load_chain_key()
                values = {"log_id": uuid.uuid4().hex, "keyed": "1" if key else "0",
                          "anchored_from": str(self._last()[0])}
                if key:
                    values["key_check"] = key_check(key)
                self._db.executemany("INSERT INTO access_log_meta VALUES (?, ?)", list(values.items()))
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        self._meta = dict(self._db.execute("SELECT key, value FROM access_log_meta").fetchall())
        self._key = load_chain_key() if self._meta.get("keyed") == "1" else None
        if not self.anchor.exists() and not had_meta:
            self._write_anchor()  # only ever for a log that had no anchor yet: never to hide a loss

    # -- the anchor ------------------------------------------------------------------------
    def _last(self) -> tuple[int, str]:
        row = self._db.execute("SELECT id, hash FROM access_log ORDER BY id DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def _anchor_mac(self, values: Mapping[str, Any]) -> str | None:
        if self._key is None:
            return None
        text = f"{values.get('log_id')}\n{values.get('entries')}\n{values.get('head')}"
        return hmac.new(self._key, text.encode("utf-8"), "sha256").hexdigest()

    def _read_anchor(self) -> dict[str, Any] | None:
        try:
            raw = json.loads(self.anchor.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {"unreadable": True}
        return raw if isinstance(raw, dict) else {"unreadable": True}

    def _anchor_problems(self, anchor: Mapping[str, Any] | None) -> list[tuple[str, str]]:
        """What contradicts the anchor: [(Dutch, English)], empty when the log continues it."""
        if anchor is None:
            if self._meta.get("anchored_from") is not None and self._last()[0] > 0:
                return [("Het ankerbestand van het log ontbreekt (verwijderd).",
                         f"the log's anchor file {self.anchor.name} is missing (deleted)")]
            return []
        if anchor.get("unreadable"):
            return [("Het ankerbestand van het log is onleesbaar (bewerkt).", "the log's anchor file is unreadable (edited)")]
        out: list[tuple[str, str]] = []
        entries = int(anchor.get("entries", 0) or 0)
        if anchor.get("log_id") != self._meta.get("log_id"):
            out.append((
                f"Het log is opnieuw aangemaakt: het anker hoort bij een eerder log met {entries} regel(s).",
                f"the log was re-created: its anchor belongs to an earlier log with {entries} entries",
            ))
            return out
        if self._key is not None and not hmac.compare_digest(str(anchor.get("mac", "")), self._anchor_mac(anchor) or ""):
            out.append(("Het anker van het log is zonder de sleutel gewijzigd.", "the log's anchor was changed without the key"))
        last = self._last()[0]
        if entries > last:
            missing = f"{last + 1}" if entries == last + 1 else f"{last + 1}–{entries}"
            out.append((
                f"De laatste regel(s) ({missing}) zijn verwijderd: het anker telt er {entries}, het log {last}.",
                f"the last entries ({missing}) were deleted: the anchor records {entries}, the log holds {last}",
            ))
        elif entries > 0:
            row = self._db.execute("SELECT hash FROM access_log WHERE id=?", (entries,)).fetchone()
            if row is None or str(row[0]) != anchor.get("head"):
                out.append((
                    f"Het log is tot en met regel {entries} herschreven: het past niet meer bij zijn anker.",
                    f"the log up to entry {entries} was rewritten: it no longer matches its anchor",
                ))
        return out

    def _write_anchor(self) -> None:
        """Move the anchor to the log's head, unless the log no longer continues the anchor."""
        if self._anchor_problems(self._read_anchor()):
            return  # keep the evidence: the anchor stays at what the log was
        last, head = self._last()
        values: dict[str, Any] = {"log_id": self._meta.get("log_id"), "entries": last, "head": head}
        mac = self._anchor_mac(values)
        if mac:
            values["mac"] = mac
        write_atomically(self.anchor, json.dumps(values, sort_keys=True) + "\n")

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
        if self._meta.get("keyed") == "1" and (self._key is None or key_check(self._key) != self._meta.get("key_check")):
            # An unkeyed or wrongly keyed entry in a signed log would break its chain for good.
            raise InvalidInput(f"access log {self.path} is signed with a chain key; configure that key "
                               "(ZESMINUTEN_CHAIN_KEY_FILE) before reviewing or exporting")
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
            digest = chain_hash(prev, entry.body(), self._key)
            self._db.execute(
                "INSERT INTO access_log VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*[getattr(entry, k) for k in _FIELDS[:-1]], json.dumps(dict(entry.details), ensure_ascii=False), prev, digest),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")
        # After the commit: an anchor may lag behind the log (a crash here), never run ahead.
        self._write_anchor()
        return entry

    def entries(self, incident: str | None = None) -> list[AccessEntry]:
        sql = "SELECT " + ",".join(_FIELDS) + " FROM access_log"
        args: tuple[str, ...] = ()
        if incident is not None:
            sql += " WHERE incident=?"
            args = (incident,)
        return [_entry(row) for row in self._db.execute(sql + " ORDER BY id", args)]

    def head(self) -> str:
        return self._last()[1]

    def verify(self) -> AccessLogCheck:
        nl: list[str] = []
        en: list[str] = []

        def problem(dutch: str, english: str) -> None:
            nl.append(dutch)
            en.append(english)

        keyed = self._meta.get("keyed") == "1"
        if keyed and self._key is None:
            problem("Het log is met een sleutel beveiligd en hier is geen sleutel ingesteld: niet te controleren.",
                    "not verifiable: the log is signed with a chain key and no key is configured here")
        elif self._key is not None and key_check(self._key) != self._meta.get("key_check"):
            problem("De ingestelde sleutel is niet de sleutel van dit log: niet te controleren.",
                    "not verifiable: the configured key is not this log's key")
        # Without the right key every hash would differ: say "not verifiable" once, not
        # "changed" for every entry.
        check_hashes = not nl
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
            if check_hashes and chain_hash(prev, entry.body(), self._key) != digest:
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
        for dutch, english in self._anchor_problems(self._read_anchor()):
            problem(dutch, english)
        remarks_nl, remarks_en = [], []
        if not keyed:
            remarks_nl.append("Ongesleutelde keten: wie het log én het anker kan schrijven, kan beide consistent "
                              "herschrijven; bewaar de kop elders.")
            remarks_en.append("unkeyed chain: someone who can write both the log and its anchor can rewrite "
                              "both consistently; keep a copy of the head elsewhere")
        anchored_from = int(self._meta.get("anchored_from", "0") or 0)
        if anchored_from:
            remarks_nl.append(f"Anker pas sinds regel {anchored_from} (ouder log).")
            remarks_en.append(f"anchored only since entry {anchored_from} (a log from before anchors)")
        last_id, last_head = self._last()
        return AccessLogCheck(ok=not nl, entries=len(rows), problems_nl=nl, problems_en=en, head_id=last_id,
                              head=last_head, remarks_nl=remarks_nl, remarks_en=remarks_en)


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
