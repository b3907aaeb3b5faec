// Keeping the view current. Everything shown comes from GET …/windows/{n} (the window
// view), and every action answers with the new view. The hall websocket only says
// "something about this window or its queues changed": the view is then read again,
// unless the change is the screen's own action coming back.
import { HallSocket, hallSocketPath } from "/static/kit/realtime.js";
import { api, leftWindow } from "./clerk_api.js";
import { desk, windowPath } from "./clerk_desk.js";
import { fail } from "./clerk_toasts.js";
import { render, setConn } from "./clerk_view.js";

export let socket = null;
export const hooks = { signedOut: () => {} };

let refreshing = false;
let refreshAgain = false;
// Views rendered from an action's answer. A refresh that left before one of them
// came back may carry the state from before that action: it is not shown (it would
// take back a call just made and disable 重呼), and the view is read again instead.
let actionViews = 0;

// An action's view carries `seq`, the hall sequence number of the last event it
// produced (null if none): events up to it are already in the view, so they are the
// screen's own echo. A hub that sends no `seq` gets every event read again, as before.
let seqKnown = false;
let viewSeq = null;
// The newest concerning event that arrived while an action was in flight (Infinity if
// it had no number).
let heldSeq = null;

export function refresh() {
  if (!desk.me) return Promise.resolve();
  if (refreshing) {
    refreshAgain = true;
    return Promise.resolve();
  }
  refreshing = true;
  const since = actionViews;
  return api("GET", windowPath(""))
    .then(
      (v) => {
        if (actionViews === since) show(v);
        else refreshAgain = true;
      },
      (err) => {
        if (leftWindow(err)) return hooks.signedOut(err);
        if (err) fail(err);
      },
    )
    .then(() => {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        refresh();
      }
    });
}

function show(v) {
  if (v && Object.prototype.hasOwnProperty.call(v, "seq")) {
    seqKnown = true;
    if (typeof v.seq === "number" && (viewSeq === null || v.seq > viewSeq)) viewSeq = v.seq;
  }
  render(v);
}

/* An action's answer: shown at once, and refresh answers from before it are dropped. */
export function actionView(v) {
  actionViews += 1;
  show(v);
}

/* The action is over: events that came meanwhile are read now if they are newer than
 * its view (another clerk, a new ticket), or if the hub does not say (no `seq`). */
export function actionDone() {
  const missed = heldSeq !== null && (!seqKnown || viewSeq === null || heldSeq > viewSeq);
  heldSeq = null;
  if (missed) refresh();
}

function concerns(msg) {
  const me = desk.me;
  const d = msg.data || {};
  if (Number(d.window) === me.window) return true;
  if (d.to_window !== undefined && Number(d.to_window) === me.window) return true;
  if (msg.patch && msg.patch.windows && msg.patch.windows[String(me.window)]) return true;
  const mine = (desk.view ? desk.view.queues : []).map((q) => q.code);
  if (d.queue && mine.includes(d.queue)) return true;
  if (msg.patch && msg.patch.queues && Object.keys(msg.patch.queues).some((q) => mine.includes(q))) return true;
  return msg.kind === "transferred" || msg.kind === "day_closed" || msg.kind === "hall_changed";
}

function onEvent(msg) {
  if (!desk.me || !concerns(msg)) return;
  const seq = typeof msg.seq === "number" ? msg.seq : Infinity;
  if (desk.busy) {
    // Most likely the action's own echo: its answer will tell. (A view read now would
    // be dropped anyway, being older than the answer.)
    if (heldSeq === null || seq > heldSeq) heldSeq = seq;
  } else if (!seqKnown || viewSeq === null || seq > viewSeq) {
    refresh();
  }
}

export function connectLive() {
  if (socket) return;
  socket = new HallSocket(hallSocketPath(desk.me.hall_code), {
    snapshot: () => {
      // A snapshot may follow a hub restart: trust only views read from here on.
      viewSeq = null;
      refresh();
    },
    event: onEvent,
    status: setConn,
  });
  socket.start();
  // Without the websocket the screen still catches up, only more slowly.
  setInterval(() => {
    if (desk.me && !socket.connected) refresh();
  }, 10000);
}
