/* 窗口工作台: a clerk's window actions over the staff API, kept live by the hall websocket.
 *
 * Everything shown comes from GET /api/v1/halls/{hall}/windows/{n} (the window view);
 * every action answers with the new view. The websocket only says "something about this
 * window or its queues changed": the screen then fetches the view again. The session is
 * the httponly cookie set at sign-in, so no token lives in the page.
 */
(function (global) {
  "use strict";

  var doc = global.document;
  var cfg = JSON.parse(doc.getElementById("clerk-config").textContent);
  var API = "/api/v1";

  var T = {
    app_name: ["窗口工作台", "Clerk screen"],
    conn_on: ["实时连接正常", "Live"],
    conn_off: ["实时连接中断", "Live updates lost"],
    logout: ["退出", "Sign out"],
    login_title: ["窗口工作人员登录", "Clerk sign-in"],
    hall: ["大厅", "Hall"],
    staff_no: ["工号", "Staff number"],
    password: ["密码", "Password"],
    window: ["窗口", "Window"],
    sign_in: ["登录", "Sign in"],
    paused_now: ["暂停服务中", "Window paused"],
    current: ["当前号", "Current ticket"],
    t_waited: ["等候时长", "Waited"],
    t_since_call: ["呼叫后", "Since called"],
    t_service: ["办理时长", "Service time"],
    a_next: ["呼叫下一位", "Call next"],
    a_recall: ["重呼", "Recall"],
    a_start: ["开始办理", "Start"],
    a_finish: ["办结", "Finish"],
    a_noshow: ["过号", "No-show"],
    a_hold: ["挂起", "Hold"],
    a_callback: ["回呼挂起号", "Call back"],
    a_transfer: ["转移", "Transfer"],
    a_call: ["指定呼叫", "Call a ticket"],
    a_pause: ["暂停服务", "Pause"],
    a_resume: ["恢复服务", "Resume"],
    a_rate: ["请评价", "Ask to rate"],
    keys_help: ["快捷键：按键即执行；对话框中 Enter 确认，Esc 取消；L 切换语言。",
      "Shortcuts act at once; in a dialog Enter confirms, Esc cancels; L switches language."],
    queues: ["本窗口队列等候", "Waiting in this window's queues"],
    today: ["今日", "Today"],
    served: ["已办结", "Served"],
    mean_service: ["平均办理时长", "Mean service time"],
    held: ["挂起", "On hold"],
    waiting: ["等候", "Waiting"],
    cancel: ["取消", "Cancel"],
    ok: ["确定", "OK"],
    none: ["无", "None"],
    no_ticket: ["暂无", "None"],
    st_called: ["已呼叫", "Called"],
    st_serving: ["办理中", "Serving"],
    st_held: ["挂起", "On hold"],
    st_waiting: ["等候中", "Waiting"],
    pr_green: ["绿色通道", "Green channel"],
    pr_appointment: ["预约", "Appointment"],
    recalls: ["重呼 {n} 次", "Recalled {n}×"],
    d_callback: ["回呼挂起的号", "Call back a held ticket"],
    d_callback_hint: ["按数字键或点击选择", "Press its number or click it"],
    d_transfer: ["转移当前号 {t}", "Transfer ticket {t}"],
    d_transfer_queue: ["转到队列", "To queue"],
    d_transfer_window: ["转到窗口", "To window"],
    d_keep: ["（不变）", "(unchanged)"],
    d_call: ["指定呼叫", "Call a specific ticket"],
    d_call_label: ["号码，例如 A023", "Ticket, e.g. A023"],
    d_pause: ["暂停服务", "Pause the window"],
    d_pause_label: ["暂停原因", "Reason"],
    reason_lunch: ["午休", "Lunch break"],
    reason_away: ["临时离开", "Away for a moment"],
    reason_meeting: ["业务培训", "Training"],
    reason_system: ["系统故障", "System fault"],
    ok_called: ["已呼叫 {t}", "Called {t}"],
    ok_recalled: ["已重呼 {t}", "Called {t} again"],
    ok_started: ["开始办理 {t}", "Serving {t}"],
    ok_finished: ["已办结", "Finished"],
    ok_no_show: ["已标记过号", "Marked as no-show"],
    ok_held: ["已挂起", "Put on hold"],
    ok_transferred: ["已转移", "Transferred"],
    ok_paused: ["已暂停服务", "Window paused"],
    ok_resumed: ["已恢复服务", "Window open again"],
    ok_rate: ["已请群众评价", "The citizen is asked to rate"],
    ok_nobody: ["没有等候的号", "Nobody is waiting"],
    err_network: ["无法连接服务器，请检查网络", "Cannot reach the hub; check the network"],
    err_rate_missing: ["评价器暂不可用", "Rating is not available here"],
    err_need_window: ["请选择窗口登录", "Choose a window to sign in at"],
    err_signed_out: ["登录已失效，请重新登录", "Signed out; sign in again"],
    minutes: ["分", "min"]
  };

  var lang = global.localStorage.getItem("clerk-lang") === "en" ? "en" : "zh";
  function t(key, vars) {
    var pair = T[key] || [key, key];
    var text = pair[lang === "en" ? 1 : 0];
    Object.keys(vars || {}).forEach(function (k) { text = text.split("{" + k + "}").join(vars[k]); });
    return text;
  }
  function both(key, vars) {
    var saved = lang;
    lang = "zh"; var zh = t(key, vars);
    lang = "en"; var en = t(key, vars);
    lang = saved;
    return [zh, en];
  }

  function $(id) { return doc.getElementById(id); }
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // ---- state ----------------------------------------------------------------------
  var me = null;        // {staff_no, name, role, hall_code, window}
  var hall = cfg.hall || null;
  var view = null;      // the window view
  var clock = new global.HallRealtime.HubClock("/board/clock");
  var socket = null;
  var busy = false;     // a window action is in flight
  var refreshing = false;
  var refreshAgain = false;
  var hallQueues = [];  // for the transfer dialog
  var hallWindows = [];
  var dialog = null;    // {submit: fn, keys: fn}

  // ---- messages -------------------------------------------------------------------
  var messageTimer = null;
  function showMessage(kind, zh, en, code) {
    var box = $("message");
    box.hidden = false;
    box.setAttribute("data-kind", kind);
    $("message-zh").textContent = zh;
    $("message-en").textContent = en || "";
    $("message-code").textContent = code || "";
    if (messageTimer) global.clearTimeout(messageTimer);
    messageTimer = global.setTimeout(function () { box.hidden = true; }, kind === "error" ? 15000 : 4000);
  }
  function ok(key, vars) { var m = both(key, vars); showMessage("ok", m[0], m[1], ""); }
  function fail(err) {
    if (err && err.code) {
      var extra = "";
      var fields = err.details && err.details.fields;
      if (fields && fields.length) {
        extra = " (" + fields.map(function (f) { return f.field + ": " + f.problem; }).join("; ") + ")";
      }
      showMessage("error", err.message_zh, (err.message_en || "") + extra, err.code);
    } else {
      var m = both("err_network");
      showMessage("error", m[0], m[1], "");
    }
  }

  // ---- API --------------------------------------------------------------------------
  function api(method, path, body) {
    var init = { method: method, credentials: "same-origin", headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return global.fetch(API + path, init).then(function (r) {
      if (r.status === 204) return null;
      return r.json().catch(function () { return null; }).then(function (data) {
        if (r.ok) return data;
        var err = (data && data.error) || { code: "HTTP_" + r.status, message_zh: "请求失败", message_en: "Request failed", details: {} };
        err.status = r.status;
        throw err;
      });
    }, function () { throw null; });
  }

  function windowPath(action) {
    return "/halls/" + encodeURIComponent(me.hall_code) + "/windows/" + me.window + (action ? "/" + action : "");
  }

  // ---- rendering --------------------------------------------------------------------
  function applyLanguage() {
    doc.documentElement.lang = lang === "en" ? "en" : "zh-CN";
    doc.body.setAttribute("data-lang", lang);
    Array.prototype.forEach.call(doc.querySelectorAll("[data-t]"), function (e) {
      e.textContent = t(e.getAttribute("data-t"));
    });
    $("lang-switch").textContent = lang === "en" ? "中文" : "English";
    if (view) render(view);
    if (socket) setConn(socket.connected);
  }

  function setConn(on) {
    var c = $("conn");
    c.setAttribute("data-state", on ? "on" : "off");
    c.textContent = t(on ? "conn_on" : "conn_off");
  }

  function ms(iso) { return iso ? Date.parse(iso) : null; }
  function duration(msValue) {
    if (msValue === null || msValue === undefined || isNaN(msValue)) return "—";
    var s = Math.max(0, Math.floor(msValue / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var mm = (m < 10 ? "0" : "") + m, ss = (sec < 10 ? "0" : "") + sec;
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function tickTimers() {
    var now = clock.now();
    var cur = view && view.current;
    if (cur) {
      var issued = ms(cur.issued_at), called = ms(cur.called_at), started = ms(cur.started_at);
      $("t-waited").textContent = duration((called || now) - issued);
      $("t-since-call").textContent = called && !started ? duration(now - called) : "—";
      $("t-service").textContent = started ? duration(now - started) : "—";
    } else {
      $("t-waited").textContent = $("t-since-call").textContent = $("t-service").textContent = "—";
    }
    Array.prototype.forEach.call(doc.querySelectorAll("[data-since]"), function (e) {
      e.textContent = duration(now - Number(e.getAttribute("data-since")));
    });
  }

  function queueName(v, code) {
    var q = v && v.queues.filter(function (x) { return x.code === code; })[0];
    return q ? code + " " + q.name : code;
  }

  function ticketRow(tk, index, onPick) {
    var li = el("li", "ticket-row");
    li.setAttribute("data-ticket", tk.code);
    var b = el("button", "pick");
    b.type = "button";
    if (index !== null) b.appendChild(el("kbd", null, index));
    b.appendChild(el("b", "code", tk.code));
    if (tk.priority && tk.priority !== "normal") b.appendChild(el("span", "badge prio", t("pr_" + tk.priority)));
    b.appendChild(el("span", "item", tk.service_item || queueName(view, tk.queue_code)));
    var since = el("span", "since");
    since.setAttribute("data-since", String(ms(tk.issued_at)));
    b.appendChild(since);
    b.addEventListener("click", function () { onPick(tk); });
    li.appendChild(b);
    return li;
  }

  function render(v) {
    view = v;
    $("desk-window").textContent = v.number + (lang === "en" ? "" : "号窗口");
    if (lang === "en") $("desk-window").textContent = "Window " + v.number;
    $("desk-window-name").textContent = lang === "en" ? (v.name_en || v.name) : v.name;
    $("desk-clerk").textContent = (v.clerk_name || me.name || "") + " · " + (v.clerk_staff_no || me.staff_no);

    $("paused-banner").hidden = !v.paused;
    $("paused-reason").textContent = v.pause_reason || "";
    $("pause-label").textContent = t(v.paused ? "a_resume" : "a_pause");

    var cur = v.current;
    var card = $("current");
    card.setAttribute("data-status", cur ? cur.status : "none");
    $("cur-code").textContent = cur ? cur.code : t("no_ticket");
    $("cur-status").textContent = cur ? t("st_" + cur.status) : "";
    $("cur-status").hidden = !cur;
    var prio = $("cur-priority");
    prio.hidden = !cur || cur.priority === "normal";
    prio.textContent = cur && cur.priority !== "normal" ? t("pr_" + cur.priority) : "";
    var rc = $("cur-recalls");
    rc.hidden = !cur || !cur.recall_count;
    rc.textContent = cur ? t("recalls", { n: cur.recall_count }) : "";
    $("cur-item").textContent = cur ? [queueName(v, cur.queue_code), cur.service_item].filter(Boolean).join(" · ") : "";

    var chips = $("queues");
    chips.textContent = "";
    v.queues.forEach(function (q) {
      var chip = el("div", "chip");
      chip.setAttribute("data-queue", q.code);
      chip.appendChild(el("span", "q-code", q.code));
      chip.appendChild(el("span", "q-name", q.name));
      chip.appendChild(el("b", "q-waiting", q.waiting));
      chips.appendChild(chip);
    });
    $("served").textContent = String(v.served_today);
    $("mean-service").textContent = v.mean_service_seconds === null ? "—" : duration(v.mean_service_seconds * 1000);

    var held = $("held");
    held.textContent = "";
    v.held.forEach(function (tk, i) { held.appendChild(ticketRow(tk, i < 9 ? i + 1 : null, function (x) { act("callback", { ticket: x.code }); })); });
    if (!v.held.length) held.appendChild(el("li", "empty", t("none")));
    $("held-count").textContent = String(v.held.length);

    var waiting = $("waiting");
    waiting.textContent = "";
    v.waiting.forEach(function (tk) { waiting.appendChild(ticketRow(tk, null, function (x) { openCall(x.code); })); });
    if (!v.waiting.length) waiting.appendChild(el("li", "empty", t("none")));
    // The list: tickets this window may call (at most 50 are sent); the chips: whole queues.
    $("waiting-count").textContent = v.waiting.length >= 50 ? "50+" : String(v.waiting.length);

    var called = cur && cur.status === "called";
    enable("next", !v.paused);
    enable("recall", called);
    enable("start", called);
    enable("finish", !!cur);
    enable("noshow", called);
    enable("hold", !!cur);
    enable("callback", v.held.length > 0 && !v.paused);
    enable("transfer", !!cur);
    enable("call", !v.paused);
    tickTimers();
  }

  function enable(action, on) {
    var b = doc.querySelector('[data-action="' + action + '"]');
    if (b) b.disabled = !on;
  }

  // The hall seq the shown view is at least as new as (view.seq: an action's last event,
  // or the hub's latest when read). A refresh that answers with an older view is not
  // shown (it would take back a call just made and disable 重呼); events up to it are
  // already in the view, the echo of our own action among them, and read nothing.
  var viewSeq = 0;
  var heard = 0;  // the latest such event heard while an action was in flight

  function refresh() {
    if (!me) return Promise.resolve();
    if (refreshing) { refreshAgain = true; return Promise.resolve(); }
    refreshing = true;
    return api("GET", windowPath("")).then(function (v) {
      if (v.seq >= viewSeq) { viewSeq = v.seq; render(v); }
    }, function (err) {
      if (leftWindow(err)) return signedOut(err);
      if (err) fail(err);
    }).then(function () {
      refreshing = false;
      if (refreshAgain) { refreshAgain = false; refresh(); }
    });
  }

  // ---- actions ----------------------------------------------------------------------
  var ACTIONS = {
    next: { path: "call-next" },
    recall: { path: "recall" },
    start: { path: "start" },
    finish: { path: "finish" },
    noshow: { path: "no-show" },
    hold: { path: "hold" },
    callback: { path: "call-back" },
    transfer: { path: "transfer" },
    call: { path: "call" },
    pause: { path: "pause" },
    resume: { path: "resume" }
  };

  function outcome(name, v) {
    var code = v.called || (v.current && v.current.code) || "";
    if (name === "next" && !v.called) return ok("ok_nobody");
    var key = {
      next: "ok_called", call: "ok_called", callback: "ok_called", recall: "ok_recalled",
      start: "ok_started", finish: "ok_finished", noshow: "ok_no_show", hold: "ok_held",
      transfer: "ok_transferred", pause: "ok_paused", resume: "ok_resumed"
    }[name];
    ok(key, { t: code });
  }

  var current = null;  // the action in flight
  var pending = null;  // the one action pressed meanwhile

  function act(name, body) {
    if (!me) return;
    // One action at a time. The same key pressed again while it runs is a double press
    // and must never call two tickets; a different key waits for its turn.
    if (busy) {
      if (name !== current) pending = { name: name, body: body };
      return;
    }
    busy = true;
    current = name;
    doc.body.setAttribute("data-busy", "true");
    api("POST", windowPath(ACTIONS[name].path), body)
      .then(function (v) { viewSeq = Math.max(viewSeq, v.seq || 0); render(v); outcome(name, v); }, function (err) {
        if (leftWindow(err)) return signedOut(err);
        fail(err);
        refresh();
      })
      .then(function () {
        busy = false;
        if (heard > viewSeq) refresh();
        heard = 0;
        current = null;
        doc.body.removeAttribute("data-busy");
        var next = pending;
        pending = null;
        if (next && me) act(next.name, next.body);
      });
  }

  function rate() {
    if (!me) return;
    // The hub finishes the service as it lights the rating pad: the view changes too.
    api("POST", windowPath("rate"), {}).then(function () { ok("ok_rate"); refresh(); }, function (err) {
      if (err && (err.code === "NOT_FOUND" || err.code === "METHOD_NOT_ALLOWED")) {
        var m = both("err_rate_missing");
        showMessage("error", m[0] + "（" + err.message_zh + "）", m[1] + " (" + err.message_en + ")", err.code);
      } else if (leftWindow(err)) {
        signedOut(err);
      } else {
        fail(err);
      }
    });
  }

  // ---- dialogs -----------------------------------------------------------------------
  function openDialog(title, build, submit, keys) {
    $("dialog-title").textContent = title;
    var body = $("dialog-body");
    body.textContent = "";
    build(body);
    $("dialog").hidden = false;
    dialog = { submit: submit, keys: keys || null };
    var first = body.querySelector("input, select");
    if (first) first.focus(); else $("dialog-ok").focus();
  }
  function closeDialog() {
    // Focus left in a hidden field would swallow the shortcuts that follow.
    if (doc.activeElement && $("dialog").contains(doc.activeElement)) doc.activeElement.blur();
    $("dialog").hidden = true;
    dialog = null;
  }

  function labelled(text, input) {
    var l = el("label");
    l.appendChild(el("span", null, text));
    l.appendChild(input);
    return l;
  }

  function openCall(prefill) {
    var input = el("input");
    input.id = "call-ticket";
    input.maxLength = 16;
    input.value = prefill || "";
    input.setAttribute("autocapitalize", "characters");
    openDialog(t("d_call"), function (body) { body.appendChild(labelled(t("d_call_label"), input)); },
      function () { return act("call", { ticket: input.value.trim().toUpperCase() }); });
    input.select();
  }

  function openCallBack() {
    if (!view || !view.held.length) return;
    openDialog(t("d_callback"), function (body) {
      body.appendChild(el("p", "hint", t("d_callback_hint")));
      var list = el("ol", "tickets");
      view.held.slice(0, 9).forEach(function (tk, i) {
        list.appendChild(ticketRow(tk, i + 1, function (x) { closeDialog(); act("callback", { ticket: x.code }); }));
      });
      body.appendChild(list);
    }, function () { return act("callback", { ticket: view.held[0].code }); }, function (ev) {
      var n = parseInt(ev.key, 10);
      if (n >= 1 && n <= Math.min(9, view.held.length)) {
        closeDialog();
        act("callback", { ticket: view.held[n - 1].code });
        return true;
      }
      return false;
    });
  }

  function option(value, text) {
    var o = el("option", null, text);
    o.value = value;
    return o;
  }

  function openTransfer() {
    if (!view || !view.current) return;
    var queue = el("select"); queue.id = "transfer-queue";
    var win = el("select"); win.id = "transfer-window";
    queue.appendChild(option("", t("d_keep")));
    hallQueues.forEach(function (q) { queue.appendChild(option(q.code, q.code + " " + (lang === "en" ? q.name_en || q.name : q.name))); });
    win.appendChild(option("", t("d_keep")));
    hallWindows.forEach(function (w) {
      if (w.number !== view.number) win.appendChild(option(String(w.number), w.number + " " + (lang === "en" ? w.name_en || w.name : w.name)));
    });
    openDialog(t("d_transfer", { t: view.current.code }), function (body) {
      body.appendChild(labelled(t("d_transfer_queue"), queue));
      body.appendChild(labelled(t("d_transfer_window"), win));
    }, function () {
      var target = {};
      if (queue.value) target.queue = queue.value;
      if (win.value) target.window = Number(win.value);
      return act("transfer", target);
    });
  }

  function openPause() {
    if (!view) return;
    if (view.paused) { act("resume"); return; }
    var input = el("input");
    input.id = "pause-reason";
    input.maxLength = 200;
    openDialog(t("d_pause"), function (body) {
      var presets = el("div", "presets");
      ["reason_lunch", "reason_away", "reason_meeting", "reason_system"].forEach(function (k) {
        var b = el("button", "small preset", both(k)[0]);
        b.type = "button";
        b.addEventListener("click", function () { input.value = both(k)[0]; input.focus(); });
        presets.appendChild(b);
      });
      body.appendChild(presets);
      body.appendChild(labelled(t("d_pause_label"), input));
    }, function () { return act("pause", { reason: input.value.trim() }); });
  }

  var HANDLERS = {
    next: function () { act("next"); },
    recall: function () { act("recall"); },
    start: function () { act("start"); },
    finish: function () { act("finish"); },
    noshow: function () { act("noshow"); },
    hold: function () { act("hold"); },
    callback: openCallBack,
    transfer: openTransfer,
    call: function () { openCall(""); },
    pause: openPause,
    rate: rate
  };

  // F5 stays the browser's reload, F11/F12 stay the browser's own.
  var KEYS = {
    " ": "next", F1: "next", F2: "recall", r: "recall", F3: "start", s: "start",
    F4: "finish", d: "finish", F6: "noshow", n: "noshow", F7: "hold", h: "hold",
    F8: "callback", b: "callback", F9: "transfer", t: "transfer", F10: "call", c: "call",
    p: "pause", e: "rate"
  };

  function onKey(ev) {
    if (dialog) {
      if (ev.key === "Escape") { ev.preventDefault(); closeDialog(); return; }
      if (ev.key === "Enter" && ev.target.tagName === "SELECT") {
        // A select does not submit its form on Enter by itself.
        ev.preventDefault();
        $("dialog-form").requestSubmit();
        return;
      }
      if (dialog.keys && !/^(INPUT|SELECT)$/.test(ev.target.tagName) && dialog.keys(ev)) ev.preventDefault();
      return;
    }
    if (doc.body.getAttribute("data-view") !== "desk") return;
    if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName)) return;
    var key = ev.key.length === 1 ? ev.key.toLowerCase() : ev.key;
    if (key === "l") { ev.preventDefault(); switchLanguage(); return; }
    var action = KEYS[key];
    if (!action) return;
    ev.preventDefault();
    if (ev.repeat) return; // a key held down acts once
    var button = doc.querySelector('[data-action="' + action + '"]');
    // While an action runs the buttons show the state before it: the hub decides then.
    if (button && button.disabled && !busy) return;
    if (button) {
      button.classList.add("pressed");
      global.setTimeout(function () { button.classList.remove("pressed"); }, 150);
    }
    HANDLERS[action]();
  }

  function switchLanguage() {
    lang = lang === "en" ? "zh" : "en";
    global.localStorage.setItem("clerk-lang", lang);
    applyLanguage();
  }

  // ---- live updates ------------------------------------------------------------------
  function concerns(msg) {
    var d = msg.data || {};
    if (Number(d.window) === me.window) return true;
    if (d.to_window !== undefined && Number(d.to_window) === me.window) return true;
    if (msg.patch && msg.patch.windows && msg.patch.windows[String(me.window)]) return true;
    var mine = (view ? view.queues : []).map(function (q) { return q.code; });
    if (d.queue && mine.indexOf(d.queue) >= 0) return true;
    if (msg.patch && msg.patch.queues && Object.keys(msg.patch.queues).some(function (q) { return mine.indexOf(q) >= 0; })) return true;
    return msg.kind === "transferred" || msg.kind === "day_closed" || msg.kind === "hall_changed";
  }

  function connectLive() {
    if (socket) return;
    socket = new global.HallRealtime.HallSocket("/ws/halls/" + encodeURIComponent(me.hall_code), {
      snapshot: function () { refresh(); },
      event: function (msg) {
        if (!me || msg.seq <= viewSeq || !concerns(msg)) return;
        // The echo may come before the action's answer: wait for the answer's seq.
        if (busy) heard = Math.max(heard, msg.seq);
        else refresh();
      },
      status: setConn
    });
    socket.start();
    // Without the websocket the screen still catches up, only more slowly.
    global.setInterval(function () { if (me && !socket.connected) refresh(); }, 10000);
  }

  // ---- sign-in -----------------------------------------------------------------------
  function show(viewName) { doc.body.setAttribute("data-view", viewName); }

  function loadHallChoices() {
    return api("GET", "/halls").then(function (halls) {
      var select = $("login-hall");
      select.textContent = "";
      halls.forEach(function (h) { select.appendChild(option(h.code, h.name + " (" + h.code + ")")); });
      if (hall && halls.some(function (h) { return h.code === hall; })) select.value = hall;
      return loadWindowChoices(select.value);
    }).catch(fail);
  }

  function loadWindowChoices(code) {
    if (!code) return Promise.resolve();
    return api("GET", "/halls/" + encodeURIComponent(code) + "/windows").then(function (ws) {
      var select = $("login-window");
      var previous = select.value || (cfg.window ? String(cfg.window) : "");
      select.textContent = "";
      ws.forEach(function (w) { select.appendChild(option(String(w.number), w.number + " " + w.name)); });
      if (previous) select.value = previous;
    }).catch(fail);
  }

  function loadHallLists() {
    var code = encodeURIComponent(me.hall_code);
    api("GET", "/halls/" + code + "/queues").then(function (body) { hallQueues = body.queues || []; }, function () {});
    api("GET", "/halls/" + code + "/windows").then(function (ws) { hallWindows = ws || []; }, function () {});
  }

  function enterDesk(staff, hallCode) {
    me = { staff_no: staff.staff_no, name: staff.name, role: staff.role, window: staff.window, hall_code: hallCode };
    show("desk");
    loadHallLists();
    clock.keepSynced(600000);
    return refresh().then(connectLive);
  }

  // The session ended, or a supervisor released the window: back to the sign-in form.
  var SIGNED_OUT = ["AUTH_REQUIRED", "AUTH_INVALID", "NOT_AT_WINDOW", "WRONG_WINDOW"];
  function leftWindow(err) {
    return !!(err && (err.status === 401 || SIGNED_OUT.indexOf(err.code) >= 0));
  }

  function signedOut(err) {
    me = null;
    view = null;
    if (err && err.code) {
      fail(err);
    } else {
      var m = both("err_signed_out");
      showMessage("error", m[0], m[1], "");
    }
    show("login");
    loadHallChoices();
  }

  function login(ev) {
    ev.preventDefault();
    var hallCode = $("login-hall").value;
    var body = {
      hall: hallCode,
      staff_no: $("login-staff").value.trim(),
      password: $("login-password").value,
      window: $("login-window").value ? Number($("login-window").value) : null
    };
    api("POST", "/auth/login", body).then(function (res) {
      $("login-password").value = "";
      $("message").hidden = true;
      global.sessionStorage.setItem("clerk-hall", hallCode);
      if (res.staff.window === null || res.staff.window === undefined) {
        var m = both("err_need_window");
        showMessage("error", m[0], m[1], "");
        return;
      }
      enterDesk(res.staff, hallCode);
    }, fail);
  }

  function logout() {
    api("POST", "/auth/logout").catch(function () {}).then(function () {
      global.location.reload();
    });
  }

  function boot() {
    applyLanguage();
    $("login-form").addEventListener("submit", login);
    $("login-hall").addEventListener("change", function () { loadWindowChoices($("login-hall").value); });
    $("lang-switch").addEventListener("click", switchLanguage);
    $("logout").addEventListener("click", logout);
    $("dialog-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var d = dialog;
      closeDialog();
      if (d) d.submit();
    });
    $("dialog-cancel").addEventListener("click", closeDialog);
    $("message").addEventListener("click", function () { $("message").hidden = true; });
    Array.prototype.forEach.call(doc.querySelectorAll("[data-action]"), function (b) {
      b.addEventListener("click", function () {
        // Focus left on a button would let the next Space press it as well as call next.
        b.blur();
        HANDLERS[b.getAttribute("data-action")]();
      });
    });
    doc.addEventListener("keydown", onKey);
    global.setInterval(tickTimers, 250);  // a quarter second: the seconds never lag behind
    // A signed-in clerk who reloads the page stays at her window (the session cookie).
    api("GET", "/auth/me").then(function (staff) {
      var hallCode = global.sessionStorage.getItem("clerk-hall") || hall;
      if (staff.window !== null && staff.window !== undefined && hallCode) return enterDesk(staff, hallCode);
      show("login");
      return loadHallChoices();
    }, function () {
      show("login");
      return loadHallChoices();
    });
  }

  global.__clerk = { state: function () { return { me: me, view: view, busy: busy, socketSeq: socket ? socket.seq : null }; } };
  boot();
})(window);
