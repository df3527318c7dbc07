// Why a message didn't go out, in the core's words. Each chat adapter classifies its platform's
// errors into a SendFailure, so the core decides what to do (retry, release a claim, tell the admin)
// without ever reading a Slack error string or an HTTP status.
//
// - "definite": the platform refused, nothing was posted (ok:false, connection refused, 4xx). Safe
//   to try again later; retrying now would fail the same way.
// - "rate-limited": refused for now; nothing was posted. Try again after retryAfterMs.
// - "ambiguous": the request may have been accepted (timeout, connection reset, 5xx). Never sent
//   again automatically: a prompt or digest appears at most once.

export type SendFailureKind = "definite" | "ambiguous" | "rate-limited";

/**
 * What went wrong, platform-neutral. The ones the core words a message for:
 * - "channel-unavailable": the channel is gone, archived, or the bot isn't in it.
 * - "app-removed": the app was uninstalled or its token revoked (or the account deactivated).
 * - "recipient-unavailable": the person can't be messaged (deactivated, unknown).
 */
export type SendFailureReason =
  | "channel-unavailable"
  | "app-removed"
  | "recipient-unavailable"
  | "rate-limited"
  | "timeout"
  | "server-error"
  | "unreachable"
  | "rejected"
  | "unknown";

export class SendFailure extends Error {
  readonly kind: SendFailureKind;
  readonly reason: SendFailureReason;
  /** The platform's own code (e.g. Slack's "not_in_channel", "http_500"), for logs only. */
  readonly code: string;
  readonly retryAfterMs: number | undefined;

  constructor(init: {
    kind: SendFailureKind;
    reason: SendFailureReason;
    code: string;
    retryAfterMs?: number;
    message?: string;
    cause?: unknown;
  }) {
    super(init.message ?? `${init.kind} send failure: ${init.code}`, { cause: init.cause });
    this.name = "SendFailure";
    this.kind = init.kind;
    this.reason = init.reason;
    this.code = init.code;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** For JSON logs and job reports. */
  toJSON(): { kind: SendFailureKind; reason: SendFailureReason; code: string; retryAfterMs?: number } {
    return {
      kind: this.kind,
      reason: this.reason,
      code: this.code,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
    };
  }
}

/**
 * Any error from a ChatPort as a SendFailure. An error an adapter did not classify counts as
 * ambiguous: the core can't know whether the message went out, so it must not send it again.
 */
export function asSendFailure(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new SendFailure({ kind: "ambiguous", reason: "unknown", code: "unclassified", message, cause: err });
}

/** A failure after which nothing reached the platform, so trying again later can't duplicate. */
export function nothingWasSent(f: SendFailure): boolean {
  return f.kind !== "ambiguous";
}
