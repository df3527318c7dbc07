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
    // Pruning compares receivedAt too.
    expect(await t.store.pruneEvents(later)).toBe(3);
  });
});
