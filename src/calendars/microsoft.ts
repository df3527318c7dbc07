// Outlook calendars through Microsoft Graph, with Microsoft's Graph client library for the calls.
//
// The OAuth side is plain OAuth 2.0 over fetch, not @azure/msal-node: MSAL refuses any authority
// that is not https (authority_uri_insecure), so it can't be pointed at a local fake, and it keeps
// refresh tokens in its own cache rather than handing them to us to store encrypted per person.
// The Graph client runs with our own middleware chain (a bearer token, then the HTTP handler):
// its default chain only sends the token to https Graph hosts and retries 429s for minutes inside
// a request, where we want "unavailable, retry later" at once.

import {
  Client,
  type Context,
  GraphError,
  HTTPMessageHandler,
  type Middleware,
} from "@microsoft/microsoft-graph-client";
import { z } from "zod";
import { CalendarError, type CalendarEventDraft, type PastEvent } from "../app/calendar-port.ts";
import type { Interval } from "../core/calendar/slots.ts";
import { withoutTrailingSlashes } from "../core/text.ts";
import {
  type CalendarApi,
  type CalendarProvider,
  failureOf,
  idTokenEmail,
  type TokenSet,
  Unauthorized,
} from "./provider.ts";

export const MICROSOFT_SCOPES = ["openid", "email", "offline_access", "Calendars.ReadWrite"];

export interface MicrosoftOptions {
  clientId: string;
  clientSecret: string;
  /** "common" for any work or school account, or one tenant id. */
  tenant: string;
  /** Default https://login.microsoftonline.com. */
  loginUrl?: string;
  /** Default https://graph.microsoft.com. */
  graphUrl?: string;
  timeoutMs?: number;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().optional(),
  expires_in: z.coerce.number().optional(),
  id_token: z.string().optional(),
});

const dateTimeTz = z.object({ dateTime: z.string(), timeZone: z.string().optional() });
const viewPage = z.object({
  value: z.array(
    z.object({
      start: dateTimeTz.optional(),
      end: dateTimeTz.optional(),
      showAs: z.string().optional(),
      attendees: z
        .array(z.object({ emailAddress: z.object({ address: z.string().optional() }).optional() }))
        .optional(),
    }),
  ),
  "@odata.nextLink": z.string().optional(),
});

/** What counts as taken: anything but free (and "working elsewhere", which is still available). */
const BUSY = new Set(["busy", "oof", "tentative", "unknown"]);
const MAX_PAGES = 20;

export class MicrosoftCalendarProvider implements CalendarProvider {
  readonly id = "microsoft" as const;
  private readonly login: string;
  private readonly graph: string;
  private readonly timeout: number;

  constructor(private readonly options: MicrosoftOptions) {
    this.login = withoutTrailingSlashes(options.loginUrl ?? "https://login.microsoftonline.com");
    this.graph = withoutTrailingSlashes(options.graphUrl ?? "https://graph.microsoft.com");
    this.timeout = options.timeoutMs ?? 15_000;
  }

  private endpoint(kind: "authorize" | "token"): string {
    return `${this.login}/${encodeURIComponent(this.options.tenant)}/oauth2/v2.0/${kind}`;
  }

  authorizationUrl(state: string, redirectUri: string): string {
    const url = new URL(this.endpoint("authorize"));
    url.search = new URLSearchParams({
      client_id: this.options.clientId,
      response_type: "code",
      redirect_uri: redirectUri,
      response_mode: "query",
      scope: MICROSOFT_SCOPES.join(" "),
      state,
      prompt: "select_account",
    }).toString();
    return url.toString();
  }

  async exchangeCode(
    code: string,
    redirectUri: string,
  ): Promise<{ tokens: TokenSet; accountEmail: string | null }> {
    const body = await this.token({ grant_type: "authorization_code", code, redirect_uri: redirectUri });
    return { tokens: toTokens(body, null), accountEmail: idTokenEmail(body.id_token) };
  }

  async refresh(refreshToken: string): Promise<TokenSet> {
    const body = await this.token({ grant_type: "refresh_token", refresh_token: refreshToken });
    // Microsoft rotates refresh tokens: keep the new one when it sends one.
    return toTokens(body, refreshToken);
  }

  /**
   * Microsoft has no endpoint that revokes one app's refresh token (revokeSignInSessions signs the
   * person out everywhere). Deleting the tokens is what disconnecting does; the person can remove
   * the app's consent in their account settings, and the disconnect message says so.
   */
  async revoke(_tokens: TokenSet): Promise<void> {}

