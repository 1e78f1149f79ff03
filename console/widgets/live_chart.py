"""Cumulative accepts and arrivals since the alert: one plot, two curves, setData only."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import QWidget

from alert_engine.state import IncidentState

from .. import colours
from ..models.counters import cumulative_curves

MAX_HZ = 10


class LiveChart(pg.PlotWidget):
    """Redraws at most ten times a second, and only when its data changed."""

    def __init__(
        self, now: Callable[[], datetime], target: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, background="w")
        self._now = now
        self._state: IncidentState | None = None
        self._dirty = False
        self._ranges: tuple[float, float] | None = None
        self.redraws = 0
        item = self.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setMenuEnabled(False)
        item.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        self._legend = item.addLegend(offset=(-6, 4), labelTextSize="8pt")
        self.accepts = item.plot([], [], pen=pg.mkPen(colours.RESPONDER_STATE_COLOUR["accepted"], width=2.5))
        self.arrivals = item.plot([], [], pen=pg.mkPen(colours.RESPONDER_STATE_COLOUR["arrived"], width=2.5,
                                                       style=pg.QtCore.Qt.PenStyle.DashLine))
        self.target = pg.InfiniteLine(pos=target, angle=0, pen=pg.mkPen(colours.NOT_MET, width=1,
                                                                       style=pg.QtCore.Qt.PenStyle.DotLine))
        item.addItem(self.target)
        item.setYRange(0, target + 2, padding=0)
        item.setXRange(0, 120, padding=0)
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // MAX_HZ)
        self._timer.timeout.connect(self._redraw_if_dirty)
        self._timer.start()
        self.retranslate()

    def set_state(self, state: IncidentState | None) -> None:
        self._state = state
        self._dirty = True

    def tick(self) -> None:
        """Time passed: the curves extend to now."""
        if self._state is not None and self._state.alert_time is not None:
            self._dirty = True

    def _redraw_if_dirty(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        ax, ay, rx, ry = cumulative_curves(self._state, self._now())
        self.accepts.setData(ax, ay, skipFiniteCheck=True)
        self.arrivals.setData(rx, ry, skipFiniteCheck=True)
        top = max([*ay, *ry, float(self.target.value())], default=0.0)
        right = max([*ax, *rx], default=0.0)
        # The first minutes matter most: start narrow and widen as the alarm runs, in whole
        # minutes. A new range makes pyqtgraph lay out and redraw both axes (ticks, labels,
        # grid): once a minute, not on every redraw as the curves reach "now".
        ranges = (top + 2, max(120.0, 60.0 * math.ceil(right * 1.05 / 60.0)))
        if ranges != self._ranges:
            self._ranges = ranges
            item = self.getPlotItem()
            item.setYRange(0, ranges[0], padding=0)
            item.setXRange(0, ranges[1], padding=0)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        item = self.getPlotItem()
        item.setLabel("bottom", self.tr("seconden sinds alarm"))
        self._legend.clear()
        self._legend.addItem(self.accepts, self.tr("geaccepteerd"))
        self._legend.addItem(self.arrivals, self.tr("ter plaatse"))
