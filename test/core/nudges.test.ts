import { describe, expect, it } from "vitest";
import {
  candidateQuestion,
  candidatesToPromote,
  fittedWindowDays,
  isWithinWorkingHours,
  type MentionEvent,
  memberTimeZone,
  type NudgeCandidateInput,
  type NudgeContact,
  type NudgeMember,
  nextWorkingTime,
  type PriorNudge,
  planCandidatePrompts,
  planNudges,
  planSweep,
} from "../../src/core/nudges.ts";
import { defaultSettings, type WorkspaceSettings } from "../../src/core/settings.ts";
import { DAY_MS } from "../../src/core/time.ts";
import type { NudgeStatus } from "../../src/core/types.ts";

// Tuesday 2026-03-10 15:00 UTC = 11:00 in New York (EDT, two days after the DST change): inside
// the default Tue–Thu 10:00–16:00 window for the default member.
const NOW = new Date("2026-03-10T15:00:00Z");
const HOUR = 3_600_000;

const daysAgo = (days: number, from: Date = NOW) => new Date(from.getTime() - days * DAY_MS);
const hoursAgo = (hours: number, from: Date = NOW) => new Date(from.getTime() - hours * HOUR);

function member(id: string, over: Partial<NudgeMember> = {}): NudgeMember {
  return {
    id,
    displayName: id[0]?.toUpperCase() + id.slice(1),
    tz: "America/New_York",
    optedOut: false,
    paused: false,
    pausedUntil: null,
    isBot: false,
    ...over,
  };
}

function contact(id: string, over: Partial<NudgeContact> = {}): NudgeContact {
  return { id, displayName: "Jane Doe", status: "tracked", lastMetAt: null, ...over };
}

/** `count` mentions, one an hour, the newest `newestHoursAgo` hours before `from`. */
function said(
  memberId: string,
  contactId: string,
  count: number,
  newestHoursAgo = 1,
  from = NOW,
): MentionEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    memberId,
    contactId,
    at: hoursAgo(newestHoursAgo + i, from),
  }));
}

function nudge(
  memberId: string,
  contactId: string,
  createdAt: Date,
  status: NudgeStatus = "sent",
  over: Partial<PriorNudge> = {},
): PriorNudge {
  return { memberId, contactId, kind: "lunch", status, createdAt, snoozeUntil: null, ...over };
}

function input(
  over: Partial<NudgeCandidateInput> = {},
  settings: Partial<WorkspaceSettings> = {},
): NudgeCandidateInput {
  return {
    now: NOW,
    settings: { ...defaultSettings, ...settings },
    workspaceTimezone: "UTC",
    members: [member("ana")],
    contacts: [contact("jane")],
    mentions: said("ana", "jane", 3),
    recentNudges: [],
    lunches: [],
    ...over,
  };
}

/** "nudge" or the skip rule for one pair: the single outcome every mentioned pair gets. */
function outcome(plan: ReturnType<typeof planNudges>, memberId = "ana", contactId = "jane"): string {
  const nudged = plan.nudges.some((n) => n.memberId === memberId && n.contactId === contactId);
  const skips = plan.skipped.filter((s) => s.memberId === memberId && s.contactId === contactId);
  if (nudged && skips.length > 0) throw new Error("a pair was both nudged and skipped");
  if (nudged) return "nudge";
  if (skips.length !== 1) return `${skips.length} outcomes`;
  return skips[0]?.rule ?? "none";
}

describe("planNudges: mention threshold and window", () => {
  it.each([
    {
      name: "2 mentions (below the threshold of 3)",
      mentions: said("ana", "jane", 2),
      expected: "below-threshold",
    },
    { name: "3 mentions (the threshold)", mentions: said("ana", "jane", 3), expected: "nudge" },
    {
      name: "3 mentions, the oldest exactly 14 days ago (window is inclusive)",
      mentions: [...said("ana", "jane", 2), { memberId: "ana", contactId: "jane", at: daysAgo(14) }],
      expected: "nudge",
    },
    {
      name: "3 mentions, the oldest 14 days and 1 ms ago",
      mentions: [
        ...said("ana", "jane", 2),
        { memberId: "ana", contactId: "jane", at: new Date(daysAgo(14).getTime() - 1) },
      ],
      expected: "below-threshold",
    },
    {
      name: "a mention timestamped in the future does not count",
      mentions: [
        ...said("ana", "jane", 2),
        { memberId: "ana", contactId: "jane", at: new Date(NOW.getTime() + 1) },
      ],
      expected: "below-threshold",
    },
    {
      name: "other members' mentions don't add to ana's count",
      mentions: [...said("ana", "jane", 2), ...said("ben", "jane", 5)],
      expected: "below-threshold",
    },
  ])("$name → $expected", ({ mentions, expected }) => {
    const plan = planNudges(input({ mentions, members: [member("ana"), member("ben")] }));
    expect(outcome(plan)).toBe(expected);
  });

  it("follows a custom threshold and window", () => {
    const mentions = [...said("ana", "jane", 4), { memberId: "ana", contactId: "jane", at: daysAgo(6) }];
    expect(outcome(planNudges(input({ mentions }, { mentionThreshold: 5 })))).toBe("nudge");
    expect(outcome(planNudges(input({ mentions }, { mentionThreshold: 5, mentionWindowDays: 5 })))).toBe(
      "below-threshold",
    );
  });

  it("reports the count and the most recent mention", () => {
    const plan = planNudges(input({ mentions: said("ana", "jane", 4, 2) }));
    expect(plan.nudges).toHaveLength(1);
    expect(plan.nudges[0]).toMatchObject({
      memberId: "ana",
      contactId: "jane",
      kind: "lunch",
      mentionCount: 4,
      lastMentionAt: hoursAgo(2),
      teammateIds: [],
    });
  });

  it("ignores mentions by people who are not members", () => {
    const plan = planNudges(input({ mentions: said("ghost", "jane", 5) }));
    expect(plan).toEqual({ nudges: [], skipped: [] });
  });
});

