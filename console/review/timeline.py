"""The timeline under the map: one mark per event, coloured by kind, and the scrubber.

Marks sit in lanes (call and ambulance, alert and responders, AEDs, caller instruction)
so a busy minute stays readable; reviewer notes are flags above the lanes. Click or drag
anywhere to move the scrubber; the window does the seeking.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from alert_engine.events import Event
from alert_engine.review.intervals import mmss
from alert_engine.review.report_text import event_colour, event_label

from .player import event_labels

LANES: tuple[tuple[str, frozenset[str]], ...] = (
    ("Melding", frozenset({"call_received", "call_updated", "exclusion_assessed", "exclusion_overridden",
                           "ambulance_dispatched", "ambulance_arrived", "alert_refused", "alarm_cancelled",
                           "incident_closed",
                           # issue 13: the dispatch system's messages, the ambulance's status and ETA
                           "intake_received", "intake_silent", "ambulance_status_changed", "ambulance_eta_changed"})),
    ("Hulpverleners", frozenset({"alert_sent", "responder_accepted", "responder_declined", "responder_timed_out",
                                 "responder_arrived", "cancellation_sent", "oversupply", "oversupply_feedback",
                                 "coordinator_assigned"})),
    ("AED", frozenset({"aed_fetched", "aed_connected", "aed_check_requested", "aed_ready_confirmed"})),
    ("Instructie", frozenset({"caller_instruction_changed"})),
)


def lane_text(name: str) -> str:
    """The lane's name in the interface language (painted each time: follows a switch)."""
    return {
        "Melding": QCoreApplication.translate("Timeline", "Melding"),
        "Hulpverleners": QCoreApplication.translate("Timeline", "Hulpverleners"),
        "AED": QCoreApplication.translate("Timeline", "AED"),
        "Instructie": QCoreApplication.translate("Timeline", "Instructie"),
    }[name]


LABEL_W = 84
AXIS_H = 16
NOTE_H = 12
LANE_H = 15


def lane_of(kind: str) -> int:
    for i, (_, kinds) in enumerate(LANES):
        if kind in kinds:
            return i
    return 0


