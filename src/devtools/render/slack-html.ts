import type { SlackScreen } from "./screens.ts";

// A small HTML rendering of the Block Kit we send, faithful enough to see what a person sees on a
// phone: mrkdwn (*bold*, _italic_, ~strike~, `code`, ```pre```, <url|label>, <@U…> as @name,
// <#C…|name>, <!date…>, <!here>), sections with accessories, context, divider, header, actions
// (button, overflow, static_select), input blocks (plain_text_input, number_input, datepicker,
// timepicker, multi_users_select, static_select, checkboxes, radio_buttons, conversations_select) with labels,
// hints and errors, modal chrome (title, close, submit) and the App Home tab. Unknown block or
// element types render as a visible "[unsupported: type]" so a new one can't go unnoticed.

type Json = Record<string, unknown>;
export type UserNames = ReadonlyMap<string, string>;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Escapes literal text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

const OPEN = "\uE000";
const CLOSE = "\uE001";

/** One `<…>` token of Slack's mrkdwn as HTML. */
function token(body: string, users: UserNames): string {
  const [target = "", label] = body.split("|", 2) as [string, string | undefined];
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return `<span class="sk-mention">@${escapeHtml(label ?? users.get(id) ?? id)}</span>`;
  }
  if (target.startsWith("#"))
    return `<span class="sk-mention">#${escapeHtml(label ?? target.slice(1))}</span>`;
  if (target.startsWith("!date^")) {
    // <!date^1700000000^{date_short}|fallback>: Slack shows the date in the reader's zone.
    const ts = Number(target.split("^")[1]);
    const d = new Date(ts * 1000);
    return Number.isFinite(ts)
      ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`
      : escapeHtml(label ?? "");
  }
  if (target.startsWith("!subteam^"))
    return `<span class="sk-mention">${escapeHtml(label ?? "@group")}</span>`;
  if (target.startsWith("!")) return `<span class="sk-mention">@${escapeHtml(target.slice(1))}</span>`;
  return `<a href="#">${label ?? escapeHtml(target)}</a>`;
}

/** Slack mrkdwn → HTML. Slack's own entities (&amp; &lt; &gt;) are valid HTML already. */
export function mrkdwnToHtml(text: string, users: UserNames): string {
  const tokens: string[] = [];
  const pres: string[] = [];
  let s = text.replace(/```([\s\S]*?)```/g, (_m, body: string) => {
    pres.push(body);
    return `${OPEN}p${pres.length - 1}${CLOSE}`;
  });
  s = s.replace(/<([^<>]+)>/g, (_m, body: string) => {
    tokens.push(token(body, users));
    return `${OPEN}t${tokens.length - 1}${CLOSE}`;
  });
  // A bare & (not one of Slack's three entities) is shown as typed.
  s = s.replace(/&(?!amp;|lt;|gt;)/g, "&amp;").replace(/"/g, "&quot;");
  const codes: string[] = [];
  s = s.replace(/`([^`\n]+)`/g, (_m, body: string) => {
    codes.push(body);
    return `${OPEN}c${codes.length - 1}${CLOSE}`;
  });
  const edge = "(^|[\\s(>\\u2014\\u2013:,.;!?'\"\\uE001])";
  const after = "(?=$|[\\s).,:;!?'\"\\u2014\\u2013<\\uE000])";
  s = s
    .replace(new RegExp(`${edge}\\*([^*\\n]+)\\*${after}`, "g"), "$1<b>$2</b>")
    .replace(new RegExp(`${edge}_([^_\\n]+)_${after}`, "g"), "$1<i>$2</i>")
    .replace(new RegExp(`${edge}~([^~\\n]+)~${after}`, "g"), "$1<s>$2</s>");
  s = s.replace(/\n/g, "<br>");
  return s.replace(new RegExp(`${OPEN}([tcp])(\\d+)${CLOSE}`, "g"), (_m, kind: string, i: string) => {
    const n = Number(i);
    if (kind === "t") return tokens[n] ?? "";
    if (kind === "c") return `<code>${codes[n] ?? ""}</code>`;
    return `<pre>${(pres[n] ?? "").replace(/&(?!amp;|lt;|gt;)/g, "&amp;")}</pre>`;
  });
}

function textObject(t: unknown, users: UserNames): string {
  if (!t || typeof t !== "object") return "";
  const o = t as Json;
  const text = typeof o.text === "string" ? o.text : "";
  return o.type === "mrkdwn" ? mrkdwnToHtml(text, users) : escapeHtml(text).replace(/\n/g, "<br>");
}

const plainOf = (t: unknown): string => escapeHtml(String((t as Json | undefined)?.text ?? ""));

function unsupported(type: unknown): string {
  return `<div class="sk-unsupported">[unsupported: ${escapeHtml(String(type))}]</div>`;
}

function prettyDate(iso: string): string {
  const [y, m, d] = iso.split("-").map(Number);
  if (!y || !m || !d) return escapeHtml(iso);
  const day = new Date(Date.UTC(y, m - 1, d));
  const wd = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][day.getUTCDay()];
  return `${wd}, ${MONTHS[m - 1]} ${d}, ${y}`;
}

