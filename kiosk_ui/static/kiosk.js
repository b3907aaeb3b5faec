// The kiosk: one page, screens drawn from the hub's public API. See server/web/kiosk.py.

import { Api, HubDown } from "/static/kit/api.js";
import { h, replace } from "/static/kit/dom.js";
import { makeT } from "./i18n.js";
import { browseScreen, homeScreen, searchScreen } from "./find.js";
import { guideScreen } from "./guide.js";
import { hallScreen } from "./hall.js";
import { resultScreen, takeScreen } from "./ticket.js";
import { fileScreen } from "./viewer.js";

const SCREENS = {
  home: homeScreen,
  browse: browseScreen,
  search: searchScreen,
  guide: guideScreen,
  take: takeScreen,
  result: resultScreen,
  hall: hallScreen,
  file: fileScreen,
};
const STATUS_EVERY_MS = 10000;
const COUNTDOWN_MAX_S = 15;

class Kiosk {
  constructor(config) {
    this.config = config;
    this.clockOffset = (config.now_ms ?? Date.now()) - Date.now();
    this.defaults = { lang: config.lang, elder: config.elder };
    this.lang = config.lang;
    this.elder = config.elder;
    this.t = makeT(this);
    this.stack = [{ name: "home", params: {} }];
    this.cleanup = null;
    this.catalogue = null;
    this.status = new Map();
    this.lifeEvents = [];
    this.hot = [];
    this.lastActivity = Date.now();
    this.api = new Api({
      base: config.api,
      tokenKey: `hall-kiosk-token:${config.hall.code}:${config.device || "-"}`,
      onDown: () => this.showOffline(true),
      onUp: () => this.showOffline(false),
    });
    this.screenEl = document.getElementById("screen");
  }

  // ---- words -------------------------------------------------------------------------

  name(obj) {
    return this.lang === "en" && obj.name_en ? obj.name_en : obj.name;
  }

  itemName(item) {
    return this.name(item);
  }

  message(code) {
    const pair = this.config.messages[code];
    return pair ? pair[this.lang === "en" ? 1 : 0] : null;
  }

  errorText(err) {
    if (err && err.code) {
      const known = this.message(err.code);
      if (known) return known;
      const own = this.lang === "en" ? err.message_en : err.message_zh;
      if (own) return own;
    }
    return this.t("try_again");
  }

  department(code) {
    return (this.catalogue?.departments || []).find((d) => d.code === code) || null;
  }

  queue(code) {
    return (this.catalogue?.queues || []).find((q) => q.code === code) || null;
  }

  issueState(queueCode) {
    const st = this.status.get(queueCode);
    if (!st || st.issuing) return { ok: true };
    const code = st.not_issuing_code || "QUEUE_INACTIVE";
    const q = this.queue(queueCode);
    const hours =
      code === "OUT_OF_HOURS" && q && q.issue_hours.length
        ? this.t("hours_are", { h: q.issue_hours.join(this.lang === "en" ? ", " : "、") })
        : null;
    return { ok: false, code, text: this.message(code) || code, hours };
  }

  // ---- data --------------------------------------------------------------------------

  async loadAll() {
    const [catalogue, events, hot] = await Promise.all([
      this.api.get("catalogue"),
      this.api.get("life-events"),
      this.api.get("search?q="),
    ]);
    this.catalogue = catalogue;
    this.lifeEvents = events;
    this.hot = hot.items;
    await this.loadStatus();
  }

  async loadStatus() {
    const data = await this.api.get("queues");
    this.status = new Map(data.queues.map((q) => [q.code, q]));
    this.closed = data.closed ? { reason: data.closed_reason || "" } : null;
    this.renderClosed();
    return data;
  }

  /* Closed by an admin: every queue says so too, the band says it first. */
  renderClosed() {
    const band = document.getElementById("closed-band");
    band.hidden = !this.closed;
    document.body.dataset.closed = String(Boolean(this.closed));
    if (this.closed) {
      band.textContent = [this.message("HALL_CLOSED"), this.closed.reason].filter(Boolean).join(" · ");
    }
  }

