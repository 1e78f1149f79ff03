"""The responders of the selected incident: pseudonym, role, state, distance and ETA.

Only the pseudonym identifies a responder here; the console never shows names or phone
numbers (AVG: the dispatch centre needs no more than the alert contains).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from alert_engine.service import IncidentService
from alert_engine.state import IncidentState, ResponderState

from .. import colours
from ..labels import mmss, responder_state_labels, role_labels
from .eta import WALKING_SPEED_MPS, eta_seconds
from .incident_rows import ID_ROLE, SORT_ROLE, STATE_ROLE, IncidentRowsModel, Index, bold

# Who the dispatcher looks for first: coming, there, then waiting, then the rest.
STATE_RANK = {
    "accepted": 0,
    "arrived": 1,
    "alerted": 2,
    "oversupply": 3,
    "timed_out": 4,
    "cancelled": 5,
    "declined": 6,
}


class ResponderTableModel(IncidentRowsModel):
    COL_NAME, COL_ROLE, COL_STATE, COL_DISTANCE, COL_ETA, COL_AED = range(6)
    TICKING_COLUMNS = (COL_ETA,)

    def __init__(
        self,
        service: IncidentService,
        now: Callable[[], datetime] | None = None,
        speed_mps: float = WALKING_SPEED_MPS,
        parent: Any = None,
    ) -> None:
        super().__init__(service, now, parent)
        self.speed_mps = speed_mps
        self._load_labels()

    def _load_labels(self) -> None:
        # Looked up once per language, not per cell: views ask for data thousands of times.
        self._state_text = responder_state_labels()
        self._role_text = role_labels()
        self._brushes = {s: QBrush(QColor(c)) for s, c in colours.RESPONDER_STATE_COLOUR.items()}

    def retranslate(self) -> None:
        self._load_labels()
        super().retranslate()

    def _rows_of(self, state: IncidentState) -> Mapping[str, ResponderState]:
        return state.responders

    def responder(self, row: int) -> ResponderState | None:
        key = self.key_at(row)
        return self._items[key] if key is not None else None

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.COL_NAME: self.tr("Pseudoniem"),
            self.COL_ROLE: self.tr("Rol"),
            self.COL_STATE: self.tr("Status"),
            self.COL_DISTANCE: self.tr("Afstand"),
            self.COL_AED: self.tr("Via AED"),
            self.COL_ETA: self.tr("Aankomst"),
        }.get(section)

    def eta(self, r: ResponderState) -> float | None:
        if self._state is None:
            return None
        return eta_seconds(self._state, r, self._now(), self.speed_mps)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        r: ResponderState = self._items[self._ids[index.row()]]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_ROLE and r.role == "aed" and r.aed:
            return self.tr("Haalt eerst AED {0}, dan naar het slachtoffer").format(r.aed)
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATE:
            return self._brushes.get(r.state)
        if role == Qt.ItemDataRole.FontRole and r.state in ("accepted", "arrived"):
            return bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_DISTANCE, self.COL_ETA):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return r.id
        if role == STATE_ROLE:
            return r.state
        if role == SORT_ROLE:
            # State first, then distance: cheap and stable, so re-sorting 100 rows is nothing.
            return STATE_RANK.get(r.state, 9) * 100_000 + min(r.distance_m, 99_999.0)
        return None

    def _display(self, r: ResponderState, col: int) -> str:
        if col == self.COL_NAME:
            return r.pseudonym or self.tr("(geen pseudoniem)")
        if col == self.COL_ROLE:
            return self._role_text.get(r.role, r.role)
        if col == self.COL_STATE:
            return self._state_text.get(r.state, r.state)
        if col == self.COL_DISTANCE:
            return f"{r.distance_m:,.0f} m".replace(",", ".")
        if col == self.COL_AED:
            return (r.aed or "") if r.role == "aed" else ""
        if col == self.COL_ETA:
            if r.state == "arrived":
                return "✓"
            return mmss(self.eta(r)) if r.state == "accepted" else ""
        return ""
