// Words in pairs, Chinese first: [zh, en]. A missing key shows itself, never "undefined".

function fill(text, vars) {
  let s = text;
  for (const [k, v] of Object.entries(vars || {})) s = s.replaceAll(`{${k}}`, String(v));
  return s;
}

/* t(key, vars) in the language getLang() names ("zh" or "en"). */
export function translator(table, getLang) {
  return function t(key, vars = {}) {
    const pair = table[key];
    if (!pair) return key;
    return fill(pair[getLang() === "en" ? 1 : 0], vars);
  };
}

/* Both languages at once, for messages shown in Chinese with the English below. */
export function both(table, key, vars = {}) {
  const pair = table[key] || [key, key];
  return [fill(pair[0], vars), fill(pair[1], vars)];
}

export function htmlLang(lang) {
  return lang === "en" ? "en" : "zh-CN";
}
