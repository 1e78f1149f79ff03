"""Request bodies of the channel routes (issue 12): delivery reports, acknowledgements, contacts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from .bodies import Body, Id


class Receipt(Body):
    """One delivery report: our idempotency key (sent to the provider as `reference`) and
    the provider's word for what happened. Providers add fields of their own: ignored."""

    model_config = ConfigDict(extra="ignore")
    reference: Annotated[str, Field(min_length=1, max_length=300)]
    status: Annotated[str, Field(min_length=1, max_length=40)]


class Receipts(Body):
    reports: Annotated[list[Receipt], Field(min_length=1, max_length=10_000)]


class Acknowledgement(Body):
    responder: Id
    incident: Id
    channel: Literal["app", "sms", "voice"] = "app"


class Contacts(Body):
    app: dict[str, Any] | None = Field(None, description="the browser's PushSubscription JSON, or {fcm_token}")
    phone: Annotated[str, Field(max_length=40)] | None = Field(None, description="E.164, for SMS and voice")


class TestAlarm(Body):
    """A municipality's exercise alarm, through the same channels as a real one."""

    __test__ = False  # not a pytest class, whatever its name
    municipality: Annotated[str, Field(min_length=1, max_length=100)]
    incident: Id | None = None
    max_responders: int = Field(1000, ge=1, le=1000)