describe("planNudges: pair cooldown and snooze", () => {
  it.each([
    { name: "last nudge 20 days ago", prior: [nudge("ana", "jane", daysAgo(20))], expected: "cooldown" },
    { name: "last nudge exactly 21 days ago", prior: [nudge("ana", "jane", daysAgo(21))], expected: "nudge" },
    {
      name: "a dismissed nudge 3 days ago still cools down",
      prior: [nudge("ana", "jane", daysAgo(3), "dismissed")],
      expected: "cooldown",
    },
    {
      name: "a candidate prompt 3 days ago counts for the pair too",
      prior: [nudge("ana", "jane", daysAgo(3), "sent", { kind: "candidate" })],
      expected: "cooldown",
    },
    { name: "another member's nudge doesn't", prior: [nudge("ben", "jane", daysAgo(3))], expected: "nudge" },
    {
      name: "a nudge about another contact doesn't",
      prior: [nudge("ana", "joe", daysAgo(3))],
      expected: "nudge",
    },
    {
      name: "snoozed until tomorrow",
      prior: [nudge("ana", "jane", daysAgo(30), "snoozed", { snoozeUntil: daysAgo(-1) })],
      expected: "snoozed",
    },
    {
      name: "snooze expired 1 ms ago, within the cooldown (snooze overrides cooldown)",
      prior: [nudge("ana", "jane", daysAgo(5), "snoozed", { snoozeUntil: new Date(NOW.getTime() - 1) })],
      expected: "nudge",
    },
    {
      name: "snoozed without an end date falls back to the cooldown",
      prior: [nudge("ana", "jane", daysAgo(5), "snoozed")],
      expected: "cooldown",
    },
    {
      name: "only the latest nudge of the pair counts (expired snooze after an older one)",
      prior: [
        nudge("ana", "jane", daysAgo(10)),
        nudge("ana", "jane", daysAgo(2), "snoozed", { snoozeUntil: hoursAgo(1) }),
      ],
      expected: "nudge",
    },
  ])("$name → $expected", ({ prior, expected }) => {
    const plan = planNudges(input({ recentNudges: prior }, { weeklyCapPerMember: 50 }));
    expect(outcome(plan)).toBe(expected);
  });

  it("says when the cooldown and the snooze end", () => {
    const cooldown = planNudges(input({ recentNudges: [nudge("ana", "jane", daysAgo(20))] }));
    expect(cooldown.skipped).toEqual([
      { memberId: "ana", contactId: "jane", kind: "lunch", rule: "cooldown", until: daysAgo(-1) },
    ]);
    const snoozeUntil = new Date("2026-03-12T09:00:00Z");
    const snoozed = planNudges(
      input({ recentNudges: [nudge("ana", "jane", daysAgo(30), "snoozed", { snoozeUntil })] }),
    );
    expect(snoozed.skipped[0]?.until).toEqual(snoozeUntil);
  });
});

