"""`retention` and `subject-export` on the centre's PostgreSQL database (docs/retention.md).

A dry run reads one snapshot and changes nothing, also while the service runs. `--apply`
is a maintenance window: it refuses while a serve node holds the leader lease, takes the
lease for its own transaction (centre/pg_retention.py), and removes the events, the
side tables' rows and the registry's GPS fixes in that one transaction. Only the training
stores, files on this machine, go after the commit.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

from ..centre import pg_retention
from ..clock import AMSTERDAM
from ..errors import InvalidInput
from ..files import write_atomically
from ..paths import data_dir
from ..review.access_log import AccessLog, workstation_login
from .commands import COUNTED, access_log_due, training_stores
from .plan import plan_store
from .policy import RetentionPolicy, day_start, expired
from .subject import app_and_aftercare, assemble


def _open(url: str) -> tuple[Any, psycopg.Connection]:
    from ..centre.pg_store import PostgresEventStore, connect

    store = PostgresEventStore(url)  # brings the schema up to date and checks the chain key
    return store, connect(url)


def _where(url: str) -> str:
    """The database as the access log names it: never the password in the URL."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    return f"postgresql://{info.get('host', '')}/{info.get('dbname', '')}"


def _moment(value: Any) -> datetime | date:
    if isinstance(value, datetime | date):
        return value
    text = str(value)
    return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)


def _expire(db: psycopg.Connection, table: str, keys: str, where: str, apply: bool,
            params: Sequence[Any] = ()) -> int:
    # table, keys and where are this module's own SQL, never input
    sql = f"{'DELETE FROM' if apply else 'SELECT 1 FROM'} {table} WHERE {where}"
    return len(db.execute(sql + (f" RETURNING {keys}" if apply else ""), params).fetchall())  # type: ignore[arg-type]


def _older(db: psycopg.Connection, table: str, key: str, column: str, days: int, today: date, apply: bool) -> int:
    """Rows whose `column` (an ISO time or a day, as text) is past `days`: judged as on SQLite."""
    old = [k for k, t in db.execute(f"SELECT {key}, {column} FROM {table}").fetchall()  # type: ignore[arg-type]
           if expired(_moment(t), days, today)]
    if apply and old:
        db.execute(f"DELETE FROM {table} WHERE {key} = ANY(%s)", (old,))  # type: ignore[arg-type]
    return len(old)


def side_tables(db: psycopg.Connection, policy: RetentionPolicy, today: date, now: datetime,
                apply: bool) -> dict[str, Any]:
    """The side tables' expired rows, counted (or removed, in the caller's transaction).
    A table no component has created yet is left out, never created."""
    iso = now.astimezone(UTC).isoformat(timespec="microseconds")  # as the stores write their times
    answers = day_start(today - timedelta(days=policy.aftercare_answer_days)).astimezone(UTC)
    contact = day_start(today - timedelta(days=policy.contact_request_days)).astimezone(UTC)
    out: dict[str, Any] = {}
    if pg_retention.has_table(db, "aftercare_answers"):
        out["aftercare"] = {
            "aftercare_answers": _expire(db, "aftercare_answers", "pseudonym", "answered_at < %s", apply,
                                         (answers.isoformat(timespec="microseconds"),)),
            "aftercare_contact": _expire(db, "aftercare_contact", "pseudonym", "consented_at < %s", apply,
                                         (contact.isoformat(timespec="microseconds"),))}
    if pg_retention.has_table(db, "app_sessions"):
        out["responder_app"] = {
            "app_signin_codes": _expire(db, "app_signin_codes", "digest",
                                        "coalesce(used_at, expires_at) < %s OR expires_at < %s", apply, (iso, iso)),
            "app_sessions": _expire(db, "app_sessions", "digest",
                                    "coalesce(revoked_at, expires_at) < %s OR expires_at < %s", apply, (iso, iso))}
    if pg_retention.has_table(db, "aed_check_links"):
        out["aed_check_links"] = _expire(db, "aed_check_links", "digest", "expires_at < %s", apply, (iso,))
    if pg_retention.has_table(db, "intake_dead_letters"):
        out["intake_dead_letters"] = _older(db, "intake_dead_letters", "n", "received", policy.dead_letter_days,
                                            today, apply)
    if pg_retention.has_table(db, "ss_away"):
        out["ss_away"] = _older(db, "ss_away", "id", "until_day", policy.away_days, today, apply)
        out["ss_manager_links"] = _expire(db, "ss_manager_links", "digest", "expires_at < %s", apply, (iso,))
    if pg_retention.has_table(db, "responder_positions"):
        out["positions"] = _expire(db, "responder_positions", "responder_id", "fix_time < %s", apply,
                                   (now - timedelta(hours=policy.position_hours),))
    else:
        out["positions"] = "no registry in this database"
    return out


