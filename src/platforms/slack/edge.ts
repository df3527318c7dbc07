import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { z } from "zod";
import { COMMAND, HANDLED_ACTIONS, HANDLED_VIEWS, LISTENED_EVENT_TYPES } from "./ids.ts";
import {
  appHomeOpenedSchema,
  blockActionBodySchema,
  eventEnvelopeSchema,
  memberJoinedSchema,
  messageEventSchema,
  slashCommandSchema,
  tokensRevokedSchema,
  viewSubmissionBodySchema,
} from "./payloads.ts";

// What a request to /slack/events must be before Bolt sees it. Bolt checks the signature but only
// against stale timestamps (not future ones), and it trusts the body's shape: a `null` body, an
// `event` that is a string, or a payload no listener acknowledges crash it, leave the connection
// hanging or answer after a 3-second timeout. So the edge checks the signature in both directions,
// parses the body the way Bolt will, and passes on only what a listener will acknowledge; the rest
// gets its answer here. Bolt still verifies the signature itself afterwards.

/** Slack's replay window, in both directions (Bolt only refuses the past). */
export const MAX_CLOCK_SKEW_S = 5 * 60;

const FORM = "application/x-www-form-urlencoded";

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Slack's v0 signature over the raw bytes, with the timestamp within MAX_CLOCK_SKEW_S of `nowMs`. */
export function checkSignature(
  secret: string,
  headers: IncomingHttpHeaders,
  raw: Buffer,
  nowMs: number,
): SignatureCheck {
  const signature = headers["x-slack-signature"];
  const timestamp = headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof timestamp !== "string")
    return { ok: false, reason: "missing signature headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed timestamp" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S)
    return { ok: false, reason: "timestamp outside the replay window" };
  if (!/^v0=[0-9a-f]{64}$/.test(signature)) return { ok: false, reason: "malformed signature" };
  const expected = createHmac("sha256", secret).update(`v0:${timestamp}:`).update(raw).digest();
  const given = Buffer.from(signature.slice(3), "hex");
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: "signature mismatch" };
}

/** ssl_check requests carry no signature; Bolt answers them (and drops anything else in the body). */
export function isSslCheck(raw: Buffer, contentType: string | undefined): boolean {
  return isFormBody(contentType) && parseQuery(raw.toString("utf8")).ssl_check === "1";
}

/** Whether Bolt's HTTPReceiver reads the body as form fields; otherwise it is JSON. */
export function isFormBody(contentType: string | undefined): boolean {
  return contentType === FORM;
}

/**
 * The body as Bolt's HTTPReceiver will parse it: form fields (with `payload` holding JSON) when the
 * content type is exactly the form type, JSON otherwise. Undefined when it doesn't parse.
 */
export function parseSlackBody(text: string, contentType: string | undefined): unknown {
  try {
    if (isFormBody(contentType)) {
      const fields = parseQuery(text);
      return typeof fields.payload === "string" ? JSON.parse(fields.payload) : { ...fields };
    }
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * What to do with a signed body: hand it to Bolt, or answer it here. `status` 200 is for what
 * Slack would otherwise deliver again (events) or what needs nothing but an acknowledgement.
 */
export type Routing =
  | { pass: true; kind: "event" | "command" | "action" | "view" | "handshake" }
  /** `expected`: something Slack legitimately sends that needs no work (not worth a warning). */
  | { pass: false; status: 200 | 400; reason: string; expected: boolean };

const skip = (status: 200 | 400, reason: string, expected = false): Routing => ({
  pass: false,
  status,
  reason,
  expected,
});

const EVENT_SCHEMAS: Record<string, z.ZodType> = {
  message: messageEventSchema,
  app_home_opened: appHomeOpenedSchema,
  member_joined_channel: memberJoinedSchema,
  tokens_revoked: tokensRevokedSchema,
};
const LISTENED: ReadonlySet<string> = new Set(LISTENED_EVENT_TYPES);
const ACTIONS: ReadonlySet<string> = new Set(HANDLED_ACTIONS);
const VIEWS: ReadonlySet<string> = new Set(HANDLED_VIEWS);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Routes a parsed body. The order of the checks is Bolt's (HTTPReceiver, then
 * getTypeAndConversation), so a body is judged by the same field Bolt will route it by.
 */
export function routeSlackBody(body: unknown): Routing {
  if (!isObject(body)) return skip(400, "body is not a JSON object");
  if (body.ssl_check === "1" || body.type === "url_verification") return { pass: true, kind: "handshake" };
  if (body.event !== undefined) return routeEvent(body);
  if (body.command !== undefined) {
    const command = slashCommandSchema.safeParse(body);
    if (!command.success) return skip(400, "malformed slash command");
    if (command.data.command !== COMMAND) return skip(400, "unknown slash command");
    return { pass: true, kind: "command" };
  }
  if (body.name !== undefined || body.type === "block_suggestion")
    return skip(400, "no select menu options here");
  if (body.actions !== undefined || body.type === "dialog_submission") {
    const action = blockActionBodySchema.safeParse(body);
    if (!action.success) return skip(400, "malformed block action");
    // Clicks on what we have no handler for (link buttons) only need their acknowledgement.
    if (!ACTIONS.has(action.data.actions[0]?.action_id ?? "")) return skip(200, "action not handled", true);
    return { pass: true, kind: "action" };
  }
  if (body.type === "view_closed") return skip(200, "view_closed needs no answer", true);
  if (body.type === "view_submission") {
    const view = viewSubmissionBodySchema.safeParse(body);
    if (!view.success) return skip(400, "malformed view submission");
    if (!VIEWS.has(view.data.view.callback_id)) return skip(400, "unknown view");
    return { pass: true, kind: "view" };
  }
  if (body.type === "app_rate_limited") return skip(200, "app_rate_limited noted", true);
  return skip(400, "not a Slack request this app handles");
}

/**
 * Events are answered 200 even when malformed: Slack redelivers anything else, and a body it sent
 * once won't parse any better the second time.
 */
function routeEvent(body: Record<string, unknown>): Routing {
  const envelope = eventEnvelopeSchema.safeParse(body);
  if (!envelope.success) return skip(200, "malformed event envelope");
  const { event } = envelope.data;
  // Acknowledged here rather than by Bolt, which leaves the ack of some (function_executed) to a
  // listener we don't have: such an event would be answered only after a 3-second timeout.
  if (!LISTENED.has(event.type)) return skip(200, "event type not handled", true);
  const schema = EVENT_SCHEMAS[event.type];
  if (schema && !schema.safeParse(body.event).success) return skip(200, `malformed ${event.type} event`);
  return { pass: true, kind: "event" };
}
