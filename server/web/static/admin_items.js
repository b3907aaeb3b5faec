// The catalogue's admin pages (admin_departments.html, admin_items.html,
// admin_item_form.html, admin_catalogue.html): each form sent to the JSON API as it
// takes it, each refusal of the hub shown beside its field (Chinese first), the version
// the page was read at sent with every edit.

import { HubError, requestJson } from "/static/kit/api.js";
import { byId, h } from "/static/kit/dom.js";

const config = JSON.parse(byId("catalogue-config").textContent);
const problemsBox = byId("problems");
const hallQuery = new URLSearchParams(location.search).get("hall");
const withHall = (path, extra = "") => {
  const params = new URLSearchParams(extra);
  if (hallQuery) params.set("hall", hallQuery);
  const q = params.toString();
  return q ? `${path}?${q}` : path;
};

// ---- showing the hub's answer ------------------------------------------------------

function clearProblems() {
  byId("saved")?.remove();
  for (const el of document.querySelectorAll(".field-error")) el.remove();
  for (const el of document.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("err-"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  }
  if (problemsBox) {
    problemsBox.hidden = true;
    problemsBox.replaceChildren();
  }
}

/* The input a field path names (guide.materials[2].copies), or the closest group. */
function placeOf(form, field) {
  const exact = form && form.querySelector(`[name="${CSS.escape(field)}"]`);
  if (exact) return { target: exact, input: exact };
  let path = field;
  while (path) {
    const group = document.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (group) return { target: group, input: group.querySelector("input, textarea, select") };
    const input = form && form.querySelector(`[name="${CSS.escape(path)}"]`);
    if (input) return { target: input, input };
    const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
    path = cut > 0 ? path.slice(0, cut) : "";
  }
  return null;
}

/* What the admin reads beside the input: its label without hints or earlier notes. */
function labelOf(place, field) {
  const input = place && place.input;
  let label = input && input.getAttribute("aria-label");
  const box = !label && input && input.closest("label");
  if (box) {
    const copy = box.cloneNode(true);
    for (const el of copy.querySelectorAll(".field-error, .small, input, select, textarea")) el.remove();
    label = copy.textContent;
  }
  if (place && place.target.tagName === "FIELDSET") label = place.target.querySelector("legend").textContent;
  return (label || field).replace(/\s+/g, " ").trim();
}

function showProblems(form, fields, title) {
  clearProblems();
  const list = h("ul", {});
  const places = fields.map((p) => placeOf(form, p.field));
  const labels = fields.map((p, i) => labelOf(places[i], p.field));
  fields.forEach((p, i) => {
    const place = places[i];
    const id = `err-${i}`;
    const text = `${p.message_zh} / ${p.message_en}`;
    if (place) {
      const note = h("p", { class: "field-error", id, "data-code": p.code, "data-for": p.field }, text);
      const anchor = place.target.tagName === "FIELDSET" ? place.target.querySelector("legend") : place.target;
      const box = anchor.tagName === "LEGEND" ? anchor.parentElement : anchor.closest("td, label, div, li") || anchor.parentElement;
      if (anchor.tagName === "LEGEND") anchor.after(note);
      else box.appendChild(note);
      if (place.input && place.target === place.input) {
        place.input.setAttribute("aria-invalid", "true");
        const ids = (place.input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        place.input.setAttribute("aria-describedby", [...ids, id].join(" "));
      }
    }
    list.appendChild(h("li", { "data-code": p.code, "data-field": p.field }, `${labels[i]}：${text}`));
  });
  problemsBox.append(h("h2", {}, title), list);
  problemsBox.hidden = false;
  problemsBox.scrollIntoView({ block: "start" });
}

function showError(form, err) {
  if (err instanceof HubError && err.code === "INVALID_REQUEST" && err.details.fields) {
    showProblems(form, err.details.fields, "请修改以下内容后再保存 / Please correct these and save again");
    return;
  }
  clearProblems();
  const text = err instanceof HubError ? `${err.message_zh} / ${err.message_en}` : "无法连接系统，请稍后再试 / The hub cannot be reached; try again";
  problemsBox.append(h("h2", { "data-code": err.code || "" }, text));
  if (err.code === "STALE_VERSION") {
    problemsBox.append(h("p", {}, h("a", { href: location.pathname + location.search.replace(/([?&])saved=1&?/, "$1") }, "刷新本页，查看别人做的修改（您的修改未保存） / reload this page to see the other change (yours was not saved)")));
  }
  problemsBox.hidden = false;
  problemsBox.scrollIntoView({ block: "start" });
}

function numberOrNull(el) {
  const text = el.value.trim();
  if (text === "") return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : text; // the hub names what is not a number
}

// ---- departments -------------------------------------------------------------------

function departmentsPage() {
  const form = byId("department-form");
  const title = byId("department-form-title");
  const fresh = byId("new-department");
  let editing = null;

  function body() {
    const out = {};
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") out[el.name] = el.checked;
      else if (el.dataset.kind === "number") out[el.name] = numberOrNull(el) ?? 0;
      else out[el.name] = el.value.trim();
    }
    if (editing && out.code === editing.code) delete out.code;
    return out;
  }

  function edit(row) {
    editing = row;
    clearProblems();
    for (const el of form.elements) {
      if (!el.name) continue;
      if (el.type === "checkbox") el.checked = Boolean(row[el.name]);
      else el.value = row[el.name] ?? "";
    }
    title.replaceChildren(`编辑部门 ${row.name} `, h("span", { class: "en" }, `Edit ${row.code}`));
    fresh.hidden = false;
    form.scrollIntoView({ block: "start" });
    form.elements.namedItem("name").focus();
  }

  fresh.addEventListener("click", () => location.assign(withHall(location.pathname)));
  for (const button of document.querySelectorAll("#departments button.edit")) {
    button.addEventListener("click", () => edit(config.rows.find((r) => r.code === button.dataset.code)));
  }
  for (const button of document.querySelectorAll("#departments button.remove")) {
    button.addEventListener("click", async () => {
      const code = button.dataset.code;
      if (!confirm(`删除部门 ${code}？ / Remove department ${code}?`)) return;
      try {
        await requestJson("DELETE", `${config.api}/departments/${encodeURIComponent(code)}`);
        location.assign(withHall(location.pathname, "saved=1"));
      } catch (err) {
        showError(form, err);
      }
    });
  }
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const save = byId("save");
    save.disabled = true;
    try {
      if (editing) {
        await requestJson("PATCH", `${config.api}/departments/${encodeURIComponent(editing.code)}`, {
          body: body(),
          headers: { "If-Match": `"${editing.version}"` },
        });
      } else {
        await requestJson("POST", `${config.api}/departments`, { body: body() });
      }
      location.assign(withHall(location.pathname, "saved=1"));
    } catch (err) {
      showError(form, err);
      save.disabled = false;
    }
  });
}

