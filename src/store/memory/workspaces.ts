import type { WorkspaceInput, WorkspacePatch, WorkspaceStore } from "../../core/ports.ts";
import type { Platform, Workspace } from "../../core/types.ts";
import { toWorkspace } from "../mappers.ts";
import { assign, byDate, copy, type MemoryState, notFound, type StoredWorkspace } from "./state.ts";

export class MemoryWorkspaceStore implements WorkspaceStore {
  constructor(private readonly s: MemoryState) {}

  private find(platform: string, externalId: string): StoredWorkspace | undefined {
    for (const w of this.s.workspaces.values())
      if (w.platform === platform && w.externalId === externalId) return w;
    return undefined;
  }

  async upsertWorkspace(input: WorkspaceInput): Promise<Workspace> {
    const existing = this.find(input.platform, input.externalId);
    if (existing) {
      existing.uninstalledAt = null;
      if (input.name) existing.name = input.name;
      return toWorkspace(copy(existing));
    }
    const row: StoredWorkspace = {
      id: this.s.newId(),
      platform: input.platform,
      externalId: input.externalId,
      name: input.name ?? "",
      timezone: input.timezone ?? "UTC",
      digestChannel: null,
      digestDay: 1,
      digestHour: 9,
      settings: "{}",
      installedAt: this.s.now(),
      uninstalledAt: null,
    };
    this.s.workspaces.set(row.id, row);
    return toWorkspace(copy(row));
  }

  async getWorkspace(id: string): Promise<Workspace | null> {
    const row = this.s.workspaces.get(id);
    return row ? toWorkspace(copy(row)) : null;
  }

  async findWorkspace(platform: Platform, externalId: string): Promise<Workspace | null> {
    const row = this.find(platform, externalId);
    return row ? toWorkspace(copy(row)) : null;
  }

  async listActiveWorkspaces(): Promise<Workspace[]> {
    return [...this.s.workspaces.values()]
      .filter((w) => w.uninstalledAt === null)
      .sort(byDate((w) => w.installedAt))
      .map((w) => toWorkspace(copy(w)));
  }

  async updateWorkspace(id: string, patch: WorkspacePatch): Promise<Workspace> {
    const row = this.s.workspaces.get(id);
    if (!row) throw notFound("workspace", id);
    const { settings, ...rest } = patch;
    assign(row, rest);
    if (settings) row.settings = JSON.stringify(settings);
    return toWorkspace(copy(row));
  }

  async deleteWorkspace(id: string): Promise<void> {
    // What the database's ON DELETE CASCADE does, plus the loosely keyed events.
    const s = this.s;
    s.workspaces.delete(id);
    const tables = [
      s.members,
      s.contacts,
      s.aliases,
      s.mentions,
      s.nudges,
      s.lunches,
      s.meetings,
      s.noticed,
      s.digests,
      s.signInTokens,
      s.events,
      s.channels,
      s.installations,
      s.calendarGrants,
      s.reviews,
    ] as const;
    for (const table of tables)
      for (const [k, row] of table as Map<string, { workspaceId: string | null }>)
        if (row.workspaceId === id) table.delete(k);
  }

  async workspaceInstallTimes(ids: string[]): Promise<Map<string, Date>> {
    const out = new Map<string, Date>();
    for (const id of ids) {
      const row = this.s.workspaces.get(id);
      if (row) out.set(id, new Date(row.installedAt));
    }
    return out;
  }
}
