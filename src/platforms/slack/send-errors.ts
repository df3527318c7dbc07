// Slack Web API errors → the core's SendFailure (core/send-failure.ts). The only place that knows
// which Slack answers mean "nothing was posted" and which leave the post's fate unknown.
import { SendFailure, type SendFailureReason } from "../../core/send-failure.ts";
import { asDefinite, failureOf, neverConnected, systemCode } from "../send-failures.ts";

const CHANNEL_GONE = new Set(["channel_not_found", "not_in_channel", "is_archived"]);
/** The workspace uninstalled the app, revoked its token, or was deactivated. */
const APP_REMOVED = new Set([
  "account_inactive",
  "token_revoked",
  "invalid_auth",
  "not_authed",
  "team_access_not_granted",
  "org_login_required",
]);
const RECIPIENT_GONE = new Set(["user_not_found", "user_disabled", "cannot_dm_bot", "user_not_visible"]);
/** ok:false answers after which Slack may still have posted (its own error or timeout). */
const SLACK_SIDE_AMBIGUOUS = new Set([
  "internal_error",
  "fatal_error",
  "request_timeout",
  "service_unavailable",
]);

const RATE_LIMIT_EXCEEDED = /A rate limit was exceeded \(url: [^,]*, retry-after: (\d+)\)/;

interface ErrorShape {
  code?: unknown;
  data?: { error?: unknown };
  statusCode?: unknown;
  retryAfter?: unknown;
  original?: unknown;
  message?: unknown;
}

function platformReason(code: string): SendFailureReason {
  if (CHANNEL_GONE.has(code)) return "channel-unavailable";
  if (APP_REMOVED.has(code)) return "app-removed";
  if (RECIPIENT_GONE.has(code)) return "recipient-unavailable";
  return "rejected";
}

function isTimeout(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === "TimeoutError" || name === "AbortError";
}

export function classifySlackError(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  const e = (err ?? {}) as ErrorShape;
  const make = failureOf(err);

  switch (e.code) {
    case "slack_webapi_platform_error": {
      const code = typeof e.data?.error === "string" ? e.data.error : "unknown_error";
      if (code === "ratelimited" || code === "rate_limited")
        return make("rate-limited", "rate-limited", code);
      if (SLACK_SIDE_AMBIGUOUS.has(code)) return make("ambiguous", "server-error", code);
      return make("definite", platformReason(code), code);
    }
    case "slack_webapi_rate_limited_error": {
      const sec = typeof e.retryAfter === "number" ? e.retryAfter : undefined;
      return make("rate-limited", "rate-limited", "ratelimited", sec !== undefined ? sec * 1000 : undefined);
    }
    case "slack_webapi_http_error": {
      const status = typeof e.statusCode === "number" ? e.statusCode : 0;
      // Slack answers 200 for everything it handled; a 5xx (or a proxy's) may follow an accepted post.
      if (status >= 500 || status === 0) return make("ambiguous", "server-error", `http_${status}`);
      return make("definite", "rejected", `http_${status}`);
    }
    case "slack_webapi_request_error": {
      // The WebClient wraps its own "retries after 429s ran out" error as a request error.
      const original = (e.original as { message?: unknown } | undefined)?.message;
      const limitedOut = typeof original === "string" ? RATE_LIMIT_EXCEEDED.exec(original) : null;
      if (limitedOut)
        return make("rate-limited", "rate-limited", "ratelimited", Number(limitedOut[1]) * 1000);
      const sys = systemCode(e.original);
      if (sys !== null && neverConnected(sys)) return make("definite", "unreachable", sys);
      if (isTimeout(e.original)) return make("ambiguous", "timeout", "timeout");
      return make("ambiguous", "unknown", sys ?? "request_error");
    }
  }
  // What p-retry throws when the retries after 429s ran out: each attempt waited out Retry-After.
  const limited = RATE_LIMIT_EXCEEDED.exec(typeof e.message === "string" ? e.message : "");
  if (limited) return make("rate-limited", "rate-limited", "ratelimited", Number(limited[1]) * 1000);
  return make("ambiguous", "unknown", "unclassified");
}

/**
 * Runs a Slack call that only prepares a send (conversations.open, reading the token): whatever
 * went wrong, nothing was posted yet, so an ambiguous answer is still a definite failure here.
 */
export async function beforeSend<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw asDefinite(classifySlackError(err));
  }
}
