"""Where the call is: one resolution of the typed address, coordinates or a map click.

The label and the point always come from the same `Resolution` (alert_engine.addresses):
typing changes nothing until Enter resolves it, and an entry that does not resolve clears
the location, says why next to the field and offers the coarser places that are known.
So "Markt Delft" typed over a resolved "2711" can never create a call in Zoetermeer.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QStringListModel, Signal, Slot
from PySide6.QtWidgets import QCompleter, QFormLayout, QLabel, QLineEdit, QWidget

from alert_engine.addresses.book import AddressBook
from alert_engine.addresses.resolver import Resolution, Resolver, _from_place
from alert_engine.gazetteer import Gazetteer, parse_coordinates

from ..funnel import MessageFunnel

SUGGESTIONS = 10


def format_point(lat: float, lon: float) -> str:
    return f"{lat:.5f}, {lon:.5f}"


class LocationBox(QWidget):
    """Address line with suggestions (Enter resolves), a coordinates line and a hint.

    `location` is the point the call will be placed at: set only by a resolution (Enter, a
    suggestion, typed coordinates, `set_location` for a map click or a recorded incident);
    editing the address text withdraws it until the new text is resolved.
    """

    locationChanged = Signal()
    motorwayMentioned = Signal(str)  # "A12 hmp 10,2": a location the exclusion must know about

    def __init__(self, gazetteer: Gazetteer, funnel: MessageFunnel, parent: QWidget | None = None,
                 *, book: AddressBook | None = None) -> None:
        super().__init__(parent)
        self._gazetteer = gazetteer
        self._funnel = funnel
        self.resolver = Resolver(gazetteer, book)
        self._hits: list[Resolution] = []
        self._resolution: Resolution | None = None  # the last answer, found or not
        self._resolved_text: str | None = None  # the address text that answer belongs to
        self._announced: tuple[float, float] | None = None  # the location last signalled

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
        self.hint.setObjectName("locationHint")
        self.hint.setWordWrap(True)
        self.setStyleSheet(
            'QLineEdit[invalid="true"] { border: 2px solid #c62828; }'
            'QLabel#locationHint[level="error"] { color: #b71c1c; font-weight: bold; }'
            'QLabel#locationHint[level="approximate"] { color: #e65100; font-weight: bold; }'
        )

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.address_label, self.address_edit)
        form.addRow(self.coords_label, self.coords_edit)
        form.addRow("", self.hint)

        self.address_edit.textEdited.connect(self._edited)
        # Also programmatic changes (clear(), setText()): a point must never outlive its text.
        self.address_edit.textChanged.connect(self._text_changed)
        self.address_edit.returnPressed.connect(self.pick_first)
        self.completer.activated[str].connect(self._pick_text)  # type: ignore[index]
        self.coords_edit.editingFinished.connect(self._coords_typed)
        self._retranslate()

    def _retranslate(self) -> None:
        self.address_label.setText(self.tr("&Adres / locatie"))
        self.coords_label.setText(self.tr("&Coördinaten"))
        self.address_edit.setPlaceholderText(self.tr("Postcode + huisnummer, straat + nummer + plaats, plaats of coördinaten"))
        self.coords_edit.setPlaceholderText(self.tr("bijv. 52,0601 4,4932"))
        self._show_hint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- public --------------------------------------------------------------------------
    @property
    def resolution(self) -> Resolution | None:
        """The answer the location comes from (None: nothing resolved, or text edited since)."""
        return self._resolution if self._current() else None

    @property
    def location(self) -> tuple[float, float] | None:
        r = self.resolution
        if r is None or r.lat is None or r.lon is None:
            return None
        return (r.lat, r.lon)

    @property
    def address(self) -> str:
        """The label of the resolved location (never text that was not resolved)."""
        r = self.resolution
        return r.label if r is not None and r.has_point else ""

    @property
    def pending(self) -> bool:
        """Text typed that has not been resolved yet."""
        return bool(self.address_edit.text().strip()) and not self._current()

    @property
    def suggestions(self) -> list[Resolution]:
        return list(self._hits)

    def location_facts(self) -> dict[str, object]:
        """How the point was found, recorded with the call (reports, map, alert prompt)."""
        r = self.resolution
        if r is None or not r.has_point:
            return {}
        return {"location_precision": r.precision, "location_uncertainty_m": round(r.uncertainty_m),
                "location_label": r.label}

    @Slot(float, float, str)
    def set_location(self, lat: float, lon: float, label: str = "", precision: str = "",
                     uncertainty_m: float = 0.0) -> None:
        """A map click (no label: named after the nearest address, if any) or a recorded
        incident's location (label and precision as recorded)."""
        if label:
            r = Resolution(label, float(lat), float(lon), precision or "map", uncertainty_m)  # type: ignore[arg-type]
        else:
            r = self.resolver.at_point(float(lat), float(lon))
        self._apply(r, show_text=True)

    def set_resolution(self, r: Resolution) -> None:
        self._apply(r, show_text=True)

    def restore(self, text: str, r: Resolution | None) -> None:
        """A draft back on the form: its text, and its answer if that was current."""
        self.address_edit.setText(text)
        if r is not None:
            self._apply(r, show_text=False)

    def clear(self) -> None:
        self._hits = []
        self._resolution, self._resolved_text = None, None
        self.address_edit.clear()
        self.coords_edit.clear()
        self._model.setStringList([])
        self._mark_invalid(self.address_edit, False)
        self._show_hint()
        self._announce()

    def commit_pending(self) -> None:
        """Resolve text typed but not yet looked up (Ctrl+Enter straight after typing)."""
        if self.pending:
            self.pick_first()

    @Slot()
    def pick_first(self) -> None:
        """Enter: the highlighted suggestion if any, else the resolution of what was typed."""
        popup = self.completer.popup()
        current = popup.currentIndex() if popup is not None and popup.isVisible() else None
        if popup is not None:
            popup.hide()
        if current is not None and current.isValid() and current.row() < len(self._hits):
            self._apply(self._hits[current.row()], show_text=True)
            return
        text = self.address_edit.text()
        if not text.strip():
            return
        self._apply(self.resolver.resolve(text), show_text=False)

    # -- slots ---------------------------------------------------------------------------
    @Slot(str)
    def _edited(self, text: str) -> None:
        self._hits = [_from_place(p) for p in self._gazetteer.search(text, SUGGESTIONS)] if text.strip() else []
        self._model.setStringList([h.label for h in self._hits])
        if self._hits:
            self.completer.complete()

    @Slot(str)
    def _text_changed(self, _text: str) -> None:
        if self._current():
            return
        self._mark_invalid(self.address_edit, False)
        self._show_hint()
        self._announce()  # the old point is withdrawn while the text changes

    def _announce(self, always: bool = False) -> None:
        now = self.location
        if always or now != self._announced:
            self._announced = now
            self.locationChanged.emit()

    @Slot(str)
    def _pick_text(self, text: str) -> None:
        texts = self._model.stringList()
        hit = self._hits[texts.index(text)] if text in texts and texts.index(text) < len(self._hits) else None
        if hit is not None:
            self._apply(hit, show_text=True)

    @Slot()
    def _coords_typed(self) -> None:
        text = self.coords_edit.text().strip()
        loc = self.location
        if not text or (loc is not None and text == format_point(*loc)):
            return
        place = parse_coordinates(text)
        if place is None:
            self._mark_invalid(self.coords_edit, True)
            self._funnel.warning(self.tr("Coördinaten niet herkend: '{0}'. Typ bijv. 52,0601 4,4932.").format(text))
            return
        near = self.resolver.at_point(place.lat, place.lon)
        self._apply(Resolution(near.label, place.lat, place.lon, "coordinates", near.uncertainty_m,
                               params=near.params), show_text=True)

    def _current(self) -> bool:
        return self._resolution is not None and self._resolved_text == self.address_edit.text()

    def _apply(self, r: Resolution, show_text: bool) -> None:
        if show_text and r.has_point:
            self.address_edit.setText(r.label)
        self._resolution = r
        self._resolved_text = self.address_edit.text()
        if r.has_point:
            assert r.lat is not None and r.lon is not None
            self.coords_edit.setText(format_point(r.lat, r.lon))
            self._hits = []
        else:
            self.coords_edit.clear()
            self._hits = list(r.alternatives)
            self._model.setStringList([f"{a.label} — {self.precision_text(a)}" for a in self._hits])
            if self._hits and self.address_edit.hasFocus():
                self.completer.complete()
        self._mark_invalid(self.coords_edit, False)
        self._mark_invalid(self.address_edit, not r.has_point and r.precision != "motorway")
        if r.precision == "motorway":
            self.motorwayMentioned.emit(r.label)
        self._show_hint()
        self._announce(always=r.has_point)

    def _mark_invalid(self, edit: QLineEdit, invalid: bool) -> None:
        edit.setProperty("invalid", invalid)
        edit.style().unpolish(edit)
        edit.style().polish(edit)

    # -- texts ---------------------------------------------------------------------------
    def precision_text(self, r: Resolution) -> str:
        spread = r.uncertainty_m
        far = self.tr("±{0} km").format(f"{spread / 1000:.1f}".replace(".", ",")) if spread >= 1000 else \
            self.tr("±{0} m").format(round(spread))
        return {
            "address": self.tr("adrespunt (BAG)"),
            "street": self.tr("straat, {0}").format(far),
            "postcode": self.tr("postcodegebied, {0}").format(far),
            "place": self.tr("plaats, {0}").format(far),
            "coordinates": self.tr("coördinaten"),
            "map": self.tr("punt op de kaart"),
            "motorway": self.tr("snelweg, exact punt onbekend"),
        }.get(r.precision, self.tr("niet gevonden"))

    def note_text(self, r: Resolution) -> str:
        p = r.params
        return {
            "not_found": self.tr("Niets gevonden voor deze invoer."),
            "house_number_not_found": self.tr("De straat is bekend, huisnummer {0} niet.").format(p.get("number", "")),
            "house_letter_needed": self.tr("Nummer {0} heeft meerdere adressen (letter of toevoeging): kies er één.").format(p.get("number", "")),
            "postcode_not_in_address_data": self.tr("Geen adresgegevens voor deze postcode; alleen het postcodegebied is bekend."),
            "no_address_data": self.tr("Geen adresgegevens geladen voor {0}; alleen grovere plaatsen zijn bekend.").format(p.get("place", "")),
            "street_not_found": self.tr("De plaats is bekend, de straat '{0}' niet.").format(p.get("street", "")),
            "place_not_found": self.tr("Plaats '{0}' is niet bekend.").format(p.get("place", "")),
            "ambiguous": self.tr("Meerdere plaatsen komen in aanmerking: kies er één."),
            "spelling_corrected": self.tr("Gevonden ondanks een spelverschil: controleer het adres."),
            "motorway_point_unknown": self.tr("Op snelweg {0}: zonder hectometergegevens is het exacte punt onbekend. "
                                              "Burgerhulpverleners worden niet gealarmeerd op een snelweg; klik op de "
                                              "kaart om de plek aan te geven.").format(p.get("road", "")),
        }.get(r.note, "")

    def _show_hint(self) -> None:
        r = self._resolution if self._current() else None
        level = "error"
        if self.pending:
            text = self.tr("Druk op Enter om '{0}' op te zoeken.").format(self.address_edit.text().strip())
            level = "normal"
        elif r is None:
            text = self.tr("Nog geen locatie. Typ postcode + huisnummer of straat + nummer + plaats, "
                           "typ coördinaten of klik op de kaart.")
            level = "normal"
        elif not r.has_point:
            text = self.tr("Geen locatie: {0}").format(self.note_text(r))
            if r.alternatives:
                text += " " + self.tr("Kies hieronder een van de {0} bekende plaatsen (↓), of klik op de kaart.").format(
                    len(r.alternatives))
            level = "approximate" if r.precision == "motorway" else "error"
        else:
            assert r.lat is not None and r.lon is not None
            text = self.tr("Locatie: {0} ({1})").format(r.label, self.precision_text(r))
            if r.note == "spelling_corrected":
                text += " " + self.note_text(r)
            if r.approximate:
                text += " " + self.tr("Bij benadering: verfijn met huisnummer of een klik op de kaart vóór het alarmeren.")
                level = "approximate"
            else:
                level = "normal"
        self.hint.setText(text)
        self.hint.setProperty("level", level)
        self.hint.style().unpolish(self.hint)
        self.hint.style().polish(self.hint)
