// The attachments page (admin_attachments.html) and the life events page
// (admin_life_events.html): every change goes to the JSON API with the version read,
// and every refusal is shown beside its field, Chinese first.

import { byId, h, option, pageConfig } from "/static/kit/dom.js";

const config = pageConfig("bundles-config");
const problemsBox = byId("problems");
const doneBox = byId("done");

async function call(method, url, body) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    return { error: { code: "", message_zh: "无法连接系统，请稍后再试", message_en: "The hub cannot be reached; try again", details: {} } };
  }
  if (response.status === 204) return { ok: true };
  const data = await response.json().catch(() => null);
  if (!response.ok) return { error: (data && data.error) || { code: "", message_zh: "出错了", message_en: "Failed", details: {} } };
  return { ok: true, data };
}

function clearProblems() {
  for (const el of document.querySelectorAll(".field-error")) el.remove();
  for (const el of document.querySelectorAll("[aria-invalid]")) {
    el.removeAttribute("aria-invalid");
    const kept = el.dataset.describedby || "";
    if (kept) el.setAttribute("aria-describedby", kept);
    else el.removeAttribute("aria-describedby");
  }
  problemsBox.hidden = true;
  problemsBox.replaceChildren();
  doneBox.hidden = true;
}

let noteCount = 0;

// "items.2.note" -> "第 3 项的说明 / item 3's note"; other fields as they are named.
function fieldName(field) {
  const m = /^items\.(\d+)\.(item|note)$/.exec(field);
  if (!m) return field;
  const n = Number(m[1]) + 1;
  return m[2] === "note" ? `第 ${n} 项的说明 / item ${n}'s note` : `第 ${n} 项 / item ${n}`;
}

// ``place(field)``: the input a field's problem belongs beside, or null.
function showError(err, place) {
  const fields = (err.details && err.details.fields) || [];
  problemsBox.replaceChildren(h("h2", { "data-code": err.code || "" }, `${err.message_zh} / ${err.message_en}`));
  if (err.code === "STALE_VERSION") {
    problemsBox.append(h("p", {}, h("a", { href: location.href }, "刷新本页，查看别人做的修改 / reload this page to see the other change")));
  }
  if (err.code === "ATTACHMENT_IN_USE") {
    const items = (err.details && err.details.items) || [];
    problemsBox.append(h("p", {}, "引用它的事项 / used by:"),
      h("ul", { id: "in-use" }, items.map((i) => h("li", { "data-item": i.code }, `${i.code} ${i.name}`))));
  }
  const list = h("ul", {});
  for (const p of fields) {
    list.append(h("li", { "data-field": p.field, "data-code": p.code }, `${fieldName(p.field)}: ${p.message_zh} / ${p.message_en}`));
    const input = place(p.field);
    if (!input) continue;
    const id = `err-${++noteCount}`;
    const note = h("p", { class: "field-error", id, "data-code": p.code, "data-for": p.field },
      p.message_zh, " ", h("span", { class: "en" }, p.message_en));
    input.setAttribute("aria-invalid", "true");
    if (!("describedby" in input.dataset)) input.dataset.describedby = input.getAttribute("aria-describedby") || "";
    input.setAttribute("aria-describedby", [input.dataset.describedby, id].filter(Boolean).join(" "));
    (input.closest("p, li, form.rename, td") || input.parentElement).append(note);
  }
  if (fields.length) problemsBox.append(list);
  problemsBox.hidden = false;
  problemsBox.scrollIntoView({ block: "start" });
}

function done(text) {
  doneBox.replaceChildren(h("p", {}, text));
  doneBox.hidden = false;
}

function reloadWith(flag) {
  const url = new URL(location.href);
  url.searchParams.set("done", flag);
  location.assign(url.toString());
}

const DONE_TEXT = {
  uploaded: "已上传 / Uploaded",
  saved: "已保存 / Saved",
  deleted: "已删除 / Deleted",
};

function announce() {
  const flag = new URL(location.href).searchParams.get("done");
  if (flag && DONE_TEXT[flag]) done(DONE_TEXT[flag]);
}

// ---- attachments --------------------------------------------------------------------

function attachmentsPage() {
  const form = byId("upload-form");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems();
    const data = new FormData(form);
    if (!byId("upload-file").files.length) data.delete("file");
    byId("upload").disabled = true;
    try {
      const result = await call("POST", config.api, data);
      if (result.error) {
        showError(result.error, (field) => form.querySelector(`[name="${field}"]`));
        return;
      }
      reloadWith("uploaded");
    } finally {
      byId("upload").disabled = false;
    }
  });

  for (const rename of document.querySelectorAll("form.rename")) {
    rename.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearProblems();
      const row = rename.closest("tr");
      const body = {
        name: rename.elements.name.value,
        kind: rename.elements.kind.value,
        version: Number(row.dataset.version),
      };
      const result = await call("PATCH", `${config.api}/${rename.dataset.id}`, body);
      if (result.error) {
        showError(result.error, (field) => rename.querySelector(`[name="${field}"]`));
        return;
      }
      row.dataset.version = String(result.data.version);
      done(`已保存：${result.data.name} / Saved`);
    });
  }

  for (const del of document.querySelectorAll("button.delete")) {
    del.addEventListener("click", async () => {
      clearProblems();
      const result = await call("DELETE", `${config.api}/${del.dataset.id}`);
      if (result.error) {
        showError(result.error, () => null);
        return;
      }
      reloadWith("deleted");
    });
  }
}

