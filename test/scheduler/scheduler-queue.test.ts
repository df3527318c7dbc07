import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import { type JobData, MemoryQueue } from "../../src/scheduler/queue.ts";

// The in-process queue (SQLite, JOB_QUEUE=memory) keeps the contract the scheduler relies on:
// one waiting job per key, at most `concurrency` running, a handler that throws is retried and
// then counted as failed, and settle() reports outputs of the jobs it was given.

const log = createLogger("silent");

describe("MemoryQueue", () => {
  it("runs at most `concurrency` jobs at once and dedupes keys that are still waiting", async () => {
    const q = new MemoryQueue({ concurrency: 2, retries: 0 }, log);
    let running = 0;
    let peak = 0;
    const seen: string[] = [];
    await q.work("w", async (data: JobData) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      seen.push(String(data.n));
      return { n: data.n };
    });
    const ids = await q.enqueue(
      "w",
      [1, 2, 3, 4, 5].map((n) => ({ key: `k${n}`, data: { n } })),
    );
    // k5 is still waiting (two run, three wait): enqueueing it again gives the waiting job.
    const again = await q.enqueue("w", [{ key: "k5", data: { n: 50 } }]);
    expect(again).toEqual([ids[4]]);
    const settled = await q.settle("w", ids, 5_000);
    expect(settled.failed).toBe(0);
    expect(settled.pending).toBe(0);
    expect(settled.outputs.map((o) => o.n).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(seen).toHaveLength(5);
    expect(peak).toBe(2);
    await q.stop();
  });

  it("retries a throwing handler, then counts the job as failed; settle gives up at its timeout", async () => {
    const q = new MemoryQueue({ concurrency: 1, retries: 1, retryDelayMs: 1 }, log);
    let attempts = 0;
    await q.work("f", async () => {
      attempts++;
      throw new Error("boom");
    });
    const failed = await q.settle("f", await q.enqueue("f", [{ key: "a", data: {} }]), 5_000);
    expect(attempts).toBe(2);
    expect(failed).toMatchObject({ failed: 1, pending: 0, outputs: [] });

    await q.work("slow", () => new Promise(() => {}));
    const open = await q.settle("slow", await q.enqueue("slow", [{ key: "b", data: {} }]), 50);
    expect(open).toMatchObject({ failed: 0, pending: 1 });
  });
});
