import type { ContactRow, LunchesAndMeetings, MyData, Overview } from "../../app/service.ts";
import { formatDate, formatWhen, plural } from "../../core/format.ts";
import {
  hourChoices,
  SETTINGS_FORM,
  SETTINGS_SECTIONS,
  type SettingsField,
  settingsFormValues,
  timeZoneChoices,
  WEEKDAY_NAMES,
} from "../../core/forms/settings.ts";
import type { Workspace } from "../../core/types.ts";
import { Html, html, jsonBlock } from "./html.ts";

// The dashboard's pages as HTML bodies, from the use cases' plain data. The chart is drawn by the
// bundled script from the JSON block; the same numbers are in a table below it for screen readers
// and for anyone without JavaScript.

const pct = (r: number | null) => (r === null ? "n/a" : `${Math.round(r * 100)}%`);
const day = (d: Date | null, tz: string) => (d ? formatDate(d, tz) : "—");

export interface PageContext {
  prefix: string;
  csrf: string;
  timeZone: string;
  isAdmin: boolean;
}

/** A notice after a POST (the redirect's ?done= or ?error=). */
export function notice(kind: "done" | "error" | null, text: string | null): Html {
  if (!kind || !text) return html``;
  return kind === "error"
    ? html`<p class="notice error" role="alert">${text}</p>`
    : html`<p class="notice ok" role="status">${text}</p>`;
}

export function overviewBody(o: Overview, c: PageContext): Html {
  const last = o.weeks[o.weeks.length - 1];
  const chart = {
    weeks: o.weeks.map((w) => ({
      week: w.week,
      start: Math.floor(w.start.getTime() / 1000),
      coverage: w.coverage === null ? null : Math.round(w.coverage * 1000) / 10,
      met: w.met,
      total: w.total,
      planned: w.lunchesPlanned,
      held: w.lunchesHeld,
    })),
  };
  const contactLink = (id: string, name: string) =>
    c.isAdmin
      ? html`<a href="${c.prefix}/contacts?q=${encodeURIComponent(name)}#c-${id}">${name}</a>`
      : html`${name}`;
  const list = (rows: Overview["mostDiscussed"], empty: string) =>
    rows.length === 0
      ? html`<p>${empty}</p>`
      : html`<ol class="people">${rows.map(
          (r) =>
            html`<li>${contactLink(r.id, r.name)} <span class="meta">${plural(r.mentions, "mention")} · ${plural(r.teammates, "teammate")} · last met ${day(r.lastMetAt, c.timeZone)}</span></li>`,
        )}</ol>`;
  return html`
<section aria-labelledby="trend-h">
  <h2 id="trend-h">Offline coverage, week by week</h2>
  <p class="lead">Of the ${o.topN} most-discussed contacts, the share met in person within ${o.coverageDays} days, as it stood at the end of each week.
  Last week: <strong id="coverage-now">${last ? pct(last.coverage) : "n/a"}</strong>${last ? html` (${last.met} of ${last.total})` : ""}.</p>
  <figure class="chart">
    <div id="coverage-chart" role="img" aria-label="Offline coverage and lunches per week for the last ${o.weeks.length} weeks (the table below has the numbers)"></div>
    <figcaption>Line: offline coverage (%). Bars: lunches planned and held per week.</figcaption>
  </figure>
  ${jsonBlock("chart-data", chart)}
  <details>
    <summary>The numbers as a table</summary>
    <div class="scroll"><table id="weeks-table">
      <caption>Coverage and lunches per week</caption>
      <thead><tr><th scope="col">Week</th><th scope="col">Coverage</th><th scope="col">Met</th><th scope="col">Of</th><th scope="col">Lunches planned</th><th scope="col">Held</th></tr></thead>
      <tbody>${o.weeks.map(
        (w) =>
          html`<tr><th scope="row">${w.week}</th><td>${pct(w.coverage)}</td><td>${w.met}</td><td>${w.total}</td><td>${w.lunchesPlanned}</td><td>${w.lunchesHeld}</td></tr>`,
      )}</tbody>
    </table></div>
  </details>
</section>
<div class="cols">
<section aria-labelledby="top-h"><h2 id="top-h">Most discussed</h2>${list(o.mostDiscussed, "Nobody tracked was discussed lately.")}</section>
<section aria-labelledby="online-h"><h2 id="online-h">Still online-only</h2>${list(o.onlineOnly, "Everyone discussed was met in person lately.")}</section>
</div>`;
}

