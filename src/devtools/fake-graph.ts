import {
  type FakeCalendarOptions,
  FakeCalendarServer,
  newEventId,
  overlapping,
  type ParsedRequest,
  type Reply,
} from "./fake-calendar-server.ts";

// A local Microsoft: the Entra sign-in endpoints (GET /{tenant}/oauth2/v2.0/authorize, POST
// /{tenant}/oauth2/v2.0/token, with refresh tokens rotated as Microsoft does) and the Graph calls
// the bot makes (GET /v1.0/me/calendarView with $select and paging, POST /v1.0/me/events). Point
// the app at it with MICROSOFT_LOGIN_URL = MICROSOFT_GRAPH_URL = url.

export class FakeGraph extends FakeCalendarServer {
  /** Items per calendarView page (Graph pages with @odata.nextLink). */
  pageSize = 100;

  static async start(options: FakeCalendarOptions = {}): Promise<FakeGraph> {
    const fake = new FakeGraph(options);
    await fake.listen();
    return fake;
  }

  constructor(options: FakeCalendarOptions = {}) {
    super({ rotateRefreshTokens: true, ...options });
    this.use((req) => this.route(req));
  }

  private route(req: ParsedRequest): Reply | null {
    const login = /^\/[^/]+\/oauth2\/v2\.0\/(authorize|token)$/.exec(req.path);
    if (login?.[1] === "authorize" && req.method === "GET") return this.authorize(req);
    if (login?.[1] === "token" && req.method === "POST") return this.token(req);
    if (!req.path.startsWith("/v1.0/")) return null;
    const auth = this.authenticate(req);
    if (!("account" in auth)) return auth;
    const account = auth.account;
    if (req.method === "GET" && req.path === "/v1.0/me/calendarView") {
      const from = new Date(req.query.startDateTime ?? "");
      const to = new Date(req.query.endDateTime ?? "");
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()))
        return { status: 400, body: { error: { code: "ErrorInvalidParameter", message: "dates" } } };
      const select = (req.query.$select ?? "").split(",").filter(Boolean);
      const all = [
        ...overlapping(account.busy, from, to).map((b) => ({
          start: b.start,
          end: b.end,
          showAs: b.showAs ?? "busy",
          subject: "Busy",
          attendees: [] as string[],
        })),
        ...overlapping(account.events, from, to).map((e) => ({
          start: e.start,
          end: e.end,
          showAs: "busy",
          subject: e.title,
          attendees: e.attendees,
        })),
      ].sort((a, b) => a.start.getTime() - b.start.getTime());
      const top = Math.min(this.pageSize, Number(req.query.$top ?? this.pageSize));
      const skip = Number(req.query.$skip ?? 0);
      const page = all.slice(skip, skip + top);
      const full = (e: (typeof all)[number]) => ({
        id: newEventId(),
        subject: e.subject,
        showAs: e.showAs,
        start: { dateTime: graphTime(e.start), timeZone: "UTC" },
        end: { dateTime: graphTime(e.end), timeZone: "UTC" },
        attendees: e.attendees.map((address) => ({
          type: "required",
          emailAddress: { address, name: address.split("@")[0] },
        })),
      });
      // Graph returns only the $selected properties (and the id).
      const value = page.map((e) => {
        const f = full(e) as Record<string, unknown>;
        return select.length
          ? Object.fromEntries(Object.entries(f).filter(([k]) => k === "id" || select.includes(k)))
          : f;
      });
      const next = new URL(req.url.toString());
      next.searchParams.set("$skip", String(skip + top));
      return {
        status: 200,
        body: { value, ...(skip + top < all.length ? { "@odata.nextLink": next.toString() } : {}) },
      };
    }
    if (req.method === "POST" && req.path === "/v1.0/me/events") {
      const b = (req.body ?? {}) as {
        subject?: string;
        start?: { dateTime?: string; timeZone?: string };
        end?: { dateTime?: string; timeZone?: string };
        location?: { displayName?: string };
        attendees?: Array<{ emailAddress?: { address?: string } }>;
      };
      const start = fromGraph(b.start);
      const end = fromGraph(b.end);
      if (!start || !end || end <= start)
        return { status: 400, body: { error: { code: "ErrorInvalidRequest", message: "start/end" } } };
      const event = {
        id: newEventId(),
        start,
        end,
        title: b.subject ?? "",
        location: b.location?.displayName ?? null,
        attendees: (b.attendees ?? [])
          .map((a) => (a.emailAddress?.address ?? "").toLowerCase())
          .filter(Boolean),
        sendUpdates: null,
      };
      account.events.push(event);
      return {
        status: 201,
        body: { id: event.id, webLink: `${req.origin}/owa/?itemid=${event.id}` },
      };
    }
    return { status: 404, body: { error: { code: "ResourceNotFound", message: req.path } } };
  }
}

function graphTime(d: Date): string {
  return d.toISOString().replace("Z", "0000");
}

function fromGraph(v: { dateTime?: string; timeZone?: string } | undefined): Date | null {
  if (!v?.dateTime || (v.timeZone && v.timeZone !== "UTC")) return null;
  const d = new Date(`${v.dateTime}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}
