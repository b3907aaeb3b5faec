/* 窗口屏: one window's number and name, the ticket it serves, its clerk, or 暂停服务. */
import { HallSocket } from "/static/kit/realtime.js";
import * as C from "./boardcommon.js";

const global = window;
var $ = C.$, setText = C.setText;
var doc = global.document;
var cfg = C.config();
var board = new C.Board(cfg);
var key = String(cfg.window);
var state = null;

var LABELS = {
  called: ["请 {t} 号到本窗口办理", "Number {t}, please come to this window"],
  serving: ["正在办理", "Now serving"],
  idle: ["欢迎光临", "Welcome · please wait to be called"],
  paused: ["暂停服务", "Service paused"],
  closed: ["本窗口暂未开放", "This window is not open"]
};

function render(st) {
  var w = st.windows[key];
  var mode;
  if (!w || w.active === false) mode = "closed";
  else if (w.paused) mode = "paused";
  else if (w.current) mode = w.current_status === "serving" ? "serving" : "called";
  else mode = "idle";
  doc.body.setAttribute("data-state", mode);
  var ticket = w && w.current ? w.current : "";
  setText("w-name", (w && w.name) || "");
  setText("w-name-en", (w && w.name_en) || "");
  setText("w-label", LABELS[mode][0].replace("{t}", ticket));
  setText("w-label-en", LABELS[mode][1].replace("{t}", ticket));
  // A paused window keeps its ticket on screen only while one is still being served.
  setText("w-ticket", mode === "called" || mode === "serving" ? ticket :
    (mode === "paused" && ticket ? ticket : ""));
  setText("w-reason", mode === "paused" && w.pause_reason ? w.pause_reason : "");
  board.fit($("w-ticket"), $("w-main"));
  var clerk = $("w-clerk");
  var hasClerk = !!(w && (w.clerk_name || w.clerk_staff_no));
  clerk.hidden = !hasClerk;
  setText("w-clerk-name", (w && w.clerk_name) || "—");
  setText("w-clerk-no", (w && w.clerk_staff_no) || "—");
}

function concerns(call) { return String(call.window) === key; }

var socket = new HallSocket(cfg.ws, {
  snapshot: function (st, info) {
    state = st;
    render(st);
    var missed = board.missedCalls(st, info).filter(concerns);
    if (missed.length) board.flash($("w-main"));
    missed.forEach(function (c) { board.speak(c, st.hall); });
  },
  event: function (msg, st) {
    state = st;
    var patch = msg.patch;
    if (!patch) return;
    if (patch.windows && patch.windows[key]) render(st);
    if (patch.call && concerns(patch.call)) {
      board.flash($("w-main"));
      board.speak(patch.call, st.hall);
    }
  },
  status: function (connected) { board.connection(connected); }
});

board.startClock(function () { return state; }, function (fmt, now) {
  setText("clock-time", fmt.short.format(now));
});
board.connection(false);
socket.start();

global.__board = {
  socket: socket,
  announcer: board.announcer,
  state: function () { return state; }
};
