"""The console's remote backend against a real `zesminuten-engine serve` (issue 11, part 4).

No Qt: `RemoteBackend` is driven the way the console's pump timer drives it. One serve
process per module (SQLite store, demo registry, no motorways); the tests that kill it
start it again on the same store and port before they end.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from alert_engine.api.commands import Annotate, DispatchAmbulance, TriggerAlert, UpdateCall
from alert_engine.events import Event
from alert_engine.exclusion import CallFacts
from alert_engine.state import fold
from console.remote import (
    CONNECTED,
    READ_ONLY,
    RECONNECTING,
    RemoteBackend,
    ServiceRefused,
    ServiceUnavailable,
    read_token,
)
from tests.alert_engine.centre.serving import GATEWAY, WS1, WS2, Serve, free_port

pytestmark = pytest.mark.timeout(120)

ZOETERMEER = CallFacts(lat=52.0601, lon=4.4932, patient_age_years=67, location_kind="woning")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("remote-backend")
    node = Serve(folder, str(folder / "events.sqlite"), name="node-a").start()
    yield node
    node.kill()


@pytest.fixture
def backends() -> Iterator[Callable[..., RemoteBackend]]:
    made: list[RemoteBackend] = []

    def make(*urls: str, token: str = WS1, **options: Any) -> RemoteBackend:
        backend = RemoteBackend(list(urls), token, **options)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


def pump_until(backend: RemoteBackend, done: Callable[[], bool], timeout: float = 15.0) -> None:
    """What the console's pump timer does, until `done()` (or fail)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        backend.pump()
        if done():
            return
        time.sleep(0.05)
    raise AssertionError(f"not reached in {timeout} s (connection {backend.connection}, seq {backend.last_seq})")


def service_log(node: Serve) -> list[dict[str, Any]]:
    r = node.get("/v1/events", after=0)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def caught_up(backend: RemoteBackend, node: Serve) -> Callable[[], bool]:
    return lambda: backend.last_seq == node.health()["last_seq"]  # type: ignore[index]


def respond(node: Serve, incident: str, responder: str, answer: str = "accept") -> None:
    """A responder's answer through the gateway: another client than the console."""
    r = node.post(f"/v1/incidents/{incident}/do", {"do": "respond", "responder": responder, "answer": answer},
                  token=GATEWAY)
    assert r.status_code == 200, r.text


def assert_gap_free(events: list[Event]) -> None:
    seqs = [e.seq for e in events]
    assert seqs == list(range(1, len(seqs) + 1)), seqs


