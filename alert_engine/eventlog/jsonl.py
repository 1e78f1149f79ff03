"""Event logs as JSON Lines with a per-incident hash chain, and reading them back honestly.

Export writes each event's canonical JSON (`Event.to_json`, the body the store hashes) with
one added field, ``"chain": {"prev": H0, "hash": H1}``, where ``H1 = sha256(H0 + "\\n" +
body)`` and ``H0`` is the previous event of the same incident (64 zeros for its first).
These are the very values the SQLite store keeps, so an export from a store carries the
store's own hashes: a store edited behind the engine's back exports as a broken chain
instead of being laundered into a fresh one.

Reading checks every line and returns the events with a `LogIntegrity`: modified events
(content vs hash), removed or reordered events (links, seq order), a last line cut off
mid-event, incidents the file ends before closing, and logs without chains (as written by
``zesminuten-engine run``) which are "not verifiable" but still checked for seq gaps,
order and a fold the engine accepts. A chain proves what is present, never that nothing
was cut off after the last line; the report says so.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import EngineError, InvalidInput
from ..events import Event
from ..files import write_atomically
from ..state import fold_all
from .store import GENESIS, EventStore, IntegrityReport, SqliteEventStore, chain_hash

# A problem makes the history untrustworthy; a warning limits what can be proven; a note
# says what no check can see.
PROBLEM_KINDS = (
    "modified",  # content no longer matches its hash
    "removed",  # the chain skips: events are missing (or an event was re-hashed)
    "reordered",  # events present, not in their original order
    "duplicate",  # the same seq twice
    "truncated_line",  # the last line stops mid-event
    "unreadable",  # a line that is not JSON or not an event
    "chain_missing",  # a line without a chain in a chained file
    "seq_gap",  # unchained log: seq numbers skip
    "inconsistent",  # the fold refuses the history (an impossible move)
)
WARNING_KINDS = ("not_closed", "no_chain")
NOTE_KINDS = ("tail_unprovable",)


@dataclass(frozen=True)
class Finding:
    kind: str
    nl: str
    en: str
    incident: str | None = None
    seq: int | None = None
    line: int | None = None


@dataclass(frozen=True)
class ChainedRecord:
    """One event as exported or stored: its canonical body and (optional) chain values."""

    line: int  # 1-based line in the file, or position in the store
    seq: int
    incident: str
    body: str
    prev: str | None = None
    hash: str | None = None


@dataclass
class LogIntegrity(IntegrityReport):
    """The store's `IntegrityReport` plus what a reviewer needs: chained or not, warnings, notes."""

    chained: bool = False
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def of(cls, events: int, chained: bool, findings: list[Finding]) -> LogIntegrity:
        problems = [f.en for f in findings if f.kind in PROBLEM_KINDS]
        return cls(ok=not problems, events=events, problems=problems, chained=chained, findings=findings)

    def _of_kind(self, kinds: tuple[str, ...]) -> list[Finding]:
        return [f for f in self.findings if f.kind in kinds]

    @property
    def problem_findings(self) -> list[Finding]:
        return self._of_kind(PROBLEM_KINDS)

    @property
    def warnings(self) -> list[Finding]:
        return self._of_kind(WARNING_KINDS)

    @property
    def notes(self) -> list[Finding]:
        return self._of_kind(NOTE_KINDS)

    @property
    def kinds(self) -> set[str]:
        return {f.kind for f in self.findings}

    @property
    def status(self) -> str:
        """"broken" (something is wrong), "warning" (cannot be fully proven) or "ok"."""
        if self.problem_findings:
            return "broken"
        if self.warnings or not self.chained:
            return "warning"
        return "ok"

    def headline_nl(self) -> str:
        """One plain Dutch sentence for the review banner and the report."""
        problems = self.problem_findings
        if problems:
            more = f" (en nog {len(problems) - 3} bevinding(en))" if len(problems) > 3 else ""
            return "Let op, deze geschiedenis is niet betrouwbaar: " + " ".join(f.nl for f in problems[:3]) + more
        extra = " ".join(f.nl for f in self.warnings if f.kind != "no_chain")
        if not self.chained:
            return (
                f"Integriteit niet te controleren: {self.events} gebeurtenissen zonder hashketen "
                "(alleen nummering, volgorde en samenhang gecontroleerd)." + (f" {extra}" if extra else "")
            )
        if extra:
            return f"Hashketen klopt voor {self.events} gebeurtenissen, maar: {extra}"
        return f"Integriteit gecontroleerd: {self.events} gebeurtenissen, hashketen klopt"

    def summary(self) -> str:
        problems = self.problem_findings
        if problems:
            return "NOT INTACT: " + "; ".join(f.en for f in problems[:10])
        extra = "".join(f"; {f.en}" for f in self.warnings if f.kind != "no_chain")
        if not self.chained:
            return f"not verifiable (no hash chain): {self.events} events; sequence and structure checked{extra}"
        return f"intact: {self.events} events, hash chain verified{extra}"


