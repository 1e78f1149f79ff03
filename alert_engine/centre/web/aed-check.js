// The AED manager's check-back page (issue 15). The one-time code rides in the link's
// fragment (never sent to a server by the browser); the page takes it off the address bar
// and keeps it for this tab only. Text is set with textContent only.
"use strict";

const WORDS = {
  nl: {
    title: "AED-controle na inzet", what: "Wat is er met de AED gebeurd?",
    fetched: "Opgehaald uit de kast", used: "Gebruikt (elektroden geplakt)", returned: "Teruggebracht in de kast",
    pads_replaced: "Elektroden vervangen", battery_replaced: "Batterij vervangen of gecontroleerd",
    ready_q: "Is de AED weer inzetklaar?", ready: "Ja, inzetklaar", out: "Nee, buiten gebruik tot",
    send: "Doorgeven", why: "Tot u 'inzetklaar' meldt, stuurt de meldkamer niemand naar deze AED.",
    thanks: "Dank u wel. U kunt deze pagina sluiten.",
    since: (d) => `Ingezet bij een alarm op ${d}.`, until_now: (d) => `Buiten gebruik gemeld tot ${d}.`,
    choose: "Kies: inzetklaar, of buiten gebruik tot een datum.",
    done_ready: "De AED is weer beschikbaar voor alarmen.",
    done_out: (d) => `De AED staat buiten gebruik tot ${d}. Die ochtend vragen we het u opnieuw.`,
    no_code: "Deze link is onvolledig. Open de link uit het bericht opnieuw.",
    offline: "Geen verbinding. Probeer het zo opnieuw.",
  },
  en: {
    title: "AED check after use", what: "What happened to the AED?",
    fetched: "Taken from its cabinet", used: "Used (pads applied)", returned: "Returned to its cabinet",
    pads_replaced: "Pads replaced", battery_replaced: "Battery replaced or checked",
    ready_q: "Is the AED ready for use again?", ready: "Yes, ready", out: "No, out of service until",
    send: "Send", why: "Until you report it ready, the dispatch centre sends nobody to this AED.",
    thanks: "Thank you. You can close this page.",
    since: (d) => `Used in an alarm on ${d}.`, until_now: (d) => `Reported out of service until ${d}.`,
    choose: "Choose: ready, or out of service until a date.",
    done_ready: "The AED is available for alarms again.",
    done_out: (d) => `The AED is out of service until ${d}. We will ask you again that morning.`,
    no_code: "This link is incomplete. Open the link from the message again.",
    offline: "No connection. Please try again in a moment.",
  },
};
// The service's own messages are Dutch; these are their English words (by reason / field).
const SERVER_EN = {
  used: "This link was used already: the check has been reported.",
  expired: "This link has expired. You will get a new one with the next reminder.",
  unknown: "This link is not known.",
  returned: "An AED that is not back in its cabinet cannot be ready.",
  pads_replaced: "A used AED needs new pads before it is ready.",
  until: "Give a date after today (at most a year ahead).",
};
const SERVER_NL = {
  returned: "Een AED die niet terug in de kast is, kan niet inzetklaar zijn.",
  pads_replaced: "Een gebruikte AED heeft eerst nieuwe elektroden nodig.",
  until: "Geef een datum na vandaag (hoogstens een jaar vooruit).",
};

let lang = localStorage.getItem("zesminuten.aedcheck.lang") || (navigator.language || "nl").slice(0, 2);
if (!(lang in WORDS)) lang = "nl";
let view = null;
let lastError = null;
const $ = (sel) => document.querySelector(sel);

