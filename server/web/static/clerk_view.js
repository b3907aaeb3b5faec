// Drawing the window view: the current ticket and its timers, the queues, the held and
// waiting lists, and which buttons may be pressed.
import { byId as $, h } from "/static/kit/dom.js";
import { HubClock } from "/static/kit/realtime.js";
import { desk } from "./clerk_desk.js";
import { language, t } from "./clerk_words.js";

export const clock = new HubClock("/board/clock");

// What a click on a listed ticket does (set by the actions and dialogs).
export const picks = { held: () => {}, waiting: () => {} };

function el(tag, cls, text) {
  return h(tag, { class: cls || null, text: text === undefined ? null : text });
}

function ms(iso) {
  return iso ? Date.parse(iso) : null;
}

export function duration(msValue) {
  if (msValue === null || msValue === undefined || isNaN(msValue)) return "—";
  const s = Math.max(0, Math.floor(msValue / 1000));
  const hours = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = (m < 10 ? "0" : "") + m;
  const ss = (sec < 10 ? "0" : "") + sec;
  return hours ? hours + ":" + mm + ":" + ss : mm + ":" + ss;
}

export function tickTimers() {
  const now = clock.now();
  const cur = desk.view && desk.view.current;
  if (cur) {
    const issued = ms(cur.issued_at);
    const called = ms(cur.called_at);
    const started = ms(cur.started_at);
    $("t-waited").textContent = duration((called || now) - issued);
    $("t-since-call").textContent = called && !started ? duration(now - called) : "—";
    $("t-service").textContent = started ? duration(now - started) : "—";
  } else {
    $("t-waited").textContent = $("t-since-call").textContent = $("t-service").textContent = "—";
  }
  for (const e of document.querySelectorAll("[data-since]")) {
    e.textContent = duration(now - Number(e.getAttribute("data-since")));
  }
}

function queueName(v, code) {
  const q = v && v.queues.find((x) => x.code === code);
  return q ? code + " " + q.name : code;
}

export function ticketRow(tk, index, onPick) {
  const li = el("li", "ticket-row");
  li.setAttribute("data-ticket", tk.code);
  const b = el("button", "pick");
  b.type = "button";
  if (index !== null) b.appendChild(el("kbd", null, index));
  b.appendChild(el("b", "code", tk.code));
  if (tk.priority && tk.priority !== "normal") b.appendChild(el("span", "badge prio", t("pr_" + tk.priority)));
  b.appendChild(el("span", "item", tk.service_item || queueName(desk.view, tk.queue_code)));
  const since = el("span", "since");
  since.setAttribute("data-since", String(ms(tk.issued_at)));
  b.appendChild(since);
  b.addEventListener("click", () => onPick(tk));
  li.appendChild(b);
  return li;
}

function enable(action, on) {
  const b = document.querySelector('[data-action="' + action + '"]');
  if (b) b.disabled = !on;
}

export function setConn(on) {
  const c = $("conn");
  c.setAttribute("data-state", on ? "on" : "off");
  c.textContent = t(on ? "conn_on" : "conn_off");
}

export function render(v) {
  desk.view = v;
  const en = language() === "en";
  const me = desk.me;
  $("desk-window").textContent = en ? "Window " + v.number : v.number + "号窗口";
  $("desk-window-name").textContent = en ? v.name_en || v.name : v.name;
  $("desk-clerk").textContent = (v.clerk_name || me.name || "") + " · " + (v.clerk_staff_no || me.staff_no);

  $("paused-banner").hidden = !v.paused;
  $("paused-reason").textContent = v.pause_reason || "";
  $("pause-label").textContent = t(v.paused ? "a_resume" : "a_pause");

  const cur = v.current;
  $("current").setAttribute("data-status", cur ? cur.status : "none");
  $("cur-code").textContent = cur ? cur.code : t("no_ticket");
  $("cur-status").textContent = cur ? t("st_" + cur.status) : "";
  $("cur-status").hidden = !cur;
  const prio = $("cur-priority");
  prio.hidden = !cur || cur.priority === "normal";
  prio.textContent = cur && cur.priority !== "normal" ? t("pr_" + cur.priority) : "";
  const rc = $("cur-recalls");
  rc.hidden = !cur || !cur.recall_count;
  rc.textContent = cur ? t("recalls", { n: cur.recall_count }) : "";
  $("cur-item").textContent = cur ? [queueName(v, cur.queue_code), cur.service_item].filter(Boolean).join(" · ") : "";

  const chips = $("queues");
  chips.textContent = "";
  for (const q of v.queues) {
    const chip = el("div", "chip");
    chip.setAttribute("data-queue", q.code);
    chip.appendChild(el("span", "q-code", q.code));
    chip.appendChild(el("span", "q-name", q.name));
    chip.appendChild(el("b", "q-waiting", q.waiting));
    chips.appendChild(chip);
  }
  $("served").textContent = String(v.served_today);
  $("mean-service").textContent = v.mean_service_seconds === null ? "—" : duration(v.mean_service_seconds * 1000);

  const held = $("held");
  held.textContent = "";
  v.held.forEach((tk, i) => held.appendChild(ticketRow(tk, i < 9 ? i + 1 : null, picks.held)));
  if (!v.held.length) held.appendChild(el("li", "empty", t("none")));
  $("held-count").textContent = String(v.held.length);

  const waiting = $("waiting");
  waiting.textContent = "";
  for (const tk of v.waiting) waiting.appendChild(ticketRow(tk, null, picks.waiting));
  if (!v.waiting.length) waiting.appendChild(el("li", "empty", t("none")));
  // The list: tickets this window may call (at most 50 are sent); the chips: whole queues.
  $("waiting-count").textContent = v.waiting.length >= 50 ? "50+" : String(v.waiting.length);

  const called = cur && cur.status === "called";
  enable("next", !v.paused);
  enable("recall", called);
  enable("start", called);
  enable("finish", !!cur);
  enable("noshow", called);
  enable("hold", !!cur);
  enable("callback", v.held.length > 0 && !v.paused);
  enable("transfer", !!cur);
  enable("call", !v.paused);
  tickTimers();
}
