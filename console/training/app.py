"""`zesminuten --training` and `python -m console.training`: the training console.

Same process rules as the live console (console.app): one Qt event loop driven by qasync,
run once; the live event store is never opened.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from .controller import TrainingController


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="zesminuten --training", description="Oefenconsole burgerhulpverlening")
    parser.add_argument("--scenario", type=Path, help="training scenario to load at start (default: the first)")
    parser.add_argument("--library", type=Path, help="folder with training scenarios (default: scenarios/training)")
    parser.add_argument("--language", choices=("nl", "en"), help="interface language (default: last used)")
    parser.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window as PNG and quit")
    parser.add_argument("--after", type=float, default=5.0, metavar="SECONDS",
                        help="seconds to wait before --screenshot (default 5)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    return run_training(parse_args(argv))


def run_training(args: argparse.Namespace) -> int:
    """Entry for `zesminuten --training` (args from console.app's parser; missing options default)."""
    from ..app import prepare_environment

    prepare_environment()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Zesminuten OEFENING")
    app.setOrganizationName("Zesminuten")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        code: int = loop.run_until_complete(_run(app, args))
    return code


def build(args: argparse.Namespace) -> TrainingController:
    from PySide6.QtWidgets import QApplication

    from alert_engine.gazetteer import Gazetteer
    from alert_engine.training.library import library

    from ..funnel import MessageFunnel
    from ..i18n import Translations, saved_language
    from ..map.page import DEFAULT_CENTER
    from .controller import TrainingController

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    language = getattr(args, "language", None)
    translations.switch(language or saved_language(), persist=language is not None)
    funnel = MessageFunnel()
    funnel.install_excepthook()
    folder = getattr(args, "library", None)
    paths = library(folder)
    controller = TrainingController(funnel, Gazetteer(focus=DEFAULT_CENTER), translations=translations, scenarios=paths)
    first = getattr(args, "scenario", None) or (paths[0] if paths else None)
    if first is not None:
        controller.load(Path(first))
    return controller


async def _run(app: QApplication, args: argparse.Namespace) -> int:
    quitting = asyncio.Event()
    app.aboutToQuit.connect(quitting.set)
    controller = build(args)
    controller.window.show()
    shot = getattr(args, "screenshot", None)
    if shot is not None:
        _schedule_screenshot(controller, Path(shot), float(getattr(args, "after", 5.0)))
    await quitting.wait()
    controller.shutdown()
    return 0


def _schedule_screenshot(controller: TrainingController, path: Path, after_s: float) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def grab() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not controller.window.grab().save(str(path)):
            print(f"zesminuten: could not write {path}", file=sys.stderr)
        QApplication.quit()

    QTimer.singleShot(round(after_s * 1000), grab)


if __name__ == "__main__":
    sys.exit(main())
