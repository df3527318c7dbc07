import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OfflineService } from "../../src/app/service.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { importSlackExport } from "../../src/import/run.ts";
import { generateSampleExport } from "../../src/sample/index.ts";
import { createEmptyDatabase, createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";

const run = promisify(execFile);
let dir: string;
let sample: string;
let broken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tio-import-"));
  sample = join(dir, "sample");
  await generateSampleExport(sample, {
    seed: 7,
    messages: 600,
    members: 20,
    externalPeople: 15,
    channels: 8,
    days: 30,
  });
  // A small export with a broken day file between two good ones.
  broken = join(dir, "broken");
  mkdirSync(join(broken, "general"), { recursive: true });
  writeFileSync(
    join(broken, "users.json"),
    JSON.stringify([
      {
        id: "U1",
        team_id: "T1",
        name: "ann",
        real_name: "Ann Smith",
        profile: { email: "ann@northwind.example" },
      },
      { id: "U2", team_id: "T1", name: "bo", real_name: "Bo Chen" },
    ]),
  );
  writeFileSync(
    join(broken, "channels.json"),
    JSON.stringify([{ id: "C1", name: "general", members: ["U1", "U2"] }]),
  );
  const msg = (ts: string, user: string, text: string) => ({ type: "message", ts, user, text });
  writeFileSync(
    join(broken, "general", "2026-01-01.json"),
    JSON.stringify([msg("1767225600.000100", "U1", "lunch with jane@acme.com?")]),
  );
  writeFileSync(
    join(broken, "general", "2026-01-02.json"),
    '[{"type":"message","ts":"1767312000.000100", "user": "U2", "text": "oops',
  );
  writeFileSync(
    join(broken, "general", "2026-01-03.json"),
    JSON.stringify([
      msg("1767398400.000100", "U2", "jane@acme.com replied"),
      {
        type: "message",
        subtype: "channel_join",
        ts: "1767398401.000100",
        user: "U2",
        text: "<@U2> has joined",
      },
      {
        type: "message",
        subtype: "bot_message",
        bot_id: "B1",
        ts: "1767398402.000100",
        text: "jane@acme.com",
      },
      { ts: 12 },
    ]),
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(PROVIDERS)("importing a Slack export on %s", (provider) => {
  let t: TestStore;
  let service: OfflineService;
  beforeAll(async () => {
    t = await createTestStore(provider);
    service = new OfflineService(t.store, fixedClock("2026-11-26T12:00:00Z"));
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("imports the sample company and finds its external contacts", async () => {
    const report = await importSlackExport(service, sample);
    expect(report.fileErrors).toEqual([]);
    expect(report.messages).toBeGreaterThan(400);
    expect(report.mentionsAdded).toBeGreaterThan(50);
    expect(report.skipped["bot message"]).toBeGreaterThan(0);
    expect(report.skipped["system message (channel_join)"]).toBeGreaterThan(0);
    expect(report.externalUsers).toBeGreaterThan(0);
    expect(await t.database.db.mention.count()).toBe(report.mentionsAdded);
  });

  it("is idempotent: importing twice changes nothing", async () => {
    const counts = async () =>
      Promise.all([
        t.database.db.mention.count(),
        t.database.db.contact.count(),
        t.database.db.member.count(),
        t.database.db.contactAlias.count(),
      ]);
    const before = await counts();
    const again = await importSlackExport(service, sample);
    expect(again.mentionsAdded).toBe(0);
    expect(again.mentionsRemoved).toBe(0);
    expect(await counts()).toEqual(before);
  });

  it("reports a malformed file by name and keeps importing the rest", async () => {
    const report = await importSlackExport(service, broken);
    expect(report.fileErrors).toHaveLength(1);
    expect(report.fileErrors[0]?.file).toMatch(/general\/2026-01-02\.json/);
    expect(report.messages).toBe(2);
    expect(report.invalidMessages).toHaveLength(1);
    expect(report.skipped).toMatchObject({
      "bot message": 1,
      "system message (channel_join)": 1,
      "invalid message entry": 1,
    });
    const jane = await t.store.findContactByAlias(report.workspace.id, "jane@acme.com");
    expect(await t.database.db.mention.count({ where: { contactId: jane?.id } })).toBe(2);
  });
});

describe("the command line", () => {
  it("imports, previews the digest and reports errors with exit codes", async () => {
    const db = await createEmptyDatabase("sqlite");
    const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: "warn" };
    try {
      const ok = await run("npx", ["tsx", "src/cli.ts", "import", sample], { env });
      expect(ok.stdout).toMatch(/messages: \d+/);
      expect(ok.stdout).toMatch(/skipped:/);
      const failed = await run("npx", ["tsx", "src/cli.ts", "import", broken], { env }).catch(
        (e: { code: number; stdout: string }) => e,
      );
      expect("code" in failed && failed.code).toBe(1);
      expect(failed.stdout).toMatch(/! general\/2026-01-02\.json/);
      const preview = await run("npx", ["tsx", "src/cli.ts", "digest", "--preview", "--week", "2026-W47"], {
        env,
      });
      expect(preview.stdout).toMatch(/Take it offline — week 47/);
      const badWeek = await run("npx", ["tsx", "src/cli.ts", "digest", "--preview", "--week", "2026-48"], {
        env,
      }).catch((e: { code: number; stderr: string }) => e);
      expect("code" in badWeek && badWeek.code).toBe(2);
      expect(badWeek.stderr).toMatch(/not an ISO week/);
      const badEnv = await run("npx", ["tsx", "src/cli.ts", "migrate"], {
        env: { ...env, DATABASE_URL: "mysql://nope" },
      }).catch((e: { code: number; stderr: string }) => e);
      expect(badEnv.stderr).toMatch(/DATABASE_URL must start with file:/);
    } finally {
      await db.drop();
    }
  }, 180_000);

  it("detect follows the JSON-lines contract and survives bad lines", async () => {
    const input = [
      JSON.stringify({
        id: "a",
        text: "Lunch with jane.doe@acme.com and @janedoe? https://www.linkedin.com/in/janedoe",
      }),
      "not json",
      JSON.stringify({ id: 2, text: "" }),
      JSON.stringify({ text: "no id" }),
    ].join("\n");
    const child = execFile("npx", ["tsx", "src/cli.ts", "detect"]);
    child.stdin?.end(input);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d) => (stdout += d));
    child.stderr?.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const lines = stdout
      .trim()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as {
            id: string | number;
            contacts: Array<{ kind: string; text: string; start: number; end: number }>;
          },
      );
    expect(lines.map((l) => l.id)).toEqual(["a", 2]);
    const text = JSON.parse(input.split("\n")[0]!).text as string;
    expect(lines[0]?.contacts.map((c) => c.kind)).toEqual(["email", "handle", "url"]);
    for (const c of lines[0]!.contacts) expect(text.slice(c.start, c.end)).toBe(c.text);
    expect(lines[1]?.contacts).toEqual([]);
    expect(stderr).toMatch(/line 2: not valid JSON/);
    expect(stderr).toMatch(/line 4: expected/);
    expect(code).toBe(1);
  });
});
