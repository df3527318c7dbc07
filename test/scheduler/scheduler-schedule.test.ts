import cron from "node-cron";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/core/ports.ts";
import { isoWeek, isoWeeksInYear } from "../../src/core/time.ts";
import {
  dailyAt,
  everyMinutes,
  everySeconds,
  hourlyAt,
  nextSlot,
  slotAt,
} from "../../src/scheduler/cadence.ts";
import { parseRunKey, runKey } from "../../src/scheduler/coordinator.ts";
import {
  type DigestSchedule,
  digestDue,
  digestDueAt,
  missedDigest,
  nextDigestAt,
  previousWeek,
} from "../../src/scheduler/digest-schedule.ts";

const at = (iso: string) => fixedClock(iso).now();

describe("digestDue: when the weekly digest is due", () => {
  it("is due from the configured local day and hour until the end of that ISO week", () => {
    const ws: DigestSchedule = { timezone: "Europe/Berlin", digestDay: 1, digestHour: 9 };
    // Mon 23 Nov 2026 09:00 CET = 08:00Z
    expect(digestDueAt(ws, "2026-W48").toISOString()).toBe("2026-11-23T08:00:00.000Z");
    expect(digestDue(ws, at("2026-11-23T07:59:59Z"))).toMatchObject({
      due: false,
      week: "2026-W48",
      reason: "not-yet",
    });
    expect(digestDue(ws, at("2026-11-23T08:00:00Z"))).toMatchObject({
      due: true,
      week: "2026-W48",
      // The post due in W48 reports W47, the last complete week.
      reports: "2026-W47",
    });
    // Still due (catch-up) on Sunday evening local…
    expect(digestDue(ws, at("2026-11-29T22:59:00Z"))).toMatchObject({ due: true, week: "2026-W48" });
    // …but at Monday 00:00 local it is a new week, and that week's digest is not due until 09:00.
    expect(digestDue(ws, at("2026-11-29T23:00:00Z"))).toMatchObject({
      due: false,
      week: "2026-W49",
      reason: "not-yet",
    });
  });

  it("Europe/Berlin spring forward (29 Mar 2026): a time in the gap moves forward by the gap", () => {
    // 02:00 does not exist on Sun 29 Mar 2026 in Berlin: clocks jump 02:00 CET → 03:00 CEST (01:00Z).
    const ws: DigestSchedule = { timezone: "Europe/Berlin", digestDay: 7, digestHour: 2 };
    expect(isoWeek(at("2026-03-29T01:00:00Z"), "Europe/Berlin")).toBe("2026-W13");
    expect(digestDueAt(ws, "2026-W13").toISOString()).toBe("2026-03-29T01:00:00.000Z");
    expect(digestDue(ws, at("2026-03-29T00:59:00Z")).due).toBe(false);
    expect(digestDue(ws, at("2026-03-29T01:00:00Z"))).toMatchObject({ due: true, week: "2026-W13" });
    // Monday 09:00 the day after the change is CEST (UTC+2); the Monday before it was CET (UTC+1).
    const monday: DigestSchedule = { timezone: "Europe/Berlin", digestDay: 1, digestHour: 9 };
    expect(digestDueAt(monday, "2026-W13").toISOString()).toBe("2026-03-23T08:00:00.000Z");
    expect(digestDueAt(monday, "2026-W14").toISOString()).toBe("2026-03-30T07:00:00.000Z");
  });

  it("America/New_York fall back (1 Nov 2026): the repeated hour is due at its first occurrence", () => {
    // 01:00 EDT (05:00Z) and 01:00 EST (06:00Z) both exist on Sun 1 Nov 2026.
    const ws: DigestSchedule = { timezone: "America/New_York", digestDay: 7, digestHour: 1 };
    expect(digestDueAt(ws, "2026-W44").toISOString()).toBe("2026-11-01T05:00:00.000Z");
    expect(digestDue(ws, at("2026-11-01T04:59:00Z")).due).toBe(false);
    expect(digestDue(ws, at("2026-11-01T05:00:00Z"))).toMatchObject({ due: true, week: "2026-W44" });
    // The second 01:00 is the same week: still "due", and the per-week claim makes it post once.
    expect(digestDue(ws, at("2026-11-01T06:00:00Z"))).toMatchObject({ due: true, week: "2026-W44" });
    // Hours after the change are EST (UTC−5): Monday 9:00 of the next week is 14:00Z.
    expect(digestDueAt({ ...ws, digestDay: 1, digestHour: 9 }, "2026-W45").toISOString()).toBe(
      "2026-11-02T14:00:00.000Z",
    );
  });

  it("UTC+13 (Pacific/Tongatapu): Monday 09:00 local is Sunday 20:00Z, in the local ISO week", () => {
    const ws: DigestSchedule = { timezone: "Pacific/Tongatapu", digestDay: 1, digestHour: 9 };
    expect(digestDueAt(ws, "2026-W48").toISOString()).toBe("2026-11-22T20:00:00.000Z");
    // Sunday 22 Nov in UTC is already Monday 23 Nov (W48) in Tonga.
    expect(digestDue(ws, at("2026-11-22T19:59:00Z"))).toMatchObject({ due: false, week: "2026-W48" });
    expect(digestDue(ws, at("2026-11-22T20:00:00Z"))).toMatchObject({ due: true, week: "2026-W48" });
    // Earlier that UTC Sunday it is still Sunday 22 Nov (W47) in Tonga, whose digest is due.
    expect(digestDue(ws, at("2026-11-22T10:00:00Z"))).toMatchObject({ due: true, week: "2026-W47" });
  });

  it("UTC+13 in southern summer (Pacific/Auckland, NZDT)", () => {
    const ws: DigestSchedule = { timezone: "Pacific/Auckland", digestDay: 1, digestHour: 9 };
    // Mon 11 Jan 2027 09:00 NZDT (UTC+13) = Sun 10 Jan 20:00Z.
    expect(digestDueAt(ws, "2027-W02").toISOString()).toBe("2027-01-10T20:00:00.000Z");
  });

  it("UTC−10 (Pacific/Honolulu): Friday 17:00 local is Saturday 03:00Z; the local week runs past UTC Monday", () => {
    const ws: DigestSchedule = { timezone: "Pacific/Honolulu", digestDay: 5, digestHour: 17 };
    expect(digestDueAt(ws, "2026-W48").toISOString()).toBe("2026-11-28T03:00:00.000Z");
    expect(digestDue(ws, at("2026-11-28T02:59:00Z")).due).toBe(false);
    expect(digestDue(ws, at("2026-11-28T03:00:00Z"))).toMatchObject({ due: true, week: "2026-W48" });
    // Mon 30 Nov 05:00Z is still Sunday 29 Nov 19:00 in Honolulu: W48, still due (catch-up).
    expect(digestDue(ws, at("2026-11-30T05:00:00Z"))).toMatchObject({ due: true, week: "2026-W48" });
    expect(digestDue(ws, at("2026-11-30T10:00:00Z"))).toMatchObject({ due: false, week: "2026-W49" });
  });

  it("year end: 2026 has 53 ISO weeks, and W53 runs Mon 28 Dec 2026 to Sun 3 Jan 2027", () => {
    expect(isoWeeksInYear(2026)).toBe(53);
    const ws: DigestSchedule = { timezone: "UTC", digestDay: 5, digestHour: 9 };
    // Friday of 2026-W53 is New Year's Day 2027.
    expect(digestDueAt(ws, "2026-W53").toISOString()).toBe("2027-01-01T09:00:00.000Z");
    expect(digestDue(ws, at("2027-01-01T09:00:00Z"))).toMatchObject({ due: true, week: "2026-W53" });
    expect(digestDue(ws, at("2027-01-03T23:59:00Z"))).toMatchObject({ due: true, week: "2026-W53" });
    expect(digestDue(ws, at("2027-01-04T00:00:00Z"))).toMatchObject({ due: false, week: "2027-W01" });
    expect(previousWeek(ws, at("2027-01-04T00:00:00Z"))).toBe("2026-W53");
    expect(previousWeek(ws, at("2026-12-28T00:00:00Z"))).toBe("2026-W52");
    // And in a zone far ahead, New Year's Eve UTC is already 2027 but still W53.
    expect(digestDue({ ...ws, timezone: "Pacific/Tongatapu" }, at("2026-12-31T12:00:00Z")).week).toBe(
      "2026-W53",
    );
  });

  it("a workspace installed after this week's due time waits for next week", () => {
    const ws: DigestSchedule = { timezone: "UTC", digestDay: 1, digestHour: 9 };
    const installedAt = at("2026-11-25T10:00:00Z"); // Wednesday of W48
    expect(digestDue(ws, at("2026-11-25T12:00:00Z"), installedAt)).toMatchObject({
      due: false,
      reason: "installed-after",
    });
    expect(nextDigestAt(ws, at("2026-11-25T12:00:00Z"), false, installedAt).toISOString()).toBe(
      "2026-11-30T09:00:00.000Z",
    );
    // Installed before the due time: due as usual.
    expect(digestDue(ws, at("2026-11-23T10:00:00Z"), at("2026-11-23T08:00:00Z")).due).toBe(true);
  });
});

