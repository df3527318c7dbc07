import type { CalendarGrantRecord, CalendarGrantStore } from "../../core/ports.ts";
import { copy, type MemoryState, missing } from "./state.ts";

export class MemoryCalendarGrantStore implements CalendarGrantStore {
  constructor(private readonly s: MemoryState) {}

  async saveCalendarGrant(
    workspaceId: string,
    memberId: string,
    grant: { provider: CalendarGrantRecord["provider"]; accountEmail: string | null; dataEnc: string },
  ): Promise<CalendarGrantRecord> {
    const member = this.s.members.get(memberId);
    if (!member || member.workspaceId !== workspaceId) throw missing("member", memberId);
    const old = this.s.calendarGrants.get(memberId);
    const row: CalendarGrantRecord = {
      id: old?.id ?? this.s.newId(),
      workspaceId,
      memberId,
      ...grant,
      updatedAt: this.s.now(),
    };
    this.s.calendarGrants.set(memberId, row);
    return copy(row);
  }

  async getCalendarGrant(workspaceId: string, memberId: string): Promise<CalendarGrantRecord | null> {
    const row = this.s.calendarGrants.get(memberId);
    return row && row.workspaceId === workspaceId ? copy(row) : null;
  }

  async updateCalendarGrantData(workspaceId: string, id: string, dataEnc: string): Promise<boolean> {
    for (const row of this.s.calendarGrants.values())
      if (row.id === id && row.workspaceId === workspaceId) {
        row.dataEnc = dataEnc;
        row.updatedAt = this.s.now();
        return true;
      }
    return false;
  }

  async deleteCalendarGrant(workspaceId: string, memberId: string, id?: string): Promise<boolean> {
    const row = this.s.calendarGrants.get(memberId);
    if (!row || row.workspaceId !== workspaceId || (id && row.id !== id)) return false;
    this.s.calendarGrants.delete(memberId);
    return true;
  }

  async listCalendarGrants(workspaceId: string): Promise<CalendarGrantRecord[]> {
    return [...this.s.calendarGrants.values()]
      .filter((r) => r.workspaceId === workspaceId)
      .map((r) => copy(r));
  }

  async countCalendarGrants(workspaceId?: string): Promise<number> {
    let n = 0;
    for (const row of this.s.calendarGrants.values())
      if (!workspaceId || row.workspaceId === workspaceId) n++;
    return n;
  }
}
