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

  it("runs a queue with its own number of workers when given one", async () => {
    const q = new MemoryQueue({ concurrency: 1, retries: 0 }, log);
    let running = 0;
    let peak = 0;
    await q.work(
      "many",
      async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        return {};
      },
      3,
    );
    const ids = await q.enqueue(
      "many",
      [1, 2, 3, 4, 5].map((n) => ({ key: `m${n}`, data: { n } })),
    );
    expect((await q.settle("many", ids, 5_000)).outputs).toHaveLength(5);
    expect(peak).toBe(3);
    await q.stop();
  });

  it("starts higher-priority jobs first, equal ones in the order enqueued", async () => {
    const q = new MemoryQueue({ concurrency: 1, retries: 0 }, log);
    const seen: string[] = [];
    let release: () => void = () => {};
    const first = new Promise<void>((r) => (release = r));
    await q.work("p", async (data: JobData) => {
      if (data.n === "busy") await first;
      seen.push(String(data.n));
      return {};
    });
    // The worker is busy with the first job while the rest queue up behind it.
    const busy = await q.enqueue("p", [{ key: "busy", data: { n: "busy" } }]);
    const ids = await q.enqueue("p", [
      { key: "a", data: { n: "a" } },
      { key: "b", data: { n: "b" }, priority: 5_000 },
      { key: "c", data: { n: "c" }, priority: 20 },
      { key: "d", data: { n: "d" }, priority: 5_000 },
    ]);
    release();
    await q.settle("p", [...busy, ...ids], 5_000);
    expect(seen).toEqual(["busy", "b", "d", "c", "a"]);
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
