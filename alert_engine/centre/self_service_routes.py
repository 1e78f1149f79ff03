"""Self-service over HTTP (issue 15).

Responders, with their web-app session: `GET /v1/me/profile`, `PATCH /v1/me/training`
`{"certificate_valid_until", "refresher_on", "competent": true}`, `PUT /v1/me/channels`
`{"channels"}`, `POST /v1/me/unavailability {"from", "until"}`,
`DELETE /v1/me/unavailability/{id}`.
AED managers, with the link a workstation issues (`POST /v1/aeds/{aed}/manager-link`; the
code rides in the link's fragment and is sent as a bearer token): `GET /v1/aed-manager`,
`PATCH /v1/aed-manager {"hours": {"mo": "08:00-17:00", …}, "status", "cabinet_code"}`.
Each change is checked first (a refusal names its field, nothing is stored), recorded,
and in the in-memory registry at once. The cabinet code is never given back or logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, FastAPI, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..clock import AMSTERDAM
from ..selfservice import rules
from .node import CentreNode
from .responder_app import PUBLIC_URL_ENV, Me, Workstation
from .self_service import SelfService

log = logging.getLogger("zesminuten.centre.self_service")
POLL_S = 5.0


class Training(BaseModel):
    model_config = ConfigDict(extra="forbid")
    certificate_valid_until: str | None = Field(default=None, max_length=20)
    refresher_on: str | None = Field(default=None, max_length=20)
    competent: bool | None = None


class Channels(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channels: list[str] = Field(max_length=3)


class Away(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    start: str = Field(alias="from", max_length=20)
    until: str = Field(max_length=20)


class AedChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hours: dict[str, str] | None = None
    status: str | None = Field(default=None, max_length=20)
    cabinet_code: str | None = Field(default=None, max_length=40)


async def _manager(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    """The AED a manager's link stands for (401 without a valid one)."""
    from .app import Unauthorized

    code = authorization[7:].strip() if authorization and authorization[:7].lower() == "bearer " else None
    aed = await run_in_threadpool(request.app.state.self_service.manager_of, code)
    if aed is None:
        raise Unauthorized
    return str(aed)


# Module level, so FastAPI can resolve it from the (postponed) annotations.
Manager = Annotated[str, Depends(_manager)]


def self_service_router(node: CentreNode) -> APIRouter:
    where = getattr(node.store, "url", None) or node.store.path  # type: ignore[attr-defined]
    ss = SelfService(where, node.engine.registry, node.lock, node.clock.now)

    def today() -> Any:
        return node.clock.now().astimezone(AMSTERDAM).date()

    def refresh(app: FastAPI) -> None:
        ss.apply()
        app_state = app.state.responder_app
        app_state.availability.apply(app_state.accounts.unavailable())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.self_service = ss
        app.state.responder_app.availability.away = lambda: ss.away_today(today())
        await run_in_threadpool(refresh, app)
        poll = asyncio.get_running_loop().create_task(_poll(app))
        try:
            yield
        finally:
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poll
            await run_in_threadpool(ss.close)

    async def _poll(app: FastAPI) -> None:
        # Holidays begin and end at midnight, and another node may have taken a change.
        while True:
            await asyncio.sleep(POLL_S)
            try:
                await run_in_threadpool(refresh, app)
            except Exception as exc:  # the database may be failing over; the next poll tries again
                log.warning("self-service not re-applied: %s", str(exc).splitlines()[0] if str(exc) else exc)

    router = APIRouter(lifespan=lifespan, tags=["self-service"])

    # -- responders ---------------------------------------------------------------------------
    @router.get("/v1/me/profile", summary="this responder's training data, channels and unavailability")
    async def profile(rid: Me) -> dict[str, Any]:
        return await run_in_threadpool(ss.profile, rid)

    @router.patch("/v1/me/training", summary="new certificate / refresher dates, with a declaration of competence")
    async def training(rid: Me, body: Annotated[Training, Body()]) -> dict[str, Any]:
        checked = rules.training(body.model_dump(), today())
        await run_in_threadpool(ss.set_training, rid, checked["certificate_valid_until"], checked["refresher_on"])
        return await run_in_threadpool(ss.profile, rid)

    @router.put("/v1/me/channels", summary="the channels an alert reaches this responder on, in order")
    async def channels(rid: Me, body: Annotated[Channels, Body()]) -> dict[str, Any]:
        await run_in_threadpool(ss.set_channels, rid, rules.channels(body.channels))
        return await run_in_threadpool(ss.profile, rid)

    @router.post("/v1/me/unavailability", status_code=201, summary="a period without alarms (both days included)")
    async def away(request: Request, rid: Me, body: Annotated[Away, Body()]) -> dict[str, Any]:
        start, end = rules.away({"from": body.start, "until": body.until}, today())
        await run_in_threadpool(ss.add_away, rid, start, end)
        await run_in_threadpool(refresh, request.app)
        return await run_in_threadpool(ss.profile, rid)

    @router.delete("/v1/me/unavailability/{period}", summary="remove a period without alarms")
    async def back(period: str, request: Request, rid: Me) -> Any:
        if not await run_in_threadpool(ss.remove_away, rid, period):
            return JSONResponse({"error": "no such period", "field": "period"}, status_code=404)
        await run_in_threadpool(refresh, request.app)
        return await run_in_threadpool(ss.profile, rid)

    # -- AED managers --------------------------------------------------------------------------
    @router.post("/v1/aeds/{aed}/manager-link", status_code=201, summary="a link for this AED's manager (90 days)")
    async def manager_link(aed: str, request: Request, who: Workstation) -> Any:
        import os

        if node.engine.registry.a_index.get(aed) is None:
            return JSONResponse({"error": f"{aed}: not an AED in this centre's registry", "field": "aed"},
                                status_code=404)
        code, expires = await run_in_threadpool(ss.issue_manager_link, aed, timedelta(days=90))
        base = os.environ.get(PUBLIC_URL_ENV) or str(request.base_url)
        return {"aed": aed, "link": f"{base.rstrip('/')}/app/aed-beheer.html#code={code}",
                "expires_at": expires.isoformat()}

    @router.get("/v1/aed-manager", summary="the manager's AED: hours, status, whether a cabinet code is set")
    async def my_aed(aed: Manager) -> dict[str, Any]:
        return await run_in_threadpool(lambda: node.query(lambda: ss.aed_view(aed)))

    @router.patch("/v1/aed-manager", summary="change hours per weekday, status, cabinet code")
    async def change_aed(aed: Manager, body: Annotated[AedChange, Body()]) -> Any:
        # Everything checked before anything is stored: one bad field changes nothing.
        hours = rules.hours(body.hours) if body.hours is not None else None
        status = rules.status(body.status) if body.status is not None else None
        code = rules.cabinet_code(body.cabinet_code) if body.cabinet_code is not None else None
        if hours is None and status is None and code is None:
            return JSONResponse({"error": "nothing to change", "field": "body"}, status_code=422)
        await run_in_threadpool(lambda: ss.set_aed(aed, hours=hours, status=status, cabinet_code=code))
        return await run_in_threadpool(lambda: node.query(lambda: ss.aed_view(aed)))

    return router
