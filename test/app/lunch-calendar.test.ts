// Free lunch slots and booking them (app/lunch-slots.ts, app/plan-lunch.ts) on a real database
// (SQLite and PostgreSQL) with the in-memory Calendar port: whose free/busy counts, what the form is
// told when there is no calendar or it fails, and who gets an event invitation or the .ics.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { CalendarPort } from "../../src/app/calendar-port.ts";
import { lunchSlots } from "../../src/app/lunch-slots.ts";
import { planLunch } from "../../src/app/plan-lunch.ts";
import type { AppDeps, LunchChatPort, LunchNotice } from "../../src/app/ports.ts";
import { zonedTimeToUtc } from "../../src/core/time.ts";
import type { Contact, Member, Workspace } from "../../src/core/types.ts";
import { PROVIDERS } from "../helpers/db.ts";
import { MemoryCalendars } from "../helpers/memory-calendar.ts";
import { createWorld, type World } from "../helpers/world.ts";

class RecordingChat implements LunchChatPort {
  readonly sent: Array<{ to: string; notice: LunchNotice }> = [];
  async notifyLunch(_ws: Workspace, member: Member, notice: LunchNotice): Promise<void> {
    this.sent.push({ to: member.platformUserId, notice });
  }
}

const NY = "America/New_York";
/** A local wall-clock time in New York (the world's zone), as an instant. */
const ny = (day: number, hour: number, minute = 0) =>
  zonedTimeToUtc({ year: 2026, month: 11, day, hour, minute }, NY);
const slotAt = (day: number, hour: number, minute = 0) => ({
  start: ny(day, hour, minute),
  end: new Date(ny(day, hour, minute).getTime() + 3_600_000),
});

