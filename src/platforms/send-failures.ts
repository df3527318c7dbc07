// Shared by the Slack and Teams send-error classifiers (slack/send-errors.ts, teams/chat.ts): what
// a failed HTTP call looks like below any platform, and building the core's SendFailure.
import { SendFailure, type SendFailureKind, type SendFailureReason } from "../core/send-failure.ts";

/** Connection errors where the request never reached the platform: nothing can have been posted. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** The system error code (ECONNREFUSED…) anywhere in an error's cause chain, else null. */
export function systemCode(err: unknown): string | null {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length) e = errors[0];
    else e = (e as { cause?: unknown }).cause;
  }
  return null;
}

export function neverConnected(code: string | null): boolean {
  return code !== null && NEVER_CONNECTED.has(code);
}

/** A classifier's result builder bound to the original error (kept as the cause, for logs). */
export function failureOf(
  err: unknown,
): (kind: SendFailureKind, reason: SendFailureReason, code: string, retryAfterMs?: number) => SendFailure {
  const message = err instanceof Error ? err.message : String(err);
  return (kind, reason, code, retryAfterMs) =>
    new SendFailure({
      kind,
      reason,
      code,
      message,
      cause: err,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
}

/** A failure in a step before the message itself (opening a DM, reading a token): nothing was sent. */
export function asDefinite(f: SendFailure): SendFailure {
  if (f.kind !== "ambiguous") return f;
  return new SendFailure({ kind: "definite", reason: f.reason, code: f.code, message: f.message, cause: f });
}
