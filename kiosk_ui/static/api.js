// Talking to the hub. A network failure, a timeout or a gateway error means the hub is
// unreachable: the kiosk says so and keeps asking until it answers again.

const TIMEOUT_MS = 8000;
const HEARTBEAT_MS = 2000;
const UNREACHABLE = new Set([502, 503, 504]);

export class HubDown extends Error {}

export class HubError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.code || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || "INTERNAL";
    this.details = err.details || {};
    this.message_zh = err.message_zh;
    this.message_en = err.message_en;
  }
}

export function randomKey() {
  // crypto.randomUUID needs a secure context; kiosks on a hall LAN use plain http.
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return "kiosk-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class Api {
  constructor({ base, hall, device, onDown, onUp }) {
    this.base = base;
    this.device = device;
    this.onDown = onDown;
    this.onUp = onUp;
    this.down = false;
    this.timer = null;
    this.tokenKey = `hall-kiosk-token:${hall}:${device || "-"}`;
  }

  get token() {
    try {
      return localStorage.getItem(this.tokenKey);
    } catch {
      return null;
    }
  }

  set token(value) {
    try {
      localStorage.setItem(this.tokenKey, value);
    } catch {
      // Storage switched off: the token lives as long as the page.
    }
    this._memoryToken = value;
  }

  authHeader() {
    const token = this.token || this._memoryToken;
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  hasToken() {
    return Boolean(this.token || this._memoryToken);
  }

  async request(method, path, { body, headers = {}, auth = false } = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(path.startsWith("/") ? path : `${this.base}/${path}`, {
        method,
        headers: {
          Accept: "application/json",
          ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
          ...(auth ? this.authHeader() : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: controller.signal,
        cache: "no-store",
      });
    } catch (err) {
      this.markDown();
      throw new HubDown(String(err));
    } finally {
      clearTimeout(timer);
    }
    if (UNREACHABLE.has(response.status)) {
      this.markDown();
      throw new HubDown(`HTTP ${response.status}`);
    }
    let text;
    try {
      text = await response.text();
    } catch (err) {
      // The connection broke in the middle of the answer: the hub went away.
      this.markDown();
      throw new HubDown(String(err));
    }
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = null;
    }
    this.markUp();
    if (!response.ok) throw new HubError(response.status, data);
    return { data, status: response.status };
  }

  async get(path, opts) {
    return (await this.request("GET", path, opts)).data;
  }

  async post(path, body, opts = {}) {
    return this.request("POST", path, { ...opts, body });
  }

  markDown() {
    if (this.down) return;
    this.down = true;
    this.onDown();
    this.heartbeat();
  }

  markUp() {
    if (!this.down) return;
    this.down = false;
    clearTimeout(this.timer);
    this.onUp();
  }

  heartbeat() {
    clearTimeout(this.timer);
    this.timer = setTimeout(async () => {
      try {
        await this.get("queues");
      } catch {
        // Still down (request() keeps the flag); try again.
      }
      if (this.down) this.heartbeat();
    }, HEARTBEAT_MS);
  }
}
