import { describe, expect, it } from "vitest";
import {
  isoWeek,
  isoWeekRange,
  isoWeeksInYear,
  parseIsoWeek,
  zonedParts,
  zonedTimeToUtc,
  zoneOffsetMinutes,
} from "../../src/core/time.ts";

describe("ISO weeks in a time zone", () => {
  it.each([
    ["2026-12-31T12:00:00Z", "UTC", "2026-W53"],
    ["2027-01-03T12:00:00Z", "UTC", "2026-W53"],
    ["2027-01-04T00:00:00Z", "UTC", "2027-W01"],
    ["2026-01-01T00:00:00Z", "UTC", "2026-W01"],
    // Sunday 23:30 UTC is already Monday in Auckland (UTC+13 in summer): next week there.
    ["2026-11-29T23:30:00Z", "UTC", "2026-W48"],
    ["2026-11-29T23:30:00Z", "Pacific/Auckland", "2026-W49"],
    // Monday 05:00 UTC is still Sunday in Honolulu (UTC-10).
    ["2026-11-30T05:00:00Z", "Pacific/Honolulu", "2026-W48"],
  ])("%s in %s is %s", (at, tz, week) => {
    expect(isoWeek(new Date(at), tz)).toBe(week);
  });

  it("knows which years have 53 weeks", () => {
    expect([2020, 2026, 2032].map(isoWeeksInYear)).toEqual([53, 53, 53]);
    expect([2021, 2025, 2027].map(isoWeeksInYear)).toEqual([52, 52, 52]);
  });

  it("rejects malformed or impossible weeks", () => {
    expect(parseIsoWeek("2026-W53")).toEqual({ year: 2026, week: 53 });
    expect(parseIsoWeek("2025-W53")).toBeNull();
    expect(parseIsoWeek("2026-W00")).toBeNull();
    expect(parseIsoWeek("2026W1")).toBeNull();
    expect(() => isoWeekRange("nope", "UTC")).toThrow(/ISO week/);
  });

  it("gives week ranges from local Monday midnight, across DST", () => {
    const { start, end } = isoWeekRange("2026-W13", "Europe/Berlin"); // DST starts Sun 29 Mar
    expect(start.toISOString()).toBe("2026-03-22T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(end.getTime() - start.getTime()).toBe((7 * 24 - 1) * 3600_000);
    const y = isoWeekRange("2026-W53", "UTC");
    expect([y.start.toISOString(), y.end.toISOString()]).toEqual([
      "2026-12-28T00:00:00.000Z",
      "2027-01-04T00:00:00.000Z",
    ]);
  });
});

describe("zoned wall-clock conversions", () => {
  it("round-trips local times, and shifts times inside a DST gap forward", () => {
    const at = zonedTimeToUtc({ year: 2026, month: 11, day: 3, hour: 10, minute: 30 }, "America/New_York");
    expect(at.toISOString()).toBe("2026-11-03T15:30:00.000Z");
    expect(zonedParts(at, "America/New_York")).toMatchObject({ hour: 10, minute: 30, weekday: 2 });
    const gap = zonedTimeToUtc({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, "America/New_York");
    expect(zonedParts(gap, "America/New_York").hour).toBe(3);
  });

  it("reports offsets east and west of UTC", () => {
    expect(zoneOffsetMinutes(new Date("2026-12-01T00:00:00Z"), "Pacific/Tongatapu")).toBe(780);
    expect(zoneOffsetMinutes(new Date("2026-12-01T00:00:00Z"), "Pacific/Honolulu")).toBe(-600);
  });

  it("falls back to UTC for unknown zones instead of throwing", () => {
    expect(zonedParts(new Date("2026-01-01T05:00:00Z"), "Not/AZone").hour).toBe(5);
  });
});
