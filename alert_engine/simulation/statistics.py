"""`zesminuten-engine statistics`: annual-report figures (alarms, % alerted, % with an AED
alerted, % accepted, oversupply) per municipality and per month, from a real event store
(live incidents) or from a simulated year's alarm CSV; as CSV and an HTML (PDF) report."""

from __future__ import annotations

import argparse
import csv
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..clock import AMSTERDAM
from ..files import write_atomically
from .alarm import AlarmOutcome
from .incidents import Alarm

FIELDS = ("incident", "call_time", "lat", "lon", "municipality", "alerted", "aed_alerted",
          "accepted", "oversupply", "arrived")  # fmt: skip


@dataclass(frozen=True)
class AlarmRecord:
    incident: str
    call_time: datetime  # local
    lat: float
    lon: float
    municipality: str
    alerted: bool
    aed_alerted: bool
    accepted: bool  # at least one accept (a late one recorded as oversupply too)
    oversupply: int
    arrived: int

    @property
    def month(self) -> str:
        return self.call_time.strftime("%Y-%m")


def municipalities_of(lat: Sequence[float], lon: Sequence[float]) -> list[str]:
    """CBS municipality (2022) of each point, '' outside every PC4 area."""
    import shapely

    from ..registry.postcodes import postcode_areas

    areas = postcode_areas()
    if not len(lat):
        return []
    tree = shapely.STRtree(areas.geometry)
    pts = shapely.points(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    which, area = tree.query(pts, predicate="intersects")
    out = [""] * len(pts)
    for i, a in zip(which.tolist(), area.tolist(), strict=True):
        out[i] = out[i] or str(areas.municipality[a])
    return out


def records_from_store(path: Path) -> list[AlarmRecord]:
    """Every live incident of an event store, as the fold sees it (test and training out)."""
    from ..errors import InvalidInput
    from ..eventlog.store import SqliteEventStore
    from ..state import fold_all

    if not path.exists():
        raise InvalidInput(f"{path}: no such event store")
    states = [s for s in fold_all(SqliteEventStore(path, readonly=True).read()).values()
              if s.mode == "live" and s.call_time is not None and s.lat is not None]  # fmt: skip
    munis = municipalities_of([s.lat for s in states], [s.lon for s in states])  # type: ignore[misc]
    out = []
    for s, m in zip(states, munis, strict=True):
        assert s.call_time is not None and s.lat is not None and s.lon is not None
        out.append(AlarmRecord(
            s.id, s.call_time.astimezone(AMSTERDAM), s.lat, s.lon, m, s.alert_time is not None,
            bool(s.aeds), s.accepted > 0 or bool(s.oversupply), len(s.oversupply),
            sum(1 for r in s.responders.values() if r.arrived_at is not None),
        ))  # fmt: skip
    return out


def year_records(alarms: Sequence[Alarm], outcomes: Sequence[AlarmOutcome]) -> list[AlarmRecord]:
    """A simulated year's alarms as records (outcomes in the alarms' order)."""
    munis = municipalities_of([a.lat for a in alarms], [a.lon for a in alarms])
    return [
        AlarmRecord(
            a.incident,
            a.call_time.astimezone(AMSTERDAM),
            a.lat,
            a.lon,
            m,
            o.alerted,
            o.n_aeds > 0,
            o.accepted + o.oversupply > 0,
            o.oversupply,
            o.arrived,
        )
        for a, o, m in zip(alarms, outcomes, munis, strict=True)
    ]


def write_records(records: Iterable[AlarmRecord]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for r in records:
        w.writerow([r.incident, r.call_time.isoformat(), f"{r.lat:.5f}", f"{r.lon:.5f}", r.municipality,
                    int(r.alerted), int(r.aed_alerted), int(r.accepted), r.oversupply, r.arrived])  # fmt: skip
    return buf.getvalue()


def read_records(path: Path) -> list[AlarmRecord]:
    """A simulated year's alarms (`simulate-year --alarms-csv`)."""
    from ..errors import InvalidInput

    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or set(FIELDS) - set(reader.fieldnames):
            raise InvalidInput(f"{path}: expected the columns {', '.join(FIELDS)}")
        return [
            AlarmRecord(
                row["incident"],
                datetime.fromisoformat(row["call_time"]),
                float(row["lat"]),
                float(row["lon"]),
                row["municipality"],
                row["alerted"] == "1",
                row["aed_alerted"] == "1",
                row["accepted"] == "1",
                int(row["oversupply"]),
                int(row["arrived"]),
            )
            for row in reader
        ]


@dataclass(frozen=True)
class GroupFigures:
    by: str  # "month" / "municipality" / "all"
    key: str
    alarms: int
    alerted: float
    aed_alerted: float
    accepted: float
    oversupply_alarms: float  # alarms with at least one oversupply accept
    oversupply_mean: float  # oversupply accepts per alerted alarm


def group(records: Sequence[AlarmRecord], by: str) -> list[GroupFigures]:
    keyed: dict[str, list[AlarmRecord]] = {}
    for r in records:
        k = "all" if by == "all" else r.month if by == "month" else (r.municipality or "(onbekend)")
        keyed.setdefault(k, []).append(r)
    out = []
    for k in sorted(keyed):
        g = keyed[k]
        alerted = [r for r in g if r.alerted]
        n, na = len(g), max(len(alerted), 1)
        out.append(GroupFigures(
            by, k, n, len(alerted) / n, sum(r.aed_alerted for r in g) / n, sum(r.accepted for r in g) / n,
            sum(r.oversupply > 0 for r in alerted) / na, sum(r.oversupply for r in alerted) / na,
        ))  # fmt: skip
    return out


def figures_csv(rows: Iterable[GroupFigures]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["by", "key", "alarms", "alerted_pct", "aed_alerted_pct", "accepted_pct",
                "oversupply_alarms_pct", "oversupply_per_alarm"])  # fmt: skip
    for g in rows:
        w.writerow([g.by, g.key, g.alarms, f"{100 * g.alerted:.1f}", f"{100 * g.aed_alerted:.1f}",
                    f"{100 * g.accepted:.1f}", f"{100 * g.oversupply_alarms:.1f}", f"{g.oversupply_mean:.2f}"])  # fmt: skip
    return buf.getvalue()


def month_chart(rows: Sequence[GroupFigures], width: int = 680, height: int = 220) -> str:
    """Alarms per month (bars) and % accepted (line), SVG."""
    left, right, top, bottom = 40, 40, 12, 30
    w, h = width - left - right, height - top - bottom
    peak = max((g.alarms for g in rows), default=1) or 1
    bw = w / max(len(rows), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">']  # fmt: skip
    for k in range(5):
        y = top + h * (1 - k / 4)
        out.append(
            f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e5e5e5"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{peak * k / 4:.0f}</text>'
        )
        out.append(f'<text x="{left + w + 4}" y="{y + 3:.1f}">{25 * k} %</text>')
    pts = []
    for i, g in enumerate(rows):
        x = left + i * bw
        bh = h * g.alarms / peak
        out.append(
            f'<rect x="{x + 2:.1f}" y="{top + h - bh:.1f}" width="{bw - 4:.1f}" height="{bh:.1f}" fill="#aed6f1"/>'
        )
        out.append(
            f'<text x="{x + bw / 2:.1f}" y="{top + h + 14}" text-anchor="middle">{g.key[2:]}</text>'
        )
        pts.append(f"{x + bw / 2:.1f},{top + h * (1 - g.accepted):.1f}")
    out.append(
        f'<polyline points="{" ".join(pts)}" fill="none" stroke="#c0392b" stroke-width="2"/>'
    )
    out.append("</svg>")
    return "\n".join(out)


def render_html(records: Sequence[AlarmRecord], source: str, generated: datetime) -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("alert_engine.simulation", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))  # fmt: skip
    months = group(records, "month")
    return env.get_template("statistics.html.j2").render(
        source=source,
        generated=generated.strftime("%d-%m-%Y %H:%M"),
        total=group(records, "all"),
        months=months,
        municipalities=sorted(group(records, "municipality"), key=lambda g: -g.alarms),
        chart=month_chart(months),
        pct=lambda x: "n/a" if math.isnan(x) else f"{100 * x:.1f} %".replace(".", ","),
    )


# -- command line ----------------------------------------------------------------------
def register(subparsers: Any) -> None:
    p = subparsers.add_parser("statistics", help="annual-report figures per municipality and month",
                              description=__doc__)  # fmt: skip
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--store", type=Path, help="event store (live incidents)")
    src.add_argument(
        "--alarms-csv", type=Path, help="a simulated year (simulate-year --alarms-csv)"
    )
    p.add_argument("--csv", type=Path, help="figures per month and municipality as CSV")
    p.add_argument("--out", type=Path, help="HTML report")
    p.set_defaults(func=cmd_statistics)


def cmd_statistics(args: argparse.Namespace) -> int:

    if args.store:
        records, source = records_from_store(args.store), f"event store {args.store}"
    else:
        records, source = read_records(args.alarms_csv), f"simulated year {args.alarms_csv}"
    rows = [*group(records, "all"), *group(records, "month"), *group(records, "municipality")]
    text = figures_csv(rows)
    if args.csv:
        write_atomically(args.csv, text)
    if args.out:
        write_atomically(args.out, render_html(records, source, datetime.now()))
    if not args.csv:
        print(text, end="")
    return 0
