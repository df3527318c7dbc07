import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEmptyDatabase, type TestDatabase } from "../helpers/db.ts";
import { writeStreamedZip } from "../helpers/streamed-zip.ts";

// An import that cannot go ahead says why in one plain line, naming what is wrong (the entry, the
// file), through the real command line: no stack trace for the person running it.

const ROOT = join(import.meta.dirname, "../..");
const users = JSON.stringify([{ id: "U1", team_id: "T1", name: "ann", real_name: "Ann Smith" }]);
const channels = JSON.stringify([{ id: "C1", name: "general", members: ["U1"] }]);
const day = JSON.stringify([
  { type: "message", ts: "1767225600.000100", user: "U1", text: "hi jane@acme.com" },
]);

let dir: string;
let db: TestDatabase;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tio-import-errors-"));
  db = await createEmptyDatabase("sqlite");
});
afterAll(async () => {
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

function importCli(path: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(ROOT, "bin/take-it-offline.js"), "import", path],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" } },
      (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

function expectOnePlainLine(stderr: string, ...names: string[]): void {
  // The progress bar may draw on stderr too; the error is the one line that says "Import failed".
  const lines = stderr.split(/\r?\n/).filter((l) => l.includes("Import failed"));
  expect(lines).toHaveLength(1);
  for (const name of names) expect(lines[0]).toContain(name);
  expect(stderr).not.toMatch(/^\s+at /m);
}

describe("the import command on a bad export", () => {
  it.each([
    ["climbs out of the archive", "../../etc/x"],
    ["is an absolute path", "/etc/passwd"],
  ])(
    "names an entry that %s, in one plain line",
    async (_label, entry) => {
      const zip = join(dir, `unsafe-${entry.length}.zip`);
      await writeStreamedZip(zip, [
        { name: "users.json", data: users },
        { name: "channels.json", data: channels },
        { name: "general/2026-01-01.json", data: day },
        { name: entry, data: "owned" },
      ]);
      const { code, stdout, stderr } = await importCli(zip);
      expect(code).toBe(1);
      expectOnePlainLine(stderr, entry, zip);
      expect(stdout).not.toMatch(/Imported/);
    },
    120_000,
  );

  it("says plainly when the path is not an export", async () => {
    const notZip = join(dir, "notes.txt");
    writeFileSync(notZip, "hello");
    const { code, stderr } = await importCli(notZip);
    expect(code).toBe(1);
    expectOnePlainLine(stderr, notZip);
  }, 120_000);
});