@dataclass
class JsonlLog:
    """What a JSON Lines file holds: the readable events (file order) and the verdict on them."""

    path: Path
    events: list[Event]
    integrity: LogIntegrity
    heads: dict[str, str] = field(default_factory=dict)  # incident -> last chain hash

    @property
    def incidents(self) -> list[str]:
        return list(dict.fromkeys(e.incident for e in self.events))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    events: int
    heads: dict[str, str]  # incident -> last chain hash (write it down to prove the tail later)


# -- export ------------------------------------------------------------------------------------
def chained_line(body: str, prev: str, digest: str) -> str:
    """The body with the chain added as its last field (the body itself is untouched)."""
    if not body.endswith("}"):
        raise InvalidInput("an event body must be a JSON object")
    chain = json.dumps({"prev": prev, "hash": digest}, separators=(",", ":"))
    return body[:-1] + ("," if body != "{}" else "") + f'"chain":{chain}}}'


def records_from_events(events: Iterable[Event]) -> list[ChainedRecord]:
    """Fresh chains over events that carry none (an in-memory run, a list in a test)."""
    heads: dict[str, str] = {}
    out = []
    for i, e in enumerate(events, start=1):
        body = e.to_json()
        prev = heads.get(e.incident, GENESIS)
        digest = chain_hash(prev, body)
        heads[e.incident] = digest
        out.append(ChainedRecord(i, e.seq, e.incident, body, prev, digest))
    return out


def records_from_store(store: EventStore, incident: str | None = None) -> list[ChainedRecord]:
    """The store's own bodies and hashes (SQLite); fresh chains for a store without them."""
    if isinstance(store, SqliteEventStore):
        rows = [r for r in store.rows() if incident is None or r[1] == incident]
        return [ChainedRecord(i, seq, inc, body, prev, digest) for i, (seq, inc, body, prev, digest) in enumerate(rows, 1)]
    return records_from_events(store.read(incident))


def export_records(records: Sequence[ChainedRecord], out: Path | str) -> ExportResult:
    """Write chained JSON Lines atomically: OUT is either complete or untouched."""
    path = Path(out)
    text = "".join(chained_line(r.body, r.prev or GENESIS, r.hash or "") + "\n" for r in records)
    write_atomically(path, text)
    heads = {r.incident: r.hash or "" for r in records}
    return ExportResult(path, len(records), heads)


def export_jsonl(source: EventStore | Sequence[Event], out: Path | str, incident: str | None = None) -> ExportResult:
    """Export one incident (or all) from a store or an event list to chained JSON Lines."""
    if isinstance(source, Sequence):
        records = records_from_events(e for e in source if incident is None or e.incident == incident)
    else:
        records = records_from_store(source, incident)
    if incident is not None and not records:
        raise InvalidInput(f"no events for incident {incident}")
    return export_records(records, out)


# -- reading -----------------------------------------------------------------------------------
def read_jsonl(path: Path | str) -> JsonlLog:
    """Read an exported (chained) or a plain run log, never raising on a damaged file."""
    path = Path(path)
    try:
        raw_text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read ({exc.strerror})") from exc
    lines = raw_text.split("\n")
    ends_with_newline = raw_text.endswith("\n")
    if ends_with_newline:
        lines.pop()
    findings: list[Finding] = []
    records: list[ChainedRecord] = []
    events: list[Event] = []
    with_chain = without_chain = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        last = n == len(lines)
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            if last and not ends_with_newline:
                findings.append(
                    Finding(
                        "truncated_line",
                        f"Het bestand is afgekapt: de laatste regel ({n}) houdt midden in een gebeurtenis op.",
                        f"the file was truncated: the last line ({n}) stops in the middle of an event",
                        line=n,
                    )
                )
            else:
                findings.append(
                    Finding(
                        "unreadable",
                        f"Regel {n} is geen leesbare gebeurtenis (beschadigd of bewerkt).",
                        f"line {n} is not a readable event ({exc})",
                        line=n,
                    )
                )
            continue
        try:
            event = Event.from_dict({k: v for k, v in raw.items() if k != "chain"})
        except (EngineError, TypeError, ValueError) as exc:
            findings.append(
                Finding(
                    "unreadable",
                    f"Regel {n} is geen geldige gebeurtenis: {exc}.",
                    f"line {n} is not a valid event: {exc}",
                    seq=raw.get("seq") if isinstance(raw.get("seq"), int) else None,
                    line=n,
                )
            )
            continue
        prev, digest = _chain_of(raw.get("chain"))
        if "chain" in raw:
            with_chain += 1
        else:
            without_chain += 1
        records.append(ChainedRecord(n, event.seq, event.incident, canonical_body(raw), prev, digest))
        events.append(event)
    chained = with_chain > 0
    findings.extend(check_records(records, chained))
    findings.extend(check_fold(events))
    findings.extend(check_closed(events, chained, file_like=True))
    if not chained and records:
        findings.insert(
            0,
            Finding(
                "no_chain",
                "Het bestand heeft geen hashketen: wijzigingen zijn niet aantoonbaar.",
                "not verifiable (no hash chain)",
            ),
        )
    heads = {r.incident: r.hash for r in records if r.hash}
    return JsonlLog(path, events, LogIntegrity.of(len(events), chained, findings), heads)


