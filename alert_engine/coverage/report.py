"""The coverage report of a municipality: one self-contained HTML page (print CSS),
rendered from a jinja2 template, with the week chart and the map as inline SVG."""

from __future__ import annotations

import math
from datetime import datetime

import jinja2
import numpy as np

from ..geo import to_wgs
from .area import INHABITANTS_PER_ALARM, STIEGLIS_AEDS_KM2, STIEGLIS_RESPONDERS_KM2, Coverage
from .svg import legend, week_chart, white_spot_map
from .week import hour_label


def _pct(x: float) -> str:
    return "n/a" if x is None or math.isnan(x) else f"{100 * x:.1f} %".replace(".", ",")


def density_shares(cov: Coverage) -> tuple[float, float]:
    """Share of inhabitants living in PC4 areas above Stieglis's responder / AED thresholds."""
    total = sum(d.inhabitants for d in cov.density)
    if not total:
        return math.nan, math.nan
    r = sum(d.inhabitants for d in cov.density if d.responders_km2 > STIEGLIS_RESPONDERS_KM2)
    a = sum(d.inhabitants for d in cov.density if d.aeds_km2 > STIEGLIS_AEDS_KM2)
    return r / total, a / total


def render_coverage(cov: Coverage, registry_note: str, generated: datetime) -> str:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("alert_engine.coverage", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    lo_h, hi_h = int(np.nanargmin(cov.by_hour)), int(np.nanargmax(cov.by_hour))
    dens_r, dens_a = density_shares(cov)
    placements = []
    for p in cov.placements:
        lat, lon = to_wgs(p.x, p.y)
        placements.append({"where": f"{float(lat):.5f}° N, {float(lon):.5f}° O", "gain": p.gain,
                           "after": p.covered_after})  # fmt: skip
    keys = legend([("#e74c3c", "witte vlek (500 m-cel)"), ("#1e8449", "AED 24/7"),
                   ("#999", "AED beperkt open"), ("#2471a3", "voorgestelde AED")])  # fmt: skip
    return env.get_template("coverage.html.j2").render(
        c=cov,
        pct=_pct,
        generated=generated.strftime("%d-%m-%Y %H:%M"),
        registry_note=registry_note,
        lo=float(cov.by_hour[lo_h]),
        hi=float(cov.by_hour[hi_h]),
        lo_at=hour_label(lo_h) + " h",
        hi_at=hour_label(hi_h) + " h",
        spot_people=sum(c.inhabitants for c in cov.white_spots),
        dens_r=dens_r,
        dens_a=dens_a,
        chart=week_chart(cov.by_hour),
        map=white_spot_map(cov),
        legend=keys,
        placements=placements,
        per_alarm=f"{INHABITANTS_PER_ALARM:,.0f}".replace(",", "."),
        density=sorted(cov.density, key=lambda d: d.postcode),
    )
