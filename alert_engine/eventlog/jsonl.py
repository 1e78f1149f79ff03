"""Event logs as JSON Lines with hash chains and an end record, and reading them back honestly.

Export writes each event's canonical JSON (`Event.to_json`, the body the store hashes) with
one added field, ``"chain": {"prev": H0, "hash": H1}``, where ``H1 = chain_hash(H0, body)``
and ``H0`` is the previous event of the same incident (64 zeros for its first). A full
export carries the store's very values (HMAC when the store is signed), so a store edited
behind the engine's back exports as a broken chain instead of being laundered into a fresh
one. A redacted export (the default for files leaving the centre) cannot keep them, since
its bodies differ: it gets a fresh chain over the redacted bodies and says so.

Every export ends with one end record::

    {"end": {"format": 2, "events": N, "first_seq": …, "last_seq": …, "incidents": {id: last hash},
             "scope": "I1" | "*", "redacted": true, "chain": "store" | "export", "keyed": false,
             "signed": false, "store_head": {"seq": …, "hash": …}, "source_integrity": "ok"},
     "head": H, "mac": M}

``H`` (the export head) chains every line of the file, in file order, and then the end
record's ``end`` object, so a cut, an added line, a swapped line or an edited end record
changes it; ``M`` is HMAC(key, H) when a chain key is configured. The head is written to
the access log; `check-jsonl --expect-head H` proves even a complete, consistent rewrite.

Reading checks every line and returns the events with a `LogIntegrity`: modified events
(content vs hash), removed or reordered events (links, seq order across the whole file), a
missing or contradicting end record, an empty file, a last line cut off mid-event, and logs
without chains (as written by ``zesminuten-engine run``), which are "not verifiable" but
still checked for seq gaps, order and a fold the engine accepts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..errors import EngineError, InvalidInput
from ..events import Event
from ..files import write_atomically
from ..state import fold_all
from .chain import GENESIS, ChainedRecord, chain_hash, walk
from .keys import load_chain_key
from .store import EventStore, IntegrityReport, SqliteEventStore

END_FORMAT = 2

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
    "empty",  # no events at all: nothing can be proven about nothing
    "end_missing",  # a chained file without its end record: cut off at a line boundary
    "end_mismatch",  # the end record contradicts the lines (count, seq, heads, export head)
    "head_mismatch",  # the export head differs from the one recorded at export (--expect-head)
    "mac_mismatch",  # the signature does not match: rewritten without the key
    "source_not_intact",  # the store was already not intact when this file was exported
    "store",  # SqliteEventStore.verify() found a problem (review of a store incident)
)
# "not verifiable": the file may be fine, but nothing proves it (exit 3 unless allowed).
UNVERIFIABLE_KINDS = ("no_chain", "key_missing", "unsigned")
WARNING_KINDS = ("not_closed", *UNVERIFIABLE_KINDS)
NOTE_KINDS = ("rewrite_unprovable", "head_matches", "redacted", "store_remark")


@dataclass(frozen=True)
class Finding:
    kind: str
    nl: str
    en: str
    incident: str | None = None
    seq: int | None = None
    line: int | None = None


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
    def verifiable(self) -> bool:
        """False when nothing proves the content (no chain, a key that is not here, unsigned)."""
        return self.chained and not self._of_kind(UNVERIFIABLE_KINDS)

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
        if not self.verifiable:
            return f"not verifiable: {self.events} events{extra}"
        return f"intact: {self.events} events, hash chain verified{extra}"


@dataclass
class JsonlLog:
    """What a JSON Lines file holds: the readable events (file order) and the verdict on them."""

    path: Path
    events: list[Event]
    integrity: LogIntegrity
    heads: dict[str, str] = field(default_factory=dict)  # incident -> last chain hash
    end: dict[str, Any] | None = None  # the end record's "end" object, when there is one
    head: str | None = None  # the export head the end record states

    @property
    def incidents(self) -> list[str]:
        return list(dict.fromkeys(e.incident for e in self.events))

    @property
    def redacted(self) -> bool:
        return bool(self.end and self.end.get("redacted"))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    events: int
    heads: dict[str, str]  # incident -> last chain hash
    head: str = ""  # the export head: write it down (the access log does) to prove the file later
    end: Mapping[str, Any] = field(default_factory=dict)


# -- export ------------------------------------------------------------------------------------
def chained_line(body: str, prev: str, digest: str) -> str:
    """The body with the chain added as its last field (the body itself is untouched)."""
    if not body.endswith("}"):
        raise InvalidInput("an event body must be a JSON object")
    chain = json.dumps({"prev": prev, "hash": digest}, separators=(",", ":"))
    return body[:-1] + ("," if body != "{}" else "") + f'"chain":{chain}}}'


def records_from_events(events: Iterable[Event]) -> list[ChainedRecord]:
    """Fresh (unkeyed) chains over events that carry none (an in-memory run, a list in a test)."""
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
    """The store's own bodies and hashes (SQLite, PostgreSQL); fresh chains for a store without them."""
    stored_rows = getattr(store, "rows", None)
    if callable(stored_rows):
        rows = [r for r in stored_rows() if incident is None or r[1] == incident]
        return [ChainedRecord(i, seq, inc, body, prev, digest) for i, (seq, inc, body, prev, digest) in enumerate(rows, 1)]
    return records_from_events(store.read(incident))


