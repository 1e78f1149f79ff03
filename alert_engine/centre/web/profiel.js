// The responder's own details (issue 15): certificate with a declaration of competence,
// holidays, channels. The web app's session (localStorage "zm.token"); textContent only.
"use strict";

const $ = (sel) => document.querySelector(sel);
const token = localStorage.getItem("zm.token");
const FIELDS_NL = {
  competent: "Vink de verklaring aan dat je bekwaam bent.",
  certificate_valid_until: "Geef de datum waarop je certificaat verloopt (niet verlopen, hoogstens drie jaar vooruit).",
  refresher_on: "De herhalingstraining moet al geweest zijn.",
  from: "Geef de eerste dag.", until: "Geef de laatste dag (niet voor de eerste, niet voorbij).",
  channels: "Kies minstens één kanaal.",
};

async function call(method, path, body) {
  const r = await fetch(path, { method, headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
                                body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

function show(p) {
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
    b.type = "button"; b.className = "secondary quiet small"; b.textContent = "Verwijderen";
    b.addEventListener("click", () => done(call("DELETE", `/v1/me/unavailability/${encodeURIComponent(a.id)}`)));
    li.appendChild(b);
    list.appendChild(li);
  }
}

async function done(pending) {
  const r = await pending;
  if (r.status === 200 || r.status === 201) {
    $("#error").hidden = true;
    $("#saved").hidden = false;
    document.body.dataset.screen = "saved";
    show(r.body);
  } else {
    $("#saved").hidden = true;
    $("#error").hidden = false;
    $("#error").textContent = FIELDS_NL[r.body.field] || r.body.error || `fout ${r.status}`;
    document.body.dataset.screen = "form";
  }
}

async function load() {
  if (!token) { $("#refused").hidden = false; $("#refused").textContent = "Open eerst de app met je aanmeldlink."; return; }
  const r = await call("GET", "/v1/me/profile");
  if (r.status !== 200) { $("#refused").hidden = false; $("#refused").textContent = "Open eerst de app met je aanmeldlink."; return; }
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
load();
