import { performance } from "node:perf_hooks";
import cron, { type Logger as CronLogger, type RunCoordinator, type ScheduledTask } from "node-cron";
import type { ChatPort } from "../app/service.ts";
import type { AppContext } from "../app.ts";
import type { Workspace } from "../core/types.ts";
import type { Logger } from "../log.ts";
import { slotAt } from "./cadence.ts";
import { JobRunCoordinator, type RunOutcome } from "./coordinator.ts";
import {
  DEFAULT_JOBS,
  type JobDefinition,
  type JobResult,
  nudgeSweepJob,
  reportMissedDigests,
} from "./jobs.ts";
import { type JobQueue, MemoryQueue } from "./queue.ts";

export { formatJobs, listJobs } from "./status.ts";

// Scheduled jobs, exactly once across replicas.
//
// node-cron arms the timers (UTC cron expressions) with `distributed: true`; its run coordinator
// is our JobRunCoordinator, so before any replica runs a fire time it must insert the JobRun row
// for (task, fire time). node-cron derives the fire time from the cron slot, not from "now", so
// replicas whose clocks differ by a little still name the same slot and race for the same row.
// The task body then runs the job through the core service and records outcome and duration.
//
// Jobs with a fan-out (the digest, the nudge sweep: one unit of work per workspace) don't do that
// work in the claiming replica: the slot enqueues one job per workspace on the queue (queue.ts;
// pg-boss on PostgreSQL), every replica's workers take them, and the slot waits for its jobs so
// JobRun's outcome and duration still describe the whole run.
//
// The same claim → run → record path is reachable without node-cron through runDue(): start-up
// catch-up uses it (node-cron only fires future slots), and so do tests that drive the app's
// injected clock, which node-cron's real-time timers can't see.

export interface SchedulerOptions {
  /** Arm node-cron timers (default true). Off when something else decides when to call runDue(). */
  timers?: boolean;
  /** On start, run each job's current slot unless some replica already has (default true). */
  catchUp?: boolean;
  /** The jobs to run (default: digest, nudge sweep, follow-ups, housekeeping). */
  jobs?: readonly JobDefinition[];
  /** Cross-replica no-overlap windows per task (default: the nudge sweep, 50 minutes). */
  exclusiveForMs?: Record<string, number>;
  /** The queue fan-out jobs use (default: from JOB_QUEUE; null runs them inline). */
  queue?: JobQueue | null;
}

/** The queue JOB_QUEUE asks for (auto: pg-boss on PostgreSQL, in-process on SQLite), or null for inline. */
export async function openJobQueue(app: AppContext): Promise<JobQueue | null> {
  const c = app.config;
  const log = app.log.child({ component: "queue" });
  const postgres = app.database.provider === "postgresql";
  const kind = c.JOB_QUEUE === "auto" ? (postgres ? "pg-boss" : "memory") : c.JOB_QUEUE;
  const options = { concurrency: c.JOB_CONCURRENCY, retries: 2, retryDelayMs: 30_000 };
  if (kind === "inline") return null;
  if (kind === "memory") return new MemoryQueue(options, log);
  // pg-boss (and its driver) only when used: loading it took ~0.15 s.
  const { PgBossQueue } = await import("./pg-boss-queue.ts");
  return PgBossQueue.start(
    {
      ...options,
      connectionString: c.DATABASE_URL,
      poolSize: c.JOB_QUEUE_POOL,
      // Longer than a job's patience with rate limits (jobs.ts RATE_LIMIT_PATIENCE_MS) plus its work.
      expireInSeconds: 10 * 60,
    },
    log,
  );
}

export interface RunReport {
  task: string;
  fireTime: Date;
  ran: boolean;
  /** Why it didn't run here: another replica has the slot, or an earlier run is still going. */
  skipped?: "taken" | "overlap" | "stopping";
  by?: string | null;
  outcome?: RunOutcome;
  durationMs?: number;
  summary?: Record<string, unknown>;
}