describe.each(PROVIDERS)("lunch slots and booking on %s", (provider) => {
  // Wed 18 Nov 2026, 10:00 in New York.
  let w: World;
  let ann: Member;
  let bo: Member;
  let cy: Member;
  let jane: Contact;
  let calendars: MemoryCalendars;
  let chat: RecordingChat;
  const deps = (cal: CalendarPort | undefined = calendars): AppDeps => ({
    store: w.store,
    clock: w.clock,
    tracker: w.service.tracker,
    ...(cal ? { calendars: cal } : {}),
  });
  const slotsFor = (attendees: Member[], cal?: CalendarPort, timeoutMs?: number) =>
    lunchSlots(deps(cal), {
      workspace: w.ws,
      organizer: bo,
      attendeeIds: attendees.map((m) => m.id),
      ...(timeoutMs ? { timeoutMs } : {}),
    });

  beforeAll(async () => {
    w = await createWorld(provider);
    ann = (await w.store.getMember(w.ws.id, "UANN")) as Member;
    bo = (await w.store.getMember(w.ws.id, "UBO")) as Member;
    cy = (await w.store.getMember(w.ws.id, "UCY")) as Member;
    jane = await w.store.createContact(w.ws.id, { displayName: "Jane Doe", status: "tracked" }, [
      { kind: "name", normalized: "jane doe", display: "Jane Doe" },
      { kind: "email", normalized: "jane@acme.example", display: "Jane@Acme.example" },
    ]);
  });
  afterAll(async () => {
    await w.cleanup();
  });
  beforeEach(async () => {
    await w.database.db.lunch.deleteMany();
    calendars = new MemoryCalendars();
    chat = new RecordingChat();
  });

  it("offers the next free lunch-hour slots, one a day, nearest noon, from two hours on", async () => {
    calendars.connect(bo.id);
    const offer = await slotsFor([]);
    expect(offer).toEqual({
      kind: "slots",
      timeZone: NY,
      // Wednesday's 12:00 is exactly two hours away; the weekend is skipped.
      slots: [slotAt(18, 12), slotAt(19, 12), slotAt(20, 12), slotAt(23, 12)],
    });
  });

  it("avoids the organizer's and every joining teammate's busy times, and only theirs", async () => {
    calendars.connect(bo.id).busy.push({ start: ny(19, 11), end: ny(19, 13) });
    calendars.connect(cy.id).busy.push({ start: ny(20, 12), end: ny(20, 12, 30) });
    // Ann isn't joining: her full Wednesday doesn't matter.
    calendars.connect(ann.id).busy.push({ start: ny(18, 0), end: ny(19, 0) });
    const offer = await slotsFor([cy]);
    expect(offer).toMatchObject({
      kind: "slots",
      slots: [slotAt(18, 12), slotAt(19, 13), slotAt(20, 12, 30), slotAt(23, 12)],
    });
    // With Ann joining, Wednesday goes.
    const withAnn = await slotsFor([cy, ann]);
    expect(withAnn.kind === "slots" && withAnn.slots[0]).toEqual(slotAt(19, 13));
  });

  it("follows the workspace's lunch hours", async () => {
    calendars.connect(bo.id);
    const saved = { ...w.ws.settings };
    w.ws.settings = { ...saved, lunchStart: "13:00", lunchEnd: "14:30", lunchMinutes: 90, lunchDays: [4] };
    try {
      const offer = await slotsFor([]);
      expect(offer).toMatchObject({
        kind: "slots",
        slots: [
          { start: ny(19, 13), end: ny(19, 14, 30) },
          { start: ny(26, 13), end: ny(26, 14, 30) },
        ],
      });
    } finally {
      w.ws.settings = saved;
    }
  });

  it("says why there are no slots: not connected, not configured, nothing free", async () => {
    expect(await slotsFor([])).toEqual({ kind: "connect" });
    expect(await slotsFor([], new MemoryCalendars([]))).toEqual({ kind: "off" });
    const none: AppDeps = { store: w.store, clock: w.clock, tracker: w.service.tracker };
    expect(await lunchSlots(none, { workspace: w.ws, organizer: bo, attendeeIds: [] })).toEqual({
      kind: "off",
    });
    calendars.connect(bo.id).busy.push({ start: ny(18, 0), end: new Date("2026-12-10T00:00:00Z") });
    expect(await slotsFor([])).toEqual({ kind: "none-free" });
  });

  it("opens without slots when the organizer's calendar fails, and leaves out a teammate's that fails", async () => {
    const own = calendars.connect(bo.id);
    own.failure = { kind: "unavailable", retryAfterMs: null, detail: "HTTP 503" };
    expect(await slotsFor([])).toEqual({ kind: "unavailable" });
    own.failure = { kind: "revoked" };
    expect(await slotsFor([])).toEqual({ kind: "unavailable" });
    own.failure = null;
    const theirs = calendars.connect(cy.id);
    theirs.busy.push({ start: ny(18, 0), end: ny(19, 0) });
    theirs.failure = { kind: "revoked" };
    const errors: string[] = [];
    const offer = await lunchSlots(deps(), {
      workspace: w.ws,
      organizer: bo,
      attendeeIds: [cy.id],
      onError: (_err, m) => errors.push(m.platformUserId),
    });
    expect(offer).toMatchObject({
      kind: "slots",
      slots: [slotAt(18, 12), slotAt(19, 12), slotAt(20, 12), slotAt(23, 12)],
    });
    expect(errors).toEqual(["UCY"]);
  });

  it("opens without slots when the lookup fails in any other way, and says so to the log", async () => {
    const broken: CalendarPort = {
      providers: () => ["google"],
      forMember: async () => {
        throw new Error("connection to the token store lost");
      },
    };
    const errors: string[] = [];
    const offer = await lunchSlots(deps(broken), {
      workspace: w.ws,
      organizer: bo,
      attendeeIds: [],
      onError: (err) => errors.push((err as Error).message),
    });
    expect(offer).toEqual({ kind: "unavailable" });
    expect(errors).toEqual(["connection to the token store lost"]);
  });

  it("gives up on a calendar that doesn't answer within the budget", async () => {
    const hanging: CalendarPort = {
      providers: () => ["google"],
      forMember: async () => ({
        provider: "google",
        busy: () => new Promise(() => {}),
        createEvent: async () => ({ id: "x", link: null }),
        pastEvents: async () => [],
      }),
    };
    const started = Date.now();
    expect(await slotsFor([], hanging, 200)).toEqual({ kind: "unavailable" });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("books a picked slot in the organizer's calendar, inviting teammates and the contact by email", async () => {
    const own = calendars.connect(bo.id);
    calendars.connect(cy.id);
    const slot = slotAt(19, 12);
    const r = await planLunch(
      { store: w.store, clock: w.clock, chat, calendars },
      {
        workspace: w.ws,
        organizer: bo,
        contactId: jane.id,
        slot,
        place: "Cafe Nord",
        withUserIds: ["UCY", "UANN"],
      },
    );
    expect(r).toMatchObject({
      ok: true,
      text: "Lunch with Jane Doe on Thu 19 Nov, 12:00 at Cafe Nord with Cy Park and Ann Smith is planned. I'm adding it to your calendar and inviting everyone from there. I'll check in the day after.",
    });
    const lunches = await w.store.listLunches(w.ws.id, {});
    expect(lunches).toHaveLength(1);
    expect(lunches[0]?.scheduledFor).toEqual(slot.start);
    expect(own.created).toEqual([
      {
        start: slot.start,
        end: slot.end,
        title: "Lunch with Jane Doe",
        location: "Cafe Nord",
        attendeeEmails: ["cy@northwind.example", "ann@northwind.example", "jane@acme.example"],
        timeZone: NY,
        description: "Planned with Take It Offline.",
      },
    ]);
    // No .ics for the organizer (it's in their calendar) nor for Cy (invited, calendar connected);
    // Ann has no calendar connected here: she still gets the file.
    expect(chat.sent.map((s) => [s.to, s.notice.role, s.notice.ics !== null])).toEqual([
      ["UCY", "attendee", false],
      ["UANN", "attendee", true],
    ]);
    expect(chat.sent[0]?.notice.text).toBe(
      "Bo Chen planned lunch with Jane Doe on Thu 19 Nov, 12:00 at Cafe Nord and added you. The invitation comes from Bo Chen's calendar.",
    );
    expect(chat.sent[1]?.notice.ics).toContain("DTSTART");
  });

  it.each([
    [
      "unavailable",
      { kind: "unavailable", retryAfterMs: 1000, detail: "HTTP 429" } as const,
      "I couldn't add the lunch to your calendar just now: it didn't answer. Here is the invite to add yourself.",
    ],
    [
      "revoked",
      { kind: "revoked" } as const,
      "I couldn't add the lunch to your calendar: its connection was revoked or expired (reconnect with `/offline connect calendar`). Here is the invite to add yourself.",
    ],
  ])(
    "still records the lunch when the calendar is %s, and sends the organizer the .ics saying why",
    async (_k, failure, line) => {
      const own = calendars.connect(bo.id);
      own.failure = failure;
      const failed: string[] = [];
      const slot = slotAt(20, 12, 30);
      const r = await planLunch(
        {
          store: w.store,
          clock: w.clock,
          chat,
          calendars,
          onCalendarError: (_e, m) => failed.push(m.platformUserId),
        },
        { workspace: w.ws, organizer: bo, contactId: jane.id, slot, withUserIds: ["UCY"] },
      );
      expect(r.ok).toBe(true);
      expect((await w.store.listLunches(w.ws.id, {}))[0]?.scheduledFor).toEqual(slot.start);
      expect(own.created).toEqual([]);
      expect(failed).toEqual(["UBO"]);
      expect(chat.sent.map((s) => [s.to, s.notice.role, s.notice.ics !== null])).toEqual([
        ["UBO", "organizer", true],
        ["UCY", "attendee", true],
      ]);
      expect(chat.sent[0]?.notice.text).toBe(line);
    },
  );

  it("plans a picked slot as before when the organizer disconnected since the form opened", async () => {
    const r = await planLunch(
      { store: w.store, clock: w.clock, chat, calendars },
      { workspace: w.ws, organizer: bo, contactId: jane.id, slot: slotAt(23, 12) },
    );
    expect(r.ok).toBe(true);
    expect(chat.sent.map((s) => [s.to, s.notice.role, s.notice.ics !== null])).toEqual([
      ["UBO", "organizer", true],
    ]);
    expect(chat.sent[0]?.notice.text).toContain("Lunch with Jane Doe on Mon 23 Nov, 12:00");
  });
});