def _chain_of(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict) and isinstance(value.get("prev"), str) and isinstance(value.get("hash"), str):
        return value["prev"], value["hash"]
    return None, None


def canonical_body(raw: dict[str, Any]) -> str:
    """The event's JSON as the engine wrote it (`Event.to_json`), without the `chain` field."""
    return json.dumps({k: v for k, v in raw.items() if k != "chain"}, ensure_ascii=False, separators=(",", ":"))


# -- checks (shared with the review of a store incident) -------------------------------------
def check_records(records: Sequence[ChainedRecord], chained: bool) -> list[Finding]:
    """Seq order and duplicates per incident; hash chains when chained, else global seq gaps."""
    findings: list[Finding] = []
    by_incident: dict[str, list[ChainedRecord]] = {}
    for r in records:
        by_incident.setdefault(r.incident, []).append(r)
    for incident, recs in by_incident.items():
        findings.extend(_duplicates(incident, recs))
        reordered = _order(incident, recs)
        findings.extend(reordered)
        if chained:
            findings.extend(_chain(incident, recs, bool(reordered)))
    if not chained:
        findings.extend(_gaps(records))
    return findings


def _duplicates(incident: str, recs: list[ChainedRecord]) -> list[Finding]:
    out: list[Finding] = []
    first: dict[int, ChainedRecord] = {}
    for r in recs:
        if r.seq in first:
            out.append(
                Finding(
                    "duplicate",
                    f"Gebeurtenis {r.seq} van melding {incident} staat er twee keer in (regel {first[r.seq].line} en {r.line}).",
                    f"incident {incident}: event {r.seq} appears twice (lines {first[r.seq].line} and {r.line})",
                    incident, r.seq, r.line,
                )
            )
        first.setdefault(r.seq, r)
    return out


def _order(incident: str, recs: list[ChainedRecord]) -> list[Finding]:
    moved = [(a, b) for a, b in pairwise(recs) if b.seq < a.seq]
    if not moved:
        return []
    a, b = moved[0]
    more_nl = f" (op {len(moved)} plaatsen)" if len(moved) > 1 else ""
    more_en = f" ({len(moved)} places)" if len(moved) > 1 else ""
    return [
        Finding(
            "reordered",
            f"De volgorde van melding {incident} is veranderd: gebeurtenis {b.seq} (regel {b.line}) staat na {a.seq}{more_nl}.",
            f"incident {incident}: events were reordered: event {b.seq} (line {b.line}) comes after {a.seq}{more_en}",
            incident, b.seq, b.line,
        )
    ]


def _chain(incident: str, recs: list[ChainedRecord], reordered: bool) -> list[Finding]:
    out: list[Finding] = []
    present = {r.hash for r in recs if r.hash}
    previous: ChainedRecord | None = None
    for r in recs:
        if r.prev is None or r.hash is None:
            out.append(
                Finding(
                    "chain_missing",
                    f"Gebeurtenis {r.seq} van melding {incident} (regel {r.line}) heeft geen hashketen: toegevoegd of bewerkt.",
                    f"incident {incident}: event {r.seq} (line {r.line}) has no chain value: added or edited",
                    incident, r.seq, r.line,
                )
            )
            previous = r
            continue
        if chain_hash(r.prev, r.body) != r.hash:
            out.append(
                Finding(
                    "modified",
                    f"Gebeurtenis {r.seq} van melding {incident} (regel {r.line}) is gewijzigd: de inhoud past niet meer bij de hash.",
                    f"incident {incident}: event {r.seq} (line {r.line}) was modified: its content no longer matches its hash",
                    incident, r.seq, r.line,
                )
            )
        expected = GENESIS if previous is None else previous.hash
        if expected is not None and r.prev != expected:
            out.extend(_broken_link(incident, r, previous, r.prev in present or r.prev == GENESIS, reordered))
            reordered = reordered or r.prev in present or r.prev == GENESIS
        previous = r
    return out


