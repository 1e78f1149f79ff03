"""Complaints over HTTP (issue 15): register, list, move on and link a report; workstation
tokens only. Each is a command like the others (Idempotency-Key, actor from the token, 503 on
a standby) and each writes an access-log entry with the reason "klacht <id>".

- `POST /v1/complaints {"incident", "complainant", "contact", "summary", "received"}` -> 201
- `GET /v1/complaints[?incident=]`: every complaint, oldest first, with steps and reports
- `POST /v1/complaints/{id}/status {"status", "note"}`
- `POST /v1/complaints/{id}/report {"report", "sha256", "format"}`
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from ..complaints.access import entry_details, reason
from ..complaints.model import incident_of
from ..events import Event
from .node import CentreNode, request_fingerprint
from .tokens import Caller


class NewComplaint(BaseModel):
    model_config = ConfigDict(extra="forbid")
    incident: str = Field(min_length=1, max_length=64)
    complainant: str = Field(min_length=1, max_length=40)
    contact: str = Field(min_length=1, max_length=120)
    summary: str = Field(min_length=1, max_length=4000)
    received: date


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: str = Field(min_length=1, max_length=40)
    note: str = Field(default="", max_length=4000)


class ReportLinkBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    report: str = Field(min_length=1, max_length=300)
    sha256: str = Field(min_length=64, max_length=64)
    format: str = "html"


async def _workstation(request: Request) -> Caller:
    from .app import Forbidden, caller

    who = caller(request, request.headers.get("authorization"))
    if who.role != "workstation":
        raise Forbidden("complaints are handled from a workstation")
    return who


Who = Annotated[Caller, Depends(_workstation)]
Key = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]


def complaint_router(node: CentreNode) -> APIRouter:
    router = APIRouter(tags=["complaints"])

    def logged(who: Caller, events: list[Event]) -> None:
        for e in events:
            node.note_access(who, e.incident, "complaint", action="complaint", reason=reason(str(e["complaint"])),
                             details=entry_details(e))

    async def write(who: Caller, key: str | None, path: str, body: Any, work: Any) -> dict[str, Any]:
        fingerprint = request_fingerprint("POST", path, body)

        def replay(events: list[Event]) -> dict[str, Any]:
            return {"complaint": str(events[0]["complaint"]) if events else None,
                    "events": [e.to_dict() for e in events]}

        def run() -> dict[str, Any]:
            return replay(work())

        answer, replayed = await run_in_threadpool(node.run, who, key, fingerprint, run, replay)
        if not replayed:
            await run_in_threadpool(logged, who, [Event.from_dict(e) for e in answer["events"]])
        return answer

    @router.post("/v1/complaints", status_code=201, summary="register a complaint against an incident")
    async def register(entry: Annotated[NewComplaint, Body()], who: Who, key: Key = None) -> dict[str, Any]:
        def work() -> list[Event]:
            return node.engine.register_complaint(entry.incident, entry.complainant, entry.contact, entry.summary,
                                                  entry.received, who.user)
        return await write(who, key, "/v1/complaints", entry.model_dump(mode="json"), work)

    @router.get("/v1/complaints", summary="every complaint (or one incident's), oldest first")
    async def listing(who: Who, incident: Annotated[str | None, Query(max_length=64)] = None) -> dict[str, Any]:
        found = node.query(lambda: [c.to_dict() for c in node.engine.complaints()
                                    if incident is None or c.incident == incident])
        await run_in_threadpool(node.note_access, who, incident or "*", "complaint list", "complaint",
                                "klacht (lijst)", {"complaints": len(found)})
        return {"complaints": found}

    @router.post("/v1/complaints/{complaint}/status", summary="move a complaint on: investigating, answered")
    async def status(complaint: str, entry: Annotated[StatusChange, Body()], who: Who,
                     key: Key = None) -> dict[str, Any]:
        incident = incident_of(complaint)

        def work() -> list[Event]:
            return node.engine.change_complaint_status(incident, complaint, entry.status, entry.note, who.user)
        return await write(who, key, f"/v1/complaints/{complaint}/status", entry.model_dump(mode="json"), work)

    @router.post("/v1/complaints/{complaint}/report", summary="link the incident's review report to a complaint")
    async def report(complaint: str, entry: Annotated[ReportLinkBody, Body()], who: Who,
                     key: Key = None) -> dict[str, Any]:
        incident = incident_of(complaint)

        def work() -> list[Event]:
            return node.engine.link_complaint_report(incident, complaint, entry.report, entry.sha256, entry.format,
                                                     who.user)
        return await write(who, key, f"/v1/complaints/{complaint}/report", entry.model_dump(mode="json"), work)

    return router
