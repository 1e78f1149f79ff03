// The self-service endpoints' refusals in the page's language (issue 15): the service
// answers {"error", "field"} in English (one wording for logs, tests and integrations);
// the responder's and the AED manager's pages show each refusal as "<field>: <what to do>"
// in Dutch or English. Known refusals are matched by field and by the words of
// alert_engine/selfservice/rules.py; anything else still names its field, in the page's
// language, and never shows the English text. Used by profiel.js and aed-beheer.js.
"use strict";

window.zmSelfServiceErrors = (() => {
  const DAYS = {
    mo: ["maandag", "Monday"], tu: ["dinsdag", "Tuesday"], we: ["woensdag", "Wednesday"],
    th: ["donderdag", "Thursday"], fr: ["vrijdag", "Friday"], sa: ["zaterdag", "Saturday"], su: ["zondag", "Sunday"],
  };
  const FIELDS = {
    competent: ["Verklaring", "Declaration"],
    certificate_valid_until: ["Certificaat geldig tot", "Certificate valid until"],
    refresher_on: ["Laatste herhalingstraining", "Last refresher training"],
    from: ["Van", "From"],
    until: ["Tot en met", "Until"],
    channels: ["Kanalen", "Channels"],
    period: ["Vakantieperiode", "Holiday period"],
    hours: ["Bereikbaar per dag", "Available per day"],
    status: ["Status", "Status"],
    cabinet_code: ["Code van de kast", "Cabinet code"],
    body: ["Wijziging", "Change"],
    Authorization: ["Aanmelding", "Sign-in"],
  };
  // [field (or null: any field), words of the English refusal, Dutch, English]
  const KNOWN = [
    ["competent", /declare/, "vink aan dat je bekwaam bent om te reanimeren en een AED te gebruiken; zonder die verklaring slaan we niets op.",
     "tick that you are competent to resuscitate and use an AED; without that declaration nothing is saved."],
    [null, /give a date/, "vul een datum in.", "fill in a date."],
    [null, /is not a date/, "dit is geen datum (jjjj-mm-dd).", "this is not a date (yyyy-mm-dd)."],
    ["certificate_valid_until", /has expired/, "dit certificaat is verlopen; met een verlopen certificaat word je niet gealarmeerd.",
     "this certificate has expired; with an expired certificate you are not alerted."],
    ["certificate_valid_until", /three years/, "hoogstens drie jaar vooruit.", "at most three years ahead."],
    ["refresher_on", /must have taken place/, "de herhalingstraining moet al geweest zijn (vandaag of eerder).",
     "the refresher training must have taken place (today or earlier)."],
    ["until", /ends before it starts/, "de periode eindigt voordat die begint.", "the period ends before it starts."],
    ["until", /over already/, "deze periode is al voorbij.", "this period is over already."],
    ["until", /at most a year/, "hoogstens een jaar per keer (zet anders in de app de alarmen uit).",
     "at most a year at a time (or switch alarms off in the app)."],
    ["channels", /at least one/, "kies minstens één kanaal.", "choose at least one channel."],
    ["channels", /is not one of/, "kies uit app, sms of telefoonoproep.", "choose from app, text message or phone call."],
    ["period", /no such period/, "deze periode bestaat niet (meer).", "this period does not exist (any more)."],
    ["hours", /each weekday/, "geef elke dag van de week op.", "give every day of the week."],
    ["hours.", /closes before it opens/, "de sluitingstijd ligt vóór de openingstijd.", "it closes before it opens."],
    ["hours.", /HH:MM/, "gebruik uu:mm-uu:mm, hele dag of gesloten.", "use hh:mm-hh:mm, all day or closed."],
    ["status", /one of/, "kies inzetklaar, in onderhoud of reserve.", "choose ready, maintenance or reserve."],
    ["cabinet_code", /letters or digits/, "3 tot 10 letters of cijfers.", "3 to 10 letters or digits."],
    ["body", /nothing to change/, "er is niets gewijzigd.", "nothing was changed."],
    ["Authorization", /./, "deze link of sessie werkt niet (meer).", "this link or session no longer works."],
  ];

  function label(field, en) {
    const i = en ? 1 : 0;
    if (field && field.startsWith("hours.") && DAYS[field.slice(6)]) {
      const day = DAYS[field.slice(6)][i];
      return `${FIELDS.hours[i]}, ${day}`;
    }
    return FIELDS[field] ? FIELDS[field][i] : null;
  }

  // {text, specific}: specific is false when the refusal was not one this page knows.
  function describe(body, status, lang) {
    const en = lang === "en";
    const field = body && typeof body.field === "string" ? body.field : null;
    const error = body && typeof body.error === "string" ? body.error : "";
    const name = label(field, en);
    const known = KNOWN.find(([f, words]) => (f === null || f === field || (f.endsWith(".") && field && field.startsWith(f)))
                                              && words.test(error));
    if (name && known) return {text: `${name}: ${en ? known[3] : known[2]}`, specific: true};
    if (name) return {text: en ? `${name}: this value cannot be saved; please check it.`
                              : `${name}: deze waarde kan niet worden opgeslagen; controleer haar.`, specific: false};
    if (status === 401) return {text: label("Authorization", en) + ": " + (en ? KNOWN.at(-1)[3] : KNOWN.at(-1)[2]), specific: true};
    return {text: en ? `Saving did not work (error ${status || "no connection"}). Please try again later.`
                     : `Opslaan is niet gelukt (fout ${status || "geen verbinding"}). Probeer het later opnieuw.`, specific: false};
  }

  return {describe, label};
})();
