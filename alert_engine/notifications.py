"""Messages to responders, and the channel interface at the edge of the world.

The engine composes what each responder is told; a channel delivers it (app push, SMS,
voice). Only the runners of an AED ever receive its cabinet code. Training and test
alarms are marked in every message, and a channel declares which modes it may carry, so
a training alarm has no path to a real phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Message:
    responder: str
    kind: str  # "alert", "cancel", "not_needed", "coordinator"
    mode: str  # "live", "training", "test"
    incident: str
    text: str
    role: str | None = None
    aed: str | None = None
    cabinet_code: str | None = None


class Channel(Protocol):
    """Delivers messages; `modes` lists the incident modes this channel may carry."""

    modes: frozenset[str]

    def send(self, message: Message) -> None: ...


class RecordingChannel:
    """Keeps messages in memory: the test double for push/SMS, and the training sink."""

    def __init__(self, modes: frozenset[str] = frozenset({"live", "training", "test"})) -> None:
        self.modes = modes
        self.sent: list[Message] = []

    def send(self, message: Message) -> None:
        self.sent.append(message)


_PREFIX = {"live": "", "training": "OEFENING – ", "test": "TEST – proefalarm – "}


def alert_text(mode: str, role: str, aed_description: str | None, distance_m: float) -> str:
    prefix = _PREFIX.get(mode, "")
    if role == "aed":
        where = f" ({aed_description})" if aed_description else ""
        return f"{prefix}Reanimatie: haal eerst de AED{where} en breng die naar het slachtoffer."
    return f"{prefix}Reanimatie op {round(distance_m)} m: ga direct naar het slachtoffer en start reanimatie."


def cancel_text(mode: str, reason: str) -> str:
    prefix = _PREFIX.get(mode, "")
    if reason == "live_alarm":
        return f"{prefix}Deze oefening stopt voor u: u wordt nu gealarmeerd voor een echte reanimatie."
    if reason == "target_reached":
        return f"{prefix}Er zijn genoeg burgerhulpverleners onderweg. U hoeft niet meer te komen. Dank u!"
    return f"{prefix}De alarmering is ingetrokken. U hoeft niet (meer) te komen."


def coordinator_text(mode: str) -> str:
    # The three tasks FirstAED gives its third responder, in the order they come up; the web
    # app's coordinator screen says the same (alert_engine/centre/web/app.js, "coord_*").
    return (f"{_PREFIX.get(mode, '')}U bent coördinator: wijs de andere hulpverleners de weg naar het "
            "slachtoffer, neem de reanimatie om de beurt over en vang de ambulance op.")


def not_needed_text(mode: str) -> str:
    return f"{_PREFIX.get(mode, '')}Dank u, er zijn al genoeg hulpverleners ter plaatse of onderweg."