def _line_step(previous: str, line: str) -> str:
    """The export chain is always plain SHA-256: anyone can recompute it; the MAC adds the key."""
    return chain_hash(previous, line)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def export_mac(head: str, key: bytes) -> str:
    return hmac.new(key, ("zesminuten export head\n" + head).encode("utf-8"), hashlib.sha256).hexdigest()


def build_export(
    records: Sequence[ChainedRecord],
    *,
    scope: str = "*",
    redact: bool = False,
    keyed: bool = False,
    store_head: tuple[int, str] | None = None,
    source_integrity: str = "",
    key: bytes | None = None,
) -> tuple[str, ExportResult]:
    """The whole export as text (nothing written yet) and what to record about it.

    `keyed` says the records carry the store's HMAC chain; `key` signs the export head.
    A redacted export re-chains the redacted bodies (plain SHA-256, so a recipient outside
    the centre can check it), and never carries the store's hashes of the unredacted bodies.
    """
    if redact:
        records = records_from_events(redact_events([Event.from_json(r.body) for r in records]))
        keyed = False
    lines = [chained_line(r.body, r.prev or GENESIS, r.hash or "") for r in records]
    running = GENESIS
    for line in lines:
        running = _line_step(running, line)
    heads = {r.incident: r.hash or "" for r in records}
    end: dict[str, Any] = {
        "format": END_FORMAT,
        "events": len(records),
        "first_seq": records[0].seq if records else None,
        "last_seq": records[-1].seq if records else None,
        "incidents": heads,
        "scope": scope,
        "redacted": redact,
        "chain": "export" if redact else "store",
        "keyed": keyed,
        "signed": key is not None,
        "store_head": {"seq": store_head[0], "hash": store_head[1]} if store_head else None,
        "source_integrity": source_integrity,
    }
    head = _line_step(running, _canonical(end))
    closing: dict[str, Any] = {"end": end, "head": head}
    if key is not None:
        closing["mac"] = export_mac(head, key)
    text = "".join(line + "\n" for line in lines) + _canonical(closing) + "\n"
    return text, ExportResult(Path(), len(records), heads, head, end)


def export_records(records: Sequence[ChainedRecord], out: Path | str, **options: Any) -> ExportResult:
    """Write chained JSON Lines with an end record atomically: OUT is either complete or untouched."""
    text, result = build_export(records, **options)
    path = Path(out)
    write_atomically(path, text)
    return ExportResult(path, result.events, result.heads, result.head, result.end)


