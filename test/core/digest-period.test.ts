// The digest reports the last COMPLETE week, in the workspace's zone: a Monday-morning post is
// about Mon–Sun just ended, a post late on Sunday about the week before (the current one isn't
// over). The same key is the Digest row's idempotency key, so one post per reported week.
import { describe, expect, it } from "vitest";
import { buildDigest } from "../../src/core/digest.ts";
import { defaultSettings } from "../../src/core/settings.ts";
import { digestPeriod, isoWeekRange, previousIsoWeek, zonedTimeToUtc } from "../../src/core/time.ts";

const ZONES = ["Pacific/Auckland", "America/Los_Angeles", "Europe/Lisbon", "Asia/Kolkata"] as const;

const local = (zone: string, day: number, hour: number, minute = 0) =>
  zonedTimeToUtc({ year: 2026, month: 11, day, hour, minute }, zone);

describe("digestPeriod", () => {
  it.each(ZONES)("%s: Monday 09:00 local reports the Mon–Sun just ended", (zone) => {
    const monday = local(zone, 30, 9); // Mon 30 Nov 2026, week 49
    const week = digestPeriod(monday, zone);
    expect(week).toBe("2026-W48");
    const range = isoWeekRange(week, zone);
    // 23 Nov 00:00 to 30 Nov 00:00 local: the period ends before the post.
    expect(range.start).toEqual(local(zone, 23, 0));
    expect(range.end).toEqual(local(zone, 30, 0));
    expect(range.end.getTime()).toBeLessThanOrEqual(monday.getTime());
  });

  it.each(ZONES)("%s: Sunday 23:59 local still reports the week before (this one isn't over)", (zone) => {
    expect(digestPeriod(local(zone, 29, 23, 59), zone)).toBe("2026-W47");
    // One minute later it is Monday there, and the week just ended is the one reported.
    expect(digestPeriod(local(zone, 30, 0, 0), zone)).toBe("2026-W48");
  });

  it("depends on the zone: the same instant is Monday in Auckland and still Sunday in Los Angeles", () => {
    const instant = new Date("2026-11-29T20:00:00Z");
    expect(digestPeriod(instant, "Pacific/Auckland")).toBe("2026-W48"); // Mon 09:00 NZDT
    expect(digestPeriod(instant, "America/Los_Angeles")).toBe("2026-W47"); // Sun 12:00 PST
    expect(digestPeriod(instant, "Asia/Kolkata")).toBe("2026-W48"); // Mon 01:30 IST
  });

  it("crosses the year: early January reports the last week of December", () => {
    expect(digestPeriod(new Date("2027-01-04T09:00:00Z"), "Europe/Lisbon")).toBe("2026-W53");
    expect(previousIsoWeek("2027-W01")).toBe("2026-W53");
    expect(previousIsoWeek("2026-W01")).toBe("2025-W52");
    expect(previousIsoWeek("nonsense")).toBe("nonsense");
  });

  it("one key for every post in a week: a Monday post and a Wednesday rerun report the same week", () => {
    const zone = "Europe/Lisbon";
    const wednesday = zonedTimeToUtc({ year: 2026, month: 12, day: 2, hour: 15 }, zone);
    expect(digestPeriod(local(zone, 30, 9), zone)).toBe("2026-W48");
    expect(digestPeriod(wednesday, zone)).toBe("2026-W48");
  });
});

describe("the digest says which period it reports", () => {
  const digest = (week: string, clockNow: Date) =>
    buildDigest({
      workspaceName: "Acme",
      week,
      now: new Date(Math.min(isoWeekRange(week, "Europe/Lisbon").end.getTime(), clockNow.getTime())),
      clockNow,
      timeZone: "Europe/Lisbon",
      settings: defaultSettings,
      weekContacts: [],
      coverageContacts: [],
      lunchesPlanned: [],
      lunchesHeld: [],
      meetings: [],
    }).fallbackText.split("\n")[1];

  it("'Last week' on the Monday after, 'This week so far' inside it, else the week's number", () => {
    const monday = local("Europe/Lisbon", 30, 9);
    expect(digest(digestPeriod(monday, "Europe/Lisbon"), monday)).toBe("Acme · Last week, 23–29 Nov 2026");
    expect(digest("2026-W49", monday)).toBe("Acme · This week so far, 30 Nov – 6 Dec 2026");
    expect(digest("2026-W40", monday)).toBe("Acme · Week 40, 28 Sep – 4 Oct 2026");
  });
});
