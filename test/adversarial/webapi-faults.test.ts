// Platform faults on the way out, with 0 double posts. The real Slack app (WebClient with the
// production retry policy) and the real botbuilder adapter send the digest and prompt DMs to fakes
// that answer 429 + Retry-After, 5xx (with and without having accepted the post), time out, refuse
// the connection, or answer each definitive `ok:false` code. Counted: posts the fake accepted per
// channel and week (must be 1 at most), the digest claim's state, what /offline digest now says,
// the nudge rows (failed = maybe delivered, never resent; unsent = retried next sweep), and the
// nudge-sweep job's report.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lunchPromptTitle } from "../../src/core/prompt-text.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { classifySlackError } from "../../src/platforms/slack/send-errors.ts";
import type { JobRunCoordinator } from "../../src/scheduler/coordinator.ts";
import { nudgeSweepJob } from "../../src/scheduler/jobs.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  personalConversationId,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";
import type { FakeSlackCall } from "../helpers/fake-slack.ts";
import { type SlackHarness, slackTs, startSlackHarness } from "../helpers/slack-signing.ts";

// The clock is in W47; a digest posted then reports the last complete week.
const WEEK = "2026-W46";
const DEFINITE_DIGEST_CODES = [
  ["channel_not_found", /the digest channel is gone, archived, or I'm not in it\. Invite me/],
  ["not_in_channel", /the digest channel is gone, archived, or I'm not in it\. Invite me/],
  ["is_archived", /the digest channel is gone, archived, or I'm not in it\. Invite me/],
  ["account_inactive", /uninstalled or its access was revoked/],
  ["invalid_auth", /uninstalled or its access was revoked/],
  ["token_revoked", /uninstalled or its access was revoked/],
] as const;

const noCoordinator = {} as JobRunCoordinator;

describe.each(PROVIDERS)("Slack Web API faults on %s", (provider) => {
  let h: SlackHarness;
  let ws: Workspace;
  const db = () => h.app.database.db;

  beforeAll(async () => {
    h = await startSlackHarness(provider);
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    await h.reset();
    ws = await h.workspace();
    ws = await h.app.store.updateWorkspace(ws.id, { digestChannel: "CDIGEST", timezone: "America/New_York" });
  });

  const reply = async (user: string, text: string) => {
    const { responseId } = await h.command(user, text);
    await h.settle();
    return JSON.stringify(h.responses(responseId));
  };
  /** Digest posts the fake accepted (stored) for this workspace and week. */
  const acceptedDigests = () =>
    (h.fake.messages.get("CDIGEST") ?? []).filter(
      (m) =>
        (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ===
        `${ws.id}:${WEEK}`,
    ).length;
  const claim = async () => (await h.app.store.getDigest(ws.id, WEEK))?.status ?? null;
  /** The answer is stored first, then lost: Slack posted it, the client sees a 500. */
  const acceptThen500 = (args: Record<string, unknown>, call: FakeSlackCall) => {
    const channel = h.fake.landsIn(call) ?? String(args.channel);
    const list = h.fake.messages.get(channel) ?? [];
    list.push({
      channel,
      ts: slackTs(h.clock.now(), list.length + 1),
      text: String(args.text ?? ""),
      metadata: args.metadata,
      edits: [],
    });
    h.fake.messages.set(channel, list);
    return { status: 500, body: "Internal Server Error" };
  };

  it("digest: 429 with Retry-After is waited out and posted once", async () => {
    h.fake.rateLimitOnce("chat.postMessage", 1);
    expect(await reply("UANN", "digest now")).toContain(`Posted the digest for ${WEEK}`);
    expect(h.fake.calls.filter((c) => c.method === "chat.postMessage").map((c) => c.status)).toEqual([
      429, 200,
    ]);
    expect(acceptedDigests()).toBe(1);
    expect(await claim()).toBe("posted");
  });

  it.each(DEFINITE_DIGEST_CODES)(
    "digest: ok:false %s releases the claim and says what to do",
    async (code, says) => {
      h.fake.once("chat.postMessage", { ok: false, error: code });
      const answer = await reply("UANN", "digest now");
      expect(answer).toMatch(says);
      expect(answer).not.toContain("being posted right now");
      expect(await claim()).toBeNull();
      expect(acceptedDigests()).toBe(0);
      // Fixed (invited, reinstalled): the next attempt posts, once.
      expect(await reply("UANN", "digest now")).toContain(`Posted the digest for ${WEEK}`);
      expect(await reply("UANN", "digest now")).toContain("already posted");
      expect(acceptedDigests()).toBe(1);
    },
  );

  it("digest: a refused post is reported by the scheduled job and retried by the next run", async () => {
    // Wednesday 10:00 in New York; the digest is due Monday 9:00 (default) → due now.
    await h.app.store.updateWorkspace(ws.id, { digestDay: 3, digestHour: 9 });
    await db().workspace.update({
      where: { id: ws.id },
      data: { installedAt: new Date("2026-11-01T00:00:00Z") },
    });
    h.fake.once("chat.postMessage", { ok: false, error: "not_in_channel" });
    const { digestJob } = await import("../../src/scheduler/jobs.ts");
    const ctx = {
      app: h.app,
      chatFor: h.running.chatFor,
      coordinator: noCoordinator,
      fireTime: h.clock.now(),
    };
    const first = await digestJob.run(ctx);
    expect(first.failed).toBe(true);
    expect(first.summary.failures).toEqual([
      expect.objectContaining({
        workspace: ws.id,
        kind: "definite",
        reason: "channel-unavailable",
        code: "not_in_channel",
      }),
    ]);
    expect(await claim()).toBeNull();
    const second = await digestJob.run(ctx);
    expect(second).toMatchObject({ failed: false, summary: { posted: [`${ws.id}:${WEEK}`] } });
    expect(acceptedDigests()).toBe(1);
  });

  it.each([
    ["accepted, then 500", true],
    ["500, not accepted", false],
  ])(
    "digest: %s keeps the claim; after it goes stale it is checked, never posted twice",
    async (_name, accepted) => {
      h.fake.once(
        "chat.postMessage",
        accepted ? acceptThen500 : { status: 500, body: "Internal Server Error" },
      );
      expect(await reply("UANN", "digest now")).toContain("something went wrong");
      expect(await claim()).toBe("posting");
      expect(await reply("UANN", "digest now")).toContain("being posted right now");
      h.clock.advance(6 * 60_000);
      const after = await reply("UANN", "digest now");
      expect(after).toContain(accepted ? "had been posted already; recorded it" : "Posted the digest");
      expect(await claim()).toBe("posted");
      expect(acceptedDigests()).toBe(1);
      expect(await reply("UANN", "digest now")).toContain("already posted");
      expect(acceptedDigests()).toBe(1);
    },
  );

  it("digest: an answer after the client's timeout (20 s) is a maybe; found later, never posted twice", async () => {
    h.fake.once("chat.postMessage", async (args, call) => {
      acceptThen500(args, call);
      await new Promise((r) => setTimeout(r, 21_000));
      return { ok: true, channel: "CDIGEST", ts: "1.000001" };
    });
    expect(await reply("UANN", "digest now")).toContain("something went wrong");
    expect(await claim()).toBe("posting");
    h.clock.advance(6 * 60_000);
    expect(await reply("UANN", "digest now")).toContain("had been posted already");
    expect(acceptedDigests()).toBe(1);
  }, 40_000);

  // ---- prompt DMs ---------------------------------------------------------------------------

  async function talkAboutJane(users: string[]): Promise<void> {
    let seq = 0;
    for (const user of users)
      for (let i = 0; i < 3; i++) {
        seq++;
        await h.event({
          type: "message",
          channel: "C0SALES",
          channel_type: "channel",
          user,
          text: `notes from <@UEXT> call ${seq}`,
          ts: slackTs("2026-11-17T15:00:00Z", seq),
        });
      }
    await h.settle();
  }
  const sweep = () =>
    nudgeSweepJob.run({
      app: h.app,
      chatFor: h.running.chatFor,
      coordinator: noCoordinator,
      fireTime: h.clock.now(),
    });
  /** Prompt DMs the fake accepted, per member DM channel. */
  const acceptedDms = (channel: string) => (h.fake.messages.get(channel) ?? []).length;
  const nudgeStatuses = async () =>
    (await db().nudge.findMany({ orderBy: { createdAt: "asc" }, select: { status: true } })).map(
      (n) => n.status,
    );
  const bo = async () => (await h.app.store.getMember(ws.id, "UBO")) as Member;

  it("prompt: a 5xx may have delivered it: recorded as failed, reported, never resent", async () => {
    await talkAboutJane(["UBO"]);
    h.fake.once("chat.postMessage", acceptThen500);
    const run = await sweep();
    expect(run.failed).toBe(true);
    expect(run.summary).toMatchObject({ sent: 0, failedSends: 1 });
    expect(run.summary.sendFailures).toEqual([
      expect.objectContaining({
        memberId: (await bo()).id,
        kind: "ambiguous",
        code: "http_500",
        next: "dropped",
      }),
    ]);
    expect(await nudgeStatuses()).toEqual(["failed"]);
    h.clock.advance(3_600_000);
    const again = await sweep();
    expect(again.summary).toMatchObject({ sent: 0, failedSends: 0 });
    expect(acceptedDms("DUBO")).toBe(1);
    expect(await nudgeStatuses()).toEqual(["failed"]);
  });

  it.each(["restricted_action", "user_disabled", "account_inactive", "not_in_channel"])(
    "prompt: ok:false %s sent nothing: unsent, retried at the next sweep, once, without using the weekly cap",
    async (code) => {
      await h.app.store.updateWorkspace(ws.id, { settings: { ...ws.settings, weeklyCapPerMember: 1 } });
      await talkAboutJane(["UBO"]);
      h.fake.once("chat.postMessage", { ok: false, error: code });
      const run = await sweep();
      expect(run.summary.sendFailures).toEqual([
        expect.objectContaining({ kind: "definite", code, next: "retry" }),
      ]);
      expect(await nudgeStatuses()).toEqual(["unsent"]);
      expect(acceptedDms("DUBO")).toBe(0);
      h.clock.advance(3_600_000);
      const retry = await sweep();
      expect(retry).toMatchObject({ failed: false, summary: { sent: 1, failedSends: 0 } });
      expect(await nudgeStatuses()).toEqual(["unsent", "sent"]);
      h.clock.advance(3_600_000);
      expect((await sweep()).summary).toMatchObject({ sent: 0 });
      expect(acceptedDms("DUBO")).toBe(1);
    },
  );

  // The sweep job waits out a Retry-After and sends what the limit held back in the same run (the
  // fan-out's per-workspace job); the prompt refused with a 429 waits for the next sweep, once.
  it("prompt: 429s beyond the client's retries: unsent with its Retry-After, the others sent, the refused one next sweep", async () => {
    await talkAboutJane(["UBO", "UANN"]);
    // Bo's DM is refused on the first try and the client's four retries; Ann's (sent alongside) goes through.
    let refused = 0;
    h.fake.on("chat.postMessage", (args, call) => {
      const channel = h.fake.landsIn(call) ?? String(args.channel);
      if (channel === "DUBO" && refused++ < 5)
        return { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } };
      const m = h.fake.addMessage(channel, { text: String(args.text ?? ""), bot_id: h.fake.botId });
      call.channel = channel;
      return { ok: true, channel, ts: m.ts };
    });
    const run = await sweep();
    expect(run.summary).toMatchObject({ sent: 1, failedSends: 1 });
    expect(run.summary.sendFailures).toEqual([
      expect.objectContaining({ kind: "rate-limited", retryAfterMs: 1000, next: "retry" }),
    ]);
    expect([...(await nudgeStatuses())].sort()).toEqual(["sent", "unsent"]);
    expect(acceptedDms("DUBO") + acceptedDms("DUANN")).toBe(1);
    h.clock.advance(3_600_000);
    expect((await sweep()).summary).toMatchObject({ sent: 1, failedSends: 0 });
    expect(acceptedDms("DUBO")).toBe(1);
    expect(acceptedDms("DUANN")).toBe(1);
  }, 30_000);

  // ---- follow-ups ("did it happen?") ---------------------------------------------------------

  async function lunchDueForFollowUp(): Promise<string> {
    const me = await h.app.service.member(ws, {
      platformUserId: "UBO",
      displayName: "Bo Chen",
      external: false,
      tz: "America/New_York",
    });
    const contact = await h.app.store.createContact(
      ws.id,
      { displayName: "Jane Doe", status: "tracked" },
      [],
    );
    const lunch = await h.app.store.createLunch(ws.id, {
      contactId: contact.id,
      organizerId: me.id,
      attendeeIds: [],
      scheduledFor: new Date(h.clock.now().getTime() - 86_400_000),
      place: null,
      status: "scheduled",
      followUpAt: new Date(h.clock.now().getTime() - 3_600_000),
    });
    return lunch.id;
  }
  const followUps = () => h.app.service.runFollowUps((w) => h.running.chatFor(w));

  it("follow-up: ok:false sent nothing: reported, asked again at the next run, once", async () => {
    const lunchId = await lunchDueForFollowUp();
    h.fake.once("chat.postMessage", { ok: false, error: "restricted_action" });
    const first = await followUps();
    expect(first).toMatchObject({ sent: 0, failed: 1 });
    expect(first.failures).toEqual([
      expect.objectContaining({ lunchId, kind: "definite", code: "restricted_action", next: "retry" }),
    ]);
    expect((await h.app.store.getLunch(ws.id, lunchId))?.followUpSent).toBeNull();
    expect(await followUps()).toMatchObject({ sent: 1, failed: 0 });
    expect(await followUps()).toMatchObject({ sent: 0, failed: 0 });
    expect(acceptedDms("DUBO")).toBe(1);
  });

  it("follow-up: a 5xx may have delivered it: reported, never asked again", async () => {
    const lunchId = await lunchDueForFollowUp();
    h.fake.once("chat.postMessage", acceptThen500);
    const first = await followUps();
    expect(first.failures).toEqual([
      expect.objectContaining({ lunchId, kind: "ambiguous", next: "dropped" }),
    ]);
    expect(await followUps()).toMatchObject({ sent: 0, failed: 0 });
    expect(acceptedDms("DUBO")).toBe(1);
  });
});

describe("Slack Web API faults, classified (real WebClient)", () => {
  let hang: Server;
  let url: string;
  beforeAll(async () => {
    hang = createServer(() => {});
    await new Promise<void>((r) => hang.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/api/`;
  });
  afterAll(async () => {
    hang.closeAllConnections();
    await new Promise<void>((r) => hang.close(() => r()));
  });

  it("a server that never answers is a timeout: ambiguous", async () => {
    const client = new webApi.WebClient("xoxb-t", {
      slackApiUrl: url,
      timeout: 200,
      retryConfig: { retries: 0 },
    });
    const err = await client.chat.postMessage({ channel: "C1", text: "x" }).catch((e: unknown) => e);
    expect(classifySlackError(err).toJSON()).toEqual({
      kind: "ambiguous",
      reason: "timeout",
      code: "timeout",
    });
  });

  it("a refused connection sent nothing: definite", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const client = new webApi.WebClient("xoxb-t", {
      slackApiUrl: `http://127.0.0.1:${port}/api/`,
      retryConfig: { retries: 0 },
    });
    const err = await client.chat.postMessage({ channel: "C1", text: "x" }).catch((e: unknown) => e);
    expect(classifySlackError(err).toJSON()).toEqual({
      kind: "definite",
      reason: "unreachable",
      code: "ECONNREFUSED",
    });
  });
});

describe.each(PROVIDERS)("Bot Connector faults on %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  const TENANT = "tenant-acme";
  const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
  const gwen: FakeUser = { id: "29:gwen", name: "Gwen Guest", tenantId: TENANT, userRole: "guest" };
  const annChat = personalConversationId(ann);
  const db = () => h.app.database.db;

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(ann, gwen);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    ws = await h.app.store.updateWorkspace(ws.id, { digestChannel: h.world.generalId });
    // Ann talked about Gwen (a guest) four times in the last hours.
    const annMember = (await h.app.store.getMember(ws.id, ann.id)) as Member;
    const contact = await h.app.store.createContact(
      ws.id,
      { displayName: gwen.name, status: "tracked", platformUserId: gwen.id },
      [],
    );
    for (let i = 1; i <= 4; i++)
      await h.app.store.replaceMentions(
        ws.id,
        `CFAULT:${i}`,
        {
          memberId: annMember.id,
          channelId: "CFAULT",
          at: new Date(h.clock.now().getTime() - i * 600_000),
          source: "message",
        },
        [contact.id],
      );
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(async () => {
    // Each test sends and retries within Wednesday's working hours.
    h.clock.set("2026-03-04T11:00:00Z");
    h.fake.fault = null;
    await db().nudge.deleteMany({});
  });

  /** Prompt cards the fake accepted in Ann's chat. */
  const acceptedPrompts = () =>
    h.fake
      .sent(annChat)
      .filter(
        (c) =>
          c.status === 200 &&
          typeof c.body?.summary === "string" &&
          c.body.summary.startsWith(lunchPromptTitle(gwen.name)),
      ).length;
  const postsTo = (conversationId: string) => h.fake.sent(conversationId).length;
  const statuses = async () =>
    (await db().nudge.findMany({ orderBy: { createdAt: "asc" }, select: { status: true } })).map(
      (n) => n.status,
    );
  const failOnce = (status: number, headers?: Record<string, string>) => {
    let used = false;
    h.fake.fault = (call) => {
      if (used || call.method !== "POST" || call.conversationId !== annChat) return null;
      used = true;
      return { status, ...(headers ? { headers } : {}) };
    };
  };

  it("prompt: 500 is a maybe: failed, not resent (and the connector client doesn't resend it either)", async () => {
    const before = postsTo(annChat);
    const accepted = acceptedPrompts();
    failOnce(500);
    const report = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(report.failures).toEqual([
      expect.objectContaining({ kind: "ambiguous", code: "http_500", next: "dropped" }),
    ]);
    expect(postsTo(annChat) - before).toBe(1);
    expect(await statuses()).toEqual(["failed"]);
    h.clock.advance(3_600_000);
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(0);
    expect(acceptedPrompts()).toBe(accepted);
  });

  it.each([
    [403, "definite", "app-removed"],
    [404, "definite", "channel-unavailable"],
    [429, "rate-limited", "rate-limited"],
  ] as const)("prompt: %i sent nothing: unsent, retried next sweep once", async (status, kind, reason) => {
    const accepted = acceptedPrompts();
    failOnce(status, status === 429 ? { "retry-after": "1" } : undefined);
    const report = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(report.failures).toEqual([expect.objectContaining({ kind, reason, next: "retry" })]);
    expect(await statuses()).toEqual(["unsent"]);
    h.clock.advance(3_600_000);
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(1);
    expect(await statuses()).toEqual(["unsent", "sent"]);
    expect(acceptedPrompts()).toBe(accepted + 1);
  });

  it("digest: a 404 from the channel releases the claim and says so; the next attempt posts once", async () => {
    const week = "2026-W10";
    let used = false;
    h.fake.fault = (call) => {
      if (used || call.method !== "POST" || call.conversationId !== h.world.generalId) return null;
      used = true;
      return { status: 404 };
    };
    const before = postsTo(h.world.generalId);
    const first = await h.app.service.postWeeklyDigest(ws, h.platform.chat, week);
    expect(first).toMatchObject({
      posted: false,
      failure: { kind: "definite", reason: "channel-unavailable" },
    });
    expect(first.message).toContain("Invite me to the channel");
    expect(await h.app.store.getDigest(ws.id, week)).toBeNull();
    expect((await h.app.service.postWeeklyDigest(ws, h.platform.chat, week)).posted).toBe(true);
    expect((await h.app.service.postWeeklyDigest(ws, h.platform.chat, week)).posted).toBe(false);
    const accepted = h.fake
      .sent(h.world.generalId)
      .slice(before)
      .filter((c) => c.status === 200);
    expect(accepted).toHaveLength(1);
  });
});
