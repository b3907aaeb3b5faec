// Taking a ticket (optional ID number and phone on the digit pad, 绿色通道 when the hub
// offers it) and the ticket itself, with the printer's outcome as it happens.

import { HubDown, randomKey } from "/static/kit/api.js";
import { button, h, replace } from "/static/kit/dom.js";
import { idProblem, maskTyped, phoneProblem } from "./identity.js";
import { digitPad } from "./keypad.js";
import { followPrint } from "./print.js";
import { issueBlock, queueLine, title } from "./widgets.js";

const LENGTH = { id: 18, phone: 11 };

function freshState() {
  return {
    idNumber: "",
    phone: "",
    idMasked: null,
    phoneMasked: null,
    editing: null,
    draft: "",
    greenOffered: false,
    greenAge: null,
    green: false,
    key: randomKey(),
    error: null,
    busy: false,
    checking: false,
  };
}

export function takeScreen(app, params) {
  const item = params.item ? app.catalogue.items.find((i) => i.code === params.item) : null;
  const queueCode = item ? item.queue : params.queue;
  const queue = app.queue(queueCode);
  const st = params.state || (params.state = freshState());
  const el = h("section", { class: "screen screen-take" });
  const target = () => (item ? { item: item.code } : { queue: queueCode });

  function identity() {
    const out = {};
    if (st.idNumber) out.id_number = st.idNumber;
    if (st.phone) out.phone = st.phone;
    return out;
  }

  function errorArea() {
    if (!st.error) return null;
    return h("div", { class: "notice notice-error", role: "alert", id: "take-error", "data-code": st.error.code || "" },
      app.errorText(st.error));
  }

  async function finishEditing() {
    const which = st.editing;
    const value = st.draft;
    const problem = which === "id" ? idProblem(value, app.hubNow()) : phoneProblem(value);
    if (problem) {
      st.error = { code: problem };
      draw();
      return;
    }
    const before = { idNumber: st.idNumber, phone: st.phone };
    if (which === "id") st.idNumber = value;
    else st.phone = value;
    st.checking = true;
    st.error = null;
    draw();
    try {
      const { data } = await app.api.post("tickets/check", { ...target(), ...identity() }, { auth: true });
      st.idMasked = data.id_masked;
      st.phoneMasked = data.phone_masked;
      st.greenOffered = data.green_channel;
      st.greenAge = data.green_channel_age;
      // In the elderly mode the offer is taken up front: one step fewer.
      st.green = data.green_channel && app.elder;
      st.editing = null;
      st.draft = "";
      st.key = randomKey();
    } catch (err) {
      st.idNumber = before.idNumber;
      st.phone = before.phone;
      if (!(err instanceof HubDown)) st.error = err;
    } finally {
      st.checking = false;
      draw();
    }
  }

  function editor(head) {
    const which = st.editing;
    const field = h("input", {
      class: "field field-digits",
      id: `field-${which}`,
      type: "text",
      readonly: true,
      inputmode: "none",
      autocomplete: "off",
      "aria-label": app.t(which === "id" ? "id_label" : "phone_label"),
    });
    field.value = maskTyped(st.draft);
    const counter = h("p", { class: "typed", role: "status", text: app.t("typed_n", { n: st.draft.length, m: LENGTH[which] }) });
    const typed = (ch) => {
      if (st.draft.length >= LENGTH[which]) return;
      if (ch === "X" && st.draft.length !== 17) return;
      st.draft += ch;
      st.error = null;
      draw();
    };
    return h("div", { class: "editor" },
      h("div", { class: "editor-head" }, head),
      h("h2", { text: app.t(which === "id" ? "id_label" : "phone_label") }),
      field,
      counter,
      errorArea(),
      st.checking ? h("p", { class: "checking", role: "status", text: app.t("checking") }) : null,
      digitPad(app.t, {
        allowX: which === "id",
        label: app.t(which === "id" ? "id_label" : "phone_label"),
        onKey: typed,
        onDelete: () => {
          st.draft = st.draft.slice(0, -1);
          st.error = null;
          draw();
        },
        onClear: () => {
          st.draft = "";
          st.error = null;
          draw();
        },
        onDone: () => {
          if (!st.checking) finishEditing();
        },
      }),
      button(app.t("cancel"), () => {
        st.editing = null;
        st.draft = "";
        st.error = null;
        draw();
      }, { class: "btn-wide", id: "editor-cancel" }),
    );
  }

  function optionRow(which) {
    const masked = which === "id" ? st.idMasked : st.phoneMasked;
    const open = () => {
      st.editing = which;
      st.draft = "";
      st.error = null;
      params.dirty = true;
      draw();
    };
    if (!masked) {
      const age = app.config.hall.green_channel_age;
      const sub = which === "id" && age ? app.t("id_why", { age }) : null;
      return button(
        [h("span", { class: "row-name", text: app.t(which === "id" ? "id_optional" : "phone_optional") }),
          sub ? h("span", { class: "row-sub", text: sub }) : null],
        open,
        { class: "row", id: `add-${which}` },
      );
    }
    return h("div", { class: "filled", id: `filled-${which}` },
      h("span", { class: "filled-label", text: app.t(which === "id" ? "id_label" : "phone_label") }),
      h("span", { class: "filled-value", text: masked }),
      button(app.t("change"), open, { class: "small" }),
      button(app.t("remove"), () => {
        if (which === "id") {
          st.idNumber = "";
          st.idMasked = null;
          st.greenOffered = false;
          st.green = false;
        } else {
          st.phone = "";
          st.phoneMasked = null;
        }
        st.key = randomKey();
        draw();
      }, { class: "small" }),
    );
  }

  async function confirm(btn) {
    if (st.busy) return;
    st.busy = true;
    btn.disabled = true; // at once: a second tap finds it disabled (and the hub dedups by key)
    btn.textContent = app.t("issuing");
    st.error = null;
    const body = { ...target(), ...identity() };
    if (st.green) body.priority = "green";
    try {
      const { data } = await app.api.post("tickets", body, {
        auth: true,
        headers: { "Idempotency-Key": st.key },
      });
      params.state = null; // the typed numbers go with the screen
      app.replaceWith("result", { ticket: data, dirty: true });
      return;
    } catch (err) {
      if (!(err instanceof HubDown)) st.error = err;
    }
    st.busy = false;
    draw();
  }

  function draw() {
    const stop = issueBlock(app, queueCode);
    const name = item ? app.itemName(item) : queue ? app.name(queue) : queueCode;
    const head = [
      title(app.t("take_title"), null),
      h("p", { class: "take-target", text: name }),
      h("p", { class: "queue-line", text: queueLine(app, queueCode) }),
    ];
    if (stop) {
      replace(el, head, stop);
      return;
    }
    if (!app.api.hasToken()) {
      replace(el, head, h("div", { class: "notice notice-stop", role: "status", id: "not-provisioned" }, app.t("not_provisioned")));
      return;
    }
    if (st.editing) {
      replace(el, editor(head));
      return;
    }
    const green = st.greenOffered
      ? button(st.green ? app.t("green_on") : app.t("green_offer"), () => {
          st.green = !st.green;
          st.key = randomKey();
          draw();
        }, { class: "row row-green", id: "green", "aria-pressed": String(st.green) })
      : null;
    const confirmBtn = button(app.t(app.elder && !st.idMasked ? "take_now" : "confirm_take"), () => confirm(confirmBtn), {
      class: "btn-primary btn-confirm",
      id: "confirm",
      disabled: st.busy,
    });
    const age = app.config.hall.green_channel_age;
    const options = app.elder
      ? [st.idMasked ? optionRow("id") : age ? button(app.t("elder_id", { age }), () => {
          st.editing = "id";
          st.draft = "";
          params.dirty = true;
          draw();
        }, { class: "row", id: "add-id" }) : null]
      : [h("h2", { class: "optional-title", text: app.t("optional_title") }), optionRow("id"), optionRow("phone")];
    // The offer comes before the button that uses it, so nobody confirms past it.
    replace(el, head, errorArea(), green, confirmBtn, h("div", { class: "options" }, options));
  }

  draw();
  return { el, cleanup: () => {} };
}