def retention_on_postgres(args: argparse.Namespace, policy: RetentionPolicy, today: date, now: datetime) -> int:
    store, db = _open(args.store)
    key = store.key
    signed = key if store.signed else None
    report: dict[str, Any] = {"today": today.isoformat(), "applied": bool(args.apply), "policy": policy.to_dict()}
    training = args.training_dir or data_dir() / "events-training"
    try:
        with db.transaction():
            if args.dry_run:
                db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            else:
                pg_retention.take_lease(db)  # refuses while a node is active; nothing is read before
            before = pg_retention.verify(db, key)
            if not before.ok:
                raise InvalidInput(f"--store: the centre's event log is not intact ({before.summary()}); "
                                   "retention leaves it as it is")
            plan = plan_store(pg_retention.read_events(db), policy, today,
                              set(pg_retention.record(db, signed).redacted))
            report["events"] = plan.summary()
            report.update(side_tables(db, policy, today, now, apply=False))
            report["training_stores"] = training_stores(training, policy, today, apply=False)
            report["access_log"] = access_log_due(args.access_log, policy, today)
            counted = [v for k, v in report.items() if k in (*COUNTED, "responder_app", "aed_check_links", "ss_manager_links")]
            due = bool(plan.remove or plan.redact) or any(
                (sum(v.values()) if isinstance(v, dict) else v if isinstance(v, int) else 0) for v in counted)
            if args.apply and due:
                head = before.head or (0, "")
                with AccessLog(args.access_log) as log:  # logged before the data goes, like an export
                    log.append(args.by or workstation_login(), "retention", "*", "bewaartermijn (docs/retention.md)",
                               _where(args.store),
                               {"removed": plan.removed_incidents, "redacted": plan.redacted_incidents,
                                "side_stores": {k: v for k, v in report.items() if k in COUNTED},
                                "store_head": {"seq": head[0], "hash": head[1]}})
                report.update(side_tables(db, policy, today, now, apply=True))
                if plan.remove or plan.redact:
                    run = pg_retention.apply(db, signed, datetime.now(UTC).isoformat(timespec="seconds"),
                                             {**policy.to_dict(), "today": today.isoformat()}, plan.remove, plan.redact)
                    report["run"] = {"id": run.id, "hash": run.hash}
            if args.apply:
                pg_retention.release_lease(db)
        if args.apply and due:
            report["training_stores"] = training_stores(training, policy, today, apply=True)
            after = store.verify()
            report["verify"] = after.summary()
            if not after.ok:  # cannot happen unless the tables were touched meanwhile; say it loudly
                print(json.dumps(report, indent=2, ensure_ascii=False))
                return 3
    finally:
        db.close()
        store.close()
    print(json.dumps(report, indent=2, ensure_ascii=False, default=str))
    return 0


def _registry_part(db: psycopg.Connection, responder: str) -> dict[str, Any] | None:
    from ..centre.pg_retention import has_table

    if not has_table(db, "responders"):
        return None
    cur = db.execute("SELECT * FROM responders WHERE id = %s", (responder,))
    row = cur.fetchone()
    if row is None:
        return {"found": False}
    names = [c.name for c in cur.description or ()]
    slots = db.execute('SELECT kind, lat, lon, "window", NULL FROM responder_slots WHERE responder_id = %s '
                       "ORDER BY slot_no", (responder,)).fetchall()
    fixes = db.execute("SELECT 'gps', lat, lon, '24/7', fix_time FROM responder_positions WHERE responder_id = %s",
                       (responder,)).fetchall()
    positions = [dict(zip(("kind", "lat", "lon", "window", "gps_time"), p, strict=True)) for p in [*slots, *fixes]]
    return {"found": True, "responder": dict(zip(names, row, strict=True)), "positions": positions}


def _side_tables(db: psycopg.Connection, url: str, responder: str, pseudonym: str) -> dict[str, Any]:
    from ..centre.pg_retention import has_table

    out = app_and_aftercare(url, responder, pseudonym, has_table(db, "app_sessions"),
                            has_table(db, "aftercare_answers"), "tables")
    if has_table(db, "ss_responders"):
        def rows(sql: str) -> list[dict[str, Any]]:
            cur = db.execute(sql, (responder,))
            names = [c.name for c in cur.description or ()]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        out["self_service"] = {
            "profile": rows("SELECT * FROM ss_responders WHERE responder = %s"),
            "away": rows("SELECT from_day, until_day, created_at FROM ss_away WHERE responder = %s ORDER BY from_day"),
            "changes": rows("SELECT at, kind, field FROM ss_changes WHERE subject = %s ORDER BY at")}
    else:
        out["self_service"] = "no self-service tables"
    return out


def subject_export_on_postgres(args: argparse.Namespace) -> int:
    store, db = _open(args.store)
    try:
        events = store.read()
        reg = _registry_part(db, args.responder)
        who = args.by or workstation_login()
        with AccessLog(args.access_log) as log:
            entries = [{"id": e.id, "time": e.time, "who": e.who, "workstation": e.workstation, "action": e.action,
                        "incident": e.incident, "reason": e.reason, "details": dict(e.details)}
                       for e in log.entries()]
            export = assemble(args.responder, events, reg, entries, datetime.now(AMSTERDAM).isoformat(timespec="seconds"),
                              lambda pseudonym: _side_tables(db, args.store, args.responder, pseudonym))
            export["registry"] = reg if reg is not None else "no registry in this database"
            # Logged by pseudonym only (no responder id or name in a log), before the file exists.
            log.append(who, "subject_export", "*", args.reason, _where(args.store),
                       {"subject": export["pseudonym"] or "(geen pseudoniem)", "to": str(args.out),
                        "events": len(export["events"])})
    finally:
        db.close()
        store.close()
    write_atomically(args.out, json.dumps(export, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"{len(export['events'])} events about {export['pseudonym'] or args.responder} in "
          f"{len(export['incidents'])} incident(s) written to {args.out}", file=sys.stderr)
    return 0

