"""`zesminuten-engine`: the headless engine's command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import EngineError, InvalidInput
from .files import write_atomically


def cmd_run(args: argparse.Namespace) -> int:
    from .eventlog.store import SqliteEventStore
    from .scenario.loader import load_scenario
    from .scenario.runner import ScenarioRunner

    scenario = load_scenario(args.scenario)
    store = SqliteEventStore(args.store) if args.store else None

    def announce(events: list) -> None:
        if args.announce:
            for e in events:
                print(f"committed {e.seq}", flush=True)

    runner = ScenarioRunner(scenario, store=store, pace=args.pace)
    result = runner.run(on_events=announce)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    if args.events:
        write_atomically(Path(args.events), "".join(e.to_json() + "\n" for e in result.events))
    if not args.quiet:
        states = result.engine.states
        print(
            f"{scenario.name}: {len(result.events)} events, {len(states)} incident(s)"
            + "".join(f"; {s.id}: {s.phase}" for s in states.values()),
            file=sys.stderr,
        )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """Open a store as a restarted engine would, check its integrity, print each state."""
    from .eventlog.store import SqliteEventStore
    from .state import fold_all

    if not Path(args.store).exists():
        raise InvalidInput(f"{args.store}: no such event store")
    store = SqliteEventStore(args.store)
    report = store.verify()
    states = fold_all(store.read()) if report.ok else {}
    out = {
        "ok": report.ok,
        "events": report.events,
        "problems": report.problems,
        "incidents": {
            k: {"phase": s.phase, "last_seq": s.last_seq, "accepted": s.accepted, "alerted": len(s.responders)}
            for k, s in states.items()
        },
    }
    print(json.dumps(out, indent=2))
    return 0 if report.ok else 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zesminuten-engine", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario file on a simulated clock")
    run.add_argument("scenario", help="scenario JSON file")
    run.add_argument("--events", help="write the event log here (JSON Lines)")
    run.add_argument("--store", help="also append events to this SQLite event store")
    run.add_argument("--pace", type=float, default=0.0, help="wall seconds per simulated second")
    run.add_argument("--announce", action="store_true", help="print 'committed SEQ' after each write")
    run.add_argument("--quiet", action="store_true")
    run.set_defaults(func=cmd_run)

    verify = sub.add_parser("verify", help="check an event store's integrity and fold its incidents")
    verify.add_argument("--store", required=True)
    verify.set_defaults(func=cmd_verify)

    for module in (
        "alert_engine.registry.commands",
        "alert_engine.bench",
        "alert_engine.simulation.year",
        "alert_engine.review.commands",
    ):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        mod.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidInput as exc:
        print(f"zesminuten-engine: error: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"zesminuten-engine: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
