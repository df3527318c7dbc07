// People's calendars, put together from the configuration: the providers that have credentials,
// the Calendars use cases over them (src/app/calendars.ts), and the OAuth callback page on the one
// HTTP server (PUBLIC_URL/calendar/oauth/google|microsoft).
import { hkdfSync } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CalendarProviderId } from "../app/calendar-port.ts";
import type { CalendarProvider } from "../app/calendar-providers.ts";
import { CALLBACK_PATH, Calendars } from "../app/calendars.ts";
import type { Sealer } from "../app/installations.ts";
import { type Config, decodeKey } from "../config.ts";
import { CALLBACK_PAGES } from "../core/messages/calendar.ts";
import type { AppStore, Clock } from "../core/ports.ts";
import type { Logger } from "../log.ts";

/**
 * The providers the configuration has credentials for. Each provider's module (Google's and
 * Microsoft's client libraries, ~0.3 s to load together) loads only when it is configured.
 */
export async function configuredProviders(config: Config): Promise<CalendarProvider[]> {
  const out: CalendarProvider[] = [];
  if (config.GOOGLE_CLIENT_ID && config.GOOGLE_CLIENT_SECRET) {
    const { GoogleCalendarProvider } = await import("./google.ts");
    out.push(
      new GoogleCalendarProvider({
        clientId: config.GOOGLE_CLIENT_ID,
        clientSecret: config.GOOGLE_CLIENT_SECRET,
        ...(config.GOOGLE_OAUTH_URL ? { oauthUrl: config.GOOGLE_OAUTH_URL } : {}),
        ...(config.GOOGLE_API_URL ? { apiUrl: config.GOOGLE_API_URL } : {}),
      }),
    );
  }
  // Microsoft: a dedicated Graph app, else the bot's own Entra app (a managed identity has no secret).
  const own = config.MICROSOFT_APP_TYPE !== "UserAssignedMSI";
  const clientId = config.MICROSOFT_GRAPH_CLIENT_ID ?? (own ? config.MICROSOFT_APP_ID : undefined);
  const clientSecret =
    config.MICROSOFT_GRAPH_CLIENT_SECRET ?? (own ? config.MICROSOFT_APP_PASSWORD : undefined);
  if (clientId && clientSecret) {
    const { MicrosoftCalendarProvider } = await import("./microsoft.ts");
    const singleTenant = !config.MICROSOFT_GRAPH_CLIENT_ID && config.MICROSOFT_APP_TYPE === "SingleTenant";
    out.push(
      new MicrosoftCalendarProvider({
        clientId,
        clientSecret,
        tenant: singleTenant && config.MICROSOFT_APP_TENANT_ID ? config.MICROSOFT_APP_TENANT_ID : "common",
        ...(config.MICROSOFT_LOGIN_URL ? { loginUrl: config.MICROSOFT_LOGIN_URL } : {}),
        ...(config.MICROSOFT_GRAPH_URL ? { graphUrl: config.MICROSOFT_GRAPH_URL } : {}),
      }),
    );
  }
  return out;
}

/** The OAuth state's HMAC key: derived from the encryption key, so one secret serves both uses. */
export function stateKeyFrom(key: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), "take-it-offline calendar oauth state", 32));
}

/**
 * The Calendars use cases when any provider is configured, else null (the commands then say
 * calendars aren't configured). Tokens are sealed with TOKEN_ENCRYPTION_KEY; without it there is
 * nowhere safe to keep them, so calendars stay off (and the log says why).
 */
export async function createCalendars(
  config: Config,
  deps: { store: AppStore; clock: Clock; log: Logger; sealer: (key: Buffer) => Sealer },
  options: { providers?: CalendarProvider[]; now?: () => number } = {},
): Promise<Calendars | null> {
  const providers = options.providers ?? (await configuredProviders(config));
  if (providers.length === 0) return null;
  const key = config.TOKEN_ENCRYPTION_KEY ? decodeKey(config.TOKEN_ENCRYPTION_KEY) : null;
  if (!key) {
    deps.log.warn("calendars are off: TOKEN_ENCRYPTION_KEY is needed to keep calendar tokens encrypted", {
      providers: providers.map((p) => p.id),
    });
    return null;
  }
  if (!config.PUBLIC_URL)
    deps.log.warn(
      "calendars can't be connected until PUBLIC_URL is set (the OAuth redirect comes back to it)",
    );
  return new Calendars(
    { store: deps.store, clock: deps.clock },
    {
      providers,
      publicUrl: config.PUBLIC_URL ?? null,
      sealer: deps.sealer(key),
      stateKey: stateKeyFrom(key),
      ...(options.now ? { now: options.now } : {}),
    },
  );
}

/**
 * GET /calendar/oauth/{google|microsoft}?code&state (or ?error): where the provider sends the
 * person back. Answers a small page; false when the path isn't this route's.
 */
export async function handleCalendarCallback(
  calendars: Calendars | undefined,
  log: Logger,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const match = /^\/calendar\/oauth\/(google|microsoft)\/?$/.exec(url.pathname);
  if (!url.pathname.startsWith(`${CALLBACK_PATH}/`)) return false;
  if (!match || req.method !== "GET" || !calendars) {
    page(res, 404, { title: "Not found", body: "There is nothing here." });
    return true;
  }
  const provider = match[1] as CalendarProviderId;
  const one = (k: string) => url.searchParams.get(k);
  const result = await calendars.complete(provider, {
    state: one("state"),
    code: one("code"),
    error: one("error"),
  });
  if (result.ok) {
    log.info("calendar connected", { provider, workspace: result.workspace.id });
    page(res, 200, CALLBACK_PAGES.connected(provider, result.accountEmail));
  } else {
    log.info("calendar connection refused", { provider, reason: result.reason, detail: result.detail });
    page(res, 400, CALLBACK_PAGES.failed(result.reason));
  }
  return true;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function page(res: ServerResponse, status: number, p: { title: string; body: string }): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    // The URL carried a one-time code: keep it out of caches and referrers.
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
  });
  res.end(
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(p.title)}</title></head><body><h1>${escapeHtml(p.title)}</h1><p>${escapeHtml(p.body)}</p></body></html>`,
  );
}
