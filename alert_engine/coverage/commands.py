"""`zesminuten-engine coverage`: a municipality's AED coverage report (HTML, optional PDF)
and its white spots as GeoJSON."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InvalidInput
from ..files import write_atomically


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "coverage",
        help="AED coverage per hour of the week, white spots and where new AEDs help most",
        description=__doc__,
    )
    p.add_argument(
        "--municipality", required=True, help="municipality (CBS 2022 name), e.g. Zoetermeer"
    )
    p.add_argument("--out", type=Path, required=True, help="HTML report")
    p.add_argument("--geojson", type=Path, help="white spots and proposed AEDs as GeoJSON")
    p.add_argument("--new", type=int, default=10, help="how many new AEDs to place (default 10)")
    p.add_argument("--events", type=Path, help="event store: past alarm locations weigh in")
    p.add_argument("--region", default="nl", help="demo registry region (default nl)")
    p.add_argument("--seed", type=int, default=1, help="demo registry seed (default 1)")
    p.add_argument("--registry-store", type=Path, help="SQLite registry to load instead")
    p.set_defaults(func=cmd_coverage)


def past_alarms(store_path: Path) -> list[tuple[float, float]]:
    """(lat, lon) of every live alarm's call in an event store (test and training left out)."""
    from ..eventlog.store import SqliteEventStore

    if not store_path.exists():
        raise InvalidInput(f"{store_path}: no such event store")
    store = SqliteEventStore(store_path, readonly=True)
    out = []
    for e in store.read():
        if e.type == "call_received" and e.data.get("mode", "live") == "live":
            lat, lon = e.data.get("lat"), e.data.get("lon")
            if isinstance(lat, int | float) and isinstance(lon, int | float):
                out.append((float(lat), float(lon)))
    return out


def cmd_coverage(args: argparse.Namespace) -> int:
    from ..registry.demo import REFERENCE_DAY
    from ..simulation.year import load_registry
    from .area import coverage_of
    from .geojson import white_spot_features
    from .report import render_coverage

    if not 0 <= args.new <= 100:
        raise InvalidInput("--new must be between 0 and 100")
    t0 = time.perf_counter()

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    alarms = past_alarms(args.events) if args.events else []
    registry, note = load_registry(args.region, args.seed, args.registry_store, log)
    cov = coverage_of(args.municipality, registry, REFERENCE_DAY, alarms, args.new, args.seed)
    html = render_coverage(cov, f"{registry.n_aeds:,} AEDs, {note}", datetime.now())
    write_atomically(args.out, html)
    if args.geojson:
        write_atomically(args.geojson, json.dumps(white_spot_features(cov)))
    if cov.n_aeds == 0:
        log(f"warning: the registry has no AEDs in {cov.name} (a registry of another region?)")
    lo, hi = float(cov.by_hour.min()), float(cov.by_hour.max())
    print(
        f"{cov.name}: {cov.inhabitants:,} inhabitants, {cov.n_aeds} AEDs ({cov.n_aeds_24_7} 24/7); "
        f"covered 24/7 {100 * cov.always:.1f} %, by hour {100 * lo:.1f}-{100 * hi:.1f} %; "
        f"{len(cov.white_spots)} white-spot cells in {len(cov.zones)} zones; "
        f"{len(cov.placements)} new AEDs would cover "
        f"{sum(p.gain for p in cov.placements):,.0f} more ({time.perf_counter() - t0:.1f} s)"
    )
    return 0