describe("planNudges: weekly cap per member", () => {
  const contacts = ["c1", "c2", "c3", "c4"].map((id) => contact(id, { displayName: id.toUpperCase() }));
  // c3 strongest (6), then c1 and c2 tie on 4 (c2 more recent), then c4 with 3.
  const mentions = [
    ...said("ana", "c1", 4, 5),
    ...said("ana", "c2", 4, 1),
    ...said("ana", "c3", 6, 10),
    ...said("ana", "c4", 3),
  ];

  it("keeps the strongest signals: count first, then the most recent", () => {
    const plan = planNudges(input({ contacts, mentions }));
    expect(plan.nudges.map((n) => n.contactId)).toEqual(["c3", "c2"]);
    expect(plan.skipped.map((s) => [s.contactId, s.rule])).toEqual([
      ["c1", "weekly-cap"],
      ["c4", "weekly-cap"],
    ]);
    // Blocked until the member's next ISO week: Monday 2026-03-16 00:00 in New York (EDT).
    expect(plan.skipped[0]?.until).toEqual(new Date("2026-03-16T04:00:00Z"));
  });

  it.each([
    { name: "no nudge yet this week", prior: [], expected: ["c3", "c2"] },
    {
      name: "one nudge of any kind earlier this week",
      prior: [nudge("ana", "x", daysAgo(1))],
      expected: ["c3"],
    },
    {
      name: "a candidate prompt earlier this week counts too",
      prior: [nudge("ana", "x", daysAgo(1), "dismissed", { kind: "candidate" })],
      expected: ["c3"],
    },
    {
      name: "two nudges this week (Monday 00:30 local)",
      prior: [nudge("ana", "x", new Date("2026-03-09T04:30:00Z")), nudge("ana", "y", daysAgo(1))],
      expected: [],
    },
    {
      name: "nudges last week (Sunday 23:30 local) don't count",
      prior: [nudge("ana", "x", new Date("2026-03-09T03:30:00Z")), nudge("ana", "y", daysAgo(4))],
      expected: ["c3", "c2"],
    },
    {
      name: "other members' nudges don't count",
      prior: [nudge("ben", "x", daysAgo(1))],
      expected: ["c3", "c2"],
    },
  ])("$name → $expected", ({ prior, expected }) => {
    const plan = planNudges(input({ contacts, mentions, recentNudges: prior }));
    expect(plan.nudges.map((n) => n.contactId)).toEqual(expected);
  });

  it("reads the ISO week in the member's time zone (Auckland's Monday is Sunday in UTC)", () => {
    // Tue 2026-01-13 10:30 NZDT (UTC+13).
    const now = new Date("2026-01-12T21:30:00Z");
    const kiwi = member("ana", { tz: "Pacific/Auckland" });
    const base = {
      now,
      members: [kiwi],
      contacts,
      mentions: mentions.map((m) => ({ ...m, at: hoursAgo(1, now) })),
    };
    // Sunday 2026-01-11 11:30 UTC is already Monday 00:30 in Auckland: same ISO week as now.
    const sameLocalWeek = [nudge("ana", "x", new Date("2026-01-11T11:30:00Z"))];
    // Sunday 2026-01-11 10:30 UTC is Sunday 23:30 in Auckland: the previous week.
    const previousLocalWeek = [nudge("ana", "x", new Date("2026-01-11T10:30:00Z"))];
    expect(planNudges(input({ ...base, recentNudges: sameLocalWeek })).nudges).toHaveLength(1);
    expect(planNudges(input({ ...base, recentNudges: previousLocalWeek })).nudges).toHaveLength(2);
  });

  it("a cap of 0 nudges nobody", () => {
    expect(planNudges(input({}, { weeklyCapPerMember: 0 })).skipped.map((s) => s.rule)).toEqual([
      "weekly-cap",
    ]);
  });
});

describe("isWithinWorkingHours", () => {
  it.each([
    // New York, DST starts Sunday 2026-03-08: 14:30 UTC is 09:30 EST one Tuesday, 10:30 EDT the next.
    { tz: "America/New_York", at: "2026-03-03T14:30:00Z", expected: false },
    { tz: "America/New_York", at: "2026-03-10T14:30:00Z", expected: true },
    // Berlin, DST starts Sunday 2026-03-29: 08:30 UTC is 09:30 CET, then 10:30 CEST.
    { tz: "Europe/Berlin", at: "2026-03-24T08:30:00Z", expected: false },
    { tz: "Europe/Berlin", at: "2026-03-31T08:30:00Z", expected: true },
    // Berlin, DST ends Sunday 2026-10-25: 14:30 UTC is 16:30 CEST (closed), then 15:30 CET (open).
    { tz: "Europe/Berlin", at: "2026-10-20T14:30:00Z", expected: false },
    { tz: "Europe/Berlin", at: "2026-10-27T14:30:00Z", expected: true },
    // ... and 08:30 UTC is 10:30 CEST (open), then 09:30 CET (closed).
    { tz: "Europe/Berlin", at: "2026-10-20T08:30:00Z", expected: true },
    { tz: "Europe/Berlin", at: "2026-10-27T08:30:00Z", expected: false },
    // UTC+13 in summer: a Monday evening in UTC is Tuesday morning in Auckland.
    { tz: "Pacific/Auckland", at: "2026-01-12T21:00:00Z", expected: true },
    { tz: "Pacific/Auckland", at: "2026-01-12T20:59:00Z", expected: false },
    { tz: "Pacific/Tongatapu", at: "2026-07-13T21:00:00Z", expected: true },
    // Thursday 15:59 local in Tongatapu is Thursday 02:59 UTC; Friday 10:00 local is not a working day.
    { tz: "Pacific/Tongatapu", at: "2026-07-16T02:59:00Z", expected: true },
    { tz: "Pacific/Tongatapu", at: "2026-07-16T21:00:00Z", expected: false },
    // UTC−10: Thursday 15:59 in Honolulu is already Friday in UTC.
    { tz: "Pacific/Honolulu", at: "2026-01-16T01:59:00Z", expected: true },
    { tz: "Pacific/Honolulu", at: "2026-01-16T02:00:00Z", expected: false },
    { tz: "Pacific/Honolulu", at: "2026-01-13T19:59:00Z", expected: false },
    { tz: "Pacific/Honolulu", at: "2026-01-13T20:00:00Z", expected: true },
    // Unknown zones read as UTC rather than failing.
    { tz: "Mars/Olympus_Mons", at: "2026-03-10T15:00:00Z", expected: true },
    { tz: null, at: "2026-03-10T16:00:00Z", expected: false },
  ])("$at in $tz → $expected", ({ tz, at, expected }) => {
    expect(isWithinWorkingHours(new Date(at), tz, defaultSettings)).toBe(expected);
  });

  it("honours custom days and hours", () => {
    const settings = { workingDays: [1, 5], workingHourStart: 8, workingHourEnd: 24 };
    expect(isWithinWorkingHours(new Date("2026-03-09T23:59:00Z"), "UTC", settings)).toBe(true); // Mon
    expect(isWithinWorkingHours(new Date("2026-03-10T12:00:00Z"), "UTC", settings)).toBe(false); // Tue
    expect(isWithinWorkingHours(new Date("2026-03-13T07:59:00Z"), "UTC", settings)).toBe(false); // Fri 07:59
  });
});

