// On-screen keyboards: letters for pinyin search, digits (and X) for ID and phone.
// The kiosk never raises the system keyboard: its fields are read-only.

import { button, h } from "/static/kit/dom.js";

const ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

export function letterKeyboard(t, { onKey, onDelete, onClear }) {
  const rows = ROWS.map((row, i) =>
    h(
      "div",
      { class: "kb-row" },
      [...row].map((ch) =>
        button(ch.toUpperCase(), () => onKey(ch), { class: "key", "data-key": ch, "aria-label": ch.toUpperCase() }),
      ),
      i === 2 ? button(t("key_delete"), onDelete, { class: "key key-wide", "data-key": "delete" }) : null,
    ),
  );
  rows.push(
    h(
      "div",
      { class: "kb-row" },
      button(t("key_clear"), onClear, { class: "key key-wide", "data-key": "clear" }),
    ),
  );
  return h("div", { class: "keyboard", role: "group", "aria-label": t("search_label") }, rows);
}

export function digitPad(t, { allowX, label, onKey, onDelete, onClear, onDone }) {
  const keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
  const grid = keys.map((d) => button(d, () => onKey(d), { class: "key", "data-key": d }));
  grid.push(
    allowX
      ? button("X", () => onKey("X"), { class: "key", "data-key": "X" })
      : button(t("key_clear"), onClear, { class: "key", "data-key": "clear" }),
  );
  grid.push(button("0", () => onKey("0"), { class: "key", "data-key": "0" }));
  grid.push(button(t("key_delete"), onDelete, { class: "key", "data-key": "delete" }));
  const bottom = [];
  if (allowX) bottom.push(button(t("key_clear"), onClear, { class: "key", "data-key": "clear" }));
  bottom.push(button(t("key_done"), onDone, { class: "key key-done btn-primary", "data-key": "done" }));
  return h(
    "div",
    { class: "digitpad", role: "group", "aria-label": label },
    h("div", { class: "pad-grid" }, grid),
    h("div", { class: "pad-bottom" }, bottom),
  );
}
