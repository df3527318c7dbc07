// Mention and markup injection. People choose their contacts' names (`/offline track`), lunch places,
// their own display names and the workspace's name; any of them may hold Slack control sequences
// (<!channel>, <!here>, <!everyone>, <@U…>, <https://…|label>) or Teams markdown and tags
// ([x](url), <at>…</at>, *, _). This runs the real flows on both platforms (real Bolt app and real
// botbuilder adapter, over HTTP, against the fake Slack Web API and the fake Bot Connector), captures
// every outgoing request, and counts the special tokens that arrive unescaped where the platform
// would act on them. Before the escaping fixes the digest's top-level text alone carried 8.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lunchInvite } from "../../src/core/invite.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { ACTIONS } from "../../src/platforms/slack/ids.ts";
import { nudgeButtonValue, reviewButtonValue } from "../../src/platforms/slack/payloads.ts";
import { PROVIDERS } from "../helpers/db.ts";
import {
  activities,
  type FakeUser,
  personalConversationId,
  startTeamsHarness,
  type TeamsHarness,
} from "../helpers/fake-bot-connector.ts";
import {
  countSlackSpecials,
  countTeamsSpecials,
  EVIL,
  EVIL_ALIAS,
  hostileCandidate,
  seedHostile,
  slackMrkdwnStrings,
  teamsStrings,
} from "../helpers/outbound-injection.ts";
import {
  blockAction,
  type SlackHarness,
  startSlackHarness,
  TEAM_ID,
  USERS,
} from "../helpers/slack-signing.ts";

// One database is enough to show escaping (it's rendering, not storage): the first provider.
const provider = PROVIDERS[0] ?? "sqlite";

