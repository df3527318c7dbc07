import type { ChannelRecord, ChannelStore } from "../../core/ports.ts";
import type { Database, Db } from "../db.ts";

/** Channel rows of one workspace on Prisma (Teams keeps its conversation references in `ref`). */
export class PrismaChannelStore implements ChannelStore {
  private readonly db: Db;

  constructor(database: Database) {
    this.db = database.db;
  }

  async saveChannel(workspaceId: string, channelId: string, name: string, ref: string): Promise<void> {
    await this.db.channel.upsert({
      where: { workspaceId_platformChannelId: { workspaceId, platformChannelId: channelId } },
      create: { workspaceId, platformChannelId: channelId, name, ref },
      update: { ref, ...(name ? { name } : {}) },
    });
  }

  async getChannel(workspaceId: string, channelId: string): Promise<ChannelRecord | null> {
    const row = await this.db.channel.findUnique({
      where: { workspaceId_platformChannelId: { workspaceId, platformChannelId: channelId } },
    });
    return row ? { channelId: row.platformChannelId, name: row.name, ref: row.ref } : null;
  }

  async listChannels(workspaceId: string): Promise<ChannelRecord[]> {
    const rows = await this.db.channel.findMany({ where: { workspaceId }, orderBy: { createdAt: "asc" } });
    return rows.map((r) => ({ channelId: r.platformChannelId, name: r.name, ref: r.ref }));
  }

  async renameChannel(workspaceId: string, channelId: string, name: string): Promise<void> {
    await this.db.channel.updateMany({
      where: { workspaceId, platformChannelId: channelId },
      data: { name },
    });
  }

  async removeChannels(workspaceId: string, channelIds: string[]): Promise<number> {
    if (channelIds.length === 0) return 0;
    const { count } = await this.db.channel.deleteMany({
      where: { workspaceId, platformChannelId: { in: channelIds } },
    });
    return count;
  }
}
