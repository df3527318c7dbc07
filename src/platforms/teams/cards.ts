// Adaptive Card (1.5) renderers. They lay out what the core decided (Prompt, ActionOutcome,
// DigestView, settings); no wording decisions about the product live here beyond labels.

import type { ActionOutcome, Prompt } from "../../app/service.ts";
import { LIMITS } from "../../core/commands.ts";
import {
  DIGEST_HEADINGS,
  type DigestContactView,
  type DigestLunchView,
  type DigestView,
} from "../../core/digest.ts";
import { joinNames, plural } from "../../core/format.ts";
import { INITIAL_LUNCH_TIME, LUNCH_FIELDS, type LunchField } from "../../core/forms/lunch.ts";
import type { FieldErrors } from "../../core/forms/result.ts";
import {
  SETTINGS_FORM,
  type SettingsField,
  type SettingsFieldDef,
  settingsFormValues,
  WEEKDAY_NAMES,
} from "../../core/forms/settings.ts";
import {
  followUpTitle,
  lunchPromptTitle,
  PRIVACY_LINE,
  PROMPT_LABELS,
  PROMPT_TEAMMATES,
} from "../../core/prompt-text.ts";
import type { Workspace } from "../../core/types.ts";
import type { FollowUpData, LunchData, NudgeData, SettingsData } from "./submit.ts";
import { escapeTeamsMarkdown as md, toTeamsMarkdown } from "./text.ts";

// TextBlock and FactSet text is markdown: every person's string (names, places, organizations,
// workspace and channel names) goes through md(); core markup (outcome texts) through
// toTeamsMarkdown. Input labels, choice titles and button titles are plain text in Adaptive Cards.

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
export const CARD_VERSION = "1.5";

export interface CardElement {
  type: string;
  [key: string]: unknown;
}

export interface AdaptiveCard {
  $schema: string;
  type: "AdaptiveCard";
  version: typeof CARD_VERSION;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: "Full" };
}

type SubmitData = NudgeData | LunchData | FollowUpData | SettingsData;

function card(body: CardElement[], actions: CardElement[] = [], wide = false): AdaptiveCard {
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: CARD_VERSION,
    body,
    ...(actions.length ? { actions } : {}),
    ...(wide ? { msteams: { width: "Full" as const } } : {}),
  };
}

function text(value: string, opts: Record<string, unknown> = {}): CardElement {
  return { type: "TextBlock", text: value, wrap: true, ...opts };
}

function title(value: string): CardElement {
  return text(value, { weight: "Bolder", size: "Medium" });
}

function heading(value: string): CardElement {
  return text(value, { weight: "Bolder", spacing: "Medium", separator: true });
}

/** An action Teams shows under "…" (Adaptive Cards 1.5 `mode`). */
function secondary(action: CardElement): CardElement {
  return { ...action, mode: "secondary" };
}

function submit(label: string, data: SubmitData, style?: "positive" | "destructive"): CardElement {
  return { type: "Action.Submit", title: label, data, ...(style ? { style } : {}) };
}

// ---------------------------------------------------------------------------------------------
// prompts (DMs)

