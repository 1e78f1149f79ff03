/* Zesminuten responder page.
 *
 * Everything shown comes from the service's view of this responder's own alarm
 * (GET /v1/me, then the stream /v1/me/stream, which sends the whole view again after
 * every change). The page keeps no alarm state of its own beyond what it was last told,
 * so after a lost connection or a restart of the service it simply shows the view it
 * receives on reconnecting. Text is set with textContent only: nothing the service sends
 * is ever parsed as HTML.
 */
"use strict";

(() => {
  const HOLD_MS = 1000;            // accept: held this long, so a pocket tap accepts nothing
  const RECONNECT_MS = [1000, 1000, 2000, 3000, 5000];
  const SILENT_MS = 25000;         // the service sends a keep-alive every 10 s
  const POSITION_EVERY_MS = 15000;

  // -- words ------------------------------------------------------------------------------
  const WORDS = {
    nl: {
      app: "Burgerhulpverlener", signin_title: "Aanmelden",
      signin_text: "Open de aanmeldlink die je van de meldkamer kreeg (per sms of e-mail). Een link werkt één keer.",
      signin_busy: "Bezig met aanmelden…",
      signin_used: "Deze aanmeldlink is al gebruikt. Vraag een nieuwe link aan.",
      signin_expired: "Deze aanmeldlink is verlopen. Vraag een nieuwe link aan.",
      signin_unknown: "Deze aanmeldlink klopt niet. Vraag een nieuwe link aan.",
      signed_out: "Je bent afgemeld op dit toestel.",
      mode_test: "TEST · proefalarm · geen echte reanimatie", mode_training: "OEFENING · geen echte reanimatie",
      conn_offline: "Geen verbinding met de meldkamer. Opnieuw verbinden…",
      conn_connecting: "Verbinden met de meldkamer…",
      home: "Zesminuten", no_alarm: "Geen alarm. Als je nodig bent, gaat deze telefoon over.",
      available: "Beschikbaar voor alarmen", available_on: "Aan: je kunt gealarmeerd worden.",
      available_off: "Uit: je krijgt nu geen alarmen.",
      share: "Deel mijn locatie tijdens een alarm", share_sub: "Alleen als je onderweg bent, tot je ter plaatse bent.",
      push_on: "Meldingen aanzetten", push_done: "Meldingen staan aan op dit toestel.",
      push_none: "Meldingen kunnen op dit toestel niet; houd deze pagina open.",
      sound_test: "Test het alarmgeluid", sign_out: "Afmelden op dit toestel", language: "Taal",
      profile: "Mijn gegevens: certificaat, vakantie, kanalen", aftercare_list: "Nazorg na een inzet",
      w_alarm: "Reanimatie", w_test_alarm: "Test-alarm", w_onway: "Onderweg", w_there: "Ter plaatse",
      w_cancelled: "Ingetrokken", w_notneeded: "Niet meer nodig", w_declined: "Afgewezen", w_ended: "Afgerond",
      at: "om {t}",
      role_cpr: "Ga direct naar het slachtoffer", role_aed: "Haal eerst de AED",
      role_cpr_sub: "Start reanimatie. Anderen brengen een AED.",
      dist_cpr: "van je af", dist_aed: "naar de AED", dist_then: "daarna {d} naar het slachtoffer",
      approx: "De precieze plek krijg je als je accepteert.",
      timed_out: "Je hebt nog niet gereageerd. Kun je toch? Je bent nog steeds welkom.",
      hold: "Houd vast om te accepteren", hold_hint: "Houd de knop 1 seconde vast",
      decline: "Ik kan niet", decline_sure: "Zeker? Ja, ik kan niet", back: "Terug", mute: "Geluid uit",
      busy: "Bezig…", retrying: "Nog niet verstuurd: opnieuw proberen…",
      step_aed: "1. Haal de AED", step_victim_2: "2. Breng hem naar het slachtoffer",
      step_victim: "Ga naar het slachtoffer", cabinet: "Kastcode",
      aed_gone: "De AED is al opgehaald. Ga direct naar het slachtoffer.",
      aed_fetched: "AED opgehaald", arrived: "Ik ben ter plaatse", navigate: "Navigeer",
      navigate_aed: "Navigeer naar de AED", address_unknown: "Adres volgt van de meldkamer; volg de kaart.",
      sharing: "Je locatie wordt gedeeld tot je ter plaatse bent.", not_sharing: "Locatie delen staat uit.",
      there_text: "Start of help met reanimeren. Volg de aanwijzingen van de meldkamer en de ambulance.",
      cancel_dispatcher: "De meldkamer heeft het alarm ingetrokken. Je hoeft niet (meer) te komen.",
      cancel_closed: "Het alarm is afgesloten. Je hoeft niet (meer) te komen.",
      cancel_live_alarm: "Deze test stopt voor jou: je wordt nu gealarmeerd voor een echte reanimatie.",
      notneeded_text: "Er zijn genoeg hulpverleners onderweg. Je hoeft niet te komen. Bedankt!",
      oversupply_text: "Er waren al genoeg hulpverleners. Je hoeft niet te komen. Bedankt voor je reactie!",
      declined_text: "Je hebt dit alarm afgewezen. Bedankt voor je reactie.",
      ended_text: "Het alarm is afgerond. Dank je wel voor je inzet.",
      return_aed: "Breng de AED terug naar de kast, of geef hem aan de ambulance.",
      aftercare: "Nazorg: korte vragenlijst", close: "Sluiten",
      victim: "Slachtoffer", near: "Ongeveer hier", you: "Jij",
      refused: "Dat kon niet meer: de meldkamer heeft het alarm intussen bijgewerkt.",
      test_note: "Reageer zoals bij een echt alarm; je hoeft nergens heen.",
      touch_once: "Tik één keer op het scherm: dan mag de app geluid maken en trillen bij een alarm.",
      test_title: "Dit is een proefalarm van je gemeente", w_test_accepted: "Geaccepteerd",
      test_accepted: "Je hebt de test geaccepteerd. Bedankt!",
      test_accepted_sub: "Je hoeft nergens heen. Zo weten we dat een alarm jou bereikt.",
      // FirstAED's third role (the engine's option coordinator_role; notifications.coordinator_text).
      w_coordinator: "Coördinator", coord_title: "Jij bent coördinator",
      coord_intro: "Je komt tegelijk met de eerste hulpverleners aan. De meldkamer vraagt je het geheel te regelen:",
      coord_guide: "Wijs de anderen de weg: zorg dat de volgende hulpverleners en de AED het slachtoffer snel vinden (deur open, iemand bij de straat).",
      coord_cpr: "Neem de reanimatie om de beurt over: wissel elke 2 minuten af, dan blijven de borstcompressies goed.",
      coord_ambulance: "Vang de ambulance op: wijs het ambulanceteam de weg naar het slachtoffer en vertel wat er gebeurd is.",
    },
    en: {
      app: "Citizen responder", signin_title: "Sign in",
      signin_text: "Open the sign-in link the dispatch centre sent you (by text or e-mail). A link works once.",
      signin_busy: "Signing in…",
      signin_used: "This sign-in link was used already. Ask for a new link.",
      signin_expired: "This sign-in link has expired. Ask for a new link.",
      signin_unknown: "This sign-in link is not valid. Ask for a new link.",
      signed_out: "You are signed out on this device.",
      mode_test: "TEST · exercise alarm · not a real resuscitation", mode_training: "TRAINING · not a real resuscitation",
      conn_offline: "No connection to the dispatch centre. Reconnecting…",
      conn_connecting: "Connecting to the dispatch centre…",
      home: "Zesminuten", no_alarm: "No alarm. If you are needed, this phone rings.",
      available: "Available for alarms", available_on: "On: you can be alerted.",
      available_off: "Off: you get no alarms now.",
      share: "Share my location during an alarm", share_sub: "Only while you are on your way, until you are there.",
      push_on: "Turn on notifications", push_done: "Notifications are on for this device.",
      push_none: "This device cannot show notifications; keep this page open.",
      sound_test: "Test the alarm sound", sign_out: "Sign out on this device", language: "Language",
      profile: "My details: certificate, holidays, channels", aftercare_list: "Aftercare after a call",
      w_alarm: "Resuscitation", w_test_alarm: "Test alarm", w_onway: "On your way", w_there: "On scene",
      w_cancelled: "Called off", w_notneeded: "No longer needed", w_declined: "Declined", w_ended: "Finished",
      at: "at {t}",
      role_cpr: "Go straight to the victim", role_aed: "Fetch the AED first",
      role_cpr_sub: "Start CPR. Others bring an AED.",
      dist_cpr: "from you", dist_aed: "to the AED", dist_then: "then {d} to the victim",
      approx: "You get the exact place when you accept.",
      timed_out: "You have not answered yet. Can you still come? You are still welcome.",
      hold: "Hold to accept", hold_hint: "Hold the button for 1 second",
      decline: "I can't", decline_sure: "Sure? Yes, I can't", back: "Back", mute: "Sound off",
      busy: "Sending…", retrying: "Not sent yet: trying again…",
      step_aed: "1. Fetch the AED", step_victim_2: "2. Bring it to the victim",
      step_victim: "Go to the victim", cabinet: "Cabinet code",
      aed_gone: "The AED has been fetched already. Go straight to the victim.",
      aed_fetched: "I have the AED", arrived: "I am on scene", navigate: "Navigate",
      navigate_aed: "Navigate to the AED", address_unknown: "The address follows from the dispatch centre; follow the map.",
      sharing: "Your location is shared until you are on scene.", not_sharing: "Location sharing is off.",
      there_text: "Start or help with CPR. Follow the instructions of the dispatch centre and the ambulance.",
      cancel_dispatcher: "The dispatch centre called the alarm off. You need not come (any more).",
      cancel_closed: "The alarm was closed. You need not come (any more).",
      cancel_live_alarm: "This test stops for you: you are being alerted for a real resuscitation.",
      notneeded_text: "Enough responders are on their way. You need not come. Thank you!",
      oversupply_text: "There were enough responders already. You need not come. Thanks for answering!",
      declined_text: "You declined this alarm. Thanks for answering.",
      ended_text: "The alarm is over. Thank you for setting out.",
      return_aed: "Take the AED back to its cabinet, or hand it to the ambulance crew.",
      aftercare: "Aftercare: short questionnaire", close: "Close",
      victim: "Victim", near: "About here", you: "You",
      refused: "That was no longer possible: the dispatch centre updated the alarm meanwhile.",
      test_note: "Answer as you would a real alarm; you need not go anywhere.",
      touch_once: "Tap the screen once: then the app may sound and vibrate for an alarm.",
      test_title: "This is an exercise alarm of your municipality", w_test_accepted: "Accepted",
      test_accepted: "You accepted the test. Thank you!",
      test_accepted_sub: "You need not go anywhere. Now we know an alarm reaches you.",
      w_coordinator: "Coordinator", coord_title: "You are the coordinator",
      coord_intro: "You arrive with the first responders. The dispatch centre asks you to organise the scene:",
      coord_guide: "Guide the others in: make sure the next responders and the AED find the victim quickly (door open, someone at the street).",
      coord_cpr: "Take over CPR in turns: swap every 2 minutes, so the chest compressions stay good.",
      coord_ambulance: "Meet the ambulance: lead the crew to the victim and tell them what happened.",
    },
  };

  const store = {
    get: (k) => { try { return localStorage.getItem(k); } catch (e) { return null; } },
    set: (k, v) => { try { if (v === null) localStorage.removeItem(k); else localStorage.setItem(k, v); } catch (e) { /* private mode */ } },
  };

  const S = {
    token: store.get("zm.token"),
    lang: store.get("zm.lang") || "nl",
    me: null,
    view: null,
    conn: "connecting",
    signinError: null,
    dismissed: new Set(JSON.parse(store.get("zm.dismissed") || "[]")),
    pending: null,           // the one action on its way: {incident, what, body, key}
    confirmDecline: false,
    muted: new Set(),
    acknowledged: new Set(),
    message: null,
    pushState: null,
  };
  // What the page was told, newest last: for support ("what did the phone show?") and tests.
  const zm = window.zm = {received: [], state: S};

  const t = (key, vars) => {
    let s = (WORDS[S.lang] || WORDS.nl)[key] ?? WORDS.nl[key] ?? key;
    for (const [k, v] of Object.entries(vars || {})) s = s.replace(`{${k}}`, v);
    return s;
  };

  // -- small DOM helper: attributes and children, text only --------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined && kid !== false) e.append(kid);
    return e;
  }

  function km(m) {
    if (m === null || m === undefined) return "";
    if (m < 1000) return `${Math.max(10, Math.round(m / 10) * 10)} m`;
    const v = (m / 1000).toFixed(1);
    return `${S.lang === "nl" ? v.replace(".", ",") : v} km`;
  }
  function clock(iso) {
    if (!iso) return "";
    return new Date(iso).toLocaleTimeString(S.lang === "nl" ? "nl-NL" : "en-GB", {hour: "2-digit", minute: "2-digit"});
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // -- the service -------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(status, body) { super(body && body.error || `HTTP ${status}`); this.status = status; this.body = body; }
  }

  async function api(method, path, body, key) {
    const headers = {"Accept": "application/json"};
    if (S.token) headers.Authorization = `Bearer ${S.token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (key) headers["Idempotency-Key"] = key;
    const res = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body),
                                   cache: "no-store", credentials: "omit"});
    let data = null;
    if (res.status !== 204) { try { data = await res.json(); } catch (e) { data = null; } }
    if (res.status === 401 && path !== "/v1/me/session") { signedOut(); }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  function signedOut(message) {
    S.token = null; store.set("zm.token", null);
    S.me = null; S.view = null; S.signinError = message || null;
    stopStream(); stopRing(); stopPositions();
    render();
  }

  async function signIn(code) {
    S.signinError = null;
    renderSignIn(t("signin_busy"));
    try {
      const got = await api("POST", "/v1/me/session", {code});
      S.token = got.token; store.set("zm.token", got.token);
    } catch (e) {
      // A link opened again on a phone that is signed in already: nothing to do.
      if (S.token && e.status === 401) return;
      const reason = e.body && e.body.reason;
      S.signinError = reason === "used" ? t("signin_used") : reason === "expired" ? t("signin_expired") : t("signin_unknown");
    }
  }

  async function loadMe() {
    try {
      const me = await api("GET", "/v1/me");
      S.me = me;
      if (me.preferences && me.preferences.language && !store.get("zm.lang")) S.lang = me.preferences.language;
      if (me.alarm !== undefined) onView(me.alarm);
      setConn("online");
    } catch (e) {
      if (e.status !== 401) setConn("offline");
    }
  }

  // -- the live stream (fetch, so the session token goes in a header, not a URL) -----------
  let stream = null;
  let attempt = 0;
  let reconnectTimer = null;

  function stopStream() {
    if (stream) { stream.abort(); stream = null; }
    clearTimeout(reconnectTimer);
  }

  async function connect() {
    stopStream();
    if (!S.token) return;
    const ctl = new AbortController();
    stream = ctl;
    let silence = null;
    const alive = () => { clearTimeout(silence); silence = setTimeout(() => ctl.abort(), SILENT_MS); };
    try {
      alive();
      const res = await fetch("/v1/me/stream", {headers: {Authorization: `Bearer ${S.token}`, Accept: "text/event-stream"},
                                                signal: ctl.signal, cache: "no-store", credentials: "omit"});
      if (res.status === 401) { clearTimeout(silence); signedOut(); return; }
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
      attempt = 0;
      setConn("online");
      onReconnected();
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      let buf = "";
      for (;;) {
        const {value, done} = await reader.read();
        if (done) break;
        alive();
        buf += decoder.decode(value, {stream: true});
        let cut;
        while ((cut = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          handleSse(block);
        }
      }
    } catch (e) {
      /* the service went away, or it was silent too long: reconnect below */
    }
    clearTimeout(silence);
    if (stream !== ctl) return;  // replaced or stopped on purpose
    stream = null;
    setConn("offline");
    const wait = RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)];
    attempt += 1;
    reconnectTimer = setTimeout(connect, wait);
  }

  function handleSse(block) {
    let event = "message";
    const data = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (event === "view" && data.length) onView(JSON.parse(data.join("\n")));
  }

  function onReconnected() {
    if (S.pending) sendPending();
    refreshPush();
  }

  function setConn(conn) {
    if (S.conn === conn) return;
    S.conn = conn;
    document.body.dataset.conn = conn;
    renderBanners();
  }

  // -- a new view from the service --------------------------------------------------------
  function onView(view) {
    zm.received.push(view);
    if (zm.received.length > 100) zm.received.shift();
    const before = S.view;
    S.view = view;
    if (!view || !before || before.incident !== view.incident || before.status !== view.status) {
      S.confirmDecline = false;
      S.message = null;
    }
    if (view && (view.status === "alerted" || view.status === "timed_out") && !view.acknowledged
        && !S.acknowledged.has(view.incident)) {
      S.acknowledged.add(view.incident);
      // The delivery receipt: the alert reached this phone (stops the SMS fallback).
      api("POST", `/v1/me/alarms/${encodeURIComponent(view.incident)}/received`).catch(() => S.acknowledged.delete(view.incident));
      notifyIfHidden(view);
    }
    // Becoming coordinator changes what the responder does on arrival: ring once, so they look.
    if (view && view.coordinator && !(before && before.incident === view.incident && before.coordinator)) ringOnce();
    render();
  }

  // -- the responder's answers: retried with the same key until the service has them ------
  function act(what, body) {
    const v = S.view;
    if (!v || S.pending) return;
    S.pending = {incident: v.incident, what, body, key: uuid(), tries: 0};
    sendPending();
    render();
  }

  async function sendPending() {
    const p = S.pending;
    if (!p || p.sending) return;
    p.sending = true;
    try {
      const got = await api("POST", `/v1/me/alarms/${encodeURIComponent(p.incident)}/${p.what}`, p.body, p.key);
      S.pending = null;
      if (got && got.alarm) onView(got.alarm); else render();
    } catch (e) {
      p.sending = false;
      p.tries += 1;
      if (e instanceof ApiError && e.status >= 400 && e.status < 500) {
        S.pending = null;
        S.message = t("refused");
        render();
        return;
      }
      render();
      setTimeout(() => { if (S.pending === p) sendPending(); }, 1500);
    }
  }

  // -- ringing: Web Audio two-tone, vibration, screen kept on -----------------------------
  let audioCtx = null;
  let ringTimer = null;
  let wakeLock = null;

  function audio() {
    try {
      if (!audioCtx) audioCtx = new (window.AudioContext || window.webkitAudioContext)();
      if (audioCtx.state === "suspended") audioCtx.resume();
    } catch (e) { audioCtx = null; }
    return audioCtx;
  }
  // Browsers allow sound and vibration only once the page was touched: every touch unlocks
  // audio, and the home screen asks for that one touch until it happened.
  const touched = () => !navigator.userActivation || navigator.userActivation.hasBeenActive;
  let wasTouched = touched();
  document.addEventListener("pointerdown", () => audio(), {passive: true});
  // After the tap's own click handler (bubbling ends here), and only on the home screen:
  // no other screen may be redrawn under a finger.
  document.addEventListener("click", () => {
    if (!wasTouched && touched()) { wasTouched = true; if (document.body.dataset.screen === "home") render(); }
  });
  const vibrate = (pattern) => { if (navigator.vibrate && touched()) navigator.vibrate(pattern); };

  function tone(ctx, freq, start, length) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = "square";
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.5, start + 0.02);
    gain.gain.setValueAtTime(0.5, start + length - 0.04);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + length + 0.02);
  }

  function ringOnce() {
    const ctx = audio();
    if (ctx && ctx.state === "running") {
      const now = ctx.currentTime + 0.02;
      for (let i = 0; i < 3; i++) { tone(ctx, 988, now + i * 0.5, 0.22); tone(ctx, 740, now + i * 0.5 + 0.25, 0.22); }
    }
    vibrate([500, 150, 500, 150, 500]);
  }

  function startRing() {
    if (ringTimer) return;
    document.body.dataset.ringing = "1";
    ringOnce();
    ringTimer = setInterval(ringOnce, 2200);
    if (navigator.wakeLock && !wakeLock) navigator.wakeLock.request("screen").then((l) => { wakeLock = l; }).catch(() => {});
  }

  function stopRing() {
    if (!ringTimer) return;
    clearInterval(ringTimer);
    ringTimer = null;
    delete document.body.dataset.ringing;
    vibrate(0);
  }

  function releaseWake() { if (wakeLock) { wakeLock.release().catch(() => {}); wakeLock = null; } }

  // -- location while on the way (only with consent) ----------------------------------------
  let watchId = null;
  let lastSent = 0;

  function wantPositions() {
    const v = S.view;
    return !!(v && v.status === "accepted" && S.me && S.me.preferences.share_location && navigator.geolocation);
  }

  function syncPositions() {
    if (wantPositions() && watchId === null) {
      watchId = navigator.geolocation.watchPosition((pos) => {
        const now = Date.now();
        if (now - lastSent < POSITION_EVERY_MS || !wantPositions()) return;
        lastSent = now;
        api("POST", "/v1/me/position", {lat: pos.coords.latitude, lon: pos.coords.longitude,
                                        accuracy_m: Math.min(pos.coords.accuracy || 0, 10000),
                                        time: new Date(pos.timestamp || now).toISOString()}).catch(() => { lastSent = 0; });
      }, () => {}, {enableHighAccuracy: true, maximumAge: 5000, timeout: 20000});
    } else if (!wantPositions()) {
      stopPositions();
    }
  }

  function stopPositions() {
    if (watchId !== null && navigator.geolocation) navigator.geolocation.clearWatch(watchId);
    watchId = null;
    lastSent = 0;
  }

  // -- Web Push and notifications ---------------------------------------------------------
  let swReg = null;

  async function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    try { swReg = await navigator.serviceWorker.register("/app/sw.js", {scope: "/app/"}); } catch (e) { swReg = null; }
  }

  function keyBytes(b64) {
    const pad = "=".repeat((4 - (b64.length % 4)) % 4);
    const raw = atob((b64 + pad).replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  function pushPossible() {
    return !!(S.me && S.me.push && swReg && "PushManager" in window && "Notification" in window);
  }

  async function enablePush() {
    if (!pushPossible()) { S.pushState = "none"; render(); return; }
    try {
      if (await Notification.requestPermission() !== "granted") { S.pushState = "none"; render(); return; }
      const sub = await swReg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(S.me.push.public_key)});
      await api("POST", "/v1/me/push-subscription", sub.toJSON());
      S.pushState = "on";
    } catch (e) { S.pushState = "none"; }
    render();
  }

  async function refreshPush() {
    // The service may have restarted and forgotten this phone: tell it again.
    if (!pushPossible() || Notification.permission !== "granted") return;
    try {
      const sub = await swReg.pushManager.getSubscription();
      if (sub) { await api("POST", "/v1/me/push-subscription", sub.toJSON()); S.pushState = "on"; }
    } catch (e) { /* next reconnect tries again */ }
  }

  function notifyIfHidden(view) {
    if (!document.hidden || !swReg || !("Notification" in window) || Notification.permission !== "granted") return;
    const test = view.mode !== "live";
    swReg.showNotification(test ? t("mode_test") : t("w_alarm"), {
      body: `${view.role === "aed" ? t("role_aed") : t("role_cpr")} · ${km(view.distance_m)}`,
      tag: `zm-${view.incident}`, renotify: true, requireInteraction: true, vibrate: [600, 200, 600],
    }).catch(() => {});
  }

  // -- the map: the victim, your own AED (if you fetch one) and you; nothing else -------------
  let map = null;
  let mapEl = null;
  let marks = null;
  let roads = null;
  let roadsFor = null;

  function placeMap(slot, v) {
    if (typeof L !== "object") return;
    if (!mapEl) {
      mapEl = el("div", {id: "map"});
      slot.append(mapEl);
      map = L.map(mapEl, {zoomControl: true, attributionControl: true});
      const tiles = S.me && S.me.tiles;
      if (tiles && tiles.url) L.tileLayer(tiles.url, {attribution: tiles.attribution || "", maxZoom: 19}).addTo(map);
      map.attributionControl.setPrefix(false);  // the OSM credit stays; the library needs none on screen
      L.control.scale({metric: true, imperial: false, position: "topright"}).addTo(map);
      roads = L.layerGroup().addTo(map);
      marks = L.layerGroup().addTo(map);
    } else {
      slot.append(mapEl);
    }
    map.invalidateSize();
    marks.clearLayers();
    const points = [];
    const victim = v.victim;
    if (victim && victim.lat !== null) {
      const at = [victim.lat, victim.lon];
      if (victim.exact) {
        L.circleMarker(at, {radius: 11, color: "#fff", weight: 3, fillColor: "#c4001a", fillOpacity: 1})
          .bindTooltip(t("victim"), {permanent: true, direction: "top", className: "label", offset: [0, -10]}).addTo(marks);
      } else {
        L.circle(at, {radius: victim.radius_m || 100, color: "#c4001a", weight: 2, fillColor: "#c4001a", fillOpacity: 0.2})
          .bindTooltip(t("near"), {permanent: true, direction: "top", className: "label"}).addTo(marks);
      }
      points.push(at);
    }
    const aed = v.aed;
    const me = v.me;
    if (aed && aed.lat !== undefined && aed.lat !== null) {
      const at = [aed.lat, aed.lon];
      L.marker(at, {icon: L.divIcon({className: "aed-icon", html: "AED", iconSize: [40, 24], iconAnchor: [20, 12]}),
                    keyboard: false}).addTo(marks);
      points.push(at);
      if (me && aed.state === "assigned") {
        L.polyline([[me.lat, me.lon], at, points[0] || at], {color: "#0b6b2d", weight: 4, dashArray: "8 8"}).addTo(marks);
      }
    } else if (me && points.length) {
      L.polyline([[me.lat, me.lon], points[0]], {color: "#0a4a8a", weight: 4, dashArray: "8 8"}).addTo(marks);
    }
    if (me) {
      L.circleMarker([me.lat, me.lon], {radius: 8, color: "#fff", weight: 3, fillColor: "#0a4a8a", fillOpacity: 1})
        .bindTooltip(t("you"), {permanent: true, direction: "bottom", className: "label", offset: [0, 8]}).addTo(marks);
      points.push([me.lat, me.lon]);
    }
    if (points.length) map.fitBounds(L.latLngBounds(points).pad(0.3), {maxZoom: 16, animate: false});
    if (roadsFor !== v.incident) {
      roadsFor = v.incident;
      roads.clearLayers();
      api("GET", `/v1/me/alarms/${encodeURIComponent(v.incident)}/basemap`).then((fc) => {
        if (roadsFor !== v.incident || !fc) return;
        L.geoJSON(fc, {interactive: false, style: (f) => ({
          color: "#8d959e", weight: String(f.properties.highway || "").startsWith("motorway") ? 5 : 3, opacity: 0.9,
        })}).addTo(roads);
        if (fc.attribution) map.attributionControl.addAttribution(fc.attribution);
      }).catch(() => { roadsFor = null; });
    }
  }

  function mapSlot(v, small) {
    const slot = el("div", {class: small ? "map-slot small" : "map-slot", "aria-hidden": "true"});
    requestAnimationFrame(() => placeMap(slot, v));
    return slot;
  }

  function geoLink(lat, lon, label) {
    // geo: opens the phone's own navigation app; nothing is sent to a map service from here.
    return el("a", {class: "button secondary small", "data-action": "navigate", href: `geo:${lat},${lon}?q=${lat},${lon}`, text: label});
  }

  // -- the hold-to-accept button -----------------------------------------------------------
  function holdButton(onDone) {
    const fill = el("span", {class: "fill"});
    const b = el("button", {class: "hold", type: "button", "data-action": "accept"}, fill, el("span", {class: "label", text: t("hold")}));
    const hint = el("p", {class: "hint", "data-hint": "accept"});
    let started = 0;
    let frame = 0;
    const reset = () => { cancelAnimationFrame(frame); started = 0; b.classList.remove("holding"); fill.style.width = "0"; };
    const step = () => {
      if (!started) return;
      const p = Math.min(1, (performance.now() - started) / HOLD_MS);
      fill.style.width = `${p * 100}%`;
      if (p >= 1) { reset(); vibrate(80); onDone(); return; }
      frame = requestAnimationFrame(step);
    };
    const start = (e) => {
      if (e && e.button !== undefined && e.button !== 0) return;
      if (started) return;
      started = performance.now();
      hint.textContent = "";
      b.classList.add("holding");
      frame = requestAnimationFrame(step);
    };
    const stop = () => {
      if (started && performance.now() - started < HOLD_MS) hint.textContent = t("hold_hint");
      reset();
    };
    b.addEventListener("pointerdown", (e) => { e.preventDefault(); try { b.setPointerCapture(e.pointerId); } catch (x) { /* ok */ } start(e); });
    b.addEventListener("pointerup", stop);
    b.addEventListener("pointercancel", reset);
    b.addEventListener("lostpointercapture", () => { if (started) stop(); });
    b.addEventListener("contextmenu", (e) => e.preventDefault());
    b.addEventListener("keydown", (e) => { if ((e.key === " " || e.key === "Enter") && !e.repeat) { e.preventDefault(); start(); } });
    b.addEventListener("keyup", (e) => { if (e.key === " " || e.key === "Enter") stop(); });
    return [b, hint];
  }

  // -- screens ----------------------------------------------------------------------------
  const root = document.getElementById("screen");

  function band(kind, word, when) {
    return el("header", {class: `band ${kind}`}, el("span", {class: "word", text: word}),
              when ? el("span", {class: "when", text: when}) : null);
  }

  function renderBanners() {
    const mb = document.getElementById("mode-banner");
    const mode = S.view && !dismissed(S.view) ? S.view.mode : "live";
    document.body.dataset.mode = mode;
    mb.hidden = mode === "live";
    mb.textContent = mode === "test" ? t("mode_test") : mode === "training" ? t("mode_training") : "";
    const cb = document.getElementById("conn-banner");
    const show = S.token && S.conn !== "online";
    cb.hidden = !show;
    cb.textContent = show ? (S.conn === "offline" ? t("conn_offline") : t("conn_connecting")) : "";
    document.title = `${mode === "test" ? "TEST · " : mode === "training" ? "OEFENING · " : ""}Zesminuten`;
    document.documentElement.lang = S.lang;
  }

  // A test alarm is over for the responder once answered: its accepted screen may be closed too.
  function dismissed(v) {
    return v && S.dismissed.has(v.incident) && (FINAL.has(v.status) || (v.mode === "test" && v.status === "accepted"));
  }
  const FINAL = new Set(["declined", "cancelled", "not_needed", "ended"]);

  function render() {
    renderBanners();
    const v = S.view;
    const ringing = v && v.status === "alerted" && !S.muted.has(v.incident);
    if (ringing) startRing(); else stopRing();
    if (!v || FINAL.has(v.status) || v.status === "arrived") releaseWake();
    syncPositions();
    if (!S.token) return renderSignIn();
    let screen;
    if (!v || dismissed(v)) screen = homeScreen();
    else if (v.status === "alerted" || v.status === "timed_out") screen = alertScreen(v);
    else if (v.status === "accepted") screen = onWayScreen(v);
    else if (v.status === "arrived") screen = thereScreen(v);
    else screen = afterScreen(v);
    document.body.dataset.screen = screen.dataset.screen;
    root.replaceChildren(...screen.childNodes);
  }

  function frame(name, ...kids) { return el("div", {"data-screen": name}, ...kids); }

  function renderSignIn(busy) {
    document.body.dataset.screen = "signin";
    renderBanners();
    root.replaceChildren(
      band("home", t("home"), t("app")),
      el("div", {class: "pad"},
         el("h1", {text: t("signin_title")}),
         S.signinError ? el("p", {class: "error", role: "alert", "data-error": "signin", text: S.signinError}) : null,
         el("p", {class: "lead", text: busy || t("signin_text")})),
      languageRow());
  }

  function languageRow() {
    return el("div", {class: "langs", role: "group", "aria-label": t("language")},
              ...["nl", "en"].map((lang) => el("button", {type: "button", class: "secondary", "aria-pressed": String(S.lang === lang),
                                                          "data-lang": lang, text: lang === "nl" ? "Nederlands" : "English",
                                                          onclick: () => setLanguage(lang)})));
  }

  function setLanguage(lang) {
    S.lang = lang; store.set("zm.lang", lang);
    if (S.token) api("PATCH", "/v1/me/preferences", {language: lang}).catch(() => {});
    render();
  }

  function switchButton(name, label, sub, on, onclick) {
    return el("button", {type: "button", class: "switch", role: "switch", "aria-checked": String(on), "data-switch": name, onclick},
              el("span", {}, el("span", {class: "text", text: label}), el("span", {class: "sub", text: sub})),
              el("span", {class: "knob", "aria-hidden": "true"}));
  }

  async function setPreference(change) {
    try {
      const prefs = await api("PATCH", "/v1/me/preferences", change);
      if (S.me) S.me.preferences = prefs;
    } catch (e) { /* shown unchanged: the switch says what the service has */ }
    render();
  }

  function homeScreen() {
    const prefs = (S.me && S.me.preferences) || {available: true, share_location: false};
    const push = S.pushState === "on" ? el("p", {class: "status-line", text: t("push_done")})
      : S.pushState === "none" || (S.me && !S.me.push) ? el("p", {class: "status-line muted", text: t("push_none")})
        : el("div", {class: "pad"}, el("button", {type: "button", class: "secondary", "data-action": "push", text: t("push_on"), onclick: enablePush}));
    return frame("home",
      band("home", t("home"), S.me ? `${t("app")} · ${S.me.pseudonym}` : t("app")),
      el("p", {class: "status-line lead", "data-status": "idle", text: t("no_alarm")}),
      touched() ? null : el("p", {class: "note", "data-note": "touch", text: t("touch_once")}),
      switchButton("available", t("available"), prefs.available ? t("available_on") : t("available_off"), prefs.available,
                   () => setPreference({available: !prefs.available})),
      switchButton("share_location", t("share"), t("share_sub"), prefs.share_location,
                   () => setPreference({share_location: !prefs.share_location})),
      push,
      el("div", {class: "pad"}, el("button", {type: "button", class: "secondary quiet", "data-action": "sound", text: t("sound_test"),
                                              onclick: () => { audio(); ringOnce(); }})),
      languageRow(),
      // Issue 15: self-service and the aftercare questionnaire, pages of their own.
      el("div", {class: "pad"}, el("a", {class: "button secondary", "data-action": "profile", href: "/app/profiel.html",
                                         text: t("profile")})),
      el("div", {class: "pad"}, el("a", {class: "button secondary quiet", "data-action": "aftercare-list",
                                         href: "/app/nazorg.html", text: t("aftercare_list")})),
      el("div", {class: "pad"}, el("button", {type: "button", class: "secondary quiet", "data-action": "sign-out", text: t("sign_out"),
                                              onclick: () => { api("DELETE", "/v1/me/session").catch(() => {}).finally(() => signedOut(t("signed_out"))); }})));
  }

  function roleLine(v) {
    return el("h1", {class: `role ${v.role}`, "data-role": v.role, text: v.role === "aed" ? t("role_aed") : t("role_cpr")});
  }

  function distanceLine(v) {
    if (v.role === "aed" && v.aed && v.aed.distance_m !== undefined) {
      return el("p", {class: "distance", "data-distance": String(v.aed.distance_m)},
                el("b", {text: km(v.aed.distance_m)}), ` ${t("dist_aed")}, `, t("dist_then", {d: km(v.aed.to_victim_m)}));
    }
    return el("p", {class: "distance", "data-distance": String(v.distance_m)}, el("b", {text: km(v.distance_m)}), ` ${t("dist_cpr")}`);
  }

  function testNote(v) {
    return v.mode === "live" ? null : el("p", {class: "note", "data-note": "test", text: t("test_note")});
  }

  function pendingNote() {
    if (S.message) return el("p", {class: "note", role: "alert", text: S.message});
    if (S.pending && S.pending.tries > 0) return el("p", {class: "note", text: t("retrying")});
    return null;
  }

  function alertScreen(v) {
    const busy = !!S.pending;
    const [hold, hint] = holdButton(() => { audio(); act("answer", {answer: "accept"}); });
    if (busy) hold.disabled = true;
    const decline = S.confirmDecline
      ? el("div", {class: "row"},
           el("button", {type: "button", class: "secondary", "data-action": "decline-confirm", text: t("decline_sure"), disabled: busy,
                         onclick: () => act("answer", {answer: "decline"})}),
           el("button", {type: "button", class: "secondary", "data-action": "decline-back", text: t("back"),
                         onclick: () => { S.confirmDecline = false; render(); }}))
      : el("button", {type: "button", class: "secondary", "data-action": "decline", text: t("decline"), disabled: busy,
                      onclick: () => { S.confirmDecline = true; render(); }});
    const test = v.mode === "test";
    return frame("alert",
      band("alarm", v.mode === "live" ? t("w_alarm") : t("w_test_alarm"), t("at", {t: clock(v.alerted_at)})),
      test ? el("h1", {class: "role", "data-role": "test", text: t("test_title")}) : roleLine(v),
      test ? null : distanceLine(v),
      test ? null : v.role === "aed" && v.aed ? el("p", {class: "detail", "data-aed": "description", text: v.aed.description})
        : el("p", {class: "detail", text: t("role_cpr_sub")}),
      v.status === "timed_out" ? el("p", {class: "note", text: t("timed_out")}) : null,
      testNote(v),
      pendingNote(),
      test ? null : mapSlot(v, false),
      test ? null : el("p", {class: "detail", text: t("approx")}),
      el("div", {class: "actions"},
         hold, hint, decline,
         v.status === "alerted" && !S.muted.has(v.incident)
           ? el("button", {type: "button", class: "secondary quiet", "data-action": "mute", text: t("mute"),
                           onclick: () => { S.muted.add(v.incident); render(); }}) : null));
  }

  function victimCard(v, title) {
    const victim = v.victim || {};
    return el("section", {class: "card", "data-card": "victim"},
      el("h2", {text: title}),
      victim.address ? el("p", {class: "address", "data-address": "victim", text: victim.address})
        : el("p", {class: "muted", text: t("address_unknown")}),
      victim.description ? el("p", {text: victim.description}) : null,
      victim.exact && victim.lat !== null ? geoLink(victim.lat, victim.lon, t("navigate")) : null);
  }

  function testAcceptedScreen(v) {
    return frame("accepted",
      band("onway", t("w_test_accepted"), t("at", {t: clock(v.answered_at)})),
      el("h1", {class: "role", "data-role": "test", text: t("test_accepted")}),
      el("p", {class: "lead pad", text: t("test_accepted_sub")}),
      el("div", {class: "actions"}, closeButton(v)));
  }

  // The coordinator's role: the three tasks, below the way to the victim while on the way and
  // first once there (the view says only whether the role is this responder's own).
  function coordinatorCard(v) {
    if (!v.coordinator) return null;
    return el("section", {class: "card coordinator", "data-card": "coordinator", "data-role": "coordinator"},
      el("h2", {text: t("coord_title")}),
      el("p", {text: t("coord_intro")}),
      el("ol", {class: "tasks"},
         el("li", {"data-task": "guide", text: t("coord_guide")}),
         el("li", {"data-task": "cpr", text: t("coord_cpr")}),
         el("li", {"data-task": "ambulance", text: t("coord_ambulance")})));
  }

  function onWayScreen(v) {
    if (v.mode === "test") return testAcceptedScreen(v);
    const busy = !!S.pending;
    // The steps are the cards, in order; the role line of the alert screen would repeat them.
    const kids = [v.coordinator ? band("coordinator", t("w_coordinator"), t("w_onway"))
                                : band("onway", t("w_onway"), t("at", {t: clock(v.answered_at)}))];
    const actions = [];
    const aed = v.aed;
    if (v.role === "aed" && aed && aed.state === "assigned") {
      kids.push(el("section", {class: "card", "data-card": "aed", "data-role": "aed"},
        el("h2", {text: t("step_aed")}),
        el("p", {"data-aed": "description", text: `${aed.description} · ${km(aed.distance_m)}`}),
        aed.cabinet_code ? el("div", {class: "code", "data-cabinet-code": ""},
                              el("span", {class: "label", text: t("cabinet")}),
                              el("span", {class: "digits", text: aed.cabinet_code})) : null,
        aed.lat !== undefined ? geoLink(aed.lat, aed.lon, t("navigate_aed")) : null));
      kids.push(victimCard(v, t("step_victim_2")));
      actions.push(el("button", {type: "button", class: "primary", "data-action": "aed-fetched", text: t("aed_fetched"),
                                 disabled: busy, onclick: () => act("aed-fetched", {})}));
    } else if (v.role === "aed" && aed) {
      kids.push(el("p", {class: "note", "data-aed": "fetched", text: t("aed_gone")}));
      kids.push(victimCard(v, t("step_victim")));
    } else {
      kids.push(el("p", {class: "role cpr", "data-role": "cpr", text: t("role_cpr")}));
      kids.push(victimCard(v, t("victim")));
      kids.push(el("p", {class: "detail", text: t("role_cpr_sub")}));
    }
    // On the way the way comes first (the band already says "coördinator"); the tasks are
    // for arriving, and lead the screen once there.
    kids.push(coordinatorCard(v));
    kids.push(testNote(v));
    kids.push(pendingNote());
    kids.push(mapSlot(v, true));
    kids.push(el("p", {class: "detail", "data-sharing": String(wantPositions()), text: wantPositions() ? t("sharing") : t("not_sharing")}));
    actions.push(el("button", {type: "button", class: actions.length ? "secondary" : "primary", "data-action": "arrived",
                               text: t("arrived"), disabled: busy, onclick: () => act("arrived", {})}));
    kids.push(el("div", {class: "actions"}, ...actions));
    return frame("accepted", ...kids);
  }

  function aftercareLink(v) {
    return v.aftercare ? el("a", {class: "button secondary", "data-action": "aftercare",
                                  href: `/app/nazorg.html#incident=${encodeURIComponent(v.incident)}`, text: t("aftercare")}) : null;
  }

  function closeButton(v) {
    return el("button", {type: "button", class: "secondary", "data-action": "close", text: t("close"), onclick: () => {
      S.dismissed.add(v.incident);
      store.set("zm.dismissed", JSON.stringify([...S.dismissed].slice(-20)));
      render();
    }});
  }

  function thereScreen(v) {
    return frame("arrived",
      band("there", t("w_there"), t("at", {t: clock(v.arrived_at)})),
      coordinatorCard(v),
      el("p", {class: "role", text: t("there_text")}),
      victimCard(v, t("victim")),
      el("div", {class: "actions"}, aftercareLink(v)));
  }

  function afterScreen(v) {
    const kind = {cancelled: "cancelled", not_needed: "notneeded", declined: "declined", ended: "ended"}[v.status] || "ended";
    const word = {cancelled: t("w_cancelled"), notneeded: t("w_notneeded"), declined: t("w_declined"), ended: t("w_ended")}[kind];
    let text = t("ended_text");
    if (v.status === "cancelled") text = t(`cancel_${v.reason || "dispatcher"}`);
    else if (v.status === "not_needed") text = v.reason === "oversupply" ? t("oversupply_text") : t("notneeded_text");
    else if (v.status === "declined") text = t("declined_text");
    const giveBack = v.role === "aed" && v.aed && (v.aed.state === "fetched" || v.aed.state === "connected");
    return frame(v.status,
      band(kind, word, t("at", {t: clock(v.ended_at)})),
      el("p", {class: "role", "data-status": v.status, text}),
      giveBack ? el("p", {class: "note", text: t("return_aed")}) : null,
      el("div", {class: "actions"}, aftercareLink(v), closeButton(v)));
  }

  // -- start ------------------------------------------------------------------------------
  document.addEventListener("visibilitychange", () => {
    // A phone that slept may have lost the stream without noticing: check at once.
    if (!document.hidden && S.token && S.conn !== "online") { attempt = 0; connect(); }
  });

  async function boot() {
    const params = new URLSearchParams(location.hash.slice(1));
    const code = params.get("code");
    if (code) {
      // Off the address bar and out of the history at once: the link is spent either way.
      history.replaceState(null, "", location.pathname + location.search);
      await signIn(code);
      // Issue 15: the aftercare SMS's link signs in, then opens that incident's questionnaire
      // (one fixed page only: a link can never send the phone anywhere else).
      if (S.token && params.get("next") === "nazorg") {
        location.replace(`/app/nazorg.html#incident=${encodeURIComponent(params.get("incident") || "")}`);
        return;
      }
    }
    if (!S.token) { renderSignIn(); return; }
    render();
    await registerWorker();
    await loadMe();
    render();
    connect();
  }

  boot();
})();
