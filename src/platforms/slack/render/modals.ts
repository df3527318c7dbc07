import type { types } from "@slack/bolt";
import { z } from "zod";
import type { LocalDateTime } from "../../../core/commands.ts";
import type { WorkspacePatch } from "../../../core/ports.ts";
import { type WorkspaceSettings, workspaceSettingsSchema } from "../../../core/settings.ts";
import { isValidTimeZone } from "../../../core/time.ts";
import type { Workspace } from "../../../core/types.ts";
import { VIEWS } from "../ids.ts";
import { type InputState, inputState } from "../payloads.ts";
import { escapeMrkdwn, plain, section } from "./mrkdwn.ts";

// The two modals: planning a lunch (from a prompt's "Plan lunch" button) and the workspace
// settings (admins, `/offline settings`). Each has a parser for its submission that returns either
// clean values or per-block error messages, which Slack shows under the fields
// (`response_action: "errors"`). Block ids double as the keys of those errors.

type Values = Record<string, Record<string, unknown>>;
export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

// ---- lunch -------------------------------------------------------------------------------------

/** Carried through the modal in private_metadata: what the lunch is about and which DM to update. */
export const lunchMetaSchema = z.object({
  contactId: z.string().min(1).max(64),
  nudgeId: z.string().min(1).max(64).nullable(),
  channel: z.string().max(64).nullable(),
  ts: z.string().max(64).nullable(),
});
export type LunchMeta = z.infer<typeof lunchMetaSchema>;

export interface LunchModalInput {
  contactName: string;
  meta: LunchMeta;
  /** Slack user ids of teammates who also discuss the contact: prefilled. */
  teammates: string[];
  /** YYYY-MM-DD in the organizer's zone. */
  initialDate: string;
}

export const LUNCH_FIELDS = { date: "date", time: "time", place: "place", with: "with" } as const;

export function lunchModal(input: LunchModalInput): types.ModalView {
  const withUsers: types.MultiUsersSelect = {
    type: "multi_users_select",
    action_id: LUNCH_FIELDS.with,
    placeholder: plain("Teammates"),
    max_selected_items: 20,
    ...(input.teammates.length ? { initial_users: input.teammates.slice(0, 20) } : {}),
  };
  return {
    type: "modal",
    callback_id: VIEWS.lunch,
    private_metadata: JSON.stringify(input.meta),
    title: plain("Plan lunch", 24),
    submit: plain("Plan it", 24),
    close: plain("Cancel", 24),
    blocks: [
      section(
        `Lunch with *${escapeMrkdwn(input.contactName)}*. I'll send you a calendar invite and check in the day after.`,
      ),
      {
        type: "input",
        block_id: LUNCH_FIELDS.date,
        label: plain("Date"),
        element: { type: "datepicker", action_id: LUNCH_FIELDS.date, initial_date: input.initialDate },
      },
      {
        type: "input",
        block_id: LUNCH_FIELDS.time,
        label: plain("Time"),
        element: { type: "timepicker", action_id: LUNCH_FIELDS.time, initial_time: "12:30" },
      },
      {
        type: "input",
        block_id: LUNCH_FIELDS.place,
        optional: true,
        label: plain("Place"),
        element: {
          type: "plain_text_input",
          action_id: LUNCH_FIELDS.place,
          max_length: 200,
          placeholder: plain("Cafe Nord"),
        },
      },
      {
        type: "input",
        block_id: LUNCH_FIELDS.with,
        optional: true,
        label: plain("Teammates joining"),
        element: withUsers,
      },
    ],
  };
}

export interface LunchSubmission {
  on: LocalDateTime;
  place: string | null;
  withUserIds: string[];
}

const dateSchema = z
  .string({ error: "Pick a date." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "Pick a date." })
  .transform((s) => s.split("-").map(Number) as [number, number, number]);
const timeSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: "Pick a time." })
  .transform((s) => s.split(":").map(Number) as [number, number]);

export function parseLunchSubmission(values: Values): Parsed<LunchSubmission> {
  const errors: FieldErrors = {};
  const date = dateSchema.safeParse(
    inputState(values, LUNCH_FIELDS.date, LUNCH_FIELDS.date)?.selected_date ?? undefined,
  );
  if (!date.success) errors[LUNCH_FIELDS.date] = "Pick a date.";
  const rawTime = inputState(values, LUNCH_FIELDS.time, LUNCH_FIELDS.time)?.selected_time;
  const time = timeSchema.safeParse(rawTime ?? "12:00");
  if (!time.success) errors[LUNCH_FIELDS.time] = "Pick a time.";
  const placeRaw = (inputState(values, LUNCH_FIELDS.place, LUNCH_FIELDS.place)?.value ?? "").trim();
  if (placeRaw.length > 200) errors[LUNCH_FIELDS.place] = "Keep the place under 200 characters.";
  const users = inputState(values, LUNCH_FIELDS.with, LUNCH_FIELDS.with)?.selected_users ?? [];
  const withUsers = z
    .array(z.string().regex(/^[UW][A-Z0-9]+$/))
    .max(20)
    .safeParse(users);
  if (!withUsers.success) errors[LUNCH_FIELDS.with] = "Pick at most 20 teammates.";
  if (!date.success || !time.success || !withUsers.success || Object.keys(errors).length)
    return { ok: false, errors };
  const [year, month, day] = date.data;
  const [hour, minute] = time.data;
  return {
    ok: true,
    value: { on: { year, month, day, hour, minute }, place: placeRaw || null, withUserIds: withUsers.data },
  };
}