export function promptCard(prompt: Prompt): AdaptiveCard {
  switch (prompt.kind) {
    case "lunch": {
      const nudge = (action: NudgeData["action"]): NudgeData => ({
        tio: "nudge",
        nudgeId: prompt.nudgeId,
        action,
      });
      const body = [title(lunchPromptTitle(md(prompt.contactName)))];
      if (prompt.organization) body.push(text(md(prompt.organization), { isSubtle: true, spacing: "None" }));
      // The reason (from the core) names at most three teammates, the ones the lunch form preselects.
      body.push(text(md(prompt.reason)));
      body.push(text(toTeamsMarkdown(PRIVACY_LINE), { isSubtle: true, size: "Small" }));
      // One action in view; Teams puts secondary ones under "…", so no label is cut off at 320 px.
      return card(body, [
        submit(PROMPT_LABELS.plan, nudge("plan"), "positive"),
        secondary(submit(PROMPT_LABELS.snooze, nudge("snooze"))),
        secondary(submit(PROMPT_LABELS.met, nudge("met"))),
        secondary(submit(PROMPT_LABELS.notContact, nudge("not-contact"))),
      ]);
    }
    case "candidate": {
      const nudge = (action: NudgeData["action"]): NudgeData => ({
        tio: "nudge",
        nudgeId: prompt.nudgeId,
        action,
      });
      return card(
        [title(md(prompt.question)), text(md(prompt.reason))],
        [
          submit(PROMPT_LABELS.track, nudge("track"), "positive"),
          submit(PROMPT_LABELS.ignore, nudge("ignore")),
        ],
      );
    }
    case "follow-up": {
      const details = [prompt.when, prompt.place ? `at ${prompt.place}` : null].filter(Boolean).join(" ");
      const body = [title(followUpTitle(md(prompt.contactName)))];
      if (details) body.push(text(md(details), { isSubtle: true }));
      return card(body, [
        submit(
          PROMPT_LABELS.followUpYes,
          { tio: "followup", lunchId: prompt.lunchId, happened: true },
          "positive",
        ),
        submit(PROMPT_LABELS.followUpNo, { tio: "followup", lunchId: prompt.lunchId, happened: false }),
      ]);
    }
  }
}

/** Replaces a prompt after its button was used: the outcome, and no buttons left to press. */
export function outcomeCard(outcome: Pick<ActionOutcome, "text">, heading?: string): AdaptiveCard {
  return card([...(heading ? [title(heading)] : []), text(toTeamsMarkdown(outcome.text))]);
}

export interface LunchFormData {
  nudgeId: string | null;
  contactId: string;
  contactName: string;
  teammates: Array<{ platformUserId: string; name: string }>;
  /** YYYY-MM-DD in the organizer's zone: the earliest date the picker offers. */
  today: string;
  /** YYYY-MM-DD the date field opens with (the next weekday); default: none. */
  initialDate?: string;
}

/** What the user typed, shown again with the errors when a submission is refused. */
export interface FormState<F extends string> {
  values?: Partial<Record<F, string>>;
  errors?: FieldErrors<F>;
  /** A problem with the whole form (not one field), shown at the top. */
  error?: string;
}

/** An input followed by its error, if any (Adaptive Cards show an input's errorMessage only for its own checks). */
function field(input: CardElement, error: string | undefined, hint?: string): CardElement[] {
  return [
    input,
    ...(hint ? [text(hint, { isSubtle: true, size: "Small", spacing: "None" })] : []),
    ...(error ? [text(toTeamsMarkdown(error), { color: "Attention", spacing: "None" })] : []),
  ];
}

export function lunchFormCard(form: LunchFormData, state: FormState<LunchField> = {}): AdaptiveCard {
  const v = state.values ?? {};
  const e = state.errors ?? {};
  const body: CardElement[] = [title(`Plan lunch with ${md(form.contactName)}`)];
  if (state.error) body.push(text(toTeamsMarkdown(state.error), { color: "Attention" }));
  const date = v.date ?? form.initialDate;
  body.push(
    ...field(
      {
        type: "Input.Date",
        id: LUNCH_FIELDS.date,
        label: "Date",
        isRequired: true,
        min: form.today,
        ...(date ? { value: date } : {}),
      },
      e.date,
    ),
    ...field(
      {
        type: "Input.Time",
        id: LUNCH_FIELDS.time,
        label: "Time",
        isRequired: true,
        value: v.time ?? INITIAL_LUNCH_TIME,
      },
      e.time,
    ),
    ...field(
      {
        type: "Input.Text",
        id: LUNCH_FIELDS.place,
        label: "Place",
        placeholder: "Cafe Nord",
        maxLength: LIMITS.place,
        ...(v.place ? { value: v.place } : {}),
      },
      e.place,
    ),
  );
  if (form.teammates.length) {
    // A fresh form preselects the teammates the prompt named (most active first), as Slack's does.
    const withValue =
      v.with ??
      (state.values
        ? undefined
        : form.teammates
            .slice(0, PROMPT_TEAMMATES)
            .map((t) => t.platformUserId)
            .join(","));
    body.push(
      ...field(
        {
          type: "Input.ChoiceSet",
          id: LUNCH_FIELDS.with,
          label: `Teammates who also talk about ${form.contactName}`,
          isMultiSelect: true,
          ...(withValue ? { value: withValue } : {}),
          choices: form.teammates.map((t) => ({
            title: t.name || t.platformUserId,
            value: t.platformUserId,
          })),
        },
        e.with,
      ),
    );
  } else if (e.with) body.push(text(e.with, { color: "Attention" }));
  return card(body, [
    submit("Plan lunch", { tio: "lunch", nudgeId: form.nudgeId, contactId: form.contactId }, "positive"),
  ]);
}

