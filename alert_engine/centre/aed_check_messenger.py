"""Sends the AED check-back messages on the active node (SMS and e-mail, issue 15).

Derived from the log, like the responders' channel dispatcher: for every AED awaiting its
check, the newest round (the request when the alarm ended, the 24 h and 72 h reminders and
the "back in service?" morning, all decided by the engine's timers) goes once to each of
the manager's addresses a gateway is configured for. `aed_check_message_sent` is written
*before* the request, so a node that takes over never sends it again; a failure comes back
as `aed_check_message_failed`. Each message carries a fresh one-time link. The manager's
number and address are read from the registry when sending, never written anywhere.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..aedcheck.messages import CHANNELS, manager_addresses, subject, synthetic_manager, text
from ..aedcheck.model import AedCheck
from ..channels.compose import Outgoing
from ..channels.gateways import Gateway, Outcome
from ..engine import Engine
from ..errors import EngineError
from ..events import Event
from .aed_check_links import AedCheckLinks, link_for

log = logging.getLogger("zesminuten.aed_check")
WAIT_S = 1.0
SEND_TIMEOUT_S = 15.0
WAKING = frozenset({"aed_check_requested", "aed_check_reminded", "aed_check_message_failed"})


class Host(Protocol):
    lock: threading.RLock
    engine: Engine

    def is_active(self) -> bool: ...

    def write_as_system(self, work: Callable[[], list[Event]]) -> list[Event]: ...


Submit = Callable[[Gateway, Outgoing], Outcome]


class AedCheckMessenger:
    def __init__(self, host: Host, gateways: dict[str, Gateway], links: AedCheckLinks, base_url: str,
                 submit: Submit, synthetic_prefix: str | None = None) -> None:
        self.host = host
        self.gateways = {c: g for c, g in gateways.items() if c in CHANNELS}
        self.links = links
        self.base_url = base_url
        self.submit = submit
        self.synthetic_prefix = synthetic_prefix
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.sent = 0

    def notice(self, events: Sequence[Event]) -> None:
        if any(e.type in WAKING for e in events):
            self._wake.set()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, name="centre-aed-checks", daemon=True)
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
            except EngineError as exc:  # the database is away or the lease lost: try again later
                log.warning("AED check messages paused: %s", exc)

    # -- one step ---------------------------------------------------------------------------
    def _address(self, aed: str) -> dict[str, str]:
        registry = self.host.engine.registry
        if self.synthetic_prefix is not None:
            return synthetic_manager(aed, self.synthetic_prefix)
        idx = registry.a_index.get(aed)
        return manager_addresses(str(registry.a_manager[idx])) if idx is not None else {}

    def due(self) -> list[tuple[AedCheck, str, str]]:
        """(check, round, channel) still to send: only the newest round of each check (a
        reminder replaces a request that could not be sent), never after an answer but for
        the "back in service?" round."""
        engine = self.host.engine
        out = []
        with self.host.lock:
            checks = [c for c in engine.aed_checks() if engine.states[c.incident].mode == "live"]
        for check in checks:
            round_ = check.rounds[-1]
            if check.answers and round_ != "back_in_service":
                continue
            address = self._address(check.aed)
            for channel, gateway in self.gateways.items():
                if f"{round_}/{channel}" not in check.messages and gateway.accepts(address.get(channel)):
                    out.append((check, round_, channel))
        return out

    def step(self) -> int:
        due = self.due()
        if not due:
            return 0

        def write() -> list[Event]:
            engine = self.host.engine
            batch = []
            for check, round_, channel in due:
                now = next((c for c in engine.aed_checks() if c.aed == check.aed), None)
                if now is None or now.incident != check.incident or f"{round_}/{channel}" in now.messages:
                    continue  # answered or sent meanwhile
                batch.append((check.incident, "aed_check_message_sent",
                              {"aed": check.aed, "round": round_, "channel": channel,
                               "gateway": self.gateways[channel].name}))
            return engine.record_messages(batch)

        written = self.host.write_as_system(write)
        failures = []
        for e in written:
            out = self._compose(e)
            outcome = self.submit(self.gateways[out.channel], out)
            self.sent += 1
            if not outcome.ok:
                failures.append((e.incident, "aed_check_message_failed",
                                 {"aed": e["aed"], "round": e["round"], "channel": e["channel"],
                                  "reason": outcome.reason}))
        if failures:
            self.host.write_as_system(lambda: self.host.engine.record_messages(failures))
        return len(written)

    def _compose(self, e: Event) -> Outgoing:
        aed, round_, channel = str(e["aed"]), str(e["round"]), str(e["channel"])
        registry = self.host.engine.registry
        idx = registry.a_index.get(aed)
        description = (str(registry.a_description[idx]) if idx is not None else "") or aed
        code = self.links.issue(aed, e.incident, round_)
        link = link_for(self.base_url, code)
        data: dict[str, Any] = {"subject": subject(round_, description)}
        return Outgoing(key=f"{e.incident}/aed-check/{aed}/{round_}/{channel}", incident=e.incident, responder=aed,
                        channel=channel, kind="aed_check", attempt=1, gateway=self.gateways[channel].name,
                        address=self._address(aed)[channel], text=text(round_, description, link), data=data)


def public_base(settings: Any) -> str:
    """Where links in messages point: `app_url`'s service, or `ZESMINUTEN_APP_URL`."""
    import os

    from .responder_app import PUBLIC_URL_ENV

    base = settings.app_url.rstrip("/").removesuffix("/app") or os.environ.get(PUBLIC_URL_ENV, "")
    if not base:
        log.warning("no app_url in the channels file nor %s: links in messages name 127.0.0.1", PUBLIC_URL_ENV)
        base = "http://127.0.0.1:8750"
    return str(base)


def for_node(host: Any, settings: Any, links: AedCheckLinks) -> AedCheckMessenger | None:
    """The node's messenger when the channels file has an `aed_check` section (else None)."""
    from ..channels.contacts import SyntheticDirectory

    if host.dispatcher is None or not settings.aed_check_channels:
        return None
    base = public_base(settings)
    synthetic = settings.synthetic
    prefix = synthetic.phone_prefix if isinstance(synthetic, SyntheticDirectory) else None
    gateways = {c: settings.gateways[c] for c in settings.aed_check_channels}
    return AedCheckMessenger(host, gateways, links, base, host.dispatcher.send_now, prefix)
