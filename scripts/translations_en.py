#!/usr/bin/env python3
"""Fill the English translation file from this glossary (run by scripts/update-translations).

Dutch is the console's source language. `pyside6-lupdate` collects every text into
resources/i18n/zesminuten_en.ts; this script writes the English for each text it knows,
only where the .ts has no finished translation yet (so edits made in Qt Linguist stay),
unless `--force` is given. It lists texts it has no English for; those show in Dutch.
"""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

# Dutch source -> English, for every context that uses the text.
GLOSSARY: dict[str, str] = {
    "&Nazien": "&Review",
    # -- location resolution, drafts, quitting (issue 9) ---------------------------
    'een straat': 'a street',
    'een postcodegebied': 'a postcode area',
    'een plaats': 'a place',
    'Locatie bij benadering': 'Approximate location',
    'De locatie van melding {0} is alleen {1} (±{2} m): burgerhulpverleners gaan dan naar het midden ervan. Verfijn eerst met een huisnummer of een klik op de kaart.\n\nToch nu alarmeren?': 'The location of incident {0} is only {1} (±{2} m): responders would go to its middle. Refine it first with a house number or a click on the map.\n\nAlert now anyway?',
    'Nieuwe melding weggooien?': 'Discard the new call?',
    'De half ingevoerde melding wordt gewist. Weet u het zeker?': 'The half-entered call will be cleared. Are you sure?',
    'Postcode + huisnummer, straat + nummer + plaats, plaats of coördinaten': 'Postcode + house number, street + number + place, place or coordinates',
    '±{0} km': '±{0} km',
    '±{0} m': '±{0} m',
    'adrespunt (BAG)': 'address point (BAG)',
    'straat, {0}': 'street, {0}',
    'postcodegebied, {0}': 'postcode area, {0}',
    'plaats, {0}': 'place, {0}',
    'coördinaten': 'coordinates',
    'snelweg, exact punt onbekend': 'motorway, exact point unknown',
    'niet gevonden': 'not found',
    'Niets gevonden voor deze invoer.': 'Nothing matches this entry.',
    'De straat is bekend, huisnummer {0} niet.': 'The street is known, house number {0} is not.',
    'Nummer {0} heeft meerdere adressen (letter of toevoeging): kies er één.': 'Number {0} has several addresses (letter or addition): choose one.',
    'Geen adresgegevens voor deze postcode; alleen het postcodegebied is bekend.': 'No address data for this postcode; only the postcode area is known.',
    'Geen adresgegevens geladen voor {0}; alleen grovere plaatsen zijn bekend.': 'No address data loaded for {0}; only coarser places are known.',
    "De plaats is bekend, de straat '{0}' niet.": "The place is known, the street '{0}' is not.",
    "Plaats '{0}' is niet bekend.": "Place '{0}' is not known.",
    'Meerdere plaatsen komen in aanmerking: kies er één.': 'Several places match: choose one.',
    'Gevonden ondanks een spelverschil: controleer het adres.': 'Found despite a spelling difference: check the address.',
    'Op snelweg {0}: zonder hectometergegevens is het exacte punt onbekend. Burgerhulpverleners worden niet gealarmeerd op een snelweg; klik op de kaart om de plek aan te geven.': 'On motorway {0}: without hectometre data the exact point is unknown. Citizen responders are not alerted on a motorway; click on the map to mark the place.',
    "Druk op Enter om '{0}' op te zoeken.": "Press Enter to look up '{0}'.",
    'Nog geen locatie. Typ postcode + huisnummer of straat + nummer + plaats, typ coördinaten of klik op de kaart.': 'No location yet. Type postcode + house number or street + number + place, type coordinates or click on the map.',
    'Geen locatie: {0}': 'No location: {0}',
    'Kies hieronder een van de {0} bekende plaatsen (↓), of klik op de kaart.': 'Choose one of the {0} known places below (↓), or click on the map.',
    'Bij benadering: verfijn met huisnummer of een klik op de kaart vóór het alarmeren.': 'Approximate: refine with a house number or a click on the map before alerting.',
    'Een klik op de kaart zet de locatie van een nieuwe melding (eerst Ctrl+N), of van een melding die nog niet gealarmeerd is.': 'A click on the map sets the location of a new call (Ctrl+N first), or of an incident not yet alerted.',
    'Console afsluiten?': 'Close the console?',
    'Er loopt nog een alarm ({0}). Na een herstart gaat het verder, maar zolang de console dicht is ziet niemand wie er komt. Toch afsluiten?': 'An alarm is still running ({0}). It continues after a restart, but while the console is closed nobody sees who is coming. Close anyway?',
    "De console kan niet starten.": "The console cannot start.",
    "Witte vlekken (AED-dekking) tonen": "Show white spots (AED coverage)",
    "Hulpverleners": "Responders",
    "Instructie": "Instruction",
    "Lopende alarmen hervat na herstart: {0}. Gesimuleerde hulpverleners gaan verder vanaf nu.":
        "Running alarms resumed after a restart: {0}. Simulated responders go on from now.",
    "Geselecteerde melding nazien…": "Review the selected incident…",
    "Gebeurtenissenbestand (JSONL) nazien…": "Review an event file (JSONL)…",
    "Toegangslogboek bekijken…": "View the access log…",
    "Selecteer eerst een melding om na te zien.": "Select an incident to review first.",
    "Gebeurtenissen nazien": "Review events",
    "JSON Lines (*.jsonl);;Alle bestanden (*)": "JSON Lines (*.jsonl);;All files (*)",
    # -- phases, states, roles, modes (Labels) ------------------------------------------
    "nieuw": "new",
    "uitgesloten": "excluded",
    "wacht op ambulance": "waiting for ambulance",
    "gealarmeerd": "alerted",
    "doel bereikt": "target met",
    "overgedragen": "handed over",
    "ingetrokken": "cancelled",
    "gesloten": "closed",
    "geaccepteerd": "accepted",
    "afgewezen": "declined",
    "geen reactie": "no answer",
    "ter plaatse": "on scene",
    "geannuleerd": "stood down",
    "overaanbod": "oversupply",
    "Direct": "Direct",
    "AED-loper": "AED runner",
    "toegewezen": "assigned",
    "opgehaald": "fetched",
    "aangesloten": "connected",
    "LIVE": "LIVE",
    "OEFENING": "TRAINING",
    "PROEF": "TEST",
    "niet gestart": "not started",
    "instructie loopt": "instructing",
    "beëindigd": "ended",
    # -- queue ----------------------------------------------------------------------------
    "Melding": "Incident",
    "Sinds 112": "Since 112",
    "Locatie": "Location",
    "Fase": "Phase",
    "Modus": "Mode",
    "%n nieuw": "%n new",
    "Nieuwe meldingen die nog niet geopend zijn (Ctrl+G opent de nieuwste)": (
        "New incidents not opened yet (Ctrl+G opens the newest)"
    ),
    "Meldingen": "Incidents",
    "gesloten tonen": "show closed",
    # -- tables ---------------------------------------------------------------------------
    "AED": "AED",
    "Loper(s)": "Runner(s)",
    "Status": "State",
    "Ter plaatse over": "On scene in",
    "(geen loper)": "(no runner)",
    "Pseudoniem": "Pseudonym",
    "Rol": "Role",
    "Afstand": "Distance",
    "Via AED": "Via AED",
    "Aankomst": "Arrival",
    "(geen pseudoniem)": "(no pseudonym)",
    # -- live panel -----------------------------------------------------------------------
    "seconden sinds alarm": "seconds since alert",
    "Terugkoppeling overaanbod vastgelegd voor melding {0}.": "Oversupply feedback recorded for incident {0}.",
    "Live – melding {0}": "Live – incident {0}",
    # -- the ambulance's ETA on the live panel (issue 13) -------------------------
    "Ambulance ter plaatse om {0}": "Ambulance on scene at {0}",
    "Ambulance {0}: over {1} (ETA {2})": "Ambulance {0}: in {1} (ETA {2})",
    "eerste hulpverlener over {0}": "first responder in {0}",
    # -- calls from the dispatch system in the console (issue 13) --------------------
    "Bron": "Source",
    "Uit het meldkamersysteem ({0}, {1}): locatie en leeftijd ingevuld, criteria nog bevestigen": "From the dispatch system ({0}, {1}): location and age filled in, criteria still to confirm",
    "Nieuwe melding uit het meldkamersysteem – {0}. Ctrl+G opent de nieuwste.": "New call from the dispatch system – {0}. Ctrl+G opens the newest.",
    " (ontkend in het bericht)": " (denied in the message)",
    "woorden": "words",
    "Uit {0} · {1} · laatste bericht {2}": "From {0} · {1} · last message {2}",
    "vermoedelijk reanimatie": "suspected cardiac arrest",
    "geen reanimatie volgens de triage": "no cardiac arrest according to the triage",
    "de centralist beoordeelt": "the dispatcher decides",
    "Triage: {0} – {1}": "Triage: {0} – {1}",
    "Aanwijzingen voor een uitsluitcriterium – niet aangevinkt: vraag na en vink zelf aan": "Hints of an exclusion criterion – not ticked: ask, and tick yourself",
    "Geen aanwijzingen voor een uitsluitcriterium in het bericht: bevestig de criteria met de melder.": "No hint of an exclusion criterion in the message: confirm the criteria with the caller.",
    "Notities: {0}": "Notes: {0}",
    "Geweigerde berichten van het meldkamersysteem": "Messages refused from the dispatch system",
    "Veld": "Field",
    "Geen geweigerde berichten.": "No refused messages.",
    "Deze berichten zijn niet verwerkt: er is geen melding van gemaakt of bijgewerkt. Neem zo nodig de melding zelf op (Ctrl+N).": "These messages were not processed: no incident was created or updated from them. Take the call in yourself if needed (Ctrl+N).",
    "{0} oudere niet meer bewaard.": "{0} older ones no longer kept.",
    "Bericht van het meldkamersysteem ({0}) geweigerd – {1}. Er is niets verwerkt; zie Melding → Geweigerde berichten.": "Message from the dispatch system ({0}) refused – {1}. Nothing was processed; see Incident → Refused messages.",
    "({0} nieuwe)": "({0} new)",
    "Geweigerde berichten meldkamersysteem ({0})…": "Refused dispatch-system messages ({0})…",
    "Geweigerde berichten meldkamersysteem…": "Refused dispatch-system messages…",
    "Verwacht ter plaatse om {0}, {1} na de ambulance (ETA {2}): komt waarschijnlijk niet vóór de ambulance": "Expected on scene at {0}, {1} after the ambulance (ETA {2}): unlikely to beat the ambulance",
    "Verwacht ter plaatse om {0}, {1} vóór de ambulance (ETA {2})": "Expected on scene at {0}, {1} before the ambulance (ETA {2})",
    "na amb.": "after amb.",
    "Het meldkamersysteem heeft locatie of leeftijd van melding {0} gewijzigd terwijl u typte: controleer het formulier.": "The dispatch system changed the location or age of incident {0} while you were typing: check the form.",
    "Bericht verstuurd": "Message sent",
    "Bericht afgeleverd": "Message delivered",
    "Bericht niet afgeleverd": "Message not delivered",
    "Ontvangst bevestigd": "Receipt acknowledged",
    "Kanaalstoring": "Channel outage",
    "Bericht meldkamersysteem": "Dispatch-system message",
    "Ambulancestatus": "Ambulance status",
    "Aanrijtijd ambulance": "Ambulance ETA",
    "Meldkamersysteem stil": "Dispatch system silent",
    "Coördinator": "Coordinator",
    "Live – geen melding geselecteerd": "Live – no incident selected",
    "Doel bereikt om {0} – {1} hulpverleners geannuleerd; {2} te late aanmeldingen (overaanbod)": (
        "Target met at {0} – {1} responders stood down; {2} late acceptances (oversupply)"
    ),
    "✓ Terugkoppeling verzonden": "✓ Feedback sent",
    "Meer first responders ter plaatse dan verwacht": "More first responders on scene than expected",
    "Legt vast dat er meer first responders ter plaatse waren dan verwacht (terugkoppeling aan de first-responderorganisatie)": (
        "Records that more first responders were on scene than expected "
        "(feedback to the first-responder organisation)"
    ),
    "Hulpverleners ({0})": "Responders ({0})",
    "AED's ({0})": "AEDs ({0})",
    "Geaccepteerd": "Accepted",
    "waarvan AED-lopers": "of whom AED runners",
    "AED's onderweg": "AEDs on their way",
    "Gealarmeerd": "Alerted",
    "Ter plaatse": "On scene",
    "Afgewezen": "Declined",
    "Geen reactie": "No answer",
    "Geannuleerd": "Stood down",
    "Overaanbod": "Oversupply",
    "Hulpverleners die komen of er zijn, tegen het doel (Kwaliteitskader: 5)": (
        "Responders coming or on scene, against the target (quality framework: 5)"
    ),
    "Geaccepteerde hulpverleners die eerst een AED halen, tegen het doel (2)": (
        "Accepted responders who fetch an AED first, against the target (2)"
    ),
    "AED's waarvan een loper onderweg is of die al opgehaald zijn, tegen het doel (2)": (
        "AEDs with a runner on the way or already fetched, against the target (2)"
    ),
    "Hulpverleners die een annulering kregen": "Responders who were sent a stand-down",
    "Aanmeldingen na het bereiken van het doel of na annulering": (
        "Acceptances after the target was met or after a stand-down"
    ),
    # -- caller instruction ---------------------------------------------------------------
    "Selecteer eerst een melding.": "Select an incident first.",
    "Ambulance ter plaatse – draag over aan de ambulance en rond de instructie af": (
        "Ambulance on scene – hand over to the ambulance crew and wrap up the instruction"
    ),
    "Eerste hulpverlener ter plaatse – draag over en rond de instructie af": (
        "First responder on scene – hand over and wrap up the instruction"
    ),
    "Meldersinstructie": "Caller instruction",
    "Start instructie (F5)": "Start instruction (F5)",
    "Reanimatie-instructie aan de melder gestart": "CPR instruction to the caller has started",
    "Overgedragen (F6)": "Handed over (F6)",
    "Een hulpverlener of de ambulance heeft de reanimatie overgenomen": (
        "A responder or the ambulance crew has taken over CPR"
    ),
    "Beëindigd (F7)": "Ended (F7)",
    "De meldersinstructie is afgerond": "The caller instruction is finished",
    "Ritme-tik hoorbaar (F8)": "Audible rhythm click (F8)",
    "Sinds 112-melding": "Since 112 call",
    "Sinds start instructie": "Since instruction started",
    "{0}/min": "{0}/min",
    "tik": "click",
    "Hoorbare tik op het ritme (standaard uit)": "Audible click on the rhythm (off by default)",
    "Compressieritme {0} per minuut": "Compression rhythm {0} per minute",
    # -- notice bar, header, shortcuts ----------------------------------------------------
    "Wegklikken": "Dismiss",
    "Geen melding geopend – Ctrl+N voor een nieuwe melding": "No incident open – Ctrl+N for a new call",
    "Melding {0} · {1} · {2}": "Incident {0} · {1} · {2}",
    "{0} hulpverleners, {1} AED's": "{0} responders, {1} AEDs",
    "Synthetische registry ({0}): {1}": "Synthetic registry ({0}): {1}",
    "Registry: {0} hulpverleners": "Registry: {0} responders",
    "Synthetische registry · {0}": "Synthetic registry · {0}",
    "Haalt eerst AED {0}, dan naar het slachtoffer": "Fetches AED {0} first, then goes to the victim",
    "regio Den Haag": "The Hague region",
    "Nederland": "the Netherlands",
    "DEMO – gesimuleerde hulpverleners": "DEMO – simulated responders",
    "Gesimuleerde burgerhulpverleners beantwoorden de alarmen (start met --no-simulation om dit uit te zetten)": (
        "Simulated citizen responders answer the alerts (start with --no-simulation to turn this off)"
    ),
    "Alle hulpverleners en AED's in deze registry zijn synthetisch (geen echte personen).": (
        "All responders and AEDs in this registry are synthetic (no real people)."
    ),
    "Sneltoetsen": "Keyboard shortcuts",
    "Onderdeel": "Menu",
    "Toets": "Key",
    "Actie": "Action",
    # -- main window ----------------------------------------------------------------------
    "Geen nieuwe meldingen.": "No new incidents.",
    "Een klik op de kaart zet de locatie van een nieuwe melding (eerst Ctrl+N).": (
        "A click on the map sets the location of a new call (press Ctrl+N first)."
    ),
    "Nieuwe melding": "New call",
    "AED {0} is niet gealarmeerd voor deze melding.": "AED {0} was not alerted for this incident.",
    "Formulier": "Form",
    "Melding aanmaken / wijzigingen vastleggen": "Create the incident / record changes",
    "Over Zesminuten": "About Zesminuten",
    "Zesminuten – console voor de meldkamer ambulancezorg om burgerhulpverleners en AED's te alarmeren bij een reanimatie. Doel: binnen zes minuten reanimatie en een AED.": (
        "Zesminuten – console for the ambulance dispatch centre to alert citizen responders and "
        "AEDs to a cardiac arrest. Goal: CPR and an AED within six minutes."
    ),
    "De vertaling kon niet worden geladen.": "The translation could not be loaded.",
    "Zesminuten – meldkamerconsole burgerhulpverlening": "Zesminuten – citizen responder dispatch console",
    "&Bestand": "&File",
    "&Melding": "&Incident",
    "&Instructie": "In&struction",
    "Navi&gatie": "&Go",
    "&Help": "&Help",
    "Console afsluiten": "Quit the console",
    "Ambulance uitgegeven": "Ambulance dispatched",
    "Alarmeer burgerhulpverleners": "Alert citizen responders",
    "Alarm intrekken": "Cancel the alarm",
    "Ambulance ter plaatse": "Ambulance on scene",
    "Melding afsluiten": "Close the incident",
    "Terugkoppeling: meer first responders ter plaatse dan verwacht": (
        "Feedback: more first responders on scene than expected"
    ),
    "Nieuwste ongeopende melding openen": "Open the newest unopened incident",
    "Vorige melding in de wachtrij": "Previous incident in the queue",
    "Volgende melding in de wachtrij": "Next incident in the queue",
    "Naar de wachtrij": "Go to the queue",
    "Naar het adresveld": "Go to the address field",
    "Naar de hulpverlenerstabel": "Go to the responder table",
    "Naar de AED-tabel": "Go to the AED table",
    "Kaart op de melding": "Centre the map on the incident",
    "Meldingen boven de kaart wegklikken": "Dismiss the notices above the map",
    # -- funnel, confirm dialogs ----------------------------------------------------------
    "Er ging iets mis in de console ({0}). De melding is vastgelegd in het logboek.": (
        "Something went wrong in the console ({0}). It has been written to the log."
    ),
    "Ja": "Yes",
    "Nee": "No",
    "Schrijf de reden op (verplicht)": "Write down the reason (required)",
    "Overrulen": "Override",
    "Annuleren": "Cancel",
    # -- action panel ---------------------------------------------------------------------
    "Alarm niet verstuurd: geen beschikbare burgerhulpverleners binnen bereik ({0} m).": (
        "Alert not sent: no available citizen responders within reach ({0} m)."
    ),
    "Alarm geweigerd: ": "Alert refused: ",
    "Eenheid, bijv. {0}": "Unit, e.g. {0}",
    "Ambulance uitgegeven (Ctrl+D)": "Ambulance dispatched (Ctrl+D)",
    "Alarmeer burgerhulpverleners (Ctrl+Shift+A)": "Alert citizen responders (Ctrl+Shift+A)",
    "Alarm intrekken (Ctrl+Shift+X)": "Cancel the alarm (Ctrl+Shift+X)",
    "Ambulance ter plaatse (Ctrl+Shift+M)": "Ambulance on scene (Ctrl+Shift+M)",
    "Melding afsluiten (Ctrl+Shift+W)": "Close the incident (Ctrl+Shift+W)",
    "Ambulance-eenheid": "Ambulance unit",
    "Melding {0}": "Incident {0}",
    "Geen melding geselecteerd": "No incident selected",
    "Alarmeren is mogelijk.": "An alert can be sent.",
    "{0} burgerhulpverleners en {1} AED's gealarmeerd.": "{0} citizen responders and {1} AEDs alerted.",
    "Het alarm voor melding {0} intrekken? Alle gealarmeerde burgerhulpverleners krijgen een annulering.": (
        "Cancel the alarm for incident {0}? Every alerted citizen responder is sent a stand-down."
    ),
    "Melding {0} afsluiten? Een lopend alarm wordt daarmee ingetrokken.": (
        "Close incident {0}? A running alarm is cancelled with it."
    ),
    "Nog geen ambulance uitgegeven.": "No ambulance dispatched yet.",
    "Ambulance {0} ter plaatse om {1:%H:%M:%S}.": "Ambulance {0} on scene at {1:%H:%M:%S}.",
    "Ambulance {0} uitgegeven om {1}.": "Ambulance {0} dispatched at {1}.",
    # -- intake: form, location, checklist, override --------------------------------------
    "onbekend": "unknown",
    " jaar": " years",
    "&Leeftijd patiënt": "Patient ag&e",
    "&Soort locatie": "Location &type",
    "Omsc&hrijving locatie": "Location &description",
    "&Omschrijving locatie": "Location &description",
    "Onbekend": "Unknown",
    "Leeftijd terugzetten op onbekend": "Set the age back to unknown",
    "(Poging tot) suïcide": "(Attempted) suicide",
    "Ernstig (ongevals)trauma": "Severe (accident) trauma",
    "Geweld / mogelijk onveilige situatie": "Violence / possibly unsafe situation",
    "bijv. A12 hmp 34,5 of Dorpsstraat 12, achterom": "e.g. A12 hmp 34.5 or Dorpsstraat 12, back door",
    "— niet bekend —": "— not known —",
    "Woning": "Home",
    "Openbare ruimte": "Public place",
    "Werk": "Workplace",
    "Snelweg": "Motorway",
    "Verzorgingsplaats": "Motorway service area",
    "Anders": "Other",
    "Jonger dan 1 jaar": "Younger than 1 year",
    "Risicovolle locatie zoals snelweg": "Risky location such as a motorway",
    "Mogelijk onveilige situatie": "Possibly unsafe situation",
    "Wacht op locatie": "Waiting for a location",
    "Nog geen locatie: kies een adres of klik op de kaart.": "No location yet: choose an address or click the map.",
    "Uitgesloten: {0}. Geen burgerhulpverleners alarmeren.": "Excluded: {0}. Do not alert citizen responders.",
    "Niet uitgesloten – controleer: {0}.": "Not excluded – check: {0}.",
    "Geen uitsluitcriterium van toepassing.": "No exclusion criterion applies.",
    "Melding aanmaken (Ctrl+Enter)": "Create the incident (Ctrl+Enter)",
    "Kies eerst een locatie: adres, coördinaten of een klik op de kaart.": (
        "Choose a location first: an address, coordinates or a click on the map."
    ),
    "Melding {0} (afgesloten)": "Incident {0} (closed)",
    "Melding {0} – wijzigingen worden vastgelegd": "Incident {0} – changes are recorded",
    "Adres, straat, postcode, plaats of coördinaten": "Address, street, postcode, town or coordinates",
    "bijv. 52,0601 4,4932": "e.g. 52.0601 4.4932",
    "&Adres / locatie": "&Address / location",
    "&Coördinaten": "&Coordinates",
    "Geen adres gevonden voor '{0}'.": "No address found for '{0}'.",
    "Coördinaten niet herkend: '{0}'. Typ bijv. 52,0601 4,4932.": (
        "Coordinates not recognised: '{0}'. Type e.g. 52.0601 4.4932."
    ),
    "Nog geen locatie. Kies een adres, typ coördinaten of klik op de kaart.": (
        "No location yet. Choose an address, type coordinates or click the map."
    ),
    "punt op de kaart": "point on the map",
    "Locatie: {0} ({1})": "Location: {0} ({1})",
    "Uitsluiting o&verrulen…": "O&verride the exclusion…",
    "Uitsluiting &overrulen…": "&Override the exclusion…",
    "Toch burgerhulpverleners laten alarmeren ondanks een uitsluitcriterium (reden verplicht).": (
        "Alert citizen responders despite an exclusion criterion (a reason is required)."
    ),
    "Uitsluiting overruled om {0}: {1}": "Exclusion overridden at {0}: {1}",
    "Uitsluiting overrulen": "Override the exclusion",
    "Er geldt een uitsluitcriterium voor melding {0}. Waarom moeten er toch burgerhulpverleners gealarmeerd worden? De reden wordt vastgelegd.": (
        "An exclusion criterion applies to incident {0}. Why should citizen responders be "
        "alerted anyway? The reason is recorded."
    ),
    "Overrulen kan alleen met een geschreven reden.": "An override needs a written reason.",
    # -- training and test alarms --------------------------------------------------------
    "OEFENING – melder meldt nieuwe feiten": "TRAINING – the caller reports new facts",
    "Wat meldt de melder nu over {0}?": "What does the caller now report about {0}?",
    "OEFENING – debrief: {0}": "TRAINING – debrief: {0}",
    "Exporteren als HTML…": "Export as HTML…",
    "Debrief niet opgeslagen: {0}": "Debrief not saved: {0}",
    "Debrief opgeslagen in {0}": "Debrief saved to {0}",
    "OEFENING – inspelen": "TRAINING – inject",
    "{0} · {1} · {2} m · {3} · {4}": "{0} · {1} · {2} m · {3} · {4}",
    "Geen geplande gebeurtenissen meer in het scenario.": "No more planned events in the scenario.",
    "Volgende gebeurtenis over {0}": "Next event in {0}",
    "Pauze": "Pause",
    "Start": "Start",
    "Trainer – OEFENING": "Trainer – TRAINING",
    "Scenario": "Scenario",
    "Laden": "Load",
    "Het gekozen scenario opnieuw opbouwen (de klok staat dan stil op 00:00)": (
        "Rebuild the chosen scenario (the clock then stands still at 00:00)"
    ),
    "Scenariotijd": "Scenario time",
    "Verstreken sinds start": "Elapsed since start",
    "Naar volgende gebeurtenis": "Skip to the next event",
    "Sla de stille tijd over tot het volgende wat de melder, hulpverleners of ambulance doen": (
        "Skip the quiet time until the next thing the caller, responders or ambulance do"
    ),
    "Scenario {0}× zo snel als de echte tijd": "Scenario at {0}× real time",
    "Inspelen (trainer)": "Inject (trainer)",
    "De oefenmelding waarop het inspelen werkt": "The training incident the injects act on",
    "Accepteert…": "Accepts…",
    "Een gealarmeerde burgerhulpverlener accepteert": "An alerted citizen responder accepts",
    "Weigert…": "Declines…",
    "Een gealarmeerde burgerhulpverlener weigert": "An alerted citizen responder declines",
    "Eerste hulpverlener ter plaatse": "First responder on scene",
    "Melder meldt nieuwe feiten…": "Caller reports new facts…",
    "Debrief": "Debrief",
    "OEFENING – geen echte meldingen": "TRAINING – no real incidents",
    "Trainingsomgeving: meldingen, hulpverleners en AED's zijn gesimuleerd. Er gaat geen enkel bericht naar een echte telefoon.": (
        "Training environment: incidents, responders and AEDs are simulated. "
        "No message goes to a real phone."
    ),
    "Debrief exporteren": "Export debrief",
    "HTML-bestand (*.html)": "HTML file (*.html)",
    "Proefalarm {0} ingepland om {1}.": "Test alarm {0} scheduled for {1}.",
    "Proefalarm {0}: niemand bereikbaar (geen aangemelde, beschikbare burgerhulpverleners).": (
        "Test alarm {0}: nobody reachable (no opted-in, available citizen responders)."
    ),
    "Proefalarm {0} verstuurd naar {1} burgerhulpverleners (berichten beginnen met TEST).": (
        "Test alarm {0} sent to {1} citizen responders (messages start with TEST)."
    ),
    "TEST – proefalarm instellen": "TEST – set up a test alarm",
    "TEST – proefalarm": "TEST – test alarm",
    "Een proefalarm gaat alleen naar burgerhulpverleners van de gekozen gemeente die zich voor proefalarmen hebben aangemeld. Wie op een echte reanimatie staat, krijgt geen proefalarm, en een echte reanimatie haalt iemand altijd van een proefalarm af. Er gaan geen AED-codes mee. Elk bericht begint met TEST.": (
        "A test alarm only goes to citizen responders of the chosen municipality who opted in "
        "to test alarms. Anyone on a real cardiac arrest gets no test alarm, and a real cardiac "
        "arrest always takes someone off a test alarm. No AED codes are sent. Every message "
        "starts with TEST."
    ),
    "{0} ({1} aangemeld)": "{0} ({1} opted in)",
    "Nu": "Now",
    "Op tijdstip:": "At:",
    "Gesimuleerde antwoorden (demo)": "Simulated answers (demo)",
    "Deze console draait met gesimuleerde hulpverleners: die antwoorden altijd.": (
        "This console runs with simulated responders: they always answer."
    ),
    "Gemeente": "Municipality",
    "Wanneer": "When",
    "Proefalarm starten": "Start the test alarm",
    "nu": "now",
    "Proefalarm voor {0} ({1}): {2} aangemelde burgerhulpverleners krijgen een TEST-bericht op hun telefoon. Doorgaan?": (
        "Test alarm for {0} ({1}): {2} opted-in citizen responders get a TEST message on their "
        "phone. Continue?"
    ),
    "Proefalarm starten?": "Start the test alarm?",
    "&Proefalarm": "&Test alarm",
    "Proefalarm instellen…": "Set up a test alarm…",
    "Samenvatting proefalarm…": "Test alarm summary…",
    "TEST – samenvatting proefalarm": "TEST – test alarm summary",
    "Antwoord na": "Answer after",
    "Ter plaatse na": "On scene after",
    "Proefalarm beëindigen": "End the test alarm",
    "Exporteren als CSV…": "Export as CSV…",
    "Proefalarm": "Test alarm",
    "CSV-bestand (*.csv)": "CSV file (*.csv)",
    "Samenvatting niet opgeslagen: {0}": "Summary not saved: {0}",
    "Samenvatting opgeslagen in {0}": "Summary saved to {0}",
    "Samenvatting exporteren": "Export summary",
    "Volgende gebeurtenis: nu": "Next event: now",
    "Verstreken scenariotijd": "Elapsed scenario time",
    "1e hulpverlener ter plaatse": "1st responder on scene",
    "De eerste burgerhulpverlener die accepteerde is bij het slachtoffer": (
        "The first citizen responder who accepted is with the victim"
    ),
    "Melder: nieuwe feiten…": "Caller: new facts…",
    "De melder meldt iets nieuws: leeftijd, suïcide, trauma, geweld of de locatie": (
        "The caller reports something new: age, suicide, trauma, violence or the location"
    ),
    "Scenario afgelopen: alle oefenmeldingen zijn gesloten. Klik op Debrief.": (
        "Scenario finished: all training incidents are closed. Click Debrief."
    ),
    "Geen gealarmeerde burgerhulpverlener die nog moet antwoorden.": (
        "No alerted citizen responder still has to answer."
    ),
    "Wie accepteert het alarm?": "Who accepts the alert?",
    "Wie weigert het alarm?": "Who declines the alert?",
    "Nog geen burgerhulpverlener heeft geaccepteerd.": "No citizen responder has accepted yet.",
    "Wie is als eerste ter plaatse?": "Who is on scene first?",
    "Laad en speel eerst een scenario.": "Load and play a scenario first.",
    "Zesminuten": "Zesminuten",
    "OEFENING – {0}": "TRAINING – {0}",
    "Kies rechts een scenario en klik op Laden.": "Choose a scenario on the right and click Load.",
    # -- issue 9: notices, AED table, keys, finished incidents, review in English --------
    "&Ja": "&Yes",
    "&Nee": "&No",
    "Overrulen (Ctrl+Enter)": "Override (Ctrl+Enter)",
    "Openen (Ctrl+Enter)": "Open (Ctrl+Enter)",
    "vrijgegeven": "released",
    "%n gealarmeerd": "%n alerted",
    "Ter plaatse over (min:s), met de snelste loper die hem brengt": (
        "On scene in (min:s), with the fastest runner bringing it"
    ),
    "Melding {0} – afgesloten om {1}": "Incident {0} – closed at {1}",
    "Melding {0} – alarm ingetrokken om {1}": "Incident {0} – alarm withdrawn at {1}",
    "Proefalarm {0} – geen doel, geen ambulance": "Test alarm {0} – no target, no ambulance",
    "Proefalarm {0} beëindigen? %n burgerhulpverlener(s) krijgen een annulering.": (
        "End test alarm {0}? %n citizen responder(s) will get a stand-down."
    ),
    "Terugblik op melding {0}": "Review of incident {0}",
    "Deze melding bevat gezondheidsgegevens. Het openen wordt vastgelegd in het toegangslog "
    "(wie, wanneer, welke melding, wat en waarom; NEN 7513).": (
        "This incident contains health data. Opening it is recorded in the access log "
        "(who, when, which incident, what and why; NEN 7513)."
    ),
    "bijvoorbeeld: kwaliteitsreview, klacht nr. …, nazorg (verplicht)": (
        "for example: quality review, complaint no. …, aftercare (required)"
    ),
    "&Naam": "&Name",
    "&Reden": "&Reason",
    "Toegangslog (NEN 7513)": "Access log (NEN 7513)",
    "Toegangslog gecontroleerd: {0} regels, hashketen klopt, niets verwijderd.": (
        "Access log checked: {0} lines, hash chain intact, nothing removed."
    ),
    "Let op, het toegangslog is aangetast: ": "Warning, the access log has been tampered with: ",
    "Nr": "No.",
    "Tijd": "Time",
    "Wie": "Who",
    "Login@werkplek": "Login@workstation",
    "Reden": "Reason",
    "Details": "Details",
    "{0} · kop {1}:{2}": "{0} · head {1}:{2}",
    "Rapport exporteren": "Export report",
    "&exacte locatie tonen (adres en coördinaten)": "show the &exact location (address and coordinates)",
    "echte &pseudoniemen tonen (in plaats van R-01, R-02 …)": "show real &pseudonyms (instead of R-01, R-02 …)",
    "&kaartbeelden opnemen (tonen exacte locaties)": "include &map images (show exact locations)",
    "ook als P&DF": "also as P&DF",
    "Standaard is het rapport gepseudonimiseerd en de locatie afgerond (±1 km). "
    "De export wordt vastgelegd in het toegangslog.": (
        "By default the report is pseudonymised and the location rounded (±1 km). "
        "The export is recorded in the access log."
    ),
    "112-melding": "112 call",
    "Melding aangevuld": "Call updated",
    "Uitsluitcriteria": "Exclusion criteria",
    "Uitsluiting overruled": "Exclusion overridden",
    "Alarmering geweigerd": "Alert refused",
    "Alarmering": "Alert",
    "Annulering": "Stand-down",
    "Terugkoppeling overaanbod": "Oversupply feedback",
    "AED opgehaald": "AED fetched",
    "AED aangesloten": "AED connected",
    "AED-controle gevraagd": "AED check requested",
    "AED weer gereed": "AED ready again",
    "Alarm ingetrokken": "Alarm withdrawn",
    "Melding afgesloten": "Incident closed",
    "Notitie": "Note",
    "Tijden en aantallen": "Times and counts",
    "Interval": "Interval",
    "Duur": "Duration",
    "{0}\nklok: {1}": "{0}\nclock: {1}",
    "{0}\nkwam niet voor in het logboek": "{0}\nnot in the log",
    "Gealarmeerd {0} · geaccepteerd {1} · ter plaatse {2} · afgewezen {3} · geen reactie {4} · "
    "geannuleerd {5} · overaanbod {6} · AED's {7} (opgehaald {8}, aangesloten {9})": (
        "Alerted {0} · accepted {1} · on scene {2} · declined {3} · no answer {4} · "
        "stood down {5} · oversupply {6} · AEDs {7} (fetched {8}, connected {9})"
    ),
    "Geen burgerhulpverleners gealarmeerd": "No citizen responders alerted",
    "Binnen de 6-minutenzone: AED aangesloten ≤ 6 min na de melding": (
        "Within the 6-minute zone: AED connected ≤ 6 min after the call"
    ),
    "Buiten de 6-minutenzone: AED later dan 6 min aangesloten": (
        "Outside the 6-minute zone: AED connected after more than 6 min"
    ),
    "Geen AED aangesloten volgens het logboek": "No AED connected according to the log",
    # -- the review's aftercare panel (issue 15) ---------------------------------------
    "Nazorg (vragenlijst)": "Aftercare (questionnaire)",
    "Beantwoord": "Answered",
    "Ter plaatse gekomen": "Arrived on scene",
    "Reanimatie al bezig": "CPR already under way",
    "AED gebruikt": "AED used",
    "Wil gebeld worden": "Asked to be called",
    "Zit het niet lekker": "It weighs on them",
    "Op de nazorglijst": "On the aftercare list",
    "Contact onderling (paren)": "Contact between responders (pairs)",
    "Nazorg niet op te halen: {0}": "Aftercare not available: {0}",
    "Geen nazorggegevens bij deze bron.": "No aftercare data with this source.",
    "Niemand gevraagd: geen hulpverlener vertrok, of het was geen echt alarm.": (
        "Nobody asked: no responder set out, or it was not a real alarm."
    ),
    "{0} van {1} gevraagde hulpverleners antwoordden. Alleen aantallen, geen namen.": (
        "{0} of {1} responders asked answered. Counts only, no names."
    ),
    "© OpenStreetMap-bijdragers (ODbL) · CBS (CC BY 4.0) · AED's en hulpverleners synthetisch": (
        "© OpenStreetMap contributors (ODbL) · CBS (CC BY 4.0) · AEDs and responders synthetic"
    ),
    "Legenda": "Legend",
    "Slachtoffer": "Victim",
    "C": "C",
    "A": "A",
    "direct naar slachtoffer": "straight to the victim",
    "haalt AED": "fetches an AED",
    "overtallig": "surplus",
    "beschikbaar": "available",
    "niet beschikbaar": "unavailable",
    "Achtergrondkaart: externe tegelserver": "Base map: external tile server",
    "Notitie bij dit moment …": "Note at this moment …",
    "Toevoegen bij {0}": "Add at {0}",
    "Toevoegen": "Add",
    "geschreven {0}": "written {0}",
    "Notities ({0})": "Notes ({0})",
    "Rapport opslaan": "Save report",
    "Zesminuten – terugblik op melding {0} ({1})": "Zesminuten – review of incident {0} ({1})",
    "TERUGBLIK – alleen lezen": "REVIEW – read only",
    "Notities komen in de gebeurtenissenopslag (via de engine); de geschiedenis zelf verandert niet.": (
        "Notes go into the event store (through the engine); the history itself does not change."
    ),
    "Notities komen in een aparte notitie-opslag; het bestand zelf verandert niet.": (
        "Notes go into a separate note store; the file itself does not change."
    ),
    "Vorige gebeurtenis (←)": "Previous event (←)",
    "Afspelen / pauzeren (spatie)": "Play / pause (space)",
    "Volgende gebeurtenis (→)": "Next event (→)",
    "Snelheid {0}× (toets {1})": "Speed {0}× (key {1})",
    "&Terugblik": "&Review",
    "&Afspelen": "&Playback",
    "Rapport exporteren (HTML en PDF) …": "Export report (HTML and PDF) …",
    "Toegangslog bekijken …": "View access log …",
    "Sluiten": "Close",
    "Afspelen / pauzeren": "Play / pause",
    "Vorige gebeurtenis": "Previous event",
    "Volgende gebeurtenis": "Next event",
    "Naar het begin": "To the start",
    "Naar het einde": "To the end",
    "Snelheid {0}×": "Speed {0}×",
    "laatste gebeurtenis: {0}": "last event: {0}",
    "Notitie vastgelegd bij T+{0}.": "Note recorded at T+{0}.",
    "Rapport opgeslagen: {0} en {1}": "Report saved: {0} and {1}",
    "Rapport opgeslagen: {0}": "Report saved: {0}",
    # -- issue 11: the console on the centre's shared service -----------------------------
    "Meldkamerservice: verbonden": "Centre service: connected",
    "Meldkamerservice: opnieuw verbinden…": "Centre service: reconnecting…",
    "Meldkamerservice: alleen-lezen": "Centre service: read-only",
    "{0} (sinds {1})": "{0} (since {1})",
    "Opdrachten gaan naar de actieve server; alle werkplekken zien hetzelfde.":
        "Commands go to the active server; every workstation sees the same.",
    "Geen verbinding met de meldkamerservice. De console probeert het steeds opnieuw; opdrachten staan uit tot de verbinding terug is.":
        "No connection to the centre service. The console keeps trying; commands are off until the connection is back.",
    "Alleen een reserve-server antwoordt: meldingen zijn te zien, opdrachten staan uit tot een actieve server antwoordt.":
        "Only a standby server answers: incidents can be seen, commands are off until an active server answers.",
    "Geen verbinding met een actieve meldkamerservice: opdrachten staan uit tot de verbinding terug is.":
        "No connection to an active centre service: commands are off until the connection is back.",
    "Geen verbinding met een actieve meldkamerservice: de melding kan al worden ingevuld; aanmaken kan zodra de verbinding terug is.":
        "No connection to an active centre service: the call can be filled in already; it can be created once the connection is back.",
    "Wijzigingen in melding {0} zijn niet vastgelegd: geen verbinding met de meldkamerservice. Voer ze opnieuw in zodra de kop 'verbonden' toont.":
        "Changes to incident {0} were not recorded: no connection to the centre service. Enter them again once the header shows 'connected'.",
    "Geen meldkamerservice bereikbaar op {0}. Controleer het netwerk en --service.":
        "No centre service reachable at {0}. Check the network and --service.",
    "Geen verbinding met de meldkamerservice: de opdracht is na {0} s opnieuw proberen niet bevestigd. Controleer de melding zodra de kop weer 'verbonden' toont, en geef de opdracht dan opnieuw.":
        "No connection to the centre service: the command was not confirmed after retrying for {0} s. Check the incident once the header shows 'connected' again, then give the command again.",
    "Geen verbinding met de meldkamerservice.": "No connection to the centre service.",
    "De meldkamerservice weigert het token van deze werkplek (401). Controleer het tokenbestand (--token-file).":
        "The centre service refuses this workstation's token (401). Check the token file (--token-file).",
    "De vorige opdracht wordt nog verstuurd; probeer het zo opnieuw.":
        "The previous command is still being sent; try again in a moment.",
    "De meldkamerservice gaf een fout ({0}): {1}": "The centre service reported an error ({0}): {1}",
    # -- channel gateways: the outage banner, the test-alarm summary (issue 12) ---------------
    "App-push": "App push",
    "SMS": "SMS",
    "Spraakoproep": "Voice call",
    "{0}-gateway storing": "{0} gateway outage",
    " – alarmen gaan via het volgende kanaal": " – alarms go by the next channel",
    "Ontvangst bevestigd na": "Receipt confirmed after",
    # -- complaints (issue 15) ------------------------------------------------------
    "Klachten": "Complaints",
    "Klachten…": "Complaints…",
    "Klacht": "Complaint",
    "Ontvangen": "Received",
    "Indiener": "Complainant",
    "Waarover": "About",
    "&Indiener": "&Complainant",
    "&Kenmerk": "&Reference",
    "&Waarover": "&About",
    "&Ontvangen op": "R&eceived on",
    "&Behandelaar": "&Handled by",
    "Toelichting": "Note",
    "kenmerk in het klachtdossier, geen naam of telefoonnummer": "reference in the complaint file, no name or phone number",
    "Klacht &registreren": "&Register complaint",
    "In &onderzoek": "&Investigating",
    "&Beantwoord": "&Answered",
    "&Nazien (klacht)": "Re&view (complaint)",
    "Klacht {0} geregistreerd.": "Complaint {0} registered.",
    "Rapport koppelen": "Link report",
    "Rapporten (*.html *.pdf)": "Reports (*.html *.pdf)",
    "Rapport &koppelen…": "&Link report…",
    "Rapport {0} is niet te lezen: {1}": "Report {0} cannot be read: {1}",
    "Rapport {0} gekoppeld aan klacht {1}.": "Report {0} linked to complaint {1}.",
    "Rapporten": "Reports",
    "patiënt": "patient",
    "naaste": "relative",
    "burgerhulpverlener": "citizen responder",
    "omstander": "bystander",
    "AED-beheerder": "AED manager",
    "zorgverlener": "care provider",
    "anders": "other",
    "ontvangen": "received",
    "in onderzoek": "investigating",
    "beantwoord": "answered",
    # -- AEDs awaiting their manager's check (issue 15) -----------------------------
    "AED's wachtend op controle": "AEDs awaiting their check",
    "AED's wachtend op controle…": "AEDs awaiting their check…",
    "Plaats": "Place",
    "Wacht sinds": "Waiting since",
    "Leeftijd": "Age",
    "Herinneringen": "Reminders",
    "buiten gebruik tot {0}": "out of service until {0}",
    "bericht aan beheerder mislukt": "message to the manager failed",
    "wacht op beheerder": "waiting for the manager",
    "{0} AED's krijgen geen alarmen tot hun beheerder ze inzetklaar meldt.": "{0} AEDs get no alerts until their manager reports them ready.",
    "Geen AED's wachtend op controle.": "No AEDs awaiting their check.",
}

