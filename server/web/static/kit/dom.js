// Building screens: elements from data, never from HTML strings (no injection).

export function byId(id) {
  return document.getElementById(id);
}

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else if (key === "onclick") el.addEventListener("click", value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

export function button(label, onclick, attrs = {}) {
  const cls = ["btn", attrs.class].filter(Boolean).join(" ");
  return h("button", { type: "button", ...attrs, class: cls, onclick }, label);
}

export function option(value, text) {
  const o = h("option", { text });
  o.value = value;
  return o;
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/* Reads the page's <script type="application/json" id=…> block: the only script a
 * template carries inline. */
export function pageConfig(id) {
  return JSON.parse(byId(id).textContent);
}
