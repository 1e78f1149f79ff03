"""Counts and targets of one incident, derived from its folded state and the config."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..config import AlertConfig
from ..lifecycle import AED_USED, COMING
from ..state import IncidentState


@dataclass(frozen=True)
class Targets:
    """What 'enough' means for this alarm: Kwaliteitskader's 5 on scene of whom 2 bring an
    AED, but never more AED runners than were alerted (no AED in reach: all go direct)."""

    responders: int
    aed_runners: int
    aeds: int


def targets(s: IncidentState | None, config: AlertConfig) -> Targets:
    if s is None or s.alert_time is None:
        return Targets(config.target_responders, config.target_aed_runners, config.target_aed_runners)
    runners_alerted = sum(1 for r in s.responders.values() if r.role == "aed")
    runners = min(config.target_aed_runners, runners_alerted)
    # Each AED runner brings one AED: the AED target is the runner target, capped by the AEDs alerted.
    return Targets(config.target_responders, runners, min(runners, len(s.aeds)))


def accepted(s: IncidentState) -> int:
    """Responders coming or there (accepted or arrived), oversupply not counted."""
    return sum(1 for r in s.responders.values() if r.state in COMING)


def accepted_runners(s: IncidentState) -> int:
    return sum(1 for r in s.responders.values() if r.role == "aed" and r.state in COMING)


def aeds_coming(s: IncidentState) -> int:
    """AEDs on their way: an accepted runner is bringing it, or it is fetched or connected."""
    brought = {r.aed for r in s.responders.values() if r.role == "aed" and r.aed and r.state in COMING}
    return sum(1 for a in s.aeds.values() if a.id in brought or a.state in AED_USED)


def accepted_at(s: IncidentState, late: bool = False) -> dict[str, datetime]:
    """Who answered yes, and when: "accepted" in every count, curve and report. Accepted while
    needed (whatever happened after: on scene, or stood down at closing); `late` adds those
    who accepted after their cancellation or after the target was met (oversupply)."""
    kept = ("accepted", "arrived", "cancelled", "oversupply") if late else ("accepted", "arrived", "cancelled")
    return {r.id: r.answered_at for r in s.responders.values() if r.answered_at is not None and r.state in kept}


def arrived_at(s: IncidentState) -> dict[str, datetime]:
    return {r.id: r.arrived_at for r in s.responders.values() if r.arrived_at is not None}


def target_met(s: IncidentState, config: AlertConfig) -> bool:
    """The engine's rule 6 test: enough accepted, with enough AED runners among them."""
    t = targets(s, config)
    return accepted(s) >= t.responders and accepted_runners(s) >= t.aed_runners


@dataclass(frozen=True)
class Counters:
    """The live panel's numbers for one incident."""

    alerted: int = 0
    accepted: int = 0  # coming or there, oversupply excluded
    accepted_runners: int = 0
    declined: int = 0
    timed_out: int = 0
    arrived: int = 0
    cancelled: int = 0
    oversupply: int = 0
    aeds_alerted: int = 0
    aeds_coming: int = 0
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
        t = targets(s, config)
        goal = {"target_responders": t.responders, "target_runners": t.aed_runners, "target_aeds": t.aeds}
        if s is None:
            return cls(**goal)  # type: ignore[arg-type]
        return cls(
            alerted=len(s.responders),
            accepted=accepted(s),
            accepted_runners=accepted_runners(s),
            declined=s.count("declined"),
            timed_out=s.count("timed_out"),
            arrived=s.count("arrived"),
            cancelled=sum(1 for r in s.responders.values() if r.cancelled_at is not None),
            oversupply=len(s.oversupply),
            aeds_alerted=len(s.aeds),
            aeds_coming=aeds_coming(s),
            target_met_at=s.target_met_at,
            feedback_sent=bool(s.oversupply_feedback),
            **goal,  # type: ignore[arg-type]
        )
