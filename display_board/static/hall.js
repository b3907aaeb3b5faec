/* 综合屏: the latest call, the last calls, waiting per queue, paused windows, notice. */
import { HallSocket } from "/static/kit/realtime.js";
import * as C from "./boardcommon.js";

const global = window;
var $ = C.$, setText = C.setText;
var doc = global.document;
var cfg = C.config();
var board = new C.Board(cfg);
var RECENT_ROWS = 6;
var TICKER_PX_PER_S = 110;
var state = null;

function el(tag, cls, text) {
  var e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function sortedWindows(st) {
  return Object.keys(st.windows)
    .map(function (k) { return st.windows[k]; })
    .sort(function (a, b) { return a.number - b.number; });
}

function shownQueues(st) {
  var codes;
  if (cfg.queues.length) {
    codes = cfg.queues.filter(function (c) { return st.queues[c]; });
  } else if (cfg.windows.length) {
    var served = {};
    sortedWindows(st).forEach(function (w) {
      if (board.windowShown(w.number)) (w.queues || []).forEach(function (q) { served[q] = true; });
    });
    codes = Object.keys(st.queues).filter(function (c) { return served[c]; });
  } else {
    codes = Object.keys(st.queues);
  }
  return codes.map(function (c) { return st.queues[c]; });
}

function pausedWindows(st) {
  return sortedWindows(st).filter(function (w) {
    if (!w.paused || w.active === false) return false;
    if (cfg.windows.length) return board.windowShown(w.number);
    if (cfg.queues.length) return (w.queues || []).some(function (q) { return board.queueShown(q); });
    return true;
  });
}

function windowLabel(st, call) {
  var w = st.windows[String(call.window)];
  return (w && w.name) || call.window_name || (call.window + "号窗口");
}

function renderNow(st) {
  var calls = st.calls.filter(function (c) { return board.callShown(c); });
  var now = $("now");
  var latest = calls[0];
  now.setAttribute("data-empty", latest ? "false" : "true");
  if (!latest) {
    setText("now-ticket", "—");
    setText("now-window", "—");
    setText("now-sentence-zh", "请留意叫号");
    setText("now-sentence-en", "Please listen for your number");
    $("now-recall").hidden = true;
  } else {
    setText("now-ticket", latest.ticket);
    setText("now-window", String(latest.window));
    setText("now-sentence-zh", "请 " + latest.ticket + " 号到 " + latest.window + " 号窗口办理（" +
      windowLabel(st, latest) + "）");
    setText("now-sentence-en", "Number " + latest.ticket + ", please go to window " + latest.window);
    $("now-recall").hidden = !latest.recall;
  }
  board.fit(now.querySelector(".now-call"), now);
  var list = $("recent");
  list.textContent = "";
  calls.slice(1, 1 + RECENT_ROWS).forEach(function (c) {
    var li = el("li", "recent-row");
    li.setAttribute("data-ticket", c.ticket);
    var code = el("span", "r-ticket", c.ticket);
    if (c.ticket.length > 5) {
      code.setAttribute("data-long", "");
      code.style.setProperty("--chars", String(c.ticket.length));
    }
    li.appendChild(code);
    li.appendChild(el("span", "r-arrow", "→"));
    var win = el("span", "r-window");
    win.appendChild(el("b", null, c.window));
    win.appendChild(el("span", "unit", "号窗口"));
    li.appendChild(win);
    if (c.recall) li.appendChild(el("span", "r-recall", "重呼"));
    list.appendChild(li);
  });
  if (calls.length <= 1) list.appendChild(el("li", "recent-empty", "暂无 · None yet"));
}

function renderQueues(st) {
  var box = $("queues");
  box.textContent = "";
  shownQueues(st).forEach(function (q) {
    var tile = el("div", "queue-tile");
    tile.setAttribute("data-queue", q.code);
    var names = el("div", "q-names");
    names.appendChild(el("div", "q-name", q.name));
    names.appendChild(el("div", "q-name-en en", q.name_en || ""));
    tile.appendChild(names);
    var count = el("div", "q-count");
    count.appendChild(el("b", "q-waiting", q.waiting));
    count.appendChild(el("span", "unit", "人"));
    tile.appendChild(count);
    box.appendChild(tile);
  });
  box.setAttribute("data-count", String(box.children.length));
}

function renderPaused(st) {
  var paused = pausedWindows(st);
  var band = $("paused-band");
  var list = $("paused");
  band.hidden = paused.length === 0;
  list.textContent = "";
  paused.forEach(function (w) {
    var item = el("span", "paused-item");
    item.setAttribute("data-window", String(w.number));
    item.appendChild(el("b", null, w.number + "号窗口"));
    item.appendChild(el("span", "p-name", w.name));
    if (w.pause_reason) item.appendChild(el("span", "p-reason", "（" + w.pause_reason + "）"));
    list.appendChild(item);
  });
}

function renderHall(hall) {
  var closed = hall.closed === undefined ? cfg.hall.closed : hall.closed;
  $("closed-band").hidden = !closed;
  document.body.setAttribute("data-closed", String(Boolean(closed)));
  setText("closed-reason", closed ? (hall.closed_reason || cfg.hall.closed_reason || "") : "");
  setText("hall-name", hall.name || cfg.hall.name);
  setText("hall-name-en", hall.name_en || cfg.hall.name_en || "");
  var notice = hall.notice === undefined ? cfg.hall.notice : hall.notice;
  var band = $("notice-band");
  var text = $("notice");
  band.hidden = !notice;
  if (text.textContent !== (notice || "")) {
    text.textContent = notice || "";
    // The ticker's speed stays the same whatever the length of the notice.
    global.requestAnimationFrame(function () {
      var distance = text.offsetWidth + band.offsetWidth;
      text.style.animationDuration = Math.max(8, distance / TICKER_PX_PER_S) + "s";
    });
  }
}

function renderAll(st) {
  renderHall(st.hall);
  renderNow(st);
  renderQueues(st);
  renderPaused(st);
}

var socket = new HallSocket(cfg.ws, {
  snapshot: function (st, info) {
    state = st;
    renderAll(st);
    var missed = board.missedCalls(st, info);
    if (missed.length) board.flash($("now"));
    missed.forEach(function (c) { board.speak(c, st.hall); });
  },
  event: function (msg, st) {
    state = st;
    var patch = msg.patch;
    if (!patch) return;
    if (patch.hall) renderHall(st.hall);
    if (patch.call || patch.windows) renderNow(st);
    if (patch.queues || patch.windows) renderQueues(st);
    if (patch.windows) renderPaused(st);
    if (patch.call && board.callShown(patch.call)) {
      board.flash($("now"));
      board.speak(patch.call, st.hall);
    }
  },
  status: function (connected) { board.connection(connected); }
});

board.startClock(function () { return state; }, function (fmt, now) {
  setText("clock-time", fmt.time.format(now));
  setText("clock-date", fmt.date.format(now) + "  " + fmt.dateEn.format(now));
});
global.addEventListener("resize", function () { if (state) renderNow(state); });
board.connection(false);
renderHall(cfg.hall);
socket.start();

// For tests and for a technician's console: the live state and the voice log.
global.__board = {
  socket: socket,
  announcer: board.announcer,
  state: function () { return state; }
};