describe("nextWorkingTime", () => {
  it.each([
    {
      name: "inside the window → now",
      tz: "UTC",
      at: "2026-03-10T12:34:00Z",
      expected: "2026-03-10T12:34:00.000Z",
    },
    {
      name: "Tuesday early → 10:00 that day",
      tz: "UTC",
      at: "2026-03-10T07:00:00Z",
      expected: "2026-03-10T10:00:00.000Z",
    },
    {
      name: "Thursday 16:00 → next Tuesday",
      tz: "UTC",
      at: "2026-03-12T16:00:00Z",
      expected: "2026-03-17T10:00:00.000Z",
    },
    {
      name: "Friday before the US DST change → Tuesday 10:00 EDT",
      tz: "America/New_York",
      at: "2026-03-06T17:00:00Z",
      expected: "2026-03-10T14:00:00.000Z",
    },
    {
      name: "Friday before the EU DST end → Tuesday 10:00 CET",
      tz: "Europe/Berlin",
      at: "2026-10-23T12:00:00Z",
      expected: "2026-10-27T09:00:00.000Z",
    },
    {
      name: "Auckland: Monday UTC afternoon is Tuesday 03:00 local → 10:00 local",
      tz: "Pacific/Auckland",
      at: "2026-01-12T14:00:00Z",
      expected: "2026-01-12T21:00:00.000Z",
    },
    {
      name: "Honolulu: Thursday 16:00 local (Friday UTC) → Tuesday 10:00 local",
      tz: "Pacific/Honolulu",
      at: "2026-01-16T02:00:00Z",
      expected: "2026-01-20T20:00:00.000Z",
    },
  ])("$name", ({ tz, at, expected }) => {
    const next = nextWorkingTime(new Date(at), tz, defaultSettings);
    expect(next?.toISOString()).toBe(expected);
    if (next) expect(isWithinWorkingHours(next, tz, defaultSettings)).toBe(true);
  });

  it("returns null when the settings leave no window", () => {
    const now = new Date("2026-03-10T07:00:00Z");
    expect(
      nextWorkingTime(now, "UTC", { ...defaultSettings, workingHourStart: 16, workingHourEnd: 10 }),
    ).toBeNull();
    expect(nextWorkingTime(now, "UTC", { ...defaultSettings, workingDays: [] })).toBeNull();
  });
});

describe("planNudges: working hours in the member's time zone", () => {
  it.each([
    { name: "New York member at 11:00 EDT", tz: "America/New_York", workspace: "UTC", expected: "nudge" },
    {
      name: "Berlin member at 16:00 CET",
      tz: "Europe/Berlin",
      workspace: "UTC",
      expected: "outside-working-hours",
    },
    {
      name: "Tokyo member at 00:00 Wednesday",
      tz: "Asia/Tokyo",
      workspace: "UTC",
      expected: "outside-working-hours",
    },
    {
      name: "no tz, workspace in Berlin",
      tz: null,
      workspace: "Europe/Berlin",
      expected: "outside-working-hours",
    },
    { name: "no tz, workspace in New York", tz: null, workspace: "America/New_York", expected: "nudge" },
    {
      name: "invalid tz, workspace in Berlin",
      tz: "Not/AZone",
      workspace: "Europe/Berlin",
      expected: "outside-working-hours",
    },
    { name: "no tz, invalid workspace tz → UTC (15:00)", tz: null, workspace: "Nope", expected: "nudge" },
  ])("$name → $expected", ({ tz, workspace, expected }) => {
    const plan = planNudges(input({ members: [member("ana", { tz })], workspaceTimezone: workspace }));
    expect(outcome(plan)).toBe(expected);
  });

  it("the same UTC instant is outside hours one week and inside the next (New York DST)", () => {
    const before = new Date("2026-03-03T14:30:00Z");
    const after = new Date("2026-03-10T14:30:00Z");
    const at = (now: Date) => planNudges(input({ now, mentions: said("ana", "jane", 3, 1, now) }));
    expect(outcome(at(before))).toBe("outside-working-hours");
    expect(at(before).skipped[0]?.until).toEqual(new Date("2026-03-03T15:00:00Z"));
    expect(outcome(at(after))).toBe("nudge");
  });

  it("memberTimeZone falls back to the workspace zone, then UTC", () => {
    expect(memberTimeZone("Asia/Tokyo", "Europe/Berlin")).toBe("Asia/Tokyo");
    expect(memberTimeZone(null, "Europe/Berlin")).toBe("Europe/Berlin");
    expect(memberTimeZone("", "Europe/Berlin")).toBe("Europe/Berlin");
    expect(memberTimeZone("bogus", "also bogus")).toBe("UTC");
  });
});

