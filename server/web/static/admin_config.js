// The queue, window, staff and device pages (admin_queues.html, admin_windows.html,
// admin_staff.html, admin_devices.html): a dialog edits one row through the JSON API
// with the version the page read; the hub's refusals are shown beside their fields
// (Chinese first), a stale version and an in-use refusal with their reasons, and a new
// token or temporary password once, in a dialog with a copy button.

import { HubError, requestJson } from "/static/kit/api.js";
import { byId, h } from "/static/kit/dom.js";

const config = JSON.parse(byId("page-config").textContent);
const dialog = byId("edit-dialog");
const form = byId("edit-form");
const pageProblems = byId("problems");
let editing = null; // the row being edited; null: creating

// ---- the form as the JSON the API takes ------------------------------------------------

function visible(el) {
  const scope = el.closest("[data-mode]");
  return !scope || scope.dataset.mode === (editing ? "edit" : "create");
}

function valueOf(el) {
  const kind = el.dataset.kind;
  const text = el.value.trim();
  if (kind === "number") return text === "" ? null : Number(text);
  if (kind === "number-or-null") return text === "" ? null : Number(text);
  if (kind === "list") return text.split(/[\s,，、]+/).filter(Boolean);
  if (kind === "int-list") return text.split(/[\s,，、]+/).filter(Boolean).map(Number);
  return text;
}

function skills() {
  const rows = [...form.querySelectorAll("[data-kind=skills] tr[data-queue]")];
  return rows
    .filter((tr) => tr.querySelector("input[name=serve]").checked)
    .map((tr) => {
      const code = tr.dataset.queue;
      const weight = Number(form.elements.namedItem(`weight.${code}`).value || 1);
      const order = Number(form.elements.namedItem(`order.${code}`).value || 0);
      return { queue: code, weight, order };
    })
    .sort((a, b) => a.order - b.order)
    .map(({ queue, weight }) => ({ queue, weight }));
}

function body() {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || !visible(el) || el.dataset.kind === "file") continue;
    if (el.closest("[data-kind=skills]")) continue;
    // A number left empty on a new record: the hub's default (the form shows it).
    if (!editing && el.dataset.kind === "number" && el.value.trim() === "") continue;
    out[el.name] = valueOf(el);
  }
  if (form.querySelector("[data-kind=skills]")) out.queues = skills();
  return out;
}

function fill(row) {
  for (const el of form.elements) {
    if (!el.name || el.closest("[data-kind=skills]") || el.dataset.kind === "file") continue;
    const value = row ? row[el.name] : undefined;
    if (Array.isArray(value)) el.value = value.join(", ");
    else if ((value === null || value === undefined) && !row && el.dataset.default !== undefined) el.value = el.dataset.default;
    else if (value === null || value === undefined) el.value = el.tagName === "SELECT" && !row ? el.options[0]?.value ?? "" : "";
    else el.value = String(value);
  }
  const served = new Map((row?.queues || []).map((q, i) => [q.queue, { ...q, order: i + 1 }]));
  for (const tr of form.querySelectorAll("[data-kind=skills] tr[data-queue]")) {
    const code = tr.dataset.queue;
    const found = served.get(code);
    tr.querySelector("input[name=serve]").checked = Boolean(found);
    form.elements.namedItem(`weight.${code}`).value = found ? found.weight : 1;
    if (found) form.elements.namedItem(`order.${code}`).value = found.order;
  }
}

// ---- showing the hub's answer ------------------------------------------------------------

function clear(box) {
  for (const el of document.querySelectorAll(".field-error")) el.remove();
  for (const el of document.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  }
  box.hidden = true;
  box.replaceChildren();
}

function placeOf(field) {
  const parts = field.split(".");
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join(".");
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) return input;
    const group = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (group) return group;
  }
  return null;
}

function words(err) {
  return err instanceof HubError
    ? `${err.message_zh} / ${err.message_en}`
    : "无法连接系统，请稍后再试 / The hub cannot be reached; try again";
}

function show(err, box) {
  clear(box);
  byId("saved")?.remove();
  if (err instanceof HubError && err.code === "INVALID_REQUEST" && err.details.fields) {
    const list = h("ul", {});
    err.details.fields.forEach((p, i) => {
      const text = `${p.message_zh} / ${p.message_en}`;
      const place = placeOf(p.field);
      if (place) {
        const id = `err-${i}`;
        (place.closest("label, td, table") || place).appendChild(
          h("p", { class: "field-error", id, "data-code": p.code, "data-for": p.field }, text),
        );
        if (place.matches("input, select, textarea")) {
          place.setAttribute("aria-invalid", "true");
          place.setAttribute("aria-describedby", id);
        }
      }
      list.appendChild(h("li", { "data-code": p.code }, `${p.field}：${text}`));
    });
    box.append(h("h2", {}, "请修改以下内容后再保存 / Please correct these and save again"), list);
  } else {
    box.append(h("h2", { "data-code": err.code || "" }, words(err)));
    const reasons = err instanceof HubError ? err.details.reasons : null;
    if (reasons) {
      box.append(
        h("ul", { class: "reasons" }, reasons.map((r) => h("li", { "data-reason": r.code }, `${r.message_zh} / ${r.message_en}`))),
      );
    }
    if (err.code === "STALE_VERSION") {
      box.append(h("p", {}, h("a", { href: location.pathname + location.search }, "刷新本页，查看别人做的修改 / reload this page to see the other change")));
    }
  }
  box.hidden = false;
}

