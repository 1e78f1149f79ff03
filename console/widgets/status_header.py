"""The strip above everything: which incident is open, the DEMO badge, the registry (or the
connection to the centre's service), the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from alert_engine.state import IncidentState

from .. import colours
from ..labels import mode_labels, phase_labels
from ..models.incident_queue import place_text
from ..registry_setup import RegistryInfo

# The strip's background: the usual blue, dark amber while reconnecting, dark red while
# only a standby answers (white text stays readable on all three).
STRIP_BACKGROUND = {"connected": "#1f3f75", "reconnecting": "#8a5300", "read_only": "#7f1d1d"}


class StatusHeader(QFrame):
    def __init__(
        self,
        now: Callable[[], datetime],
        demo: bool,
        registry: RegistryInfo | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._now = now
        self._demo = demo
        self._registry = registry
        self._state: IncidentState | None = None
        self.setObjectName("statusHeader")
        self._paint_strip(None)
        self.app_name = QLabel("Zesminuten", self)
        self.app_name.setStyleSheet("font-size: 16px; font-weight: bold; color: white;")
        self.incident_label = QLabel(self)
        self.incident_label.setStyleSheet("font-size: 14px; font-weight: bold; color: white;")
        # Long addresses must not widen the window: the label gives way and elides.
        self.incident_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.incident_label.setMinimumWidth(120)
        self.demo_badge = QLabel(self)
        self.demo_badge.setStyleSheet(
            f"background: {colours.DEMO_BADGE}; color: #1d1d1d; font-weight: bold;"
            " padding: 2px 8px; border-radius: 3px;"
        )
        self.demo_badge.setVisible(demo)
        # Shown only on the remote backend: whether commands can reach the centre's service.
        self.connection_badge = QLabel(self)
        self.connection_badge.setObjectName("connectionBadge")
        self.connection_badge.setVisible(False)
        self._connection: str | None = None
        self._connection_detail = ""
        self._connection_since: datetime | None = None
        self.registry_label = QLabel(self)
        self.registry_label.setStyleSheet(
            "color: #ffe0a3; font-weight: bold;" if registry and registry.synthetic else "color: #d6e4ff;"
        )
        self.clock = QLabel(self)
        self.clock.setStyleSheet(
            "font-size: 16px; font-weight: bold; color: white; font-family: 'DejaVu Sans Mono', monospace;"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 10, 4)
        row.setSpacing(14)
        row.addWidget(self.app_name)
        row.addWidget(self.incident_label, 1)
        row.addWidget(self.demo_badge)
        row.addWidget(self.connection_badge)
        row.addWidget(self.registry_label)
        row.addWidget(self.clock)
        self.retranslate()
        self.tick()

    def set_state(self, state: IncidentState | None) -> None:
        self._state = state
        self._render()

    def set_connection(self, word: str | None, detail: str = "") -> None:
        """The remote backend's connection state ("connected", "reconnecting", "read_only");
        None on the embedded backend (no badge). `detail`: the nodes, for the tooltip."""
        if word != self._connection:
            # Since when the console is cut off: the dispatcher judges how stale the screen is.
            self._connection_since = self._now() if word not in (None, "connected") else None
        self._connection = word
        self._connection_detail = detail
        self._render_connection()

    def connection_text(self) -> str:
        return self.connection_badge.text() if self.connection_badge.isVisibleTo(self) else ""

    def _paint_strip(self, connection: str | None) -> None:
        # Without a connection the whole strip changes colour: a small badge alone is easy
        # to miss while the dispatcher is talking to a caller.
        background = STRIP_BACKGROUND.get(connection or "connected", STRIP_BACKGROUND["connected"])
        self.setStyleSheet(f"QFrame#statusHeader {{ background: {background}; }} QLabel {{ color: white; }}")

    def _render_connection(self) -> None:
        word = self._connection
        self._paint_strip(word)
        self.connection_badge.setVisible(word is not None)
        if word is None:
            return
        texts = {
            "connected": (self.tr("Meldkamerservice: verbonden"),
                          self.tr("Opdrachten gaan naar de actieve server; alle werkplekken zien hetzelfde.")),
            "reconnecting": (self.tr("Meldkamerservice: opnieuw verbinden…"),
                             self.tr("Geen verbinding met de meldkamerservice. De console probeert het steeds "
                                     "opnieuw; opdrachten staan uit tot de verbinding terug is.")),
            "read_only": (self.tr("Meldkamerservice: alleen-lezen"),
                          self.tr("Alleen een reserve-server antwoordt: meldingen zijn te zien, opdrachten "
                                  "staan uit tot een actieve server antwoordt.")),
        }
        text, why = texts.get(word, (word, ""))
        if self._connection_since is not None:
            text = self.tr("{0} (sinds {1})").format(text, f"{self._connection_since:%H:%M:%S}")
        background, foreground = colours.CONNECTION_BADGE.get(word, ("#777777", "#ffffff"))
        self.connection_badge.setText(text)
        self.connection_badge.setStyleSheet(
            f"background: {background}; color: {foreground}; font-weight: bold; padding: 2px 8px; border-radius: 3px;"
        )
        self.connection_badge.setToolTip("\n".join(t for t in (why, self._connection_detail) if t))

    def tick(self) -> None:
        self.clock.setText(self._now().strftime("%H:%M:%S"))

    def _render(self) -> None:
        s = self._state
        if s is None:
            self.incident_label.setText(self.tr("Geen melding geopend – Ctrl+N voor een nieuwe melding"))
            return
        mode = "" if s.mode == "live" else f"  [{mode_labels().get(s.mode, s.mode)}]"
        self.incident_label.setText(
            self.tr("Melding {0} · {1} · {2}").format(s.id, place_text(s), phase_labels()[s.phase]) + mode
        )

    def _registry_text(self) -> str:
        r = self._registry
        if r is None:
            return ""
        if r.synthetic:
            names = {"denhaag": self.tr("regio Den Haag"), "nl": self.tr("Nederland")}
            region = names.get(r.region, r.region or "?")
            return self.tr("Synthetische registry · {0}").format(region)
        return self.tr("Registry: {0} hulpverleners").format(f"{r.responders:,}".replace(",", "."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.demo_badge.setText(self.tr("DEMO – gesimuleerde hulpverleners"))
        self.demo_badge.setToolTip(
            self.tr("Gesimuleerde burgerhulpverleners beantwoorden de alarmen (start met --no-simulation om dit uit te zetten)")
        )
        self.registry_label.setText(self._registry_text())
        r = self._registry
        if r is not None:
            counts = self.tr("{0} hulpverleners, {1} AED's").format(
                f"{r.responders:,}".replace(",", "."), f"{r.aeds:,}".replace(",", ".")
            )
            lines = [counts, str(r.path)]
            if r.synthetic:
                lines.insert(0, self.tr("Alle hulpverleners en AED's in deze registry zijn synthetisch (geen echte personen)."))
            self.registry_label.setToolTip("\n".join(lines))
        self._render()
        self._render_connection()
