"""Aftercare rules without a browser: who is asked, what a valid answer is, the store's
coordinator list and the both-sides-agree rule for contact between responders."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from alert_engine.aftercare.questionnaire import answer_data, asked, summarise
from alert_engine.centre.aftercare_store import AftercareStore
from alert_engine.errors import IllegalTransition, InvalidInput
from tests.builders import alerted, make_engine, ring_responders


def test_who_is_asked_after_the_alarm_and_for_how_long():
    engine, clock, _ = make_engine(ring_responders(30, 400), [])
    alerted(engine, "I1", clock)
    ids = [r["id"] for r in engine.store.read("I1")[-1]["responders"]]
    came, accepted, declined, silent = ids[:4]
    engine.respond("I1", came, "accept")
    engine.arrive("I1", came)
    engine.respond("I1", accepted, "accept")
    engine.respond("I1", declined, "decline")
    assert not asked(engine.state("I1"), came, clock.now())  # not while the alarm runs
    engine.close("I1")
    s, now = engine.state("I1"), clock.now()
    assert [asked(s, r, now) for r in (came, accepted, declined, silent)] == [True, True, False, False]
    assert not asked(s, came, now + timedelta(days=15))  # offered for two weeks


def test_answers_are_checked_by_field():
    assert answer_data({"arrived": None, "wellbeing": "okay"})["arrived"] is None
    with pytest.raises(InvalidInput, match=r"^wellbeing: choose one of good, okay, hard"):
        answer_data({"arrived": True})
    with pytest.raises(InvalidInput, match=r"^arrived: expected yes"):
        answer_data({"arrived": "ja", "wellbeing": "good"})
    with pytest.raises(InvalidInput, match=r"^name: unknown question"):
        answer_data({"wellbeing": "good", "name": "Jan"})


def test_store_lists_follow_ups_and_reveals_pseudonyms_only_when_both_agree(tmp_path: Path):
    store = AftercareStore(tmp_path / "events.sqlite")
    store.answer("I1", "BHV-1", "Deil", answer_data({"wellbeing": "hard", "contact_others": True}))
    store.answer("I1", "BHV-2", "Deil", answer_data({"wellbeing": "good"}))
    store.answer("I2", "BHV-3", "Tiel", answer_data({"wellbeing": "okay", "wants_contact": True}))
    with pytest.raises(IllegalTransition, match="filled in already"):
        store.answer("I1", "BHV-2", "Deil", answer_data({"wellbeing": "good"}))
    assert [(f["pseudonym"], f["reasons"]) for f in store.follow_ups()] == [
        ("BHV-1", ["distress"]), ("BHV-3", ["wants_contact"])]
    assert [f["pseudonym"] for f in store.follow_ups(municipality="Deil")] == ["BHV-1"]  # a local volunteer's list
    assert store.contact_view("I1", "BHV-2") == {"agreed": False, "others_waiting": True, "matched": []}
    assert store.contact_view("I1", "BHV-1")["matched"] == []
    store.consent("I1", "BHV-2")
    assert store.contact_view("I1", "BHV-1")["matched"] == ["BHV-2"]
    assert store.contact_view("I1", "BHV-2")["matched"] == ["BHV-1"]
    assert store.contact_view("I2", "BHV-3")["others_waiting"] is False  # another incident's consent is not theirs
    assert store.called("I1", "BHV-1", "coördinator") and not store.called("I1", "BHV-1", "x")
    assert [f["pseudonym"] for f in store.follow_ups()] == ["BHV-3"]
    s = summarise(store.answers(incident="I1"), asked_count=3, contact_pairs=store.pairs(["I1"]))
    assert (s.asked, s.answered, s.follow_up, s.contact_between) == (3, 2, 1, 1)
    assert dict(s.wellbeing) == {"good": 1, "okay": 0, "hard": 1}
    store.close()