const STATUSES = ["tracked", "candidate", "ignored"] as const;

export function contactsBody(rows: ContactRow[], c: PageContext, q: { query: string; status: string }): Html {
  return html`
<form method="get" action="${c.prefix}/contacts" class="filters" role="search">
  <label for="q">Search by name</label>
  <input id="q" name="q" type="search" value="${q.query}" autocomplete="off">
  <label for="status">Status</label>
  <select id="status" name="status">
    <option value="">Any</option>
    ${STATUSES.map((s) => html`<option value="${s}"${q.status === s ? html` selected` : ""}>${s}</option>`)}
  </select>
  <button type="submit">Filter</button>
</form>
<form method="post" action="${c.prefix}/contacts/review" id="review">
  <input type="hidden" name="_csrf" value="${c.csrf}">
  <fieldset class="bulk">
    <legend>With the selected contacts</legend>
    <button type="submit" name="action" value="track">Track</button>
    <button type="submit" name="action" value="not-external">Not external</button>
    <button type="submit" name="action" value="ignore">Ignore</button>
    <button type="submit" name="action" value="merge">Merge</button>
    <span class="hint">Track, Not external and Ignore apply to the whole team. Merge keeps the first selected.</span>
  </fieldset>
  <p id="contacts-count">${rows.length} contacts mentioned within the retention window</p>
  <div class="scroll"><table id="contacts-table" class="sortable" aria-describedby="contacts-count">
    <caption class="sr">Contacts</caption>
    <thead><tr>
      <th scope="col"><span class="sr">Select</span></th>
      <th scope="col" data-sort="text" aria-sort="none"><button type="button" class="sort">Name</button></th>
      <th scope="col" data-sort="text" aria-sort="none"><button type="button" class="sort">Kind</button></th>
      <th scope="col" data-sort="text" aria-sort="none"><button type="button" class="sort">Status</button></th>
      <th scope="col" data-sort="number" aria-sort="descending"><button type="button" class="sort">Mentions</button></th>
      <th scope="col" data-sort="number" aria-sort="none"><button type="button" class="sort">Teammates</button></th>
      <th scope="col" data-sort="number" aria-sort="none"><button type="button" class="sort">Last met</button></th>
    </tr></thead>
    <tbody>${rows.map(
      (r) => html`<tr id="c-${r.id}">
        <td><input type="checkbox" name="id" value="${r.id}" id="sel-${r.id}" aria-label="Select ${r.name}"></td>
        <th scope="row"><label for="sel-${r.id}">${r.name}</label></th>
        <td>${r.kind}</td>
        <td><span class="status ${r.status}">${r.status}</span></td>
        <td data-value="${r.mentions}">${r.mentions}</td>
        <td data-value="${r.teammates}">${r.teammates}</td>
        <td data-value="${r.lastMetAt ? r.lastMetAt.getTime() : 0}">${day(r.lastMetAt, c.timeZone)}</td>
      </tr>`,
    )}</tbody>
  </table></div>
</form>`;
}

const LUNCH_STATUS: Record<string, string> = {
  planned: "planned",
  scheduled: "planned",
  followup: "waiting for “did it happen?”",
  met: "held",
  cancelled: "called off",
};

const MET_HOW: Record<string, string> = {
  lunch: "at a lunch",
  button: "said so in a prompt",
  command: "with met",
};

