import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatPort, Prompt } from "../../src/app/service.ts";
import { parseCommand } from "../../src/core/commands.ts";
import type { DigestView } from "../../src/core/digest.ts";
import { isoWeek, safeTimeZone } from "../../src/core/time.ts";
import type { Member, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { createWorld, type World } from "../helpers/world.ts";

class RecordingChat implements ChatPort {
  prompts: Array<{ member: string; prompt: Prompt }> = [];
  digests: Array<{ channel: string; key: string; view: DigestView }> = [];
  failNext = false;
  async sendPrompt(_ws: Workspace, member: Member, prompt: Prompt) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error("channel_not_found");
    }
    this.prompts.push({ member: member.platformUserId, prompt });
    return `D1:${this.prompts.length}`;
  }
  async postDigest(_ws: Workspace, channel: string, view: DigestView, key: string) {
    this.digests.push({ channel, key, view });
    return `${channel}:${this.digests.length}`;
  }
}

describe.each(PROVIDERS)("the core service on %s", (provider) => {
  let w: World;
  let chat: RecordingChat;
  beforeEach(async () => {
    // Wednesday 18 Nov 2026, 10:00 in New York: inside default working hours.
    w = await createWorld(provider, "2026-11-18T15:00:00Z");
    chat = new RecordingChat();
  });
  afterEach(async () => {
    await w.cleanup();
  });

  const member = (id: string) => w.store.getMember(w.ws.id, id).then((m) => m!);
  const run = async (who: string, text: string, isAdmin = false) =>
    w.service.execute(w.ws, await member(who), parseCommand(text), { isAdmin, chat });
  const talk = async (who: string, text: string, times: number) => {
    for (let i = 0; i < times; i++) await w.service.tracker.processMessage(w.ws, w.message(who, text));
  };

  it("answers every subcommand with text, never an exception", async () => {
    for (const text of [
      "",
      "help",
      "contacts",
      "contacts all",
      "stats",
      "pause 2w",
      "resume",
      "digest",
      "nonsense",
      "track",
      "lunch",
      "met",
    ]) {
      const reply = await run("UANN", text);
      expect(["text", "error", "digest"]).toContain(reply.kind);
      if ("text" in reply) expect(reply.text.length).toBeGreaterThan(5);
    }
    expect(await run("UANN", "settings")).toMatchObject({
      kind: "error",
      text: expect.stringMatching(/admins/),
    });
    expect(await run("UANN", "settings", true)).toMatchObject({ kind: "settings" });
    expect(await run("UANN", "digest now")).toMatchObject({ kind: "error" });
    expect(await run("UANN", "untrack Nobody Known")).toMatchObject({
      kind: "error",
      text: expect.stringMatching(/don't know/),
    });
  });

  it("prompts the people who discuss a tracked contact, together, and only once", async () => {
    await run("UANN", "track Jane Doe, jane@acme.com");
    await talk("UANN", "Jane Doe sent the contract", 3);
    await talk("UBO", "call with jane@acme.com went well", 3);
    await talk("UCY", "Jane Doe liked it", 1);
    const report = await w.service.runNudgeSweep(w.ws, chat);
    expect(report.sent).toBe(2);
    expect(chat.prompts.map((p) => p.member).sort()).toEqual(["UANN", "UBO"]);
    const ann = chat.prompts.find((p) => p.member === "UANN")!.prompt;
    expect(ann).toMatchObject({ kind: "lunch", contactName: "Jane Doe", mentionCount: 3 });
    if (ann.kind === "lunch") expect(ann.teammateNames.sort()).toEqual(["Bo Chen", "Cy Park"]);
    // The next sweep, an hour later, sends nothing new: cooldown.
    w.clock.advance(3600_000);
    expect((await w.service.runNudgeSweep(w.ws, chat)).sent).toBe(0);
    expect(await w.database.db.nudge.count({ where: { status: "sent" } })).toBe(2);
  });

  it("sends one workspace's prompts to several members at once", async () => {
    await run("UANN", "track Jane Doe, jane@acme.com");
    await talk("UANN", "Jane Doe sent the contract", 3);
    await talk("UBO", "call with jane@acme.com went well", 3);
    let inFlight = 0;
    let peak = 0;
    const send = chat.sendPrompt.bind(chat);
    chat.sendPrompt = async (ws, m, prompt) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return send(ws, m, prompt);
    };
    expect((await w.service.runNudgeSweep(w.ws, chat)).sent).toBe(2);
    expect(peak).toBe(2);
  });

  it("does not send outside working hours or to paused members", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe!", 3);
    await run("UANN", "pause 1w");
    expect((await w.service.runNudgeSweep(w.ws, chat)).sent).toBe(0);
    await run("UANN", "resume");
    w.clock.set("2026-11-19T03:00:00Z"); // 22:00 in New York
    expect((await w.service.runNudgeSweep(w.ws, chat)).sent).toBe(0);
  });

  it("handles each prompt button once, and only for its owner", async () => {
    await run("UANN", "track Jane Doe");
    await run("UANN", "track Omar Haddad");
    await run("UANN", "track Li Wei");
    await talk("UANN", "Jane Doe, Omar Haddad", 3);
    await w.service.runNudgeSweep(w.ws, chat);
    const ids = chat.prompts.map((p) => (p.prompt.kind === "lunch" ? p.prompt.nudgeId : ""));
    expect(ids).toHaveLength(2);
    const ann = await member("UANN");
    const bo = await member("UBO");
    expect(await w.service.handlePromptAction(w.ws, bo, ids[0]!, "snooze")).toMatchObject({
      changed: false,
      text: expect.stringMatching(/someone else/),
    });
    expect(await w.service.handlePromptAction(w.ws, ann, ids[0]!, "snooze")).toMatchObject({ changed: true });
    expect(await w.service.handlePromptAction(w.ws, ann, ids[0]!, "snooze")).toMatchObject({
      changed: false,
      text: expect.stringMatching(/Already handled/),
    });
    const met = await w.service.handlePromptAction(w.ws, ann, ids[1]!, "met");
    expect(met.changed).toBe(true);
    expect(await w.service.handlePromptAction(w.ws, ann, ids[1]!, "not-contact")).toMatchObject({
      changed: false,
    });
    const contacts = await w.database.db.contact.findMany({ where: { lastMetAt: { not: null } } });
    expect(contacts).toHaveLength(1);
    expect(await w.database.db.meeting.count()).toBe(1);
  });

  it("plans a lunch with an invite, follows up the day after, and records the meeting for everyone", async () => {
    await run("UANN", "track Jane Doe");
    const reply = await run("UANN", "lunch Jane Doe on 2026-11-20 12:30 at Luigi's with <@UBO>");
    expect(reply.kind).toBe("lunch");
    if (reply.kind !== "lunch") return;
    expect(reply.ics).toMatch(/BEGIN:VEVENT[\s\S]*SUMMARY:Lunch with Jane Doe[\s\S]*LOCATION:Luigi's/);
    expect(reply.ics).toContain("DTSTART:20261120T173000Z");
    expect(reply.lunch).toMatchObject({ status: "scheduled", place: "Luigi's" });

    // Not due yet on the day of the lunch.
    w.clock.set("2026-11-20T20:00:00Z");
    expect(await w.service.runFollowUps(() => chat)).toEqual({ sent: 0, failed: 0, failures: [] });
    // Due the next morning; a second run (another replica) sends nothing.
    w.clock.set("2026-11-21T15:30:00Z");
    expect(await w.service.runFollowUps(() => chat)).toEqual({ sent: 1, failed: 0, failures: [] });
    expect(await w.service.runFollowUps(() => chat)).toEqual({ sent: 0, failed: 0, failures: [] });
    const followUp = chat.prompts.at(-1)!;
    expect(followUp).toMatchObject({
      member: "UANN",
      prompt: { kind: "follow-up", contactName: "Jane Doe" },
    });

    const ann = await member("UANN");
    expect(await w.service.answerFollowUp(w.ws, ann, reply.lunch.id, true)).toMatchObject({ changed: true });
    expect(await w.service.answerFollowUp(w.ws, ann, reply.lunch.id, false)).toMatchObject({
      changed: false,
    });
    expect(await w.database.db.meeting.count({ where: { lunchId: reply.lunch.id } })).toBe(2);
    const jane = await w.store.findContactByAlias(w.ws.id, "jane doe");
    expect(jane?.lastMetAt?.toISOString()).toBe("2026-11-20T17:30:00.000Z");
  });

  it("rejects impossible lunches with a clear message", async () => {
    await run("UANN", "track Jane Doe");
    expect(await run("UANN", "lunch Jane Doe on 2026-01-02")).toMatchObject({ kind: "error" });
    expect(await run("UANN", "lunch Jane Doe with <@UNOBODY>")).toMatchObject({
      kind: "error",
      text: expect.stringMatching(/teammates you picked isn't someone I know/),
    });
    expect(await run("UANN", "met Jane Doe on 2027-01-01")).toMatchObject({
      kind: "error",
      text: expect.stringMatching(/future/),
    });
  });

  it("builds the digest from SQL aggregates and posts it at most once per week", async () => {
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

    expect(await run("UANN", "digest now", true)).toMatchObject({
      kind: "error",
      text: expect.stringMatching(/No digest channel/),
    });
    w.ws = await w.store.updateWorkspace(w.ws.id, { digestChannel: "CDIGEST" });
    expect(await run("UANN", "digest now", true)).toMatchObject({
      kind: "text",
      text: expect.stringMatching(/Posted/),
    });
    expect(await run("UANN", "digest now", true)).toMatchObject({
      kind: "text",
      text: expect.stringMatching(/already posted/),
    });
    expect(chat.digests).toHaveLength(1);
    expect(chat.digests[0]).toMatchObject({ channel: "CDIGEST", key: `${w.ws.id}:2026-W47` });
  });

  it("asks about a candidate once ever, even long after the first question", async () => {
    await talk("UANN", "emailed sam.lee@globex.example again", 3);
    expect(await w.service.runNudgeSweep(w.ws, chat)).toMatchObject({ sent: 1 });
    expect(chat.prompts[0]?.prompt).toMatchObject({ kind: "candidate", contactName: "Sam Lee" });
    // Two months later (well past every cooldown window the sweep loads), same talk, same hour.
    w.clock.advance(63 * 24 * 3600_000);
    await talk("UANN", "sam.lee@globex.example wrote back", 3);
    expect(await w.service.runNudgeSweep(w.ws, chat)).toMatchObject({ sent: 0 });
    expect(chat.prompts).toHaveLength(1);
  });

  it("does not count a failed DM as sent", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe", 3);
    chat.failNext = true;
    expect(await w.service.runNudgeSweep(w.ws, chat)).toMatchObject({ sent: 0, failed: 1 });
    expect(await w.database.db.nudge.findMany({ select: { status: true } })).toEqual([{ status: "failed" }]);
  });

  it("never promotes a name only the tagger found, nor posts it; it asks whether they are outside the team", async () => {
    for (const who of ["UANN", "UBO", "UCY"]) await talk(who, "Lunch with Priya Raman went well", 4);
    for (const who of ["UANN", "UBO"]) await talk(who, "emailed sam.lee@globex.example again", 3);
    const report = await w.service.runNudgeSweep(w.ws, chat);
    expect(report.promoted).toBe(1); // Sam Lee, found by an address; Priya Raman only by name
    const asked = chat.prompts.filter((p) => p.prompt.kind === "candidate");
    expect(asked.map((p) => p.member).sort()).toEqual(["UANN", "UBO", "UCY"]);
    for (const p of asked)
      expect(p.prompt).toMatchObject({
        contactName: "Priya Raman",
        question: "Is Priya Raman someone outside the team?",
      });
    // This week's digest (the default is last week's, before any of this was said).
    const thisWeek = isoWeek(w.clock.now(), safeTimeZone(w.ws.timezone));
    const digestNames = async () =>
      (await w.service.digestView(w.ws, thisWeek)).topContacts.map((c) => c.displayName);
    expect(await digestNames()).not.toContain("Priya Raman");
    expect(await digestNames()).toContain("Sam Lee");
    // A person confirms her: from then on she is a contact like any other.
    await run("UANN", "track Priya Raman");
    expect(await digestNames()).toContain("Priya Raman");
  });

  it("offers to merge a name with a handle or link of the same person, and track merges them", async () => {
    await talk("UANN", "ping @jdoe, Jane Doe said she'd send the deck", 1);
    await talk("UBO", "Jane Doe's slides are at https://github.com/JaneDoe/talks", 1);
    await talk("UCY", "Jane Doe and @bob_builder met at the meetup", 1);
    const listed = await run("UANN", "contacts candidates");
    expect(listed.kind).toBe("text");
    const offers =
      "text" in listed ? listed.text.split("\n").filter((l) => l.startsWith("Maybe one person")) : [];
    expect(offers).toEqual([
      "Maybe one person: Jane Doe and @jdoe. Merge them with `/offline track Jane Doe, @jdoe`.",
      "Maybe one person: Jane Doe and janedoe (GitHub). Merge them with `/offline track Jane Doe, github.com/janedoe`.",
    ]);
    expect(await run("UANN", "track Jane Doe, @jdoe, github.com/janedoe")).toMatchObject({
      text: expect.stringMatching(/Merged 3 entries into one/),
    });
    const after = await run("UANN", "contacts all");
    expect("text" in after && after.text).not.toMatch(/Maybe one person/);
  });
});