# The same Dutch word meaning different things in different places.
BY_CONTEXT: dict[tuple[str, str], str] = {
    ("Language", "nl"): "en",  # console.i18n.current_language: the catalogue's own marker
    ("ShortcutsDialog", "Onderdeel"): "Menu",
}


def english(context: str, source: str) -> str | None:
    return BY_CONTEXT.get((context, source), GLOSSARY.get(source))


def fill(ts_path: Path, force: bool = False) -> list[tuple[str, str]]:
    """Write known English into `ts_path`; return (context, source) still untranslated."""
    tree = ET.parse(ts_path)
    missing: list[tuple[str, str]] = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            translation = message.find("translation")
            if translation is None:
                translation = ET.SubElement(message, "translation")
            done = translation.get("type") not in ("unfinished", "vanished", "obsolete") and (
                (translation.text or "").strip() or len(translation)
            )
            if done and not force:
                continue
            text = english(name, source)
            if text is None:
                missing.append((name, source))
                continue
            for child in list(translation):
                translation.remove(child)
            if message.get("numerus") == "yes":
                translation.text = None
                for _ in range(2):  # English: one and other
                    ET.SubElement(translation, "numerusform").text = text
            else:
                translation.text = text
            translation.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with ts_path.open("wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ts", type=Path)
    parser.add_argument("--force", action="store_true", help="overwrite finished translations too")
    args = parser.parse_args(argv)
    missing = fill(args.ts, args.force)
    for context, source in missing:
        print(f"untranslated: [{context}] {source!r}", file=sys.stderr)
    print(f"{args.ts}: {len(missing)} text(s) without English", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