export function lunchesBody(data: LunchesAndMeetings, c: PageContext): Html {
  const lunches =
    data.lunches.length === 0
      ? html`<p>No lunches in the last six months.</p>`
      : html`<div class="scroll"><table>
    <caption>Lunches, newest first</caption>
    <thead><tr><th scope="col">Contact</th><th scope="col">When</th><th scope="col">Where</th><th scope="col">Organizer</th><th scope="col">With</th><th scope="col">Status</th></tr></thead>
    <tbody>${data.lunches.map(
      (r) =>
        html`<tr><th scope="row">${r.contactName}</th><td>${r.lunch.scheduledFor ? formatWhen(r.lunch.scheduledFor, c.timeZone) : "no date yet"}</td><td>${r.lunch.place ?? "—"}</td><td>${r.organizerName}</td><td>${r.attendeeNames.join(", ") || "—"}</td><td>${LUNCH_STATUS[r.lunch.status] ?? r.lunch.status}</td></tr>`,
    )}</tbody>
  </table></div>`;
  const meetings =
    data.meetings.length === 0
      ? html`<p>No meetings recorded in the last six months.</p>`
      : html`<div class="scroll"><table>
    <caption>Met in person, newest first</caption>
    <thead><tr><th scope="col">Contact</th><th scope="col">Who</th><th scope="col">When</th><th scope="col">Recorded</th></tr></thead>
    <tbody>${data.meetings.map(
      (m) =>
        html`<tr><th scope="row">${m.contactName}</th><td>${m.memberName}</td><td>${day(m.metAt, c.timeZone)}</td><td>${MET_HOW[m.source] ?? m.source}</td></tr>`,
    )}</tbody>
  </table></div>`;
  return html`<section aria-labelledby="l-h"><h2 id="l-h">Lunches</h2>${lunches}</section>
<section aria-labelledby="mt-h"><h2 id="mt-h">Meetings</h2>${meetings}</section>`;
}

