"""The address book: BAG address points of the centre's own region in SQLite.

A centre loads the extract of its region once (`zesminuten-engine import-addresses
Zuid-Holland.csv.zst`); every row is checked first and the book changes only when the
whole file is good. Streets and places get summary rows (a point and a radius that covers
their addresses) so a street or place answer can say how approximate it is.
"""

from __future__ import annotations

import csv
import io
import math
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import InvalidInput
from ..paths import data_dir
from .keys import place_key, street_key

HEADER = ["straat", "huisnummer", "huisletter", "huisnummertoevoeging", "postcode", "woonplaats",
          "gemeente", "provincie", "lat", "lon"]
MAX_PROBLEMS = 20
# The Netherlands with a margin (Caribbean parts have no BAG extract here).
LAT_RANGE, LON_RANGE = (50.7, 53.7), (3.2, 7.3)
_POSTCODE = re.compile(r"^[1-9]\d{3}[A-Z]{2}$")
_ADDITION = re.compile(r"^[0-9A-Za-z]{1,4}$")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS address (
    street TEXT NOT NULL, number INTEGER NOT NULL, letter TEXT NOT NULL, addition TEXT NOT NULL,
    postcode TEXT NOT NULL, place TEXT NOT NULL, municipality TEXT NOT NULL, province TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, street_key TEXT NOT NULL, place_key TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS address_postcode ON address(postcode, number);
CREATE INDEX IF NOT EXISTS address_street ON address(place_key, street_key, number);
CREATE TABLE IF NOT EXISTS street (
    place_key TEXT NOT NULL, street_key TEXT NOT NULL, street TEXT NOT NULL, place TEXT NOT NULL,
    municipality TEXT NOT NULL, province TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    radius_m REAL NOT NULL, addresses INTEGER NOT NULL, PRIMARY KEY (place_key, street_key)
);
CREATE INDEX IF NOT EXISTS street_key_only ON street(street_key);
CREATE TABLE IF NOT EXISTS place (
    place_key TEXT PRIMARY KEY, place TEXT NOT NULL, municipality TEXT NOT NULL, province TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, radius_m REAL NOT NULL, addresses INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS source (
    province TEXT PRIMARY KEY, file TEXT NOT NULL, rows INTEGER NOT NULL, imported_at TEXT NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class AddressPoint:
    street: str
    number: int
    letter: str
    addition: str
    postcode: str
    place: str
    municipality: str
    lat: float
    lon: float

    @property
    def house(self) -> str:
        """"10", "10a", "10-2", "10a-2" as written on the door."""
        return f"{self.number}{self.letter.lower()}" + (f"-{self.addition}" if self.addition else "")

    @property
    def label(self) -> str:
        pc = f"{self.postcode[:4]} {self.postcode[4:]}"
        return f"{self.street} {self.house}, {pc} {self.place}"


@dataclass(frozen=True, slots=True)
class Area:
    """A street or place from the book: a point among its addresses and a covering radius."""

    name: str
    place: str
    municipality: str
    lat: float
    lon: float
    radius_m: float
    addresses: int


def default_address_book_path() -> Path:
    return data_dir() / "addresses.sqlite"


def _metres(lat0: float, lon0: float, lat: float, lon: float) -> float:
    dy = (lat - lat0) * 111_320.0
    dx = (lon - lon0) * 111_320.0 * math.cos(math.radians(lat0))
    return math.hypot(dx, dy)


# -- import -----------------------------------------------------------------------------------
def _text_of(path: Path) -> str:
    if not path.exists():
        raise InvalidInput(f"{path}: no such file")
    if path.is_dir():
        raise InvalidInput(f"{path}: is a directory, not an address file")
    raw = path.read_bytes()
    if path.suffix == ".zst" or raw[:4] == b"\x28\xb5\x2f\xfd":
        import zstandard

        try:
            raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)).read()
        except zstandard.ZstdError as exc:
            raise InvalidInput(f"{path}: not a readable zstd file ({exc})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start})") from None


def parse_rows(path: Path) -> list[tuple[object, ...]]:
    """Every row checked; InvalidInput lists the first problems (file, line, field) and
    nothing is returned then."""
    text = _text_of(path)
    first = text.split("\n", 1)[0].strip("\r")
    if ";" not in first:
        seen = "tab" if "\t" in first else "comma" if "," in first else "no"
        raise InvalidInput(f"{path}: line 1: wrong delimiter: BAG extracts are ';'-separated, this file has {seen} separators")
    header = [h.strip() for h in first.split(";")]
    if header != HEADER:
        missing = [h for h in HEADER if h not in header]
        extra = [h for h in header if h not in HEADER]
        raise InvalidInput(f"{path}: line 1: header must be {';'.join(HEADER)}"
                           + (f"; missing {', '.join(missing)}" if missing else "")
                           + (f"; unknown {', '.join(extra[:5])}" if extra else ""))
    problems: list[str] = []
    rows: list[tuple[object, ...]] = []
    reader = csv.reader(io.StringIO(text), delimiter=";")
    next(reader)
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not cells or cells == [""]:
                continue
            problem = _check(cells, rows)
            if problem:
                problems.append(f"line {line}: {problem}")
                if len(problems) >= MAX_PROBLEMS:
                    break
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc}")
    if problems:
        more = " (first problems only)" if len(problems) >= MAX_PROBLEMS else ""
        raise InvalidInput(f"{path}: nothing imported{more}:\n  " + "\n  ".join(problems))
    if not rows:
        raise InvalidInput(f"{path}: no addresses")
    return rows


