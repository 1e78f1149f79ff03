"""The annual-report figures of a simulated year, and how they compare with published ones.

Every figure is computed from the alarms' folded states (see alarm.py); this module only
counts, takes medians and lays out the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .alarm import AlarmOutcome

NIGHT_HOURS = frozenset({23, 0, 1, 2, 3, 4, 5, 6})  # 23:00-07:00 local


@dataclass(frozen=True)
class Row:
    label: str
    model: str
    published: str = ""
    source: str = ""


def _share(mask: Sequence[bool] | np.ndarray) -> float:
    m = np.asarray(mask, dtype=bool)
    return float(m.mean()) if len(m) else math.nan


def _pct(x: float) -> str:
    return "n/a" if math.isnan(x) else f"{100 * x:.1f} %"


def _min(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds / 60:.1f} min"


def _m(metres: float) -> str:
    return "n/a" if math.isnan(metres) else f"{metres:,.0f} m"


def _median(values: Sequence[float]) -> float:
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    return float(np.median(v)) if len(v) else math.nan


@dataclass
class YearFigures:
    outcomes: list[AlarmOutcome]
    alerts_per_responder: np.ndarray  # one count per registered responder (zeros included)

    @property
    def alerted(self) -> list[AlarmOutcome]:
        return [o for o in self.outcomes if o.alerted]

    def share(self, pick: str, among: Sequence[AlarmOutcome] | None = None) -> float:
        group = self.outcomes if among is None else among
        return _share([bool(getattr(o, pick)) for o in group])

    def share_where(self, test: object, among: Sequence[AlarmOutcome] | None = None) -> float:
        group = self.outcomes if among is None else among
        return _share([bool(test(o)) for o in group])  # type: ignore[operator]

    def median(self, pick: str) -> float:
        return _median([getattr(o, pick) for o in self.alerted])

    def pooled_median(self, pick: str) -> float:
        """Median over every responder of every alarm (a list field per alarm)."""
        return _median([v for o in self.alerted for v in getattr(o, pick)])

    # -- acceptance per alert -----------------------------------------------------------
    def acceptance_all_alerts(self) -> float:
        a = self.alerted
        told = sum(o.n_alerted for o in a)
        return sum(o.accepted + o.oversupply for o in a) / told if told else math.nan

    def acceptance_full_window(self) -> tuple[float, int]:
        """Accepts per alert in alarms with no "target reached" cancellation inside the
        answer window and no call-off by the dispatcher, so no one was called off before answering: the per-alert acceptance
        that systems without cancellation report. (Returns the share and how many alarms.)"""
        a = [o for o in self.alerted if o.full_window and not o.called_off]
        told = sum(o.n_alerted for o in a)
        share = sum(o.accepted + o.oversupply for o in a) / told if told else math.nan
        return share, len(a)

    def silent_share(self) -> float:
        """Share of alerts never answered (neither accept nor decline), in alarms where
        nobody was called off inside the answer window (neither at the target nor by the
        dispatcher), so every alerted responder had the chance to answer."""
        a = [o for o in self.alerted if o.full_window and not o.called_off]
        told = sum(o.n_alerted for o in a)
        return sum(o.silent for o in a) / told if told else math.nan

    def responder_lead_s(self) -> float:
        """Mean seconds by which the first responder beat the ambulance, over alarms where
        both came (negative where the ambulance was first)."""
        lead = [
            o.ambulance_after_alert_s - o.first_on_scene_s
            for o in self.alerted
            if not (math.isnan(o.ambulance_after_alert_s) or math.isnan(o.first_on_scene_s))
        ]
        return float(np.mean(lead)) if lead else math.nan

    def implied_acceptance(self, share_accepted: float) -> float:
        """The per-alert acceptance that, with this year's alert sizes and responders who
        answer independently, would leave `share_accepted` of alarms with an accept."""
        sizes = np.asarray([o.n_alerted for o in self.outcomes], dtype=float)
        if not len(sizes):
            return math.nan
        lo, hi = 0.0, 1.0
        for _ in range(60):
            p = (lo + hi) / 2
            if np.mean(1.0 - (1.0 - p) ** sizes) < share_accepted:
                lo = p
            else:
                hi = p
        return (lo + hi) / 2

    def refusals(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            if not o.alerted:
                out[o.refusal] = out.get(o.refusal, 0) + 1
        return out


# HartslagNu annual report 2020, "2020 in cijfers" (2019: "In 2019 was dit ...").
PUBLISHED: dict[str, dict[str, float]] = {
    "2019": {"alarms": 11_009, "alerted": 0.994, "aed_alerted": 0.645, "accepted": 0.549,
             "cpr_started": 0.64, "aed_connected_fr": 0.556},
    "2020": {"alarms": 11_901, "alerted": 0.999, "aed_alerted": 0.913, "accepted": 0.735,
             "cpr_started": 0.701, "aed_connected_fr": 0.593},
}  # fmt: skip
CITIZEN_SHARE_OF_AED = 0.70  # HartslagNu 2020: 70 % of the first responders' AEDs by citizens
BEFORE_EMS = (0.42, 0.47)  # Andelius 2020 (Copenhagen); Scquizzato 2020 (review)


def accepted_any(o: AlarmOutcome) -> bool:
    """Someone pressed "accept" (also a late one recorded as oversupply)."""
    return o.accepted + o.oversupply > 0


def key_figures(f: YearFigures) -> dict[str, float]:
    """The figures the behaviour model is fitted and checked on, by name. Shares of all
    alarms, except those about what happens at a resuscitation: shares of the arrests."""
    arrests = [o for o in f.outcomes if o.arrest]
    return {
        "alarms": float(len(f.outcomes)),
        "alerted": f.share("alerted"),
        "aed_alerted": f.share_where(lambda o: o.n_aeds > 0),
        "accepted": f.share_where(accepted_any),
        "cpr_started": f.share_where(lambda o: o.arrived > 0, arrests),
        "aed_connected": f.share_where(lambda o: o.aed_connected, arrests),
        "before_ems": f.share("responder_before_ambulance", arrests),
        "direct_s": f.pooled_median("direct_arrivals_s"),
        "runner_s": f.pooled_median("runner_arrivals_s"),
    }


def _pub(rules: str, key: str) -> str:
    v = PUBLISHED.get(rules, {}).get(key)
    return "" if v is None else f"{v:,.0f}" if key == "alarms" else _pct(v)


def headline_rows(f: YearFigures, rules: str = "2020") -> list[Row]:
    a = f.alerted
    k = key_figures(f)
    src = f"HartslagNu {rules}" if rules in PUBLISHED else ""
    fr = PUBLISHED.get(rules, {}).get("aed_connected_fr")
    citizen = "" if fr is None else _pct(fr * CITIZEN_SHARE_OF_AED)
    return [
        Row("alarms processed (alert triggered)", f"{len(f.outcomes):,}", _pub(rules, "alarms"), src),
        Row("responders alerted", _pct(k["alerted"]), _pub(rules, "alerted"), src),
        Row("an AED alerted", _pct(k["aed_alerted"]), _pub(rules, "aed_alerted"),
            src + (" (92.8 % 'could be')" if rules == "2020" else "")),
        Row("accepted by at least one responder", _pct(k["accepted"]), _pub(rules, "accepted"), src),
        Row("not an arrest after all / called off by the dispatcher",
            f"{_pct(f.share_where(lambda o: not o.arrest))} / {_pct(f.share('called_off'))}",
            "1/3 / n/a", "NL ~12,000 alarms, ~8,000 resuscitations"),
        Row("CPR started by a citizen responder (on scene, of arrests)",
            _pct(k["cpr_started"]), _pub(rules, "cpr_started"), src),
        Row("AED connected by a citizen responder (of arrests)", _pct(k["aed_connected"]),
            citizen, f"{src}: {_pub(rules, 'aed_connected_fr')} by first responders x 70 %"
            if citizen else ""),
        Row("a responder on scene before the ambulance (of arrests)", _pct(k["before_ems"]),
            "42-47 %", "Andelius 2020; Scquizzato 2020"),
        Row("AED connected by a responder before the ambulance",
            _pct(f.share("aed_before_ambulance")), "", ""),
        Row("target met (5 accepted incl. 2 AED runners)", _pct(f.share("target_met", a))),
    ]  # fmt: skip


def time_rows(f: YearFigures) -> list[Row]:
    return [
        Row("call -> alert", _min(f.median("call_to_alert_s")), "3.0 min", "Sweden 2022"),
        Row("alert -> first accept", _min(f.median("first_accept_s")), "", ""),
        Row("alert -> on scene, per direct (CPR) responder", _min(f.pooled_median("direct_arrivals_s")),
            "4.6 min", "Sweden 2022"),
        Row("alert -> on scene, per runner bringing an AED",
            _min(f.pooled_median("runner_arrivals_s")), "6.0 min", "Sweden 2022"),
        Row("alert -> first direct responder on scene (per alarm)",
            _min(f.median("first_direct_s"))),
        Row("alert -> first AED on scene via a runner (per alarm)",
            _min(f.median("aed_on_scene_s"))),
        Row("alert -> first responder on scene (any role, per alarm)",
            _min(f.median("first_on_scene_s"))),
        Row("distance, per direct responder on scene (straight line)",
            _m(f.pooled_median("direct_distance_m")), "560 m", "Berglund 2018"),
        Row("distance via the AED, per runner bringing one",
            _m(f.pooled_median("runner_distance_m")), "1280 m", "Berglund 2018"),
        Row("call -> ambulance on scene", _min(f.median("ambulance_after_call_s")), "8.5 min",
            "NL A1 2015 (fit)"),
        Row("alert -> ambulance on scene", _min(f.median("ambulance_after_alert_s")), "8.3 min",
            "Sweden 2022"),
        Row("first responder ahead of the ambulance (mean, signed)", _min(f.responder_lead_s()),
            "2.5 min", "HartslagNu 2020"),
    ]  # fmt: skip


def acceptance_rows(f: YearFigures) -> list[Row]:
    full, full_n = f.acceptance_full_window()
    return [
        Row("accepted per alert, all alerts", _pct(f.acceptance_all_alerts()), "", ""),
        Row("alerted responders who never answer (full answer window)", _pct(f.silent_share()), "34 %",
            "HartslagNu: of 100 alerted, 34 never act"),
        Row(f"accepted per alert, alarms with a full answer window (n = {full_n:,})",
            _pct(full), "29 % (35 % DK)", "Scquizzato 2020; Kragh 2023"),
        Row("per-alert acceptance that would give 73.5 % of alarms accepted",
            _pct(f.implied_acceptance(0.735)), "", "same alert sizes, independent answers"),
    ]  # fmt: skip


def load_rows(f: YearFigures) -> list[Row]:
    counts = f.alerts_per_responder
    alerted_once = counts[counts > 0]
    a = f.alerted
    n_alerted = [o.n_alerted for o in a]
    over = [o.oversupply for o in a]
    beyond5 = [max(0, o.arrived - 5) for o in a]

    def dist(c: np.ndarray) -> str:
        if not len(c):
            return "n/a"
        p50, p95 = np.percentile(c, [50, 95])
        return f"mean {c.mean():.1f}, p50 {p50:.0f}, p95 {p95:.0f}, max {c.max()}"

    return [
        Row("alerts per registered responder per year", dist(counts)),
        Row("... among responders alerted at least once", dist(alerted_once)),
        Row("responders alerted per alarm (mean / median)",
            f"{np.mean(n_alerted):.1f} / {np.median(n_alerted):.0f}" if a else "n/a"),
        Row("alert radius (median)", f"{f.median('radius_m'):.0f} m" if a else "n/a"),
        Row("oversupply: alarms with accepts after the target",
            _pct(_share([x > 0 for x in over]))),
        Row("oversupply: such accepts per alarm (mean)", f"{np.mean(over):.2f}" if a else "n/a"),
        Row("redundant arrivals: alarms with more than 5 on scene",
            _pct(_share([x > 0 for x in beyond5]))),
        Row("redundant arrivals beyond 5 per alarm (mean)",
            f"{np.mean(beyond5):.2f}" if a else "n/a"),
    ]  # fmt: skip


def split_rows(f: YearFigures) -> list[Row]:
    """Where the model's alarms differ: by time of day and by responders in reach."""
    a = f.alerted
    rows = []
    from .behaviour import time_band

    # Mottlau 2022's periods, with its accepted responders per arrest (Denmark).
    for band, name in (("day", "day 08-16 h [DK: 3.7 accepted]"),
                       ("evening", "evening 16-24 h [DK: 4.8]"),
                       ("night", "night 00-08 h [DK: 1.8]")):  # fmt: skip
        group = [o for o in f.outcomes if time_band(o.hour) == band]
        if group:
            rows.append(_split_row(name, group, len(f.outcomes)))
    bands = ((0, 10), (10, 30), (30, 70), (70, 10**9))
    for lo, hi in bands:
        group = [o for o in a if lo <= o.eligible_in_reach < hi]
        if group:
            name = f"{lo}-{hi - 1} eligible in reach" if hi < 10**9 else f"{lo}+ eligible in reach"
            rows.append(_split_row(name, group, len(f.outcomes)))
    return rows


