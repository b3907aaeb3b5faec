// Talking to the hub's JSON API. Errors come in the project's shape
// ({"error": {code, message_zh, message_en, details}}) and are thrown as HubError; a
// network failure, a timeout or (where the caller says so) a gateway error is HubDown.

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

/* An Idempotency-Key: crypto.randomUUID needs a secure context, and halls use plain http. */
export function randomKey(prefix = "kiosk") {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `${prefix}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/* One request: {data, status}. timeoutMs 0 waits as long as the browser does; statuses
 * in `down` count as the hub being unreachable (a proxy in front of it answering). */
export async function requestJson(
  method,
  url,
  { body, headers = {}, timeoutMs = 0, down = [], cache } = {},
) {
  const controller = new AbortController();
  const timer = timeoutMs ? setTimeout(() => controller.abort(), timeoutMs) : null;
  let response;
  try {
    response = await fetch(url, {
      method,
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: controller.signal,
      cache,
    });
  } catch (err) {
    throw new HubDown(String(err));
  } finally {
    if (timer) clearTimeout(timer);
  }
  if (down.includes(response.status)) throw new HubDown(`HTTP ${response.status}`);
  let text;
  try {
    text = await response.text();
  } catch (err) {
    // The connection broke in the middle of the answer: the hub went away.
    throw new HubDown(String(err));
  }
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) throw new HubError(response.status, data);
  return { data, status: response.status };
}

const TIMEOUT_MS = 8000;
const HEARTBEAT_MS = 2000;
const UNREACHABLE = [502, 503, 504];

/* A device's client (the kiosk): a bearer token kept in localStorage, an 8 s timeout, and
 * while the hub is unreachable a heartbeat that says when it answers again. */
export class Api {
  constructor({ base, tokenKey, onDown, onUp, heartbeatPath = "queues" }) {
    this.base = base;
    this.onDown = onDown;
    this.onUp = onUp;
    this.down = false;
    this.timer = null;
    this.tokenKey = tokenKey;
    this.heartbeatPath = heartbeatPath;
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
    let answer;
    try {
      answer = await requestJson(method, path.startsWith("/") ? path : `${this.base}/${path}`, {
        body,
        headers: { ...(auth ? this.authHeader() : {}), ...headers },
        timeoutMs: TIMEOUT_MS,
        down: UNREACHABLE,
        cache: "no-store",
      });
    } catch (err) {
      if (err instanceof HubDown) this.markDown();
      else this.markUp();
      throw err;
    }
    this.markUp();
    return answer;
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
        await this.get(this.heartbeatPath);
      } catch {
        // Still down (request() keeps the flag); try again.
      }
      if (this.down) this.heartbeat();
    }, HEARTBEAT_MS);
  }
}
