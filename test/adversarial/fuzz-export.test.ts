import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OfflineService } from "../../src/app/service.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { LongStringCutter } from "../../src/import/long-strings.ts";
import { importSlackExport } from "../../src/import/run.ts";
import { type ExportEvent, openSlackExport, SlackExportError } from "../../src/import/slack-export.ts";
import { createTestStore, type TestStore } from "../helpers/db.ts";

// Property-based fuzzing of the Slack export reader and the import (seeded, bounded): exports made
// of random and malformed files and folders never crash the reader or the import. Either the
// export is refused as a whole with a SlackExportError (a message for the person running it), or
// every file and every entry is accounted for: read, skipped with a reason, or reported as broken.

const SEED = 42;

const ts = fc.oneof(
  fc
    .tuple(fc.integer({ min: 1_000_000_000, max: 1_900_000_000 }), fc.integer({ min: 0, max: 999_999 }))
    .map(([s, us]) => `${s}.${String(us).padStart(6, "0")}`),
  fc.constantFrom("0", "999999999999.999999", "", "abc", "1e9", "-1", "1700000000.0000001"),
);
const text = fc.oneof(
  fc.constantFrom("lunch with jane@acme.com?", "ping <@U2> about Omar Haddad", "linkedin.com/in/%", ""),
  fc.string({ unit: "binary", maxLength: 80 }),
);
const message = fc.record(
  {
    type: fc.constantFrom("message", "other"),
    ts,
    user: fc.oneof(fc.constantFrom("U1", "U2", "UX", ""), fc.string({ maxLength: 4 })),
    text: fc.oneof(text, fc.constant(null), fc.integer()),
    subtype: fc.constantFrom("channel_join", "bot_message", "message_changed", "thread_broadcast", "x"),
    bot_id: fc.constantFrom("B1", null),
    message: fc.record({ user: fc.constantFrom("U1", "U2"), text }, { requiredKeys: [] }),
    user_profile: fc.oneof(fc.constant(null), fc.record({ display_name: fc.string({ maxLength: 5 }) })),
  },
  { requiredKeys: ["ts"] },
);
/** A file's bytes: a good-looking array, any JSON, or broken text. */
const dayFile = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.oneof(message, fc.jsonValue({ maxDepth: 2 })), { maxLength: 8 })
      .map((a) => JSON.stringify(a)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? "null") },
  {
    weight: 1,
    arbitrary: fc.array(message, { minLength: 1, maxLength: 3 }).chain((a) => {
      const full = JSON.stringify(a);
      return fc.integer({ min: 0, max: full.length - 1 }).map((cut) => full.slice(0, cut));
    }),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "\uFEFF[]", "[", "]", "null", "{}", '[{"ts":"1"}', "[1,2,3]") },
);
const users = fc.oneof(
  fc.constant(
    JSON.stringify([
      { id: "U1", team_id: "T1", name: "ann", real_name: "Ann Smith" },
      {
        id: "U2",
        team_id: "T1",
        name: "bo",
        real_name: "Bo Chen",
        profile: { email: "bo@northwind.example" },
      },
      { id: "UX", team_id: "T9", name: "jane", real_name: "Jane Roe", is_stranger: true },
    ]),
  ),
  dayFile,
);
const channels = fc.oneof(
  fc.constant(
    JSON.stringify([
      { id: "C1", name: "general", members: ["U1"] },
      { id: "C2", name: "random" },
    ]),
  ),
  dayFile,
);
const folder = fc.constantFrom("general", "random", "D0DM", "__MACOSX", ".hidden", "a/b", "..");
const dayName = fc.oneof(
  fc.constantFrom("2026-01-01.json", "2026-01-02.json", "2026-13-45.json"),
  fc.constantFrom("notes.txt", "canvas.json", "2026-01-01.json.bak"),
);
const exportFiles = fc.record({
  users: fc.option(users, { nil: undefined }),
  channels: fc.option(channels, { nil: undefined }),
  days: fc.array(fc.tuple(folder, dayName, dayFile), { maxLength: 6 }),
  streamed: fc.boolean(),
});
type ExportFiles = typeof exportFiles extends fc.Arbitrary<infer T> ? T : never;

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "tio-fuzz-export-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
function writeExport(files: ExportFiles): string {
  const dir = join(root, `e${n++}`);
  mkdirSync(dir, { recursive: true });
  const put = (path: string, data: string) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), data);
  };
  if (files.users !== undefined) put("users.json", files.users);
  if (files.channels !== undefined) put("channels.json", files.channels);
  for (const [f, name, data] of files.days) if (!f.includes("..")) put(`${f}/${name}`, data);
  return dir;
}

