"""Reviewer notes: the panel that lists and takes them, and `ReviewNotes`, which records them.

A note is attached to the scrubber's moment and goes to the source's note sink (the event
store through the engine, or a separate note store next to a file); the history itself
never changes. Notes show in the panel and as marks on the timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from alert_engine.errors import EngineError
from alert_engine.events import Event
from alert_engine.review.access_log import ReviewSession
from alert_engine.review.intervals import mmss
from alert_engine.review.source import ReviewSource

from ..funnel import MessageFunnel
from .timeline import TimelineWidget


class NotesPanel(QFrame):
    """Reviewer notes: listed by moment; a new one is attached to the scrubber's moment."""

    addRequested = Signal(str)
    noteClicked = Signal(object)  # datetime

    def __init__(self, kind: str = "file", parent: QWidget | None = None) -> None:
        """`kind`: "store" (notes go into the event store) or a file's note store."""
        super().__init__(parent)
        self._kind = kind
        self._moment = ""
        self._notes: list[tuple[Event, datetime]] = []
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13px;")
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._clicked)
        self.edit = QLineEdit(self)
        self.edit.returnPressed.connect(self._add)
        self.add_button = QPushButton(self)
        self.add_button.clicked.connect(self._add)
        self.edit.textChanged.connect(lambda text: self.add_button.setEnabled(bool(text.strip())))
        self.add_button.setEnabled(False)
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555; font-size: 11px;")
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.hint)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Notitie bij dit moment …"))
        self.hint.setText(
            self.tr("Notities komen in de gebeurtenissenopslag (via de engine); de geschiedenis zelf verandert niet.")
            if self._kind == "store"
            else self.tr("Notities komen in een aparte notitie-opslag; het bestand zelf verandert niet.")
        )
        self.set_moment(self._moment)
        self._render_notes()

    def set_moment(self, relative: str) -> None:
        self._moment = relative
        self.add_button.setText(self.tr("Toevoegen bij {0}").format(relative) if relative else self.tr("Toevoegen"))

    def set_notes(self, notes: Sequence[Event], t0: datetime) -> None:
        self._notes = [(e, t0) for e in sorted(notes, key=lambda n: str(n.get("at", "")))]
        self._render_notes()

    def _render_notes(self) -> None:
        self.list.clear()
        for e, t0 in self._notes:
            at = note_moment(e)
            when = f"T+{mmss((at - t0).total_seconds())}" if at else "?"
            item = QListWidgetItem(f"{when} · {e['author']}: {e['text']}")
            item.setData(Qt.ItemDataRole.UserRole, at)
            item.setToolTip(self.tr("geschreven {0}").format(f"{e.time:%d-%m-%Y %H:%M}"))
            self.list.addItem(item)
        self.title.setText(self.tr("Notities ({0})").format(self.list.count()))

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _add(self) -> None:
        text = self.edit.text().strip()
        if text:
            self.addRequested.emit(text)
            self.edit.clear()

    def _clicked(self, item: QListWidgetItem) -> None:
        at = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(at, datetime):
            self.noteClicked.emit(at)


def note_moment(e: Event) -> datetime | None:
    try:
        return datetime.fromisoformat(str(e["at"]))
    except ValueError:
        return None


class ReviewNotes(QObject):
    """Adds a note at the replay's moment (logged in the access log) and shows them all."""

    def __init__(
        self,
        source: ReviewSource,
        session: ReviewSession,
        now: Callable[[], datetime],
        t0: datetime,
        panel: NotesPanel,
        timeline: TimelineWidget,
        funnel: MessageFunnel,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.session = session
        self._now = now
        self._t0 = t0
        self.panel = panel
        self.timeline = timeline
        self.funnel = funnel
        panel.addRequested.connect(self.add)

    def add(self, text: str) -> Event | None:
        """A reviewer note at the scrubber's moment (never changes the history itself)."""
        at = self._now()
        try:
            event = self.source.notes.add(self.session.who, text, at)
        except EngineError as exc:
            self.funnel.report(exc)
            return None
        self.session.record("annotate", {"at": at.isoformat()})
        self.refresh()
        self.funnel.info(self.tr("Notitie vastgelegd bij T+{0}.").format(mmss((at - self._t0).total_seconds())))
        return event

    def refresh(self) -> None:
        notes = self.source.annotations()
        self.panel.set_notes(notes, self._t0)
        self.timeline.set_notes([(m, str(n["text"])) for n in notes if (m := note_moment(n)) is not None])
