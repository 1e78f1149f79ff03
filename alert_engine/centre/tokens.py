"""Who may call the service: one token per workstation (and per responder gateway).

`TOKENS.json`: `{"tokens": [{"token": "…", "workstation": "ws-1", "user": "A. Jansen"}]}`.
A token names the workstation and the person for every event (`actor`) and access-log
entry. `"role": "responder_gateway"` marks the channel gateway that forwards responders'
own answers (their events carry actor "responder"); `"role": "dispatch_adapter"` the dispatch
system's adapter that posts intake messages (issue 13; its events name it as the actor). Tokens come from configuration only:
the file is read at start, never logged, and compared in constant time.
"""

from __future__ import annotations

import hmac
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..actor import RESPONDER, Actor
from ..errors import InvalidInput

ROLES = ("workstation", "responder_gateway", "dispatch_adapter")
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True, slots=True)
class Caller:
    workstation: str
    user: str
    role: str = "workstation"

    @property
    def actor(self) -> Actor:
        if self.role == "responder_gateway":
            return RESPONDER
        return {"workstation": self.workstation, "user": self.user}

    @property
    def scope(self) -> str:
        """What idempotency keys are scoped to: two workstations may pick the same key."""
        return self.workstation


class TokenBook:
    def __init__(self, entries: dict[str, Caller]) -> None:
        self._entries = list(entries.items())

    def __len__(self) -> int:
        return len(self._entries)

    def caller(self, presented: str | None) -> Caller | None:
        if not presented:
            return None
        found = None
        for token, caller in self._entries:  # every entry compared: timing tells nothing
            if hmac.compare_digest(token.encode(), presented.encode()):
                found = caller
        return found

    @classmethod
    def load(cls, path: Path | str) -> TokenBook:
        p = Path(path)
        try:
            raw: Any = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InvalidInput(f"{p}: no such tokens file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{p}: cannot read ({exc})") from None
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{p}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
        items = raw.get("tokens") if isinstance(raw, dict) else None
        if not isinstance(items, list) or not items:
            raise InvalidInput(f"{p}: expected {{\"tokens\": [{{\"token\", \"workstation\", \"user\"}}, ...]}}")
        entries: dict[str, Caller] = {}
        for i, item in enumerate(items):
            where = f"{p}: tokens[{i}]"
            if not isinstance(item, dict):
                raise InvalidInput(f"{where}: expected an object")
            for name in ("token", "workstation", "user"):
                value = item.get(name)
                if not isinstance(value, str) or not value.strip():
                    raise InvalidInput(f"{where}.{name}: missing or empty")
            token = item["token"]
            if len(token) < MIN_TOKEN_CHARS:
                raise InvalidInput(f"{where}.token: too short (at least {MIN_TOKEN_CHARS} characters)")
            if token in entries:
                raise InvalidInput(f"{where}.token: the same token is listed twice")
            role = item.get("role", "workstation")
            if role not in ROLES:
                raise InvalidInput(f"{where}.role: {role!r} is not one of {', '.join(ROLES)}")
            entries[token] = Caller(item["workstation"].strip(), item["user"].strip(), role)
        return cls(entries)


def readable_by_others(path: Path | str) -> bool:
    """A tokens file others can read lets them act as any workstation; serve warns."""
    try:
        return bool(Path(path).stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False
