"""`zesminuten-engine` subcommands for review: export-events, check-jsonl, report, access-log.

(`export-events`, not `export`: the registry already owns `zesminuten-engine export`.)

Every command that hands out an incident's data (export, report) writes an access-log
entry first (NEN 7513: who, when, which incident, what, why).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InvalidInput
from .access_log import AccessLog, default_access_log_path, workstation_login

EXIT_OK, EXIT_INVALID, EXIT_NOT_INTACT = 0, 2, 3
NO_REASON = "(geen reden opgegeven op de opdrachtregel)"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    log_help = f"access log (default: {default_access_log_path()})"

    export = subparsers.add_parser(
        "export-events",
        help="export an incident (or all) from an event store to JSON Lines with hash chains",
        description="Write the store's events as JSON Lines, each with a 'chain' field holding the "
        "store's own hash chain (prev, hash), so any later change to the file is detectable. "
        "The export is recorded in the access log.",
    )
    export.add_argument("--store", type=Path, required=True, help="SQLite event store")
    export.add_argument("--incident", help="incident id (default: every incident in the store)")
    export.add_argument("--out", type=Path, required=True, help="JSON Lines file to write")
    export.add_argument("--reason", default="", help="why the data is exported (access log)")
    export.add_argument("--by", default="", help="who exports (default: the workstation login)")
    export.add_argument("--access-log", type=Path, default=None, help=log_help)
    export.set_defaults(func=cmd_export)

    check = subparsers.add_parser(
        "check-jsonl",
        help="check an exported or run event log: hash chain, order, gaps, truncation",
    )
    check.add_argument("file", type=Path)
    check.add_argument("--json", action="store_true", help="machine-readable output")
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
    from ..eventlog.jsonl import export_records, records_from_store, verify_records
    from ..eventlog.store import SqliteEventStore
    from ..events import Event

    if not args.store.exists():
        raise InvalidInput(f"{args.store}: no such event store")
    store = SqliteEventStore(args.store)
    try:
        records = records_from_store(store, args.incident)
    finally:
        store.close()
    if not records:
        raise InvalidInput(f"{args.store}: no incident {args.incident}" if args.incident else f"{args.store}: empty")
    integrity = verify_records(records, [Event.from_json(r.body) for r in records], file_like=False)
    who = args.by or workstation_login()
    heads = {r.incident: r.hash or "" for r in records}  # the last hash proves the tail later
    with AccessLog(args.access_log) as log:
        for incident, head in heads.items():
            log.append(who, "export", incident, args.reason or NO_REASON, str(args.store),
                       {"to": str(args.out), "format": "jsonl", "integrity": integrity.status, "chain_head": head})
    result = export_records(records, args.out)
    log_heads = {k: v[:16] for k, v in result.heads.items()}
    print(f"exported {result.events} events of {len(result.heads)} incident(s) to {args.out}; "
          f"chain heads {log_heads}", file=sys.stderr)
    if integrity.status == "broken":
        print(f"warning: the store itself is not intact: {integrity.summary()}", file=sys.stderr)
        return EXIT_NOT_INTACT
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ..eventlog.jsonl import read_jsonl

    log = read_jsonl(args.file)
    report = log.integrity
    if args.json:
        print(json.dumps({
            "status": report.status,
            "chained": report.chained,
            "events": report.events,
            "incidents": log.incidents,
            "findings": [{"kind": f.kind, "incident": f.incident, "seq": f.seq, "line": f.line, "message": f.en}
                         for f in report.findings],
        }, indent=2))
    else:
        print(report.summary())
        for f in report.findings:
            print(f"  [{f.kind}] {f.en}")
    return EXIT_NOT_INTACT if report.status == "broken" else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from .report import ReportContext, ReportOptions, render_report
    from .source import open_source

    source = open_source(args.source, args.incident)
    who = args.by or workstation_login()
    options = ReportOptions(exact_location=args.exact_location, real_pseudonyms=args.real_pseudonyms)
    with AccessLog(args.access_log) as log:
        log.append(who, "export", source.incident, args.reason, str(args.source),
                   {"to": str(args.out), "format": "html", "exact_location": options.exact_location,
                    "real_pseudonyms": options.real_pseudonyms})
    html = render_report(source.events, source.incident, source.integrity, options, source.annotations(),
                         context=ReportContext(who, args.reason, source.label))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(html, encoding="utf-8")
    print(f"report for {source.incident} written to {args.out} ({source.integrity.summary()})", file=sys.stderr)
    return EXIT_OK


def cmd_access_log(args: argparse.Namespace) -> int:
    path = args.path or default_access_log_path()
    if not Path(path).exists():
        raise InvalidInput(f"{path}: no access log yet")
    with AccessLog(path) as log:
        check = log.verify()
        for e in log.entries(args.incident):
            print(f"{e.id:5d} {e.time} {e.who} ({e.login}@{e.workstation}) {e.action} {e.incident}: {e.reason}")
    print(("intact" if check.ok else "NOT INTACT: " + "; ".join(check.problems_en)) + f" ({check.entries} entries)",
          file=sys.stderr)
    return EXIT_OK if check.ok else EXIT_NOT_INTACT
