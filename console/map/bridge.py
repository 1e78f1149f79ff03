"""The map widget: loads the offline page once and streams batched deltas into it.

Python → page: `MapView.push(ops)` queues ops until the page reports ready, then sends
everything pushed in one event-loop turn as a single ``window.api.apply([...])`` call.
Page → Python: `MapBridge` is published over QWebChannel; the page calls its slots and the
bridge re-emits them as Qt signals (marker clicks, map clicks, ready).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineSettings
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from .ops import Op, validate
from .page import build_page

log = logging.getLogger(__name__)

# Evaluates the caller's source in the page and always answers with a JSON envelope, so
# objects survive the trip (runJavaScript turns them into '') and JS errors reach Python.
_EVAL_TEMPLATE = """(function () {
  try {
    var value = (0, eval)(%s);
    if (typeof value === "string") { try { value = JSON.parse(value); } catch (e) {} }
    return JSON.stringify({value: value === undefined ? null : value});
  } catch (err) {
    return JSON.stringify({error: String(err && err.stack || err)});
  }
})()"""
_MAX_RENDERER_RESTARTS = 3


class MapScriptError(RuntimeError):
    """JavaScript evaluated in the map page threw."""


class MapBridge(QObject):
    """The page's way back into Python; the page calls the ``notify*`` slots."""

    markerClicked = Signal(str, str)  # kind, id
    mapClicked = Signal(float, float)  # lat, lon
    viewChanged = Signal(float, float, float, float, int)  # south, west, north, east, zoom
    ready = Signal()

    @Slot()
    def notifyReady(self) -> None:
        self.ready.emit()

    @Slot(str, str)
    def notifyMarkerClicked(self, kind: str, layer_id: str) -> None:
        self.markerClicked.emit(kind, layer_id)

    @Slot(float, float)
    def notifyMapClicked(self, lat: float, lon: float) -> None:
        self.mapClicked.emit(lat, lon)

    @Slot(float, float, float, float, int)
    def notifyViewChanged(self, south: float, west: float, north: float, east: float, zoom: int) -> None:
        self.viewChanged.emit(south, west, north, east, zoom)


