import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ChatPort } from "../../src/app/ports.ts";
import { OfflineService } from "../../src/app/service.ts";
import type { MessageDoc } from "../../src/core/messages/doc.ts";
import { renderPlain } from "../../src/core/messages/plain.ts";
import { fixedClock } from "../../src/core/ports.ts";
import type { Contact, Member, Workspace } from "../../src/core/types.ts";
import { MemoryCalendars } from "../helpers/memory-calendar.ts";
import { type ContractStore, openContractStore, STORE_KINDS } from "../helpers/store-kinds.ts";
import { TEAM, teamMessage } from "../helpers/world.ts";

// Meetings noticed, not only reported: the daily calendar read (recorded once, whatever runs it,
// with Undo) and a meeting mentioned in chat (asked first; Yes records, No doesn't, once each),
// on the in-memory store and both databases.

const NOW = "2026-12-03T15:00:00Z"; // Thu 3 Dec, 10:00 in New York
const DAY = 86_400_000;

describe.each(STORE_KINDS)("meetings noticed on %s", (kind) => {
  let t: ContractStore;
  let clock: ReturnType<typeof fixedClock>;
  let calendars: MemoryCalendars;
  let service: OfflineService;
  let ws: Workspace;
  let jane: Contact;
  let ann: Member;
  let bo: Member;
  const docs: Array<{ memberId: string; doc: MessageDoc }> = [];
  const chat: ChatPort = {
    sendPrompt: async () => "prompt",
    postDigest: async () => "digest",
    sendDoc: async (_ws, member, doc) => {
      docs.push({ memberId: member.id, doc });
      return `D${member.platformUserId}:${docs.length}`;
    },
  };

  beforeEach(async () => {
    t = await openContractStore(kind);
    clock = fixedClock(NOW);
    calendars = new MemoryCalendars();
    service = new OfflineService(t.store, clock, { calendarPort: calendars });
    ws = await t.store.upsertWorkspace({
      platform: "slack",
      externalId: "T1",
      name: "Northwind",
      timezone: "America/New_York",
    });
    for (const m of TEAM) await service.member(ws, { ...m, tz: "America/New_York" });
    ann = (await t.store.getMember(ws.id, "UANN")) as Member;
    bo = (await t.store.getMember(ws.id, "UBO")) as Member;
    jane = await t.store.createContact(ws.id, { displayName: "Jane Doe", status: "tracked" }, [
      { kind: "name", normalized: "jane doe", display: "Jane Doe" },
      { kind: "email", normalized: "jane@acme.example", display: "jane@acme.example" },
    ]);
    docs.length = 0;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const meetings = async () =>
    (await t.store.digestData(ws.id, { start: new Date(0), end: new Date(NOW) }, new Date(0), 20)).meetings;
  const contact = async () => (await t.store.getContact(ws.id, jane.id)) as Contact;
  const ago = (days: number, hours = 0) => new Date(Date.parse(NOW) - days * DAY - hours * 3_600_000);

  describe("from the calendar", () => {
    it("records a meeting with a tracked contact once, however often and wherever it runs", async () => {
      const cal = calendars.connect(ann.id);
      const lunch = ago(2, 3); // Tue 1 Dec, 12:00 in New York
      cal.past.push(
        { start: lunch, attendeeEmails: ["ann@northwind.example", "Jane@Acme.example"] },
        // Nobody tracked, too many people, and a day outside the week: none of them count.
        { start: ago(1), attendeeEmails: ["someone@else.example"] },
        {
          start: ago(3),
          attendeeEmails: ["jane@acme.example", ...Array.from({ length: 20 }, (_, i) => `p${i}@x.example`)],
        },
        { start: ago(9), attendeeEmails: ["jane@acme.example"] },
      );
      const first = await service.recordCalendarMeetings(ws);
      expect(first).toMatchObject({ read: 1, recorded: 1, known: 0, failures: [] });
      // A second run, and two replicas at once.
      const other = new OfflineService(t.store, clock, { calendarPort: calendars });
      const again = await Promise.all([service.recordCalendarMeetings(ws), other.recordCalendarMeetings(ws)]);
      expect(again.map((r) => r.recorded)).toEqual([0, 0]);
      expect(await meetings()).toHaveLength(1);
      expect((await contact()).lastMetAt?.toISOString()).toBe(lunch.toISOString());
      const [notice] = await t.store.listNoticedMeetings(ws.id, { memberId: ann.id });
      expect(notice).toMatchObject({ source: "calendar", day: "2026-12-01", status: "recorded" });
    });

    it("two replicas reading the same calendar at the same moment count it once", async () => {
      calendars.connect(ann.id).past.push({ start: ago(1), attendeeEmails: ["jane@acme.example"] });
      calendars.connect(bo.id).past.push({ start: ago(1), attendeeEmails: ["jane@acme.example"] });
      const replicas = [service, new OfflineService(t.store, clock, { calendarPort: calendars })];
      const reports = await Promise.all(replicas.map((r) => r.recordCalendarMeetings(ws)));
      expect(reports.reduce((n, r) => n + r.recorded, 0)).toBe(2); // Ann's and Bo's, once each
      expect(await t.store.listNoticedMeetings(ws.id, {})).toHaveLength(2);
      const rows = (await meetings())[0];
      expect(rows?.contactNames).toEqual(["Jane Doe"]);
      expect(await meetings()).toHaveLength(2);
    });

    it("skips a revoked or unavailable calendar, keeps going for the others, and respects the workspace switch", async () => {
      calendars.connect(bo.id).failure = { kind: "revoked" };
      calendars.connect(ann.id).past.push({ start: ago(1), attendeeEmails: ["jane@acme.example"] });
      const r = await service.recordCalendarMeetings(ws);
      expect(r.recorded).toBe(1);
      expect(r.failures).toEqual([expect.objectContaining({ memberId: bo.id, kind: "revoked" })]);
      (calendars.byMember.get(bo.id) as { failure: unknown }).failure = {
        kind: "unavailable",
        retryAfterMs: 1000,
        detail: "429",
      };
      expect((await service.recordCalendarMeetings(ws)).failures[0]?.kind).toBe("unavailable");

      const off = await t.store.updateWorkspace(ws.id, {
        settings: { ...ws.settings, calendarsEnabled: false },
      });
      calendars.connect(ann.id).past.push({ start: ago(2), attendeeEmails: ["jane@acme.example"] });
      expect(await service.recordCalendarMeetings(off)).toMatchObject({ read: 0, recorded: 0 });
    });

    it("tells the member once, and Undo uncounts it for good, putting lastMetAt back", async () => {
      const earlier = ago(30);
      await service.recordMet(ws, bo, jane, earlier, "command");
      calendars.connect(ann.id).past.push({ start: ago(2, 3), attendeeEmails: ["jane@acme.example"] });
      await service.recordCalendarMeetings(ws);
      expect((await contact()).lastMetAt?.getTime()).toBe(ago(2, 3).getTime());

      const home = await service.home(ws, ann);
      expect(home.counted).toEqual([expect.objectContaining({ contactName: "Jane Doe", day: "2026-12-01" })]);
      const id = home.counted[0]?.noticeId as string;
      // Seen in the personal view: not told again under the next prompt.
      expect(
        await t.store.listNoticedMeetings(ws.id, { memberId: ann.id, untold: true, source: "calendar" }),
      ).toEqual([]);

      expect((await service.answerNoticed(ws, bo, id, "undo")).changed).toBe(false);
      const undo = await service.answerNoticed(ws, ann, id, "undo");
      expect(undo).toMatchObject({ changed: true });
      expect(undo.text).toBe("Undone: your meeting with Jane Doe on Tue 1 Dec no longer counts.");
      expect((await contact()).lastMetAt?.getTime()).toBe(earlier.getTime());
      expect(await meetings()).toHaveLength(1);
      expect((await service.answerNoticed(ws, ann, id, "undo")).changed).toBe(false);
      // The next day's read sees the same event: still undone.
      expect((await service.recordCalendarMeetings(ws)).recorded).toBe(0);
      expect((await service.home(ws, ann)).counted).toEqual([]);
    });

    it("doesn't count a day the member already reported", async () => {
      await service.recordMet(ws, ann, jane, ago(1), "command");
      calendars.connect(ann.id).past.push({ start: ago(1, 1), attendeeEmails: ["jane@acme.example"] });
      expect(await service.recordCalendarMeetings(ws)).toMatchObject({ recorded: 0, known: 1 });
      expect(await meetings()).toHaveLength(1);
    });

    it("leaves a lunch the bot planned to its check-in, whatever its state, for everyone going", async () => {
      // Planned (check-in not answered yet) for Ann with Bo, and one called off: both still in calendars.
      await t.store.createLunch(ws.id, {
        contactId: jane.id,
        organizerId: ann.id,
        attendeeIds: [bo.id],
        scheduledFor: ago(1, 3),
        place: null,
        status: "planned",
        followUpAt: null,
      });
      await t.store.createLunch(ws.id, {
        contactId: jane.id,
        organizerId: ann.id,
        attendeeIds: [],
        scheduledFor: ago(3, 3),
        place: null,
        status: "cancelled",
        followUpAt: null,
      });
      const invited = ["ann@northwind.example", "bo@northwind.example", "jane@acme.example"];
      calendars.connect(ann.id).past.push(
        { start: ago(1, 3), attendeeEmails: invited },
        { start: ago(3, 3), attendeeEmails: invited },
        // Another day with Jane, not a lunch of ours: counted.
        { start: ago(2, 3), attendeeEmails: ["jane@acme.example"] },
      );
      calendars.connect(bo.id).past.push({ start: ago(1, 3), attendeeEmails: invited });
      expect(await service.recordCalendarMeetings(ws)).toMatchObject({ recorded: 1, known: 3 });
      expect(await meetings()).toHaveLength(1);
      expect((await contact()).lastMetAt?.getTime()).toBe(ago(2, 3).getTime());
    });
  });

  describe("mentioned in chat", () => {
    const say = (author: string, text: string) =>
      service.trackMessage(ws, teamMessage(ws, clock, author, text), chat);

    it("asks the author once; Yes records it, a second click does nothing", async () => {
      await say("UANN", "Had lunch with Jane Doe yesterday, great chat about their roadmap");
      expect(docs).toHaveLength(1);
      expect(docs[0]?.memberId).toBe(ann.id);
      expect(renderPlain(docs[0]!.doc)).toContain("Record that you met Jane Doe on Wed 2 Dec?");
      // The same meeting said again (an edit, another message): no second question.
      await say("UANN", "Seriously, had lunch with Jane Doe yesterday");
      expect(docs).toHaveLength(1);
      const [notice] = await t.store.listNoticedMeetings(ws.id, { source: "chat" });
      expect(notice).toMatchObject({ status: "asked", day: "2026-12-02", messageRef: "DUANN:1" });
      expect(await meetings()).toHaveLength(0);

      const yes = await service.answerNoticed(ws, ann, notice!.id, "yes");
      expect(yes).toMatchObject({ changed: true, text: "Recorded: you met Jane Doe on Wed 2 Dec." });
      expect((await service.answerNoticed(ws, ann, notice!.id, "yes")).changed).toBe(false);
      expect((await service.answerNoticed(ws, ann, notice!.id, "no")).changed).toBe(false);
      expect(await meetings()).toEqual([{ memberName: "Ann Smith", contactNames: ["Jane Doe"] }]);
      const met = (await contact()).lastMetAt as Date;
      expect(met.getTime()).toBeLessThanOrEqual(Date.parse(NOW));
      expect(met.toISOString()).toBe("2026-12-02T17:00:00.000Z"); // noon in New York
    });

    it("two presses of Yes at once record one meeting", async () => {
      await say("UANN", "Had lunch with Jane Doe yesterday");
      const [notice] = await t.store.listNoticedMeetings(ws.id, { source: "chat" });
      const answers = await Promise.all([
        service.answerNoticed(ws, ann, notice!.id, "yes"),
        new OfflineService(t.store, clock).answerNoticed(ws, ann, notice!.id, "yes"),
      ]);
      expect(answers.filter((a) => a.changed)).toHaveLength(1);
      expect(await meetings()).toHaveLength(1);
    });

    it("doesn't ask about a day already reported", async () => {
      await service.recordMet(ws, ann, jane, ago(1), "command");
      await say("UANN", "Had lunch with Jane Doe yesterday");
      expect(docs).toEqual([]);
      expect(await meetings()).toHaveLength(1);
    });

    it("No records nothing", async () => {
      await say("UBO", "great coffee with Jane Doe this morning");
      const [notice] = await t.store.listNoticedMeetings(ws.id, { source: "chat" });
      expect(notice?.day).toBe("2026-12-03");
      expect(await service.answerNoticed(ws, bo, notice!.id, "no")).toMatchObject({ changed: true });
      expect(await service.answerNoticed(ws, bo, notice!.id, "yes")).toMatchObject({ changed: false });
      expect(await meetings()).toHaveLength(0);
      expect((await contact()).lastMetAt).toBeNull();
    });

    it("asks nothing about plans, other people's meetings, paused or opted-out authors", async () => {
      await say("UANN", "let's grab lunch with Jane Doe next week");
      await say("UANN", "meeting Jane Doe tomorrow");
      await say("UANN", "Cy met Jane Doe last week");
      await service.execute(ws, bo, { kind: "pause", days: 7 }, { isAdmin: false });
      await say("UBO", "had lunch with Jane Doe today");
      await service.execute(ws, ann, { kind: "forget-me", confirmed: true }, { isAdmin: false });
      await say("UANN", "had lunch with Jane Doe today");
      expect(docs).toEqual([]);
      expect(await t.store.listNoticedMeetings(ws.id, {})).toEqual([]);
    });

    it("without a chat to ask in (the import), tracks as before", async () => {
      const r = await service.trackMessage(ws, teamMessage(ws, clock, "UANN", "had lunch with Jane Doe"));
      expect(r.contactIds).toEqual([jane.id]);
      expect(await t.store.listNoticedMeetings(ws.id, {})).toEqual([]);
    });
  });
});
