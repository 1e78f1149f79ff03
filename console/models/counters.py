"""The live panel's numbers for one incident: `Counters` is the engine's one definition
(alert_engine.views.figures), so the panel shows the same target the engine cancels at;
the chart's step curves are drawn from the same state."""

from __future__ import annotations

from datetime import datetime

from alert_engine.state import IncidentState
from alert_engine.views.figures import Counters, accepted_at, arrived_at

__all__ = ["Counters", "cumulative_curves"]


def cumulative_curves(s: IncidentState | None, now: datetime) -> tuple[list[float], list[float], list[float], list[float]]:
    """Step curves since the alert: (accept x, accept y, arrival x, arrival y) in seconds."""
    if s is None or s.alert_time is None:
        return [], [], [], []
    start = s.alert_time
    accepts = sorted((t - start).total_seconds() for t in accepted_at(s).values())
    arrivals = sorted((t - start).total_seconds() for t in arrived_at(s).values())
    end = ((s.closed_at or now) - start).total_seconds()
    ax, ay = _steps(accepts, end)
    rx, ry = _steps(arrivals, end)
    return ax, ay, rx, ry


def _steps(times: list[float], end: float) -> tuple[list[float], list[float]]:
    xs, ys = [0.0], [0.0]
    for n, t in enumerate(times, start=1):
        xs += [t, t]
        ys += [n - 1, n]
    xs.append(max(end, xs[-1]))
    ys.append(float(len(times)))
    return xs, [float(y) for y in ys]
