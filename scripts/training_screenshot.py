"""Make docs/training.png: the training window during the busy-evening scenario.

The trainee has taken the first call (ambulance out, caller instruction, alert sent), the
responders are on their way and the second call has just come in. Run under Xvfb:

    ZESMINUTEN_HOME=$(mktemp -d) QTWEBENGINE_DISABLE_SANDBOX=1 \
        xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/training_screenshot.py
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def play(controller, out: Path, at_s: float) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    session, service = controller.session, controller.service

    def at(seconds: float) -> None:
        session.run_until(session.start + timedelta(seconds=seconds))

    at(0)
    first = session.ids["I1"]
    at(18)
    service.command("dispatch_ambulance", first, "15-101")
    at(27)
    service.command("caller_instruction", first, "instructing")
    at(33)
    service.command("trigger_alert", first)
    at(at_s)
    controller.set_speed(2.0)
    controller.start_pause()  # running: the trainer's button reads "Pauze"
    controller.console.feed.flush()
    controller.console.queue.select(first)
    await controller.console.map_view.wait_ready(timeout=20)
    await asyncio.sleep(3.0)
    controller.console.map_sync.center_on_incident()
    await asyncio.sleep(1.5)
    controller.window.grab().save(str(out))
    print(f"written {out}", file=sys.stderr)
    QApplication.quit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "training.png")
    parser.add_argument("--scenario", default="13_drukke_avond")
    parser.add_argument("--at", type=float, default=320.0, help="scenario seconds to play before the shot")
    args = parser.parse_args()

    from console.app import prepare_environment

    prepare_environment()
    import qasync
    from PySide6.QtWidgets import QApplication

    from console.training.app import build

    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    ns = argparse.Namespace(scenario=ROOT / "scenarios" / "training" / f"{args.scenario}.json", language="nl")
    with loop:
        controller = build(ns)
        controller.window.resize(1600, 1000)
        controller.window.show()
        loop.run_until_complete(play(controller, args.out, args.at))
        controller.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
