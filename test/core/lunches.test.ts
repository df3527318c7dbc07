import { describe, expect, it } from "vitest";
import {
  applyLunchEvent,
  applyMeeting,
  followUpTime,
  isFollowUpDue,
  isLunchOpen,
  type LunchDraft,
  type LunchEvent,
  newLunch,
} from "../../src/core/lunches.ts";
import { type NudgeCandidateInput, planNudges } from "../../src/core/nudges.ts";
import { defaultSettings } from "../../src/core/settings.ts";
import { DAY_MS } from "../../src/core/time.ts";
import type { Contact, Lunch, LunchStatus } from "../../src/core/types.ts";

const NY = "America/New_York";
// Monday 2026-03-02 15:00 UTC (10:00 EST).
const NOW = new Date("2026-03-02T15:00:00Z");
// Wednesday 2026-03-04 12:30 EST.
const LUNCH_AT = new Date("2026-03-04T17:30:00Z");
// Thursday 2026-03-05 10:00 EST.
const FOLLOW_UP_AT = new Date("2026-03-05T15:00:00Z");

function draft(over: Partial<LunchDraft> = {}): LunchDraft {
  return {
    contactId: "jane",
    organizerId: "ana",
    attendeeIds: ["ben"],
    scheduledFor: LUNCH_AT,
    place: "Noodle Bar",
    status: "scheduled",
    followUpAt: FOLLOW_UP_AT,
    followUpSent: null,
    ...over,
  };
}

function lunchIn(status: LunchStatus): LunchDraft {
  if (status === "planned") return draft({ status, scheduledFor: null, followUpAt: null });
  if (status === "followup") return draft({ status, followUpSent: FOLLOW_UP_AT });
  return draft({ status });
}

function expectOk<T>(result: { ok: true; lunch: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`expected ok, got error: ${result.error}`);
  return result.lunch;
}

