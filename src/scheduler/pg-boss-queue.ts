import { randomUUID } from "node:crypto";
import PgBoss from "pg-boss";
import type { Logger } from "../log.ts";
import {
  type JobData,
  type JobHandler,
  type JobQueue,
  type QueueJob,
  type QueueOptions,
  type Settled,
  summarize,
} from "./queue.ts";

// The job queue on PostgreSQL: pg-boss 10 (the last major that runs on Node 20; 11+ need 22).
// pg-boss keeps its tables in its own schema ("pgboss"), creates and migrates them itself under an
// advisory lock on start, and hands jobs out with FOR UPDATE SKIP LOCKED, so each job runs on one
// replica at a time; a replica that dies mid-job loses it to expiry, after which another runs it.
//
// Queues use the "short" policy: at most one *waiting* job per key (a re-enqueue of a waiting key
// is a no-op, and we return the waiting job's id), while a running job doesn't block a new one.
// "stately" (one waiting + one running per key) would be closer, but in pg-boss 10 a waiting job
// whose key is running makes every fetch of that queue fail on the unique index until it ends.

const SCHEMA = "pgboss";
const POLL_MS = 250;

export interface PgBossQueueOptions extends QueueOptions {
  connectionString: string;
  /** pg-boss's own connection pool (workers, maintenance, enqueues). */
  poolSize: number;
  /** A running job not finished after this is taken to have died with its process, and retried. */
  expireInSeconds: number;
}

export class PgBossQueue implements JobQueue {
  readonly kind = "pg-boss";
  private readonly created = new Set<string>();
  private closing = false;

  private constructor(
    readonly boss: PgBoss,
    private readonly options: PgBossQueueOptions,
    private readonly log: Logger,
  ) {}

  static async start(options: PgBossQueueOptions, log: Logger): Promise<PgBossQueue> {
    const boss = new PgBoss({
      connectionString: options.connectionString,
      schema: SCHEMA,
      max: options.poolSize,
      application_name: "take-it-offline-queue",
      // Cron scheduling is node-cron's + JobRunCoordinator's job here; pg-boss only moves jobs.
      schedule: false,
      // A sweep job per workspace an hour adds up (20,000 workspaces: 480,000 jobs a day); the slot's
      // JobRun row keeps the summary, so finished jobs go to the archive after an hour and are
      // deleted a day later (pg-boss's defaults: 12 hours and 7 days).
      archiveCompletedAfterSeconds: 3_600,
      deleteAfterDays: 1,
    });
    boss.on("error", (err: unknown) => log.warn("job queue error", { err }));
    const queue = new PgBossQueue(boss, options, log);
    await boss.start();
    return queue;
  }

  /** pg-boss's pool; once stopped, pg-boss answers nothing at all, which is an error here. */
  private async sql<T>(text: string, values: unknown[]): Promise<T[]> {
    const result = (await this.boss.getDb().executeSql(text, values)) as { rows: T[] } | undefined;
    if (!result) throw new Error("the job queue is stopped");
    return result.rows;
  }

  private async ensureQueue(name: string): Promise<void> {
    if (this.created.has(name)) return;
    // createQueue is idempotent, but replicas starting together can deadlock in it (each creates
    // the queue's partition table): the loser of the deadlock tries again and finds the queue.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.boss.createQueue(name, {
          name,
          policy: "short",
          retryLimit: this.options.retries ?? 2,
          retryDelay: Math.ceil((this.options.retryDelayMs ?? 5_000) / 1000),
          expireInSeconds: this.options.expireInSeconds,
        });
        break;
      } catch (err) {
        const code = (err as { code?: unknown }).code;
        // 40P01 deadlock, 23505 / 42P07 the other replica created it first.
        if (attempt >= 5 || !["40P01", "23505", "42P07"].includes(String(code))) throw err;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt + Math.random() * 200));
      }
    }
    this.created.add(name);
  }

  async work(queue: string, handler: JobHandler, workers = this.options.concurrency): Promise<void> {
    await this.ensureQueue(queue);
    // One job per worker: a slow job (a 429 wait) holds only its worker. Each worker polls on its
    // own, so more workers than `concurrency` poll less often: the same idle load on PostgreSQL.
    const pollingIntervalSeconds = 0.5 * Math.max(1, workers / this.options.concurrency);
    for (let i = 0; i < workers; i++) {
      await this.boss.work<JobData>(queue, { batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
        if (!job) return null;
        return handler(job.data);
      });
    }
  }

  async enqueue(queue: string, jobs: readonly QueueJob[]): Promise<string[]> {
    if (jobs.length === 0) return [];
    await this.ensureQueue(queue);
    const mine = jobs.map(() => randomUUID());
    for (let i = 0; i < jobs.length; i += 1000) {
      await this.boss.insert(
        jobs.slice(i, i + 1000).map((j, k) => ({
          id: mine[i + k] as string,
          name: queue,
          data: j.data,
          singletonKey: j.key,
          ...(j.priority ? { priority: j.priority } : {}),
        })),
      );
    }
    // A key already waiting made its insert a no-op (ON CONFLICT DO NOTHING): use the waiting job.
    const found = await this.sql<{ id: string; key: string }>(
      `SELECT j.id::text AS id, j.singleton_key AS key
         FROM ${SCHEMA}.job j
        WHERE j.name = $1 AND j.singleton_key = ANY($2::text[]) AND j.state IN ('created', 'retry')
           OR j.name = $1 AND j.id = ANY($3::uuid[])`,
      [queue, jobs.map((j) => j.key), mine],
    );
    const ids = new Set(found.map((r) => r.id));
    const waitingByKey = new Map(found.map((r) => [r.key, r.id]));
    return jobs.map((j, i) => {
      const own = mine[i] as string;
      return ids.has(own) ? own : (waitingByKey.get(j.key) ?? own);
    });
  }

  async settle(queue: string, ids: readonly string[], timeoutMs: number): Promise<Settled> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.closing) return { outputs: [], failed: 0, pending: ids.length };
      const rows = await this.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state < 'completed'`,
        [queue, ids],
      );
      const open = rows[0]?.n ?? 0;
      // Stopping: the pool is about to close; what is open stays queued for the other replicas.
      if (this.closing) return { outputs: [], failed: 0, pending: open };
      if (open === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    // Finished jobs may already have moved to the archive (after archiveCompletedAfterSeconds).
    const rows = await this.sql<{ state: string; output: unknown }>(
      `SELECT state, output FROM ${SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])
       UNION ALL
       SELECT state, output FROM ${SCHEMA}.archive WHERE name = $1 AND id = ANY($2::uuid[])`,
      [queue, ids],
    );
    return summarize(rows);
  }

  async stop(): Promise<void> {
    this.closing = true;
    // graceful: running jobs finish (up to the timeout) before the pool closes.
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    this.log.debug("job queue stopped");
  }
}
