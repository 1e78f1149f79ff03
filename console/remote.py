"""The console as a client of the centre's shared service (issue 11, service-api.md).

`RemoteBackend` offers the console what the embedded backend offers (queries, commands,
the event stream) over HTTP. It keeps its own fold of the service's event log, so
`incidents()`, `state()` and `events()` are answered locally, exactly as the embedded
engine folds them (alert_engine.state.apply): the console cannot tell the difference,
apart from the connection state it shows in its header.

Threads, and why:
- the stream thread reads `/v1/stream` (httpx-sse has no reconnect of its own) and
  reconnects with `Last-Event-ID` across the list of service URLs, honouring the
  server's `retry:`; it only puts parsed events into a queue;
- the health thread asks every URL's `/v1/health` once a second, for the role of each
  node (active, standby, or silent);
- everything else happens in the caller's (the GUI) thread: `pump()` drains the queue
  and folds in seq order, with no gap (a gap is filled from `/v1/events?after=N`) and no
  duplicate (dropped by seq), then calls the listeners, as the embedded engine does after
  each commit. Nothing but the GUI thread ever touches the fold, so it needs no lock.

Commands are POSTs with a fresh `Idempotency-Key` each; a connection error, a timeout or
a 503 (standby node, database away) is retried with the same key across the URLs for up
to `retry_s`, so a command lands once or not at all, never twice. Its events are folded
from the answer or the stream, whichever comes first; the other copy is dropped by seq.

Qt-free on purpose (tests drive it without a QApplication): the console passes in how to
translate its texts (`translate`) and how to keep the window painting while a slow
command waits (`idle`).
"""

from __future__ import annotations

import logging
import queue
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from alert_engine.aedcheck.listing import AwaitingAed
from alert_engine.aftercare.questionnaire import Summary
from alert_engine.api.commands import (
    COMMAND_TYPES,
    ChangeComplaintStatus,
    Command,
    LinkComplaintReport,
    RegisterComplaint,
)
from alert_engine.api.protocols import Listener
from alert_engine.api.wire import config_from_data, verdict_from_data
from alert_engine.centre.bodies import entry_of
from alert_engine.clock import SystemClock
from alert_engine.complaints.model import Complaint
from alert_engine.config import AlertConfig
from alert_engine.errors import AlertRefused, EngineError, InvalidInput, UnknownIncident
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts, ExclusionVerdict
from alert_engine.intake.deadletter import DeadLetters
from alert_engine.service import AedView
from alert_engine.state import IncidentState, apply

log = logging.getLogger("zesminuten.console.remote")

# The connection states the header shows (Dutch: verbonden, opnieuw verbinden, alleen-lezen).
CONNECTED = "connected"  # the stream is up and an active node answers: commands allowed
RECONNECTING = "reconnecting"  # the stream is down (or no node answers): retrying
READ_ONLY = "read_only"  # only a standby answers: queries work, commands would get 503

COMMAND_RETRY_S = 8.0  # how long one command is retried before the dispatcher is told
HEALTH_EVERY_S = 1.0  # the header must turn within a couple of seconds of a failure
STREAM_FIRST_S = 3.0  # start-up waits this long for the stream, so the header starts right
# The service sends a comment every 10 s: silence for 25 s means the connection is dead
# (a SIGKILLed server closes the socket at once; a pulled cable only shows like this).
STREAM_TIMEOUT = httpx.Timeout(connect=2.0, read=25.0, write=5.0, pool=5.0)
QUERY_TIMEOUT = httpx.Timeout(3.0, connect=1.0)
COMMAND_TIMEOUT = httpx.Timeout(5.0, connect=1.0)
HEALTH_TIMEOUT = httpx.Timeout(1.0)
BACKOFF_MAX_S = 5.0
IDLE_AFTER_S = 0.15  # a quick command returns before the window would have to repaint
AED_CACHE_S = 30.0  # AED statuses change slowly; the map and tables ask often
AED_RADIUS_MAX_M = 10_000  # the service's limit for /v1/aeds
GAP_RETRY_S = 1.0
LOCATION_FIELDS = ("location_precision", "location_uncertainty_m", "location_label")
AED_FIELDS = tuple(f.name for f in fields(AedView))
COMMAND_CLASSES = frozenset(COMMAND_TYPES.values())


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name pyside6-lupdate looks for
    """Marks a text for the console's translation file; `RemoteBackend.translate` translates it."""
    return text


