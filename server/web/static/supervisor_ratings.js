// 好差评 for the supervisor: the day's 差评 newest first and the figures per window and
// per clerk, read again when a rating comes in today (or every 10 s).
import { byId as $, pageConfig } from "/static/kit/dom.js";
import { HallSocket, hallSocketPath } from "/static/kit/realtime.js";

const cfg = pageConfig("supervisor-config");

function signIn() {
  $("login").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const f = ev.target;
    fetch("/api/v1/auth/login", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ hall: f.hall.value, staff_no: f.staff_no.value, password: f.password.value }),
    }).then((r) =>
      r.json().then((d) => {
        if (r.ok) location.search = "?hall=" + encodeURIComponent(f.hall.value);
        else $("login-error").textContent = d.error.message_zh + " / " + d.error.message_en;
      }),
    );
  });
}

function figuresPage(HALL) {
  const API = `/api/v1/halls/${encodeURIComponent(HALL)}/ratings`;
  const dayInput = $("day");
  let seenBad = null;
  const CHANNEL = { pad: "评价器", tablet: "平板", phone: "手机" };
  let hallToday = null; // the hall's business day, as the hub says (its time zone)

  function cell(row, text, cls) {
    const td = document.createElement("td");
    td.textContent = text == null ? "" : String(text);
    if (cls) td.className = cls;
    row.appendChild(td);
    return td;
  }
  const pct = (x) => (x == null ? "—" : (x * 100).toFixed(1) + "%");
  const query = () => (dayInput.value ? "?day=" + encodeURIComponent(dayInput.value) : "");

  function figures(table, rows, head, levels) {
    const thead = table.tHead;
    const tbody = table.tBodies[0];
    thead.replaceChildren();
    tbody.replaceChildren();
    const tr = thead.insertRow();
    const names = [head[0]].concat(
      levels.map((l) => l.name),
      ["已评价 Rated", "满意率 Satisfaction", "未评价 Not rated", "无效 Rejected"],
    );
    for (const n of names) {
      const th = document.createElement("th");
      th.textContent = n;
      tr.appendChild(th);
    }
    if (!rows.length) {
      cell(tbody.insertRow(), "暂无评价 / no ratings yet", "empty").colSpan = names.length;
      return;
    }
    for (const x of rows) {
      const r = tbody.insertRow();
      cell(r, head[1](x), "text");
      for (const l of levels) cell(r, x.levels[String(l.level)]);
      cell(r, x.rated);
      cell(r, pct(x.satisfaction_rate));
      cell(r, x.not_rated);
      cell(r, x.rejected);
    }
  }

  function load() {
    const opts = { credentials: "same-origin" };
    return Promise.all([fetch(API + query(), opts), fetch(API + "/bad" + query(), opts)])
      .then((rs) => {
        if (rs[0].status === 401) {
          location.reload();
          return;
        }
        return Promise.all(rs.map((r) => r.json())).then(([sum, bad]) => {
          if (!dayInput.value) {
            dayInput.value = sum.day;
            hallToday = sum.day;
          }
          figures($("windows"), sum.windows, ["窗口 Window", (x) => x.number + " " + x.name], sum.levels);
          figures($("clerks"), sum.clerks, ["工作人员 Clerk", (x) => x.staff_no + " " + x.name], sum.levels);
          const tbody = $("bad").tBodies[0];
          tbody.replaceChildren();
          if (!bad.length) cell(tbody.insertRow(), "暂无差评 / none", "empty").colSpan = 8;
          for (const b of bad) {
            const r = tbody.insertRow();
            if (seenBad && !seenBad[b.id]) r.className = "new";
            cell(r, new Date(b.at).toLocaleTimeString("zh-CN", { hour12: false }), "text");
            cell(r, b.ticket, "text");
            cell(r, b.window, "text");
            cell(r, (b.clerk_staff_no || "") + " " + (b.clerk_name || ""), "text");
            cell(r, b.service_item, "text");
            cell(r, b.level_name, "text bad-level");
            cell(r, b.reason_name || "—", "text");
            cell(r, CHANNEL[b.channel] || b.channel, "text");
          }
          seenBad = {};
          for (const b of bad) seenBad[b.id] = true;
        });
      })
      .catch(() => {});
  }

  dayInput.addEventListener("change", () => {
    seenBad = null;
    load();
  });

  new HallSocket(hallSocketPath(HALL), {
    // A snapshot follows a gap: a rating may have come in meanwhile.
    snapshot: () => {
      if (hallToday && dayInput.value === hallToday) load();
    },
    event: (e) => {
      if (/^rat/.test(e.kind) && dayInput.value === hallToday) load();
    },
    status: (connected) => { $("live").textContent = connected ? "实时 live" : ""; },
  }).start();
  load();
  setInterval(load, 10000);
}

if (!cfg.signed_in) signIn();
else if (cfg.hall) figuresPage(cfg.hall);
