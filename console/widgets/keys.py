"""Console shortcuts that must work while a text field has the focus.

A focused QLineEdit claims the platform's standard editing keys before any shortcut
sees them: on GNOME and KDE desktops Ctrl+Shift+A is "Deselect", so the alert key would
do nothing right after typing in a field. This filter declines the console's keys on the
fields' behalf, so the shortcut fires whatever the platform's key bindings are.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QWidget


class ShortcutKeysFirst(QObject):
    """Event filter: the given key combinations go to the shortcuts, not to the text field."""

    def __init__(self, keys: Iterable[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = {QKeySequence(k).toString() for k in keys}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            return QKeySequence(event.keyCombination()).toString() in self._keys  # True: the field never sees it
        return False

    def install_on(self, root: QWidget) -> None:
        """Install on every text field (and spin box) inside `root`."""
        for field in (*root.findChildren(QLineEdit), *root.findChildren(QAbstractSpinBox)):
            field.installEventFilter(self)