CTX = "RemoteBackend"
TEXT_UNREACHABLE = QT_TRANSLATE_NOOP(
    "RemoteBackend", "Geen meldkamerservice bereikbaar op {0}. Controleer het netwerk en --service."
)
TEXT_NOT_CONFIRMED = QT_TRANSLATE_NOOP(
    "RemoteBackend", "Geen verbinding met de meldkamerservice: de opdracht is na {0} s opnieuw proberen niet "
    "bevestigd. Controleer de melding zodra de kop weer 'verbonden' toont, en geef de opdracht dan opnieuw."
)
TEXT_NO_CONNECTION = QT_TRANSLATE_NOOP("RemoteBackend", "Geen verbinding met de meldkamerservice.")
TEXT_TOKEN_REFUSED = QT_TRANSLATE_NOOP(
    "RemoteBackend", "De meldkamerservice weigert het token van deze werkplek (401). Controleer het "
    "tokenbestand (--token-file)."
)
TEXT_BUSY = QT_TRANSLATE_NOOP(
    "RemoteBackend", "De vorige opdracht wordt nog verstuurd; probeer het zo opnieuw."
)
TEXT_SERVICE_ERROR = QT_TRANSLATE_NOOP("RemoteBackend", "De meldkamerservice gaf een fout ({0}): {1}")


class ServiceUnavailable(EngineError):
    """No node of the service answered (in time)."""


class ServiceRefused(EngineError):
    """The service does not accept this workstation's token."""


class _Attempt:
    """What one POST to one node came to: an answer, or the reason to try again."""

    def __init__(self, response: httpx.Response | None = None, error: Exception | None = None) -> None:
        self.response = response
        self.error = error


