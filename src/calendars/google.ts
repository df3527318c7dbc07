// Google Calendar through Google's own libraries: google-auth-library's OAuth2Client for the
// consent URL, the code exchange, refresh and revocation, and @googleapis/calendar for the calls.
// Both take their endpoints from the configuration (rootUrl, endpoints), so tests point them at
// the local fake (src/devtools/fake-google.ts). Only what the port needs is asked for: free/busy,
// one event insert, and past events with `fields` limited to their start and attendee emails.

import { calendar, type calendar_v3 } from "@googleapis/calendar";
import { OAuth2Client } from "google-auth-library";
import { CalendarError, type CalendarEventDraft, type PastEvent } from "../app/calendar-port.ts";
import type { Interval } from "../core/calendar/slots.ts";
import { withoutTrailingSlashes } from "../core/text.ts";
import {
  type CalendarApi,
  type CalendarProvider,
  failureOf,
  idTokenEmail,
  type TokenSet,
} from "./provider.ts";

export const GOOGLE_SCOPES = [
  "openid",
  "email",
  // Free/busy without event details, and events the bot creates or lists (start + attendees only).
  "https://www.googleapis.com/auth/calendar.freebusy",
  "https://www.googleapis.com/auth/calendar.events",
];

export interface GoogleOptions {
  clientId: string;
  clientSecret: string;
  /** Base of the OAuth endpoints (/o/oauth2/v2/auth, /token, /revoke); default Google's. */
  oauthUrl?: string;
  /** Base of the APIs (default https://www.googleapis.com/). */
  apiUrl?: string;
  timeoutMs?: number;
}

/** The fields a past-event list asks for: nothing but when and who. */
const PAST_EVENT_FIELDS = "nextPageToken,items(start,attendees(email))";
const MAX_PAGES = 20;

export class GoogleCalendarProvider implements CalendarProvider {
  readonly id = "google" as const;
  private readonly timeout: number;

  constructor(private readonly options: GoogleOptions) {
    this.timeout = options.timeoutMs ?? 15_000;
  }

  private oauth(redirectUri?: string): OAuth2Client {
    const base =
      this.options.oauthUrl === undefined ? undefined : withoutTrailingSlashes(this.options.oauthUrl);
    return new OAuth2Client({
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      // A token endpoint that hangs must not hold a request or a job: it fails as "unavailable".
      transporterOptions: { timeout: this.timeout },
      ...(redirectUri ? { redirectUri } : {}),
      ...(base
        ? {
            endpoints: {
              oauth2AuthBaseUrl: `${base}/o/oauth2/v2/auth`,
              oauth2TokenUrl: `${base}/token`,
              oauth2RevokeUrl: `${base}/revoke`,
            },
          }
        : {}),
    });
  }

  authorizationUrl(state: string, redirectUri: string): string {
    return this.oauth(redirectUri).generateAuthUrl({
      access_type: "offline",
      // Always ask: a second connect must get a refresh token too.
      prompt: "consent",
      include_granted_scopes: true,
      scope: GOOGLE_SCOPES,
      state,
    });
  }

