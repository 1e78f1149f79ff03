"""The centre service's HTTP API (shared/contracts/service-api.md), on FastAPI.

Every endpoint but /v1/health needs a workstation's bearer token; without one the answer
is 401 and nothing is changed or revealed. Commands run in a worker thread under the
node's engine lock; an `Idempotency-Key` makes a retry return the first answer. Errors
are JSON `{"error", "field"}` naming what is wrong, never a traceback; a standby answers
commands with 503 and `Retry-After`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import Body, Depends, FastAPI, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import AlertRefused, EngineError, IllegalTransition, InvalidInput, UnknownIncident
from ..eventlog.jsonl import build_export, records_from_store
from ..eventlog.keys import load_chain_key
from ..events import Event
from ..exclusion import CallFacts, verdict_data
from ..intake.deadletter import DeadLetter
from ..intake.fields import IntakeInvalid
from ..intake.message import Source
from ..testalarm.plan import exercise_id, municipalities
from ..testalarm.summary import summarise
from . import bodies, channel_bodies
from .aed_check_routes import aed_check_router
from .aftercare_routes import aftercare_router
from .complaint_routes import complaint_router
from .dead_letter_store import DeadLetterStore
from .node import CentreNode, NotActive, request_fingerprint
from .pg_store import LeaseLost, StoreUnavailable
from .responder_app import mount_web, responder_router
from .self_service_routes import self_service_router
from .tokens import Caller, TokenBook

log = logging.getLogger("zesminuten.centre.http")
KEEPALIVE_S = 10.0  # the contract asks for a comment line at least every 15 s


class Unauthorized(Exception):
    pass


class Forbidden(Exception):
    pass


def _events(events: list[Event]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in events]


def _error(status: int, message: str, field: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status, headers=headers)


def _field_of(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    # A tagged union reports the tag as a path step ("respond.answer"): drop it.
    if len(parts) > 1 and parts[0] in bodies.DO_WORDS | {"confirm_aed_ready": ""}:
        parts = parts[1:]
    return ".".join(parts) or "body"


class RequestLog:
    """One log line per request: method, route template, status, milliseconds; never a body,
    a query string or a name. A plain ASGI middleware (BaseHTTPMiddleware costs a task and
    a copy of every response per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = [0]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
                route = scope.get("route")
                log.info("%s %s %s %.1fms", scope["method"], getattr(route, "path", "?"), status[0],
                         1000 * (time.perf_counter() - start))
            await send(message)

        await self.app(scope, receive, sending)


def caller(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    token = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    found = request.app.state.tokens.caller(token)
    if found is None:
        raise Unauthorized
    return found  # type: ignore[no-any-return]


# Module level, so FastAPI can resolve them from the (postponed) annotations.
Who = Annotated[Caller, Depends(caller)]
Key = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def _offline_docs(app: FastAPI) -> None:
    """/docs with Swagger UI from the fastapi-offline package: a centre's network has no CDN."""
    from pathlib import Path

    import fastapi_offline
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.staticfiles import StaticFiles

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="Zesminuten centre service",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon.png")


def create_app(node: CentreNode, tokens: TokenBook) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        node.attach(asyncio.get_running_loop())
        node.start()
        try:
            yield
        finally:
            await run_in_threadpool(node.stop)

    app = FastAPI(title="Zesminuten centre service", version="1",
                  description="The alert engine shared by the workstations of one dispatch centre. "
                              "Contract: shared/contracts/service-api.md.", lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    _offline_docs(app)

    app.state.tokens = tokens

    # -- plumbing: errors, request log ---------------------------------------------------
    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
        return _error(401, "missing or unknown bearer token", "Authorization", {"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> JSONResponse:
        return _error(403, str(exc), "Authorization")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid request"}
        loc = tuple(first.get("loc", ("body",)))
        status = 400 if first.get("type") == "json_invalid" else 422
        field = "do" if str(first.get("type", "")).startswith("union_tag") else _field_of(loc)
        msg = str(first.get("msg", "invalid"))
        return _error(status, f"{field}: {msg}", field)

    @app.exception_handler(EngineError)
    async def engine_error(request: Request, exc: EngineError) -> JSONResponse:
        if isinstance(exc, UnknownIncident):
            return _error(404, str(exc), "incident")
        if isinstance(exc, NotActive | LeaseLost):
            return _error(503, f"{exc}; send commands to the active node", headers={"Retry-After": "1"})
        if isinstance(exc, StoreUnavailable):
            return _error(503, str(exc), headers={"Retry-After": "2"})
        if isinstance(exc, InvalidInput):
            text = str(exc)
            field = text.split(":", 1)[0] if ":" in text and " " not in text.split(":", 1)[0] else None
            return _error(400, text, field)
        if isinstance(exc, AlertRefused | IllegalTransition):
            return _error(409, str(exc))
        log.error("%s %s: %s", request.method, request.url.path, exc)
        return _error(500, str(exc))

    app.add_middleware(RequestLog)

    async def command(who: Caller, key: str | None, method: str, path: str, body: Any,
                      work: Callable[[], Any], replay: Callable[[list[Event]], Any]) -> Any:
        if who.role == "dispatch_adapter" and not path.startswith("/v1/intake/"):
            raise Forbidden("the dispatch system's adapter only posts intake messages")
        fingerprint = request_fingerprint(method, path, body)
        answer, _ = await run_in_threadpool(node.run, who, key, fingerprint, work, replay)
        return answer

    # -- the contract's endpoints --------------------------------------------------------
    @app.get("/v1/health", summary="role of this node and the last seq it has")
    async def health() -> dict[str, Any]:
        return {"status": "ok", "role": node.role, "last_seq": node.last_seq, "node": node.node_id,
                "simulate": node.service.sim is not None, "registry": node.registry_info}

    @app.get("/v1/whoami", summary="the workstation and person this token stands for")
    async def whoami(who: Who) -> dict[str, str]:
        return {"workstation": who.workstation, "user": who.user, "role": who.role}

    @app.post("/v1/calls", status_code=201, summary="a new 112 call (contract: a `call` entry)")
    async def new_call(entry: Annotated[bodies.CallEntry, Body()], who: Who, key: Key = None) -> dict[str, Any]:
        data = entry.model_dump(exclude={"do"}, mode="json")

        def work() -> dict[str, Any]:
            facts = CallFacts(lat=entry.lat, lon=entry.lon, patient_age_years=entry.patient_age_years,
                              suicide=entry.suicide, trauma=entry.trauma, violence=entry.violence,
                              location_kind=entry.location_kind, location_description=entry.location_description)
            location = {k: getattr(entry, k) for k in ("location_precision", "location_uncertainty_m",
                                                        "location_label")}
            before = node.engine.last_seq
            incident = node.service.new_call(facts, entry.address, location=location,
                                             call_started=entry.call_started_at, incident=entry.incident)
            # The events just committed, from memory: no read back from the database.
            return replay([Event.from_json(p.json) for p in node.published_after(before) if p.incident == incident])

        def replay(events: list[Event]) -> dict[str, Any]:
            return {"incident": events[0].incident if events else entry.incident, "events": _events(events)}

        result: dict[str, Any] = await command(who, key, "POST", "/v1/calls", data, work, replay)
        return result

    @app.post("/v1/incidents/{incident}/do", summary="a dispatcher's (or responder's) command")
    async def do(incident: str, entry: Annotated[bodies.DoEntry, Body()], who: Who, key: Key = None) -> dict[str, Any]:
        data = entry.model_dump(mode="json")

        def work() -> dict[str, Any]:
            if isinstance(entry, bodies.ConfirmAedReady):
                return replay(node.engine.confirm_aed_ready(entry.aed))
            node.engine.state(incident)  # 404 before anything else
            cmd = bodies.command_of(incident, entry, who.user, node.clock.now())
            assert cmd is not None
            return replay(node.service.execute(cmd))

        def replay(events: list[Event]) -> dict[str, Any]:
            return {"events": _events(events)}

        result: dict[str, Any] = await command(who, key, "POST", f"/v1/incidents/{incident}/do", data, work, replay)
        return result

    @app.get("/v1/incidents", summary="every incident with its phase")
    async def incidents(who: Who) -> list[dict[str, Any]]:
        await run_in_threadpool(node.note_access, who, "*", "incident list")

        def work() -> list[dict[str, Any]]:
            return [{"incident": s.id, "phase": s.phase, "mode": s.mode, "last_seq": s.last_seq}
                    for s in node.engine.states.values()]
        result: list[dict[str, Any]] = node.query(work)
        return result

    @app.get("/v1/incidents/{incident}/events", summary="one incident's events in seq order")
    async def incident_events(incident: str, who: Who) -> list[dict[str, Any]]:
        node.query(lambda: node.engine.state(incident))
        await run_in_threadpool(node.note_access, who, incident, "events")
        return [json.loads(p.json) for p in node.published_after(0) if p.incident == incident]

    @app.get("/v1/events", summary="all events after a seq, in order")
    async def events_after(who: Who, after: Annotated[int, Query(ge=0)] = 0) -> Response:
        await run_in_threadpool(node.note_access, who, "*", f"events after {after}")
        body = "[" + ",".join(p.json for p in node.published_after(after)) + "]"
        return Response(body, media_type="application/json")

    @app.get("/v1/stream", summary="every event as Server-Sent Events (text/event-stream)",
             response_class=StreamingResponse)
    async def stream(request: Request, who: Who, after: Annotated[int | None, Query(ge=0)] = None,
                     last_event_id: Annotated[str | None, Header(alias="Last-Event-ID")] = None
                     ) -> StreamingResponse:
        cursor = after or 0
        if last_event_id and last_event_id.strip().isdigit():
            cursor = int(last_event_id.strip())
        await run_in_threadpool(node.note_access, who, "*", f"stream from {cursor}")
        # A plain streaming response rather than FastAPI's SSE helper: its keep-alive task
        # logs a traceback whenever a client goes away, which here is every reconnect.
        return StreamingResponse(_sse(request, cursor), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def _sse(request: Request, cursor: int) -> AsyncIterator[str]:
        yield ": zesminuten\nretry: 1000\n\n"
        while not await request.is_disconnected():
            changed = node.changed()  # taken before reading: a commit in between still wakes us
            batch = node.published_after(cursor)
            if batch:
                yield "".join(f"id: {p.seq}\nevent: {p.type}\ndata: {p.json}\n\n" for p in batch)
                cursor = batch[-1].seq
                continue
            if node.role == "stopped":
                return
            try:
                await asyncio.wait_for(changed.wait(), KEEPALIVE_S)
            except TimeoutError:
                yield ": keep-alive\n\n"

    @app.get("/v1/export", summary="the log (or one incident) as a tamper-evident JSON Lines export",
             response_class=PlainTextResponse)
    async def export(who: Who, incident: Annotated[str | None, Query(max_length=64)] = None,
                     full: bool = False, reason: Annotated[str, Query(max_length=200)] = "") -> PlainTextResponse:
        """Redacted unless `full` (as `export-events`); recorded in the access log first."""
        if incident is not None:
            node.query(lambda: node.engine.state(incident))

        def work() -> tuple[str, Any]:
            with node.lock:
                records = records_from_store(node.store, incident)
                report = node.store.verify()
                head = node.store.head()  # type: ignore[attr-defined]
                keyed = bool(getattr(node.store, "signed", False))
            text, result = build_export(records, scope=incident or "*", redact=not full, keyed=keyed,
                                        store_head=head, source_integrity="ok" if report.ok else "broken",
                                        key=load_chain_key())
            for inc, chain_head in result.heads.items():
                node.note_access(who, inc, "export", action="export", reason=reason,
                                 details={"redacted": not full, "chain_head": chain_head, "export_head": result.head})
            return text, result

        text, result = await run_in_threadpool(work)
        return PlainTextResponse(text, media_type="application/jsonl",
                                 headers={"X-Export-Head": result.head})

    # -- what the console needs beyond the contract -----------------------------------------
    @app.get("/v1/config", summary="the alert configuration this service runs with")
    async def config(who: Who) -> dict[str, Any]:
        return node.config.as_dict()

    @app.post("/v1/preview", summary="the exclusion criteria for call facts, without writing anything")
    async def preview(entry: Annotated[bodies.CallEntry, Body()], who: Who) -> dict[str, Any]:
        facts = CallFacts(lat=entry.lat, lon=entry.lon, patient_age_years=entry.patient_age_years,
                          suicide=entry.suicide, trauma=entry.trauma, violence=entry.violence,
                          location_kind=entry.location_kind, location_description=entry.location_description)
        verdict = await run_in_threadpool(node.service.preview, facts)
        return verdict_data(verdict)

    @app.get("/v1/aeds", summary="AEDs around a point, nearest first, with their status now")
    async def aeds(who: Who, lat: Annotated[float, Query(ge=50.5, le=53.8)],
                   lon: Annotated[float, Query(ge=3.0, le=7.5)],
                   radius_m: Annotated[float, Query(gt=0, le=10_000)] = 1000) -> list[dict[str, Any]]:
        found = node.query(lambda: node.service.aeds_near(lat, lon, radius_m))
        return [asdict(a) for a in found]

    # -- live responder positions (the responder apps, through their gateway) ------------------
    def _fixes(who: Caller, items: list[tuple[str, bodies.PositionFix]]) -> dict[str, Any]:
        if who.role != "responder_gateway":
            raise Forbidden("only the responder gateway reports positions")
        now = node.clock.now()
        result = node.report_positions([(rid, f.lat, f.lon, f.time or now) for rid, f in items])
        return {"applied": result.applied,
                "refused": [{"item": r.item, "responder": r.responder_id, "reason": r.reason} for r in result.refused]}

    @app.post("/v1/responders/{responder}/position", summary="a responder app's GPS fix")
    async def position(responder: str, fix: Annotated[bodies.PositionFix, Body()], who: Who) -> JSONResponse:
        answer = await run_in_threadpool(_fixes, who, [(responder, fix)])
        if answer["refused"]:
            return _error(422, answer["refused"][0]["reason"], "position")
        return JSONResponse(answer)

    @app.post("/v1/responders/positions", summary="GPS fixes of many responders in one request")
    async def positions(batch: Annotated[bodies.PositionBatch, Body()], who: Who) -> dict[str, Any]:
        result: dict[str, Any] = await run_in_threadpool(_fixes, who, [(p.responder, p) for p in batch.positions])
        return result

    @app.get("/v1/alert-blocker/{incident}", summary="why an alert cannot be sent now (or null)")
    async def blocker(incident: str, who: Who) -> dict[str, Any]:
        return {"incident": incident, "blocker": node.query(lambda: node.engine.alert_blocker(incident))}

    _channel_routes(app, node)  # issue 12, the channel gateways: defined at the end of this file
    _intake_routes(app, node, command)  # issue 13, the dispatch system's messages: likewise

    # -- the responder web app (issue 12): /app/ and /v1/me/... -------------------------------
    app.include_router(responder_router(node))
    app.include_router(aed_check_router(node))  # issue 15: the AED manager's check-back
    app.include_router(aftercare_router(node))  # issue 15: the responders' aftercare
    app.include_router(self_service_router(node))  # issue 15: responders' and AED managers' self-service
    app.include_router(complaint_router(node))  # issue 15: complaints about an incident
    mount_web(app)
    return app


# -- issue 12: the channel gateways' routes (delivery reports, acknowledgements, contacts) ---------
def _channel_routes(app: FastAPI, node: CentreNode) -> None:
    """Kept apart from the contract's routes: providers call the receipts webhook with a
    secret of their own (from the channel configuration, not tokens.json); the responder
    gateway forwards a native app's acknowledgements and registers its addresses."""

    def gateway_only(who: Caller) -> None:
        if who.role != "responder_gateway":
            raise Forbidden("only the responder gateway does this")

    @app.post("/v1/channels/{channel}/receipts", summary="a provider's delivery reports (webhook)")
    async def receipts(channel: str, body: Annotated[channel_bodies.Receipts | channel_bodies.Receipt, Body()],
                       authorization: Annotated[str | None, Header()] = None) -> dict[str, Any]:
        dispatcher = node.dispatcher
        expected = dispatcher.settings.receipts_tokens.get(channel) if dispatcher is not None else None
        presented = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else ""
        if not expected or not hmac.compare_digest(expected.encode(), presented.encode()):
            raise Unauthorized
        assert dispatcher is not None
        reports = body.reports if isinstance(body, channel_bodies.Receipts) else [body]
        events = await run_in_threadpool(dispatcher.receipts, channel, [r.model_dump() for r in reports])
        return {"recorded": len(events)}

    @app.post("/v1/channels/acknowledgements", summary="a responder app says an alert reached it")
    async def acknowledge(entry: Annotated[channel_bodies.Acknowledgement, Body()], who: Who) -> dict[str, Any]:
        gateway_only(who)
        events = await run_in_threadpool(node.acknowledge_message, entry.responder, entry.incident, entry.channel)
        return {"events": _events(events)}

    @app.put("/v1/channels/contacts/{responder}", summary="a responder's push subscription and/or phone number")
    async def contacts(responder: str, entry: Annotated[channel_bodies.Contacts, Body()], who: Who) -> dict[str, Any]:
        gateway_only(who)

        def work() -> None:
            if entry.app is not None:
                node.register_push_subscription(responder, entry.app)
            if entry.phone is not None:
                node.register_phone(responder, entry.phone)

        await run_in_threadpool(work)
        return {"responder": responder, "stored": [k for k in ("app", "phone") if getattr(entry, k) is not None]}

    @app.get("/v1/channels/webpush-key", summary="the VAPID public key the web app subscribes with")
    async def webpush_key(who: Who) -> dict[str, Any]:
        return {"public_key": node.vapid_public_key}

    # A municipality's test alarm goes out through the same channels (issue 12, point 4).
    @app.post("/v1/test-alarms", status_code=201, summary="start a municipality's test alarm (proefalarm)")
    async def test_alarm(entry: Annotated[channel_bodies.TestAlarm, Body()], who: Who, key: Key = None) -> dict[str, Any]:
        if who.role != "workstation":
            raise Forbidden("only a workstation starts a test alarm")

        def work() -> dict[str, Any]:
            now = node.clock.now()
            found = next((m for m in municipalities(node.engine.registry, now) if m.name == entry.municipality), None)
            if found is None:
                raise InvalidInput("municipality: not a municipality of this centre's registry")
            incident = entry.incident or exercise_id(found.name, now)
            return replay(node.engine.test_alarm(incident, found.lat, found.lon, found.name, entry.max_responders))

        def replay(events: list[Event]) -> dict[str, Any]:
            return {"incident": events[0].incident if events else entry.incident, "events": _events(events)}

        fingerprint = request_fingerprint("POST", "/v1/test-alarms", entry.model_dump(mode="json"))
        answer, _ = await run_in_threadpool(node.run, who, key, fingerprint, work, replay)
        result: dict[str, Any] = answer
        return result

    @app.get("/v1/test-alarms/{incident}/summary", summary="who received, acknowledged and answered a test alarm")
    async def test_alarm_summary(incident: str, who: Who) -> dict[str, Any]:
        state = node.query(lambda: node.engine.state(incident))
        if state.mode != "test":
            raise InvalidInput("incident: not a test alarm")
        await run_in_threadpool(node.note_access, who, incident, "test-alarm summary")
        events = [Event.from_json(p.json) for p in node.published_after(0) if p.incident == incident]
        summary = summarise(events, incident)
        return {k: v for k, v in asdict(summary).items() if k != "responders"} | {
            "started": summary.started.isoformat() if summary.started else None,
            "responders": [{"pseudonym": r.pseudonym, "distance_m": r.distance_m, "state": r.state,
                            "channels": list(r.channels), "received": r.received,
                            "acknowledged_s": r.acknowledged_s, "answer_s": r.answer_s, "arrived_s": r.arrived_s}
                           for r in summary.responders]}


# -- issue 13: messages from the dispatch system (docs/intake.md, docs/centre.md) -----------------
def _intake_routes(app: FastAPI, node: CentreNode, command: Callable[..., Any]) -> None:
    """The dispatch system's adapter posts EIDO or GMS adapter JSON; a refused message is a
    400 naming the field and is kept in the dead-letter list the consoles read."""

    # In the shared database, not the node's memory: a console reading from a standby, or
    # after a failover or restart, sees the same refused messages.
    where = getattr(node.store, "url", None) or getattr(node.store, "path", None)
    letters = DeadLetterStore(where) if where is not None else None

    def receive(source: Source) -> Callable[..., Any]:
        async def post(request: Request, who: Who, key: Key = None) -> dict[str, Any]:
            if who.role != "dispatch_adapter":
                raise Forbidden("only the dispatch system's adapter posts intake messages")
            body = await request.body()
            path = f"/v1/intake/{source}"

            def work() -> dict[str, Any]:
                try:
                    result: dict[str, Any] = node.service.receive_intake(body, source).to_dict()
                except IntakeInvalid as exc:
                    if letters is not None:
                        letters.add(DeadLetter.of(body, exc, node.clock.now(), source))
                    raise
                return result

            def replay(events: list[Event]) -> dict[str, Any]:
                first = next((e for e in events if e.type == "intake_received"), None)
                return {"outcome": first["outcome"] if first else "duplicate", "reason": "replayed",
                        "incident": events[0].incident if events else None, "events": _events(events)}

            digest = hashlib.sha256(body).hexdigest()
            answer: dict[str, Any] = await command(who, key, "POST", path, digest, work, replay)
            return answer

        return post

    for source in ("eido", "gms"):
        app.post(f"/v1/intake/{source}", summary=f"a {source.upper()} message from the dispatch system",
                 openapi_extra={"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}},
                                                "required": True}})(receive(source))  # type: ignore[arg-type]

    @app.get("/v1/intake/dead-letters", summary="refused intake messages, newest first")
    async def dead_letters(who: Who) -> dict[str, Any]:
        await run_in_threadpool(node.note_access, who, "*", "intake dead letters")
        if letters is not None:
            shared: dict[str, Any] = (await run_in_threadpool(letters.letters)).to_dict()
            return shared
        result: dict[str, Any] = node.query(lambda: node.service.dead_letters.to_dict())
        return result
