"""Issue 12: the engine's commit companion (the centre's channel dispatcher) adds an alert's
first messages to the alert's own commit. What a dispatcher relies on: one write, the
command's answer unchanged, and the alert never held up by a companion that fails."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from alert_engine.eventlog.store import MemoryEventStore
from alert_engine.events import Event
from alert_engine.state import IncidentState
from tests.builders import facts, make_engine, ring_responders


class CountingStore(MemoryEventStore):
    """A real in-memory store that counts its writes (one write = one transaction)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[list[str]] = []

    def append(self, events: Sequence[Event]) -> None:
        super().append(events)
        self.writes.append([e.type for e in events])


def first_messages(states: Mapping[str, IncidentState], events: Sequence[Event], now: datetime) -> list[Any]:
    out = []
    for e in events:
        if e.type == "alert_sent":
            for r in e["responders"]:
                out.append((e.incident, "message_sent", {"responder": r["id"], "channel": "app", "kind": "alert",
                                                         "attempt": 1, "why": "first", "gateway": "webpush"}))
    return out


def alerted_engine(companion: Any) -> tuple[Any, CountingStore, list[list[Event]]]:
    store = CountingStore()
    engine, _, _ = make_engine(ring_responders(30), [], store=store)
    heard: list[list[Event]] = []
    engine.subscribe(lambda events: heard.append(list(events)))
    engine.call("I1", facts())
    engine.dispatch_ambulance("I1", "15-101")
    engine.companion = companion
    return engine, store, heard


def test_the_alert_and_its_first_messages_are_one_write_and_the_answer_is_the_alerts() -> None:
    engine, store, heard = alerted_engine(first_messages)
    answer = engine.trigger_alert("I1")
    assert [e.type for e in answer][-1] == "alert_sent" and "message_sent" not in {e.type for e in answer}
    alerted = {r["id"] for r in answer[-1]["responders"]}
    last = store.writes[-1]
    assert last.count("message_sent") == len(alerted) and last.index("message_sent") > last.index("alert_sent")
    assert heard[-1][-len(alerted):] == store.read()[-len(alerted):]  # listeners hear all of it
    assert set(engine.state("I1").messages) and all(m.channel == "app" for m in engine.state("I1").messages.values())
    engine.close("I1")  # the fold goes on as usual


def test_a_companion_that_fails_or_is_refused_leaves_the_alert_as_it_was() -> None:
    def broken(*_: Any) -> list[Any]:
        raise RuntimeError("directory away")

    def refused(states: Mapping[str, IncidentState], events: Sequence[Event], now: datetime) -> list[Any]:
        return [*first_messages(states, events, now), *first_messages(states, events, now)]  # a second per key

    for companion in (broken, refused):
        engine, store, _ = alerted_engine(companion)
        answer = engine.trigger_alert("I1")
        assert answer[-1].type == "alert_sent" and "message_sent" not in store.writes[-1]
        assert not engine.state("I1").messages and engine.state("I1").alarm_open
