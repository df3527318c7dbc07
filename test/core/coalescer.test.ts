import { describe, expect, it, vi } from "vitest";
import { Coalescer } from "../../src/core/coalescer.ts";

describe("Coalescer", () => {
  it("batches the calls of one turn, then the calls that arrive while a flush runs", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, number>(async (items) => {
      batches.push(items);
      await new Promise((r) => setTimeout(r, 5));
      return items.map((i) => i * 10);
    });
    const first = [1, 2].map((i) => c.run(i));
    expect(batches).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2]]);
    const rest = [3, 4, 5].map((i) => c.run(i));
    expect(await Promise.all([...first, ...rest])).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
  });

  it("flushes a lone call without waiting for a timer", async () => {
    const c = new Coalescer<number, number>(async (items) => items);
    const done = c.run(7);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(await Promise.race([done, Promise.resolve("pending")])).toBe(7);
  });

  it("caps a batch and keeps going until the queue is empty", async () => {
    const sizes: number[] = [];
    const c = new Coalescer<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 3 },
    );
    const out = await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => c.run(i)));
    expect(out).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([3, 3, 1]);
  });

  it("fails only the bad item of a failed batch", async () => {
    const c = new Coalescer<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 1));
      if (items.includes(13)) throw new Error("unlucky");
      return items;
    });
    const results = await Promise.allSettled([1, 2, 13, 4].map((i) => c.run(i)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ message: "unlucky" });
  });

  it("lingers to gather a bigger batch, and sends a full batch at once", async () => {
    const batches: number[][] = [];
    const c = new Coalescer<number, number>(
      async (items) => {
        batches.push(items);
        return items;
      },
      { lingerMs: 30, maxBatch: 4 },
    );
    const first = c.run(1);
    await new Promise((r) => setTimeout(r, 5));
    expect(batches).toEqual([]);
    const second = c.run(2);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(batches).toEqual([[1, 2]]);
    const full = [3, 4, 5, 6].map((i) => c.run(i));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5, 6],
    ]);
    await Promise.all(full);
  });

  it("lingers before every batch under steady load, not just the first, and a full batch cuts the wait", async () => {
    vi.useFakeTimers();
    try {
      const batches: number[][] = [];
      const gates: Array<() => void> = [];
      const c = new Coalescer<number, number>(
        async (items) => {
          batches.push(items);
          await new Promise<void>((r) => gates.push(r));
          return items;
        },
        { lingerMs: 40, maxBatch: 3 },
      );
      const out = [c.run(1)];
      await vi.advanceTimersByTimeAsync(40);
      expect(batches).toEqual([[1]]);
      // One call arrives while the first batch is written: once it is, the second batch still
      // waits for company instead of going out alone.
      out.push(c.run(2));
      gates.shift()?.();
      await vi.advanceTimersByTimeAsync(10);
      expect(batches).toEqual([[1]]);
      out.push(c.run(3));
      await vi.advanceTimersByTimeAsync(30);
      expect(batches).toEqual([[1], [2, 3]]);
      // While it waits, the call that fills a batch sends it at once.
      out.push(c.run(4), c.run(5));
      gates.shift()?.();
      await vi.advanceTimersByTimeAsync(1);
      expect(batches).toEqual([[1], [2, 3]]);
      out.push(c.run(6));
      await vi.advanceTimersByTimeAsync(0);
      expect(batches).toEqual([[1], [2, 3], [4, 5, 6]]);
      gates.shift()?.();
      expect(await Promise.all(out)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      vi.useRealTimers();
    }
  });
});
