<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="nl_NL">
    <context>
        <name>AccessDialog</name>
        <message>
            <source>Terugblik op melding {0}</source>
            <translation>Review of incident {0}</translation>
        </message>
        <message>
            <source>Deze melding bevat gezondheidsgegevens. Het openen wordt vastgelegd in het toegangslog (wie, wanneer, welke melding, wat en waarom; NEN 7513).</source>
            <translation>This incident contains health data. Opening it is recorded in the access log (who, when, which incident, what and why; NEN 7513).</translation>
        </message>
        <message>
            <source>bijvoorbeeld: kwaliteitsreview, klacht nr. …, nazorg (verplicht)</source>
            <translation>for example: quality review, complaint no. …, aftercare (required)</translation>
        </message>
        <message>
            <source>&amp;Naam</source>
            <translation>&amp;Name</translation>
        </message>
        <message>
            <source>&amp;Reden</source>
            <translation>&amp;Reason</translation>
        </message>
        <message>
            <source>Openen (Ctrl+Enter)</source>
            <translation>Open (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Annuleren</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>AccessLogDialog</name>
        <message>
            <source>Toegangslog (NEN 7513)</source>
            <translation>Access log (NEN 7513)</translation>
        </message>
        <message>
            <source>Toegangslog gecontroleerd: {0} regels, hashketen klopt, niets verwijderd.</source>
            <translation>Access log checked: {0} lines, hash chain intact, nothing removed.</translation>
        </message>
        <message>
            <source>Let op, het toegangslog is aangetast: </source>
            <translation>Warning, the access log has been tampered with: </translation>
        </message>
        <message>
            <source>Nr</source>
            <translation>No.</translation>
        </message>
        <message>
            <source>Tijd</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Wie</source>
            <translation>Who</translation>
        </message>
        <message>
            <source>Login@werkplek</source>
            <translation>Login@workstation</translation>
        </message>
        <message>
            <source>Actie</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>Melding</source>
            <translation>Incident</translation>
        </message>
        <message>
            <source>Reden</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>Details</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>{0} · kop {1}:{2}</source>
            <translation>{0} · head {1}:{2}</translation>
        </message>
    </context>
    <context>
        <name>ActionPanel</name>
        <message>
            <source>Alarm niet verstuurd: geen beschikbare burgerhulpverleners binnen bereik ({0} m).</source>
            <translation>Alert not sent: no available citizen responders within reach ({0} m).</translation>
        </message>
        <message>
            <source>Alarm geweigerd: </source>
            <translation>Alert refused: </translation>
        </message>
        <message>
            <source>Ambulance-eenheid</source>
            <translation>Ambulance unit</translation>
        </message>
        <message>
            <source>Eenheid, bijv. {0}</source>
            <translation>Unit, e.g. {0}</translation>
        </message>
        <message>
            <source>Ambulance uitgegeven (Ctrl+D)</source>
            <translation>Ambulance dispatched (Ctrl+D)</translation>
        </message>
        <message>
            <source>Alarmeer burgerhulpverleners (Ctrl+Shift+A)</source>
            <translation>Alert citizen responders (Ctrl+Shift+A)</translation>
        </message>
        <message>
            <source>Alarm intrekken (Ctrl+Shift+X)</source>
            <translation>Cancel the alarm (Ctrl+Shift+X)</translation>
        </message>
        <message>
            <source>Ambulance ter plaatse (Ctrl+Shift+M)</source>
            <translation>Ambulance on scene (Ctrl+Shift+M)</translation>
        </message>
        <message>
            <source>Melding afsluiten (Ctrl+Shift+W)</source>
            <translation>Close the incident (Ctrl+Shift+W)</translation>
        </message>
        <message>
            <source>Melding {0}</source>
            <translation>Incident {0}</translation>
        </message>
        <message>
            <source>Geen melding geselecteerd</source>
            <translation>No incident selected</translation>
        </message>
        <message>
            <source>Alarmeren is mogelijk.</source>
            <translation>An alert can be sent.</translation>
        </message>
        <message>
            <source>Geen verbinding met een actieve meldkamerservice: opdrachten staan uit tot de verbinding terug is.</source>
            <translation>No connection to an active centre service: commands are off until the connection is back.</translation>
        </message>
        <message>
            <source>{0} burgerhulpverleners en {1} AED's gealarmeerd.</source>
            <translation>{0} citizen responders and {1} AEDs alerted.</translation>
        </message>
        <message>
            <source>Alarm intrekken</source>
            <translation>Cancel the alarm</translation>
        </message>
        <message>
            <source>Het alarm voor melding {0} intrekken? Alle gealarmeerde burgerhulpverleners krijgen een annulering.</source>
            <translation>Cancel the alarm for incident {0}? Every alerted citizen responder is sent a stand-down.</translation>
        </message>
        <message>
            <source>Melding afsluiten</source>
            <translation>Close the incident</translation>
        </message>
        <message>
            <source>Melding {0} afsluiten? Een lopend alarm wordt daarmee ingetrokken.</source>
            <translation>Close incident {0}? A running alarm is cancelled with it.</translation>
        </message>
        <message>
            <source>een straat</source>
            <translation>a street</translation>
        </message>
        <message>
            <source>een postcodegebied</source>
            <translation>a postcode area</translation>
        </message>
        <message>
            <source>een plaats</source>
            <translation>a place</translation>
        </message>
        <message>
            <source>Locatie bij benadering</source>
            <translation>Approximate location</translation>
        </message>
        <message>
            <source>De locatie van melding {0} is alleen {1} (±{2} m): burgerhulpverleners gaan dan naar het midden ervan. Verfijn eerst met een huisnummer of een klik op de kaart.

Toch nu alarmeren?</source>
            <translation>The location of incident {0} is only {1} (±{2} m): responders would go to its middle. Refine it first with a house number or a click on the map.

Alert now anyway?</translation>
        </message>
        <message>
            <source>Proefalarm beëindigen</source>
            <translation>End the test alarm</translation>
        </message>
        <message numerus="yes">
            <source>Proefalarm {0} beëindigen? %n burgerhulpverlener(s) krijgen een annulering.</source>
            <translation>
                <numerusform>End test alarm {0}? %n citizen responder(s) will get a stand-down.</numerusform>
                <numerusform>End test alarm {0}? %n citizen responder(s) will get a stand-down.</numerusform>
            </translation>
        </message>
        <message>
            <source>Nog geen ambulance uitgegeven.</source>
            <translation>No ambulance dispatched yet.</translation>
        </message>
        <message>
            <source>Ambulance {0} ter plaatse om {1:%H:%M:%S}.</source>
            <translation>Ambulance {0} on scene at {1:%H:%M:%S}.</translation>
        </message>
        <message>
            <source>Ambulance {0} uitgegeven om {1}.</source>
            <translation>Ambulance {0} dispatched at {1}.</translation>
        </message>
    </context>
    <context>
        <name>AedCheckDialog</name>
        <message>
            <source>AED's wachtend op controle</source>
            <translation>AEDs awaiting their check</translation>
        </message>
        <message>
            <source>AED</source>
            <translation>AED</translation>
        </message>
        <message>
            <source>Plaats</source>
            <translation>Place</translation>
        </message>
        <message>
            <source>Wacht sinds</source>
            <translation>Waiting since</translation>
        </message>
        <message>
            <source>Leeftijd</source>
            <translation>Age</translation>
        </message>
        <message>
            <source>Herinneringen</source>
            <translation>Reminders</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <source>buiten gebruik tot {0}</source>
            <translation>out of service until {0}</translation>
        </message>
        <message>
            <source>bericht aan beheerder mislukt</source>
            <translation>message to the manager failed</translation>
        </message>
        <message>
            <source>wacht op beheerder</source>
            <translation>waiting for the manager</translation>
        </message>
        <message>
            <source>{0} AED's krijgen geen alarmen tot hun beheerder ze inzetklaar meldt.</source>
            <translation>{0} AEDs get no alerts until their manager reports them ready.</translation>
        </message>
        <message>
            <source>Geen AED's wachtend op controle.</source>
            <translation>No AEDs awaiting their check.</translation>
        </message>
        <message>
            <source>AED's wachtend op controle…</source>
            <translation>AEDs awaiting their check…</translation>
        </message>
    </context>
    <context>
        <name>AedTableModel</name>
        <message>
            <source>Ter plaatse over (min:s), met de snelste loper die hem brengt</source>
            <translation>On scene in (min:s), with the fastest runner bringing it</translation>
        </message>
        <message>
            <source>AED</source>
            <translation>AED</translation>
        </message>
        <message>
            <source>Locatie</source>
            <translation>Location</translation>
        </message>
        <message>
            <source>Loper(s)</source>
            <translation>Runner(s)</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Aankomst</source>
            <translation>Arrival</translation>
        </message>
        <message>
            <source>vrijgegeven</source>
            <translation>released</translation>
        </message>
        <message numerus="yes">
            <source>%n gealarmeerd</source>
            <translation>
                <numerusform>%n alerted</numerusform>
                <numerusform>%n alerted</numerusform>
            </translation>
        </message>
        <message>
            <source>(geen loper)</source>
            <translation>(no runner)</translation>
        </message>
    </context>
    <context>
        <name>AftercarePanel</name>
        <message>
            <source>Beantwoord</source>
            <translation>Answered</translation>
        </message>
        <message>
            <source>Ter plaatse gekomen</source>
            <translation>Arrived on scene</translation>
        </message>
        <message>
            <source>Reanimatie al bezig</source>
            <translation>CPR already under way</translation>
        </message>
        <message>
            <source>AED gebruikt</source>
            <translation>AED used</translation>
        </message>
        <message>
            <source>Wil gebeld worden</source>
            <translation>Asked to be called</translation>
        </message>
        <message>
            <source>Zit het niet lekker</source>
            <translation>It weighs on them</translation>
        </message>
        <message>
            <source>Op de nazorglijst</source>
            <translation>On the aftercare list</translation>
        </message>
        <message>
            <source>Contact onderling (paren)</source>
            <translation>Contact between responders (pairs)</translation>
        </message>
        <message>
            <source>Nazorg (vragenlijst)</source>
            <translation>Aftercare (questionnaire)</translation>
        </message>
        <message>
            <source>Nazorg niet op te halen: {0}</source>
            <translation>Aftercare not available: {0}</translation>
        </message>
        <message>
            <source>Geen nazorggegevens bij deze bron.</source>
            <translation>No aftercare data with this source.</translation>
        </message>
        <message>
            <source>Niemand gevraagd: geen hulpverlener vertrok, of het was geen echt alarm.</source>
            <translation>Nobody asked: no responder set out, or it was not a real alarm.</translation>
        </message>
        <message>
            <source>{0} van {1} gevraagde hulpverleners antwoordden. Alleen aantallen, geen namen.</source>
            <translation>{0} of {1} responders asked answered. Counts only, no names.</translation>
        </message>
    </context>
    <context>
        <name>AgeSpinBox</name>
        <message>
            <source>onbekend</source>
            <translation>unknown</translation>
        </message>
        <message>
            <source> jaar</source>
            <translation> years</translation>
        </message>
    </context>
    <context>
        <name>CallFactsForm</name>
        <message>
            <source>&amp;Leeftijd patiënt</source>
            <translation>Patient ag&amp;e</translation>
        </message>
        <message>
            <source>&amp;Soort locatie</source>
            <translation>Location &amp;type</translation>
        </message>
        <message>
            <source>Omsc&amp;hrijving locatie</source>
            <translation>Location &amp;description</translation>
        </message>
        <message>
            <source>Onbekend</source>
            <translation>Unknown</translation>
        </message>
        <message>
            <source>Leeftijd terugzetten op onbekend</source>
            <translation>Set the age back to unknown</translation>
        </message>
        <message>
            <source>(Poging tot) suïcide</source>
            <translation>(Attempted) suicide</translation>
        </message>
        <message>
            <source>Ernstig (ongevals)trauma</source>
            <translation>Severe (accident) trauma</translation>
        </message>
        <message>
            <source>Geweld / mogelijk onveilige situatie</source>
            <translation>Violence / possibly unsafe situation</translation>
        </message>
        <message>
            <source>bijv. A12 hmp 34,5 of Dorpsstraat 12, achterom</source>
            <translation>e.g. A12 hmp 34.5 or Dorpsstraat 12, back door</translation>
        </message>
        <message>
            <source>— niet bekend —</source>
            <translation>— not known —</translation>
        </message>
        <message>
            <source>Woning</source>
            <translation>Home</translation>
        </message>
        <message>
            <source>Openbare ruimte</source>
            <translation>Public place</translation>
        </message>
        <message>
            <source>Werk</source>
            <translation>Workplace</translation>
        </message>
        <message>
            <source>Snelweg</source>
            <translation>Motorway</translation>
        </message>
        <message>
            <source>Verzorgingsplaats</source>
            <translation>Motorway service area</translation>
        </message>
        <message>
            <source>Anders</source>
            <translation>Other</translation>
        </message>
    </context>
    <context>
        <name>CallerFactsDialog</name>
        <message>
            <source>OEFENING – melder meldt nieuwe feiten</source>
            <translation>TRAINING – the caller reports new facts</translation>
        </message>
        <message>
            <source>Wat meldt de melder nu over {0}?</source>
            <translation>What does the caller now report about {0}?</translation>
        </message>
    </context>
    <context>
        <name>CallerInstructionPanel</name>
        <message>
            <source>Selecteer eerst een melding.</source>
            <translation>Select an incident first.</translation>
        </message>
        <message>
            <source>Ambulance ter plaatse – draag over aan de ambulance en rond de instructie af</source>
            <translation>Ambulance on scene – hand over to the ambulance crew and wrap up the instruction</translation>
        </message>
        <message>
            <source>Eerste hulpverlener ter plaatse – draag over en rond de instructie af</source>
            <translation>First responder on scene – hand over and wrap up the instruction</translation>
        </message>
        <message>
            <source>Meldersinstructie</source>
            <translation>Caller instruction</translation>
        </message>
        <message>
            <source>Start instructie (F5)</source>
            <translation>Start instruction (F5)</translation>
        </message>
        <message>
            <source>Reanimatie-instructie aan de melder gestart</source>
            <translation>CPR instruction to the caller has started</translation>
        </message>
        <message>
            <source>Overgedragen (F6)</source>
            <translation>Handed over (F6)</translation>
        </message>
        <message>
            <source>Een hulpverlener of de ambulance heeft de reanimatie overgenomen</source>
            <translation>A responder or the ambulance crew has taken over CPR</translation>
        </message>
        <message>
            <source>Beëindigd (F7)</source>
            <translation>Ended (F7)</translation>
        </message>
        <message>
            <source>De meldersinstructie is afgerond</source>
            <translation>The caller instruction is finished</translation>
        </message>
        <message>
            <source>Ritme-tik hoorbaar (F8)</source>
            <translation>Audible rhythm click (F8)</translation>
        </message>
        <message>
            <source>Sinds 112-melding</source>
            <translation>Since 112 call</translation>
        </message>
        <message>
            <source>Sinds start instructie</source>
            <translation>Since instruction started</translation>
        </message>
        <message>
            <source>{0}/min</source>
            <translation>{0}/min</translation>
        </message>
        <message>
            <source>tik</source>
            <translation>click</translation>
        </message>
        <message>
            <source>Hoorbare tik op het ritme (standaard uit)</source>
            <translation>Audible click on the rhythm (off by default)</translation>
        </message>
        <message>
            <source>Compressieritme {0} per minuut</source>
            <translation>Compression rhythm {0} per minute</translation>
        </message>
    </context>
    <context>
        <name>ComplaintDialog</name>
        <message>
            <source>Rapport koppelen</source>
            <translation>Link report</translation>
        </message>
        <message>
            <source>Rapporten (*.html *.pdf)</source>
            <translation>Reports (*.html *.pdf)</translation>
        </message>
        <message>
            <source>Klachten</source>
            <translation>Complaints</translation>
        </message>
        <message>
            <source>Klacht</source>
            <translation>Complaint</translation>
        </message>
        <message>
            <source>Melding</source>
            <translation>Incident</translation>
        </message>
        <message>
            <source>Ontvangen</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>Indiener</source>
            <translation>Complainant</translation>
        </message>
        <message>
            <source>Waarover</source>
            <translation>About</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Rapporten</source>
            <translation>Reports</translation>
        </message>
        <message>
            <source>&amp;Melding</source>
            <translation>&amp;Incident</translation>
        </message>
        <message>
            <source>&amp;Indiener</source>
            <translation>&amp;Complainant</translation>
        </message>
        <message>
            <source>&amp;Kenmerk</source>
            <translation>&amp;Reference</translation>
        </message>
        <message>
            <source>&amp;Waarover</source>
            <translation>&amp;About</translation>
        </message>
        <message>
            <source>&amp;Ontvangen op</source>
            <translation>R&amp;eceived on</translation>
        </message>
        <message>
            <source>&amp;Behandelaar</source>
            <translation>&amp;Handled by</translation>
        </message>
        <message>
            <source>Toelichting</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>kenmerk in het klachtdossier, geen naam of telefoonnummer</source>
            <translation>reference in the complaint file, no name or phone number</translation>
        </message>
        <message>
            <source>patiënt</source>
            <translation>patient</translation>
        </message>
        <message>
            <source>naaste</source>
            <translation>relative</translation>
        </message>
        <message>
            <source>burgerhulpverlener</source>
            <translation>citizen responder</translation>
        </message>
        <message>
            <source>omstander</source>
            <translation>bystander</translation>
        </message>
        <message>
            <source>AED-beheerder</source>
            <translation>AED manager</translation>
        </message>
        <message>
            <source>zorgverlener</source>
            <translation>care provider</translation>
        </message>
        <message>
            <source>anders</source>
            <translation>other</translation>
        </message>
        <message>
            <source>ontvangen</source>
            <translation>received</translation>
        </message>
        <message>
            <source>in onderzoek</source>
            <translation>investigating</translation>
        </message>
        <message>
            <source>beantwoord</source>
            <translation>answered</translation>
        </message>
        <message>
            <source>Klacht &amp;registreren</source>
            <translation>&amp;Register complaint</translation>
        </message>
        <message>
            <source>In &amp;onderzoek</source>
            <translation>&amp;Investigating</translation>
        </message>
        <message>
            <source>&amp;Beantwoord</source>
            <translation>&amp;Answered</translation>
        </message>
        <message>
            <source>&amp;Nazien (klacht)</source>
            <translation>Re&amp;view (complaint)</translation>
        </message>
        <message>
            <source>Rapport &amp;koppelen…</source>
            <translation>&amp;Link report…</translation>
        </message>
        <message>
            <source>Klacht {0} geregistreerd.</source>
            <translation>Complaint {0} registered.</translation>
        </message>
        <message>
            <source>Rapport {0} is niet te lezen: {1}</source>
            <translation>Report {0} cannot be read: {1}</translation>
        </message>
        <message>
            <source>Rapport {0} gekoppeld aan klacht {1}.</source>
            <translation>Report {0} linked to complaint {1}.</translation>
        </message>
        <message>
            <source>Klachten…</source>
            <translation>Complaints…</translation>
        </message>
    </context>
    <context>
        <name>Confirm</name>
        <message>
            <source>&amp;Ja</source>
            <translation>&amp;Yes</translation>
        </message>
        <message>
            <source>&amp;Nee</source>
            <translation>&amp;No</translation>
        </message>
    </context>
    <context>
        <name>DeadLetterWatch</name>
        <message>
            <source>Bericht van het meldkamersysteem ({0}) geweigerd – {1}. Er is niets verwerkt; zie Melding → Geweigerde berichten.</source>
            <translation>Message from the dispatch system ({0}) refused – {1}. Nothing was processed; see Incident → Refused messages.</translation>
        </message>
        <message>
            <source>({0} nieuwe)</source>
            <translation>({0} new)</translation>
        </message>
        <message>
            <source>Geweigerde berichten meldkamersysteem ({0})…</source>
            <translation>Refused dispatch-system messages ({0})…</translation>
        </message>
        <message>
            <source>Geweigerde berichten meldkamersysteem…</source>
            <translation>Refused dispatch-system messages…</translation>
        </message>
    </context>
    <context>
        <name>DeadLettersDialog</name>
        <message>
            <source>Geweigerde berichten van het meldkamersysteem</source>
            <translation>Messages refused from the dispatch system</translation>
        </message>
        <message>
            <source>Ontvangen</source>
            <translation>Received</translation>
        </message>
        <message>
            <source>Bron</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>Veld</source>
            <translation>Field</translation>
        </message>
        <message>
            <source>Reden</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>Geen geweigerde berichten.</source>
            <translation>No refused messages.</translation>
        </message>
        <message>
            <source>Deze berichten zijn niet verwerkt: er is geen melding van gemaakt of bijgewerkt. Neem zo nodig de melding zelf op (Ctrl+N).</source>
            <translation>These messages were not processed: no incident was created or updated from them. Take the call in yourself if needed (Ctrl+N).</translation>
        </message>
        <message>
            <source>{0} oudere niet meer bewaard.</source>
            <translation>{0} older ones no longer kept.</translation>
        </message>
    </context>
    <context>
        <name>DebriefDialog</name>
        <message>
            <source>OEFENING – debrief: {0}</source>
            <translation>TRAINING – debrief: {0}</translation>
        </message>
        <message>
            <source>Exporteren als HTML…</source>
            <translation>Export as HTML…</translation>
        </message>
        <message>
            <source>Debrief niet opgeslagen: {0}</source>
            <translation>Debrief not saved: {0}</translation>
        </message>
        <message>
            <source>Debrief opgeslagen in {0}</source>
            <translation>Debrief saved to {0}</translation>
        </message>
    </context>
    <context>
        <name>EventKinds</name>
        <message>
            <source>112-melding</source>
            <translation>112 call</translation>
        </message>
        <message>
            <source>Melding aangevuld</source>
            <translation>Call updated</translation>
        </message>
        <message>
            <source>Uitsluitcriteria</source>
            <translation>Exclusion criteria</translation>
        </message>
        <message>
            <source>Uitsluiting overruled</source>
            <translation>Exclusion overridden</translation>
        </message>
        <message>
            <source>Ambulance uitgegeven</source>
            <translation>Ambulance dispatched</translation>
        </message>
        <message>
            <source>Ambulance ter plaatse</source>
            <translation>Ambulance on scene</translation>
        </message>
        <message>
            <source>Alarmering geweigerd</source>
            <translation>Alert refused</translation>
        </message>
        <message>
            <source>Alarmering</source>
            <translation>Alert</translation>
        </message>
        <message>
            <source>Geaccepteerd</source>
            <translation>Accepted</translation>
        </message>
        <message>
            <source>Afgewezen</source>
            <translation>Declined</translation>
        </message>
        <message>
            <source>Geen reactie</source>
            <translation>No answer</translation>
        </message>
        <message>
            <source>Ter plaatse</source>
            <translation>On scene</translation>
        </message>
        <message>
            <source>Annulering</source>
            <translation>Stand-down</translation>
        </message>
        <message>
            <source>Overaanbod</source>
            <translation>Oversupply</translation>
        </message>
        <message>
            <source>Terugkoppeling overaanbod</source>
            <translation>Oversupply feedback</translation>
        </message>
        <message>
            <source>AED opgehaald</source>
            <translation>AED fetched</translation>
        </message>
        <message>
            <source>AED aangesloten</source>
            <translation>AED connected</translation>
        </message>
        <message>
            <source>AED-controle gevraagd</source>
            <translation>AED check requested</translation>
        </message>
        <message>
            <source>AED weer gereed</source>
            <translation>AED ready again</translation>
        </message>
        <message>
            <source>Meldersinstructie</source>
            <translation>Caller instruction</translation>
        </message>
        <message>
            <source>Alarm ingetrokken</source>
            <translation>Alarm withdrawn</translation>
        </message>
        <message>
            <source>Melding afgesloten</source>
            <translation>Incident closed</translation>
        </message>
        <message>
            <source>Notitie</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>Bericht verstuurd</source>
            <translation>Message sent</translation>
        </message>
        <message>
            <source>Bericht afgeleverd</source>
            <translation>Message delivered</translation>
        </message>
        <message>
            <source>Bericht niet afgeleverd</source>
            <translation>Message not delivered</translation>
        </message>
        <message>
            <source>Ontvangst bevestigd</source>
            <translation>Receipt acknowledged</translation>
        </message>
        <message>
            <source>Kanaalstoring</source>
            <translation>Channel outage</translation>
        </message>
        <message>
            <source>Bericht meldkamersysteem</source>
            <translation>Dispatch-system message</translation>
        </message>
        <message>
            <source>Ambulancestatus</source>
            <translation>Ambulance status</translation>
        </message>
        <message>
            <source>Aanrijtijd ambulance</source>
            <translation>Ambulance ETA</translation>
        </message>
        <message>
            <source>Meldkamersysteem stil</source>
            <translation>Dispatch system silent</translation>
        </message>
        <message>
            <source>Coördinator</source>
            <translation>Coordinator</translation>
        </message>
    </context>
    <context>
        <name>ExclusionChecklist</name>
        <message>
            <source>Jonger dan 1 jaar</source>
            <translation>Younger than 1 year</translation>
        </message>
        <message>
            <source>(Poging tot) suïcide</source>
            <translation>(Attempted) suicide</translation>
        </message>
        <message>
            <source>Ernstig (ongevals)trauma</source>
            <translation>Severe (accident) trauma</translation>
        </message>
        <message>
            <source>Risicovolle locatie zoals snelweg</source>
            <translation>Risky location such as a motorway</translation>
        </message>
        <message>
            <source>Mogelijk onveilige situatie</source>
            <translation>Possibly unsafe situation</translation>
        </message>
        <message>
            <source>Wacht op locatie</source>
            <translation>Waiting for a location</translation>
        </message>
        <message>
            <source>Nog geen locatie: kies een adres of klik op de kaart.</source>
            <translation>No location yet: choose an address or click the map.</translation>
        </message>
        <message>
            <source>Uitgesloten: {0}. Geen burgerhulpverleners alarmeren.</source>
            <translation>Excluded: {0}. Do not alert citizen responders.</translation>
        </message>
        <message>
            <source>Niet uitgesloten – controleer: {0}.</source>
            <translation>Not excluded – check: {0}.</translation>
        </message>
        <message>
            <source>Geen uitsluitcriterium van toepassing.</source>
            <translation>No exclusion criterion applies.</translation>
        </message>
    </context>
    <context>
        <name>ExportDialog</name>
        <message>
            <source>Rapport exporteren</source>
            <translation>Export report</translation>
        </message>
        <message>
            <source>&amp;exacte locatie tonen (adres en coördinaten)</source>
            <translation>show the &amp;exact location (address and coordinates)</translation>
        </message>
        <message>
            <source>echte &amp;pseudoniemen tonen (in plaats van R-01, R-02 …)</source>
            <translation>show real &amp;pseudonyms (instead of R-01, R-02 …)</translation>
        </message>
        <message>
            <source>&amp;kaartbeelden opnemen (tonen exacte locaties)</source>
            <translation>include &amp;map images (show exact locations)</translation>
        </message>
        <message>
            <source>ook als P&amp;DF</source>
            <translation>also as P&amp;DF</translation>
        </message>
        <message>
            <source>Standaard is het rapport gepseudonimiseerd en de locatie afgerond (±1 km). De export wordt vastgelegd in het toegangslog.</source>
            <translation>By default the report is pseudonymised and the location rounded (±1 km). The export is recorded in the access log.</translation>
        </message>
    </context>
    <context>
        <name>Funnel</name>
        <message>
            <source>Er ging iets mis in de console ({0}). De melding is vastgelegd in het logboek.</source>
            <translation>Something went wrong in the console ({0}). It has been written to the log.</translation>
        </message>
    </context>
    <context>
        <name>IncidentQueueModel</name>
        <message>
            <source>Melding</source>
            <translation>Incident</translation>
        </message>
        <message>
            <source>Sinds 112</source>
            <translation>Since 112</translation>
        </message>
        <message>
            <source>Locatie</source>
            <translation>Location</translation>
        </message>
        <message>
            <source>Fase</source>
            <translation>Phase</translation>
        </message>
        <message>
            <source>Modus</source>
            <translation>Mode</translation>
        </message>
        <message>
            <source>Bron</source>
            <translation>Source</translation>
        </message>
        <message>
            <source>Uit het meldkamersysteem ({0}, {1}): locatie en leeftijd ingevuld, criteria nog bevestigen</source>
            <translation>From the dispatch system ({0}, {1}): location and age filled in, criteria still to confirm</translation>
        </message>
    </context>
    <context>
        <name>IncidentQueueView</name>
        <message numerus="yes">
            <source>%n nieuw</source>
            <translation>
                <numerusform>%n new</numerusform>
                <numerusform>%n new</numerusform>
            </translation>
        </message>
        <message>
            <source>Nieuwe meldingen die nog niet geopend zijn (Ctrl+G opent de nieuwste)</source>
            <translation>New incidents not opened yet (Ctrl+G opens the newest)</translation>
        </message>
        <message>
            <source>Meldingen</source>
            <translation>Incidents</translation>
        </message>
        <message>
            <source>gesloten tonen</source>
            <translation>show closed</translation>
        </message>
    </context>
    <context>
        <name>IntakeHints</name>
        <message>
            <source> (ontkend in het bericht)</source>
            <translation> (denied in the message)</translation>
        </message>
        <message>
            <source>woorden</source>
            <translation>words</translation>
        </message>
        <message>
            <source>Uit {0} · {1} · laatste bericht {2}</source>
            <translation>From {0} · {1} · last message {2}</translation>
        </message>
        <message>
            <source>vermoedelijk reanimatie</source>
            <translation>suspected cardiac arrest</translation>
        </message>
        <message>
            <source>geen reanimatie volgens de triage</source>
            <translation>no cardiac arrest according to the triage</translation>
        </message>
        <message>
            <source>Triage: {0} – {1}</source>
            <translation>Triage: {0} – {1}</translation>
        </message>
        <message>
            <source>de centralist beoordeelt</source>
            <translation>the dispatcher decides</translation>
        </message>
        <message>
            <source>Aanwijzingen voor een uitsluitcriterium – niet aangevinkt: vraag na en vink zelf aan</source>
            <translation>Hints of an exclusion criterion – not ticked: ask, and tick yourself</translation>
        </message>
        <message>
            <source>Geen aanwijzingen voor een uitsluitcriterium in het bericht: bevestig de criteria met de melder.</source>
            <translation>No hint of an exclusion criterion in the message: confirm the criteria with the caller.</translation>
        </message>
        <message>
            <source>Notities: {0}</source>
            <translation>Notes: {0}</translation>
        </message>
    </context>
    <context>
        <name>IntakePanel</name>
        <message>
            <source>Melding aanmaken (Ctrl+Enter)</source>
            <translation>Create the incident (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Geen verbinding met een actieve meldkamerservice: de melding kan al worden ingevuld; aanmaken kan zodra de verbinding terug is.</source>
            <translation>No connection to an active centre service: the call can be filled in already; it can be created once the connection is back.</translation>
        </message>
        <message>
            <source>Kies eerst een locatie: adres, coördinaten of een klik op de kaart.</source>
            <translation>Choose a location first: an address, coordinates or a click on the map.</translation>
        </message>
        <message>
            <source>Nieuwe melding weggooien?</source>
            <translation>Discard the new call?</translation>
        </message>
        <message>
            <source>De half ingevoerde melding wordt gewist. Weet u het zeker?</source>
            <translation>The half-entered call will be cleared. Are you sure?</translation>
        </message>
        <message>
            <source>Wijzigingen in melding {0} zijn niet vastgelegd: geen verbinding met de meldkamerservice. Voer ze opnieuw in zodra de kop 'verbonden' toont.</source>
            <translation>Changes to incident {0} were not recorded: no connection to the centre service. Enter them again once the header shows 'connected'.</translation>
        </message>
        <message>
            <source>Het meldkamersysteem heeft locatie of leeftijd van melding {0} gewijzigd terwijl u typte: controleer het formulier.</source>
            <translation>The dispatch system changed the location or age of incident {0} while you were typing: check the form.</translation>
        </message>
        <message>
            <source>Nieuwe melding</source>
            <translation>New call</translation>
        </message>
        <message>
            <source>Melding {0} (afgesloten)</source>
            <translation>Incident {0} (closed)</translation>
        </message>
        <message>
            <source>Melding {0} – wijzigingen worden vastgelegd</source>
            <translation>Incident {0} – changes are recorded</translation>
        </message>
    </context>
    <context>
        <name>IntervalsPanel</name>
        <message>
            <source>Tijden en aantallen</source>
            <translation>Times and counts</translation>
        </message>
        <message>
            <source>Interval</source>
            <translation>Interval</translation>
        </message>
        <message>
            <source>Duur</source>
            <translation>Duration</translation>
        </message>
        <message>
            <source>{0}
klok: {1}</source>
            <translation>{0}
clock: {1}</translation>
        </message>
        <message>
            <source>{0}
kwam niet voor in het logboek</source>
            <translation>{0}
not in the log</translation>
        </message>
        <message>
            <source>Gealarmeerd {0} · geaccepteerd {1} · ter plaatse {2} · afgewezen {3} · geen reactie {4} · geannuleerd {5} · overaanbod {6} · AED's {7} (opgehaald {8}, aangesloten {9})</source>
            <translation>Alerted {0} · accepted {1} · on scene {2} · declined {3} · no answer {4} · stood down {5} · oversupply {6} · AEDs {7} (fetched {8}, connected {9})</translation>
        </message>
        <message>
            <source>Geen burgerhulpverleners gealarmeerd</source>
            <translation>No citizen responders alerted</translation>
        </message>
        <message>
            <source>Binnen de 6-minutenzone: AED aangesloten ≤ 6 min na de melding</source>
            <translation>Within the 6-minute zone: AED connected ≤ 6 min after the call</translation>
        </message>
        <message>
            <source>Buiten de 6-minutenzone: AED later dan 6 min aangesloten</source>
            <translation>Outside the 6-minute zone: AED connected after more than 6 min</translation>
        </message>
        <message>
            <source>Geen AED aangesloten volgens het logboek</source>
            <translation>No AED connected according to the log</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>nieuw</source>
            <translation>new</translation>
        </message>
        <message>
            <source>uitgesloten</source>
            <translation>excluded</translation>
        </message>
        <message>
            <source>wacht op ambulance</source>
            <translation>waiting for ambulance</translation>
        </message>
        <message>
            <source>gealarmeerd</source>
            <translation>alerted</translation>
        </message>
        <message>
            <source>doel bereikt</source>
            <translation>target met</translation>
        </message>
        <message>
            <source>overgedragen</source>
            <translation>handed over</translation>
        </message>
        <message>
            <source>ingetrokken</source>
            <translation>cancelled</translation>
        </message>
        <message>
            <source>gesloten</source>
            <translation>closed</translation>
        </message>
        <message>
            <source>geaccepteerd</source>
            <translation>accepted</translation>
        </message>
        <message>
            <source>afgewezen</source>
            <translation>declined</translation>
        </message>
        <message>
            <source>geen reactie</source>
            <translation>no answer</translation>
        </message>
        <message>
            <source>ter plaatse</source>
            <translation>on scene</translation>
        </message>
        <message>
            <source>geannuleerd</source>
            <translation>stood down</translation>
        </message>
        <message>
            <source>overaanbod</source>
            <translation>oversupply</translation>
        </message>
        <message>
            <source>Direct</source>
            <translation>Direct</translation>
        </message>
        <message>
            <source>AED-loper</source>
            <translation>AED runner</translation>
        </message>
        <message>
            <source>toegewezen</source>
            <translation>assigned</translation>
        </message>
        <message>
            <source>opgehaald</source>
            <translation>fetched</translation>
        </message>
        <message>
            <source>aangesloten</source>
            <translation>connected</translation>
        </message>
        <message>
            <source>LIVE</source>
            <translation>LIVE</translation>
        </message>
        <message>
            <source>OEFENING</source>
            <translation>TRAINING</translation>
        </message>
        <message>
            <source>PROEF</source>
            <translation>TEST</translation>
        </message>
        <message>
            <source>niet gestart</source>
            <translation>not started</translation>
        </message>
        <message>
            <source>instructie loopt</source>
            <translation>instructing</translation>
        </message>
        <message>
            <source>beëindigd</source>
            <translation>ended</translation>
        </message>
    </context>
    <context>
        <name>Language</name>
        <message>
            <source>nl</source>
            <translation>en</translation>
        </message>
    </context>
    <context>
        <name>LiveChart</name>
        <message>
            <source>seconden sinds alarm</source>
            <translation>seconds since alert</translation>
        </message>
        <message>
            <source>geaccepteerd</source>
            <translation>accepted</translation>
        </message>
        <message>
            <source>ter plaatse</source>
            <translation>on scene</translation>
        </message>
    </context>
    <context>
        <name>LivePanel</name>
        <message>
            <source>Terugkoppeling overaanbod vastgelegd voor melding {0}.</source>
            <translation>Oversupply feedback recorded for incident {0}.</translation>
        </message>
        <message>
            <source>Live – melding {0}</source>
            <translation>Live – incident {0}</translation>
        </message>
        <message>
            <source>Live – geen melding geselecteerd</source>
            <translation>Live – no incident selected</translation>
        </message>
        <message>
            <source>Melding {0} – afgesloten om {1}</source>
            <translation>Incident {0} – closed at {1}</translation>
        </message>
        <message>
            <source>Melding {0} – alarm ingetrokken om {1}</source>
            <translation>Incident {0} – alarm withdrawn at {1}</translation>
        </message>
        <message>
            <source>Proefalarm {0} – geen doel, geen ambulance</source>
            <translation>Test alarm {0} – no target, no ambulance</translation>
        </message>
        <message>
            <source>Ambulance ter plaatse om {0}</source>
            <translation>Ambulance on scene at {0}</translation>
        </message>
        <message>
            <source>Ambulance {0}: over {1} (ETA {2})</source>
            <translation>Ambulance {0}: in {1} (ETA {2})</translation>
        </message>
        <message>
            <source>eerste hulpverlener over {0}</source>
            <translation>first responder in {0}</translation>
        </message>
        <message>
            <source>Doel bereikt om {0} – {1} hulpverleners geannuleerd; {2} te late aanmeldingen (overaanbod)</source>
            <translation>Target met at {0} – {1} responders stood down; {2} late acceptances (oversupply)</translation>
        </message>
        <message>
            <source>✓ Terugkoppeling verzonden</source>
            <translation>✓ Feedback sent</translation>
        </message>
        <message>
            <source>Meer first responders ter plaatse dan verwacht</source>
            <translation>More first responders on scene than expected</translation>
        </message>
        <message>
            <source>Legt vast dat er meer first responders ter plaatse waren dan verwacht (terugkoppeling aan de first-responderorganisatie)</source>
            <translation>Records that more first responders were on scene than expected (feedback to the first-responder organisation)</translation>
        </message>
        <message>
            <source>Hulpverleners ({0})</source>
            <translation>Responders ({0})</translation>
        </message>
        <message>
            <source>AED's ({0})</source>
            <translation>AEDs ({0})</translation>
        </message>
        <message>
            <source>Geaccepteerd</source>
            <translation>Accepted</translation>
        </message>
        <message>
            <source>waarvan AED-lopers</source>
            <translation>of whom AED runners</translation>
        </message>
        <message>
            <source>AED's onderweg</source>
            <translation>AEDs on their way</translation>
        </message>
        <message>
            <source>Gealarmeerd</source>
            <translation>Alerted</translation>
        </message>
        <message>
            <source>Ter plaatse</source>
            <translation>On scene</translation>
        </message>
        <message>
            <source>Afgewezen</source>
            <translation>Declined</translation>
        </message>
        <message>
            <source>Geen reactie</source>
            <translation>No answer</translation>
        </message>
        <message>
            <source>Geannuleerd</source>
            <translation>Stood down</translation>
        </message>
        <message>
            <source>Overaanbod</source>
            <translation>Oversupply</translation>
        </message>
        <message>
            <source>Hulpverleners die komen of er zijn, tegen het doel (Kwaliteitskader: 5)</source>
            <translation>Responders coming or on scene, against the target (quality framework: 5)</translation>
        </message>
        <message>
            <source>Geaccepteerde hulpverleners die eerst een AED halen, tegen het doel (2)</source>
            <translation>Accepted responders who fetch an AED first, against the target (2)</translation>
        </message>
        <message>
            <source>AED's waarvan een loper onderweg is of die al opgehaald zijn, tegen het doel (2)</source>
            <translation>AEDs with a runner on the way or already fetched, against the target (2)</translation>
        </message>
        <message>
            <source>Hulpverleners die een annulering kregen</source>
            <translation>Responders who were sent a stand-down</translation>
        </message>
        <message>
            <source>Aanmeldingen na het bereiken van het doel of na annulering</source>
            <translation>Acceptances after the target was met or after a stand-down</translation>
        </message>
    </context>
    <context>
        <name>LocationBox</name>
        <message>
            <source>&amp;Adres / locatie</source>
            <translation>&amp;Address / location</translation>
        </message>
        <message>
            <source>&amp;Coördinaten</source>
            <translation>&amp;Coordinates</translation>
        </message>
        <message>
            <source>Postcode + huisnummer, straat + nummer + plaats, plaats of coördinaten</source>
            <translation>Postcode + house number, street + number + place, place or coordinates</translation>
        </message>
        <message>
            <source>±{0} km</source>
            <translation>±{0} km</translation>
        </message>
        <message>
            <source>±{0} m</source>
            <translation>±{0} m</translation>
        </message>
        <message>
            <source>adrespunt (BAG)</source>
            <translation>address point (BAG)</translation>
        </message>
        <message>
            <source>straat, {0}</source>
            <translation>street, {0}</translation>
        </message>
        <message>
            <source>postcodegebied, {0}</source>
            <translation>postcode area, {0}</translation>
        </message>
        <message>
            <source>plaats, {0}</source>
            <translation>place, {0}</translation>
        </message>
        <message>
            <source>coördinaten</source>
            <translation>coordinates</translation>
        </message>
        <message>
            <source>bijv. 52,0601 4,4932</source>
            <translation>e.g. 52.0601 4.4932</translation>
        </message>
        <message>
            <source>Coördinaten niet herkend: '{0}'. Typ bijv. 52,0601 4,4932.</source>
            <translation>Coordinates not recognised: '{0}'. Type e.g. 52.0601 4.4932.</translation>
        </message>
        <message>
            <source>punt op de kaart</source>
            <translation>point on the map</translation>
        </message>
        <message>
            <source>snelweg, exact punt onbekend</source>
            <translation>motorway, exact point unknown</translation>
        </message>
        <message>
            <source>niet gevonden</source>
            <translation>not found</translation>
        </message>
        <message>
            <source>Niets gevonden voor deze invoer.</source>
            <translation>Nothing matches this entry.</translation>
        </message>
        <message>
            <source>De straat is bekend, huisnummer {0} niet.</source>
            <translation>The street is known, house number {0} is not.</translation>
        </message>
        <message>
            <source>Nummer {0} heeft meerdere adressen (letter of toevoeging): kies er één.</source>
            <translation>Number {0} has several addresses (letter or addition): choose one.</translation>
        </message>
        <message>
            <source>Geen adresgegevens voor deze postcode; alleen het postcodegebied is bekend.</source>
            <translation>No address data for this postcode; only the postcode area is known.</translation>
        </message>
        <message>
            <source>Geen adresgegevens geladen voor {0}; alleen grovere plaatsen zijn bekend.</source>
            <translation>No address data loaded for {0}; only coarser places are known.</translation>
        </message>
        <message>
            <source>De plaats is bekend, de straat '{0}' niet.</source>
            <translation>The place is known, the street '{0}' is not.</translation>
        </message>
        <message>
            <source>Plaats '{0}' is niet bekend.</source>
            <translation>Place '{0}' is not known.</translation>
        </message>
        <message>
            <source>Meerdere plaatsen komen in aanmerking: kies er één.</source>
            <translation>Several places match: choose one.</translation>
        </message>
        <message>
            <source>Gevonden ondanks een spelverschil: controleer het adres.</source>
            <translation>Found despite a spelling difference: check the address.</translation>
        </message>
        <message>
            <source>Op snelweg {0}: zonder hectometergegevens is het exacte punt onbekend. Burgerhulpverleners worden niet gealarmeerd op een snelweg; klik op de kaart om de plek aan te geven.</source>
            <translation>On motorway {0}: without hectometre data the exact point is unknown. Citizen responders are not alerted on a motorway; click on the map to mark the place.</translation>
        </message>
        <message>
            <source>Druk op Enter om '{0}' op te zoeken.</source>
            <translation>Press Enter to look up '{0}'.</translation>
        </message>
        <message>
            <source>Nog geen locatie. Typ postcode + huisnummer of straat + nummer + plaats, typ coördinaten of klik op de kaart.</source>
            <translation>No location yet. Type postcode + house number or street + number + place, type coordinates or click on the map.</translation>
        </message>
        <message>
            <source>Geen locatie: {0}</source>
            <translation>No location: {0}</translation>
        </message>
        <message>
            <source>Kies hieronder een van de {0} bekende plaatsen (↓), of klik op de kaart.</source>
            <translation>Choose one of the {0} known places below (↓), or click on the map.</translation>
        </message>
        <message>
            <source>Locatie: {0} ({1})</source>
            <translation>Location: {0} ({1})</translation>
        </message>
        <message>
            <source>Bij benadering: verfijn met huisnummer of een klik op de kaart vóór het alarmeren.</source>
            <translation>Approximate: refine with a house number or a click on the map before alerting.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>Geen nieuwe meldingen.</source>
            <translation>No new incidents.</translation>
        </message>
        <message>
            <source>Nieuwe melding</source>
            <translation>New call</translation>
        </message>
        <message>
            <source>AED {0} is niet gealarmeerd voor deze melding.</source>
            <translation>AED {0} was not alerted for this incident.</translation>
        </message>
        <message>
            <source>Formulier</source>
            <translation>Form</translation>
        </message>
        <message>
            <source>Melding aanmaken / wijzigingen vastleggen</source>
            <translation>Create the incident / record changes</translation>
        </message>
        <message>
            <source>Over Zesminuten</source>
            <translation>About Zesminuten</translation>
        </message>
        <message>
            <source>Zesminuten – console voor de meldkamer ambulancezorg om burgerhulpverleners en AED's te alarmeren bij een reanimatie. Doel: binnen zes minuten reanimatie en een AED.</source>
            <translation>Zesminuten – console for the ambulance dispatch centre to alert citizen responders and AEDs to a cardiac arrest. Goal: CPR and an AED within six minutes.</translation>
        </message>
        <message>
            <source>De vertaling kon niet worden geladen.</source>
            <translation>The translation could not be loaded.</translation>
        </message>
        <message>
            <source>Zesminuten – meldkamerconsole burgerhulpverlening</source>
            <translation>Zesminuten – citizen responder dispatch console</translation>
        </message>
        <message>
            <source>&amp;Bestand</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>&amp;Melding</source>
            <translation>&amp;Incident</translation>
        </message>
        <message>
            <source>&amp;Instructie</source>
            <translation>In&amp;struction</translation>
        </message>
        <message>
            <source>Een klik op de kaart zet de locatie van een nieuwe melding (eerst Ctrl+N), of van een melding die nog niet gealarmeerd is.</source>
            <translation>A click on the map sets the location of a new call (Ctrl+N first), or of an incident not yet alerted.</translation>
        </message>
        <message>
            <source>App-push</source>
            <translation>App push</translation>
        </message>
        <message>
            <source>SMS</source>
            <translation>SMS</translation>
        </message>
        <message>
            <source>Spraakoproep</source>
            <translation>Voice call</translation>
        </message>
        <message>
            <source>{0}-gateway storing</source>
            <translation>{0} gateway outage</translation>
        </message>
        <message>
            <source> – alarmen gaan via het volgende kanaal</source>
            <translation> – alarms go by the next channel</translation>
        </message>
        <message>
            <source>Navi&amp;gatie</source>
            <translation>&amp;Go</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>Console afsluiten</source>
            <translation>Quit the console</translation>
        </message>
        <message>
            <source>Ambulance uitgegeven</source>
            <translation>Ambulance dispatched</translation>
        </message>
        <message>
            <source>Alarmeer burgerhulpverleners</source>
            <translation>Alert citizen responders</translation>
        </message>
        <message>
            <source>Alarm intrekken</source>
            <translation>Cancel the alarm</translation>
        </message>
        <message>
            <source>Ambulance ter plaatse</source>
            <translation>Ambulance on scene</translation>
        </message>
        <message>
            <source>Melding afsluiten</source>
            <translation>Close the incident</translation>
        </message>
        <message>
            <source>Terugkoppeling: meer first responders ter plaatse dan verwacht</source>
            <translation>Feedback: more first responders on scene than expected</translation>
        </message>
        <message>
            <source>Nieuwste ongeopende melding openen</source>
            <translation>Open the newest unopened incident</translation>
        </message>
        <message>
            <source>Vorige melding in de wachtrij</source>
            <translation>Previous incident in the queue</translation>
        </message>
        <message>
            <source>Volgende melding in de wachtrij</source>
            <translation>Next incident in the queue</translation>
        </message>
        <message>
            <source>Naar de wachtrij</source>
            <translation>Go to the queue</translation>
        </message>
        <message>
            <source>Naar het adresveld</source>
            <translation>Go to the address field</translation>
        </message>
        <message>
            <source>Naar de hulpverlenerstabel</source>
            <translation>Go to the responder table</translation>
        </message>
        <message>
            <source>Naar de AED-tabel</source>
            <translation>Go to the AED table</translation>
        </message>
        <message>
            <source>Kaart op de melding</source>
            <translation>Centre the map on the incident</translation>
        </message>
        <message>
            <source>Witte vlekken (AED-dekking) tonen</source>
            <translation>Show white spots (AED coverage)</translation>
        </message>
        <message>
            <source>Meldingen boven de kaart wegklikken</source>
            <translation>Dismiss the notices above the map</translation>
        </message>
        <message>
            <source>Sneltoetsen</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>Console afsluiten?</source>
            <translation>Close the console?</translation>
        </message>
        <message>
            <source>Er loopt nog een alarm ({0}). Na een herstart gaat het verder, maar zolang de console dicht is ziet niemand wie er komt. Toch afsluiten?</source>
            <translation>An alarm is still running ({0}). It continues after a restart, but while the console is closed nobody sees who is coming. Close anyway?</translation>
        </message>
    </context>
    <context>
        <name>Map</name>
        <message>
            <source>© OpenStreetMap-bijdragers (ODbL) · CBS (CC BY 4.0) · AED's en hulpverleners synthetisch</source>
            <translation>© OpenStreetMap contributors (ODbL) · CBS (CC BY 4.0) · AEDs and responders synthetic</translation>
        </message>
        <message>
            <source>Legenda</source>
            <translation>Legend</translation>
        </message>
        <message>
            <source>Slachtoffer</source>
            <translation>Victim</translation>
        </message>
        <message>
            <source>AED</source>
            <translation>AED</translation>
        </message>
        <message>
            <source>Snelweg</source>
            <translation>Motorway</translation>
        </message>
        <message>
            <source>C</source>
            <comment>map letter: responder goes straight to the victim (CPR)</comment>
            <translation>C</translation>
        </message>
        <message>
            <source>A</source>
            <comment>map letter: responder fetches an AED first</comment>
            <translation>A</translation>
        </message>
        <message>
            <source>direct naar slachtoffer</source>
            <translation>straight to the victim</translation>
        </message>
        <message>
            <source>haalt AED</source>
            <translation>fetches an AED</translation>
        </message>
        <message>
            <source>gealarmeerd</source>
            <translation>alerted</translation>
        </message>
        <message>
            <source>geaccepteerd</source>
            <translation>accepted</translation>
        </message>
        <message>
            <source>afgewezen</source>
            <translation>declined</translation>
        </message>
        <message>
            <source>geen reactie</source>
            <translation>no answer</translation>
        </message>
        <message>
            <source>ter plaatse</source>
            <translation>on scene</translation>
        </message>
        <message>
            <source>geannuleerd</source>
            <translation>stood down</translation>
        </message>
        <message>
            <source>overtallig</source>
            <translation>surplus</translation>
        </message>
        <message>
            <source>beschikbaar</source>
            <translation>available</translation>
        </message>
        <message>
            <source>gesloten</source>
            <translation>closed</translation>
        </message>
        <message>
            <source>niet beschikbaar</source>
            <translation>unavailable</translation>
        </message>
        <message>
            <source>toegewezen</source>
            <translation>assigned</translation>
        </message>
        <message>
            <source>opgehaald</source>
            <translation>fetched</translation>
        </message>
        <message>
            <source>aangesloten</source>
            <translation>connected</translation>
        </message>
        <message>
            <source>Achtergrondkaart: externe tegelserver</source>
            <translation>Base map: external tile server</translation>
        </message>
    </context>
    <context>
        <name>NewCallCue</name>
        <message>
            <source>Nieuwe melding uit het meldkamersysteem – {0}. Ctrl+G opent de nieuwste.</source>
            <translation>New call from the dispatch system – {0}. Ctrl+G opens the newest.</translation>
        </message>
    </context>
    <context>
        <name>NotesPanel</name>
        <message>
            <source>Notitie bij dit moment …</source>
            <translation>Note at this moment …</translation>
        </message>
        <message>
            <source>Notities komen in de gebeurtenissenopslag (via de engine); de geschiedenis zelf verandert niet.</source>
            <translation>Notes go into the event store (through the engine); the history itself does not change.</translation>
        </message>
        <message>
            <source>Notities komen in een aparte notitie-opslag; het bestand zelf verandert niet.</source>
            <translation>Notes go into a separate note store; the file itself does not change.</translation>
        </message>
        <message>
            <source>Toevoegen bij {0}</source>
            <translation>Add at {0}</translation>
        </message>
        <message>
            <source>Toevoegen</source>
            <translation>Add</translation>
        </message>
        <message>
            <source>geschreven {0}</source>
            <translation>written {0}</translation>
        </message>
        <message>
            <source>Notities ({0})</source>
            <translation>Notes ({0})</translation>
        </message>
    </context>
    <context>
        <name>Notice</name>
        <message>
            <source>Wegklikken</source>
            <translation>Dismiss</translation>
        </message>
    </context>
    <context>
        <name>OverrideSection</name>
        <message>
            <source>Uitsluiting o&amp;verrulen…</source>
            <translation>O&amp;verride the exclusion…</translation>
        </message>
        <message>
            <source>Toch burgerhulpverleners laten alarmeren ondanks een uitsluitcriterium (reden verplicht).</source>
            <translation>Alert citizen responders despite an exclusion criterion (a reason is required).</translation>
        </message>
        <message>
            <source>Uitsluiting overruled om {0}: {1}</source>
            <translation>Exclusion overridden at {0}: {1}</translation>
        </message>
        <message>
            <source>Uitsluiting overrulen</source>
            <translation>Override the exclusion</translation>
        </message>
        <message>
            <source>Er geldt een uitsluitcriterium voor melding {0}. Waarom moeten er toch burgerhulpverleners gealarmeerd worden? De reden wordt vastgelegd.</source>
            <translation>An exclusion criterion applies to incident {0}. Why should citizen responders be alerted anyway? The reason is recorded.</translation>
        </message>
        <message>
            <source>Overrulen kan alleen met een geschreven reden.</source>
            <translation>An override needs a written reason.</translation>
        </message>
    </context>
    <context>
        <name>ReasonDialog</name>
        <message>
            <source>Schrijf de reden op (verplicht)</source>
            <translation>Write down the reason (required)</translation>
        </message>
        <message>
            <source>Overrulen (Ctrl+Enter)</source>
            <translation>Override (Ctrl+Enter)</translation>
        </message>
        <message>
            <source>Annuleren</source>
            <translation>Cancel</translation>
        </message>
    </context>
    <context>
        <name>RemoteBackend</name>
        <message>
            <source>Geen meldkamerservice bereikbaar op {0}. Controleer het netwerk en --service.</source>
            <translation>No centre service reachable at {0}. Check the network and --service.</translation>
        </message>
        <message>
            <source>Geen verbinding met de meldkamerservice: de opdracht is na {0} s opnieuw proberen niet bevestigd. Controleer de melding zodra de kop weer 'verbonden' toont, en geef de opdracht dan opnieuw.</source>
            <translation>No connection to the centre service: the command was not confirmed after retrying for {0} s. Check the incident once the header shows 'connected' again, then give the command again.</translation>
        </message>
        <message>
            <source>Geen verbinding met de meldkamerservice.</source>
            <translation>No connection to the centre service.</translation>
        </message>
        <message>
            <source>De meldkamerservice weigert het token van deze werkplek (401). Controleer het tokenbestand (--token-file).</source>
            <translation>The centre service refuses this workstation's token (401). Check the token file (--token-file).</translation>
        </message>
        <message>
            <source>De vorige opdracht wordt nog verstuurd; probeer het zo opnieuw.</source>
            <translation>The previous command is still being sent; try again in a moment.</translation>
        </message>
        <message>
            <source>De meldkamerservice gaf een fout ({0}): {1}</source>
            <translation>The centre service reported an error ({0}): {1}</translation>
        </message>
    </context>
    <context>
        <name>ReportExport</name>
        <message>
            <source>Rapport opslaan</source>
            <translation>Save report</translation>
        </message>
        <message>
            <source>Rapport opgeslagen: {0} en {1}</source>
            <translation>Report saved: {0} and {1}</translation>
        </message>
        <message>
            <source>Rapport opgeslagen: {0}</source>
            <translation>Report saved: {0}</translation>
        </message>
    </context>
    <context>
        <name>ResponderPickDialog</name>
        <message>
            <source>OEFENING – inspelen</source>
            <translation>TRAINING – inject</translation>
        </message>
        <message>
            <source>{0} · {1} · {2} m · {3} · {4}</source>
            <translation>{0} · {1} · {2} m · {3} · {4}</translation>
        </message>
    </context>
    <context>
        <name>ResponderTableModel</name>
        <message>
            <source>Pseudoniem</source>
            <translation>Pseudonym</translation>
        </message>
        <message>
            <source>Rol</source>
            <translation>Role</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Afstand</source>
            <translation>Distance</translation>
        </message>
        <message>
            <source>Via AED</source>
            <translation>Via AED</translation>
        </message>
        <message>
            <source>Aankomst</source>
            <translation>Arrival</translation>
        </message>
        <message>
            <source>Verwacht ter plaatse om {0}, {1} na de ambulance (ETA {2}): komt waarschijnlijk niet vóór de ambulance</source>
            <translation>Expected on scene at {0}, {1} after the ambulance (ETA {2}): unlikely to beat the ambulance</translation>
        </message>
        <message>
            <source>Verwacht ter plaatse om {0}, {1} vóór de ambulance (ETA {2})</source>
            <translation>Expected on scene at {0}, {1} before the ambulance (ETA {2})</translation>
        </message>
        <message>
            <source>Haalt eerst AED {0}, dan naar het slachtoffer</source>
            <translation>Fetches AED {0} first, then goes to the victim</translation>
        </message>
        <message>
            <source>(geen pseudoniem)</source>
            <translation>(no pseudonym)</translation>
        </message>
        <message>
            <source>na amb.</source>
            <translation>after amb.</translation>
        </message>
    </context>
    <context>
        <name>ReviewMenu</name>
        <message>
            <source>&amp;Nazien</source>
            <translation>&amp;Review</translation>
        </message>
        <message>
            <source>Geselecteerde melding nazien…</source>
            <translation>Review the selected incident…</translation>
        </message>
        <message>
            <source>Gebeurtenissenbestand (JSONL) nazien…</source>
            <translation>Review an event file (JSONL)…</translation>
        </message>
        <message>
            <source>Toegangslogboek bekijken…</source>
            <translation>View the access log…</translation>
        </message>
        <message>
            <source>Selecteer eerst een melding om na te zien.</source>
            <translation>Select an incident to review first.</translation>
        </message>
        <message>
            <source>Gebeurtenissen nazien</source>
            <translation>Review events</translation>
        </message>
        <message>
            <source>JSON Lines (*.jsonl);;Alle bestanden (*)</source>
            <translation>JSON Lines (*.jsonl);;All files (*)</translation>
        </message>
    </context>
    <context>
        <name>ReviewNotes</name>
        <message>
            <source>Notitie vastgelegd bij T+{0}.</source>
            <translation>Note recorded at T+{0}.</translation>
        </message>
    </context>
    <context>
        <name>ReviewPlayer</name>
        <message>
            <source>Vorige gebeurtenis (←)</source>
            <translation>Previous event (←)</translation>
        </message>
        <message>
            <source>Afspelen / pauzeren (spatie)</source>
            <translation>Play / pause (space)</translation>
        </message>
        <message>
            <source>Volgende gebeurtenis (→)</source>
            <translation>Next event (→)</translation>
        </message>
        <message>
            <source>Snelheid {0}× (toets {1})</source>
            <translation>Speed {0}× (key {1})</translation>
        </message>
        <message>
            <source>Afspelen / pauzeren</source>
            <translation>Play / pause</translation>
        </message>
        <message>
            <source>Vorige gebeurtenis</source>
            <translation>Previous event</translation>
        </message>
        <message>
            <source>Volgende gebeurtenis</source>
            <translation>Next event</translation>
        </message>
        <message>
            <source>Naar het begin</source>
            <translation>To the start</translation>
        </message>
        <message>
            <source>Naar het einde</source>
            <translation>To the end</translation>
        </message>
        <message>
            <source>Snelheid {0}×</source>
            <translation>Speed {0}×</translation>
        </message>
        <message>
            <source>laatste gebeurtenis: {0}</source>
            <translation>last event: {0}</translation>
        </message>
    </context>
    <context>
        <name>ReviewWindow</name>
        <message>
            <source>Zesminuten – terugblik op melding {0} ({1})</source>
            <translation>Zesminuten – review of incident {0} ({1})</translation>
        </message>
        <message>
            <source>TERUGBLIK – alleen lezen</source>
            <translation>REVIEW – read only</translation>
        </message>
        <message>
            <source>&amp;Terugblik</source>
            <translation>&amp;Review</translation>
        </message>
        <message>
            <source>&amp;Afspelen</source>
            <translation>&amp;Playback</translation>
        </message>
        <message>
            <source>Rapport exporteren (HTML en PDF) …</source>
            <translation>Export report (HTML and PDF) …</translation>
        </message>
        <message>
            <source>Toegangslog bekijken …</source>
            <translation>View access log …</translation>
        </message>
        <message>
            <source>Sluiten</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>ShortcutsDialog</name>
        <message>
            <source>Sneltoetsen</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>Onderdeel</source>
            <translation>Menu</translation>
        </message>
        <message>
            <source>Toets</source>
            <translation>Key</translation>
        </message>
        <message>
            <source>Actie</source>
            <translation>Action</translation>
        </message>
    </context>
    <context>
        <name>Startup</name>
        <message>
            <source>Lopende alarmen hervat na herstart: {0}. Gesimuleerde hulpverleners gaan verder vanaf nu.</source>
            <translation>Running alarms resumed after a restart: {0}. Simulated responders go on from now.</translation>
        </message>
        <message>
            <source>De console kan niet starten.</source>
            <translation>The console cannot start.</translation>
        </message>
    </context>
    <context>
        <name>StatusHeader</name>
        <message>
            <source>Geen melding geopend – Ctrl+N voor een nieuwe melding</source>
            <translation>No incident open – Ctrl+N for a new call</translation>
        </message>
        <message>
            <source>Melding {0} · {1} · {2}</source>
            <translation>Incident {0} · {1} · {2}</translation>
        </message>
        <message>
            <source>regio Den Haag</source>
            <translation>The Hague region</translation>
        </message>
        <message>
            <source>Nederland</source>
            <translation>the Netherlands</translation>
        </message>
        <message>
            <source>Synthetische registry · {0}</source>
            <translation>Synthetic registry · {0}</translation>
        </message>
        <message>
            <source>Registry: {0} hulpverleners</source>
            <translation>Registry: {0} responders</translation>
        </message>
        <message>
            <source>{0} hulpverleners, {1} AED's</source>
            <translation>{0} responders, {1} AEDs</translation>
        </message>
        <message>
            <source>DEMO – gesimuleerde hulpverleners</source>
            <translation>DEMO – simulated responders</translation>
        </message>
        <message>
            <source>Meldkamerservice: verbonden</source>
            <translation>Centre service: connected</translation>
        </message>
        <message>
            <source>Opdrachten gaan naar de actieve server; alle werkplekken zien hetzelfde.</source>
            <translation>Commands go to the active server; every workstation sees the same.</translation>
        </message>
        <message>
            <source>Meldkamerservice: opnieuw verbinden…</source>
            <translation>Centre service: reconnecting…</translation>
        </message>
        <message>
            <source>Geen verbinding met de meldkamerservice. De console probeert het steeds opnieuw; opdrachten staan uit tot de verbinding terug is.</source>
            <translation>No connection to the centre service. The console keeps trying; commands are off until the connection is back.</translation>
        </message>
        <message>
            <source>Meldkamerservice: alleen-lezen</source>
            <translation>Centre service: read-only</translation>
        </message>
        <message>
            <source>Alleen een reserve-server antwoordt: meldingen zijn te zien, opdrachten staan uit tot een actieve server antwoordt.</source>
            <translation>Only a standby server answers: incidents can be seen, commands are off until an active server answers.</translation>
        </message>
        <message>
            <source>{0} (sinds {1})</source>
            <translation>{0} (since {1})</translation>
        </message>
        <message>
            <source>Gesimuleerde burgerhulpverleners beantwoorden de alarmen (start met --no-simulation om dit uit te zetten)</source>
            <translation>Simulated citizen responders answer the alerts (start with --no-simulation to turn this off)</translation>
        </message>
        <message>
            <source>Alle hulpverleners en AED's in deze registry zijn synthetisch (geen echte personen).</source>
            <translation>All responders and AEDs in this registry are synthetic (no real people).</translation>
        </message>
    </context>
    <context>
        <name>TestAlarmController</name>
        <message>
            <source>Proefalarm {0} ingepland om {1}.</source>
            <translation>Test alarm {0} scheduled for {1}.</translation>
        </message>
        <message>
            <source>Proefalarm {0}: niemand bereikbaar (geen aangemelde, beschikbare burgerhulpverleners).</source>
            <translation>Test alarm {0}: nobody reachable (no opted-in, available citizen responders).</translation>
        </message>
        <message>
            <source>Proefalarm {0} verstuurd naar {1} burgerhulpverleners (berichten beginnen met TEST).</source>
            <translation>Test alarm {0} sent to {1} citizen responders (messages start with TEST).</translation>
        </message>
    </context>
    <context>
        <name>TestAlarmDialog</name>
        <message>
            <source>TEST – proefalarm instellen</source>
            <translation>TEST – set up a test alarm</translation>
        </message>
        <message>
            <source>TEST – proefalarm</source>
            <translation>TEST – test alarm</translation>
        </message>
        <message>
            <source>Een proefalarm gaat alleen naar burgerhulpverleners van de gekozen gemeente die zich voor proefalarmen hebben aangemeld. Wie op een echte reanimatie staat, krijgt geen proefalarm, en een echte reanimatie haalt iemand altijd van een proefalarm af. Er gaan geen AED-codes mee. Elk bericht begint met TEST.</source>
            <translation>A test alarm only goes to citizen responders of the chosen municipality who opted in to test alarms. Anyone on a real cardiac arrest gets no test alarm, and a real cardiac arrest always takes someone off a test alarm. No AED codes are sent. Every message starts with TEST.</translation>
        </message>
        <message>
            <source>{0} ({1} aangemeld)</source>
            <translation>{0} ({1} opted in)</translation>
        </message>
        <message>
            <source>Nu</source>
            <translation>Now</translation>
        </message>
        <message>
            <source>Op tijdstip:</source>
            <translation>At:</translation>
        </message>
        <message>
            <source>Gesimuleerde antwoorden (demo)</source>
            <translation>Simulated answers (demo)</translation>
        </message>
        <message>
            <source>Deze console draait met gesimuleerde hulpverleners: die antwoorden altijd.</source>
            <translation>This console runs with simulated responders: they always answer.</translation>
        </message>
        <message>
            <source>Gemeente</source>
            <translation>Municipality</translation>
        </message>
        <message>
            <source>Wanneer</source>
            <translation>When</translation>
        </message>
        <message>
            <source>Proefalarm starten</source>
            <translation>Start the test alarm</translation>
        </message>
        <message>
            <source>Annuleren</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>nu</source>
            <translation>now</translation>
        </message>
        <message>
            <source>Proefalarm voor {0} ({1}): {2} aangemelde burgerhulpverleners krijgen een TEST-bericht op hun telefoon. Doorgaan?</source>
            <translation>Test alarm for {0} ({1}): {2} opted-in citizen responders get a TEST message on their phone. Continue?</translation>
        </message>
        <message>
            <source>Proefalarm starten?</source>
            <translation>Start the test alarm?</translation>
        </message>
    </context>
    <context>
        <name>TestAlarmMenu</name>
        <message>
            <source>&amp;Proefalarm</source>
            <translation>&amp;Test alarm</translation>
        </message>
        <message>
            <source>Proefalarm instellen…</source>
            <translation>Set up a test alarm…</translation>
        </message>
        <message>
            <source>Samenvatting proefalarm…</source>
            <translation>Test alarm summary…</translation>
        </message>
    </context>
    <context>
        <name>TestAlarmSummaryDialog</name>
        <message>
            <source>TEST – samenvatting proefalarm</source>
            <translation>TEST – test alarm summary</translation>
        </message>
        <message>
            <source>TEST – proefalarm</source>
            <translation>TEST – test alarm</translation>
        </message>
        <message>
            <source>Pseudoniem</source>
            <translation>Pseudonym</translation>
        </message>
        <message>
            <source>Afstand</source>
            <translation>Distance</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Ontvangst bevestigd na</source>
            <translation>Receipt confirmed after</translation>
        </message>
        <message>
            <source>Antwoord na</source>
            <translation>Answer after</translation>
        </message>
        <message>
            <source>Ter plaatse na</source>
            <translation>On scene after</translation>
        </message>
        <message>
            <source>Proefalarm beëindigen</source>
            <translation>End the test alarm</translation>
        </message>
        <message>
            <source>Exporteren als CSV…</source>
            <translation>Export as CSV…</translation>
        </message>
        <message>
            <source>Exporteren als HTML…</source>
            <translation>Export as HTML…</translation>
        </message>
        <message>
            <source>Proefalarm</source>
            <translation>Test alarm</translation>
        </message>
        <message>
            <source>CSV-bestand (*.csv)</source>
            <translation>CSV file (*.csv)</translation>
        </message>
        <message>
            <source>HTML-bestand (*.html)</source>
            <translation>HTML file (*.html)</translation>
        </message>
        <message>
            <source>Samenvatting niet opgeslagen: {0}</source>
            <translation>Summary not saved: {0}</translation>
        </message>
        <message>
            <source>Samenvatting opgeslagen in {0}</source>
            <translation>Summary saved to {0}</translation>
        </message>
    </context>
    <context>
        <name>Timeline</name>
        <message>
            <source>Melding</source>
            <translation>Incident</translation>
        </message>
        <message>
            <source>Hulpverleners</source>
            <translation>Responders</translation>
        </message>
        <message>
            <source>AED</source>
            <translation>AED</translation>
        </message>
        <message>
            <source>Instructie</source>
            <translation>Instruction</translation>
        </message>
    </context>
    <context>
        <name>TrainerDock</name>
        <message>
            <source>Geen geplande gebeurtenissen meer in het scenario.</source>
            <translation>No more planned events in the scenario.</translation>
        </message>
        <message>
            <source>Volgende gebeurtenis: nu</source>
            <translation>Next event: now</translation>
        </message>
        <message>
            <source>Volgende gebeurtenis over {0}</source>
            <translation>Next event in {0}</translation>
        </message>
        <message>
            <source>Pauze</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Start</source>
            <translation>Start</translation>
        </message>
        <message>
            <source>Trainer – OEFENING</source>
            <translation>Trainer – TRAINING</translation>
        </message>
        <message>
            <source>Scenario</source>
            <translation>Scenario</translation>
        </message>
        <message>
            <source>Laden</source>
            <translation>Load</translation>
        </message>
        <message>
            <source>Het gekozen scenario opnieuw opbouwen (de klok staat dan stil op 00:00)</source>
            <translation>Rebuild the chosen scenario (the clock then stands still at 00:00)</translation>
        </message>
        <message>
            <source>Scenariotijd</source>
            <translation>Scenario time</translation>
        </message>
        <message>
            <source>Verstreken scenariotijd</source>
            <translation>Elapsed scenario time</translation>
        </message>
        <message>
            <source>1e hulpverlener ter plaatse</source>
            <translation>1st responder on scene</translation>
        </message>
        <message>
            <source>De eerste burgerhulpverlener die accepteerde is bij het slachtoffer</source>
            <translation>The first citizen responder who accepted is with the victim</translation>
        </message>
        <message>
            <source>Melder: nieuwe feiten…</source>
            <translation>Caller: new facts…</translation>
        </message>
        <message>
            <source>De melder meldt iets nieuws: leeftijd, suïcide, trauma, geweld of de locatie</source>
            <translation>The caller reports something new: age, suicide, trauma, violence or the location</translation>
        </message>
        <message>
            <source>Naar volgende gebeurtenis</source>
            <translation>Skip to the next event</translation>
        </message>
        <message>
            <source>Sla de stille tijd over tot het volgende wat de melder, hulpverleners of ambulance doen</source>
            <translation>Skip the quiet time until the next thing the caller, responders or ambulance do</translation>
        </message>
        <message>
            <source>Scenario {0}× zo snel als de echte tijd</source>
            <translation>Scenario at {0}× real time</translation>
        </message>
        <message>
            <source>Inspelen (trainer)</source>
            <translation>Inject (trainer)</translation>
        </message>
        <message>
            <source>De oefenmelding waarop het inspelen werkt</source>
            <translation>The training incident the injects act on</translation>
        </message>
        <message>
            <source>Accepteert…</source>
            <translation>Accepts…</translation>
        </message>
        <message>
            <source>Een gealarmeerde burgerhulpverlener accepteert</source>
            <translation>An alerted citizen responder accepts</translation>
        </message>
        <message>
            <source>Weigert…</source>
            <translation>Declines…</translation>
        </message>
        <message>
            <source>Een gealarmeerde burgerhulpverlener weigert</source>
            <translation>An alerted citizen responder declines</translation>
        </message>
        <message>
            <source>Ambulance ter plaatse</source>
            <translation>Ambulance on scene</translation>
        </message>
        <message>
            <source>Debrief</source>
            <translation>Debrief</translation>
        </message>
    </context>
    <context>
        <name>TrainingBanner</name>
        <message>
            <source>OEFENING – geen echte meldingen</source>
            <translation>TRAINING – no real incidents</translation>
        </message>
        <message>
            <source>Trainingsomgeving: meldingen, hulpverleners en AED's zijn gesimuleerd. Er gaat geen enkel bericht naar een echte telefoon.</source>
            <translation>Training environment: incidents, responders and AEDs are simulated. No message goes to a real phone.</translation>
        </message>
    </context>
    <context>
        <name>TrainingController</name>
        <message>
            <source>Scenario afgelopen: alle oefenmeldingen zijn gesloten. Klik op Debrief.</source>
            <translation>Scenario finished: all training incidents are closed. Click Debrief.</translation>
        </message>
        <message>
            <source>Geen gealarmeerde burgerhulpverlener die nog moet antwoorden.</source>
            <translation>No alerted citizen responder still has to answer.</translation>
        </message>
        <message>
            <source>Wie accepteert het alarm?</source>
            <translation>Who accepts the alert?</translation>
        </message>
        <message>
            <source>Wie weigert het alarm?</source>
            <translation>Who declines the alert?</translation>
        </message>
        <message>
            <source>Nog geen burgerhulpverlener heeft geaccepteerd.</source>
            <translation>No citizen responder has accepted yet.</translation>
        </message>
        <message>
            <source>Wie is als eerste ter plaatse?</source>
            <translation>Who is on scene first?</translation>
        </message>
        <message>
            <source>Laad en speel eerst een scenario.</source>
            <translation>Load and play a scenario first.</translation>
        </message>
    </context>
    <context>
        <name>TrainingWindow</name>
        <message>
            <source>OEFENING</source>
            <translation>TRAINING</translation>
        </message>
        <message>
            <source>Zesminuten</source>
            <translation>Zesminuten</translation>
        </message>
        <message>
            <source>OEFENING – {0}</source>
            <translation>TRAINING – {0}</translation>
        </message>
        <message>
            <source>Kies rechts een scenario en klik op Laden.</source>
            <translation>Choose a scenario on the right and click Load.</translation>
        </message>
    </context>
    <context>
        <name>parent</name>
        <message>
            <source>Debrief exporteren</source>
            <translation>Export debrief</translation>
        </message>
        <message>
            <source>HTML-bestand (*.html)</source>
            <translation>HTML file (*.html)</translation>
        </message>
        <message>
            <source>Samenvatting exporteren</source>
            <translation>Export summary</translation>
        </message>
    </context>
</TS>
