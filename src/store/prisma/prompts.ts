import type { NudgeQuery, PromptStore } from "../../core/ports.ts";
import type { Nudge, NudgeKind, NudgeStatus } from "../../core/types.ts";
import type { Database, Db } from "../db.ts";
import { toNudge } from "../mappers.ts";

/** Prompts (the Nudge model) on Prisma. */
export class PrismaPromptStore implements PromptStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async createNudge(
    workspaceId: string,
    input: { memberId: string; contactId: string; kind: NudgeKind; createdAt?: Date },
  ): Promise<Nudge> {
    return toNudge(await this.db.nudge.create({ data: { workspaceId, ...input, status: "pending" } }));
  }

  async getNudge(workspaceId: string, id: string): Promise<Nudge | null> {
    const row = await this.db.nudge.findFirst({ where: { id, workspaceId } });
    return row ? toNudge(row) : null;
  }

  async listNudges(workspaceId: string, opts: NudgeQuery): Promise<Nudge[]> {
    const rows = await this.db.nudge.findMany({
      where: {
        workspaceId,
        ...(opts.since || opts.before
          ? {
              createdAt: {
                ...(opts.since ? { gte: opts.since } : {}),
                ...(opts.before ? { lt: opts.before } : {}),
              },
            }
          : {}),
        ...(opts.memberId ? { memberId: opts.memberId } : {}),
        ...(opts.status ? { status: { in: opts.status } } : {}),
        ...(opts.kind ? { kind: opts.kind } : {}),
        ...(opts.contactIds ? { contactId: { in: opts.contactIds } } : {}),
      },
      orderBy: { createdAt: "asc" },
    });
    return rows.map(toNudge);
  }

  async transitionNudge(
    workspaceId: string,
    id: string,
    from: NudgeStatus[],
    patch: { status: NudgeStatus; sentAt?: Date; snoozeUntil?: Date | null; messageRef?: string | null },
  ): Promise<Nudge | null> {
    const { count } = await this.db.nudge.updateMany({
      where: { id, workspaceId, status: { in: from } },
      data: patch,
    });
    return count === 1 ? this.getNudge(workspaceId, id) : null;
  }

  async expireNudges(before: Date): Promise<number> {
    const { count } = await this.db.nudge.updateMany({
      where: { status: { in: ["sent"] }, sentAt: { lt: before } },
      data: { status: "expired" },
    });
    return count;
  }
}