def export_jsonl(
    source: EventStore | Sequence[Event], out: Path | str, incident: str | None = None, *, redact: bool = False
) -> ExportResult:
    """Export one incident (or all) from a store or an event list to chained JSON Lines.

    An event list gets fresh unkeyed chains; a signed store keeps its HMAC chain. The head is
    signed when a chain key is configured.
    """
    key = load_chain_key()
    store_head: tuple[int, str] | None = None
    keyed = False
    if isinstance(source, Sequence):
        records = records_from_events(e for e in source if incident is None or e.incident == incident)
    else:
        records = records_from_store(source, incident)
        if isinstance(source, SqliteEventStore):
            store_head, keyed = source.head(), source.signed
    if incident is not None and not records:
        raise InvalidInput(f"no events for incident {incident}")
    return export_records(records, out, scope=incident or "*", redact=redact, keyed=keyed,
                          store_head=store_head, key=key)


# -- redaction ---------------------------------------------------------------------------------
# What leaves the centre: the victim's position to 0.01° (about 1 km), no address or free
# location text, no responder position, and responders as … in order of first
# appearance instead of registry ids and pseudonyms. AED ids and positions stay: registered
# AEDs are public (the national AED registry), and the review needs them on the map.
ROUND_DECIMALS = 2
_PLACE_TEXT = ("address", "location_description")
_VICTIM_POSITIONS = ("lat", "lon", "road_lat", "road_lon")


class _Aliases:
    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, responder: Any) -> Any:
        if not isinstance(responder, str) or not responder:
            return responder
        if responder not in self.names:
            self.names[responder] = f"R-{len(self.names) + 1:02d}"
        return self.names[responder]

    def text(self, value: str, pseudonyms: Mapping[str, str]) -> str:
        """Free text (a reviewer note) may name a responder: put the alias there too."""
        words = {**{p: self.names[i] for p, i in pseudonyms.items() if i in self.names}, **self.names}
        for word in sorted(words, key=len, reverse=True):
            value = value.replace(word, words[word])
        return value


def _round_place(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k not in _PLACE_TEXT}
    for k in _VICTIM_POSITIONS:
        if isinstance(out.get(k), int | float) and not isinstance(out.get(k), bool):
            out[k] = round(float(out[k]), ROUND_DECIMALS)
    return out


def _redact_intake(data: dict[str, Any]) -> dict[str, Any]:
    """A dispatch-system message (issue 13) keeps what happened (kind, changes, criteria
    hinted, units) but not the place, the address or the call-taker's words."""
    changes = []
    for c in data.get("changes") or []:
        c = _round_place(dict(c)) if isinstance(c, dict) else c
        if isinstance(c, dict):
            if isinstance(c.get("from"), dict):
                c["from"] = _round_place(c["from"])
            if c.get("kind") == "address_changed":
                c["from"] = c["to"] = None
            c.pop("text", None)  # a note's or a hint's sentence
        changes.append(c)
    data["changes"] = changes
    data["hints"] = [{k: v for k, v in h.items() if k != "text"} for h in data.get("hints") or []
                     if isinstance(h, dict)]  # fmt: skip
    data["notes"] = []
    data["message"] = {"redacted": True}
    return data


