"""Phased alerting: alert in waves, nearest first, the next wave only if not enough have
accepted within T seconds (van den Berg, Henderson, Li, Dicker & Jagtenberg, PLOS ONE 2026).

The engine sends one alert per alarm, so the waves are played on the behaviour model's
intentions, not through the engine: each alarm's selection (the engine's, up to 100 by
distance, with its roles) is taken from a real `trigger_alert`, every responder's intention
is drawn once (the same random streams as simulate-year), and each schedule shifts the
intentions of a wave by the moment that wave is sent. The engine's own rules are applied
to the result: the target (5 accepted incl. 2 runners, `target_met`), the cancellation
of everyone still pending when it is met, answers crossing it within `cancel_latency_s`
(oversupply), the first runner at a cabinet taking the AED, the close.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from ..clock import SimClock
from ..config import AlertConfig
from ..engine import Engine
from ..eventlog.store import MemoryEventStore
from ..exclusion import CallFacts
from ..registry.table import Registry
from .behaviour import BehaviourParams, Intention, intentions, plan_from
from .incidents import Alarm

NAN = math.nan


@dataclass(frozen=True)
class Schedule:
    name: str
    wave_size: int  # responders per wave (nearest first); >= 100: everyone at once
    wait_s: float  # T: seconds to wait for accepts before the next wave


@dataclass
class WaveOutcome:
    alerts_sent: int
    accepted: int
    oversupply: int
    arrived: int
    redundant: int  # arrivals beyond the target of 5
    first_cpr_s: float  # first responder on scene, seconds after the first alert
    first_aed_s: float  # first AED connected
    before_ambulance: bool
    aed_before_ambulance: bool


def play_waves(
    alert: dict,
    its: Sequence[Intention],
    schedule: Schedule,
    params: BehaviourParams,
    config: AlertConfig,
    ambulance_s: float,
    close_s: float,
    arrest: bool = True,
) -> WaveOutcome:
    """One alarm under a wave schedule; times in seconds after the first alert."""
    people = wave_order(alert["responders"])
    rank = {r["id"]: i for i, r in enumerate(people)}
    role = {r["id"]: r["role"] for r in people}
    runners_alerted_by_wave: list[int] = []
    size = max(1, schedule.wave_size)
    n_waves = math.ceil(len(people) / size)
    by_wave: list[list[Intention]] = [[] for _ in range(n_waves)]
    for it in its:
        by_wave[rank[it.responder] // size].append(it)
    for w in range(n_waves):
        runners_alerted_by_wave.append(
            sum(1 for r in people[w * size : (w + 1) * size] if r["role"] == "aed")
        )
    # Accepts in time order as waves go out; the target closes the alert for the rest.
    sent_at = [0.0]
    accepts: list[tuple[float, str]] = []
    target_at = math.inf
    w = 0
    while True:
        start = sent_at[w]
        accepts += [
            (start + it.answer_s, it.responder) for it in by_wave[w] if it.answer == "accept"
        ]
        accepts.sort()
        runners_alerted = sum(runners_alerted_by_wave[: w + 1])
        need_runners = min(config.target_aed_runners, runners_alerted)
        n_run = 0
        target_at = math.inf
        for n_acc, (t, rid) in enumerate(accepts, 1):
            n_run += role[rid] == "aed"
            if n_acc >= config.target_responders and n_run >= need_runners:
                target_at = t
                break
        nxt = start + schedule.wait_s
        # The next wave goes if the target is not met by then (and before the close).
        if w + 1 >= n_waves or target_at <= nxt or nxt >= close_s:
            break
        sent_at.append(nxt)
        w += 1
    answers = [
        (sent_at[k] + it.answer_s, k, it)
        for k in range(len(sent_at)) for it in by_wave[k]
        if it.answer == "accept" and sent_at[k] + it.answer_s < close_s
    ]  # fmt: skip
    answers.sort(key=lambda a: (a[0], rank[a[2].responder]))
    shifted: list[tuple[float, Intention]] = []
    n_acc = n_run = over = 0
    need_runners = min(config.target_aed_runners, sum(runners_alerted_by_wave[: len(sent_at)]))
    met_at = math.inf
    for t, k, it in answers:
        if met_at == math.inf:
            n_acc += 1  # accepted while still needed; the one that meets the target too
            n_run += role[it.responder] == "aed"
            if n_acc >= config.target_responders and n_run >= need_runners:
                met_at = t
        elif t - met_at <= params.cancel_latency_s:
            over += 1  # the cancellation crossed their accept: they come anyway
        else:
            continue  # read "not needed" in time
        shifted.append((sent_at[k], it))
    plan = plan_from(shifted, params, arrest)
    arrivals = [a.at_s for a in plan.actions if a.do == "arrive" and a.at_s < close_s]
    connects = [a.at_s for a in plan.actions if a.do == "aed_connected" and a.at_s < close_s]
    first = min(arrivals, default=NAN)
    first_aed = min(connects, default=NAN)
    return WaveOutcome(
        alerts_sent=sum(len(people[k * size : (k + 1) * size]) for k in range(len(sent_at))),
        accepted=n_acc,
        oversupply=over,
        arrived=len(arrivals),
        redundant=max(0, len(arrivals) - config.target_responders),
        first_cpr_s=first,
        first_aed_s=first_aed,
        before_ambulance=not math.isnan(first) and first < ambulance_s,
        aed_before_ambulance=not math.isnan(first_aed) and first_aed < ambulance_s,
    )


def wave_order(people: Sequence[dict]) -> list[dict]:
    """Nearest first within each role, the roles mixed as in the whole alert: every wave
    asks the nearest of those who go direct and the nearest of the AED runners (the
    engine sends the nearest third direct, so plain distance order would put no runner
    in the first waves)."""
    groups: dict[str, list[dict]] = {}
    for r in people:  # the engine lists them nearest first
        groups.setdefault(r["role"], []).append(r)
    keyed = [
        ((i + 0.5) / len(g), r["distance_m"], r) for g in groups.values() for i, r in enumerate(g)
    ]
    return [r for _, _, r in sorted(keyed, key=lambda k: (k[0], k[1]))]


def alert_of(registry: Registry, alarm: Alarm, config: AlertConfig) -> dict | None:
    """The engine's alert for an alarm at its alert time (no other alarm running)."""
    clock = SimClock(alarm.call_time)
    engine = Engine(registry, MemoryEventStore(), clock, config)
    inc = alarm.incident
    engine.call(inc, CallFacts(lat=alarm.lat, lon=alarm.lon, location_kind="home"))
    clock.set(alarm.call_time + timedelta(seconds=alarm.dispatch_s))
    engine.dispatch_ambulance(inc, "A1")
    clock.set(alarm.call_time + timedelta(seconds=alarm.alert_s))
    events = engine.trigger_alert(inc)
    sent = next((e for e in events if e.type == "alert_sent"), None)
    return None if sent is None else {**sent.data, "_time": sent.time}


