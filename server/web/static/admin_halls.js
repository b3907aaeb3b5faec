// The hall form (admin_hall_form.html): its fields as the JSON the API takes, each
// refusal of the hub shown beside its field (Chinese first), the version the page was
// read at sent with every edit.

import { HubError, requestJson } from "/static/kit/api.js";
import { byId, h } from "/static/kit/dom.js";

const config = JSON.parse(byId("hall-config").textContent);
const form = byId("hall-form");
const problemsBox = byId("problems");
const WEEKDAYS = ["1", "2", "3", "4", "5", "6", "7"];

function value(name) {
  const el = form.elements.namedItem(name);
  return el ? el.value.trim() : "";
}

function week(prefix) {
  const out = {};
  for (const d of WEEKDAYS) {
    const spans = [];
    for (const n of [0, 1]) {
      const start = value(`${prefix}.${d}.${n}.0`);
      const end = value(`${prefix}.${d}.${n}.1`);
      // Half a span is sent as it is: the hub names the missing time.
      if (start || end) spans.push([start, end]);
    }
    if (spans.length) out[d] = spans;
  }
  return out;
}

function numberOrNull(el) {
  const text = el.value.trim();
  return text === "" ? null : Number(text);
}

function body() {
  const out = {
    office_hours: week("office_hours"),
    ticket_hours: week("ticket_hours"),
    languages: [...form.querySelectorAll('input[name="languages"]:checked')].map((el) => el.value),
    class_weights: {},
  };
  for (const el of form.elements) {
    if (!el.name || el.name.includes(".") && !el.name.startsWith("class_weights.")) continue;
    if (el.name === "languages") continue;
    const kind = el.dataset.kind;
    if (el.name.startsWith("class_weights.")) {
      if (el.value.trim() !== "") out.class_weights[el.name.split(".")[1]] = Number(el.value);
    } else if (el.type === "checkbox") {
      out[el.name] = el.checked;
    } else if (kind === "dates") {
      out[el.name] = el.value.split(/[\s,，、]+/).filter(Boolean);
    } else if (kind === "number") {
      out[el.name] = el.value.trim() === "" ? null : Number(el.value);
    } else if (kind === "number-or-null") {
      out[el.name] = numberOrNull(el);
    } else {
      out[el.name] = el.value.trim();
    }
  }
  if (!Object.keys(out.class_weights).length) delete out.class_weights;
  // A hall keeps the code it has unless it is changed here.
  if (config.mode === "edit" && out.code === config.code) delete out.code;
  return out;
}

// ---- showing the hub's answer ------------------------------------------------------

function clearProblems() {
  byId("saved")?.remove();
  for (const el of document.querySelectorAll(".field-error")) el.remove();
  for (const el of document.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.startsWith("err-"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  problemsBox.hidden = true;
  problemsBox.replaceChildren();
}

/* The input (or the row, span, group) a dotted field names: the closest one there is. */
function placeOf(field) {
  const parts = field.split(".");
  for (let n = parts.length; n > 0; n--) {
    const name = parts.slice(0, n).join(".");
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) return { target: input, input };
    const group = document.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (group) return { target: group, input: group.querySelector("input, textarea, select") };
  }
  return null;
}

function labelOf(place, field) {
  const label = place && place.input && (place.input.getAttribute("aria-label") || place.input.closest("label")?.textContent);
  return (label || field).replace(/\s+/g, " ").trim();
}

function showProblems(fields, title) {
  clearProblems();
  const list = h("ul", {});
  fields.forEach((p, i) => {
    const place = placeOf(p.field);
    const id = `err-${i}`;
    const text = `${p.message_zh} / ${p.message_en}`;
    if (place) {
      const note = h("p", { class: "field-error", id, "data-code": p.code, "data-for": p.field }, text);
      const anchor = place.target.tagName === "TR" || place.target.tagName === "TABLE" ? place.target.querySelector("th") || place.target : place.target;
      (anchor.closest("td, th, label, div") || anchor).appendChild(note);
      if (place.input) {
        place.input.setAttribute("aria-invalid", "true");
        const ids = (place.input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        place.input.setAttribute("aria-describedby", [...ids, id].join(" "));
      }
    }
    list.appendChild(h("li", { "data-code": p.code }, `${labelOf(place, p.field)}：${text}`));
  });
  problemsBox.append(h("h2", {}, title), list);
  problemsBox.hidden = false;
  problemsBox.scrollIntoView({ block: "start" });
}

function showError(err) {
  if (err instanceof HubError && err.code === "INVALID_REQUEST" && err.details.fields) {
    showProblems(err.details.fields, "请修改以下内容后再保存 / Please correct these and save again");
    return;
  }
  clearProblems();
  const text = err instanceof HubError ? `${err.message_zh} / ${err.message_en}` : "无法连接系统，请稍后再试 / The hub cannot be reached; try again";
  problemsBox.append(h("h2", { "data-code": err.code || "" }, text));
  if (err.code === "STALE_VERSION") {
    problemsBox.append(h("p", {}, h("a", { href: location.pathname }, "刷新本页，查看别人做的修改 / reload this page to see the other change")));
  }
  problemsBox.hidden = false;
  problemsBox.scrollIntoView({ block: "start" });
}

async function save(event) {
  event.preventDefault();
  const data = body();
  const button = byId("save");
  button.disabled = true;
  try {
    if (config.mode === "create") {
      const { data: row } = await requestJson("POST", config.api, { body: data });
      location.assign(`/admin/halls/${encodeURIComponent(row.code)}?saved=1`);
    } else {
      const { data: row } = await requestJson("PATCH", `${config.api}/${encodeURIComponent(config.code)}`, {
        body: data,
        headers: { "If-Match": `"${config.version}"` },
      });
      location.assign(`/admin/halls/${encodeURIComponent(row.code)}?saved=1`);
    }
  } catch (err) {
    showError(err);
    button.disabled = false;
  }
}

async function changeState(event) {
  event.preventDefault();
  const action = event.submitter?.dataset.action || event.target.querySelector("button[data-action]").dataset.action;
  const reason = event.target.elements.namedItem("reason");
  try {
    await requestJson("POST", `${config.api}/${encodeURIComponent(config.code)}/${action}`, {
      body: action === "close" ? { reason: reason ? reason.value.trim() : "" } : undefined,
    });
    location.assign(`${location.pathname}?saved=1`);
  } catch (err) {
    showError(err);
  }
}

form.addEventListener("submit", save);
byId("state-form")?.addEventListener("submit", changeState);
document.body.dataset.ready = "true";