def redact_events(events: Sequence[Event]) -> list[Event]:
    """The same history without addresses, responder positions and pseudonyms (see above)."""
    alias = _Aliases()
    pseudonyms: dict[str, str] = {}  # pseudonym -> responder id, to rewrite free text
    out = []
    for e in events:
        data = dict(e.data)
        if e.type == "call_received":
            data = _round_place(data)
        elif e.type == "call_updated" and isinstance(data.get("changes"), dict):
            data["changes"] = _round_place(data["changes"])
        elif e.type == "intake_received":
            data = _redact_intake(data)
        elif e.type == "exclusion_assessed" and isinstance(data.get("motorway"), dict):
            data["motorway"] = _round_place(data["motorway"])
        elif e.type == "alert_sent":
            responders = []
            for r in data.get("responders", []):
                r = dict(r)
                if isinstance(r.get("pseudonym"), str) and isinstance(r.get("id"), str):
                    pseudonyms[r["pseudonym"]] = r["id"]
                r["id"] = alias(r.get("id"))
                if "pseudonym" in r:
                    r["pseudonym"] = r["id"]
                r["lat"] = r["lon"] = None
                responders.append(r)
            data["responders"] = responders
        if isinstance(data.get("responder"), str):
            data["responder"] = alias(data["responder"])
        if e.type != "alert_sent" and isinstance(data.get("responders"), list):
            data["responders"] = [alias(r) for r in data["responders"]]
        if e.type == "annotation_added" and isinstance(data.get("text"), str):
            data["text"] = alias.text(data["text"], pseudonyms)
        out.append(Event(e.seq, e.time, e.incident, e.type, data))
    return out


# -- reading -----------------------------------------------------------------------------------
def read_jsonl(path: Path | str, expect_head: str | None = None) -> JsonlLog:
    """Read an exported (chained) or a plain run log, never raising on a damaged file.

    `expect_head` is an export head recorded elsewhere (the access log): the file must end
    in exactly that head, which proves even a consistent rewrite of the whole file.
    """
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
    ends: list[tuple[int, dict[str, Any]]] = []
    running = GENESIS  # the export chain over the lines before the end record
    running_at_end = GENESIS
    with_chain = 0
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        last = n == len(lines)
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
        except ValueError as exc:
            running = _line_step(running, line)
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
        if "end" in raw and "seq" not in raw:
            ends.append((n, raw))
            running_at_end = running
            running = _line_step(running, line)
            continue
        running = _line_step(running, line)
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
        records.append(ChainedRecord(n, event.seq, event.incident, canonical_body(raw), prev, digest))
        events.append(event)
    end = ends[-1][1] if ends else None
    end_fields = end.get("end") if end is not None and isinstance(end.get("end"), dict) else None
    # A file with an end record promises a chain on every line, so a stripped chain is a
    # problem there; without one, a chainless file is a run output and merely unverifiable.
    chained = with_chain > 0 or end is not None
    key = load_chain_key()
    keyed_chain = bool(end_fields and end_fields.get("keyed"))
    findings.extend(check_records(records, chained, key if keyed_chain else None, skip_hash=keyed_chain and key is None))
    findings.extend(check_fold(events))
    if not records and not ends and not any(f.kind in ("truncated_line", "unreadable") for f in findings):
        findings.append(Finding("empty", "Het bestand bevat geen gebeurtenissen.", "the file holds no events"))
    if chained:
        findings.extend(_check_end(ends, records, end_fields, running_at_end, key, keyed_chain, expect_head,
                                   last_line=max((n for n, line in enumerate(lines, 1) if line.strip()), default=0)))
    elif expect_head is not None and records:
        findings.append(_head_mismatch(expect_head, None))
    findings.extend(check_closed(events, chained, file_like=True, complete=end_fields is not None))
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
    head = end.get("head") if end is not None and isinstance(end.get("head"), str) else None
    return JsonlLog(path, events, LogIntegrity.of(len(events), chained, findings), heads, end_fields, head)


def _chain_of(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict) and isinstance(value.get("prev"), str) and isinstance(value.get("hash"), str):
        return value["prev"], value["hash"]
    return None, None


def canonical_body(raw: dict[str, Any]) -> str:
    """The event's JSON as the engine wrote it (`Event.to_json`), without the `chain` field."""
    return json.dumps({k: v for k, v in raw.items() if k != "chain"}, ensure_ascii=False, separators=(",", ":"))


