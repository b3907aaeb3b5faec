// Pieces several screens share: titles, item rows, a queue's state in words.

import { button, h } from "/static/kit/dom.js";

export function title(text, sub) {
  return h("div", { class: "screen-title" }, h("h1", { text }), sub ? h("p", { class: "sub", text: sub }) : null);
}

export function queueLine(app, queueCode) {
  const st = app.status.get(queueCode);
  if (!st) return "";
  if (st.waiting === 0) return app.t("no_wait");
  const parts = [app.t("waiting_n", { n: st.waiting })];
  parts.push(
    st.estimated_wait_minutes === null
      ? app.t("est_unknown")
      : app.t("est_wait", { n: st.estimated_wait_minutes }),
  );
  return parts.join(" · ");
}

export function issueBlock(app, queueCode) {
  // Said before the citizen starts: outside ticket hours, cap reached, hall closed.
  const state = app.issueState(queueCode);
  if (state.ok) return null;
  return h(
    "div",
    { class: "notice notice-stop", role: "status", "data-code": state.code },
    h("strong", { text: state.text }),
    state.hours ? h("span", { class: "notice-more", text: state.hours }) : null,
  );
}

// Search results say which of an item's words the citizen typed when it is not the name
// (营业执照 finds 有限责任公司设立登记; sfz, 身份证; 身分证, a typo, 身份证).
const SAYS_MATCHED = new Set(["alias", "keyword", "pinyin", "fuzzy"]);

function matchedNote(app, item) {
  const word = item.matched;
  if (!SAYS_MATCHED.has(item.match) || !word || word === item.name || word === item.name_en) return null;
  return h("span", {
    class: "row-alt row-matched",
    "data-match": item.match,
    lang: app.lang === "en" && /[\u3400-\u9fff]/.test(word) ? "zh-CN" : null,
    text: app.t("matched", { word }),
  });
}

export function itemRow(app, item, onOpen) {
  const state = app.issueState(item.queue);
  const dept = app.department(item.department);
  return button(
    [
      h("span", { class: "row-main" },
        h("span", { class: "row-name", text: app.itemName(item) }),
        app.lang === "en" && item.name_en ? h("span", { class: "row-alt", lang: "zh-CN", text: item.name }) : null,
        matchedNote(app, item),
        // In a life event (一件事): when the item applies ("如需刻制印章").
        item.note ? h("span", { class: "row-alt row-note", lang: app.lang === "en" ? "zh-CN" : null, text: item.note }) : null,
      ),
      h("span", { class: "row-sub" },
        dept ? app.name(dept) : "",
        " · ",
        queueLine(app, item.queue),
      ),
      state.ok ? null : h("span", { class: "badge badge-stop", text: app.t("issuing_stopped") }),
    ],
    () => onOpen(item),
    { class: "row", "data-item": item.code },
  );
}

export function groupButton(label, count, onOpen, attrs = {}) {
  return button(
    [h("span", { class: "row-name", text: label }), count !== null ? h("span", { class: "row-sub", text: count }) : null],
    onOpen,
    { class: "row row-group", ...attrs },
  );
}

export function errorBox(app, err) {
  return h("div", { class: "notice notice-error", role: "alert", "data-code": err.code || "" }, app.errorText(err));
}