  private async token(params: Record<string, string>): Promise<z.infer<typeof tokenResponse>> {
    let res: Response;
    try {
      res = await fetch(this.endpoint("token"), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: this.options.clientId,
          client_secret: this.options.clientSecret,
          scope: MICROSOFT_SCOPES.join(" "),
          ...params,
        }),
        signal: AbortSignal.timeout(this.timeout),
      });
    } catch (err) {
      throw new CalendarError({ kind: "unavailable", retryAfterMs: null, detail: errorText(err) });
    }
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) {
      const error = (json as { error?: unknown } | null)?.error;
      // interaction_required: consent withdrawn or a policy now demands sign-in; either way the
      // grant no longer works without the person.
      if (error === "invalid_grant" || error === "interaction_required")
        throw new CalendarError({ kind: "revoked" });
      const failure = failureOf(res.status, json, res.headers.get("retry-after"), `token endpoint`);
      throw failure instanceof Unauthorized ? new CalendarError({ kind: "revoked" }) : failure;
    }
    const parsed = tokenResponse.safeParse(json);
    if (!parsed.success)
      throw new CalendarError({
        kind: "unavailable",
        retryAfterMs: null,
        detail: "unexpected token response",
      });
    return parsed.data;
  }

  api(accessToken: string): CalendarApi {
    // A client per call: its timeout starts with the call.
    const client = () =>
      Client.initWithMiddleware({
        baseUrl: this.graph,
        defaultVersion: "v1.0",
        middleware: [bearer(accessToken), new HTTPMessageHandler()],
        fetchOptions: { signal: AbortSignal.timeout(this.timeout) },
      });
    return {
      busy: (from, to) => call(() => this.busy(client(), from, to)),
      createEvent: (draft) => call(() => createEvent(client(), draft)),
      pastEvents: (from, to) => call(() => this.pastEvents(client(), from, to)),
    };
  }

  /** calendarView pages with only the fields asked for, dates in UTC. */
  private async view(client: Client, from: Date, to: Date, select: string) {
    const items: z.infer<typeof viewPage>["value"] = [];
    let request = client
      .api("/me/calendarView")
      .query({ startDateTime: from.toISOString(), endDateTime: to.toISOString() })
      .select(select)
      .top(100)
      .header("Prefer", 'outlook.timezone="UTC"');
    for (let page = 0; page < MAX_PAGES; page++) {
      const parsed = viewPage.safeParse(await request.get());
      if (!parsed.success)
        throw new CalendarError({
          kind: "unavailable",
          retryAfterMs: null,
          detail: "unexpected calendarView",
        });
      items.push(...parsed.data.value);
      const next = parsed.data["@odata.nextLink"];
      if (!next) break;
      // The library parses https links itself; a link to a plain-http base (a local fake) is made relative.
      const base = `${this.graph}/v1.0/`;
      request = client
        .api(next.startsWith(base) ? next.slice(base.length) : next)
        .header("Prefer", 'outlook.timezone="UTC"');
    }
    return items;
  }

  private async busy(client: Client, from: Date, to: Date): Promise<Interval[]> {
    const out: Interval[] = [];
    for (const item of await this.view(client, from, to, "start,end,showAs")) {
      if (!BUSY.has((item.showAs ?? "busy").toLowerCase())) continue;
      const start = utc(item.start?.dateTime);
      const end = utc(item.end?.dateTime);
      if (start && end && end > start) out.push({ start, end });
    }
    return out;
  }

  private async pastEvents(client: Client, from: Date, to: Date): Promise<PastEvent[]> {
    // Graph can't select inside attendees: their names arrive too and are dropped here.
    const out: PastEvent[] = [];
    for (const item of await this.view(client, from, to, "start,attendees")) {
      const start = utc(item.start?.dateTime);
      if (!start) continue;
      const attendeeEmails = (item.attendees ?? [])
        .map((a) => a.emailAddress?.address?.trim().toLowerCase())
        .filter((e): e is string => Boolean(e));
      out.push({ start, attendeeEmails });
    }
    return out;
  }
}

async function createEvent(
  client: Client,
  draft: CalendarEventDraft,
): Promise<{ id: string; link: string | null }> {
  // Graph sends the invitations itself when an event with attendees is created.
  const created: unknown = await client.api("/me/events").post({
    subject: draft.title,
    ...(draft.description ? { body: { contentType: "text", content: draft.description } } : {}),
    start: { dateTime: utcLocal(draft.start), timeZone: "UTC" },
    end: { dateTime: utcLocal(draft.end), timeZone: "UTC" },
    ...(draft.location ? { location: { displayName: draft.location } } : {}),
    attendees: draft.attendeeEmails.map((address) => ({ emailAddress: { address }, type: "required" })),
  });
  const parsed = z.object({ id: z.string(), webLink: z.string().optional() }).safeParse(created);
  if (!parsed.success)
    throw new CalendarError({ kind: "unavailable", retryAfterMs: null, detail: "no event id" });
  return { id: parsed.data.id, link: parsed.data.webLink ?? null };
}

function bearer(accessToken: string): Middleware {
  let next: Middleware | undefined;
  return {
    async execute(context: Context): Promise<void> {
      if (!context.options) context.options = {};
      const options = context.options;
      options.headers = {
        ...(options.headers as Record<string, string> | undefined),
        Authorization: `Bearer ${accessToken}`,
      };
      if (!next) throw new Error("bearer middleware has no next handler");
      await next.execute(context);
    },
    setNext(handler: Middleware): void {
      next = handler;
    },
  };
}

function toTokens(body: z.infer<typeof tokenResponse>, previousRefresh: string | null): TokenSet {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token ?? previousRefresh,
    expiresAt: body.expires_in ? Date.now() + body.expires_in * 1000 : null,
  };
}

/** A Graph dateTime in UTC ("2026-12-08T12:30:00.0000000", no zone) as a Date. */
function utc(dateTime: string | undefined): Date | null {
  if (!dateTime) return null;
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

function utcLocal(d: Date): string {
  return d.toISOString().replace(/Z$/, "");
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200);
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CalendarError || err instanceof Unauthorized) throw err;
    if (err instanceof GraphError) {
      const headers = err.headers as Headers | undefined;
      throw failureOf(
        err.statusCode > 0 ? err.statusCode : null,
        { error: err.code },
        headers?.get?.("retry-after"),
        err.message.slice(0, 200),
      );
    }
    throw new CalendarError({ kind: "unavailable", retryAfterMs: null, detail: errorText(err) });
  }
}