def _broken_link(
    incident: str, r: ChainedRecord, previous: ChainedRecord | None, points_elsewhere: bool, reordered: bool
) -> list[Finding]:
    if points_elsewhere:  # its predecessor is in the file, just not right before it
        if reordered:
            return []  # already said
        return [
            Finding(
                "reordered",
                f"De volgorde van melding {incident} is veranderd rond gebeurtenis {r.seq} (regel {r.line}).",
                f"incident {incident}: events were reordered around event {r.seq} (line {r.line})",
                incident, r.seq, r.line,
            )
        ]
    if previous is None:
        return [
            Finding(
                "removed",
                f"Het begin van melding {incident} ontbreekt: er stonden gebeurtenissen vóór nummer {r.seq}.",
                f"incident {incident}: events before {r.seq} are missing (the chain does not start at the beginning)",
                incident, r.seq, r.line,
            )
        ]
    return [
        Finding(
            "removed",
            f"De hashketen van melding {incident} is onderbroken tussen gebeurtenis {previous.seq} en {r.seq}: "
            f"daartussen ontbreken gebeurtenissen (of {previous.seq} is gewijzigd en opnieuw gehasht).",
            f"incident {incident}: hash chain broken between events {previous.seq} and {r.seq}: events in "
            f"between are missing (or {previous.seq} was altered and re-hashed)",
            incident, r.seq, r.line,
        )
    ]


def _gaps(records: Sequence[ChainedRecord]) -> list[Finding]:
    """An unchained log (`zesminuten-engine run`) numbers its events 1, 2, 3 … without gaps."""
    out: list[Finding] = []
    expected = 1
    for r in records:
        if r.seq > expected:
            missing = f"{expected}" if r.seq == expected + 1 else f"{expected}–{r.seq - 1}"
            out.append(
                Finding(
                    "seq_gap",
                    f"Gebeurtenis(sen) {missing} ontbreken: regel {r.line} gaat verder bij {r.seq}.",
                    f"event(s) {missing} are missing: line {r.line} continues at {r.seq}",
                    r.incident, r.seq, r.line,
                )
            )
        expected = max(expected, r.seq + 1)
    return out


def check_closed(events: Sequence[Event], chained: bool, file_like: bool = True) -> list[Finding]:
    """Incidents without `incident_closed`: the log may end early, and no chain can prove otherwise."""
    closed: dict[str, bool] = {}
    for e in events:
        closed[e.incident] = closed.get(e.incident, False) or e.type == "incident_closed"
    where_nl = "Het bestand eindigt" if file_like else "De opgeslagen geschiedenis eindigt"
    where_en = "the file ends" if file_like else "the stored history ends"
    out = [
        Finding(
            "not_closed",
            f"{where_nl} voordat melding {incident} werd afgesloten – mogelijk is het afgekapt.",
            f"{where_en} before incident {incident} was closed – it may be truncated",
            incident,
        )
        for incident, done in closed.items()
        if not done
    ]
    if chained and events:
        out.append(
            Finding(
                "tail_unprovable",
                "Een hashketen bewijst inhoud en volgorde van wat er staat, maar niet dat er aan het eind niets is weggelaten.",
                "a hash chain proves the content and order of what is present, not that nothing was cut off at the end",
            )
        )
    return out


def check_fold(events: Sequence[Event]) -> list[Finding]:
    """The fold must accept the history; an impossible move means it was tampered with."""
    try:
        fold_all(events)
    except EngineError as exc:
        return [Finding("inconsistent", f"De geschiedenis is tegenstrijdig: {exc}.", f"the history is inconsistent: {exc}")]
    except (KeyError, TypeError, ValueError) as exc:
        return [Finding("inconsistent", f"De geschiedenis is tegenstrijdig ({exc!r}).", f"the history is inconsistent ({exc!r})")]
    return []


def verify_records(records: Sequence[ChainedRecord], events: Sequence[Event], file_like: bool) -> LogIntegrity:
    """The full check for already-parsed records (a store incident in the review)."""
    chained = any(r.hash for r in records)
    findings = [*check_records(records, chained), *check_fold(events), *check_closed(events, chained, file_like)]
    return LogIntegrity.of(len(events), chained, findings)
