// The channels the bot is in, per workspace, with the platform's reference to each (Teams keeps
// its ConversationReference JSON here for proactive posts). An app-level port over the store, so
// adapters never hold the store itself.
import type { ChannelStore } from "../core/ports.ts";

export interface ChannelRow {
  channelId: string;
  name: string;
  /** The platform's own reference, opaque here. */
  ref: string | null;
}

export interface Channels {
  save(workspaceId: string, channelId: string, name: string, ref: string): Promise<void>;
  get(workspaceId: string, channelId: string): Promise<ChannelRow | null>;
  /** Oldest first. */
  list(workspaceId: string): Promise<ChannelRow[]>;
  rename(workspaceId: string, channelId: string, name: string): Promise<void>;
  remove(workspaceId: string, channelIds: string[]): Promise<number>;
}

export function channelsOf(store: ChannelStore): Channels {
  return {
    save: (w, c, name, ref) => store.saveChannel(w, c, name, ref),
    get: (w, c) => store.getChannel(w, c),
    list: (w) => store.listChannels(w),
    rename: (w, c, name) => store.renameChannel(w, c, name),
    remove: (w, ids) => store.removeChannels(w, ids),
  };
}
