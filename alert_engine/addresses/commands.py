"""`zesminuten-engine import-addresses` and `geocode`: the console's resolver on the command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..errors import InvalidInput
from .book import AddressBook, default_address_book_path


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = subparsers.add_parser(
        "import-addresses",
        help="load a BAG address extract (.csv or .csv.zst, ';'-separated) into the address book",
        description="Every row is checked first; the book changes only when the whole file is good. "
        "Rows of the provinces in the file replace what the book held for them.",
    )
    imp.add_argument("file", type=Path)
    imp.add_argument("--book", type=Path, default=None, help=f"address book (default: {default_address_book_path()})")
    imp.set_defaults(func=cmd_import)

    geo = subparsers.add_parser(
        "geocode",
        help="resolve a typed location as the console does; prints one JSON object",
        description="Prints label, lat, lon, precision (address, street, postcode, place, motorway, "
        "coordinates or none), uncertainty_m and alternatives. Exit 0 also when nothing is found.",
    )
    geo.add_argument("text", nargs="+", help="what the dispatcher would type")
    geo.add_argument("--book", type=Path, default=None, help="address book (default: the user data dir's, if any)")
    geo.add_argument("--no-book", action="store_true", help="ignore the address book (postcode areas, places only)")
    geo.set_defaults(func=cmd_geocode)


def cmd_import(args: argparse.Namespace) -> int:
    path = args.book or default_address_book_path()
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory, not an address book")
    with AddressBook(path) as book:
        counts = book.load(args.file)
        total = len(book)
    done = ", ".join(f"{p}: {n:,}" for p, n in counts.items())
    print(f"imported {sum(counts.values()):,} addresses ({done}) into {path}; the book holds {total:,}", file=sys.stderr)
    return 0


def cmd_geocode(args: argparse.Namespace) -> int:
    from ..gazetteer import Gazetteer
    from .resolver import Resolver

    book = None
    path = args.book or default_address_book_path()
    if not args.no_book:
        if args.book is not None and not path.is_file():
            raise InvalidInput(f"{path}: no such address book")
        if path.is_file():
            book = AddressBook(path)
    try:
        result = Resolver(Gazetteer(), book).resolve(" ".join(args.text))
    finally:
        if book is not None:
            book.close()
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0