def _end_problem(nl: str, en: str, line: int | None = None) -> Finding:
    return Finding("end_mismatch", nl, en, line=line)


def _head_mismatch(expected: str, found: str | None) -> Finding:
    said = f"{found[:16]}…" if found else "geen"
    return Finding(
        "head_mismatch",
        f"Het bestand eindigt niet in de kop die bij de export is vastgelegd ({expected[:16]}…, nu {said}): "
        "het is na de export veranderd of herschreven.",
        f"the file does not end in the head recorded at export ({expected[:16]}…, found "
        f"{found[:16] + '…' if found else 'none'}): it was changed or rewritten after the export",
    )


def _check_end(
    ends: list[tuple[int, dict[str, Any]]],
    records: Sequence[ChainedRecord],
    end: dict[str, Any] | None,
    running: str,
    key: bytes | None,
    keyed_chain: bool,
    expect_head: str | None,
    last_line: int,
) -> list[Finding]:
    """The end record: present, last, agreeing with the lines, signed, and the head expected."""
    if not ends:
        missing = [
            Finding(
                "end_missing",
                "Het eindrecord ontbreekt: het bestand is afgekapt (of gemaakt door een oudere versie).",
                "the end record is missing: the file was cut off (or written by an older version)",
            )
        ]
        if expect_head is not None:
            missing.append(_head_mismatch(expect_head, None))
        return missing
    out: list[Finding] = []
    line, closing = ends[-1]
    if len(ends) > 1:
        out.append(_end_problem("Het bestand heeft meer dan één eindrecord.", "the file holds more than one end record"))
    if line != last_line:
        out.append(_end_problem(f"Na het eindrecord (regel {line}) staan nog regels: die zijn toegevoegd.",
                                f"lines follow the end record (line {line}): they were added", line))
    if end is None:
        return [*out, _end_problem("Het eindrecord is onleesbaar.", "the end record is unreadable", line)]
    count, first_seq, last_seq = end.get("events"), end.get("first_seq"), end.get("last_seq")
    if count != len(records):
        out.append(_end_problem(
            f"Het eindrecord noemt {count} gebeurtenissen, het bestand bevat er {len(records)}: er ontbreken of er zijn "
            "gebeurtenissen bijgekomen.",
            f"the end record states {count} events, the file holds {len(records)}", line))
    seqs = (records[0].seq, records[-1].seq) if records else (None, None)
    if (first_seq, last_seq) != seqs:
        out.append(_end_problem(
            f"Het eindrecord noemt gebeurtenis {first_seq} t/m {last_seq}, het bestand loopt van {seqs[0]} t/m {seqs[1]}.",
            f"the end record states events {first_seq}–{last_seq}, the file runs {seqs[0]}–{seqs[1]}", line))
    if end.get("scope") == "*" and records and len({r.seq for r in records}) != records[-1].seq - records[0].seq + 1:
        out.append(_end_problem("Het bestand is een export van de hele opslag, maar er ontbreken gebeurtenisnummers.",
                                "a whole-store export with seq numbers missing", line))
    heads = {r.incident: r.hash for r in records}
    if isinstance(end.get("incidents"), dict) and end["incidents"] != heads:
        out.append(_end_problem(
            "De laatste hash per melding klopt niet met het eindrecord: het eind van een melding is weggelaten of bewerkt.",
            "the last hash per incident does not match the end record: an incident's tail was removed or edited", line))
    found = closing.get("head")
    if found != _line_step(running, _canonical(end)):
        out.append(_end_problem("De kop van de export klopt niet met de regels: het bestand is bewerkt.",
                                "the export head does not match the lines: the file was edited", line))
    if end.get("source_integrity") == "broken":
        out.append(Finding(
            "source_not_intact",
            "De gebeurtenissenopslag was al niet intact toen dit bestand werd geëxporteerd.",
            "the event store was already not intact when this file was exported"))
    mac = closing.get("mac")
    if key is not None:
        if not isinstance(mac, str):
            out.append(Finding(
                "unsigned",
                "Het bestand is niet ondertekend, terwijl hier een sleutel is ingesteld: niet aantoonbaar echt.",
                "not verifiable: the file is not signed although a chain key is configured here"))
        elif not hmac.compare_digest(mac, export_mac(str(found), key)):
            out.append(Finding(
                "mac_mismatch",
                "De handtekening klopt niet: het bestand is zonder de sleutel herschreven (of met een andere sleutel gemaakt).",
                "the signature does not match: the file was rewritten without the key (or made with another key)"))
    if keyed_chain and key is None:
        out.append(Finding(
            "key_missing",
            "De hashketen is met een sleutel gemaakt en hier is geen sleutel ingesteld: de inhoud is niet te controleren.",
            "not verifiable: the chain is keyed (HMAC) and no chain key is configured here"))
    if expect_head is not None:
        if found != expect_head:
            out.append(_head_mismatch(expect_head, found if isinstance(found, str) else None))
        else:
            out.append(Finding(
                "head_matches",
                "De kop van de export is gelijk aan de vastgelegde kop: ook herschrijven is uitgesloten.",
                "the export head equals the recorded head: a rewrite is excluded too"))
    elif key is None or not isinstance(mac, str):
        out.append(Finding(
            "rewrite_unprovable",
            "Het eindrecord bewijst dat er niets is afgeknipt; alleen een sleutel of de kop uit het toegangslog "
            "bewijst dat het bestand niet in zijn geheel is herschreven.",
            "the end record proves nothing was cut off; only a key or the head from the access log "
            "(--expect-head) proves the file was not rewritten as a whole"))
    if end.get("redacted"):
        out.append(Finding(
            "redacted",
            "Dit is een geanonimiseerde export: geen adres, geen posities van hulpverleners, R-01 … in plaats van namen.",
            "redacted export: no address, no responder positions, responders as R-01 …"))
    return out


