"""`python -m console.review FILE_OR_STORE [--incident ID]`: open the review window on its own.

FILE_OR_STORE is a JSON Lines event log (an export with hash chains, or the output of
`zesminuten-engine run`) or an SQLite event store. The window asks who is looking and
why, logs that, and shows the incident. One Qt event loop (qasync), as the console.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m console.review", description="Terugblik op een melding")
    p.add_argument("source", type=Path, help="JSON Lines event log or SQLite event store")
    p.add_argument("--incident", help="incident id (needed when the source holds several)")
    p.add_argument("--registry", type=Path, help="registry SQLite file, for AED descriptions (optional)")
    p.add_argument("--access-log", type=Path, help="access log (default: access-log.sqlite in the user data dir)")
    p.add_argument("--by", help="reviewer name (default: asked, prefilled with the login)")
    p.add_argument("--reason", help="why the incident is opened (default: asked)")
    p.add_argument("--at", type=float, metavar="SECONDS", help="start at this many seconds after the first event")
    p.add_argument("--screenshot", type=Path, metavar="PNG", help="save the window as PNG and quit")
    p.add_argument("--after", type=float, default=3.0, metavar="SECONDS", help="wait before --screenshot (default 3)")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    from ..app import prepare_environment

    # The live console's Chromium and Qt settings (software map, no zygotes, ...), so a
    # review window costs and behaves the same whether opened here or from the console.
    prepare_environment()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Zesminuten")
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        code: int = loop.run_until_complete(run(app, args))
    return code


async def run(app: object, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from alert_engine.errors import EngineError
    from alert_engine.review.access_log import AccessLog

    from ..funnel import MessageFunnel
    from .window import open_review

    quitting = asyncio.Event()
    QApplication.instance().aboutToQuit.connect(quitting.set)  # type: ignore[union-attr]
    funnel = MessageFunnel()
    funnel.install_excepthook()
    try:
        if args.incident is None:
            args.incident = choose_incident(args.source)
            if args.incident is None:
                return 1
        registry = None
        if args.registry is not None:
            from ..registry_setup import open_registry

            registry, _ = open_registry(args.registry)
        window = open_review(
            args.source, args.incident, access_log=AccessLog(args.access_log), who=args.by, reason=args.reason,
            registry=registry, funnel=funnel,
        )
    except EngineError as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 2
    if window is None:
        return 1
    window.show()
    if args.at is not None:
        window.seek(window.replay.start + timedelta(seconds=args.at))
    if args.screenshot is not None:
        def grab() -> None:
            window.redraw_now()
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(args.screenshot))
            print(f"review: screenshot written to {args.screenshot}", file=sys.stderr)
            QApplication.quit()

        QTimer.singleShot(round(args.after * 1000), grab)
    await quitting.wait()
    window.map_view.close()
    return 0


def choose_incident(source: Path) -> str | None:
    """The only incident, or the reviewer's pick when the file or store holds several."""
    from PySide6.QtWidgets import QInputDialog

    from alert_engine.errors import InvalidInput
    from alert_engine.review.source import incidents_in

    if not source.exists():
        raise InvalidInput(f"{source}: no such file")
    found = incidents_in(source)
    if len(found) <= 1:
        return found[0] if found else None
    choice, ok = QInputDialog.getItem(None, "Welke melding?", f"{source.name} bevat {len(found)} meldingen:", found, 0, False)
    return str(choice) if ok else None


if __name__ == "__main__":
    sys.exit(main())
