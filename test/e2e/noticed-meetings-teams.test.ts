// Meetings noticed, over Teams' real protocol (botbuilder CloudAdapter against the fake Bot
// Connector): a channel message "Had lunch with <at>Gwen Guest</at> yesterday" gets its author an
// Adaptive Card in their personal chat with Yes / No (Action.Submit); Yes records once, a replayed
// press and a second press change nothing, No records nothing. A meeting counted from the
// calendar rides under the next lunch prompt as one line with Undo, which uncounts it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Member, Workspace } from "../../src/core/types.ts";
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
} from "../helpers/fake-bot-connector.ts";
import { MemoryCalendars } from "../helpers/memory-calendar.ts";

const TENANT = "tenant-acme";
const ann: FakeUser = { id: "29:ann", name: "Ann Admin", tenantId: TENANT };
const bo: FakeUser = { id: "29:bo", name: "Bo Berg", tenantId: TENANT };
const gwen: FakeUser = {
  id: "29:gwen",
  name: "Gwen Guest",
  tenantId: TENANT,
  userRole: "guest",
  email: "gwen@partner.example",
};

type Action = { type: string; title: string; data: Json };

/** Every Action.Submit in a sent card, wherever it sits (the card's foot or beside a line). */
function actionsOf(call: RecordedCall | undefined): Action[] {
  const out: Action[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "Action.Submit") out.push(o as unknown as Action);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(call?.body?.attachments);
  return out;
}

function textOf(call: RecordedCall | undefined): string {
  const parts: string[] = [];
  if (typeof call?.body?.text === "string") parts.push(call.body.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      if (o.type === "TextBlock" && typeof o.text === "string") parts.push(o.text);
      for (const child of Object.values(o)) walk(child);
    }
  };
  walk(call?.body?.attachments);
  return parts.join("\n");
}

