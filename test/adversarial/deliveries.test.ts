// Duplicate and concurrent deliveries, as Slack and Teams really produce them: Slack retries an
// event up to 4 times (x-slack-retry-num) and may deliver it while the first copy is still being
// processed; a double click (or a replayed payload) sends the same action again; Bot Framework
// redelivers an activity; and two replicas of the app may each receive a copy. Every one of them
// must count once: one mention, one processed event, one prompt transition, one reply.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import { ACTIONS, VIEWS } from "../../src/platforms/slack/ids.ts";
import { lunchFormValues } from "../helpers/adversarial-slack.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { activities, type FakeUser, mention, startTeamsHarness } from "../helpers/fake-bot-connector.ts";
import {
  blockAction,
  eventEnvelope,
  newEventId,
  postToSlackApp,
  SIGNING_SECRET,
  type SlackHarness,
  slackTs,
  startSlackHarness,
  TEAM_ID,
  viewSubmission,
} from "../helpers/slack-signing.ts";

const message = (seq: number, channel = "C0SALES") => ({
  type: "message",
  channel,
  channel_type: "channel",
  user: "UBO",
  text: `Follow-up call with <@UEXT> about the renewal (${seq})`,
  ts: slackTs("2026-11-18T14:00:00Z", seq),
});

