// The responder's own details (issue 15): certificate with a declaration of competence,
// holidays, channels. The web app's session (localStorage "zm.token") and its language
// ("zm.lang": Dutch unless chosen); refusals in that language (self-service-errors.js);
// textContent only.
"use strict";

const $ = (sel) => document.querySelector(sel);
const token = localStorage.getItem("zm.token");
const WORDS = {
  nl: {
    title: "Mijn gegevens", training: "Certificaat en herhaling", certificate_valid_until: "Certificaat geldig tot",
    refresher_on: "Laatste herhalingstraining",
    competent: "Ik verklaar dat ik bekwaam ben om te reanimeren en een AED te gebruiken",
    save_training: "Certificaat opslaan", away: "Vakantie: geen alarmen van – tot en met", from: "Van",
    until: "Tot en met", add_away: "Periode toevoegen", channels: "Hoe we je bereiken", ch_app: "App", ch_sms: "SMS",
    ch_voice: "Telefoonoproep", save_channels: "Kanalen opslaan", saved: "Opgeslagen. Geldt direct.",
    back: "Terug naar de app", remove: "Verwijderen", signed_out: "Open eerst de app met je aanmeldlink.",
  },
  en: {
    title: "My details", training: "Certificate and refresher", certificate_valid_until: "Certificate valid until",
    refresher_on: "Last refresher training",
    competent: "I declare that I am competent to resuscitate and to use an AED",
    save_training: "Save certificate", away: "Holiday: no alarms from – until (inclusive)", from: "From",
    until: "Until", add_away: "Add period", channels: "How we reach you", ch_app: "App", ch_sms: "Text message",
    ch_voice: "Phone call", save_channels: "Save channels", saved: "Saved. Takes effect at once.",
    back: "Back to the app", remove: "Remove", signed_out: "First open the app with your sign-in link.",
  },
};
let lang = localStorage.getItem("zm.lang") || "nl";
if (!(lang in WORDS)) lang = "nl";
let shown = null;      // the last profile, redrawn in another language
let refusal = null;    // the last refusal {body, status}, likewise

function words() {
  const w = WORDS[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = w[e.dataset.t]; });
  document.querySelectorAll(".langs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  if (shown) show(shown);
  if (refusal) $("#error").textContent = zmSelfServiceErrors.describe(refusal.body, refusal.status, lang).text;
}

async function call(method, path, body) {
  let r;
  try {
    r = await fetch(path, { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
                            body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { status: 0, body: {} };  // no connection: said in the page's language
  }
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

function show(p) {
  shown = p;
  $("input[name=certificate_valid_until]").value = p.certificate_valid_until || "";
  $("input[name=refresher_on]").value = p.refresher_on || "";
  document.querySelectorAll("input[name=ch]").forEach((c) => { c.checked = p.channels.includes(c.value); });
  const list = $("#away");
  list.replaceChildren();
  for (const a of p.unavailability) {
    const li = document.createElement("li");
    li.dataset.period = a.id;
    li.textContent = `${a.from} – ${a.until} `;
    const b = document.createElement("button");
    b.type = "button"; b.className = "secondary quiet small"; b.textContent = WORDS[lang].remove;
    b.addEventListener("click", () => done(call("DELETE", `/v1/me/unavailability/${encodeURIComponent(a.id)}`)));
    li.appendChild(b);
    list.appendChild(li);
  }
}

async function done(pending) {
  const r = await pending;
  if (r.status === 200 || r.status === 201) {
    refusal = null;
    $("#error").hidden = true;
    $("#saved").hidden = false;
    document.body.dataset.screen = "saved";
    show(r.body);
  } else {
    $("#saved").hidden = true;
    $("#error").hidden = false;
    refusal = {body: r.body, status: r.status};
    $("#error").dataset.field = r.body.field || "";
    $("#error").textContent = zmSelfServiceErrors.describe(r.body, r.status, lang).text;
    document.body.dataset.screen = "form";
  }
}

async function load() {
  if (!token) { $("#refused").hidden = false; $("#refused").textContent = WORDS[lang].signed_out; return; }
  const r = await call("GET", "/v1/me/profile");
  if (r.status !== 200) { $("#refused").hidden = false; $("#refused").textContent = WORDS[lang].signed_out; return; }
  show(r.body);
  $("#form").hidden = false;
  document.body.dataset.screen = "form";
}

$("#save-training").addEventListener("click", () => done(call("PATCH", "/v1/me/training", {
  certificate_valid_until: $("input[name=certificate_valid_until]").value || null,
  refresher_on: $("input[name=refresher_on]").value || null,
  competent: $("input[name=competent]").checked,
})));
$("#add-away").addEventListener("click", () => done(call("POST", "/v1/me/unavailability", {
  from: $("input[name=from]").value, until: $("input[name=until]").value,
})));
$("#save-channels").addEventListener("click", () => done(call("PUT", "/v1/me/channels", {
  channels: [...document.querySelectorAll("input[name=ch]:checked")].map((c) => c.value),
})));
document.querySelectorAll(".langs button").forEach((b) => b.addEventListener("click", () => {
  lang = b.dataset.lang;
  localStorage.setItem("zm.lang", lang);  // the app's own choice: the app follows it too
  if (token) call("PATCH", "/v1/me/preferences", {language: lang}).catch(() => {});
  words();
}));
words();
load();
