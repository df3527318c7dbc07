// Calendars over the real protocols: the real Bolt app (signed /offline commands), the real
// Google (google-auth-library, @googleapis/calendar) and Microsoft (OAuth over fetch, Graph client)
// clients pointed at local fakes, on both databases. Connect (consent redirect → callback → grant
// stored encrypted), the Calendar port's three calls, refresh, disconnect (revoke), a revoked grant
// (one DM, grant deleted), a provider's 429/500 (unavailable, retried later).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CalendarError, type MemberCalendar } from "../../src/app/calendar-port.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import type { FakeCalendarServer } from "../../src/devtools/fake-calendar-server.ts";
import { FakeGoogle } from "../../src/devtools/fake-google.ts";
import { FakeGraph } from "../../src/devtools/fake-graph.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { blockAction, type SlackHarness, startSlackHarness } from "../helpers/slack-signing.ts";

const KEY = "a".repeat(64);
const PUBLIC_URL = "https://bot.example.test";
const ANN = "ann@northwind.example";

type Kind = "google" | "microsoft";
const CASES = PROVIDERS.flatMap((db) => (["google", "microsoft"] as const).map((p) => [db, p] as const));

describe.each(CASES)("calendars on %s with %s, over Slack", (db, kind: Kind) => {
  let h: SlackHarness;
  let google: FakeGoogle;
  let graph: FakeGraph;
  const fake = (): FakeCalendarServer => (kind === "google" ? google : graph);

  beforeAll(async () => {
    google = await FakeGoogle.start({ clientId: "g-id", clientSecret: "g-secret" });
    graph = await FakeGraph.start({ clientId: "m-id", clientSecret: "m-secret" });
    h = await startSlackHarness(db, {
      env: {
        TOKEN_ENCRYPTION_KEY: KEY,
        PUBLIC_URL,
        GOOGLE_CLIENT_ID: "g-id",
        GOOGLE_CLIENT_SECRET: "g-secret",
        GOOGLE_OAUTH_URL: google.url,
        GOOGLE_API_URL: google.url,
        MICROSOFT_GRAPH_CLIENT_ID: "m-id",
        MICROSOFT_GRAPH_CLIENT_SECRET: "m-secret",
        MICROSOFT_LOGIN_URL: graph.url,
        MICROSOFT_GRAPH_URL: graph.url,
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await google?.close();
    await graph?.close();
  });
  beforeEach(async () => {
    await h.reset();
    for (const f of [google, graph]) {
      f.reset();
      f.addAccount(ANN, [{ start: new Date("2026-11-19T17:00:00Z"), end: new Date("2026-11-19T18:00:00Z") }]);
    }
  });

  const reply = async (user: string, text: string) => {
    const { responseId } = await h.command(user, text);
    await h.settle();
    return h.responses(responseId);
  };

  /** The consent link from `connect calendar`'s reply (a link button). */
  async function consentUrl(user = "UANN"): Promise<string> {
    const res = await reply(user, `connect calendar ${kind}`);
    const urls = JSON.stringify(res).match(/"url":"([^"]+)"/g) ?? [];
    expect(urls.length).toBe(1);
    return JSON.parse(`{${urls[0]}}`).url as string;
  }

  /** The browser: the provider's consent page redirects to PUBLIC_URL, which is this server. */
  async function follow(url: string): Promise<{ status: number; html: string; callback: string }> {
    const consent = await fetch(url, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const location = new URL(consent.headers.get("location") ?? "");
    expect(location.origin).toBe(PUBLIC_URL);
    expect(location.pathname).toBe(`/calendar/oauth/${kind}`);
    const callback = `${h.base}${location.pathname}${location.search}`;
    const res = await fetch(callback);
    return { status: res.status, html: await res.text(), callback };
  }

  async function connect(): Promise<{ ws: Workspace; ann: Member }> {
    const result = await follow(await consentUrl());
    expect(result.status).toBe(200);
    await h.settle();
    const ws = await h.workspace();
    const ann = (await h.app.store.getMember(ws.id, "UANN")) as Member;
    return { ws, ann };
  }

  async function calendarOf(ws: Workspace, member: Member): Promise<MemberCalendar> {
    const cal = await h.app.service.calendars?.forMember(ws, member);
    if (!cal) throw new Error("no calendar");
    return cal;
  }

  const dmsTo = (text: string) =>
    h.fake.callsTo("chat.postMessage").filter((c) => JSON.stringify(c.args).includes(text));

  it("connects through the consent redirect and stores the grant encrypted, once per link", async () => {
    const url = await consentUrl();
    expect(url.startsWith(fake().url)).toBe(true);
    const first = await follow(url);
    expect(first.status).toBe(200);
    expect(first.html).toContain("Calendar connected");
    expect(first.html).toContain(ANN);
    await h.settle();

    const rows = await h.app.database.db.calendarGrant.findMany();
    expect(rows).toHaveLength(1);
    const row = rows[0];
    expect(row?.provider).toBe(kind);
    expect(row?.accountEmail).toBe(ANN);
    // Sealed: AES-GCM text, no token of the provider's in clear.
    expect(row?.dataEnc.startsWith("v1.")).toBe(true);
    expect(row?.dataEnc).not.toMatch(/access-|refresh-/);
    expect(fake().tokenCalls("authorization_code")).toHaveLength(1);
    expect(dmsTo("is connected")).toHaveLength(1);

    // The same callback again (a replayed or shared link) connects nothing.
    const again = await fetch(first.callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("expired or was already used");
    expect(fake().tokenCalls("authorization_code")).toHaveLength(1);

    // A forged state is refused.
    const forged = new URL(first.callback);
    forged.searchParams.set("state", `${forged.searchParams.get("state")?.slice(0, -4)}AAAA`);
    expect((await fetch(forged)).status).toBe(400);
  });

  it("App Home offers Connect calendar; the click DMs a fresh consent link; then Home says connected", async () => {
    await h.event({ type: "app_home_opened", user: "UANN", tab: "home" });
    await h.settle();
    const home = JSON.stringify(h.fake.callsTo("views.publish").at(-1)?.args);
    expect(home).toContain('"action_id":"calendar_connect"');
    expect(
      (
        await h.interaction(
          blockAction({
            userId: "UANN",
            actionId: "calendar_connect",
            value: "connect",
            view: { id: "VHOME", type: "home" },
          }),
        )
      ).status,
    ).toBe(200);
    await h.settle();
    const dm = JSON.stringify(h.fake.callsTo("chat.postMessage").at(-1)?.args);
    // Both providers are configured here: one link each.
    const urls = (dm.match(/"url":"([^"]+)"/g) ?? []).map((m) => JSON.parse(`{${m}}`).url as string);
    expect(urls).toHaveLength(2);
    const url = urls.find((u) => u.startsWith(fake().url)) ?? "";
    expect((await follow(url)).status).toBe(200);
    await h.event({ type: "app_home_opened", user: "UANN", tab: "home" });
    await h.settle();
    const after = JSON.stringify(h.fake.callsTo("views.publish").at(-1)?.args);
    expect(after).toContain(`calendar (${ANN}) is connected`);
    expect(after).not.toContain('"action_id":"calendar_connect"');
  });

  it("the callback route refuses what isn't a callback of ours", async () => {
    const unknown = await fetch(`${h.base}/calendar/oauth/yahoo?code=x&state=y`);
    expect(unknown.status).toBe(404);
    const posted = await fetch(`${h.base}/calendar/oauth/${kind}`, { method: "POST" });
    expect(posted.status).toBe(404);
    const junk = await fetch(`${h.base}/calendar/oauth/${kind}?code=x&state=${"z".repeat(5000)}`);
    expect(junk.status).toBe(400);
    expect(junk.headers.get("cache-control")).toBe("no-store");
    expect(await junk.text()).toContain("nothing was connected");
    expect(fake().tokenCalls("authorization_code")).toHaveLength(0);
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
  });

  it("answers busy, creates the event with invitations, and lists past events as start + attendee emails only", async () => {
    const { ws, ann } = await connect();
    const cal = await calendarOf(ws, ann);
    expect(cal.provider).toBe(kind);

    const busy = await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
    expect(busy.map((b) => [b.start.toISOString(), b.end.toISOString()])).toEqual([
      ["2026-11-19T17:00:00.000Z", "2026-11-19T18:00:00.000Z"],
    ]);
    expect(await cal.busy(new Date("2026-11-21T00:00:00Z"), new Date("2026-11-22T00:00:00Z"))).toEqual([]);

    const created = await cal.createEvent({
      start: new Date("2026-11-20T17:30:00Z"),
      end: new Date("2026-11-20T18:30:00Z"),
      title: "Lunch with Jane Doe",
      location: "Cafe Nord",
      attendeeEmails: ["bo@northwind.example", "jane@acme.example"],
      timeZone: "America/New_York",
      description: null,
    });
    expect(created.id).toBeTruthy();
    const stored = fake().account(ANN).events;
    expect(stored).toHaveLength(1);
    expect(stored[0]?.attendees).toEqual(["bo@northwind.example", "jane@acme.example"]);
    expect(stored[0]?.start.toISOString()).toBe("2026-11-20T17:30:00.000Z");
    if (kind === "google") expect(stored[0]?.sendUpdates).toBe("all");

    // The booked lunch is busy now.
    const after = await cal.busy(new Date("2026-11-20T00:00:00Z"), new Date("2026-11-21T00:00:00Z"));
    expect(after).toHaveLength(1);

    const past = await cal.pastEvents(new Date("2026-11-14T00:00:00Z"), new Date("2026-11-21T00:00:00Z"));
    const lunch = past.find((p) => p.attendeeEmails.includes("jane@acme.example"));
    expect(lunch?.start.toISOString()).toBe("2026-11-20T17:30:00.000Z");
    expect(Object.keys(lunch ?? {}).sort()).toEqual(["attendeeEmails", "start"]);
    // Only start and attendees were asked for.
    const listed = fake().requests.filter((r) => r.method === "GET" && /events|calendarView/.test(r.path));
    const selects = listed.map((r) => r.query.fields ?? r.query.$select);
    if (kind === "google") expect(selects).toContain("nextPageToken,items(start,attendees(email))");
    else expect(selects).toEqual(expect.arrayContaining(["start,end,showAs", "start,attendees"]));
  });

  it("pages through long lists", async () => {
    const { ws, ann } = await connect();
    if (kind === "google") google.pageSize = 2;
    else graph.pageSize = 2;
    const account = fake().account(ANN);
    for (let i = 0; i < 5; i++)
      account.events.push({
        id: `e${i}`,
        start: new Date(Date.UTC(2026, 10, 16 + i, 12)),
        end: new Date(Date.UTC(2026, 10, 16 + i, 13)),
        title: "secret title",
        location: null,
        attendees: [`p${i}@acme.example`],
        sendUpdates: null,
      });
    const past = await (await calendarOf(ws, ann)).pastEvents(
      new Date("2026-11-15T00:00:00Z"),
      new Date("2026-11-22T00:00:00Z"),
    );
    // (Graph lists the busy block without attendees as an event too.)
    const withGuests = past.filter((p) => p.attendeeEmails.length > 0);
    expect(withGuests.map((p) => p.attendeeEmails[0])).toEqual(
      [0, 1, 2, 3, 4].map((i) => `p${i}@acme.example`),
    );
    expect(JSON.stringify(past)).not.toContain("secret");
    google.pageSize = 250;
    graph.pageSize = 100;
  });

  it("refreshes an access token that is about to expire, and one the provider refuses", async () => {
    fake().expiresIn = 30; // under the refresh margin: the first call refreshes
    const { ws, ann } = await connect();
    const cal = await calendarOf(ws, ann);
    await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
    expect(fake().tokenCalls("refresh_token")).toHaveLength(1);

    fake().expiresIn = 3600;
    await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
    expect(fake().tokenCalls("refresh_token")).toHaveLength(2);
    // Now valid for an hour: no refresh.
    await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
    expect(fake().tokenCalls("refresh_token")).toHaveLength(2);

    // Refused before its time (401): refreshed once and retried.
    fake().expireAccessTokens();
    const busy = await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"));
    expect(busy).toHaveLength(1);
    expect(fake().tokenCalls("refresh_token")).toHaveLength(3);
    expect(await h.app.database.db.calendarGrant.count()).toBe(1);
  });

  it("disconnect revokes (where the provider can) and deletes the grant", async () => {
    await connect();
    expect(fake().liveGrants(ANN)).toBe(1);
    const res = JSON.stringify(await reply("UANN", "disconnect calendar"));
    expect(res).toContain("Disconnected your");
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
    if (kind === "google") expect(fake().liveGrants(ANN)).toBe(0);
    expect(JSON.stringify(await reply("UANN", "disconnect calendar"))).toContain("no calendar connected");
  });

  it("a revoked grant: one polite DM, the grant deleted, no error loop", async () => {
    const { ws, ann } = await connect();
    const cal = await calendarOf(ws, ann);
    fake().revokeAccount(ANN);
    fake().expireAccessTokens();
    const failures = await Promise.allSettled([
      cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z")),
      cal.pastEvents(new Date("2026-11-12T00:00:00Z"), new Date("2026-11-19T00:00:00Z")),
    ]);
    for (const f of failures) {
      expect(f.status).toBe("rejected");
      const err = (f as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(CalendarError);
      expect((err as CalendarError).failure.kind).toBe("revoked");
    }
    await h.settle();
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
    expect(await h.app.service.calendars?.forMember(ws, ann)).toBeNull();
    expect(dmsTo("is no longer connected")).toHaveLength(1);
    expect(JSON.stringify(dmsTo("is no longer connected"))).toContain("connect calendar");
  });

  it("a provider's 429 and 500 are 'unavailable, retry later', and the grant stays", async () => {
    const { ws, ann } = await connect();
    const cal = await calendarOf(ws, ann);
    fake().failNext(429, 1, { retryAfter: "30" });
    const limited = await cal
      .busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"))
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(CalendarError);
    expect((limited as CalendarError).failure).toMatchObject({ kind: "unavailable", retryAfterMs: 30_000 });

    fake().failNext(500);
    const down = await cal
      .createEvent({
        start: new Date("2026-11-20T17:30:00Z"),
        end: new Date("2026-11-20T18:30:00Z"),
        title: "Lunch",
        location: null,
        attendeeEmails: [],
        timeZone: "UTC",
        description: null,
      })
      .catch((e: unknown) => e);
    expect(down).toBeInstanceOf(CalendarError);
    expect((down as CalendarError).failure.kind).toBe("unavailable");
    expect(fake().account(ANN).events).toHaveLength(0);

    // The provider is back: the same grant works.
    expect(await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"))).toHaveLength(
      1,
    );
    expect(await h.app.database.db.calendarGrant.count()).toBe(1);
    expect(dmsTo("is no longer connected")).toHaveLength(0);
  });

  it("a token endpoint that fails, or a provider that can't be reached, is 'unavailable' too", async () => {
    const { ws, ann } = await connect();
    const cal = await calendarOf(ws, ann);
    fake().expireAccessTokens();
    // google-auth-library retries a failed refresh a few times itself; past that, it's our error.
    fake().failNext(503, 10, { scope: "token", retryAfter: "5" });
    const err = await cal
      .busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CalendarError);
    expect((err as CalendarError).failure.kind).toBe("unavailable");
    expect(await h.app.database.db.calendarGrant.count()).toBe(1);
    fake().clearFailures();
    // Next time the refresh goes through.
    expect(await cal.busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"))).toHaveLength(
      1,
    );

    // Nobody listening at the provider's address.
    const closed = kind === "google" ? google : graph;
    await closed.close();
    try {
      const down = await cal
        .busy(new Date("2026-11-19T00:00:00Z"), new Date("2026-11-20T00:00:00Z"))
        .catch((e: unknown) => e);
      expect(down).toBeInstanceOf(CalendarError);
      expect((down as CalendarError).failure.kind).toBe("unavailable");
      expect(await h.app.database.db.calendarGrant.count()).toBe(1);
    } finally {
      await closed.listen(closed.url);
    }
  });

  it("an admin's switch turns calendars off: no connecting, connected calendars not read", async () => {
    const { ws, ann } = await connect();
    await h.app.service.saveSettings(ws, { settings: { ...ws.settings, calendarsEnabled: false } });
    const off = (await h.app.store.getWorkspace(ws.id)) as Workspace;
    expect(await h.app.service.calendars?.forMember(off, ann)).toBeNull();
    expect(JSON.stringify(await reply("UANN", "connect calendar"))).toContain(
      "turned off for this workspace",
    );
  });

  it("an uninstall revokes every grant of the workspace (at Google) and deletes it", async () => {
    await connect();
    expect((await h.event({ type: "app_uninstalled" })).status).toBe(200);
    await h.settle();
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
    expect(fake().liveGrants(ANN)).toBe(kind === "google" ? 0 : 1);
  });

  it("forget-me deletes the grant (and revokes it at Google)", async () => {
    await connect();
    await reply("UANN", "forget-me confirm");
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
    if (kind === "google") expect(fake().liveGrants(ANN)).toBe(0);
  });
});
