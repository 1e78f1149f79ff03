"""Matplotlib-free SVG for the coverage report: the week chart and the white-spot map."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import numpy as np

from .area import Coverage
from .week import DAY_NAMES, HOURS


def week_chart(by_hour: np.ndarray, width: int = 680, height: int = 170) -> str:
    """Share of inhabitants covered per hour of the week, Monday to Sunday."""
    left, right, top, bottom = 44, 10, 10, 28
    w, h = width - left - right, height - top - bottom
    lo = 0.0
    xs = left + np.arange(HOURS) * w / (HOURS - 1)
    vals = np.nan_to_num(np.asarray(by_hour, dtype=float))
    ys = top + h * (1 - (vals - lo) / (1 - lo))
    pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">']  # fmt: skip
    for pct in (0, 25, 50, 75, 100):
        y = top + h * (1 - pct / 100)
        out.append(f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 4}" y="{y + 3:.1f}" text-anchor="end">{pct} %</text>')
    for d, name in enumerate(DAY_NAMES):
        x = left + d * 24 * w / (HOURS - 1)
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + h}" stroke="#bbb"/>')
        out.append(
            f'<text x="{x + 12 * w / (HOURS - 1):.1f}" y="{top + h + 16}" text-anchor="middle">{name}</text>'
        )
    out.append(f'<polyline points="{pts}" fill="none" stroke="#c0392b" stroke-width="1.8"/>')
    out.append("</svg>")
    return "\n".join(out)


def white_spot_map(
    cov: Coverage, width: int = 680, max_height: int = 440, cell_m: float = 500.0
) -> str:
    """PC4 outlines, AEDs (24/7 green, limited hours grey), white spots (red) and the
    proposed new AEDs (numbered blue), in RD metres with north up."""
    x0, y0, x1, y1 = cov.bounds_rd
    pad = 300.0
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    scale = min(width / max(x1 - x0, 1.0), max_height / max(y1 - y0, 1.0))
    width = int((x1 - x0) * scale) + 1
    height = int((y1 - y0) * scale) + 1

    def px(x: float) -> float:
        return (x - x0) * scale

    def py(y: float) -> float:
        return (y1 - y) * scale

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="10">',
           f'<rect width="{width}" height="{height}" fill="#f7f7f2"/>']  # fmt: skip
    side = cell_m * scale
    for c in cov.white_spots:
        out.append(f'<rect x="{px(c.x0):.1f}" y="{py(c.y0 + cell_m):.1f}" width="{side:.1f}" '
                   f'height="{side:.1f}" fill="#e74c3c" fill-opacity="0.55"/>')  # fmt: skip
    for ring in cov.outlines_rd:
        pts = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in ring)
        out.append(f'<polygon points="{pts}" fill="none" stroke="#555" stroke-width="0.6"/>')
    for (x, y), always in zip(cov.aed_xy, cov.aed_always, strict=True):
        if x0 <= x <= x1 and y0 <= y <= y1:
            colour = "#1e8449" if always else "#999"
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="1.8" fill="{colour}"/>')
    for n, p in enumerate(cov.placements, 1):
        out.append(f'<circle cx="{px(p.x):.1f}" cy="{py(p.y):.1f}" r="6" fill="#2471a3"/>')
        out.append(f'<text x="{px(p.x):.1f}" y="{py(p.y) + 3.5:.1f}" text-anchor="middle" '
                   f'fill="white" font-size="9">{n}</text>')  # fmt: skip
    bar = 1000 * scale
    out.append(
        f'<line x1="10" x2="{10 + bar:.1f}" y1="{height - 10}" y2="{height - 10}" stroke="#000" stroke-width="2"/>'
    )
    out.append(f'<text x="{10 + bar + 4:.1f}" y="{height - 7}">1 km</text>')
    out.append("</svg>")
    return "\n".join(out)


def legend(items: Sequence[tuple[str, str]]) -> str:
    return " ".join(
        f'<span class="key"><span class="swatch" style="background:{c}"></span>{escape(t)}</span>'
        for c, t in items
    )