export function resultScreen(app, params) {
  const t = params.ticket;
  const printBox = h("div", { class: "print-status print-ticket", role: "status", "aria-live": "polite", id: "print-status" });
  let stop = null;
  if (t.print && t.print.job) {
    stop = followPrint(app, t.print, printBox);
  } else {
    printBox.dataset.state = "none";
    replace(printBox, app.t("no_printer"));
  }
  const windows = t.windows.join(app.lang === "en" ? ", " : "、");
  const qr = h("img", {
    class: "qr",
    src: `/kiosk/${encodeURIComponent(app.config.hall.code)}/tickets/${encodeURIComponent(t.token)}/qr.svg`,
    alt: app.t("scan_qr"),
    width: 280,
    height: 280,
  });
  const el = h("section", { class: "screen screen-result" },
    h("div", { class: "ticket-card" },
      h("p", { class: "sub", text: app.t("your_number") }),
      h("h1", { class: "ticket-code", id: "ticket-code", text: t.code }),
      h("p", { class: "ticket-queue", text: t.service_item_name || (app.lang === "en" && t.queue_name_en ? t.queue_name_en : t.queue_name) }),
      t.priority === "green" ? h("p", { class: "badge badge-green", text: app.t("green_on") }) : null,
      h("p", { class: "ticket-ahead", id: "ticket-ahead", text: t.people_ahead ? app.t("people_ahead", { n: t.people_ahead }) : app.t("people_ahead_0") }),
      t.people_ahead && t.estimated_wait_minutes !== null
        ? h("p", { class: "ticket-wait", text: app.t("est_wait", { n: t.estimated_wait_minutes }) })
        : null,
      windows ? h("p", { class: "ticket-windows", text: app.t("go_windows", { w: windows }) }) : null,
      t.id_masked || t.phone_masked
        ? h("p", { class: "ticket-who", text: [t.id_masked, t.phone_masked].filter(Boolean).join("  ") })
        : null,
    ),
    h("div", { class: "ticket-side" },
      h("figure", { class: "qr-box" }, qr, h("figcaption", { text: app.t("scan_qr") })),
      printBox,
      button(app.t("finish"), () => app.home(), { class: "btn-primary btn-wide", id: "finish" }),
    ),
  );
  return { el, cleanup: () => stop && stop() };
}

