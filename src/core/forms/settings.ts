// The workspace settings form, for every platform: the field list both the Slack modal and the
// Teams card are built from, and the one parser of what comes back. Adding a setting means one
// entry here (and its limits in SETTINGS_LIMITS); every platform then shows and saves it.

import { minutesOfDay } from "../calendar/slots.ts";
import type { WorkspacePatch } from "../ports.ts";
import { SETTINGS_LIMITS, type WorkspaceSettings, workspaceSettingsSchema } from "../settings.ts";
import { isValidTimeZone } from "../time.ts";
import type { Workspace } from "../types.ts";
import { type FieldErrors, type FormResult, type RawValue, rawList, rawText } from "./result.ts";

type NumericSetting = {
  [K in keyof WorkspaceSettings]: WorkspaceSettings[K] extends number ? K : never;
}[keyof WorkspaceSettings];

type SwitchSetting = {
  [K in keyof WorkspaceSettings]: WorkspaceSettings[K] extends boolean ? K : never;
}[keyof WorkspaceSettings];

export type SettingsField =
  | "digestChannel"
  | "digestDay"
  | "digestHour"
  | "timezone"
  | keyof WorkspaceSettings;

interface FieldBase<N extends SettingsField> {
  name: N;
  label: string;
  hint?: string;
  /** The heading the field is shown under. */
  section: SettingsSection;
}

export type SettingsFieldDef =
  /** A channel the bot can post in; empty = no digest. */
  | (FieldBase<"digestChannel"> & { kind: "channel" })
  /** One ISO weekday, 1 = Monday. */
  | (FieldBase<"digestDay"> & { kind: "weekday" })
  /** A whole hour of the day. */
  | (FieldBase<"digestHour" | "workingHourStart" | "workingHourEnd"> & {
      kind: "hour";
      min: number;
      max: number;
    })
  | (FieldBase<"timezone"> & { kind: "timezone"; maxLength: number })
  | (FieldBase<Exclude<NumericSetting, "workingHourStart" | "workingHourEnd">> & {
      kind: "number";
      min: number;
      max: number;
    })
  /** A local time of day, "HH:MM". */
  | (FieldBase<"lunchStart" | "lunchEnd"> & { kind: "clock" })
  /** Several ISO weekdays. */
  | (FieldBase<"workingDays" | "lunchDays"> & { kind: "weekdays" })
  | (FieldBase<"internalDomains"> & { kind: "domains"; maxItems: number; maxLength: number })
  /** On or off, picked from two choices whose values are "true" and "false". */
  | (FieldBase<SwitchSetting> & { kind: "switch"; choices: readonly FormChoice[] });

export const SETTINGS_SECTIONS = [
  "Weekly digest",
  "When to suggest lunch",
  "Lunch hours",
  "New names",
  "Privacy",
] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const L = SETTINGS_LIMITS;
const range = <K extends keyof typeof L>(key: K) => ({ min: L[key].min, max: L[key].max });

