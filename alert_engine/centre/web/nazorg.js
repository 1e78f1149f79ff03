// The responder's aftercare questionnaire (issue 15). Uses the web app's own session
// (localStorage "zm.token", same origin); text is set with textContent only.
"use strict";

const WORDS = {
  nl: {
    title: "Nazorg", lead: "Dank je wel voor je inzet. Vijf korte vragen; je antwoorden worden bewaard onder je schuilnaam.",
    q_arrived: "Ben je ter plaatse gekomen?", q_cpr: "Was er al een reanimatie bezig?", q_aed: "Is er een AED gebruikt?",
    q_wellbeing: "Hoe gaat het nu met je?", q_contact: "Contact",
    yes: "Ja", no: "Nee", unknown: "Weet ik niet",
    good: "Goed", okay: "Het gaat wel", hard: "Het zit me niet lekker",
    wants_contact: "Ik wil graag gebeld worden door een nazorgcontact",
    contact_others: "Ik wil in contact komen met andere hulpverleners van deze inzet",
    contact_note: "Alleen als zij dat ook willen. Tot jullie allebei ja zeggen, ziet niemand wie de ander is.",
    send: "Versturen", thanks: "Dank je wel. Je antwoorden zijn ontvangen.",
    help: "Heb je nu behoefte aan een gesprek? Neem contact op met je gemeente of de organisatie waarbij je je hebt aangemeld.",
    back: "Terug naar de app", when: (d) => `Inzet van ${d}`,
    choose_wellbeing: "Vertel ons hoe het met je gaat (de vierde vraag).",
    waiting: "Een andere hulpverlener van deze inzet wil graag contact met je. Wil jij dat ook?",
    agree: "Ja, ik wil contact", agreed_alone: "Je wilt contact met anderen van deze inzet. Zodra iemand anders ook ja zegt, zie je hier wie.",
    matched: (names) => `Jullie willen allebei contact: ${names}. De nazorgcoördinator brengt jullie in contact.`,
    none: "Er staat nu geen vragenlijst voor je klaar.", signed_out: "Open eerst de app met je aanmeldlink.",
    offline: "Geen verbinding. Probeer het zo opnieuw.",
  },
  en: {
    title: "Aftercare", lead: "Thank you for setting out. Five short questions; your answers are kept under your pseudonym.",
    q_arrived: "Did you reach the scene?", q_cpr: "Was a resuscitation already under way?", q_aed: "Was an AED used?",
    q_wellbeing: "How are you doing now?", q_contact: "Contact",
    yes: "Yes", no: "No", unknown: "I don't know",
    good: "Fine", okay: "So-so", hard: "It weighs on me",
    wants_contact: "I would like an aftercare contact to call me",
    contact_others: "I would like to get in touch with other responders of this call",
    contact_note: "Only if they want that too. Until you both say yes, nobody sees who the other is.",
    send: "Send", thanks: "Thank you. Your answers have been received.",
    help: "Need to talk now? Contact your municipality or the organisation you registered with.",
    back: "Back to the app", when: (d) => `Call of ${d}`,
    choose_wellbeing: "Tell us how you are doing (the fourth question).",
    waiting: "Another responder of this call would like to get in touch with you. Would you like that too?",
    agree: "Yes, I would like contact", agreed_alone: "You would like contact with others of this call. As soon as someone else says yes, you see who here.",
    matched: (names) => `You both would like contact: ${names}. The aftercare coordinator puts you in touch.`,
    none: "There is no questionnaire for you right now.", signed_out: "Open the app with your sign-in link first.",
    offline: "No connection. Please try again in a moment.",
  },
};
const QUESTIONS = { arrived: ["yes", "no", "unknown"], cpr_under_way: ["yes", "no", "unknown"],
                    aed_used: ["yes", "no", "unknown"], wellbeing: ["good", "okay", "hard"] };
