"""The channel dispatcher: runs the delivery policy on the active node and drives the gateways.

One thread with its own asyncio loop. Each step:
1. under the engine lock, take the states of the watched incidents (they are immutable
   values, so the lock is held for a dictionary lookup, not for the planning);
2. plan outside the lock (policy.plan; the directory is asked once per alarm, in a worker);
3. under the lock again, write what is due (`channel_outage`, `message_sent`) through the
   engine as actor "system", re-checked against the state of that moment (a cancellation
   that came in meanwhile wins);
4. hand the written messages to the gateways, concurrently, outside the lock: a slow or
   dead provider holds up nothing but its own requests. A failure comes back as
   `message_failed` in the next step, which makes the next channel due at once.

`message_sent` is written *before* the request: a node that dies after writing it and
before sending costs that one message (the next channel follows, as for any message
without a receipt); a node that takes over never sends it again. That is the promise
"never two alerts per responder × incident × channel", kept across failovers.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from ..engine import Engine
from ..errors import EngineError
from ..events import Event
from ..registry.model import CHANNELS
from ..state import IncidentState, message_key
from .compose import Outgoing, compose
from .contacts import APP, PHONE, Directory, allowed
from .gateways import Gateway, Outcome
from .policy import ALERT, COORDINATOR, ORDER, DeliveryPolicy, OutageFound, Send, coordinating, plan
from .settings import ChannelSettings

log = logging.getLogger("zesminuten.channels")
ADDRESS_TTL_S = 10.0      # a subscription registered mid-alarm is used within this long
IDLE_WAIT_S = 1.0
# A hundred acknowledgements come in within a second of an alert, each a commit that wakes
# the dispatcher: the first wake is served at once (the alert's own pushes), later ones
# are gathered for this long, so planning does not crowd out the sends on the same loop.
MIN_STEP_GAP_S = 0.05
# After a burst written with its alert, the next look comes this much later (the burst's
# requests go out first; a fallback due meanwhile is at most this late).
BURST_S = 0.1
# What makes messages due at once (served without that gap): an alert, a cancellation, a
# late accept, a failure, the coordinator's role.
URGENT = frozenset({"alert_sent", "cancellation_sent", "oversupply", "message_failed", "coordinator_assigned"})
Pending = tuple[str, str, dict[str, Any]]


class Host(Protocol):
    """What the dispatcher needs of its node."""

    lock: threading.RLock
    engine: Engine

    def is_active(self) -> bool: ...

    def write_as_system(self, work: Callable[[], list[Event]]) -> list[Event]: ...


@dataclass
class Stats:
    planned: int = 0
    handed: int = 0
    failed: int = 0
    last_step_ms: float = 0.0


class ChannelDispatcher:
    def __init__(self, host: Host, settings: ChannelSettings, directory: Directory,
                 clock: Callable[[], datetime]) -> None:
        self.host = host
        self.settings = settings
        self.policy: DeliveryPolicy = settings.policy
        self.directory = directory
        self.now = clock
        self.stats = Stats()
        self._watch: dict[str, None] = {}
        self._addresses: dict[str, tuple[float, dict[str, dict[str, Any]]]] = {}
        self._results: list[tuple[Outgoing, Outcome]] = []
        self._results_lock = threading.Lock()
        self._inflight: set[asyncio.Task[None]] = set()
        self._burst = (0.0, 0)
        self._urgent = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        # The alert's first messages, written in the alert's own commit (companion below):
        # their keys until the commit is heard, then the events, until the next step sends them.
        self._companion_keys: set[tuple[str, str, str, str]] = set()
        self._companion_first: Event | None = None
        self._ready: list[Event] = []
        with host.lock:
            self._track(host.engine.states.values())

    # -- which incidents to look at ----------------------------------------------------------
    def _track(self, states: Iterable[IncidentState]) -> None:
        now = self.now()
        window = timedelta(seconds=self.policy.follow_up_window_s)
        for s in states:
            if s.alert_time is None or s.mode not in self.policy.modes:
                continue
            if s.alarm_open or (s.last_time is not None and now - s.last_time <= window):
                self._watch[s.id] = None

    def notice(self, events: Sequence[Event]) -> None:
        """Engine listener (called in the committing thread, under the engine lock)."""
        if self._companion_keys:
            # Only the commit the companion was asked for (the very same events): if that one
            # failed, these keys are the next step's to write and send, never sent twice.
            keys, self._companion_keys = self._companion_keys, set()
            if events and events[0] is self._companion_first:
                self._ready.extend(e for e in events if e.type == "message_sent" and (
                    e.incident, str(e["responder"]), str(e["channel"]), str(e["kind"])) in keys)
        self._companion_first = None
        states = self.host.engine.states
        self._track(states[i] for i in {e.incident for e in events} if i in states)
        if not any(e.incident in self._watch for e in events):
            return  # a call, an ambulance: nothing for a phone yet
        if any(e.type in URGENT for e in events):
            self._urgent = True
        self.wake()

    def companion(self, states: Mapping[str, IncidentState], events: Sequence[Event], now: datetime) -> list[Pending]:
        """Engine commit companion (the committing thread, under the engine lock, before the
        write): for an alarm this batch alerts, the messages due at that moment, so they are
        written in the same transaction as the alert and the burst leaves right after it.
        Write before send holds as before; what this leaves out, the next step plans."""
        self._companion_keys = set()
        self._companion_first = events[0] if events else None
        alerted = {e.incident for e in events if e.type == "alert_sent"}
        if not alerted or not self.host.is_active():
            return []
        out: list[Pending] = []
        ahead: list[tuple[Send, IncidentState, str, Any]] = []
        for incident in alerted:
            s = states.get(incident)
            if s is None or s.alert_time is None or s.mode not in self.policy.modes:
                continue
            found = self.directory.lookup(list(s.responders))
            self._addresses[s.id] = (time.monotonic(), found)
            p = plan(s, now, self.policy, self._reach(found))
            for send in p.sends:
                data = self._message_data(s, send, found)
                if data is None:
                    continue
                out.append((s.id, "message_sent", data))
                self._companion_keys.add((s.id, send.responder, send.channel, send.kind))
                if hasattr(self.settings.gateways[data["gateway"]], "prepare"):
                    ahead.append((send, s, data["gateway"], self._address(s.id, send.responder, send.channel)))
        self.stats.planned += len(out)
        loop = self._loop
        if ahead and loop is not None and not loop.is_closed():
            # Encrypted on the dispatcher's thread while this thread writes and commits (the
            # database wait frees the GIL); the burst then finds the bodies ready.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._prepare_ahead, ahead)
        return out

    def _prepare_ahead(self, ahead: Sequence[tuple[Send, IncidentState, str, Any]]) -> None:
        # Composed here, not in the commit: the states are immutable, the payload the same.
        registry = self.host.engine.registry
        for send, s, name, address in ahead:
            try:
                out = compose(send, s, registry, name, address, self.settings.app_url)
                self.settings.gateways[name].prepare(out)  # type: ignore[attr-defined]
            except Exception as exc:  # only a head start: the send encrypts again
                log.error("preparing pushes: %s", type(exc).__name__)
                return

    def wake(self) -> None:
        loop, wake = self._loop, self._wake
        if loop is not None and wake is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(wake.set)

    def send_now(self, gateway: Gateway, out: Outgoing, timeout_s: float = 15.0) -> Outcome:
        """Send one message on this dispatcher's loop (where the gateways' clients live) and
        wait for the answer: for a caller in another thread, such as the AED check-back."""
        loop = self._loop
        if loop is None or loop.is_closed():
            return Outcome(False, "unreachable")
        future = asyncio.run_coroutine_threadsafe(gateway.send(out), loop)
        try:
            return future.result(timeout_s)
        except Exception:  # timed out here, or a bug in an adapter: one message lost, said so
            future.cancel()
            return Outcome(False, "timeout")

    # -- the thread --------------------------------------------------------------------------
    def start(self) -> None:
        ready = threading.Event()
        self._thread = threading.Thread(target=self._main, args=(ready,), name="centre-channels", daemon=True)
        self._thread.start()
        ready.wait(5)

    def stop(self) -> None:
        self._stopping = True
        self.wake()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _main(self, ready: threading.Event) -> None:
        # uvloop where installed: an alert is a burst of a hundred requests on this loop, and
        # uvloop's sockets and callbacks cost less per request than asyncio's.
        loop: asyncio.AbstractEventLoop
        try:
            import uvloop

            loop = uvloop.new_event_loop()
        except ImportError:
            loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._run(ready))
        finally:
            loop.run_until_complete(self._close())
            loop.close()

    async def _close(self) -> None:
        if self._inflight:
            await asyncio.wait(self._inflight, timeout=2)
        for gw in self.settings.gateways.values():
            with contextlib.suppress(Exception):
                await gw.aclose()

    async def _run(self, ready: threading.Event) -> None:
        self._wake = asyncio.Event()
        ready.set()
        wait = 0.0
        last_step = 0.0
        while not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), wait)
            gap = MIN_STEP_GAP_S - (time.monotonic() - last_step)
            if gap > 0 and not self._urgent:
                await asyncio.sleep(gap)
            self._urgent = False
            self._wake.clear()
            if self._stopping:
                break
            last_step = time.monotonic()
            if not self.host.is_active():
                wait = IDLE_WAIT_S
                continue
            try:
                due = await self.step()
            except EngineError as exc:  # the database is away or the lease lost: the node copes
                log.warning("channels paused: %s", exc)
                due, wait = None, IDLE_WAIT_S
                continue
            wait = self._wait_for(due)

    def _wait_for(self, due: datetime | None) -> float:
        if due is None:
            return IDLE_WAIT_S
        ahead = (due - self.now()).total_seconds()
        # The clock may count whole seconds: in the last second before a due time, look
        # often rather than sleep past it.
        return 0.05 if ahead <= 1.0 else min(IDLE_WAIT_S, ahead - 1.0)

    # -- one step -----------------------------------------------------------------------------
    async def step(self) -> datetime | None:
        """Plan, write and hand over what is due; the next time to look (None: nothing waits)."""
        started = time.perf_counter()
        engine = self.host.engine
        with self.host.lock:
            ready, self._ready = self._ready, []
            launched = self._launch(self._outgoing(ready)) if ready else 0
            states = [engine.states[i] for i in list(self._watch) if i in engine.states]
        if launched:
            log.debug("step: %d written with the alert, handed over after %.1f ms", launched,
                      1000 * (time.perf_counter() - started))
            # The burst goes out on this loop: planning every watched alarm now would hold it
            # up. Everything due at the alert was written with it; the rest a moment later.
            self.stats.last_step_ms = 1000 * (time.perf_counter() - started)
            return self.now() + timedelta(seconds=BURST_S)
        now = self.now()
        plans: list[tuple[IncidentState, list[Send], list[OutageFound]]] = []
        next_due: datetime | None = None
        done: list[IncidentState] = []
        for s in states:
            reach = await self._reach_for(s)
            p = plan(s, now, self.policy, reach)
            if p.sends or p.outages:
                plans.append((s, p.sends, p.outages))
            if p.next_due is not None and (next_due is None or p.next_due < next_due):
                next_due = p.next_due
            if not p.sends and p.next_due is None and not s.alarm_open:
                done.append(s)
        if done:
            with self.host.lock:  # unless an event came in since: then it is looked at again
                for s in done:
                    if engine.states.get(s.id) is s:
                        self._watch.pop(s.id, None)
                        self._addresses.pop(s.id, None)
        failures = self._take_results()
        if not plans and not failures:
            self.stats.last_step_ms = 1000 * (time.perf_counter() - started)
            return next_due
        planned_at = time.perf_counter()
        # The write waits for the database (a commit to the synchronous standby); meanwhile
        # this thread encrypts the pushes it will most likely send, so the burst leaves
        # sooner. What the write refuses was encrypted for nothing, nothing more.
        write = asyncio.get_running_loop().run_in_executor(
            None, self.host.write_as_system, lambda: self._write(plans, failures))
        try:
            self._prepare(plans)
        except Exception as exc:  # only a head start: the send encrypts again
            log.error("preparing pushes: %s", type(exc).__name__)
        try:
            written = await write
        except BaseException:
            with self._results_lock:  # reported again in the next step that can write
                self._results[:0] = failures
            raise
        written_at = time.perf_counter()
        outgoing = self._outgoing(written)
        self._launch(outgoing)
        self.stats.last_step_ms = 1000 * (time.perf_counter() - started)
        log.debug("step: %d written, plan %.1f ms, write %.1f ms, handed over after %.1f ms", len(written),
                  1000 * (planned_at - started), 1000 * (written_at - planned_at), self.stats.last_step_ms)
        if failures:
            self.wake()  # a failure written: the next channel is due now
        if outgoing:
            # What was just sent makes its fallback due later (planned from the new state):
            # look again soon, but not in the middle of this burst of requests.
            soon = self.now() + timedelta(seconds=0.5)
            next_due = soon if next_due is None else min(next_due, soon)
        return next_due

    def _write(self, plans: Sequence[tuple[IncidentState, list[Send], list[OutageFound]]],
               failures: Sequence[tuple[Outgoing, Outcome]]) -> list[Event]:
        """Under the engine lock: the batch, re-checked against the state of this moment."""
        engine = self.host.engine
        batch: list[Pending] = []
        for out, outcome in failures:
            s = engine.states.get(out.incident)
            m = s.messages.get(message_key(out.responder, out.channel, out.kind)) if s else None
            if m is not None and m.failed_at is None:
                batch.append((out.incident, "message_failed", {
                    "responder": out.responder, "channel": out.channel, "kind": out.kind,
                    "attempt": out.attempt, "reason": outcome.reason, "gateway": out.gateway}))
        for planned, sends, outages in plans:
            s = engine.states.get(planned.id)
            if s is None:
                continue
            for o in outages:
                if o.channel not in s.outages and s.alarm_open:
                    batch.append((s.id, "channel_outage", {"channel": o.channel, "reason": o.reason,
                                                          **dict(o.detail)}))
            addresses = self._addresses.get(s.id, (0.0, {}))[1]
            for send in sends:
                data = self._message_data(s, send, addresses)
                if data is not None:
                    batch.append((s.id, "message_sent", data))
        self.stats.planned += sum(1 for b in batch if b[1] == "message_sent")
        return engine.record_messages(batch)

    def _message_data(self, s: IncidentState, send: Send,
                      addresses: Mapping[str, Mapping[str, Any]]) -> dict[str, Any] | None:
        """The `message_sent` of a send that is still due and has a gateway, else None."""
        if not _still_due(s, send):
            return None
        gateway = self._gateway(send.channel, addresses.get(send.responder, {}))
        if gateway is None:
            return None
        # No idempotency key in the event: it is incident/responder/channel/kind, and a
        # redacted export must be able to replace the responder id everywhere.
        return {"responder": send.responder, "channel": send.channel, "kind": send.kind,
                "attempt": send.attempt, "why": send.why, "gateway": gateway.name}

    def _prepare(self, plans: Sequence[tuple[IncidentState, list[Send], list[OutageFound]]]) -> None:
        """Compose from the planned state what the write will most likely record, and let
        each gateway that can do work ahead (Web Push encryption) do it now."""
        ahead: list[tuple[Send, IncidentState, str, Any]] = []
        for s, sends, _ in plans:
            addresses = self._addresses.get(s.id, (0.0, {}))[1]
            for send in sends:
                data = self._message_data(s, send, addresses)
                if data is not None and hasattr(self.settings.gateways[data["gateway"]], "prepare"):
                    ahead.append((send, s, data["gateway"], self._address(s.id, send.responder, send.channel)))
        self._prepare_ahead(ahead)

    def _launch(self, outgoing: Sequence[Outgoing]) -> int:
        self._burst = (time.perf_counter(), len(outgoing))
        for out in outgoing:
            task = asyncio.create_task(self._deliver(out))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        return len(outgoing)

    def _outgoing(self, written: Sequence[Event]) -> list[Outgoing]:
        engine = self.host.engine
        out: list[Outgoing] = []
        for e in written:
            if e.type != "message_sent":
                continue
            gateway = self.settings.gateways[str(e["gateway"])]
            address = self._address(e.incident, str(e["responder"]), str(e["channel"]))
            send = Send(e.incident, str(e["responder"]), str(e["channel"]), str(e["kind"]), int(e["attempt"]),
                        str(e.get("why", "")), engine.states[e.incident].responders[str(e["responder"])].cancel_reason)
            out.append(compose(send, engine.states[e.incident], engine.registry, gateway.name, address,
                               self.settings.app_url))
        return out

    async def _deliver(self, out: Outgoing) -> None:
        gateway = self.settings.gateways[out.gateway]
        try:
            outcome = await gateway.send(out)
        except Exception as exc:  # a bug in an adapter must cost one message, not the loop
            log.error("gateway %s: %s", out.gateway, type(exc).__name__)
            outcome = Outcome(False, "error")
        self.stats.handed += 1
        if not self._inflight - {asyncio.current_task()} and log.isEnabledFor(logging.DEBUG):
            started, n = self._burst
            log.debug("burst of %d handed over and answered in %.1f ms", n, 1000 * (time.perf_counter() - started))
        if not outcome.ok:
            self.stats.failed += 1
            with self._results_lock:
                self._results.append((out, outcome))
            self._urgent = True  # the next channel is due at once
            self.wake()

    def _take_results(self) -> list[tuple[Outgoing, Outcome]]:
        with self._results_lock:
            taken, self._results = self._results, []
        return taken

    # -- who can be reached how ----------------------------------------------------------------
    async def _reach_for(self, s: IncidentState) -> Callable[[str], Sequence[str]]:
        cached = self._addresses.get(s.id)
        ringing = any(r.state == "alerted" for r in s.responders.values())
        if cached is None or (ringing and time.monotonic() - cached[0] > ADDRESS_TTL_S):
            found = await asyncio.to_thread(self.directory.lookup, list(s.responders))
            cached = (time.monotonic(), found)
            self._addresses[s.id] = cached
        return self._reach(cached[1])

    def _reach(self, addresses: Mapping[str, Mapping[str, Any]]) -> Callable[[str], Sequence[str]]:
        registry = self.host.engine.registry
        chains: dict[str, tuple[str, ...]] = {}

        def reach(responder: str) -> Sequence[str]:
            if responder not in chains:
                idx = registry.responder_index(responder)
                mask = int(registry.r_channels[idx]) if idx is not None else 0
                registered = [c for i, c in enumerate(CHANNELS) if mask & (1 << i)]
                chains[responder] = self._chain(registered, addresses.get(responder, {}))
            return chains[responder]

        return reach

    def _chain(self, registered: Sequence[str], address: Mapping[str, Any]) -> tuple[str, ...]:
        """The responder's own first choice that works, then the later channels that work.
        SMS and voice need only a phone number the centre has: the fallback reaches an app
        user whose app is silent."""
        usable = [c for c in ORDER if self._gateway(c, address) is not None]
        if not usable:
            return ()
        first = next((c for c in ORDER if c in registered and c in usable), usable[0])
        return (first, *[c for c in usable if ORDER.index(c) > ORDER.index(first)])

    def _gateway(self, channel: str, address: Mapping[str, Any]) -> Gateway | None:
        if channel == "app":
            sub = address.get(APP)
            if sub is None or not allowed(sub, self.settings.allowed_origins):
                return None
            return next((g for g in self.settings.gateways.values() if g.channel == "app" and g.accepts(sub)), None)
        if PHONE not in address:
            return None
        gw = self.settings.gateways.get(channel)
        return gw if gw is not None and gw.accepts(address[PHONE]) else None

    def _address(self, incident: str, responder: str, channel: str) -> Any:
        address = self._addresses.get(incident, (0.0, {}))[1].get(responder, {})
        return address.get(APP) if channel == "app" else address.get(PHONE)

    # -- delivery reports (the providers' webhooks) -------------------------------------------
    def receipts(self, channel: str, reports: Sequence[Mapping[str, Any]]) -> list[Event]:
        """Delivery reports by our idempotency key: `message_delivered`, or `message_failed`
        (undeliverable, expired, rejected); reports in flight (accepted, buffered) change
        nothing. Unknown keys are skipped: a provider retries, and may report twice."""
        if channel not in CHANNELS:
            raise EngineError(f"unknown channel {channel!r}")

        def work() -> list[Event]:
            engine = self.host.engine
            batch: list[Pending] = []
            seen: set[tuple[str, str]] = set()
            for report in reports:
                incident, _, rest = str(report.get("reference", "")).partition("/")
                parts = rest.split("/")
                if len(parts) != 3 or parts[1] != channel:
                    continue
                s = engine.states.get(incident)
                m = s.messages.get(rest) if s is not None else None
                status = str(report.get("status", "")).lower()
                if m is None or (incident, rest + status) in seen:
                    continue
                seen.add((incident, rest + status))
                base = {"responder": m.responder, "channel": m.channel, "kind": m.kind, "attempt": m.attempt}
                if status == "delivered" and m.delivered_at is None:
                    batch.append((incident, "message_delivered", base))
                elif status in ("failed", "undeliverable", "expired", "rejected") and m.failed_at is None:
                    batch.append((incident, "message_failed", {**base, "reason": f"report_{status}"}))
            return engine.record_messages(batch)

        events = self.host.write_as_system(work)
        self.wake()
        return events


def _still_due(s: IncidentState, send: Send) -> bool:
    if message_key(send.responder, send.channel, send.kind) in s.messages:
        return False
    r = s.responders.get(send.responder)
    if r is None:
        return False
    if send.kind == ALERT:
        return r.state == "alerted" and not r.reached and s.alarm_open and s.target_met_at is None
    if send.kind == COORDINATOR:
        return coordinating(s, send.responder)
    return True
