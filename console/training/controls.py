"""The trainer's dock: scenario, time, injections and debrief. Only widgets and signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDockWidget,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from alert_engine.training.clock import SPEEDS

from ..labels import mmss
from .banner import ORANGE, PURPLE


class TrainerDock(QDockWidget):
    scenarioChosen = Signal(object)  # Path
    startPauseClicked = Signal()
    speedChosen = Signal(float)
    jumpClicked = Signal()
    acceptClicked = Signal(str)  # incident
    declineClicked = Signal(str)
    firstOnSceneClicked = Signal(str)
    ambulanceOnSceneClicked = Signal(str)
    callerFactsClicked = Signal(str)
    debriefClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainerDock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self._running = False
        body = QWidget(self)
        body.setObjectName("trainerBody")
        body.setStyleSheet(
            f"QWidget#trainerBody {{ border-left: 6px solid {PURPLE}; }}"
            f"QGroupBox {{ font-weight: bold; color: {PURPLE}; }}"
            f"QLabel#elapsed {{ font-size: 26px; font-weight: bold; color: {PURPLE};"
            " font-family: 'DejaVu Sans Mono', monospace; }"
            f"QPushButton#startPause {{ background: {ORANGE}; font-weight: bold; padding: 6px; }}"
            f"QPushButton#debrief {{ background: {PURPLE}; color: white; font-weight: bold; padding: 6px; }}"
        )
        layout = QVBoxLayout(body)
        layout.setContentsMargins(10, 6, 6, 6)

        # -- scenario --------------------------------------------------------------------
        self.scenario_box = QGroupBox(body)
        grid = QVBoxLayout(self.scenario_box)
        self.library = QComboBox(self.scenario_box)
        self.library.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.library.setMinimumContentsLength(8)
        self.load_button = QPushButton(self.scenario_box)
        self.load_button.clicked.connect(self._load_clicked)
        grid.addWidget(self.library)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.load_button)
        grid.addLayout(row)
        self.briefing = QLabel(self.scenario_box)
        self.briefing.setWordWrap(True)
        self.briefing.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.briefing.setAlignment(Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.briefing)
        layout.addWidget(self.scenario_box)

        # -- time ------------------------------------------------------------------------
        self.time_box = QGroupBox(body)
        tgrid = QGridLayout(self.time_box)
        self.elapsed = QLabel("00:00", self.time_box)
        self.elapsed.setObjectName("elapsed")
        self.elapsed_caption = QLabel(self.time_box)
        self.next_label = QLabel(self.time_box)
        self.next_label.setWordWrap(True)
        self.start_button = QPushButton(self.time_box)
        self.start_button.setObjectName("startPause")
        self.start_button.clicked.connect(self.startPauseClicked)
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[float, QToolButton] = {}
        speeds = QHBoxLayout()
        for speed in SPEEDS:
            b = QToolButton(self.time_box)
            b.setText(f"{speed:g}×")
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            b.setCheckable(True)
            b.setChecked(speed == 1.0)
            b.clicked.connect(lambda _on=False, s=speed: self.speedChosen.emit(s))
            self.speed_group.addButton(b)
            self.speed_buttons[speed] = b
            speeds.addWidget(b)
        self.jump_button = QPushButton(self.time_box)
        self.jump_button.clicked.connect(self.jumpClicked)
        tgrid.addWidget(self.elapsed_caption, 0, 0)
        tgrid.addWidget(self.elapsed, 1, 0, Qt.AlignmentFlag.AlignHCenter)
        tgrid.addWidget(self.start_button, 2, 0)
        tgrid.addLayout(speeds, 3, 0)
        tgrid.addWidget(self.jump_button, 4, 0)
        tgrid.addWidget(self.next_label, 5, 0)
        layout.addWidget(self.time_box)

        # -- injections ------------------------------------------------------------------
        self.inject_box = QGroupBox(body)
        igrid = QVBoxLayout(self.inject_box)
        self.incident_combo = QComboBox(self.inject_box)
        igrid.addWidget(self.incident_combo)
        self.accept_button = QPushButton(self.inject_box)
        self.decline_button = QPushButton(self.inject_box)
        self.on_scene_button = QPushButton(self.inject_box)
        self.ambulance_button = QPushButton(self.inject_box)
        self.facts_button = QPushButton(self.inject_box)
        for button, signal in (
            (self.accept_button, self.acceptClicked),
            (self.decline_button, self.declineClicked),
            (self.on_scene_button, self.firstOnSceneClicked),
            (self.ambulance_button, self.ambulanceOnSceneClicked),
            (self.facts_button, self.callerFactsClicked),
        ):
            button.clicked.connect(lambda _on=False, s=signal: self._emit_for_incident(s))
            igrid.addWidget(button)
        answer_row = QHBoxLayout()
        igrid.removeWidget(self.accept_button)
        igrid.removeWidget(self.decline_button)
        answer_row.addWidget(self.accept_button)
        answer_row.addWidget(self.decline_button)
        igrid.insertLayout(1, answer_row)
        layout.addWidget(self.inject_box)

        self.debrief_button = QPushButton(body)
        self.debrief_button.setObjectName("debrief")
        self.debrief_button.clicked.connect(self.debriefClicked)
        layout.addWidget(self.debrief_button)
        layout.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(scroll)
        self.setMinimumWidth(224)  # the console needs 1,360 px; together they fit 1,600
        self.set_incidents([])
        self.retranslate()

    # -- setters the controller calls ----------------------------------------------------
    def set_library(self, entries: list[tuple[Path, str]], current: Path | None = None) -> None:
        self.library.clear()
        for path, name in entries:
            self.library.addItem(name, path)
            self.library.setItemData(self.library.count() - 1, str(path), Qt.ItemDataRole.ToolTipRole)
        if current is not None:
            self.select_scenario(current)

    def select_scenario(self, path: Path) -> None:
        wanted = Path(path).resolve()
        for i in range(self.library.count()):
            if Path(self.library.itemData(i)).resolve() == wanted:
                self.library.setCurrentIndex(i)
                return
        self.library.addItem(wanted.stem, wanted)  # a file from outside the library
        self.library.setCurrentIndex(self.library.count() - 1)

    def set_briefing(self, text: str) -> None:
        self.briefing.setText(text)

    def set_elapsed(self, seconds: float) -> None:
        self.elapsed.setText(mmss(seconds))

    def set_next_event(self, seconds_away: float | None) -> None:
        if seconds_away is None:
            self.next_label.setText(self.tr("Geen geplande gebeurtenissen meer in het scenario."))
        else:
            self.next_label.setText(
                self.tr("Volgende gebeurtenis: nu")
                if seconds_away < 1
                else self.tr("Volgende gebeurtenis over {0}").format(mmss(seconds_away))
            )
        self.jump_button.setEnabled(seconds_away is not None)

    def set_running(self, running: bool) -> None:
        self._running = running
        self.start_button.setText(self.tr("Pauze") if running else self.tr("Start"))

    def set_speed(self, speed: float) -> None:
        self.speed_buttons[speed].setChecked(True)

    def set_incidents(self, incidents: list[str]) -> None:
        current = self.incident_combo.currentText()
        if [self.incident_combo.itemText(i) for i in range(self.incident_combo.count())] != incidents:
            self.incident_combo.clear()
            self.incident_combo.addItems(incidents)
            if current in incidents:
                self.incident_combo.setCurrentText(current)
            elif incidents:
                self.incident_combo.setCurrentIndex(len(incidents) - 1)  # the newest call
        has = bool(incidents)
        for b in (self.accept_button, self.decline_button, self.on_scene_button, self.ambulance_button,
                  self.facts_button):
            b.setEnabled(has)

    def current_incident(self) -> str | None:
        return self.incident_combo.currentText() or None

    def _emit_for_incident(self, signal: Signal) -> None:
        incident = self.current_incident()
        if incident:
            signal.emit(incident)  # type: ignore[attr-defined]

    def _load_clicked(self) -> None:
        path = self.library.currentData()
        if path is not None:
            self.scenarioChosen.emit(path)

    # -- language ------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Trainer – OEFENING"))
        self.scenario_box.setTitle(self.tr("Scenario"))
        self.load_button.setText(self.tr("Laden"))
        self.load_button.setToolTip(self.tr("Het gekozen scenario opnieuw opbouwen (de klok staat dan stil op 00:00)"))
        self.time_box.setTitle(self.tr("Scenariotijd"))
        self.elapsed_caption.setText(self.tr("Verstreken scenariotijd"))
        self.jump_button.setText(self.tr("Naar volgende gebeurtenis"))
        self.jump_button.setToolTip(self.tr("Sla de stille tijd over tot het volgende wat de melder, hulpverleners of ambulance doen"))
        for speed, b in self.speed_buttons.items():
            b.setToolTip(self.tr("Scenario {0}× zo snel als de echte tijd").format(f"{speed:g}"))
        self.inject_box.setTitle(self.tr("Inspelen (trainer)"))
        self.incident_combo.setToolTip(self.tr("De oefenmelding waarop het inspelen werkt"))
        self.accept_button.setText(self.tr("Accepteert…"))
        self.accept_button.setToolTip(self.tr("Een gealarmeerde burgerhulpverlener accepteert"))
        self.decline_button.setText(self.tr("Weigert…"))
        self.decline_button.setToolTip(self.tr("Een gealarmeerde burgerhulpverlener weigert"))
        self.on_scene_button.setText(self.tr("1e hulpverlener ter plaatse"))
        self.on_scene_button.setToolTip(self.tr("De eerste burgerhulpverlener die accepteerde is bij het slachtoffer"))
        self.ambulance_button.setText(self.tr("Ambulance ter plaatse"))
        self.facts_button.setText(self.tr("Melder: nieuwe feiten…"))
        self.facts_button.setToolTip(
            self.tr("De melder meldt iets nieuws: leeftijd, suïcide, trauma, geweld of de locatie")
        )
        self.debrief_button.setText(self.tr("Debrief"))
        self.set_running(self._running)