// ---- the item list -----------------------------------------------------------------

function itemsPage() {
  if (!config.reorderable) return;
  async function move(code, by) {
    const order = [...config.order];
    const at = order.indexOf(code);
    const to = at + by;
    if (at < 0 || to < 0 || to >= order.length) return;
    [order[at], order[to]] = [order[to], order[at]];
    try {
      await requestJson("POST", `${config.api}/items/order`, { body: { codes: order } });
      location.assign(withHall(location.pathname, "saved=1"));
    } catch (err) {
      showError(null, err);
    }
  }
  for (const b of document.querySelectorAll("#items button.up")) b.addEventListener("click", () => move(b.dataset.code, -1));
  for (const b of document.querySelectorAll("#items button.down")) b.addEventListener("click", () => move(b.dataset.code, 1));
}

// ---- the item form -----------------------------------------------------------------

function itemPage() {
  const form = byId("item-form");
  const tbody = document.querySelector("#materials tbody");
  const steps = byId("steps");

  function materialRow(m = {}) {
    const forms = config.forms.includes(m.form) || !m.form ? config.forms : [m.form, ...config.forms];
    const select = h("select", { "data-key": "form", "aria-label": "材料形式 form" },
      forms.map((f) => h("option", { value: f, selected: f === (m.form || config.forms[0]) }, f)));
    const row = h("tr", { class: "material" },
      h("td", {}, h("input", { "data-key": "name", value: m.name || "", maxlength: 200, "aria-label": "材料名称 name" })),
      h("td", {}, select),
      h("td", {}, h("input", { "data-key": "copies", type: "number", min: 1, value: m.copies ?? 1, "aria-label": "份数 copies" })),
      h("td", {}, h("input", { "data-key": "required", type: "checkbox", checked: m.required !== false, "aria-label": "必需 required" })),
      h("td", {}, h("input", { "data-key": "note", value: m.note || "", maxlength: 200, "aria-label": "备注 note" })),
      h("td", { class: "ids" },
        h("input", { "data-key": "sample", type: "number", min: 1, class: "id", value: m.sample ?? "", "aria-label": "样表编号 sample id" }),
        h("input", { "data-key": "blank_form", type: "number", min: 1, class: "id", value: m.blank_form ?? "", "aria-label": "空白表编号 blank form id" })),
      h("td", {}, h("button", { type: "button", class: "secondary remove-material", "aria-label": "删除这项材料 remove this material" }, "删除")),
    );
    row.querySelector(".remove-material").addEventListener("click", () => {
      row.remove();
      renumber();
    });
    return row;
  }

  function stepRow(text = "") {
    const li = h("li", {},
      h("input", { "data-key": "step", value: text, maxlength: 200, "aria-label": "步骤 step" }),
      h("button", { type: "button", class: "secondary remove-step", "aria-label": "删除这个步骤 remove this step" }, "删除"));
    li.querySelector(".remove-step").addEventListener("click", () => {
      li.remove();
      renumber();
    });
    return li;
  }

  /* Inputs are named by their path in the API (guide.materials[1].copies), so each
   * problem the hub names lands on its input; renamed whenever a row comes or goes. */
  function renumber() {
    [...tbody.rows].forEach((row, n) => {
      for (const el of row.querySelectorAll("[data-key]")) el.name = `guide.materials[${n}].${el.dataset.key}`;
      row.dataset.field = `guide.materials[${n}]`;
    });
    [...steps.children].forEach((li, n) => {
      li.querySelector("input").name = `guide.procedure[${n}]`;
      li.dataset.field = `guide.procedure[${n}]`;
    });
  }

  for (const m of config.materials) tbody.appendChild(materialRow(m));
  for (const s of config.procedure) steps.appendChild(stepRow(s));
  renumber();
  byId("add-material").addEventListener("click", () => {
    tbody.appendChild(materialRow());
    renumber();
    tbody.rows[tbody.rows.length - 1].querySelector("input").focus();
  });
  byId("add-step").addEventListener("click", () => {
    steps.appendChild(stepRow());
    renumber();
    steps.lastElementChild.querySelector("input").focus();
  });

  // The longest promise the hall allows, as the statutory limit is typed.
  const statutory = form.elements.namedItem("guide.statutory_limit_days");
  const hint = byId("promise-max");
  const share = Number(byId("share-rule").textContent.match(/(\d+)%/)?.[1] || 50);
  function showMax() {
    const n = Number(statutory.value);
    hint.textContent = statutory.value.trim() !== "" && Number.isInteger(n) && n >= 0
      ? `最多 ${Math.floor((n * share) / 100)} 个工作日 / at most ${Math.floor((n * share) / 100)}`
      : "";
  }
  statutory.addEventListener("input", showMax);
  showMax();

  function body() {
    const guide = {};
    const out = { guide };
    for (const el of form.elements) {
      if (!el.name || el.closest("#materials") || el.closest("#steps")) continue;
      const key = el.name.startsWith("guide.") ? el.name.slice(6) : el.name;
      const into = el.name.startsWith("guide.") ? guide : out;
      let value;
      if (el.type === "checkbox") value = el.checked;
      else if (el.dataset.kind === "number") value = numberOrNull(el);
      else if (el.dataset.kind === "lines") value = el.value.split("\n").map((s) => s.trim()).filter(Boolean);
      else value = el.value.trim();
      into[key] = value;
    }
    guide.materials = [...tbody.rows].map((row) => {
      const m = {};
      for (const el of row.querySelectorAll("[data-key]")) {
        const k = el.dataset.key;
        if (el.type === "checkbox") m[k] = el.checked;
        else if (el.type === "number") m[k] = numberOrNull(el);
        else m[k] = el.value.trim();
      }
      if (!m.note) delete m.note;
      return m;
    });
    guide.procedure = [...steps.querySelectorAll("input")].map((el) => el.value.trim());
    for (const key of ["sort", "hot"]) if (out[key] === null) out[key] = 0;
    // An element left empty is removed (null); a new item simply leaves it out.
    for (const [k, v] of Object.entries(guide)) {
      const empty = v === "" || v === null || (Array.isArray(v) && v.length === 0) || (k === "online" && v === false);
      if (empty) {
        if (config.mode === "create") delete guide[k];
        else guide[k] = null;
      }
    }
    if (config.mode === "edit" && out.code === config.code) delete out.code;
    if (config.mode === "create") {
      for (const key of ["department", "queue"]) if (!out[key]) delete out[key];
    }
    return out;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const save = byId("save");
    save.disabled = true;
    try {
      let row;
      if (config.mode === "create") {
        ({ data: row } = await requestJson("POST", `${config.api}/items`, { body: body() }));
      } else {
        ({ data: row } = await requestJson("PATCH", `${config.api}/items/${encodeURIComponent(config.code)}`, {
          body: body(),
          headers: { "If-Match": `"${config.version}"` },
        }));
      }
      location.assign(withHall(`/admin/items/${encodeURIComponent(row.code)}`, "saved=1"));
    } catch (err) {
      showError(form, err);
      save.disabled = false;
    }
  });

  byId("remove-item")?.addEventListener("click", async () => {
    if (!confirm(`删除事项 ${config.code}？ / Delete ${config.code}?`)) return;
    try {
      await requestJson("DELETE", `${config.api}/items/${encodeURIComponent(config.code)}`);
      location.assign(withHall("/admin/items", "saved=1"));
    } catch (err) {
      showError(form, err);
    }
  });
}

