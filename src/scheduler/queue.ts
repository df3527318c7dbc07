import { randomUUID } from "node:crypto";
import type { Logger } from "../log.ts";

// The fan-out of scheduled jobs: one queued job per workspace, worked by every replica.
//
// A scheduled slot (claimed once across replicas by JobRunCoordinator) no longer does thousands of
// rate-limited sends itself: it enqueues one job per workspace and waits for them, while workers on
// every replica take jobs from the queue. The queue is pg-boss on PostgreSQL (pg-boss-queue.ts)
// and this in-process one on SQLite, where there is one process anyway.
//
// Duplicates are harmless by construction (the Digest row's unique (workspace, week) claim and the
// Nudge rows decide what is sent), so a key only keeps the queue from holding the same work twice:
// enqueueing a key that is still waiting returns the waiting job instead of adding one.

/** A job's payload. JSON only: pg-boss stores it as jsonb. */
export type JobData = Record<string, string | number | boolean | null>;
/** What a job's handler returns; the slot's summary is built from these. */
export type JobOutput = Record<string, unknown>;

export interface QueueJob {
  /** Deduplication key: at most one job per key waits in a queue. */
  key: string;
  data: JobData;
  /** Higher starts first (default 0). */
  priority?: number;
}

export type JobHandler = (data: JobData) => Promise<JobOutput>;

export interface Settled {
  /** Outputs of the jobs that completed, in no particular order. */
  outputs: JobOutput[];
  /** Jobs whose handler threw on every attempt. */
  failed: number;
  /** Jobs still queued or running when the wait ended. */
  pending: number;
}

export interface JobQueue {
  readonly kind: "pg-boss" | "memory";
  /** Starts `workers` (default: `concurrency`) workers for `queue` in this process. */
  work(queue: string, handler: JobHandler, workers?: number): Promise<void>;
  /** Enqueues the jobs; returns, per job, the id of the job that will do it (its own, or one already waiting with its key). */
  enqueue(queue: string, jobs: readonly QueueJob[]): Promise<string[]>;
  /** Waits until every job in `ids` has finished (completed or failed for good), at most `timeoutMs`. */
  settle(queue: string, ids: readonly string[], timeoutMs: number): Promise<Settled>;
  /** Stops taking jobs and lets running ones finish. */
  stop(): Promise<void>;
}

export interface QueueOptions {
  /** Jobs one process runs at once, per queue. */
  concurrency: number;
  /** Attempts after a handler threw (the handlers catch what they expect: this is for the rest). */
  retries?: number;
  retryDelayMs?: number;
}

interface MemoryJob {
  id: string;
  queue: string;
  key: string;
  data: JobData;
  priority: number;
  state: "created" | "active" | "completed" | "failed";
  attempts: number;
  output?: JobOutput;
  done: Promise<void>;
  finish: () => void;
}

/** The in-process queue (SQLite, or JOB_QUEUE=memory): same contract, nothing shared between processes. */
export class MemoryQueue implements JobQueue {
  readonly kind = "memory";
  private readonly jobs = new Map<string, MemoryJob>();
  private readonly waiting = new Map<string, MemoryJob[]>();
  private readonly handlers = new Map<string, JobHandler>();
  private readonly workers = new Map<string, number>();
  private readonly running = new Map<string, number>();
  private readonly active = new Set<Promise<void>>();
  private stopped = false;
  private stopSignal: () => void = () => {};
  private readonly stopping = new Promise<void>((resolve) => (this.stopSignal = resolve));

  constructor(
    private readonly options: QueueOptions,
    private readonly log: Logger,
  ) {}

  async work(queue: string, handler: JobHandler, workers?: number): Promise<void> {
    this.handlers.set(queue, handler);
    this.workers.set(queue, workers ?? this.options.concurrency);
    this.pump(queue);
  }

  async enqueue(queue: string, jobs: readonly QueueJob[]): Promise<string[]> {
    const list = this.waiting.get(queue) ?? [];
    this.waiting.set(queue, list);
    const ids = jobs.map((j) => {
      const queued = list.find((w) => w.key === j.key);
      if (queued) return queued.id;
      let finish: () => void = () => {};
      const done = new Promise<void>((resolve) => (finish = resolve));
      const job: MemoryJob = {
        id: randomUUID(),
        queue,
        key: j.key,
        data: j.data,
        priority: j.priority ?? 0,
        state: "created",
        attempts: 0,
        done,
        finish,
      };
      this.jobs.set(job.id, job);
      // After every waiting job of its priority or higher, as pg-boss hands them out.
      const at = list.findIndex((w) => w.priority < job.priority);
      if (at < 0) list.push(job);
      else list.splice(at, 0, job);
      return job.id;
    });
    this.pump(queue);
    return ids;
  }

  async settle(_queue: string, ids: readonly string[], timeoutMs: number): Promise<Settled> {
    const jobs = ids.map((id) => this.jobs.get(id)).filter((j): j is MemoryJob => j !== undefined);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(jobs.map((j) => j.done)),
      this.stopping,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    const settled = summarize(jobs.map((j) => ({ state: j.state, output: j.output ?? null })));
    // Finished jobs are forgotten once someone has read them; the map would otherwise only grow.
    for (const j of jobs) if (j.state === "completed" || j.state === "failed") this.jobs.delete(j.id);
    return settled;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopSignal();
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  private pump(queue: string): void {
    const handler = this.handlers.get(queue);
    const list = this.waiting.get(queue);
    if (!handler || !list) return;
    const workers = this.workers.get(queue) ?? this.options.concurrency;
    while (!this.stopped && list.length > 0 && (this.running.get(queue) ?? 0) < workers) {
      const job = list.shift() as MemoryJob;
      this.running.set(queue, (this.running.get(queue) ?? 0) + 1);
      const run = this.run(job, handler).finally(() => {
        this.running.set(queue, (this.running.get(queue) ?? 1) - 1);
        this.active.delete(run);
        this.pump(queue);
      });
      this.active.add(run);
    }
  }

  private async run(job: MemoryJob, handler: JobHandler): Promise<void> {
    job.state = "active";
    const retries = this.options.retries ?? 2;
    for (;;) {
      job.attempts++;
      try {
        job.output = await handler(job.data);
        job.state = "completed";
        break;
      } catch (err) {
        this.log.warn("queued job failed", { queue: job.queue, key: job.key, attempt: job.attempts, err });
        if (job.attempts > retries || this.stopped) {
          job.state = "failed";
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 5_000));
      }
    }
    job.finish();
  }
}

export function summarize(rows: ReadonlyArray<{ state: string; output: unknown }>): Settled {
  const outputs: JobOutput[] = [];
  let failed = 0;
  let pending = 0;
  for (const r of rows) {
    if (r.state === "completed") {
      if (r.output && typeof r.output === "object") outputs.push(r.output as JobOutput);
    } else if (r.state === "failed" || r.state === "cancelled") failed++;
    else pending++;
  }
  return { outputs, failed, pending };
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
