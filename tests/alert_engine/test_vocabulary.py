"""Issue 10: the engine's words are enums, every event type has exactly one fold rule, and
the lifecycle tables are where "which states may do what" is written down."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alert_engine.errors import InvalidInput
from alert_engine.events import REQUIRED, Event
from alert_engine.lifecycle import CANCELLABLE, HOLDING, PENDING, RESPONDER_MOVES
from alert_engine.state import _HANDLERS, IncidentState, apply
from alert_engine.vocabulary import EventType, ResponderStatus


def test_every_event_type_is_an_enum_member_with_one_fold_rule() -> None:
    assert set(REQUIRED) == {t.value for t in EventType}
    assert set(_HANDLERS) == set(REQUIRED)


def test_the_fold_fails_loudly_on_a_type_without_a_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    e = Event(1, datetime(2026, 11, 22, 19, 40, tzinfo=UTC), "I1", "call_received", {"lat": 52.0, "lon": 4.5})
    monkeypatch.delitem(_HANDLERS, "call_received")
    with pytest.raises(InvalidInput, match="no rule to fold"):
        apply(IncidentState.empty("I1"), e)


def test_named_state_sets_come_from_the_tables() -> None:
    every = {s.value for s in ResponderStatus}
    assert set(CANCELLABLE) == set(RESPONDER_MOVES["cancel"])
    assert set(PENDING) | set(HOLDING) <= every
    for targets in RESPONDER_MOVES.values():
        assert set(targets) <= every and set(targets.values()) <= every
