"""Demo regions the console can start on without a server or any data of a centre's own.

`denhaag` (the default) has CBS postcode areas, places and the OSM major roads and
motorways, but no address points: its locations are honest about that (postcode area,
major road, place). `groningen` ships the BAG address points of the province, so a call
resolves to the address point; it has no motorway geometry, so the motorway criterion is
judged from the description only. Each region keeps its own data folder.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("zesminuten.console")


@dataclass(frozen=True)
class Region:
    name: str
    registry_region: str  # for the synthetic demo registry (alert_engine.registry.demo)
    centre: tuple[float, float]
    addresses: str | None  # shipped BAG extract (resources/...), imported on first start
    motorway_geometry: bool


REGIONS = {
    "denhaag": Region("denhaag", "denhaag", (52.060, 4.400), None, True),
    "groningen": Region("groningen", "Groningen", (53.219, 6.567), "data/bag/Groningen.csv.zst", False),
}
DEFAULT_REGION = "denhaag"


def use_region(name: str) -> Region:
    """Point the data directory at the region's own folder (before anything opens a file)."""
    region = REGIONS[name]
    if name != DEFAULT_REGION:
        from alert_engine.paths import data_dir

        os.environ["ZESMINUTEN_HOME"] = str(data_dir() / name)
    return region


def open_address_book(region: Region) -> object | None:
    """The address book of the data folder (a centre's own import, or the region's shipped
    extract, imported on first start); None when there is none."""
    from alert_engine.addresses.book import AddressBook, default_address_book_path
    from alert_engine.assets import resource_path

    path: Path = default_address_book_path()
    if not path.exists() and region.addresses is None:
        return None
    book = AddressBook(path)
    if len(book) == 0 and region.addresses is not None:
        log.warning("first start: importing the %s address points into %s", region.name, path)
        book.load(resource_path(region.addresses))
    if len(book) == 0:
        book.close()
        return None
    return book
