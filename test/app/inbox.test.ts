import { describe, expect, it, vi } from "vitest";
import { Inbox } from "../../src/app/inbox.ts";
import { fixedClock } from "../../src/core/ports.ts";
import { MemoryStore } from "../../src/store/memory/index.ts";

// The one durable inbox every platform receives through (Teams: receive; Slack: accept + settle;
// both: replay, once), on the in-memory store.

const quiet = { debug: () => {}, info: () => {}, error: () => {} };

function setup() {
  const clock = fixedClock("2026-11-18T15:00:00Z");
  const store = new MemoryStore({ now: () => clock.now() });
  return { store, inbox: new Inbox(store, quiet, "x:") };
}

describe("the durable inbox", () => {
  it("accepts each key once, and the deliveries arriving together cost one write", async () => {
    const { store, inbox } = setup();
    const batch = vi.spyOn(store, "recordEvents");
    const fresh = await Promise.all(["x:1", "x:2", "x:1", "x:3"].map((k) => inbox.accept(k, null, "{}")));
    expect(fresh).toEqual([true, true, false, true]);
    expect(batch).toHaveBeenCalledTimes(1);
    expect(await inbox.accept("x:2", null, "{}")).toBe(false);
  });

  it("settles accepted work as done (payload dropped) in one coalesced update", async () => {
    const { store, inbox } = setup();
    const finish = vi.spyOn(store, "finishEvents");
    await Promise.all(["x:1", "x:2"].map((k) => inbox.accept(k, null, "secret text")));
    const ran: string[] = [];
    const out = await Promise.all(
      ["x:1", "x:2"].map((k) =>
        inbox.settle(k, async () => {
          ran.push(k);
        }),
      ),
    );
    expect(out).toEqual(["done", "done"]);
    expect(ran).toEqual(["x:1", "x:2"]);
    expect(finish).toHaveBeenCalledTimes(1);
    expect(await store.countEvents("done")).toBe(2);
    expect(await store.pendingEvents(new Date("2027-01-01T00:00:00Z"), 10, "x:")).toEqual([]);
  });

  it("replays a failed delivery once, on one of two replicas, then marks it done", async () => {
    const { store, inbox } = setup();
    const other = new Inbox(store, quiet, "x:");
    const y = new Inbox(store, quiet, "y:");
    expect(await inbox.receive("x:1", null, "payload-1", () => Promise.reject(new Error("boom")))).toBe(
      "failed",
    );
    expect(await y.receive("y:1", null, "payload-y", () => Promise.reject(new Error("boom")))).toBe("failed");
    const later = new Date("2027-01-01T00:00:00Z");
    const runs: string[] = [];
    const run = async (d: { key: string; payload: string }) => {
      runs.push(`${d.key}=${d.payload}`);
    };
    const counts = await Promise.all([inbox.replay(later, run), other.replay(later, run)]);
    // One replica ran it; a replay of "x:" never sees the other platform's "y:" row.
    expect(counts.sort()).toEqual([0, 1]);
    expect(runs).toEqual(["x:1=payload-1"]);
    expect(await inbox.replay(later, run)).toBe(0);
    expect(await inbox.receive("x:1", null, "payload-1", async () => {})).toBe("duplicate");
  });

  it("runs an interaction once per key, even when it fails", async () => {
    const { inbox } = setup();
    let runs = 0;
    expect(await inbox.once("x:click", "w1", async () => void runs++)).toBe("ran");
    expect(await inbox.once("x:click", "w1", async () => void runs++)).toBe("duplicate");
    await expect(inbox.once("x:boom", "w1", () => Promise.reject(new Error("no")))).rejects.toThrow("no");
    expect(await inbox.once("x:boom", "w1", async () => void runs++)).toBe("duplicate");
    expect(runs).toBe(1);
  });

  it("throws when the delivery can't be stored, so the platform sends it again", async () => {
    const { store, inbox } = setup();
    vi.spyOn(store, "recordEvents").mockRejectedValue(new Error("database down"));
    const handler = vi.fn(async () => {});
    await expect(inbox.receive("x:9", null, "{}", handler)).rejects.toThrow("database down");
    expect(handler).not.toHaveBeenCalled();
  });
});
