"""The incident queue: one row per incident, newest first, updated from event batches.

Rows are inserted (never reset) when an incident first appears and changed in place
afterwards; the time column ticks once a second through `tick()`. Incidents the
dispatcher has not looked at yet are "unseen": bold, with a pulsing background. A call
the dispatch system handed over (issue 13) carries its source ("GMS", "EIDO") in its own
column and, until it is opened, stays highlighted between pulses: nobody typed it, so
nobody at this desk has seen it yet.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from alert_engine.events import Event
from alert_engine.service import IncidentService
from alert_engine.state import IncidentState

from .. import colours
from ..labels import intake_source_label, mmss, mode_labels, phase_labels
from .incident_rows import bold

Index = QModelIndex | QPersistentModelIndex
PHASE_ROLE = Qt.ItemDataRole.UserRole + 1  # the engine's phase word
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the incident id
UNSEEN_ROLE = Qt.ItemDataRole.UserRole + 3  # bool
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 4  # "gms", "eido" or None (typed in)


class IncidentQueueModel(QAbstractTableModel):
    COL_ID, COL_TIME, COL_PLACE, COL_PHASE, COL_MODE, COL_SOURCE = range(6)

    unseenChanged = Signal(int)  # how many incidents are unseen

    def __init__(
        self, service: IncidentService, now: Callable[[], datetime] | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._now = now or service.now
        states = sorted(service.incidents(), key=_call_order, reverse=True)
        self._ids: list[str] = [s.id for s in states]
        self._states: dict[str, IncidentState] = {s.id: s for s in states}
        self._unseen: set[str] = set()
        self._pulse = False
        self._load_labels()

    def _load_labels(self) -> None:
        # Once per language, not per cell.
        self._phase_text = phase_labels()
        self._mode_text = mode_labels()
        self._phase_brush = {p: QBrush(QColor(c)) for p, c in colours.PHASE_BACKGROUND.items()}
        self._mode_brush = {m: QBrush(QColor(c)) for m, c in colours.MODE_BACKGROUND.items()}
        self._attention = QBrush(QColor(colours.ATTENTION))
        self._intake_new = QBrush(QColor(colours.INTAKE_NEW))
        self._intake_badge = QBrush(QColor(colours.INTAKE_BADGE))
        self._dim = QBrush(QColor(colours.PHASE_FOREGROUND_DIM))
        self._text = QBrush(QColor(colours.NEUTRAL))

    # -- updates ----------------------------------------------------------------------
    def apply_events(self, events: Sequence[Event], seen: Collection[str] = ()) -> list[str]:
        """Take in a batch; returns ids of incidents new to the queue. New ones are unseen
        unless listed in `seen` (calls this console created itself)."""
        touched = dict.fromkeys(e.incident for e in events)
        added: list[str] = []
        for incident in touched:
            state = self._service.state(incident)
            if incident not in self._states:
                # Newest first: a new call goes on top; persistent indexes (the selection) move down.
                self.beginInsertRows(QModelIndex(), 0, 0)
                self._ids.insert(0, incident)
                self._states[incident] = state
                if incident not in seen:
                    self._unseen.add(incident)
                self.endInsertRows()
                added.append(incident)
            elif state is not self._states[incident]:
                self._states[incident] = state
                row = self._ids.index(incident)
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        if any(a not in seen for a in added):
            self.unseenChanged.emit(len(self._unseen))
        return added

    def tick(self) -> None:
        """The clock moved: the elapsed-time column changes for every row."""
        if self._ids:
            top, bottom = self.index(0, self.COL_TIME), self.index(len(self._ids) - 1, self.COL_TIME)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    def pulse(self) -> None:
        """Toggle the attention colour of unseen rows (called by a timer)."""
        self._pulse = not self._pulse
        for incident in self._unseen:
            row = self._ids.index(incident)
            self.dataChanged.emit(
                self.index(row, 0),
                self.index(row, self.columnCount() - 1),
                [Qt.ItemDataRole.BackgroundRole],
            )

    def mark_seen(self, incident: str | None) -> None:
        if incident is None or incident not in self._unseen:
            return
        self._unseen.discard(incident)
        row = self._ids.index(incident)
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
        self.unseenChanged.emit(len(self._unseen))

    def retranslate(self) -> None:
        self._load_labels()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    # -- lookups ----------------------------------------------------------------------
    @property
    def unseen(self) -> frozenset[str]:
        return frozenset(self._unseen)

    def incident_ids(self) -> list[str]:
        return list(self._ids)

    def row_of(self, incident: str) -> int:
        return self._ids.index(incident) if incident in self._states else -1

    def state_of(self, incident: str) -> IncidentState | None:
        return self._states.get(incident)

    # -- QAbstractTableModel ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.COL_ID: self.tr("Melding"),
            self.COL_TIME: self.tr("Sinds 112"),
            self.COL_PLACE: self.tr("Locatie"),
            self.COL_PHASE: self.tr("Fase"),
            self.COL_MODE: self.tr("Modus"),
            self.COL_SOURCE: self.tr("Bron"),
        }.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        incident = self._ids[index.row()]
        s = self._states[incident]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(s, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s)
        if role == Qt.ItemDataRole.BackgroundRole:
            if incident in self._unseen and self._pulse:
                return self._attention
            if s.intake is not None and (incident in self._unseen or col == self.COL_SOURCE):
                return self._intake_badge if col == self.COL_SOURCE else self._intake_new
            if col == self.COL_MODE:
                return self._mode_brush.get(s.mode)
            return self._phase_brush[s.phase]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._dim if s.phase == "closed" else self._text
        if role == Qt.ItemDataRole.FontRole:
            return bold() if incident in self._unseen or col == self.COL_PHASE else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_TIME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PHASE_ROLE:
            return s.phase
        if role == ID_ROLE:
            return s.id
        if role == UNSEEN_ROLE:
            return incident in self._unseen
        if role == SOURCE_ROLE:
            return s.intake.source if s.intake is not None else None
        return None

    def _tooltip(self, s: IncidentState) -> str:
        text = f"{s.id} · {self._display(s, self.COL_PLACE)} · {self._display(s, self.COL_PHASE)}"
        if s.intake is None:
            return text
        number = s.intake.key.partition(":")[2]
        return text + "\n" + self.tr("Uit het meldkamersysteem ({0}, {1}): locatie en leeftijd ingevuld, "
                                     "criteria nog bevestigen").format(intake_source_label(s.intake.source), number)

    def _display(self, s: IncidentState, col: int) -> str:
        if col == self.COL_ID:
            return s.id
        if col == self.COL_TIME:
            if s.call_time is None:
                return "–"
            end = s.closed_at or self._now()
            return mmss((end - s.call_time).total_seconds())
        if col == self.COL_PLACE:
            return place_text(s)
        if col == self.COL_PHASE:
            return self._phase_text[s.phase]
        if col == self.COL_MODE:
            return self._mode_text.get(s.mode, s.mode.upper())
        if col == self.COL_SOURCE:
            return intake_source_label(s.intake.source) if s.intake is not None else ""
        return ""


def place_text(s: IncidentState) -> str:
    """The address the intake recorded, else the caller's description, else coordinates."""
    for key in ("address", "location_description"):
        value = s.facts.get(key)
        if value:
            return str(value)
    return f"{s.lat:.5f}, {s.lon:.5f}"


def _call_order(s: IncidentState) -> tuple[float, str]:
    return (s.call_time.timestamp() if s.call_time else 0.0, s.id)