// ---- life events --------------------------------------------------------------------

function lifeEventsPage() {
  const editor = byId("editor");
  const form = byId("event-form");
  const members = byId("members");
  let editing = null; // the event's row as read (null: a new one)

  function itemSelect(value) {
    const select = h("select", { name: "item", "aria-label": "事项 Service item" });
    select.append(option("", "— 请选择事项 choose an item —"));
    for (const item of config.items) {
      select.append(option(item.code, `${item.code} ${item.name}${item.active ? "" : "（已停用 inactive）"}`));
    }
    select.value = value || "";
    return select;
  }

  function renumber() {
    [...members.children].forEach((li, i) => {
      li.dataset.index = String(i);
      li.querySelector("select").setAttribute("aria-label", `第 ${i + 1} 项 Item ${i + 1}`);
      li.querySelector("input").setAttribute("aria-label", `第 ${i + 1} 项说明 Note ${i + 1}`);
      li.querySelector(".up").disabled = i === 0;
      li.querySelector(".down").disabled = i === members.children.length - 1;
    });
  }

  function memberRow(member) {
    const li = h("li", { class: "member" });
    const move = (dir) => {
      const sibling = dir < 0 ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) return;
      if (dir < 0) members.insertBefore(li, sibling);
      else members.insertBefore(sibling, li);
      renumber();
    };
    li.append(
      itemSelect(member.item),
      h("input", { name: "note", maxlength: "200", placeholder: "说明（可不填），如：如需刻制印章", value: member.note || "" }),
      h("span", { class: "moves" },
        h("button", { type: "button", class: "secondary up", onclick: () => move(-1) }, "上移 ", h("span", { class: "en" }, "up")),
        h("button", { type: "button", class: "secondary down", onclick: () => move(1) }, "下移 ", h("span", { class: "en" }, "down")),
        h("button", { type: "button", class: "danger remove", onclick: () => { li.remove(); renumber(); } }, "移除 ", h("span", { class: "en" }, "remove"))),
    );
    return li;
  }

  function open(row) {
    clearProblems();
    editing = row;
    const f = form.elements;
    f.code.value = row ? row.code : "";
    f.code.readOnly = Boolean(row);
    f.name.value = row ? row.name : "";
    f.name_en.value = row ? row.name_en : "";
    f.sort.value = row ? row.sort : 0;
    f.description.value = row ? row.description : "";
    f.active.checked = row ? row.active : true;
    byId("ev-version").textContent = row ? String(row.version) : "—";
    byId("editor-title").replaceChildren(row ? `编辑：${row.name} ` : "新建“一件事” ", h("span", { class: "en" }, row ? "Edit" : "New"));
    members.replaceChildren(...(row ? row.items : [{}, {}]).map(memberRow));
    renumber();
    editor.hidden = false;
    editor.scrollIntoView({ block: "start" });
    f.name.focus();
  }

  function place(field) {
    const m = /^items\.(\d+)\.(item|note)$/.exec(field);
    if (m) {
      const li = members.children[Number(m[1])];
      return li ? li.querySelector(m[2] === "item" ? "select" : "input") : null;
    }
    if (field === "items") return byId("add-member");
    return form.querySelector(`[name="${field}"]`);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearProblems();
    const f = form.elements;
    const body = {
      name: f.name.value,
      name_en: f.name_en.value,
      description: f.description.value,
      sort: Number(f.sort.value || 0),
      active: f.active.checked,
      items: [...members.children].map((li) => ({ item: li.querySelector("select").value, note: li.querySelector("input").value })),
    };
    let result;
    if (editing) {
      result = await call("PATCH", `${config.api}/${editing.code}`, { ...body, version: editing.version });
    } else {
      result = await call("POST", config.api, { ...body, code: f.code.value });
    }
    if (result.error) {
      showError(result.error, place);
      return;
    }
    reloadWith("saved");
  });

  byId("add-member").addEventListener("click", () => {
    members.append(memberRow({}));
    renumber();
    members.lastElementChild.querySelector("select").focus();
  });
  byId("cancel-event").addEventListener("click", () => {
    editor.hidden = true;
    clearProblems();
  });
  byId("new-event").addEventListener("click", () => open(null));
  for (const edit of document.querySelectorAll("button.edit")) {
    edit.addEventListener("click", () => open(config.events.find((e) => e.code === edit.dataset.code)));
  }
  for (const del of document.querySelectorAll("#events button.delete")) {
    del.addEventListener("click", async () => {
      clearProblems();
      const result = await call("DELETE", `${config.api}/${del.dataset.code}`);
      if (result.error) showError(result.error, () => null);
      else reloadWith("deleted");
    });
  }
}

if (config.page === "attachments") attachmentsPage();
else lifeEventsPage();
announce();
document.body.dataset.ready = "true";
