"""Language of the console: Dutch is the source text, English comes from a shipped .qm.

The choice is kept in a QSettings file under the data directory (so ZESMINUTEN_HOME
isolates tests and kiosks). Switching installs or removes the translator; Qt then sends
every widget a LanguageChange event and each one sets its texts again.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator

from alert_engine.assets import resource_path
from alert_engine.paths import data_dir

log = logging.getLogger(__name__)

LANGUAGES = ("nl", "en")
_KEY = "ui/language"


def settings() -> QSettings:
    return QSettings(str(data_dir() / "console.ini"), QSettings.Format.IniFormat)


def saved_language() -> str:
    value = settings().value(_KEY, "nl")
    return value if value in LANGUAGES else "nl"


def _qt_own_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Qt's own texts (standard buttons, file and colour dialogs) in `language`: qtbase from
    Qt's translations folder, else from the one inside the PySide6 wheel (a pip install has
    no system Qt, and QLibraryInfo may point at a folder that does not exist)."""
    import PySide6

    folders = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(Path(PySide6.__file__).parent / "Qt" / "translations"),
    ]
    for folder in folders:
        for name in (f"qtbase_{language}", f"qt_{language}"):
            translator = QTranslator(app)
            if translator.load(name, folder):
                return translator
    log.info("no Qt translations for %s; Qt's own dialogs stay in English", language)
    return None


class Translations:
    """Owns the installed translators; `switch(lang)` changes the whole UI's language."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "nl"

    def switch(self, language: str, persist: bool = True) -> bool:
        """Install `language`; returns False (and keeps the current one) if it cannot load."""
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        translators: list[QTranslator] = []
        qt_own = _qt_own_translator(self._app, language)
        if qt_own is not None:
            translators.append(qt_own)
        if language == "en":
            ours = QTranslator(self._app)
            try:
                path = resource_path("i18n/zesminuten_en.qm")
            except FileNotFoundError:
                log.error("English translation missing; staying in Dutch")
                return False
            if not ours.load(str(path)):
                log.error("cannot load %s; staying in Dutch", path)
                return False
            translators.append(ours)
        for old in self._installed:
            self._app.removeTranslator(old)
        for new in translators:
            self._app.installTranslator(new)
        self._installed = translators
        self.language = language
        if persist:
            s = settings()
            s.setValue(_KEY, language)
            s.sync()
        return True


def current_language() -> str:
    """"en" while the English catalogue is installed, else "nl": for texts the engine gives
    in both languages (integrity findings, interval labels), which no catalogue holds."""
    return "en" if QCoreApplication.translate("Language", "nl") == "en" else "nl"