describe("planNudges: people and contacts that are never nudged", () => {
  it.each([
    { name: "opted out", ana: { optedOut: true }, jane: {}, expected: "opted-out" },
    { name: "a bot", ana: { isBot: true }, jane: {}, expected: "bot" },
    {
      name: "paused until tomorrow",
      ana: { paused: true, pausedUntil: daysAgo(-1) },
      jane: {},
      expected: "paused",
    },
    { name: "paused until resumed", ana: { paused: true, pausedUntil: null }, jane: {}, expected: "paused" },
    { name: "pause ended", ana: { paused: true, pausedUntil: hoursAgo(1) }, jane: {}, expected: "nudge" },
    { name: "resumed", ana: { paused: false, pausedUntil: daysAgo(-1) }, jane: {}, expected: "nudge" },
    { name: "contact met 59 days ago", ana: {}, jane: { lastMetAt: daysAgo(59) }, expected: "recently-met" },
    { name: "contact met exactly 60 days ago", ana: {}, jane: { lastMetAt: daysAgo(60) }, expected: "nudge" },
    { name: "contact met 61 days ago", ana: {}, jane: { lastMetAt: daysAgo(61) }, expected: "nudge" },
    { name: "candidate contact", ana: {}, jane: { status: "candidate" as const }, expected: "not-tracked" },
    { name: "ignored contact", ana: {}, jane: { status: "ignored" as const }, expected: "not-tracked" },
    // Structural reasons come before timing ones, so the skip names the lasting cause.
    {
      name: "opted out and paused",
      ana: { optedOut: true, paused: true, pausedUntil: daysAgo(-1) },
      jane: {},
      expected: "opted-out",
    },
  ])("$name → $expected", ({ ana, jane, expected }) => {
    const plan = planNudges(input({ members: [member("ana", ana)], contacts: [contact("jane", jane)] }));
    expect(outcome(plan)).toBe(expected);
  });

  it("a mention of a contact that isn't in the registry is not-tracked", () => {
    expect(outcome(planNudges(input({ contacts: [] })))).toBe("not-tracked");
  });

  it("says when a pause and a recent meeting stop blocking", () => {
    const paused = planNudges(
      input({ members: [member("ana", { paused: true, pausedUntil: daysAgo(-2) })] }),
    );
    expect(paused.skipped[0]?.until).toEqual(daysAgo(-2));
    const met = planNudges(input({ contacts: [contact("jane", { lastMetAt: daysAgo(59) })] }));
    expect(met.skipped[0]?.until).toEqual(daysAgo(-1));
  });
});

describe("planNudges: a recorded meeting resets the clock", () => {
  // recentlyMetDays 0 isolates the reset: only mentions after lastMetAt count.
  const settings = { recentlyMetDays: 0 };
  const metAt = daysAgo(5);
  const before = said("ana", "jane", 3, 1, metAt);

  it.each([
    {
      name: "3 mentions before the meeting, 2 after",
      mentions: [...before, ...said("ana", "jane", 2)],
      expected: "below-threshold",
    },
    {
      name: "3 mentions before the meeting, 3 after",
      mentions: [...before, ...said("ana", "jane", 3)],
      expected: "nudge",
    },
    {
      name: "a mention at the meeting instant doesn't count",
      mentions: [...said("ana", "jane", 2), { memberId: "ana", contactId: "jane", at: metAt }],
      expected: "below-threshold",
    },
  ])("$name → $expected", ({ mentions, expected }) => {
    const plan = planNudges(input({ mentions, contacts: [contact("jane", { lastMetAt: metAt })] }, settings));
    expect(outcome(plan)).toBe(expected);
  });

  it("counts and explains only the mentions since the meeting", () => {
    const plan = planNudges(
      input(
        {
          mentions: [...before, ...said("ana", "jane", 3)],
          contacts: [contact("jane", { lastMetAt: metAt })],
        },
        settings,
      ),
    );
    expect(plan.nudges[0]?.mentionCount).toBe(3);
    expect(plan.nudges[0]?.reason).toBe(
      "You mentioned them 3 times since the team last met them; the team last met them 5 days ago.",
    );
  });

  it("teammates who only talked about the contact before the meeting are not listed", () => {
    const plan = planNudges(
      input(
        {
          members: [member("ana"), member("ben")],
          mentions: [...said("ana", "jane", 3), ...said("ben", "jane", 4, 1, metAt)],
          contacts: [contact("jane", { lastMetAt: metAt })],
        },
        settings,
      ),
    );
    expect(plan.nudges.map((n) => [n.memberId, n.teammateIds])).toEqual([["ana", []]]);
  });
});

