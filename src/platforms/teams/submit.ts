// Adaptive Card Action.Submit payloads. Teams posts a message activity whose `value` is the
// button's `data` merged with the card's input values (all strings). Anyone can craft such an
// activity, so every payload is parsed here before it reaches the core.
import { z } from "zod";
import type { RawLunchForm } from "../../core/forms/lunch.ts";
import { type RawSettingsForm, SETTINGS_FIELD_NAMES, type SettingsField } from "../../core/forms/settings.ts";

const ref = z.string().trim().min(1).max(100);
// Teams sends input values as strings; numbers are accepted too so other clients can't trip us.
const input = (max: number) =>
  z
    .union([z.string().max(max), z.number().finite()])
    .transform((v) => String(v))
    .optional();

export const NUDGE_ACTIONS = [
  "plan",
  "snooze",
  "met",
  "not-contact",
  "track",
  "ignore",
  "hide",
  "keep",
  "undo",
] as const;

export const nudgeSubmitSchema = z.object({
  tio: z.literal("nudge"),
  nudgeId: ref,
  action: z.enum(NUDGE_ACTIONS),
});
export const lunchSubmitSchema = z.object({
  tio: z.literal("lunch"),
  nudgeId: ref.nullish(),
  contactId: ref,
  /** The free-slot choice: an ISO interval or "other". */
  slot: input(100),
  date: input(20),
  time: input(20),
  place: input(1000),
  /** Multi-select ChoiceSet: comma-separated user ids. */
  with: input(5000),
});
/** The lunch form's Cancel: back to the prompt it came from (none when the digest opened it). */
export const lunchCancelSubmitSchema = z.object({
  tio: z.literal("lunch-cancel"),
  nudgeId: ref.nullish(),
  contactId: ref,
});
export const followUpSubmitSchema = z
  .object({
    tio: z.literal("followup"),
    lunchId: ref,
    /** The answer: happened, not yet, it's off. */
    answer: z.enum(["happened", "later", "off"]).optional(),
    /** Cards sent before "not yet" existed: yes / no. */
    happened: z.boolean().optional(),
  })
  .refine((v) => v.answer !== undefined || v.happened !== undefined);
/** forget-me's question: confirm deletes, cancel keeps everything. */
export const forgetMeSubmitSchema = z.object({
  tio: z.literal("forget-me"),
  confirm: z.boolean(),
  memberId: ref,
});
/** The home card's pause (days; null until resume) and resume. */
export const pauseSubmitSchema = z.object({
  tio: z.literal("pause"),
  days: z.number().int().min(1).max(365).nullable(),
});
export const resumeSubmitSchema = z.object({ tio: z.literal("resume") });
/** "Connect calendar": the reply carries fresh consent links. */
export const connectCalendarSubmitSchema = z.object({ tio: z.literal("connect-calendar") });
/** A noticed meeting: Yes/No to a chat mention's question, Undo on a calendar one. */
export const noticedSubmitSchema = z.object({
  tio: z.literal("noticed"),
  noticeId: ref,
  answer: z.enum(["yes", "no", "undo"]),
});
/** A review row's answer (or Undo): the review and the contact of the row. */
export const reviewSubmitSchema = z.object({
  tio: z.literal("review"),
  reviewId: ref,
  contactId: ref,
  answer: z.enum(["track", "not-external", "ignore", "undo"]),
});
// Every field of the core's settings form; the core's parser checks the values and their lengths
// (with a message under the field), so the cap here only bounds what we read at all.
const settingsInputs = Object.fromEntries(
  SETTINGS_FIELD_NAMES.map((name) => [name, input(10_000)]),
) as Record<SettingsField, ReturnType<typeof input>>;
/** The digest's Plan lunch beside a still-online-only contact. */
export const planContactSubmitSchema = z.object({ tio: z.literal("plan"), contactId: ref });
export const settingsSubmitSchema = z.object({ tio: z.literal("settings"), ...settingsInputs });

export const cardSubmitSchema = z.discriminatedUnion("tio", [
  nudgeSubmitSchema,
  lunchSubmitSchema,
  lunchCancelSubmitSchema,
  followUpSubmitSchema,
  planContactSubmitSchema,
  settingsSubmitSchema,
  forgetMeSubmitSchema,
  pauseSubmitSchema,
  resumeSubmitSchema,
  connectCalendarSubmitSchema,
  noticedSubmitSchema,
  reviewSubmitSchema,
]);
export type CardSubmit = z.infer<typeof cardSubmitSchema>;
/** What a card's button carries (before Teams merges the inputs in). */
export type NudgeData = z.input<typeof nudgeSubmitSchema>;
export type LunchData = Pick<z.input<typeof lunchSubmitSchema>, "tio" | "nudgeId" | "contactId">;
export type LunchCancelData = z.input<typeof lunchCancelSubmitSchema>;
export type FollowUpData = z.input<typeof followUpSubmitSchema>;
export type PlanContactData = z.input<typeof planContactSubmitSchema>;
export type NoticedData = z.input<typeof noticedSubmitSchema>;
export type PersonalData =
  | z.input<typeof forgetMeSubmitSchema>
  | z.input<typeof pauseSubmitSchema>
  | z.input<typeof resumeSubmitSchema>
  | z.input<typeof connectCalendarSubmitSchema>;
export type ReviewData = z.input<typeof reviewSubmitSchema>;
export type SettingsData = Pick<z.input<typeof settingsSubmitSchema>, "tio">;

export function parseCardSubmit(value: unknown): CardSubmit | null {
  const parsed = cardSubmitSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A lunch card's submission as the raw fields the core's lunch form parser reads. */
export function lunchFormRaw(s: z.infer<typeof lunchSubmitSchema>): RawLunchForm {
  return { slot: s.slot, date: s.date, time: s.time, place: s.place, with: s.with };
}

/**
 * The digest channel choice "Nowhere": Adaptive Cards refuse an empty choice value, and no Teams
 * conversation id looks like this.
 */
export const NO_CHANNEL = "none";

/** A settings card's submission as the raw fields the core's settings form parser reads. */
export function settingsFormRaw(s: z.infer<typeof settingsSubmitSchema>): RawSettingsForm {
  const raw: RawSettingsForm = {};
  for (const name of SETTINGS_FIELD_NAMES) if (s[name] !== undefined) raw[name] = s[name];
  // The core reads an empty channel as "no digest".
  if (raw.digestChannel === NO_CHANNEL) raw.digestChannel = "";
  return raw;
}
