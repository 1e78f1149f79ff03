"""The live panel's numbers for one incident, derived from its state (no Qt, no rules).

Targets come from the engine's config (Kwaliteitskader: 5 responders on scene, of whom
2 bring an AED; 2 AEDs), so the panel shows the same target the engine cancels at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from alert_engine.config import AlertConfig
from alert_engine.state import IncidentState


@dataclass(frozen=True)
class Counters:
    alerted: int = 0
    accepted: int = 0  # coming or there, oversupply excluded
    accepted_runners: int = 0
    declined: int = 0
    timed_out: int = 0
    arrived: int = 0
    cancelled: int = 0
    oversupply: int = 0
    aeds_alerted: int = 0
    aeds_coming: int = 0  # an accepted runner is bringing it, or it is fetched/connected
    target_responders: int = 5
    target_runners: int = 2
    target_aeds: int = 2
    target_met_at: datetime | None = None
    feedback_sent: bool = False

    @property
    def responders_met(self) -> bool:
        return self.accepted >= self.target_responders

    @property
    def runners_met(self) -> bool:
        return self.accepted_runners >= self.target_runners

    @property
    def aeds_met(self) -> bool:
        return self.aeds_coming >= self.target_aeds

    @property
    def show_oversupply_notice(self) -> bool:
        """Target met and cancellations went out: the dispatcher may see too many arrive."""
        return self.target_met_at is not None and (self.cancelled > 0 or self.oversupply > 0)

    @classmethod
    def of(cls, s: IncidentState | None, config: AlertConfig) -> Counters:
        targets = {
            "target_responders": config.target_responders,
            "target_runners": config.target_aed_runners,
            # Kwaliteitskader: 2 AEDs on scene; each AED runner brings one, so the engine's
            # runner target is the AED target too (one definition, in the engine's config).
            "target_aeds": config.target_aed_runners,
        }
        if s is None:
            return cls(**targets)  # type: ignore[arg-type]
        responders = s.responders.values()
        # An AED counts as coming once its runner accepted (the runner may not be there yet).
        coming_runners = {
            r.aed for r in responders if r.role == "aed" and r.aed and r.state in ("accepted", "arrived")
        }
        aeds_coming = sum(
            1 for a in s.aeds.values() if a.id in coming_runners or a.state in ("fetched", "connected")
        )
        return cls(
            alerted=len(s.responders),
            accepted=s.accepted,
            accepted_runners=s.accepted_runners,
            declined=s.count("declined"),
            timed_out=s.count("timed_out"),
            arrived=s.count("arrived"),
            cancelled=sum(1 for r in responders if r.cancelled_at is not None),
            oversupply=len(s.oversupply),
            aeds_alerted=len(s.aeds),
            aeds_coming=aeds_coming,
            target_met_at=s.target_met_at,
            feedback_sent=bool(s.oversupply_feedback),
            **targets,  # type: ignore[arg-type]
        )


def cumulative_curves(s: IncidentState | None, now: datetime) -> tuple[list[float], list[float], list[float], list[float]]:
    """Step curves since the alert: (accept x, accept y, arrival x, arrival y) in seconds."""
    if s is None or s.alert_time is None:
        return [], [], [], []
    start = s.alert_time
    accepts = sorted(
        (r.answered_at - start).total_seconds()
        for r in s.responders.values()
        if r.answered_at is not None and r.state in ("accepted", "arrived", "cancelled")
    )
    arrivals = sorted(
        (r.arrived_at - start).total_seconds() for r in s.responders.values() if r.arrived_at is not None
    )
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