/** Every setting an admin can change, in the order the form shows them. */
export const SETTINGS_FORM: readonly SettingsFieldDef[] = [
  {
    name: "digestChannel",
    kind: "channel",
    section: "Weekly digest",
    label: "Digest channel",
    hint: "Where the weekly digest is posted (none: no digest). Add me to a private channel first.",
  },
  { name: "digestDay", kind: "weekday", section: "Weekly digest", label: "Day" },
  { name: "digestHour", kind: "hour", section: "Weekly digest", label: "Hour", ...range("digestHour") },
  {
    name: "timezone",
    kind: "timezone",
    section: "Weekly digest",
    label: "Time zone",
    hint: "Used for the digest and as the default for people.",
    maxLength: L.timezoneText.max,
  },
  {
    name: "digestTopN",
    kind: "number",
    section: "Weekly digest",
    label: "Contacts the coverage figure looks at",
    hint: "The most-discussed contacts that count for “met in person” coverage.",
    ...range("digestTopN"),
  },
  {
    name: "coverageDays",
    kind: "number",
    section: "Weekly digest",
    label: "…met in person within this many days",
    ...range("coverageDays"),
  },
  {
    name: "mentionThreshold",
    kind: "number",
    section: "When to suggest lunch",
    label: "Mentions before a suggestion",
    ...range("mentionThreshold"),
  },
  {
    name: "mentionWindowDays",
    kind: "number",
    section: "When to suggest lunch",
    label: "…within this many days",
    ...range("mentionWindowDays"),
  },
  {
    name: "weeklyCapPerMember",
    kind: "number",
    section: "When to suggest lunch",
    label: "Suggestions per person per week",
    ...range("weeklyCapPerMember"),
  },
  {
    name: "pairCooldownDays",
    kind: "number",
    section: "When to suggest lunch",
    label: "Days before suggesting the same person again",
    ...range("pairCooldownDays"),
  },
  {
    name: "recentlyMetDays",
    kind: "number",
    section: "When to suggest lunch",
    label: "Days of quiet after someone meets a contact",
    hint: "No suggestions about a contact met in person this recently.",
    ...range("recentlyMetDays"),
  },
  {
    name: "workingDays",
    kind: "weekdays",
    section: "When to suggest lunch",
    label: "Working days (prompts are only sent then)",
  },
  {
    name: "workingHourStart",
    kind: "hour",
    section: "When to suggest lunch",
    label: "Working hours start",
    ...range("workingHourStart"),
  },
  {
    name: "workingHourEnd",
    kind: "hour",
    section: "When to suggest lunch",
    label: "Working hours end",
    ...range("workingHourEnd"),
  },
  {
    name: "lunchStart",
    kind: "clock",
    section: "Lunch hours",
    label: "Lunch can start at",
    hint: "For lunch times suggested from connected calendars, in the organizer's time zone.",
  },
  { name: "lunchEnd", kind: "clock", section: "Lunch hours", label: "…and must end by" },
  {
    name: "lunchMinutes",
    kind: "number",
    section: "Lunch hours",
    label: "Lunch length (minutes)",
    ...range("lunchMinutes"),
  },
  { name: "lunchDays", kind: "weekdays", section: "Lunch hours", label: "Days people go to lunch" },
  {
    name: "candidateThreshold",
    kind: "number",
    section: "New names",
    label: "Mentions before a new name is tracked",
    ...range("candidateThreshold"),
  },
  {
    name: "candidateMinTeammates",
    kind: "number",
    section: "New names",
    label: "…from at least this many teammates",
    ...range("candidateMinTeammates"),
  },
  {
    name: "internalDomains",
    kind: "domains",
    section: "New names",
    label: "Internal email domains",
    hint: "Your own domains, comma- or line-separated: people at these are teammates, never contacts.",
    maxItems: L.internalDomains.max,
    maxLength: L.internalDomainsText.max,
  },
  {
    name: "retentionDays",
    kind: "number",
    section: "Privacy",
    label: "Days to keep mentions",
    hint: "Older mentions are deleted.",
    ...range("retentionDays"),
  },
  {
    name: "calendarsEnabled",
    kind: "switch",
    section: "Privacy",
    label: "Calendars",
    hint: "People may connect their own calendar: free/busy for lunch times, invites, meetings with contacts noticed.",
    choices: [
      { label: "People may connect their calendar", value: "true" },
      { label: "Off for the whole workspace", value: "false" },
    ],
  },
];

/** One entry of a pick list: what a person reads, and the raw string the parser gets back. */
export interface FormChoice {
  label: string;
  value: string;
}

/** An hour field's choices: "00:00" … "23:00" (within the field's range), valued by the hour. */
export function hourChoices(min: number, max: number): FormChoice[] {
  return Array.from({ length: max - min + 1 }, (_, i) => ({
    label: `${String(min + i).padStart(2, "0")}:00`,
    value: String(min + i),
  }));
}

/** "UTC" is stored as "not set yet"; the form shows (and saves) it as the explicit Etc/UTC. */
const UTC_CHOICE: FormChoice = { label: "UTC", value: "Etc/UTC" };

/**
 * Zones the runtime (ICU) still lists under their old names, by their current IANA names, so a
 * person finds Kyiv or Kolkata. Both names are valid zones and behave the same.
 */
const RENAMED_ZONES: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Godthab": "America/Nuuk",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

