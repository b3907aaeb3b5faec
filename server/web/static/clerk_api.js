// The staff API as the clerk screen calls it: the session is the httponly cookie set at
// sign-in (no token in the page), and no timeout (a slow hub still answers the action).
import { HubDown, requestJson } from "/static/kit/api.js";

const API = "/api/v1";

/* The answer's body; throws the hub's error ({code, message_zh, message_en, details,
 * status}) or null when the hub cannot be reached. */
export async function api(method, path, body) {
  try {
    return (await requestJson(method, API + path, { body })).data;
  } catch (err) {
    if (err instanceof HubDown) throw null;
    if (!err.message_zh) {
      err.code = `HTTP_${err.status}`;
      err.message_zh = "请求失败";
      err.message_en = "Request failed";
    }
    throw err;
  }
}

// The session ended, or a supervisor released the window: back to the sign-in form.
const SIGNED_OUT = ["AUTH_REQUIRED", "AUTH_INVALID", "NOT_AT_WINDOW", "WRONG_WINDOW"];

export function leftWindow(err) {
  return !!(err && (err.status === 401 || SIGNED_OUT.includes(err.code)));
}