  async exchangeCode(
    code: string,
    redirectUri: string,
  ): Promise<{ tokens: TokenSet; accountEmail: string | null }> {
    try {
      const { tokens } = await this.oauth(redirectUri).getToken({ code, redirect_uri: redirectUri });
      if (!tokens.access_token) throw new CalendarError({ kind: "revoked" });
      return {
        tokens: {
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token ?? null,
          expiresAt: tokens.expiry_date ?? null,
        },
        accountEmail: idTokenEmail(tokens.id_token),
      };
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const client = this.oauth();
    client.setCredentials({ refresh_token: refreshToken });
    try {
      const { credentials } = await client.refreshAccessToken();
      if (!credentials.access_token) throw new CalendarError({ kind: "revoked" });
      return {
        accessToken: credentials.access_token,
        // Google keeps the refresh token; it may send none back.
        refreshToken: credentials.refresh_token ?? refreshToken,
        expiresAt: credentials.expiry_date ?? null,
      };
    } catch (err) {
      throw asCalendarError(err);
    }
  }

  async revoke(tokens: TokenSet): Promise<void> {
    // Revoking the refresh token ends the whole grant (its access tokens too).
    try {
      await this.oauth().revokeToken(tokens.refreshToken ?? tokens.accessToken);
    } catch (err) {
      const e = asCalendarError(err);
      // Already revoked (invalid_token / invalid_grant): the grant is gone, which is what we want.
      if (e instanceof CalendarError && e.failure.kind === "revoked") return;
      if (statusOf(err) === 400) return;
      throw e;
    }
  }

  api(accessToken: string): CalendarApi {
    const auth = this.oauth();
    auth.setCredentials({ access_token: accessToken });
    const api = calendar({
      version: "v3",
      auth,
      // No hidden retries: a 429/5xx becomes "unavailable" at once and the caller retries later.
      retry: false,
      timeout: this.timeout,
      ...(this.options.apiUrl ? { rootUrl: withSlash(this.options.apiUrl) } : {}),
    });
    return {
      busy: (from, to) => call(() => busy(api, from, to)),
      createEvent: (draft) => call(() => createEvent(api, draft)),
      pastEvents: (from, to) => call(() => pastEvents(api, from, to)),
    };
  }
}

async function busy(api: calendar_v3.Calendar, from: Date, to: Date): Promise<Interval[]> {
  const res = await api.freebusy.query({
    requestBody: { timeMin: from.toISOString(), timeMax: to.toISOString(), items: [{ id: "primary" }] },
  });
  const cal = res.data.calendars?.primary;
  if (cal?.errors?.length) {
    throw new CalendarError({
      kind: "unavailable",
      retryAfterMs: null,
      detail: `free/busy: ${cal.errors.map((e) => e.reason ?? "error").join(", ")}`,
    });
  }
  const out: Interval[] = [];
  for (const b of cal?.busy ?? []) {
    const start = b.start ? new Date(b.start) : null;
    const end = b.end ? new Date(b.end) : null;
    if (start && end && !Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime()) && end > start)
      out.push({ start, end });
  }
  return out;
}

async function createEvent(
  api: calendar_v3.Calendar,
  draft: CalendarEventDraft,
): Promise<{ id: string; link: string | null }> {
  const res = await api.events.insert({
    calendarId: "primary",
    // The calendar sends the invitations (and updates), not the bot.
    sendUpdates: "all",
    fields: "id,htmlLink",
    requestBody: {
      summary: draft.title,
      ...(draft.location ? { location: draft.location } : {}),
      ...(draft.description ? { description: draft.description } : {}),
      start: { dateTime: draft.start.toISOString(), timeZone: draft.timeZone },
      end: { dateTime: draft.end.toISOString(), timeZone: draft.timeZone },
      attendees: draft.attendeeEmails.map((email) => ({ email })),
    },
  });
  if (!res.data.id)
    throw new CalendarError({ kind: "unavailable", retryAfterMs: null, detail: "no event id" });
  return { id: res.data.id, link: res.data.htmlLink ?? null };
}

async function pastEvents(api: calendar_v3.Calendar, from: Date, to: Date): Promise<PastEvent[]> {
  const out: PastEvent[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await api.events.list({
      calendarId: "primary",
      timeMin: from.toISOString(),
      timeMax: to.toISOString(),
      singleEvents: true,
      orderBy: "startTime",
      maxResults: 250,
      fields: PAST_EVENT_FIELDS,
      ...(pageToken ? { pageToken } : {}),
    });
    for (const item of res.data.items ?? []) {
      const raw = item.start?.dateTime ?? item.start?.date;
      const start = raw ? new Date(raw) : null;
      if (!start || Number.isNaN(start.getTime())) continue;
      const attendeeEmails = (item.attendees ?? [])
        .map((a) => a.email?.trim().toLowerCase())
        .filter((e): e is string => Boolean(e));
      out.push({ start, attendeeEmails });
    }
    pageToken = res.data.nextPageToken ?? undefined;
    if (!pageToken) break;
  }
  return out;
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asCalendarError(err);
  }
}

function statusOf(err: unknown): number | null {
  const e = err as { status?: unknown; response?: { status?: unknown } };
  const s = e.response?.status ?? e.status;
  return typeof s === "number" ? s : null;
}

/** A gaxios error (or anything thrown) as the port's error. */
function asCalendarError(err: unknown): Error {
  if (err instanceof CalendarError) return err;
  const res = (err as { response?: { data?: unknown; headers?: unknown } }).response;
  const headers = res?.headers as { get?: (k: string) => string | null } | Record<string, string> | undefined;
  const retryAfter =
    headers && typeof (headers as { get?: unknown }).get === "function"
      ? (headers as { get: (k: string) => string | null }).get("retry-after")
      : (headers as Record<string, string> | undefined)?.["retry-after"];
  const message = err instanceof Error ? err.message : String(err);
  return failureOf(statusOf(err), res?.data, retryAfter, message.slice(0, 200));
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}
