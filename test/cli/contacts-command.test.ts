import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli.ts";
import { openDatabase } from "../../src/store/db.ts";
import { createEmptyDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.ts";

// `take-it-offline import --since` and `take-it-offline contacts`, as a person runs them: the real
// command line (bin/take-it-offline.js) in a child process, on a database of each kind.

const FIXTURE = join(import.meta.dirname, "../fixtures/slack-export-2015");
const FOLDER = "PyData SF Slack export Oct 1 2015 - Mar 31 2016";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** main() in this process, with what it prints. */
async function inProcess(args: string[], databaseUrl?: string): Promise<Result> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void out.push(a.join(" ")));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((...a: unknown[]) => void err.push(a.join(" ")));
  const saved = process.env.DATABASE_URL;
  if (databaseUrl) process.env.DATABASE_URL = databaseUrl;
  try {
    const code = await main(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

let dir: string;
let exportPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tio-contacts-cli-"));
  exportPath = join(dir, FOLDER);
  cpSync(FIXTURE, exportPath, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(PROVIDERS)("the contacts command on %s", (provider) => {
  let db: TestDatabase;
  const cli = (...args: string[]): Promise<Result> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ["bin/take-it-offline.js", ...args],
        { env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" } },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
    });
  beforeAll(async () => {
    db = await createEmptyDatabase(provider);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("import says what it left out and why, and --since brings it in", async () => {
    const first = await cli("import", exportPath);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/workspace "PyData SF" T0PYDATA/);
    expect(first.stdout).toMatch(/time zone: America\/Los_Angeles \(the most common among members: 2 of 4\)/);
    expect(first.stdout).toMatch(
      /left out 10 messages older than the workspace's retention window of 365 days \(before \d{4}-\d{2}-\d{2}\), which housekeeping would delete anyway; to include them: take-it-offline import '.*PyData SF Slack export Oct 1 2015 - Mar 31 2016' --since 2015-10-01/,
    );
    expect(first.stdout).toMatch(/! channels.json \[2\]: left out .*#meetups has no channel id/);

    const bad = await cli("import", exportPath, "--since", "2015-02-30");
    expect(bad.code).toBe(2);
    expect(bad.stderr.split("\n")[0]).toBe("--since: 2015-02-30 is not a calendar date");

    const second = await cli("import", exportPath, "--since", "2015-10-01");
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(
      /retention extended from 365 to \d{4} days so that mentions since 2015-10-01 are kept/,
    );
    expect(second.stdout).toMatch(/messages: 10 /);
    expect(second.stdout).not.toMatch(/left out \d+ messages/);
    // What was found goes to the admins as one review (app/review.ts), sent by the next sweep.
    expect(second.stdout).toMatch(
      /review: the 7 people mentioned most that nobody confirmed yet go to 1 admin/,
    );
    const third = await cli("import", exportPath, "--since", "2015-10-01");
    expect(third.stdout).not.toMatch(/review:/);
  }, 180_000);

  it("--json prints one object per line with the documented fields", async () => {
    const res = await cli("contacts", "--json");
    expect(res.code).toBe(0);
    const rows = res.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual([
        "id",
        "name",
        "status",
        "kind",
        "aliases",
        "mentions",
        "teammates",
        "lastMentionedAt",
      ]);
      expect(["tracked", "candidate", "ignored"]).toContain(r.status);
      expect(["person", "organization"]).toContain(r.kind);
    }
    const priya = rows.find((r) => r.name === "Priya Shah");
    expect(priya).toMatchObject({
      status: "candidate",
      kind: "person",
      aliases: ["priya.shah@stripe.com"],
      mentions: 1,
      teammates: 1,
      lastMentionedAt: "2015-10-02T09:00:00.000Z",
    });
    // Teammates' own addresses and links are nowhere in the list.
    const all = JSON.stringify(rows);
    for (const own of ["jane.d.1987@gmail.com", 'github.com/janedoe"', "x.com/jane_doe", "pydatasf"])
      expect(all).not.toContain(own);
    // The database agrees on the counts: one row per contact with mentions.
    const database = await openDatabase(db.url);
    try {
      const grouped = await database.db.mention.groupBy({ by: ["contactId"], _count: { _all: true } });
      expect(rows.map((r) => [r.id, r.mentions]).sort()).toEqual(
        grouped.map((g) => [g.contactId, g._count._all]).sort(),
      );
    } finally {
      await database.close();
    }
  }, 120_000);

  it("prints an aligned table, filters by status and date, and --all lists every status", async () => {
    const table = await cli("contacts");
    expect(table.code).toBe(0);
    // The table, then (after a blank line) the merges worth offering among its rows.
    const [tablePart = "", offersPart = ""] = table.stdout.trimEnd().split("\n\n");
    const lines = tablePart.split("\n");
    expect(offersPart.split("\n")).toEqual([
      "Maybe one person: Bob Jones and Bob Jones (LinkedIn). Merge them with /offline track Bob Jones, linkedin.com/in/bob-jones-4b2a1c9.",
    ]);
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+KIND\s+MENTIONS\s+TEAMMATES\s+LAST MENTIONED$/);
    const statusAt = lines[0]!.indexOf("STATUS");
    const lastAt = lines[0]!.indexOf("LAST MENTIONED");
    const priya = lines.find((l) => l.startsWith("Priya Shah"));
    expect(priya?.slice(statusAt)).toMatch(/^candidate\s+person\s+1\s+1\s+2015-10-02$/);
    for (const l of lines.slice(1)) expect(l.slice(lastAt)).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const tracked = await inProcess(["contacts", "--status", "tracked", "--json"], db.url);
    expect(tracked).toMatchObject({ code: 0, stdout: "" });
    const later = await inProcess(["contacts", "--since", "2015-11-01", "--json"], db.url);
    expect(
      later.stdout
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { name: string }).name)
        .sort(),
    ).toEqual(["Bob Jones", "Bob Jones (LinkedIn)", "carol@example.org"]);
    const all = await inProcess(["contacts", "--all", "--json"], db.url);
    // Every contact of the workspace, whatever its status, mentioned or not.
    const database = await openDatabase(db.url);
    try {
      const ids = (await database.db.contact.findMany({ select: { id: true } })).map((c) => c.id).sort();
      expect(
        all.stdout
          .trim()
          .split("\n")
          .map((l) => (JSON.parse(l) as { id: string }).id)
          .sort(),
      ).toEqual(ids);
      expect(ids.length).toBeGreaterThanOrEqual(7);
    } finally {
      await database.close();
    }
  }, 180_000);

  it("bad flags and several workspaces give one clear line and exit code 2", async () => {
    const res = await cli("contacts", "--status", "friends");
    expect(res).toMatchObject({ code: 2, stdout: "" });
    expect(res.stderr).toMatch(
      /^--status: expected tracked, candidate or ignored\nUsage: take-it-offline contacts/,
    );

    // The other bad command lines, through the same main() in this process (a child each is slow).
    for (const [args, first] of [
      [["--since", "yesterday"], "--since: expected a date as YYYY-MM-DD, e.g. 2025-01-31"],
      [["--bogus"], "Unknown option '--bogus'"],
      [["--all", "--status", "tracked"], "--all lists every status; use it or --status, not both"],
      [["--json", "extra"], 'Unexpected argument "extra"'],
      [["--workspace", " "], "--workspace: expected a workspace id"],
    ] as const) {
      const out = await inProcess(["contacts", ...args]);
      expect(out.code, args.join(" ")).toBe(2);
      expect(out.stdout).toBe("");
      expect(out.stderr.split("\n"), args.join(" ")).toEqual([
        first,
        expect.stringMatching(/^Usage: take-it-offline contacts/),
      ]);
    }
    const help = await inProcess(["help"]);
    expect(help.stdout).toMatch(/contacts \[--status tracked\|candidate\|ignored\] \[--all\]/);
    expect(help.stdout).toMatch(/import <export-dir-or-zip> \[--since YYYY-MM-DD\]/);

    // A second workspace: now the command must be told which.
    const other = join(dir, "other");
    cpSync(join(import.meta.dirname, "../fixtures/slack-export-basic"), other, { recursive: true });
    expect((await cli("import", other)).code).toBe(0);
    const ambiguous = await cli("contacts");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/^The database holds 2 workspaces; pick one with --workspace ID:\n/);
    expect(ambiguous.stderr).toMatch(/slack T0PYDATA {2}"PyData SF"/);
    expect(ambiguous.stderr).toMatch(/slack T0HOME001/);
    const picked = await cli("contacts", "--workspace", "T0PYDATA", "--json");
    expect(picked.code).toBe(0);
    expect(picked.stdout).toMatch(/"name":"Priya Shah"/);
    const unknown = await inProcess(["contacts", "--workspace", "T0NOPE"], db.url);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^No workspace T0NOPE\. Workspaces: /);
    expect(unknown.stderr).toMatch(/\(T0PYDATA\)/);
  }, 180_000);
});
