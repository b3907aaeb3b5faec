/* The hall's websocket, as server/realtime/PROTOCOL.md describes it.
 *
 * A snapshot replaces the state; events apply their patch when their seq is exactly the
 * last one + 1. A gap (or a ping ahead of us) asks for a fresh snapshot. A closed or
 * silent socket is reopened with backoff (0.5 s doubling to 10 s, with jitter); the last
 * state stays on screen meanwhile. Plain ES5-ish script, no build step: boards run on
 * whatever browser the hall's screen PC has.
 */
(function (global) {
  "use strict";

  var MAX_CALLS = 10;
  var BACKOFF_FIRST_MS = 500;
  var BACKOFF_MAX_MS = 10000;
  // Pings come every 10 s: a socket quiet for 25 s is dead even if TCP has not noticed.
  var SILENCE_MS = 25000;
  // A resync request that gets no snapshot within this time means the hub is in trouble.
  var RESYNC_WAIT_MS = 5000;

  function applyPatch(state, patch) {
    if (!patch) return;
    ["queues", "windows"].forEach(function (key) {
      var part = patch[key];
      if (!part) return;
      state[key] = state[key] || {};
      Object.keys(part).forEach(function (name) { state[key][name] = part[name]; });
    });
    if (patch.hall) state.hall = patch.hall;
    if (patch.call) state.calls = [patch.call].concat(state.calls || []).slice(0, MAX_CALLS);
  }

  function absoluteWsUrl(path) {
    if (/^wss?:/.test(path)) return path;
    var scheme = global.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + global.location.host + path;
  }

  /* handlers: snapshot(state, info), event(message, state), status(connected) */
  function HallSocket(path, handlers, options) {
    options = options || {};
    this.url = absoluteWsUrl(path);
    this.handlers = handlers || {};
    this.state = null;
    this.seq = null;
    this.connected = false;
    this.attempt = 0;
    this.ws = null;
    this.resyncSince = 0;
    this.lastHeard = 0;
    this.timer = null;
    this.retryTimer = null;
    this.silenceMs = options.silenceMs || SILENCE_MS;
    this.counts = { snapshots: 0, events: 0, resyncs: 0, connects: 0, gaps: 0 };
  }

  HallSocket.prototype.start = function () {
    this._open();
    this.timer = global.setInterval(this._watch.bind(this), 1000);
  };

  HallSocket.prototype._open = function () {
    var self = this;
    var ws;
    this.retryTimer = null;
    this.counts.connects += 1;
    try {
      ws = new global.WebSocket(this.url);
    } catch (err) {
      this._lost(null);
      return;
    }
    this.ws = ws;
    this.resyncSince = 0;
    this.lastHeard = Date.now();
    ws.onmessage = function (ev) { if (self.ws === ws) self._message(ev.data); };
    ws.onclose = function () { self._lost(ws); };
    ws.onerror = function () { try { ws.close(); } catch (e) { /* closing anyway */ } };
  };

  HallSocket.prototype._lost = function (ws) {
    if (ws !== null && this.ws !== ws) return; // an old socket we already replaced
    this.ws = null;
    this._setConnected(false);
    if (this.retryTimer !== null) return;
    var ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * Math.pow(2, this.attempt));
    // Jitter: after a hub restart, a hall's boards must not all come back in the same ms.
    var delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.attempt += 1;
    this.retryTimer = global.setTimeout(this._open.bind(this), delay);
  };

  HallSocket.prototype._setConnected = function (value) {
    if (this.connected === value) return;
    this.connected = value;
    if (this.handlers.status) this.handlers.status(value);
  };

  HallSocket.prototype._watch = function () {
    if (!this.ws) return;
    var now = Date.now();
    var stuck = this.resyncSince && now - this.resyncSince > RESYNC_WAIT_MS;
    if (now - this.lastHeard > this.silenceMs || stuck) {
      var ws = this.ws;
      try { ws.close(); } catch (e) { /* it is going anyway */ }
      this._lost(ws);
    }
  };

  HallSocket.prototype._resync = function () {
    if (this.resyncSince) return;
    this.resyncSince = Date.now();
    this.counts.resyncs += 1;
    try {
      this.ws.send(JSON.stringify({ type: "resync" }));
    } catch (e) {
      this._lost(this.ws);
    }
  };

  HallSocket.prototype._message = function (raw) {
    this.lastHeard = Date.now();
    var msg;
    try {
      msg = JSON.parse(raw);
    } catch (e) {
      return;
    }
    if (msg.type === "batch") {
      // Several events in one frame, in order: each is handled as if it came alone.
      var items = msg.items || [];
      for (var i = 0; i < items.length; i++) this._handle(items[i]);
      return;
    }
    this._handle(msg);
  };

  HallSocket.prototype._handle = function (msg) {
    if (msg.type === "snapshot") {
      var previous = this.seq;
      var previousCalls = this.state ? this.state.calls : null;
      var state = msg.state || {};
      state.hall = state.hall || {};
      state.queues = state.queues || {};
      state.windows = state.windows || {};
      state.calls = state.calls || [];
      this.state = state;
      this.seq = msg.seq;
      this.resyncSince = 0;
      this.attempt = 0;
      this.counts.snapshots += 1;
      this._setConnected(true);
      if (this.handlers.snapshot) {
        this.handlers.snapshot(state, { previousSeq: previous, previousCalls: previousCalls, seq: msg.seq });
      }
    } else if (msg.type === "event") {
      if (this.state === null || this.resyncSince) return;
      if (msg.seq <= this.seq) return; // already applied
      if (msg.seq !== this.seq + 1) {
        this.counts.gaps += 1;
        this._resync();
        return;
      }
      applyPatch(this.state, msg.patch);
      this.seq = msg.seq;
      this.counts.events += 1;
      if (this.handlers.event) this.handlers.event(msg, this.state);
    } else if (msg.type === "ping") {
      if (this.state !== null && typeof msg.seq === "number" && msg.seq > this.seq) {
        this.counts.gaps += 1;
        this._resync();
      }
    }
  };

  /* The hub's clock: a hall LAN often has no time server, and screen PCs drift. */
  function HubClock(url) {
    this.url = url;
    this.offset = 0;
  }
  HubClock.prototype.sync = function () {
    var self = this;
    var sent = Date.now();
    return global.fetch(this.url, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (body && typeof body.now_ms === "number") {
          var received = Date.now();
          self.offset = body.now_ms - (sent + received) / 2;
        }
      })
      .catch(function () { /* keep the last offset */ });
  };
  HubClock.prototype.now = function () { return Date.now() + this.offset; };
  HubClock.prototype.keepSynced = function (everyMs) {
    this.sync();
    global.setInterval(this.sync.bind(this), everyMs || 600000);
  };

  global.HallRealtime = { HallSocket: HallSocket, HubClock: HubClock, applyPatch: applyPatch };
})(window);
