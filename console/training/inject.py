"""The trainer's injection dialogs: pick a responder, or let the caller report new facts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from alert_engine.state import ResponderState

from ..labels import responder_state_labels, role_labels
from ..widgets.facts_form import CallFactsForm


class ResponderPickDialog(QDialog):
    """A list of responders (nearest first); the nearest is preselected."""

    def __init__(self, responders: Sequence[ResponderState], question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OEFENING – inspelen"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(question, self))
        self.list = QListWidget(self)
        roles, states = role_labels(), responder_state_labels()
        for r in responders:
            text = self.tr("{0} · {1} · {2} m · {3} · {4}").format(
                r.id, r.pseudonym or "–", round(r.distance_m), roles.get(r.role, r.role), states.get(r.state, r.state)
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
        if responders:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 380)

    def responder(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None


class CallerFactsDialog(QDialog):
    """The caller's new facts, on the console's own facts form; `changes()` has only what changed."""

    def __init__(self, incident: str, facts: Mapping[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("OEFENING – melder meldt nieuwe feiten"))
        self._before = dict(facts)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Wat meldt de melder nu over {0}?").format(incident), self))
        self.form = CallFactsForm(self)
        self.form.show_facts(facts)
        self._shown = self.form.values()
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        now = self.form.values()
        return {k: v for k, v in now.items() if v != self._shown.get(k)}
