import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS, type ParsedCommand, parseCommand, SUBCOMMANDS } from "../../src/core/commands.ts";

// Property-based fuzzing of the one command grammar (Slack's /offline, the Teams bot): seeded and
// bounded. parseCommand catches anything its grammar throws and answers with a generic "Sorry, I
// couldn't read that command."; reaching that answer is a bug, so the properties check it never
// happens, that every answer is a command within the limits or a specific error with usage, and
// that commands written from known values read back as those values.

const SEED = 42;
const GENERIC = "Sorry, I couldn't read that command.";

/** Pieces that steer random text into the grammar's corners. */
const PIECES = [
  ...SUBCOMMANDS,
  "/offline",
  "forget me",
  " on ",
  " at ",
  " with ",
  "today",
  "yesterday",
  "2026-02-30",
  "2031-13-01",
  "2026-01-05",
  "12:30",
  "1pm",
  "25:99",
  "2026-W05",
  "2026-w60",
  "preview",
  "now",
  "2w",
  "10d",
  "0d",
  "999999999999d",
  "all",
  "tracked",
  "<@U123|Ann Smith>",
  "<@U123>",
  "<@",
  "<mailto:jane@acme.com|jane@acme.com>",
  "<https://linkedin.com/in/jane|x>",
  "jane@acme.com",
  "@janedoe",
  '"',
  '"Jane Doe"',
  ",",
  ",,,,",
  "\u200B",
  "\u0000",
  "😀",
  "\uD800",
  "\n",
  "\t",
  " ",
  "Jane",
  "Doe",
];
const piece = fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: "binary", maxLength: 6 }));
const commandText = fc.array(piece, { maxLength: 14 }).map((parts) => parts.join(" "));

function checkAnswer(text: string, result: ParsedCommand): void {
  expect(result, JSON.stringify(text)).toBeTypeOf("object");
  if (result.kind === "error") {
    expect(result.message, JSON.stringify(text)).not.toBe(GENERIC);
    expect(result.message.length).toBeGreaterThan(0);
    expect(result.usage.length).toBeGreaterThan(0);
    return;
  }
  expect(SUBCOMMANDS).toContain(result.kind);
  // Whatever is accepted stays within the grammar's limits.
  if (result.kind === "track") {
    expect(result.name.length).toBeLessThanOrEqual(LIMITS.name);
    expect(result.aliases.length).toBeLessThanOrEqual(LIMITS.aliases);
    for (const a of result.aliases) expect(a.value.length).toBeLessThanOrEqual(LIMITS.alias);
  }
  if (result.kind === "lunch") {
    expect(result.with.length).toBeLessThanOrEqual(LIMITS.attendees);
    expect((result.place ?? "").length).toBeLessThanOrEqual(LIMITS.place);
  }
  if (result.kind === "pause" && result.days !== null) {
    expect(result.days).toBeGreaterThan(0);
    expect(result.days).toBeLessThanOrEqual(LIMITS.pauseDays);
  }
  if ((result.kind === "met" || result.kind === "lunch") && typeof result.on === "object") {
    const { year, month, day } = result.on;
    // A date that does not exist is refused, never moved to another day.
    const d = new Date(Date.UTC(year, month - 1, day));
    expect([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]).toEqual([year, month, day]);
  }
}

describe("the command grammar under fuzzing", () => {
  it("answers every text of command-like pieces with a command or a specific error", () => {
    fc.assert(
      fc.property(commandText, (text) => checkAnswer(text, parseCommand(text))),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("answers arbitrary unicode, long inputs and non-strings the same way", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 200 }),
          fc.string({ unit: "binary", minLength: 3990, maxLength: 4100 }),
          fc
            .tuple(
              fc.constantFrom(...SUBCOMMANDS),
              fc.string({ maxLength: 5 }),
              fc.integer({ min: 1, max: 5000 }),
            )
            .map(([command, unit, n]) => `${command} ${unit.repeat(n)}`.slice(0, 5000)),
        ),
        (text) => checkAnswer(text, parseCommand(text)),
      ),
      { seed: SEED, numRuns: 600 },
    );
    for (const junk of [null, undefined, 42, {}, []])
      expect(parseCommand(junk as unknown as string)).toEqual({ kind: "help" });
  });

  // Names made of words the grammar has no use for, so they cannot be read as keywords.
  const word = fc.constantFrom("Jane", "Doe", "María", "O'Neil", "Lee-Smith", "Zoë", "Chen", "van", "Dam");
  const name = fc.array(word, { minLength: 1, maxLength: 4 }).map((w) => w.join(" "));
  const date = fc.record({
    year: fc.integer({ min: 2000, max: 2099 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
  });
  const iso = (d: { year: number; month: number; day: number }) =>
    `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;

  it("reads back what it was given: met, pause, lunch and digest", () => {
    fc.assert(
      fc.property(name, date, (n, d) => {
        expect(parseCommand(`met ${n} on ${iso(d)}`)).toEqual({
          kind: "met",
          contact: { kind: "text", text: n },
          on: d,
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LIMITS.pauseDays }), (days) => {
        expect(parseCommand(`pause ${days}d`)).toEqual({ kind: "pause", days });
      }),
      { seed: SEED, numRuns: 200 },
    );
    fc.assert(
      fc.property(
        name,
        date,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        name,
        fc.uniqueArray(fc.stringMatching(/^U[A-Z0-9]{4,10}$/), { maxLength: 3 }),
        (n, d, hour, minute, place, ids) => {
          const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
          const withPart = ids.length ? ` with ${ids.map((id) => `<@${id}>`).join(" ")}` : "";
          expect(parseCommand(`lunch ${n} on ${iso(d)} ${time} at ${place}${withPart}`)).toEqual({
            kind: "lunch",
            contact: { kind: "text", text: n },
            on: { ...d, hour, minute },
            place,
            with: ids.map((id) => ({ id })),
          });
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 52 }), (year, week) => {
        const w = `${year}-W${String(week).padStart(2, "0")}`;
        expect(parseCommand(`digest preview ${w}`)).toEqual({ kind: "digest", mode: "preview", week: w });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
