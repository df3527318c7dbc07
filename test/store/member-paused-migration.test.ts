import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/db.ts";
import { loadMigrations, migrate } from "../../src/store/migrate.ts";
import { PrismaStore } from "../../src/store/prisma-store.ts";
import { createEmptyDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.ts";

// Member.snoozeUntil (year 9999 = "until resumed") became paused + pausedUntil. The migration must
// keep every member's pause as it was: a sentinel becomes "paused, no end", a date stays the date.
const MIGRATION = "20261207000000_member_paused";

describe.each(PROVIDERS)("the member_paused migration on %s", (provider) => {
  let target: TestDatabase;

  beforeAll(async () => {
    target = await createEmptyDatabase(provider);
  });
  afterAll(async () => {
    await target.drop();
  });

  it("turns the year-9999 sentinel into an open-ended pause and keeps dated pauses", async () => {
    const all = loadMigrations(provider);
    expect(all.map((m) => m.name)).toContain(MIGRATION);
    await migrate(
      target.url,
      all.filter((m) => m.name < MIGRATION),
    );
    const before = await openDatabase(target.url);
    // Written as the Prisma adapter writes dates on each provider (ISO text on SQLite).
    const at = (iso: string) => `'${iso.replace("Z", "+00:00")}'`;
    await before.db.$executeRawUnsafe(
      `INSERT INTO "Workspace" ("id", "platform", "externalId") VALUES ('w1', 'slack', 'T1')`,
    );
    const rows: Array<[string, string]> = [
      ["forever", at("9999-12-31T00:00:00.000Z")],
      ["dated", at("2027-01-02T03:04:05.000Z")],
      ["never", "NULL"],
    ];
    for (const [id, until] of rows)
      await before.db.$executeRawUnsafe(
        `INSERT INTO "Member" ("id", "workspaceId", "platformUserId", "snoozeUntil", "updatedAt") VALUES ('${id}', 'w1', 'U${id}', ${until}, ${at("2026-12-01T00:00:00.000Z")})`,
      );
    await before.close();

    expect((await migrate(target.url)).applied).toContain(MIGRATION);
    const after = await openDatabase(target.url);
    try {
      const store = new PrismaStore(after);
      expect(await store.getMember("w1", "Uforever")).toMatchObject({ paused: true, pausedUntil: null });
      expect(await store.getMember("w1", "Udated")).toMatchObject({
        paused: true,
        pausedUntil: new Date("2027-01-02T03:04:05.000Z"),
      });
      expect(await store.getMember("w1", "Unever")).toMatchObject({ paused: false, pausedUntil: null });
    } finally {
      await after.close();
    }
  });
});