function reload() {
  const params = new URLSearchParams(location.search);
  params.set("saved", "1");
  location.assign(`${location.pathname}?${params}`);
}

function secret(what, value) {
  const box = byId("secret-dialog");
  byId("secret-what").textContent = what;
  byId("secret-value").textContent = value;
  byId("secret-copied").textContent = "";
  box.showModal();
  return new Promise((resolve) => box.addEventListener("close", resolve, { once: true }));
}

function confirmed(text) {
  const box = byId("confirm-dialog");
  byId("confirm-text").textContent = text;
  box.showModal();
  return new Promise((resolve) => {
    const yes = () => finish(true);
    const no = () => finish(false);
    function finish(answer) {
      byId("confirm-yes").removeEventListener("click", yes);
      byId("confirm-no").removeEventListener("click", no);
      box.close();
      resolve(answer);
    }
    byId("confirm-yes").addEventListener("click", yes);
    byId("confirm-no").addEventListener("click", no);
  });
}

// ---- the actions -----------------------------------------------------------------------

function url(key, action) {
  return `${config.api}/${encodeURIComponent(key)}${action ? `/${action}` : ""}`;
}

function versioned(tr) {
  return { "If-Match": `"${tr.dataset.version}"` };
}

async function uploadPhoto(key) {
  const input = form.elements.namedItem("photo-file");
  const file = input && input.files && input.files[0];
  if (!file) return;
  const response = await fetch(url(key, "photo"), {
    method: "PUT",
    credentials: "same-origin",
    headers: { "Content-Type": file.type || "application/octet-stream", Accept: "application/json" },
    body: file,
  });
  if (!response.ok) throw new HubError(response.status, await response.json().catch(() => ({})));
}

async function save(event) {
  event.preventDefault();
  const box = byId("dialog-problems");
  const button = byId("save");
  button.disabled = true;
  try {
    let key;
    if (editing) {
      await requestJson("PATCH", url(editing.dataset.key), { body: body(), headers: versioned(editing) });
      key = editing.dataset.key;
    } else {
      const { data } = await requestJson("POST", config.api, { body: body() });
      key = data.staff_no || data.code || data.number;
      if (data.token) {
        dialog.close();
        await secret(`设备 ${data.code} 的令牌 / token of device ${data.code}`, data.token);
      }
    }
    await uploadPhoto(key);
    reload();
  } catch (err) {
    show(err, box);
    button.disabled = false;
  }
}

function open(tr) {
  editing = tr;
  clear(byId("dialog-problems"));
  form.dataset.mode = tr ? "edit" : "create";
  for (const el of dialog.querySelectorAll("[data-mode]")) el.hidden = el.dataset.mode !== form.dataset.mode;
  fill(tr ? JSON.parse(tr.dataset.row) : null);
  byId("edit-key").textContent = tr ? tr.dataset.key : "";
  byId("save").disabled = false;
  dialog.showModal();
}

async function act(button) {
  const tr = button.closest("tr[data-key]");
  const action = button.dataset.action;
  if (action === "create") return open(null);
  if (action === "edit") return open(tr);
  try {
    if (action === "toggle") {
      await requestJson("PATCH", url(tr.dataset.key), {
        body: { active: button.dataset.active === "true" },
        headers: versioned(tr),
      });
    } else if (action === "remove") {
      if (!(await confirmed(`删除 ${tr.dataset.key}？ / Remove ${tr.dataset.key}?`))) return;
      await requestJson("DELETE", url(tr.dataset.key), { headers: versioned(tr) });
    } else if (action === "post") {
      if (button.dataset.confirm && !(await confirmed(button.dataset.confirm))) return;
      const { data } = await requestJson("POST", url(tr.dataset.key, button.dataset.post));
      if (data && data.password) {
        await secret(`${tr.dataset.key} 的临时密码（下次登录须修改） / temporary password of ${tr.dataset.key} (to be changed at the next sign-in)`, data.password);
      } else if (data && data.token) {
        await secret(`设备 ${tr.dataset.key} 的新令牌 / new token of device ${tr.dataset.key}`, data.token);
      }
    }
    reload();
  } catch (err) {
    show(err, pageProblems);
    pageProblems.scrollIntoView({ block: "start" });
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-action]");
  if (button) act(button);
  if (event.target.closest("[data-close]")) dialog.close();
});
form.addEventListener("submit", save);
byId("secret-copy").addEventListener("click", async () => {
  const value = byId("secret-value").textContent;
  try {
    await navigator.clipboard.writeText(value);
  } catch {
    // Plain http has no clipboard API: select the text for Ctrl+C instead.
    const range = document.createRange();
    range.selectNodeContents(byId("secret-value"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    document.execCommand("copy");
  }
  byId("secret-copied").textContent = "已复制 / Copied";
});
byId("secret-close").addEventListener("click", () => byId("secret-dialog").close());
document.body.dataset.ready = "true";