function prettyTime(hhmm: string): string {
  const [h = 0, m = 0] = hhmm.split(":").map(Number);
  return `${h % 12 || 12}:${String(m).padStart(2, "0")} ${h < 12 ? "AM" : "PM"}`;
}

function button(e: Json): string {
  const style = e.style === "primary" ? " sk-primary" : e.style === "danger" ? " sk-danger" : "";
  return `<button class="sk-button${style}">${plainOf(e.text)}</button>`;
}

function selectBox(shown: string, placeholder: string): string {
  return `<div class="sk-select${shown ? "" : " sk-placeholder"}"><span>${shown || placeholder}</span><span class="sk-caret">▾</span></div>`;
}

function element(e: Json, users: UserNames): string {
  const placeholder = plainOf(e.placeholder);
  switch (e.type) {
    case "button":
      return button(e);
    case "overflow":
      return `<button class="sk-button sk-overflow" aria-label="More actions">⋯</button>`;
    case "static_select": {
      const initial = e.initial_option as Json | undefined;
      return selectBox(initial ? plainOf(initial.text) : "", placeholder || "Select an item");
    }
    case "conversations_select":
    case "channels_select": {
      const id = (e.initial_conversation ?? e.initial_channel) as string | undefined;
      return selectBox(id ? `#${escapeHtml(users.get(id) ?? id)}` : "", placeholder || "Select a channel");
    }
    case "datepicker":
      return `<div class="sk-select">${e.initial_date ? prettyDate(String(e.initial_date)) : placeholder || "Select a date"}<span class="sk-caret">▾</span></div>`;
    case "timepicker":
      return `<div class="sk-select">${e.initial_time ? prettyTime(String(e.initial_time)) : placeholder || "Select time"}<span class="sk-caret">▾</span></div>`;
    case "multi_users_select": {
      const chosen = (e.initial_users as string[] | undefined) ?? [];
      const chips = chosen
        .map((id) => `<span class="sk-chip">${escapeHtml(users.get(id) ?? id)} ✕</span>`)
        .join("");
      return `<div class="sk-select sk-multi">${chips || `<span class="sk-placeholder">${placeholder || "Select people"}</span>`}</div>`;
    }
    case "plain_text_input": {
      const value = escapeHtml(String(e.initial_value ?? ""));
      return e.multiline
        ? `<textarea class="sk-input" rows="3" placeholder="${placeholder}">${value}</textarea>`
        : `<input class="sk-input" value="${value}" placeholder="${placeholder}">`;
    }
    case "number_input":
      return `<input class="sk-input" value="${escapeHtml(String(e.initial_value ?? ""))}" placeholder="${placeholder}">`;
    case "checkboxes": {
      const chosen = new Set(((e.initial_options as Json[] | undefined) ?? []).map((o) => o.value));
      const options = (e.options as Json[] | undefined) ?? [];
      return `<div class="sk-checks">${options
        .map(
          (o) =>
            `<label><input type="checkbox"${chosen.has(o.value) ? " checked" : ""}> ${textObject(o.text, users)}</label>`,
        )
        .join("")}</div>`;
    }
    case "radio_buttons": {
      const chosen = (e.initial_option as Json | undefined)?.value;
      const options = (e.options as Json[] | undefined) ?? [];
      return `<div class="sk-checks">${options
        .map(
          (o) =>
            `<label><input type="radio" name="r"${o.value === chosen ? " checked" : ""}> ${textObject(o.text, users)}</label>`,
        )
        .join("")}</div>`;
    }
    case "image":
      return `<span class="sk-img" title="${escapeHtml(String(e.alt_text ?? ""))}"></span>`;
    default:
      return unsupported(e.type);
  }
}