// ---------------------------------------------------------------------------------------------
// settings

const WEEKDAYS = WEEKDAY_NAMES;

/** One field of the core's settings form as an Adaptive Card input showing `value`. */
function settingsInput(
  f: SettingsFieldDef,
  value: string,
  channels: Array<{ channelId: string; name: string }>,
): CardElement {
  const days = WEEKDAYS.map((name, i) => ({ title: name, value: String(i + 1) }));
  const base = { id: f.name, label: f.label };
  // Input.Number takes a number; a value the user mistyped is dropped (its error says why).
  const number = (min: number, max: number): CardElement => {
    const n = Number(value);
    return {
      type: "Input.Number",
      ...base,
      min,
      max,
      ...(value.trim() !== "" && Number.isFinite(n) ? { value: n } : {}),
    };
  };
  switch (f.kind) {
    case "channel":
      return {
        type: "Input.ChoiceSet",
        ...base,
        value,
        choices: [
          { title: "Nowhere (no digest)", value: "" },
          ...channels.map((c) => ({ title: c.name || c.channelId, value: c.channelId })),
        ],
      };
    case "weekday":
      return { type: "Input.ChoiceSet", ...base, value, choices: days };
    case "hour":
    case "number":
      return number(f.min, f.max);
    case "timezone":
      return { type: "Input.Text", ...base, value, maxLength: f.maxLength };
    case "weekdays":
      return { type: "Input.ChoiceSet", ...base, isMultiSelect: true, value, choices: days };
    case "domains":
      return { type: "Input.Text", ...base, value, isMultiline: true, maxLength: f.maxLength };
  }
}

/**
 * The settings form: every field of the core's settings form, under its section heading. After a
 * refused save, `state` carries what the admin typed and the message for each field.
 */
export function settingsCard(
  ws: Workspace,
  channels: Array<{ channelId: string; name: string }>,
  state: FormState<SettingsField> = {},
): AdaptiveCard {
  const values = { ...settingsFormValues(ws), ...state.values };
  const errors = state.errors ?? {};
  const body: CardElement[] = [
    title(`Take It Offline settings for ${ws.name ? md(ws.name) : "this organization"}`),
  ];
  if (state.error) body.push(text(toTeamsMarkdown(state.error), { color: "Attention" }));
  let current: string | null = null;
  for (const f of SETTINGS_FORM) {
    if (f.section !== current) {
      current = f.section;
      body.push(heading(f.section));
    }
    body.push(...field(settingsInput(f, values[f.name], channels), errors[f.name], f.hint));
  }
  return card(body, [submit("Save settings", { tio: "settings" }, "positive")]);
}

