import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OfflineService } from "../../src/app/service.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { importSlackExport } from "../../src/import/run.ts";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";

// A community workspace's export as Slack wrote them in 2015-16 (test/fixtures/slack-export-2015):
// numbers and flags as strings, users without tz or email, a channel without members or topic,
// one channels.json entry without an id, members posting their own gmail addresses, GitHub and X
// links and work signatures, and a few outsiders whose slugs come close to members'.

const FIXTURE = join(import.meta.dirname, "../fixtures/slack-export-2015");
const NOW = "2026-11-26T12:00:00Z";
/** Slack names the download "<workspace> Slack export <dates>"; the folder keeps that name. */
const FOLDER = "PyData SF Slack export Oct 1 2015 - Mar 31 2016";

/** Every email, handle and profile link any contact is known by: who the import took for outsiders. */
const OUTSIDERS = [
  "@priya_s",
  "bob.jones@acme.io",
  "carol@example.org",
  "github.com/janedoe-design",
  "linkedin.com/in/bob-jones-4b2a1c9",
  "priya.shah@stripe.com",
  "x.com/janesmith",
];

let dir: string;
let path: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "tio-real-export-"));
  path = join(dir, FOLDER);
  cpSync(FIXTURE, path, { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(PROVIDERS)("a 2015 community export on %s", (provider) => {
  let t: TestStore;
  let service: OfflineService;
  beforeAll(async () => {
    t = await createTestStore(provider);
    service = new OfflineService(t.store, fixedClock(NOW));
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const nonNameAliases = async (workspaceId: string) =>
    (
      await t.database.db.contactAlias.findMany({
        where: { workspaceId, kind: { in: ["email", "handle", "url"] } },
      })
    )
      .map((a) => a.normalized)
      .sort();

  it("by default leaves out what the retention window wouldn't keep, and says how to include it", async () => {
    const report = await importSlackExport(service, path);
    expect(report.fileErrors).toEqual([]);
    expect(report.messages).toBe(0);
    expect(report.olderSkipped).toBe(10);
    expect(report.oldestSkipped?.toISOString()).toBe("2015-10-01T17:00:00.000Z");
    expect(report.cutoff).toMatchObject({ why: "retention", retentionDays: 365 });
    expect(report.cutoff.at.toISOString()).toBe("2025-11-26T12:00:00.000Z");
    expect(report.retentionExtended).toBeUndefined();
    expect(await t.database.db.mention.count()).toBe(0);
  });

  it("names the workspace and its time zone from the export, not the folder as it is", async () => {
    const ws = await t.store.findWorkspace("slack", "T0PYDATA");
    expect(ws).toMatchObject({ name: "PyData SF", timezone: "America/Los_Angeles" });
    // Old exports' users: "is_admin": "false" (a string), no tz, no email; all four are members.
    const members = await t.store.listMembers(ws!.id);
    expect(members.filter((m) => !m.isBot).map((m) => [m.platformUserId, m.handle])).toEqual([
      ["U0JANE001", "janedoe"],
      ["U0MEI0001", "meiling"],
      ["U0RAJ0001", "rkumar"],
      ["U0TOM0001", "tom"],
    ]);
    expect(members.find((m) => m.platformUserId === "U0RAJ0001")).toMatchObject({
      isAdmin: false,
      tz: null,
      email: null,
    });
  });

  it("--since imports the history, extends retention, keys mentions by channel id and keeps teammates out", async () => {
    const report = await importSlackExport(service, path, { since: new Date("2015-10-01T00:00:00Z") });
    expect(report.messages).toBe(10);
    expect(report.olderSkipped).toBe(0);
    expect(report.retentionExtended).toEqual({ from: 365, to: 4075 });
    expect(report.cutoff).toMatchObject({ why: "since", retentionDays: 4075 });
    const ws = (await t.store.findWorkspace("slack", "T0PYDATA"))!;
    expect(ws.settings.retentionDays).toBe(4075);

    // channels.json's string numbers no longer cost the channel: the id is kept. The entry
    // without an id is named in a warning that says what that costs.
    const channelIssues = report.metadataIssues.filter((i) => i.file === "channels.json");
    expect(channelIssues).toHaveLength(1);
    expect(channelIssues[0]).toMatchObject({ index: 2 });
    expect(channelIssues[0]?.error).toMatch(/^left out \(id: .*\): #meetups has no channel id/);
    expect(channelIssues[0]?.error).toMatch(/folder name "meetups"/);
    expect(report.metadataIssues.filter((i) => i.file === "users.json")).toEqual([]);

    const rows = await t.database.db.mention.findMany({
      include: { contact: { include: { aliases: true } } },
    });
    const where = (alias: string) =>
      rows.filter((r) => r.contact.aliases.some((a) => a.normalized === alias)).map((r) => r.messageId);
    expect(where("priya.shah@stripe.com")).toEqual(["C0GENERAL:1443776400.000000"]);
    expect(where("bob.jones@acme.io")).toEqual(["C0JOBS001:1446573600.000000"]);
    expect(where("carol@example.org")).toEqual(["meetups:1458072000.000000"]);

    // Members' own gmail addresses, GitHub and X links, @handles and signature addresses, and the
    // community's own accounts, are not contacts; the outsiders next to them are.
    expect(await nonNameAliases(ws.id)).toEqual(OUTSIDERS);
    const names = (await t.database.db.contact.findMany({ where: { workspaceId: ws.id } })).map((c) =>
      c.displayName.toLowerCase(),
    );
    for (const member of ["jane doe", "rajesh kumar", "mei-ling chen", "tom baker", "janedoe", "meiling"])
      expect(names).not.toContain(member);
  });

  it("a second import of the same history changes nothing", async () => {
    const before = await t.database.db.mention.count();
    const again = await importSlackExport(service, path, { since: new Date("2015-10-01T00:00:00Z") });
    expect(again.mentionsAdded).toBe(0);
    expect(again.mentionsRemoved).toBe(0);
    expect(again.retentionExtended).toBeUndefined();
    expect(await t.database.db.mention.count()).toBe(before);
  });
});
