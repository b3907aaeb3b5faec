// Following a print job: the hub says what to tell the citizen at every step.

import { HubDown } from "/static/kit/api.js";
import { h, replace } from "/static/kit/dom.js";

const POLL_MS = 400;
const FINAL = new Set(["printed", "failed"]);
const GIVE_UP_MS = 120000;

export function followPrint(app, job, box) {
  // Returns a function that stops following (the screen was left).
  let stopped = false;
  let timer = null;
  const started = Date.now();
  box.dataset.state = job.state || "queued";

  function show(state, text) {
    box.dataset.state = state;
    replace(box, h("span", { class: "print-icon", "aria-hidden": "true" }), h("span", { class: "print-text", text }));
  }

  async function poll() {
    if (stopped) return;
    try {
      const r = await app.api.get(`/api/v1/print-jobs/${encodeURIComponent(job.job)}`, { auth: true });
      if (stopped) return;
      show(r.state, app.lang === "en" ? r.message_en : r.message_zh);
      box.dataset.code = r.code;
      if (FINAL.has(r.state)) return;
    } catch (err) {
      if (stopped) return;
      if (!(err instanceof HubDown) && err.status && err.status !== 404) {
        show("unknown", app.errorText(err));
      }
    }
    if (Date.now() - started < GIVE_UP_MS) timer = setTimeout(poll, POLL_MS);
  }

  show(job.state || "queued", app.lang === "en" ? "Printing…" : "正在打印，请稍候…");
  timer = setTimeout(poll, 150);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
