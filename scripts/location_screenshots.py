"""Make docs/location-address.png and docs/location-approximate.png (issue 9).

The Groningen demo region (BAG address points): a call typed as "Grote Markt 1 Groningen"
at street level (house numbers and street names from the address points), and one typed
as a bare postcode, drawn with its uncertainty. Run under Xvfb (or offscreen):

    ZESMINUTEN_HOME=$(mktemp -d) QTWEBENGINE_DISABLE_SANDBOX=1 \\
        xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/location_screenshots.py
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def shoot(window, out_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    await window.map_view.wait_ready(timeout=30)
    box = window.intake.location

    def enter(text: str) -> None:
        window.intake.start_new_call()
        box.address_edit.clear()
        QTest.keyClicks(box.address_edit, text)
        box.completer.popup().hide()
        QTest.keyClick(box.address_edit, Qt.Key.Key_Return)

    enter("Grote Markt 1 Groningen")
    window.intake.age.set_age(71.0)
    await asyncio.sleep(3.0)  # the fit, then the address points of the view
    window.grab().save(str(out_dir / "location-address.png"))
    enter("9718")  # a postcode only: approximate, with its circle
    await asyncio.sleep(3.0)
    window.grab().save(str(out_dir / "location-approximate.png"))
    print(f"written {out_dir}/location-*.png", file=sys.stderr)
    QApplication.quit()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs")
    args = parser.parse_args()

    from console.app import parse_args, prepare_environment
    from console.regions import use_region

    prepare_environment()
    region = use_region("groningen")
    import qasync
    from PySide6.QtWidgets import QApplication

    from console.app import build
    from console.funnel import MessageFunnel
    from console.i18n import Translations
    from console.startup import preload

    app = QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    ns = parse_args(["--region", "groningen", "--no-simulation", "--language", "nl"])
    with loop:
        translations = Translations(app)
        translations.switch("nl", persist=False)
        window, _service = build(ns, MessageFunnel(), translations, preloaded=preload(None, region))
        window.resize(1600, 1000)
        window.show()
        loop.run_until_complete(shoot(window, args.out_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
