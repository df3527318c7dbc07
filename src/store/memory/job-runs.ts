import type { JobRunRow, JobRunStore } from "../../core/ports.ts";
import { byDate, copy, key, type MemoryState } from "./state.ts";

/** JobRun rows in memory; the map's key is the (task, fireTime) unique index. */
export class MemoryJobRunStore implements JobRunStore {
  constructor(private readonly s: MemoryState) {}

  async insertJobRun(run: {
    task: string;
    fireTime: Date;
    claimedBy: string;
    claimedAt: Date;
  }): Promise<boolean> {
    const k = key(run.task, run.fireTime.getTime());
    if (this.s.jobRuns.has(k)) return false;
    this.s.jobRuns.set(k, {
      ...copy(run),
      finishedAt: null,
      outcome: null,
      durationMs: null,
      detail: null,
    });
    return true;
  }

  async jobRunClaimant(task: string, fireTime: Date): Promise<string | null> {
    return this.s.jobRuns.get(key(task, fireTime.getTime()))?.claimedBy ?? null;
  }

  private ofTask(task: string): JobRunRow[] {
    return [...this.s.jobRuns.values()].filter((r) => r.task === task).sort(byDate((r) => r.fireTime));
  }

  async runningJobRun(
    task: string,
    before: Date,
    claimedAfter: Date,
  ): Promise<{ claimedBy: string; fireTime: Date } | null> {
    const row = this.ofTask(task)
      .filter((r) => r.fireTime < before && r.finishedAt === null && r.claimedAt > claimedAfter)
      .at(-1);
    return row ? { claimedBy: row.claimedBy, fireTime: new Date(row.fireTime) } : null;
  }

  async finishJobRun(
    run: { task: string; fireTime: Date; claimedBy: string },
    result: { finishedAt: Date; outcome: string; durationMs?: number; detail: string | null },
    opts: { onlyUnfinished?: boolean } = {},
  ): Promise<void> {
    const row = this.s.jobRuns.get(key(run.task, run.fireTime.getTime()));
    if (!row || row.claimedBy !== run.claimedBy || (opts.onlyUnfinished && row.finishedAt !== null)) return;
    row.finishedAt = new Date(result.finishedAt);
    row.outcome = result.outcome;
    if (result.durationMs !== undefined) row.durationMs = result.durationMs;
    row.detail = result.detail;
  }

  async lastJobRun(task: string): Promise<JobRunRow | null> {
    const row = this.ofTask(task).at(-1);
    return row ? copy(row) : null;
  }

  async lastFinishedJobRun(task: string): Promise<JobRunRow | null> {
    const row = this.ofTask(task)
      .filter((r) => r.finishedAt !== null && r.outcome !== null && r.outcome !== "skipped")
      .at(-1);
    return row ? copy(row) : null;
  }

  async listJobRuns(task: string, opts: { since?: Date } = {}): Promise<JobRunRow[]> {
    const { since } = opts;
    return this.ofTask(task)
      .filter((r) => !since || r.fireTime >= since)
      .map(copy);
  }

  async pruneJobRuns(before: Date): Promise<number> {
    let n = 0;
    for (const [k, r] of this.s.jobRuns)
      if (r.fireTime < before) {
        this.s.jobRuns.delete(k);
        n++;
      }
    return n;
  }
}