  // ---- screens -----------------------------------------------------------------------

  get current() {
    return this.stack[this.stack.length - 1];
  }

  go(name, params = {}) {
    this.stack.push({ name, params });
    this.render();
  }

  back() {
    if (this.stack.length > 1) this.stack.pop();
    this.render();
  }

  home() {
    this.stack = [{ name: "home", params: {} }];
    this.render();
  }

  replaceWith(name, params = {}) {
    this.stack[this.stack.length - 1] = { name, params };
    this.render();
  }

  render() {
    if (this.cleanup) {
      try {
        this.cleanup();
      } catch (err) {
        console.error(err);
      }
      this.cleanup = null;
    }
    const { name, params } = this.current;
    document.documentElement.lang = this.lang === "en" ? "en" : "zh-CN";
    document.documentElement.classList.toggle("elder", this.elder);
    document.body.dataset.screen = name;
    this.renderBar();
    if (!this.catalogue) {
      replace(this.screenEl, h("p", { class: "loading", text: "…" }));
      return;
    }
    const out = SCREENS[name](this, params);
    this.cleanup = out.cleanup || null;
    replace(this.screenEl, out.el);
    this.screenEl.scrollTop = 0;
  }

  renderBar() {
    const atHome = this.stack.length === 1;
    const back = document.getElementById("btn-back");
    back.hidden = atHome;
    back.textContent = this.t("back");
    const home = document.getElementById("btn-home");
    home.textContent = this.t("home");
    home.hidden = atHome;
    const elder = document.getElementById("btn-elder");
    elder.textContent = this.elder ? this.t("elder_exit") : this.t("elder");
    elder.setAttribute("aria-pressed", String(this.elder));
    const lang = document.getElementById("btn-lang");
    // A hall that offers Chinese only shows no language button.
    lang.hidden = !(this.config.hall.languages || ["zh", "en"]).includes("en");
    lang.textContent = this.t("lang");
    lang.lang = this.lang === "en" ? "zh-CN" : "en";
    document.getElementById("bar-name").textContent = this.name(this.config.hall);
    document.getElementById("idle-title").textContent = this.t("idle_title");
    document.getElementById("idle-unit").textContent = this.t("idle_unit");
    document.getElementById("idle-continue").textContent = this.t("idle_continue");
    if (this.closed !== undefined) this.renderClosed();
  }

  // ---- idle reset --------------------------------------------------------------------

  pristine() {
    return (
      this.stack.length === 1 &&
      this.lang === this.defaults.lang &&
      this.elder === this.defaults.elder &&
      !this.current.params.dirty
    );
  }

  touched() {
    this.lastActivity = Date.now();
    if (!document.getElementById("idle").hidden) this.showIdle(null);
  }

  tickIdle() {
    const limit = this.config.idle_seconds;
    const countdown = Math.min(COUNTDOWN_MAX_S, Math.ceil(limit / 3));
    if (this.pristine()) {
      this.lastActivity = Date.now();
      this.showIdle(null);
      return;
    }
    const left = Math.ceil(limit - (Date.now() - this.lastActivity) / 1000);
    if (left <= 0) {
      this.resetForNext();
    } else if (left <= countdown) {
      this.showIdle(left);
    } else {
      this.showIdle(null);
    }
  }

  showIdle(left) {
    const box = document.getElementById("idle");
    if (left === null) {
      if (!box.hidden) {
        box.hidden = true;
        this.setInert();
      }
      return;
    }
    document.getElementById("idle-count").textContent = String(left);
    if (box.hidden) {
      box.hidden = false;
      this.setInert();
      document.getElementById("idle-continue").focus();
    }
  }

  resetForNext() {
    // The next citizen starts clean: what was typed goes with the screen it was on.
    this.lang = this.defaults.lang;
    this.elder = this.defaults.elder;
    this.stack = [{ name: "home", params: {} }];
    this.lastActivity = Date.now();
    this.showIdle(null);
    this.render();
    // Between citizens: pick up catalogue changes and what is hot now.
    this.loadAll()
      .then(() => this.pristine() && this.render())
      .catch(() => {});
  }

