"""The map in a real (offscreen) QtWebEngine: offline page, batched deltas, clicks back to Python."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

from console.map.bridge import MapView

# Offscreen QtWebEngine reports that it has no GPU and falls back to software rendering;
# that is the test machine, not the map.
pytestmark = [
    pytest.mark.gui,
    pytest.mark.qt_log_ignore(
        r"^QRhiGles2: Failed to create",
        r"^Failed to create RHI for backend",
        r"createPlatformVulkanInstance",
        r"^QVulkanInstance: Failed to initialize Vulkan",
        r"^GBM is not supported",
        r"^GPUInfo not initialized",
    ),
]

VICTIM = (52.0800, 4.3420)
ALERTED_RGB = "rgb(79, 119, 168)"
ACCEPTED_RGB = "rgb(26, 158, 58)"

RunAsync = Callable[..., Any]


class RequestRecorder(QWebEngineUrlRequestInterceptor):
    """Sees every request the page makes (documents, scripts, images, XHR)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        self.urls.append(info.requestUrl().toString())


@pytest.fixture(scope="session")
def map_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("map-cache")


@pytest.fixture
def make_view(
    qtbot: Any, qasync_loop: asyncio.AbstractEventLoop, map_cache: Path
) -> Iterator[Callable[[], MapView]]:
    """Make shown map views; afterwards check the pages logged no error and delete them.

    Deleted here, not left to a deleteLater that may never run: a web page still alive when
    the session ends makes QtWebEngine warn about releasing its profile.
    """
    made: list[MapView] = []

    def make() -> MapView:
        widget = MapView(cache_dir=map_cache)
        widget.resize(900, 700)
        widget.show()
        made.append(widget)
        return widget

    yield make
    errors = [e for widget in made for e in widget.script_errors]
    gone: list[bool] = []
    for widget in made:
        widget.destroyed.connect(lambda: gone.append(True))
        widget.close()
        widget.deleteLater()
    qtbot.waitUntil(lambda: len(gone) == len(made), timeout=5_000)
    assert errors == []


@pytest.fixture
def view(make_view: Callable[[], MapView]) -> MapView:
    return make_view()


def offset(d_m: float, bearing_deg: float) -> tuple[float, float]:
    b = math.radians(bearing_deg)
    return (
        VICTIM[0] + d_m * math.cos(b) / 111_320,
        VICTIM[1] + d_m * math.sin(b) / (111_320 * math.cos(math.radians(VICTIM[0]))),
    )


def responder(rid: str, lat: float, lon: float, state: str, role: str) -> dict[str, Any]:
    return {"op": "responder", "id": rid, "lat": lat, "lon": lon, "state": state, "role": role}


def incident_ops(n_responders: int = 100) -> list[dict[str, Any]]:
    ops: list[dict[str, Any]] = [
        {"op": "victim", "id": "I1", "lat": VICTIM[0], "lon": VICTIM[1], "label": "Melding 1"},
        {"op": "ring", "id": "I1", "lat": VICTIM[0], "lon": VICTIM[1], "radius_m": 1200},
    ]
    aeds = []
    for i in range(3):
        lat, lon = offset(500, 120 * i)
        aeds.append([lat, lon])
        ops.append({"op": "aed", "id": f"AED{i:05d}", "lat": lat, "lon": lon, "state": "available"})
    for n in range(n_responders):
        lat, lon = offset(100 + 10 * n, 37 * n)
        role = "cpr" if n % 3 == 0 else "aed"
        ops.append(
            {
                "op": "responder",
                "id": f"R{n}",
                "lat": lat,
                "lon": lon,
                "state": "alerted",
                "role": role,
                "label": f"BHV-{n:07d}",
            }
        )
        if role == "aed":
            ops.append(
                {
                    "op": "route",
                    "id": f"R{n}",
                    "points": [[lat, lon], aeds[n % 3], list(VICTIM)],
                    "state": "alerted",
                }
            )
    return ops


def counts(view: MapView, run_async: RunAsync) -> dict[str, int]:
    result: dict[str, int] = run_async(view.eval_json("window.api.counts()"))
    return result


def class_name(view: MapView, run_async: RunAsync, rid: str) -> str:
    info = run_async(view.eval_json(f"window.api.info('responder', '{rid}')"))
    return str(info["class_name"])


