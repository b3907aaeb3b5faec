/* What both boards share: their configuration, the hub's clock, the connection mark,
 * flashing, and speaking calls. */
import { HubClock } from "/static/kit/realtime.js";
import { Announcer } from "./announcer.js";

const global = window;
var doc = global.document;
// The mark appears only when the hub has been gone this long: a reconnect that
// succeeds at once should not blink on a screen read from across the hall.
var MARK_AFTER_MS = 1000;
// After a resync, calls missed in the gap are still announced, but not a backlog.
var MISSED_MAX = 3;
var MISSED_GAP_MAX = 30;

function config() {
  return JSON.parse(doc.getElementById("board-config").textContent);
}

function $(id) { return doc.getElementById(id); }

function setText(id, text) {
  var el = $(id);
  if (el && el.textContent !== text) el.textContent = text;
}

function Board(cfg) {
  this.cfg = cfg;
  this.clock = new HubClock(cfg.clock_url);
  this.clock.keepSynced(600000);
  this.markTimer = null;
  this.announcer = null;
  if (cfg.voice) {
    this.announcer = new Announcer({
      url: cfg.voice_url,
      onBlocked: function (blocked) { $("sound-blocked").hidden = !blocked; }
    });
    var announcer = this.announcer;
    doc.addEventListener("click", function () { announcer.unlock(); });
  }
}

Board.prototype.windowShown = function (n) {
  return !this.cfg.windows.length || this.cfg.windows.indexOf(Number(n)) >= 0;
};
Board.prototype.queueShown = function (code) {
  return !this.cfg.queues.length || this.cfg.queues.indexOf(code) >= 0;
};
Board.prototype.callShown = function (call) {
  return this.windowShown(call.window) && this.queueShown(call.queue);
};

Board.prototype.connection = function (connected) {
  var mark = $("conn");
  doc.body.setAttribute("data-connected", connected ? "true" : "false");
  if (this.markTimer) { global.clearTimeout(this.markTimer); this.markTimer = null; }
  if (connected) {
    mark.hidden = true;
  } else {
    this.markTimer = global.setTimeout(function () { mark.hidden = false; }, MARK_AFTER_MS);
  }
};

Board.prototype.flash = function (el) {
  el.classList.remove("flash");
  void el.offsetWidth; // restart the animation for a call that follows closely
  el.classList.add("flash");
};

/* A long ticket number (up to 4 letters and 6 digits) must not run off the screen:
   shrink the element's font until it fits its box, never above its designed size. */
Board.prototype.fit = function (el, box) {
  el.style.fontSize = "";
  var style = global.getComputedStyle(box);
  var room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  var wide = Math.max(el.scrollWidth, el.offsetWidth);
  if (wide > room && room > 0) {
    var size = parseFloat(global.getComputedStyle(el).fontSize);
    el.style.fontSize = Math.floor(size * room / wide) + "px";
  }
};

Board.prototype.speak = function (call, hall) {
  if (!this.announcer || !this.callShown(call)) return;
  this.announcer.say(call, hall && hall.voice_repeat);
};

/* Calls a resync snapshot brought that the board never heard as events: those newer
   than the newest call it knew. (Snapshot calls carry no seq of their own, so a call
   is known by its ticket, window, kind and second.) */
function callKey(c) {
  return [c.ticket, c.window, c.recall ? 1 : 0, Math.floor(Date.parse(c.at) / 1000)].join("|");
}

Board.prototype.missedCalls = function (state, info) {
  var prev = info.previousSeq;
  if (prev === null || !info.previousCalls || info.seq <= prev || info.seq - prev > MISSED_GAP_MAX) {
    return [];
  }
  var known = info.previousCalls.length ? callKey(info.previousCalls[0]) : null;
  var fresh = [];
  for (var i = 0; i < state.calls.length; i++) {
    if (known !== null && callKey(state.calls[i]) === known) break;
    fresh.push(state.calls[i]);
  }
  if (known !== null && fresh.length === state.calls.length) return []; // lost track: stay quiet
  var self = this;
  return fresh.filter(function (c) { return self.callShown(c); }).slice(0, MISSED_MAX).reverse();
};

Board.prototype.timezone = function (state) {
  return (state && state.hall && state.hall.timezone) || this.cfg.hall.timezone || undefined;
};

Board.prototype.formatters = function (tz) {
  if (this._fmtTz === tz && this._fmt) return this._fmt;
  var make = function (locale, opts) {
    try {
      return new Intl.DateTimeFormat(locale, Object.assign({ timeZone: tz }, opts));
    } catch (e) {
      return new Intl.DateTimeFormat(locale, opts);
    }
  };
  this._fmtTz = tz;
  this._fmt = {
    time: make("zh-CN", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false }),
    short: make("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false }),
    date: make("zh-CN", { year: "numeric", month: "long", day: "numeric", weekday: "long" }),
    dateEn: make("en-GB", { weekday: "short", day: "numeric", month: "short", year: "numeric" })
  };
  return this._fmt;
};

Board.prototype.startClock = function (getState, render) {
  var self = this;
  function tick() {
    var fmt = self.formatters(self.timezone(getState()));
    render(fmt, new Date(self.clock.now()));
    global.setTimeout(tick, 1000 - (self.clock.now() % 1000) + 5);
  }
  tick();
};

export { Board, config, $, setText };
