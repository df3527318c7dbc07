// Adaptive Card Action.Submit payloads. Teams posts a message activity whose `value` is the
// button's `data` merged with the card's input values (all strings). Anyone can craft such an
// activity, so every payload is parsed here before it reaches the core.
import { z } from "zod";
import type { LocalDateTime } from "../../core/commands.ts";
import type { WorkspacePatch } from "../../core/ports.ts";
import { type WorkspaceSettings, workspaceSettingsSchema } from "../../core/settings.ts";
import { isValidTimeZone } from "../../core/time.ts";
import type { Workspace } from "../../core/types.ts";

const ref = z.string().trim().min(1).max(100);
// Teams sends input values as strings; numbers are accepted too so other clients can't trip us.
const input = (max: number) =>
  z
    .union([z.string().max(max), z.number().finite()])
    .transform((v) => String(v))
    .optional();

export const NUDGE_ACTIONS = ["plan", "snooze", "met", "not-contact", "track", "ignore"] as const;

export const nudgeSubmitSchema = z.object({
  tio: z.literal("nudge"),
  nudgeId: ref,
  action: z.enum(NUDGE_ACTIONS),
});
export const lunchSubmitSchema = z.object({
  tio: z.literal("lunch"),
  nudgeId: ref.nullish(),
  contactId: ref,
  date: input(20),
  time: input(20),
  place: input(1000),
  /** Multi-select ChoiceSet: comma-separated user ids. */
  with: input(5000),
});
export const followUpSubmitSchema = z.object({
  tio: z.literal("followup"),
  lunchId: ref,
  happened: z.boolean(),
});
export const settingsSubmitSchema = z.object({
  tio: z.literal("settings"),
  digestChannel: input(500),
  digestDay: input(5),
  digestHour: input(10),
  timezone: input(100),
  mentionThreshold: input(10),
  weeklyCapPerMember: input(10),
  workingDays: input(50),
  workingHourStart: input(10),
  workingHourEnd: input(10),
  internalDomains: input(2000),
});

export const cardSubmitSchema = z.discriminatedUnion("tio", [
  nudgeSubmitSchema,
  lunchSubmitSchema,
  followUpSubmitSchema,
  settingsSubmitSchema,
]);
export type CardSubmit = z.infer<typeof cardSubmitSchema>;
/** What a card's button carries (before Teams merges the inputs in). */
export type NudgeData = z.input<typeof nudgeSubmitSchema>;
export type LunchData = Pick<z.input<typeof lunchSubmitSchema>, "tio" | "nudgeId" | "contactId">;
export type FollowUpData = z.input<typeof followUpSubmitSchema>;
export type SettingsData = Pick<z.input<typeof settingsSubmitSchema>, "tio">;

