// The same checks as the hub's (server/domain/identity.py), so a typo is caught at once;
// the hub checks again. The codes are the hub's, and so are the messages.
// `today` is the hub's (Kiosk.hubNow()), never the PC's own clock.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

export function idProblem(number, today) {
  if (!/^\d{17}[\dX]$/.test(number)) return "ID_NUMBER_FORMAT";
  const y = Number(number.slice(6, 10));
  const m = Number(number.slice(10, 12));
  const d = Number(number.slice(12, 14));
  const born = new Date(Date.UTC(y, m - 1, d));
  const valid =
    born.getUTCFullYear() === y && born.getUTCMonth() === m - 1 && born.getUTCDate() === d;
  if (!valid || y < 1870 || born.getTime() > today.getTime()) return "ID_NUMBER_BIRTH_DATE";
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(number[i]) * WEIGHTS[i];
  if (CHECK[sum % 11] !== number[17]) return "ID_NUMBER_CHECK_DIGIT";
  return null;
}

export function phoneProblem(number) {
  return /^1[3-9]\d{9}$/.test(number) ? null : "PHONE_INVALID";
}

export function maskTyped(text) {
  // While typing, only the last character shows (as on a phone's password field).
  if (!text) return "";
  return "•".repeat(text.length - 1) + text.slice(-1);
}

export function maskId(number) {
  return number.slice(0, 3) + "*".repeat(Math.max(0, number.length - 7)) + number.slice(-4);
}

export function maskPhone(number) {
  return number.slice(0, 3) + "****" + number.slice(-4);
}
