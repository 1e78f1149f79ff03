"""`zesminuten-engine` subcommands for the registry: demo-data, import, export.

Each handler takes the parsed arguments and returns the exit code: 0 done, 2 bad input
(the message says which file, row and field).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InvalidInput
from ..paths import default_registry_path
from .demo import generate_set
from .exchange import AEDS, KINDS, RESPONDERS
from .io import FORMATS, export_file, file_format, import_file
from .rows import rows_from_records
from .store import RegistryStore, default_store_path

EXIT_OK, EXIT_INVALID = 0, 2


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    store_help = f"registry file (default: {default_store_path()})"

    demo = subparsers.add_parser(
        "demo-data",
        help="fill the registry with a synthetic, seeded demo set",
        description="Replace the registry with synthetic responders and AEDs placed inside "
        "CBS postcode areas in proportion to population (no real people).",
    )
    demo.add_argument(
        "--region",
        default="denhaag",
        help="nl, denhaag (the 6 NL332 municipalities), a province, or municipality "
        "names separated by commas (default: denhaag)",
    )
    demo.add_argument("--seed", type=int, default=1, help="same seed, same registry (default 1)")
    demo.add_argument("--store", type=Path, default=None, help=store_help)
    demo.set_defaults(func=demo_data)

    imp = subparsers.add_parser(
        "import",
        help="import responders or AEDs from CSV or GeoJSON",
        description="Check every row first; if any row is wrong, list all problems and "
        "import nothing.",
    )
    imp.add_argument("file", type=Path, help="a .csv, .geojson or .json file")
    imp.add_argument("--kind", choices=KINDS, help="default: guessed from the columns")
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace all stored records of this kind (default: append)",
    )
    imp.add_argument("--store", type=Path, default=None, help=store_help)
    imp.set_defaults(func=import_command)

    exp = subparsers.add_parser("export", help="export responders or AEDs as CSV or GeoJSON")
    exp.add_argument("--kind", choices=KINDS, required=True)
    exp.add_argument("--format", choices=FORMATS, help="default: from OUT's extension")
    exp.add_argument("out", type=Path, metavar="OUT")
    exp.add_argument("--store", type=Path, default=None, help=store_help)
    exp.set_defaults(func=export_command)


def demo_data(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    generated_at = datetime.now(UTC).replace(microsecond=0).isoformat()
    try:
        demo = generate_set(args.region, args.seed)
        with RegistryStore(args.store) as store:
            store.write_rows(
                demo.rows(),
                clear=(RESPONDERS, AEDS),
                metadata={**demo.metadata(), "generated_at": generated_at},
            )
            counts, path = store.counts(), store.path
    except InvalidInput as e:
        return _invalid(e)
    print(
        f"demo-data: {counts.responders:,} responders, {counts.aeds:,} AEDs, synthetic "
        f"(region {args.region}, seed {args.seed}) in {time.perf_counter() - started:.1f} s "
        f"-> {path}"
    )
    return EXIT_OK


def import_command(args: argparse.Namespace) -> int:
    try:
        # A new registry is only created for a file that passed every check.
        target = Path(args.store) if args.store is not None else default_registry_path()
        checked = None if target.exists() else import_file(args.file, kind=args.kind, existing_ids={})
        with RegistryStore(args.store) as store:
            stored = {} if args.replace else {kind: store.ids(kind) for kind in KINDS}
            imported = checked or import_file(args.file, kind=args.kind, existing_ids=stored)
            store.write_rows(
                rows_from_records(imported.responders, imported.aeds),
                clear=(imported.kind,) if args.replace else (),
                metadata={"last_import": f"{imported.kind} from {args.file.name}"},
            )
            counts = store.counts()
    except InvalidInput as e:
        clash = not args.replace and "already in the registry" in str(e)
        return _invalid(e, "add --replace to replace the stored records" if clash else "")
    mode = "replaced" if args.replace else "appended"
    print(
        f"import: {len(imported):,} {imported.kind} from {args.file.name} ({mode}); "
        f"registry now {counts.responders:,} responders, {counts.aeds:,} AEDs, "
        f"synthetic: {counts.synthetic}"
    )
    return EXIT_OK


def export_command(args: argparse.Namespace) -> int:
    fmt = args.format or file_format(args.out)
    try:
        with RegistryStore(args.store) as store:
            records = store.responders() if args.kind == RESPONDERS else store.aeds()
            written = export_file(args.out, args.kind, records, fmt)
            synthetic = store.counts().synthetic
    except InvalidInput as e:
        return _invalid(e)
    print(f"export: {written:,} {args.kind} as {fmt} to {args.out} (synthetic: {synthetic})")
    return EXIT_OK


def _invalid(error: InvalidInput, hint: str = "") -> int:
    print(f"error: {error}", file=sys.stderr)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
    return EXIT_INVALID
