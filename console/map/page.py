"""Build the offline map page once: folium skeleton, local Leaflet, shipped GeoJSON basemap.

The result is a directory with ``index.html`` next to Leaflet, the map script and the basemap
data as separate ``.js`` files, so the page itself stays a few kilobytes and loads from disk
with ``QWebEngineView.load(QUrl.fromLocalFile(...))``. Builds are cached by a key over every
input, so a second start only checks that the directory exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from alert_engine.assets import resource_path

# Between The Hague and Zoetermeer, where the shipped road data is.
DEFAULT_CENTER = (52.060, 4.400)
DEFAULT_ZOOM = 12
MAP_NAME = "map_zesminuten"
# Bump when the page layout changes in a way the cache key cannot see.
_PAGE_FORMAT = 3
# ~1 m: finer than a screen pixel at the map's maximum zoom of the basemap's use.
_COORD_DECIMALS = 5

_BASEMAP_SOURCES = {
    "municipalities": ("data/gemeenten_2022_cbs.geojson", ("gemeente",)),
    "roads": ("data/major_roads_denhaag_region_osm2019.geojson", ("highway",)),
    "motorways": ("data/motorways_denhaag_region_osm2019.geojson", ("highway", "ref", "name")),
}
# The major-roads file repeats the motorways; the motorway layer draws those.
_MOTORWAY_CLASSES = frozenset({"motorway", "motorway_link", "trunk", "trunk_link"})
_STATIC_FILES = ("zesminuten_map.js", "zesminuten_map.css")


@dataclass(frozen=True)
class MapPage:
    """A built page: open ``html_path``; the JS name of the Leaflet map is ``map_name``."""

    directory: Path
    html_path: Path
    map_name: str
    tile_url: str | None


def ui_texts() -> dict[str, Any]:
    """Every text the page shows, translated in Python so Qt's translator covers the map too
    (spelled out as translate("Map", ...): pyside6-lupdate only collects literal calls)."""
    return {
        "attribution": QCoreApplication.translate(
            "Map",
            "© OpenStreetMap-bijdragers (ODbL) · CBS (CC BY 4.0) · "
            "AED's en hulpverleners synthetisch"
        ),
        "legend": QCoreApplication.translate("Map", "Legenda"),
        "victim": QCoreApplication.translate("Map", "Slachtoffer"),
        "aed": QCoreApplication.translate("Map", "AED"),
        "motorway": QCoreApplication.translate("Map", "Snelweg"),
        "role_letters": {
            "cpr": QCoreApplication.translate("Map", "C", "map letter: responder goes straight to the victim (CPR)"),
            "aed": QCoreApplication.translate("Map", "A", "map letter: responder fetches an AED first"),
        },
        "roles": {
            "cpr": QCoreApplication.translate("Map", "direct naar slachtoffer"),
            "aed": QCoreApplication.translate("Map", "haalt AED"),
        },
        "responder_states": {
            "alerted": QCoreApplication.translate("Map", "gealarmeerd"),
            "accepted": QCoreApplication.translate("Map", "geaccepteerd"),
            "declined": QCoreApplication.translate("Map", "afgewezen"),
            "timed_out": QCoreApplication.translate("Map", "geen reactie"),
            "arrived": QCoreApplication.translate("Map", "ter plaatse"),
            "cancelled": QCoreApplication.translate("Map", "geannuleerd"),
            "oversupply": QCoreApplication.translate("Map", "overtallig"),
        },
        "aed_states": {
            "available": QCoreApplication.translate("Map", "beschikbaar"),
            "closed": QCoreApplication.translate("Map", "gesloten"),
            "unavailable": QCoreApplication.translate("Map", "niet beschikbaar"),
            "assigned": QCoreApplication.translate("Map", "toegewezen"),
            "fetched": QCoreApplication.translate("Map", "opgehaald"),
            "connected": QCoreApplication.translate("Map", "aangesloten"),
        },
    }


def default_cache_dir() -> Path:
    """Where built pages live: under $ZESMINUTEN_HOME if set, else the user cache dir."""
    home = os.environ.get("ZESMINUTEN_HOME")
    if home:
        return Path(home) / "cache" / "map"
    import platformdirs

    return Path(platformdirs.user_cache_dir("zesminuten")) / "map"


def build_page(
    tile_url: str | None = None,
    *,
    tile_attribution: str | None = None,
    cache_dir: Path | None = None,
) -> MapPage:
    """Return the page for these settings, building it only if no cached copy exists.

    ``tile_url`` is an optional online tile template (``https://.../{z}/{x}/{y}.png``);
    without it the page makes no network request at all.
    """
    import xstatic.pkg.leaflet as xleaflet

    texts = ui_texts()
    options = {"texts": texts, "tiled": tile_url is not None}
    sources = {kind: resource_path(path) for kind, (path, _) in _BASEMAP_SOURCES.items()}
    key = _cache_key(tile_url, tile_attribution, options, sources, Path(xleaflet.BASE_DIR))
    root = _writable_dir(cache_dir or default_cache_dir())
    target = root / f"page-{key}"
    page = MapPage(target, target / "index.html", MAP_NAME, tile_url)
    if page.html_path.exists():
        return page

    # Build beside the target and rename, so a crash or a second console never sees half a page.
    staging = Path(tempfile.mkdtemp(prefix="building-", dir=root))
    try:
        shutil.copytree(xleaflet.BASE_DIR, staging / "leaflet", ignore=_skip_maps)
        for name in _STATIC_FILES:
            (staging / name).write_bytes(files("console.map").joinpath(name).read_bytes())
        for kind, source in sources.items():
            _write_basemap(kind, source, _BASEMAP_SOURCES[kind][1], staging)
        html = _render_html(tile_url, tile_attribution, options)
        (staging / "index.html").write_text(html, encoding="utf-8")
        try:
            staging.rename(target)
        except OSError:
            if not page.html_path.exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return page


def _skip_maps(_directory: str, names: list[str]) -> list[str]:
    # Source maps and the ESM build are 1 MB of files the page never loads.
    return [n for n in names if n.endswith(".map") or n.endswith(".esm.js") or "-src" in n]


def _cache_key(
    tile_url: str | None,
    tile_attribution: str | None,
    options: dict[str, Any],
    sources: dict[str, Path],
    leaflet_dir: Path,
) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([_PAGE_FORMAT, tile_url, tile_attribution, options]).encode())
    for name in _STATIC_FILES:
        digest.update(files("console.map").joinpath(name).read_bytes())
    for path in [*sources.values(), leaflet_dir / "leaflet.js"]:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _writable_dir(preferred: Path) -> Path:
    try:
        preferred.mkdir(parents=True, exist_ok=True)
        return preferred
    except OSError:
        return Path(tempfile.mkdtemp(prefix="zesminuten-map-"))


def _write_basemap(kind: str, source: Path, keep: tuple[str, ...], out_dir: Path) -> None:
    """Write one GeoJSON layer as a script that sets ``window.ZM_BASEMAP[kind]``.

    Lines are merged into one MultiLineString per distinct set of kept properties: the
    3,600 road pieces of the OSM extract became 3,600 Leaflet layers (each with its own
    objects and bounds) for 4 road classes; merged, the renderer needs ~20 MB less
    (measured with ``python -m benchmarks.console --memory``) and draws the same lines.
    Municipalities stay one feature each (their tooltip names them).
    """
    collection = json.loads(source.read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = []
    lines: dict[tuple[tuple[str, Any], ...], list[Any]] = {}
    for feature in collection["features"]:
        props = feature.get("properties") or {}
        if kind == "roads" and props.get("highway") in _MOTORWAY_CLASSES:
            continue
        geometry = feature["geometry"]
        slim = {key: props[key] for key in keep if props.get(key) is not None}
        if kind == "municipalities":
            slim = {"name": props.get("gemeente", ""), "label": _label_point(geometry)}
        if geometry["type"] in ("LineString", "MultiLineString"):
            parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
            lines.setdefault(tuple(slim.items()), []).extend(_rounded(part) for part in parts)
            continue
        geometry = {"type": geometry["type"], "coordinates": _rounded(geometry["coordinates"])}
        features.append({"type": "Feature", "properties": slim, "geometry": geometry})
    for props_key, parts in lines.items():
        geometry = {"type": "MultiLineString", "coordinates": parts}
        features.append({"type": "Feature", "properties": dict(props_key), "geometry": geometry})
    payload = json.dumps(
        {"type": "FeatureCollection", "features": features},
        separators=(",", ":"),
        ensure_ascii=False,
    )
    # As a JSON string for JSON.parse rather than an object literal: V8 parses JSON much
    # more cheaply than JavaScript source (no parse tree of 50,000 array literals), and the
    # renderer keeps less of that peak (measured: ~5 MB less RSS).
    script = (
        "window.ZM_BASEMAP = window.ZM_BASEMAP || {};\n"
        f"window.ZM_BASEMAP[{json.dumps(kind)}] = JSON.parse({json.dumps(payload, ensure_ascii=False)});\n"
    )
    (out_dir / f"basemap_{kind}.js").write_text(script, encoding="utf-8")


def _rounded(coordinates: Any) -> Any:
    """Nested GeoJSON coordinates rounded to ``_COORD_DECIMALS`` (a third less to parse)."""
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(c, _COORD_DECIMALS) for c in coordinates]
    return [_rounded(c) for c in coordinates]


def _label_point(geometry: dict[str, Any]) -> list[float]:
    """A point inside the area for its name label ([lat, lon]; centroids can fall outside)."""
    from shapely.geometry import shape

    point = shape(geometry).representative_point()
    return [round(point.y, 5), round(point.x, 5)]


def _render_html(
    tile_url: str | None, tile_attribution: str | None, options: dict[str, Any]
) -> str:
    import folium
    from branca.element import Element, Figure, MacroElement
    from jinja2 import Template

    # Only Leaflet, from the copy next to the page (no CDN, no jQuery/Bootstrap), then ours.
    scripts = [
        ("leaflet", "leaflet/leaflet.js"),
        ("qwebchannel", "qrc:///qtwebchannel/qwebchannel.js"),
        *((f"basemap_{kind}", f"basemap_{kind}.js") for kind in _BASEMAP_SOURCES),
        ("zesminuten_map", "zesminuten_map.js"),
    ]
    styles = [("leaflet_css", "leaflet/leaflet.css"), ("zesminuten_css", "zesminuten_map.css")]

    class OfflineMap(folium.Map):
        default_js = scripts
        default_css = styles

    fmap = OfflineMap(
        location=DEFAULT_CENTER,
        zoom_start=DEFAULT_ZOOM,
        tiles=None,
        control_scale=False,  # the page adds a metric-only scale
        min_zoom=7,
        max_zoom=18,
    )
    fmap._id = "zesminuten"  # a stable JS name: MAP_NAME
    if tile_url is not None:
        folium.TileLayer(
            tiles=tile_url,
            attr=tile_attribution or QCoreApplication.translate("Map", "Achtergrondkaart: externe tegelserver"),
            max_zoom=19,
        ).add_to(fmap)

    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(Element('<meta name="referrer" content="no-referrer">'))

    install = MacroElement()
    install._template = Template(
        "{% macro script(this, kwargs) %}"
        "window.zmInstall({{ this._parent.get_name() }}, {{ this.options|tojson }});"
        "{% endmacro %}"
    )
    install.options = options  # type: ignore[attr-defined]
    fmap.add_child(install, name="zm_install")
    html: str = figure.render()
    if fmap.get_name() != MAP_NAME:
        raise RuntimeError(f"folium named the map {fmap.get_name()!r}, expected {MAP_NAME!r}")
    return html