function takeCode() {
  const m = /(?:^|[#&])code=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem("zesminuten.aedcheck.code", m[1]);
    history.replaceState(null, "", location.pathname);
    return m[1];
  }
  return sessionStorage.getItem("zesminuten.aedcheck.code");
}
const code = takeCode();

function day(iso) {
  const d = new Date(iso.length === 10 ? iso + "T12:00:00" : iso);
  return d.toLocaleDateString(lang === "nl" ? "nl-NL" : "en-GB", { weekday: "long", day: "numeric", month: "long" });
}

function render() {
  const w = WORDS[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-t]").forEach((el) => { el.textContent = w[el.dataset.t]; });
  document.querySelectorAll(".langs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  if (view) {
    $("#aed-description").textContent = `AED ${view.description || view.aed}`;
    $("#since").textContent = view.out_of_service_until ? w.until_now(day(view.out_of_service_until)) : w.since(day(view.requested_at));
    $("input[name=until]").min = view.today;
  }
  if (lastError) showError(lastError);
}

function refused(body) {
  document.body.dataset.screen = "refused";
  $("#form").hidden = true;
  const el = $("#refused");
  el.hidden = false;
  el.textContent = lang === "en" ? (SERVER_EN[body.reason] || body.error) : body.error;
}

function showError(err) {
  lastError = err;
  const el = $("#error");
  el.hidden = false;
  const field = err.field || "";
  el.textContent = lang === "en" ? (SERVER_EN[field] || err.error) : (SERVER_NL[field] || err.error);
  document.querySelectorAll("[data-invalid]").forEach((n) => n.removeAttribute("data-invalid"));
  const input = document.querySelector(`[name=${CSS.escape(field === "outcome" ? "outcome" : field)}]`);
  if (input) input.closest("label, input").setAttribute("data-invalid", "true");
}

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

async function open() {
  if (!code) return refused({ reason: "unknown", error: WORDS[lang].no_code });
  try {
    const r = await post("/v1/aed-check/open", { code });
    if (r.status !== 200) return refused(r.body);
    view = r.body;
    document.body.dataset.screen = "form";
    $("#form").hidden = false;
    render();
  } catch (e) {
    refused({ reason: "offline", error: WORDS[lang].offline });
  }
}

function answer() {
  const a = {};
  for (const name of ["fetched", "used", "returned", "pads_replaced", "battery_replaced"]) {
    a[name] = document.querySelector(`input[name=${name}]`).checked;
  }
  const outcome = document.querySelector("input[name=outcome]:checked");
  if (!outcome) return null;
  a.outcome = outcome.value;
  if (a.outcome === "out_of_service") a.until = document.querySelector("input[name=until]").value;
  return a;
}

async function send() {
  const a = answer();
  if (!a) return showError({ field: "outcome", error: WORDS[lang].choose });
  const button = $("#send");
  button.disabled = true;
  try {
    const r = await post("/v1/aed-check/answer", { code, answer: a });
    if (r.status === 200) {
      sessionStorage.removeItem("zesminuten.aedcheck.code");
      document.body.dataset.screen = "done";
      $("#form").hidden = true;
      $("#done").hidden = false;
      $("#done-text").textContent = r.body.back_in_alerts ? WORDS[lang].done_ready : WORDS[lang].done_out(day(r.body.until));
    } else if (r.status === 401) {
      refused(r.body);
    } else {
      showError(r.body);
    }
  } catch (e) {
    showError({ error: WORDS[lang].offline });
  } finally {
    button.disabled = false;
  }
}

document.querySelectorAll(".langs button").forEach((b) => b.addEventListener("click", () => {
  lang = b.dataset.lang;
  localStorage.setItem("zesminuten.aedcheck.lang", lang);
  render();
}));
document.querySelectorAll("input[name=outcome]").forEach((r) => r.addEventListener("change", () => {
  $("input[name=until]").disabled = document.querySelector("input[name=outcome]:checked").value !== "out_of_service";
}));
document.querySelectorAll("#form input").forEach((i) => i.addEventListener("change", () => {
  lastError = null;
  $("#error").hidden = true;
  document.querySelectorAll("[data-invalid]").forEach((n) => n.removeAttribute("data-invalid"));
}));
$("#send").addEventListener("click", send);
render();
open();
