// What the Google and Microsoft providers share: reading a provider's HTTP failure as the port's
// error, Retry-After, and the email of an OpenID id_token.
import { CalendarError, type CalendarFailure } from "../app/calendar-port.ts";
import { Unauthorized } from "../app/calendar-providers.ts";

export type { CalendarApi, CalendarProvider, TokenSet } from "../app/calendar-providers.ts";
export { Unauthorized };

/** Retry-After (seconds or an HTTP date) in ms; null when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const t = value.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * An HTTP failure of a provider call, as the port's failure: 401 → Unauthorized (the caller
 * refreshes); invalid_grant at the token endpoint → revoked; everything else (429, 5xx, network,
 * and 403, which Google also uses for rate limits) → unavailable, retried later.
 */
export function failureOf(
  status: number | null,
  body: unknown,
  retryAfter: string | null | undefined,
  detail: string,
): CalendarError | Unauthorized {
  const error = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
  if (error === "invalid_grant") return new CalendarError({ kind: "revoked" });
  if (status === 401) return new Unauthorized();
  const failure: CalendarFailure = {
    kind: "unavailable",
    retryAfterMs: retryAfterMs(retryAfter),
    detail: status === null ? detail : `HTTP ${status}: ${detail}`,
  };
  return new CalendarError(failure);
}

/** The email claim of an OpenID id_token received straight from the token endpoint (TLS-authenticated). */
export function idTokenEmail(idToken: unknown): string | null {
  if (typeof idToken !== "string") return null;
  const payload = idToken.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    for (const k of ["email", "preferred_username", "upn"]) {
      const v = claims[k];
      if (typeof v === "string" && v.includes("@")) return v.toLowerCase();
    }
  } catch {
    return null;
  }
  return null;
}
