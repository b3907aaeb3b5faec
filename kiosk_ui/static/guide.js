// The public guide (办事指南) of a service item, for reading at arm's length, with
// "print the materials list" (一次性告知单) and "take a ticket".

import { HubDown, HubError } from "/static/kit/api.js";
import { button, h, replace } from "/static/kit/dom.js";
import { followPrint } from "./print.js";
import { fileButtons } from "./viewer.js";
import { errorBox, issueBlock, queueLine } from "./widgets.js";

function days(app, n) {
  return Number(n) === 0 ? app.t("days_0") : app.t("days", { n });
}

function section(app, key, value) {
  if (key === "materials") {
    return h("table", { class: "materials" },
      h("thead", {}, h("tr", {},
        h("th", { scope: "col", text: app.t("materials_name") }),
        h("th", { scope: "col", text: app.t("materials_form") }),
        h("th", { scope: "col", text: app.t("materials_copies") }),
      )),
      h("tbody", {}, value.flatMap((m) => [
        h("tr", { class: m.files && m.files.length ? "has-files" : null },
          h("td", { text: m.name }), h("td", { text: m.form }), h("td", { class: "num", text: m.copies }),
        ),
        // A 示范文本 or 空白表格 opens full screen (viewer.js).
        m.files && m.files.length
          ? h("tr", { class: "material-files" }, h("td", { colspan: "3" }, h("div", { class: "file-buttons" }, fileButtons(app, m))))
          : null,
      ].filter(Boolean))),
    );
  }
  if (key === "procedure") {
    return h("ol", { class: "steps" }, value.map((step) => h("li", { text: step })));
  }
  if (key === "statutory_limit_days" || key === "promised_limit_days") {
    return h("p", { text: days(app, value) });
  }
  if (Array.isArray(value)) return h("ul", {}, value.map((v) => h("li", { text: v })));
  return h("p", { text: String(value) });
}

export function guideScreen(app, params) {
  const body = h("div", { class: "guide-body" }, h("p", { class: "loading", text: "…" }));
  const printBox = h("div", { class: "print-status", role: "status", "aria-live": "polite", id: "notice-status" });
  let stopPrint = null;
  const el = h("section", { class: "screen screen-guide" }, body);

  async function printNotice(btn) {
    if (stopPrint) stopPrint();
    if (!app.api.hasToken()) {
      replace(printBox, app.t("not_provisioned"));
      return;
    }
    btn.disabled = true;
    try {
      const { data } = await app.api.post(`items/${encodeURIComponent(params.code)}/notice`, {}, { auth: true });
      if (data.print) stopPrint = followPrint(app, data.print, printBox);
      else replace(printBox, app.t("no_printer"));
    } catch (err) {
      if (err instanceof HubDown) return;
      if (err instanceof HubError && err.status === 404 && err.code === "NOT_FOUND") replace(printBox, app.t("no_printer"));
      else replace(printBox, errorBox(app, err));
    } finally {
      // Enabled again after a moment: a second tap is a deliberate second copy.
      setTimeout(() => (btn.disabled = false), 3000);
    }
  }

  async function load() {
    try {
      const item = await app.api.get(`items/${encodeURIComponent(params.code)}`);
      const g = item.guide;
      const dept = app.department(item.department);
      const queue = app.queue(item.queue);
      const stop = issueBlock(app, item.queue);
      const printBtn = button(
        [h("span", { class: "tile-label", text: app.t("print_list") }), h("span", { class: "tile-sub", text: app.t("print_list_sub") })],
        () => printNotice(printBtn),
        { class: "action", id: "print-notice" },
      );
      const takeBtn = stop
        ? null
        : button(app.t("take_for_item"), () => app.go("take", { item: item.code }), { class: "action btn-primary", id: "take-item" });
      const facts = h("dl", { class: "facts" },
        h("dt", { text: app.t("department") }), h("dd", { text: dept ? app.name(dept) : item.department_name }),
        h("dt", { text: app.t("queue") }), h("dd", { text: queue ? app.name(queue) : item.queue_name }),
        h("dt", { text: app.t("case_type") }), h("dd", { text: g.case_type || "" }),
      );
      const sections = app.config.guide_fields
        .filter((f) => f.key !== "case_type" && g[f.key] !== undefined && g[f.key] !== "" && g[f.key] !== null)
        .map((f) =>
          h("section", { class: "guide-section", "data-section": f.key },
            h("h2", { text: app.lang === "en" ? f.en : f.zh }),
            section(app, f.key, g[f.key]),
          ),
        );
      replace(body,
        h("div", { class: "screen-title" },
          h("p", { class: "sub", text: app.t("guide_title") }),
          h("h1", { text: app.itemName(item) }),
          app.lang === "en" ? h("p", { class: "sub", lang: "zh-CN", text: item.name }) : null,
        ),
        h("div", { class: "guide-top" },
          facts,
          h("div", { class: "guide-actions" },
            h("p", { class: "queue-line", text: queueLine(app, item.queue) }),
            stop,
            takeBtn,
            printBtn,
            printBox,
          ),
        ),
        h("div", { class: "guide-sections" }, sections),
      );
    } catch (err) {
      if (err instanceof HubDown) return;
      replace(body, errorBox(app, err));
    }
  }

  load();
  return { el, cleanup: () => stopPrint && stopPrint() };
}
