import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Workspace } from "../../src/core/types.ts";
import { startScheduler } from "../../src/scheduler/index.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { MemoryCalendars } from "../helpers/memory-calendar.ts";
import { blockAction, type SlackHarness, slackTs, startSlackHarness } from "../helpers/slack-signing.ts";

// Meetings noticed, over Slack's real protocol: a signed message event saying "had lunch with
// <@UEXT> yesterday" gets its author a Block Kit DM with Yes / No; signed clicks record once (a
// replayed click and a second click change nothing). The daily calendar job, run through the
// scheduler twice, counts one meeting; App Home shows it with Undo, and Undo uncounts it.

type Block = {
  type: string;
  text?: { text: string };
  accessory?: { action_id: string; value?: string; text?: { text: string } };
  elements?: Array<{ action_id: string; value?: string; text?: { text: string } }>;
};

const buttonsOf = (blocks: unknown) =>
  (blocks as Block[]).flatMap((b) => [
    ...(b.type === "actions" ? (b.elements ?? []) : []),
    ...(b.accessory ? [b.accessory] : []),
  ]);
const textOf = (blocks: unknown) => JSON.stringify(blocks);

describe.each(PROVIDERS)("meetings noticed on Slack, %s", (provider) => {
  let h: SlackHarness;
  const calendars = new MemoryCalendars();
  beforeAll(async () => {
    h = await startSlackHarness(provider, { calendars });
  });
  beforeEach(async () => {
    await h.reset();
    calendars.byMember.clear();
  });
  afterAll(async () => {
    await h.close();
  });
  const db = () => h.app.database.db;

  async function say(user: string, text: string, seq: number): Promise<void> {
    await h.event({
      type: "message",
      channel: "C0SALES",
      channel_type: "channel",
      user,
      text,
      ts: slackTs("2026-11-18T14:00:00Z", seq),
    });
    await h.settle();
  }

  async function click(payload: Record<string, unknown>): Promise<void> {
    const res = await h.interaction(payload);
    expect(res.status).toBe(200);
    await h.settle();
  }

  it("asks by DM about a meeting mentioned in a channel; Yes records it once", async () => {
    await say("UBO", "Had lunch with <@UEXT> yesterday, they want a pilot", 1);
    const dm = h.fake.postsTo("DUBO")[0];
    expect(dm).toBeDefined();
    expect(String(dm?.args.text)).toBe("Record that you met Jane Doe on Tue 17 Nov?");
    const notice = await db().noticedMeeting.findFirstOrThrow();
    expect(notice).toMatchObject({ source: "chat", day: "2026-11-17", status: "asked" });
    // Nothing of the message is kept.
    expect(JSON.stringify(notice)).not.toContain("pilot");
    expect(buttonsOf(dm?.args.blocks).map((b) => [b.action_id, b.value, b.text?.text])).toEqual([
      ["met_chat_yes", notice.id, "Yes"],
      ["met_chat_no", notice.id, "No"],
    ]);
    const ts = h.fake.messages.get("DUBO")![0]!.ts;

    const yes = blockAction({
      userId: "UBO",
      actionId: "met_chat_yes",
      value: notice.id,
      channel: "DUBO",
      messageTs: ts,
    });
    await click(yes);
    await click(yes); // the same delivery again
    await click(
      blockAction({
        userId: "UBO",
        actionId: "met_chat_yes",
        value: notice.id,
        channel: "DUBO",
        messageTs: ts,
      }),
    );
    const meetings = await db().meeting.findMany();
    expect(meetings).toHaveLength(1);
    expect(meetings[0]).toMatchObject({ source: "chat" });
    const updates = h.fake.callsTo("chat.update").map((c) => String(c.args.text));
    // The replayed delivery ran once; a second click says the same, and changed nothing.
    expect(updates).toEqual([
      "Recorded: you met Jane Doe on Tue 17 Nov.",
      "Recorded: you met Jane Doe on Tue 17 Nov.",
    ]);
    await click(
      blockAction({
        userId: "UBO",
        actionId: "met_chat_no",
        value: notice.id,
        channel: "DUBO",
        messageTs: ts,
      }),
    );
    expect(String(h.fake.callsTo("chat.update").at(-1)?.args.text)).toBe(
      "Already answered: nothing changed.",
    );
    expect(await db().meeting.count()).toBe(1);
    const jane = await db().contact.findFirstOrThrow({ where: { platformUserId: "UEXT" } });
    expect(jane.lastMetAt?.toISOString()).toBe("2026-11-17T17:00:00.000Z");
  });

  it("No records nothing; plans and other people's meetings ask nothing", async () => {
    await say("UCY", "let's grab lunch with <@UEXT> next week", 1);
    await say("UCY", "Bo met <@UEXT> at the conference", 2);
    expect(await db().noticedMeeting.count()).toBe(0);
    await say("UCY", "great coffee with <@UEXT> this morning", 3);
    const notice = await db().noticedMeeting.findFirstOrThrow();
    // Cy is in Berlin: 15:00 there on Wed 18 Nov.
    expect(notice.day).toBe("2026-11-18");
    const ts = h.fake.messages.get("DUCY")![0]!.ts;
    await click(
      blockAction({
        userId: "UCY",
        actionId: "met_chat_no",
        value: notice.id,
        channel: "DUCY",
        messageTs: ts,
      }),
    );
    await click(
      blockAction({
        userId: "UCY",
        actionId: "met_chat_yes",
        value: notice.id,
        channel: "DUCY",
        messageTs: ts,
      }),
    );
    expect(await db().meeting.count()).toBe(0);
    expect((await db().noticedMeeting.findFirstOrThrow()).status).toBe("declined");
  });

  it("the daily calendar job counts a meeting once; App Home shows it with Undo, which uncounts it", async () => {
    // Jane is known (Slack Connect, with her email) before the calendar is read.
    await say("UBO", "notes from <@UEXT>", 1);
    const ws: Workspace = await h.workspace();
    const ann = await h.app.service.member(ws, {
      platformUserId: "UANN",
      displayName: "Ann Smith",
      external: false,
    });
    const cal = calendars.connect(ann.id);
    const start = new Date("2026-11-16T17:00:00Z"); // Mon 16 Nov, noon in New York
    cal.past.push({ start, attendeeEmails: ["ann@northwind.example", "jane@acme.example"] });

    const scheduler = await startScheduler(h.app, () => h.platform.chat, { timers: false, catchUp: false });
    try {
      const [first] = await scheduler.runDue(["calendar-meetings"]);
      expect(first).toMatchObject({ ran: true, outcome: "ok", summary: { recorded: 1 } });
      h.clock.advance(86_400_000);
      const [next] = await scheduler.runDue(["calendar-meetings"]);
      expect(next).toMatchObject({ ran: true, summary: { recorded: 0, known: 1 } });
    } finally {
      await scheduler.stop();
    }
    expect(await db().meeting.count()).toBe(1);
    const jane = await db().contact.findFirstOrThrow({ where: { platformUserId: "UEXT" } });
    expect(jane.lastMetAt?.toISOString()).toBe(start.toISOString());

    await h.event({ type: "app_home_opened", user: "UANN", channel: "DUANN", tab: "home" });
    await h.settle();
    const view = h.fake.callsTo("views.publish").at(-1)?.args.view as { blocks: unknown };
    expect(textOf(view.blocks)).toContain(
      "Counted your meeting with Jane Doe on Mon 16 Nov from your calendar.",
    );
    const undo = buttonsOf(view.blocks).find((b) => b.action_id === "met_undo");
    expect(undo?.text?.text).toBe("Undo");

    await click(
      blockAction({
        userId: "UANN",
        actionId: "met_undo",
        value: String(undo?.value),
        view: { id: "V0HOME", type: "home" },
      }),
    );
    expect(await db().meeting.count()).toBe(0);
    expect((await db().contact.findFirstOrThrow({ where: { id: jane.id } })).lastMetAt).toBeNull();
    const after = h.fake.callsTo("views.publish").at(-1)?.args.view as { blocks: unknown };
    expect(textOf(after.blocks)).not.toContain("Counted your meeting");
    // And the next day's read leaves it undone.
    expect((await h.app.service.recordCalendarMeetings(ws)).recorded).toBe(0);
  });

  it("a counted meeting rides under the next prompt as one line; Undo there answers in a new DM", async () => {
    expect((await h.command("UBO", "track Omar Haddad, omar@partner.example")).status).toBe(200);
    await h.settle();
    const ws = await h.workspace();
    const bo = await h.app.service.member(ws, {
      platformUserId: "UBO",
      displayName: "Bo Chen",
      external: false,
    });
    calendars.connect(bo.id).past.push({
      start: new Date("2026-11-17T12:00:00Z"),
      attendeeEmails: ["bo@northwind.example", "omar@partner.example"],
    });
    expect((await h.app.service.recordCalendarMeetings(ws)).recorded).toBe(1);
    // Bo talks about Jane (Slack Connect) enough for a lunch prompt.
    for (let i = 1; i <= 3; i++) await say("UBO", `about <@UEXT> (${i})`, i);
    await say("UCY", "about <@UEXT>", 4);
    expect((await h.app.service.runNudgeSweep(ws, h.platform.chat)).sent).toBe(1);
    const prompt = h.fake
      .callsTo("chat.postMessage")
      .find((c) => String(c.args.text).startsWith("Take Jane Doe"));
    expect(textOf(prompt?.args.blocks)).toContain(
      "Counted your meeting with Omar Haddad on Tue 17 Nov from your calendar.",
    );
    const undo = buttonsOf(prompt?.args.blocks).find((b) => b.action_id === "met_undo");
    expect(undo?.text?.text).toBe("Undo");
    // Told once: the next prompt won't carry it again.
    expect((await db().noticedMeeting.findFirstOrThrow()).toldAt).not.toBeNull();

    const ts = h.fake.messages.get("DUBO")!.at(-1)!.ts;
    const updatesBefore = h.fake.callsTo("chat.update").length;
    await click(
      blockAction({
        userId: "UBO",
        actionId: "met_undo",
        value: String(undo?.value),
        channel: "DUBO",
        messageTs: ts,
      }),
    );
    expect(h.fake.callsTo("chat.update")).toHaveLength(updatesBefore);
    const reply = h.fake.callsTo("chat.postMessage").at(-1);
    expect(reply?.args.channel).toBe("DUBO");
    expect(String(reply?.args.text)).toBe(
      "Undone: your meeting with Omar Haddad on Tue 17 Nov no longer counts.",
    );
    expect(await db().meeting.count()).toBe(0);

    // forget-me takes the notices with everything else.
    expect((await h.command("UBO", "forget-me confirm")).status).toBe(200);
    await h.settle();
    expect(await db().noticedMeeting.count({ where: { memberId: bo.id } })).toBe(0);
  });
});
