// The message line: an action's outcome for 4 s, an error (Chinese, English, code) for 15 s.
import { byId as $ } from "/static/kit/dom.js";
import { both } from "./clerk_words.js";

let timer = null;

export function showMessage(kind, zh, en, code) {
  const box = $("message");
  box.hidden = false;
  box.setAttribute("data-kind", kind);
  $("message-zh").textContent = zh;
  $("message-en").textContent = en || "";
  $("message-code").textContent = code || "";
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => { box.hidden = true; }, kind === "error" ? 15000 : 4000);
}

export function ok(key, vars) {
  const [zh, en] = both(key, vars);
  showMessage("ok", zh, en, "");
}

export function say(kind, key) {
  const [zh, en] = both(key);
  showMessage(kind, zh, en, "");
}

export function fail(err) {
  if (err && err.code) {
    let extra = "";
    const fields = err.details && err.details.fields;
    if (fields && fields.length) {
      extra = " (" + fields.map((f) => f.field + ": " + f.problem).join("; ") + ")";
    }
    showMessage("error", err.message_zh, (err.message_en || "") + extra, err.code);
  } else {
    say("error", "err_network");
  }
}