describe("planNudges: open lunches", () => {
  it.each([
    {
      name: "ana organizes an open lunch with jane",
      lunch: { organizerId: "ana", attendeeIds: [], status: "planned" as const },
      expected: "lunch-open",
    },
    {
      name: "ana attends a scheduled lunch with jane",
      lunch: { organizerId: "ben", attendeeIds: ["ana"], status: "scheduled" as const },
      expected: "lunch-open",
    },
    {
      name: "lunch waiting for its follow-up",
      lunch: { organizerId: "ana", attendeeIds: [], status: "followup" as const },
      expected: "lunch-open",
    },
    {
      name: "the lunch was cancelled",
      lunch: { organizerId: "ana", attendeeIds: [], status: "cancelled" as const },
      expected: "nudge",
    },
    {
      name: "someone else's lunch with jane",
      lunch: { organizerId: "ben", attendeeIds: ["cy"], status: "scheduled" as const },
      expected: "nudge",
    },
    {
      name: "ana's lunch with another contact",
      lunch: { organizerId: "ana", attendeeIds: [], status: "scheduled" as const, contactId: "joe" },
      expected: "nudge",
    },
  ])("$name → $expected", ({ lunch, expected }) => {
    const plan = planNudges(input({ lunches: [{ contactId: "jane", ...lunch }] }));
    expect(outcome(plan)).toBe(expected);
  });
});

describe("planNudges: group nudges", () => {
  const members = [
    member("ana"),
    member("ben"),
    member("cy", { tz: "Europe/Berlin" }), // 16:00 in Berlin: outside hours
    member("dee"),
    member("eve", { optedOut: true }),
    member("bot", { isBot: true }),
  ];
  const mentions = [
    ...said("ana", "jane", 5),
    ...said("ben", "jane", 3, 2),
    ...said("dee", "jane", 4, 3),
    ...said("cy", "jane", 1),
    ...said("eve", "jane", 9),
    ...said("bot", "jane", 9),
  ];
  const plan = planNudges(input({ members, mentions }));

  it("nudges every qualifying member with one shared groupKey", () => {
    expect(plan.nudges.map((n) => n.memberId)).toEqual(["ana", "dee", "ben"]);
    const keys = new Set(plan.nudges.map((n) => n.groupKey));
    expect([...keys]).toEqual([`jane@${NOW.toISOString()}`]);
  });

  it("lists the other discussants (strongest first), never bots or opted-out members", () => {
    expect(Object.fromEntries(plan.nudges.map((n) => [n.memberId, n.teammateIds]))).toEqual({
      ana: ["dee", "ben", "cy"],
      dee: ["ana", "ben", "cy"],
      ben: ["ana", "dee", "cy"],
    });
    expect(Object.fromEntries(plan.nudges.map((n) => [n.memberId, n.nudgedTogetherWith]))).toEqual({
      ana: ["dee", "ben"],
      dee: ["ana", "ben"],
      ben: ["ana", "dee"],
    });
  });

  it("explains the group in the reason", () => {
    expect(plan.nudges[0]?.reason).toBe(
      "You mentioned them 5 times in the last 14 days, and Dee, Ben and Cy talk about them too; nobody on the team has met them in person yet.",
    );
  });

  it("skips the others with their own reason", () => {
    expect(plan.skipped.map((s) => [s.memberId, s.rule])).toEqual([
      ["bot", "bot"],
      ["cy", "below-threshold"],
      ["eve", "opted-out"],
    ]);
  });

  it("phrases one teammate and long lists", () => {
    const two = planNudges(
      input({ members, mentions: [...said("ana", "jane", 3), ...said("ben", "jane", 1)] }),
    );
    expect(two.nudges[0]?.reason).toContain(", and Ben talks about them too;");
    const many = ["b1", "b2", "b3", "b4", "b5"];
    const crowd = planNudges(
      input({
        members: [member("ana"), ...many.map((id) => member(id))],
        mentions: [...said("ana", "jane", 9), ...many.flatMap((id, i) => said(id, "jane", 1, i + 1))],
      }),
    );
    // At most three by name, the most active first; the rest are counted.
    expect(crowd.nudges[0]?.reason).toContain(", and B1, B2, B3 and 2 more teammates talk about them too;");
  });
});

describe("planNudges: deterministic output", () => {
  const members = ["ana", "ben", "cy"].map((id) => member(id));
  const contacts = ["jane", "joe", "kim"].map((id) => contact(id, { displayName: id }));
  const mentions = [
    ...said("ana", "jane", 3, 1),
    ...said("ana", "joe", 3, 1),
    ...said("ben", "kim", 5, 2),
    ...said("cy", "kim", 3, 1),
    ...said("cy", "joe", 3, 4),
    ...said("ben", "jane", 1),
  ];
  const base = input({ members, contacts, mentions });

  it("orders by count, then recency, then ids", () => {
    expect(planNudges(base).nudges.map((n) => `${n.memberId}:${n.contactId}`)).toEqual([
      "ben:kim",
      "ana:jane",
      "ana:joe",
      "cy:kim",
      "cy:joe",
    ]);
  });

  it("gives the same plan whatever the input order", () => {
    const reversed = planNudges({
      ...base,
      members: [...members].reverse(),
      contacts: [...contacts].reverse(),
      mentions: [...mentions].reverse(),
    });
    expect(reversed).toEqual(planNudges(base));
  });

  it("does not mutate its input", () => {
    const snapshot = structuredClone(base);
    planSweep(base);
    expect(base).toEqual(snapshot);
  });
});

