// 服务评价 on the window's tablet: the open request shown, five choices, then thanks.
// The hall websocket says when a request opens or closes here; polling is the safety
// net (and all there is while the websocket is unavailable).
import { byId as $, pageConfig } from "/static/kit/dom.js";
import { HallSocket, hallSocketPath } from "/static/kit/realtime.js";

const { hall: HALL, window: WINDOW } = pageConfig("rate-config");
const URL_STATE = `/api/v1/halls/${encodeURIComponent(HALL)}/windows/${WINDOW}/rating`;
let current = null;
let chosen = null;
let sending = false;
let thanksUntil = 0;

function show(which) {
  for (const id of ["idle", "open", "levels", "why", "reasons", "thanks"]) $(id).hidden = !which.includes(id);
  for (const b of document.querySelectorAll(".choice")) b.disabled = false;
}

function apply(state) {
  if (Date.now() < thanksUntil) return;
  const open = state && state.open;
  if (!open) {
    current = null;
    chosen = null;
    show(["idle"]);
    return;
  }
  if (current && current.request_id === open.request_id) return;
  current = open;
  chosen = null;
  $("ticket").textContent = open.ticket;
  show(["open", "levels"]);
}

function refresh() {
  return fetch(URL_STATE, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : null))
    .then((s) => { if (s) apply(s); }, () => {});
}

function thank(zh, en) {
  const box = $("thanks");
  box.replaceChildren(zh, document.createElement("br"));
  const e = document.createElement("span");
  e.className = "en";
  e.textContent = en;
  box.append(e);
  show(["thanks"]);
  thanksUntil = Date.now() + 3000;
  current = null;
  setTimeout(refresh, 3100);
}

function send(level, reason) {
  if (sending) return;
  sending = true;
  for (const b of document.querySelectorAll(".choice")) b.disabled = true;
  const body = { level };
  if (reason) body.reason = reason;
  fetch(URL_STATE, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  })
    .then((r) =>
      r.json().catch(() => ({})).then((d) => {
        if (r.ok) thank("感谢您的评价", "Thank you for your rating");
        else if (d.error && d.error.code === "RATING_ALREADY_GIVEN") thank("这次服务已经评价过了", "This service has already been rated");
        else if (d.error) thank(d.error.message_zh, d.error.message_en);
        else refresh();
      }),
    refresh)
    .then(() => { sending = false; });
}

for (const b of document.querySelectorAll("[data-level]")) {
  b.addEventListener("click", () => {
    const level = Number(b.getAttribute("data-level"));
    if (level <= 2) {
      chosen = level;
      show(["open", "why", "reasons"]);
    } else {
      send(level, null);
    }
  });
}
for (const b of document.querySelectorAll("[data-reason]")) {
  b.addEventListener("click", () => {
    const reason = b.getAttribute("data-reason");
    if (chosen) send(chosen, reason ? Number(reason) : null);
  });
}

new HallSocket(hallSocketPath(HALL), {
  snapshot: () => refresh(),
  event: (e) => {
    if (e.data && e.data.window === WINDOW && /^rat/.test(e.kind)) refresh();
  },
  status: (connected) => { $("conn").textContent = connected ? "" : "·"; },
}).start();
refresh();
setInterval(refresh, 1500);