def _split_row(name: str, group: Sequence[AlarmOutcome], total: int) -> Row:
    alerted = [o for o in group if o.alerted]
    accepted = _share([accepted_any(o) for o in group])
    per_alarm = float(np.mean([o.accepted + o.oversupply for o in group]))
    aed = _share([o.n_aeds > 0 for o in group])
    first = _share([o.responder_before_ambulance for o in group])
    direct = _median([o.first_direct_s for o in alerted])
    return Row(
        name,
        f"{len(group) / total:.0%} of alarms; AED alerted {_pct(aed)}; accepted {_pct(accepted)} "
        f"({per_alarm:.1f} per alarm); "
        f"first before ambulance {_pct(first)}; direct on scene {_min(direct)}",
    )


def markdown_table(rows: Sequence[Row], with_published: bool = True) -> str:
    if with_published:
        out = ["| figure | model | published | source |", "|---|---:|---:|---|"]
        out += [f"| {r.label} | {r.model} | {r.published} | {r.source} |" for r in rows]
    else:
        out = ["| figure | model |", "|---|---|"]
        out += [f"| {r.label} | {r.model} |" for r in rows]
    return "\n".join(out)


def text_table(rows: Sequence[Row]) -> str:
    width = max(len(r.label) for r in rows)
    lines = []
    for r in rows:
        pub = f"   [{r.published}, {r.source}]" if r.published else ""
        lines.append(f"  {r.label:<{width}}  {r.model:>10}{pub}")
    return "\n".join(lines)
