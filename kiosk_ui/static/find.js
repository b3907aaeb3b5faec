// Finding a service: the home screen, browsing (department, counter type, life event)
// and search with the on-screen letter keyboard.

import { HubDown } from "/static/kit/api.js";
import { button, h, replace } from "/static/kit/dom.js";
import { letterKeyboard } from "./keypad.js";
import { errorBox, groupButton, itemRow, queueLine, title } from "./widgets.js";

// As many as fit without scrolling: a portrait screen has room for more.
const HOT_ON_HOME = { portrait: 8, landscape: 5 };
const SEARCH_WORDS = ["不动产", "社保", "身份证", "营业执照", "结婚", "退休"];

function tile(label, sub, onclick, attrs) {
  return button(
    [h("span", { class: "tile-label", text: label }), h("span", { class: "tile-sub", text: sub })],
    onclick,
    { class: "tile", ...attrs },
  );
}

function queueButton(app, q, onOpen) {
  const state = app.issueState(q.code);
  return button(
    [
      h("span", { class: "row-main" },
        h("span", { class: "qprefix", "aria-hidden": "true", text: q.prefix }),
        h("span", { class: "row-name", text: app.name(q) }),
      ),
      h("span", { class: "row-sub", text: queueLine(app, q.code) }),
      state.ok ? null : h("span", { class: "badge badge-stop", text: state.text }),
    ],
    () => onOpen(q),
    { class: "row row-queue", "data-queue": q.code },
  );
}

export function homeScreen(app) {
  const openItem = (item) => app.go("guide", { code: item.code });
  if (app.elder) {
    const list = h("div", { class: "list list-big" });
    const fill = () =>
      replace(list, app.catalogue.queues.map((q) => queueButton(app, q, () => app.go("take", { queue: q.code }))));
    fill();
    app.onStatus = fill;
    return {
      el: h("section", { class: "screen screen-home elder-home" },
        title(app.t("welcome_elder")),
        list,
        button(app.t("elder_more"), () => app.go("browse", { by: "department" }), { class: "btn-wide", id: "elder-more" }),
      ),
      cleanup: () => (app.onStatus = null),
    };
  }
  const hot = h("section", { class: "hot", "aria-labelledby": "hot-title" },
    h("h2", { id: "hot-title", text: app.t("hot_items") }),
    h("div", { class: "list" }, app.hot.slice(0, HOT_ON_HOME[document.documentElement.dataset.orientation] || 6).map((item) => itemRow(app, item, openItem))),
  );
  return {
    el: h("section", { class: "screen screen-home" },
      title(app.t("welcome")),
      h("div", { class: "home-grid" },
        h("div", { class: "tiles" },
          tile(app.t("search"), app.t("search_sub"), () => app.go("search", { q: "" }), { id: "tile-search" }),
          tile(app.t("find_service"), app.t("find_service_sub"), () => app.go("browse", { by: "department" }), { id: "tile-browse" }),
          tile(app.t("take_ticket"), app.t("take_ticket_sub"), () => app.go("browse", { by: "queue" }), { id: "tile-take" }),
          tile(app.t("see_hall"), app.t("see_hall_sub"), () => app.go("hall"), { id: "tile-hall" }),
        ),
        hot,
      ),
    ),
  };
}

const TABS = [
  ["department", "by_department"],
  ["queue", "by_queue"],
  ["life", "by_life_event"],
];

function groupsOf(app, by) {
  const items = app.hot.length ? app.hot : app.catalogue.items;
  if (by === "department") {
    // A department with nothing to offer at this hall is not worth a tap.
    return app.catalogue.departments
      .map((d) => ({ key: d.code, label: app.name(d), items: items.filter((i) => i.department === d.code) }))
      .filter((g) => g.items.length > 0);
  }
  if (by === "queue") {
    return app.catalogue.queues.map((q) => ({
      key: q.code,
      label: app.name(q),
      queue: q,
      items: items.filter((i) => i.queue === q.code),
    }));
  }
  // A life event (一件事): its items in the order they are done, each with its note.
  return app.lifeEvents.map((e) => ({
    key: e.code,
    label: app.lang === "en" ? e.name_en : e.name,
    description: e.description,
    items: e.items,
    numbered: true,
  }));
}

