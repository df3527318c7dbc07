// How a message that didn't go out is reported: one note per failure, for the scheduled jobs'
// JSON results and log lines (nudge sweep, follow-ups).
import { nothingWasSent, type SendFailure } from "../core/send-failure.ts";

/** One message that didn't go out, for the job's report and the caller's log. */
export interface SendFailureNote {
  memberId: string;
  contactId?: string;
  lunchId?: string;
  kind: SendFailure["kind"];
  reason: SendFailure["reason"];
  /** The platform's code, as the adapter reported it. */
  code: string;
  retryAfterMs?: number;
  /** "retry": nothing was delivered and the next run asks again; "dropped": at most once, not resent. */
  next: "retry" | "dropped";
}

export function failureNote(
  f: SendFailure,
  ids: { memberId: string; contactId?: string; lunchId?: string },
): SendFailureNote {
  return {
    ...ids,
    kind: f.kind,
    reason: f.reason,
    code: f.code,
    ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    next: nothingWasSent(f) ? "retry" : "dropped",
  };
}