export function settingsBody(
  ws: Workspace,
  c: PageContext,
  channels: Array<{ id: string; name: string }>,
  submitted: Partial<Record<SettingsField, string>> | null,
  errors: Partial<Record<SettingsField, string>>,
): Html {
  const values = { ...settingsFormValues(ws), ...(submitted ?? {}) };
  const field = (name: SettingsField) => {
    const f = SETTINGS_FORM.find((x) => x.name === name);
    if (!f) return html``;
    const id = `f-${f.name}`;
    const err = errors[f.name];
    const describedBy = [f.hint ? `${id}-hint` : "", err ? `${id}-err` : ""].filter(Boolean).join(" ");
    const aria = html`${describedBy ? html` aria-describedby="${describedBy}"` : ""}${err ? html` aria-invalid="true"` : ""}`;
    const value = values[f.name] ?? "";
    let input: Html;
    switch (f.kind) {
      case "channel":
        input = html`<select id="${id}" name="${f.name}"${aria}><option value="">No digest</option>${channels.map(
          (ch) =>
            html`<option value="${ch.id}"${ch.id === value ? html` selected` : ""}>#${ch.name || ch.id}</option>`,
        )}${
          value && !channels.some((ch) => ch.id === value)
            ? html`<option value="${value}" selected>${value}</option>`
            : ""
        }</select>`;
        break;
      case "weekday":
        input = html`<select id="${id}" name="${f.name}"${aria}>${WEEKDAY_NAMES.map(
          (d, i) =>
            html`<option value="${i + 1}"${String(i + 1) === value ? html` selected` : ""}>${d}</option>`,
        )}</select>`;
        break;
      case "hour":
        input = html`<select id="${id}" name="${f.name}"${aria}>${hourChoices(f.min, f.max).map(
          (h) =>
            html`<option value="${h.value}"${h.value === value ? html` selected` : ""}>${h.label}</option>`,
        )}</select>`;
        break;
      case "timezone":
        input = html`<input id="${id}" name="${f.name}" list="zones" value="${value}" maxlength="${f.maxLength}" autocomplete="off"${aria}>`;
        break;
      case "number":
        input = html`<input id="${id}" name="${f.name}" inputmode="numeric" value="${value}" size="6"${aria}><span class="range">${f.min}–${f.max}</span>`;
        break;
      case "weekdays": {
        const on = new Set(value.split(/[\s,]+/));
        return html`<fieldset class="field${err ? " invalid" : ""}"${aria}><legend>${f.label}</legend>${WEEKDAY_NAMES.map(
          (d, i) =>
            html`<label class="check"><input type="checkbox" name="${f.name}" value="${i + 1}"${on.has(String(i + 1)) ? html` checked` : ""}> ${d}</label>`,
        )}<input type="hidden" name="${f.name}__present" value="1">${err ? html`<p class="error" id="${id}-err">${err}</p>` : ""}</fieldset>`;
      }
      case "domains":
        input = html`<textarea id="${id}" name="${f.name}" rows="2" maxlength="${f.maxLength + 200}"${aria}>${value}</textarea>`;
        break;
      case "clock":
        input = html`<input id="${id}" name="${f.name}" type="time" value="${value}"${aria}>`;
        break;
      case "switch":
        input = html`<select id="${id}" name="${f.name}"${aria}>${f.choices.map(
          (c) =>
            html`<option value="${c.value}"${c.value === value ? html` selected` : ""}>${c.label}</option>`,
        )}</select>`;
        break;
    }
    return html`<div class="field${err ? " invalid" : ""}"><label for="${id}">${f.label}</label>${input}${f.hint ? html`<p class="hint" id="${id}-hint">${f.hint}</p>` : ""}${err ? html`<p class="error" id="${id}-err">${err}</p>` : ""}</div>`;
  };
  const count = Object.keys(errors).length;
  return html`
${count ? html`<p class="notice error" role="alert">Nothing was saved: ${count === 1 ? "one field needs" : `${count} fields need`} a fix (see below).</p>` : ""}
<form method="post" action="${c.prefix}/settings" class="settings" novalidate>
<input type="hidden" name="_csrf" value="${c.csrf}">
${SETTINGS_SECTIONS.map(
  (section) =>
    html`<fieldset><legend>${section}</legend>${SETTINGS_FORM.filter((f) => f.section === section).map((f) => field(f.name))}</fieldset>`,
)}
<datalist id="zones">${timeZoneChoices(ws.timezone).map((z) => html`<option value="${z.value}">`)}</datalist>
<button type="submit" class="primary">Save settings</button>
</form>`;
}

export function myDataBody(d: MyData, c: PageContext): Html {
  const you = d.you;
  return html`
<section aria-labelledby="you-h"><h2 id="you-h">About you</h2>
<dl class="facts">
  <dt>Name</dt><dd>${you.displayName || you.realName || "(none kept)"}</dd>
  <dt>Email</dt><dd>${you.email ?? "(none kept)"}</dd>
  <dt>Time zone</dt><dd>${you.timeZone ?? "(the workspace's)"}</dd>
  <dt>Prompts</dt><dd id="pause-state">${you.optedOut ? "off: you asked me to forget you" : you.paused ? (you.pausedUntil ? `paused until ${formatWhen(you.pausedUntil, c.timeZone)}` : "paused until you resume") : "on"}</dd>
</dl>
<div class="actions">
${
  you.paused || you.optedOut
    ? html`<form method="post" action="${c.prefix}/me/resume"><input type="hidden" name="_csrf" value="${c.csrf}"><button type="submit">Resume prompts</button></form>`
    : html`<form method="post" action="${c.prefix}/me/pause"><input type="hidden" name="_csrf" value="${c.csrf}"><label for="pause-days">Pause for</label> <select id="pause-days" name="days"><option value="14">2 weeks</option><option value="30">30 days</option><option value="">until I resume</option></select> <button type="submit">Pause prompts</button></form>`
}
<a class="button" href="${c.prefix}/me.json" download="take-it-offline-my-data.json">Download my data (JSON)</a>
</div>
</section>
<section aria-labelledby="m-h"><h2 id="m-h">Who you mentioned</h2>
<p class="lead">Only who mentioned whom and when is stored, never the messages.</p>
${
  d.mentions.length
    ? html`<div class="scroll"><table><caption>Your mentions by contact</caption><thead><tr><th scope="col">Contact</th><th scope="col">Mentions</th><th scope="col">Last</th></tr></thead><tbody>${d.mentions.map(
        (m) =>
          html`<tr><th scope="row">${m.contact}</th><td>${m.count}</td><td>${day(m.lastAt, c.timeZone)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>None.</p>`
}
</section>
<section aria-labelledby="p-h"><h2 id="p-h">Prompts and lunches</h2>
${
  d.prompts.length
    ? html`<div class="scroll"><table><caption>Prompts I sent you</caption><thead><tr><th scope="col">Contact</th><th scope="col">Answer</th><th scope="col">Sent</th></tr></thead><tbody>${d.prompts.map(
        (p) =>
          html`<tr><th scope="row">${p.contact}</th><td>${p.status}</td><td>${day(p.sentAt ?? p.createdAt, c.timeZone)}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>No prompts.</p>`
}
${
  d.lunches.length
    ? html`<div class="scroll"><table><caption>Your lunches</caption><thead><tr><th scope="col">Contact</th><th scope="col">You were</th><th scope="col">When</th><th scope="col">Where</th><th scope="col">Status</th></tr></thead><tbody>${d.lunches.map(
        (l) =>
          html`<tr><th scope="row">${l.contact}</th><td>${l.role}</td><td>${l.scheduledFor ? formatWhen(l.scheduledFor, c.timeZone) : "no date yet"}</td><td>${l.place ?? "—"}</td><td>${LUNCH_STATUS[l.status] ?? l.status}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>No lunches.</p>`
}
</section>
<section aria-labelledby="f-h" class="danger"><h2 id="f-h">Forget me</h2>
<p>Deletes your mentions, prompts, lunches and meetings, and stops tracking your messages. It can't be undone.</p>
<form method="post" action="${c.prefix}/me/forget">
<input type="hidden" name="_csrf" value="${c.csrf}">
<label class="check"><input type="checkbox" name="confirm" value="yes" required> I understand: delete everything about me</label>
<button type="submit" class="danger">Delete my data</button>
</form>
</section>`;
}

export function signInBody(
  providers: Array<{ name: string; label: string }>,
  prefix: string,
  error: string | null,
): Html {
  return html`
${error ? html`<p class="notice error" role="alert">${error}</p>` : ""}
<p class="lead">Sign in with the account you use in your team's chat. You'll see your own workspace only.</p>
${
  providers.length
    ? html`<ul class="signin">${providers.map(
        (p) =>
          html`<li><a class="button primary" href="${prefix}/auth/${p.name}">Sign in with ${p.label}</a></li>`,
      )}</ul>`
    : html`<p>No sign-in is configured: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET, or MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD.</p>`
}`;
}

/**
 * The Teams tab's first page: its script signs in with the token Teams gives it and moves on to
 * the overview. What shows when that fails: why, and the way out (the dashboard in a browser).
 */
export function teamsTabBody(prefix: string, configured: boolean, popup: boolean): Html {
  return html`
<p id="tab-status" class="lead" role="status">${configured ? "Signing you in with your Teams account…" : "Teams sign-in is not configured on this server."}</p>
<div id="tab-failed" class="notice error" role="alert"${configured ? new Html(" hidden") : ""}>
  <p id="tab-reason">${configured ? "" : "The administrator sets MICROSOFT_APP_ID and exposes the app's API in Entra (see the README's Teams tab section)."}</p>
  <p>If your administrator hasn't set up single sign-on for this app yet (in Entra: expose the API api://this-host/app-id with the access_as_user scope and pre-authorize the Teams clients), open the dashboard in your browser instead.</p>
  <p><button type="button" id="tab-retry">Try again</button>${popup ? html` <button type="button" id="tab-popup">Sign in with Microsoft in a pop-up</button>` : ""} <a class="button" href="${prefix}/" target="_blank" rel="noopener">Open the dashboard in your browser</a></p>
</div>`;
}

/** The end of the Teams tab's pop-up sign-in: its script hands the one-time token to the tab. */
export function teamsPopupBody(token: string): Html {
  return html`
<p class="lead" role="status" id="tab-status">Signed in. This window closes by itself.</p>
${jsonBlock("tab-result", { token })}`;
}
