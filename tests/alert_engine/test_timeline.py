"""The discrete-event timeline every simulated run plays on: order, ties, cancel, boundaries."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

import pytest

from alert_engine.clock import SimClock
from alert_engine.timeline import Timeline
from alert_engine.training.clock import TrainingClock
from tests.builders import EVENING

US = timedelta(microseconds=1)


def at(seconds: float) -> datetime:
    return EVENING + timedelta(seconds=seconds)


Played = list[tuple[str, datetime]]


def note(played: Played, clock: SimClock, name: str) -> Callable[[], None]:
    """An action that records its name and the clock's time when it ran."""
    return lambda: played.append((name, clock.now()))


def test_plays_in_time_order_whatever_the_order_of_scheduling() -> None:
    clock = SimClock(EVENING)
    timeline = Timeline(clock)
    played: Played = []
    for s in (30, 10, 20, 0, 25):
        timeline.schedule(at(s), note(played, clock, f"t{s}"))
    assert len(timeline) == 5 and timeline.next_due() == at(0)
    assert timeline.run() == 5
    # Each action ran with the clock on its own time.
    assert played == [(f"t{s}", at(s)) for s in (0, 10, 20, 25, 30)]
    assert len(timeline) == 0 and timeline.next_due() is None and not timeline


def test_ties_go_by_order_then_by_scheduling() -> None:
    timeline = Timeline()
    played: list[tuple[int, int]] = []
    rng = random.Random(4)
    ranks = [rng.randrange(3) for _ in range(60)]
    for n, rank in enumerate(ranks):
        timeline.schedule(at(5), partial(played.append, (rank, n)), order=rank)
    timeline.schedule(at(4.999), lambda: played.append((-1, -1)), order=9)  # earlier beats any rank
    timeline.run()
    assert played[0] == (-1, -1)
    assert played[1:] == sorted(((r, n) for n, r in enumerate(ranks)))  # file order within a rank


def test_cancel_takes_an_entry_off_once() -> None:
    clock = SimClock(EVENING)
    timeline = Timeline(clock)
    played: Played = []
    first = timeline.schedule(at(1), note(played, clock, "first"))
    timeline.schedule(at(2), note(played, clock, "second"))
    third = timeline.schedule(at(3), note(played, clock, "third"))
    assert timeline.cancel(first) is True
    assert timeline.cancel(first) is False  # already off
    assert len(timeline) == 2 and timeline.next_due() == at(2)  # the cancelled head is skipped
    timeline.run_until(at(3))
    assert [name for name, _ in played] == ["second", "third"]
    assert timeline.cancel(third) is False  # played already
    assert len(timeline) == 0


def test_run_until_plays_what_is_due_at_the_bound_not_after_and_ends_on_it() -> None:
    clock = SimClock(EVENING)
    timeline = Timeline(clock)
    played: Played = []
    timeline.schedule(at(10), note(played, clock, "on the bound"))
    timeline.schedule(at(10) + US, note(played, clock, "just after"))
    assert timeline.run_until(at(10) - US) == 0
    assert clock.now() == at(10) - US and played == []  # time passed, nothing was due
    assert timeline.run_until(at(10)) == 1
    assert played == [("on the bound", at(10))] and clock.now() == at(10)
    assert timeline.next_due() == at(10) + US and len(timeline) == 1
    timeline.run_until(at(60))
    assert played[-1] == ("just after", at(10) + US) and clock.now() == at(60)


def test_run_until_never_moves_the_clock_back() -> None:
    clock = SimClock(at(100))
    timeline = Timeline(clock)
    played: Played = []
    timeline.schedule(at(50), note(played, clock, "late"))
    timeline.run_until(at(80))
    assert played == [("late", at(100))] and clock.now() == at(100)  # played late, at now


