"""`ReviewWindow`: an incident as it was at the scrubber's time, in the live console's panels.

The live widgets (map sync, live panel with counters, chart and tables, caller
instruction) are built exactly as the main window builds them, but over a
`ReplayService`, so what they show at time t is the engine's own fold of the events up to
t. The window only adds what a review needs: the timeline and player, the intervals, the
integrity banner, reviewer notes, the report export and the access log (NEN 7513).
"""

from __future__ import annotations

import asyncio
import logging
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QEvent, QIODevice, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from alert_engine.clock import SystemClock
from alert_engine.config import AlertConfig
from alert_engine.errors import EngineError
from alert_engine.events import Event
from alert_engine.review.access_log import AccessLog, ReviewSession, workstation_login
from alert_engine.review.intervals import intervals, mmss
from alert_engine.review.replay import DEFAULT_SNAPSHOT_EVERY, ReplayService
from alert_engine.review.report import MapImage, ReportContext, ReportOptions, render_report
from alert_engine.review.source import AnnotationSink, ReviewSource, open_source

if TYPE_CHECKING:
    from alert_engine.registry.table import Registry

from ..funnel import MessageFunnel
from ..map.bridge import MapView
from ..map_sync import MapSync
from ..models.aeds import AedTableModel
from ..models.responders import ResponderTableModel
from ..widgets.caller_instruction import CallerInstructionPanel
from ..widgets.live_panel import LivePanel
from ..widgets.notice_bar import NoticeBar
from ..widgets.status_header import StatusHeader
from .dialogs import AccessLogDialog, AskAccess, ExportChoice, ExportDialog, ask_access
from .panels import IntegrityBanner, IntervalsPanel, NotesPanel, note_moment
from .pdf import html_to_pdf
from .timeline import TimelineWidget

log = logging.getLogger(__name__)

SPEEDS = (1, 4, 16)
SPEED_KEYS = {1: "1", 4: "4", 16: "6"}
FRAME_MS = 40  # player: 25 seeks a second at most
# Captions of the report's map images: the report is Dutch, whatever the window's language.
MAP_MOMENTS = (("alert_sent", "Alarmering verstuurd"), ("first_on_scene", "Eerste hulpverlener ter plaatse"),
               ("aed_connected", "AED aangesloten"))

AskSavePath = Callable[[QWidget | None, str], Path | None]


def ask_save_path(parent: QWidget | None, suggested: str) -> Path | None:
    title = QCoreApplication.translate("ReviewWindow", "Rapport opslaan")
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, "HTML (*.html)")
    return Path(name) if name else None


@dataclass(frozen=True)
class ExportedReport:
    html: Path
    pdf: Path | None
    maps: int


