import { z } from "zod";

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

function parseJson(value: unknown): unknown {
  if (typeof value !== "string") return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
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

export const messageEventSchema = z
  .object({
    type: z.literal("message"),
    subtype: z.string().optional(),
    channel: z.string(),
    channel_type: z.string().optional(),
    user: z.string().optional(),
    text: z.string().optional(),
    ts: z.string(),
    bot_id: z.string().optional(),
    user_team: z.string().optional(),
    source_team: z.string().optional(),
    hidden: z.boolean().optional(),
    deleted_ts: z.string().optional(),
    message: z
      .object({
        user: z.string().optional(),
        text: z.string().optional(),
        ts: z.string(),
        subtype: z.string().optional(),
        bot_id: z.string().optional(),
        user_team: z.string().optional(),
        source_team: z.string().optional(),
      })
      .loose()
      .optional(),
    previous_message: z.object({ ts: z.string() }).loose().optional(),
  })
  .loose();
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

/** The envelope of an Events API delivery; event_id is the de-duplication key. */
export const eventEnvelopeSchema = z
  .object({
    type: z.literal("event_callback"),
    event_id: z.string().min(1),
    team_id: z.string().optional(),
    event: z.object({ type: z.string() }).loose(),
  })
  .loose();

// ---- interactivity -----------------------------------------------------------------------------

export const blockActionBodySchema = z
  .object({
    type: z.literal("block_actions"),
    user: z.object({ id: z.string() }).loose(),
    trigger_id: z.string().optional(),
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
    actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() }).loose()).min(1),
  })
  .loose();
export type BlockActionBody = z.infer<typeof blockActionBodySchema>;

export const viewSubmissionBodySchema = z
  .object({
    type: z.literal("view_submission"),
    user: z.object({ id: z.string() }).loose(),
    view: z
      .object({
        id: z.string().optional(),
        callback_id: z.string(),
        private_metadata: z.string().optional(),
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

export const slashCommandSchema = z
  .object({
    command: z.string(),
    text: z.string().default(""),
    user_id: z.string(),
    channel_id: z.string().optional(),
    trigger_id: z.string().optional(),
    response_url: z.string().optional(),
  })
  .loose();
export type SlashCommand = z.infer<typeof slashCommandSchema>;
