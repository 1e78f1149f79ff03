"""A year of cardiac-arrest alarms: where, when, and when the dispatcher and ambulance act.

Every figure has its source next to it (also in docs/behaviour.md). What the responders
do is not here: that is the behaviour model's job (behaviour.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

from ..clock import AMSTERDAM


@dataclass(frozen=True)
class IncidentParams:
    # Brooks 2010 Resuscitation 81:175 (ROC, 9,667 OHCAs): odds of an arrest per 6-hour
    # block relative to 00-06 h: 06-12 2.02, 12-18 2.01, 18-24 1.73 (more by day).
    block_weights: tuple[float, float, float, float] = (1.0, 2.02, 2.01, 1.73)
    # Assumption: dispatch of the A1 ambulance ~1.5 min after the call is taken (the
    # dispatcher first confirms address and urgency); log-normal spread.
    dispatch_median_s: float = 90.0
    dispatch_sigma: float = 0.4
    # Sweden 2022 (PMID 36162614): call -> alert sent ~3.0 min. No Dutch figure published;
    # the alert never goes before the ambulance is dispatched (Kwaliteitskader).
    alert_median_s: float = 180.0
    alert_sigma: float = 0.45
    # Ambulance on scene after the call: log-normal fitted (least squares) to 400,000 Dutch
    # A1 rides of 2015 (Buurtfacts/RTL Nieuws 2016: 8 % < 5 min, 58 % 5-10, 29 % 10-15,
    # 5.8 % > 15 min); the fit gives 7.6 / 66 / 93.4 % at 5 / 10 / 15 min.
    ambulance_median_s: float = 8.54 * 60
    ambulance_sigma: float = 0.373
    # Assumption: the dispatcher closes the incident 15 min after the ambulance arrives
    # (hand-over done); responders still on their way then are released.
    close_after_ambulance_s: float = 15 * 60
    # Not every alerted alarm is an arrest: NL ~12,000 alarms a year (HartslagNu) against
    # ~8,000 resuscitations (a third not); Copenhagen: 53.5 % of alerted suspected arrests
    # confirmed (Andelius 2020). The Dutch third is used.
    p_not_arrest: float = 1 / 3
    # Assumption: the dispatcher calls half of those off early (it becomes clear on the
    # phone that the patient breathes), a median 2 min after the alert; the rest run on.
    p_called_off: float = 0.5
    called_off_median_s: float = 120.0
    called_off_sigma: float = 0.6


@dataclass(frozen=True, slots=True)
class Alarm:
    index: int
    lat: float
    lon: float
    call_time: datetime
    dispatch_s: float  # after the call
    alert_s: float  # after the call, never before dispatch
    ambulance_s: float  # after the call
    close_s: float  # after the call
    arrest: bool = True  # False: not a cardiac arrest after all
    called_off_s: float = math.nan  # after the call: the dispatcher cancels the alarm

    @property
    def incident(self) -> str:
        return f"Y{self.index:05d}"


def year_start(end: date) -> datetime:
    """Local midnight one year before `end`: the simulated year is [start, end)."""
    return datetime(end.year - 1, end.month, end.day, tzinfo=AMSTERDAM)


def draw_alarms(
    region: str, n: int, seed: int, end: date, params: IncidentParams | None = None
) -> list[Alarm]:
    """`n` alarms in the year before `end`: places in proportion to population (uniform
    inside each CBS PC4 area), times by day and 6-hour block, sorted by call time."""
    from ..registry.placement import points_in_polygons
    from ..registry.postcodes import region_areas

    p = params or IncidentParams()
    rng = np.random.default_rng([seed, 2020])  # not the demo registry's stream
    areas = region_areas(region)
    counts = rng.multinomial(n, areas.population / areas.population.sum())
    _, lat, lon = points_in_polygons(areas.geometry, counts, rng)
    order = rng.permutation(len(lat))
    lat, lon = lat[order], lon[order]

    start = year_start(end)
    days = (end - start.date()).days
    weights = np.asarray(p.block_weights) / sum(p.block_weights)
    block = rng.choice(4, size=n, p=weights)
    offset = rng.integers(0, days, n) * 86400.0 + block * 6 * 3600.0 + rng.uniform(0, 6 * 3600, n)
    dispatch = p.dispatch_median_s * np.exp(p.dispatch_sigma * rng.standard_normal(n))
    alert = np.maximum(dispatch, p.alert_median_s * np.exp(p.alert_sigma * rng.standard_normal(n)))
    ambulance = np.maximum(
        dispatch + 60.0, p.ambulance_median_s * np.exp(p.ambulance_sigma * rng.standard_normal(n))
    )
    close = np.maximum(ambulance, alert) + p.close_after_ambulance_s
    # Drawn last, so the places and times above stay those of earlier versions.
    not_arrest = rng.random(n) < p.p_not_arrest
    called_off = not_arrest & (rng.random(n) < p.p_called_off)
    off_after = p.called_off_median_s * np.exp(p.called_off_sigma * rng.standard_normal(n))
    off_at = np.where(called_off, np.minimum(alert + off_after, close - 1.0), np.nan)
    alarms: list[Alarm] = []
    for i in np.argsort(offset, kind="stable"):
        # Wall-clock offsets from local midnight: 03:00 is 03:00 also on DST days.
        day, secs = divmod(float(offset[i]), 86400.0)
        local = datetime.combine(start.date() + timedelta(days=int(day)), datetime.min.time())
        # UTC from here on: a simulated clock then never meets a DST jump.
        call = (local + timedelta(seconds=secs)).replace(tzinfo=AMSTERDAM).astimezone(UTC)
        alarms.append(
            Alarm(
                index=len(alarms) + 1,
                lat=float(lat[i]),
                lon=float(lon[i]),
                call_time=call.replace(microsecond=0),
                dispatch_s=round(float(dispatch[i])),
                alert_s=round(float(alert[i])),
                ambulance_s=round(float(ambulance[i])),
                close_s=round(float(close[i])),
                arrest=not bool(not_arrest[i]),
                called_off_s=float(np.round(off_at[i])),
            )
        )
    return alarms