class _MapPage(QWebEnginePage):
    """Keeps the map where it is: no navigation away, page console routed to logging."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.script_errors: list[str] = []

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        lineNumber: int,
        sourceID: str,
    ) -> None:
        where = f"{Path(QUrl(sourceID).path()).name or sourceID}:{lineNumber}"
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.script_errors.append(f"{where}: {message}")
            log.error("map page %s: %s", where, message)
        else:
            log.debug("map page %s: %s", where, message)

    def acceptNavigationRequest(
        self, url: QUrl | str, type: QWebEnginePage.NavigationType, isMainFrame: bool
    ) -> bool:
        # A link (e.g. in an attribution) must not replace the map and lose the incident.
        allowed = QUrl(url).isLocalFile()
        if not allowed:
            log.info("map page: refused navigation to %s", QUrl(url).toString())
        return allowed


class MapView(QWebEngineView):
    """The incident map. Push op dicts (see `console.map.ops`); listen to the click signals."""

    markerClicked = Signal(str, str)  # kind, id
    mapClicked = Signal(float, float)  # lat, lon
    viewChanged = Signal(float, float, float, float, int)  # settled view at street level
    ready = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        tile_url: str | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no "Reload"
        self._map_page = _MapPage(self)
        self.setPage(self._map_page)
        self._bridge = MapBridge(self)
        self._channel = QWebChannel(self._map_page)
        self._channel.registerObject("bridge", self._bridge)
        self._map_page.setWebChannel(self._channel)
        self._bridge.ready.connect(self._on_ready)
        self._bridge.markerClicked.connect(self.markerClicked)
        self._bridge.mapClicked.connect(self.mapClicked)
        self._bridge.viewChanged.connect(self.viewChanged)
        self._map_page.loadStarted.connect(self._on_load_started)
        self._map_page.renderProcessTerminated.connect(self._on_renderer_gone)

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

        self._cache_dir = cache_dir
        self._tile_url = tile_url
        self._ready = False
        self._released = False
        self._restarts = 0
        self._pending: list[str] = []  # ops as JSON text, in push order
        # What the page should show, so a reload can redraw it: layer ops by (kind, id).
        self._shadow: dict[tuple[str, str], str] = {}
        self._view_op: str | None = None
        self._select_op: tuple[str, str, str] | None = None  # kind, id, JSON
        self._ready_waiters: list[asyncio.Future[None]] = []
        self._load_page()

    def changeEvent(self, event: QEvent) -> None:
        """A language switch: the legend, attribution and tooltips change words in place."""
        if event.type() == QEvent.Type.LanguageChange and self._ready:
            from .page import ui_texts

            self.page().runJavaScript(f"window.api.setTexts({json.dumps(ui_texts())});", 0)
        super().changeEvent(event)

    # ------------------------------------------------------------------ public
    @property
    def bridge(self) -> MapBridge:
        return self._bridge

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def tile_url(self) -> str | None:
        return self._tile_url

    @property
    def script_errors(self) -> list[str]:
        """Errors the page logged to its console since it was created."""
        return list(self._map_page.script_errors)

    def push(self, ops: Iterable[Op]) -> None:
        """Queue ops for the page; all pushes in one event-loop turn go in one JS call."""
        if self._released:
            return
        encoded = []
        for op in ops:
            validate(op)
            encoded.append((op, json.dumps(op, separators=(",", ":"), allow_nan=False)))
        for op, text in encoded:
            self._remember(op, text)
            self._pending.append(text)
        if self._ready and self._pending and not self._flush_timer.isActive():
            self._flush_timer.start()

    def set_tile_url(self, url: str | None) -> None:
        """Switch the online background tiles on (a URL template) or off (None).

        The only operation that reloads the page; what was on the map is drawn again.
        """
        if url == self._tile_url:
            return
        self._tile_url = url
        self._load_page()

    async def wait_ready(self, timeout: float | None = 10.0) -> None:
        """Return once the page has reported ready over the channel."""
        if self._ready:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._ready_waiters.append(future)
        await asyncio.wait_for(future, timeout)

    async def eval_json(self, js: str, timeout: float | None = 10.0) -> Any:
        """Evaluate JS in the page once it is ready and return its value via JSON.

        Ops pushed before the call are applied first. A string result that holds JSON
        (as ``window.api.counts()`` returns) is decoded; a JS exception raises MapScriptError.
        """
        await self.wait_ready(timeout)
        self._flush()
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        def deliver(result: object) -> None:
            if not future.done():
                future.set_result(result if isinstance(result, str) else "")

        self.page().runJavaScript(_EVAL_TEMPLATE % json.dumps(js), 0, deliver)
        raw = await asyncio.wait_for(future, timeout)
        if not raw:
            raise MapScriptError(f"no answer from the map page for {js!r}")
        reply = json.loads(raw)
        if "error" in reply:
            raise MapScriptError(f"{js!r} failed in the map page: {reply['error']}")
        return reply["value"]

    def release(self) -> None:
        """Give the page and its renderer process back now, not when the view is collected.

        For a window that closes for good (a review window): each page has a renderer
        process of its own (~200 MB with the basemap), and Chromium ends it only once the
        page object is deleted. The page goes before the view (a view deleted first leaves
        a page whose profile is shutting down); a normal end is not a crash, so no restart.
        """
        if self._released:
            return
        self._released = True
        self._ready = False
        self._flush_timer.stop()
        self._pending = []
        self._shadow.clear()
        self._map_page.renderProcessTerminated.disconnect(self._on_renderer_gone)
        self._map_page.setWebChannel(None)  # type: ignore[arg-type]
        self._map_page.deleteLater()

    # ----------------------------------------------------------------- private
    def _load_page(self) -> None:
        self._ready = False
        self._flush_timer.stop()
        # Redraw from the shadow: a fresh page knows nothing of the incident.
        self._pending = self._snapshot()
        page = build_page(self._tile_url, cache_dir=self._cache_dir)
        attr = QWebEngineSettings.WebAttribute
        settings = self.settings()
        settings.setAttribute(attr.LocalContentCanAccessRemoteUrls, self._tile_url is not None)
        # Qt 6.12: switching remote access on switches local file access off (measured),
        # and then the page's own leaflet.js no longer loads. Set it back afterwards.
        settings.setAttribute(attr.LocalContentCanAccessFileUrls, True)
        self.load(QUrl.fromLocalFile(str(page.html_path)))

    def _snapshot(self) -> list[str]:
        ops = list(self._shadow.values())
        if self._view_op is not None:
            ops.append(self._view_op)
        if self._select_op is not None:
            ops.append(self._select_op[2])
        return ops

    def _remember(self, op: Op, text: str) -> None:
        name = op["op"]
        if name == "remove":
            key = (op["kind"], str(op["id"]))
            self._shadow.pop(key, None)
            if self._select_op is not None and self._select_op[:2] == key:
                self._select_op = None
        elif name == "clear_incident":
            self._shadow.clear()
            self._select_op = None
        elif name in ("fit", "center"):
            self._view_op = text
        elif name == "select":
            self._select_op = (op["kind"], str(op.get("id")), text)
        else:
            self._shadow[(name, str(op["id"]))] = text

    def _flush(self) -> None:
        self._flush_timer.stop()
        if not self._ready or not self._pending or self._released:
            return
        script = "window.api.apply([" + ",".join(self._pending) + "]);"
        self._pending = []
        self.page().runJavaScript(script, 0)

    @Slot()
    def _on_load_started(self) -> None:
        self._ready = False

    @Slot()
    def _on_ready(self) -> None:
        self._ready = True
        self._restarts = 0
        self._flush()
        waiters, self._ready_waiters = self._ready_waiters, []
        for future in waiters:
            if not future.done():
                future.set_result(None)
        self.ready.emit()

    @Slot(QWebEnginePage.RenderProcessTerminationStatus, int)
    def _on_renderer_gone(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int
    ) -> None:
        self._ready = False
        if status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return
        log.warning("map renderer ended (%s, exit code %s)", status, code)
        if self._restarts < _MAX_RENDERER_RESTARTS:
            self._restarts += 1
            QTimer.singleShot(0, self, self._restart)

    @Slot()
    def _restart(self) -> None:
        self._load_page()
