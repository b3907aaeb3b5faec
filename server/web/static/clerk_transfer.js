// The transfer dialog: the current ticket to another queue, another window, or both.
import { h, option } from "/static/kit/dom.js";
import { act } from "./clerk_actions.js";
import { desk } from "./clerk_desk.js";
import { labelled, openDialog } from "./clerk_dialogs.js";
import { language, t } from "./clerk_words.js";

export function openTransfer() {
  const view = desk.view;
  if (!view || !view.current) return;
  const en = language() === "en";
  const queue = h("select", { id: "transfer-queue" });
  const win = h("select", { id: "transfer-window" });
  queue.appendChild(option("", t("d_keep")));
  for (const q of desk.hallQueues) {
    queue.appendChild(option(q.code, q.code + " " + (en ? q.name_en || q.name : q.name)));
  }
  win.appendChild(option("", t("d_keep")));
  for (const w of desk.hallWindows) {
    if (w.number !== view.number) {
      win.appendChild(option(String(w.number), w.number + " " + (en ? w.name_en || w.name : w.name)));
    }
  }
  openDialog(
    t("d_transfer", { t: view.current.code }),
    (body) => {
      body.appendChild(labelled(t("d_transfer_queue"), queue));
      body.appendChild(labelled(t("d_transfer_window"), win));
    },
    () => {
      const target = {};
      if (queue.value) target.queue = queue.value;
      if (win.value) target.window = Number(win.value);
      return act("transfer", target);
    },
  );
}
