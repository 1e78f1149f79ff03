"""The responder web app: a mobile page under /app/ and its API under /v1/me/ (issue 12).

A responder's phone signs in once with a one-time link (responder_accounts.py) and from
then on holds a session token of its own; it never holds a workstation token and can
reach nothing but `/v1/me/...`. What the page shows is `responder_view` of the fold
(responder_view.py): the live stream sends that view again whenever an event of the
responder's own alarm is published, never an event itself, so nothing about other
responders, other AEDs or cabinet codes can leak through a field the page happens to
ignore. A page that reconnects (after the service restarted, or a lost connection)
receives the current view at once: a view is state, so there is nothing to replay.

The responder's answers run as commands under the node's engine lock with actor
"responder" (a responder-gateway caller scoped to that one responder, so idempotency keys
of two phones never meet), exactly as a channel gateway would send them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import Field
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from ..errors import IllegalTransition
from ..events import Event
from . import bodies
from .node import CentreNode, request_fingerprint
from .responder_accounts import CODE_VALID, LANGUAGES, RedeemRefused, ResponderAccounts, link_for
from .responder_view import AlarmIndex, current_view, registry_aed, responder_view
from .tokens import Caller

log = logging.getLogger("zesminuten.centre.app")
WEB = Path(__file__).resolve().parent / "web"
KEEPALIVE_S = 10.0
SESSION_CACHE_S = 30.0      # a session revoked on another node stops working within this
AVAILABILITY_POLL_S = 5.0   # on a shared store: switches made through another node
POSITION_STATES = ("accepted",)  # GPS only on the way: not while deciding, not once there
# An optional online basemap, set by the centre (never a CDN for code): e.g.
# ZESMINUTEN_APP_TILES="https://tile.example.nl/{z}/{x}/{y}.png" and its attribution.
TILES_ENV, TILES_ATTRIBUTION_ENV = "ZESMINUTEN_APP_TILES", "ZESMINUTEN_APP_TILES_ATTRIBUTION"
# The address responders reach the service at, for links a workstation issues.
PUBLIC_URL_ENV = "ZESMINUTEN_APP_URL"


def _error(status: int, message: str, field: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {"error": message, **extra}
    if field is not None:
        body["field"] = field
    return JSONResponse(body, status_code=status)


class Code(bodies.Body):
    code: Annotated[str, Field(min_length=16, max_length=200)]


class Answer(bodies.Body):
    answer: Literal["accept", "decline"]


class PreferencesChange(bodies.Body):
    available: bool | None = None
    share_location: bool | None = None
    language: Literal["nl", "en"] | None = None


class PushSubscription(bodies.Body):
    """A browser's PushSubscription.toJSON()."""

    endpoint: Annotated[str, Field(min_length=8, max_length=2000, pattern=r"^https://")]
    expirationTime: float | None = None  # the browser's own field name
    keys: dict[Annotated[str, Field(max_length=20)], Annotated[str, Field(max_length=200)]]


class LinkRequest(bodies.Body):
    valid_hours: float = Field(CODE_VALID.total_seconds() / 3600, gt=0, le=24 * 30)
    base_url: Annotated[str, Field(max_length=300, pattern=r"^https?://")] | None = None


class Availability:
    """A responder's own on/off switch, applied to the in-memory registry in place, like a
    GPS fix: "off" swaps their availability pattern for one that is never open, so the
    next selection (and a test alarm) passes them by; "on" gives back their own pattern."""

    def __init__(self, node: CentreNode) -> None:
        self.node = node
        self.registry = node.engine.registry
        self._own: dict[int, int] = {}  # registry row -> their own availability pattern
        self._off_ids: set[str] = set()
        # Issue 15: who is away today (self-service holidays), off whatever their switch says.
        self.away: Callable[[], set[str]] = set

    def apply(self, unavailable: set[str]) -> None:
        reg = self.registry
        unavailable = unavailable | self.away()
        with self.node.lock:  # selection reads the patterns under this lock
            off = reg.patterns.code("off")
            for rid in unavailable - self._off_ids:
                i = reg.responder_index(rid)
                if i is not None:
                    self._own.setdefault(i, int(reg.r_avail[i]))
                    reg.r_avail[i] = off
            for rid in self._off_ids - unavailable:
                i = reg.responder_index(rid)
                if i is not None and i in self._own:
                    reg.r_avail[i] = self._own.pop(i)
            self._off_ids = set(unavailable)

    def set(self, responder: str, available: bool) -> None:
        self.apply(self._off_ids - {responder} if available else self._off_ids | {responder})