describe.each(PROVIDERS)("duplicate and concurrent Slack deliveries on %s", (provider) => {
  let h: SlackHarness;
  let ws: Workspace;
  const db = () => h.app.database.db;
  const mentionsOf = (seq: number) =>
    db().mention.count({ where: { messageId: `C0SALES:${slackTs("2026-11-18T14:00:00Z", seq)}` } });

  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  beforeEach(async () => {
    await h.reset();
    ws = await h.workspace();
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The same signed delivery `copies` times: the original, then retries numbered 1, 2, … */
  function deliveries(event: Record<string, unknown>, copies: number) {
    const body = eventEnvelope(event, { teamId: TEAM_ID, eventId: newEventId() });
    return Array.from({ length: copies }, (_, i) => () => {
      const headers: Record<string, string> =
        i === 0 ? {} : { "x-slack-retry-num": String(i), "x-slack-retry-reason": "http_timeout" };
      const send = () =>
        postToSlackApp(`${h.base}/slack/events`, SIGNING_SECRET, { kind: "json", body }, { headers });
      // On a busy machine a kept-alive socket may be closed by the server just as it is reused;
      // Slack would simply deliver again, and so do we (one more copy of the same delivery).
      return send().catch((err: unknown) => {
        if ((err as { cause?: { code?: string } }).cause?.code === "ECONNRESET") return send();
        throw err;
      });
    });
  }

  it("an event delivered 5 times, one after the other and all at once, counts once, and so does the prompt it leads to", async () => {
    // Message 1: the original and 4 retries in sequence. Message 2: 5 copies at the same time.
    for (const send of deliveries(message(1), 5)) expect((await send()).status).toBe(200);
    const results = await Promise.all(deliveries(message(2), 5).map((send) => send()));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await h.settle();
    expect(await mentionsOf(1)).toBe(1);
    expect(await mentionsOf(2)).toBe(1);
    expect(await db().processedEvent.count()).toBe(2);
    expect(await db().processedEvent.count({ where: { status: "done" } })).toBe(2);

    // Bo is nudged at 3 mentions: 2 messages delivered 10 times are still 2 mentions, so no prompt.
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(0);
    // The third message (again 5 copies at once) makes 3: exactly one prompt.
    await Promise.all(deliveries(message(3), 5).map((send) => send()));
    await h.settle();
    const sweep = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(sweep.sent).toBe(1);
    expect(await db().nudge.count()).toBe(1);
    expect(await db().mention.count()).toBe(3);
  });

  it("one message under several event ids (edits, replays) still counts once", async () => {
    await Promise.all([0, 1, 2].map(() => h.event(message(7))));
    await h.settle();
    expect(await db().processedEvent.count()).toBe(3);
    expect(await mentionsOf(7)).toBe(1);
  });

  it("the same button click delivered 5 times at once: one transition, one reply", async () => {
    for (const seq of [1, 2, 3]) await h.event(message(seq));
    await h.settle();
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(1);
    const [nudge] = await h.app.store.listNudges(ws.id, {});
    const [channel, ts] = (nudge?.messageRef ?? "").split(":");
    expect(channel && ts).toBeTruthy();
    h.fake.reset();
    const click = blockAction({
      userId: "UBO",
      actionId: ACTIONS.snooze,
      value: JSON.stringify({ n: nudge!.id }),
      channel: channel!,
      messageTs: ts!,
    });
    const results = await Promise.all(Array.from({ length: 5 }, () => h.interaction(click)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    await h.settle();
    expect(await h.app.store.getNudge(ws.id, nudge!.id)).toMatchObject({ status: "snoozed" });
    const updates = h.fake.callsTo("chat.update").filter((c) => c.args.ts === ts);
    expect(updates.map((u) => u.args.text)).toEqual([expect.stringContaining("Snoozed")]);
    // A second, genuinely new click (another action_ts) still gets its answer.
    const again = {
      ...click,
      actions: [{ ...(click.actions as object[])[0], action_ts: "1763478000.000001" }],
    };
    await h.interaction(again);
    await h.settle();
    expect(h.fake.callsTo("chat.update").filter((c) => c.args.ts === ts)).toHaveLength(2);
  });
});

describe.each(PROVIDERS)("a duplicated lunch form on %s", (provider) => {
  // The same signed view_submission delivered 3 times at once (a replayed payload) must plan one
  // lunch and send one set of invites.
  it("the same lunch submission delivered 3 times at once plans one lunch", async () => {
    const h = await startSlackHarness(provider);
    try {
      const ws = await h.workspace();
      const bo = await h.app.service.member(ws, {
        platformUserId: "UBO",
        displayName: "Bo Chen",
        external: false,
      });
      const contact = await h.app.store.createContact(
        ws.id,
        { displayName: "Jane Doe", status: "tracked" },
        [],
      );
      const submission = viewSubmission({
        userId: "UBO",
        callbackId: VIEWS.lunch,
        privateMetadata: JSON.stringify({ contactId: contact.id, nudgeId: null, channel: null, ts: null }),
        values: lunchFormValues({ date: "2026-11-25", place: "Cafe Nord" }),
      });
      const results = await Promise.all([1, 2, 3].map(() => h.interaction(submission)));
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      await h.settle();
      expect(await h.app.store.listLunches(ws.id, { memberId: bo.id })).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

describe.each(PROVIDERS)("two replicas on one %s database", (provider) => {
  let one: SlackHarness;
  let two: SlackHarness;
  beforeAll(async () => {
    one = await startSlackHarness(provider);
    // The second replica runs against the first one's database, with its own Slack fake.
    two = await startSlackHarness(provider, { env: { DATABASE_URL: one.dbUrl } });
  });
  afterAll(async () => {
    await two?.close();
    await one?.close();
  });

  it("the same event delivered to both replicas at once, 5 times each, counts once", async () => {
    for (let seq = 1; seq <= 3; seq++) {
      const body = eventEnvelope(message(seq), { teamId: TEAM_ID, eventId: newEventId() });
      const sends = [one, two].flatMap((h) =>
        Array.from({ length: 5 }, (_, i) =>
          postToSlackApp(
            `${h.base}/slack/events`,
            SIGNING_SECRET,
            { kind: "json", body },
            {
              headers: i === 0 ? {} : { "x-slack-retry-num": String(i) },
            },
          ),
        ),
      );
      expect((await Promise.all(sends)).every((r) => r.status === 200)).toBe(true);
    }
    await Promise.all([one.settle(), two.settle()]);
    const db = one.app.database.db;
    expect(await db.processedEvent.count()).toBe(3);
    expect(await db.mention.count()).toBe(3);
    expect(await db.workspace.count()).toBe(1);
    expect(await db.contact.count({ where: { platformUserId: "UEXT" } })).toBe(1);
  });

  it("the same click delivered to both replicas at once: one transition, one reply", async () => {
    const { store } = one.app;
    const ws = await one.workspace();
    const bo = await store.getMember(ws.id, "UBO");
    const contact = await store.findContactByPlatformUser(ws.id, "UEXT");
    const nudge = await store.createNudge(ws.id, { memberId: bo!.id, contactId: contact!.id, kind: "lunch" });
    await store.transitionNudge(ws.id, nudge.id, ["pending"], {
      status: "sent",
      messageRef: "DUBO:1763470000.000100",
    });
    const click = blockAction({
      userId: "UBO",
      actionId: ACTIONS.met,
      value: JSON.stringify({ n: nudge.id }),
      channel: "DUBO",
      messageTs: "1763470000.000100",
    });
    const results = await Promise.all([one, two, one, two, one, two].map((h) => h.interaction(click)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await Promise.all([one.settle(), two.settle()]);
    expect(await store.getNudge(ws.id, nudge.id)).toMatchObject({ status: "met" });
    expect(await one.app.database.db.meeting.count()).toBe(1);
    const updates = [one, two].flatMap((h) => h.fake.calls.filter((c) => c.method === "chat.update"));
    expect(updates.map((u) => u.args.text)).toEqual([expect.stringContaining("already met")]);
  });
});

describe.each(PROVIDERS)("duplicate Teams deliveries on %s", (provider) => {
  it("the same activity id twice (in turn and at once) is processed once", async () => {
    const tenant = "tenant-acme";
    const ann: FakeUser = { id: "29:ann", name: "Ann Smith", tenantId: tenant };
    const gwen: FakeUser = { id: "29:gwen", name: "Gwen Guest", tenantId: tenant, userRole: "guest" };
    const h = await startTeamsHarness(provider, { tenantId: tenant });
    try {
      h.fake.addUsers(ann, gwen);
      expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
      const first = activities.channelMessage(h.world, ann, "Lunch with <at>Gwen Guest</at>?", {
        mentions: [mention(gwen)],
      });
      const second = activities.channelMessage(h.world, ann, "Call <at>Gwen Guest</at> again", {
        mentions: [mention(gwen)],
      });
      expect(await h.post(first)).toBe(200);
      expect(await h.post(first)).toBe(200);
      expect(await Promise.all([h.post(second), h.post(second), h.post(second)])).toEqual([200, 200, 200]);
      const db = h.app.database.db;
      expect(await db.mention.count()).toBe(2);
      expect(await db.processedEvent.count({ where: { key: { startsWith: "teams:message:" } } })).toBe(2);

      // A command sent twice under one id is answered once.
      const command = activities.personalMessage(h.world, ann, "stats");
      const sent = h.fake.sent().length;
      expect(await Promise.all([h.post(command), h.post(command)])).toEqual([200, 200]);
      expect(h.fake.sent().length - sent).toBe(1);
    } finally {
      await h.close();
    }
  });
});