function block(b: Json, users: UserNames, errors: Record<string, string>): string {
  switch (b.type) {
    case "header":
      return `<div class="sk-header">${plainOf(b.text)}</div>`;
    case "divider":
      return `<hr class="sk-divider">`;
    case "section": {
      const text = b.text ? `<div class="sk-text">${textObject(b.text, users)}</div>` : "";
      const fields = Array.isArray(b.fields)
        ? `<div class="sk-fields">${b.fields.map((f) => `<div>${textObject(f, users)}</div>`).join("")}</div>`
        : "";
      const accessory = b.accessory
        ? `<div class="sk-accessory">${element(b.accessory as Json, users)}</div>`
        : "";
      return `<div class="sk-section"><div class="sk-section-main">${text}${fields}</div>${accessory}</div>`;
    }
    case "context":
      return `<div class="sk-context">${((b.elements as Json[]) ?? [])
        .map((e) => (e.type === "image" ? element(e, users) : `<span>${textObject(e, users)}</span>`))
        .join(" ")}</div>`;
    case "actions":
      return `<div class="sk-actions">${((b.elements as Json[]) ?? []).map((e) => element(e, users)).join("")}</div>`;
    case "input": {
      const id = String(b.block_id ?? "");
      const optional = b.optional ? ` <span class="sk-optional">(optional)</span>` : "";
      const hint = b.hint ? `<div class="sk-hint">${plainOf(b.hint)}</div>` : "";
      const error = errors[id] ? `<div class="sk-error">⚠ ${escapeHtml(errors[id])}</div>` : "";
      return `<div class="sk-inputblock${error ? " sk-has-error" : ""}"><div class="sk-label">${plainOf(b.label)}${optional}</div>${element(b.element as Json, users)}${error}${hint}</div>`;
    }
    default:
      return unsupported(b.type);
  }
}

function blocksHtml(
  blocks: readonly unknown[],
  users: UserNames,
  errors: Record<string, string> = {},
): string {
  return blocks.map((b) => block(b as Json, users, errors)).join("");
}

/** The screen as a self-contained HTML fragment (styles in SLACK_CSS). */
export function slackHtml(screen: SlackScreen, users: UserNames): string {
  switch (screen.kind) {
    case "message":
      return `<div class="sk-msg"><div class="sk-avatar">TO</div><div class="sk-msg-body"><div class="sk-meta"><b>Take It Offline</b> <span class="sk-app">APP</span> <span class="sk-time">10:00</span></div>${blocksHtml(screen.blocks, users)}</div></div>`;
    case "modal": {
      const v = screen.view;
      return `<div class="sk-modal"><div class="sk-modal-head"><span class="sk-modal-title">${plainOf(v.title)}</span><span class="sk-x" aria-label="Close">✕</span></div><div class="sk-modal-body">${blocksHtml(v.blocks, users, screen.errors)}</div><div class="sk-modal-foot">${v.close ? `<button class="sk-button">${plainOf(v.close)}</button>` : ""}${v.submit ? `<button class="sk-button sk-primary">${plainOf(v.submit)}</button>` : ""}</div></div>`;
    }
    case "home":
      return `<div class="sk-home"><div class="sk-tabs"><span class="sk-tab-on">Home</span><span>Messages</span><span>About</span></div><div class="sk-home-body">${blocksHtml(screen.view.blocks, users)}</div></div>`;
  }
}