# -- the fold ---------------------------------------------------------------------------------
def test_the_backends_fold_is_the_services_log(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    backend = backends(service.url)
    assert backend.connection == CONNECTED
    batches: list[list[int]] = []
    backend.subscribe(lambda events: batches.append([e.seq for e in events]))

    incident = backend.new_call(ZOETERMEER, "Stadhuisplein 1, Zoetermeer",
                                location={"location_precision": "address", "location_uncertainty_m": 5})
    # The command's own events are folded before it returns (as the embedded engine does).
    assert backend.state(incident).phase == "new"
    assert backend.alert_blocker(incident) == "no_ambulance"
    backend.execute(DispatchAmbulance(incident, "15-101"))
    assert backend.alert_blocker(incident) is None
    sent = backend.execute(TriggerAlert(incident))
    assert [e.type for e in sent] == ["alert_sent"]
    backend.execute(UpdateCall(incident, {"patient_age_years": 68.0}))
    backend.execute(Annotate(incident, "ignored: the token's user writes", "reanimatie gestart", backend.now()))
    responders = list(backend.state(incident).responders)
    for rid in responders[:3]:
        respond(service, incident, rid)
    respond(service, incident, responders[3], "decline")

    pump_until(backend, caught_up(backend, service))
    log = service_log(service)
    assert [e.to_dict() for e in backend.events()] == log
    assert_gap_free(backend.events())
    state = backend.state(incident)
    assert state == fold([Event.from_dict(e) for e in log], incident)
    assert state.count("accepted") == 3 and state.facts["patient_age_years"] == 68.0
    assert backend.events(incident)[-1].incident == incident
    listed = {i["incident"]: (i["phase"], i["last_seq"]) for i in service.get("/v1/incidents").json()}
    assert listed == {s.id: (s.phase, s.last_seq) for s in backend.incidents()}
    # Every event reached the listeners exactly once, in order.
    heard = [seq for batch in batches for seq in batch]
    assert heard == sorted(set(heard)) and heard[-1] == backend.last_seq

    # The queries the console makes besides the fold come back as the same value types.
    assert backend.preview(ZOETERMEER).excluded is False
    aeds = backend.aeds_near(ZOETERMEER.lat, ZOETERMEER.lon, 500)
    assert aeds and all(a.distance_m <= 500 for a in aeds)
    assert aeds == sorted(aeds, key=lambda a: a.distance_m)
    assert backend.config.target_responders == 5


def test_a_second_console_starts_with_the_whole_log(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    first = backends(service.url)
    incident = first.new_call(ZOETERMEER)
    # The other workstation sees the incident in its fold, without a command of its own.
    second = backends(service.url, token=WS2)
    pump_until(second, lambda: incident in {s.id for s in second.incidents()})
    assert second.state(incident) == first.state(incident)
    assert [e.seq for e in second.events()] == [e.seq for e in first.events()]


def test_a_gap_in_what_arrives_is_filled_from_the_log(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    backend = backends(service.url, start=False)  # no stream: this test hands events in itself
    writer = backends(service.url, token=WS2)
    before = backend.last_seq
    incident = writer.new_call(ZOETERMEER)
    writer.execute(DispatchAmbulance(incident, "15-102"))
    newest = Event.from_dict(service_log(service)[-1])
    assert newest.seq > before + 1
    heard: list[int] = []
    backend.subscribe(lambda events: heard.extend(e.seq for e in events))
    backend._inbox.put(newest)  # as if the stream had skipped what came before it
    backend._inbox.put(newest)  # and then sent it twice
    backend.pump()
    assert heard == list(range(before + 1, newest.seq + 1))
    assert backend.state(incident) == writer.state(incident)


def test_a_node_that_does_not_answer_is_skipped(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    backend = backends(dead, service.url)
    incident = backend.new_call(ZOETERMEER)
    assert backend.connection == CONNECTED
    assert backend.state(incident).phase == "new"
    assert f"{dead}: —" in backend.describe() and f"{service.url}: active (stream)" in backend.describe()


# -- connection state -------------------------------------------------------------------------
def test_the_connection_state_follows_the_stream_and_the_roles(
    service: Serve, backends: Callable[..., RemoteBackend]
) -> None:
    backend = backends(service.url, start=False)  # no threads: the test sets what they would
    assert backend.connection == RECONNECTING  # no stream yet
    backend._stream_up = True
    backend._roles = {service.url: "standby"}
    assert backend.connection == READ_ONLY and not backend.writable
    backend._roles = {service.url: "active"}
    assert backend.connection == CONNECTED and backend.writable
    backend._roles = {service.url: None}
    assert backend.connection == RECONNECTING


# -- the service goes away and comes back -------------------------------------------------------
def test_a_command_retried_across_a_restart_lands_once(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    backend = backends(service.url, retry_s=1.0)
    incident = backend.new_call(ZOETERMEER)
    service.kill()
    try:
        pump_until(backend, lambda: backend.connection == RECONNECTING, timeout=5)
        started = time.monotonic()
        with pytest.raises(ServiceUnavailable, match="opdracht is na 1 s opnieuw proberen niet bevestigd"):
            backend.execute(DispatchAmbulance(incident, "15-101"))
        assert time.monotonic() - started < 3.5

        # Now with the console's real patience: the service is back before it runs out.
        backend.retry_s = 20.0
        restart = threading.Timer(0.5, service.start)
        restart.start()
        events = backend.execute(DispatchAmbulance(incident, "15-103"))
        restart.join()
    finally:
        if service.health() is None:
            service.start()
    assert [e.type for e in events] == ["ambulance_dispatched"]
    pump_until(backend, lambda: backend.connection == CONNECTED and caught_up(backend, service)())
    dispatched = [e for e in service_log(service) if e["incident"] == incident and e["type"] == "ambulance_dispatched"]
    assert [e["unit"] for e in dispatched] == ["15-103"]  # the failed one never landed, the retried one once
    assert backend.state(incident).ambulance_units == ("15-103",)
    assert_gap_free(backend.events())


def test_a_lost_answer_is_retried_with_the_same_key(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    proxy = DropOneAnswer(service.port)
    try:
        backend = backends(proxy.url)
        incident = backend.new_call(ZOETERMEER)
        proxy.armed.set()
        events = backend.execute(DispatchAmbulance(incident, "15-104"))
        assert proxy.dropped.is_set()  # the service did it; the console never heard the first answer
        assert [e.type for e in events] == ["ambulance_dispatched"]
        pump_until(backend, caught_up(backend, service))
    finally:
        proxy.close()
    dispatched = [e for e in service_log(service) if e["incident"] == incident and e["type"] == "ambulance_dispatched"]
    assert len(dispatched) == 1 and dispatched[0]["seq"] == events[0].seq
    assert [e.to_dict() for e in backend.events()] == service_log(service)


def test_the_stream_resumes_after_a_restart_without_gap_or_duplicate(
    service: Serve, backends: Callable[..., RemoteBackend]
) -> None:
    backend = backends(service.url)
    writer = backends(service.url, token=WS2)
    incident = writer.new_call(ZOETERMEER)
    writer.execute(DispatchAmbulance(incident, "15-105"))
    writer.execute(TriggerAlert(incident))
    pump_until(backend, caught_up(backend, service))
    heard: list[int] = []
    backend.subscribe(lambda events: heard.extend(e.seq for e in events))
    seen = backend.last_seq

    service.kill()
    try:
        pump_until(backend, lambda: backend.connection == RECONNECTING, timeout=5)
        service.start()
    finally:
        if service.health() is None:
            service.start()
    # One written while this console (most likely) still waits to reconnect, one live after.
    responders = list(writer.state(incident).responders)
    respond(service, incident, responders[0])
    pump_until(backend, lambda: backend.connection == CONNECTED)
    respond(service, incident, responders[1])
    pump_until(backend, caught_up(backend, service))
    assert heard == list(range(seen + 1, backend.last_seq + 1))
    assert_gap_free(backend.events())
    assert [e.to_dict() for e in backend.events()] == service_log(service)
    assert backend.state(incident).count("accepted") == 2


# -- refusals ---------------------------------------------------------------------------------
def test_a_wrong_token_is_a_clear_error(service: Serve) -> None:
    started = time.monotonic()
    with pytest.raises(ServiceRefused, match=r"weigert het token van deze werkplek \(401\)"):
        RemoteBackend([service.url], "not-the-right-token-at-all")
    assert time.monotonic() - started < 2.0  # no retrying: a wrong token stays wrong


def test_a_refused_command_keeps_the_services_words(service: Serve, backends: Callable[..., RemoteBackend]) -> None:
    backend = backends(service.url)
    from alert_engine.errors import UnknownIncident

    with pytest.raises(UnknownIncident):
        backend.execute(DispatchAmbulance("20991231-999", "15-101"))
    with pytest.raises(UnknownIncident):
        backend.state("20991231-999")


# -- the token file ---------------------------------------------------------------------------
SECRET = "s3cret-token-for-ws-1"


@pytest.mark.parametrize("content", [
    f"{SECRET}\n",
    f'{{"tokens": [{{"token": "{SECRET}", "workstation": "ws-1", "user": "A. Jansen"}}]}}',
    f'{{"token": "{SECRET}"}}',
])
def test_the_token_file_holds_the_token_or_one_entry(tmp_path: Path, content: str) -> None:
    path = tmp_path / "token"
    path.write_text(content)
    path.chmod(0o600)
    assert read_token(path) == SECRET


@pytest.mark.parametrize("content", [
    "",
    f"{SECRET} {SECRET}",
    f'{{"tokens": [{{"token": "{SECRET}"}}, {{"token": "{SECRET}2"}}]}}',
    '{"tokens": [',
])
def test_a_bad_token_file_is_named_and_the_token_never_shown(tmp_path: Path, content: str) -> None:
    from alert_engine.errors import InvalidInput

    path = tmp_path / "token"
    path.write_text(content)
    with pytest.raises(InvalidInput) as caught:
        read_token(path)
    assert str(path) in str(caught.value) and SECRET not in str(caught.value)
    with pytest.raises(InvalidInput, match="no such file"):
        read_token(tmp_path / "missing")


# -- a proxy that loses one answer --------------------------------------------------------------
class DropOneAnswer:
    """A TCP proxy in front of the service: forwards everything, except that once armed
    it lets the next command POST through and swallows the service's answer (the command
    is done, the client never hears of it), as a failover between answer and client would."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.server = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.server.getsockname()[1]}"
        self.armed = threading.Event()
        self.dropped = threading.Event()
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            self._sockets += [client, upstream]
            pair = {"drop": False}
            threading.Thread(target=self._pipe, args=(client, upstream, pair, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, pair, False), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket, pair: dict[str, bool], outgoing: bool) -> None:
        try:
            while data := src.recv(65536):
                if outgoing and self.armed.is_set() and data.startswith(b"POST /v1/incidents/"):
                    self.armed.clear()
                    pair["drop"] = True
                if not outgoing and pair["drop"]:
                    self.dropped.set()
                    break  # the answer goes nowhere; both sockets close below
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def close(self) -> None:
        self.server.close()
        for s in self._sockets:
            with contextlib.suppress(OSError):
                s.close()


def test_the_proxy_itself_forwards(service: Serve) -> None:
    """Sanity of the test tool: an unarmed proxy answers like the service."""
    proxy = DropOneAnswer(service.port)
    try:
        r = httpx.get(f"{proxy.url}/v1/health", timeout=5)
        assert r.status_code == 200 and r.json()["role"] == "active"
    finally:
        proxy.close()
