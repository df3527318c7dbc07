import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OfflineService } from "../../src/app/service.ts";
import type { DetectionOffload } from "../../src/core/tracking.ts";
import { type LazyDetectOffload, lazyDetectOffload } from "../../src/workers/detect-offload.ts";
import { createWorld, type World } from "../helpers/world.ts";

// Live detection moves to a worker thread once batches grow, and gives the same mentions.

describe("live detection in a worker thread", () => {
  let w: World;
  let offload: LazyDetectOffload;
  let failures: Error[];
  beforeEach(async () => {
    w = await createWorld("sqlite");
    failures = [];
    offload = lazyDetectOffload((err) => failures.push(err));
  });
  afterEach(async () => {
    await offload.close();
    await w.cleanup();
  });

  /** The worker has loaded the model and answered (or 30 s passed). */
  const untilReady = async () => {
    for (let waited = 0; !offload.ready && waited < 30_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
  };

  const texts = [
    "Lunch with Priya Raman next week?",
    "ask jane.doe@acme.example about the renewal",
    "Bo Chen and Ann Smith are on it", // teammates: never contacts
    "nothing to see here",
  ];

  it("starts only for a busy batch, then detects there with the same results as inline", async () => {
    const used: number[] = [];
    const counting: DetectionOffload = {
      detect(t, inputs) {
        const p = offload.detect(t, inputs);
        if (p) used.push(t.length);
        return p;
      },
    };
    const live = new OfflineService(w.store, w.clock, { detectionOffload: counting });
    const burst = (n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          live.tracker.processMessage(w.ws, w.message("UANN", texts[i % texts.length] as string)),
        ),
      );

    await burst(3);
    expect(offload.ready).toBe(false);
    // A batch of eight starts the worker; it is detected inline while the model loads.
    const first = await burst(8);
    expect(used).toEqual([]);
    await untilReady();
    expect(offload.ready).toBe(true);

    const second = await burst(8);
    expect(used).toEqual([8]);
    expect(failures).toEqual([]);
    // Same contacts for the same texts, through the worker and inline.
    expect(second.map((r) => r.contactIds)).toEqual(first.map((r) => r.contactIds));
    expect(second.filter((r) => r.contactIds.length > 0)).toHaveLength(4);
    expect(second.every((r) => r.added === r.contactIds.length)).toBe(true);
  });

  it("detects inline once closed, as after a worker failure, without starting another", async () => {
    const live = new OfflineService(w.store, w.clock, { detectionOffload: offload });
    const burst = () =>
      Promise.all(texts.concat(texts).map((t) => live.tracker.processMessage(w.ws, w.message("UBO", t))));
    await burst();
    await untilReady();
    await offload.close();
    const after = await burst();
    expect(offload.detect(["x"], await live.tracker.detectionInputs(w.ws))).toBeNull();
    expect(after.filter((r) => r.contactIds.length > 0)).toHaveLength(4);
  });
});
