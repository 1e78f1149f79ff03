"""`zesminuten`: start the dispatcher console.

One Qt event loop for the whole process, driven by qasync (QtWebEngine cannot run a
second one): `main()` runs `loop.run_until_complete(run(...))` once, and `run` waits for
an asyncio.Event that `app.aboutToQuit` sets.

`zesminuten --service URL[,URL2] --token-file F` makes the console a workstation of the
centre's shared service (issue 11): no registry or event store is opened here; without
`--service` the console embeds the engine, as on a single workstation.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from alert_engine.config import AlertConfig
    from alert_engine.exclusion.motorway import MotorwayIndex
    from alert_engine.service import LocalService

    from .funnel import MessageFunnel
    from .main_window import MainWindow
    from .registry_setup import RegistryInfo
    from .remote import RemoteBackend
    from .startup import Preload

    Backend = LocalService | RemoteBackend

log = logging.getLogger("zesminuten.console")

# Zoetermeer, Stadhuisplein: the demo call's location.
DEMO_CALL = (52.0601, 4.4932, "Stadhuisplein, Zoetermeer (demo)")
DEMO_UNIT = "15-101"
DEFAULT_INTAKE = "<data dir>/intake"  # --intake-folder without a folder (argparse makes it a Path)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="zesminuten", description="Meldkamerconsole burgerhulpverlening")
    parser.add_argument("--registry", type=Path, help="registry SQLite file (default: the user's own; "
                        "created from the synthetic demo set for the The Hague region on first start)")
    parser.add_argument("--events", type=Path, help="event store (default: the live store in the user data dir)")
    parser.add_argument("--no-simulation", action="store_true",
                        help="no simulated responders (default on a synthetic demo registry: they answer)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window as PNG and quit")
    parser.add_argument("--after", type=float, default=5.0, metavar="SECONDS",
                        help="seconds to wait before --screenshot (default 5)")
    parser.add_argument("--demo-incident", action="store_true",
                        help="start with a demo call in Zoetermeer: ambulance dispatched, alert sent")
    parser.add_argument("--language", choices=("nl", "en"), help="interface language (default: last used)")
    parser.add_argument("--region", choices=("denhaag", "groningen"), default="denhaag",
                        help="demo region and its own data folder: denhaag (postcode areas, places, major "
                        "roads; no address points) or groningen (BAG address points; no motorway geometry)")
    parser.add_argument("--tiles", metavar="URL", default=os.environ.get("ZESMINUTEN_TILE_URL") or None,
                        help="online background tiles ({z}/{x}/{y} URL template) for centres that allow "
                        "network use; default off (the map is offline). Also ZESMINUTEN_TILE_URL.")
    parser.add_argument("--training", action="store_true",
                        help="training console: trainer-run scenarios, its own event store, no real alerts")
    parser.add_argument("--service", metavar="URL[,URL2]",
                        help="the dispatch centre's shared service (zesminuten-engine serve), its nodes in "
                        "the order to try them; no local registry or event store is opened then")
    parser.add_argument("--token-file", type=Path, metavar="FILE",
                        help="this workstation's token for --service: the token on one line, or a tokens "
                        "JSON file with one entry (keep it chmod 600)")
    parser.add_argument("--intake-folder", type=Path, nargs="?", const=DEFAULT_INTAKE, metavar="DIR",
                        help="take in the dispatch system's messages (EIDO / GMS adapter JSON) written to "
                        "DIR (default <data dir>/intake/): a new call appears prefilled; see docs/intake.md")
    args = parser.parse_args(argv)
    if args.token_file is not None and not args.service:
        parser.error("--token-file goes with --service")
    if args.service and args.training:
        parser.error("--training runs on its own store, not on --service")
    return args


# The map is a 2D page: Chromium's GPU compositing buys nothing visible, and its GPU
# thread costs ~60 MB in the console process; low-end-device mode trims the renderer's
# caches (~25 MB). Measured with `python -m benchmarks.console`.
MAP_CHROMIUM_FLAGS = ("--disable-gpu", "--enable-low-end-device-mode")


def prepare_environment() -> None:
    """Before any Qt import: pick PySide6 for qasync, let QtWebEngine run as root, keep
    the map's memory down, and paint in the GUI thread only.

    Qt's raster engine hands large fills (table and tab frames, the chart's grid) to a
    thread pool and waits for it; on a busy machine that wait is longer than the fill
    (measured: GUI thread 28 % instead of 31 % busy in the benchmark, fewer long stalls).
    QTWEBENGINE_CHROMIUM_FLAGS set by the user wins over ours.
    """
    os.environ.setdefault("QT_API", "pyside6")
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
    # Chromium already draws the map in software (--disable-gpu); Qt Quick's OpenGL path
    # would only upload those frames to a GL texture, and loading Mesa's llvmpipe for it
    # costs ~50 MB in the console process on X11 (measured under Xvfb). Software Qt Quick
    # shows the same frames.
    os.environ.setdefault("QT_QUICK_BACKEND", "software")
    flags = list(MAP_CHROMIUM_FLAGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") == "1":
        # Without the sandbox the zygote processes (2 x ~50 MB) have nothing to do.
        flags.append("--no-zygote")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", " ".join(flags))


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.training:
        from .training.app import run_training

        return run_training(args)
    prepare_environment()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from alert_engine.errors import EngineError

    from .regions import use_region
    from .startup import preload

    region = use_region(args.region)  # its own data folder, before any file is opened
    try:
        # Before Qt: the registry loads while Qt and the map start (none on --service).
        loading = preload(args.registry, region, embedded=not args.service)
    except EngineError as exc:
        print(f"zesminuten: {exc}", file=sys.stderr)
        return 2

    import qasync
    from PySide6.QtWidgets import QApplication  # after the environment is set

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Zesminuten")
    app.setOrganizationName("Zesminuten")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        code: int = loop.run_until_complete(run(app, args, loading))
    return code


async def run(app: QApplication, args: argparse.Namespace, loading: Preload | None = None) -> int:
    """Build everything, show the window, and wait until the application quits."""
    from alert_engine.errors import EngineError

    from .funnel import MessageFunnel
    from .i18n import Translations, saved_language

    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    translations = Translations(app)
    translations.switch(args.language or saved_language(), persist=args.language is not None)
    funnel = MessageFunnel()
    funnel.install_excepthook()
    try:
        window, service = build(args, funnel, translations, preloaded=loading)
    except EngineError as exc:
        # E.g. the event store is in use by another console: say so in a window, since a
        # dispatcher started from a desktop icon never sees stderr.
        print(f"zesminuten: {exc}", file=sys.stderr)
        show_startup_error(str(exc))
        return 2
    fit_to_screen(window)
    window.show()
    if service.resumed:
        # Never lose a call: a restart picks the running alarms up where the log left them.
        from PySide6.QtCore import QCoreApplication

        funnel.info(QCoreApplication.translate(
            "Startup", "Lopende alarmen hervat na herstart: {0}. Gesimuleerde hulpverleners gaan verder vanaf nu."
        ).format(", ".join(service.resumed)))
    if args.demo_incident:
        place_demo_incident(service, window, funnel)
    if args.screenshot is not None:
        schedule_screenshot(window, args.screenshot, args.after)
    await quitting.wait()
    window.map_view.close()
    if args_remote(args):
        service.close()  # the stream and health threads; the service itself runs on
    return 0


def args_remote(args: argparse.Namespace) -> bool:
    return bool(getattr(args, "service", None))


def build(
    args: argparse.Namespace,
    funnel: MessageFunnel,
    translations: object,
    config: AlertConfig | None = None,
    preloaded: Preload | None = None,
) -> tuple[MainWindow, Any]:
    """The backend `args` name (the embedded engine over its registry and event store, a
    LocalService, or the centre's service with --service, a RemoteBackend: typed Any so
    callers that build the embedded one, like the benchmark, may use its engine), and the
    main window. `config` overrides the
    alerting rules' defaults (the benchmark alerts 100; embedded only); `preloaded` is
    what `preload()` started (else it starts here)."""
    from PySide6.QtCore import QTimer

    from alert_engine.geo import point_rd
    from alert_engine.paths import default_event_store_path

    from .backend import Settings, connect, parse_service_urls
    from .i18n import Translations
    from .main_window import MainWindow
    from .map.bridge import MapView
    from .map.page import DEFAULT_CENTER
    from .regions import REGIONS
    from .startup import preload, settle_after_start

    region = REGIONS[getattr(args, "region", "denhaag")]
    remote = args_remote(args)
    loading = preloaded or preload(args.registry, region, embedded=not remote)
    try:
        # QtWebEngine starts its processes and loads the page while the registry still loads.
        map_view = MapView(tile_url=getattr(args, "tiles", None))
        # pyproj makes a transformer per thread (~80 ms): the GUI thread's now, while it waits.
        point_rd(*DEFAULT_CENTER)
        info: RegistryInfo | None
        try:
            registry, info = loading.registry.result()  # (None, None) on --service
            address_book = loading.addresses.result()
        except BaseException:
            map_view.deleteLater()
            raise

        service: Backend
        if remote:
            # The centre runs the simulation (or not) and has the registry; this console only shows.
            from .remote import RemoteBackend

            service = connect(Settings(service=parse_service_urls(args.service), token_file=args.token_file),
                              translate=remote_translate)
            assert isinstance(service, RemoteBackend)
            service.idle = keep_painting
            # The DEMO badge and the registry line, if the service says (see remote_registry_info).
            simulate = bool(service.service_info.get("simulate"))
            info = remote_registry_info(service)
        else:
            assert info is not None
            simulate = info.synthetic and not args.no_simulation
            # The motorway index is built once the window is up (after_start); the first exclusion
            # check waits for it should it come sooner.
            motorways = cast("MotorwayIndex", loading.motorways)
            intake = args.intake_folder
            if intake == Path(DEFAULT_INTAKE):  # the flag without a folder: the user data dir's
                from alert_engine.intake.folder import default_folder

                intake = default_folder()
            service = connect(Settings(args.events, simulate, config, intake=intake), registry, motorways)
        assert isinstance(translations, Translations)
        window = MainWindow(
            service,
            funnel,
            loading.gazetteer,
            demo=simulate,
            registry=info,
            translations=translations,
            map_view=map_view,
            address_book=address_book,  # type: ignore[arg-type]
        )
        if region.centre != DEFAULT_CENTER:
            map_view.push([{"op": "center", "lat": region.centre[0], "lon": region.centre[1], "zoom": 12}])
        window.intake.set_language(translations.language)
        window.action_panel.set_language(translations.language)
        if not remote:
            # Test alarms (ExerciseAlarms) are not offered by the centre's service yet: a
            # remote console shows no menu rather than one whose every item fails.
            from .testalarm.menu import install_test_alarm_menu

            install_test_alarm_menu(window, service, funnel)  # type: ignore[arg-type]  # "Proefalarm", before Help
        from .aedcheck.dialog import install_aed_check_action

        install_aed_check_action(window, service, funnel)  # type: ignore[arg-type]  # Go menu: AEDs awaiting check
        from .intake_dead_letters import install_dead_letters_action

        install_dead_letters_action(window, service, funnel, remote=remote)  # Melding menu: refused intake messages
        from .review.menu import install_review_menu

        window.review_menu = install_review_menu(  # type: ignore[attr-defined]
            window, service, funnel, None if remote else Path(args.events or default_event_store_path("live"))
        )
        from .complaints.dialog import install_complaints_action

        install_complaints_action(window.review_menu, service, funnel)  # type: ignore[attr-defined]  # Nazien → Klachten…
        QTimer.singleShot(0, loading.after_start)  # the first turn of the event loop: window up
    except BaseException:
        settle_after_start(failed=True)
        raise
    settle_after_start()
    return window, service


def remote_registry_info(service: RemoteBackend) -> RegistryInfo | None:
    """The service's registry for the header, when its /v1/health describes it
    (`"registry": {"synthetic", "region", "responders", "aeds"}`); None when it does not."""
    from urllib.parse import urlsplit

    from .registry_setup import RegistryInfo

    about = service.service_info.get("registry")
    if not isinstance(about, dict):
        return None
    where = urlsplit(service.urls[0]).netloc or service.urls[0]
    return RegistryInfo(path=Path(where), responders=int(about.get("responders") or 0),
                        aeds=int(about.get("aeds") or 0), synthetic=bool(about.get("synthetic")),
                        region=str(about.get("region") or ""))


def remote_translate(text: str) -> str:
    """The remote backend's texts (marked in console/remote.py) in the chosen language."""
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("RemoteBackend", text)