def compare(
    registry: Registry,
    alarms: Sequence[Alarm],
    schedules: Sequence[Schedule],
    params: BehaviourParams,
    seed: int,
    config: AlertConfig | None = None,
) -> dict[str, list[WaveOutcome]]:
    """Every schedule on the same alarms and the same intentions (arrest alarms only:
    a call-off or a non-arrest says nothing about how fast help comes)."""
    cfg = config or AlertConfig()
    out: dict[str, list[WaveOutcome]] = {s.name: [] for s in schedules}
    for alarm in alarms:
        if not alarm.arrest:
            continue
        alert = alert_of(registry, alarm, cfg)
        if alert is None:
            continue
        rng = np.random.default_rng([seed, 3, alarm.index])
        its = intentions(alert, rng, params, at=alert["_time"])
        amb = alarm.ambulance_s - alarm.alert_s
        close = alarm.close_s - alarm.alert_s
        for s in schedules:
            out[s.name].append(play_waves(alert, its, s, params, cfg, amb, close))
    return out


@dataclass(frozen=True)
class Summary:
    name: str
    alarms: int
    alerts_sent: float  # mean per alarm
    oversupply: float  # mean per alarm
    redundant: float  # mean arrivals beyond 5 per alarm
    first_cpr_s: float  # median over alarms with a responder on scene
    first_aed_s: float  # median over alarms with an AED connected
    cpr_share: float  # alarms with a responder on scene
    before_ambulance: float
    aed_before_ambulance: float


