"""The training banner: purple and orange stripes with "OEFENING – geen echte meldingen".

Painted, not styled, so no stylesheet of the console underneath can make it look normal.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PURPLE = "#6a1b9a"
ORANGE = "#ff8f00"
DEEP_PURPLE = "#3c0a5c"
STRIPE_PX = 26


class TrainingBanner(QWidget):
    def __init__(self, parent: QWidget | None = None, height: int = 42) -> None:
        super().__init__(parent)
        self.setObjectName("trainingBanner")
        self.setFixedHeight(height)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._text = ""
        self.retranslate()

    def text(self) -> str:
        return self._text

    def retranslate(self) -> None:
        self._text = self.tr("OEFENING – geen echte meldingen")
        self.setToolTip(
            self.tr(
                "Trainingsomgeving: meldingen, hulpverleners en AED's zijn gesimuleerd. "
                "Er gaat geen enkel bericht naar een echte telefoon."
            )
        )
        self.setAccessibleName(self._text)
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        p.fillRect(self.rect(), QColor(PURPLE))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(ORANGE))
        # Diagonal stripes: parallelograms leaning right, every other one orange.
        x = -h
        while x < w + h:
            stripe = QPainterPath()
            stripe.moveTo(QPointF(x, h))
            stripe.lineTo(QPointF(x + h, 0))
            stripe.lineTo(QPointF(x + h + STRIPE_PX, 0))
            stripe.lineTo(QPointF(x + STRIPE_PX, h))
            stripe.closeSubpath()
            p.drawPath(stripe)
            x += 2 * STRIPE_PX
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(max(14, int(h * 0.48)))
        p.setFont(font)
        metrics = p.fontMetrics()
        text_w = metrics.horizontalAdvance(self._text) + 40
        box = QRectF((w - text_w) / 2, 4, text_w, h - 8)
        p.setBrush(QColor(DEEP_PURPLE))
        p.setPen(QPen(QColor("#ffffff"), 2))
        p.drawRoundedRect(box, 6, 6)
        p.setPen(QColor("#ffffff"))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, self._text)
        p.end()
