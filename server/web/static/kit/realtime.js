/* The hall's websocket, as server/realtime/PROTOCOL.md describes it, and the hub's clock.
 *
 * A snapshot replaces the state; events apply their patch when their seq is exactly the
 * last one + 1. A gap (or a ping ahead of us) asks for a fresh snapshot. A closed or
 * silent socket is reopened with backoff (0.5 s doubling to 10 s, with jitter); the last
 * state stays on screen meanwhile. Every screen that listens to the hall uses this one.
 */

const MAX_CALLS = 10;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10000;
// Pings come every 10 s: a socket quiet for 25 s is dead even if TCP has not noticed.
const SILENCE_MS = 25000;
// A resync request that gets no snapshot within this time means the hub is in trouble.
const RESYNC_WAIT_MS = 5000;

export function applyPatch(state, patch) {
  if (!patch) return;
  for (const key of ["queues", "windows"]) {
    const part = patch[key];
    if (!part) continue;
    state[key] = state[key] || {};
    Object.assign(state[key], part);
  }
  if (patch.hall) state.hall = patch.hall;
  if (patch.call) state.calls = [patch.call].concat(state.calls || []).slice(0, MAX_CALLS);
}

export function hallSocketPath(hall) {
  return `/ws/halls/${encodeURIComponent(hall)}`;
}

function absoluteWsUrl(path) {
  if (/^wss?:/.test(path)) return path;
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}${path}`;
}

/* handlers: snapshot(state, info), event(message, state), status(connected) */
export class HallSocket {
  constructor(path, handlers = {}, options = {}) {
    this.url = absoluteWsUrl(path);
    this.handlers = handlers;
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

  start() {
    this._open();
    this.timer = setInterval(() => this._watch(), 1000);
  }

  _open() {
    let ws;
    this.retryTimer = null;
    this.counts.connects += 1;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this._lost(null);
      return;
    }
    this.ws = ws;
    this.resyncSince = 0;
    this.lastHeard = Date.now();
    ws.onmessage = (ev) => {
      if (this.ws === ws) this._message(ev.data);
    };
    ws.onclose = () => this._lost(ws);
    ws.onerror = () => {
      try {
        ws.close();
      } catch {
        // closing anyway
      }
    };
  }

  _lost(ws) {
    if (ws !== null && this.ws !== ws) return; // an old socket we already replaced
    this.ws = null;
    this._setConnected(false);
    if (this.retryTimer !== null) return;
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** this.attempt);
    // Jitter: after a hub restart, a hall's screens must not all come back in the same ms.
    const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this._open(), delay);
  }

  _setConnected(value) {
    if (this.connected === value) return;
    this.connected = value;
    if (this.handlers.status) this.handlers.status(value);
  }

  _watch() {
    if (!this.ws) return;
    const now = Date.now();
    const stuck = this.resyncSince && now - this.resyncSince > RESYNC_WAIT_MS;
    if (now - this.lastHeard > this.silenceMs || stuck) {
      const ws = this.ws;
      try {
        ws.close();
      } catch {
        // it is going anyway
      }
      this._lost(ws);
    }
  }

  _resync() {
    if (this.resyncSince) return;
    this.resyncSince = Date.now();
    this.counts.resyncs += 1;
    try {
      this.ws.send(JSON.stringify({ type: "resync" }));
    } catch {
      this._lost(this.ws);
    }
  }

  _message(raw) {
    this.lastHeard = Date.now();
    let msg;
    try {
      msg = JSON.parse(raw);
    } catch {
      return;
    }
    if (msg.type === "batch") {
      // Several events in one frame, in order: each is handled as if it came alone.
      for (const item of msg.items || []) this._handle(item);
      return;
    }
    this._handle(msg);
  }

  _handle(msg) {
    if (msg.type === "snapshot") {
      const previous = this.seq;
      const previousCalls = this.state ? this.state.calls : null;
      const state = msg.state || {};
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
        this.handlers.snapshot(state, { previousSeq: previous, previousCalls, seq: msg.seq });
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
  }
}

/* The hub's clock: a hall LAN often has no time server, and screen PCs drift. */
export class HubClock {
  constructor(url = "/board/clock") {
    this.url = url;
    this.offset = 0;
  }

  async sync() {
    const sent = Date.now();
    try {
      const r = await fetch(this.url, { cache: "no-store" });
      const body = r.ok ? await r.json() : null;
      if (body && typeof body.now_ms === "number") {
        const received = Date.now();
        this.offset = body.now_ms - (sent + received) / 2;
      }
    } catch {
      // keep the last offset
    }
  }

  now() {
    return Date.now() + this.offset;
  }

  keepSynced(everyMs = 600000) {
    this.sync();
    setInterval(() => this.sync(), everyMs);
  }
}
