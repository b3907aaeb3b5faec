// A guide's attachment (示范文本, 空白表格) full screen: a PNG or JPEG fitted to the screen
// with zoom buttons (the citizen pans by dragging the page); a PDF in the browser's own
// viewer, in a frame, with a line telling where to get it on paper if the kiosk's
// browser shows none. 返回 goes back to the guide.

import { button, h } from "/static/kit/dom.js";

const ZOOMS = [1, 1.5, 2, 3];

function imageView(app, params, status) {
  let level = 0;
  const img = h("img", {
    class: "viewer-image",
    id: "viewer-image",
    src: params.url,
    alt: params.name,
    draggable: "false",
  });
  const stage = h("div", { class: "viewer-stage", id: "viewer-stage", tabindex: "0", role: "region", "aria-label": params.name }, img);

  function apply() {
    const zoom = ZOOMS[level];
    stage.dataset.zoom = String(zoom);
    if (!img.naturalWidth || !stage.clientWidth) {
      img.classList.add("fit"); // until it has loaded: CSS fits it
    } else {
      // The fitted size, times the zoom: the stage scrolls to show the rest.
      const fitScale = Math.min(stage.clientWidth / img.naturalWidth, stage.clientHeight / img.naturalHeight);
      img.classList.remove("fit");
      img.style.width = `${Math.floor(img.naturalWidth * fitScale * zoom)}px`;
      img.style.height = "auto";
    }
    status.textContent = app.t("zoom_level", { n: Math.round(zoom * 100) });
    zoomOut.disabled = level === 0;
    fit.disabled = level === 0;
    zoomIn.disabled = level === ZOOMS.length - 1;
  }

  const zoomOut = button(app.t("zoom_out"), () => { level = Math.max(0, level - 1); apply(); }, { class: "btn viewer-btn", id: "zoom-out" });
  const zoomIn = button(app.t("zoom_in"), () => { level = Math.min(ZOOMS.length - 1, level + 1); apply(); }, { class: "btn viewer-btn", id: "zoom-in" });
  const fit = button(app.t("zoom_fit"), () => { level = 0; apply(); }, { class: "btn viewer-btn", id: "zoom-fit" });
  img.addEventListener("load", apply);
  // Sized once the screen is laid out (the stage's size is known then).
  requestAnimationFrame(apply);
  return { stage, tools: [zoomOut, zoomIn, fit] };
}

function pdfView(app, params) {
  // Without the page thumbnails, the page as wide as the frame (Chromium's viewer reads these).
  const frame = h("iframe", { class: "viewer-pdf", id: "viewer-pdf", src: `${params.url}#navpanes=0&view=FitH`, title: params.name });
  const stage = h("div", { class: "viewer-stage viewer-stage-pdf", id: "viewer-stage" }, frame);
  return { stage, tools: [], note: h("p", { class: "viewer-note", id: "viewer-note", text: app.t("pdf_paper") }) };
}

export function fileScreen(app, params) {
  const status = h("p", { class: "viewer-status", role: "status", "aria-live": "polite" });
  const isPdf = params.content_type === "application/pdf";
  const view = isPdf ? pdfView(app, params) : imageView(app, params, status);
  const back = button(app.t("back"), () => app.back(), { class: "btn btn-primary viewer-btn", id: "viewer-back" });
  return {
    el: h("section", { class: "screen screen-file", "data-kind": isPdf ? "pdf" : "image" },
      h("div", { class: "viewer-head" },
        h("div", { class: "screen-title" },
          h("p", { class: "sub", text: app.t(params.role === "blank_form" ? "blank_form" : "sample") }),
          h("h1", { text: params.name, lang: "zh-CN" }),
        ),
        h("div", { class: "viewer-tools", role: "group", "aria-label": app.t("viewer_tools") }, ...view.tools, back),
      ),
      isPdf ? null : status,
      view.stage,
      view.note || null,
    ),
  };
}

export function fileButtons(app, material) {
  return (material.files || []).map((file) =>
    button(
      [
        h("span", { class: "tile-label", text: app.t(file.role === "blank_form" ? "view_blank" : "view_sample") }),
        h("span", { class: "tile-sub", lang: "zh-CN", text: file.name }),
      ],
      () => app.go("file", { url: file.url, name: file.name, role: file.role, content_type: file.content_type }),
      { class: "btn file-btn", "data-file": String(file.id), "data-role": file.role },
    ),
  );
}
