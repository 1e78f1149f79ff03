"""Issue 10 (one definition of every figure): over every example and training scenario, at
every event, the queue's phase, the live tiles' targets and the review's milestones agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from alert_engine.review.intervals import intervals
from alert_engine.scenario.loader import load_scenario
from alert_engine.scenario.runner import run_scenario
from alert_engine.state import IncidentState, apply
from alert_engine.training.library import load_training_scenario
from alert_engine.views.figures import Counters, accepted_at, target_met
from tests.paths import REPO

ROOT = REPO
EXAMPLES = sorted((ROOT / "scenarios").glob("*.json"))
TRAINING = sorted((ROOT / "scenarios" / "training").glob("*.json"))


def _scenario(path: Path):  # type: ignore[no-untyped-def]
    return load_training_scenario(path).scenario if path.parent.name == "training" else load_scenario(path)


@pytest.mark.parametrize("path", EXAMPLES + TRAINING, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_phase_tiles_and_review_agree_at_every_event(path: Path) -> None:
    scenario = _scenario(path)
    result = run_scenario(scenario)
    config = result.engine.config
    states: dict[str, IncidentState] = {}
    events = result.events
    for i, e in enumerate(events):
        s = states[e.incident] = apply(states.get(e.incident) or IncidentState.empty(e.incident), e)
        follows = events[i + 1] if i + 1 < len(events) else None
        if follows is not None and follows.time == e.time and follows.incident == e.incident:
            continue  # one command's events land together: judge the state after the last of them
        if s.mode == "test" or s.alert_time is None:
            continue
        tiles = Counters.of(s, config)
        if s.phase == "target_met":  # the queue says "doel bereikt" ...
            assert tiles.responders_met and tiles.runners_met, (e.seq, tiles)  # ... so do the tiles
        if s.alarm_open and s.target_met_at is None and s.pending:
            # Not met while people are still without an answer: the engine would have cancelled them.
            assert not target_met(s, config), (e.seq, tiles)
    for incident, s in states.items():
        review = intervals([e for e in result.events if e.incident == incident], incident)
        assert review.alert_time == s.alert_time and review.call_time == s.call_time
        assert (review["first_accept"].at is None) == (not any(r.answered_at and r.state != "declined"
                                                               for r in s.responders.values())
                                                        and not any(e.type == "responder_accepted" and
                                                                    e.incident == incident for e in result.events))


@pytest.mark.parametrize("path", EXAMPLES + TRAINING, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_accepted_means_one_thing_in_tiles_curve_review_and_report(path: Path) -> None:
    """'Accepted' had five definitions; now the live curve, the review's counts and the
    report's chart all read views.figures.accepted_at."""
    from alert_engine.review.report import chart_svg
    from console.models.counters import cumulative_curves

    result = run_scenario(_scenario(path))
    for incident, s in result.engine.states.items():
        if s.alert_time is None:
            continue
        mine = [e for e in result.events if e.incident == incident]
        n = len(accepted_at(s))
        review = intervals(mine, incident)
        assert review.counts.accepted == n
        _, ay, _, _ = cumulative_curves(s, s.last_time or s.alert_time)
        assert ay[-1] == n  # the live chart's accept curve ends at the same number
        svg = chart_svg(s, mine, review)
        assert "<polyline" in svg