def summarise(name: str, outs: Sequence[WaveOutcome]) -> Summary:
    def med(v: list[float]) -> float:
        a = np.asarray([x for x in v if not math.isnan(x)])
        return float(np.median(a)) if len(a) else NAN

    n = max(len(outs), 1)
    return Summary(
        name=name,
        alarms=len(outs),
        alerts_sent=sum(o.alerts_sent for o in outs) / n,
        oversupply=sum(o.oversupply for o in outs) / n,
        redundant=sum(o.redundant for o in outs) / n,
        first_cpr_s=med([o.first_cpr_s for o in outs]),
        first_aed_s=med([o.first_aed_s for o in outs]),
        cpr_share=sum(not math.isnan(o.first_cpr_s) for o in outs) / n,
        before_ambulance=sum(o.before_ambulance for o in outs) / n,
        aed_before_ambulance=sum(o.aed_before_ambulance for o in outs) / n,
    )


# -- chart -----------------------------------------------------------------------------
def trade_off_svg(
    rows: Sequence[tuple[float, Summary]], width: int = 760, height: int = 300
) -> str:
    """Two panels over T (0 = everyone at once): load (alerts sent, redundant arrivals,
    oversupply per alarm) and speed (median minutes to the first responder and first AED)."""
    panel_w = (width - 60) // 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>']  # fmt: skip
    ts = [t for t, _ in rows]
    t_max = max(ts) or 1.0
    panels = (
        ("per alarm", [("alerts sent / 10", "#2471a3", [s.alerts_sent / 10 for _, s in rows]),
                       ("redundant arrivals (beyond 5)", "#c0392b", [s.redundant for _, s in rows]),
                       ("oversupply accepts", "#d68910", [s.oversupply for _, s in rows])]),
        ("median minutes after the first alert", [
            ("first responder on scene", "#1e8449", [s.first_cpr_s / 60 for _, s in rows]),
            ("first AED connected", "#7d3c98", [s.first_aed_s / 60 for _, s in rows])]),
    )  # fmt: skip
    for p, (title, series) in enumerate(panels):
        x0 = 45 + p * (panel_w + 25)
        top, bottom = 30, height - 80
        h = bottom - top
        vals = [v for _, _, vs in series for v in vs if not math.isnan(v)]
        y_max = max(vals) * 1.15 if vals else 1.0
        out.append(f'<text x="{x0}" y="16" font-weight="bold">{title}</text>')
        for k in range(5):
            v = y_max * k / 4
            y = bottom - h * k / 4
            out.append(
                f'<line x1="{x0}" x2="{x0 + panel_w - 30}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
            )
            out.append(f'<text x="{x0 - 4}" y="{y + 4:.1f}" text-anchor="end">{v:.1f}</text>')
        for t in ts:
            x = x0 + (panel_w - 30) * t / t_max
            label = "all" if t == 0 else f"{t:g} s"
            out.append(f'<text x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">{label}</text>')
        out.append(f'<text x="{x0 + (panel_w - 30) / 2:.1f}" y="{bottom + 28}" text-anchor="middle" '
                   f'fill="#555">T: wait before the next wave of 20</text>')  # fmt: skip
        for n, (name, colour, vs) in enumerate(series):
            pts = " ".join(
                f"{x0 + (panel_w - 30) * t / t_max:.1f},{bottom - h * v / y_max:.1f}"
                for t, v in zip(ts, vs, strict=True) if not math.isnan(v)
            )  # fmt: skip
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for pt in pts.split():
                cx, cy = pt.split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>')
            ly = bottom + 44 + 14 * n
            out.append(f'<rect x="{x0}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
            out.append(f'<text x="{x0 + 14}" y="{ly}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out)