export function browseScreen(app, params) {
  const by = params.by || "department";
  const groups = groupsOf(app, by);
  const tabs = h(
    "div",
    { class: "tabs", role: "group", "aria-label": app.t("browse_title") },
    TABS.map(([key, label]) =>
      button(app.t(label), () => app.replaceWith("browse", { by: key }), {
        class: "tab",
        "aria-pressed": String(key === by),
        "data-tab": key,
      }),
    ),
  );
  const openItem = (item) => app.go("guide", { code: item.code });
  if (params.group) {
    const group = groups.find((g) => g.key === params.group);
    if (!group) return { el: h("section", { class: "screen" }, title(app.t("browse_title")), tabs) };
    const takeQueue = group.queue
      ? button(app.t("take_ticket") + " · " + group.label, () => app.go("take", { queue: group.queue.code }), {
          class: "btn-wide btn-primary",
          id: "take-queue",
          disabled: !app.issueState(group.queue.code).ok,
        })
      : null;
    return {
      el: h("section", { class: "screen screen-browse" },
        title(group.label, [group.description, app.t("items_count", { n: group.items.length })].filter(Boolean).join(" · ")),
        app.elder ? null : tabs, // fewer things on the elderly screen: Back returns
        group.queue ? h("p", { class: "queue-line", text: queueLine(app, group.queue.code) }) : null,
        takeQueue,
        group.numbered
          ? h("ol", { class: "list list-steps" }, group.items.map((item) => h("li", {}, itemRow(app, item, openItem))))
          : h("div", { class: "list" }, group.items.map((item) => itemRow(app, item, openItem))),
      ),
    };
  }
  const list = groups.map((g) =>
    g.queue
      ? queueButton(app, g.queue, () => app.go("browse", { by, group: g.key }))
      : groupButton(g.label, app.t("items_count", { n: g.items.length }), () => app.go("browse", { by, group: g.key }), {
          "data-group": g.key,
        }),
  );
  return {
    el: h("section", { class: "screen screen-browse" },
      title(app.t("browse_title")),
      tabs,
      h("div", { class: "list list-groups" }, list),
    ),
  };
}

export function searchScreen(app, params) {
  const field = h("input", {
    id: "search-field",
    class: "field",
    type: "text",
    readonly: true,
    inputmode: "none",
    autocomplete: "off",
    "aria-label": app.t("search_label"),
    placeholder: app.t("search_sub"),
  });
  field.value = params.q || "";
  const count = h("p", { class: "result-count", role: "status", "aria-live": "polite" });
  const results = h("div", { class: "list results", id: "results" });
  let timer = null;
  let asked = 0;

  async function run() {
    const q = params.q || "";
    const mine = ++asked;
    try {
      const data = await app.api.get(`search?q=${encodeURIComponent(q)}`);
      if (mine !== asked) return;
      const items = data.items;
      count.textContent = q ? (items.length ? app.t("results_n", { n: items.length }) : app.t("no_results")) : app.t("hot_items");
      replace(results, items.map((item) => itemRow(app, item, (it) => app.go("guide", { code: it.code }))));
    } catch (err) {
      if (err instanceof HubDown) return;
      replace(results, errorBox(app, err));
    }
  }

  function set(q) {
    params.q = q.slice(0, 32);
    field.value = params.q;
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }

  const keyboard = letterKeyboard(app.t, {
    onKey: (ch) => set(/^[a-z]*$/.test(params.q || "") ? (params.q || "") + ch : ch),
    onDelete: () => set((params.q || "").slice(0, -1)),
    onClear: () => set(""),
  });
  const words = h("div", { class: "chips", role: "group", "aria-label": app.t("search_words") },
    SEARCH_WORDS.map((w) => button(w, () => set(w), { class: "chip", lang: "zh-CN" })),
  );
  run();
  return {
    el: h("section", { class: "screen screen-search" },
      title(app.t("search_title"), app.t("search_hint")),
      h("div", { class: "search-layout" },
        h("div", { class: "search-field" }, field, words),
        h("div", { class: "search-keys" }, keyboard),
        h("div", { class: "search-results" }, count, results),
      ),
    ),
    cleanup: () => clearTimeout(timer),
  };
}
