// Adaptive Card (1.5) renderers. They lay out what the core decided (Prompt, ActionOutcome,
// DigestView, settings); no wording decisions about the product live here beyond labels.

import type { ActionOutcome, Prompt } from "../../app/service.ts";
import { LIMITS } from "../../core/commands.ts";
import type { DigestView } from "../../core/digest.ts";
import { plural } from "../../core/format.ts";
import { INITIAL_LUNCH_TIME, LUNCH_FIELDS, LUNCH_REQUIRED, type LunchField } from "../../core/forms/lunch.ts";
import type { FieldErrors } from "../../core/forms/result.ts";
import {
  hourChoices,
  SETTINGS_FORM,
  type SettingsField,
  type SettingsFieldDef,
  settingsFormValues,
  timeZoneChoices,
  timeZoneChoiceValue,
  WEEKDAY_NAMES,
} from "../../core/forms/settings.ts";
import { digestDoc } from "../../core/messages/digest.ts";
import {
  LUNCH_FORM_TEXT,
  type LunchSlotOffer,
  slotChoices,
  slotNotice,
} from "../../core/messages/lunch-form.ts";
import { outcomeDoc, promptDoc } from "../../core/messages/prompt.ts";
import { PROMPT_TEAMMATES } from "../../core/prompt-text.ts";
import type { Workspace } from "../../core/types.ts";
import { docCard } from "./render-doc.ts";
import { type LunchCancelData, type LunchData, NO_CHANNEL, type SettingsData } from "./submit.ts";
import { escapeTeamsMarkdown as md, teamsPlainText, toTeamsMarkdown } from "./text.ts";

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
  /** The message as plain text, for clients that can't draw the card. */
  fallbackText?: string;
  body: CardElement[];
  actions?: CardElement[];
  msteams?: { width: "Full" };
}

type SubmitData = LunchData | LunchCancelData | SettingsData;

function card(body: CardElement[], actions: CardElement[] = [], wide = false): AdaptiveCard {
  return {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: CARD_VERSION,
    fallbackText: plainOfBody(body),
    body,
    ...(actions.length ? { actions } : {}),
    ...(wide ? { msteams: { width: "Full" as const } } : {}),
  };
}

