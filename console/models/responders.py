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
        self._answers = self._role_answers()

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
        # Views ask for a dozen roles per cell and the proxy for SORT_ROLE on every move:
        # look the role up first, so a role we do not answer costs one dict lookup.
        answer = self._answers.get(role)
        if answer is None:
            return None
        row = index.row()
        if not 0 <= row < len(self._ids) or not index.isValid():
            return None
        return answer(self._items[self._ids[row]], index.column())

    def _role_answers(self) -> dict[int, Callable[[ResponderState, int], Any]]:
        role = Qt.ItemDataRole
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        numeric = (self.COL_DISTANCE, self.COL_ETA)
        return {
            int(role.DisplayRole): self._display,
            int(role.ToolTipRole): self._tooltip,
            int(role.ForegroundRole): lambda r, col: self._brushes.get(r.state) if col == self.COL_STATE else None,
            int(role.FontRole): lambda r, col: bold() if r.state in ("accepted", "arrived") else None,
            int(role.TextAlignmentRole): lambda r, col: right if col in numeric else None,
            int(ID_ROLE): lambda r, col: r.id,
            int(STATE_ROLE): lambda r, col: r.state,
            # State first, then distance: cheap and stable, so re-sorting 100 rows is nothing.
            int(SORT_ROLE): lambda r, col: STATE_RANK.get(r.state, 9) * 100_000 + min(r.distance_m, 99_999.0),
        }

    def _tooltip(self, r: ResponderState, col: int) -> str | None:
        if col == self.COL_ROLE and r.role == "aed" and r.aed:
            return self.tr("Haalt eerst AED {0}, dan naar het slachtoffer").format(r.aed)
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
