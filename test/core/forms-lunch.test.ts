// The one lunch form parser (core/forms/lunch.ts): raw strings as a Slack view_submission or a Teams
// Action.Submit carries them, in every shape we could think of, and a seeded property run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS, parseCommand } from "../../src/core/commands.ts";
import { nextWeekday, parseLunchForm } from "../../src/core/forms/lunch.ts";

const SLACK_ID = /^[UW][A-Z0-9]+$/;

describe("parseLunchForm", () => {
  it("reads a complete form", () => {
    expect(
      parseLunchForm({ date: "2031-03-14", time: "12:30", place: " Cafe Nord ", with: ["UBO", "UCY"] }),
    ).toEqual({
      ok: true,
      value: {
        slot: null,
        on: { year: 2031, month: 3, day: 14, hour: 12, minute: 30 },
        place: "Cafe Nord",
        withUserIds: ["UBO", "UCY"],
      },
    });
  });

  it("reads a picked slot back as its interval, and then ignores the date and time fields", () => {
    const slot = "2031-03-14T11:00:00.000Z/2031-03-14T12:00:00.000Z";
    expect(parseLunchForm({ slot, date: "not a date", time: "", place: "Nord", with: "UBO" })).toEqual({
      ok: true,
      value: {
        slot: { start: new Date("2031-03-14T11:00:00Z"), end: new Date("2031-03-14T12:00:00Z") },
        on: null,
        place: "Nord",
        withUserIds: ["UBO"],
      },
    });
    // "Another time": the date and time fields count again.
    expect(parseLunchForm({ slot: "other", date: "2031-03-14", time: "13:00" })).toMatchObject({
      ok: true,
      value: { slot: null, on: { day: 14, hour: 13 } },
    });
    expect(parseLunchForm({ slot: "other", date: "" })).toEqual({
      ok: false,
      errors: { date: "Pick a date." },
    });
    // The rest of the form is still checked with a slot.
    expect(parseLunchForm({ slot, with: "<!channel>" })).toEqual({
      ok: false,
      errors: { with: "Pick teammates from the list." },
    });
  });

  it.each([
    "tomorrow",
    "2031-03-14T11:00:00Z",
    "2031-03-14T12:00:00Z/2031-03-14T11:00:00Z",
    "2031-03-14T11:00:00Z/2031-03-14T19:00:00Z",
    "2031-03-14T11:00:00+01:00/2031-03-14T12:00:00Z",
    "2031-03-14T11:00:00Z/2031-03-14T12:00:00Z/x",
  ])("refuses the slot %s under its field", (slot) => {
    expect(parseLunchForm({ slot, date: "2031-03-14" })).toEqual({
      ok: false,
      errors: { slot: "Pick one of the times, or another time." },
    });
  });

  it.each([
    ["a list", ["29:a", "29:b", "29:a"], ["29:a", "29:b"]],
    ["a comma-separated string", "29:a, 29:b,29:a", ["29:a", "29:b"]],
    ["an empty string", "", []],
    ["nothing", undefined, []],
    ["null", null, []],
  ] as const)("reads teammates from %s", (_what, raw, ids) => {
    const r = parseLunchForm({ date: "2031-03-14", with: raw });
    expect(r).toMatchObject({ ok: true, value: { withUserIds: ids } });
  });

  it.each([
    ["12:30", { hour: 12, minute: 30 }],
    ["9:05", { hour: 9, minute: 5 }],
    ["12:30:00", { hour: 12, minute: 30 }],
    ["1pm", { hour: 13, minute: 0 }],
    ["", { hour: 12, minute: 0 }],
    [undefined, { hour: 12, minute: 0 }],
    [null, { hour: 12, minute: 0 }],
  ] as const)("reads the time %j", (time, expected) => {
    expect(parseLunchForm({ date: "2031-03-14", time })).toMatchObject({ ok: true, value: { on: expected } });
  });

  it.each([
    ["2031-02-30", "2031-02-30 is not a real date: February 2031 has 28 days."],
    ["2032-02-30", "2032-02-30 is not a real date: February 2032 has 29 days."],
    ["2031-04-31", "2031-04-31 is not a real date: April 2031 has 30 days."],
    ["2031-13-01", "There is no month 13; months go from 01 to 12."],
    ["2031-00-10", expect.any(String)],
    ["2031-01-00", "Days start at 01."],
    ["1969-12-31", "Pick a year between 1970 and 2100."],
    ["10/03/2031", expect.stringContaining("YYYY-MM-DD")],
    ["tomorrow", expect.stringContaining("YYYY-MM-DD")],
    ["", "Pick a date."],
    ["   ", "Pick a date."],
  ])("refuses the date %j under the date field", (date, message) => {
    expect(parseLunchForm({ date })).toEqual({ ok: false, errors: { date: message } });
  });

  it("refuses the dates the `lunch` command refuses, with the same message", () => {
    for (const date of ["2031-02-30", "2031-13-01", "2031-06-31"]) {
      const command = parseCommand(`lunch Jane on ${date}`);
      const form = parseLunchForm({ date });
      expect(command.kind).toBe("error");
      expect(form.ok).toBe(false);
      if (command.kind === "error" && !form.ok) expect(command.message).toBe(form.errors.date);
    }
  });

  it("puts every problem under its own field at once", () => {
    expect(
      parseLunchForm(
        { date: "2031-02-30", time: "25:00", place: "x".repeat(LIMITS.place + 1), with: ["not-a-user"] },
        { userId: SLACK_ID },
      ),
    ).toEqual({
      ok: false,
      errors: {
        date: "2031-02-30 is not a real date: February 2031 has 28 days.",
        time: "Pick a time.",
        place: `Keep the place under ${LIMITS.place} characters.`,
        with: "Pick teammates from the list.",
      },
    });
  });

  it("caps teammates at LIMITS.attendees and refuses ids that are not ids", () => {
    const many = Array.from({ length: LIMITS.attendees + 1 }, (_, i) => `U${i}`);
    expect(parseLunchForm({ date: "2031-03-14", with: many })).toEqual({
      ok: false,
      errors: { with: `Pick at most ${LIMITS.attendees} teammates.` },
    });
    expect(parseLunchForm({ date: "2031-03-14", with: many.slice(1) })).toMatchObject({ ok: true });
    for (const bad of ["<!channel>", "U1 U2\n", "a".repeat(101), "<@U1>"])
      expect(parseLunchForm({ date: "2031-03-14", with: [bad] })).toMatchObject({
        ok: false,
        errors: { with: expect.any(String) },
      });
    expect(parseLunchForm({ date: "2031-03-14", with: ["29:1a2b-c_d.e@f"] })).toMatchObject({ ok: true });
  });

  it("keeps a place of exactly the limit and an empty place as none", () => {
    expect(parseLunchForm({ date: "2031-03-14", place: "p".repeat(LIMITS.place) })).toMatchObject({
      ok: true,
    });
    expect(parseLunchForm({ date: "2031-03-14", place: "   " })).toMatchObject({
      ok: true,
      value: { place: null },
    });
  });

  it("never throws and only ever reports the four fields (seeded property run)", () => {
    const raw = fc.option(
      fc.oneof(fc.string({ maxLength: 40 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 25 })),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(fc.record({ date: raw, time: raw, place: raw, with: raw }), (form) => {
        const r = parseLunchForm(form);
        if (r.ok) {
          expect(r.value.withUserIds.length).toBeLessThanOrEqual(LIMITS.attendees);
          expect(r.value.on?.hour).toBeGreaterThanOrEqual(0);
          expect(r.value.on?.hour).toBeLessThanOrEqual(23);
        } else {
          expect(Object.keys(r.errors).length).toBeGreaterThan(0);
          for (const k of Object.keys(r.errors)) expect(["date", "time", "place", "with"]).toContain(k);
        }
      }),
      { seed: 20261206, numRuns: 500 },
    );
  });

  it("accepts every real calendar date and refuses every impossible one (seeded)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2100 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const date = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
          expect(parseLunchForm({ date }).ok).toBe(real);
        },
      ),
      { seed: 7, numRuns: 800 },
    );
  });
});

describe("nextWeekday", () => {
  it("skips the weekend in the member's zone", () => {
    expect(nextWeekday(new Date("2026-11-20T15:00:00Z"), "America/New_York")).toBe("2026-11-23");
    expect(nextWeekday(new Date("2026-11-18T15:00:00Z"), "America/New_York")).toBe("2026-11-19");
  });
});
