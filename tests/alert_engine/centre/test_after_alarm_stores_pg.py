"""The issue-15 side stores on PostgreSQL (the same SQL as on SQLite): aftercare answers and
consents, AED check-back links, self-service overrides; migrated once per component."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from alert_engine.aftercare.questionnaire import answer_data
from alert_engine.centre.aed_check_links import AedCheckLinks, LinkRefused
from alert_engine.centre.aftercare_store import AftercareStore
from alert_engine.centre.self_service import SelfService
from alert_engine.registry.table import Registry
from tests.builders import aed_at, ring_responders

pytestmark = pytest.mark.centre


def test_the_side_stores_work_on_postgresql(pg_url: str) -> None:
    now = [datetime(2026, 11, 22, 18, 0, tzinfo=UTC)]
    store = AftercareStore(pg_url, lambda: now[0])
    store.answer("I1", "BHV-1", "Deil", answer_data({"wellbeing": "hard", "contact_others": True}))
    store.answer("I1", "BHV-2", "Deil", answer_data({"wellbeing": "good", "arrived": True}))
    assert [f["pseudonym"] for f in store.follow_ups()] == ["BHV-1"]
    store.consent("I1", "BHV-2")
    assert store.contact_view("I1", "BHV-1")["matched"] == ["BHV-2"]
    assert store.answers(month="2026-11")[1]["arrived"] is True
    store.close()
    again = AftercareStore(pg_url)  # a second node: migrated already, sees the same rows
    assert len(again.answers(incident="I1")) == 2
    again.close()

    links = AedCheckLinks(pg_url, lambda: now[0])
    code = links.issue("A1", "I1", "request")
    assert links.lookup(code).aed == "A1"
    assert links.use_up("A1") == 1
    with pytest.raises(LinkRefused, match="used"):
        links.lookup(code)
    now[0] += timedelta(days=60)
    assert links.remove_expired(now[0] - timedelta(days=30)) == 1
    links.close()

    registry = Registry.from_records(ring_responders(3), [aed_at("A1", 100, 0)])
    ss = SelfService(pg_url, registry, threading.RLock(), lambda: now[0])
    ss.set_aed("A1", status="maintenance", hours="Mo off; Tu 08:00-17:00", cabinet_code="1234567890")
    view = ss.aed_view("A1")
    assert view["status"] == "maintenance" and view["cabinet_code_hint"] == "•••0"
    assert str(registry.a_cabinet[registry.a_index["A1"]]) == "1234567890"  # widened in place
    ss.close()
