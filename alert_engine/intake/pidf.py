"""PIDF-LO (RFC 4119, shapes RFC 5491, civic address RFC 5139) inside an EIDO's XML string.

Parsed with defusedxml with DTDs forbidden: a location object never needs one, and a
DTD is how XML entity expansion ("billion laughs") and external entities (XXE, reading
local files or URLs) get in. Only WGS 84 (EPSG 4326/4979, lat lon order) is read, which
is all RFC 5491 allows. One shape and one civic address are read; the first of each.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace

import defusedxml
import defusedxml.ElementTree as SafeET

from ..safe_input import control_problem, shown
from .fields import IntakeInvalid
from .message import CivicAddress

MAX_XML_CHARS = 64_000  # a PIDF-LO with a shape and an address is 1-3 kB

PIDF = "urn:ietf:params:xml:ns:pidf"
GP = "urn:ietf:params:xml:ns:pidf:geopriv10"
GML = "http://www.opengis.net/gml"
GS = "urn:ietf:params:xml:ns:pidf:geopriv10:geoShape"
CA = "urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr"
CON = "urn:ietf:params:xml:ns:geopriv:conf"
_WGS84 = {"urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG::4979", "EPSG:4326", "EPSG:4979"}
_METRE = "urn:ogc:def:uom:EPSG::9001"
# ArcBand and Prism (a sector, a building's floors) are left to the dispatcher (`note`).
_READ = ("Point", "Circle", "Ellipse", "Sphere", "Ellipsoid", "Polygon")


@dataclass(frozen=True)
class _Where:
    """Errors inside a shape name the JSON field and the shape: the field is the path."""

    field: str
    shape: str

    def fail(self, problem: str) -> IntakeInvalid:
        return IntakeInvalid(self.field, f"{self.shape}: {problem}")


@dataclass(frozen=True)
class Pidf:
    lat: float | None = None
    lon: float | None = None
    uncertainty_m: float | None = None
    confidence_pct: float | None = None
    address: CivicAddress | None = None
    method: str | None = None
    note: str | None = None


def parse(xml: str, field: str) -> Pidf:
    """Read a PIDF-LO document; anything malformed is an IntakeInvalid naming `field`."""
    xml = xml.lstrip("\ufeff \t\r\n")  # the 2020 sample starts with spaces before <?xml
    if len(xml) > MAX_XML_CHARS:
        raise IntakeInvalid(field, f"XML is {len(xml)} characters long; at most {MAX_XML_CHARS}")
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise IntakeInvalid(
            field, f"XML refused: {type(exc).__name__} (no DTD or entities)"
        ) from None
    except ET.ParseError as exc:
        raise IntakeInvalid(field, f"not well-formed XML ({exc})") from None
    except Exception as exc:  # expat reports odd input (encodings, bytes) in other ways too
        raise IntakeInvalid(field, f"not readable XML ({type(exc).__name__})") from None
    if root.tag != f"{{{PIDF}}}presence":
        raise IntakeInvalid(field, f"not a PIDF-LO document: root element is {shown(root.tag)}")
    infos = root.findall(f".//{{{GP}}}location-info")
    if not infos:
        raise IntakeInvalid(field, "PIDF-LO without gp:location-info")
    shape, address = None, None
    for info in infos:
        shape = shape if shape is not None else _first_shape(info)
        found = info.find(f"{{{CA}}}civicAddress")
        address = address if address is not None else found
    method = root.find(f".//{{{GP}}}method")
    pidf = Pidf(
        address=None if address is None else _civic(address, field),
        method=None if method is None else _text(method, field, "gp:method") or None,
    )
    if shape is None:
        if pidf.address is None:
            raise IntakeInvalid(
                field, "PIDF-LO location-info holds neither a shape nor a civicAddress"
            )
        return pidf
    return _read_shape(shape, infos, field, pidf)


def _first_shape(info: ET.Element) -> ET.Element | None:
    for child in info:
        if child.tag.startswith((f"{{{GML}}}", f"{{{GS}}}")):
            return child
    return None


def _read_shape(shape: ET.Element, infos: list[ET.Element], field: str, pidf: Pidf) -> Pidf:
    name = shape.tag.rsplit("}", 1)[1]
    if name not in _READ:
        note = f"PIDF-LO shape {name} is not read; the location must be checked by hand"
        return replace(pidf, note=note)
    where = _Where(field, f"{'gml' if shape.tag.startswith(f'{{{GML}}}') else 'gs'}:{name}")
    srs = shape.get("srsName")
    if srs is not None and srs not in _WGS84:
        raise where.fail(f"srsName {shown(srs)} is not WGS 84 (EPSG::4326 or ::4979)")
    if name == "Polygon":
        lat, lon, radius = _polygon(shape, where)
    else:
        lat, lon = _pos(shape.find(f"{{{GML}}}pos"), where)
        radius = None
        if name in ("Circle", "Sphere"):
            radius = _length(shape.find(f"{{{GS}}}radius"), where, "radius")
        elif name in ("Ellipse", "Ellipsoid"):
            # The major semi-axis bounds the ellipse: a circle that holds all of it.
            radius = _length(shape.find(f"{{{GS}}}semiMajorAxis"), where, "semiMajorAxis")
    confidence = None
    for info in infos:
        found = info.find(f"{{{CON}}}confidence")
        if found is not None:
            confidence = _number(found, where, "confidence", 0.0, 100.0)
            break
    return replace(pidf, lat=lat, lon=lon, uncertainty_m=radius, confidence_pct=confidence)


def _pos(element: ET.Element | None, where: _Where) -> tuple[float, float]:
    if element is None:
        raise where.fail("gml:pos missing")
    return _lat_lon((element.text or "").split(), where)


def _lat_lon(parts: list[str], where: _Where) -> tuple[float, float]:
    if len(parts) not in (2, 3):
        raise where.fail(
            f"gml:pos must be 'lat lon' or 'lat lon height', got {shown(' '.join(parts))}"
        )
    try:
        lat, lon = float(parts[0]), float(parts[1])
    except ValueError:
        raise where.fail(f"gml:pos is not two numbers: {shown(' '.join(parts))}") from None
    if not (math.isfinite(lat) and -90 <= lat <= 90 and math.isfinite(lon) and -180 <= lon <= 180):
        raise where.fail(f"gml:pos {shown(' '.join(parts))} is not a latitude and longitude")
    return lat, lon


def _polygon(shape: ET.Element, where: _Where) -> tuple[float, float, float]:
    """A polygon as its vertices' mean and the farthest vertex: a circle that holds it."""
    ring = shape.find(f"{{{GML}}}exterior/{{{GML}}}LinearRing")
    if ring is None:
        raise where.fail("gml:exterior/gml:LinearRing missing")
    pos_list = ring.find(f"{{{GML}}}posList")
    if pos_list is not None:
        numbers = (pos_list.text or "").split()
        dims = 3 if shape.get("srsName", "").endswith("4979") else 2
        if len(numbers) % dims or len(numbers) < 3 * dims or len(numbers) > 2000:
            raise where.fail(
                f"gml:posList has {len(numbers)} numbers, not a ring of {dims}D points"
            )
        points = [_lat_lon(numbers[i : i + 2], where) for i in range(0, len(numbers), dims)]
    else:
        points = [_pos(p, where) for p in ring.findall(f"{{{GML}}}pos")[:1000]]
        if len(points) < 3:
            raise where.fail("a polygon needs at least 3 gml:pos")
    if len(points) > 3 and points[0] == points[-1]:
        points = points[:-1]  # a GML ring repeats its first vertex to close it
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return lat, lon, max(distance_m(lat, lon, *p) for p in points)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine): exact enough for a radius or a move."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6_371_000.0 * math.asin(math.sqrt(min(1.0, a)))


