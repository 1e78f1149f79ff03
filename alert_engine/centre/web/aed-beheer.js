// The AED manager's page (issue 15): status, hours per weekday, cabinet code. The link's
// code (fragment) is the bearer token, kept for this tab only; text set with textContent only.
"use strict";

const DAYS = [["mo", "maandag"], ["tu", "dinsdag"], ["we", "woensdag"], ["th", "donderdag"], ["fr", "vrijdag"],
              ["sa", "zaterdag"], ["su", "zondag"]];
const $ = (sel) => document.querySelector(sel);
const m = /(?:^|[#&])code=([A-Za-z0-9_-]+)/.exec(location.hash);
if (m) { sessionStorage.setItem("zm.aedmanager.code", m[1]); history.replaceState(null, "", location.pathname); }
const code = sessionStorage.getItem("zm.aedmanager.code");

function dayRow(day, name) {
  const label = document.createElement("label");
  label.className = "check day";
  const span = document.createElement("span");
  span.textContent = name;
  span.style.minWidth = "7.5em";
  const select = document.createElement("select");
  select.name = `hours.${day}`;
  for (const [v, t] of [["24h", "hele dag"], ["closed", "gesloten"], ["span", "van–tot"]]) {
    const o = document.createElement("option");
    o.value = v; o.textContent = t; select.appendChild(o);
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
  if (hours === "24/7") DAYS.forEach(([d]) => { per[d] = "24h"; });
  for (const part of hours.split(";")) {
    const [day, value] = part.trim().split(" ");
    if (!day || !value) continue;
    const d = day.toLowerCase();
    per[d] = value === "off" ? "closed" : value === "00:00-24:00" ? "24h" : value;
  }
  for (const [d] of DAYS) {
    const v = per[d] || "24h";
    const select = document.querySelector(`select[name="hours.${d}"]`);
    const input = document.querySelector(`input[name="span.${d}"]`);
    select.value = v === "24h" || v === "closed" ? v : "span";
    input.value = select.value === "span" ? v : "";
    input.hidden = select.value !== "span";
  }
}

async function call(method, body) {
  const r = await fetch("/v1/aed-manager", { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${code}` },
                                             body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

function show(view) {
  $("#aed-description").textContent = `AED ${view.description || view.aed}`;
  $("#code-hint").textContent = view.cabinet_code_set ? `Er is een code ingesteld (${view.cabinet_code_hint}).` : "Er is nog geen code ingesteld.";
  const status = document.querySelector(`input[name=status][value="${view.status}"]`);
  if (status) status.checked = true;
  fill(view.hours);
}

async function load() {
  if (!code) { $("#refused").hidden = false; $("#refused").textContent = "Open de link uit het bericht opnieuw."; return; }
  const r = await call("GET");
  if (r.status !== 200) {
    document.body.dataset.screen = "refused";
    $("#refused").hidden = false;
    $("#refused").textContent = "Deze link werkt niet (meer). Vraag de meldkamer om een nieuwe.";
    return;
  }
  show(r.body);
  $("#form").hidden = false;
  document.body.dataset.screen = "form";
}

async function save() {
  const hours = {};
  for (const [d] of DAYS) {
    const v = document.querySelector(`select[name="hours.${d}"]`).value;
    hours[d] = v === "span" ? document.querySelector(`input[name="span.${d}"]`).value.trim() : v;
  }
  const body = { hours, status: (document.querySelector("input[name=status]:checked") || {}).value };
  const newCode = $("input[name=cabinet_code]").value.trim();
  if (newCode) body.cabinet_code = newCode;
  const r = await call("PATCH", body);
  $("input[name=cabinet_code]").value = "";
  if (r.status === 200) {
    $("#error").hidden = true;
    $("#saved").hidden = false;
    document.body.dataset.screen = "saved";
    show(r.body);
  } else {
    $("#saved").hidden = true;
    $("#error").hidden = false;
    $("#error").textContent = r.body.error || `fout ${r.status}`;
  }
}

const hoursBox = $("#hours");
for (const [d, name] of DAYS) hoursBox.appendChild(dayRow(d, name));
$("#send").addEventListener("click", save);
load();
