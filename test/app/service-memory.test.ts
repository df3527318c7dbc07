import { beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands.ts";
import { digestDue } from "../../src/scheduler/digest-schedule.ts";
import { createMemoryWorld, type MemoryWorld } from "../helpers/memory-world.ts";
import { createTestChat, type TestChat } from "../helpers/scheduler-chat.ts";

// The core service's main flows on the in-memory store: no database, so each test runs in
// milliseconds. The same flows run on SQLite and PostgreSQL in test/app/service.test.ts;
// test/store/contract.test.ts is what keeps the two stores answering alike.

describe("the core service on the in-memory store", () => {
  let w: MemoryWorld;
  let chat: TestChat;
  beforeEach(async () => {
    // Wednesday 18 Nov 2026, 10:00 in New York: inside default working hours.
    w = await createMemoryWorld("2026-11-18T15:00:00Z");
    chat = createTestChat();
  });

  const member = async (id: string) => {
    const m = await w.store.getMember(w.ws.id, id);
    if (!m) throw new Error(`no member ${id}`);
    return m;
  };
  const run = async (who: string, text: string, isAdmin = false) =>
    w.service.execute(w.ws, await member(who), parseCommand(text), { isAdmin, chat });
  const talk = async (who: string, text: string, times: number) => {
    for (let i = 0; i < times; i++) await w.service.tracker.processMessage(w.ws, w.message(who, text));
  };

  it("tracks a contact from messages and prompts the people who discuss it, once", async () => {
    await run("UANN", "track Jane Doe, jane@acme.com");
    await talk("UANN", "Jane Doe sent the contract", 3);
    await talk("UBO", "call with jane@acme.com went well", 3);
    await talk("UCY", "Jane Doe liked it", 1);
    const jane = await w.store.findContactByAlias(w.ws.id, "jane@acme.com");
    expect(jane?.status).toBe("tracked");
    expect(await w.store.countMentions(w.ws.id)).toBe(7);

    const report = await w.service.runNudgeSweep(w.ws, chat);
    expect(report.sent).toBe(2);
    const ann = await member("UANN");
    const bo = await member("UBO");
    expect(chat.prompts.map((p) => p.memberId).sort()).toEqual([ann.id, bo.id].sort());
    const prompt = chat.prompts.find((p) => p.memberId === ann.id)?.prompt;
    expect(prompt).toMatchObject({ kind: "lunch", contactName: "Jane Doe", mentionCount: 3 });
    // An hour later nothing new goes out: cooldown.
    w.clock.advance(3600_000);
    expect((await w.service.runNudgeSweep(w.ws, chat)).sent).toBe(0);
    expect(await w.store.listNudges(w.ws.id, { status: ["sent"] })).toHaveLength(2);
  });

  describe("a quiet workspace: the mention window fits the pace (core/nudges.ts fittedWindowDays)", () => {
    // Jane comes up three times in seven weeks, as outside people did in a real community export.
    const slowTalk = async () => {
      await run("UANN", "track Jane Doe, jane@acme.com");
      for (let i = 0; i < 3; i++) {
        if (i > 0) w.clock.advance(24 * 86_400_000);
        await talk("UANN", "Jane Doe's team shipped the importer", 1);
      }
    };

    it("prompts on three mentions spread over weeks when the team talks little", async () => {
      await slowTalk();
      const report = await w.service.runNudgeSweep(w.ws, chat);
      expect(report.sent).toBe(1);
      expect(chat.prompts[0]?.prompt).toMatchObject({
        kind: "lunch",
        contactName: "Jane Doe",
        mentionCount: 3,
      });
      // The prompt names the window that decided, not the configured 14 days.
      expect(chat.prompts[0]?.prompt.kind === "lunch" && chat.prompts[0].prompt.reason).toContain("90 days");
    });

    it("keeps the configured 14 days in a busy workspace", async () => {
      await slowTalk();
      // 200 mentions of someone else this week (the window holds the latest 100): the team talks a lot, so two-month-old talk is stale.
      await run("UBO", "track Bob Roe, bob@globex.example");
      for (let i = 0; i < 100; i++) {
        await talk("UBO", "bob@globex.example sent numbers", 1);
        await talk("UCY", "bob@globex.example again", 1);
      }
      const report = await w.service.runNudgeSweep(w.ws, chat);
      expect(
        chat.prompts.filter((p) => p.prompt.kind === "lunch" && p.prompt.contactName === "Jane Doe"),
      ).toEqual([]);
      expect(report.sent).toBeGreaterThan(0); // Bob's, within the 14 days
    });
  });

  it("handles each prompt button once, and only for its owner", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe again", 3);
    await w.service.runNudgeSweep(w.ws, chat);
    const nudgeId = chat.prompts[0]?.prompt.kind === "lunch" ? chat.prompts[0].prompt.nudgeId : "";
    expect(nudgeId).not.toBe("");
    const ann = await member("UANN");
    const bo = await member("UBO");
    expect(await w.service.handlePromptAction(w.ws, bo, nudgeId, "met")).toMatchObject({ changed: false });
    expect(await w.service.handlePromptAction(w.ws, ann, nudgeId, "met")).toMatchObject({ changed: true });
    expect(await w.service.handlePromptAction(w.ws, ann, nudgeId, "met")).toMatchObject({ changed: false });
    const jane = await w.store.findContactByAlias(w.ws.id, "jane doe");
    expect(jane?.lastMetAt?.toISOString()).toBe("2026-11-18T15:00:00.000Z");
    // Met: what was said before no longer counts towards the next prompt.
    expect(await w.store.mentionCounts(w.ws.id, new Date("2026-11-01T00:00:00Z"))).toEqual([]);
  });

  it("plans a lunch, follows up the day after, and records the meeting for everyone", async () => {
    await run("UANN", "track Jane Doe");
    const reply = await run("UANN", "lunch Jane Doe on 2026-11-20 12:30 at Luigi's with <@UBO>");
    expect(reply.kind).toBe("lunch");
    if (reply.kind !== "lunch") return;
    expect(reply.lunch).toMatchObject({ status: "scheduled", place: "Luigi's" });
    expect(reply.lunch.attendeeIds).toEqual([(await member("UBO")).id]);

    w.clock.set("2026-11-20T20:00:00Z");
    expect(await w.service.runFollowUps(() => chat)).toEqual({ sent: 0, failed: 0, failures: [] });
    w.clock.set("2026-11-21T15:30:00Z");
    expect(await w.service.runFollowUps(() => chat)).toEqual({ sent: 1, failed: 0, failures: [] });
    expect(await w.service.runFollowUps(() => chat)).toEqual({ sent: 0, failed: 0, failures: [] });
    expect(chat.prompts.at(-1)?.prompt).toMatchObject({ kind: "follow-up", contactName: "Jane Doe" });

    const ann = await member("UANN");
    expect(await w.service.answerFollowUp(w.ws, ann, reply.lunch.id, true)).toMatchObject({ changed: true });
    expect(await w.service.answerFollowUp(w.ws, ann, reply.lunch.id, false)).toMatchObject({
      changed: false,
    });
    expect((await w.store.getLunch(w.ws.id, reply.lunch.id))?.status).toBe("met");
    const jane = await w.store.findContactByAlias(w.ws.id, "jane doe");
    expect(jane?.lastMetAt?.toISOString()).toBe("2026-11-20T17:30:00.000Z");
  });

  it("builds the digest view and posts it at most once per week", async () => {
    await run("UANN", "track Jane Doe, jane@acme.com");
    await run("UANN", "track Omar Haddad");
    await talk("UANN", "Jane Doe", 4);
    await talk("UBO", "jane@acme.com", 2);
    await talk("UCY", "Omar Haddad", 1);
    await run("UBO", "met Omar Haddad today");
    // The digest reports the last complete week: a week later, this one.
    expect((await w.service.digestView(w.ws)).week).toBe("2026-W46");
    w.clock.advance(7 * 24 * 3600_000);
    const view = await w.service.digestView(w.ws);
    expect(view.week).toBe("2026-W47");
    expect(view.periodName).toBe("Last week");
    expect(view.topContacts.map((c) => [c.displayName, c.mentions, c.teammates])).toEqual([
      ["Jane Doe", 6, 2],
      ["Omar Haddad", 1, 1],
    ]);
    expect(view.coverage).toMatchObject({ met: 1, total: 2 });
    expect(view.onlineOnly.map((c) => c.displayName)).toEqual(["Jane Doe"]);
    expect(view.tookItOffline).toEqual([{ memberName: "Bo Chen", contactNames: ["Omar Haddad"] }]);

    w.ws = await w.store.updateWorkspace(w.ws.id, { digestChannel: "CDIGEST" });
    expect(await run("UANN", "digest now", true)).toMatchObject({
      kind: "text",
      text: expect.stringMatching(/Posted/),
    });
    expect(await run("UANN", "digest now", true)).toMatchObject({
      kind: "text",
      text: expect.stringMatching(/already posted/),
    });
    expect(chat.posts).toHaveLength(1);
    expect(await w.store.getDigest(w.ws.id, "2026-W47")).toMatchObject({ status: "posted" });
  });

  it("keys the Digest row by the reported week: the Monday post isn't repeated later that week", async () => {
    w.ws = await w.store.updateWorkspace(w.ws.id, { digestChannel: "CDIGEST", digestDay: 1, digestHour: 9 });
    // Monday 23 Nov, 09:00 in New York: the scheduler's decision reports W47, just ended.
    w.clock.set("2026-11-23T14:00:00Z");
    const decision = digestDue(w.ws, w.clock.now());
    expect(decision).toMatchObject({ due: true, week: "2026-W48", reports: "2026-W47" });
    expect((await w.service.postWeeklyDigest(w.ws, chat, decision.reports)).posted).toBe(true);
    // Wednesday, an admin runs `digest now`: the same week, so nothing is posted twice.
    w.clock.set("2026-11-25T15:00:00Z");
    expect(await run("UANN", "digest now", true)).toMatchObject({
      text: expect.stringMatching(/already posted/),
    });
    // Late on Sunday it is still that week's digest.
    w.clock.set("2026-11-30T04:59:00Z");
    expect((await w.service.postWeeklyDigest(w.ws, chat)).posted).toBe(false);
    expect(chat.posts).toHaveLength(1);
    expect(await w.store.getDigest(w.ws.id, "2026-W47")).toMatchObject({ status: "posted" });
    expect(await w.store.getDigest(w.ws.id, "2026-W48")).toBeNull();
  });

  it("forget-me leaves an opted-out tombstone that stays untracked", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe", 2);
    const ann = await member("UANN");
    await w.store.forgetMember(w.ws.id, ann.id);
    await talk("UANN", "Jane Doe", 3);
    expect(await w.store.countMentions(w.ws.id)).toBe(0);
    expect((await w.service.runNudgeSweep(w.ws, chat)).sent).toBe(0);
    expect(await member("UANN")).toMatchObject({ optedOut: true, displayName: "" });
  });
});
