import { beforeEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/core/commands.ts";
import type { MessageDoc } from "../../src/core/messages/doc.ts";
import { renderPlain } from "../../src/core/messages/plain.ts";
import { createMemoryWorld, type MemoryWorld } from "../helpers/memory-world.ts";
import { createTestChat, type TestChat } from "../helpers/scheduler-chat.ts";

// Issue 20 items 5, 6 and 8 on the in-memory store: team-wide actions say so, ask first when others
// are concerned and can be undone; forget-me asks first; a pause says when it ends; "not yet" keeps
// a lunch open; a date for an undated lunch updates it; the personal view is one document.

describe("team-wide and personal actions", () => {
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
  const run = async (who: string, text: string) =>
    w.service.execute(w.ws, await member(who), parseCommand(text, { now: w.clock.now() }), {
      isAdmin: false,
      chat,
    });
  const talk = async (who: string, text: string, times: number) => {
    for (let i = 0; i < times; i++) await w.service.tracker.processMessage(w.ws, w.message(who, text));
  };
  const janeStatus = async () => (await w.store.findContactByAlias(w.ws.id, "jane doe"))?.status;
  const firstPrompt = async () => {
    await w.service.runNudgeSweep(w.ws, chat);
    const ann = await member("UANN");
    const p = chat.prompts.find((x) => x.memberId === ann.id)?.prompt;
    if (!p || p.kind === "follow-up") throw new Error("no prompt");
    return p.nudgeId;
  };
  /** The document as plain text, then its buttons as [label]. */
  const plain = (doc: MessageDoc | undefined) => {
    if (!doc) return "";
    const buttons = doc.blocks.flatMap((b) =>
      b.type === "actions" ? [...b.buttons, ...(b.more ?? [])] : b.type === "item" ? [b.button] : [],
    );
    return `${renderPlain(doc)}\n${buttons.map((b) => `[${b.label}]`).join(" ")}`;
  };

  it("hides a contact only one teammate discusses at once, says it is for everyone, and undoes it", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe again", 3);
    const nudgeId = await firstPrompt();
    const ann = await member("UANN");

    const hidden = await w.service.handlePromptAction(w.ws, ann, nudgeId, "not-contact");
    expect(hidden.changed).toBe(true);
    expect(plain(hidden.doc)).toContain(
      "Hidden for everyone on the team: nobody will be prompted about Jane Doe",
    );
    expect(plain(hidden.doc)).toContain("[Undo]");
    expect(await janeStatus()).toBe("ignored");

    // Someone else can't undo it; the owner can, once.
    const bo = await member("UBO");
    expect(await w.service.handlePromptAction(w.ws, bo, nudgeId, "undo")).toMatchObject({ changed: false });
    const undone = await w.service.handlePromptAction(w.ws, ann, nudgeId, "undo");
    expect(undone.changed).toBe(true);
    expect(await janeStatus()).toBe("tracked");
    expect((await w.store.getNudge(w.ws.id, nudgeId))?.status).toBe("sent");
    // The prompt is back, with its buttons.
    expect(plain(undone.doc)).toContain("Take Jane Doe to lunch?");
    expect(plain(undone.doc)).toContain("[Plan lunch]");
    expect(await w.service.handlePromptAction(w.ws, ann, nudgeId, "undo")).toMatchObject({ changed: false });
  });

  it("asks first when other teammates discuss the contact; cancel keeps it, confirm hides it", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe again", 3);
    await talk("UBO", "Jane Doe here too", 2);
    await talk("UCY", "Jane Doe", 1);
    const nudgeId = await firstPrompt();
    const ann = await member("UANN");

    const asked = await w.service.handlePromptAction(w.ws, ann, nudgeId, "not-contact");
    expect(asked.changed).toBe(false);
    expect(plain(asked.doc)).toContain("Hide Jane Doe for everyone?");
    expect(plain(asked.doc)).toContain("2 other teammates talk about Jane Doe");
    expect(plain(asked.doc)).toMatch(/\[Hide for everyone\].*\[Cancel\]/s);
    expect(await janeStatus()).toBe("tracked");

    const kept = await w.service.handlePromptAction(w.ws, ann, nudgeId, "keep");
    expect(plain(kept.doc)).toContain("Take Jane Doe to lunch?");
    expect(await janeStatus()).toBe("tracked");
    expect((await w.store.getNudge(w.ws.id, nudgeId))?.status).toBe("sent");

    const hidden = await w.service.handlePromptAction(w.ws, ann, nudgeId, "hide");
    expect(hidden.changed).toBe(true);
    expect(await janeStatus()).toBe("ignored");
    // A second confirm (another copy of the question) changes nothing.
    expect(await w.service.handlePromptAction(w.ws, ann, nudgeId, "hide")).toMatchObject({ changed: false });
  });

  it("gives an ignored candidate back its candidate status on undo", async () => {
    const ann = await member("UANN");
    const c = await w.store.createContact(w.ws.id, { displayName: "Omar Haddad", status: "candidate" }, []);
    const ask = await w.store.createNudge(w.ws.id, { memberId: ann.id, contactId: c.id, kind: "candidate" });
    await w.store.transitionNudge(w.ws.id, ask.id, ["pending"], { status: "sent" });
    const ignored = await w.service.handlePromptAction(w.ws, ann, ask.id, "ignore");
    expect(ignored.changed).toBe(true);
    expect((await w.store.getContact(w.ws.id, c.id))?.status).toBe("ignored");
    const undone = await w.service.handlePromptAction(w.ws, ann, ask.id, "undo");
    expect(undone.changed).toBe(true);
    expect((await w.store.getContact(w.ws.id, c.id))?.status).toBe("candidate");
    expect(plain(undone.doc)).toContain("[Track]");
  });

  it("says the ignore command is team-wide and how to undo it", async () => {
    await run("UANN", "track Jane Doe");
    const reply = await run("UBO", "ignore Jane Doe");
    expect(reply).toMatchObject({
      kind: "text",
      text: expect.stringContaining("Hidden for everyone on the team"),
    });
    expect(await janeStatus()).toBe("ignored");
  });

  it("forget-me asks first; only confirm deletes", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe again", 3);
    const asked = await run("UANN", "forget-me");
    expect(asked.kind).toBe("doc");
    if (asked.kind !== "doc") return;
    expect(plain(asked.doc)).toContain("Delete everything about you?");
    expect(plain(asked.doc)).toMatch(/\[Delete my data\].*\[Cancel\]/s);
    expect((await member("UANN")).optedOut).toBe(false);
    expect(await w.store.countMentions(w.ws.id)).toBe(3);

    const done = await run("UANN", "forget-me confirm");
    expect(done).toMatchObject({ kind: "text", text: expect.stringContaining("I deleted everything") });
    expect((await member("UANN")).optedOut).toBe(true);
    expect(await w.store.countMentions(w.ws.id)).toBe(0);
  });

  it("a pause always says when it ends", async () => {
    const twoWeeks = await run("UANN", "pause 2w");
    // 14 days from Wed 18 Nov 10:00 in New York.
    expect(twoWeeks).toMatchObject({
      kind: "text",
      text: expect.stringContaining("Paused until Wed 2 Dec, 10:00"),
    });
    expect((await member("UANN")).pausedUntil?.toISOString()).toBe("2026-12-02T15:00:00.000Z");
    const forever = await run("UANN", "pause");
    expect(forever).toMatchObject({ kind: "text", text: expect.stringContaining("Paused until you resume") });
    expect((await member("UANN")).pausedUntil).toBeNull();
  });

  it("'not yet' keeps the lunch open and asks again a week later; 'it's off' cancels", async () => {
    await run("UANN", "track Jane Doe");
    const reply = await run("UANN", "lunch Jane Doe on 2026-11-20 12:30");
    if (reply.kind !== "lunch") throw new Error(reply.kind);
    w.clock.set("2026-11-21T15:30:00Z");
    expect((await w.service.runFollowUps(() => chat)).sent).toBe(1);
    const ann = await member("UANN");

    const later = await w.service.answerFollowUp(w.ws, ann, reply.lunch.id, "later");
    expect(later).toMatchObject({ changed: true, text: expect.stringContaining("Sat 28 Nov, 10:00") });
    expect(plain(later.doc)).toContain("[Pick a new date]");
    const open = await w.store.getLunch(w.ws.id, reply.lunch.id);
    expect(open).toMatchObject({ status: "scheduled", followUpSent: null });
    expect(open?.followUpAt?.toISOString()).toBe("2026-11-28T15:00:00.000Z");
    expect((await w.service.runFollowUps(() => chat)).sent).toBe(0);
    w.clock.set("2026-11-28T15:30:00Z");
    expect((await w.service.runFollowUps(() => chat)).sent).toBe(1);

    const off = await w.service.answerFollowUp(w.ws, ann, reply.lunch.id, "off");
    expect(off).toMatchObject({ changed: true, text: expect.stringContaining("cancelled") });
    expect((await w.store.getLunch(w.ws.id, reply.lunch.id))?.status).toBe("cancelled");
  });

  it("a date for the lunch without one updates it instead of planning a second", async () => {
    await run("UANN", "track Jane Doe");
    const first = await run("UANN", "lunch Jane Doe");
    expect(first).toMatchObject({ kind: "lunch", text: expect.stringContaining("Add a date with") });
    const dated = await run("UANN", "lunch Jane Doe on 2026-12-10 12:30 with <@UBO>");
    expect(dated).toMatchObject({
      kind: "lunch",
      text: expect.stringContaining("Updated your lunch with Jane Doe: Thu 10 Dec, 12:30"),
    });
    const lunches = await w.store.listLunches(w.ws.id, {});
    expect(lunches).toHaveLength(1);
    expect(lunches[0]).toMatchObject({ status: "scheduled", attendeeIds: [(await member("UBO")).id] });

    // After "not yet", a new date moves that same lunch too.
    w.clock.set("2026-12-11T15:30:00Z");
    await w.service.runFollowUps(() => chat);
    await w.service.answerFollowUp(w.ws, await member("UANN"), lunches[0]?.id ?? "", "later");
    const moved = await run("UANN", "lunch Jane Doe on 2026-12-17 13:00");
    expect(moved).toMatchObject({ kind: "lunch", text: expect.stringContaining("Updated your lunch") });
    expect(await w.store.listLunches(w.ws.id, {})).toHaveLength(1);
    // A past date is refused in words, never as a timestamp.
    const past = await run("UANN", "lunch Jane Doe on 2026-12-01 12:30");
    expect(past.kind).toBe("error");
    if (past.kind === "error") expect(past.text).not.toMatch(/\d{4}-\d\d-\d\dT/);
  });

  it("home is the personal view as one document: prompts, lunches, own vs team numbers, pause", async () => {
    await run("UANN", "track Jane Doe");
    await talk("UANN", "Jane Doe again", 3);
    await talk("UBO", "Jane Doe", 1);
    await w.service.runNudgeSweep(w.ws, chat);
    await run("UANN", "pause 1w");
    const home = await run("UANN", "home");
    expect(home.kind).toBe("doc");
    if (home.kind !== "doc") return;
    const text = plain(home.doc);
    expect(text).toContain("Waiting for your answer");
    expect(text).toContain("Take Jane Doe to lunch?");
    expect(text).toContain("3 mentions by you; 2 teammates on the team discuss them");
    expect(text).toContain("Prompts are paused until Wed 25 Nov, 10:00");
    expect(text).toContain("[Resume]");
    expect(text).toContain("/offline forget-me");
  });
});
