"""Where the call is: address search over the offline gazetteer, coordinates, or a map click."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel, Signal, Slot
from PySide6.QtWidgets import QCompleter, QFormLayout, QLabel, QLineEdit, QWidget

from alert_engine.gazetteer import Gazetteer, Place, parse_coordinates

from ..funnel import MessageFunnel

SUGGESTIONS = 10


def format_point(lat: float, lon: float) -> str:
    return f"{lat:.5f}, {lon:.5f}"


class LocationBox(QWidget):
    """Address line with suggestions (Enter takes the first), a coordinates line and a hint.

    `location` is the point the call will be placed at; it changes only by picking a
    suggestion, typing coordinates or `set_location` (a map click), never by typing alone.
    """

    locationChanged = Signal()

    def __init__(self, gazetteer: Gazetteer, funnel: MessageFunnel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gazetteer = gazetteer
        self._funnel = funnel
        self._hits: list[Place] = []
        self._location: tuple[float, float] | None = None
        self._label = ""

        self.address_edit = QLineEdit()
        self.address_edit.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        self.completer = QCompleter(self._model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(SUGGESTIONS)
        self.address_edit.setCompleter(self.completer)
        self.coords_edit = QLineEdit()
        self.address_label, self.coords_label = QLabel(), QLabel()
        self.address_label.setBuddy(self.address_edit)
        self.coords_label.setBuddy(self.coords_edit)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.setStyleSheet('QLineEdit[invalid="true"] { border: 2px solid #c62828; }')

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.address_label, self.address_edit)
        form.addRow(self.coords_label, self.coords_edit)
        form.addRow("", self.hint)

        self.address_edit.textEdited.connect(self._suggest)
        self.address_edit.returnPressed.connect(self.pick_first)
        self.completer.activated[str].connect(self._pick_text)  # type: ignore[index]
        self.coords_edit.editingFinished.connect(self._coords_typed)
        self._retranslate()

    def _retranslate(self) -> None:
        self.address_label.setText(self.tr("&Adres / locatie"))
        self.coords_label.setText(self.tr("&Coördinaten"))
        self.address_edit.setPlaceholderText(self.tr("Adres, straat, postcode, plaats of coördinaten"))
        self.coords_edit.setPlaceholderText(self.tr("bijv. 52,0601 4,4932"))
        self._show_hint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- public --------------------------------------------------------------------------
    @property
    def location(self) -> tuple[float, float] | None:
        return self._location

    @property
    def address(self) -> str:
        """What the dispatcher sees in the address line (with a house number typed), else the place."""
        return self.address_edit.text().strip() or self._label

    @property
    def suggestions(self) -> list[Place]:
        return list(self._hits)

    @Slot(float, float, str)
    def set_location(self, lat: float, lon: float, label: str = "") -> None:
        """Put the call at a point (a map click, a suggestion); `label` names it if known."""
        self._location = (float(lat), float(lon))
        self._label = label
        self.coords_edit.setText(format_point(lat, lon))
        self._mark_invalid(False)
        if not label:  # a click elsewhere: a street name typed before would now be wrong
            self.address_edit.clear()
        self._show_hint()
        self.locationChanged.emit()

    def clear(self) -> None:
        self._location, self._label, self._hits = None, "", []
        self.address_edit.clear()
        self.coords_edit.clear()
        self._model.setStringList([])
        self._show_hint()

    @Slot()
    def pick_first(self) -> None:
        """Enter: the highlighted suggestion if any, else the best hit for what was typed."""
        popup = self.completer.popup()
        current = popup.currentIndex() if popup is not None and popup.isVisible() else None
        text = self.address_edit.text()
        hits = self._gazetteer.search(text, SUGGESTIONS) if text.strip() else []
        if popup is not None:
            popup.hide()
        if current is not None and current.isValid() and current.row() < len(self._hits):
            self._use(self._hits[current.row()], keep_text=False)
        elif hits:
            self._use(hits[0], keep_text=True)
        elif text.strip():
            self._funnel.warning(self.tr("Geen adres gevonden voor '{0}'.").format(text.strip()))

    # -- slots ---------------------------------------------------------------------------
    @Slot(str)
    def _suggest(self, text: str) -> None:
        self._hits = self._gazetteer.search(text, SUGGESTIONS) if text.strip() else []
        self._model.setStringList([p.text for p in self._hits])
        if self._hits:
            self.completer.complete()

    @Slot(str)
    def _pick_text(self, text: str) -> None:
        place = next((p for p in self._hits if p.text == text), None)
        if place is not None:
            self._use(place, keep_text=False)

    @Slot()
    def _coords_typed(self) -> None:
        text = self.coords_edit.text().strip()
        if not text or (self._location is not None and text == format_point(*self._location)):
            return
        place = parse_coordinates(text)
        if place is None:
            self._mark_invalid(True)
            self._funnel.warning(self.tr("Coördinaten niet herkend: '{0}'. Typ bijv. 52,0601 4,4932.").format(text))
            return
        # Keep an address the dispatcher typed (e.g. one the gazetteer does not know).
        self.set_location(place.lat, place.lon, self.address_edit.text().strip())

    def _use(self, place: Place, keep_text: bool) -> None:
        label = "" if place.kind == "coordinates" else place.text
        if not keep_text:
            self.address_edit.setText(label)
        self.set_location(place.lat, place.lon, label)

    def _mark_invalid(self, invalid: bool) -> None:
        self.coords_edit.setProperty("invalid", invalid)
        self.coords_edit.style().unpolish(self.coords_edit)
        self.coords_edit.style().polish(self.coords_edit)

    def _show_hint(self) -> None:
        if self._location is None:
            self.hint.setText(self.tr("Nog geen locatie. Kies een adres, typ coördinaten of klik op de kaart."))
            return
        where = self._label or self.tr("punt op de kaart")
        self.hint.setText(self.tr("Locatie: {0} ({1})").format(where, format_point(*self._location)))
