import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { z } from "zod";
import { decodeKey } from "../../config.ts";

// Dashboard sessions live in the cookie itself, signed (HMAC-SHA256) rather than stored: any
// replica can read them, and nothing is written per page view. The cookie says who (platform ids,
// so a forgotten or removed teammate loses access at once) and carries the CSRF token the forms
// echo back.

export const SESSION_COOKIE = "tio_session";
/** The sign-in attempt in flight (state and nonce), for the callback to check. */
export const LOGIN_COOKIE = "tio_login";
export const SESSION_HOURS = 8;
export const LOGIN_MINUTES = 10;

const sessionSchema = z.object({
  p: z.enum(["slack", "teams"]),
  w: z.string().min(1).max(200),
  u: z.string().min(1).max(200),
  csrf: z.string().min(16).max(100),
  exp: z.number().int(),
});
export type Session = z.infer<typeof sessionSchema>;

const loginSchema = z.object({
  provider: z.enum(["slack", "microsoft"]),
  state: z.string().min(16).max(100),
  nonce: z.string().min(16).max(100),
  exp: z.number().int(),
  /** Started by the Teams tab's pop-up fallback: ends by handing the tab a one-time token. */
  tab: z.boolean().optional(),
});
export type LoginAttempt = z.infer<typeof loginSchema>;

/**
 * The signing key: SESSION_SECRET, else one derived from TOKEN_ENCRYPTION_KEY (HKDF, so the
 * token key itself never signs anything), else a random one for this process only (sessions then
 * end at a restart and don't cross replicas; the caller logs that).
 */
export function sessionKey(secret: string | undefined, tokenKey: string | undefined): Buffer | null {
  if (secret) return Buffer.from(secret, "utf8");
  const key = tokenKey ? decodeKey(tokenKey) : null;
  if (key)
    return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "take-it-offline dashboard session", 32));
  return null;
}

export class CookieSigner {
  constructor(private readonly key: Buffer) {}

  private mac(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url");
  }

  seal(value: unknown): string {
    const payload = Buffer.from(JSON.stringify(value)).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  /** The value, if the signature is ours; null for anything else. */
  open(raw: string | undefined): unknown {
    if (!raw || raw.length > 4000) return null;
    const dot = raw.indexOf(".");
    if (dot < 1) return null;
    const payload = raw.slice(0, dot);
    const given = Buffer.from(raw.slice(dot + 1));
    const expected = Buffer.from(this.mac(payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    } catch {
      return null;
    }
  }

  session(raw: string | undefined, now: Date): Session | null {
    const parsed = sessionSchema.safeParse(this.open(raw));
    return parsed.success && parsed.data.exp > now.getTime() ? parsed.data : null;
  }

  login(raw: string | undefined, now: Date): LoginAttempt | null {
    const parsed = loginSchema.safeParse(this.open(raw));
    return parsed.success && parsed.data.exp > now.getTime() ? parsed.data : null;
  }
}

export function randomToken(): string {
  return randomBytes(24).toString("base64url");
}

/** Both strings equal, in constant time. */
export function sameToken(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function readCookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export interface CookieOptions {
  path: string;
  maxAgeSeconds: number;
  secure: boolean;
  /**
   * For the Teams tab: the dashboard runs in Teams' iframe, a third-party context where a Lax
   * cookie is never sent. SameSite=None needs Secure; Partitioned (CHIPS) keeps the cookie to
   * Teams' frame of our site, so it is no tracking cookie and browsers that block third-party
   * cookies still keep it. Over plain http (development) it stays Lax.
   */
  framed?: boolean;
}

export function setCookie(name: string, value: string, o: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${o.path}`,
    `Max-Age=${o.maxAgeSeconds}`,
    "HttpOnly",
    ...(o.framed && o.secure ? ["SameSite=None", "Secure", "Partitioned"] : ["SameSite=Lax"]),
    ...(o.secure && !o.framed ? ["Secure"] : []),
  ].join("; ");
}
