"""The AED check-back over HTTP (issue 15): the manager's page and the centre's list.

- `POST /v1/aed-check/open {"code"}`: what the page shows (the AED's place, since when it
  awaits its check); no bearer token: the one-time code in the link is the credential.
- `POST /v1/aed-check/answer {"code", "answer"}`: the answer; checked first (a clear error
  naming the field, nothing written), then one event (actor: the link), then every open
  link of that AED is used up.
- `GET /v1/aed-checks` (a workstation token): every AED awaiting its check, with its age.
The cabinet code is never part of any of these.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..aedcheck.listing import awaiting
from ..events import Event
from .aed_check_links import LinkRefused
from .node import CentreNode, request_fingerprint
from .tokens import Caller

REFUSED = {"used": "Deze link is al gebruikt: de controle is doorgegeven.",
           "expired": "Deze link is verlopen. U krijgt een nieuwe bij de volgende herinnering.",
           "unknown": "Deze link is onbekend."}


class CodeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1, max_length=200)


class AnswerBody(CodeBody):
    answer: dict[str, Any]


def _refused(exc: LinkRefused) -> JSONResponse:
    return JSONResponse({"error": REFUSED.get(exc.reason, REFUSED["unknown"]), "field": "code",
                         "reason": exc.reason}, status_code=401)


async def _who(request: Request) -> Caller:
    from .app import caller

    return caller(request, request.headers.get("authorization"))


Who = Annotated[Caller, Depends(_who)]


def aed_check_router(node: CentreNode) -> APIRouter:
    router = APIRouter(tags=["AED check-back"])
    links = node.aed_check_links

    def page_view(aed: str) -> dict[str, Any] | None:
        registry = node.engine.registry
        idx = registry.a_index.get(aed)
        found = next((c for c in node.engine.aed_checks() if c.aed == aed), None)
        if found is None:
            return None
        return {"aed": aed, "description": str(registry.a_description[idx]) if idx is not None else "",
                "requested_at": found.requested_at.isoformat(),
                "out_of_service_until": found.out_of_service_until.isoformat() if found.out_of_service_until else None,
                "today": node.clock.now().date().isoformat()}

    @router.post("/v1/aed-check/open", summary="what the manager's check-back page shows (one-time code)")
    async def open_check(body: Annotated[CodeBody, Body()]) -> Any:
        try:
            link = await run_in_threadpool(links.lookup, body.code)
        except LinkRefused as exc:
            return _refused(exc)
        view = node.query(lambda: page_view(link.aed))
        if view is None:  # confirmed meanwhile (at the console, or through another link)
            return JSONResponse({"error": "Deze AED is al gecontroleerd en weer inzetklaar gemeld.",
                                 "field": "code", "reason": "used"}, status_code=401)
        return view

    @router.post("/v1/aed-check/answer", summary="the manager's answer: ready, or out of service until a date")
    async def answer(body: Annotated[AnswerBody, Body()]) -> Any:
        def work() -> Any:
            with links.answering:
                link = links.lookup(body.code)
                who = Caller("aed-check-link", f"AED-beheerder {link.aed}")
                fingerprint = request_fingerprint("POST", "/v1/aed-check/answer", body.answer)

                def write() -> list[Event]:
                    return node.engine.answer_aed_check(link.aed, body.answer, "link")
                events, _ = node.run(who, None, fingerprint, write, lambda ev: ev)
                links.use_up(link.aed)
                return {"aed": link.aed, "outcome": events[0]["outcome"], "until": events[0].get("until"),
                        "back_in_alerts": any(e.type == "aed_ready_confirmed" for e in events)}
        try:
            return await run_in_threadpool(work)
        except LinkRefused as exc:
            return _refused(exc)

    @router.get("/v1/aed-checks", summary="AEDs awaiting their manager's check, oldest first, with their age")
    async def aed_checks(who: Who) -> Any:
        if who.role != "workstation":
            return JSONResponse({"error": "only a workstation reads the AED check list", "field": "Authorization"},
                                status_code=403)

        def work() -> list[dict[str, Any]]:
            return [a.to_dict() for a in awaiting(node.engine.aed_checks(), node.engine.registry, node.clock.now())]
        result: list[dict[str, Any]] = node.query(work)
        return result

    return router
