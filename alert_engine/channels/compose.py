"""What each channel says: the push payload, the SMS text, the voice script.

The words are the engine's (alert_engine/notifications.py), so the console's preview, a
training message and a real SMS say the same. The cabinet code goes only to the runners of
that AED, and only by SMS and voice: a push payload passes through the push service (FCM's
is not end-to-end encrypted), so the app shows the code from its own session instead.
None of this is ever logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..notifications import alert_text, cancel_text, coordinator_text, not_needed_text
from ..registry.table import Registry
from ..state import IncidentState
from .policy import ALERT, CANCEL, COORDINATOR, Send


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message handed to one gateway (address: a push subscription or a phone number)."""

    key: str
    incident: str
    responder: str
    channel: str
    kind: str
    attempt: int
    gateway: str
    address: Any
    text: str
    data: dict[str, Any]


def _aed(registry: Registry, aed: str | None) -> tuple[str | None, str | None]:
    if not aed:
        return None, None
    idx = registry.a_index.get(aed)
    if idx is None:
        return None, None
    return str(registry.a_description[idx]) or None, str(registry.a_cabinet[idx]) or None


def compose(send: Send, s: IncidentState, registry: Registry, gateway: str, address: Any,
            app_url: str = "") -> Outgoing:
    r = s.responders[send.responder]
    code: str | None = None
    if send.kind == ALERT:
        description, code = _aed(registry, r.aed) if r.role == "aed" else (None, None)
        text = alert_text(s.mode, r.role, description, r.distance_m)
    elif send.kind == CANCEL:
        text = cancel_text(s.mode, send.reason)
    elif send.kind == COORDINATOR:
        text = coordinator_text(s.mode)
    else:
        text = not_needed_text(s.mode)
    data: dict[str, Any] = {"v": 1, "incident": s.id, "kind": send.kind, "mode": s.mode, "role": r.role,
                            "aed": r.aed, "text": text, "key": send.key, "attempt": send.attempt}
    if send.kind == COORDINATOR:
        data["title"] = "Je bent coördinator"  # the notification's title (sw.js); the app shows the role screen
    if app_url:
        data["url"] = app_url
    if send.channel in ("sms", "voice") and send.kind == ALERT:
        if code:
            spoken = " ".join(code) if send.channel == "voice" else code
            text = f"{text} Code van de AED-kast: {spoken}."
        if send.channel == "sms" and app_url:
            text = f"{text} {app_url}"
    if send.channel == "voice":
        text = f"Dit is de meldkamer ambulancezorg. {text} Ik herhaal: {text}"
    return Outgoing(send.key, s.id, r.id, send.channel, send.kind, send.attempt, gateway, address, text, data)
