// Buttons and shortcuts: each key acts at once; in a dialog Enter confirms, Esc cancels.
import { byId as $ } from "/static/kit/dom.js";
import { act, rate } from "./clerk_actions.js";
import { desk } from "./clerk_desk.js";
import { closeDialog, openCall, openCallBack, openPause } from "./clerk_dialogs.js";
import { openTransfer } from "./clerk_transfer.js";

export const HANDLERS = {
  next: () => act("next"),
  recall: () => act("recall"),
  start: () => act("start"),
  finish: () => act("finish"),
  noshow: () => act("noshow"),
  hold: () => act("hold"),
  callback: openCallBack,
  transfer: openTransfer,
  call: () => openCall(""),
  pause: openPause,
  rate,
};

// F5 stays the browser's reload, F11/F12 stay the browser's own.
const KEYS = {
  " ": "next", F1: "next", F2: "recall", r: "recall", F3: "start", s: "start",
  F4: "finish", d: "finish", F6: "noshow", n: "noshow", F7: "hold", h: "hold",
  F8: "callback", b: "callback", F9: "transfer", t: "transfer", F10: "call", c: "call",
  p: "pause", e: "rate",
};

/* switchLanguage: what L does. */
export function keyHandler(switchLanguage) {
  return function onKey(ev) {
    const dialog = desk.dialog;
    if (dialog) {
      if (ev.key === "Escape") {
        ev.preventDefault();
        closeDialog();
        return;
      }
      if (ev.key === "Enter" && ev.target.tagName === "SELECT") {
        // A select does not submit its form on Enter by itself.
        ev.preventDefault();
        $("dialog-form").requestSubmit();
        return;
      }
      if (dialog.keys && !/^(INPUT|SELECT)$/.test(ev.target.tagName) && dialog.keys(ev)) ev.preventDefault();
      return;
    }
    if (document.body.getAttribute("data-view") !== "desk") return;
    if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName)) return;
    const key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (key === "l") {
      ev.preventDefault();
      switchLanguage();
      return;
    }
    const action = KEYS[key];
    if (!action) return;
    ev.preventDefault();
    if (ev.repeat) return; // a key held down acts once
    const button = document.querySelector('[data-action="' + action + '"]');
    // While an action runs the buttons show the state before it: the hub decides then.
    if (button && button.disabled && !desk.busy) return;
    if (button) {
      button.classList.add("pressed");
      setTimeout(() => button.classList.remove("pressed"), 150);
    }
    HANDLERS[action]();
  };
}
