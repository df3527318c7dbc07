// Calendars from Teams: the real botbuilder CloudAdapter over HTTP with a fake Bot Connector, the
// Microsoft calendar (OAuth over fetch, the Graph client library) against the fake Graph, on both
// databases. `connect calendar` and the home card's Connect calendar button answer with an
// Action.OpenUrl consent link; the redirect comes back to the same server; the grant is sealed; a
// revoked grant is told once in the personal chat; `disconnect calendar` deletes it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CalendarError } from "../../src/app/calendar-port.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { FakeGraph } from "../../src/devtools/fake-graph.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  BOT,
  type FakeUser,
  type Json,
  mention,
  personalConversationId,
  type RecordedCall,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";

const TENANT = "tenant-acme";
const PUBLIC_URL = "https://bot.example.test";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT, email: "ann@acme.example" };

/** Every value of `key` anywhere in a sent activity's cards. */
function valuesOf(call: RecordedCall | undefined, pick: (o: Record<string, unknown>) => unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const got = pick(o);
      if (got !== undefined) out.push(got);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(call?.body);
  return out;
}
const openUrls = (call: RecordedCall | undefined) =>
  valuesOf(call, (o) => (o.type === "Action.OpenUrl" ? o.url : undefined)) as string[];

describe.each(PROVIDERS)("calendars from Teams on %s", (provider) => {
  let h: TeamsHarness;
  let graph: FakeGraph;
  const chat = personalConversationId(ann);
  const base = () => h.url.replace(/\/api\/messages$/, "");

  beforeAll(async () => {
    graph = await FakeGraph.start({ clientId: "bot-app-id", clientSecret: "bot-app-secret" });
    h = await startTeamsHarness(provider, {
      tenantId: TENANT,
      env: {
        TOKEN_ENCRYPTION_KEY: "b".repeat(64),
        PUBLIC_URL,
        // Teams runs unauthenticated here; the calendar uses its own Entra app settings.
        MICROSOFT_GRAPH_CLIENT_ID: "bot-app-id",
        MICROSOFT_GRAPH_CLIENT_SECRET: "bot-app-secret",
        MICROSOFT_LOGIN_URL: graph.url,
        MICROSOFT_GRAPH_URL: graph.url,
      },
    });
    h.fake.addUsers(ann);
  });
  afterAll(async () => {
    await h?.close();
    await graph?.close();
  });
  beforeEach(() => {
    graph.reset();
    graph.addAccount("ann@contoso.example", [
      { start: new Date("2026-03-05T12:00:00Z"), end: new Date("2026-03-05T13:00:00Z") },
    ]);
  });

  const say = async (text: string): Promise<RecordedCall[]> => {
    const before = h.fake.sent(chat).length;
    expect(await h.post(activities.personalMessage(h.world, ann, text))).toBe(200);
    return h.fake.sent(chat).slice(before);
  };

  async function followConsent(url: string): Promise<number> {
    const consent = await fetch(url, { redirect: "manual" });
    expect(consent.status).toBe(302);
    const back = new URL(consent.headers.get("location") ?? "");
    expect(back.origin).toBe(PUBLIC_URL);
    const res = await fetch(`${base()}${back.pathname}${back.search}`);
    await res.text();
    return res.status;
  }

  async function annIn(): Promise<{ ws: Workspace; member: Member }> {
    const ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    return { ws, member: (await h.app.store.getMember(ws.id, ann.id)) as Member };
  }

  it("connect calendar: an OpenUrl consent link; the redirect stores the grant sealed and says so in the chat", async () => {
    const [answer] = await say("connect calendar");
    const urls = openUrls(answer);
    expect(urls).toHaveLength(1);
    expect(urls[0]?.startsWith(`${graph.url}/common/oauth2/v2.0/authorize?`)).toBe(true);

    const before = h.fake.sent(chat).length;
    expect(await followConsent(urls[0] ?? "")).toBe(200);
    const grants = await h.app.database.db.calendarGrant.findMany();
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ provider: "microsoft", accountEmail: "ann@contoso.example" });
    expect(grants[0]?.dataEnc.startsWith("v1.")).toBe(true);
    const notes = h.fake.sent(chat).slice(before);
    expect(JSON.stringify(notes)).toContain("is connected");

    // Graph through the port: free/busy from the calendar view (start, end, showAs only).
    const { ws, member } = await annIn();
    const cal = await h.app.service.calendars?.forMember(ws, member);
    const busy = await cal?.busy(new Date("2026-03-05T00:00:00Z"), new Date("2026-03-06T00:00:00Z"));
    expect(busy?.map((b) => b.start.toISOString())).toEqual(["2026-03-05T12:00:00.000Z"]);
    expect(graph.requests.find((r) => r.path === "/v1.0/me/calendarView")?.query.$select).toBe(
      "start,end,showAs",
    );

    // The home card now says it is connected, and how to disconnect.
    const [home] = await say("home");
    expect(JSON.stringify(home?.body)).toContain("calendar (ann@contoso.example) is connected");

    // Disconnect deletes it.
    const [bye] = await say("disconnect calendar");
    expect(JSON.stringify(bye?.body)).toContain("Disconnected your Microsoft calendar");
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
  });

  it("the home card's Connect calendar button answers with a fresh link", async () => {
    const [home] = await say("home");
    const data = valuesOf(home, (o) => (o.type === "Action.Submit" ? o.data : undefined)) as Json[];
    const connect = data.find((d) => d.tio === "connect-calendar");
    expect(connect).toBeDefined();
    const before = h.fake.sent(chat).length;
    const activityId = String((home?.body as Json | undefined)?.id ?? "card-1");
    expect(await h.post(activities.cardSubmit(h.world, ann, chat, activityId, connect as Json))).toBe(200);
    const replies = h.fake.sent(chat).slice(before);
    const urls = replies.flatMap((r) => openUrls(r));
    expect(urls).toHaveLength(1);
    expect(await followConsent(urls[0] ?? "")).toBe(200);
    expect(await h.app.database.db.calendarGrant.count()).toBe(1);
  });

  it("a grant Microsoft no longer honours: one message in the personal chat, grant deleted", async () => {
    const [answer] = await say("connect calendar microsoft");
    expect(await followConsent(openUrls(answer)[0] ?? "")).toBe(200);
    const { ws, member } = await annIn();
    const cal = await h.app.service.calendars?.forMember(ws, member);
    graph.revokeAccount("ann@contoso.example");
    graph.expireAccessTokens();
    const before = h.fake.sent(chat).length;
    for (let i = 0; i < 2; i++) {
      const err = await cal
        ?.pastEvents(new Date("2026-02-25T00:00:00Z"), new Date("2026-03-04T00:00:00Z"))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CalendarError);
      expect((err as CalendarError).failure.kind).toBe("revoked");
    }
    const told = h.fake.sent(chat).slice(before);
    expect(told).toHaveLength(1);
    expect(JSON.stringify(told[0]?.body)).toContain("no longer connected");
    expect(await h.app.database.db.calendarGrant.count()).toBe(0);
  });

  it("connect calendar said in a team channel: the link goes to the person's own chat, not the channel", async () => {
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    await say("help"); // the personal chat exists
    const id = "1700000000001";
    const before = h.fake.sent(chat).length;
    expect(
      await h.post(
        activities.channelMessage(h.world, ann, "<at>Take It Offline</at> connect calendar", {
          id,
          mentions: [mention(BOT)],
        }),
      ),
    ).toBe(200);
    const inChannel = h.fake.sent(`${h.world.generalId};messageid=${id}`);
    expect(inChannel).toHaveLength(1);
    expect(openUrls(inChannel[0])).toEqual([]);
    expect(JSON.stringify(inChannel[0]?.body)).toContain("I sent that to our personal chat.");
    const inChat = h.fake.sent(chat).slice(before);
    expect(inChat.flatMap((c) => openUrls(c))).toHaveLength(1);
  });

  it("connect calendar google, when only Microsoft is configured, says what can be connected", async () => {
    const [answer] = await say("connect calendar google");
    expect(JSON.stringify(answer?.body)).toContain("You can connect: Microsoft");
  });
});