describe("catch-up or skip", () => {
  const ws: DigestSchedule = { timezone: "Europe/Berlin", digestDay: 5, digestHour: 16 };

  it("within the same week a late run still posts (due stays true until the local week ends)", () => {
    // Due Fri 27 Nov 2026 16:00 CET; the process comes back on Sunday.
    expect(digestDue(ws, at("2026-11-29T12:00:00Z"))).toMatchObject({ due: true, week: "2026-W48" });
  });

  it("after the week ended, last week's digest is reported as skipped, not posted late", () => {
    const m = missedDigest(ws, at("2026-11-30T08:00:00Z"));
    // Due in W48, it would have reported W47 (the last complete week then): the Digest row's key.
    expect(m?.week).toBe("2026-W47");
    expect(m?.dueAt.toISOString()).toBe("2026-11-27T15:00:00.000Z");
    expect(m?.reason).toMatch(/week ended before it was posted/);
    // The current week's digest isn't due yet, so nothing would be posted now either.
    expect(digestDue(ws, at("2026-11-30T08:00:00Z")).due).toBe(false);
  });

  it("nothing was missed if the workspace was installed after last week's due time", () => {
    expect(missedDigest(ws, at("2026-11-30T08:00:00Z"), at("2026-11-28T00:00:00Z"))).toBeNull();
  });

  it("nextDigestAt: now when due and unposted, this week's time if ahead, else next week's", () => {
    expect(nextDigestAt(ws, at("2026-11-24T12:00:00Z"), false).toISOString()).toBe(
      "2026-11-27T15:00:00.000Z",
    );
    expect(nextDigestAt(ws, at("2026-11-28T12:00:00Z"), false).toISOString()).toBe(
      "2026-11-28T12:00:00.000Z",
    );
    expect(nextDigestAt(ws, at("2026-11-28T12:00:00Z"), true).toISOString()).toBe("2026-12-04T15:00:00.000Z");
  });
});

