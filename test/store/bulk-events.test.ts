import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestStore, PROVIDERS, type TestStore } from "../helpers/db.ts";

// The inbox's bulk writes must behave exactly like recordEvent/finishEvent one at a time.

describe.each(PROVIDERS)("bulk inbox writes on %s", (provider) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(provider);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it("records new events once, finishes them together, and agrees with the one-at-a-time methods", async () => {
    expect(await t.store.recordEvent("slack:E0", null, "{}")).toBe(true);
    const fresh = await t.store.recordEvents([
      { key: "slack:E1", workspaceId: null, payload: '{"n":1}' },
      { key: "slack:E0", workspaceId: null, payload: "{}" },
      { key: "slack:E2", workspaceId: null, payload: '{"n":2}' },
      { key: "slack:E1", workspaceId: null, payload: '{"n":1}' },
    ]);
    expect(fresh).toEqual([true, false, true, false]);
    expect(await t.store.recordEvent("slack:E2", null, "{}")).toBe(false);
    expect(await t.store.recordEvents([])).toEqual([]);

    // Stored like recordEvent stores them: the pending-events query (a date comparison) finds all.
    const later = new Date(Date.now() + 60_000);
    expect((await t.store.pendingEvents(later, 10)).map((e) => e.key).sort()).toEqual([
      "slack:E0",
      "slack:E1",
      "slack:E2",
    ]);
    expect(await t.store.pendingEvents(new Date(Date.now() - 60_000), 10)).toEqual([]);

    await t.store.finishEvents(["slack:E1", "slack:E2"]);
    expect((await t.store.pendingEvents(later, 10)).map((e) => e.key)).toEqual(["slack:E0"]);
    const rows = await t.database.db.processedEvent.findMany({ orderBy: { key: "asc" } });
    expect(rows.map((r) => [r.key, r.status, r.payload])).toEqual([
      ["slack:E0", "pending", "{}"],
      ["slack:E1", "done", null],
      ["slack:E2", "done", null],
    ]);
    expect(rows[1]?.processedAt).toBeInstanceOf(Date);
    // Times are stored as UTC, whatever the server's zone: read back, they are now.
    for (const r of rows)
      expect(Math.abs((r.receivedAt as Date).getTime() - Date.now())).toBeLessThan(30_000);
    expect(Math.abs(Number(rows[1]?.processedAt) - Date.now())).toBeLessThan(30_000);
    // Pruning compares receivedAt too.
    expect(await t.store.pruneEvents(later)).toBe(3);
  });

  it("lets exactly one replica claim a pending event for a replay, and counts each attempt once", async () => {
    await t.store.recordEvent("slack:E9", null, "{}");
    const [pending] = await t.store.pendingEvents(new Date(Date.now() + 60_000), 10);
    expect(pending?.attempts).toBe(0);
    // Two replicas read the same row and race for it: one wins.
    const claims = await Promise.all([t.store.claimEvent("slack:E9", 0), t.store.claimEvent("slack:E9", 0)]);
    expect(claims.sort()).toEqual([false, true]);
    // The winner's replay fails; that attempt was counted by the claim, not again.
    await t.store.finishEvent("slack:E9", { ok: false, error: "boom", counted: true });
    const row = () => t.database.db.processedEvent.findUniqueOrThrow({ where: { key: "slack:E9" } });
    expect(await row()).toMatchObject({ status: "failed", attempts: 1, error: "boom" });
    // The next replay reads attempts 1 and may claim it again; a stale reader may not.
    expect(await t.store.claimEvent("slack:E9", 0)).toBe(false);
    expect(await t.store.claimEvent("slack:E9", 1)).toBe(true);
    await t.store.finishEvents(["slack:E9"]);
    expect(await t.store.claimEvent("slack:E9", 2)).toBe(false);
    // A failure outside a replay (the first, live run) counts itself.
    await t.store.recordEvent("slack:E10", null, "{}");
    await t.store.finishEvent("slack:E10", { ok: false, error: "live failure" });
    expect(
      (await t.database.db.processedEvent.findUniqueOrThrow({ where: { key: "slack:E10" } })).attempts,
    ).toBe(1);
  });
});
