"""`ReviewWindow`: an incident as it was at the scrubber's time, in the live console's panels.

The centre of the window is the live window's own `IncidentView` (queue, map, live panel
with counters, chart and tables, caller instruction), but over a `ReplayService`, so what
it shows at time t is the engine's own fold of the events up to t. The window only
composes what a review adds: the timeline and the player (`player.py`), the intervals, the
integrity banner, the reviewer notes (`notes.py`), the report export (`export.py`) and the
access log (NEN 7513).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QMenu, QVBoxLayout, QWidget

from alert_engine.config import AlertConfig
from alert_engine.events import Event
from alert_engine.review.access_log import AccessLog, ReviewSession, workstation_login
from alert_engine.review.intervals import intervals
from alert_engine.review.replay import DEFAULT_SNAPSHOT_EVERY, ReplayService
from alert_engine.review.source import AnnotationSink, ReviewSource, open_source

if TYPE_CHECKING:
    from alert_engine.api.protocols import AftercareQueries
    from alert_engine.registry.table import Registry

from ..funnel import MessageFunnel
from ..incident.selected import SelectedIncident
from ..incident.view import IncidentView
from ..widgets.notice_bar import NoticeBar
from ..widgets.status_header import StatusHeader
from .aftercare import AftercarePanel
from .dialogs import AccessLogDialog, AskAccess, ExportChoice, ask_access
from .export import AskSavePath, ExportedReport, ReportExport, ask_save_path
from .notes import NotesPanel, ReviewNotes
from .panels import IntegrityBanner, IntervalsPanel
from .player import ReviewPlayer
from .timeline import TimelineWidget


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
        aftercare: AftercareQueries | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.session = session
        self.incident = source.incident
        self.funnel = funnel or MessageFunnel()
        self.replay = ReplayService(source.events, config, registry, snapshot_every)
        self._first = self.replay.moments(self.incident)[0]  # the replay selects it from here on
        now = self.replay.now

        # -- the live console's incident view, over the replay ----------------------------
        self.selected = SelectedIncident(self.replay)
        self.view = IncidentView(self.selected, self.funnel, now, queue_selects=False,
                                 map_cache_dir=map_cache_dir, parent=self)
        self.view.set_read_only()
        self.queue, self.queue_model = self.view.queue, self.view.queue_model
        self.responder_model, self.aed_model = self.view.responder_model, self.view.aed_model
        self.map_view, self.map_sync = self.view.map_view, self.view.map_sync
        self.live, self.caller = self.view.live, self.view.caller
        self.header = StatusHeader(now, False, None, self)
        self.notices = NoticeBar(self.funnel, self)

        # -- what a review adds ---------------------------------------------------------
        self.banner = IntegrityBanner(source.integrity, self)
        self.timeline = TimelineWidget(source.events, self.replay.start, self.replay.end, self)
        self.intervals = intervals(source.events, self.incident)
        self.intervals_panel = IntervalsPanel(self.intervals, self)
        self.player = ReviewPlayer(self.replay, self.incident, self.seek, session, self)
        self.event_label = self.player.event_label
        self.notes_panel = NotesPanel(source.kind, self)
        self.notes = ReviewNotes(source, session, now, self.replay.start, self.notes_panel, self.timeline,
                                 self.funnel, self)
        self.exporter = ReportExport(source, session, self.replay, self.intervals, self.map_view, self.seek,
                                     self.funnel, save_path, self)
        # Issue 15: the incident's aftercare in counts, in the window and in its report.
        self.aftercare_panel = AftercarePanel(aftercare, self.incident, self)
        self.exporter.aftercare = lambda: self.aftercare_panel.summary
        self._build_layout()
        self._build_menus()

        self._before = self.replay.now()  # where the scrubber was before the last seek
        self.replay.subscribe(self._on_replay)
        self.timeline.scrubbed.connect(self.seek)
        self.intervals_panel.milestoneClicked.connect(self.seek)
        self.notes_panel.noteClicked.connect(self.seek)

        self._after_seek()
        self.notes.refresh()
        self.retranslate()
        self.resize(1600, 1000)

    # -- construction ---------------------------------------------------------------------
    def _build_layout(self) -> None:
        view = self.view
        view.add_left(self.intervals_panel)
        view.add_left(self.aftercare_panel)
        view.add_left(self.notes_panel, 1)
        # The queue holds the one reviewed incident: a row's height; the times and the
        # aftercare counts as tall as they are; the notes get the rest.
        view.left.setSizes([90, self.intervals_panel.sizeHint().height(),
                            self.aftercare_panel.sizeHint().height(), 600])
        view.left.setMinimumWidth(330)
        view.add_centre(self.notices, above_map=True)
        view.add_centre(self.timeline)
        view.add_centre(self.player)
        self.columns = view.columns
        self.columns.setStretchFactor(1, 1)
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
        body_layout.addWidget(view, 1)
        layout.addWidget(body, 1)
        self.setCentralWidget(root)

    def _action(self, menu: QMenu, slot: Callable[[], Any], keys: str) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.review_menu = review = bar.addMenu("")
        self.export_action = self._action(review, self.exporter.ask_and_export, "Ctrl+E")
        self.access_log_action = self._action(review, self.show_access_log, "Ctrl+L")
        review.addSeparator()
        self.close_action = self._action(review, self.close, "Ctrl+W")
        self.play_menu = bar.addMenu("")
        self.player.fill_menu(self.play_menu)

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
        self.review_menu.setTitle(self.tr("&Terugblik"))
        self.play_menu.setTitle(self.tr("&Afspelen"))
        self.export_action.setText(self.tr("Rapport exporteren (HTML en PDF) …"))
        self.access_log_action.setText(self.tr("Toegangslog bekijken …"))
        self.close_action.setText(self.tr("Sluiten"))

    # -- seeking --------------------------------------------------------------------------
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

        The view re-reads the state for any batch that names the incident, so going back it
        gets the events that were undone; its table models remove the rows that are gone.
        """
        if not batch:
            now = self.replay.now()
            batch = [e for e in self.source.events if now < e.time <= self._before] or self.source.events[:1]
        self.view.on_events(batch)

    def _after_seek(self) -> None:
        t = self.replay.now()
        shown = self.incident if t >= self._first else None
        if shown != self.selected.incident:
            self.selected.select(shown)
        state = self.selected.state()
        self.header.set_state(state)
        # Only an accepted responder's ETA (and the AED's, through its runner) depends on the
        # time alone; ticking re-sorts both tables, so not when nothing would change.
        self.view.tick(tables=state is not None and any(r.state == "accepted" for r in state.responders.values()))
        self.header.tick()
        self.timeline.set_now(t)
        self.intervals_panel.set_now(t)
        self.notes_panel.set_moment(self.player.set_now(t))

    def redraw_now(self) -> None:
        """Draw what the timers would draw within 100 ms (benchmark, screenshots)."""
        self.live.chart._redraw_if_dirty()

    # -- what the parts do, under the window's name (menus, scripts, tests) -----------------
    @property
    def playing(self) -> bool:
        return self.player.playing

    @property
    def speed(self) -> int:
        return self.player.speed

    def add_note(self, text: str) -> Event | None:
        return self.notes.add(text)

    async def export_report(self, html_path: Path, choice: ExportChoice | None = None) -> ExportedReport:
        return await self.exporter.export_report(html_path, choice)

    def show_access_log(self) -> None:
        AccessLogDialog(self.session.log, None, self).exec()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.player.pause()
        # A closed review is done: its map page and renderer process (~200 MB) go now.
        self.map_view.release()
        super().closeEvent(event)


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
