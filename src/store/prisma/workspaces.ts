import type { WorkspaceInput, WorkspacePatch, WorkspaceStore } from "../../core/ports.ts";
import type { Platform, Workspace } from "../../core/types.ts";
import type { Database, Db } from "../db.ts";
import { toWorkspace } from "../mappers.ts";

/** Workspaces on Prisma. Deleting one removes everything in it. */
export class PrismaWorkspaceStore implements WorkspaceStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async upsertWorkspace(input: WorkspaceInput): Promise<Workspace> {
    const row = await this.db.workspace.upsert({
      where: { platform_externalId: { platform: input.platform, externalId: input.externalId } },
      create: {
        platform: input.platform,
        externalId: input.externalId,
        name: input.name ?? "",
        timezone: input.timezone ?? "UTC",
      },
      update: { uninstalledAt: null, ...(input.name ? { name: input.name } : {}) },
    });
    return toWorkspace(row);
  }

  async getWorkspace(id: string): Promise<Workspace | null> {
    const row = await this.db.workspace.findUnique({ where: { id } });
    return row ? toWorkspace(row) : null;
  }

  async findWorkspace(platform: Platform, externalId: string): Promise<Workspace | null> {
    const row = await this.db.workspace.findUnique({
      where: { platform_externalId: { platform, externalId } },
    });
    return row ? toWorkspace(row) : null;
  }

  async listActiveWorkspaces(): Promise<Workspace[]> {
    const rows = await this.db.workspace.findMany({
      where: { uninstalledAt: null },
      orderBy: { installedAt: "asc" },
    });
    return rows.map(toWorkspace);
  }

  async updateWorkspace(id: string, patch: WorkspacePatch): Promise<Workspace> {
    const { settings, ...rest } = patch;
    const row = await this.db.workspace.update({
      where: { id },
      data: { ...rest, ...(settings ? { settings: JSON.stringify(settings) } : {}) },
    });
    return toWorkspace(row);
  }

  async deleteWorkspace(id: string): Promise<void> {
    // Rows cascade from the workspace; events are keyed loosely, so they go explicitly.
    await this.db.$transaction([
      this.db.processedEvent.deleteMany({ where: { workspaceId: id } }),
      this.db.workspace.deleteMany({ where: { id } }),
    ]);
  }

  async workspaceInstallTimes(ids: string[]): Promise<Map<string, Date>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.workspace.findMany({
      where: { id: { in: ids } },
      select: { id: true, installedAt: true },
    });
    return new Map(rows.map((r) => [r.id, r.installedAt]));
  }
}