describe("newLunch", () => {
  it("without a date: planned, no follow-up", () => {
    const result = newLunch({ contactId: "jane", organizerId: "ana", attendeeIds: ["ben", "cy"] }, NOW, NY);
    expect(result).toEqual({
      ok: true,
      meetings: [],
      lunch: {
        contactId: "jane",
        organizerId: "ana",
        attendeeIds: ["ben", "cy"],
        scheduledFor: null,
        place: null,
        status: "planned",
        followUpAt: null,
        followUpSent: null,
      },
    });
  });

  it("with a date: scheduled, follow-up the next day at 10:00 in the organizer's zone", () => {
    const lunch = expectOk(
      newLunch(
        {
          contactId: "jane",
          organizerId: "ana",
          attendeeIds: [],
          scheduledFor: LUNCH_AT,
          place: "  Noodle Bar ",
        },
        NOW,
        NY,
      ),
    );
    expect(lunch).toMatchObject({
      status: "scheduled",
      scheduledFor: LUNCH_AT,
      place: "Noodle Bar",
      followUpAt: FOLLOW_UP_AT,
    });
  });

  it("does not share the caller's attendee array", () => {
    const attendeeIds = ["ben"];
    const lunch = expectOk(newLunch({ contactId: "jane", organizerId: "ana", attendeeIds }, NOW, NY));
    attendeeIds.push("cy");
    expect(lunch.attendeeIds).toEqual(["ben"]);
  });

  it.each([
    {
      name: "organizer also an attendee",
      attendeeIds: ["ben", "ana"],
      error: "organizer is already at the table",
    },
    { name: "duplicate attendees", attendeeIds: ["ben", "cy", "ben"], error: "ben is listed twice" },
    { name: "empty attendee id", attendeeIds: [""], error: "attendee id is empty" },
    {
      name: "date in the past",
      attendeeIds: [],
      scheduledFor: new Date(NOW.getTime() - 1),
      error: "in the past",
    },
    {
      name: "invalid date",
      attendeeIds: [],
      scheduledFor: new Date("not a date"),
      error: "not a valid date",
    },
    { name: "no contact", attendeeIds: [], contactId: "", error: "needs a contact" },
    { name: "no organizer", attendeeIds: [], organizerId: "", error: "needs an organizer" },
  ])("rejects $name", ({ attendeeIds, scheduledFor, contactId, organizerId, error }) => {
    const result = newLunch(
      { contactId: contactId ?? "jane", organizerId: organizerId ?? "ana", attendeeIds, scheduledFor },
      NOW,
      NY,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(error);
  });
});

describe("applyLunchEvent: transitions", () => {
  const later = new Date("2026-03-11T17:30:00Z");
  const afterLunch = new Date("2026-03-04T19:00:00Z");
  const afterFollowUp = new Date("2026-03-05T16:00:00Z");
  type Row = { from: LunchStatus; event: LunchEvent; now?: Date; to?: LunchStatus; error?: string };
  const rows: Row[] = [
    { from: "planned", event: { type: "schedule", scheduledFor: LUNCH_AT }, to: "scheduled" },
    { from: "planned", event: { type: "reschedule", scheduledFor: LUNCH_AT }, error: "schedule it first" },
    { from: "planned", event: { type: "follow-up-sent" }, error: "Only a scheduled lunch" },
    { from: "planned", event: { type: "happened" }, error: "no date yet" },
    { from: "planned", event: { type: "did-not-happen" }, error: "cancel it instead" },
    { from: "planned", event: { type: "cancel" }, to: "cancelled" },
    { from: "scheduled", event: { type: "schedule", scheduledFor: later }, error: "use reschedule" },
    { from: "scheduled", event: { type: "reschedule", scheduledFor: later }, to: "scheduled" },
    { from: "scheduled", event: { type: "follow-up-sent" }, now: afterFollowUp, to: "followup" },
    { from: "scheduled", event: { type: "follow-up-sent" }, now: afterLunch, error: "not due yet" },
    { from: "scheduled", event: { type: "happened" }, now: afterLunch, to: "met" },
    { from: "scheduled", event: { type: "happened" }, error: "can't have happened yet" },
    { from: "scheduled", event: { type: "did-not-happen" }, now: afterLunch, to: "cancelled" },
    { from: "scheduled", event: { type: "cancel" }, to: "cancelled" },
    { from: "followup", event: { type: "schedule", scheduledFor: later }, error: "use reschedule" },
    {
      from: "followup",
      event: { type: "reschedule", scheduledFor: later },
      now: afterFollowUp,
      to: "scheduled",
    },
    {
      from: "followup",
      event: { type: "follow-up-sent" },
      now: afterFollowUp,
      error: "Only a scheduled lunch",
    },
    { from: "followup", event: { type: "happened" }, now: afterFollowUp, to: "met" },
    { from: "followup", event: { type: "did-not-happen" }, now: afterFollowUp, to: "cancelled" },
    { from: "followup", event: { type: "cancel" }, now: afterFollowUp, to: "cancelled" },
    { from: "planned", event: { type: "postpone" }, error: "no date yet" },
    { from: "scheduled", event: { type: "postpone" }, now: afterLunch, to: "scheduled" },
    { from: "followup", event: { type: "postpone" }, now: afterFollowUp, to: "scheduled" },
    ...(["met", "cancelled"] as const).flatMap((from): Row[] =>
      (
        [
          { type: "schedule", scheduledFor: later },
          { type: "reschedule", scheduledFor: later },
          { type: "follow-up-sent" },
          { type: "happened" },
          { type: "did-not-happen" },
          { type: "postpone" },
          { type: "cancel" },
        ] as LunchEvent[]
      ).map((event) => ({ from, event, now: afterFollowUp, error: "can't change any more" })),
    ),
  ];

  it.each(rows)("$from + $event.type → $to$error", ({ from, event, now, to, error }) => {
    const before = lunchIn(from);
    const result = applyLunchEvent(before, event, now ?? NOW, NY);
    if (to) {
      expect(result.ok ? result.lunch.status : result.error).toBe(to);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toContain(error);
    }
    // The input is never modified, whatever happens.
    expect(before).toEqual(lunchIn(from));
  });

  it("postpone ('not yet') keeps the lunch and its date, and asks again a week later at 10:00 local", () => {
    const result = applyLunchEvent(lunchIn("followup"), { type: "postpone" }, afterFollowUp, NY);
    if (!result.ok) throw new Error(result.error);
    expect(result.lunch).toMatchObject({ status: "scheduled", followUpSent: null, scheduledFor: LUNCH_AT });
    // afterFollowUp is Thu 5 Mar in New York: asked again Thu 12 Mar, 10:00 EDT (DST began on 8 Mar).
    expect(result.lunch.followUpAt?.toISOString()).toBe("2026-03-12T14:00:00.000Z");
    expect(result.meetings).toEqual([]);
  });

  it("rejects an unknown event type instead of throwing", () => {
    const result = applyLunchEvent(draft(), { type: "explode" } as unknown as LunchEvent, NOW, NY);
    expect(result).toEqual({ ok: false, error: 'Unknown lunch event: "explode".' });
  });

  it("keeps extra fields (id, workspaceId) of a stored lunch", () => {
    const stored: Lunch = { ...draft(), id: "l1", workspaceId: "w1" };
    const lunch = expectOk(applyLunchEvent(stored, { type: "cancel" }, NOW, NY));
    expect(lunch).toEqual({ ...stored, status: "cancelled" });
  });

  it("schedule sets the date, place and follow-up", () => {
    const lunch = expectOk(
      applyLunchEvent(
        lunchIn("planned"),
        { type: "schedule", scheduledFor: LUNCH_AT, place: "Café" },
        NOW,
        NY,
      ),
    );
    expect(lunch).toMatchObject({
      scheduledFor: LUNCH_AT,
      place: "Café",
      followUpAt: FOLLOW_UP_AT,
      followUpSent: null,
    });
  });

  it("schedule rejects a date in the past", () => {
    const result = applyLunchEvent(
      lunchIn("planned"),
      { type: "schedule", scheduledFor: new Date("2026-03-01") },
      NOW,
      NY,
    );
    expect(result).toEqual({
      ok: false,
      error: "The lunch date Sat 28 Feb, 19:00 is in the past; pick a later one.",
    });
  });

  it("reschedule after a follow-up moves the follow-up and clears followUpSent, keeping the place", () => {
    const now = new Date("2026-03-05T16:00:00Z");
    const lunch = expectOk(
      applyLunchEvent(lunchIn("followup"), { type: "reschedule", scheduledFor: later }, now, NY),
    );
    expect(lunch).toMatchObject({
      status: "scheduled",
      scheduledFor: later,
      place: "Noodle Bar",
      followUpAt: new Date("2026-03-12T14:00:00Z"), // Thursday 10:00 EDT, after the DST change
      followUpSent: null,
    });
    expect(isFollowUpDue(lunch, now)).toBe(false);
  });

  it("reschedule can clear the place", () => {
    const lunch = expectOk(
      applyLunchEvent(lunchIn("scheduled"), { type: "reschedule", scheduledFor: later, place: " " }, NOW, NY),
    );
    expect(lunch.place).toBeNull();
  });

  it("follow-up-sent records when it went out", () => {
    const now = new Date("2026-03-05T15:00:00Z");
    const lunch = expectOk(applyLunchEvent(lunchIn("scheduled"), { type: "follow-up-sent" }, now, NY));
    expect(lunch).toMatchObject({ status: "followup", followUpSent: now });
  });

  it("happened returns one meeting per person at the table, at the lunch time", () => {
    const result = applyLunchEvent(
      draft({ status: "followup", attendeeIds: ["ben", "cy"] }),
      { type: "happened" },
      afterFollowUp,
      NY,
    );
    expect(result.ok && result.meetings).toEqual([
      { contactId: "jane", memberId: "ana", metAt: LUNCH_AT, source: "lunch" },
      { contactId: "jane", memberId: "ben", metAt: LUNCH_AT, source: "lunch" },
      { contactId: "jane", memberId: "cy", metAt: LUNCH_AT, source: "lunch" },
    ]);
  });

  it("only happened produces meetings", () => {
    const result = applyLunchEvent(lunchIn("followup"), { type: "did-not-happen" }, afterFollowUp, NY);
    expect(result.ok && result.meetings).toEqual([]);
  });
});

describe("follow-up timing", () => {
  it.each([
    // New York: lunch Saturday before the spring change → Sunday 10:00 EDT (14:00 UTC, not 15:00).
    { tz: NY, lunch: "2026-03-07T17:00:00Z", expected: "2026-03-08T14:00:00.000Z" },
    // Berlin: lunch the day before the autumn change → Sunday 10:00 CET (09:00 UTC, not 08:00).
    { tz: "Europe/Berlin", lunch: "2026-10-24T10:30:00Z", expected: "2026-10-25T09:00:00.000Z" },
    // Berlin spring: Saturday 12:00 CET → Sunday 10:00 CEST.
    { tz: "Europe/Berlin", lunch: "2026-03-28T11:00:00Z", expected: "2026-03-29T08:00:00.000Z" },
    // Auckland: DST ends Sunday 2026-04-05, UTC+13 → UTC+12.
    { tz: "Pacific/Auckland", lunch: "2026-04-03T23:00:00Z", expected: "2026-04-04T22:00:00.000Z" },
    // The local date decides: Monday 20:00 EDT is already Tuesday in UTC → Tuesday 10:00 EDT.
    { tz: NY, lunch: "2026-03-17T00:00:00Z", expected: "2026-03-17T14:00:00.000Z" },
    // A late lunch still gets its follow-up the next morning, not two days later.
    { tz: NY, lunch: "2026-03-18T03:30:00Z", expected: "2026-03-18T14:00:00.000Z" },
    // Honolulu (UTC−10, no DST) and an unknown zone read as UTC.
    { tz: "Pacific/Honolulu", lunch: "2026-03-17T22:00:00Z", expected: "2026-03-18T20:00:00.000Z" },
    { tz: "Nowhere/Special", lunch: "2026-03-17T12:00:00Z", expected: "2026-03-18T10:00:00.000Z" },
    // Month and year ends.
    { tz: "UTC", lunch: "2026-12-31T12:00:00Z", expected: "2027-01-01T10:00:00.000Z" },
  ])("lunch at $lunch in $tz → follow-up $expected", ({ tz, lunch, expected }) => {
    expect(followUpTime(new Date(lunch), tz).toISOString()).toBe(expected);
  });

  it.each([
    {
      name: "scheduled, before followUpAt",
      lunch: draft(),
      now: new Date(FOLLOW_UP_AT.getTime() - 1),
      due: false,
    },
    { name: "scheduled, at followUpAt", lunch: draft(), now: FOLLOW_UP_AT, due: true },
    { name: "already sent", lunch: draft({ followUpSent: FOLLOW_UP_AT }), now: FOLLOW_UP_AT, due: false },
    { name: "in followup status", lunch: lunchIn("followup"), now: FOLLOW_UP_AT, due: false },
    { name: "planned", lunch: lunchIn("planned"), now: FOLLOW_UP_AT, due: false },
    { name: "cancelled", lunch: lunchIn("cancelled"), now: FOLLOW_UP_AT, due: false },
  ])("isFollowUpDue: $name → $due", ({ lunch, now, due }) => {
    expect(isFollowUpDue(lunch, now)).toBe(due);
  });

  it.each([
    { status: "planned" as const, open: true },
    { status: "scheduled" as const, open: true },
    { status: "followup" as const, open: true },
    { status: "met" as const, open: false },
    { status: "cancelled" as const, open: false },
  ])("isLunchOpen($status) → $open", ({ status, open }) => {
    expect(isLunchOpen({ status })).toBe(open);
  });
});

describe("applyMeeting", () => {
  const jane: Pick<Contact, "id" | "lastMetAt"> = { id: "jane", lastMetAt: new Date("2026-01-10T12:00:00Z") };

  it.each([
    {
      name: "never met",
      lastMetAt: null,
      metAt: "2026-01-01T12:00:00Z",
      expected: "2026-01-01T12:00:00.000Z",
    },
    {
      name: "newer meeting",
      lastMetAt: jane.lastMetAt,
      metAt: "2026-02-01T12:00:00Z",
      expected: "2026-02-01T12:00:00.000Z",
    },
    {
      name: "older meeting keeps the newer date",
      lastMetAt: jane.lastMetAt,
      metAt: "2026-01-01T12:00:00Z",
      expected: "2026-01-10T12:00:00.000Z",
    },
    {
      name: "invalid date is ignored",
      lastMetAt: jane.lastMetAt,
      metAt: "garbage",
      expected: "2026-01-10T12:00:00.000Z",
    },
  ])("$name", ({ lastMetAt, metAt, expected }) => {
    const before = { ...jane, lastMetAt };
    const after = applyMeeting(before, new Date(metAt));
    expect(after.lastMetAt?.toISOString()).toBe(expected);
    expect(after.id).toBe("jane");
    expect(before.lastMetAt).toBe(lastMetAt);
  });
});

describe("a lunch that happened resets the contact's clock", () => {
  // Tuesday 2026-03-10 15:00 UTC = 11:00 EDT: inside working hours in New York.
  const sweepAt = new Date("2026-03-10T15:00:00Z");
  const contact: Pick<Contact, "id" | "displayName" | "status" | "lastMetAt"> = {
    id: "jane",
    displayName: "Jane Doe",
    status: "tracked",
    lastMetAt: null,
  };
  const members = ["ana", "ben"].map((id) => ({
    id,
    displayName: id,
    tz: NY,
    optedOut: false,
    paused: false,
    pausedUntil: null,
    isBot: false,
  }));
  const sweep = (over: Partial<NudgeCandidateInput>): NudgeCandidateInput => ({
    now: sweepAt,
    settings: defaultSettings,
    workspaceTimezone: NY,
    members,
    contacts: [contact],
    // Both talked about Jane on each of the last 4 days.
    mentions: ["ana", "ben"].flatMap((memberId) =>
      [1, 2, 3, 4].map((d) => ({
        memberId,
        contactId: "jane",
        at: new Date(sweepAt.getTime() - d * DAY_MS),
      })),
    ),
    recentNudges: [],
    lunches: [],
    ...over,
  });

  it("nudges before, blocks while the lunch is open, and stops after the meeting", () => {
    expect(planNudges(sweep({})).nudges.map((n) => n.memberId)).toEqual(["ana", "ben"]);

    // Ana plans a lunch with Jane for yesterday noon (planned in advance), taking Ben along.
    const plannedAt = new Date("2026-03-05T15:00:00Z");
    const lunchAt = new Date("2026-03-09T16:00:00Z");
    const lunch = expectOk(
      newLunch(
        { contactId: "jane", organizerId: "ana", attendeeIds: ["ben"], scheduledFor: lunchAt },
        plannedAt,
        NY,
      ),
    );
    const open = planNudges(sweep({ lunches: [lunch] }));
    expect(open.nudges).toEqual([]);
    expect(open.skipped.map((s) => [s.memberId, s.rule])).toEqual([
      ["ana", "lunch-open"],
      ["ben", "lunch-open"],
    ]);

    const result = applyLunchEvent(lunch, { type: "happened" }, sweepAt, NY);
    if (!result.ok) throw new Error(result.error);
    const met = result.meetings.reduce((c, m) => applyMeeting(c, m.metAt), contact);
    expect(met.lastMetAt).toEqual(lunchAt);

    const after = planNudges(sweep({ contacts: [met], lunches: [result.lunch] }));
    expect(after.nudges).toEqual([]);
    expect(after.skipped.map((s) => [s.memberId, s.rule])).toEqual([
      ["ana", "recently-met"],
      ["ben", "recently-met"],
    ]);
    // Without the 60-day pause, the mentions from before the lunch still don't count: the clock restarted.
    const noPause = { ...defaultSettings, recentlyMetDays: 0 };
    const reset = planNudges(sweep({ settings: noPause, contacts: [met], lunches: [result.lunch] }));
    expect(reset.nudges).toEqual([]);
    expect(reset.skipped.map((s) => [s.memberId, s.rule])).toEqual([
      ["ana", "below-threshold"],
      ["ben", "below-threshold"],
    ]);
    // Whereas the same sweep on the contact as it was before the meeting nudges both.
    expect(planNudges(sweep({ settings: noPause })).nudges).toHaveLength(2);
  });
});