// ---- import and export -------------------------------------------------------------

function cataloguePage() {
  const form = byId("import-form");
  const report = byId("report");

  async function send(dryRun) {
    const file = byId("import-file").files[0];
    const data = new FormData();
    if (file) data.append("file", file);
    let response;
    try {
      response = await fetch(`${config.api}/catalogue/import?dry_run=${dryRun}`, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
    } catch {
      return { error: { code: "", message_zh: "无法连接系统，请稍后再试", message_en: "The hub cannot be reached; try again" } };
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) return { error: (body && body.error) || { code: `HTTP ${response.status}`, message_zh: "导入失败", message_en: "The import failed" } };
    return { report: body };
  }

  function problemTable(problems) {
    return h("table", { class: "report", id: "import-problems" },
      h("caption", { class: "small" }, "错误清单 / Problems"),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, "工作表 sheet"),
        h("th", { scope: "col" }, "行 row"),
        h("th", { scope: "col" }, "列 column"),
        h("th", { scope: "col" }, "问题 problem"),
        h("th", { scope: "col" }, "代码 code"))),
      h("tbody", {}, (problems || []).map((p) =>
        h("tr", { "data-row": p.row ?? "", "data-code": p.code, "data-field": p.field },
          h("td", {}, p.sheet || ""),
          h("td", { class: "row" }, p.row ?? "—"),
          h("td", {}, p.column || p.field, p.column ? h("br") : null, p.column ? h("span", { class: "small" }, p.field) : null),
          h("td", {}, p.message_zh, h("br"), h("span", { class: "en" }, p.message_en)),
          h("td", { class: "small" }, p.code)))));
  }

  function counts(r) {
    return `新建部门 ${r.departments_created}、更新部门 ${r.departments_updated}、新建事项 ${r.items_created}、更新事项 ${r.items_updated}、未变 ${r.unchanged} / `
      + `departments created ${r.departments_created}, updated ${r.departments_updated}; items created ${r.items_created}, updated ${r.items_updated}; unchanged ${r.unchanged}`;
  }

  function show(result, dryRun) {
    report.replaceChildren();
    if (result.error) {
      const err = result.error;
      const problems = (err.details && err.details.problems) || [];
      report.append(h("div", { class: "card summary", role: "alert", id: "report-result", "data-code": err.code },
        h("h2", {}, `${err.message_zh} / ${err.message_en}`),
        problems.length ? problemTable(problems) : null));
      return;
    }
    const r = result.report;
    if (!r.ok) {
      report.append(h("div", { class: "card summary", role: "alert", id: "report-result", "data-ok": "false" },
        h("h2", {}, `发现 ${r.problems.length} 处错误，未保存任何内容 / ${r.problems.length} ${r.problems.length === 1 ? "problem" : "problems"} found; nothing was saved`),
        problemTable(r.problems)));
      return;
    }
    report.append(h("div", { class: "card done", role: "status", id: "report-result", "data-ok": "true", "data-dry-run": String(dryRun) },
      h("h2", {}, dryRun ? "全部无误，可以导入 / Every row is right: ready to import" : "已导入 / Imported"),
      h("p", { id: "report-counts" }, counts(r))));
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const dryRun = event.submitter ? event.submitter.dataset.dryRun === "true" : true;
    for (const b of form.querySelectorAll("button")) b.disabled = true;
    try {
      show(await send(dryRun), dryRun);
    } finally {
      for (const b of form.querySelectorAll("button")) b.disabled = false;
    }
  });
}

byId("hall-pick")?.addEventListener("change", (event) => event.target.form.submit());
({ departments: departmentsPage, items: itemsPage, item: itemPage, catalogue: cataloguePage })[config.page]();
document.body.dataset.ready = "true";
