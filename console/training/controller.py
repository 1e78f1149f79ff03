"""Runs a training: loads a scenario into a fresh training service and console, drives the
training clock, and turns the trainer's clicks into world events.

Every engine rule stays in `alert_engine.training`; this only connects widgets to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QWidget

from alert_engine.errors import EngineError
from alert_engine.gazetteer import Gazetteer
from alert_engine.paths import data_dir
from alert_engine.service import LocalService
from alert_engine.state import ResponderState
from alert_engine.training.debrief import Debrief, debrief_session
from alert_engine.training.library import TrainingScenario, library, load_training_scenario
from alert_engine.training.session import TrainingSession

if TYPE_CHECKING:
    from alert_engine.eventlog.store import EventStore

from ..backend import connect_training
from ..funnel import MessageFunnel
from ..i18n import Translations
from ..main_window import MainWindow
from ..widgets.confirm import AskReason, Confirm, ask_reason, ask_yes_no
from .controls import TrainerDock
from .debrief_view import AskSavePath, DebriefDialog, ask_save_path
from .inject import CallerFactsDialog, ResponderPickDialog
from .window import TrainingWindow

TICK_MS = 200  # how often the scenario's world gets a chance to act

# Dialog stand-ins (tests answer them): (parent, responders, question) -> id or None,
# (parent, incident, facts) -> changes or None.
PickResponder = Callable[[QWidget, Sequence[ResponderState], str], str | None]
AskFacts = Callable[[QWidget, str, dict[str, Any]], dict[str, Any] | None]
StoreFactory = Callable[[TrainingScenario], "EventStore"]


def pick_responder(parent: QWidget, responders: Sequence[ResponderState], question: str) -> str | None:
    dialog = ResponderPickDialog(responders, question, parent)
    return dialog.responder() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_facts(parent: QWidget, incident: str, facts: dict[str, Any]) -> dict[str, Any] | None:
    dialog = CallerFactsDialog(incident, facts, parent)
    return dialog.changes() if dialog.exec() == QDialog.DialogCode.Accepted else None


class TrainingController(QObject):
    def __init__(
        self,
        funnel: MessageFunnel,
        gazetteer: Gazetteer,
        *,
        translations: Translations | None = None,
        scenarios: Sequence[Path] | None = None,
        store_factory: StoreFactory | None = None,
        map_cache_dir: Path | None = None,
        confirm: Confirm = ask_yes_no,
        reason_asker: AskReason = ask_reason,
        pick: PickResponder = pick_responder,
        facts_asker: AskFacts = ask_facts,
        save_path: AskSavePath = ask_save_path,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__()
        self.funnel = funnel
        self.gazetteer = gazetteer
        self.translations = translations
        self._store_factory = store_factory
        self._map_cache_dir = map_cache_dir
        self._confirm, self._reason_asker = confirm, reason_asker
        self._pick, self._ask_facts, self._save_path = pick, facts_asker, save_path
        self.training: TrainingScenario | None = None
        self.service: LocalService | None = None
        self.session: TrainingSession | None = None
        self.debrief_dialog: DebriefDialog | None = None
        self._announced_end = False

        self.dock = TrainerDock()
        self.window = TrainingWindow(self.dock)
        paths = list(scenarios) if scenarios is not None else library()
        self.dock.set_library([(p, self._title(p)) for p in paths])
        self.dock.scenarioChosen.connect(self.load)
        self.dock.startPauseClicked.connect(self.start_pause)
        self.dock.speedChosen.connect(self.set_speed)
        self.dock.jumpClicked.connect(self.jump)
        self.dock.acceptClicked.connect(lambda inc: self.inject_answer(inc, "accept"))
        self.dock.declineClicked.connect(lambda inc: self.inject_answer(inc, "decline"))
        self.dock.firstOnSceneClicked.connect(self.inject_first_on_scene)
        self.dock.ambulanceOnSceneClicked.connect(self.inject_ambulance)
        self.dock.callerFactsClicked.connect(self.inject_caller_facts)
        self.dock.debriefClicked.connect(self.show_debrief)
        self.timer = QTimer(self)
        self.timer.setInterval(tick_ms)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.window.destroyed.connect(self.timer.stop)

    @staticmethod
    def _title(path: Path) -> str:
        try:
            return f"{path.stem[:2]}. {load_training_scenario(path).name}" if path.stem[:2].isdigit() else path.stem
        except EngineError:
            return path.stem

    @property
    def console(self) -> MainWindow | None:
        return self.window.console

    # -- scenario ----------------------------------------------------------------------
    def load(self, path: Path) -> None:
        """Build a fresh training service and console for the scenario; time stands at 00:00."""
        try:
            training = load_training_scenario(path)
            store = self._store_factory(training) if self._store_factory else None
            service = connect_training(training, store=store)
            session = TrainingSession(training, service)
        except EngineError as exc:
            self.funnel.report(exc)
            return
        console = MainWindow(
            service,
            self.funnel,
            self.gazetteer,
            demo=False,
            registry=None,  # the banner says it all; the header keeps its room for the incident
            translations=self.translations,
            confirm=self._confirm,
            reason_asker=self._reason_asker,
            map_cache_dir=self._map_cache_dir,
            pump=False,  # the training session plays time-driven events in order
        )
        # An exercise: closing the training window ends it and its clock, without asking.
        console.ask_before_quit = False
        if self.translations is not None:
            console.intake.set_language(self.translations.language)
            console.action_panel.set_language(self.translations.language)
        old_service = self.service
        old = self.window.set_console(console)
        self.training, self.service, self.session = training, service, session
        self._announced_end = False
        if old is not None:
            old.close()
            old.map_view.close()
            old.deleteLater()
        if old_service is not None:
            old_service.close()
        self.dock.select_scenario(path)
        self.dock.set_briefing(training.briefing)
        self.dock.set_running(False)
        self.dock.set_speed(1.0)
        self._refresh()

    # -- time --------------------------------------------------------------------------
    def start_pause(self) -> None:
        if self.session is None:
            return
        clock = self.session.clock
        if clock.running:
            clock.pause()
        else:
            clock.resume()
        self.dock.set_running(clock.running)
        self.tick()

    def set_speed(self, speed: float) -> None:
        if self.session is not None:
            self.session.clock.set_speed(speed)
            self.dock.set_speed(speed)

    def jump(self) -> None:
        if self.session is None:
            return
        self._guard(self.session.jump_to_next)
        self._refresh()

    def tick(self) -> None:
        if self.session is not None and self.session.clock.running:
            self._guard(self.session.advance)
        self._refresh()

    def _refresh(self) -> None:
        session = self.session
        if session is None or self.service is None:
            return
        self.dock.set_elapsed(session.clock.elapsed_s())
        nxt = session.next_event_time()
        self.dock.set_next_event(None if nxt is None else max(0.0, (nxt - session.clock.now()).total_seconds()))
        self.dock.set_incidents([s.id for s in self.service.incidents() if s.is_open])
        if (
            not self._announced_end
            and session.world_done
            and session.incidents
            and all(not self.service.state(i).is_open for i in session.incidents)
        ):
            self._announced_end = True
            self.funnel.info(self.tr("Scenario afgelopen: alle oefenmeldingen zijn gesloten. Klik op Debrief."))

    def _guard(self, action: Callable[[], object]) -> None:
        try:
            action()
        except EngineError as exc:
            self.funnel.report(exc)
        if self.console is not None:
            self.console.feed.flush()

    # -- trainer injections ------------------------------------------------------------
    def inject_answer(self, incident: str, answer: str) -> None:
        session = self.session
        if session is None:
            return
        pending = session.pending_responders(incident)
        if not pending:
            self.funnel.warning(self.tr("Geen gealarmeerde burgerhulpverlener die nog moet antwoorden."))
            return
        question = (
            self.tr("Wie accepteert het alarm?") if answer == "accept" else self.tr("Wie weigert het alarm?")
        )
        chosen = self._pick(self.window, pending, question)
        if chosen is not None:
            self._guard(lambda: session.inject_answer(incident, answer, chosen))

    def inject_first_on_scene(self, incident: str) -> None:
        session = self.session
        if session is None:
            return
        coming = session.coming_responders(incident)
        if not coming:
            self.funnel.warning(self.tr("Nog geen burgerhulpverlener heeft geaccepteerd."))
            return
        chosen = self._pick(self.window, coming, self.tr("Wie is als eerste ter plaatse?"))
        if chosen is not None:
            self._guard(lambda: session.inject_first_on_scene(incident, chosen))

    def inject_ambulance(self, incident: str) -> None:
        if self.session is not None:
            session = self.session
            self._guard(lambda: session.inject_ambulance_on_scene(incident))

    def inject_caller_facts(self, incident: str) -> None:
        session, service = self.session, self.service
        if session is None or service is None:
            return
        changes = self._ask_facts(self.window, incident, dict(service.state(incident).facts))
        if changes:
            self._guard(lambda: session.inject_caller_facts(incident, changes))

    # -- debrief -----------------------------------------------------------------------
    def debrief(self) -> Debrief | None:
        if self.session is None:
            return None
        lang = self.translations.language if self.translations is not None else "nl"
        return debrief_session(self.session, lang)

    def show_debrief(self) -> DebriefDialog | None:
        d = self.debrief()
        if d is None:
            self.funnel.warning(self.tr("Laad en speel eerst een scenario."))
            return None
        if self.debrief_dialog is not None:
            self.debrief_dialog.close()
            self.debrief_dialog.deleteLater()
        export_dir = data_dir() / "debriefs"
        self.debrief_dialog = DebriefDialog(d, self.funnel, export_dir, self._save_path, self.window)
        self.debrief_dialog.show()
        return self.debrief_dialog

    def shutdown(self) -> None:
        """Stop the clock and release the map and the store (before the process ends)."""
        self.timer.stop()
        if self.console is not None:
            self.console.close()
            self.console.map_view.close()
        if self.service is not None:
            self.service.close()
