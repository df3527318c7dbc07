// Teams' durable inbox over real HTTP (real server, real CloudAdapter, fake Bot Connector, both
// databases): an activity is stored before its 200; a turn that failed, or one acknowledged by a
// process that then died, is replayed later, once, even with two replicas replaying at once; and a
// redelivered activity id is processed once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Platform } from "../../src/platforms/types.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  type Json,
  mention,
  personalConversationId,
  type RecordedCall,
  startTeamsHarness,
  type TeamsHarness,
  type TeamsWorld,
} from "../helpers/fake-bot-connector.ts";
import { startSlackHarness } from "../helpers/slack-signing.ts";

const TENANT = "tenant-acme";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
const gwen: FakeUser = { id: "29:gwen", name: "Gwen Guest", tenantId: TENANT, userRole: "guest" };
/** Every stored row is "old enough" for a replay. */
const later = () => new Date(Date.now() + 60_000);

describe.each(PROVIDERS)("Teams durable inbox on %s", (provider) => {
  let h: TeamsHarness;
  let wsId: string;
  /** Connector calls to Ann's personal chat that were answered with success. */
  const delivered = () =>
    h.fake
      .sent(personalConversationId(ann))
      .filter((c: RecordedCall) => c.status !== undefined && c.status < 300);
  const row = (key: string) => h.app.database.db.processedEvent.findUniqueOrThrow({ where: { key } });
  const personalKey = (a: Json) => `teams:message:${TENANT}:${personalConversationId(ann)}:${String(a.id)}`;
  /**
   * Makes every send to Ann's personal chat fail with a 500 (a Bot Connector outage) while `down`.
   * The connector client retries a 5xx a few times itself, so a single 500 would not fail the turn.
   */
  let down = false;

  /** A second replica: another server process on the same database (its start() replays too). */
  async function replica(): Promise<RunningServer & { teams: Platform }> {
    const app = await openApp(
      loadConfig({
        DATABASE_URL: h.app.config.DATABASE_URL,
        LOG_LEVEL: "silent",
        TEAMS_ALLOW_UNAUTHENTICATED: "true",
      }),
      { clock: h.clock },
    );
    const server = await startServer(app, { port: 0, host: "127.0.0.1", scheduler: false });
    const teams = server.platforms.find((p) => p.name === "teams");
    if (!teams) throw new Error("Teams did not start on the replica");
    return Object.assign(server, { teams });
  }

  /** What the inbox holds when a process acknowledged `activity` and died before processing it. */
  async function storeUnprocessed(key: string, activity: Json): Promise<void> {
    expect(await h.app.store.recordEvent(key, wsId, JSON.stringify(activity))).toBe(true);
  }

  async function until(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error("timed out");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(ann, gwen);
    h.fake.fault = (call) =>
      down && call.method === "POST" && call.conversationId === personalConversationId(ann)
        ? { status: 500, body: { error: { code: "Outage", message: "scripted" } } }
        : null;
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    wsId = (await h.app.store.findWorkspace("teams", TENANT))?.id ?? "";
    expect(wsId).not.toBe("");
  });
  afterAll(async () => {
    await h?.close();
  });

  it("a turn that failed after its 200 is replayed, and processed exactly once", async () => {
    const command = activities.personalMessage(h.world, ann, "stats");
    down = true;
    expect(await h.post(command)).toBe(200);
    down = false;
    expect(delivered()).toHaveLength(0);
    expect(await row(personalKey(command))).toMatchObject({ status: "failed", attempts: 1 });

    expect(await h.platform.replayPending(later())).toBe(1);
    const replies = delivered();
    expect(replies).toHaveLength(1);
    // The same reply a live turn gives: to the same message, in the same chat.
    expect(replies[0]?.activityId).toBe(command.id);
    expect(String(replies[0]?.body?.text)).toMatch(/stat|contact|week/i);
    expect(await row(personalKey(command))).toMatchObject({ status: "done", payload: null, attempts: 2 });
    expect(await h.platform.replayPending(later())).toBe(0);
    expect(delivered()).toHaveLength(1);
  });

  it("an activity acknowledged by a process that died is replayed when a replica starts", async () => {
    const msg = activities.channelMessage(h.world, ann, "Lunch with <at>Gwen Guest</at>?", {
      mentions: [mention(gwen)],
    });
    const key = `teams:message:${TENANT}:${h.world.generalId}:${String(msg.id)}`;
    await storeUnprocessed(key, msg);
    // Received two minutes ago: older than the start-up replay's one-minute grace.
    await h.app.database.db.processedEvent.update({
      where: { key },
      data: { receivedAt: new Date(Date.now() - 120_000) },
    });
    const db = h.app.database.db;
    const mentions = () => db.mention.count({ where: { messageId: { endsWith: `:${String(msg.id)}` } } });
    expect(await mentions()).toBe(0);

    const other = await replica();
    try {
      await until(async () => (await row(key)).status === "done");
    } finally {
      await other.stop();
    }
    expect(await mentions()).toBe(1);
    // Teams redelivering it now (it never got the first 200 in time) changes nothing.
    expect(await h.post(msg)).toBe(200);
    expect(await h.platform.replayPending(later())).toBe(0);
    expect(await mentions()).toBe(1);
  });

  it("two replicas replaying the same pending activity at once process it once", async () => {
    const command = activities.personalMessage(h.world, ann, "stats");
    await storeUnprocessed(personalKey(command), command);
    const other = await replica();
    try {
      const before = delivered().length;
      const counts = await Promise.all([
        h.platform.replayPending(later()),
        other.teams.replayPending(later()),
      ]);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
      expect(delivered().length - before).toBe(1);
      expect(await row(personalKey(command))).toMatchObject({ status: "done", attempts: 1 });
    } finally {
      await other.stop();
    }
  });

  it("answers 500 when the activity can't be stored, so Teams redelivers it; the redelivery is processed", async () => {
    const db = h.app.database.db;
    const table = provider === "postgresql" ? '"ProcessedEvent"' : "ProcessedEvent";
    const command = activities.personalMessage(h.world, ann, "stats");
    const before = delivered().length;
    await db.$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "ProcessedEventGone"`);
    try {
      expect(await h.post(command)).toBe(500);
    } finally {
      await db.$executeRawUnsafe(`ALTER TABLE "ProcessedEventGone" RENAME TO ${table}`);
    }
    // Not processed: no answer went out.
    expect(delivered().length).toBe(before);
    expect(await h.post(command)).toBe(200);
    expect(delivered().length - before).toBe(1);
    expect(await row(personalKey(command))).toMatchObject({ status: "done" });
  });

  it("a redelivered activity id is processed once, even while its first delivery is failing", async () => {
    const command = activities.personalMessage(h.world, ann, "stats");
    const before = delivered().length;
    down = true;
    expect(await h.post(command)).toBe(200);
    const attempts = h.fake.sent(personalConversationId(ann)).length;
    // Bot Framework redelivers (in turn and at once): dropped, not a second processing.
    expect(await h.post(command)).toBe(200);
    expect(await Promise.all([h.post(command), h.post(command)])).toEqual([200, 200]);
    down = false;
    expect(h.fake.sent(personalConversationId(ann)).length).toBe(attempts);
    expect(await h.platform.replayPending(later())).toBe(1);
    expect(await h.post(command)).toBe(200);
    expect(delivered().length - before).toBe(1);

    // Ids are scoped by tenant: the same id and conversation from another tenant is its own row.
    const elsewhere: Json = {
      ...command,
      conversation: { ...(command.conversation as Json), tenantId: "tenant-other" },
      channelData: { tenant: { id: "tenant-other" } },
    };
    expect(await h.post(elsewhere)).toBe(200);
    const rows = await h.app.database.db.processedEvent.findMany({
      where: { key: { endsWith: `:${personalConversationId(ann)}:${String(command.id)}` } },
    });
    expect(rows.map((r) => r.key).sort()).toEqual([
      `teams:message:tenant-acme:${personalConversationId(ann)}:${String(command.id)}`,
      `teams:message:tenant-other:${personalConversationId(ann)}:${String(command.id)}`,
    ]);
  });
});

describe.each(PROVIDERS)("Slack and Teams inboxes on one server (%s)", (provider) => {
  it("Slack's replay leaves Teams' pending activities to Teams", async () => {
    const h = await startSlackHarness(provider, { env: { TEAMS_ALLOW_UNAUTHENTICATED: "true" } });
    try {
      const world: TeamsWorld = {
        serviceUrl: "http://127.0.0.1:9/",
        tenantId: TENANT,
        teamId: "19:team@thread.tacv2",
        teamName: "Acme",
        generalId: "19:team@thread.tacv2",
        now: () => h.clock.now(),
      };
      const activity = activities.personalMessage(world, ann, "stats");
      const key = `teams:message:${TENANT}:${personalConversationId(ann)}:${String(activity.id)}`;
      expect(await h.app.store.recordEvent(key, null, JSON.stringify(activity))).toBe(true);
      expect(await h.platform.replayPending(later())).toBe(0);
      // Before, Slack's loop judged the row "not a Slack event" and spent one of its attempts.
      expect(await h.app.database.db.processedEvent.findUniqueOrThrow({ where: { key } })).toMatchObject({
        status: "pending",
        attempts: 0,
        payload: JSON.stringify(activity),
      });
    } finally {
      await h.close();
    }
  });
});
