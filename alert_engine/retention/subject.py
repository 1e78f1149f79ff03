"""The data-subject export (AVG art. 15): everything this system holds about one responder.

Read-only: the registry row and positions, every event that names them (by registry id or
pseudonym, anywhere in its fields), their web-app account (no secrets), what they changed
themselves (self-service), their aftercare answers and contact consents, and the access-log entries of the incidents they were part of
(who looked at data about them, when and why). Side stores that do not exist are reported
as absent, never created.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..events import Event


def side_path(store: Path, suffix: str) -> Path:
    """Where a side store of a SQLite event store lives (alert_engine/centre/side_db.py)."""
    return store.with_name(f"{store.stem}-{suffix}.sqlite")


def _names(value: Any, wanted: set[str]) -> bool:
    if isinstance(value, str):
        return value in wanted
    if isinstance(value, dict):
        return any(_names(v, wanted) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_names(v, wanted) for v in value)
    return False


def events_naming(events: Iterable[Event], responder: str, pseudonym: str) -> list[Event]:
    wanted = {responder} | ({pseudonym} if pseudonym else set())
    return [e for e in events if _names(dict(e.data), wanted)]


def registry_part(path: Path | None, responder: str) -> dict[str, Any] | None:
    """The registry's row and positions of `responder`; None when there is no registry file."""
    if path is None or not path.is_file():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        row = db.execute("SELECT * FROM responders WHERE id=?", (responder,)).fetchone()
        positions = db.execute('SELECT kind, lat, lon, "window", gps_time FROM responder_positions '
                               "WHERE responder_id=? ORDER BY rowid", (responder,)).fetchall()
    finally:
        db.close()
    if row is None:
        return {"found": False}
    return {"found": True, "responder": dict(row), "positions": [dict(p) for p in positions]}


def self_service_part(path: Path, responder: str) -> dict[str, Any] | str:
    """What they changed themselves (training data, channels, away periods) and the change log."""
    if not path.is_file():
        return "no self-service store"
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        def rows(sql: str) -> list[dict[str, Any]]:
            try:
                return [dict(r) for r in db.execute(sql, (responder,))]
            except sqlite3.OperationalError:  # a table this version of the store does not have
                return []
        return {"profile": rows("SELECT * FROM ss_responders WHERE responder=?"),
                "away": rows("SELECT from_day, until_day, created_at FROM ss_away WHERE responder=? ORDER BY from_day"),
                "changes": rows("SELECT at, kind, field FROM ss_changes WHERE subject=? ORDER BY at")}
    finally:
        db.close()


def subject_export(responder: str, events: list[Event], registry: Path | None, store: Path,
                   access_entries: list[dict[str, Any]], generated: str) -> dict[str, Any]:
    return assemble(responder, events, registry_part(registry, responder), access_entries, generated,
                    lambda pseudonym: _side_stores(store, responder, pseudonym))


def _side_stores(store: Path, responder: str, pseudonym: str) -> dict[str, Any]:
    out = app_and_aftercare(store, responder, pseudonym, side_path(store, "responder-app").is_file(),
                            side_path(store, "aftercare").is_file(), "store")
    out["self_service"] = self_service_part(side_path(store, "self-service"), responder)
    return out


def assemble(responder: str, events: list[Event], reg: dict[str, Any] | None, access_entries: list[dict[str, Any]],
             generated: str, sides: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """The export from its parts: `sides(pseudonym)` gives app_account, aftercare and self_service."""
    pseudonym = str(reg["responder"]["pseudonym"]) if reg and reg.get("found") else ""
    mentioned = events_naming(events, responder, pseudonym)
    if not mentioned and not (reg and reg.get("found")):
        raise InvalidInput(f"--responder: {responder}: not in the registry and named in no event")
    if not pseudonym:  # no registry row (removed from the registry): the alert says which pseudonym it used
        pseudonym = next((str(r.get("pseudonym", "")) for e in mentioned if e.type == "alert_sent"
                          for r in e.data.get("responders", []) if isinstance(r, dict) and r.get("id") == responder), "")
    out: dict[str, Any] = {"responder": responder, "pseudonym": pseudonym, "generated": generated,
                           "registry": reg if reg is not None else "no registry file",
                           "incidents": sorted({e.incident for e in mentioned}),
                           "events": [e.to_dict() for e in mentioned]}
    out.update(sides(pseudonym))
    incidents = set(out["incidents"])
    out["access_log"] = [a for a in access_entries if a["incident"] in incidents
                         or a.get("details", {}).get("subject") == pseudonym]
    return out


def app_and_aftercare(source: Path | str, responder: str, pseudonym: str, has_app: bool, has_aftercare: bool,
                      absent: str) -> dict[str, Any]:
    """The responder-app account and the aftercare answers, from the side stores beside a
    SQLite store or the tables of the centre's database (`source`: the store or the URL);
    a part that is not there is said to be absent ("no … <absent>"), never created."""
    from ..centre import aftercare_store, responder_accounts

    out: dict[str, Any] = {}
    if has_app:
        with responder_accounts.ResponderAccounts(source) as accounts:
            out["app_account"] = accounts.account_of(responder)
    else:
        out["app_account"] = f"no responder-app {absent}"
    if has_aftercare and pseudonym:
        answers = aftercare_store.AftercareStore(source)
        try:
            out["aftercare"] = answers.of_pseudonym(pseudonym)
        finally:
            answers.close()
    else:
        out["aftercare"] = f"no aftercare {absent}"
    return out
