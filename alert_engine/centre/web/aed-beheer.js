// The AED manager's page (issue 15): status, hours per weekday, cabinet code. The link's
// code (fragment) is the bearer token, kept for this tab only; Dutch, English one tap away
// (the manager's choice, shared with the check-back page); refusals in that language
// (self-service-errors.js); text set with textContent only.
"use strict";

const DAYS = ["mo", "tu", "we", "th", "fr", "sa", "su"];
const WORDS = {
  nl: {
    title: "AED-beheer", status: "Status", ready: "Inzetklaar", maintenance: "In onderhoud",
    reserve: "Reserve (niet voor alarmen)", hours: "Bereikbaar per dag", code: "Code van de kast",
    code_note: "Alleen invullen om de code te wijzigen. De code wordt nooit teruggetoond.",
    saved: "Opgeslagen. Geldt direct voor nieuwe alarmen.", send: "Opslaan", new_code: "nieuwe code",
    all_day: "hele dag", closed: "gesloten", span: "van–tot",
    days: ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    code_set: (hint) => `Er is een code ingesteld (${hint}).`, no_code_set: "Er is nog geen code ingesteld.",
    reopen: "Open de link uit het bericht opnieuw.", dead: "Deze link werkt niet (meer). Vraag de meldkamer om een nieuwe.",
  },
  en: {
    title: "AED management", status: "Status", ready: "Ready", maintenance: "In maintenance",
    reserve: "Reserve (not for alarms)", hours: "Available per day", code: "Cabinet code",
    code_note: "Fill in only to change the code. The code is never shown back.",
    saved: "Saved. Takes effect at once for new alarms.", send: "Save", new_code: "new code",
    all_day: "all day", closed: "closed", span: "from–to",
    days: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    code_set: (hint) => `A code is set (${hint}).`, no_code_set: "No code is set yet.",
    reopen: "Open the link from the message again.", dead: "This link no longer works. Ask the dispatch centre for a new one.",
  },
};
let lang = localStorage.getItem("zesminuten.aedcheck.lang") || (navigator.language || "nl").slice(0, 2);
if (!(lang in WORDS)) lang = "nl";
let shown = null;      // the last view, redrawn in another language
let refusal = null;    // the last refusal {body, status}, likewise
const $ = (sel) => document.querySelector(sel);
const m = /(?:^|[#&])code=([A-Za-z0-9_-]+)/.exec(location.hash);
if (m) { sessionStorage.setItem("zm.aedmanager.code", m[1]); history.replaceState(null, "", location.pathname); }
const code = sessionStorage.getItem("zm.aedmanager.code");

function dayRow(day) {
  const label = document.createElement("label");
  label.className = "check day";
  const span = document.createElement("span");
  span.dataset.day = day;
  span.style.minWidth = "7.5em";
  const select = document.createElement("select");
  select.name = `hours.${day}`;
  for (const v of ["24h", "closed", "span"]) {
    const o = document.createElement("option");
    o.value = v; o.dataset.option = v; select.appendChild(o);
  }
  const span_in = document.createElement("input");
  span_in.name = `span.${day}`;
  span_in.placeholder = "08:00-17:00";
  span_in.size = 11;
  span_in.hidden = true;
  select.addEventListener("change", () => { span_in.hidden = select.value !== "span"; });
  label.append(span, select, span_in);
  return label;
}

// The registry keeps an opening-hours text ("24/7", or "Mo 08:00-17:00; Tu off; ..."): back into rows.
function fill(hours) {
  const per = {};
  if (hours === "24/7") DAYS.forEach((d) => { per[d] = "24h"; });
  for (const part of hours.split(";")) {
    const [day, value] = part.trim().split(" ");
    if (!day || !value) continue;
    const d = day.toLowerCase();
    per[d] = value === "off" ? "closed" : value === "00:00-24:00" ? "24h" : value;
  }
  for (const d of DAYS) {
    const v = per[d] || "24h";
    const select = document.querySelector(`select[name="hours.${d}"]`);
    const input = document.querySelector(`input[name="span.${d}"]`);
    select.value = v === "24h" || v === "closed" ? v : "span";
    input.value = select.value === "span" ? v : "";
    input.hidden = select.value !== "span";
  }
}

async function call(method, body) {
  let r;
  try {
    r = await fetch("/v1/aed-manager", { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${code}` },
                                         body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    return { status: 0, body: {} };  // no connection: said in the page's language
  }
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

function words() {
  const w = WORDS[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = w[e.dataset.t]; });
  document.querySelectorAll("[data-day]").forEach((e) => { e.textContent = w.days[DAYS.indexOf(e.dataset.day)]; });
  const optionWords = {"24h": w.all_day, closed: w.closed, span: w.span};
  document.querySelectorAll("option[data-option]").forEach((o) => { o.textContent = optionWords[o.dataset.option]; });
  $("input[name=cabinet_code]").setAttribute("aria-label", w.new_code);
  document.querySelectorAll(".langs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  if (shown) showCode(shown);
  if (refusal) $("#error").textContent = zmSelfServiceErrors.describe(refusal.body, refusal.status, lang).text;
  if ($("#refused").dataset.why) $("#refused").textContent = w[$("#refused").dataset.why];
}

function showCode(view) {
  const w = WORDS[lang];
  $("#code-hint").textContent = view.cabinet_code_set ? w.code_set(view.cabinet_code_hint) : w.no_code_set;
}

function refused(why) {
  $("#refused").hidden = false;
  $("#refused").dataset.why = why;
  $("#refused").textContent = WORDS[lang][why];
}

function show(view) {
  shown = view;
  $("#aed-description").textContent = `AED ${view.description || view.aed}`;
  showCode(view);
  const status = document.querySelector(`input[name=status][value="${view.status}"]`);
  if (status) status.checked = true;
  fill(view.hours);
}

async function load() {
  if (!code) { refused("reopen"); return; }
  const r = await call("GET");
  if (r.status !== 200) {
    document.body.dataset.screen = "refused";
    refused("dead");
    return;
  }
  show(r.body);
  $("#form").hidden = false;
  document.body.dataset.screen = "form";
}

async function save() {
  const hours = {};
  for (const d of DAYS) {
    const v = document.querySelector(`select[name="hours.${d}"]`).value;
    hours[d] = v === "span" ? document.querySelector(`input[name="span.${d}"]`).value.trim() : v;
  }
  const body = { hours, status: (document.querySelector("input[name=status]:checked") || {}).value };
  const newCode = $("input[name=cabinet_code]").value.trim();
  if (newCode) body.cabinet_code = newCode;
  const r = await call("PATCH", body);
  $("input[name=cabinet_code]").value = "";
  if (r.status === 200) {
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
  }
}

const hoursBox = $("#hours");
for (const d of DAYS) hoursBox.appendChild(dayRow(d));
$("#send").addEventListener("click", save);
document.querySelectorAll(".langs button").forEach((b) => b.addEventListener("click", () => {
  lang = b.dataset.lang;
  localStorage.setItem("zesminuten.aedcheck.lang", lang);
  words();
}));
words();
load();
