"""`zesminuten-engine retention --dry-run|--apply` and `zesminuten-engine subject-export`.

Retention works on a SQLite event store as its one writer (stop the console first) and on
the stores beside it (aftercare answers and consents, dead letters, away periods, spent
sign-in and check-back links), the registry's GPS fixes and the training stores; it prints what has expired (JSON) and, with --apply,
removes it, recorded in the store (eventlog/pruning.py) and in the access log. On the
centre's PostgreSQL it runs in a maintenance window, in one transaction (retention/on_postgres.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ..clock import AMSTERDAM
from ..errors import InvalidInput
from ..files import write_atomically
from ..paths import data_dir, default_registry_path
from ..review.access_log import AccessLog, default_access_log_path, workstation_login
from .policy import RetentionPolicy, day_start, expired
from .subject import side_path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    log_help = f"access log (default: {default_access_log_path()})"
    r = subparsers.add_parser("retention", help="remove what has passed its retention period (docs/retention.md)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = r.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="only say what has expired")
    mode.add_argument("--apply", action="store_true", help="remove it (recorded, verifiable)")
    r.add_argument("--store", required=True, help="SQLite event store, or the centre's postgresql:// URL")
    r.add_argument("--registry", type=Path, default=None, help="registry store whose GPS fixes expire")
    r.add_argument("--training-dir", type=Path, default=None,
                   help="folder of training stores (default: events-training/ in the data directory)")
    r.add_argument("--policy", type=Path, default=None, help="JSON file of retention periods (docs/retention.md)")
    r.add_argument("--today", type=date.fromisoformat, default=None,
                   help="the day to count from (YYYY-MM-DD; default: today in Amsterdam)")
    r.add_argument("--by", default="", help="who runs it (default: the workstation login)")
    r.add_argument("--access-log", type=Path, default=None, help=log_help)
    r.set_defaults(func=cmd_retention)

    s = subparsers.add_parser("subject-export", help="everything held about one responder, as JSON (AVG art. 15)")
    s.add_argument("--responder", required=True, help="registry id of the responder")
    s.add_argument("--store", required=True, help="SQLite event store, or the centre's postgresql:// URL")
    s.add_argument("--registry", type=Path, default=None, help="registry store (default: the data directory's)")
    s.add_argument("--out", type=Path, required=True, help="JSON file to write")
    s.add_argument("--reason", default="inzageverzoek (AVG art. 15)", help="why (access log)")
    s.add_argument("--by", default="", help="who makes it (default: the workstation login)")
    s.add_argument("--access-log", type=Path, default=None, help=log_help)
    s.set_defaults(func=cmd_subject_export)


def _today(args: argparse.Namespace) -> date:
    return args.today or datetime.now(AMSTERDAM).date()


def on_postgres(store: str) -> bool:
    return store.startswith(("postgresql://", "postgres://"))


def _store_path(store: str) -> Path:
    path = Path(store)
    if not path.is_file():
        raise InvalidInput(f"--store: {path}: no such event store")
    return path


def _positions(registry: Path | None, policy: RetentionPolicy, now: datetime, apply: bool) -> int | str:
    import sqlite3

    if registry is None or not registry.is_file():
        return "no registry file"
    cutoff = now - timedelta(hours=policy.position_hours)
    db = sqlite3.connect(registry, isolation_level=None)
    try:
        rows = db.execute("SELECT rowid, gps_time FROM responder_positions WHERE kind='gps'").fetchall()
        old = [rid for rid, t in rows if t is None or datetime.fromisoformat(str(t)) < cutoff]
        if apply and old:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("DELETE FROM responder_positions WHERE rowid=?", [(rid,) for rid in old])
            db.execute("COMMIT")
    finally:
        db.close()
    return len(old)


def training_stores(folder: Path, policy: RetentionPolicy, today: date, apply: bool) -> list[str]:
    from ..eventlog.store import SqliteEventStore

    gone = []
    for path in sorted(folder.glob("*.sqlite")) if folder.is_dir() else []:
        store = SqliteEventStore(path, readonly=True)
        try:
            events = store.read()
        finally:
            store.close()
        if events and not expired(max(e.time for e in events), policy.training_days, today):
            continue
        gone.append(path.name)
        if apply:  # a training run is a store of its own: it goes as a whole, with its WAL and lock
            for extra in ("", "-wal", "-shm", ".lock"):
                path.with_name(path.name + extra).unlink(missing_ok=True)
    return gone


def cmd_retention(args: argparse.Namespace) -> int:
    from ..centre import responder_accounts
    from ..centre.aed_check_links import AedCheckLinks
    from ..eventlog.store import SqliteEventStore
    from .plan import plan_store

    policy = RetentionPolicy.load(args.policy)
    today = _today(args)
    now = day_start(today + timedelta(days=1)) if args.today else datetime.now(AMSTERDAM)
    if on_postgres(args.store):
        from .on_postgres import retention_on_postgres

        return retention_on_postgres(args, policy, today, now)
    path = _store_path(args.store)
    store = SqliteEventStore(path, readonly=args.dry_run)
    try:
        if args.apply:
            store.claim_writer()  # one writer: a console on this store stops retention here, before anything
        before = store.verify()
        if not before.ok:
            raise InvalidInput(f"--store: {path} is not intact ({before.summary()}); retention leaves it as it is")
        plan = plan_store(store.read(), policy, today, set(store.retention_record().redacted))
        report: dict[str, Any] = {"today": today.isoformat(), "applied": bool(args.apply), "policy": policy.to_dict(),
                                  "events": plan.summary()}
        answers_before = day_start(today - timedelta(days=policy.aftercare_answer_days))
        contact_before = day_start(today - timedelta(days=policy.contact_request_days))
        training = args.training_dir or data_dir() / "events-training"

        def side_stores(apply: bool) -> dict[str, Any]:
            out: dict[str, Any] = {}
            if side_path(path, "aftercare").is_file():
                out["aftercare"] = _aftercare(path, answers_before, contact_before, apply)
            if side_path(path, "responder-app").is_file() and apply:
                with responder_accounts.ResponderAccounts(path) as accounts:
                    out["responder_app"] = accounts.remove_expired(now.astimezone(UTC))
            if side_path(path, "aed-checks").is_file() and apply:
                links = AedCheckLinks(path)
                try:
                    out["aed_check_links"] = links.remove_expired(now.astimezone(UTC))
                finally:
                    links.close()
            if side_path(path, "self-service").is_file() and apply:
                out["ss_manager_links"] = _remove_expired_links(side_path(path, "self-service"), now)
            for name, table, column, days in (
                    ("dead-letters", "intake_dead_letters", "received", policy.dead_letter_days),
                    ("self-service", "ss_away", "until_day", policy.away_days)):
                if side_path(path, name).is_file():
                    out[table] = _remove_older(side_path(path, name), table, column, days, today, apply)
            out["positions"] = _positions(args.registry, policy, now, apply)
            out["training_stores"] = training_stores(training, policy, today, apply)
            return out

        report.update(side_stores(apply=False))  # first only counted: the access log hears of it before
        report["access_log"] = access_log_due(args.access_log, policy, today)
        due = plan.remove or plan.redact or report["training_stores"] or report["positions"] not in (0, "no registry file") \
            or any(report.get("aftercare", {}).values()) or report.get("intake_dead_letters") or report.get("ss_away")
        if args.apply and due:
            seq, head = store.head()
            with AccessLog(args.access_log) as log:  # logged before the data goes, like an export
                log.append(args.by or workstation_login(), "retention", "*", "bewaartermijn (docs/retention.md)",
                           str(path), {"removed": plan.removed_incidents, "redacted": plan.redacted_incidents,
                                       "side_stores": {k: v for k, v in report.items() if k in COUNTED},
                                       "store_head": {"seq": seq, "hash": head}})
            report.update(side_stores(apply=True))
        if args.apply and (plan.remove or plan.redact):
            run = store.prune(plan.remove, plan.redact, datetime.now(UTC).isoformat(timespec="seconds"),
                              {**policy.to_dict(), "today": today.isoformat()})
            report["run"] = {"id": run.id, "hash": run.hash}
            after = store.verify()
            report["verify"] = after.summary()
            if not after.ok:  # cannot happen unless the tables were touched meanwhile; say it loudly
                print(json.dumps(report, indent=2))
                return 3
    finally:
        store.close()
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


def _aftercare(store: Path, answers_before: datetime, contact_before: datetime, apply: bool) -> dict[str, int]:
    import sqlite3

    from ..centre import aftercare_store

    if apply:
        care = aftercare_store.AftercareStore(store)
        try:
            return care.remove_before(answers_before.astimezone(UTC), contact_before.astimezone(UTC))
        finally:
            care.close()
    db = sqlite3.connect(f"file:{side_path(store, 'aftercare')}?mode=ro", uri=True)
    try:
        return {"aftercare_answers": _older(db, "aftercare_answers", "answered_at", answers_before),
                "aftercare_contact": _older(db, "aftercare_contact", "consented_at", contact_before)}
    finally:
        db.close()


COUNTED = ("aftercare", "positions", "training_stores", "intake_dead_letters", "ss_away")


def _remove_older(path: Path, table: str, column: str, days: int, today: date, apply: bool) -> int:
    """Rows of a side store whose `column` (an ISO time or a day) is past `days`."""
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None) if apply else sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        old = [rowid for rowid, t in db.execute(f"SELECT rowid, {column} FROM {table}")
               if expired(_moment(str(t)), days, today)]
        if apply and old:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(f"DELETE FROM {table} WHERE rowid=?", [(r,) for r in old])
            db.execute("COMMIT")
    finally:
        db.close()
    return len(old)


def _remove_expired_links(path: Path, now: datetime) -> int:
    """AED managers' self-service links past their end: a link is worth nothing then, and
    the digest and AED it names are not kept for longer than the link could be used."""
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    try:
        iso = now.astimezone(UTC).isoformat(timespec="microseconds")  # as self_service writes its times
        return db.execute("DELETE FROM ss_manager_links WHERE expires_at < ?", (iso,)).rowcount
    finally:
        db.close()


def _moment(text: str) -> datetime | date:
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def _older(db: Any, table: str, column: str, before: datetime) -> int:
    # table and column are this module's own names, never input
    return sum(1 for (t,) in db.execute(f"SELECT {column} FROM {table}")
               if datetime.fromisoformat(str(t)) < before)


def access_log_due(path: Path | None, policy: RetentionPolicy, today: date) -> dict[str, Any]:
    p = path or default_access_log_path()
    if not p.exists():
        return {"due": 0, "removed": 0}
    with AccessLog(p) as log:
        due = sum(1 for e in log.entries() if expired(datetime.fromisoformat(e.time), policy.access_log_days, today))
    return {"due": due, "removed": 0,
            "why": "append-only and anchored: a new log is started and the old one archived (docs/retention.md)"}


def cmd_subject_export(args: argparse.Namespace) -> int:
    from ..eventlog.store import SqliteEventStore
    from .subject import subject_export

    if on_postgres(args.store):
        from .on_postgres import subject_export_on_postgres

        return subject_export_on_postgres(args)
    path = _store_path(args.store)
    store = SqliteEventStore(path, readonly=True)
    try:
        events = store.read()
    finally:
        store.close()
    registry = args.registry or (default_registry_path() if default_registry_path().is_file() else None)
    who = args.by or workstation_login()
    with AccessLog(args.access_log) as log:
        entries = [{"id": e.id, "time": e.time, "who": e.who, "workstation": e.workstation, "action": e.action,
                    "incident": e.incident, "reason": e.reason, "details": dict(e.details)} for e in log.entries()]
        export = subject_export(args.responder, events, registry, path, entries,
                                datetime.now(AMSTERDAM).isoformat(timespec="seconds"))
        # Logged by pseudonym only (no responder id or name in a log), before the file exists.
        log.append(who, "subject_export", "*", args.reason, str(path),
                   {"subject": export["pseudonym"] or "(geen pseudoniem)", "to": str(args.out),
                    "events": len(export["events"])})
    write_atomically(args.out, json.dumps(export, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"{len(export['events'])} events about {export['pseudonym'] or args.responder} in "
          f"{len(export['incidents'])} incident(s) written to {args.out}", file=sys.stderr)
    return 0