describe("candidate prompts", () => {
  const candidate = contact("kim", { displayName: "Kim Lee", status: "candidate" });

  it.each([
    { name: "3 mentions", mentions: said("ana", "kim", 3), prior: [], expected: "prompt" },
    { name: "2 mentions", mentions: said("ana", "kim", 2), prior: [], expected: "below-threshold" },
    {
      name: "asked before, long ago (once ever)",
      mentions: said("ana", "kim", 3),
      prior: [nudge("ana", "kim", daysAgo(200), "dismissed", { kind: "candidate" as const })],
      expected: "already-asked",
    },
    {
      name: "a teammate was asked, not ana",
      mentions: said("ana", "kim", 3),
      prior: [nudge("ben", "kim", daysAgo(1), "sent", { kind: "candidate" as const })],
      expected: "prompt",
    },
  ])("$name → $expected", ({ mentions, prior, expected }) => {
    const { prompts, skipped } = planCandidatePrompts(
      input({ contacts: [candidate], mentions, recentNudges: prior }),
    );
    expect(prompts.length > 0 ? "prompt" : skipped.map((s) => s.rule).join()).toBe(expected);
  });

  it("asks the question with the candidate's name", () => {
    const { prompts } = planCandidatePrompts(
      input({ contacts: [candidate], mentions: said("ana", "kim", 4) }),
    );
    expect(prompts).toEqual([
      {
        memberId: "ana",
        contactId: "kim",
        kind: "candidate",
        mentionCount: 4,
        lastMentionAt: hoursAgo(1),
        teammateIds: [],
        question: "Is Kim Lee someone outside the company you'd like to meet?",
        reason: "You mentioned Kim Lee 4 times in the last 14 days.",
      },
    ]);
  });

  it.each([
    { name: "opted out", ana: { optedOut: true }, expected: "opted-out" },
    { name: "bot", ana: { isBot: true }, expected: "bot" },
    { name: "paused", ana: { paused: true, pausedUntil: daysAgo(-1) }, expected: "paused" },
    { name: "outside working hours", ana: { tz: "Asia/Tokyo" }, expected: "outside-working-hours" },
  ])("same member rules: $name → $expected", ({ ana, expected }) => {
    const { skipped } = planCandidatePrompts(
      input({ members: [member("ana", ana)], contacts: [candidate], mentions: said("ana", "kim", 3) }),
    );
    expect(skipped.map((s) => [s.kind, s.rule])).toEqual([["candidate", expected]]);
  });

  it("ignores contacts that are not candidates", () => {
    expect(planCandidatePrompts(input())).toEqual({ prompts: [], skipped: [] });
  });

  it("shares the weekly cap with lunch nudges, lunch nudges first", () => {
    const plan = planSweep(
      input({
        contacts: [contact("jane"), contact("joe", { displayName: "Joe" }), candidate],
        mentions: [...said("ana", "jane", 3), ...said("ana", "joe", 3, 2), ...said("ana", "kim", 9)],
      }),
    );
    expect(plan.nudges.map((n) => n.contactId)).toEqual(["jane", "joe"]);
    expect(plan.candidatePrompts).toEqual([]);
    expect(plan.skipped.map((s) => [s.contactId, s.kind, s.rule])).toEqual([
      ["kim", "candidate", "weekly-cap"],
    ]);
  });

  it("counts nudges already sent this week against the shared cap", () => {
    const { prompts, skipped } = planCandidatePrompts(
      input({
        contacts: [candidate],
        mentions: said("ana", "kim", 3),
        recentNudges: [nudge("ana", "x", daysAgo(1)), nudge("ana", "y", hoursAgo(2))],
      }),
    );
    expect(prompts).toEqual([]);
    expect(skipped.map((s) => s.rule)).toEqual(["weekly-cap"]);
  });
});

