import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppStore } from "../../src/core/ports.ts";
import type { Contact, Member, Workspace } from "../../src/core/types.ts";
import type { Database } from "../../src/store/db.ts";
import { createTestStore, PROVIDERS } from "../helpers/db.ts";

// The coverage cache of completed weeks (CoverageWeek, PrismaDigestStore.coverageSeries with
// finalBefore): after every kind of write that can move a past week's numbers, the cached series
// equals a fresh computation; a row slipped into the table behind the store's back shows that
// the cache is what answers; a live mention (after every completed week) leaves it alone.

const DAY = 86_400_000;
const START = new Date("2026-01-05T00:00:00Z"); // a Monday
const day = (n: number, hour = 12) => new Date(START.getTime() + n * DAY + hour * 3_600_000);
/** Eight weekly windows of 28 days; the last ends after `NOW`, so it is never kept. */
const WINDOWS = Array.from({ length: 8 }, (_, k) => {
  const until = new Date(START.getTime() + (28 + k * 7) * DAY);
  return { since: new Date(until.getTime() - 28 * DAY), until };
});
const NOW = new Date(START.getTime() + (28 + 6 * 7) * DAY + DAY);
const TOP_N = 3;

describe.each(PROVIDERS)("coverage cache on %s", (provider) => {
  let t: Awaited<ReturnType<typeof createTestStore>>;
  let s: AppStore;
  let database: Database;
  let ws: Workspace;
  let uma: Member;
  let ola: Member;
  const c: Contact[] = [];
  let n = 0;
  const mention = (contact: Contact, at: Date, member: Member = uma, times = 1) =>
    Promise.all(
      Array.from({ length: times }, () =>
        s.replaceMentions(ws.id, `m${++n}`, { memberId: member.id, channelId: "C", at, source: "message" }, [
          contact.id,
        ]),
      ),
    );
  const fresh = () => s.coverageSeries(ws.id, WINDOWS, TOP_N);
  const cached = () => s.coverageSeries(ws.id, WINDOWS, TOP_N, { finalBefore: NOW });
  const epoch = async () =>
    (await database.db.workspace.findUniqueOrThrow({ where: { id: ws.id }, select: { coverageEpoch: true } }))
      .coverageEpoch;
  /**
   * Around a write: it voided the kept weeks (the epoch moved on), and the cache answers as a
   * fresh count does; `moves`: the write is one that changes the numbers, and they did change.
   */
  const expectFollows = async (write: () => Promise<unknown>, moves = false) => {
    const before = await cached();
    const e = await epoch();
    await write();
    expect(await epoch()).toBeGreaterThan(e);
    const now = await fresh();
    if (moves) expect(now).not.toEqual(before);
    expect(await cached()).toEqual(now);
    expect(await cached()).toEqual(now);
  };

  beforeAll(async () => {
    t = await createTestStore(provider);
    s = t.store;
    database = t.database;
    ws = await s.upsertWorkspace({ platform: "slack", externalId: "T1", name: "One" });
    uma = await s.upsertMember(ws.id, { platformUserId: "U1", displayName: "Uma" });
    ola = await s.upsertMember(ws.id, { platformUserId: "U2", displayName: "Ola" });
    for (let i = 0; i < 6; i++)
      c.push(await s.createContact(ws.id, { displayName: `c${i}`, status: "tracked" }, []));
    for (const [i, contact] of c.entries())
      for (let d = i; d < 80; d += 3 + i) await mention(contact, day(d), d % 2 ? uma : ola, 6 - i);
    await s.recordMeeting(ws.id, {
      contactId: (c[1] as Contact).id,
      memberId: uma.id,
      metAt: day(20),
      source: "command",
    });
  }, 120_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it("keeps completed weeks, and answers from them", async () => {
    const expected = await fresh();
    expect(expected.some((p) => p.total > 0)).toBe(true);
    expect(await cached()).toEqual(expected);
    const rows = await database.db.coverageWeek.findMany({ where: { workspaceId: ws.id } });
    // Seven completed windows kept (the eighth ends after NOW), all filled in.
    expect(rows).toHaveLength(7);
    expect(rows.every((r) => r.met !== null && r.total !== null && r.topN === TOP_N)).toBe(true);
    // Behind the store's back (no invalidation): the kept weeks don't move, the live one does.
    const first = WINDOWS[0] as { since: Date; until: Date };
    await database.db.coverageWeek.updateMany({
      where: { workspaceId: ws.id, until: first.until },
      data: { met: 99 },
    });
    const served = await cached();
    expect(served[0]?.met).toBe(99);
    expect(served.slice(1)).toEqual(expected.slice(1));
    await database.db.coverageWeek.updateMany({
      where: { workspaceId: ws.id, until: first.until },
      data: { met: (expected[0] as { met: number }).met },
    });
  });

  it("serves two views computing the same weeks at once", async () => {
    await database.db.coverageWeek.deleteMany({ where: { workspaceId: ws.id } });
    const expected = await fresh();
    const [a, b, c2] = await Promise.all([cached(), cached(), cached()]);
    expect([a, b, c2]).toEqual([expected, expected, expected]);
    expect(await cached()).toEqual(expected);
  });

  it("follows a meeting recorded with an earlier date", async () => {
    await expectFollows(
      () =>
        s.recordMeeting(ws.id, {
          contactId: (c[0] as Contact).id,
          memberId: ola.id,
          metAt: day(10),
          source: "command",
        }),
      true,
    );
  });

  it("follows a contact's status changing, both ways", async () => {
    await expectFollows(() => s.updateContact(ws.id, (c[0] as Contact).id, { status: "ignored" }), true);
    await expectFollows(() => s.updateContact(ws.id, (c[0] as Contact).id, { status: "tracked" }), true);
  });

  it("leaves kept weeks alone when a contact nobody mentioned changes status", async () => {
    const quiet = await s.createContact(ws.id, { displayName: "quiet", status: "candidate" }, []);
    await cached();
    const e = await epoch();
    await s.updateContact(ws.id, quiet.id, { status: "tracked" });
    expect(await epoch()).toBe(e);
    expect(await cached()).toEqual(await fresh());
  });

  it("follows mentions written in a past week, one at a time and in a batch", async () => {
    await expectFollows(() => mention(c[5] as Contact, day(15), uma, 30));
    await expectFollows(() =>
      s.replaceMentionsBatch(
        ws.id,
        Array.from({ length: 40 }, (_, j) => ({
          messageId: `import${j}`,
          base: { memberId: ola.id, channelId: "C", at: day(40), source: "import" as const },
          contactIds: [(c[4] as Contact).id],
        })),
      ),
    );
  });

  it("follows an edit that removes a mention, a deleted message, a merge", async () => {
    await expectFollows(() =>
      s.replaceMentions(
        ws.id,
        "import0",
        { memberId: ola.id, channelId: "C", at: day(40), source: "import" },
        [],
      ),
    );
    await expectFollows(() => s.deleteMentionsForMessage(ws.id, "import1"));
    await expectFollows(() => s.mergeContacts(ws.id, (c[5] as Contact).id, [(c[3] as Contact).id]));
  });

  it("follows old mentions pruned, and a teammate forgotten", async () => {
    await expectFollows(() => s.deleteMentionsBefore(day(12)));
    await expectFollows(() => s.forgetMember(ws.id, ola.id), true);
  });

  it("leaves kept weeks alone when a live mention comes in", async () => {
    const expected = await cached();
    const e = await epoch();
    await mention(c[2] as Contact, NOW, uma, 3);
    expect(await epoch()).toBe(e);
    expect(await cached()).toEqual(await fresh());
    expect((await cached()).slice(0, 7)).toEqual(expected.slice(0, 7));
  });

  it("keeps another top N apart, and voids a window that was being computed when a write landed in it", async () => {
    const top1 = await s.coverageSeries(ws.id, WINDOWS, 1, { finalBefore: NOW });
    expect(top1).toEqual(await s.coverageSeries(ws.id, WINDOWS, 1));
    expect(await cached()).toEqual(await fresh());
    // A row registered but not filled in yet (a page computing it): a write in its window
    // moves the epoch on, so what that page fills in afterwards is never served.
    const w = WINDOWS[2] as { since: Date; until: Date };
    await database.db.coverageWeek.deleteMany({ where: { workspaceId: ws.id } });
    const e = await epoch();
    await database.db.coverageWeek.create({
      data: { workspaceId: ws.id, since: w.since, until: w.until, topN: TOP_N, epoch: e },
    });
    await mention(c[1] as Contact, new Date(w.until.getTime() - DAY), uma);
    expect(await epoch()).toBe(e + 1);
    await database.db.coverageWeek.updateMany({
      where: { workspaceId: ws.id },
      data: { met: 42, total: 42 },
    });
    expect(await cached()).toEqual(await fresh());
  });

  it("answers all the same when the cache can't be written (another replica holding the lock), and keeps nothing", async () => {
    await database.db.coverageWeek.deleteMany({ where: { workspaceId: ws.id } });
    // Every write to the cache refused, as a lock held past the busy timeout refuses it.
    const refuse =
      provider === "sqlite"
        ? [
            `CREATE TRIGGER refuse_cache_insert BEFORE INSERT ON "CoverageWeek" BEGIN SELECT RAISE(ABORT, 'database is locked'); END`,
          ]
        : [
            `CREATE FUNCTION refuse_cache() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'lock timeout'; END $$ LANGUAGE plpgsql`,
            `CREATE TRIGGER refuse_cache_insert BEFORE INSERT ON "CoverageWeek" FOR EACH ROW EXECUTE FUNCTION refuse_cache()`,
          ];
    for (const sql of refuse) await database.db.$executeRawUnsafe(sql);
    try {
      const expected = await fresh();
      expect(await cached()).toEqual(expected);
      expect(await database.db.coverageWeek.count({ where: { workspaceId: ws.id } })).toBe(0);
    } finally {
      await database.db.$executeRawUnsafe(
        `DROP TRIGGER refuse_cache_insert${provider === "sqlite" ? "" : ' ON "CoverageWeek"'}`,
      );
      if (provider !== "sqlite") await database.db.$executeRawUnsafe("DROP FUNCTION refuse_cache()");
    }
    // Once the writes go through again, the weeks are kept.
    expect(await cached()).toEqual(await fresh());
    expect(await database.db.coverageWeek.count({ where: { workspaceId: ws.id } })).toBe(7);
  });
});
