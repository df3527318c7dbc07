import { Worker } from "node:worker_threads";
import type { Detection } from "../core/detect/index.ts";
import type { DetectionInputs } from "../core/tracking.ts";
import type { DetectRequest, DetectResponse } from "./detect-worker.ts";

// A small pool of detection worker threads, for the import and for busy live traffic (see
// detect-offload.ts). Batches go round-robin; results come back in request order per batch. If a
// worker fails, its batches reject and the caller detects inline instead, so a worker problem
// slows things down but never breaks them.

export interface DetectPool {
  detect(texts: string[], inputs: DetectionInputs): Promise<Detection[][]>;
  close(): Promise<void>;
}

/**
 * The worker holds the name model (about 40 MB of heap) and little else: everything else it
 * allocates is garbage within one batch. Without caps V8 lets that garbage pile up long before
 * collecting it (about 40 MB more peak RSS on a 1M-message import). If the model outgrows the cap,
 * the worker dies and the import detects inline instead (slower, never wrong).
 */
const WORKER_HEAP_MB = 128;
const WORKER_YOUNG_MB = 8;

interface Slot {
  worker: Worker;
  sentVersion: number;
  broken: Error | null;
  pending: Map<number, { resolve(r: Detection[][]): void; reject(e: Error): void }>;
}

/**
 * Run from source (tsx, vitest) the worker starts through a shim that registers the TypeScript
 * loader, which worker threads don't inherit; compiled (dist/), it is plain JavaScript.
 */
const WORKER_URL = import.meta.url.endsWith(".ts")
  ? new URL("./detect-worker.mjs", import.meta.url)
  : new URL("./detect-worker.js", import.meta.url);

export function createDetectPool(size: number): DetectPool {
  const slots: Slot[] = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(WORKER_URL, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB },
    });
    const slot: Slot = { worker, sentVersion: -1, broken: null, pending: new Map() };
    const fail = (err: Error) => {
      slot.broken ??= err;
      for (const p of slot.pending.values()) p.reject(err);
      slot.pending.clear();
    };
    worker.on("message", (msg: DetectResponse) => {
      const p = slot.pending.get(msg.id);
      if (!p) return;
      slot.pending.delete(msg.id);
      if ("error" in msg) p.reject(new Error(msg.error));
      else p.resolve(msg.results);
    });
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`detection worker exited with ${code}`)));
    return slot;
  });
  let next = 0;
  let ids = 0;
  return {
    detect(texts, inputs) {
      const slot = slots[next++ % slots.length] as Slot;
      if (slot.broken) return Promise.reject(slot.broken);
      const id = ++ids;
      const req: DetectRequest = { id, texts };
      if (slot.sentVersion !== inputs.version) {
        req.inputs = inputs;
        slot.sentVersion = inputs.version;
      }
      return new Promise<Detection[][]>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage(req);
      });
    },
    async close() {
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
