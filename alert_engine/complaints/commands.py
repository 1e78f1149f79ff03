"""`zesminuten-engine complaints ...`: complaints on an embedded (SQLite) event store.

The centre's service has the same as `POST /v1/complaints` (alert_engine/centre/complaint_routes.py).
A store has one writer: while a console runs on it, register complaints in that console
(Nazien → Klachten…). Every command writes its access-log entries (reason "klacht <id>").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from ..errors import InvalidInput
from ..review.access_log import AccessLog, default_access_log_path, workstation_login
from .access import log_complaint_events, reason
from .model import COMPLAINANTS, Complaint, incident_of


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("complaints", help="complaints about an incident: register, status, report, list",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="complaints_command", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--store", type=Path, required=True, help="SQLite event store")
        q.add_argument("--by", default="", help="who does this (default: the workstation login)")
        q.add_argument("--access-log", type=Path, default=None,
                       help=f"access log (default: {default_access_log_path()})")

    reg = sub.add_parser("register", help="register a complaint against an incident (status: received)")
    common(reg)
    reg.add_argument("--incident", required=True)
    reg.add_argument("--complainant", required=True, choices=COMPLAINANTS, help="who complains (a kind)")
    reg.add_argument("--contact", required=True,
                     help="reference into the complaint file (e.g. KL-2026-113), never a name or number")
    reg.add_argument("--summary", required=True, help="what the complaint is about")
    reg.add_argument("--received", type=date.fromisoformat, default=None,
                     help="date the complaint was received (YYYY-MM-DD, default: today)")
    reg.set_defaults(func=cmd_register)

    status = sub.add_parser("status", help="move a complaint on: investigating, then answered")
    common(status)
    status.add_argument("complaint", help="complaint id (<incident>-K<n>)")
    status.add_argument("status", choices=("investigating", "answered"))
    status.add_argument("--note", default="", help="what was done or answered (required for answered)")
    status.set_defaults(func=cmd_status)

    report = sub.add_parser("report", help="write the incident's review report and link it to the complaint")
    common(report)
    report.add_argument("complaint")
    report.add_argument("--out", type=Path, required=True, help="HTML file to write")
    report.add_argument("--exact-location", action="store_true")
    report.add_argument("--real-pseudonyms", action="store_true")
    report.set_defaults(func=cmd_report)

    listing = sub.add_parser("list", help="every complaint with its status")
    common(listing)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=cmd_list)


@contextmanager
def _engine(store_path: Path) -> Iterator[object]:
    """The engine on the store as its one writer (no registry needed: complaints alert nobody)."""
    from ..clock import SystemClock
    from ..engine import Engine
    from ..eventlog.store import SqliteEventStore
    from ..registry.table import Registry

    if not store_path.is_file():
        raise InvalidInput(f"--store: {store_path}: no such event store")
    store = SqliteEventStore(store_path)
    try:
        yield Engine(Registry.empty(), store, SystemClock())
    finally:
        store.close()


def cmd_register(args: argparse.Namespace) -> int:
    from ..engine import Engine

    who = args.by or workstation_login()
    received = args.received or date.today()
    with _engine(args.store) as engine, AccessLog(args.access_log) as log:
        assert isinstance(engine, Engine)
        events = engine.register_complaint(args.incident, args.complainant, args.contact, args.summary, received, who)
        log_complaint_events(log, who, events, str(args.store))
    print(events[0]["complaint"])
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from ..engine import Engine

    who = args.by or workstation_login()
    with _engine(args.store) as engine, AccessLog(args.access_log) as log:
        assert isinstance(engine, Engine)
        events = engine.change_complaint_status(incident_of(args.complaint), args.complaint, args.status, args.note, who)
        log_complaint_events(log, who, events, str(args.store))
    print(f"{args.complaint}: {args.status}", file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..engine import Engine
    from ..files import write_atomically
    from ..review.report import ReportContext, ReportOptions, render_report
    from ..review.source import open_source

    who = args.by or workstation_login()
    incident = incident_of(args.complaint)
    with _engine(args.store) as engine, AccessLog(args.access_log) as log:
        assert isinstance(engine, Engine)
        if args.complaint not in engine.state(incident).complaints:
            raise InvalidInput(f"complaint: unknown complaint {args.complaint}")
        source = open_source(args.store, incident)
        options = ReportOptions(exact_location=args.exact_location, real_pseudonyms=args.real_pseudonyms)
        # Logged before the file exists, as every report is (review/commands.py).
        log.append(who, "export", incident, reason(args.complaint), str(args.store),
                   {"to": str(args.out), "format": "html", "exact_location": options.exact_location,
                    "real_pseudonyms": options.real_pseudonyms, **source.head_details()})
        html = render_report(source.events, incident, source.integrity, options, source.annotations(),
                             context=ReportContext(who, reason(args.complaint), source.label))
        write_atomically(args.out, html)
        digest = hashlib.sha256(html.encode("utf-8")).hexdigest()
        events = engine.link_complaint_report(incident, args.complaint, args.out.name, digest, "html", who)
        log_complaint_events(log, who, events, str(args.store))
    print(f"report for {args.complaint} written to {args.out} (sha256 {digest}, linked)", file=sys.stderr)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from ..eventlog.store import SqliteEventStore
    from ..state import fold_all

    if not args.store.is_file():
        raise InvalidInput(f"--store: {args.store}: no such event store")
    store = SqliteEventStore(args.store, readonly=True)  # a list never writes the store
    try:
        states = fold_all(store.read())
    finally:
        store.close()
    found: list[Complaint] = sorted((c for s in states.values() for c in s.complaints.values()),
                                    key=lambda c: (c.registered_at, c.id))
    with AccessLog(args.access_log) as log:
        log.append(args.by or workstation_login(), "complaint", "*", "klacht (lijst)", str(args.store),
                   {"read": "complaint list", "complaints": len(found)})
    if args.json:
        print(json.dumps([c.to_dict() for c in found], indent=2, ensure_ascii=False))
    else:
        for c in found:
            print(f"{c.id}\t{c.status}\t{c.received.isoformat()}\t{c.complainant}\t{c.contact}\t{len(c.reports)} report(s)")
    return 0
