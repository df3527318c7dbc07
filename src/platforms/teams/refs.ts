// Conversation references: what the bot needs to message a Teams conversation later (proactive
// prompts, the weekly digest). Channels and group chats live in the Channel table (`ref`), a
// member's personal chat in Member.dmRef. Both hold the Bot Framework ConversationReference as
// JSON plus where it came from, so uninstalling can tell a team's channels apart and knows
// whether anyone still has the bot installed personally.
import type { ConversationReference } from "botbuilder";
import { z } from "zod";
import type { Channels } from "../../app/channels.ts";
import type { Member } from "../../core/types.ts";

export type RefSource =
  /** A channel of a team the bot is installed in. */
  | "team"
  /** A group chat the bot was added to. */
  | "chat"
  /** The personal chat of a user who installed the bot for themselves (installationUpdate). */
  | "personal"
  /**
   * Any other personal chat: one the user wrote in, or one the bot opened proactively (allowed
   * through a team installation). It does not keep the workspace installed on its own.
   */
  | "dm";

const account = z.object({ id: z.string().min(1), name: z.string().nullish() });

export const storedRefSchema = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.url(),
  bot: account,
  conversation: z.object({
    id: z.string().min(1),
    conversationType: z.string().nullish(),
    tenantId: z.string().nullish(),
    isGroup: z.boolean().nullish(),
  }),
  user: account.nullish(),
  locale: z.string().nullish(),
  teamId: z.string().nullish(),
  source: z.enum(["team", "chat", "personal", "dm"]),
});
export type StoredRef = z.infer<typeof storedRefSchema>;

export function parseRef(json: string | null | undefined): StoredRef | null {
  if (!json) return null;
  try {
    const parsed = storedRefSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Builds the stored form. `activityId` is left out on purpose: proactive posts start new threads. */
export function makeRef(
  ref: Partial<ConversationReference>,
  extra: { source: RefSource; teamId?: string | null; conversationId?: string },
): StoredRef {
  return storedRefSchema.parse({
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    bot: { id: ref.bot?.id, name: ref.bot?.name ?? null },
    conversation: {
      id: extra.conversationId ?? ref.conversation?.id,
      conversationType: ref.conversation?.conversationType ?? null,
      tenantId: ref.conversation?.tenantId ?? null,
      isGroup: ref.conversation?.isGroup ?? null,
    },
    user: ref.user ? { id: ref.user.id, name: ref.user.name ?? null } : null,
    locale: ref.locale ?? null,
    teamId: extra.teamId ?? null,
    source: extra.source,
  });
}

/** The shape botbuilder's continueConversationAsync expects. */
export function toConversationReference(ref: StoredRef): Partial<ConversationReference> {
  return {
    channelId: ref.channelId,
    serviceUrl: ref.serviceUrl,
    bot: { id: ref.bot.id, name: ref.bot.name ?? "" },
    conversation: {
      id: ref.conversation.id,
      conversationType: ref.conversation.conversationType ?? "",
      tenantId: ref.conversation.tenantId ?? undefined,
      isGroup: ref.conversation.isGroup ?? false,
      name: "",
    },
    ...(ref.user ? { user: { id: ref.user.id, name: ref.user.name ?? "" } } : {}),
    ...(ref.locale ? { locale: ref.locale } : {}),
  };
}

export interface ChannelEntry {
  channelId: string;
  name: string;
  ref: StoredRef | null;
}

/** Channel rows of one workspace, with their references parsed (kept through the app's Channels). */
export class ChannelRefs {
  constructor(private readonly rows: Channels) {}

  async save(workspaceId: string, channelId: string, name: string, ref: StoredRef): Promise<void> {
    await this.rows.save(workspaceId, channelId, name, JSON.stringify(ref));
  }

  async get(workspaceId: string, channelId: string): Promise<ChannelEntry | null> {
    const row = await this.rows.get(workspaceId, channelId);
    return row ? { channelId: row.channelId, name: row.name, ref: parseRef(row.ref) } : null;
  }

  async list(workspaceId: string): Promise<ChannelEntry[]> {
    const rows = await this.rows.list(workspaceId);
    return rows.map((r) => ({ channelId: r.channelId, name: r.name, ref: parseRef(r.ref) }));
  }

  async rename(workspaceId: string, channelId: string, name: string): Promise<void> {
    await this.rows.rename(workspaceId, channelId, name);
  }

  async remove(workspaceId: string, channelIds: string[]): Promise<number> {
    return this.rows.remove(workspaceId, channelIds);
  }

  /** Channels that belong to a team (matched on the team id kept in the reference). */
  async ofTeam(workspaceId: string, teamId: string): Promise<string[]> {
    return (await this.list(workspaceId)).filter((c) => c.ref?.teamId === teamId).map((c) => c.channelId);
  }
}

/** True while some installation remains: a team channel, a group chat, or a personal install. */
export function hasInstallation(channels: ChannelEntry[], members: Member[]): boolean {
  if (channels.some((c) => c.ref?.source === "team" || c.ref?.source === "chat")) return true;
  return members.some((m) => parseRef(m.dmRef)?.source === "personal");
}
