"""`zesminuten-engine`: the headless engine's command line."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import EngineError, InvalidInput
from .files import write_atomically


def cmd_run(args: argparse.Namespace) -> int:
    from .eventlog.store import SqliteEventStore
    from .scenario.loader import load_scenario
    from .scenario.runner import ScenarioRunner

    # Everything is checked before the store is opened: a bad scenario leaves no trace.
    scenario = load_scenario(args.scenario, allow_files_anywhere=args.allow_files_anywhere)
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
    store = SqliteEventStore(args.store, readonly=True)  # a check never writes or locks
    report = store.verify(expected_heads=args.expect_head or ())
    states = fold_all(store.read()) if report.ok else {}
    out = {
        "ok": report.ok,
        "events": report.events,
        "head": f"{report.head[0]}:{report.head[1]}" if report.head else None,
        "problems": report.problems,
        "remarks": report.remarks,
        "incidents": {
            k: {"phase": s.phase, "last_seq": s.last_seq, "accepted": s.accepted, "alerted": len(s.responders)}
            for k, s in states.items()
        },
    }
    print(json.dumps(out, indent=2))
    return 0 if report.ok else 3


def _head_arg(text: str) -> tuple[int, str]:
    seq, _, digest = text.partition(":")
    if not seq.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise argparse.ArgumentTypeError(f"{text!r}: expected SEQ:HASH (a number, a colon, 64 hex digits)")
    return int(seq), digest


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
    run.add_argument(
        "--allow-files-anywhere",
        action="store_true",
        help="let the scenario name registry files outside its own folder",
    )
    run.set_defaults(func=cmd_run)

    verify = sub.add_parser("verify", help="check an event store's integrity and fold its incidents")
    verify.add_argument("--store", required=True)
    verify.add_argument(
        "--expect-head", action="append", type=_head_arg, metavar="SEQ:HASH",
        help="a head recorded earlier (printed by verify, export-events and access-log); must still be on the chain",
    )
    verify.set_defaults(func=cmd_verify)

    for module in (
        "alert_engine.registry.commands",
        BENCH_MODULE,
        "alert_engine.simulation.year",
        "alert_engine.simulation.calibrate",
        "alert_engine.simulation.phased_command",
        "alert_engine.coverage.commands",
        "alert_engine.simulation.statistics",
        "alert_engine.review.commands",
        "alert_engine.addresses.commands",
        "alert_engine.centre.serve",
        "alert_engine.centre.responder_accounts",
        "alert_engine.complaints.commands",
        "alert_engine.retention.commands",
    ):
        try:
            mod = __import__(module, fromlist=["register"])
        except ModuleNotFoundError as exc:
            if module == BENCH_MODULE and f"{BENCH_MODULE}.".startswith(f"{exc.name}."):
                _register_missing_bench(sub)
                continue
            if exc.name != module:
                raise
            continue
        mod.register(sub)
    return parser


# The benchmarks live in the source tree's top-level `benchmarks` package, not in the
# wheel; the engine names it only here, as a string, so it never depends on it.
BENCH_MODULE = "benchmarks.selection.command"


def _register_missing_bench(sub: argparse._SubParsersAction) -> None:
    # No option prefix: whatever follows `bench` (even --help) reaches the one-line error.
    p = sub.add_parser("bench", help="selection benchmark (needs a source checkout)",
                       add_help=False, prefix_chars="\0")  # fmt: skip
    p.add_argument("rest", nargs="*")
    p.set_defaults(func=_bench_missing)


def _bench_missing(args: argparse.Namespace) -> int:
    raise EngineError(
        "bench: the benchmarks are not installed; they are in the source tree's benchmarks/ "
        "package (run from a checkout: pip install -e .)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # The review's report counts the incident's aftercare answers where the store has them;
    # their store belongs to the centre, a layer above the review, so it is handed down here.
    args.aftercare_beside = _aftercare_beside
    try:
        return int(args.func(args))
    except InvalidInput as exc:
        print(f"zesminuten-engine: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # `... | head`: the reader went away; nothing to report, and no traceback at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        # A path given on the command line that cannot be written or read (--events naming
        # a folder, a read-only directory): say which, without a traceback.
        # (os.replace names the target second.)
        where = next((f for f in (exc.filename2, exc.filename) if f is not None), "file")
        print(f"zesminuten-engine: error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"zesminuten-engine: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _aftercare_beside(events: Path) -> object | None:
    from .centre.aftercare_store import kept_beside  # imported only when a report asks

    return kept_beside(events)


if __name__ == "__main__":
    sys.exit(main())
