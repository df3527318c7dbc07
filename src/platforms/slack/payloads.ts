import { z } from "zod";
import type { ReviewAnswer } from "../../core/messages/doc.ts";

// Shapes of what Slack sends us, validated at the edge. Only the fields we read are declared;
// everything else passes through (`loose`), because Slack adds fields over time.

// ---- button values: ids we put in `value` and get back on click --------------------------------

const id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/);
const nudgeValue = z.object({ n: id });
const lunchValue = z.object({ l: id });

export function nudgeButtonValue(nudgeId: string): string {
  return JSON.stringify({ n: nudgeId });
}

export function lunchButtonValue(lunchId: string): string {
  return JSON.stringify({ l: lunchId });
}

const reviewValueSchema = z.object({
  r: id,
  c: id,
  /** Set in an overflow option: the answer chosen. */
  a: z.enum(["track", "not-external", "ignore", "undo"]).optional(),
});
export type ReviewValue = { reviewId: string; contactId: string; answer?: ReviewAnswer };

/** A review row's button (or, with `answer`, an option of its overflow menu): the review and the contact. */
export function reviewButtonValue(reviewId: string, contactId: string, answer?: ReviewAnswer): string {
  return JSON.stringify({ r: reviewId, c: contactId, ...(answer ? { a: answer } : {}) });
}

export function parseReviewValue(value: unknown): ReviewValue | null {
  const parsed = reviewValueSchema.safeParse(parseJson(value));
  if (!parsed.success) return null;
  const { r, c, a } = parsed.data;
  return { reviewId: r, contactId: c, ...(a ? { answer: a } : {}) };
}

/** The actions of a prompt's overflow menu (the primary one is a button of its own). */
const MORE_ACTIONS = ["snooze", "met", "not-contact"] as const;
export type MoreAction = (typeof MORE_ACTIONS)[number];
const moreValueSchema = z.object({ n: id, a: z.enum(MORE_ACTIONS) });

/** An overflow option's value: the nudge and the action chosen. */
export function moreValue(nudgeId: string, action: MoreAction): string {
  return JSON.stringify({ n: nudgeId, a: action });
}

