/* Service worker of the responder page: shows a Web Push alert as a notification and
   opens (or focuses) the page when it is tapped. It caches nothing: an alarm must never be
   shown from a stale copy, so the page always comes from the service. */
"use strict";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {body: event.data ? event.data.text() : ""}; }
  const test = data.mode === "test" || data.mode === "training";
  const title = data.title || (test ? "TEST – proefalarm" : "Reanimatie-alarm");
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || data.text || "Open de app voor je rol en de afstand.",
    tag: data.incident ? `zm-${data.incident}` : "zm-alarm",
    renotify: true,
    requireInteraction: data.kind !== "cancel",
    vibrate: [600, 200, 600, 200, 600],
    data: {url: "/app/"},
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({type: "window", includeUncontrolled: true});
    for (const c of open) {
      if (new URL(c.url).pathname.startsWith("/app/")) { return c.focus(); }
    }
    return self.clients.openWindow("/app/");
  })());
});