def test_page_renders_offline_and_makes_no_network_request(
    make_view: Callable[[], MapView], run_async: RunAsync
) -> None:
    widget = make_view()
    recorder = RequestRecorder()
    # Before the event loop runs, so the page's first request is already seen.
    widget.page().setUrlRequestInterceptor(recorder)

    assert run_async(widget.eval_json("typeof L")) == "object"
    found = counts(widget, run_async)
    assert found["municipalities"] > 300
    assert found["basemap_features"] > 3000
    # The canvas basemap really drew something: some non-background pixel on it.
    drawn = run_async(
        widget.eval_json(
            """(function () {
              var c = document.querySelector('.leaflet-zmBasemap-pane canvas');
              var d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              var n = 0;
              for (var i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
              return n;
            })()"""
        )
    )
    assert drawn > 10_000
    attribution = run_async(
        widget.eval_json("document.querySelector('.leaflet-control-attribution').textContent")
    )
    assert "OpenStreetMap-bijdragers" in attribution and "CBS" in attribution

    assert any(u.endswith("/index.html") for u in recorder.urls), recorder.urls
    assert any(u.endswith("/leaflet/leaflet.js") for u in recorder.urls), recorder.urls
    remote = [u for u in recorder.urls if u.split(":", 1)[0] in ("http", "https", "ws", "wss")]
    assert remote == []
    assert widget.script_errors == []


def test_one_batch_of_100_responders_3_aeds_and_routes(view: MapView, run_async: RunAsync) -> None:
    view.push(incident_ops(100))
    found = counts(view, run_async)
    assert (found["responder"], found["aed"], found["route"]) == (100, 3, 66)
    assert (found["victim"], found["ring"]) == (1, 1)


def test_pushes_in_one_event_loop_turn_go_in_one_call(view: MapView, run_async: RunAsync) -> None:
    before = run_async(view.eval_json("window.api.stats()"))
    ops = incident_ops(30)
    view.push(ops[:10])
    view.push(ops[10:20])
    view.push(ops[20:])

    async def let_the_timer_fire() -> Any:
        await asyncio.sleep(0.05)
        return await view.eval_json("window.api.stats()")

    after = run_async(let_the_timer_fire())
    assert after["apply_calls"] - before["apply_calls"] == 1
    assert after["ops_applied"] - before["ops_applied"] == len(ops)
    assert after["errors"] == 0


def test_state_update_restyles_the_same_marker(view: MapView, run_async: RunAsync) -> None:
    view.push(incident_ops(10))
    first = run_async(view.eval_json("window.api.info('responder', 'R4')"))
    colour = "getComputedStyle(window.api.layer('responder','R4').getElement().firstChild)"
    assert run_async(view.eval_json(colour + ".backgroundColor")) == ALERTED_RGB

    lat, lon = offset(50, 90)
    view.push(
        [
            responder("R4", lat, lon, "accepted", "aed"),
            {"op": "route", "id": "R4", "points": [[lat, lon], list(VICTIM)], "state": "accepted"},
        ]
    )
    second = run_async(view.eval_json("window.api.info('responder', 'R4')"))
    assert second["leaflet_id"] == first["leaflet_id"]
    assert "zm-s-accepted" in second["class_name"]
    assert second["lat"] == pytest.approx(lat)
    assert run_async(view.eval_json(colour + ".backgroundColor")) == ACCEPTED_RGB
    route = run_async(view.eval_json("window.api.info('route', 'R4')"))
    assert route["style"]["color"] == "#1a9e3a" and route["style"]["dashArray"] is None
    assert counts(view, run_async)["responder"] == 10


def test_declined_responder_is_smaller_and_loses_its_letter(
    view: MapView, run_async: RunAsync
) -> None:
    view.push(incident_ops(3))
    size = "window.api.layer('responder','R1').getElement().offsetWidth"
    text = "window.api.layer('responder','R1').getElement().textContent"
    assert (run_async(view.eval_json(size)), run_async(view.eval_json(text))) == (22, "A")
    lat, lon = offset(110, 37)
    view.push([responder("R1", lat, lon, "declined", "aed")])
    assert run_async(view.eval_json(size)) < 22
    assert run_async(view.eval_json(text)) == ""


