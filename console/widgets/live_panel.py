"""The live panel: counters against the target, the chart, the oversupply notice and the
responder and AED tables of the selected incident."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from alert_engine.api.commands import OversupplyFeedback
from alert_engine.errors import EngineError
from alert_engine.events import Event
from alert_engine.service import IncidentService
from alert_engine.state import IncidentState
from alert_engine.views.arrival import ambulance_eta, arrivals

from ..funnel import MessageFunnel
from ..labels import responder_state_labels, role_labels
from ..models.aeds import AedTableModel
from ..models.counters import Counters
from ..models.incident_rows import ID_ROLE, SORT_ROLE, IncidentRowsModel, bold
from ..models.responders import ResponderTableModel
from .counter_tile import CounterTile
from .live_chart import LiveChart

FEEDBACK_NOTE = "Meer first responders ter plaatse dan verwacht"


def countdown(seconds: float) -> str:
    """"04:12" for what is still to come, "+00:35" once the moment has passed."""
    whole = int(abs(seconds) + (0.999 if seconds > 0 else 0))
    return ("+" if seconds < 0 else "") + f"{whole // 60:02d}:{whole % 60:02d}"


def fit_columns(view: QTableView, samples: dict[int, str]) -> None:
    """Size columns for the widest text they will hold (bold), not for what they hold now,
    so a row turning bold or "geaccepteerd" never truncates; the last column stretches."""
    metrics = QFontMetrics(bold())
    header = view.horizontalHeader()
    model = view.model()
    for col, sample in samples.items():
        title = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        width = max(metrics.horizontalAdvance(sample), header.fontMetrics().horizontalAdvance(title))
        view.setColumnWidth(col, width + 14)


def _table(model: IncidentRowsModel, parent: QWidget, sort: bool) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(True)
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    # Fixed widths (see fit_columns): ResizeToContents would measure every cell on each
    # update, thousands of data() calls a second in a busy alarm.
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setWordWrap(False)
    if sort:
        # Coming first, then there, then waiting; by ETA or distance within each.
        proxy.sort(0, Qt.SortOrder.AscendingOrder)
    return view, proxy


class LivePanel(QWidget):
    responderSelected = Signal(str)
    aedSelected = Signal(str)

    def __init__(
        self,
        service: IncidentService,
        funnel: MessageFunnel,
        responders: ResponderTableModel,
        aeds: AedTableModel,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._funnel = funnel
        self._now = now or service.now
        self.responder_model = responders
        self.aed_model = aeds
        self._incident: str | None = None
        self._state: IncidentState | None = None
        self._writable = True  # False while the centre's service cannot take commands
        self.counters = Counters.of(None, service.config)

        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13px;")
        # Issue 13: the first ambulance's ETA counting down, next to the first responder's.
        self.ambulance_label = QLabel(self)
        self.ambulance_label.setObjectName("ambulanceEta")
        self.ambulance_label.setStyleSheet("QLabel#ambulanceEta { color: #1a3e6e; font-weight: bold; }")
        self.ambulance_label.setWordWrap(True)  # with the first responder's arrival it is two lines in 460 px
        self.ambulance_label.hide()
        self.tiles = {
            name: CounterTile(self, big=name in ("accepted", "runners", "aeds"))
            for name in (
                "accepted", "runners", "aeds",
                "alerted", "arrived", "declined",
                "timed_out", "cancelled", "oversupply",
            )
        }  # fmt: skip
        grid = QGridLayout()
        grid.setSpacing(4)
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, i // 3, i % 3)

        self.chart = LiveChart(self._now, service.config.target_responders, self)
        self.chart.setMinimumHeight(130)
        self.chart.setMaximumHeight(190)

        self.oversupply_box = QFrame(self)
        self.oversupply_box.setObjectName("oversupply")
        self.oversupply_box.setStyleSheet(
            "QFrame#oversupply { background: #f3e8fb; border: 1px solid #8e44ad;"
            " border-left: 6px solid #8e44ad; border-radius: 3px; }"
        )
        self.oversupply_label = QLabel(self.oversupply_box)
        self.oversupply_label.setWordWrap(True)
        self.oversupply_label.setStyleSheet("font-weight: bold; color: #3b1450;")
        self.feedback_button = QPushButton(self.oversupply_box)
        self.feedback_button.clicked.connect(self.send_oversupply_feedback)
        box = QVBoxLayout(self.oversupply_box)
        box.setContentsMargins(8, 4, 6, 4)
        box.addWidget(self.oversupply_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.feedback_button)
        box.addLayout(row)
        self.oversupply_box.hide()

        self.responder_view, self.responder_proxy = _table(responders, self, sort=True)
        self.aed_view, self.aed_proxy = _table(aeds, self, sort=True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.responder_view, "")
        self.tabs.addTab(self.aed_view, "")
        self.responder_view.selectionModel().selectionChanged.connect(
            lambda *_: self._emit_selected(self.responder_view, self.responderSelected)
        )
        self.aed_view.selectionModel().selectionChanged.connect(
            lambda *_: self._emit_selected(self.aed_view, self.aedSelected)
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(5)
        layout.addWidget(self.title)
        layout.addWidget(self.ambulance_label)
        layout.addLayout(grid)
        layout.addWidget(self.chart)
        layout.addWidget(self.oversupply_box)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self._render()

    # -- public -----------------------------------------------------------------------
    def set_incident(self, incident: str | None) -> None:
        self._incident = incident
        self._state = self._service.state(incident) if incident is not None else None
        self._render()

    def on_events(self, events: Sequence[Event]) -> None:
        if self._incident is not None and any(e.incident == self._incident for e in events):
            self._state = self._service.state(self._incident)
            self._render()

    def tick(self) -> None:
        self.chart.tick()
        self._render_ambulance()

    def focus_responder(self, responder: str) -> bool:
        return self._focus(self.responder_view, self.responder_proxy, self.responder_model, responder, 0)

    def focus_aed(self, aed: str) -> bool:
        return self._focus(self.aed_view, self.aed_proxy, self.aed_model, aed, 1)

    def set_writable(self, writable: bool) -> None:
        self._writable = writable
        self._render()

    def counter_text(self, name: str) -> str:
        return self.tiles[name].value.text()

    def send_oversupply_feedback(self) -> None:
        if self._incident is None:
            return
        try:
            self._service.execute(OversupplyFeedback(self._incident, FEEDBACK_NOTE))
        except EngineError as exc:
            self._funnel.report(exc)
            return
        self._funnel.info(self.tr("Terugkoppeling overaanbod vastgelegd voor melding {0}.").format(self._incident))

    # -- rendering --------------------------------------------------------------------
    def _render(self) -> None:
        c = self.counters = Counters.of(self._state, self._service.config)
        s = self._state
        alerted = s is not None and s.alert_time is not None
        test = s is not None and s.mode == "test"
        # A finished incident's counts are its outcome: shown neutrally, never as a failure.
        finished = s is not None and (s.closed_at is not None or s.alarm_cancelled_at is not None)
        t = self.tiles
        # A test alarm has no target: its tiles would only ever show a "failure".
        t["runners"].setVisible(not test)
        t["aeds"].setVisible(not test)
        if not alerted:
            for tile in t.values():
                tile.set_value("–")
        elif test:
            t["accepted"].set_value(str(c.accepted))
        else:
            def judged(met: bool) -> bool | None:
                return None if finished else met

            t["accepted"].set_value(f"{c.accepted}/{c.target_responders}", judged(c.responders_met))
            t["runners"].set_value(f"{c.accepted_runners}/{c.target_runners}", judged(c.runners_met))
            t["aeds"].set_value(f"{c.aeds_coming}/{c.target_aeds}", judged(c.aeds_met))
        if alerted:
            t["alerted"].set_value(str(c.alerted))
            t["arrived"].set_value(str(c.arrived), True if c.arrived and not finished else None)
            t["declined"].set_value(str(c.declined))
            t["timed_out"].set_value(str(c.timed_out))
            t["cancelled"].set_value(str(c.cancelled))
            t["oversupply"].set_value(str(c.oversupply))
        self.chart.set_state(self._state)
        self._render_ambulance()
        self._render_oversupply(c)
        self._render_tab_titles()
        if not self._incident:
            title = self.tr("Live – geen melding geselecteerd")
        elif s is not None and s.closed_at is not None:
            title = self.tr("Melding {0} – afgesloten om {1}").format(self._incident, f"{s.closed_at:%H:%M:%S}")
        elif s is not None and s.alarm_cancelled_at is not None:
            title = self.tr("Melding {0} – alarm ingetrokken om {1}").format(
                self._incident, f"{s.alarm_cancelled_at:%H:%M:%S}"
            )
        elif test:
            title = self.tr("Proefalarm {0} – geen doel, geen ambulance").format(self._incident)
        else:
            title = self.tr("Live – melding {0}").format(self._incident)
        if self.title.text() != title:
            self.title.setText(title)

    def _render_ambulance(self) -> None:
        s = self._state
        eta = ambulance_eta(s) if s is not None and s.is_open and s.mode != "test" else None
        if s is None or eta is None:
            self.ambulance_label.setVisible(False)
            return
        now = self._now()
        if s.ambulance_arrived_at is not None:
            text = self.tr("Ambulance ter plaatse om {0}").format(f"{s.ambulance_arrived_at:%H:%M:%S}")
        else:
            unit = min((u for u in s.units.values() if u.eta == eta), key=lambda u: u.id)
            text = self.tr("Ambulance {0}: over {1} (ETA {2})").format(
                unit.id, countdown((eta - now).total_seconds()), f"{eta.astimezone(now.tzinfo):%H:%M:%S}")
            coming = [a.expected_at for rid, a in arrivals(s, self._service.config).items()
                      if s.responders[rid].state == "accepted"]
            if coming:
                text += " · " + self.tr("eerste hulpverlener over {0}").format(
                    countdown((min(coming) - now).total_seconds()))
        if self.ambulance_label.text() != text:  # a repaint only when the second changed
            self.ambulance_label.setText(text)
        self.ambulance_label.setVisible(True)

    def _render_oversupply(self, c: Counters) -> None:
        self.oversupply_box.setVisible(c.show_oversupply_notice)
        if not c.show_oversupply_notice or c.target_met_at is None:
            return
        self.oversupply_label.setText(
            self.tr("Doel bereikt om {0} – {1} hulpverleners geannuleerd; {2} te late aanmeldingen (overaanbod)").format(
                c.target_met_at.strftime("%H:%M:%S"), c.cancelled, c.oversupply
            )
        )
        if c.feedback_sent:
            self.feedback_button.setText(self.tr("✓ Terugkoppeling verzonden"))
            self.feedback_button.setEnabled(False)
        else:
            self.feedback_button.setText(self.tr("Meer first responders ter plaatse dan verwacht"))
            self.feedback_button.setEnabled(self._writable)
        self.feedback_button.setToolTip(
            self.tr("Legt vast dat er meer first responders ter plaatse waren dan verwacht (terugkoppeling aan de first-responderorganisatie)")
        )

    def _render_tab_titles(self) -> None:
        titles = (
            self.tr("Hulpverleners ({0})").format(self.responder_model.rowCount()),
            self.tr("AED's ({0})").format(self.aed_model.rowCount()),
        )
        for tab, title in enumerate(titles):
            # QTabWidget.setTabText lays the whole tab widget out again and repaints it
            # (tables included), even for the same text: only when the count changed.
            if self.tabs.tabText(tab) != title:
                self.tabs.setTabText(tab, title)

    def _emit_selected(self, view: QTableView, signal: SignalInstance) -> None:
        rows = view.selectionModel().selectedRows()
        if rows:
            signal.emit(str(rows[0].data(ID_ROLE)))

    def _focus(
        self, view: QTableView, proxy: QSortFilterProxyModel, model: IncidentRowsModel, key: str, tab: int
    ) -> bool:
        row = model.row_of(key)
        if row < 0:
            return False
        self.tabs.setCurrentIndex(tab)
        index = proxy.mapFromSource(model.index(row, 0))
        view.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        view.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        view.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def selected_responder(self) -> str | None:
        rows = self.responder_view.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else None

    def selected_aed(self) -> str | None:
        rows = self.aed_view.selectionModel().selectedRows()
        return str(rows[0].data(ID_ROLE)) if rows else None

    # -- language ---------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._render()
        super().changeEvent(event)

    def retranslate(self) -> None:
        captions = {
            "accepted": self.tr("Geaccepteerd"),
            "runners": self.tr("waarvan AED-lopers"),
            "aeds": self.tr("AED's onderweg"),
            "alerted": self.tr("Gealarmeerd"),
            "arrived": self.tr("Ter plaatse"),
            "declined": self.tr("Afgewezen"),
            "timed_out": self.tr("Geen reactie"),
            "cancelled": self.tr("Geannuleerd"),
            "oversupply": self.tr("Overaanbod"),
        }
        tips = {
            "accepted": self.tr("Hulpverleners die komen of er zijn, tegen het doel (Kwaliteitskader: 5)"),
            "runners": self.tr("Geaccepteerde hulpverleners die eerst een AED halen, tegen het doel (2)"),
            "aeds": self.tr("AED's waarvan een loper onderweg is of die al opgehaald zijn, tegen het doel (2)"),
            "cancelled": self.tr("Hulpverleners die een annulering kregen"),
            "oversupply": self.tr("Aanmeldingen na het bereiken van het doel of na annulering"),
        }
        for name, tile in self.tiles.items():
            tile.set_caption(captions[name])
            tile.setToolTip(tips.get(name, ""))
        self.responder_model.retranslate()
        self.aed_model.retranslate()
        self._render_tab_titles()
        self._fit_columns()

    def _fit_columns(self) -> None:
        r, a = self.responder_model, self.aed_model
        fit_columns(self.responder_view, {
            r.COL_NAME: "BHV-0000000",
            r.COL_ROLE: max(role_labels().values(), key=len),
            r.COL_STATE: max(responder_state_labels().values(), key=len),
            r.COL_DISTANCE: "9.999 m",
            r.COL_ETA: max("00:00", r.late_text(), key=len),
        })
        runners, states = a.width_samples()
        fit_columns(self.aed_view, {
            a.COL_ID: "AED00000",
            a.COL_RUNNERS: runners,
            a.COL_STATE: states,
            a.COL_ETA: "00:00",
        })  # fmt: skip
        # Who brings it and its state must stay readable in the default 460 px: the
        # location takes what is left (its distance comes first, so eliding keeps it).
        header = self.aed_view.horizontalHeader()
        header.setStretchLastSection(False)
        # Fixed, so the header never squeezes them to make room (seen when the panel was
        # laid out narrow first): only the location gives way.
        for col in (a.COL_ID, a.COL_RUNNERS, a.COL_STATE, a.COL_ETA):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(a.COL_DESCRIPTION, QHeaderView.ResizeMode.Stretch)