export function parseCardSubmit(value: unknown): CardSubmit | null {
  const parsed = cardSubmitSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface LunchFormInput {
  on: LocalDateTime | null;
  place: string | null;
  withUserIds: string[];
}

/** The lunch form's inputs: Input.Date gives YYYY-MM-DD, Input.Time HH:MM. */
export function parseLunchForm(s: z.infer<typeof lunchSubmitSchema>): Parsed<LunchFormInput> {
  const date = s.date?.trim() ?? "";
  const time = s.time?.trim() ?? "";
  let on: LocalDateTime | null = null;
  if (date) {
    const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
    if (!d) return { ok: false, error: "Pick the date as YYYY-MM-DD." };
    const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
    const probe = new Date(Date.UTC(year, month - 1, day));
    if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
      return { ok: false, error: `${date} is not a real date.` };
    }
    on = { year, month, day };
    if (time) {
      const t = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(time);
      const hour = Number(t?.[1]);
      const minute = Number(t?.[2]);
      if (!t || hour > 23 || minute > 59) return { ok: false, error: "Pick the time as HH:MM." };
      on = { ...on, hour, minute };
    }
  } else if (time) {
    return { ok: false, error: "Pick a date for that time, or leave the time empty." };
  }
  const place = s.place?.trim() ?? "";
  if (place.length > 200) return { ok: false, error: "Keep the place under 200 characters." };
  const withUserIds = [
    ...new Set(
      (s.with ?? "")
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  if (withUserIds.length > 20) return { ok: false, error: "A lunch can have at most 20 teammates." };
  return { ok: true, value: { on, place: place || null, withUserIds } };
}

const intIn = (
  raw: string | undefined,
  min: number,
  max: number,
  what: string,
): Parsed<number | undefined> => {
  if (raw === undefined || raw.trim() === "") return { ok: true, value: undefined };
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    return { ok: false, error: `${what} must be a whole number from ${min} to ${max}.` };
  return { ok: true, value: n };
};

/**
 * The settings form → a workspace patch. Empty inputs keep the current value; the merged settings
 * must pass the same schema stored settings are read with, so a saved form can always be loaded.
 */
export function parseSettingsForm(
  s: z.infer<typeof settingsSubmitSchema>,
  ws: Workspace,
  knownChannels: readonly string[],
): Parsed<WorkspacePatch> {
  const patch: WorkspacePatch = {};
  const errors: string[] = [];
  const num = (raw: string | undefined, min: number, max: number, what: string) => {
    const r = intIn(raw, min, max, what);
    if (!r.ok) errors.push(r.error);
    return r.ok ? r.value : undefined;
  };

  if (s.digestChannel !== undefined) {
    const channel = s.digestChannel.trim();
    if (channel && !knownChannels.includes(channel)) errors.push("Pick a digest channel from the list.");
    else patch.digestChannel = channel || null;
  }
  const day = num(s.digestDay, 1, 7, "The digest day");
  if (day !== undefined) patch.digestDay = day;
  const hour = num(s.digestHour, 0, 23, "The digest hour");
  if (hour !== undefined) patch.digestHour = hour;
  const tz = s.timezone?.trim();
  if (tz) {
    if (isValidTimeZone(tz)) patch.timezone = tz;
    else errors.push(`${tz} is not a time zone I know. Use an IANA name such as Europe/Berlin.`);
  }

  const next: Record<string, unknown> = { ...ws.settings };
  const setNum = (
    key: keyof WorkspaceSettings,
    raw: string | undefined,
    min: number,
    max: number,
    what: string,
  ) => {
    const v = num(raw, min, max, what);
    if (v !== undefined) next[key] = v;
  };
  setNum("mentionThreshold", s.mentionThreshold, 1, 1000, "The mention threshold");
  setNum("weeklyCapPerMember", s.weeklyCapPerMember, 0, 50, "The weekly cap");
  setNum("workingHourStart", s.workingHourStart, 0, 23, "The working-hours start");
  setNum("workingHourEnd", s.workingHourEnd, 1, 24, "The working-hours end");
  if (s.workingDays !== undefined) {
    const days = s.workingDays
      .split(",")
      .map((d) => d.trim())
      .filter(Boolean)
      .map(Number);
    if (days.length === 0 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
      errors.push("Pick at least one working day.");
    else next.workingDays = [...new Set(days)].sort((a, b) => a - b);
  }
  if (s.internalDomains !== undefined) {
    const domains = s.internalDomains
      .split(/[,\s]+/)
      .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
      .filter(Boolean);
    const bad = domains.find((d) => !/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d));
    if (bad) errors.push(`${bad} doesn't look like a domain (e.g. acme.com).`);
    else next.internalDomains = [...new Set(domains)];
  }
  if (
    typeof next.workingHourStart === "number" &&
    typeof next.workingHourEnd === "number" &&
    next.workingHourStart >= next.workingHourEnd
  ) {
    errors.push("Working hours must start before they end.");
  }
  const settings = workspaceSettingsSchema.safeParse(next);
  if (!settings.success)
    errors.push(...settings.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  if (errors.length) return { ok: false, error: errors.join("\n") };
  if (settings.success) patch.settings = settings.data;
  return { ok: true, value: patch };
}