describe("cadences and fire times", () => {
  const cadences = [
    everySeconds(1),
    everySeconds(15),
    everyMinutes(5),
    everyMinutes(15),
    hourlyAt(0),
    hourlyAt(15),
    dailyAt(3, 30),
  ];

  it("slotAt names the fire time a run belongs to; nextSlot the one after", () => {
    const five = everyMinutes(5);
    expect(slotAt(five, at("2026-11-26T09:04:59.999Z")).toISOString()).toBe("2026-11-26T09:00:00.000Z");
    expect(slotAt(five, at("2026-11-26T09:05:00Z")).toISOString()).toBe("2026-11-26T09:05:00.000Z");
    expect(nextSlot(five, at("2026-11-26T09:05:00Z")).toISOString()).toBe("2026-11-26T09:10:00.000Z");
    const daily = dailyAt(3, 30);
    expect(slotAt(daily, at("2026-11-26T03:29:00Z")).toISOString()).toBe("2026-11-25T03:30:00.000Z");
    expect(slotAt(daily, at("2026-11-26T03:30:00Z")).toISOString()).toBe("2026-11-26T03:30:00.000Z");
    expect(nextSlot(hourlyAt(15), at("2026-12-31T23:20:00Z")).toISOString()).toBe("2027-01-01T00:15:00.000Z");
  });

  it("agrees with node-cron: every slot matches the cron expression and nothing in between does", () => {
    const samples = [
      "2026-11-26T09:07:13.500Z",
      "2026-03-29T01:59:59Z",
      "2026-11-01T05:30:00Z",
      "2026-12-31T23:59:59Z",
    ];
    for (const cadence of cadences) {
      expect(cron.validate(cadence.cron)).toBe(true);
      const task = cron.createTask(cadence.cron, () => {}, { timezone: "UTC" });
      try {
        for (const s of samples) {
          const slot = slotAt(cadence, at(s));
          const next = nextSlot(cadence, at(s));
          expect(task.match(slot), `${cadence.cron} @ ${slot.toISOString()}`).toBe(true);
          expect(task.match(next)).toBe(true);
          // Step through the gap (by seconds for sub-minute cadences, else by minutes).
          const step = cadence.periodMs < 60_000 ? 1000 : 60_000;
          for (let t = slot.getTime() + step; t < next.getTime(); t += step) {
            if (task.match(new Date(t)))
              throw new Error(`${cadence.cron} also matches ${new Date(t).toISOString()}`);
          }
        }
      } finally {
        task.destroy();
      }
    }
  });

  it("run keys are node-cron's <name>:<fire time ISO> and round-trip", () => {
    const fire = at("2026-11-26T09:05:00Z");
    expect(runKey("nudge-sweep", fire)).toBe("nudge-sweep:2026-11-26T09:05:00.000Z");
    expect(parseRunKey("nudge-sweep:2026-11-26T09:05:00.000Z")).toEqual({
      task: "nudge-sweep",
      fireTime: fire,
    });
    expect(parseRunKey("nope")).toBeNull();
    expect(parseRunKey("digest:yesterday")).toBeNull();
  });
});
