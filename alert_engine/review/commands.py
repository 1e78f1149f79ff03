"""`zesminuten-engine` subcommands for review: export-events, check-jsonl, report, access-log.

(`export-events`, not `export`: the registry already owns `zesminuten-engine export`.)

Every command that hands out an incident's data (export, report) writes an access-log
entry first (NEN 7513: who, when, which incident, what, why), with the heads that prove
the data later: the store head and the export head.

Exit codes: 0 intact, 3 not intact or not verifiable, 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..aftercare.questionnaire import Summary, incident_summary
from ..errors import InvalidInput
from ..state import fold
from .access_log import AccessLog, default_access_log_path, workstation_login

EXIT_OK, EXIT_INVALID, EXIT_NOT_INTACT = 0, 2, 3
if TYPE_CHECKING:
    from .source import ReviewSource

NO_REASON = "(geen reden opgegeven op de opdrachtregel)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    log_help = f"access log (default: {default_access_log_path()})"

    export = subparsers.add_parser(
        "export-events",
        help="export an incident (or all) from an event store to JSON Lines with hash chains",
        description="Write the store's events as JSON Lines with a hash chain and an end record, so "
        "any later change, cut or reordering of the file is detectable. Redacted by default (for "
        "files leaving the centre): no addresses, no responder positions, responders as R-01 …, the "
        "victim's position to 0.01 degree. --full keeps everything and the store's own hashes "
        "(internal use). The export and its head are recorded in the access log.",
    )
    export.add_argument("--store", type=Path, required=True, help="SQLite event store")
    privacy = export.add_mutually_exclusive_group()
    privacy.add_argument("--redact", dest="full", action="store_false",
                         help="remove addresses, positions and pseudonyms (the default)")
    privacy.add_argument("--full", dest="full", action="store_true",
                         help="internal export: everything, with the store's own hash chain")
    export.add_argument("--incident", help="incident id (default: every incident in the store)")
    export.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    export.add_argument("--reason", default="", help="why the data is exported (access log)")
    export.add_argument("--by", default="", help="who exports (default: the workstation login)")
    export.add_argument("--access-log", type=Path, default=None, help=log_help)
    export.set_defaults(func=cmd_export, full=False)  # redacted unless --full is asked for

    check = subparsers.add_parser(
        "check-jsonl",
        help="check an exported or run event log: hash chain, order, gaps, truncation",
    )
    check.add_argument("file", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--expect-head", default=None, metavar="HEX",
                       help="the export head recorded at export (access-log): proves even a full rewrite")
    check.add_argument("--allow-unchained", action="store_true",
                       help="exit 0 for a file that cannot be verified (a run output without hash chain) "
                       "when nothing else is wrong")
    check.set_defaults(func=cmd_check)

    report = subparsers.add_parser(
        "report",
        help="write the HTML incident report (pseudonymised, rounded location by default)",
    )
    report.add_argument("source", type=Path, help="event store (.sqlite) or JSON Lines file")
    report.add_argument("--incident", help="incident id (needed when the source holds several)")
    report.add_argument("--out", type=Path, required=True, help="HTML file to write")
    report.add_argument("--reason", required=True, help="why the report is made (access log)")
    report.add_argument("--by", default="", help="who makes it (default: the workstation login)")
    report.add_argument("--exact-location", action="store_true", help="show the exact location and address")
    report.add_argument("--real-pseudonyms", action="store_true", help="show the registry pseudonyms")
    report.add_argument("--access-log", type=Path, default=None, help=log_help)
    report.set_defaults(func=cmd_report)

    access = subparsers.add_parser("access-log", help="list and verify the review access log")
    access.add_argument("--path", type=Path, default=None, help=log_help)
    access.add_argument("--incident", help="only entries about this incident")
    access.set_defaults(func=cmd_access_log)


def cmd_export(args: argparse.Namespace) -> int:
    from ..eventlog.jsonl import build_export, records_from_store
    from ..eventlog.keys import load_chain_key
    from ..eventlog.store import SqliteEventStore
    from ..files import write_atomically

    if not args.store.exists():
        raise InvalidInput(f"{args.store}: no such event store")
    key = load_chain_key()
    store = SqliteEventStore(args.store, readonly=True)  # an export never writes the store
    try:
        records = records_from_store(store, args.incident)
        report = store.verify()
        store_head, keyed = store.head(), store.signed
    finally:
        store.close()
    if not records:
        raise InvalidInput(f"{args.store}: no incident {args.incident}" if args.incident else f"{args.store}: empty")
    redact = not args.full
    text, result = build_export(records, scope=args.incident or "*", redact=redact, keyed=keyed,
                                store_head=store_head, source_integrity="ok" if report.ok else "broken", key=key)
    who = args.by or workstation_login()
    # Logged before the file exists: an export that is not in the log never left the centre.
    with AccessLog(args.access_log) as log:
        for incident, head in result.heads.items():
            log.append(who, "export", incident, args.reason or NO_REASON, str(args.store),
                       {"to": str(args.out), "format": "jsonl", "redacted": redact,
                        "integrity": "ok" if report.ok else "broken", "chain_head": head,
                        "store_head": {"seq": store_head[0], "hash": store_head[1]},
                        "export_head": result.head})
    write_atomically(args.out, text)
    print(f"exported {result.events} events of {len(result.heads)} incident(s) to {args.out} "
          f"({'redacted' if redact else 'full, not redacted'}); export head {result.head} "
          f"(recorded in the access log; check later with check-jsonl --expect-head)", file=sys.stderr)
    if not report.ok:
        print(f"warning: the store itself is not intact: {report.summary()}", file=sys.stderr)
        return EXIT_NOT_INTACT
    return EXIT_OK


_HEX64 = re.compile(r"[0-9a-f]{64}")


def cmd_check(args: argparse.Namespace) -> int:
    from ..eventlog.jsonl import read_jsonl

    expect = args.expect_head.strip().lower() if args.expect_head is not None else None
    if expect is not None and not _HEX64.fullmatch(expect):
        raise InvalidInput(f"--expect-head {args.expect_head!r}: give the 64 hex digits of the export head "
                           "(zesminuten-engine access-log prints it)")
    log = read_jsonl(args.file, expect_head=expect)
    report = log.integrity
    code = check_exit_code(report.status, report.verifiable, args.allow_unchained)
    if args.json:
        print(json.dumps({
            "status": report.status,
            "verifiable": report.verifiable,
            "exit": code,
            "chained": report.chained,
            "redacted": log.redacted,
            "head": log.head,
            "events": report.events,
            "incidents": log.incidents,
            "findings": [{"kind": f.kind, "incident": f.incident, "seq": f.seq, "line": f.line, "message": f.en}
                         for f in report.findings],
        }, indent=2))
    else:
        print(report.summary())
        for f in report.findings:
            print(f"  [{f.kind}] {f.en}")
        if log.head:
            print(f"  export head {log.head}")
        if code and report.status != "broken":
            print("  not verifiable: exit 3 (use --allow-unchained to accept a file without a provable chain)")
    return code


def check_exit_code(status: str, verifiable: bool, allow_unchained: bool) -> int:
    """0 only when intact and proven; "not verifiable" is not intact unless explicitly allowed."""
    if status == "broken":
        return EXIT_NOT_INTACT
    if not verifiable and not allow_unchained:
        return EXIT_NOT_INTACT
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .report import ReportContext, ReportOptions, render_report
    from .source import open_source

    source = open_source(args.source, args.incident)
    who = args.by or workstation_login()
    options = ReportOptions(exact_location=args.exact_location, real_pseudonyms=args.real_pseudonyms)
    with AccessLog(args.access_log) as log:
        log.append(who, "export", source.incident, args.reason, str(args.source),
                   {"to": str(args.out), "format": "html", "exact_location": options.exact_location,
                    "real_pseudonyms": options.real_pseudonyms, **source.head_details()})
    html = render_report(source.events, source.incident, source.integrity, options, source.annotations(),
                         context=ReportContext(who, args.reason, source.label), aftercare=_aftercare(args, source))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(html, encoding="utf-8")
    print(f"report for {source.incident} written to {args.out} ({source.integrity.summary()})", file=sys.stderr)
    return EXIT_OK


def _aftercare(args: argparse.Namespace, source: ReviewSource) -> Summary | None:
    """The incident's aftercare counts when its store keeps answers beside it (a JSON Lines
    export holds none: the answers are not part of the event log)."""
    opener = getattr(args, "aftercare_beside", None)
    kept = opener(source.path) if opener is not None and source.kind == "store" else None
    if kept is None:
        return None
    try:
        return incident_summary(fold(source.events, source.incident), kept)
    finally:
        kept.close()


def cmd_access_log(args: argparse.Namespace) -> int:
    path = args.path or default_access_log_path()
    if not Path(path).exists():
        raise InvalidInput(f"{path}: no access log yet (or it was deleted: its anchor says so when present)")
    with AccessLog(path) as log:
        check = log.verify()
        for e in log.entries(args.incident):
            print(f"{e.id:5d} {e.time} {e.who} ({e.login}@{e.workstation}) {e.action} {e.incident}: {e.reason}")
            heads = _heads_text(e.details)
            if heads:
                print(f"      {heads}")
        print(f"access log head {check.head_id}:{check.head}")
    print(("intact" if check.ok else "NOT INTACT: " + "; ".join(check.problems_en)) + f" ({check.entries} entries)",
          file=sys.stderr)
    for remark in check.remarks_en:
        print(f"note: {remark}", file=sys.stderr)
    return EXIT_OK if check.ok else EXIT_NOT_INTACT


def _heads_text(details: Any) -> str:
    """The heads an entry recorded, in full: they are what a later check compares against."""
    parts = []
    store = details.get("store_head") if isinstance(details, dict) else None
    if isinstance(store, dict):
        parts.append(f"store head {store.get('seq')}:{store.get('hash')}")
    if isinstance(details, dict) and details.get("export_head"):
        parts.append(f"export head {details['export_head']}")
    return "; ".join(parts)
