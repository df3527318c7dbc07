import type { CalendarGrantRecord, CalendarGrantStore } from "../../core/ports.ts";
import type { Database, Db } from "../db.ts";

const RECORD = {
  id: true,
  workspaceId: true,
  memberId: true,
  provider: true,
  accountEmail: true,
  dataEnc: true,
  updatedAt: true,
} as const;

type Row = Omit<CalendarGrantRecord, "provider"> & { provider: string };

function toRecord(row: Row): CalendarGrantRecord {
  return { ...row, provider: row.provider === "microsoft" ? "microsoft" : "google" };
}

/** Connected calendars on Prisma (tokens sealed by the caller; see store/crypto.ts). */
export class PrismaCalendarGrantStore implements CalendarGrantStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async saveCalendarGrant(
    workspaceId: string,
    memberId: string,
    grant: { provider: CalendarGrantRecord["provider"]; accountEmail: string | null; dataEnc: string },
  ): Promise<CalendarGrantRecord> {
    // memberId is unique across workspaces; the workspace check keeps a forged id from landing
    // on another workspace's member.
    const member = await this.db.member.findFirst({
      where: { id: memberId, workspaceId },
      select: { id: true },
    });
    if (!member) throw new Error("no such member in this workspace");
    const row = await this.db.calendarGrant.upsert({
      where: { memberId },
      create: { workspaceId, memberId, ...grant },
      update: grant,
      select: RECORD,
    });
    return toRecord(row);
  }

  async getCalendarGrant(workspaceId: string, memberId: string): Promise<CalendarGrantRecord | null> {
    const row = await this.db.calendarGrant.findFirst({ where: { workspaceId, memberId }, select: RECORD });
    return row ? toRecord(row) : null;
  }

  async updateCalendarGrantData(workspaceId: string, id: string, dataEnc: string): Promise<boolean> {
    const res = await this.db.calendarGrant.updateMany({ where: { workspaceId, id }, data: { dataEnc } });
    return res.count > 0;
  }

  async deleteCalendarGrant(workspaceId: string, memberId: string, id?: string): Promise<boolean> {
    const res = await this.db.calendarGrant.deleteMany({
      where: { workspaceId, memberId, ...(id ? { id } : {}) },
    });
    return res.count > 0;
  }

  async listCalendarGrants(workspaceId: string): Promise<CalendarGrantRecord[]> {
    const rows = await this.db.calendarGrant.findMany({ where: { workspaceId }, select: RECORD });
    return rows.map(toRecord);
  }

  async countCalendarGrants(workspaceId?: string): Promise<number> {
    return workspaceId
      ? this.db.calendarGrant.count({ where: { workspaceId } })
      : this.db.calendarGrant.count();
  }
}