const currentName = (zone: string) => {
  const renamed = RENAMED_ZONES[zone];
  return renamed && isValidTimeZone(renamed) ? renamed : zone;
};

/**
 * The time zone field's choices: UTC, then every IANA zone this runtime knows (region/city, as
 * Intl lists them), plus `current` when it is a zone the list lacks (an alias like Asia/Calcutta).
 */
export function timeZoneChoices(current?: string): FormChoice[] {
  const zones = Intl.supportedValuesOf("timeZone")
    .filter((z) => z !== UTC_CHOICE.value)
    .map(currentName)
    .map((z) => ({ label: z.replaceAll("_", " "), value: z }));
  const selected = current === undefined ? undefined : timeZoneChoiceValue(current);
  const extra =
    selected &&
    selected !== UTC_CHOICE.value &&
    isValidTimeZone(selected) &&
    !zones.some((z) => z.value === selected)
      ? [{ label: selected.replaceAll("_", " "), value: selected }]
      : [];
  return [UTC_CHOICE, ...extra, ...zones];
}

/** The choice a stored zone selects ("UTC", the unset default, is the UTC choice). */
export function timeZoneChoiceValue(timezone: string): string {
  return timezone.toUpperCase() === "UTC" ? UTC_CHOICE.value : currentName(timezone);
}

export const SETTINGS_FIELD_NAMES: readonly SettingsField[] = SETTINGS_FORM.map((f) => f.name);

/** What the form edits: the workspace's digest columns and its policy settings. */
export type SettingsFormCurrent = Pick<
  Workspace,
  "digestChannel" | "digestDay" | "digestHour" | "timezone" | "settings"
>;

export type RawSettingsForm = Partial<Record<SettingsField, RawValue>>;

/** The form's fields as the strings an input shows: what both platforms prefill. */
export function settingsFormValues(current: SettingsFormCurrent): Record<SettingsField, string> {
  const s = current.settings;
  const values = {} as Record<SettingsField, string>;
  for (const f of SETTINGS_FORM) {
    switch (f.name) {
      case "digestChannel":
        values[f.name] = current.digestChannel ?? "";
        break;
      case "digestDay":
      case "digestHour":
        values[f.name] = String(current[f.name]);
        break;
      case "timezone":
        values[f.name] = current.timezone;
        break;
      case "workingDays":
      case "lunchDays":
        values[f.name] = s[f.name].join(",");
        break;
      case "lunchStart":
      case "lunchEnd":
        values[f.name] = s[f.name];
        break;
      case "internalDomains":
        values[f.name] = s.internalDomains.join(", ");
        break;
      default:
        values[f.name] = String(s[f.name]);
    }
  }
  return values;
}

