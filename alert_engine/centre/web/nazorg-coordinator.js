// The aftercare coordinator's call list (issue 15): GET /v1/aftercare/follow-ups with the
// coordinator's workstation token (kept for this tab only). Text set with textContent only.
"use strict";

const REASONS = { wants_contact: "wil gebeld worden", distress: "zit het niet lekker" };
const $ = (sel) => document.querySelector(sel);
let token = sessionStorage.getItem("zm.coordinator.token") || "";

function when(iso) {
  return new Date(iso).toLocaleString("nl-NL", { weekday: "short", day: "numeric", month: "short",
                                                  hour: "2-digit", minute: "2-digit" });
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

async function call(method, path) {
  const r = await fetch(path, { method, headers: { Authorization: `Bearer ${token}` } });
  return { status: r.status, body: await r.json().catch(() => ({})) };
}

async function refresh() {
  const m = $("#municipality").value.trim();
  const r = await call("GET", "/v1/aftercare/follow-ups" + (m ? `?municipality=${encodeURIComponent(m)}` : ""));
  const error = $("#error");
  if (r.status !== 200) {
    error.hidden = false;
    error.textContent = r.body.error || `fout ${r.status}`;
    document.body.dataset.screen = "sign-in";
    return;
  }
  error.hidden = true;
  sessionStorage.setItem("zm.coordinator.token", token);
  document.body.dataset.screen = "list";
  $("#sign-in").hidden = true;
  const body = $("#list tbody");
  body.replaceChildren();
  const now = Date.now();
  for (const f of r.body) {
    const tr = document.createElement("tr");
    tr.dataset.pseudonym = f.pseudonym;
    if (Date.parse(f.deadline) < now) tr.className = "overdue";
    tr.append(cell(f.pseudonym), cell(f.municipality || "–"), cell(f.reasons.map((x) => REASONS[x] || x).join(", "), "reason"),
              cell(when(f.answered_at)), cell(when(f.call_by)), cell(when(f.deadline), "deadline"));
    const td = document.createElement("td");
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = "Gebeld";
    b.addEventListener("click", async () => {
      await call("POST", `/v1/aftercare/follow-ups/${encodeURIComponent(f.incident)}/${encodeURIComponent(f.pseudonym)}/called`);
      refresh();
    });
    td.appendChild(b);
    tr.appendChild(td);
    body.appendChild(tr);
  }
  $("#list").hidden = r.body.length === 0;
  $("#empty").hidden = r.body.length !== 0;
}

$("#open").addEventListener("click", () => { token = $("#token").value.trim(); refresh(); });
if (token) refresh();