describe("the export reader under fuzzing", () => {
  it("refuses an export with a SlackExportError, or accounts for every file and entry", async () => {
    let readToTheEnd = 0;
    await fc.assert(
      fc.asyncProperty(exportFiles, async (files) => {
        const dir = writeExport(files);
        // bufferLimitBytes 0 sends every file through the streaming parser (and the string cutter).
        const options = files.streamed ? { bufferLimitBytes: 0 } : {};
        let reader: Awaited<ReturnType<typeof openSlackExport>>;
        try {
          reader = await openSlackExport(dir, options);
        } catch (error) {
          expect(error).toBeInstanceOf(SlackExportError);
          return;
        }
        try {
          await reader.users().catch((e) => expect(e).toBeInstanceOf(SlackExportError));
          await reader.channels().catch((e) => expect(e).toBeInstanceOf(SlackExportError));
          const events: ExportEvent[] = [];
          // Channels that can't be read leave the messages unreadable too: same error, same class.
          try {
            for await (const e of reader.messages()) events.push(e);
          } catch (error) {
            expect(error).toBeInstanceOf(SlackExportError);
            return;
          }
          const { files: dayFiles } = await reader.countMessageFiles();
          const ends = events.filter((e) => e.type === "file-done" || e.type === "file-error");
          expect(ends).toHaveLength(dayFiles);
          for (const end of ends) {
            const read = events.filter((e) => e.type === "message" && e.file === end.file).length;
            const invalid = events.filter((e) => e.type === "invalid-message" && e.file === end.file).length;
            if (end.type === "file-done") expect([read, invalid]).toEqual([end.messages, end.invalid]);
            else {
              expect(read).toBe(end.messages);
              expect(end.error.length).toBeGreaterThan(0);
            }
          }
          for (const e of events) if (e.type === "skipped") expect(e.reason.length).toBeGreaterThan(0);
          readToTheEnd++;
        } finally {
          await reader.close();
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    // The generators reach the reading, not only the refusals.
    expect(readToTheEnd).toBeGreaterThan(100);
  }, 120_000);
});

describe("the import under fuzzing (SQLite)", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await createTestStore("sqlite");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("finishes with a report or refuses with a SlackExportError, never crashes", async () => {
    const service = new OfflineService(t.store, fixedClock("2026-11-26T12:00:00Z"));
    let imported = 0;
    await fc.assert(
      fc.asyncProperty(exportFiles, async (files) => {
        const dir = writeExport(files);
        let report: Awaited<ReturnType<typeof importSlackExport>>;
        try {
          report = await importSlackExport(service, dir, { detectWorkers: 0 });
        } catch (error) {
          expect(error).toBeInstanceOf(SlackExportError);
          return;
        }
        const skipped = Object.values(report.skipped).reduce((a, b) => a + b, 0);
        expect(report.messages + skipped).toBeGreaterThanOrEqual(report.invalidMessages.length);
        expect(report.mentionsAdded).toBeGreaterThanOrEqual(0);
        // Every error the report lists says something.
        for (const e of [...report.fileErrors, ...report.invalidMessages, ...report.metadataIssues])
          expect(e.error.length).toBeGreaterThan(0);
        imported++;
      }),
      { seed: SEED, numRuns: 60 },
    );
    expect(imported).toBeGreaterThan(20);
  }, 180_000);
});

describe("the JSON string cutter under fuzzing", () => {
  async function cut(json: string, max: number, splits: number[]): Promise<string> {
    const bytes = Buffer.from(json);
    const parts: Buffer[] = [];
    let at = 0;
    for (const s of splits) {
      if (at >= bytes.length) break;
      parts.push(bytes.subarray(at, at + s));
      at += s;
    }
    if (at < bytes.length) parts.push(bytes.subarray(at));
    const out: Buffer[] = [];
    for await (const b of Readable.from(parts).pipe(new LongStringCutter(max))) out.push(b as Buffer);
    return Buffer.concat(out).toString("utf8");
  }

  /** Same structure, every string (keys too) a prefix of the original of at most `max` bytes (+ one escape). */
  function expectCut(original: unknown, result: unknown, max: number): void {
    if (typeof original === "string") {
      expect(typeof result).toBe("string");
      expect(original.startsWith(result as string)).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(result)) - 2).toBeLessThanOrEqual(max + 6);
      if (Buffer.byteLength(JSON.stringify(original)) - 2 <= max) expect(result).toBe(original);
    } else if (Array.isArray(original)) {
      expect(Array.isArray(result)).toBe(true);
      expect((result as unknown[]).length).toBe(original.length);
      for (const [i, v] of original.entries()) expectCut(v, (result as unknown[])[i], max);
    } else if (original !== null && typeof original === "object") {
      const bytes = (k: string) => Buffer.byteLength(JSON.stringify(k)) - 2;
      const originalKeys = Object.keys(original);
      for (const r of Object.keys(result as object))
        expect(originalKeys.some((k) => k.startsWith(r))).toBe(true);
      for (const [k, v] of Object.entries(original)) {
        // A long key cut to the same prefix as another key collides with it, as in any JSON parser.
        const collides = originalKeys.some((k2) => k2 !== k && k2.startsWith(k) && bytes(k2) > max);
        if (bytes(k) <= max && !collides) expectCut(v, (result as Record<string, unknown>)[k], max);
      }
    } else expect(result).toEqual(original);
  }

  it("keeps any JSON valid, cutting only strings longer than the limit, in any chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 3, stringUnit: "binary" }),
        fc.integer({ min: 0, max: 24 }),
        fc.array(fc.integer({ min: 1, max: 16 }), { maxLength: 12 }),
        async (value, max, splits) => {
          const json = JSON.stringify(value);
          const result = JSON.parse(await cut(json, max, splits)) as unknown;
          expectCut(JSON.parse(json), result, max);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