export function parseMoreValue(value: unknown): { nudgeId: string; action: MoreAction } | null {
  const parsed = moreValueSchema.safeParse(parseJson(value));
  return parsed.success ? { nudgeId: parsed.data.n, action: parsed.data.a } : null;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** A pause button's value: the days, or "forever" for until resume. */
export function pauseValue(days: number | null): string {
  return days === null ? "forever" : String(days);
}

/** Days of a pause button (null: until resume); anything else is refused (undefined). */
export function parsePauseValue(value: unknown): number | null | undefined {
  // "pause": the App Home button before durations existed.
  if (value === "forever" || value === "pause") return null;
  if (typeof value !== "string" || !/^\d{1,3}$/.test(value)) return undefined;
  const days = Number(value);
  return days >= 1 && days <= 365 ? days : undefined;
}

/** forget-me's buttons carry the id of the member who asked. */
export function parseMemberValue(value: unknown): string | null {
  const parsed = id.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The digest's Plan lunch button carries the contact id as is. */
export function parseContactValue(value: unknown): string | null {
  const parsed = id.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** A noticed meeting's buttons carry its id as is. */
export function parseNoticeValue(value: unknown): string | null {
  const parsed = id.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function parseNudgeValue(value: unknown): string | null {
  const parsed = nudgeValue.safeParse(parseJson(value));
  return parsed.success ? parsed.data.n : null;
}

export function parseLunchValue(value: unknown): string | null {
  const parsed = lunchValue.safeParse(parseJson(value));
  return parsed.success ? parsed.data.l : null;
}

// ---- events ------------------------------------------------------------------------------------

/**
 * A message timestamp: seconds since the epoch with Slack's microsecond suffix ("1700000000.000100").
 * It is also the message's id, and becomes the mention's date, so anything else is refused here.
 */
export const slackTsSchema = z.string().regex(/^\d{1,12}(\.\d{1,8})?$/);

/**
 * A message event: the fields we read, the rest left out of the result (Slack's message carries
 * blocks, attachments, files…; copying them on every parse was measurable on a busy server).
 */
const messageFields = {
  user: z.string().optional(),
  text: z.string().optional(),
  ts: slackTsSchema,
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
  user_team: z.string().optional(),
  source_team: z.string().optional(),
};

export const messageEventSchema = z.object({
  type: z.literal("message"),
  ...messageFields,
  channel: z.string(),
  channel_type: z.string().optional(),
  hidden: z.boolean().optional(),
  deleted_ts: slackTsSchema.optional(),
  /** The message as edited (subtype message_changed): the same fields. */
  message: z.object(messageFields).optional(),
  previous_message: z.object({ ts: slackTsSchema }).optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const appHomeOpenedSchema = z
  .object({ type: z.literal("app_home_opened"), user: z.string(), tab: z.string().optional() })
  .loose();

export const memberJoinedSchema = z
  .object({ type: z.literal("member_joined_channel"), user: z.string(), channel: z.string() })
  .loose();

export const tokensRevokedSchema = z
  .object({
    type: z.literal("tokens_revoked"),
    tokens: z
      .object({ oauth: z.array(z.string()).optional(), bot: z.array(z.string()).optional() })
      .loose()
      .optional(),
  })
  .loose();

/** Any JSON object (not null, not an array). */
const jsonObject = z.record(z.string(), z.unknown());

const authorizationSchema = z.object({
  team_id: z.string().nullable().optional(),
  enterprise_id: z.string().nullable().optional(),
  user_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
});

/** What the inbox reads of a delivery that Bolt has already taken in: its key and the event's type. */
export const deliveryKeySchema = z.object({
  event_id: z.string().min(1).max(128),
  event: z.object({ type: z.string().min(1).max(100) }),
});

/**
 * The envelope of an Events API delivery; event_id is the de-duplication key. Besides what we read,
 * it pins the types of the fields Bolt dereferences before any listener runs (the event's user,
 * channel, item, subteam; the authorizations): a null or a number there throws inside Bolt.
 * Its result holds only those fields: it is for checking, and Bolt is handed the body itself.
 */
export const eventEnvelopeSchema = z.object({
  type: z.literal("event_callback"),
  event_id: z.string().min(1).max(128),
  team_id: z.string().max(64).optional(),
  enterprise_id: z.string().max(64).nullable().optional(),
  authorizations: z.array(authorizationSchema).max(100).optional(),
  is_enterprise_install: z.boolean().optional(),
  function_data: jsonObject.optional(),
  event: z.object({
    type: z.string().min(1).max(100),
    user: z.union([z.string(), z.object({ id: z.string() }).loose()]).optional(),
    channel: z.union([z.string(), jsonObject]).optional(),
    channel_id: z.string().optional(),
    item: jsonObject.optional(),
    subteam: jsonObject.optional(),
    message: jsonObject.optional(),
    previous_message: jsonObject.optional(),
    assistant_thread: jsonObject.optional(),
  }),
});

// ---- interactivity -----------------------------------------------------------------------------

/** Slack sends one action per click; a payload with more is not from a click. */
export const MAX_ACTIONS = 5;

/** team / enterprise of an interaction: null for org-wide installs. */
const teamRefSchema = z
  .object({ id: z.string().min(1).max(64) })
  .loose()
  .nullable()
  .optional();
const actorSchema = z.object({ id: z.string().min(1).max(64), team_id: z.string().optional() }).loose();

export const blockActionBodySchema = z
  .object({
    type: z.literal("block_actions"),
    user: actorSchema,
    team: teamRefSchema,
    enterprise: teamRefSchema,
    trigger_id: z.string().optional(),
    response_url: z.string().optional(),
    function_data: jsonObject.optional(),
    container: z
      .object({
        type: z.string(),
        channel_id: z.string().optional(),
        message_ts: z.string().optional(),
        view_id: z.string().optional(),
      })
      .loose()
      .optional(),
    channel: z.object({ id: z.string() }).loose().optional(),
    message: z.object({ ts: z.string() }).loose().optional(),
    view: jsonObject.optional(),
    actions: z
      .array(
        z
          .object({
            action_id: z.string().max(255),
            value: z.string().optional(),
            // An overflow menu sends the chosen option instead of a value.
            selected_option: z
              .object({ value: z.string().max(2000) })
              .loose()
              .optional(),
          })
          .loose(),
      )
      .min(1)
      .max(MAX_ACTIONS),
  })
  .loose();
export type BlockActionBody = z.infer<typeof blockActionBodySchema>;

export const viewSubmissionBodySchema = z
  .object({
    type: z.literal("view_submission"),
    user: actorSchema,
    team: teamRefSchema,
    enterprise: teamRefSchema,
    response_urls: z.array(jsonObject).optional(),
    function_data: jsonObject.optional(),
    view: z
      .object({
        id: z.string().optional(),
        callback_id: z.string(),
        private_metadata: z.string().optional(),
        app_installed_team_id: z.string().optional(),
        state: z.object({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }).loose(),
      })
      .loose(),
  })
  .loose();
export type ViewSubmissionBody = z.infer<typeof viewSubmissionBodySchema>;

/** One input's state as Slack reports it; which field is set depends on the element type. */
export const inputStateSchema = z
  .object({
    type: z.string(),
    value: z.string().nullable().optional(),
    selected_date: z.string().nullable().optional(),
    selected_time: z.string().nullable().optional(),
    selected_conversation: z.string().nullable().optional(),
    selected_users: z.array(z.string()).optional(),
    selected_option: z.object({ value: z.string() }).loose().nullable().optional(),
    selected_options: z.array(z.object({ value: z.string() }).loose()).optional(),
  })
  .loose();
export type InputState = z.infer<typeof inputStateSchema>;

/** The state of `blockId`/`actionId` in a submitted view, or null when absent or malformed. */
export function inputState(
  values: Record<string, Record<string, unknown>>,
  blockId: string,
  actionId: string,
): InputState | null {
  const parsed = inputStateSchema.safeParse(values[blockId]?.[actionId]);
  return parsed.success ? parsed.data : null;
}

/** A slash command (form fields). Replies go to response_url: a command without one can't be answered. */
export const slashCommandSchema = z
  .object({
    command: z.string(),
    text: z.string().default(""),
    user_id: z.string().min(1).max(64),
    team_id: z.string().min(1).max(64),
    enterprise_id: z.string().optional(),
    channel_id: z.string().optional(),
    trigger_id: z.string().optional(),
    response_url: z.url({ protocol: /^https?$/ }),
  })
  .loose();
export type SlashCommand = z.infer<typeof slashCommandSchema>;