def test_an_action_may_schedule_more_at_the_same_instant() -> None:
    clock = SimClock(EVENING)
    timeline = Timeline(clock)
    played: list[str] = []

    def parent() -> None:
        played.append("parent")
        timeline.schedule(at(5), lambda: played.append("child"))  # same time and rank
        timeline.schedule(at(5), lambda: played.append("urgent child"), order=-1)
        timeline.schedule(at(6), lambda: played.append("later child"))

    timeline.schedule(at(5), parent)
    timeline.schedule(at(5), lambda: played.append("sibling"))
    assert timeline.run_until(at(5)) == 4
    # What is scheduled meanwhile comes after what was already there, unless it ranks lower.
    assert played == ["parent", "urgent child", "sibling", "child"]
    assert timeline.next_due() == at(6)


def test_a_followed_agenda_is_asked_afresh_and_ranks_like_an_entry() -> None:
    clock = SimClock(EVENING)
    timeline = Timeline(clock)
    agenda = [at(5), at(8)]  # something kept elsewhere (like the engine's deadlines)
    played: list[str] = []

    def run_agenda(t: datetime) -> None:
        assert clock.now() == t == agenda.pop(0)  # the clock was moved to it first
        played.append(f"agenda {(t - EVENING).seconds}")

    timeline.follow(lambda: agenda[0] if agenda else None, run_agenda, order=0)
    timeline.schedule(at(5), lambda: played.append("script 5"), order=1)

    def script_7() -> None:
        agenda.insert(0, at(7))  # e.g. an alert sent now: a new deadline
        played.append("script 7")

    timeline.schedule(at(7), script_7, order=1)
    assert len(timeline) == 2  # the agenda is not ours to count
    assert timeline.next_due() == at(5)
    timeline.run()
    # At 5 the agenda goes first (lower order); at 7 the script adds to it, which plays at 7.
    assert played == ["agenda 5", "script 5", "script 7", "agenda 7", "agenda 8"]
    assert timeline.next_due() is None


def test_stepping_while_entries_remain_leaves_the_followed_agenda_behind() -> None:
    timeline = Timeline(SimClock(EVENING))
    agenda = [at(1), at(3), at(9)]
    timeline.follow(lambda: agenda[0] if agenda else None, lambda _t: agenda.pop(0), order=5)
    timeline.schedule(at(3), lambda: None, order=0)
    while timeline:  # as simulate-year's alarm: the responders only fill the script's gaps
        timeline.step()
    assert agenda == [at(3), at(9)]  # the script went first at 3, and then the alarm was over
    assert timeline.step(until=at(2)) is None  # nothing due by then
    assert timeline.step(until=at(3)) == at(3) and agenda == [at(9)]


def test_a_training_clock_is_jumped_forward_only() -> None:
    wall = [1000.0]
    clock = TrainingClock(EVENING, lambda: wall[0])
    timeline = Timeline(clock)
    seen: list[datetime] = []
    timeline.schedule(at(90), lambda: seen.append(clock.now()))
    clock.resume()
    wall[0] += 20  # 20 s of scenario time passed on its own
    timeline.run_until(clock.now())
    assert seen == [] and clock.elapsed_s() == 20
    timeline.run_until(at(120))
    assert seen == [at(90)] and clock.elapsed_s() == 120


def test_no_clock_decides_the_order_only() -> None:
    timeline = Timeline()
    played: list[int] = []
    timeline.schedule(at(2), lambda: played.append(2))
    timeline.schedule(at(1), lambda: played.append(1))
    assert timeline.step() == at(1) and timeline.step() == at(2) and timeline.step() is None
    assert played == [1, 2]


def test_a_sim_clock_refuses_to_go_back_so_the_timeline_must_not_try() -> None:
    clock = SimClock(at(10))
    with pytest.raises(ValueError, match="cannot go back"):
        clock.set(at(5))
    Timeline(clock).run_until(at(5))  # a bound in the past: nothing to do, no error
    assert clock.now() == at(10)
