import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eventEnvelope, signedHeaders } from "../../src/devtools/slack-signing.ts";
import { openDatabase } from "../../src/store/db.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  SIGNING_SECRET,
  type SlackHarness,
  slackTs,
  startSlackHarness,
  TEAM_ID,
} from "../helpers/slack-signing.ts";

// The Events API end to end: signed HTTP requests into the real server and Bolt app, a fake Slack
// Web API on 127.0.0.1, and assertions on HTTP statuses, recorded Web API calls and database rows.

const CHANNEL = "C0SALES";
const at = "2026-11-18T14:00:00Z";

describe.each(PROVIDERS)("Slack events on %s", (provider) => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  beforeEach(async () => {
    await h.reset();
  });
  afterAll(async () => {
    await h.close();
  });

  const db = () => h.app.database.db;
  const mentions = () => db().mention.findMany({ include: { contact: true }, orderBy: { messageId: "asc" } });
  const message = (user: string, text: string, ts: string, extra: Record<string, unknown> = {}) => ({
    type: "message",
    channel: CHANNEL,
    channel_type: "channel",
    user,
    text,
    ts,
    team: TEAM_ID,
    ...extra,
  });

  it("records who mentioned a Slack Connect user, keyed on channel:ts, with people from users.info", async () => {
    const ts = slackTs(at, 1);
    const res = await h.event(message("UBO", "Had a great call with <@UEXT> about the renewal", ts));
    expect(res.status).toBe(200);
    await h.settle();

    const rows = await mentions();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ messageId: `${CHANNEL}:${ts}`, channelId: CHANNEL, source: "message" });
    expect(rows[0]!.contact).toMatchObject({
      displayName: "Jane Doe",
      platformUserId: "UEXT",
      status: "tracked",
    });
    expect(rows[0]!.at.toISOString()).toBe(new Date(at).toISOString());
    const author = await db().member.findUniqueOrThrow({ where: { id: rows[0]!.memberId } });
    expect(author).toMatchObject({
      platformUserId: "UBO",
      displayName: "Bo Chen",
      tz: "America/New_York",
      isAdmin: false,
    });
    expect(
      h.fake
        .callsTo("users.info")
        .map((c) => c.args.user)
        .sort(),
    ).toEqual(["UBO", "UEXT"]);
    // Processed events keep no message text.
    const stored = await db().processedEvent.findUniqueOrThrow({ where: { key: `slack:${res.eventId}` } });
    expect(stored).toMatchObject({ status: "done", payload: null });
  });

  it("caches users.info per process", async () => {
    await h.event(message("UBO", "ping <@UEXT>", slackTs(at, 1)));
    await h.event(message("UBO", "again <@UEXT>", slackTs(at, 2)));
    await h.settle();
    expect(await db().mention.count()).toBe(2);
    expect(h.fake.callsTo("users.info")).toHaveLength(2);

    // An event whose effect isn't idempotent shows it plainly: one join note, not two.
    const join = {
      type: "member_joined_channel",
      user: h.fake.botUserId,
      channel: "C0NEW",
      channel_type: "C",
    };
    const joined = await h.event(join);
    await h.event(join, {
      eventId: joined.eventId,
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_error" },
    });
    await h.settle();
    expect(h.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("turns an external author into a contact without counting their message", async () => {
    await h.event(
      message("UEXT", "Hi team, Jane from Acme here", slackTs(at, 1), {
        user_team: "T0ACME",
        source_team: "T0ACME",
      }),
    );
    await h.settle();
    expect(await db().mention.count()).toBe(0);
    expect(await db().contact.findMany()).toMatchObject([
      { platformUserId: "UEXT", displayName: "Jane Doe" },
    ]);
    expect(await db().member.count({ where: { platformUserId: "UEXT" } })).toBe(0);
  });

  it("treats the event's user_team as external when users.info can't find the user", async () => {
    await h.event(message("UGHOST", "hello", slackTs(at, 1), { user_team: "T0OTHER" }));
    await h.settle();
    expect(await db().contact.findMany()).toMatchObject([{ platformUserId: "UGHOST" }]);
    expect(await db().mention.count()).toBe(0);
  });

  it("re-detects an edited message under the original ts and forgets a deleted one", async () => {
    h.fake.addUser({ id: "UOMAR", team_id: "T0GLOBEX", profile: { display_name: "Omar Haddad" } });
    const ts = slackTs(at, 1);
    await h.event(message("UBO", "lunch with <@UEXT>?", ts));
    await h.settle();
    expect((await mentions()).map((m) => m.contact.displayName)).toEqual(["Jane Doe"]);

    await h.event({
      type: "message",
      subtype: "message_changed",
      channel: CHANNEL,
      channel_type: "channel",
      ts: slackTs(at, 5),
      hidden: true,
      message: {
        type: "message",
        user: "UBO",
        text: "sorry, I meant <@UOMAR>",
        ts,
        edited: { user: "UBO", ts: slackTs(at, 5) },
      },
      previous_message: { type: "message", user: "UBO", text: "lunch with <@UEXT>?", ts },
    });
    await h.settle();
    const edited = await mentions();
    expect(edited.map((m) => [m.messageId, m.contact.displayName])).toEqual([
      [`${CHANNEL}:${ts}`, "Omar Haddad"],
    ]);

    await h.event({
      type: "message",
      subtype: "message_deleted",
      channel: CHANNEL,
      channel_type: "channel",
      ts: slackTs(at, 6),
      hidden: true,
      deleted_ts: ts,
      previous_message: { ts },
    });
    await h.settle();
    expect(await db().mention.count()).toBe(0);
  });

  it("ignores bot messages, the bot's own messages, joins and DMs", async () => {
    await h.event(message("UHELPER", "<@UEXT> deployed", slackTs(at, 1), { bot_id: "B0HELPER" }));
    await h.event({
      type: "message",
      subtype: "bot_message",
      channel: CHANNEL,
      bot_id: "B0HELPER",
      text: "<@UEXT> hi",
      ts: slackTs(at, 2),
    });
    await h.event(message(h.fake.botUserId, "<@UEXT> digest", slackTs(at, 3), { bot_id: h.fake.botId }));
    await h.event(
      message("UBO", "<@UBO> has joined the channel", slackTs(at, 4), { subtype: "channel_join" }),
    );
    await h.event(
      message("UBO", "dm about <@UEXT>", slackTs(at, 5), { channel: "D0BO", channel_type: "im" }),
    );
    await h.event(message("UHELPER", "app user says <@UEXT>", slackTs(at, 6)));
    await h.settle();
    expect(await db().mention.count()).toBe(0);
    // Only the last one (a bot posting as a user) needed a lookup to find out it is a bot, and
    // only it was worth storing in the inbox.
    expect(h.fake.callsTo("users.info").map((c) => c.args.user)).toEqual(["UHELPER"]);
    expect(await db().processedEvent.count()).toBe(1);
  });

  it("processes a retried delivery (same event_id) once", async () => {
    const event = message("UBO", "<@UEXT> again", slackTs(at, 1));
    const first = await h.event(event);
    await h.settle();
    // Without the users.info cache a second run would be visible as more lookups.
    h.platform.runtime.users.clear();
    const retry = await h.event(event, {
      eventId: first.eventId,
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    const retry2 = await h.event(event, {
      eventId: first.eventId,
      headers: { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" },
    });
    await h.settle();
    expect([first.status, retry.status, retry2.status]).toEqual([200, 200, 200]);
    expect(await db().mention.count()).toBe(1);
    expect(await db().processedEvent.count()).toBe(1);
    expect(h.fake.callsTo("users.info")).toHaveLength(2);
  });

  it("rejects a bad signature and a stale timestamp with 401, storing nothing", async () => {
    const body = {
      kind: "json" as const,
      body: {
        type: "event_callback",
        event_id: "Ev1",
        team_id: TEAM_ID,
        event: message("UBO", "<@UEXT>", slackTs(at, 1)),
      },
    };
    const bad = await h.post(body, {
      signature: "v0=0000000000000000000000000000000000000000000000000000000000000000",
    });
    const stale = await h.post(body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(bad.status).toBe(401);
    expect(stale.status).toBe(401);
    await h.settle();
    expect(await db().processedEvent.count()).toBe(0);
    expect(await db().mention.count()).toBe(0);
  });

  it("answers url_verification", async () => {
    const res = await h.post({
      kind: "json",
      body: { type: "url_verification", challenge: "abc123", token: "t" },
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ challenge: "abc123" });
  });

  it("answers 500 when the event can't be persisted, so Slack retries; the retry is processed", async () => {
    const table = h.provider === "postgresql" ? '"ProcessedEvent"' : "ProcessedEvent";
    await db().$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "ProcessedEventGone"`);
    const event = message("UBO", "<@UEXT> once", slackTs(at, 1));
    const first = await h.event(event);
    expect(first.status).toBe(500);
    await h.settle();
    expect(await db().mention.count()).toBe(0);

    await db().$executeRawUnsafe(`ALTER TABLE "ProcessedEventGone" RENAME TO ${table}`);
    const retry = await h.event(event, { eventId: first.eventId, headers: { "x-slack-retry-num": "1" } });
    expect(retry.status).toBe(200);
    await h.settle();
    expect(await db().mention.count()).toBe(1);
  });

  it("keeps the delivery's own bytes until it is processed, and replays them", async () => {
    const table = h.provider === "postgresql" ? '"Mention"' : "Mention";
    await db().$executeRawUnsafe(`ALTER TABLE ${table} RENAME TO "MentionGone"`);
    const ts = slackTs(at, 1);
    const envelope = eventEnvelope(message("UBO", "Lunch with <@UEXT> at the café", ts), {
      teamId: TEAM_ID,
      eventId: "EvOWNBYTES",
    });
    // Not the way JSON.stringify writes it: indented, and the é escaped.
    const body = JSON.stringify(envelope, null, 2).replace("é", "\\u00e9");
    const res = await fetch(`${h.base}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signedHeaders(SIGNING_SECRET, body) },
      body,
    });
    expect(res.status).toBe(200);
    await h.settle();
    const failed = await db().processedEvent.findUniqueOrThrow({ where: { key: "slack:EvOWNBYTES" } });
    expect(failed.status).toBe("failed");
    expect(failed.payload).toBe(body);

    await db().$executeRawUnsafe(`ALTER TABLE "MentionGone" RENAME TO ${table}`);
    expect(await h.platform.replayPending(new Date(Date.now() + 60_000))).toBe(1);
    await h.settle();
    expect(await mentions()).toMatchObject([{ messageId: `${CHANNEL}:${ts}` }]);
    expect(await db().processedEvent.findUniqueOrThrow({ where: { key: "slack:EvOWNBYTES" } })).toMatchObject(
      {
        status: "done",
        payload: null,
      },
    );
  });

  /** A message event stored by the inbox (acknowledged) whose processing never happened. */
  async function storeUnprocessed(eventId: string, ts: string): Promise<boolean> {
    const ws = await h.workspace();
    const envelope = {
      type: "event_callback",
      event_id: eventId,
      team_id: TEAM_ID,
      api_app_id: "A0FAKE",
      authorizations: [{ team_id: TEAM_ID, user_id: "UBOT", is_bot: true, is_enterprise_install: false }],
      event: message("UCY", "met <@UEXT> at the fair", ts),
    };
    return h.app.store.recordEvent(`slack:${eventId}`, ws.id, JSON.stringify(envelope));
  }

  it("replays an event that was acknowledged but never processed (crash after the ack)", async () => {
    expect(await storeUnprocessed("EvCRASHED", slackTs(at, 1))).toBe(true);
    expect(await h.platform.replayPending(new Date(Date.now() + 60_000))).toBe(1);
    await h.settle();
    expect(await mentions()).toMatchObject([{ messageId: `${CHANNEL}:${slackTs(at, 1)}` }]);
    expect(await db().processedEvent.findUniqueOrThrow({ where: { key: "slack:EvCRASHED" } })).toMatchObject({
      status: "done",
      payload: null,
    });
    // Nothing is left to replay.
    expect(await h.platform.replayPending(new Date(Date.now() + 60_000))).toBe(0);
  });

  it("leaves an event another replica is replaying to that replica", async () => {
    await storeUnprocessed("EvSTUCK", slackTs(at, 2));
    await db().processedEvent.update({
      where: { key: "slack:EvSTUCK" },
      data: { receivedAt: new Date(Date.now() - 10 * 60_000) },
    });
    // Another replica took it a moment ago and is still working on it.
    expect(await h.app.store.claimEvent("slack:EvSTUCK", 0)).toBe(true);
    expect(await h.platform.replayPending(new Date(Date.now() - 60_000))).toBe(0);
    await h.settle();
    expect(await mentions()).toEqual([]);
    // Had it died, the event looks stuck again later, and this replica takes over.
    expect(await h.platform.replayPending(new Date(Date.now() + 60_000))).toBe(1);
    await h.settle();
    expect(await mentions()).toHaveLength(1);
  });

  it("explains itself when invited to a channel, and only then", async () => {
    await h.event({
      type: "member_joined_channel",
      user: h.fake.botUserId,
      channel: "C0NEW",
      channel_type: "C",
      team: TEAM_ID,
    });
    await h.event({
      type: "member_joined_channel",
      user: "UBO",
      channel: "C0NEW",
      channel_type: "C",
      team: TEAM_ID,
    });
    await h.settle();
    const posts = h.fake.callsTo("chat.postMessage");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.args.channel).toBe("C0NEW");
    expect(String(posts[0]!.args.text)).toContain("never store what you write");
    expect(String(posts[0]!.args.text)).toContain("/offline forget-me");
    expect(String(posts[0]!.args.text)).toContain("/offline pause");
  });

  it("publishes an App Home with my contacts, open prompts, lunches and a pause switch", async () => {
    await h.event(message("UBO", "<@UEXT> sent the contract", slackTs(at, 1)));
    await h.settle();
    const ws = await h.workspace();
    const bo = (await h.app.store.getMember(ws.id, "UBO"))!;
    const jane = (await h.app.store.findContactByPlatformUser(ws.id, "UEXT"))!;
    const nudge = await h.app.store.createNudge(ws.id, {
      memberId: bo.id,
      contactId: jane.id,
      kind: "lunch",
    });
    await h.app.store.transitionNudge(ws.id, nudge.id, ["pending"], {
      status: "sent",
      sentAt: h.clock.now(),
    });
    await h.app.service.planLunch(ws, bo, {
      contactId: jane.id,
      on: { year: 2026, month: 11, day: 26, hour: 12, minute: 30 },
      place: "Cafe Nord",
    });

    await h.event({
      type: "app_home_opened",
      user: "UBO",
      channel: "D0BO",
      tab: "home",
      event_ts: slackTs(at, 9),
    });
    await h.settle();
    const [publish] = h.fake.callsTo("views.publish");
    expect(publish?.args.user_id).toBe("UBO");
    const view = publish!.args.view as { type: string; blocks: Array<Record<string, unknown>> };
    expect(view.type).toBe("home");
    const text = JSON.stringify(view.blocks);
    expect(text).toContain("Jane Doe");
    expect(text).toContain("Cafe Nord");
    expect(text).toContain(`{\\"n\\":\\"${nudge.id}\\"}`);
    // The open prompt's Plan lunch sits beside it; the pause switch offers durations.
    const actionIds = view.blocks.flatMap((b) =>
      b.type === "actions"
        ? (b.elements as Array<{ action_id: string }>).map((e) => e.action_id)
        : b.accessory
          ? [(b.accessory as { action_id: string }).action_id]
          : [],
    );
    expect(actionIds).toEqual(["prompt_plan", "home_pause", "home_pause_more"]);
    expect(text).toContain("Prompts are on, in your working hours.");
    expect(text).toContain("1 mention by you; 1 teammate on the team discusses them");

    await h.event({
      type: "app_home_opened",
      user: "UBO",
      channel: "D0BO",
      tab: "messages",
      event_ts: slackTs(at, 10),
    });
    await h.settle();
    expect(h.fake.callsTo("views.publish")).toHaveLength(1);
  });

  it.each(["app_uninstalled", "tokens_revoked"])("deletes the workspace and its data on %s", async (type) => {
    await h.event(message("UBO", "<@UEXT> hello", slackTs(at, 1)));
    await h.settle();
    expect(await db().mention.count()).toBe(1);
    const event =
      type === "tokens_revoked" ? { type, tokens: { oauth: [], bot: [h.fake.botUserId] } } : { type };
    const res = await h.event(event);
    expect(res.status).toBe(200);
    await h.settle();
    expect(await db().workspace.count()).toBe(0);
    expect(await db().member.count()).toBe(0);
    expect(await db().contact.count()).toBe(0);
    expect(await db().mention.count()).toBe(0);
  });

  it("keeps the workspace when only user tokens are revoked", async () => {
    await h.event(message("UBO", "<@UEXT> hello", slackTs(at, 1)));
    await h.event({ type: "tokens_revoked", tokens: { oauth: ["UBO"], bot: [] } });
    await h.settle();
    expect(await db().mention.count()).toBe(1);
  });
});

describe.each(PROVIDERS)("Slack start-up and stop on %s", (provider) => {
  let g: SlackHarness;
  beforeEach(async () => {
    g = await startSlackHarness(provider);
  });
  afterEach(async () => {
    await g.close();
  });

  it("loads the teammates at start-up, so a quiet teammate's name is never taken for a contact", async () => {
    await g.settle();
    const ws = await g.workspace();
    expect(ws.name).toBe("Northwind");
    const members = await g.app.store.listMembers(ws.id);
    expect(members.map((m) => [m.platformUserId, m.isBot]).sort()).toEqual([
      ["UANN", false],
      ["UBO", false],
      ["UCY", false],
      ["UHELPER", true],
    ]);
    await g.event({
      type: "message",
      channel: CHANNEL,
      channel_type: "channel",
      user: "UBO",
      text: "Cy Park and Jane Doe from Acme came by",
      ts: slackTs(at, 1),
    });
    await g.settle();
    const contacts = await g.app.database.db.contact.findMany();
    expect(contacts.map((c) => c.displayName)).toEqual(["Jane Doe"]);
  });

  it("finishes acknowledged work before a graceful stop", async () => {
    g.fake.on("users.info", async (args) => {
      await new Promise((r) => setTimeout(r, 300));
      const user = g.fake.users.get(String(args.user));
      return user ? { ok: true, user } : { ok: false, error: "user_not_found" };
    });
    const res = await g.event({
      type: "message",
      channel: CHANNEL,
      channel_type: "channel",
      user: "UBO",
      text: "slow <@UEXT>",
      ts: slackTs(at, 1),
    });
    expect(res.status).toBe(200);
    expect(g.running.background.size).toBeGreaterThan(0);
    await g.running.stop();
    const check = await openDatabase(g.dbUrl);
    try {
      expect(await check.db.mention.count()).toBe(1);
      expect(await check.db.processedEvent.count({ where: { status: "done" } })).toBe(1);
    } finally {
      await check.close();
    }
  });
});
