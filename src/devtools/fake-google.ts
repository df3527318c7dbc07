import {
  type FakeCalendarOptions,
  FakeCalendarServer,
  newEventId,
  overlapping,
  type ParsedRequest,
  type Reply,
} from "./fake-calendar-server.ts";

// A local Google: OAuth (GET /o/oauth2/v2/auth, POST /token, POST /revoke) and the Calendar API
// paths the bot uses (POST /calendar/v3/freeBusy, POST and GET /calendar/v3/calendars/primary/events).
// Point google-auth-library and @googleapis/calendar at it with GOOGLE_OAUTH_URL = GOOGLE_API_URL = url.
//
//   const google = await FakeGoogle.start();
//   google.addAccount("ann@acme.example", [{ start, end }]);   // her busy times
//   google.failNext(429, 1, { retryAfter: "30" });               // the next API call
//   google.revokeAccount("ann@acme.example");                    // refresh → invalid_grant

export class FakeGoogle extends FakeCalendarServer {
  /** Events per page of an events.list (Google's maxResults is capped by this too). */
  pageSize = 250;

  static async start(options: FakeCalendarOptions = {}): Promise<FakeGoogle> {
    const fake = new FakeGoogle(options);
    await fake.listen();
    return fake;
  }

  constructor(options: FakeCalendarOptions = {}) {
    super(options);
    this.use((req) => this.route(req));
  }

  private route(req: ParsedRequest): Reply | null {
    if (req.method === "GET" && req.path === "/o/oauth2/v2/auth") return this.authorize(req);
    if (req.method === "POST" && req.path === "/token") return this.token(req);
    if (req.method === "POST" && req.path === "/revoke") return this.revoke(req);
    if (!req.path.startsWith("/calendar/v3/")) return null;
    const auth = this.authenticate(req);
    if (!("account" in auth)) return auth;
    const account = auth.account;
    if (req.method === "POST" && req.path === "/calendar/v3/freeBusy") {
      const body = (req.body ?? {}) as { timeMin?: string; timeMax?: string; items?: Array<{ id?: string }> };
      const from = new Date(body.timeMin ?? "");
      const to = new Date(body.timeMax ?? "");
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
        return { status: 400, body: { error: { code: 400, message: "Bad Request" } } };
      const busy = [...overlapping(account.busy, from, to), ...overlapping(account.events, from, to)]
        .sort((a, b) => a.start.getTime() - b.start.getTime())
        .map((b) => ({ start: b.start.toISOString(), end: b.end.toISOString() }));
      const calendars = Object.fromEntries((body.items ?? []).map((i) => [i.id ?? "primary", { busy }]));
      return {
        status: 200,
        body: { kind: "calendar#freeBusy", timeMin: body.timeMin, timeMax: body.timeMax, calendars },
      };
    }
    if (req.path === "/calendar/v3/calendars/primary/events") {
      if (req.method === "POST") {
        const b = (req.body ?? {}) as {
          summary?: string;
          location?: string;
          start?: { dateTime?: string };
          end?: { dateTime?: string };
          attendees?: Array<{ email?: string }>;
        };
        const start = new Date(b.start?.dateTime ?? "");
        const end = new Date(b.end?.dateTime ?? "");
        if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start)
          return { status: 400, body: { error: { code: 400, message: "Invalid start or end" } } };
        const event = {
          id: newEventId(),
          start,
          end,
          title: b.summary ?? "",
          location: b.location ?? null,
          attendees: (b.attendees ?? []).map((a) => (a.email ?? "").toLowerCase()).filter(Boolean),
          sendUpdates: req.query.sendUpdates ?? null,
        };
        account.events.push(event);
        return {
          status: 200,
          body: { id: event.id, htmlLink: `${req.origin}/calendar/event?eid=${event.id}` },
        };
      }
      if (req.method === "GET") {
        const from = new Date(req.query.timeMin ?? "");
        const to = new Date(req.query.timeMax ?? "");
        const all = overlapping(account.events, from, to).sort(
          (a, b) => a.start.getTime() - b.start.getTime(),
        );
        const size = Math.min(this.pageSize, Number(req.query.maxResults ?? 250));
        const offset = Number(req.query.pageToken ?? 0);
        const page = all.slice(offset, offset + size);
        const next = offset + size < all.length ? String(offset + size) : undefined;
        return {
          status: 200,
          body: {
            kind: "calendar#events",
            // Everything an event has; the client asks for fewer `fields` and Google would trim.
            items: page.map((e) => ({
              id: e.id,
              summary: e.title,
              location: e.location,
              start: { dateTime: e.start.toISOString() },
              end: { dateTime: e.end.toISOString() },
              attendees: e.attendees.map((email) => ({ email, responseStatus: "accepted" })),
            })),
            ...(next ? { nextPageToken: next } : {}),
          },
        };
      }
    }
    return { status: 404, body: { error: { code: 404, message: "Not Found" } } };
  }
}
