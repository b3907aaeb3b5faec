// The national calendar page (admin_calendar.html): a table checked by the hub (dry run)
// with every bad row reported, then imported whole.

import { HubError } from "/static/kit/api.js";
import { byId, h } from "/static/kit/dom.js";

const config = JSON.parse(byId("calendar-config").textContent);
const form = byId("import-form");
const report = byId("report");

async function send(dryRun) {
  const file = byId("import-file").files[0];
  const data = new FormData();
  if (file) data.append("file", file);
  let response;
  try {
    response = await fetch(`${config.api}/import?dry_run=${dryRun}`, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
  } catch {
    return { error: { code: "", message_zh: "无法连接系统，请稍后再试", message_en: "The hub cannot be reached; try again" } };
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) return { error: (body && body.error) || new HubError(response.status, body) };
  return { report: body };
}

function problemTable(problems) {
  return h("table", { class: "report", id: "problems" },
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "行 row"),
      h("th", { scope: "col" }, "列 column"),
      h("th", { scope: "col" }, "内容 value"),
      h("th", { scope: "col" }, "问题 problem"))),
    h("tbody", {}, problems.map((p) =>
      h("tr", { "data-row": p.row ?? "", "data-code": p.code, "data-field": p.field },
        h("td", { class: "row" }, p.row ?? "—"),
        h("td", {}, p.column || p.field),
        h("td", {}, p.value),
        h("td", {}, p.message_zh, h("br"), h("span", { class: "en" }, p.message_en))))));
}

function show(result, dryRun) {
  report.replaceChildren();
  if (result.error) {
    const err = result.error;
    const problems = (err.details && (err.details.problems || err.details.fields)) || [];
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
  if (dryRun) {
    report.append(h("div", { class: "card done", role: "status", id: "report-result", "data-ok": "true" },
      h("h2", {}, `全部 ${r.entries.length} 行无误，可以导入 / All ${r.entries.length} rows are right: ready to import`)));
    return;
  }
  location.assign(`/admin/calendar?year=${config.year}&imported=${r.entries.length}`);
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
document.body.dataset.ready = "true";