/** Forms and settings cards: their TextBlocks as plain lines, for clients that can't draw cards. */
function plainOfBody(body: readonly CardElement[]): string {
  return body
    .flatMap((el) =>
      el.type === "TextBlock" && typeof el.text === "string"
        ? [el.text.replace(/\*\*/g, "").replace(/\\(.)/g, "$1")]
        : [],
    )
    .map(teamsPlainText)
    .join("\n");
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

function submit(label: string, data: SubmitData, style?: "positive" | "destructive"): CardElement {
  return { type: "Action.Submit", title: label, data, ...(style ? { style } : {}) };
}

/** A button that leaves the form: it sends none of the inputs, so required ones don't block it. */
function leave(label: string, data: SubmitData): CardElement {
  return { type: "Action.Submit", title: label, data, associatedInputs: "none" };
}

// ---------------------------------------------------------------------------------------------
// prompts (DMs) and outcomes: the core's documents (core/messages), laid out by render-doc.ts

export function promptCard(prompt: Prompt): AdaptiveCard {
  return docCard(promptDoc(prompt));
}

/** Replaces a prompt after its button was used: the outcome, and no buttons left to press. */
export function outcomeCard(outcome: Pick<ActionOutcome, "text">, heading?: string): AdaptiveCard {
  return docCard(outcomeDoc(outcome.text, heading));
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
  /** Free times from the calendars (app/lunch-slots.ts); absent: calendars aren't mentioned. */
  slots?: LunchSlotOffer;
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
  const slotOptions = form.slots ? slotChoices(form.slots) : [];
  const notice = form.slots ? slotNotice(form.slots) : null;
  if (notice) body.push(text(toTeamsMarkdown(notice), { isSubtle: true, size: "Small" }));
  if (slotOptions.length) {
    // Radio buttons, the first free slot picked; a slot typed before a refusal stays picked.
    const picked = slotOptions.find((o) => o.value === v.slot)?.value ?? slotOptions[0]?.value;
    body.push(
      ...field(
        {
          type: "Input.ChoiceSet",
          id: LUNCH_FIELDS.slot,
          label: LUNCH_FORM_TEXT.slotLabel,
          style: "expanded",
          isRequired: true,
          errorMessage: LUNCH_FORM_TEXT.slotLabel,
          ...(picked ? { value: picked } : {}),
          choices: slotOptions.map((o) => ({ title: o.label, value: o.value })),
        },
        e.slot,
      ),
    );
  } else if (e.slot) body.push(text(md(e.slot), { color: "Attention" }));
  const date = v.date ?? form.initialDate;
  body.push(
    ...field(
      {
        type: "Input.Date",
        id: LUNCH_FIELDS.date,
        label: LUNCH_FORM_TEXT.dateLabel,
        isRequired: true,
        errorMessage: LUNCH_REQUIRED.date,
        min: form.today,
        ...(date ? { value: date } : {}),
      },
      e.date,
    ),
    ...field(
      {
        type: "Input.Time",
        id: LUNCH_FIELDS.time,
        label: LUNCH_FORM_TEXT.timeLabel,
        isRequired: true,
        errorMessage: LUNCH_REQUIRED.time,
        value: v.time ?? INITIAL_LUNCH_TIME,
      },
      e.time,
      slotOptions.length ? LUNCH_FORM_TEXT.otherHint : undefined,
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
  const ids = { nudgeId: form.nudgeId, contactId: form.contactId };
  return card(body, [
    submit("Plan lunch", { tio: "lunch", ...ids }, "positive"),
    // Back to the prompt (its other buttons with it), or away from a form the digest opened.
    leave("Cancel", { tio: "lunch-cancel", ...ids }),
  ]);
}

// ---------------------------------------------------------------------------------------------
// settings

const WEEKDAYS = WEEKDAY_NAMES;

/** A channel the settings card offers: its name, or a readable stand-in when Teams never gave one. */
export interface SettingsChannel {
  channelId: string;
  name: string;
  /** The team the channel belongs to (a team's General channel has the team's id). */
  teamId?: string | null;
}

/** What the digest channel choice reads: the channel's name, never a bare conversation id. */
export function channelLabel(c: SettingsChannel): string {
  if (c.name.trim()) return c.name.trim();
  if (c.teamId && c.teamId === c.channelId) return "General";
  // "19:abc…@thread.tacv2" → "19:abc…" (indexOf, not a pattern: see test/adversarial/redos.test.ts).
  const at = c.channelId.indexOf("@thread.");
  const id = at >= 0 ? c.channelId.slice(0, at) : c.channelId;
  return `A channel (id ${id.length > 16 ? `${id.slice(0, 15)}…` : id})`;
}

const choices = (list: ReadonlyArray<{ label: string; value: string }>) =>
  list.map((c) => ({ title: c.label, value: c.value }));

/** One field of the core's settings form as an Adaptive Card input showing `value`. */
function settingsInput(
  f: SettingsFieldDef,
  value: string,
  channels: readonly SettingsChannel[],
): CardElement {
  const days = WEEKDAYS.map((name, i) => ({ title: name, value: String(i + 1) }));
  const base = { id: f.name, label: f.label };
  switch (f.kind) {
    case "channel":
      // Adaptive Cards refuse an empty choice value: "no digest" is NO_CHANNEL (submit.ts maps it back).
      return {
        type: "Input.ChoiceSet",
        ...base,
        value: value || NO_CHANNEL,
        choices: [
          { title: "Nowhere (no digest)", value: NO_CHANNEL },
          ...channels.map((c) => ({ title: channelLabel(c), value: c.channelId })),
        ],
      };
    case "weekday":
      return { type: "Input.ChoiceSet", ...base, value, choices: days };
    case "hour":
      return { type: "Input.ChoiceSet", ...base, value, choices: choices(hourChoices(f.min, f.max)) };
    case "clock":
      return { type: "Input.Time", ...base, ...(value ? { value } : {}) };
    case "switch":
      return { type: "Input.ChoiceSet", ...base, value, choices: choices(f.choices) };
    case "number": {
      // Input.Number takes a number; a value the user mistyped is dropped (its error says why).
      const n = Number(value);
      return {
        type: "Input.Number",
        ...base,
        min: f.min,
        max: f.max,
        ...(value.trim() !== "" && Number.isFinite(n) ? { value: n } : {}),
      };
    }
    case "timezone": {
      // Type to filter: some 400 zones are too many to scroll.
      const zone = timeZoneChoiceValue(value);
      return {
        type: "Input.ChoiceSet",
        ...base,
        style: "filtered",
        value: zone,
        choices: choices(timeZoneChoices(zone)),
      };
    }
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
  channels: readonly SettingsChannel[],
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

export function digestCard(view: DigestView): AdaptiveCard {
  return docCard(digestDoc(view), { wide: true });
}