  // ---- hub unreachable -----------------------------------------------------------------

  showOffline(down) {
    document.getElementById("offline").hidden = !down;
    document.body.dataset.hub = down ? "down" : "up";
    this.setInert();
    if (!down) {
      this.loadAll()
        .then(() => this.render())
        .catch(() => {});
    }
  }

  setInert() {
    const covered = !document.getElementById("offline").hidden || !document.getElementById("idle").hidden;
    for (const id of ["bar", "screen", "foot"]) {
      document.getElementById(id).inert = covered;
    }
    if (!document.getElementById("offline").hidden) document.getElementById("idle").inert = true;
    else document.getElementById("idle").inert = false;
  }

  // ---- start -------------------------------------------------------------------------

  hubNow() {
    return new Date(Date.now() + this.clockOffset);
  }

  async syncClock() {
    try {
      const sent = Date.now();
      const r = await fetch("/board/clock", { cache: "no-store" });
      const body = await r.json();
      if (typeof body.now_ms === "number") this.clockOffset = body.now_ms - (sent + Date.now()) / 2;
    } catch {
      // keep the last offset: the hub may be down, which the kiosk says elsewhere
    }
  }

  tickClock() {
    const fmt = new Intl.DateTimeFormat(this.lang === "en" ? "en-GB" : "zh-CN", {
      timeZone: this.config.hall.timezone,
      month: "long",
      day: "numeric",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
    document.getElementById("bar-clock").textContent = fmt.format(this.hubNow());
  }

  provision() {
    const url = new URL(location.href);
    const token = url.searchParams.get("token");
    if (token) {
      this.api.token = token;
      url.searchParams.delete("token");
      history.replaceState(null, "", url.pathname + url.search);
    }
  }

  async start() {
    this.provision();
    const root = document.documentElement;
    if (this.config.orientation === "auto") {
      const mq = matchMedia("(orientation: landscape)");
      const apply = () => (root.dataset.orientation = mq.matches ? "landscape" : "portrait");
      apply();
      mq.addEventListener("change", apply);
    }
    document.getElementById("btn-back").addEventListener("click", () => this.back());
    document.getElementById("btn-home").addEventListener("click", () => this.home());
    document.getElementById("btn-elder").addEventListener("click", () => {
      this.elder = !this.elder;
      // Fewer steps in the elderly mode: its home screen is the list of counters.
      this.stack = [{ name: "home", params: {} }];
      this.render();
    });
    document.getElementById("btn-lang").addEventListener("click", () => {
      this.lang = this.lang === "en" ? "zh" : "en";
      this.tickClock();
      this.render();
    });
    document.getElementById("idle-continue").addEventListener("click", () => this.touched());
    for (const type of ["pointerdown", "keydown", "touchstart"]) {
      document.addEventListener(type, () => this.touched(), { capture: true, passive: true });
    }
    document.addEventListener("contextmenu", (e) => e.preventDefault());
    this.tickClock();
    setInterval(() => this.tickClock(), 1000);
    setInterval(() => this.syncClock(), 600000);
    setInterval(() => this.tickIdle(), 250);
    setInterval(() => this.refreshStatus(), STATUS_EVERY_MS);
    this.render();
    await this.boot();
  }

  async boot() {
    try {
      await this.loadAll();
      document.body.dataset.ready = "true";
      this.render();
    } catch (err) {
      if (!(err instanceof HubDown)) console.error(err);
      // Unreachable: the overlay is up and the heartbeat reloads everything.
      setTimeout(() => {
        if (!this.catalogue && !this.api.down) this.boot();
      }, 3000);
    }
  }

  async refreshStatus() {
    if (this.api.down || !this.catalogue) return;
    try {
      await this.loadStatus();
      if (this.onStatus) this.onStatus();
    } catch {
      // HubDown shows the overlay; other errors wait for the next round.
    }
  }
}

const config = JSON.parse(document.getElementById("kiosk-config").textContent);
const kiosk = new Kiosk(config);
window.kiosk = kiosk;
kiosk.start();