class RemoteBackend:
    """The centre's shared service, as the console's backend (see the module docstring)."""

    def __init__(
        self,
        urls: Sequence[str],
        token: str,
        *,
        retry_s: float = COMMAND_RETRY_S,
        translate: Callable[[str], str] | None = None,
        start: bool = True,
    ) -> None:
        self.urls = [u.strip().rstrip("/") for u in urls if u.strip()]
        if not self.urls:
            raise InvalidInput("--service: no service URL given")
        self.retry_s = retry_s
        self.translate: Callable[[str], str] = translate or (lambda text: text)
        # Called while a slow command waits (the console: paint, run timers, no user input).
        self.idle: Callable[[], None] | None = None
        self.resumed: list[str] = []  # the service resumes its own alarms; nothing to say here
        # /v1/health of the node that answered first: "simulate" and "registry" (synthetic,
        # region, counts) when the service says them, for the header's DEMO badge.
        self.service_info: dict[str, Any] = {}
        self._headers = {"Authorization": f"Bearer {token}"}
        self._clock = SystemClock()
        self._listeners: list[Listener] = []
        # -- the fold: GUI thread only ----------------------------------------------------
        self._states: dict[str, IncidentState] = {}
        self._log: list[Event] = []
        self._by_incident: dict[str, list[Event]] = {}
        self._last_seq = 0
        self._pending: dict[int, Event] = {}
        self._gap_tried = float("-inf")
        self._blockers: dict[str, tuple[int, str | None]] = {}
        self._aeds: dict[tuple[float, float, int], tuple[float, list[AedView]]] = {}
        self._busy = False
        # -- shared with the threads (under _lock) -----------------------------------------
        self._lock = threading.Lock()
        self._inbox: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self._stream_up = False
        self._stream_url: str | None = None
        self._stream_seen = threading.Event()
        self._stream_response: httpx.Response | None = None
        self._roles: dict[str, str | None] = dict.fromkeys(self.urls)
        self._token_refused = False
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._client = httpx.Client(headers=self._headers, timeout=QUERY_TIMEOUT)
        # Commands run in a worker, so the GUI thread can keep painting while one waits.
        self._commands = httpx.Client(headers=self._headers, timeout=COMMAND_TIMEOUT)
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="zesminuten-command")
        try:
            self.config = self._bootstrap()
        except BaseException:
            self._close_clients()
            raise
        if start:
            self.start()

    # -- start and stop -----------------------------------------------------------------------
    def _bootstrap(self) -> AlertConfig:
        """The service's config and its whole log so far, from the first node that answers
        (standby nodes serve queries too). Retried for `retry_s`: a console started while
        the service restarts should wait for it, not fail at once."""
        deadline = time.monotonic() + self.retry_s
        while True:
            for url in self.urls:
                try:
                    config = self._checked(self._client.get(f"{url}/v1/config"))
                    events = self._checked(self._client.get(f"{url}/v1/events", params={"after": 0}))
                except (httpx.TransportError, ServiceUnavailable) as exc:
                    log.info("service %s not reachable yet: %s", url, type(exc).__name__)
                    continue
                self._offer(self._parse(events))
                self._take_run()
                self.service_info = self._health_of(url) or {}
                role = self.service_info.get("role")
                self._roles[url] = str(role) if role in ("active", "standby") else None
                log.info("connected to %s: %d events, up to seq %d", url, len(self._log), self._last_seq)
                return config_from_data(config)
            if time.monotonic() >= deadline:
                raise ServiceUnavailable(self.translate(TEXT_UNREACHABLE).format(", ".join(self.urls)))
            time.sleep(0.5)

    def start(self) -> None:
        """Start the stream and health threads; wait briefly for the stream, so the first
        header a dispatcher sees says how things are, not "reconnecting"."""
        cursor = self._last_seq
        for name, target in (("zesminuten-stream", lambda: self._stream_loop(cursor)),
                             ("zesminuten-health", self._health_loop)):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)
        self._stream_seen.wait(STREAM_FIRST_S)

    def close(self) -> None:
        """Stop the threads and close the connections (the service keeps running)."""
        self._stop.set()
        with self._lock:
            response = self._stream_response
        if response is not None:
            # Closing a socket does not wake a thread blocked reading it; shutting it down does.
            try:
                sock = response.extensions["network_stream"].get_extra_info("socket")
                if sock is not None:
                    sock.shutdown(socket.SHUT_RDWR)
            except (KeyError, AttributeError, OSError):
                log.debug("stream shutdown", exc_info=True)
        for thread in self._threads:
            thread.join(timeout=2.0)
        self._close_clients()

    def _close_clients(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
        self._client.close()
        self._commands.close()

    # -- connection state ---------------------------------------------------------------------
    @property
    def connection(self) -> str:
        """CONNECTED, RECONNECTING or READ_ONLY (see the constants)."""
        with self._lock:
            up, roles = self._stream_up, list(self._roles.values())
        if not up:
            return RECONNECTING
        if "active" in roles:
            return CONNECTED
        if "standby" in roles:
            return READ_ONLY
        return RECONNECTING

    @property
    def writable(self) -> bool:
        return self.connection == CONNECTED

    @property
    def token_refused(self) -> bool:
        """The service answered 401: retrying will not help until the token is fixed."""
        with self._lock:
            return self._token_refused

    def describe(self) -> str:
        """Where the console is connected, for the header's tooltip (no token)."""
        with self._lock:
            roles = dict(self._roles)
            streaming = self._stream_url
        parts = [self.translate(TEXT_TOKEN_REFUSED)] if self.token_refused else []
        for url in self.urls:
            role = roles.get(url) or "—"
            parts.append(f"{url}: {role}{' (stream)' if url == streaming else ''}")
        return "\n".join(parts)

    def _ordered_urls(self) -> list[str]:
        """The active node first, then the others in the given order."""
        with self._lock:
            roles = dict(self._roles)
        return sorted(self.urls, key=lambda u: {"active": 0, None: 1, "standby": 2}.get(roles.get(u), 1))

    def _health_of(self, url: str, client: httpx.Client | None = None) -> dict[str, Any] | None:
        try:
            r = (client or self._client).get(f"{url}/v1/health", timeout=HEALTH_TIMEOUT)
            data = r.json() if r.status_code == 200 else None
        except (httpx.HTTPError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _role_of(self, url: str, client: httpx.Client | None = None) -> str | None:
        role = (self._health_of(url, client) or {}).get("role")
        return str(role) if role in ("active", "standby") else None

    def _health_loop(self) -> None:
        with httpx.Client(timeout=HEALTH_TIMEOUT) as client:
            while not self._stop.is_set():
                roles = {url: self._role_of(url, client) for url in self.urls}
                with self._lock:
                    self._roles = roles
                self._stop.wait(HEALTH_EVERY_S)

    # -- the stream thread --------------------------------------------------------------------
    def _stream_loop(self, cursor: int) -> None:
        from httpx_sse import SSEError, connect_sse

        retry_s = 1.0  # until the server says otherwise (`retry:`)
        failures = 0
        with httpx.Client(headers=self._headers, timeout=STREAM_TIMEOUT) as client:
            while not self._stop.is_set():
                for url in self._ordered_urls():
                    if self._stop.is_set():
                        return
                    try:
                        # Last-Event-ID: the service first sends everything after it, then the live ones.
                        with connect_sse(client, "GET", f"{url}/v1/stream",
                                         headers={"Last-Event-ID": str(cursor)}) as source:
                            response = source.response
                            if response.status_code == 401:
                                with self._lock:
                                    self._token_refused = True
                                log.error("service %s refused the token (401) on the stream", url)
                                continue
                            if response.status_code != 200:
                                log.warning("stream %s: HTTP %d", url, response.status_code)
                                continue
                            with self._lock:
                                self._stream_up, self._stream_url = True, url
                                self._stream_response = response
                                self._token_refused = False
                            self._stream_seen.set()
                            failures = 0
                            log.info("stream from %s after seq %d", url, cursor)
                            for sse in source.iter_sse():
                                if sse.retry is not None:
                                    retry_s = max(0.1, sse.retry / 1000)
                                if not sse.data:
                                    continue
                                for event in self._parse([sse.data]):
                                    if event.seq > cursor:
                                        cursor = event.seq
                                        self._inbox.put(event)
                    except (httpx.HTTPError, SSEError, OSError, RuntimeError) as exc:
                        if not self._stop.is_set():
                            log.warning("stream %s lost: %s", url, type(exc).__name__)
                    finally:
                        with self._lock:
                            self._stream_up, self._stream_url, self._stream_response = False, None, None
                # Every node tried: wait, at least as long as the server's retry: asks.
                failures += 1
                delay = max(retry_s, min(BACKOFF_MAX_S, 0.25 * 2**failures)) * random.uniform(1.0, 1.25)
                self._stop.wait(delay)

    # -- the fold (GUI thread) ---------------------------------------------------------------
    @staticmethod
    def _parse(raw: Sequence[Any]) -> list[Event]:
        out = []
        for item in raw:
            try:
                out.append(Event.from_json(item) if isinstance(item, str) else Event.from_dict(item))
            except (EngineError, ValueError, TypeError) as exc:
                # An event this console cannot read (a newer service?): logged, never a crash.
                log.error("unreadable event from the service: %s", exc)
        return out

    def _offer(self, events: Sequence[Event]) -> None:
        for e in events:
            if e.seq > self._last_seq:
                self._pending[e.seq] = e

    def _drain(self) -> None:
        while True:
            try:
                self._offer([self._inbox.get_nowait()])
            except queue.Empty:
                return

    def _take_run(self) -> list[Event]:
        """Fold every pending event that follows the last folded one, in seq order."""
        run: list[Event] = []
        while (e := self._pending.pop(self._last_seq + 1, None)) is not None:
            self._fold(e)
            run.append(e)
        return run

    def _fold(self, e: Event) -> None:
        state = self._states.get(e.incident) or IncidentState.empty(e.incident)
        try:
            self._states[e.incident] = apply(state, e)
        except EngineError as exc:
            log.error("cannot fold event %d: %s", e.seq, exc)
        self._log.append(e)
        self._by_incident.setdefault(e.incident, []).append(e)
        self._last_seq = e.seq
        if e.type.startswith("aed_"):
            self._aeds.clear()  # an AED's status may have changed (check requested, confirmed)

    def _fill_gap(self) -> None:
        """Events are waiting after a missing seq: ask the service for what is after the
        last folded one (at most once a second while it does not answer)."""
        now = time.monotonic()
        if now - self._gap_tried < GAP_RETRY_S:
            return
        self._gap_tried = now
        try:
            raw = self._query("GET", "/v1/events", params={"after": self._last_seq})
        except EngineError as exc:
            log.warning("cannot fill the gap after seq %d yet: %s", self._last_seq, exc)
            return
        fetched = self._parse(raw)
        if fetched and fetched[0].seq > self._last_seq + 1:
            # The service's own log has no such seq (or the console cannot read it): go on
            # from what it has rather than wait forever.
            log.error("service log skips from seq %d to %d", self._last_seq, fetched[0].seq)
            self._last_seq = fetched[0].seq - 1
        self._gap_tried = float("-inf")
        self._offer(fetched)

    def _deliver(self) -> list[Event]:
        """Fold what has arrived, with no gap, and hand it to the listeners in one batch."""
        self._drain()
        run = self._take_run()
        if self._pending:
            self._fill_gap()
            run += self._take_run()
        for old in [s for s in self._pending if s <= self._last_seq]:
            del self._pending[old]
        if run:
            failure: Exception | None = None
            for listener in list(self._listeners):
                try:
                    listener(run)
                except Exception as exc:  # every listener gets the batch; the first error is raised after
                    failure = failure or exc
            if failure is not None:
                raise failure
        return run

    # -- EventStream ----------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def pump(self) -> None:
        """Hand the events that arrived to the listeners, in seq order (the console calls
        this from its pump timer in the GUI thread)."""
        self._deliver()

    # -- IncidentQueries -----------------------------------------------------------------------
    def now(self) -> datetime:
        return self._clock.now()

    @property
    def last_seq(self) -> int:
        return self._last_seq

    def incidents(self) -> list[IncidentState]:
        return list(self._states.values())

    def state(self, incident: str) -> IncidentState:
        try:
            return self._states[incident]
        except KeyError:
            raise UnknownIncident(f"unknown incident {incident}") from None

    def events(self, incident: str | None = None) -> list[Event]:
        return list(self._log if incident is None else self._by_incident.get(incident, ()))

    def preview(self, facts: CallFacts) -> ExclusionVerdict:
        return verdict_from_data(self._query("POST", "/v1/preview", json=asdict(facts)))

    def alert_blocker(self, incident: str) -> str | None:
        """The service's answer, remembered per incident until its next event (the blocker
        is a function of the incident's events): the action panel asks on every redraw."""
        state = self._states.get(incident)
        seq = state.last_seq if state is not None else -1
        cached = self._blockers.get(incident)
        if cached is not None and cached[0] == seq:
            return cached[1]
        try:
            data = self._query("GET", f"/v1/alert-blocker/{quote(incident, safe='')}")
        except ServiceUnavailable:
            if cached is not None:
                return cached[1]  # commands are off while disconnected: the last answer will do
            raise
        blocker = data.get("blocker")
        self._blockers[incident] = (seq, None if blocker is None else str(blocker))
        return self._blockers[incident][1]

    def aed_checks(self) -> list[AwaitingAed]:
        """The service's list of AEDs awaiting their manager's check (GET /v1/aed-checks)."""
        return [AwaitingAed.from_dict(d) for d in self._query("GET", "/v1/aed-checks")]

    def aftercare_summary(self, incident: str) -> Summary | None:
        """The incident's aftercare counts (GET /v1/aftercare/summary; the service notes the
        read in its access log, reason "nazorg")."""
        return Summary.from_dict(self._query("GET", "/v1/aftercare/summary", params={"incident": incident}))

    def aeds_near(self, lat: float, lon: float, radius_m: float) -> list[AedView]:
        """AEDs around a point. A failure gives the last answer (or none) and a log line:
        AEDs on the map are an aid, and an error here must not stop a redraw."""
        key = (round(lat, 5), round(lon, 5), round(min(radius_m, AED_RADIUS_MAX_M)))
        hit = self._aeds.get(key)
        if hit is not None and time.monotonic() - hit[0] < AED_CACHE_S:
            return list(hit[1])
        try:
            raw = self._query("GET", "/v1/aeds", params={"lat": lat, "lon": lon, "radius_m": key[2]})
            views = [AedView(**{k: item[k] for k in AED_FIELDS}) for item in raw]
        except (EngineError, KeyError, TypeError) as exc:
            log.warning("AEDs near %.5f,%.5f not available: %s", lat, lon, exc)
            return list(hit[1]) if hit is not None else []
        self._aeds[key] = (time.monotonic(), views)
        return list(views)

    def intake_dead_letters(self) -> DeadLetters:
        """The service's refused intake messages (issue 13), newest first on the wire."""
        return DeadLetters.from_dict(self._query("GET", "/v1/intake/dead-letters"))

    # -- IncidentCommands ----------------------------------------------------------------------
    def new_call(self, facts: CallFacts, address: str = "", *, location: Mapping[str, Any] | None = None,
                 call_started: datetime | None = None, incident: str | None = None) -> str:
        body: dict[str, Any] = asdict(facts)
        if address:
            body["address"] = address
        body.update({k: v for k, v in (location or {}).items() if k in LOCATION_FIELDS and v is not None})
        if call_started is not None and call_started < self.now():
            body["call_started_at"] = call_started.isoformat(timespec="seconds")
        if incident:
            body["incident"] = incident
        answer = self._command("/v1/calls", body)
        self._accept(answer.get("events", []))
        return str(answer["incident"])

    def execute(self, command: Command) -> list[Event]:
        if type(command) not in COMMAND_CLASSES:
            raise InvalidInput(f"not a dispatcher command: {command!r}")
        answer = self._command(f"/v1/incidents/{quote(command.incident, safe='')}/do", entry_of(command))
        return self._accept(answer.get("events", []))

    # -- complaints (issue 15): the fold has them; steps go to /v1/complaints -----------------
    def complaints(self) -> list[Complaint]:
        return sorted((c for st in self._states.values() for c in st.complaints.values()),
                      key=lambda c: (c.registered_at, c.id))

    def handle_complaint(self, command: Command) -> list[Event]:
        """The service names who did it (the token) and writes the access-log entries."""
        if isinstance(command, RegisterComplaint):
            received = command.received.isoformat() if command.received else None
            answer = self._command("/v1/complaints", {
                "incident": command.incident, "complainant": command.complainant, "contact": command.contact,
                "summary": command.summary, "received": received})
        elif isinstance(command, ChangeComplaintStatus):
            answer = self._command(f"/v1/complaints/{quote(command.complaint, safe='')}/status",
                                   {"status": command.status, "note": command.note})
        elif isinstance(command, LinkComplaintReport):
            answer = self._command(f"/v1/complaints/{quote(command.complaint, safe='')}/report",
                                   {"report": command.report, "sha256": command.sha256, "format": command.format})
        else:
            raise InvalidInput(f"not a complaint command: {command!r}")
        return self._accept(answer.get("events", []))

    def _accept(self, raw: Sequence[Any]) -> list[Event]:
        """A command's answer: its events are folded now (unless the stream was first), and
        the listeners hear of them before the command returns, as with the embedded engine."""
        events = self._parse(raw)
        self._offer(events)
        self._deliver()
        return events

    # -- HTTP ------------------------------------------------------------------------------------
    def _checked(self, r: httpx.Response) -> Any:
        """The answer's JSON, or the error the dispatcher should read."""
        if r.status_code in (200, 201):
            return r.json()
        raise self._refusal(r)

    def _refusal(self, r: httpx.Response) -> EngineError:
        try:
            body = r.json()
            message = str(body.get("error") or r.reason_phrase)
        except (ValueError, AttributeError):
            message = r.reason_phrase
        code = r.status_code
        if code == 401:
            with self._lock:
                self._token_refused = True
            return ServiceRefused(self.translate(TEXT_TOKEN_REFUSED))
        if code == 404:
            return UnknownIncident(message)
        if code == 409:
            return AlertRefused(message)
        if code in (400, 422):
            return InvalidInput(message)
        if code == 503:
            return ServiceUnavailable(self.translate(TEXT_NO_CONNECTION))
        return EngineError(self.translate(TEXT_SERVICE_ERROR).format(code, message))

    def _query(self, method: str, path: str, **kwargs: Any) -> Any:
        """One read, tried once on each node (active first): queries are safe to repeat,
        and a redraw must not wait long for one."""
        for url in self._ordered_urls():
            try:
                r = self._client.request(method, f"{url}{path}", **kwargs)
            except httpx.TransportError as exc:
                log.debug("%s %s on %s: %s", method, path, url, type(exc).__name__)
                continue
            if r.status_code == 503:
                continue
            return self._checked(r)
        raise ServiceUnavailable(self.translate(TEXT_NO_CONNECTION))

    def _command(self, path: str, body: Mapping[str, Any]) -> Any:
        """POST a command until a node answers it, with one Idempotency-Key for all tries:
        a retry after a lost answer returns the first answer and writes nothing new."""
        if self._busy:
            # Only while a slow command waits and a timer asks for another one.
            raise EngineError(self.translate(TEXT_BUSY))
        self._busy = True
        try:
            key = uuid.uuid4().hex
            deadline = time.monotonic() + self.retry_s
            rounds = 0
            while True:
                # A lost answer is retried at once; a node that stays away less and less often.
                pause = min(1.0, 0.1 * 2**rounds)
                rounds += 1
                for url in self._ordered_urls():
                    attempt = self._wait(self._worker.submit(self._post_once, url, path, body, key))
                    r = attempt.response
                    if r is not None and r.status_code in (200, 201):
                        return r.json()
                    if r is not None and r.status_code == 503:
                        # A standby, or the active node without its database: another node may do.
                        pause = max(pause, _retry_after(r))
                    elif r is not None:
                        raise self._refusal(r)
                    else:
                        log.info("command %s on %s: %s; retrying", path, url, type(attempt.error).__name__)
                    if time.monotonic() >= deadline:
                        break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ServiceUnavailable(self.translate(TEXT_NOT_CONFIRMED).format(round(self.retry_s)))
                self._sleep(min(pause, left))
        finally:
            self._busy = False

    def _post_once(self, url: str, path: str, body: Mapping[str, Any], key: str) -> _Attempt:
        try:
            return _Attempt(self._commands.post(f"{url}{path}", json=body, headers={"Idempotency-Key": key}))
        except httpx.TransportError as exc:
            return _Attempt(error=exc)

    def _wait(self, future: Future[_Attempt]) -> _Attempt:
        started = time.monotonic()
        while True:
            try:
                return future.result(timeout=0.03 if self.idle is not None else None)
            except TimeoutError:
                if self.idle is not None and time.monotonic() - started > IDLE_AFTER_S:
                    self.idle()

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.03))
            if self.idle is not None:
                self.idle()


