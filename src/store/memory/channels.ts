import type { ChannelRecord, ChannelStore } from "../../core/ports.ts";
import { byDate, type ChannelRow, key, type MemoryState } from "./state.ts";

export class MemoryChannelStore implements ChannelStore {
  constructor(private readonly s: MemoryState) {}

  async saveChannel(workspaceId: string, channelId: string, name: string, ref: string): Promise<void> {
    const row = this.s.channels.get(key(workspaceId, channelId));
    if (row) {
      row.ref = ref;
      if (name) row.name = name;
      return;
    }
    this.s.channels.set(key(workspaceId, channelId), {
      workspaceId,
      channelId,
      name,
      ref,
      createdAt: this.s.now(),
    });
  }

  async getChannel(workspaceId: string, channelId: string): Promise<ChannelRecord | null> {
    const row = this.s.channels.get(key(workspaceId, channelId));
    return row ? record(row) : null;
  }

  async listChannels(workspaceId: string): Promise<ChannelRecord[]> {
    return [...this.s.channels.values()]
      .filter((c) => c.workspaceId === workspaceId)
      .sort(byDate((c) => c.createdAt))
      .map(record);
  }

  async renameChannel(workspaceId: string, channelId: string, name: string): Promise<void> {
    const row = this.s.channels.get(key(workspaceId, channelId));
    if (row) row.name = name;
  }

  async removeChannels(workspaceId: string, channelIds: string[]): Promise<number> {
    let n = 0;
    for (const id of new Set(channelIds)) if (this.s.channels.delete(key(workspaceId, id))) n++;
    return n;
  }
}

function record(row: ChannelRow): ChannelRecord {
  return { channelId: row.channelId, name: row.name, ref: row.ref };
}
