import { createHmac, randomBytes } from "node:crypto";

// Builds and sends requests the way Slack does: bodies signed with the app's signing secret
// (v0 = HMAC-SHA256 of "v0:{timestamp}:{body}"). Used by the tests and by `npm run demo`, which
// replays a sample export into the real Slack app as signed events.

export interface SignedHeaders {
  "x-slack-request-timestamp": string;
  "x-slack-signature": string;
}

/** Slack's request signature for `body` at `timestamp` (seconds). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

export function signedHeaders(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): SignedHeaders {
  return {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": slackSignature(secret, timestamp, body),
  };
}

export interface SlackPostOptions {
  /** Seconds since the epoch to sign with (default: now). */
  timestamp?: number;
  /** Sends this signature instead of the right one. */
  signature?: string;
  headers?: Record<string, string>;
}

export interface SlackPostResult {
  status: number;
  text: string;
  /** The body parsed as JSON, or null when it isn't JSON (Slack acks are often empty). */
  json: unknown;
}

export type SlackBody =
  /** Events API: JSON. */
  | { kind: "json"; body: unknown }
  /** Slash commands: form fields. */
  | { kind: "form"; fields: Record<string, string> }
  /** Interactivity: form field `payload` with JSON. */
  | { kind: "interaction"; payload: unknown };

export function encodeSlackBody(b: SlackBody): { body: string; contentType: string } {
  switch (b.kind) {
    case "json":
      return { body: JSON.stringify(b.body), contentType: "application/json" };
    case "form":
      return {
        body: new URLSearchParams(b.fields).toString(),
        contentType: "application/x-www-form-urlencoded",
      };
    case "interaction":
      return {
        body: new URLSearchParams({ payload: JSON.stringify(b.payload) }).toString(),
        contentType: "application/x-www-form-urlencoded",
      };
  }
}

/** POSTs a signed Slack request to `url` (e.g. http://127.0.0.1:PORT/slack/events). */
export async function postToSlackApp(
  url: string,
  secret: string,
  b: SlackBody,
  options: SlackPostOptions = {},
): Promise<SlackPostResult> {
  const { body, contentType } = encodeSlackBody(b);
  const headers: Record<string, string> = {
    "content-type": contentType,
    ...signedHeaders(secret, body, options.timestamp),
    ...(options.signature ? { "x-slack-signature": options.signature } : {}),
    ...options.headers,
  };
  const res = await fetch(url, { method: "POST", headers, body });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, text, json };
}

// ---- payload builders: the shapes Slack sends, with sensible defaults ----------------------------

let eventCounter = 0;

export function newEventId(): string {
  eventCounter++;
  return `Ev${Date.now().toString(36).toUpperCase()}${eventCounter}${randomBytes(2).toString("hex").toUpperCase()}`;
}

export interface EnvelopeOptions {
  teamId: string;
  enterpriseId?: string | null;
  eventId?: string;
  apiAppId?: string;
  /** Seconds since the epoch. */
  eventTime?: number;
  isEnterpriseInstall?: boolean;
}

/** An Events API `event_callback` envelope around `event`. */
export function eventEnvelope(event: Record<string, unknown>, o: EnvelopeOptions): Record<string, unknown> {
  return {
    token: "legacy-verification-token",
    team_id: o.teamId,
    ...(o.enterpriseId ? { enterprise_id: o.enterpriseId } : {}),
    api_app_id: o.apiAppId ?? "A0FAKE",
    event,
    type: "event_callback",
    event_id: o.eventId ?? newEventId(),
    event_time: o.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: o.enterpriseId ?? null,
        team_id: o.teamId,
        user_id: "UBOT",
        is_bot: true,
        is_enterprise_install: o.isEnterpriseInstall ?? false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** Slash command form fields. */
export function commandFields(o: {
  teamId: string;
  userId: string;
  text: string;
  responseUrl: string;
  command?: string;
  channelId?: string;
  triggerId?: string;
  enterpriseId?: string;
}): Record<string, string> {
  return {
    token: "legacy-verification-token",
    team_id: o.teamId,
    team_domain: "fake",
    ...(o.enterpriseId ? { enterprise_id: o.enterpriseId } : {}),
    channel_id: o.channelId ?? "C0GENERAL",
    channel_name: "general",
    user_id: o.userId,
    user_name: o.userId.toLowerCase(),
    command: o.command ?? "/offline",
    text: o.text,
    api_app_id: "A0FAKE",
    is_enterprise_install: "false",
    response_url: o.responseUrl,
    trigger_id: o.triggerId ?? `${Date.now()}.trigger.${randomBytes(4).toString("hex")}`,
  };
}