def test_remove_and_clear_incident_keep_the_basemap(view: MapView, run_async: RunAsync) -> None:
    view.push(incident_ops(20))
    basemap = counts(view, run_async)["basemap_features"]
    view.push(
        [
            {"op": "remove", "kind": "responder", "id": "R3"},
            {"op": "remove", "kind": "route", "id": "R4"},
            {"op": "remove", "kind": "aed", "id": "no-such-aed"},
        ]
    )
    found = counts(view, run_async)
    assert (found["responder"], found["route"], found["aed"]) == (19, 12, 3)
    assert run_async(view.eval_json("window.api.info('responder', 'R3')")) is None

    view.push([{"op": "clear_incident"}])
    found = counts(view, run_async)
    assert [found[k] for k in ("victim", "ring", "responder", "aed", "route")] == [0] * 5
    assert found["basemap_features"] == basemap


def test_select_highlights_one_marker(view: MapView, run_async: RunAsync) -> None:
    view.push(incident_ops(5))
    view.push([{"op": "select", "kind": "responder", "id": "R2"}])
    assert run_async(view.eval_json("window.api.selected()")) == {"kind": "responder", "id": "R2"}
    assert "zm-sel" in class_name(view, run_async, "R2")

    view.push([{"op": "select", "kind": "responder", "id": "R3"}])
    assert "zm-sel" not in class_name(view, run_async, "R2")
    assert "zm-sel" in class_name(view, run_async, "R3")


def test_marker_click_arrives_in_python(qtbot: Any, view: MapView, run_async: RunAsync) -> None:
    view.push(incident_ops(10))
    run_async(view.wait_ready())
    with qtbot.waitSignal(view.markerClicked, timeout=5_000) as clicked:
        run_async(view.eval_json("window.api.layer('responder', 'R7').getElement().click()"))
    assert clicked.args == ["responder", "R7"]

    with qtbot.waitSignal(view.markerClicked, timeout=5_000) as clicked:
        run_async(view.eval_json("window.api.layer('aed', 'AED00001').fire('click'); true"))
    assert clicked.args == ["aed", "AED00001"]


def test_mouse_click_on_the_map_reports_its_position(
    qtbot: Any, view: MapView, run_async: RunAsync
) -> None:
    view.push([{"op": "center", "lat": 52.06, "lon": 4.40, "zoom": 13}])
    run_async(view.eval_json("true"))
    target = view.focusProxy() or view
    # Clicks on the widget, so the whole path (Qt input → Leaflet → channel) is exercised.
    middle = QPoint(target.width() // 2, target.height() // 2)
    with qtbot.waitSignal(view.mapClicked, timeout=5_000) as clicked:
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, middle)
    lat, lon = clicked.args
    assert lat == pytest.approx(52.06, abs=0.002)
    assert lon == pytest.approx(4.40, abs=0.003)


def test_push_before_the_page_is_ready_is_queued(
    make_view: Callable[[], MapView], run_async: RunAsync
) -> None:
    widget = make_view()
    widget.push(incident_ops(7))
    assert not widget.is_ready
    assert counts(widget, run_async)["responder"] == 7


def test_tile_url_rebuilds_the_page_and_redraws_the_incident(
    view: MapView, run_async: RunAsync, tmp_path: Path
) -> None:
    view.push(incident_ops(12))
    view.push([{"op": "select", "kind": "responder", "id": "R5"}])
    before = counts(view, run_async)
    # A local tile "server", so the test stays offline.
    (tmp_path / "tile.png").write_bytes(b"")
    view.set_tile_url(tmp_path.as_uri() + "/{z}/{x}/{y}.png")
    assert not view.is_ready
    assert counts(view, run_async) == before
    assert run_async(view.eval_json("document.querySelectorAll('.leaflet-tile').length")) > 0
    assert run_async(view.eval_json("window.api.selected()")) == {"kind": "responder", "id": "R5"}


def test_bad_op_is_refused_in_python_not_in_the_page(view: MapView) -> None:
    with pytest.raises(ValueError, match="responder state"):
        view.push([responder("R1", 52.0, 4.3, "happy", "cpr")])
    with pytest.raises(ValueError, match="unknown map op"):
        view.push([{"op": "explode"}])
