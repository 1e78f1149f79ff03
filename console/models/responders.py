"""The responders of the selected incident: pseudonym, role, state, distance and ETA.

Only the pseudonym identifies a responder here; the console never shows names or phone
numbers (AVG: the dispatch centre needs no more than the alert contains).

Issue 13: with an ambulance ETA known, a responder still coming who is expected after it
(`alert_engine.views.arrival`, the engine's one definition) is muted and says "na amb." in
the arrival column, and every coming responder's tooltip says how far ahead of or behind
the ambulance they are expected: a responder who cannot beat it adds risk and fatigue,
not survival (FirstAED, Region der Lebensretter).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from alert_engine.service import IncidentService
from alert_engine.state import IncidentState, ResponderState
from alert_engine.views.arrival import Arrival, ambulance_eta, arrivals

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
        self._arrivals: dict[str, Arrival] = {}
        self._ambulance: datetime | None = None

    def _load_labels(self) -> None:
        # Looked up once per language, not per cell: views ask for data thousands of times.
        self._state_text = responder_state_labels()
        self._role_text = role_labels()
        self._brushes = {s: QBrush(QColor(c)) for s, c in colours.RESPONDER_STATE_COLOUR.items()}
        self._muted = QBrush(QColor(colours.AFTER_AMBULANCE))

    def retranslate(self) -> None:
        self._load_labels()
        super().retranslate()

    def _rows_of(self, state: IncidentState) -> Mapping[str, ResponderState]:
        return state.responders

    def _on_new_state(self, state: IncidentState) -> None:
        # Expected arrivals move only with an event (an alert, an answer, a new ETA), not per tick.
        self._ambulance = ambulance_eta(state)
        self._arrivals = arrivals(state, self._service.config) if self._ambulance is not None else {}

    def arrival(self, r: ResponderState) -> Arrival | None:
        """Expected arrival against the ambulance, for a responder still coming (None: no ETA)."""
        if r.state not in ("alerted", "accepted") or self._ambulance is None:
            return None
        return self._arrivals.get(r.id)

    def after_ambulance(self, r: ResponderState) -> bool:
        """Expected on scene after the first ambulance: cannot beat it."""
        a = self.arrival(r)
        return a is not None and a.beats_ambulance is False

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
            int(role.ForegroundRole): self._foreground,
            int(role.FontRole): lambda r, col: bold() if r.state in ("accepted", "arrived") else None,
            int(role.TextAlignmentRole): lambda r, col: right if col in numeric else None,
            int(ID_ROLE): lambda r, col: r.id,
            int(STATE_ROLE): lambda r, col: r.state,
            # State first, then distance: cheap and stable, so re-sorting 100 rows is nothing.
            int(SORT_ROLE): lambda r, col: STATE_RANK.get(r.state, 9) * 100_000 + min(r.distance_m, 99_999.0),
        }

    def _foreground(self, r: ResponderState, col: int) -> QBrush | None:
        if col == self.COL_STATE:
            return self._brushes.get(r.state)
        return self._muted if self.after_ambulance(r) else None

    def _tooltip(self, r: ResponderState, col: int) -> str | None:
        a = self.arrival(r)
        if a is not None and a.ahead_s is not None and (col == self.COL_ETA or (a.ahead_s <= 0 and col != self.COL_ROLE)):
            at = f"{a.expected_at.astimezone(self._now().tzinfo):%H:%M:%S}"
            eta = f"{self._ambulance.astimezone(self._now().tzinfo):%H:%M:%S}"  # type: ignore[union-attr]
            if a.ahead_s <= 0:
                return self.tr("Verwacht ter plaatse om {0}, {1} na de ambulance (ETA {2}): komt "
                               "waarschijnlijk niet vóór de ambulance").format(at, mmss(-a.ahead_s), eta)
            return self.tr("Verwacht ter plaatse om {0}, {1} vóór de ambulance (ETA {2})").format(
                at, mmss(a.ahead_s), eta)
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
            if r.state == "accepted":
                return mmss(self.eta(r))
            return self.late_text() if self.after_ambulance(r) else ""
        return ""

    def late_text(self) -> str:
        """The arrival column of a responder who cannot beat the ambulance (not yet answered)."""
        return self.tr("na amb.")
