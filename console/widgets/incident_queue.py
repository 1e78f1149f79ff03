"""The incident queue: a table of calls, newest on top, with a badge for unseen ones.

A new call never takes the selection away from the incident being worked: it appears on
top in bold with a pulsing background, and the badge counts it until it is opened.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .. import colours
from ..models.incident_queue import ID_ROLE, PHASE_ROLE, IncidentQueueModel


class OpenIncidentsFilter(QSortFilterProxyModel):
    """Hides closed incidents unless asked to show them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._show_closed = False

    def set_show_closed(self, show: bool) -> None:
        self.beginFilterChange()
        self._show_closed = show
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._show_closed:
            return True
        model = self.sourceModel()
        return bool(model.index(source_row, 0, source_parent).data(PHASE_ROLE) != "closed")


class IncidentQueueView(QWidget):
    incidentSelected = Signal(object)  # str | None

    def __init__(self, model: IncidentQueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = OpenIncidentsFilter(self)
        self.proxy.setSourceModel(model)
        self.proxy.setDynamicSortFilter(True)

        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13px;")
        self.badge = QLabel(self)
        self.badge.setStyleSheet(
            f"background: {colours.ATTENTION}; color: #1d1d1d; font-weight: bold;"
            " border: 1px solid #b7791f; border-radius: 8px; padding: 0 7px;"
        )
        self.badge.hide()
        self.show_closed = QCheckBox(self)
        self.show_closed.toggled.connect(self.proxy.set_show_closed)

        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(IncidentQueueModel.COL_PLACE, QHeaderView.ResizeMode.Stretch)
        model.rowsInserted.connect(lambda *_: self._fit_columns())
        self.table.setStyleSheet(
            "QTableView::item:selected { background: #1f3f75; color: white; }"
        )
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        model.unseenChanged.connect(self._show_badge)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.badge)
        head.addStretch(1)
        head.addWidget(self.show_closed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        self.retranslate()

    # -- public -----------------------------------------------------------------------
    def selected(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else None

    def select(self, incident: str | None) -> None:
        """Select programmatically (emits incidentSelected like a click)."""
        sel = self.table.selectionModel()
        if incident is None:
            sel.clearSelection()
            return
        row = self.model.row_of(incident)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():  # hidden (closed): show closed ones to reach it
            self.show_closed.setChecked(True)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        sel.setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def step(self, delta: int) -> None:
        """Select the incident `delta` rows below (positive) or above the current one."""
        count = self.proxy.rowCount()
        if count == 0:
            return
        rows = self.table.selectionModel().selectedRows()
        current = rows[0].row() if rows else (-1 if delta > 0 else count)
        target = min(max(current + delta, 0), count - 1)
        self.select(str(self.proxy.index(target, 0).data(ID_ROLE)))

    def newest_unseen(self) -> str | None:
        unseen = self.model.unseen
        return next((i for i in self.model.incident_ids() if i in unseen), None)

    def badge_text(self) -> str:
        return self.badge.text() if not self.badge.isHidden() else ""

    # -- internals --------------------------------------------------------------------
    def _fit_columns(self) -> None:
        for col in range(self.model.columnCount()):
            if col != IncidentQueueModel.COL_PLACE:
                self.table.resizeColumnToContents(col)

    def _selection_changed(self, *_: object) -> None:
        self.incidentSelected.emit(self.selected())

    def _show_badge(self, count: int) -> None:
        self.badge.setText(self.tr("%n nieuw", "", count))
        self.badge.setToolTip(self.tr("Nieuwe meldingen die nog niet geopend zijn (Ctrl+G opent de nieuwste)"))
        self.badge.setVisible(count > 0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Meldingen"))
        self.show_closed.setText(self.tr("gesloten tonen"))
        self.model.retranslate()
        self._show_badge(len(self.model.unseen))