export interface Scheduler {
  stop(): Promise<void>;
  /** Runs each job's slot at app.clock.now(), through the coordinator (so at most once per slot). */
  runDue(names?: readonly string[]): Promise<RunReport[]>;
  /** Resolves when start-up catch-up has finished. */
  ready: Promise<void>;
  coordinator: JobRunCoordinator;
  /** The fan-out queue, or null when fan-out jobs run inline. */
  queue: JobQueue | null;
  jobs: readonly JobDefinition[];
}

const DEFAULT_EXCLUSIVE: Record<string, number> = {
  // Two interleaved sweeps of one workspace could both decide to nudge the same pair before
  // either has written its Nudge row; a sweep is seconds long, so this only bites a stuck one.
  [nudgeSweepJob.name]: 50 * 60_000,
};

export async function startScheduler(
  app: AppContext,
  chatFor: (ws: Workspace) => ChatPort | null,
  options: SchedulerOptions = {},
): Promise<Scheduler> {
  const jobs = options.jobs ?? DEFAULT_JOBS;
  const log = app.log.child({ component: "scheduler" });
  const coordinator = new JobRunCoordinator(app.store, app.instanceId, app.clock, {
    exclusiveForMs: options.exclusiveForMs ?? DEFAULT_EXCLUSIVE,
  });
  const inFlight = new Set<Promise<unknown>>();
  const tasks: ScheduledTask[] = [];
  let stopping = false;
  const queue = options.queue === undefined ? await openJobQueue(app) : options.queue;
  // Every replica works every fan-out queue, whichever of them claims the slots.
  if (queue) {
    for (const job of jobs) {
      const f = job.fanOut;
      if (f)
        await queue.work(
          f.queue,
          (data) => f.handle({ app, chatFor }, data),
          app.config.JOB_CONCURRENCY * (f.workersPerSlot ?? 1),
        );
    }
  }

  /** A slot: fan-out jobs enqueue one job per workspace and wait for them; the others run here. */
  async function runJob(job: JobDefinition, fireTime: Date): Promise<JobResult> {
    const f = job.fanOut;
    const ctx = { app, chatFor, coordinator, fireTime };
    if (!queue || !f) return job.run(ctx);
    const { jobs: work, summary } = await f.plan(ctx);
    const ids = await queue.enqueue(f.queue, work);
    const settled = await queue.settle(f.queue, ids, f.settleMs);
    return f.result({ ...summary, enqueued: work.length, queue: queue.kind }, settled);
  }

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  /** Runs a claimed slot and records the outcome. Never throws: one bad run must not stop the timers. */
  async function execute(
    job: JobDefinition,
    fireTime: Date,
  ): Promise<Omit<RunReport, "task" | "fireTime" | "ran">> {
    const started = performance.now();
    let outcome: RunOutcome = "ok";
    let summary: Record<string, unknown>;
    try {
      const result = await runJob(job, fireTime);
      summary = result.summary;
      if (result.failed) outcome = "error";
    } catch (err) {
      outcome = "error";
      summary = { error: err instanceof Error ? err.message : String(err) };
    }
    const durationMs = Math.round(performance.now() - started);
    try {
      await coordinator.finish(job.name, fireTime, { outcome, durationMs, detail: JSON.stringify(summary) });
    } catch (err) {
      log.error("could not record job outcome", { task: job.name, fireTime: fireTime.toISOString(), err });
    }
    const fields = { task: job.name, fireTime: fireTime.toISOString(), outcome, durationMs, ...summary };
    if (outcome === "ok") log.info("job finished", fields);
    else log.warn("job finished", fields);
    return { outcome, durationMs, summary };
  }

  async function runSlot(job: JobDefinition, fireTime: Date): Promise<RunReport> {
    if (stopping) return { task: job.name, fireTime, ran: false, skipped: "stopping" };
    const claim = await coordinator.claim(job.name, fireTime);
    if (!claim.claimed) {
      log.debug("job slot not ours", {
        task: job.name,
        fireTime: fireTime.toISOString(),
        reason: claim.reason,
        by: claim.by,
      });
      return { task: job.name, fireTime, ran: false, skipped: claim.reason, by: claim.by };
    }
    return { task: job.name, fireTime, ran: true, ...(await execute(job, fireTime)) };
  }

  async function runDue(names?: readonly string[]): Promise<RunReport[]> {
    const reports: RunReport[] = [];
    // One after another: each job is mostly database work, and two cores are plenty busy.
    for (const job of jobs) {
      if (names && !names.includes(job.name)) continue;
      try {
        reports.push(await track(runSlot(job, slotAt(job.cadence, app.clock.now()))));
      } catch (err) {
        // The claim itself failed (database down): nothing ran, nothing recorded; the next slot retries.
        log.error("job claim failed", { task: job.name, err });
      }
    }
    return reports;
  }

  if (options.timers !== false) {
    const logger = cronLogger(log);
    // node-cron claims a slot (shouldRun), runs the body, then calls onComplete. The whole span is
    // tracked so stop() can't return between a claim and its run: that slot would stay unrun.
    const claimed = new Map<string, () => void>();
    const cronCoordinator: RunCoordinator = {
      shouldRun(key, ttlMs) {
        let release: () => void = () => {};
        void track(new Promise<void>((resolve) => (release = resolve)));
        return coordinator.shouldRun(key, ttlMs).then(
          (ok) => {
            if (ok) claimed.set(key, release);
            else release();
            return ok;
          },
          (err: unknown) => {
            release();
            throw err;
          },
        );
      },
      async onComplete(key) {
        try {
          await coordinator.onComplete(key);
        } finally {
          claimed.get(key)?.();
          claimed.delete(key);
        }
      },
    };
    for (const job of jobs) {
      const task = cron.schedule(job.cadence.cron, (ctx) => track(execute(job, ctx.date)), {
        name: job.name,
        timezone: "UTC",
        distributed: true,
        runCoordinator: cronCoordinator,
        noOverlap: true,
        // node-cron drops a slot whose timer fired more than 1 s late (a busy event loop, GC); a
        // late run is still the right run, and the coordinator keeps it to one replica anyway.
        missedExecutionTolerance: 60_000,
        logger,
      });
      task.on("execution:skipped", (ctx) => {
        log.debug("job slot not ours", {
          task: job.name,
          fireTime: ctx.date.toISOString(),
          reason: ctx.reason,
        });
      });
      tasks.push(task);
    }
  }

  const ready =
    options.catchUp === false
      ? Promise.resolve()
      : track(
          (async () => {
            await reportMissedDigests(app);
            await runDue();
          })(),
        ).catch((err: unknown) => log.error("start-up catch-up failed", { err }));

  log.info("scheduler started", {
    instanceId: app.instanceId,
    timers: options.timers !== false,
    jobs: jobs.map((j) => `${j.name} (${j.cadence.cron})`),
  });

  return {
    ready,
    coordinator,
    queue,
    jobs,
    runDue,
    async stop() {
      stopping = true;
      for (const task of tasks) await task.destroy();
      tasks.length = 0;
      // Workers finish their current job; a slot waiting on its jobs stops waiting (what is still
      // queued stays queued for the other replicas, or for the next slot on the in-process queue).
      await queue?.stop();
      // Let runs that already claimed their slot finish and record it; an abandoned claim would
      // leave that slot unrun until the job's next slot.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

function cronLogger(log: Logger): CronLogger {
  const text = (m: string | Error) => (m instanceof Error ? m.message : m);
  return {
    info: (m) => log.info(`node-cron: ${m}`),
    warn: (m) => log.warn(`node-cron: ${m}`),
    error: (m, err) => log.error(`node-cron: ${text(m)}`, { err: err ?? m }),
    debug: (m, err) => log.debug(`node-cron: ${text(m)}`, err ? { err } : undefined),
  };
}
