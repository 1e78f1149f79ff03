"""`IncidentView`: the queue, the map, the live panel and the caller instruction of one incident.

The live window and the review window embed this one widget, so a replayed incident is
drawn by exactly the code that drew it live. It shows what its `SelectedIncident` names,
over that selection's service (the live service or a replay), and takes the service's
event batches through `on_events`. The windows add their own widgets to its three columns
(intake and actions below the queue; timeline and player under the map).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from alert_engine.events import Event

from ..funnel import MessageFunnel
from ..map.bridge import MapView
from ..map_sync import MapSync
from ..models.aeds import AedTableModel
from ..models.incident_queue import IncidentQueueModel
from ..models.responders import ResponderTableModel
from ..widgets.caller_instruction import CallerInstructionPanel
from ..widgets.incident_queue import IncidentQueueView
from ..widgets.live_panel import LivePanel
from .selected import SelectedIncident


class IncidentView(QWidget):
    aedNotShown = Signal(str)  # an AED clicked on the map that was not alerted for this incident

    def __init__(
        self,
        selected: SelectedIncident,
        funnel: MessageFunnel,
        now: Callable[[], datetime],
        *,
        queue_selects: bool = True,
        map_view: MapView | None = None,
        map_cache_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`queue_selects`: a click in the queue selects (live); else the queue only shows
        the selection (a review shows the incident the replay is about)."""
        super().__init__(parent)
        self.selected = selected
        self._queue_selects = queue_selects
        service = selected.service
        self.queue_model = IncidentQueueModel(service, now, self)
        self.responder_model = ResponderTableModel(service, now, parent=self)
        self.aed_model = AedTableModel(service, now, parent=self)
        self.queue = IncidentQueueView(self.queue_model, self)
        self.map_view = map_view if map_view is not None else MapView(cache_dir=map_cache_dir)
        self.map_view.setMinimumWidth(360)
        self.map_sync = MapSync(self.map_view, service, now)
        self.caller = CallerInstructionPanel(service, funnel, now, self)
        self.live = LivePanel(service, funnel, self.responder_model, self.aed_model, now, self)
        self._build_columns()

        selected.subscribe(self._load)
        self.queue.incidentSelected.connect(self._queue_chose)
        self.live.responderSelected.connect(lambda rid: self.map_sync.select("responder", rid))
        self.live.aedSelected.connect(lambda aid: self.map_sync.select("aed", aid))
        self.map_view.markerClicked.connect(self._marker_clicked)

    def _build_columns(self) -> None:
        self.left = QSplitter(Qt.Orientation.Vertical, self)
        self.left.addWidget(self.queue)
        self.left.setChildrenCollapsible(False)

        self.centre = QWidget(self)
        self.centre_layout = QVBoxLayout(self.centre)
        self.centre_layout.setContentsMargins(0, 0, 0, 0)
        self.centre_layout.setSpacing(2)
        self.centre_layout.addWidget(self.map_view, 1)

        self.right = QWidget(self)
        right_layout = QVBoxLayout(self.right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.setSpacing(6)
        right_layout.addWidget(self.caller)
        right_layout.addWidget(self.live, 1)
        self.right.setMinimumWidth(420)

        self.columns = QSplitter(Qt.Orientation.Horizontal, self)
        for column in (self.left, self.centre, self.right):
            self.columns.addWidget(column)
        self.columns.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.columns)

    def add_left(self, widget: QWidget, stretch: int = 0) -> None:
        """A window's own widget in the left column, below the queue and what came before."""
        self.left.addWidget(widget)
        self.left.setStretchFactor(self.left.count() - 1, stretch)

    def add_centre(self, widget: QWidget, *, above_map: bool = False) -> None:
        """A window's own widget in the centre column, under the map (or over it)."""
        if above_map:
            self.centre_layout.insertWidget(self.centre_layout.indexOf(self.map_view), widget)
        else:
            self.centre_layout.addWidget(widget)

    # -- the selected incident ------------------------------------------------------------
    def _load(self, incident: str | None) -> None:
        self.queue_model.mark_seen(incident)
        self.responder_model.set_incident(incident)
        self.aed_model.set_incident(incident)
        self.map_sync.set_incident(incident)
        self.live.set_incident(incident)
        self.caller.set_incident(incident)
        if self.queue.selected() != incident:
            self.queue.select(incident)

    def _queue_chose(self, incident: str | None) -> None:
        if self._queue_selects:
            self.selected.select(incident)
        elif incident != self.selected.incident:
            self.queue.select(self.selected.incident)

    # -- the service's batches and the clock ------------------------------------------------
    def on_events(self, events: Sequence[Event], seen: Collection[str] = ()) -> list[str]:
        """Take in a batch; returns the incidents new to the queue (see `IncidentQueueModel`)."""
        added = self.queue_model.apply_events(events, seen=seen)
        self.responder_model.apply_events(events)
        self.aed_model.apply_events(events)
        self.live.on_events(events)
        self.caller.on_events(events)
        self.map_sync.on_events(events)  # its delta removes what is gone; set_incident would re-fit
        return added

    def tick(self, tables: bool = True) -> None:
        """The clock moved; `tables=False` spares the ETA columns when no ETA can have changed
        (ticking re-sorts both tables)."""
        self.queue_model.tick()
        if tables:
            self.responder_model.tick()
            self.aed_model.tick()
        self.live.tick()
        self.caller.tick()
        self.map_sync.tick()

    # -- commands -------------------------------------------------------------------------
    def set_writable(self, writable: bool) -> None:
        self.caller.set_writable(writable)
        self.live.set_writable(writable)

    def set_read_only(self) -> None:
        """A review changes nothing: the panels' command buttons go, and their keys with them."""
        self.live.feedback_button.hide()
        for button in (self.caller.start_button, self.caller.handover_button, self.caller.end_button):
            button.hide()
        for action in (self.caller.start_action, self.caller.handover_action, self.caller.end_action):
            action.setShortcut(QKeySequence())

    # -- focus ----------------------------------------------------------------------------
    def _marker_clicked(self, kind: str, layer_id: str) -> None:
        if kind == "responder":
            self.live.focus_responder(layer_id)
        elif kind == "aed" and not self.live.focus_aed(layer_id):
            self.aedNotShown.emit(layer_id)

    def focus_responders(self) -> None:
        self.live.tabs.setCurrentIndex(0)
        self.live.responder_view.setFocus()

    def focus_aeds(self) -> None:
        self.live.tabs.setCurrentIndex(1)
        self.live.aed_view.setFocus()
