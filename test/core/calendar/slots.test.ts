import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_LUNCH_HOURS, type Interval, suggestSlots } from "../../../src/core/calendar/slots.ts";
import { zonedParts } from "../../../src/core/time.ts";

const LISBON = "Europe/Lisbon";
const at = (iso: string) => new Date(iso);
const busy = (start: string, end: string): Interval => ({ start: at(start), end: at(end) });
const local = (d: Date, tz = LISBON) => {
  const p = zonedParts(d, tz);
  return `${p.weekday} ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
};

describe("suggestSlots", () => {
  it("offers one slot a day, nearest noon, on working days", () => {
    // Monday 7 Dec 2026, 09:00 in Lisbon (UTC+0 in winter).
    const slots = suggestSlots({
      after: at("2026-12-07T09:00:00Z"),
      timeZone: LISBON,
      hours: DEFAULT_LUNCH_HOURS,
      busy: [],
      count: 3,
    });
    expect(slots.map((s) => local(s.start))).toEqual(["1 12:00", "2 12:00", "3 12:00"]);
    expect(slots.every((s) => s.end.getTime() - s.start.getTime() === 60 * 60_000)).toBe(true);
  });

  it("moves around anyone's busy time, and off the day when the window is full", () => {
    const slots = suggestSlots({
      after: at("2026-12-07T09:00:00Z"),
      timeZone: LISBON,
      hours: DEFAULT_LUNCH_HOURS,
      busy: [
        busy("2026-12-07T11:45:00Z", "2026-12-07T12:40:00Z"), // Monday: someone's call
        busy("2026-12-08T11:00:00Z", "2026-12-08T15:00:00Z"), // Tuesday: an off-site
      ],
      count: 2,
    });
    expect(slots.map((s) => local(s.start))).toEqual(["1 13:00", "3 12:00"]);
  });

  it("never offers a time already past, and skips the weekend", () => {
    const monday = suggestSlots({
      after: at("2026-12-07T12:10:00Z"),
      timeZone: LISBON,
      hours: DEFAULT_LUNCH_HOURS,
      busy: [],
      count: 1,
    });
    expect(monday.map((s) => local(s.start))).toEqual(["1 12:30"]);
    const friday = suggestSlots({
      after: at("2026-12-11T14:30:00Z"),
      timeZone: LISBON,
      hours: DEFAULT_LUNCH_HOURS,
      busy: [],
      count: 1,
    });
    expect(friday[0]?.start.toISOString()).toBe("2026-12-14T12:00:00.000Z");
  });

  it("reads the window in the workspace's zone, across a DST change", () => {
    // New York springs forward on Sunday 8 March 2026: 02:00–03:00 doesn't exist that day.
    const hours = { from: "02:00", to: "04:00", minutes: 60, days: [7] };
    const slots = suggestSlots({
      after: at("2026-03-08T05:00:00Z"),
      timeZone: "America/New_York",
      hours,
      busy: [],
      count: 1,
    });
    expect(slots.map((s) => local(s.start, "America/New_York"))).toEqual(["7 03:00"]);
    // Auckland, summer: 12:00 local is 23:00 UTC the day before.
    const nz = suggestSlots({
      after: at("2026-12-06T20:00:00Z"),
      timeZone: "Pacific/Auckland",
      hours: DEFAULT_LUNCH_HOURS,
      busy: [],
      count: 1,
    });
    expect(nz[0]?.start.toISOString()).toBe("2026-12-06T23:00:00.000Z");
  });

  it("offers nothing for a window shorter than the lunch or a malformed time", () => {
    const base = { after: at("2026-12-07T09:00:00Z"), timeZone: LISBON, busy: [], count: 3 };
    expect(suggestSlots({ ...base, hours: { ...DEFAULT_LUNCH_HOURS, to: "12:00" } })).toEqual([]);
    expect(suggestSlots({ ...base, hours: { ...DEFAULT_LUNCH_HOURS, from: "25:00" } })).toEqual([]);
    expect(suggestSlots({ ...base, hours: DEFAULT_LUNCH_HOURS, count: 0 })).toEqual([]);
  });

  it("whatever the calendars hold: every slot is free, in the window, on a working day, one per day", () => {
    const start = at("2026-12-07T00:00:00Z").getTime();
    const interval = fc
      .tuple(fc.integer({ min: 0, max: 14 * 24 * 4 }), fc.integer({ min: 1, max: 16 }))
      .map(([q, len]) => ({
        start: new Date(start + q * 15 * 60_000),
        end: new Date(start + (q + len) * 15 * 60_000),
      }));
    const zone = fc.constantFrom(LISBON, "America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland");
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 40 }),
        zone,
        fc.integer({ min: 1, max: 5 }),
        (b, tz, count) => {
          const slots = suggestSlots({
            after: new Date(start),
            timeZone: tz,
            hours: DEFAULT_LUNCH_HOURS,
            busy: b,
            count,
          });
          expect(slots.length).toBeLessThanOrEqual(count);
          const days = new Set<string>();
          for (const s of slots) {
            expect(b.some((x) => x.start < s.end && x.end > s.start)).toBe(false);
            const p = zonedParts(s.start, tz);
            const minutes = p.hour * 60 + p.minute;
            expect(minutes).toBeGreaterThanOrEqual(11 * 60 + 30);
            expect(minutes + 60).toBeLessThanOrEqual(14 * 60);
            expect(p.weekday).toBeLessThanOrEqual(5);
            days.add(`${p.year}-${p.month}-${p.day}`);
          }
          expect(days.size).toBe(slots.length);
          expect(slots.map((s) => s.start.getTime())).toEqual(
            slots.map((s) => s.start.getTime()).sort((x, y) => x - y),
          );
        },
      ),
      { seed: 17, numRuns: 300 },
    );
  });
});