class Basemap:
    """Major roads (OSM, shipped) around an alarm, so the map means something offline."""

    HALF_LAT, HALF_LON = 0.018, 0.03  # ~2 km each way

    def __init__(self) -> None:
        self._features: list[tuple[tuple[float, float, float, float], dict[str, Any]]] | None = None

    def _load(self) -> list[tuple[tuple[float, float, float, float], dict[str, Any]]]:
        if self._features is None:
            from ..assets import resource_path

            raw = json.loads(resource_path("data/major_roads_denhaag_region_osm2019.geojson").read_text("utf-8"))
            out = []
            for f in raw["features"]:
                coords = f["geometry"]["coordinates"]
                lons, lats = [c[0] for c in coords], [c[1] for c in coords]
                slim = {"type": "Feature", "properties": {"highway": f["properties"].get("highway", "")},
                        "geometry": {"type": "LineString",
                                     "coordinates": [[round(c[0], 5), round(c[1], 5)] for c in coords]}}
                out.append(((min(lats), min(lons), max(lats), max(lons)), slim))
            self._features = out
        return self._features

    def around(self, lat: float, lon: float) -> dict[str, Any]:
        s, w, n, e = lat - self.HALF_LAT, lon - self.HALF_LON, lat + self.HALF_LAT, lon + self.HALF_LON
        feats = [f for (fs, fw, fn, fe), f in self._load() if fn >= s and fs <= n and fe >= w and fw <= e]
        return {"type": "FeatureCollection", "features": feats,
                "attribution": "© OpenStreetMap contributors (ODbL)"}


class ResponderApp:
    def __init__(self, node: CentreNode) -> None:
        self.node = node
        store = getattr(node.store, "url", None) or node.store.path  # type: ignore[attr-defined]
        self.accounts = ResponderAccounts(store)
        self.index = AlarmIndex(node.published_after)
        self.aed_info = registry_aed(node.engine.registry)
        self.availability = Availability(node)
        self.basemap = Basemap()
        self._sessions: dict[str, tuple[str, float]] = {}

    # -- who is asking -----------------------------------------------------------------------
    def responder_of(self, token: str | None) -> str | None:
        if not token:
            return None
        now = time.monotonic()
        cached = self._sessions.get(token)
        if cached is not None and now - cached[1] < SESSION_CACHE_S:
            return cached[0]
        rid = self.accounts.session(token)
        if rid is None:
            self._sessions.pop(token, None)
            return None
        if len(self._sessions) > 50_000:
            self._sessions.clear()
        self._sessions[token] = (rid, now)
        return rid

    def forget(self, token: str) -> None:
        self._sessions.pop(token, None)

    @staticmethod
    def caller(responder: str) -> Caller:
        # actor "responder" on the events; idempotency keys scoped to this one responder.
        return Caller(f"app:{responder}", f"responder {responder}", "responder_gateway")

    # -- what the page sees --------------------------------------------------------------------
    def view(self, responder: str) -> dict[str, Any] | None:
        self.index.refresh()
        return current_view(self.node.engine.states, self.index.incidents_of(responder), responder,
                            self.aed_info, self.node.config.response_timeout_s, self.node.clock.now())

    def alarm_view(self, responder: str, incident: str) -> dict[str, Any] | None:
        s = self.node.engine.states.get(incident)
        if s is None:
            return None
        return responder_view(s, responder, self.aed_info, self.node.config.response_timeout_s)

    def pseudonym(self, responder: str) -> str:
        i = self.node.engine.registry.responder_index(responder)
        return str(self.node.engine.registry.r_pseudonym[i]) if i is not None else ""

    def note(self, responder: str, incident: str, what: str) -> None:
        """NEN 7513: a responder's page was given an alarm's details (the victim's point)."""
        self.node.note_access(Caller("responder-app", f"responder {responder}"), incident, what,
                              reason="own alarm in the responder app")

    def concerns(self, responder: str, batch: list[Any]) -> bool:
        self.index.refresh()
        mine = set(self.index.incidents_of(responder))
        return any(p.incident in mine for p in batch)


