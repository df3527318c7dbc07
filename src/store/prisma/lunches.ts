import type { LunchInput, LunchStore } from "../../core/ports.ts";
import type { Lunch } from "../../core/types.ts";
import type { Database, Db } from "../db.ts";
import { toLunch } from "../mappers.ts";
import { lunchInclude } from "./common.ts";

/** Lunches and their attendees on Prisma. */
export class PrismaLunchStore implements LunchStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async createLunch(workspaceId: string, input: LunchInput): Promise<Lunch> {
    const row = await this.db.lunch.create({
      data: {
        workspaceId,
        contactId: input.contactId,
        organizerId: input.organizerId,
        scheduledFor: input.scheduledFor,
        place: input.place,
        status: input.status,
        followUpAt: input.followUpAt,
        attendees: { create: [...new Set(input.attendeeIds)].map((memberId) => ({ memberId })) },
      },
      include: lunchInclude,
    });
    return toLunch(row);
  }

  async getLunch(workspaceId: string, id: string): Promise<Lunch | null> {
    const row = await this.db.lunch.findFirst({ where: { id, workspaceId }, include: lunchInclude });
    return row ? toLunch(row) : null;
  }

  async saveLunch(workspaceId: string, lunch: Lunch, expectedStatus: Lunch["status"]): Promise<Lunch | null> {
    // Optimistic: only the writer that still sees the expected status wins (double clicks, replicas).
    const { count } = await this.db.lunch.updateMany({
      where: { id: lunch.id, workspaceId, status: expectedStatus },
      data: {
        scheduledFor: lunch.scheduledFor,
        place: lunch.place,
        status: lunch.status,
        followUpAt: lunch.followUpAt,
        followUpSent: lunch.followUpSent,
      },
    });
    if (count !== 1) return null;
    // Attendees only join (a date given later may name more teammates); nobody is removed here.
    const seated = await this.db.lunchAttendee.findMany({
      where: { lunchId: lunch.id },
      select: { memberId: true },
    });
    const added = [...new Set(lunch.attendeeIds)].filter((id) => !seated.some((a) => a.memberId === id));
    if (added.length > 0)
      await this.db.lunchAttendee.createMany({
        data: added.map((memberId) => ({ lunchId: lunch.id, memberId })),
      });
    return this.getLunch(workspaceId, lunch.id);
  }

  async listLunches(
    workspaceId: string,
    opts: { status?: Lunch["status"][]; memberId?: string; from?: Date; to?: Date },
  ): Promise<Lunch[]> {
    const rows = await this.db.lunch.findMany({
      where: {
        workspaceId,
        ...(opts.status ? { status: { in: opts.status } } : {}),
        ...(opts.memberId
          ? { OR: [{ organizerId: opts.memberId }, { attendees: { some: { memberId: opts.memberId } } }] }
          : {}),
        ...(opts.from || opts.to
          ? {
              scheduledFor: { ...(opts.from ? { gte: opts.from } : {}), ...(opts.to ? { lt: opts.to } : {}) },
            }
          : {}),
      },
      include: lunchInclude,
      orderBy: { scheduledFor: "asc" },
    });
    return rows.map(toLunch);
  }

  async dueFollowUps(now: Date): Promise<Lunch[]> {
    const rows = await this.db.lunch.findMany({
      where: {
        status: "scheduled",
        followUpSent: null,
        followUpAt: { lte: now },
        workspace: { uninstalledAt: null },
      },
      include: lunchInclude,
      orderBy: { followUpAt: "asc" },
      take: 500,
    });
    return rows.map(toLunch);
  }
}