export interface SettingsFormOptions {
  /** Whether a channel id may be chosen (the platform's id shape, or the channels it knows). */
  isChannel?: (id: string) => boolean;
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const WHOLE = /^[+-]?\d+$/;

function wholeNumber(text: string | undefined, min: number, max: number): number | null {
  const t = text?.trim() ?? "";
  if (!WHOLE.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * The settings form → a workspace patch (every field of the form, merged with the current values),
 * or one message per wrong field. A field the submission doesn't carry at all keeps its current
 * value; a field that is there but empty is an error (except the digest channel: empty = none).
 */
export function parseSettingsForm(
  raw: RawSettingsForm,
  current: SettingsFormCurrent,
  options: SettingsFormOptions = {},
): FormResult<WorkspacePatch, SettingsField> {
  const errors: FieldErrors<SettingsField> = {};
  const next: Record<string, unknown> = { ...current.settings };
  let digestChannel = current.digestChannel;
  let digestDay = current.digestDay;
  let digestHour = current.digestHour;
  let timezone = current.timezone;

  for (const f of SETTINGS_FORM) {
    const value = raw[f.name];
    if (value === undefined) continue;
    const text = rawText(value);
    switch (f.kind) {
      case "channel": {
        const id = text?.trim() ?? "";
        if (id && !(options.isChannel?.(id) ?? true)) errors[f.name] = "Pick a channel from the list.";
        else digestChannel = id || null;
        break;
      }
      case "weekday": {
        const n = wholeNumber(text, L.digestDay.min, L.digestDay.max);
        if (n === null) errors[f.name] = "Pick a day.";
        else digestDay = n;
        break;
      }
      case "hour":
      case "number": {
        const n = wholeNumber(text, f.min, f.max);
        if (n === null) errors[f.name] = `Enter a whole number from ${f.min} to ${f.max}.`;
        else if (f.name === "digestHour") digestHour = n;
        else next[f.name] = n;
        break;
      }
      case "timezone": {
        const tz = text?.trim() ?? "";
        if (!tz || tz.length > f.maxLength) errors[f.name] = "Pick a time zone from the list.";
        else if (!isValidTimeZone(tz))
          errors[f.name] =
            `${tz.slice(0, 64)} is not a time zone I know. Pick one from the list, like Europe/Berlin.`;
        // "UTC" is the stored default meaning "not set yet"; an explicit choice of UTC is kept as
        // Etc/UTC so it is never mistaken for the default and overwritten from an admin's profile.
        else timezone = tz.toUpperCase() === "UTC" ? "Etc/UTC" : tz;
        break;
      }
      case "clock": {
        // Teams may send seconds (HH:MM:SS); one-digit hours ("9:30") are read too.
        const t = (text?.trim() ?? "").replace(/^(\d{1,2}:\d{2}):\d{2}$/, "$1").padStart(5, "0");
        if (minutesOfDay(t) === null) errors[f.name] = "Enter a time like 11:30.";
        else next[f.name] = t;
        break;
      }
      case "weekdays": {
        const days = rawList(value).map((d) => wholeNumber(d, 1, 7));
        if (days.length === 0 || days.some((d) => d === null)) errors[f.name] = "Pick at least one day.";
        else next[f.name] = [...new Set(days as number[])].sort((a, b) => a - b);
        break;
      }
      case "switch": {
        const t = text?.trim() ?? "";
        if (!f.choices.some((c) => c.value === t)) errors[f.name] = "Pick one of the choices.";
        else next[f.name] = t === "true";
        break;
      }
      case "domains": {
        if ((text ?? "").length > f.maxLength) {
          errors[f.name] = `Keep the list under ${f.maxLength} characters.`;
          break;
        }
        const domains = [...new Set(rawList(value).map((d) => d.toLowerCase().replace(/^@/, "")))].filter(
          Boolean,
        );
        const bad = domains.find((d) => !DOMAIN.test(d));
        if (bad) errors[f.name] = `“${bad.slice(0, 80)}” is not a domain name like example.com.`;
        else if (domains.length > f.maxItems) errors[f.name] = `List at most ${f.maxItems} domains.`;
        else next[f.name] = domains;
        break;
      }
    }
  }
  if (
    !errors.workingHourStart &&
    !errors.workingHourEnd &&
    (next.workingHourEnd as number) <= (next.workingHourStart as number)
  ) {
    errors[raw.workingHourEnd !== undefined ? "workingHourEnd" : "workingHourStart"] =
      "Working hours must start before they end.";
  }
  if (!errors.lunchStart && !errors.lunchEnd && !errors.lunchMinutes) {
    const start = minutesOfDay(next.lunchStart as string) ?? 0;
    const end = minutesOfDay(next.lunchEnd as string) ?? 0;
    const at = raw.lunchEnd !== undefined ? "lunchEnd" : "lunchStart";
    if (end <= start) errors[at] = "Lunch hours must start before they end.";
    else if (end - start < (next.lunchMinutes as number))
      errors[raw.lunchMinutes !== undefined ? "lunchMinutes" : at] =
        `A ${next.lunchMinutes}-minute lunch doesn't fit between ${next.lunchStart} and ${next.lunchEnd}.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const settings = workspaceSettingsSchema.safeParse(next);
  if (!settings.success) {
    // The checks above mirror the schema, so this only fires if the two drift apart.
    const issue = settings.error.issues[0];
    const field = SETTINGS_FIELD_NAMES.find((n) => n === issue?.path[0]) ?? "mentionThreshold";
    return { ok: false, errors: { [field]: issue?.message ?? "Invalid value." } };
  }
  return { ok: true, value: { digestChannel, digestDay, digestHour, timezone, settings: settings.data } };
}
