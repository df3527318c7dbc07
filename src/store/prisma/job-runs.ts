import type { JobRunRow, JobRunStore } from "../../core/ports.ts";
import type { Database, Db } from "../db.ts";
import { isUniqueViolation } from "./common.ts";

const ROW = {
  task: true,
  fireTime: true,
  claimedBy: true,
  claimedAt: true,
  finishedAt: true,
  outcome: true,
  durationMs: true,
  detail: true,
} as const;

/** JobRun rows on Prisma: the unique (task, fireTime) index is what elects a slot's runner. */
export class PrismaJobRunStore implements JobRunStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async insertJobRun(run: {
    task: string;
    fireTime: Date;
    claimedBy: string;
    claimedAt: Date;
  }): Promise<boolean> {
    try {
      await this.db.jobRun.create({ data: run });
      return true;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      return false;
    }
  }

  async jobRunClaimant(task: string, fireTime: Date): Promise<string | null> {
    const row = await this.db.jobRun.findUnique({
      where: { task_fireTime: { task, fireTime } },
      select: { claimedBy: true },
    });
    return row?.claimedBy ?? null;
  }

  async runningJobRun(
    task: string,
    before: Date,
    claimedAfter: Date,
  ): Promise<{ claimedBy: string; fireTime: Date } | null> {
    return this.db.jobRun.findFirst({
      where: { task, fireTime: { lt: before }, finishedAt: null, claimedAt: { gt: claimedAfter } },
      orderBy: { fireTime: "desc" },
      select: { claimedBy: true, fireTime: true },
    });
  }

  async finishJobRun(
    run: { task: string; fireTime: Date; claimedBy: string },
    result: { finishedAt: Date; outcome: string; durationMs?: number; detail: string | null },
    opts: { onlyUnfinished?: boolean } = {},
  ): Promise<void> {
    await this.db.jobRun.updateMany({
      where: { ...run, ...(opts.onlyUnfinished ? { finishedAt: null } : {}) },
      data: result,
    });
  }

  async lastJobRun(task: string): Promise<JobRunRow | null> {
    return this.db.jobRun.findFirst({ where: { task }, orderBy: { fireTime: "desc" }, select: ROW });
  }

  async lastFinishedJobRun(task: string): Promise<JobRunRow | null> {
    return this.db.jobRun.findFirst({
      where: { task, finishedAt: { not: null }, outcome: { not: "skipped" } },
      orderBy: { fireTime: "desc" },
      select: ROW,
    });
  }

  async listJobRuns(task: string, opts: { since?: Date } = {}): Promise<JobRunRow[]> {
    return this.db.jobRun.findMany({
      where: { task, ...(opts.since ? { fireTime: { gte: opts.since } } : {}) },
      orderBy: { fireTime: "asc" },
      select: ROW,
    });
  }

  async pruneJobRuns(before: Date): Promise<number> {
    return (await this.db.jobRun.deleteMany({ where: { fireTime: { lt: before } } })).count;
  }
}