def _retry_after(r: httpx.Response) -> float:
    try:
        return min(2.0, max(0.1, float(r.headers.get("Retry-After", "1"))))
    except ValueError:
        return 1.0


def read_token(path: Any) -> str:
    """The workstation's token from `--token-file`: the raw token on one line, or a
    tokens JSON (as `serve --tokens` reads) with exactly one entry. The token itself never
    appears in a message or a log line."""
    import json
    import os
    import stat
    from pathlib import Path

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise InvalidInput(f"--token-file {p}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"--token-file {p}: cannot read ({type(exc).__name__})") from None
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"--token-file {p}: not JSON (line {exc.lineno})") from None
        items = data.get("tokens") if isinstance(data, dict) else None
        if isinstance(data, dict) and "token" in data and items is None:
            items = [data]
        if not isinstance(items, list) or len(items) != 1 or not isinstance(items[0], dict):
            raise InvalidInput(f"--token-file {p}: expected one entry in \"tokens\" (this workstation's)")
        token = items[0].get("token")
        if not isinstance(token, str):
            raise InvalidInput(f"--token-file {p}: the entry has no \"token\"")
        text = token.strip()
    if not text or any(c.isspace() for c in text):
        raise InvalidInput(f"--token-file {p}: expected the token on one line, or a tokens JSON file")
    try:
        if os.name == "posix" and stat.S_IMODE(p.stat().st_mode) & 0o077:
            log.warning("token file %s is readable by other users; chmod 600 it", p)
    except OSError:
        pass
    return text
