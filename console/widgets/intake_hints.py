"""What the dispatch system said about a call, next to the exclusion checklist (issue 13).

A hint is the dispatch system's words that suggest a criterion (docs/intake.md "Hint, not
decision"): shown with the sentence they came from, so the dispatcher can ask the caller,
and never ticked on the form; the dispatcher confirms the criteria and alerts. The triage
and the dispatch system's notes are shown too, since they are what the call-taker typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from alert_engine.state import IncidentState

from ..labels import intake_source_label
from .checklist import criterion_title

_STYLE = (
    "QFrame#intakeHints { background: #eef6fd; border: 1px solid #9fd3f5; border-radius: 3px; }"
    " QLabel { color: #1d1d1d; }"
)


def hint_html(hint: Mapping[str, Any]) -> str:
    """One hint: the criterion, the words that suggest it, and the sentence they came from."""
    title = escape(criterion_title(hint["criterion"]))
    words = escape(str(hint.get("matched") or ""))
    sentence = escape(str(hint.get("text") or ""))
    denied = QCoreApplication.translate("IntakeHints", " (ontkend in het bericht)") if hint.get("negated") else ""
    said = QCoreApplication.translate("IntakeHints", "woorden")
    return (f"<b>⚠ {title}</b>{escape(denied)} – {escape(said)} "
            f"“{words}”<br/><span style='color:#444'>“{sentence}”</span>")


def _plain(html: str) -> str:
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


class IntakeHints(QFrame):
    """Hidden for a typed call; for one from the dispatch system: source, triage, hints, notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("intakeHints")
        self.setStyleSheet(_STYLE)
        self._state: IncidentState | None = None
        self.title = QLabel(self)
        self.title.setStyleSheet("font-weight: bold;")
        self.triage = QLabel(self)
        self.hints = QLabel(self)
        self.notes = QLabel(self)
        for label in (self.title, self.triage, self.hints, self.notes):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(3)
        for label in (self.title, self.triage, self.hints, self.notes):
            layout.addWidget(label)
        self.hide()

    def show_state(self, state: IncidentState | None) -> None:
        self._state = state
        self._render()

    def hint_texts(self) -> list[str]:
        """The hints as plain text, as the dispatcher reads them (tests)."""
        intake = self._state.intake if self._state is not None else None
        return [_plain(hint_html(h)) for h in intake.hints] if intake else []

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        intake = self._state.intake if self._state is not None else None
        self.setVisible(intake is not None)
        if intake is None:
            return
        number = escape(intake.key.partition(":")[2])
        self.title.setText(self.tr("Uit {0} · {1} · laatste bericht {2}").format(
            intake_source_label(intake.source), number, f"{intake.sent:%H:%M:%S}"))
        t = intake.triage or {}
        code = " ".join(str(t[k]) for k in ("code", "text") if t.get(k))
        # No table row matched (rule "none"): the table has no verdict, the dispatcher decides.
        verdict = (self.tr("de centralist beoordeelt") if t.get("rule") in (None, "", "none") else
                   self.tr("vermoedelijk reanimatie") if t.get("suspected") else
                   self.tr("geen reanimatie volgens de triage"))
        self.triage.setText(self.tr("Triage: {0} – {1}").format(escape(code) or "–", verdict))
        if intake.hints:
            head = self.tr("Aanwijzingen voor een uitsluitcriterium – niet aangevinkt: vraag na en vink zelf aan")
            self.hints.setText(f"<i>{escape(head)}</i><br/>" + "<br/>".join(hint_html(h) for h in intake.hints))
        else:
            self.hints.setText(escape(self.tr("Geen aanwijzingen voor een uitsluitcriterium in het bericht: "
                                              "bevestig de criteria met de melder.")))
        self.notes.setText(escape(self.tr("Notities: {0}").format(" · ".join(intake.notes))))
        self.notes.setVisible(bool(intake.notes))
