// The window actions: one at a time, each answered by the new window view.
import { api, leftWindow } from "./clerk_api.js";
import { desk, windowPath } from "./clerk_desk.js";
import { actionDone, actionView, hooks, refresh } from "./clerk_live.js";
import { both } from "./clerk_words.js";
import { fail, ok, showMessage } from "./clerk_toasts.js";

const PATHS = {
  next: "call-next",
  recall: "recall",
  start: "start",
  finish: "finish",
  noshow: "no-show",
  hold: "hold",
  callback: "call-back",
  transfer: "transfer",
  call: "call",
  pause: "pause",
  resume: "resume",
};

const OUTCOMES = {
  next: "ok_called",
  call: "ok_called",
  callback: "ok_called",
  recall: "ok_recalled",
  start: "ok_started",
  finish: "ok_finished",
  noshow: "ok_no_show",
  hold: "ok_held",
  transfer: "ok_transferred",
  pause: "ok_paused",
  resume: "ok_resumed",
};

function outcome(name, v) {
  const code = v.called || (v.current && v.current.code) || "";
  if (name === "next" && !v.called) return ok("ok_nobody");
  ok(OUTCOMES[name], { t: code });
}

let current = null; // the action in flight
let pending = null; // the one action pressed meanwhile

export function act(name, body) {
  if (!desk.me) return;
  // One action at a time. The same key pressed again while it runs is a double press
  // and must never call two tickets; a different key waits for its turn.
  if (desk.busy) {
    if (name !== current) pending = { name, body };
    return;
  }
  desk.busy = true;
  current = name;
  document.body.setAttribute("data-busy", "true");
  api("POST", windowPath(PATHS[name]), body)
    .then(
      (v) => {
        actionView(v);
        outcome(name, v);
      },
      (err) => {
        if (leftWindow(err)) return hooks.signedOut(err);
        fail(err);
        refresh();
      },
    )
    .then(() => {
      desk.busy = false;
      current = null;
      document.body.removeAttribute("data-busy");
      actionDone();
      const next = pending;
      pending = null;
      if (next && desk.me) act(next.name, next.body);
    });
}

export function rate() {
  if (!desk.me) return;
  // The hub finishes the service as it lights the rating pad: the view changes too.
  api("POST", windowPath("rate"), {}).then(
    () => {
      ok("ok_rate");
      refresh();
    },
    (err) => {
      if (err && (err.code === "NOT_FOUND" || err.code === "METHOD_NOT_ALLOWED")) {
        const [zh, en] = both("err_rate_missing");
        showMessage("error", zh + "（" + err.message_zh + "）", en + " (" + err.message_en + ")", err.code);
      } else if (leftWindow(err)) {
        hooks.signedOut(err);
      } else {
        fail(err);
      }
    },
  );
}
