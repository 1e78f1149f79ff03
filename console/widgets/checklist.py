"""The five exclusion criteria of Kwaliteitskader §5.1, each with the engine's live verdict.

The widget only renders an `ExclusionVerdict`; whether a criterion is met is decided by
`service.preview(...)`. Each row carries a `verdict` property ("met", "not_met",
"unknown", "pending") that the style sheet colours and tests read.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from alert_engine.exclusion import CRITERIA, Criterion, ExclusionVerdict, Finding

COLOURS = {"met": "#c62828", "not_met": "#2e7d32", "unknown": "#b26a00", "pending": "#757575"}
SYMBOLS = {"met": "✕", "not_met": "✓", "unknown": "?", "pending": "–"}
_STYLE = "\n".join(
    f'QLabel[verdict="{v}"] {{ color: {c}; }}' for v, c in COLOURS.items()
) + '\nQLabel#symbol { font-weight: bold; font-size: 14pt; }\nQLabel#summary { font-weight: bold; }'


def criterion_title(criterion: Criterion) -> str:
    """The criterion as the Kwaliteitskader names it (literal calls, so lupdate finds them)."""
    if criterion == "infant":
        return QCoreApplication.translate("ExclusionChecklist", "Jonger dan 1 jaar")
    if criterion == "suicide":
        return QCoreApplication.translate("ExclusionChecklist", "(Poging tot) suïcide")
    if criterion == "trauma":
        return QCoreApplication.translate("ExclusionChecklist", "Ernstig (ongevals)trauma")
    if criterion == "motorway":
        return QCoreApplication.translate("ExclusionChecklist", "Risicovolle locatie zoals snelweg")
    return QCoreApplication.translate("ExclusionChecklist", "Mogelijk onveilige situatie")


def verdict_word(met: bool | None) -> str:
    return "unknown" if met is None else ("met" if met else "not_met")


def _set_verdict(label: QLabel, verdict: str) -> None:
    label.setProperty("verdict", verdict)
    label.style().unpolish(label)
    label.style().polish(label)


class ExclusionChecklist(QWidget):
    """Five rows (symbol, criterion, reason) and a one-line summary above them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = "nl"
        self._verdict: ExclusionVerdict | None = None
        self.setStyleSheet(_STYLE)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.symbols: dict[Criterion, QLabel] = {}
        self.titles: dict[Criterion, QLabel] = {}
        self.reasons: dict[Criterion, QLabel] = {}
        for row, criterion in enumerate(CRITERIA):
            symbol, title, reason = QLabel(), QLabel(), QLabel()
            symbol.setObjectName("symbol")
            reason.setWordWrap(True)
            for col, label in enumerate((symbol, title, reason)):
                grid.addWidget(label, row, col)
            self.symbols[criterion], self.titles[criterion], self.reasons[criterion] = symbol, title, reason
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(grid)
        self._render()

    # -- public --------------------------------------------------------------------------
    def show_verdict(self, verdict: ExclusionVerdict | None) -> None:
        """Show the engine's verdict; None means no location yet (nothing to judge)."""
        self._verdict = verdict
        self._render()

    def set_language(self, language: str) -> None:
        """Reason texts in "nl" or "en" (the criterion titles follow the Qt translator)."""
        self._language = "en" if language == "en" else "nl"
        self._render()

    @property
    def verdict(self) -> ExclusionVerdict | None:
        return self._verdict

    def state_of(self, criterion: Criterion) -> str:
        return str(self.symbols[criterion].property("verdict"))

    def reason_text(self, criterion: Criterion) -> str:
        return self.reasons[criterion].text()

    # -- rendering -----------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        v = self._verdict
        for criterion in CRITERIA:
            finding = v.finding(criterion) if v is not None else None
            state = verdict_word(finding.met) if finding is not None else "pending"
            self.titles[criterion].setText(criterion_title(criterion))
            self.symbols[criterion].setText(SYMBOLS[state])
            self.reasons[criterion].setText(self._reason(finding))
            for label in (self.symbols[criterion], self.titles[criterion], self.reasons[criterion]):
                _set_verdict(label, state)
        summary, state = self._summary(v)
        self.summary.setText(summary)
        _set_verdict(self.summary, state)

    def _reason(self, finding: Finding | None) -> str:
        if finding is None:
            return self.tr("Wacht op locatie")
        return finding.reason_en if self._language == "en" else finding.reason_nl

    def _summary(self, v: ExclusionVerdict | None) -> tuple[str, str]:
        if v is None:
            return self.tr("Nog geen locatie: kies een adres of klik op de kaart."), "pending"
        if v.excluded:
            names = ", ".join(criterion_title(c).lower() for c in v.criteria)
            return self.tr("Uitgesloten: {0}. Geen burgerhulpverleners alarmeren.").format(names), "met"
        if v.to_check:
            names = ", ".join(criterion_title(c).lower() for c in v.to_check)
            return self.tr("Niet uitgesloten – controleer: {0}.").format(names), "unknown"
        return self.tr("Geen uitsluitcriterium van toepassing."), "not_met"
