"""Overruling a standing exclusion: only with a written reason, which the engine records."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from alert_engine.api.commands import OverrideExclusion
from alert_engine.service import IncidentService

from ..funnel import MessageFunnel
from .confirm import AskReason, ask_reason
from .engine_link import attempt


class OverrideSection(QWidget):
    """"Uitsluiting overrulen…" while the incident's exclusion stands; the reason once recorded."""

    def __init__(
        self,
        service: IncidentService,
        funnel: MessageFunnel,
        parent: QWidget | None = None,
        *,
        reason_asker: AskReason = ask_reason,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._funnel = funnel
        self._ask = reason_asker
        self._incident: str | None = None
        self._writable = True  # False while the centre's service cannot take commands
        self.button = QPushButton()
        self.reason_label = QLabel()
        self.reason_label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        layout.addWidget(self.reason_label, 1)
        self.button.clicked.connect(self.override)
        self._retranslate()

    def _retranslate(self) -> None:
        self.button.setText(self.tr("Uitsluiting o&verrulen…"))
        self.button.setToolTip(
            self.tr("Toch burgerhulpverleners laten alarmeren ondanks een uitsluitcriterium (reden verplicht).")
        )
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def set_incident(self, incident: str | None) -> None:
        self._incident = incident
        self.refresh()

    def set_writable(self, writable: bool) -> None:
        self._writable = writable
        self.refresh()

    def refresh(self) -> None:
        """Re-read the incident: the button only while the exclusion stands and the call is open."""
        state = None
        if self._incident is not None:
            state = attempt(self._funnel, self._service.state, self._incident)
        stands = state is not None and state.exclusion_stands and state.is_open
        self.button.setVisible(stands)
        self.button.setEnabled(stands and self._writable)
        if state is not None and state.override_reason:
            when = f"{state.overridden_at:%H:%M:%S}" if state.overridden_at else ""
            self.reason_label.setText(self.tr("Uitsluiting overruled om {0}: {1}").format(when, state.override_reason))
        else:
            self.reason_label.clear()
        self.setVisible(stands or bool(self.reason_label.text()))

    @Slot()
    def override(self) -> None:
        incident = self._incident
        if incident is None:
            return
        try:
            reason = self._ask(
                self,
                self.tr("Uitsluiting overrulen"),
                self.tr(
                    "Er geldt een uitsluitcriterium voor melding {0}. Waarom moeten er toch "
                    "burgerhulpverleners gealarmeerd worden? De reden wordt vastgelegd."
                ).format(incident),
            )
        except Exception as exc:
            self._funnel.report(exc)
            return
        if reason is None:
            return  # cancelled
        if not reason.strip():
            self._funnel.warning(self.tr("Overrulen kan alleen met een geschreven reden."))
            return
        attempt(self._funnel, self._service.execute, OverrideExclusion(incident, reason.strip()))
        self.refresh()
