"""The AEDs alerted for the selected incident: where, who fetches them, their state, ETA."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from alert_engine.service import IncidentService
from alert_engine.state import AedState, IncidentState

from .. import colours
from ..labels import aed_state_labels, mmss, responder_state_labels
from .eta import WALKING_SPEED_MPS, eta_seconds
from .incident_rows import ID_ROLE, SORT_ROLE, STATE_ROLE, IncidentRowsModel, Index, bold


@dataclass(frozen=True, slots=True)
class AedRow:
    """One AED with what the table shows of its runners (rebuilt per state, compared by value)."""

    aed: AedState
    runners: tuple[tuple[str, str, str], ...]  # (id, pseudonym, state) of its AED runners
    coming: tuple[str, ...]  # ids of runners who accepted and are on their way
    bringing: tuple[str, ...] = ()  # ids of runners on their way or there with it
    released: bool = False  # nobody fetches it any more: the alarm was withdrawn or closed


class AedTableModel(IncidentRowsModel):
    COL_ID, COL_DESCRIPTION, COL_RUNNERS, COL_STATE, COL_ETA = range(5)
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
        self._descriptions: dict[str, str] = {}
        self._load_labels()

    def _load_labels(self) -> None:
        self._state_text = aed_state_labels()
        self._runner_text = responder_state_labels()

    def retranslate(self) -> None:
        self._load_labels()
        super().retranslate()

    def _on_new_state(self, state: IncidentState) -> None:
        missing = [a for a in state.aeds if a not in self._descriptions]
        if missing:
            reach = max(a.distance_m for a in state.aeds.values()) + 50
            for view in self._service.aeds_near(state.lat, state.lon, reach):
                self._descriptions[view.id] = view.description

    def _rows_of(self, state: IncidentState) -> Mapping[str, AedRow]:
        out = {}
        ended = not state.alarm_open
        for aid, aed in state.aeds.items():
            # Only responders sent to fetch this AED (role "aed" with it as their AED).
            runners = tuple(
                (rid, r.pseudonym, r.state)
                for rid in aed.runners
                if (r := state.responders.get(rid)) is not None and r.role == "aed" and r.aed == aid
            )
            coming = tuple(rid for rid, _, st in runners if st == "accepted")
            bringing = tuple(rid for rid, _, st in runners if st in ("accepted", "arrived"))
            out[aid] = AedRow(aed, runners, coming, bringing, ended and aed.state == "assigned")
        return out

    def aed_eta(self, row: AedRow) -> float | None:
        """Soonest arrival on scene of a runner bringing this AED."""
        if self._state is None or row.aed.state == "connected":
            return None
        etas = [
            eta_seconds(self._state, self._state.responders[rid], self._now(), self.speed_mps)
            for rid in row.coming
        ]
        known = [e for e in etas if e is not None]
        return min(known) if known else None

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.ToolTipRole and section == self.COL_ETA:
            return self.tr("Ter plaatse over (min:s), met de snelste loper die hem brengt")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            self.COL_ID: self.tr("AED"),
            self.COL_DESCRIPTION: self.tr("Locatie"),
            self.COL_RUNNERS: self.tr("Loper(s)"),
            self.COL_STATE: self.tr("Status"),
            # Short: the runner and state columns need the width (the tooltip says more).
            self.COL_ETA: self.tr("Aankomst"),
        }.get(section)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row: AedRow = self._items[self._ids[index.row()]]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_RUNNERS:
            states = self._runner_text
            return "\n".join(f"{p} – {states.get(st, st)}" for _, p, st in row.runners) or None
        if role == Qt.ItemDataRole.ForegroundRole and col == self.COL_STATE:
            state = "released" if row.released else row.aed.state
            return QBrush(QColor(colours.AED_STATE_COLOUR.get(state, colours.NEUTRAL)))
        if role == Qt.ItemDataRole.FontRole and (row.coming or row.aed.state != "assigned"):
            return bold()
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.COL_ETA:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return row.aed.id
        if role == STATE_ROLE:
            return row.aed.state
        if role == SORT_ROLE:
            return row.aed.distance_m
        return None

    def _display(self, row: AedRow, col: int) -> str:
        aed = row.aed
        if col == self.COL_ID:
            return aed.id
        if col == self.COL_DESCRIPTION:
            # Distance first: a narrow column elides the description, not how far it is.
            distance = f"{aed.distance_m:,.0f} m".replace(",", ".")
            text = self._descriptions.get(aed.id, "")
            return f"{distance} – {text}" if text else distance
        if col == self.COL_RUNNERS:
            return self.runners_text(row)
        if col == self.COL_STATE:
            if row.released:
                return self.tr("vrijgegeven")
            return self._state_text.get(aed.state, aed.state)
        if col == self.COL_ETA:
            if aed.state == "connected":
                return "✓"
            return mmss(self.aed_eta(row)) if row.coming else ""
        return ""

    def width_samples(self) -> tuple[str, str]:
        """The widest runner and state texts this model can show (the view sizes for them)."""
        # The Dutch source texts too: the view may be sized before a language switch.
        runners = max("BHV-0000000", "99 gealarmeerd", self.tr("%n gealarmeerd", "", 99), key=len)
        return runners, max([*self._state_text.values(), self.tr("vrijgegeven"), "vrijgegeven", "aangesloten"], key=len)

    def runners_text(self, row: AedRow) -> str:
        """Who brings it (the report's "kwam"), else how many runners were sent for it (the
        report's "n gealarmeerd"); each runner's answer is in the tooltip."""
        bringing = [p for rid, p, _ in row.runners if rid in row.bringing]
        if bringing:
            return ", ".join(bringing)
        if not row.runners:
            return self.tr("(geen loper)")
        return self.tr("%n gealarmeerd", "", len(row.runners))