def _check(cells: list[str], rows: list[tuple[object, ...]]) -> str | None:
    if len(cells) != len(HEADER):
        return f"{len(cells)} fields, expected {len(HEADER)}"
    street, number, letter, addition, postcode, place, municipality, province, lat_s, lon_s = (c.strip() for c in cells)
    for name, value in (("straat", street), ("woonplaats", place), ("gemeente", municipality), ("provincie", province)):
        if not value:
            return f"{name} is empty"
        if len(value) > 80 or any(ord(c) < 32 for c in value):
            return f"{name} is not a name ({value[:20]!r}…)"
    if not number.isdigit() or not 1 <= int(number) <= 99_999:
        return f"huisnummer {number!r} is not a number from 1 to 99999"
    if letter and not (len(letter) == 1 and letter.isalpha()):
        return f"huisletter {letter!r} is not one letter"
    if addition and not _ADDITION.match(addition):
        return f"huisnummertoevoeging {addition!r} is not 1–4 letters or digits"
    pc = postcode.replace(" ", "").upper()
    if not _POSTCODE.match(pc):
        return f"postcode {postcode!r} is not a Dutch postcode (1234AB)"
    try:
        lat, lon = float(lat_s), float(lon_s)
    except ValueError:
        return f"lat/lon {lat_s!r}, {lon_s!r} are not numbers"
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        return f"lat/lon {lat}, {lon} is outside the Netherlands"
    rows.append((street, int(number), letter.upper(), addition.upper(), pc, place, municipality, province,
                 round(lat, 7), round(lon, 7), street_key(street), place_key(place)))
    return None


