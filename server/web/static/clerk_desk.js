// What the clerk screen holds between events: who is signed in, the window view shown,
// and whether a window action is in flight.
import { pageConfig } from "/static/kit/dom.js";

const cfg = pageConfig("clerk-config");

export const desk = {
  cfg,
  me: null, // {staff_no, name, role, hall_code, window}
  hall: cfg.hall || null,
  view: null, // the window view
  busy: false, // a window action is in flight
  hallQueues: [], // for the transfer dialog
  hallWindows: [],
  dialog: null, // {submit: fn, keys: fn}
};

export function windowPath(action) {
  const me = desk.me;
  return `/halls/${encodeURIComponent(me.hall_code)}/windows/${me.window}${action ? "/" + action : ""}`;
}