// ---- settings ----------------------------------------------------------------------------------

const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

export const SETTINGS_FIELDS = {
  digestChannel: "digest_channel",
  digestDay: "digest_day",
  digestHour: "digest_hour",
  timezone: "timezone",
  mentionThreshold: "mention_threshold",
  mentionWindowDays: "mention_window_days",
  candidateThreshold: "candidate_threshold",
  candidateMinTeammates: "candidate_min_teammates",
  weeklyCap: "weekly_cap",
  pairCooldownDays: "pair_cooldown_days",
  workingDays: "working_days",
  workingHourStart: "working_hour_start",
  workingHourEnd: "working_hour_end",
  internalDomains: "internal_domains",
} as const;
const F = SETTINGS_FIELDS;

function option(text: string, value: string): types.PlainTextOption {
  return { text: plain(text), value };
}

function hourOption(h: number): types.PlainTextOption {
  return option(`${String(h).padStart(2, "0")}:00`, String(h));
}

function numberInput(
  blockId: string,
  label: string,
  initial: number,
  min: number,
  max: number,
  hint?: string,
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plain(label),
    ...(hint ? { hint: plain(hint) } : {}),
    element: {
      type: "number_input",
      action_id: "value",
      is_decimal_allowed: false,
      initial_value: String(initial),
      min_value: String(min),
      max_value: String(max),
    },
  };
}

function selectInput(
  blockId: string,
  label: string,
  options: types.PlainTextOption[],
  initial: string,
): types.InputBlock {
  const initialOption = options.find((o) => o.value === initial);
  return {
    type: "input",
    block_id: blockId,
    label: plain(label),
    element: {
      type: "static_select",
      action_id: "value",
      options,
      ...(initialOption ? { initial_option: initialOption } : {}),
    },
  };
}

export function settingsModal(ws: Workspace): types.ModalView {
  const s = ws.settings;
  const dayOptions = DAYS.map((d, i) => option(d, String(i + 1)));
  const channel: types.InputBlock = {
    type: "input",
    block_id: F.digestChannel,
    optional: true,
    label: plain("Digest channel"),
    hint: plain("Where the weekly digest is posted. Invite me to a private channel first."),
    element: {
      type: "conversations_select",
      action_id: "value",
      filter: { include: ["public", "private"], exclude_bot_users: true },
      ...(ws.digestChannel ? { initial_conversation: ws.digestChannel } : {}),
    },
  };
  return {
    type: "modal",
    callback_id: VIEWS.settings,
    private_metadata: JSON.stringify({ workspaceId: ws.id }),
    title: plain("Take It Offline", 24),
    submit: plain("Save", 24),
    close: plain("Cancel", 24),
    blocks: [
      section("*Weekly digest*"),
      channel,
      selectInput(F.digestDay, "Day", dayOptions, String(ws.digestDay)),
      selectInput(
        F.digestHour,
        "Hour",
        Array.from({ length: 24 }, (_, h) => hourOption(h)),
        String(ws.digestHour),
      ),
      {
        type: "input",
        block_id: F.timezone,
        label: plain("Time zone"),
        hint: plain(
          "IANA name, e.g. Europe/Berlin or America/New_York. Used for the digest and as the default for people.",
        ),
        element: { type: "plain_text_input", action_id: "value", initial_value: ws.timezone, max_length: 64 },
      },
      section("*When to suggest lunch*"),
      numberInput(F.mentionThreshold, "Mentions before a suggestion", s.mentionThreshold, 1, 1000),
      numberInput(F.mentionWindowDays, "…within this many days", s.mentionWindowDays, 1, 365),
      numberInput(
        F.candidateThreshold,
        "Mentions before a new name is tracked",
        s.candidateThreshold,
        1,
        1000,
      ),
      numberInput(
        F.candidateMinTeammates,
        "…from at least this many teammates",
        s.candidateMinTeammates,
        1,
        100,
      ),
      numberInput(F.weeklyCap, "Suggestions per person per week", s.weeklyCapPerMember, 0, 50),
      numberInput(
        F.pairCooldownDays,
        "Days before suggesting the same person again",
        s.pairCooldownDays,
        0,
        365,
      ),
      {
        type: "input",
        block_id: F.workingDays,
        label: plain("Working days (prompts are only sent then)"),
        element: {
          type: "checkboxes",
          action_id: "value",
          options: dayOptions,
          initial_options: dayOptions.filter((o) => s.workingDays.includes(Number(o.value))),
        },
      },
      selectInput(
        F.workingHourStart,
        "Working hours start",
        Array.from({ length: 24 }, (_, h) => hourOption(h)),
        String(s.workingHourStart),
      ),
      selectInput(
        F.workingHourEnd,
        "Working hours end",
        Array.from({ length: 24 }, (_, h) => hourOption(h + 1)),
        String(s.workingHourEnd),
      ),
      {
        type: "input",
        block_id: F.internalDomains,
        optional: true,
        label: plain("Internal email domains"),
        hint: plain(
          "Your own domains, comma- or line-separated: people at these are teammates, never contacts.",
        ),
        element: {
          type: "plain_text_input",
          action_id: "value",
          multiline: true,
          max_length: 2000,
          ...(s.internalDomains.length ? { initial_value: s.internalDomains.join(", ") } : {}),
        },
      },
    ],
  };
}

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function read(values: Values, blockId: string): InputState | null {
  return inputState(values, blockId, "value");
}