describe.each(PROVIDERS)("meetings noticed on Teams, %s", (provider) => {
  let h: TeamsHarness;
  let ws: Workspace;
  const calendars = new MemoryCalendars();
  const annChat = personalConversationId(ann);
  const db = () => h.app.database.db;
  const member = async (u: FakeUser) => (await h.app.store.getMember(ws.id, u.id)) as Member;

  const say = async (author: FakeUser, html: string) =>
    expect(
      await h.post(
        activities.channelMessage(h.world, author, html, {
          mentions: html.includes("<at>") ? [mention(gwen)] : [],
        }),
      ),
    ).toBe(200);

  beforeAll(async () => {
    h = await startTeamsHarness(provider, { tenantId: TENANT, calendars });
    h.fake.addUsers(ann, bo, gwen);
    expect(await h.post(activities.teamInstall(h.world, ann))).toBe(200);
    expect(await h.post(activities.personalInstall(h.world, ann))).toBe(200);
    ws = (await h.app.store.findWorkspace("teams", TENANT)) as Workspace;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("asks about a meeting mentioned in a channel; Yes records it once, however often it is pressed", async () => {
    const before = h.fake.sent(annChat).length;
    await say(ann, "Had lunch with <at>Gwen Guest</at> yesterday, lovely");
    const sent = h.fake.sent(annChat).slice(before);
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0])).toContain("Record that you met Gwen Guest on Tue 3 Mar?");
    const notice = await db().noticedMeeting.findFirstOrThrow();
    expect(notice).toMatchObject({ source: "chat", day: "2026-03-03", status: "asked" });
    expect(actionsOf(sent[0]).map((a) => [a.title, a.data])).toEqual([
      ["Yes", { tio: "noticed", noticeId: notice.id, answer: "yes" }],
      ["No", { tio: "noticed", noticeId: notice.id, answer: "no" }],
    ]);
    const cardId = String(sent[0]?.responseId);
    const press = activities.cardSubmit(h.world, ann, annChat, cardId, {
      tio: "noticed",
      noticeId: notice.id,
      answer: "yes",
    });
    expect(await h.post(press)).toBe(200);
    expect(await h.post(press)).toBe(200); // the same activity delivered again
    expect(
      await h.post(
        activities.cardSubmit(h.world, ann, annChat, cardId, {
          tio: "noticed",
          noticeId: notice.id,
          answer: "yes",
        }),
      ),
    ).toBe(200);
    expect(await db().meeting.findMany()).toEqual([expect.objectContaining({ source: "chat" })]);
    const updates = h.fake.updates(annChat).map(textOf);
    expect(updates[0]).toContain("Recorded: you met Gwen Guest on Tue 3 Mar.");
    // Presses after the first change nothing and leave the card saying what happened.
    expect(updates.length).toBeGreaterThanOrEqual(2);
    for (const u of updates) expect(u).toContain("Recorded: you met Gwen Guest on Tue 3 Mar.");
  });

  it("No records nothing, and a plan asks nothing", async () => {
    const boChatBefore = h.fake.sent().length;
    await say(bo, "Meeting <at>Gwen Guest</at> tomorrow for lunch");
    expect(h.fake.sent().length).toBe(boChatBefore);
    await say(bo, "Grabbed a coffee with <at>Gwen Guest</at> this morning");
    const notice = await db().noticedMeeting.findFirstOrThrow({ where: { memberId: (await member(bo)).id } });
    const card = h.fake
      .sent()
      .slice(boChatBefore)
      .find((c) => textOf(c).includes("Record that you met Gwen Guest"));
    expect(card).toBeDefined();
    const conv = String(card?.conversationId);
    expect(
      await h.post(
        activities.cardSubmit(h.world, bo, conv, String(card?.responseId), {
          tio: "noticed",
          noticeId: notice.id,
          answer: "no",
        }),
      ),
    ).toBe(200);
    expect((await db().noticedMeeting.findUniqueOrThrow({ where: { id: notice.id } })).status).toBe(
      "declined",
    );
    expect(await db().meeting.count({ where: { memberId: (await member(bo)).id } })).toBe(0);
  });

  it("a meeting counted from the calendar is one line with Undo under the next prompt", async () => {
    // Omar is tracked with his email; Ann's calendar had him at a meeting on Monday.
    expect(
      await h.post(activities.personalMessage(h.world, ann, "track Omar Haddad, omar@partner.example")),
    ).toBe(200);
    const a = await member(ann);
    calendars.connect(a.id).past.push({
      start: new Date("2026-03-02T12:30:00Z"),
      attendeeEmails: ["OMAR@partner.example"],
    });
    expect(await h.app.service.recordCalendarMeetings(ws)).toMatchObject({ recorded: 1 });
    expect(await h.app.service.recordCalendarMeetings(ws)).toMatchObject({ recorded: 0 });
    const omar = await db().contact.findFirstOrThrow({ where: { displayName: "Omar Haddad" } });
    expect(omar.lastMetAt?.toISOString()).toBe("2026-03-02T12:30:00.000Z");

    // Ann and Bo keep talking about Gwen: the sweep prompts Ann, with the Omar line beneath.
    await db().meeting.deleteMany({ where: { contactId: { not: omar.id } } });
    await db().contact.updateMany({ where: { id: { not: omar.id } }, data: { lastMetAt: null } });
    for (let i = 0; i < 3; i++) await say(ann, `About <at>Gwen Guest</at> (${i})`);
    const before = h.fake.sent(annChat).length;
    const report = await h.app.service.runNudgeSweep(ws, h.platform.chat);
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const prompt = h.fake
      .sent(annChat)
      .slice(before)
      .find((c) => textOf(c).includes("Take Gwen Guest to lunch?"));
    expect(textOf(prompt)).toContain(
      "Counted your meeting with Omar Haddad on Mon 2 Mar from your calendar.",
    );
    const undo = actionsOf(prompt).find((x) => x.title === "Undo");
    expect(undo?.data).toMatchObject({ tio: "noticed", answer: "undo" });
    // Told once: the next prompt doesn't repeat it.
    expect(await db().noticedMeeting.findFirstOrThrow({ where: { contactId: omar.id } })).toMatchObject({
      toldAt: expect.any(Date),
    });

    const sentBefore = h.fake.sent(annChat).length;
    const updatesBefore = h.fake.updates(annChat).length;
    expect(
      await h.post(
        activities.cardSubmit(h.world, ann, annChat, String(prompt?.responseId), undo?.data as Json),
      ),
    ).toBe(200);
    expect(textOf(h.fake.sent(annChat).at(-1))).toContain(
      "Undone: your meeting with Omar Haddad on Mon 2 Mar no longer counts.",
    );
    expect(h.fake.sent(annChat).length).toBe(sentBefore + 1);
    // The prompt stays as it was, with its own buttons.
    expect(h.fake.updates(annChat).length).toBe(updatesBefore);
    expect(await db().meeting.count({ where: { contactId: omar.id } })).toBe(0);
    expect((await db().contact.findUniqueOrThrow({ where: { id: omar.id } })).lastMetAt).toBeNull();
  });
});