def _bearer(authorization: str | None) -> str | None:
    if authorization and authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None
    return None


async def _responder(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The responder a session token stands for (401 without one: as every endpoint)."""
    from .app import Forbidden, Unauthorized  # app.py includes this router: imported late

    app_state: ResponderApp = request.app.state.responder_app
    rid = await run_in_threadpool(app_state.responder_of, _bearer(authorization))
    if rid is None:
        raise Unauthorized
    if app_state.node.engine.registry.responder_index(rid) is None:
        raise Forbidden("this responder is no longer in the registry")
    return rid


async def _workstation(request: Request, authorization: Annotated[str | None, Header()] = None) -> Caller:
    from .app import Forbidden, caller

    who = caller(request, authorization)
    if who.role != "workstation":
        raise Forbidden("only a workstation (the centre's administrator) issues sign-in links")
    return who


# Module level, so FastAPI can resolve them from the (postponed) annotations.
Me = Annotated[str, Depends(_responder)]
Workstation = Annotated[Caller, Depends(_workstation)]
Key = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def responder_router(node: CentreNode) -> APIRouter:
    state = ResponderApp(node)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.responder_app = state
        await run_in_threadpool(state.index.refresh)  # the whole log once, off the event loop
        await run_in_threadpool(state.availability.apply, await run_in_threadpool(state.accounts.unavailable))
        poll = asyncio.get_running_loop().create_task(_poll_availability()) if node.shared else None
        try:
            yield
        finally:
            if poll is not None:
                poll.cancel()
            await run_in_threadpool(state.accounts.close)

    async def _poll_availability() -> None:
        while True:
            await asyncio.sleep(AVAILABILITY_POLL_S)
            try:
                await run_in_threadpool(lambda: state.availability.apply(state.accounts.unavailable()))
            except Exception as exc:  # the database may be failing over; the next poll tries again
                log.warning("availability not refreshed: %s", str(exc).splitlines()[0] if str(exc) else exc)

    router = APIRouter(lifespan=lifespan, tags=["responder app"])

    # -- sign-in ---------------------------------------------------------------------------
    @router.post("/v1/responders/{responder}/sign-in-link", status_code=201,
                 summary="a one-time sign-in link for a responder's web app (workstation token)")
    async def sign_in_link(responder: str, request: Request, who: Workstation,
                           body: Annotated[LinkRequest | None, Body()] = None) -> Any:
        if node.engine.registry.responder_index(responder) is None:
            return _error(404, f"{responder}: not a responder in this centre's registry", "responder")
        req = body or LinkRequest.model_validate({})
        code, expires = await run_in_threadpool(state.accounts.issue_code, responder,
                                                timedelta(hours=req.valid_hours))
        base = req.base_url or os.environ.get(PUBLIC_URL_ENV) or str(request.base_url)
        log.info("sign-in link issued by %s for a responder", who.workstation)
        return {"responder": responder, "link": link_for(base, code), "expires_at": expires.isoformat()}

    @router.post("/v1/me/session", status_code=201, summary="exchange a one-time code for a session (once)")
    async def sign_in(body: Annotated[Code, Body()]) -> Any:
        try:
            got = await run_in_threadpool(state.accounts.redeem, body.code)
        except RedeemRefused as exc:
            return _error(401, {"used": "this sign-in link was used already",
                                "expired": "this sign-in link has expired"}.get(exc.reason, "unknown sign-in link"),
                          "code", reason=exc.reason)
        if node.engine.registry.responder_index(got.responder) is None:
            await run_in_threadpool(state.accounts.revoke, got.token)
            return _error(403, "this responder is no longer in the registry", "code", reason="unknown")
        return {"token": got.token, "expires_at": got.expires_at.isoformat(),
                "pseudonym": state.pseudonym(got.responder)}

    @router.delete("/v1/me/session", status_code=204, summary="sign this phone out")
    async def sign_out(rid: Me, authorization: Annotated[str | None, Header()] = None) -> Response:
        token = _bearer(authorization) or ""
        await run_in_threadpool(state.accounts.revoke, token)
        state.forget(token)
        return Response(status_code=204)

    # -- the responder's own page ----------------------------------------------------------------
    @router.get("/v1/me", summary="this responder's settings and current alarm")
    async def whoami(rid: Me) -> dict[str, Any]:
        prefs = await run_in_threadpool(state.accounts.preferences, rid)
        view = state.view(rid)
        if view is not None:
            await run_in_threadpool(state.note, rid, view["incident"], "responder app: alarm")
        tiles = os.environ.get(TILES_ENV)
        push_key = node.vapid_public_key  # None: no Web Push gateway configured
        return {"pseudonym": state.pseudonym(rid), "preferences": prefs.as_dict(), "alarm": view,
                "languages": list(LANGUAGES),
                "push": {"public_key": push_key} if isinstance(push_key, str) and push_key else None,
                "tiles": {"url": tiles, "attribution": os.environ.get(TILES_ATTRIBUTION_ENV, "")} if tiles else None}

    @router.patch("/v1/me/preferences", summary="availability, location sharing, language")
    async def preferences(rid: Me, body: Annotated[PreferencesChange, Body()]) -> dict[str, Any]:
        prefs = await run_in_threadpool(state.accounts.set_preferences, rid, body.available, body.share_location,
                                        body.language)
        if body.available is not None:
            await run_in_threadpool(state.availability.set, rid, prefs.available)
        return prefs.as_dict()

    @router.get("/v1/me/stream", summary="this responder's alarm view as Server-Sent Events",
                response_class=StreamingResponse)
    async def stream(request: Request, rid: Me) -> StreamingResponse:
        return StreamingResponse(_views(request, rid), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def _views(request: Request, rid: str) -> AsyncIterator[str]:
        yield ": zesminuten responder\nretry: 1000\n\n"
        cursor = node.last_seq
        sent: str | None = None
        noted: set[tuple[str, bool]] = set()
        while True:
            view = state.view(rid)
            body = json.dumps(view, ensure_ascii=False, separators=(",", ":"))
            if body != sent:
                if view is not None and (view["incident"], view["victim"]["exact"]) not in noted:
                    noted.add((view["incident"], view["victim"]["exact"]))
                    await run_in_threadpool(state.note, rid, view["incident"], "responder app: alarm stream")
                # id = the log position the view is of; a client needs no resume: a view is state.
                yield f"id: {cursor}\nevent: view\ndata: {body}\n\n"
                sent = body
            while True:
                if await request.is_disconnected() or node.role == "stopped":
                    return
                changed = node.changed()  # taken before reading: a commit in between still wakes us
                batch = node.published_after(cursor)
                if batch:
                    cursor = batch[-1].seq
                    if state.concerns(rid, batch):
                        break
                    continue
                try:
                    await asyncio.wait_for(changed.wait(), KEEPALIVE_S)
                except TimeoutError:
                    yield ": keep-alive\n\n"
                    break  # time alone changes a view too (an ended alarm leaves the screen)

    # -- the responder's answers -----------------------------------------------------------------
    async def _command(rid: str, incident: str, what: str, key: str | None, body: Any,
                       work: Callable[[], list[Event]]) -> dict[str, Any]:
        fingerprint = request_fingerprint("POST", f"/v1/me/alarms/{incident}/{what}", body)
        await run_in_threadpool(node.run, state.caller(rid), key, fingerprint, work, lambda events: events)
        return {"alarm": state.alarm_view(rid, incident)}

    def _mine(rid: str, incident: str) -> dict[str, Any]:
        view = state.alarm_view(rid, incident)
        if view is None:  # not alerted for it: whether it exists is none of this phone's business
            from ..errors import UnknownIncident

            raise UnknownIncident(f"unknown incident {incident}")
        return view

    @router.post("/v1/me/alarms/{incident}/received", summary="the alert reached the page (delivery receipt)")
    async def received(incident: str, rid: Me) -> dict[str, Any]:
        view = _mine(rid, incident)
        if not view["acknowledged"]:  # the delivery receipt: it stops the fallback to SMS
            await run_in_threadpool(node.acknowledge_message, rid, incident, "app")
        return {"alarm": state.alarm_view(rid, incident)}

    @router.post("/v1/me/alarms/{incident}/answer", summary="accept or decline the alert")
    async def answer(incident: str, rid: Me, body: Annotated[Answer, Body()], key: Key = None) -> dict[str, Any]:
        _mine(rid, incident)
        return await _command(rid, incident, "answer", key, body.model_dump(),
                              lambda: node.engine.respond(incident, rid, body.answer))

    @router.post("/v1/me/alarms/{incident}/aed-fetched", summary="I have the AED")
    async def aed_fetched(incident: str, rid: Me, key: Key = None) -> dict[str, Any]:
        view = _mine(rid, incident)
        aed = view["aed"]
        if view["role"] != "aed" or aed is None or view["status"] != "accepted":
            raise IllegalTransition("only an AED runner on the way fetches an AED")

        def work() -> list[Event]:
            # Two runners of one AED: the second "fetched" finds it gone, which is no error
            # for them (their page says the AED is on its way; go to the victim).
            current = node.engine.state(incident).aeds[aed["id"]].state
            return node.engine.aed_fetched(incident, aed["id"]) if current == "assigned" else []
        return await _command(rid, incident, "aed-fetched", key, {}, work)

    @router.post("/v1/me/alarms/{incident}/arrived", summary="I am with the victim")
    async def arrived(incident: str, rid: Me, key: Key = None) -> dict[str, Any]:
        view = _mine(rid, incident)
        if view["status"] != "accepted":
            raise IllegalTransition(f"cannot arrive: the alert is {view['status']}")
        return await _command(rid, incident, "arrived", key, {}, lambda: node.engine.arrive(incident, rid))

    @router.post("/v1/me/position", summary="a GPS fix while on the way to an alarm (with consent)")
    async def position(rid: Me, fix: Annotated[bodies.PositionFix, Body()]) -> Any:
        prefs = await run_in_threadpool(state.accounts.preferences, rid)
        view = state.view(rid)
        if not prefs.share_location:
            return _error(409, "location sharing is off", "share_location")
        if view is None or view["status"] not in POSITION_STATES:
            return _error(409, "positions are taken only while on the way to an alarm", "position")
        now = node.clock.now()
        result = await run_in_threadpool(node.report_positions, [(rid, fix.lat, fix.lon, fix.time or now)])
        if result.refused:
            return _error(422, result.refused[0].reason, "position")
        return {"applied": result.applied}

    @router.post("/v1/me/push-subscription", status_code=204, summary="this phone's Web Push subscription")
    async def push_subscription(rid: Me, body: Annotated[PushSubscription, Body()]) -> Response:
        if node.vapid_public_key is None:
            return _error(501, "Web Push is not configured on this service")
        await run_in_threadpool(node.register_push_subscription, rid, body.model_dump(exclude_none=True))
        return Response(status_code=204)

    @router.get("/v1/me/alarms/{incident}/basemap", summary="roads around this responder's alarm (GeoJSON)")
    async def basemap(incident: str, rid: Me) -> dict[str, Any]:
        view = _mine(rid, incident)
        v = view["victim"]
        if v["lat"] is None:
            return {"type": "FeatureCollection", "features": []}
        return await run_in_threadpool(state.basemap.around, v["lat"], v["lon"])

    return router


class WebFiles(StaticFiles):
    """The page's files, with headers that keep the accept button in its own window."""

    def __init__(self, *args: Any, csp: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.csp = csp

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers["Content-Security-Policy"] = self.csp
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-cache"  # a fixed page reaches phones at once
        if path.endswith("sw.js"):
            response.headers["Service-Worker-Allowed"] = "/app/"
        return response


def mount_web(app: FastAPI) -> None:
    """/app/ (the page) and /app/leaflet/ (Leaflet from the xstatic-leaflet package, no CDN)."""
    import xstatic.pkg.leaflet as xleaflet

    tiles = os.environ.get(TILES_ENV, "")
    tile_origin = ""
    if tiles.startswith("https://"):
        tile_origin = " " + "/".join(tiles.split("/")[:3]).replace("{s}.", "*.")
    csp = ("default-src 'self'; img-src 'self' data:" + tile_origin + "; style-src 'self'; script-src 'self'; "
           "connect-src 'self'; worker-src 'self'; manifest-src 'self'; frame-ancestors 'none'; "
           "base-uri 'none'; form-action 'none'")
    # Leaflet first: the page's own mount would otherwise answer /app/leaflet/... with 404.
    app.mount("/app/leaflet", WebFiles(directory=xleaflet.BASE_DIR, csp=csp), name="leaflet")
    app.mount("/app", WebFiles(directory=WEB, html=True, csp=csp), name="responder-app")

