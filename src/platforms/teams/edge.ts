// Checks on a Bot Framework request before botbuilder sees it.
//
// botbuilder validates a token by fetching the signing keys of the issuer the token names (OpenID
// metadata from login.botframework.com), so anything that merely looks like a token from the right
// issuer costs an outbound request, and a failed fetch surfaces as a 500. The checks below need no
// keys: they refuse, with no network call, what botbuilder would refuse anyway after fetching (no
// header, not a bearer JWT, an algorithm it doesn't allow, no key id, another audience, expired).
// What passes them still goes through botbuilder's full validation.

/** The algorithms botbuilder accepts (AuthenticationConstants.AllowedSigningAlgorithms). */
const ALLOWED_ALGORITHMS = new Set(["RS256", "RS384", "RS512"]);
/** botbuilder's clock tolerance for expiry (the channel validation parameters). */
const CLOCK_TOLERANCE_S = 5 * 60;
/** Bot Framework tokens are around 1–2 KB; a header far larger is not one. */
const MAX_TOKEN_CHARS = 16 * 1024;

export type BearerCheck = { ok: true } | { ok: false; reason: string };

function jsonSegment(segment: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether `header` could be a Bot Framework token for `appId` at `nowMs`, judged without keys. */
export function checkBearer(header: string | undefined, appId: string, nowMs: number): BearerCheck {
  if (!header?.trim()) return { ok: false, reason: "no authorization header" };
  if (header.length > MAX_TOKEN_CHARS) return { ok: false, reason: "authorization header too long" };
  const m = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header);
  if (!m?.[1] || !m[2]) return { ok: false, reason: "not a bearer JWT" };
  const head = jsonSegment(m[1]);
  const claims = jsonSegment(m[2]);
  if (!head || !claims) return { ok: false, reason: "not a bearer JWT" };
  if (typeof head.alg !== "string" || !ALLOWED_ALGORITHMS.has(head.alg))
    return { ok: false, reason: "signing algorithm not allowed" };
  if (typeof head.kid !== "string" || !head.kid) return { ok: false, reason: "token names no signing key" };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(appId)) return { ok: false, reason: "token is for another audience" };
  if (typeof claims.exp !== "number" || claims.exp + CLOCK_TOLERANCE_S < nowMs / 1000)
    return { ok: false, reason: "token expired" };
  return { ok: true };
}

/**
 * How a failure of botbuilder's authenticateRequest should be answered: 401 for a token it
 * refused, 503 when it could not tell (the signing keys could not be fetched): the Bot Framework
 * retries a 503, and a real message must not be refused for our network's sake.
 */
export function authFailureStatus(err: unknown): 401 | 503 {
  const e = err as { statusCode?: unknown; name?: unknown } | null;
  if (e?.statusCode === 401) return 401;
  if (e?.name === "JsonWebTokenError" || e?.name === "TokenExpiredError" || e?.name === "NotBeforeError")
    return 401;
  return 503;
}