class AddressBook:
    """Read side of the book (and `load` for the import command)."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_address_book_path()
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> AddressBook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- import --------------------------------------------------------------------------
    def load(self, file: Path | str) -> dict[str, int]:
        """Replace the book's rows for the provinces in `file`; all or nothing."""
        file = Path(file)
        rows = parse_rows(file)
        provinces = sorted({str(r[7]) for r in rows})
        with self._db:  # one transaction: a failure leaves the book as it was
            for p in provinces:
                self._db.execute("DELETE FROM address WHERE province=?", (p,))
                self._db.execute("DELETE FROM street WHERE province=?", (p,))
                self._db.execute("DELETE FROM place WHERE province=?", (p,))
            self._db.executemany("INSERT INTO address VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            self._summarise(provinces)
            now = datetime.now().astimezone().isoformat(timespec="seconds")
            for p in provinces:
                n = sum(1 for r in rows if r[7] == p)
                self._db.execute("INSERT OR REPLACE INTO source VALUES (?,?,?,?)", (p, file.name, n, now))
        return {p: sum(1 for r in rows if r[7] == p) for p in provinces}

    def _summarise(self, provinces: list[str]) -> None:
        marks = ",".join("?" * len(provinces))
        for table, keys in (("street", "place_key, street_key"), ("place", "place_key")):
            groups: dict[tuple[str, ...], list[tuple[float, float]]] = {}
            names: dict[tuple[str, ...], tuple[str, str, str, str]] = {}
            cols = f"{keys}, street, place, municipality, province, lat, lon"
            for row in self._db.execute(f"SELECT {cols} FROM address WHERE province IN ({marks})", provinces):
                n_keys = keys.count(",") + 1
                k = tuple(row[:n_keys])
                groups.setdefault(k, []).append((row[-2], row[-1]))
                names.setdefault(k, tuple(row[n_keys:n_keys + 4]))  # type: ignore[arg-type]
            out = []
            for k, points in groups.items():
                lat = sum(p[0] for p in points) / len(points)
                lon = sum(p[1] for p in points) / len(points)
                # The address nearest the mean: on the street / in the village, not in a field.
                near = min(points, key=lambda p: _metres(lat, lon, *p))
                radius = max(_metres(near[0], near[1], *p) for p in points)
                street, place, municipality, province = names[k]
                if table == "street":
                    out.append((*k, street, place, municipality, province, near[0], near[1], max(radius, 25.0), len(points)))
                else:
                    out.append((*k, place, municipality, province, near[0], near[1], max(radius, 250.0), len(points)))
            width = len(out[0]) if out else 0
            if out:
                self._db.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * width)})", out)

    # -- lookups -------------------------------------------------------------------------
    def provinces(self) -> dict[str, int]:
        return {str(p): int(n) for p, n in self._db.execute("SELECT province, rows FROM source ORDER BY province")}

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM address").fetchone()[0])

    def at_postcode(self, postcode: str, number: int | None = None) -> list[AddressPoint]:
        if number is None:
            cur = self._db.execute(f"SELECT {_POINT} FROM address WHERE postcode=? ORDER BY number, letter, addition",
                                   (postcode,))
        else:
            cur = self._db.execute(f"SELECT {_POINT} FROM address WHERE postcode=? AND number=? ORDER BY letter, addition",
                                   (postcode, number))
        return [AddressPoint(*r) for r in cur]

    def on_street(self, place_k: str, street_k: str, number: int | None = None) -> list[AddressPoint]:
        sql = f"SELECT {_POINT} FROM address WHERE place_key=? AND street_key=?"
        args: tuple[object, ...] = (place_k, street_k)
        if number is not None:
            sql += " AND number=?"
            args += (number,)
        return [AddressPoint(*r) for r in self._db.execute(sql + " ORDER BY number, letter, addition", args)]

    def numbers_near(self, place_k: str, street_k: str, number: int, limit: int = 4) -> list[AddressPoint]:
        cur = self._db.execute(
            f"SELECT {_POINT} FROM address WHERE place_key=? AND street_key=? AND letter='' AND addition='' "
            "ORDER BY ABS(number-?), number LIMIT ?", (place_k, street_k, number, limit))
        return [AddressPoint(*r) for r in cur]

    def place(self, place_k: str) -> Area | None:
        row = self._db.execute("SELECT place, place, municipality, lat, lon, radius_m, addresses FROM place "
                               "WHERE place_key=?", (place_k,)).fetchone()
        return Area(*row) if row else None

    def place_keys(self) -> dict[str, str]:
        return {str(k): str(n) for k, n in self._db.execute("SELECT place_key, place FROM place")}

    def street(self, place_k: str, street_k: str) -> Area | None:
        row = self._db.execute("SELECT street, place, municipality, lat, lon, radius_m, addresses FROM street "
                               "WHERE place_key=? AND street_key=?", (place_k, street_k)).fetchone()
        return Area(*row) if row else None

    def streets_in(self, place_k: str) -> dict[str, str]:
        return {str(k): str(n) for k, n in self._db.execute(
            "SELECT street_key, street FROM street WHERE place_key=?", (place_k,))}

    def streets_named(self, street_k: str) -> list[tuple[str, Area]]:
        cur = self._db.execute("SELECT place_key, street, place, municipality, lat, lon, radius_m, addresses "
                               "FROM street WHERE street_key=? ORDER BY addresses DESC", (street_k,))
        return [(str(r[0]), Area(*r[1:])) for r in cur]

    def nearest(self, lat: float, lon: float, within_m: float = 75.0) -> AddressPoint | None:
        """The address point nearest a map click (within `within_m`), for the label."""
        dlat = within_m / 111_320.0
        dlon = within_m / (111_320.0 * math.cos(math.radians(lat)))
        rows = self._db.execute(f"SELECT {_POINT} FROM address WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
                                (lat - dlat, lat + dlat, lon - dlon, lon + dlon)).fetchall()
        points = [AddressPoint(*r) for r in rows]
        best = min(points, key=lambda p: _metres(lat, lon, p.lat, p.lon), default=None)
        if best is None or _metres(lat, lon, best.lat, best.lon) > within_m:
            return None
        return best

    def points_in(self, south: float, west: float, north: float, east: float, limit: int = 5000) -> Iterator[AddressPoint]:
        """Address points in a map view (house numbers and street names at incident zoom),
        nearest the middle of the view first, so a cap trims the edges, not a random part."""
        mid_lat, mid_lon = (south + north) / 2, (west + east) / 2
        squash = math.cos(math.radians(mid_lat)) ** 2
        cur = self._db.execute(
            f"SELECT {_POINT} FROM address WHERE lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? "
            "ORDER BY (lat-?)*(lat-?) + (lon-?)*(lon-?)*? LIMIT ?",
            (south, north, west, east, mid_lat, mid_lat, mid_lon, mid_lon, squash, limit))
        return (AddressPoint(*r) for r in cur)


_POINT = "street, number, letter, addition, postcode, place, municipality, lat, lon"