describe("candidatesToPromote", () => {
  const candidates = [
    contact("kim", { status: "candidate" }),
    contact("lee", { status: "candidate" }),
    contact("max", { status: "candidate" }),
    contact("ned", { status: "candidate" }),
    contact("oli", { status: "tracked" }),
    contact("pam", { status: "candidate" }),
  ];
  const mentions = [
    ...said("ana", "kim", 2),
    ...said("ben", "kim", 1), // 3 mentions from 2 people → promote
    ...said("ana", "lee", 5), // one person only
    ...said("ana", "max", 1),
    ...said("ben", "max", 1), // 2 people, 2 mentions
    ...said("ana", "ned", 2),
    ...said("bot", "ned", 1), // the bot doesn't count as a teammate
    ...said("ana", "oli", 2),
    ...said("ben", "oli", 2), // already tracked
    ...said("ana", "pam", 2),
    { memberId: "ben", contactId: "pam", at: daysAgo(15) }, // outside the window
  ];
  const members = [member("ana"), member("ben"), member("bot", { isBot: true })];

  it("promotes candidates with enough mentions from enough distinct members", () => {
    expect(
      candidatesToPromote(candidates, mentions, { now: NOW, settings: defaultSettings, members }),
    ).toEqual(["kim"]);
  });

  it("counts every member when no member list is given", () => {
    expect(candidatesToPromote(candidates, mentions, { now: NOW, settings: defaultSettings })).toEqual([
      "kim",
      "ned",
    ]);
  });

  it("follows the settings", () => {
    const settings = { ...defaultSettings, candidateThreshold: 2, candidateMinTeammates: 1 };
    expect(candidatesToPromote(candidates, mentions, { now: NOW, settings, members })).toEqual([
      "kim",
      "lee",
      "max",
      "ned",
      "pam",
    ]);
  });

  it("planSweep promotes them and nudges about them as tracked contacts", () => {
    const plan = planSweep(
      input({
        members: [member("ana"), member("ben")],
        contacts: [contact("kim", { displayName: "Kim", status: "candidate" })],
        mentions: [...said("ana", "kim", 3), ...said("ben", "kim", 1)],
      }),
    );
    expect(plan.promote).toEqual(["kim"]);
    expect(plan.candidatePrompts).toEqual([]);
    expect(plan.nudges.map((n) => [n.memberId, n.kind, n.teammateIds])).toEqual([["ana", "lunch", ["ben"]]]);
    expect(plan.skipped.map((s) => [s.memberId, s.kind, s.rule])).toEqual([
      ["ben", "lunch", "below-threshold"],
    ]);
  });
});

describe("candidates only the name tagger found", () => {
  // "Thai Basil" in a lunch thread: many mentions from many teammates, and still maybe a restaurant.
  const basil = contact("basil", { displayName: "Thai Basil", status: "candidate", nameOnly: true });
  const kim = contact("kim", { displayName: "Kim Lee", status: "candidate" });
  const members = [member("ana"), member("ben"), member("cy")];
  const mentions = [
    ...said("ana", "basil", 4),
    ...said("ben", "basil", 4),
    ...said("cy", "basil", 4),
    ...said("ana", "kim", 4),
    ...said("ben", "kim", 4),
  ];

  it("are never promoted on mentions alone, however many", () => {
    expect(
      candidatesToPromote([basil, kim], mentions, { now: NOW, settings: defaultSettings, members }),
    ).toEqual(["kim"]);
    const lenient = { ...defaultSettings, candidateThreshold: 1, candidateMinTeammates: 1 };
    expect(candidatesToPromote([basil], mentions, { now: NOW, settings: lenient, members })).toEqual([]);
  });

  it("get a prompt asking whether they are someone outside the team, and no lunch nudge", () => {
    const plan = planSweep(input({ members, contacts: [basil, kim], mentions }));
    expect(plan.promote).toEqual(["kim"]);
    expect(plan.nudges.every((n) => n.contactId === "kim")).toBe(true);
    const asked = plan.candidatePrompts.filter((p) => p.contactId === "basil");
    expect(asked.map((p) => p.memberId).sort()).toEqual(["ana", "ben", "cy"]);
    for (const p of asked) expect(p.question).toBe("Is Thai Basil someone outside the team?");
  });

  it("once confirmed (tracked by a person) are nudged about like any contact", () => {
    const confirmed = { ...basil, status: "tracked" as const, nameOnly: false };
    const plan = planSweep(input({ members, contacts: [confirmed], mentions: said("ana", "basil", 3) }));
    expect(plan.nudges.map((n) => [n.memberId, n.contactId])).toEqual([["ana", "basil"]]);
  });

  it("other candidates keep the question about meeting them", () => {
    expect(candidateQuestion(kim)).toBe("Is Kim Lee someone outside the company you'd like to meet?");
    expect(candidateQuestion(basil)).toBe("Is Thai Basil someone outside the team?");
  });
});

describe("fittedWindowDays: the mention window fitted to the workspace's pace", () => {
  const now = new Date("2026-12-06T12:00:00Z");
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY_MS);
  it("keeps the configured window when the latest 100 mentions fall within it", () => {
    expect(fittedWindowDays(14, daysAgo(2), now)).toBe(14);
    expect(fittedWindowDays(14, daysAgo(14), now)).toBe(14);
  });
  it("stretches to hold the latest 100 mentions, up to 90 days", () => {
    expect(fittedWindowDays(14, daysAgo(40), now)).toBe(40);
    expect(fittedWindowDays(14, daysAgo(39.2), now)).toBe(40);
    expect(fittedWindowDays(14, daysAgo(400), now)).toBe(90);
    // Fewer than 100 mentions ever: as quiet as it gets.
    expect(fittedWindowDays(14, null, now)).toBe(90);
  });
  it("never shortens a window an admin set longer", () => {
    expect(fittedWindowDays(120, daysAgo(2), now)).toBe(120);
    expect(fittedWindowDays(120, null, now)).toBe(120);
  });
});
