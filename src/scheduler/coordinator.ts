import type { RunCoordinator } from "node-cron";
import type { Clock, JobRunRow, JobRunStore } from "../core/ports.ts";

// Exactly one replica runs each (task, fire time). The claim is a row in JobRun, unique on
// (task, fireTime): inserting it is the election. Whoever inserts first runs the job; everyone else
// gets a unique violation and skips. This needs nothing but a unique index, so it works the same on
// PostgreSQL and SQLite, survives restarts (the row is the memory), and needs no lock service.
//
// Rows are never expired. node-cron passes a lease TTL to shouldRun() because a Redis-style
// coordinator must forget keys; here forgetting would let a second replica re-run a slot whose
// first run crashed half-way, which is exactly the duplicate we are preventing. A crashed run
// (row claimed, never finished) is simply not retried for that slot: every job is written to pick
// up the missed work on its next slot instead (the digest job re-checks every 5 minutes, sweeps
// and follow-ups look at state, housekeeping is idempotent).

export type RunOutcome = "ok" | "error" | "skipped";

export type { JobRunRow };

export type ClaimResult =
  | { claimed: true }
  | { claimed: false; reason: "taken"; by: string | null }
  | { claimed: false; reason: "overlap"; by: string; since: Date };

const KEY = /^([a-z][a-z0-9-]*):(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)$/;
const DETAIL_MAX = 2000;

/** node-cron's coordination key: `${task name}:${fire time ISO}` (see its Runner.runCoordinated). */
export function runKey(task: string, fireTime: Date): string {
  return `${task}:${fireTime.toISOString()}`;
}

export function parseRunKey(key: string): { task: string; fireTime: Date } | null {
  const m = KEY.exec(key);
  if (!m?.[1] || !m[2]) return null;
  const fireTime = new Date(m[2]);
  return Number.isNaN(fireTime.getTime()) ? null : { task: m[1], fireTime };
}

export interface CoordinatorOptions {
  /**
   * Per task: while an earlier run of the same task, claimed less than this long ago, hasn't
   * finished (on any replica), a newer slot is skipped. node-cron's noOverlap only sees its own
   * process; this is the cross-replica version, for jobs whose runs must not interleave.
   */
  exclusiveForMs?: Record<string, number>;
}

export class JobRunCoordinator implements RunCoordinator {
  constructor(
    private readonly store: JobRunStore,
    readonly instanceId: string,
    private readonly clock: Clock,
    private readonly options: CoordinatorOptions = {},
  ) {}

  /** Claims (task, fireTime) for this instance. Atomic across processes and databases. */
  async claim(task: string, fireTime: Date): Promise<ClaimResult> {
    const now = this.clock.now();
    if (!(await this.store.insertJobRun({ task, fireTime, claimedBy: this.instanceId, claimedAt: now })))
      return { claimed: false, reason: "taken", by: await this.store.jobRunClaimant(task, fireTime) };
    const exclusive = this.options.exclusiveForMs?.[task];
    if (exclusive) {
      // Only earlier slots block later ones, so two claims can never block each other.
      const running = await this.store.runningJobRun(task, fireTime, new Date(now.getTime() - exclusive));
      if (running) {
        await this.finish(task, fireTime, {
          outcome: "skipped",
          durationMs: 0,
          detail: `run of ${running.fireTime.toISOString()} on ${running.claimedBy} still in progress`,
        });
        return { claimed: false, reason: "overlap", by: running.claimedBy, since: running.fireTime };
      }
    }
    return { claimed: true };
  }

  /** Records how the run went. Only the claimant's row for that slot is touched. */
  async finish(
    task: string,
    fireTime: Date,
    result: { outcome: RunOutcome; durationMs: number; detail?: string | null },
  ): Promise<void> {
    await this.store.finishJobRun(
      { task, fireTime, claimedBy: this.instanceId },
      {
        finishedAt: this.clock.now(),
        outcome: result.outcome,
        durationMs: Math.max(0, Math.round(result.durationMs)),
        detail: result.detail ? result.detail.slice(0, DETAIL_MAX) : null,
      },
    );
  }

  // ---- node-cron's RunCoordinator ----

  async shouldRun(key: string, _ttlMs: number): Promise<boolean> {
    const parsed = parseRunKey(key);
    // An unparseable key means a task we didn't name; fail closed like node-cron does on errors.
    if (!parsed) throw new Error(`unexpected coordination key ${key}`);
    return (await this.claim(parsed.task, parsed.fireTime)).claimed;
  }

  async onComplete(key: string): Promise<void> {
    // The task body records the outcome itself (it knows it); this only closes runs whose body
    // could not (e.g. the outcome write failed), so `jobs` doesn't show them as running forever.
    const parsed = parseRunKey(key);
    if (!parsed) return;
    await this.store.finishJobRun(
      { task: parsed.task, fireTime: parsed.fireTime, claimedBy: this.instanceId },
      { finishedAt: this.clock.now(), outcome: "error", detail: "finished without recording an outcome" },
      { onlyUnfinished: true },
    );
  }

  // ---- reading ----

  async lastRun(task: string): Promise<JobRunRow | null> {
    return this.store.lastJobRun(task);
  }

  async lastFinished(task: string): Promise<JobRunRow | null> {
    return this.store.lastFinishedJobRun(task);
  }

  async runs(task: string, opts: { since?: Date } = {}): Promise<JobRunRow[]> {
    return this.store.listJobRuns(task, opts);
  }

  /** Housekeeping: the table would otherwise grow by a few hundred rows a day. */
  async prune(before: Date): Promise<number> {
    return this.store.pruneJobRuns(before);
  }
}
