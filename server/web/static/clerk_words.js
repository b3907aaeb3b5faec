// Every word the clerk screen says itself, Chinese first; the hub's errors bring their own.
import { both as bothOf, htmlLang, translator } from "/static/kit/i18n.js";

export const T = {
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

let lang = localStorage.getItem("clerk-lang") === "en" ? "en" : "zh";

export const t = translator(T, () => lang);

export function both(key, vars) {
  return bothOf(T, key, vars);
}

export function language() {
  return lang;
}

export function switchLanguage() {
  lang = lang === "en" ? "zh" : "en";
  localStorage.setItem("clerk-lang", lang);
}

export function pageLanguage() {
  return htmlLang(lang);
}
