// See the hall: who is waiting for what, and which windows serve what.

import { HubDown } from "/static/kit/api.js";
import { h, replace } from "/static/kit/dom.js";
import { errorBox, title } from "./widgets.js";

function queueTable(app) {
  return h("table", { class: "hall-table", id: "hall-queues" },
    h("thead", {}, h("tr", {},
      ["col_queue", "col_waiting", "col_wait", "col_windows", "col_state"].map((k) => h("th", { scope: "col", text: app.t(k) })),
    )),
    h("tbody", {}, app.catalogue.queues.map((q) => {
      const st = app.status.get(q.code) || {};
      const state = app.issueState(q.code);
      return h("tr", { "data-queue": q.code },
        h("th", { scope: "row" }, h("span", { class: "qprefix", "aria-hidden": "true", text: q.prefix }), app.name(q)),
        h("td", { class: "num", text: st.waiting ?? "" }),
        h("td", { text: !st.waiting || st.estimated_wait_minutes === null ? "—" : app.t("est_wait", { n: st.estimated_wait_minutes }) }),
        h("td", { text: (st.windows || []).join(app.lang === "en" ? ", " : "、") }),
        h("td", { class: state.ok ? "ok" : "stop", text: state.ok ? app.t("issuing_ok") : state.text }),
      );
    })),
  );
}

function windowGrid(app, windows) {
  const names = new Map(app.catalogue.queues.map((q) => [q.code, app.name(q)]));
  return h("ul", { class: "window-grid", id: "hall-windows" }, windows.map((w) => {
    const state = w.open ? "open" : w.paused ? "paused" : "closed";
    return h("li", { class: `window window-${state}`, "data-window": w.number },
      h("span", { class: "window-no", text: w.number }),
      h("span", { class: "window-name", text: app.name(w) }),
      h("span", { class: "window-serves", text: app.t("window_serves", { q: w.queues.map((c) => names.get(c) || c).join(app.lang === "en" ? ", " : "、") }) }),
      h("span", { class: "window-state", text: app.t(`window_${state}`) + (w.current ? " · " + app.t("now_serving", { c: w.current }) : "") }),
    );
  }));
}

export function hallScreen(app) {
  const queues = h("div", { class: "hall-queues" }, queueTable(app));
  const windows = h("div", { class: "hall-windows" }, h("p", { class: "loading", text: "…" }));
  async function loadWindows() {
    try {
      replace(windows, windowGrid(app, await app.api.get("windows")));
    } catch (err) {
      if (!(err instanceof HubDown)) replace(windows, errorBox(app, err));
    }
  }
  app.onStatus = () => {
    replace(queues, queueTable(app));
    loadWindows();
  };
  loadWindows();
  return {
    el: h("section", { class: "screen screen-hall" },
      title(app.t("hall_title")),
      h("div", { class: "hall-layout" },
        h("section", { "aria-labelledby": "hall-q-title" }, h("h2", { id: "hall-q-title", text: app.t("col_waiting") }), queues),
        h("section", { "aria-labelledby": "hall-w-title" }, h("h2", { id: "hall-w-title", text: app.t("windows_title") }), windows),
      ),
    ),
    cleanup: () => (app.onStatus = null),
  };
}
