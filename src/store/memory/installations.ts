import type { InstallationData, InstallationRecord, InstallationRecordStore } from "../../core/ports.ts";
import { copy, type MemoryState } from "./state.ts";

export class MemoryInstallationStore implements InstallationRecordStore {
  constructor(private readonly s: MemoryState) {}

  async saveInstallation(workspaceId: string, data: InstallationData): Promise<void> {
    this.s.installations.set(workspaceId, { workspaceId, ...data, updatedAt: this.s.now() });
  }

  async getInstallation(workspaceId: string): Promise<InstallationRecord | null> {
    const row = this.s.installations.get(workspaceId);
    return row ? copy(row) : null;
  }

  /** The most recently updated installation that matches. */
  private latest(match: (r: InstallationRecord) => boolean): InstallationRecord | null {
    let best: InstallationRecord | null = null;
    for (const r of this.s.installations.values())
      if (match(r) && (!best || r.updatedAt > best.updatedAt)) best = r;
    return best ? copy(best) : null;
  }

  async findTeamInstallation(teamId: string): Promise<InstallationRecord | null> {
    return this.latest((r) => r.teamId === teamId && !r.isEnterpriseInstall);
  }

  async findEnterpriseInstallation(enterpriseId: string): Promise<InstallationRecord | null> {
    return this.latest((r) => r.enterpriseId === enterpriseId && r.isEnterpriseInstall);
  }

  async deleteInstallation(workspaceId: string): Promise<void> {
    this.s.installations.delete(workspaceId);
  }
}