def keep_painting() -> None:
    """While a command waits for the centre's service (up to its retry time), keep the
    window painting and its timers running (the header then shows "reconnecting"), but
    take no clicks or keys: a second command must not start inside the first."""
    import asyncio

    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    try:
        if asyncio.current_task() is not None:
            return  # inside a coroutine step: a nested loop would run another task's step in it
    except RuntimeError:
        pass  # no running asyncio loop: nothing to collide with
    QApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def show_startup_error(text: str) -> None:
    """A modal message when the console cannot start (one sentence, never a traceback)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    if QGuiApplication.platformName() == "offscreen":
        return  # no screen to show it on (headless runs); stderr has the sentence
    box = QMessageBox(QMessageBox.Icon.Critical, "Zesminuten",
                      QCoreApplication.translate("Startup", "De console kan niet starten."))
    box.setObjectName("startup_error")
    box.setInformativeText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.exec()


def fit_to_screen(window: MainWindow) -> None:
    """Use the screen (laid out for 1600×1000 and 1920×1080); never larger than it."""
    screen = window.screen()
    if screen is None:
        return
    room = screen.availableGeometry()
    window.resize(min(room.width(), 1920), min(room.height(), 1080))
    window.move(room.topLeft())


def place_demo_incident(service: Backend, window: MainWindow, funnel: MessageFunnel) -> str | None:
    """A call in Zoetermeer centre, ambulance out, alert sent: an alarm in progress."""
    from alert_engine.api.commands import CallerInstruction, DispatchAmbulance, TriggerAlert
    from alert_engine.errors import EngineError
    from alert_engine.exclusion import CallFacts

    lat, lon, address = DEMO_CALL
    try:
        incident = service.new_call(
            CallFacts(lat=lat, lon=lon, patient_age_years=67, location_kind="woning"), address
        )
        service.execute(DispatchAmbulance(incident, DEMO_UNIT))
        service.execute(CallerInstruction(incident, "instructing"))
        service.execute(TriggerAlert(incident))
    except EngineError as exc:
        funnel.report(exc)
        return None
    window.feed.flush()
    window.queue.select(incident)
    return incident


def schedule_screenshot(window: MainWindow, path: Path, after_s: float) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def grab() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        image = window.grab()
        if not image.save(str(path)):
            print(f"zesminuten: could not write {path}", file=sys.stderr)
        else:
            print(f"zesminuten: screenshot written to {path}", file=sys.stderr)
        window.ask_before_quit = False  # a scripted screenshot run: nobody to ask
        QApplication.quit()

    QTimer.singleShot(round(after_s * 1000), grab)


if __name__ == "__main__":
    sys.exit(main())