def _length(element: ET.Element | None, where: _Where, name: str) -> float:
    if element is None:
        raise where.fail(f"gs:{name} missing")
    uom = element.get("uom", _METRE)
    if uom != _METRE:
        raise where.fail(f"gs:{name} in {shown(uom)}; only metres ({_METRE}) are read")
    return _number(element, where, name, 0.0, 100_000.0)


def _number(element: ET.Element, where: _Where, name: str, low: float, high: float) -> float:
    raw = (element.text or "").strip()
    try:
        value = float(raw)
    except ValueError:
        raise where.fail(f"{name} is not a number: {shown(raw)}") from None
    if not (math.isfinite(value) and low <= value <= high):
        raise where.fail(f"{name} must be between {low:g} and {high:g}, got {shown(raw)}")
    return value


# RFC 5139 element -> CivicAddress field; street parts are joined (PRD RD STS POD).
_CIVIC = {"country": "country", "A1": "province", "A2": "municipality", "A3": "place",
          "HNO": "house_number", "HNS": "house_suffix", "PC": "postcode"}  # fmt: skip
_STREET = ("PRD", "RD", "STS", "POD")
_DETAILS = ("A4", "A5", "RDSEC", "RDBR", "RDSUBBR", "LMK", "LOC", "NAM", "BLD", "FLR", "UNIT",
            "ROOM", "SEAT", "PLC", "PCN", "POBOX", "ADDCODE")  # fmt: skip


def _civic(element: ET.Element, field: str) -> CivicAddress:
    values: dict[str, str] = {}
    for child in element:
        name = child.tag.rsplit("}", 1)[-1]
        if child.tag.startswith(f"{{{CA}}}") and (child.text or "").strip():
            values.setdefault(name, _text(child, field, f"civicAddress/{name}"))
    street = " ".join(values[p] for p in _STREET if p in values) or values.get("A6")
    parts = {target: values[source] for source, target in _CIVIC.items() if source in values}
    details = tuple((k, values[k]) for k in _DETAILS if k in values)
    address = CivicAddress(street=street, details=details, **parts)
    if address == CivicAddress():
        raise IntakeInvalid(field, "civicAddress is empty")
    return address


def _text(element: ET.Element, field: str, name: str) -> str:
    value = " ".join((element.text or "").split())
    if len(value) > 200:
        raise IntakeInvalid(field, f"{name} is {len(value)} characters long; at most 200")
    problem = control_problem(value, free_text=False)
    if problem:
        raise IntakeInvalid(field, f"{name} {problem}")
    return value
