"""One `serve` process: the engine, its role in the centre, and the loops that keep it so.

On PostgreSQL several nodes share one log. Each runs the same engine and folds the same
events; exactly one is *active* (it holds the fenced lease, writes events and runs the
timers), the others are *standby*: they follow the log (woken by NOTIFY, and by a poll,
since NOTIFY is only a doorbell) so they can serve queries and streams and take over at
once. The timers (answer timeouts, simulated responders in a demo) are derived from the
folded log, so the node that takes over simply carries them on.

On a SQLite store there is one node, active from the start (the store's one-writer lock).

Engine work runs under one lock: commands from many workstations are applied one after
another, which is what gives one gap-free sequence and keeps rule 4 (a responder on one
open alarm) across workstations. The published log is kept in memory in seq order for
the live streams; its index is the seq, so resuming after `Last-Event-ID: N` is a slice.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import psycopg

from .. import actor as acting
from ..channels.contacts import (
    APP,
    PHONE,
    Directory,
    LayeredDirectory,
    MemoryDirectory,
    phone_number,
    push_subscription,
)
from ..channels.dispatcher import ChannelDispatcher
from ..channels.settings import ChannelSettings
from ..clock import Clock
from ..config import AlertConfig
from ..errors import EngineError, InvalidInput
from ..eventlog.store import EventStore, SqliteEventStore
from ..events import Event
from ..exclusion.motorway import MotorwayIndex
from ..registry.live_positions import Applied, LivePositions, PositionFix
from ..registry.table import Registry
from ..review.access_log import AccessLog
from ..service import LocalService
from .lease import POLL_EVERY_S, RENEW_EVERY_S, TTL_S, Lease
from .pg_store import CHANNEL, LeaseLost, PostgresEventStore, StoreUnavailable
from .pg_store import connect as pg_connect
from .tokens import Caller

log = logging.getLogger("zesminuten.centre")
T = TypeVar("T")
TICK_EVERY_S = 0.2
POSITIONS_FLUSH_S = 0.5   # fixes reach PostGIS in batches (100+ rows per statement at 200/s)
MAX_UNSAVED = 50_000      # while the database is away, the newest fixes are kept for it


class NotActive(EngineError):
    """This node is standby (or between roles): commands go to the active node."""


@dataclass(frozen=True, slots=True)
class Published:
    seq: int
    type: str
    incident: str
    json: str


def request_fingerprint(method: str, path: str, body: Any) -> str:
    raw = json.dumps([method, path, body], sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


class CentreNode:
    def __init__(
        self,
        registry: Registry,
        store: str | Path,
        clock: Clock,
        *,
        config: AlertConfig | None = None,
        motorways: MotorwayIndex | None = None,
        node_id: str = "node",
        simulate: bool = False,
        access_log: AccessLog | None = None,
        lease_ttl_s: float = TTL_S,
        registry_info: dict[str, Any] | None = None,
        channels: ChannelSettings | None = None,
    ) -> None:
        self.node_id = node_id
        # What the consoles show about the registry (the DEMO badge, "synthetic registry").
        self.registry_info = {"responders": registry.n_responders, "aeds": registry.n_aeds, "synthetic": False,
                              "region": "", **(registry_info or {})}
        self.clock = clock
        self.access_log = access_log
        self._access_lock = threading.Lock()
        self.shared = str(store).startswith(("postgresql://", "postgres://"))
        self.lease: Lease | None = None
        self.store: EventStore
        if self.shared:
            self.store = PostgresEventStore(str(store))
            self.lease = Lease(str(store), node_id, ttl_s=lease_ttl_s)
        else:
            self.store = SqliteEventStore(Path(store))
        self.lock = threading.RLock()
        self.service = LocalService(registry, self.store, clock, config=config, motorways=motorways,
                                    simulate=simulate)
        self.engine = self.service.engine
        self.config = self.service.config
        self.role = "standby" if self.shared else "active"
        self._dirty = False
        self._last_renew = 0.0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed: asyncio.Event | None = None
        self._log: list[Published] = []
        self.role_changes: list[tuple[float, str]] = []
        # GPS fixes from the responder apps, applied in place; the next selection uses them.
        self.positions = LivePositions(registry, clock)
        self._unsaved: list[PositionFix] = []
        self._unsaved_lock = threading.Lock()
        # Issue 12: where each responder can be reached (push subscription, phone number);
        # shared by all nodes on PostgreSQL, in memory on a single SQLite node.
        self.contacts: MemoryDirectory | Any
        if self.shared:
            from .contacts import PgDirectory

            self.contacts = PgDirectory(str(store))
        else:
            self.contacts = MemoryDirectory()
        self.responder_channels: Directory = self.contacts
        with self.lock:
            self._publish([e for e in self.store.read() if e.seq <= self.engine.last_seq], wake=False)
            self.engine.subscribe(self._publish)
        # The delivery policy and the gateways run on the active node only; every node has
        # one, so the node that takes over carries on from the log (channels/dispatcher.py).
        self.dispatcher: ChannelDispatcher | None = None
        if channels is not None:
            directory: Directory = self.contacts
            if channels.synthetic is not None:
                if not self.registry_info.get("synthetic"):
                    raise InvalidInput("synthetic_contacts: only for a synthetic (demo) registry")
                directory = LayeredDirectory(self.contacts, channels.synthetic)
            self.dispatcher = ChannelDispatcher(self, channels, directory, clock.now)
            self.engine.subscribe(self.dispatcher.notice)
            # An alert's first messages go in the alert's own commit (channels/dispatcher.py).
            self.engine.companion = self.dispatcher.companion
        # Issue 15: the AED manager's one-time check-back links, and the messages after an
        # alarm (the check-back, the aftercare SMS) when the channels file asks for them.
        from .aed_check_links import AedCheckLinks
        from .after_alarm import AfterAlarm

        self.aed_check_links = AedCheckLinks(store, clock.now)
        self.after_alarm = AfterAlarm(self, store, channels, self.aed_check_links)

    # -- the published log (streams) -------------------------------------------------------
    def _publish(self, events: Sequence[Event], wake: bool = True) -> None:
        for e in events:
            if e.seq <= self.last_seq:
                # Never a duplicate or a step back on a stream: a seq out of line means our view
                # of the log is off; the follower re-reads from the table. Seqs may skip: the
                # store reads them in order, and retention leaves the ones it removed out.
                log.error("published log out of step at seq %s (have %s)", e.seq, self.last_seq)
                self._dirty = True
                continue
            self._log.append(Published(e.seq, e.type, e.incident, e.to_json()))
        if wake and self._loop is not None:
            self._loop.call_soon_threadsafe(self._ring)

    def _ring(self) -> None:
        if self._changed is not None:
            self._changed.set()
        self._changed = asyncio.Event()

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Called from the server's event loop: where stream readers are woken."""
        self._loop = loop
        self._changed = asyncio.Event()

    def published_after(self, seq: int) -> list[Published]:
        return self._log[bisect.bisect_right(self._log, seq, key=lambda p: p.seq):]

    def changed(self) -> asyncio.Event:
        assert self._changed is not None
        return self._changed

    @property
    def last_seq(self) -> int:
        return self._log[-1].seq if self._log else 0

    # -- commands ----------------------------------------------------------------------------
    def run(self, caller: Caller, key: str | None, fingerprint: str, work: Callable[[], T],
            replay: Callable[[list[Event]], T]) -> tuple[T, bool]:
        """Carry out `work` as `caller`, once per idempotency key: (answer, was_replayed)."""
        with self.lock:
            if self.role != "active":
                raise NotActive("this node is standby")
            self._settle()
            scoped = f"{caller.scope}:{key}" if key else None
            if scoped:
                found = self.store.find_request(scoped)
                if found is not None:
                    if found.request_hash != fingerprint:
                        raise InvalidInput("Idempotency-Key: already used for a different request")
                    # The first answer held the command's own events; the messages its commit
                    # carried (actor "system", channels/dispatcher.py) were not in it.
                    own = [e for e in found.events if caller.actor == acting.SYSTEM or e.get("actor") != acting.SYSTEM]
                    return replay(own), True
            try:
                with acting.acting(caller.actor, scoped, fingerprint):
                    return work(), False
            except (StoreUnavailable, LeaseLost):
                self._dirty = True
                raise

    def query(self, work: Callable[[], T]) -> T:
        with self.lock:
            return work()

    def _settle(self) -> None:
        """After a lost commit answer: take the log as the database has it before writing again."""
        if not self._dirty:
            return
        if isinstance(self.store, PostgresEventStore):
            self.store.resync()
        self.engine.catch_up()
        self._dirty = False

    # -- the responder side (issue 12) ------------------------------------------------------
    def acknowledge_message(self, responder: str, incident: str, channel: str = "app") -> list[Event]:
        """The responder's app says the alert reached them (the delivery receipt): one
        `message_acknowledged` per responder × incident × channel, actor "responder"; a
        repeat returns []. UnknownIncident / IllegalTransition (not alerted) as the engine says."""
        return self._write_as(acting.RESPONDER, lambda: self.engine.acknowledge_message(incident, responder, channel))

    def is_active(self) -> bool:
        return self.role == "active"

    def write_as_system(self, work: Callable[[], list[Event]]) -> list[Event]:
        """The channel dispatcher's writes: under the engine lock, on the active node only."""
        return self._write_as(acting.SYSTEM, work)

    def _write_as(self, actor: acting.Actor, work: Callable[[], list[Event]]) -> list[Event]:
        with self.lock:
            if self.role != "active":
                raise NotActive("this node is standby")
            self._settle()
            try:
                with acting.acting(actor):
                    return work()
            except (StoreUnavailable, LeaseLost):
                self._dirty = True
                raise

    @property
    def vapid_public_key(self) -> str | None:
        """The Web Push applicationServerKey the responder web app subscribes with."""
        gw = self.dispatcher.settings.gateways.get("webpush") if self.dispatcher is not None else None
        return getattr(gw, "public_key", None)

    def register_push_subscription(self, responder: str, subscription: dict[str, Any]) -> None:
        """Store the browser's PushSubscription JSON (or `{"fcm_token"}` of a native app), so
        the push gateway can reach this responder. Any node may take it (shared table)."""
        self._known_responder(responder)
        self.contacts.store(responder, APP, push_subscription(subscription))

    def register_phone(self, responder: str, number: str) -> None:
        """The number SMS and voice alerts go to (E.164)."""
        self._known_responder(responder)
        self.contacts.store(responder, PHONE, phone_number(number))

    def _known_responder(self, responder: str) -> None:
        if not isinstance(responder, str) or self.engine.registry.responder_index(responder) is None:
            raise InvalidInput("responder: not a responder of this centre's registry")

    def report_positions(self, fixes: Sequence[tuple[str, float, float, datetime]]) -> Applied:
        """Apply GPS fixes to this node's registry at once (the next selection uses them);
        on PostgreSQL they are also written to PostGIS in the background, so a node that
        takes over starts from them."""
        batch = [PositionFix(*f) for f in fixes]
        result = self.positions.apply(batch)
        if self.shared and result.applied_items:
            with self._unsaved_lock:
                self._unsaved.extend(batch[i] for i in result.applied_items)
        return result

    def _position_loop(self) -> None:
        from .pg_registry import write_positions

        conn = None
        while not self._stop.wait(POSITIONS_FLUSH_S):
            with self._unsaved_lock:
                batch, self._unsaved = self._unsaved, []
            if not batch:
                continue
            try:
                if conn is None or conn.closed or conn.broken:
                    conn = pg_connect(str(self.store.url))  # type: ignore[attr-defined]
                write_positions(conn, batch)
            except (StoreUnavailable, psycopg.Error) as exc:
                conn = None
                with self._unsaved_lock:  # kept for the next try; newest-wins makes a retry harmless
                    self._unsaved[:0] = batch[-MAX_UNSAVED:]
                log.warning("positions not saved yet: %s", str(exc).splitlines()[0] if str(exc) else exc)
        if conn is not None:
            conn.close()

    def _load_recent_positions(self) -> None:
        """A node taking over applies the fixes the old active node saved."""
        from .pg_registry import recent_positions

        since = self.clock.now() - timedelta(seconds=self.config.gps_stale_after_s)
        try:
            with pg_connect(str(self.store.url)) as conn:  # type: ignore[attr-defined]
                fixes = recent_positions(conn, since)
        except (StoreUnavailable, psycopg.Error) as exc:
            log.warning("recent positions not loaded: %s", exc)
            return
        self.positions.apply(fixes)

    def note_access(self, caller: Caller, incident: str, what: str, action: str = "open", reason: str = "",
                    details: dict[str, Any] | None = None) -> None:
        """NEN 7513: who read which incident through the service, from which workstation."""
        if self.access_log is None:
            return
        try:
            # One SQLite connection, many request threads: a thousand apps opening their
            # stream at once must not interleave two transactions on it (a 500 each).
            with self._access_lock:
                self.access_log.append(caller.user, action, incident, reason or "live dispatch (centre service)",
                                       source=f"service:{self.node_id}",
                                       details={"read": what, "workstation": caller.workstation, **(details or {})})
        except EngineError as exc:  # the log must not take the service down; it says so loudly
            log.error("access log entry failed: %s", exc)

    # -- roles and loops -----------------------------------------------------------------
    def start(self) -> None:
        targets: list[tuple[str, Callable[[], None]]] = [("timers", self._timer_loop)]
        if self.shared:
            targets += [("lease", self._lease_loop), ("follow", self._follow_loop),
                        ("positions", self._position_loop)]
            self._lease_step()  # become active at once when the lease is free
        else:
            self._set_role("active")
        self.positions.start()
        if self.dispatcher is not None:
            self.dispatcher.start()
        self.after_alarm.start()
        for name, fn in targets:
            t = threading.Thread(target=fn, name=f"centre-{name}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=3)
        self.after_alarm.stop()  # before the dispatcher: its messengers send on that loop
        if self.dispatcher is not None:
            self.dispatcher.stop()
        self.positions.stop()
        with self.lock:
            if self.lease is not None:
                self.lease.release()  # a clean stop hands over at once, not after the TTL
                self.lease.close()
            self.role = "stopped"
            self.store.close()
            if hasattr(self.contacts, "close"):
                self.contacts.close()
            self.aed_check_links.close()
            if self.access_log is not None:
                self.access_log.close()

    def _set_role(self, role: str) -> None:
        if role != self.role:
            log.warning("node %s is now %s", self.node_id, role)
            self.role_changes.append((time.monotonic(), role))
        self.role = role

    def _lease_loop(self) -> None:
        while not self._stop.wait(RENEW_EVERY_S if self.role == "active" else POLL_EVERY_S):
            self._lease_step()

    def _lease_step(self) -> None:
        assert self.lease is not None and isinstance(self.store, PostgresEventStore)
        try:
            if self.role == "active":
                if self.lease.renew():
                    self._last_renew = time.monotonic()
                else:
                    self._demote("lease taken over or run out")
                return
            epoch = self.lease.try_acquire()
            if epoch is None:
                return
            with self.lock:
                self.store.resync()
                self.engine.catch_up()
                self.store.epoch = epoch
                self._last_renew = time.monotonic()
                self._dirty = False
                self._set_role("active")
                self._resume_simulation()
            self._load_recent_positions()
            if self.dispatcher is not None:
                self.dispatcher.wake()  # what the old active node left due is due here now
        except StoreUnavailable as exc:
            if self.role == "active" and time.monotonic() - self._last_renew > self.lease.ttl_s:
                self._demote(f"database unreachable for longer than the lease ({exc})")

    def _demote(self, why: str) -> None:
        with self.lock:
            if isinstance(self.store, PostgresEventStore):
                self.store.epoch = None
            log.warning("node %s gives up the active role: %s", self.node_id, why)
            self._set_role("standby")

    def _resume_simulation(self) -> None:
        sim = self.service.sim
        if sim is None:
            return
        now = self.clock.now()
        for state in self.engine.running_alarms():
            sim.resume(state.id, now)

    def _follow_loop(self) -> None:
        listener = None
        while not self._stop.is_set():
            try:
                if listener is None or listener.closed or listener.broken:
                    listener = pg_connect(str(self.store.url))  # type: ignore[attr-defined]
                    listener.execute(f"LISTEN {CHANNEL}")
                # NOTIFY is only a doorbell: whatever it says, the table is read; the timeout
                # makes a missed notification cost at most this long.
                for _ in listener.notifies(timeout=0.5, stop_after=1):
                    pass
                if self.role != "active" or self._dirty:
                    with self.lock:
                        if self.role != "active":
                            self.engine.catch_up()
                        else:
                            self._settle()
            except (StoreUnavailable, OSError, Exception) as exc:
                if listener is not None:
                    with contextlib.suppress(Exception):
                        listener.close()
                listener = None
                if not isinstance(exc, StoreUnavailable):
                    log.warning("follower: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
                self._stop.wait(0.3)
        if listener is not None:
            listener.close()

    def _timer_loop(self) -> None:
        while not self._stop.wait(TICK_EVERY_S):
            if self.role != "active":
                continue
            try:
                with self.lock:
                    if self.role != "active":
                        continue
                    self._settle()
                    now = self.clock.now()
                    if self.service.sim is not None:
                        with acting.acting(acting.RESPONDER):
                            self.service.sim.run_due(now)
                    with acting.acting(acting.SYSTEM):
                        self.engine.tick()
                        self.engine.remind_aed_checks()  # the check-back's 24 h / 72 h reminders
            except (StoreUnavailable, LeaseLost) as exc:
                self._dirty = True
                log.warning("timers paused: %s", exc)
            except EngineError as exc:
                log.error("timer step refused: %s", exc)