function intField(values: Values, blockId: string, min: number, max: number, errors: FieldErrors): number {
  const state = read(values, blockId);
  const raw = state?.value ?? state?.selected_option?.value ?? "";
  const parsed = z.coerce
    .number()
    .int()
    .min(min)
    .max(max)
    .safeParse(raw === "" ? Number.NaN : raw);
  if (!parsed.success) {
    errors[blockId] = `Enter a whole number from ${min} to ${max}.`;
    return min;
  }
  return parsed.data;
}

/** The settings modal's submission → a workspace patch, or errors per field. */
export function parseSettingsSubmission(values: Values, current: WorkspaceSettings): Parsed<WorkspacePatch> {
  const errors: FieldErrors = {};
  const channel = read(values, F.digestChannel)?.selected_conversation ?? null;
  if (channel !== null && !/^[CG][A-Z0-9]+$/.test(channel)) errors[F.digestChannel] = "Pick a channel.";
  const digestDay = intField(values, F.digestDay, 1, 7, errors);
  const digestHour = intField(values, F.digestHour, 0, 23, errors);

  let timezone = (read(values, F.timezone)?.value ?? "").trim();
  if (!timezone || !isValidTimeZone(timezone))
    errors[F.timezone] = "Use an IANA time zone name, like Europe/Berlin.";
  // "UTC" is the stored default meaning "not set yet"; an explicit choice of UTC is kept as
  // Etc/UTC so it is never mistaken for the default and overwritten from an admin's profile.
  if (timezone.toUpperCase() === "UTC") timezone = "Etc/UTC";

  const workingDays = (read(values, F.workingDays)?.selected_options ?? []).map((o) => Number(o.value));
  if (workingDays.length === 0 || workingDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    errors[F.workingDays] = "Pick at least one day.";
  }
  const workingHourStart = intField(values, F.workingHourStart, 0, 23, errors);
  const workingHourEnd = intField(values, F.workingHourEnd, 1, 24, errors);
  if (!errors[F.workingHourEnd] && !errors[F.workingHourStart] && workingHourEnd <= workingHourStart) {
    errors[F.workingHourEnd] = "The end must be after the start.";
  }

  const domainsRaw = read(values, F.internalDomains)?.value ?? "";
  const domains = [
    ...new Set(
      domainsRaw
        .split(/[\s,;]+/)
        .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
        .filter(Boolean),
    ),
  ];
  const badDomain = domains.find((d) => !DOMAIN.test(d));
  if (badDomain) errors[F.internalDomains] = `“${badDomain}” is not a domain name like example.com.`;
  else if (domains.length > 50) errors[F.internalDomains] = "List at most 50 domains.";

  const settings = workspaceSettingsSchema.safeParse({
    ...current,
    mentionThreshold: intField(values, F.mentionThreshold, 1, 1000, errors),
    mentionWindowDays: intField(values, F.mentionWindowDays, 1, 365, errors),
    candidateThreshold: intField(values, F.candidateThreshold, 1, 1000, errors),
    candidateMinTeammates: intField(values, F.candidateMinTeammates, 1, 100, errors),
    weeklyCapPerMember: intField(values, F.weeklyCap, 0, 50, errors),
    pairCooldownDays: intField(values, F.pairCooldownDays, 0, 365, errors),
    workingDays: [...new Set(workingDays)].sort((a, b) => a - b),
    workingHourStart,
    workingHourEnd,
    internalDomains: domains,
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  if (!settings.success)
    return {
      ok: false,
      errors: { [F.mentionThreshold]: settings.error.issues[0]?.message ?? "Invalid settings." },
    };
  return {
    ok: true,
    value: { digestChannel: channel, digestDay, digestHour, timezone, settings: settings.data },
  };
}
