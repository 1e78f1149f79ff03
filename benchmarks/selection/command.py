"""`zesminuten-engine bench`: how fast is a complete selection at national scale, in
process versus brute force versus PostGIS, and does the registry fit in memory and load
fast enough from SQLite."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from alert_engine.errors import InvalidInput


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "bench", help="time the selection: in process vs brute force vs PostGIS",
        description=__doc__,
    )  # fmt: skip
    p.add_argument("--points", type=int, default=10_000, help="incident points (default 10000)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--region", default="nl", help="demo region (default nl = national)")
    p.add_argument("--brute-points", type=int, default=500,
                   help="points for the brute-force timing (default 500)")  # fmt: skip
    p.add_argument(
        "--postgis", action=argparse.BooleanOptionalAction, default=None,
        help="compare with PostGIS in a private cluster, installing it with apt if missing "
        "(default: try when root on Debian)",
    )  # fmt: skip
    p.add_argument(
        "--registry-store", type=Path,
        help="SQLite registry store to use: loaded as is when it holds a registry, else the "
        "demo set is saved there and kept (default: a temp dir, removed afterwards)",
    )  # fmt: skip
    p.add_argument("--json", type=Path, help="also write the figures as JSON here")
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    # The run needs numpy and the registry; every other subcommand starts without them.
    from .report import format_report
    from .run import BenchOptions, run_bench

    if args.points < 1:
        raise InvalidInput("--points must be at least 1")
    opts = BenchOptions(
        region=args.region,
        points=args.points,
        seed=args.seed,
        brute_points=max(1, args.brute_points),
        postgis=args.postgis,
        registry_store=args.registry_store,
        log=lambda msg: print(msg, file=sys.stderr, flush=True),
    )
    res = run_bench(opts)
    print(format_report(res))
    if args.json:
        out: Path = args.json
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(f".{out.name}.tmp")
        tmp.write_text(json.dumps(res.as_json(), indent=2, default=str) + "\n", encoding="utf-8")
        tmp.replace(out)  # a reader never sees half a file
    return 0