let lang = localStorage.getItem("zm.lang") || "nl";
if (!(lang in WORDS)) lang = "nl";
let current = null;
const $ = (sel) => document.querySelector(sel);
const token = localStorage.getItem("zm.token");
const wanted = (/(?:^|[#&])incident=([^&]+)/.exec(location.hash) || [])[1];

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") n.textContent = v; else n.setAttribute(k, v);
  }
  for (const c of children) if (c) n.appendChild(c);
  return n;
}

function buildQuestions() {
  for (const [name, options] of Object.entries(QUESTIONS)) {
    const set = document.querySelector(`fieldset[data-q=${name}]`);
    for (const o of options) {
      const input = el("input", { type: "radio", name, value: o });
      set.appendChild(el("label", { class: "check" }, input, el("span", { "data-t": o })));
    }
  }
}

function render() {
  const w = WORDS[lang];
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-t]").forEach((n) => { if (typeof w[n.dataset.t] === "string") n.textContent = w[n.dataset.t]; });
  document.querySelectorAll(".langs button").forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.lang === lang)));
  if (current) {
    const d = current.ended_at ? new Date(current.ended_at) : null;
    $("#when").textContent = d ? w.when(d.toLocaleString(lang === "nl" ? "nl-NL" : "en-GB",
      { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" })) : "";
    if (current.answered) renderContact();
  }
}

function renderContact() {
  const w = WORDS[lang];
  const box = $("#contact");
  box.replaceChildren();
  const c = current.contact;
  if (c.agreed && c.matched.length) {
    box.appendChild(el("p", { class: "lead", "data-contact": "matched", text: w.matched(c.matched.join(", ")) }));
  } else if (c.agreed) {
    box.appendChild(el("p", { "data-contact": "agreed", text: w.agreed_alone }));
  } else if (c.others_waiting) {
    const b = el("button", { type: "button", class: "primary", id: "agree", text: w.agree });
    b.addEventListener("click", agree);
    box.append(el("p", { "data-contact": "waiting", text: w.waiting }), b);
  }
}

function show(screen) {
  document.body.dataset.screen = screen;
  $("#form").hidden = screen !== "form";
  $("#done").hidden = screen !== "done";
  render();
}

function refused(text, screen = "refused") {
  document.body.dataset.screen = screen;
  $("#form").hidden = true;
  const r = $("#refused");
  r.hidden = false;
  r.textContent = text;
}

async function call(method, path, body) {
  const r = await fetch(path, { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
                                body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

async function load() {
  if (!token) return refused(WORDS[lang].signed_out, "signed-out");
  try {
    const r = await call("GET", "/v1/me/aftercare");
    if (r.status === 401) return refused(WORDS[lang].signed_out, "signed-out");
    const list = r.body.questionnaires || [];
    current = list.find((q) => q.incident === decodeURIComponent(wanted || "")) || list.find((q) => !q.answered) || list[0];
    if (!current) return refused(WORDS[lang].none, "none");
    show(current.answered ? "done" : "form");
  } catch (e) {
    refused(WORDS[lang].offline, "offline");
  }
}

function answer() {
  const a = {};
  for (const name of ["arrived", "cpr_under_way", "aed_used"]) {
    const v = (document.querySelector(`input[name=${name}]:checked`) || {}).value;
    a[name] = v === "yes" ? true : v === "no" ? false : null;
  }
  a.wellbeing = (document.querySelector("input[name=wellbeing]:checked") || {}).value || null;
  a.wants_contact = $("input[name=wants_contact]").checked;
  a.contact_others = $("input[name=contact_others]").checked;
  return a;
}

async function send() {
  const a = answer();
  const error = $("#error");
  if (!a.wellbeing) {
    error.hidden = false;
    error.textContent = WORDS[lang].choose_wellbeing;
    return;
  }
  $("#send").disabled = true;
  try {
    const r = await call("POST", `/v1/me/aftercare/${encodeURIComponent(current.incident)}`, { answer: a });
    if (r.status === 200) {
      current = r.body;
      show("done");
    } else {
      error.hidden = false;
      error.textContent = r.body.error || WORDS[lang].offline;
    }
  } catch (e) {
    error.hidden = false;
    error.textContent = WORDS[lang].offline;
  } finally {
    $("#send").disabled = false;
  }
}

async function agree() {
  const r = await call("POST", `/v1/me/aftercare/${encodeURIComponent(current.incident)}/contact`);
  if (r.status === 200) {
    current.contact = r.body;
    renderContact();
  }
}

document.querySelectorAll(".langs button").forEach((b) => b.addEventListener("click", () => {
  lang = b.dataset.lang;
  localStorage.setItem("zm.lang", lang);
  render();
}));
$("#send").addEventListener("click", send);
buildQuestions();
render();
load();
