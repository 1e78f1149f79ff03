"""Aftercare over HTTP (issue 15): the responder's questionnaire and contact consent in
the web app, the aftercare coordinator's list and the summaries.

- `GET /v1/me/aftercare`, `POST /v1/me/aftercare/{incident}` `{"answer"}`,
  `POST /v1/me/aftercare/{incident}/contact`: the responder's session token; an incident
  they did not set out for answers 404 (whether it exists is none of this phone's business).
- `GET /v1/aftercare/follow-ups[?municipality=]`, `POST /v1/aftercare/follow-ups/{incident}/{pseudonym}/called`,
  `GET /v1/aftercare/summary?incident=|month=`: a workstation token (the coordinator's,
  or a local volunteer's for their municipality); every read is in the access log,
  reason "nazorg".
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Body, FastAPI, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from ..aftercare.questionnaire import (
    answer_data,
    asked,
    ended_at,
    incident_summary,
    set_out,
    summarise,
)
from ..clock import AMSTERDAM
from ..errors import InvalidInput
from .aed_check_routes import Who
from .aftercare_store import AftercareStore
from .node import CentreNode
from .responder_app import Me

REASON = "nazorg"


class AnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer: dict[str, Any]


def _not_coordinator(who: Any) -> JSONResponse | None:
    if who.role == "workstation":
        return None
    return JSONResponse({"error": "only a workstation (the aftercare coordinator's) reads aftercare",
                         "field": "Authorization"}, status_code=403)


def _not_found() -> JSONResponse:
    return JSONResponse({"error": "no questionnaire for this incident", "field": "incident"}, status_code=404)


def aftercare_router(node: CentreNode) -> APIRouter:
    where = getattr(node.store, "url", None) or node.store.path  # type: ignore[attr-defined]
    store = AftercareStore(where, node.clock.now)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.aftercare = store
        try:
            yield
        finally:
            await run_in_threadpool(store.close)

    router = APIRouter(lifespan=lifespan, tags=["aftercare"])

    def identity(request: Request, rid: str) -> tuple[str, str]:
        reg = node.engine.registry
        idx = reg.responder_index(rid)
        pseudonym = request.app.state.responder_app.pseudonym(rid)
        municipality = str(reg.r_municipality[idx]) if idx is not None else ""
        return pseudonym, municipality

    def offered(request: Request, rid: str) -> list[str]:
        app_state = request.app.state.responder_app
        app_state.index.refresh()
        now = node.clock.now()
        return [i for i in app_state.index.incidents_of(rid)
                if (s := node.engine.states.get(i)) is not None and asked(s, rid, now)]

    def item(incident: str, pseudonym: str) -> dict[str, Any]:
        s = node.engine.states[incident]
        ended = ended_at(s)
        return {"incident": incident, "ended_at": ended.astimezone(AMSTERDAM).isoformat() if ended else None,
                "answered": store.answer_of(incident, pseudonym) is not None,
                "contact": store.contact_view(incident, pseudonym)}

    # -- the responder -------------------------------------------------------------------------
    @router.get("/v1/me/aftercare", summary="questionnaires offered to this responder (ended alarms they set out for)")
    async def mine(request: Request, rid: Me) -> dict[str, Any]:
        pseudonym, _ = identity(request, rid)

        def work() -> list[dict[str, Any]]:
            return [item(i, pseudonym) for i in reversed(offered(request, rid))]
        return {"pseudonym": pseudonym, "questionnaires": await run_in_threadpool(lambda: node.query(work))}

    @router.post("/v1/me/aftercare/{incident}", summary="this responder's answers (once per incident)")
    async def answer(incident: str, request: Request, rid: Me, body: Annotated[AnswerBody, Body()]) -> Any:
        if incident not in await run_in_threadpool(lambda: node.query(lambda: offered(request, rid))):
            return _not_found()
        data = answer_data(body.answer)
        pseudonym, municipality = identity(request, rid)
        await run_in_threadpool(store.answer, incident, pseudonym, municipality, data)
        return await run_in_threadpool(lambda: node.query(lambda: item(incident, pseudonym)))

    @router.post("/v1/me/aftercare/{incident}/contact",
                 summary="agree to contact with others of this incident who agree too")
    async def contact(incident: str, request: Request, rid: Me) -> Any:
        if incident not in await run_in_threadpool(lambda: node.query(lambda: offered(request, rid))):
            return _not_found()
        pseudonym, _ = identity(request, rid)
        await run_in_threadpool(store.consent, incident, pseudonym)
        return await run_in_threadpool(store.contact_view, incident, pseudonym)

    # -- the coordinator -----------------------------------------------------------------------
    @router.get("/v1/aftercare/follow-ups", summary="who asked to be contacted or reported distress, with deadlines")
    async def follow_ups(who: Who, municipality: Annotated[str | None, Query(max_length=100)] = None,
                         called: bool = False) -> Any:
        if (refused := _not_coordinator(who)) is not None:
            return refused
        await run_in_threadpool(node.note_access, who, "*", "aftercare follow-ups", "open", REASON)
        result: list[dict[str, Any]] = await run_in_threadpool(store.follow_ups, municipality, called)
        return result

    @router.post("/v1/aftercare/follow-ups/{incident}/{pseudonym}/called", summary="the coordinator called them")
    async def was_called(incident: str, pseudonym: str, who: Who) -> Any:
        if (refused := _not_coordinator(who)) is not None:
            return refused
        await run_in_threadpool(node.note_access, who, incident, "aftercare call noted", "open", REASON)
        if not await run_in_threadpool(store.called, incident, pseudonym, who.user):
            return JSONResponse({"error": "not on the list (or called already)", "field": "pseudonym"},
                                status_code=404)
        return {"incident": incident, "pseudonym": pseudonym, "called_by": who.user}

    @router.get("/v1/aftercare/summary", summary="questionnaire counts for an incident or a month (YYYY-MM)")
    async def summary(who: Who, incident: Annotated[str | None, Query(max_length=64)] = None,
                      month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None) -> Any:
        if (refused := _not_coordinator(who)) is not None:
            return refused
        if (incident is None) == (month is None):
            raise InvalidInput("incident: give either incident or month")
        await run_in_threadpool(node.note_access, who, incident or "*", f"aftercare summary {month or ''}".strip(),
                                "open", REASON)

        def work() -> dict[str, Any]:
            if incident is not None:  # the review's figure: one definition (aftercare.questionnaire)
                return {"incident": incident, "month": None,
                        **incident_summary(node.engine.state(incident), store).to_dict()}
            chosen = [s for s in node.engine.states.values() if s.mode == "live" and (e := ended_at(s))
                      and e.astimezone(AMSTERDAM).strftime("%Y-%m") == month]
            incidents = [s.id for s in chosen]
            n = sum(1 for s in chosen for r in s.responders if set_out(s, r))
            answers = [a for i in incidents for a in store.answers(incident=i)]
            return {"incident": incident, "month": month,
                    **summarise(answers, n, store.pairs(incidents)).to_dict()}
        result: dict[str, Any] = await run_in_threadpool(lambda: node.query(work))
        return result

    return router
