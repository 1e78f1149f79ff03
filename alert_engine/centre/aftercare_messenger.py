"""The aftercare questionnaire's link by SMS, for responders who set out but have no web app
signed in (issue 15). On the active node, derived from the log like the channel
dispatcher: once per responder × incident, `message_sent` (kind `aftercare`, why `no_app`)
is written before the request, so a node that takes over never sends it twice. The link is
a one-time sign-in link (72 h) that opens that incident's questionnaire.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..aftercare.messages import invitation_text
from ..aftercare.questionnaire import asked
from ..channels.compose import Outgoing
from ..channels.contacts import PHONE
from ..channels.gateways import Gateway, Outcome
from ..errors import EngineError
from ..events import Event
from ..state import message_key
from .responder_accounts import CODE_VALID, ResponderAccounts

log = logging.getLogger("zesminuten.aftercare")
KIND, CHANNEL = "aftercare", "sms"
WAIT_S = 2.0
WAKING = frozenset({"incident_closed", "alarm_cancelled", "message_failed"})


class AftercareMessenger:
    def __init__(self, host: Any, gateway: Gateway, accounts: ResponderAccounts, base_url: str,
                 submit: Callable[[Gateway, Outgoing], Outcome], directory: Any) -> None:
        self.host = host
        self.gateway = gateway
        self.accounts = accounts
        self.base_url = base_url.rstrip("/")
        self.submit = submit
        self.directory = directory
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def notice(self, events: Sequence[Event]) -> None:
        if any(e.type in WAKING for e in events):
            self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="centre-aftercare", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _main(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(WAIT_S)
            self._wake.clear()
            if self._stop.is_set() or not self.host.is_active():
                continue
            try:
                self.step()
            except EngineError as exc:
                log.warning("aftercare messages paused: %s", exc)

    def due(self) -> list[tuple[str, str]]:
        engine = self.host.engine
        now = self.host.clock.now()
        with self.host.lock:
            wanted = [(s.id, rid) for s in engine.states.values() if s.mode == "live" and not s.alarm_open
                      for rid in s.responders if message_key(rid, CHANNEL, KIND) not in s.messages
                      and asked(s, rid, now)]
        if not wanted:
            return []
        phones = self.directory.lookup(sorted({rid for _, rid in wanted}))
        return [(i, rid) for i, rid in wanted if not self.accounts.has_session(rid)
                and self.gateway.accepts(phones.get(rid, {}).get(PHONE))]

    def step(self) -> int:
        due = self.due()
        if not due:
            return 0

        def write() -> list[Event]:
            engine = self.host.engine
            batch = [(i, "message_sent", {"responder": rid, "channel": CHANNEL, "kind": KIND, "attempt": 1,
                                          "why": "no_app", "gateway": self.gateway.name})
                     for i, rid in due if message_key(rid, CHANNEL, KIND) not in engine.states[i].messages]
            result: list[Event] = engine.record_messages(batch)
            return result

        written = self.host.write_as_system(write)
        phones = self.directory.lookup(sorted({str(e["responder"]) for e in written}))
        failures = []
        for e in written:
            rid = str(e["responder"])
            code, _ = self.accounts.issue_code(rid, CODE_VALID)
            link = f"{self.base_url}/app/#code={code}&next=nazorg&incident={e.incident}"
            out = Outgoing(key=f"{e.incident}/{message_key(rid, CHANNEL, KIND)}", incident=e.incident, responder=rid,
                           channel=CHANNEL, kind=KIND, attempt=1, gateway=self.gateway.name,
                           address=phones[rid][PHONE], text=invitation_text(link), data={})
            outcome = self.submit(self.gateway, out)
            if not outcome.ok:
                failures.append((e.incident, "message_failed", {"responder": rid, "channel": CHANNEL, "kind": KIND,
                                                                "attempt": 1, "reason": outcome.reason,
                                                                "gateway": self.gateway.name}))
        if failures:
            self.host.write_as_system(lambda: self.host.engine.record_messages(failures))
        return len(written)


def for_node(host: Any, settings: Any, accounts: ResponderAccounts, base_url: str) -> AftercareMessenger | None:
    if host.dispatcher is None or not settings.aftercare_sms:
        return None
    return AftercareMessenger(host, settings.gateways["sms"], accounts, base_url, host.dispatcher.send_now,
                              host.dispatcher.directory)
