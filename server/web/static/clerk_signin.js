// Signing in at a window, and back to the form when the session or the window is lost.
import { byId as $, option } from "/static/kit/dom.js";
import { api } from "./clerk_api.js";
import { desk } from "./clerk_desk.js";
import { connectLive, refresh } from "./clerk_live.js";
import { fail, say } from "./clerk_toasts.js";
import { clock } from "./clerk_view.js";

export function show(viewName) {
  document.body.setAttribute("data-view", viewName);
}

export function loadHallChoices() {
  return api("GET", "/halls")
    .then((halls) => {
      const select = $("login-hall");
      select.textContent = "";
      for (const hall of halls) select.appendChild(option(hall.code, hall.name + " (" + hall.code + ")"));
      if (desk.hall && halls.some((x) => x.code === desk.hall)) select.value = desk.hall;
      return loadWindowChoices(select.value);
    })
    .catch(fail);
}

export function loadWindowChoices(code) {
  if (!code) return Promise.resolve();
  return api("GET", "/halls/" + encodeURIComponent(code) + "/windows")
    .then((ws) => {
      const select = $("login-window");
      const previous = select.value || (desk.cfg.window ? String(desk.cfg.window) : "");
      select.textContent = "";
      for (const w of ws) select.appendChild(option(String(w.number), w.number + " " + w.name));
      if (previous) select.value = previous;
    })
    .catch(fail);
}

function loadHallLists() {
  const code = encodeURIComponent(desk.me.hall_code);
  api("GET", "/halls/" + code + "/queues").then((body) => { desk.hallQueues = body.queues || []; }, () => {});
  api("GET", "/halls/" + code + "/windows").then((ws) => { desk.hallWindows = ws || []; }, () => {});
}

export function enterDesk(staff, hallCode) {
  desk.me = { staff_no: staff.staff_no, name: staff.name, role: staff.role, window: staff.window, hall_code: hallCode };
  show("desk");
  loadHallLists();
  clock.keepSynced(600000);
  return refresh().then(connectLive);
}

export function signedOut(err) {
  desk.me = null;
  desk.view = null;
  if (err && err.code) fail(err);
  else say("error", "err_signed_out");
  show("login");
  loadHallChoices();
}

export function login(ev) {
  ev.preventDefault();
  const hallCode = $("login-hall").value;
  const body = {
    hall: hallCode,
    staff_no: $("login-staff").value.trim(),
    password: $("login-password").value,
    window: $("login-window").value ? Number($("login-window").value) : null,
  };
  api("POST", "/auth/login", body).then((res) => {
    $("login-password").value = "";
    $("message").hidden = true;
    sessionStorage.setItem("clerk-hall", hallCode);
    if (res.staff.window === null || res.staff.window === undefined) {
      say("error", "err_need_window");
      return;
    }
    enterDesk(res.staff, hallCode);
  }, fail);
}

export function logout() {
  api("POST", "/auth/logout")
    .catch(() => {})
    .then(() => location.reload());
}
