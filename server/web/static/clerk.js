/* 窗口工作台: a clerk's window actions over the staff API, kept live by the hall websocket.
 * The parts: clerk_live (the view and the websocket), clerk_view (drawing), clerk_actions,
 * clerk_keys, clerk_dialogs, clerk_transfer, clerk_toasts, clerk_signin, clerk_words. */
import { byId as $ } from "/static/kit/dom.js";
import { act } from "./clerk_actions.js";
import { api } from "./clerk_api.js";
import { desk } from "./clerk_desk.js";
import { closeDialog, openCall } from "./clerk_dialogs.js";
import { HANDLERS, keyHandler } from "./clerk_keys.js";
import { hooks, socket } from "./clerk_live.js";
import { enterDesk, loadHallChoices, loadWindowChoices, login, logout, show, signedOut } from "./clerk_signin.js";
import { picks, render, setConn, tickTimers } from "./clerk_view.js";
import { pageLanguage, language, switchLanguage, t } from "./clerk_words.js";

hooks.signedOut = signedOut;
picks.held = (x) => act("callback", { ticket: x.code });
picks.waiting = (x) => openCall(x.code);

function applyLanguage() {
  document.documentElement.lang = pageLanguage();
  document.body.setAttribute("data-lang", language());
  for (const e of document.querySelectorAll("[data-t]")) e.textContent = t(e.getAttribute("data-t"));
  $("lang-switch").textContent = language() === "en" ? "中文" : "English";
  if (desk.view) render(desk.view);
  if (socket) setConn(socket.connected);
}

function toggleLanguage() {
  switchLanguage();
  applyLanguage();
}

function boot() {
  applyLanguage();
  $("login-form").addEventListener("submit", login);
  $("login-hall").addEventListener("change", () => loadWindowChoices($("login-hall").value));
  $("lang-switch").addEventListener("click", toggleLanguage);
  $("logout").addEventListener("click", logout);
  $("dialog-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = desk.dialog;
    closeDialog();
    if (d) d.submit();
  });
  $("dialog-cancel").addEventListener("click", closeDialog);
  $("message").addEventListener("click", () => { $("message").hidden = true; });
  for (const b of document.querySelectorAll("[data-action]")) {
    b.addEventListener("click", () => {
      // Focus left on a button would let the next Space press it as well as call next.
      b.blur();
      HANDLERS[b.getAttribute("data-action")]();
    });
  }
  document.addEventListener("keydown", keyHandler(toggleLanguage));
  setInterval(tickTimers, 250); // a quarter second: the seconds never lag behind
  // A signed-in clerk who reloads the page stays at her window (the session cookie).
  api("GET", "/auth/me").then(
    (staff) => {
      const hallCode = sessionStorage.getItem("clerk-hall") || desk.hall;
      if (staff.window !== null && staff.window !== undefined && hallCode) return enterDesk(staff, hallCode);
      show("login");
      return loadHallChoices();
    },
    () => {
      show("login");
      return loadHallChoices();
    },
  );
}

// For tests and for a technician's console.
window.__clerk = {
  state: () => ({ me: desk.me, view: desk.view, busy: desk.busy, socketSeq: socket ? socket.seq : null }),
};
boot();