class ReviewWindow(QMainWindow):
    def __init__(
        self,
        source: ReviewSource,
        session: ReviewSession,
        *,
        registry: Registry | None = None,
        config: AlertConfig | None = None,
        funnel: MessageFunnel | None = None,
        map_cache_dir: Path | None = None,
        snapshot_every: int | None = DEFAULT_SNAPSHOT_EVERY,
        save_path: AskSavePath = ask_save_path,
    ) -> None:
        super().__init__()
        self.source = source
        self.session = session
        self.incident = source.incident
        self.funnel = funnel or MessageFunnel()
        self._save_path = save_path
        self.replay = ReplayService(source.events, config, registry, snapshot_every)
        self._moments = self.replay.moments()
        self._t0 = self.replay.start
        now = self.replay.now

        # -- the live console's own widgets, over the replay ----------------------------
        self.responder_model = ResponderTableModel(self.replay, now, parent=self)
        self.aed_model = AedTableModel(self.replay, now, parent=self)
        self.header = StatusHeader(now, False, None, self)
        self.map_view = MapView(cache_dir=map_cache_dir)
        self.map_view.setMinimumWidth(360)
        self.map_sync = MapSync(self.map_view, self.replay, now)
        self.notices = NoticeBar(self.funnel, self)
        self.caller = CallerInstructionPanel(self.replay, self.funnel, now, self)
        self.live = LivePanel(self.replay, self.funnel, self.responder_model, self.aed_model, now, self)
        self._make_read_only()

        # -- what a review adds ---------------------------------------------------------
        self.banner = IntegrityBanner(source.integrity, self)
        self.timeline = TimelineWidget(source.events, self.replay.start, self.replay.end, self)
        self.intervals = intervals(source.events, self.incident)
        self.intervals_panel = IntervalsPanel(self.intervals, self)
        self.notes_panel = NotesPanel(self)
        self._build_controls()
        self._build_layout()
        self._build_menus()

        self._before = self.replay.now()  # where the scrubber was before the last seek
        self._shown = self.replay.state(self.incident)  # the state the tables show
        self._playing = False
        self._speed = 1
        self._last_frame = 0.0
        self._player = QTimer(self)
        self._player.setInterval(FRAME_MS)
        self._player.timeout.connect(self._frame)

        self.replay.subscribe(self._on_replay)
        self.timeline.scrubbed.connect(self.seek)
        self.intervals_panel.milestoneClicked.connect(self.seek)
        self.notes_panel.noteClicked.connect(self.seek)
        self.notes_panel.addRequested.connect(self.add_note)
        self.live.responderSelected.connect(lambda rid: self.map_sync.select("responder", rid))
        self.live.aedSelected.connect(lambda aid: self.map_sync.select("aed", aid))
        self.map_view.markerClicked.connect(self._marker_clicked)

        self._load()
        self.refresh_notes()
        self.retranslate()
        self.resize(1600, 1000)

    # -- construction ---------------------------------------------------------------------
    def _make_read_only(self) -> None:
        """A review changes nothing: hide the live panels' command buttons (their keys go too)."""
        self.live.feedback_button.hide()
        for button in (self.caller.start_button, self.caller.handover_button, self.caller.end_button):
            button.hide()
        for action in (self.caller.start_action, self.caller.handover_action, self.caller.end_action):
            action.setShortcut(QKeySequence())

    def _build_controls(self) -> None:
        self.controls = QFrame(self)
        row = QHBoxLayout(self.controls)
        row.setContentsMargins(4, 2, 4, 2)
        self.prev_button = self._tool("|◀", self.step_previous)
        self.play_button = self._tool("▶", self.toggle_play)
        self.next_button = self._tool("▶|", self.step_next)
        for b in (self.prev_button, self.play_button, self.next_button):
            row.addWidget(b)
        self.speed_group = QButtonGroup(self)
        self.speed_buttons: dict[int, QToolButton] = {}
        for speed in SPEEDS:
            b = self._tool(f"{speed}×", self._speed_setter(speed))
            b.setCheckable(True)
            self.speed_group.addButton(b)
            self.speed_buttons[speed] = b
            row.addWidget(b)
        self.speed_buttons[1].setChecked(True)
        self.time_label = QLabel(self)
        self.time_label.setStyleSheet("font-family: 'DejaVu Sans Mono', monospace; font-size: 14px; font-weight: bold;")
        self.event_label = QLabel(self)
        self.event_label.setStyleSheet("color: #444;")
        row.addSpacing(12)
        row.addWidget(self.time_label)
        row.addSpacing(12)
        row.addWidget(self.event_label, 1)

    def _tool(self, text: str, slot: Callable[[], None]) -> QToolButton:
        b = QToolButton(self)
        b.setText(text)
        b.setMinimumWidth(36)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Space must stay the player's key
        b.clicked.connect(lambda _checked=False: slot())
        return b

    def _build_layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.intervals_panel)
        left_layout.addWidget(self.notes_panel, 1)
        left.setMinimumWidth(330)

        centre = QWidget(self)
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(2)
        centre_layout.addWidget(self.notices)
        centre_layout.addWidget(self.map_view, 1)
        centre_layout.addWidget(self.timeline)
        centre_layout.addWidget(self.controls)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.caller)
        right_layout.addWidget(self.live, 1)
        right.setMinimumWidth(420)

        self.columns = QSplitter(Qt.Orientation.Horizontal, self)
        for w in (left, centre, right):
            self.columns.addWidget(w)
        self.columns.setStretchFactor(1, 1)
        self.columns.setChildrenCollapsible(False)
        self.columns.setSizes([340, 1600 - 340 - 460, 460])

        self.badge = badge = QLabel(self)
        badge.setStyleSheet("background: #ffd54a; color: #1d1d1d; font-weight: bold; padding: 2px 8px; border-radius: 3px;")
        header_row = self.header.layout()
        if isinstance(header_row, QHBoxLayout):
            header_row.insertWidget(1, badge)

        root = QWidget(self)
        layout = QVBoxLayout(root)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        body = QWidget(root)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(6, 0, 6, 6)
        body_layout.addWidget(self.banner)
        body_layout.addWidget(self.columns, 1)
        layout.addWidget(body, 1)
        self.setCentralWidget(root)

    def _action(self, menu: QMenu, slot: Callable[[], Any], keys: str | None = None) -> QAction:
        action = QAction(self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.review_menu = review = bar.addMenu("")
        self.export_action = self._action(review, self.export_clicked, "Ctrl+E")
        self.access_log_action = self._action(review, self.show_access_log, "Ctrl+L")
        review.addSeparator()
        self.close_action = self._action(review, self.close, "Ctrl+W")
        self.play_menu = play = bar.addMenu("")
        self.play_action = self._action(play, self.toggle_play, "Space")
        self.prev_action = self._action(play, self.step_previous, "Left")
        self.next_action = self._action(play, self.step_next, "Right")
        play.addSeparator()
        group = QActionGroup(self)
        self.speed_actions: dict[int, QAction] = {}
        for speed in SPEEDS:
            a = self._action(play, self._speed_setter(speed), SPEED_KEYS[speed])
            a.setCheckable(True)
            group.addAction(a)
            self.speed_actions[speed] = a
        self.speed_actions[1].setChecked(True)
        play.addSeparator()
        self.start_action = self._action(play, lambda: self.seek(self.replay.start), "Home")
        self.end_action = self._action(play, lambda: self.seek(self.replay.end), "End")

    # -- language -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(
            self.tr("Zesminuten – terugblik op melding {0} ({1})").format(self.incident, self.source.path.name)
        )
        self.badge.setText(self.tr("TERUGBLIK – alleen lezen"))
        self.notes_panel.hint.setText(
            self.tr("Notities komen in de gebeurtenissenopslag (via de engine); de geschiedenis zelf verandert niet.")
            if self.source.kind == "store"
            else self.tr("Notities komen in een aparte notitie-opslag; het bestand zelf verandert niet.")
        )
        self.prev_button.setToolTip(self.tr("Vorige gebeurtenis (←)"))
        self.play_button.setToolTip(self.tr("Afspelen / pauzeren (spatie)"))
        self.next_button.setToolTip(self.tr("Volgende gebeurtenis (→)"))
        for speed, button in self.speed_buttons.items():
            button.setToolTip(self.tr("Snelheid {0}× (toets {1})").format(speed, SPEED_KEYS[speed]))
        self.review_menu.setTitle(self.tr("&Terugblik"))
        self.play_menu.setTitle(self.tr("&Afspelen"))
        texts = {
            self.export_action: self.tr("Rapport exporteren (HTML en PDF) …"),
            self.access_log_action: self.tr("Toegangslog bekijken …"),
            self.close_action: self.tr("Sluiten"),
            self.play_action: self.tr("Afspelen / pauzeren"),
            self.prev_action: self.tr("Vorige gebeurtenis"),
            self.next_action: self.tr("Volgende gebeurtenis"),
            self.start_action: self.tr("Naar het begin"),
            self.end_action: self.tr("Naar het einde"),
        }
        for speed, action in self.speed_actions.items():
            texts[action] = self.tr("Snelheid {0}×").format(speed)
        for action, text in texts.items():
            action.setText(text)
        self._show_last_event()

    # -- loading and seeking --------------------------------------------------------------
    def _load(self) -> None:
        inc = self.incident
        self.responder_model.set_incident(inc)
        self.aed_model.set_incident(inc)
        self.map_sync.set_incident(inc)
        self.live.set_incident(inc)
        self.caller.set_incident(inc)
        self._after_seek()

    @property
    def now(self) -> datetime:
        return self.replay.now()

    def seek(self, t: datetime) -> None:
        """Show the incident as it was at t (clamped to the incident's span)."""
        t = min(max(t, self.replay.start), self.replay.end)
        if t == self.replay.now():
            return
        self.session.record("replay", {"first_moment": t.isoformat()})  # once per session
        self._before = self.replay.now()
        self.replay.seek(t)
        self._after_seek()

    def _on_replay(self, batch: Sequence[Event]) -> None:
        """The replay moved: forward with the events passed, or back (an empty batch).

        The widgets re-read the state for any batch that names the incident, so going back
        they get the events that were undone; the table models remove the rows that are gone.
        """
        now = self.replay.now()
        state = self.replay.state(self.incident)
        if not batch:
            batch = [e for e in self.source.events if now < e.time <= self._before] or self.source.events[:1]
        # The models remove rows that are gone and report a jump's many changes as one range.
        self.responder_model.apply_events(batch)
        self.aed_model.apply_events(batch)
        self._shown = state
        self.live.on_events(batch)
        self.caller.on_events(batch)
        self.map_sync.on_events(batch)  # its delta removes what is gone; set_incident would re-fit

    def _after_seek(self) -> None:
        t = self.replay.now()
        state = self.replay.state(self.incident)
        self.header.set_state(state)
        if any(r.state == "accepted" for r in state.responders.values()):
            # Only an accepted responder's ETA (and the AED's, through its runner) depends on
            # the time alone; ticking re-sorts both tables, so not when nothing would change.
            self.responder_model.tick()
            self.aed_model.tick()
        self.live.tick()
        self.caller.tick()
        self.map_sync.tick()
        self.header.tick()
        self.timeline.set_now(t)
        self.intervals_panel.set_now(t)
        rel = f"T+{mmss((t - self._t0).total_seconds())}"
        self.time_label.setText(f"{rel}  ·  {t:%H:%M:%S}")
        self.notes_panel.set_moment(rel)
        self._show_last_event()

    def _show_last_event(self) -> None:
        last = self.replay.events(self.incident)
        text = self.tr("laatste gebeurtenis: {0}").format(_event_text(last[-1], self._t0)) if last else ""
        self.event_label.setText(text)

    def redraw_now(self) -> None:
        """Draw what the timers would draw within 100 ms (benchmark, screenshots)."""
        self.live.chart._redraw_if_dirty()

    # -- player ---------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._playing

    def toggle_play(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self.replay.now() >= self.replay.end:
            self.seek(self.replay.start)
        self.session.record("replay", {"play": True})
        self._playing = True
        self._last_frame = time.monotonic()
        self._player.start()
        self.play_button.setText("❚❚")

    def pause(self) -> None:
        self._playing = False
        self._player.stop()
        self.play_button.setText("▶")

    def _speed_setter(self, speed: int) -> Callable[[], None]:
        return lambda: self.set_speed(speed)

    def set_speed(self, speed: int) -> None:
        self._speed = speed
        self.speed_buttons[speed].setChecked(True)
        self.speed_actions[speed].setChecked(True)

    @property
    def speed(self) -> int:
        return self._speed

    def _frame(self) -> None:
        now = time.monotonic()
        elapsed, self._last_frame = now - self._last_frame, now
        target = self.replay.now() + timedelta(seconds=elapsed * self._speed)
        self.seek(min(target, self.replay.end))
        if self.replay.now() >= self.replay.end:
            self.pause()

    def step_next(self) -> None:
        i = bisect_right(self._moments, self.replay.now())
        if i < len(self._moments):
            self.seek(self._moments[i])

    def step_previous(self) -> None:
        i = bisect_left(self._moments, self.replay.now())
        if i > 0:
            self.seek(self._moments[i - 1])

    # -- notes ----------------------------------------------------------------------------
    def add_note(self, text: str) -> Event | None:
        """A reviewer note at the scrubber's moment (never changes the history itself)."""
        at = self.replay.now()
        try:
            event = self.source.notes.add(self.session.who, text, at)
        except EngineError as exc:
            self.funnel.report(exc)
            return None
        self.session.record("annotate", {"at": at.isoformat()})
        self.refresh_notes()
        self.funnel.info(self.tr("Notitie vastgelegd bij T+{0}.").format(mmss((at - self._t0).total_seconds())))
        return event

    def refresh_notes(self) -> None:
        notes = self.source.annotations()
        self.notes_panel.set_notes(notes, self._t0)
        self.timeline.set_notes([(m, str(n["text"])) for n in notes if (m := note_moment(n)) is not None])

    # -- report ---------------------------------------------------------------------------
    def export_clicked(self) -> None:
        dialog = ExportDialog(self)
        try:
            if dialog.exec() != ExportDialog.DialogCode.Accepted:
                return
            choice = dialog.choice
        finally:
            dialog.deleteLater()
        html_path = self._save_path(self, f"rapport-{self.incident}.html")
        if html_path is None:
            return
        task = asyncio.get_event_loop().create_task(self.export_report(html_path, choice))
        task.add_done_callback(self._export_done)

    def _export_done(self, task: asyncio.Task[ExportedReport]) -> None:
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            self.funnel.report(exc)
            return
        done = task.result()
        if done.pdf:
            self.funnel.info(self.tr("Rapport opgeslagen: {0} en {1}").format(done.html, done.pdf.name))
        else:
            self.funnel.info(self.tr("Rapport opgeslagen: {0}").format(done.html))

    async def export_report(self, html_path: Path, choice: ExportChoice | None = None) -> ExportedReport:
        """Write the report (and the PDF next to it); logged in the access log first."""
        choice = choice or ExportChoice()
        pdf_path = html_path.with_suffix(".pdf") if choice.pdf else None
        self.session.record(
            "export",
            {"to": str(html_path), "pdf": bool(pdf_path), "exact_location": choice.exact_location,
             "real_pseudonyms": choice.real_pseudonyms, "maps": choice.include_maps},
        )
        maps = await self.capture_maps() if choice.include_maps and choice.exact_location else []
        html = render_report(
            self.source.events,
            self.incident,
            self.source.integrity,
            ReportOptions(exact_location=choice.exact_location, real_pseudonyms=choice.real_pseudonyms),
            self.source.annotations(),
            maps,
            ReportContext(self.session.who, self.session.reason, self.source.label, SystemClock().now()),
            target=self.replay.config.target_responders,
        )
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(html, encoding="utf-8")
        if pdf_path is not None:
            await html_to_pdf(html, pdf_path)
        return ExportedReport(html_path, pdf_path, len(maps))

    async def capture_maps(self) -> list[MapImage]:
        """The map at the key moments (alert, first on scene, AED connected), then back."""
        back = self.replay.now()
        images = []
        try:
            for key, caption in MAP_MOMENTS:
                at = self.intervals[key].at
                if at is None:
                    continue
                self.seek(at)
                await self.map_view.eval_json("1")  # the pushed ops are applied once this answers
                await asyncio.sleep(0.15)  # and painted
                images.append(MapImage(caption, _png(self.map_view.grab()), at))
        finally:
            self.seek(back)
        return images

    # -- other ----------------------------------------------------------------------------
    def show_access_log(self) -> None:
        AccessLogDialog(self.session.log, None, self).exec()

    def _marker_clicked(self, kind: str, layer_id: str) -> None:
        if kind == "responder":
            self.live.focus_responder(layer_id)
        elif kind == "aed":
            self.live.focus_aed(layer_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.pause()
        # A closed review is done: its map page and renderer process (~200 MB) go now.
        self.map_view.release()
        super().closeEvent(event)


def _event_text(e: Event, t0: datetime) -> str:
    from alert_engine.review.report_text import event_label

    label = event_labels().get(e.type) or event_label(e.type)
    return f"T+{mmss((e.time - t0).total_seconds())} {label}"


def event_labels() -> dict[str, str]:
    """The engine's event names (report_text.EVENT_KINDS, Dutch only) through the catalogue."""

    return {
        "call_received": QCoreApplication.translate("EventKinds", "112-melding"),
        "call_updated": QCoreApplication.translate("EventKinds", "Melding aangevuld"),
        "exclusion_assessed": QCoreApplication.translate("EventKinds", "Uitsluitcriteria"),
        "exclusion_overridden": QCoreApplication.translate("EventKinds", "Uitsluiting overruled"),
        "ambulance_dispatched": QCoreApplication.translate("EventKinds", "Ambulance uitgegeven"),
        "ambulance_arrived": QCoreApplication.translate("EventKinds", "Ambulance ter plaatse"),
        "alert_refused": QCoreApplication.translate("EventKinds", "Alarmering geweigerd"),
        "alert_sent": QCoreApplication.translate("EventKinds", "Alarmering"),
        "responder_accepted": QCoreApplication.translate("EventKinds", "Geaccepteerd"),
        "responder_declined": QCoreApplication.translate("EventKinds", "Afgewezen"),
        "responder_timed_out": QCoreApplication.translate("EventKinds", "Geen reactie"),
        "responder_arrived": QCoreApplication.translate("EventKinds", "Ter plaatse"),
        "cancellation_sent": QCoreApplication.translate("EventKinds", "Annulering"),
        "oversupply": QCoreApplication.translate("EventKinds", "Overaanbod"),
        "oversupply_feedback": QCoreApplication.translate("EventKinds", "Terugkoppeling overaanbod"),
        "aed_fetched": QCoreApplication.translate("EventKinds", "AED opgehaald"),
        "aed_connected": QCoreApplication.translate("EventKinds", "AED aangesloten"),
        "aed_check_requested": QCoreApplication.translate("EventKinds", "AED-controle gevraagd"),
        "aed_ready_confirmed": QCoreApplication.translate("EventKinds", "AED weer gereed"),
        "caller_instruction_changed": QCoreApplication.translate("EventKinds", "Meldersinstructie"),
        "alarm_cancelled": QCoreApplication.translate("EventKinds", "Alarm ingetrokken"),
        "incident_closed": QCoreApplication.translate("EventKinds", "Melding afgesloten"),
        "annotation_added": QCoreApplication.translate("EventKinds", "Notitie"),
    }


def _png(pixmap: Any) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def open_review(
    path: Path | str,
    incident: str | None = None,
    *,
    access_log: AccessLog | None = None,
    ask: AskAccess = ask_access,
    who: str | None = None,
    reason: str | None = None,
    parent: QWidget | None = None,
    notes: AnnotationSink | None = None,
    **window_options: Any,
) -> ReviewWindow | None:
    """Open a store incident or a JSON Lines file for review: ask who and why (once), log
    the opening, then show it. None when the reviewer cancelled (nothing is shown or logged).

    From inside the live console, pass `notes=ServiceNotes(service, incident)` so notes on
    the live store go through the console's own engine (a store has one writer)."""
    source = open_source(path, incident)
    if notes is not None:
        source.notes = notes
    if who is None or not reason:
        answer = ask(parent, source.incident, who or workstation_login())
        if answer is None:
            return None
        who, reason = answer
    session = ReviewSession(access_log or AccessLog(), who, reason, source.incident, str(path))
    session.record("open", {"integrity": source.integrity.status, "events": len(source.events), "kind": source.kind,
                            **source.head_details()})
    return ReviewWindow(source, session, **window_options)
