// The small dialogs: call a given ticket, call back a held one, pause with a reason.
import { byId as $, h } from "/static/kit/dom.js";
import { act } from "./clerk_actions.js";
import { desk } from "./clerk_desk.js";
import { ticketRow } from "./clerk_view.js";
import { both, t } from "./clerk_words.js";

export function openDialog(title, build, submit, keys) {
  $("dialog-title").textContent = title;
  const body = $("dialog-body");
  body.textContent = "";
  build(body);
  $("dialog").hidden = false;
  desk.dialog = { submit, keys: keys || null };
  const first = body.querySelector("input, select");
  if (first) first.focus();
  else $("dialog-ok").focus();
}

export function closeDialog() {
  // Focus left in a hidden field would swallow the shortcuts that follow.
  if (document.activeElement && $("dialog").contains(document.activeElement)) document.activeElement.blur();
  $("dialog").hidden = true;
  desk.dialog = null;
}

export function labelled(text, input) {
  return h("label", null, h("span", { text }), input);
}

export function openCall(prefill) {
  const input = h("input", { id: "call-ticket", autocapitalize: "characters" });
  input.maxLength = 16;
  input.value = prefill || "";
  openDialog(
    t("d_call"),
    (body) => body.appendChild(labelled(t("d_call_label"), input)),
    () => act("call", { ticket: input.value.trim().toUpperCase() }),
  );
  input.select();
}

export function openCallBack() {
  const view = desk.view;
  if (!view || !view.held.length) return;
  openDialog(
    t("d_callback"),
    (body) => {
      body.appendChild(h("p", { class: "hint", text: t("d_callback_hint") }));
      const list = h("ol", { class: "tickets" });
      view.held.slice(0, 9).forEach((tk, i) => {
        list.appendChild(
          ticketRow(tk, i + 1, (x) => {
            closeDialog();
            act("callback", { ticket: x.code });
          }),
        );
      });
      body.appendChild(list);
    },
    () => act("callback", { ticket: view.held[0].code }),
    (ev) => {
      const n = parseInt(ev.key, 10);
      if (n >= 1 && n <= Math.min(9, view.held.length)) {
        closeDialog();
        act("callback", { ticket: view.held[n - 1].code });
        return true;
      }
      return false;
    },
  );
}

const REASONS = ["reason_lunch", "reason_away", "reason_meeting", "reason_system"];

export function openPause() {
  if (!desk.view) return;
  if (desk.view.paused) {
    act("resume");
    return;
  }
  const input = h("input", { id: "pause-reason" });
  input.maxLength = 200;
  openDialog(
    t("d_pause"),
    (body) => {
      const presets = h("div", { class: "presets" });
      for (const k of REASONS) {
        // Reasons are recorded in Chinese whatever the screen's language.
        const b = h("button", { class: "small preset", type: "button", text: both(k)[0] });
        b.addEventListener("click", () => {
          input.value = both(k)[0];
          input.focus();
        });
        presets.appendChild(b);
      }
      body.appendChild(presets);
      body.appendChild(labelled(t("d_pause_label"), input));
    },
    () => act("pause", { reason: input.value.trim() }),
  );
}