class TimelineWidget(QWidget):
    """Paints the incident's events between `start` and `end`; emits `scrubbed(datetime)`."""

    scrubbed = Signal(object)  # datetime

    def __init__(self, events: Sequence[Event], start: datetime, end: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._events = list(events)
        self._start = start
        self._end = max(end, start + timedelta(seconds=60))
        self._now = start
        self._notes: list[tuple[datetime, str]] = []
        self._background: QPixmap | None = None  # everything but the cursor, redrawn on resize
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setToolTip("")

    def sizeHint(self) -> QSize:
        return QSize(600, NOTE_H + LANE_H * len(LANES) + AXIS_H + 6)

    # -- state --------------------------------------------------------------------------
    @property
    def start(self) -> datetime:
        return self._start

    @property
    def end(self) -> datetime:
        return self._end

    def set_now(self, t: datetime) -> None:
        if t != self._now:
            self._now = t
            self.update()

    def set_notes(self, notes: Sequence[tuple[datetime, str]]) -> None:
        self._notes = list(notes)
        self._background = None
        self.update()

    # -- geometry -----------------------------------------------------------------------
    def _span(self) -> float:
        return max(1.0, (self._end - self._start).total_seconds())

    def x_of(self, t: datetime) -> float:
        width = max(1, self.width() - LABEL_W - 8)
        return LABEL_W + width * min(max((t - self._start).total_seconds(), 0.0), self._span()) / self._span()

    def time_at(self, x: float) -> datetime:
        width = max(1, self.width() - LABEL_W - 8)
        fraction = min(max((x - LABEL_W) / width, 0.0), 1.0)
        return self._start + timedelta(seconds=round(fraction * self._span(), 1))

    # -- painting -----------------------------------------------------------------------
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._background = None
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """The marks are drawn once into a pixmap; a seek only moves the cursor over it."""
        ratio = self.devicePixelRatioF()
        if self._background is None or self._background.size() != self.size() * ratio:
            self._background = QPixmap(self.size() * ratio)
            self._background.setDevicePixelRatio(ratio)
            painter = QPainter(self._background)
            self._paint_marks(painter)
            painter.end()
        p = QPainter(self)
        p.drawPixmap(0, 0, self._background)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        xc = self.x_of(self._now)
        p.setPen(QPen(QColor("#d0021b"), 2))
        p.drawLine(QPointF(xc, 0), QPointF(xc, NOTE_H + LANE_H * len(LANES)))
        p.setBrush(QColor("#d0021b"))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawPolygon(QPolygonF([QPointF(xc - 5, 0), QPointF(xc + 5, 0), QPointF(xc, 6)]))
        p.end()

    def _paint_marks(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), QColor("#ffffff"))
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, small.pointSizeF() - 2))
        p.setFont(small)
        right = self.width() - 8
        top = NOTE_H
        # lanes
        for i, (name, _) in enumerate(LANES):
            y = top + i * LANE_H
            p.fillRect(QRectF(LABEL_W, y, right - LABEL_W, LANE_H - 1), QColor("#f4f6f9" if i % 2 == 0 else "#eceff4"))
            p.setPen(QColor("#4a4a4a"))
            p.drawText(QRectF(2, y, LABEL_W - 6, LANE_H), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       lane_text(name))
        # the six-minute zone from the call
        six = self._start + timedelta(seconds=360)
        if six < self._end:
            x6 = self.x_of(six)
            p.setPen(QPen(QColor("#1a7f37"), 1, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x6, top), QPointF(x6, top + LANE_H * len(LANES)))
        # axis: minutes since the first event
        axis_y = top + LANE_H * len(LANES)
        p.setPen(QColor("#777777"))
        minutes = int(self._span() // 60)
        step = 1 if minutes <= 15 else 2 if minutes <= 30 else 5 if minutes <= 75 else 10
        for m in range(0, minutes + 1, step):
            x = self.x_of(self._start + timedelta(minutes=m))
            p.drawLine(QPointF(x, axis_y), QPointF(x, axis_y + 3))
            p.drawText(QRectF(x - 20, axis_y + 2, 40, AXIS_H - 2), Qt.AlignmentFlag.AlignCenter, f"{m}′")
        # event marks (same x and lane drawn once per colour)
        drawn: set[tuple[int, int, str]] = set()
        for e in self._events:
            lane = lane_of(e.type)
            x = self.x_of(e.time)
            colour = event_colour(e.type)
            key = (round(x), lane, colour)
            if key in drawn:
                continue
            drawn.add(key)
            y = top + lane * LANE_H
            p.setPen(QPen(QColor(colour), 2.2 if e.type in ("alert_sent", "aed_connected", "call_received") else 1.6))
            p.drawLine(QPointF(x, y + 2), QPointF(x, y + LANE_H - 3))
        # reviewer notes: small flags (one per pixel column is enough)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#1f3f75"))
        for x in sorted({round(self.x_of(t)) for t, _ in self._notes}):
            p.drawPolygon(QPolygonF([QPointF(x, 1), QPointF(x + 7, 4), QPointF(x, 7)]))
            p.fillRect(QRectF(x - 0.5, 1, 1.2, NOTE_H - 2), QColor("#1f3f75"))

    # -- interaction --------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.scrubbed.emit(self.time_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        x = event.position().x()
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.scrubbed.emit(self.time_at(x))
            return
        near = [e for e in self._events if abs(self.x_of(e.time) - x) <= 3]
        if near:
            t0 = self._start
            names = event_labels()  # in the interface language (the engine's are Dutch only)
            lines = [f"T+{mmss((e.time - t0).total_seconds())}  {names.get(e.type) or event_label(e.type)}"
                     for e in near[:8]]
            if len(near) > 8:
                lines.append(f"… en nog {len(near) - 8}")
            QToolTip.showText(event.globalPosition().toPoint(), "\n".join(lines), self)
        else:
            QToolTip.hideText()
