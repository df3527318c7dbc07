import type { DetectionOffload } from "../core/tracking.ts";
import { createDetectPool, type DetectPool } from "./detect-pool.ts";

// Live messages' detection in a worker thread, for servers under load. The name tagger is the
// biggest part of a busy server's CPU time per event; in a worker it runs beside the event loop
// (acks, parsing, database writes) instead of between them. A quiet workspace never needs it, so
// the worker starts only when live batches grow, and costs nothing (no thread, no second copy of
// the name model) until then.

/** A live batch this big means enough traffic for a worker thread to pay for itself. */
const START_AT_BATCH = 8;

export interface LazyDetectOffload extends DetectionOffload {
  /** True once the worker has answered: batches go to it from then on. */
  readonly ready: boolean;
  close(): Promise<void>;
}

export function lazyDetectOffload(onFailure: (err: Error) => void): LazyDetectOffload {
  let pool: DetectPool | null = null;
  let ready = false;
  let failed = false;
  const fail = (err: Error) => {
    if (failed) return;
    // Inline detection from now on: slower under load, never wrong.
    failed = true;
    ready = false;
    onFailure(err);
  };
  return {
    get ready() {
      return ready;
    },
    detect(texts, inputs) {
      if (failed) return null;
      if (ready && pool)
        return pool.detect(texts, inputs).catch((err: Error) => {
          fail(err);
          throw err;
        });
      if (!pool && texts.length >= START_AT_BATCH) {
        pool = createDetectPool(1);
        // Loading the name model takes a moment; batches are detected inline until it answers.
        pool.detect(["Jane Doe"], inputs).then(() => {
          ready = !failed;
        }, fail);
      }
      return null;
    },
    async close() {
      ready = false;
      failed = true;
      await pool?.close();
    },
  };
}