describe(`injection of mentions and markup (Slack, ${provider})`, () => {
  let h: SlackHarness;
  let ws: Workspace;
  let members: Member[];

  beforeAll(async () => {
    h = await startSlackHarness(provider, {
      users: [
        ...Object.values(USERS),
        {
          id: "UMAL",
          team_id: TEAM_ID,
          tz: "America/New_York",
          profile: { display_name: EVIL.member, real_name: EVIL.member },
        },
      ],
    });
    ws = await h.workspace();
    ws = await h.app.store.updateWorkspace(ws.id, {
      name: EVIL.workspace,
      digestChannel: "CDIGEST",
      timezone: "America/New_York",
    });
    members = [];
    for (const id of ["UMAL", "UBO"]) {
      const u = id === "UMAL" ? EVIL.member : "Bo Chen";
      members.push(
        await h.app.service.member(ws, {
          platformUserId: id,
          displayName: u,
          external: false,
          tz: "America/New_York",
        }),
      );
    }
    const now = h.clock.now();
    await seedHostile(h.app.store, ws, members, members[0] as Member, {
      now,
      lunchAt: new Date(now.getTime() + 2 * 3_600_000),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const reply = async (user: string, text: string) => {
    const { responseId } = await h.command(user, text);
    await h.settle();
    return h.responses(responseId);
  };

  it("escapes every person's string in posts, DMs, updates, uploads, the App Home and replies", async () => {
    // Prompt DMs (the nudge sweep), through the Slack ChatPort.
    const sweep = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    // On failure, say why nothing was sent (the policy's inputs).
    const why = async () =>
      JSON.stringify({
        sweep,
        calls: h.fake.calls.map((c) => `${c.method}:${c.status}`),
        members: (await h.app.store.listMembers(ws.id)).map((m) => [
          m.platformUserId,
          m.tz,
          m.optedOut,
          m.isBot,
        ]),
        nudges: await h.app.store.listNudges(ws.id, {}),
      });
    if (sweep.sent === 0) expect.fail(await why());
    // A button on the prompt: chat.update with the outcome.
    const dm = h.fake.callsTo("chat.postMessage").find((c) => c.channel?.startsWith("D"));
    const nudge = (await h.app.store.listNudges(ws.id, { status: ["sent"] }))[0];
    expect(nudge && dm).toBeTruthy();
    // Not an external contact (asked first or hidden at once), Hide for everyone, Undo (the prompt
    // comes back), then Snooze: every one of those replaces the DM with a text naming the contact.
    const owner = (await h.app.store.getMemberById(ws.id, nudge?.memberId ?? ""))?.platformUserId ?? "UBO";
    for (const actionId of [ACTIONS.notContact, ACTIONS.hide, ACTIONS.undo, ACTIONS.snooze]) {
      await h.interaction(
        blockAction({
          userId: owner,
          actionId,
          value: nudgeButtonValue(nudge?.id ?? ""),
          channel: String(dm?.channel),
          messageTs: String(h.fake.messages.get(String(dm?.channel))?.[0]?.ts ?? "1.000001"),
        }),
      );
      await h.settle();
    }
    expect(await h.app.store.getNudge(ws.id, nudge?.id ?? "")).toMatchObject({ status: "snoozed" });
    // Commands whose replies quote names: lists, digest preview, met, lunch (with the .ics DM).
    await reply("UANN", "contacts all");
    // This week by name: plain `digest` reports last week, before the hostile names arrived.
    await reply("UANN", "digest preview 2026-W47");
    await reply("UBO", `met ${EVIL_ALIAS}`);
    await reply("UBO", `lunch ${EVIL_ALIAS} on 2026-11-20 12:30 at ${EVIL.place} with <@UMAL>`);
    await reply("UANN", "track Zed <!channel> Zero");
    await reply("UBO", "home");
    // The review of who was found, with a hostile candidate: the DM, a row's Track (chat.update), `review`.
    const cand = await hostileCandidate(h.app.store, ws, members[1] as Member, h.clock.now());
    expect(await h.app.service.openImportReview(ws)).not.toBeNull();
    expect(await h.app.service.runReviewSweep(ws, h.platform.chat)).toBeGreaterThan(0);
    const reviewDm = h.fake
      .callsTo("chat.postMessage")
      .filter((c) => String(c.args.text).startsWith("Review who we found"))
      .at(-1);
    const reviewId = (await h.app.store.latestReview(ws.id))?.id ?? "";
    await h.interaction(
      blockAction({
        userId: "UANN",
        actionId: ACTIONS.reviewTrack,
        value: reviewButtonValue(reviewId, cand.id),
        channel: String(reviewDm?.args.channel),
        messageTs: String(h.fake.messages.get(String(reviewDm?.args.channel))?.at(-1)?.ts ?? "1.000001"),
      }),
    );
    await h.settle();
    expect((await h.app.store.getContact(ws.id, cand.id))?.status).toBe("tracked");
    await reply("UANN", "review");
    // The digest post itself.
    const posted = await reply("UANN", "digest now 2026-W47");
    expect(JSON.stringify(posted)).toContain("Posted the digest");
    // App Home.
    await h.event({ type: "app_home_opened", user: "UMAL", tab: "home", channel: "DUMAL" });
    await h.settle();
    // Follow-up DMs the day after the lunch.
    h.clock.advance(2 * 86_400_000);
    await h.app.service.runFollowUps((w) => h.running.chatFor(w));

    const outgoing = h.fake.calls.filter((c) => c.method !== "users.info" && c.method !== "auth.test");
    const methods = new Set(outgoing.map((c) => c.method));
    for (const m of [
      "chat.postMessage",
      "chat.update",
      "response_url",
      "views.publish",
      "files.completeUploadExternal",
    ])
      expect(methods).toContain(m);
    const strings = outgoing.flatMap((c) => slackMrkdwnStrings(c.args));
    const found = countSlackSpecials(strings);
    expect({ unescaped: found.count, samples: found.samples }).toEqual({ unescaped: 0, samples: [] });
    // The hostile strings did go out (escaped): the test looks where they land.
    expect(strings.join("\n")).toContain("Eve &lt;!channel&gt; &lt;https://evil.test|click&gt;");
    expect(strings.join("\n")).toContain("&lt;!everyone&gt; Cafe");
    const digest = h.fake.callsTo("chat.postMessage").find((c) => c.args.channel === "CDIGEST");
    expect(String(digest?.args.text)).toContain("Eve &lt;!channel&gt;");
  });

  it("escapes names and places in the .ics invite per RFC 5545 (no injected properties)", () => {
    const ics = lunchInvite({
      lunchId: "l1",
      contactName: "Eve\r\nEND:VEVENT\r\nBEGIN:VEVENT",
      start: new Date("2026-11-20T17:30:00Z"),
      place: "Cafe; x\nATTENDEE:mailto:evil@evil.test",
      organizerName: 'Bo, "B"',
      attendeeNames: ["Cy\nX-EVIL:1"],
      now: new Date("2026-11-18T15:00:00Z"),
    });
    const lines = ics.split(/\r?\n/);
    expect(lines.filter((l) => l.startsWith("BEGIN:VEVENT"))).toHaveLength(1);
    expect(lines.filter((l) => /^(ATTENDEE|X-EVIL)/.test(l))).toEqual([]);
    expect(ics).toContain("LOCATION:Cafe\\; x\\nATTENDEE:mailto:evil@evil.test");
  });
});

describe(`injection of mentions and markup (Teams, ${provider})`, () => {
  let h: TeamsHarness;
  let ws: Workspace;
  const TENANT = "tenant-acme";
  const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
  const mal: FakeUser = { id: "29:mal", name: EVIL.member, tenantId: TENANT };

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT });
    h.fake.addUsers(ann, mal);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    expect(await h.post(activities.personalInstall(h.world, mal))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
    ws = await h.app.store.updateWorkspace(ws.id, { name: EVIL.workspace, digestChannel: h.world.generalId });
    const members = [
      (await h.app.store.getMember(ws.id, mal.id)) as Member,
      (await h.app.store.getMember(ws.id, ann.id)) as Member,
    ];
    expect(members.every(Boolean)).toBe(true);
    const now = h.clock.now();
    await seedHostile(h.app.store, ws, members, members[0] as Member, {
      now,
      lunchAt: new Date(now.getTime() + 2 * 3_600_000),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("escapes every person's string in cards, markdown replies and summaries", async () => {
    const sweep = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(sweep.sent).toBeGreaterThan(0);
    const week = "2026-W10";
    expect((await h.app.service.postWeeklyDigest(ws, h.platform.chat, week)).posted).toBe(true);
    for (const text of [
      "contacts all",
      "digest",
      `met ${EVIL_ALIAS}`,
      `lunch ${EVIL_ALIAS} at ${EVIL.place}`,
      "home",
    ])
      expect(await h.post(activities.personalMessage(h.world, ann, text))).toBe(200);
    // The review of who was found with a hostile candidate: the card, a row's Track (the card replaced), `review`.
    const members = await h.app.store.listMembers(ws.id);
    const cand = await hostileCandidate(h.app.store, ws, members[0] as Member, h.clock.now());
    await h.app.service.openImportReview(ws);
    const sendDoc = h.platform.chat.sendDoc?.bind(h.platform.chat);
    if (!sendDoc) throw new Error("the Teams chat sends no documents");
    expect(await h.app.service.runReviewSweep(ws, { sendDoc })).toBeGreaterThan(0);
    const annChat = personalConversationId(ann);
    const card = h.fake
      .sent(annChat)
      .filter((c) => String(c.body?.summary ?? "").startsWith("Review who we found"))
      .at(-1);
    const reviewId = (await h.app.store.latestReview(ws.id))?.id ?? "";
    expect(
      await h.post(
        activities.cardSubmit(h.world, ann, annChat, String(card?.responseId), {
          tio: "review",
          reviewId,
          contactId: cand.id,
          answer: "track",
        }),
      ),
    ).toBe(200);
    expect((await h.app.store.getContact(ws.id, cand.id))?.status).toBe("tracked");
    expect(await h.post(activities.personalMessage(h.world, ann, "review"))).toBe(200);
    h.clock.advance(2 * 86_400_000);
    await h.app.service.runFollowUps(h.server.chatFor);

    const sends = h.fake.calls.filter((c) => c.method === "POST" || c.method === "PUT");
    const strings = sends.map((c) => teamsStrings(c.body));
    const all = { markdown: strings.flatMap((s) => s.markdown), plain: strings.flatMap((s) => s.plain) };
    const found = countTeamsSpecials(all);
    expect({ unescaped: found.count, samples: found.samples }).toEqual({ unescaped: 0, samples: [] });
    expect(all.markdown.join("\n")).toContain("Eve");
    expect(all.markdown.join("\n")).toContain("\\<at\\>Bo\\</at\\>");
    expect(h.fake.sent(personalConversationId(ann)).length).toBeGreaterThan(0);
  });
});