export function settingsSavedCard(ws: Workspace, channelName: string | null): AdaptiveCard {
  const s = ws.settings;
  const digest = ws.digestChannel
    ? `Digest: ${WEEKDAYS[ws.digestDay - 1] ?? "?"}s at ${String(ws.digestHour).padStart(2, "0")}:00 (${md(ws.timezone)}) in ${channelName ? md(channelName) : "the chosen channel"}.`
    : "Digest: off (no channel).";
  return card([
    title("Settings saved"),
    text(digest),
    text(
      `Prompts after ${plural(s.mentionThreshold, "mention")}, at most ${s.weeklyCapPerMember} a week, ${s.workingDays.map((d) => WEEKDAYS[d - 1]?.slice(0, 3)).join(", ")} ${s.workingHourStart}:00–${s.workingHourEnd}:00.`,
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------
// digest

const TREND: Record<DigestContactView["trend"], string> = { up: "↑", down: "↓", flat: "→", new: "new" };

function contactLine(c: DigestContactView): string {
  const met = c.lastMet ? `met ${c.lastMet}` : "never met";
  return `${plural(c.mentions, "mention")} · ${plural(c.teammates, "teammate")} · ${TREND[c.trend]} · ${met}`;
}

function lunchLine(l: DigestLunchView): string {
  const who = l.attendeeNames.length
    ? `${md(l.organizerName)} with ${joinNames(l.attendeeNames.map(md))}`
    : md(l.organizerName);
  const when = [l.when, l.place ? `at ${l.place}` : null].filter(Boolean).join(" ");
  return `**${md(l.contactName)}**: ${who}${when ? `, ${md(when)}` : ""}`;
}

function more(n: number): CardElement[] {
  return n > 0 ? [text(`…and ${n} more`, { isSubtle: true, spacing: "Small" })] : [];
}

export function digestCard(view: DigestView): AdaptiveCard {
  const body: CardElement[] = [
    text(view.title, { weight: "Bolder", size: "Large" }),
    text([view.workspaceName, view.periodLabel].filter(Boolean).map(md).join(" · "), {
      isSubtle: true,
      spacing: "None",
    }),
  ];
  if (view.isEmpty) body.push(text("A quiet week: no tracked contacts discussed, no lunches, no meetings."));
  if (view.topContacts.length) {
    body.push(
      heading(DIGEST_HEADINGS.topContacts),
      {
        type: "FactSet",
        facts: view.topContacts.map((c) => ({
          title: c.organization ? `${md(c.displayName)} (${md(c.organization)})` : md(c.displayName),
          value: contactLine(c),
        })),
      },
      ...more(view.moreTopContacts),
    );
  }
  if (view.onlineOnly.length) {
    body.push(
      heading(DIGEST_HEADINGS.onlineOnly),
      text(view.onlineOnly.map((c) => md(c.displayName)).join(", ")),
      ...more(view.moreOnlineOnly),
    );
  }
  if (view.lunchesPlanned.length) {
    body.push(
      heading(DIGEST_HEADINGS.lunchesPlanned),
      ...view.lunchesPlanned.map((l) => text(`- ${lunchLine(l)}`, { spacing: "Small" })),
    );
  }
  if (view.lunchesHeld.length) {
    body.push(
      heading(DIGEST_HEADINGS.lunchesHeld),
      ...view.lunchesHeld.map((l) => text(`- ${lunchLine(l)}`, { spacing: "Small" })),
    );
  }
  if (view.tookItOffline.length) {
    body.push(
      heading(DIGEST_HEADINGS.tookItOffline),
      ...view.tookItOffline.map((m) =>
        text(`- **${md(m.memberName)}** met ${joinNames(m.contactNames.map(md))}`, { spacing: "Small" }),
      ),
    );
  }
  body.push(heading(DIGEST_HEADINGS.coverage), {
    type: "ColumnSet",
    columns: [
      {
        type: "Column",
        width: "auto",
        items: [text(view.coverage.percentLabel, { size: "ExtraLarge", weight: "Bolder" })],
      },
      {
        type: "Column",
        width: "stretch",
        verticalContentAlignment: "Center",
        items: [text(md(view.coverage.summary))],
      },
    ],
  });
  return card(body, [], true);
}
