"""Shared plumbing for tables that show the rows of one incident (responders, AEDs).

Every change is an explicit row delta, never a reset: switching incident removes the old
incident's rows and inserts the new one's; within an incident, new rows are inserted, rows
that are gone (a review moving back) removed and changed rows reported with dataChanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication

from alert_engine.events import Event
from alert_engine.service import IncidentService
from alert_engine.state import IncidentState

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # responder or AED id
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # a tuple the proxy sorts by
STATE_ROLE = Qt.ItemDataRole.UserRole + 3  # the engine's state word
_BOLD: dict[str, QFont] = {}


def bold() -> QFont:
    """The application font in bold, shared; made again if the application font changes
    (a font made before that would measure and draw at the old size)."""
    if QGuiApplication.instance() is None:  # a model used without a GUI (tests): not cached
        plain = QFont()
        plain.setBold(True)
        return plain
    base = QGuiApplication.font()
    key = base.key()
    font = _BOLD.get(key)
    if font is None:
        font = QFont(base)
        font.setBold(True)
        _BOLD.clear()
        _BOLD[key] = font
    return font


CHANGED_AS_ONE_RANGE = 8  # more changed rows than this are reported as one range


class IncidentRowsModel(QAbstractTableModel):
    """Rows keyed by id, taken from one mapping of the selected incident's state."""

    TICKING_COLUMNS: tuple[int, ...] = ()

    def __init__(
        self, service: IncidentService, now: Callable[[], datetime] | None = None, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._now = now or service.now
        self._incident: str | None = None
        self._state: IncidentState | None = None
        self._ids: list[str] = []
        self._items: dict[str, Any] = {}

    # subclasses say which mapping of the state holds their rows
    def _rows_of(self, state: IncidentState) -> Mapping[str, Any]:
        raise NotImplementedError

    def _on_new_state(self, state: IncidentState) -> None:
        """Hook: the incident's state changed (before rows are compared)."""

    @property
    def incident(self) -> str | None:
        return self._incident

    def set_incident(self, incident: str | None) -> None:
        """Show another incident: its rows replace the old ones (removed, then inserted)."""
        state = self._service.state(incident) if incident is not None else None
        rows = self._rows_of(state) if state is not None else {}
        self._remove_rows(0, len(self._ids))
        self._incident = incident
        self._state = state
        if state is not None:
            self._on_new_state(state)  # before the insert: the views ask for the new rows' data
        self._append_rows(rows)

    def _remove_rows(self, first: int, count: int) -> None:
        if count <= 0:
            return
        self.beginRemoveRows(QModelIndex(), first, first + count - 1)
        for key in self._ids[first:first + count]:
            del self._items[key]
        del self._ids[first:first + count]
        self.endRemoveRows()

    def _append_rows(self, rows: Mapping[str, Any]) -> None:
        if not rows:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._ids.extend(rows)
        self._items.update(rows)
        self.endInsertRows()

    def apply_events(self, events: Sequence[Event]) -> None:
        if self._incident is None or not any(e.incident == self._incident for e in events):
            return
        state = self._service.state(self._incident)
        if state is self._state:
            return
        self._state = state
        self._on_new_state(state)
        rows = self._rows_of(state)
        # Rows that are gone (a review moving back before the alert): removed, not reset, so
        # the selection and the scroll position of the rest stay where they were. One removal
        # per run of neighbouring rows, from the bottom up so the indexes above stay valid.
        for first, count in reversed(_runs([i for i, key in enumerate(self._ids) if key not in rows])):
            self._remove_rows(first, count)
        # Equality, not identity: derived rows (AEDs with their runners) are rebuilt per state.
        changed = [i for i, key in enumerate(self._ids) if rows.get(key) != self._items[key]]
        for i in changed:
            self._items[self._ids[i]] = rows[self._ids[i]]
        self._append_rows({key: row for key, row in rows.items() if key not in self._items})
        last_col = self.columnCount() - 1
        if len(changed) > CHANGED_AS_ONE_RANGE:
            # A jump in a review changes many rows at once: one signal, so a sorted view
            # re-sorts once instead of once per row.
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], last_col))
        else:
            for i in changed:
                self.dataChanged.emit(self.index(i, 0), self.index(i, last_col))

    def tick(self) -> None:
        if not self._ids:
            return
        for col in self.TICKING_COLUMNS:
            self.dataChanged.emit(
                self.index(0, col), self.index(len(self._ids) - 1, col), [Qt.ItemDataRole.DisplayRole]
            )

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, self.columnCount() - 1))

    def row_of(self, key: str) -> int:
        try:
            return self._ids.index(key)
        except ValueError:
            return -1

    def key_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Ascending row indexes as (first, count) runs of neighbours: [2, 3, 7] -> [(2, 2), (7, 1)]."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][0] + runs[-1][1] == i:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((i, 1))
    return runs