# -- checks (shared with the review of a store incident) -------------------------------------
def check_records(
    records: Sequence[ChainedRecord], chained: bool, key: bytes | None = None, skip_hash: bool = False
) -> list[Finding]:
    """Seq order across the whole file, duplicates per incident; hash chains when chained
    (`key` for a signed store's chain; `skip_hash` when that key is not here), else seq gaps.

    Seq numbers are global, so lines of two incidents swapped with each other are out of
    order even though each incident's own chain still links.
    """
    findings: list[Finding] = []
    by_incident: dict[str, list[ChainedRecord]] = {}
    for r in records:
        by_incident.setdefault(r.incident, []).append(r)
    across = _global_order(records)
    findings.extend(across)
    for incident, recs in by_incident.items():
        findings.extend(_duplicates(incident, recs))
        reordered = _order(incident, recs)
        findings.extend(reordered)
        if chained:
            findings.extend(_chain(incident, recs, bool(reordered) or bool(across), key, skip_hash))
    if not chained:
        findings.extend(_gaps(records))
    return findings


def _global_order(records: Sequence[ChainedRecord]) -> list[Finding]:
    moved = [(a, b) for a, b in pairwise(records) if b.seq < a.seq and b.incident != a.incident]
    if not moved:
        return []
    a, b = moved[0]
    return [
        Finding(
            "reordered",
            f"De volgorde van het bestand is veranderd: gebeurtenis {b.seq} van melding {b.incident} (regel {b.line}) "
            f"staat na {a.seq} van melding {a.incident}.",
            f"events were reordered across incidents: event {b.seq} of {b.incident} (line {b.line}) comes after "
            f"{a.seq} of {a.incident}",
            b.incident, b.seq, b.line,
        )
    ]


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