// Slack's look on a phone (Lato-like sans, #1d1c1d text, #007a5a primary, 15 px body, 13 px context).
export const SLACK_CSS = `
.sk-root{font:15px/1.47 Lato,"Helvetica Neue",Helvetica,"Segoe UI",Arial,sans-serif;color:#1d1c1d;background:#fff}
.sk-msg{display:flex;gap:8px;padding:8px 12px}
.sk-avatar{flex:0 0 36px;height:36px;border-radius:6px;background:#4a154b;color:#fff;font-size:13px;display:flex;align-items:center;justify-content:center}
.sk-msg-body{flex:1;min-width:0}
.sk-meta{font-size:15px}.sk-app{font-size:10px;background:#e8e8e8;color:#616061;padding:1px 3px;border-radius:2px}.sk-time{color:#616061;font-size:12px}
.sk-section{display:flex;gap:8px;margin:4px 0}.sk-section-main{flex:1;min-width:0;overflow-wrap:anywhere}
.sk-fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 8px}
.sk-context{font-size:13px;color:#616061;margin:4px 0;overflow-wrap:anywhere}
.sk-header{font-size:18px;font-weight:900;margin:8px 0 4px}
.sk-divider{border:0;border-top:1px solid #dddddd;margin:10px 0}
.sk-actions{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.sk-button{font:700 15px Lato,"Helvetica Neue",Arial,sans-serif;height:36px;padding:0 12px;border:1px solid #bbbabb;border-radius:4px;background:#fff;color:#1d1c1d;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:100%}
.sk-primary{background:#007a5a;border-color:#007a5a;color:#fff}.sk-danger{background:#e01e5a;border-color:#e01e5a;color:#fff}
.sk-overflow{width:36px;padding:0}
code{font:12px Monaco,Menlo,Consolas,monospace;color:#e01e5a;background:#f6f6f6;border:1px solid #e1e1e1;border-radius:3px;padding:0 3px}
pre{font:12px/1.5 Monaco,Menlo,Consolas,monospace;background:#f8f8f8;border:1px solid #e1e1e1;border-radius:4px;padding:8px;white-space:pre-wrap;margin:4px 0}
a{color:#1264a3;text-decoration:none}.sk-mention{color:#1264a3;background:#e8f5fa;border-radius:3px;padding:0 2px}
.sk-inputblock{margin:12px 0}.sk-label{font-weight:700;margin-bottom:6px}.sk-optional{font-weight:400;color:#616061}
.sk-hint{font-size:13px;color:#616061;margin-top:4px}.sk-error{font-size:13px;color:#e01e5a;margin-top:4px}
.sk-has-error .sk-input,.sk-has-error .sk-select{border-color:#e01e5a}
.sk-input,.sk-select{box-sizing:border-box;width:100%;min-height:40px;border:1px solid #bbbabb;border-radius:4px;padding:8px 10px;font:15px Lato,"Helvetica Neue",Arial,sans-serif;display:flex;align-items:center;justify-content:space-between;gap:6px}
textarea.sk-input{display:block}
.sk-multi{flex-wrap:wrap;justify-content:flex-start}.sk-chip{background:#e8f5fa;border-radius:4px;padding:1px 6px;font-size:14px}
.sk-placeholder{color:#868686}.sk-caret{color:#616061}
.sk-checks label{display:block;margin:2px 0}
.sk-modal{margin:0;border:1px solid #ddd;border-radius:8px;overflow:hidden}
.sk-modal-head{display:flex;justify-content:space-between;padding:14px 16px;border-bottom:1px solid #ddd}.sk-modal-title{font-size:20px;font-weight:900}
.sk-modal-body{padding:4px 16px}
.sk-modal-foot{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #ddd}
.sk-home{}.sk-tabs{display:flex;gap:16px;padding:8px 12px;border-bottom:1px solid #ddd;color:#616061}.sk-tab-on{color:#1d1c1d;font-weight:700;border-bottom:2px solid #1d1c1d}
.sk-home-body{padding:4px 12px}
.sk-unsupported{color:#fff;background:#c00;padding:2px 4px}
`;