def _chain(
    incident: str, recs: list[ChainedRecord], reordered: bool, key: bytes | None = None, skip_hash: bool = False
) -> list[Finding]:
    out: list[Finding] = []
    present = {r.hash for r in recs if r.hash}
    for step in walk(recs, key, check_content=not skip_hash):
        r = step.record
        if not step.chained:
            out.append(
                Finding(
                    "chain_missing",
                    f"Gebeurtenis {r.seq} van melding {incident} (regel {r.line}) heeft geen hashketen: toegevoegd of bewerkt.",
                    f"incident {incident}: event {r.seq} (line {r.line}) has no chain value: added or edited",
                    incident, r.seq, r.line,
                )
            )
            continue
        if step.altered:
            out.append(
                Finding(
                    "modified",
                    f"Gebeurtenis {r.seq} van melding {incident} (regel {r.line}) is gewijzigd: de inhoud past niet meer bij de hash.",
                    f"incident {incident}: event {r.seq} (line {r.line}) was modified: its content no longer matches its hash",
                    incident, r.seq, r.line,
                )
            )
        if not step.linked:
            elsewhere = r.prev in present or r.prev == GENESIS
            out.extend(_broken_link(incident, r, step.previous, elsewhere, reordered))
            reordered = reordered or elsewhere
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


def check_closed(events: Sequence[Event], chained: bool, file_like: bool = True, complete: bool = False) -> list[Finding]:
    """Incidents without `incident_closed`. Without proof of completeness (`complete`: an
    end record or a store head) the log may end early; with it, the incident was open."""
    closed: dict[str, bool] = {}
    for e in events:
        closed[e.incident] = closed.get(e.incident, False) or e.type == "incident_closed"
    where_nl = "Het bestand eindigt" if file_like else "De opgeslagen geschiedenis eindigt"
    where_en = "the file ends" if file_like else "the stored history ends"
    if complete:
        return [
            Finding(
                "not_closed",
                f"Melding {incident} was nog niet afgesloten toen deze geschiedenis werd vastgelegd.",
                f"incident {incident} was still open when this history was recorded",
                incident,
            )
            for incident, done in closed.items()
            if not done
        ]
    # Without proof of completeness even a chain cannot tell an open incident from a cut.
    return [
        Finding(
            "not_closed",
            f"{where_nl} voordat melding {incident} werd afgesloten – mogelijk is het afgekapt.",
            f"{where_en} before incident {incident} was closed – it may be truncated",
            incident,
        )
        for incident, done in closed.items()
        if not done
    ]


def check_fold(events: Sequence[Event]) -> list[Finding]:
    """The fold must accept the history; an impossible move means it was tampered with."""
    try:
        fold_all(events)
    except EngineError as exc:
        return [Finding("inconsistent", f"De geschiedenis is tegenstrijdig: {exc}.", f"the history is inconsistent: {exc}")]
    except (KeyError, TypeError, ValueError) as exc:
        return [Finding("inconsistent", f"De geschiedenis is tegenstrijdig ({exc!r}).", f"the history is inconsistent ({exc!r})")]
    return []


def store_integrity(report: IntegrityReport, events: Sequence[Event], incident: str | None = None) -> LogIntegrity:
    """The review's verdict on a store incident: exactly what `SqliteEventStore.verify()` says
    about the whole store (another incident's removed tail makes this one untrustworthy too),
    plus the fold and the closing of the incident shown."""
    findings = [
        Finding("store", f"De controle van de opslag meldt: {p}.", p, incident)
        for p in report.problems
    ]
    findings.extend(check_fold(events))
    findings.extend(check_closed(events, True, file_like=False, complete=report.head is not None))
    findings.extend(
        Finding("store_remark", f"Opmerking bij de opslag: {r}.", r) for r in report.remarks
    )
    problems = [f.en for f in findings if f.kind in PROBLEM_KINDS]
    return LogIntegrity(ok=not problems, events=len(events), problems=problems, remarks=list(report.remarks),
                        head=report.head, chained=True, findings=findings)
