// ChatPort for Teams: the core's outbound messages as proactive Adaptive Cards.
import type { LunchChatPort, LunchNotice } from "../../app/ports.ts";
import type { DigestView } from "../../core/digest.ts";
import type { Store } from "../../core/ports.ts";
import type { ChatPort, Prompt } from "../../core/service.ts";
import type { Member, Workspace } from "../../core/types.ts";
import type { Logger } from "../../log.ts";
import { digestCard, outcomeCard, promptCard } from "./cards.ts";
import { cardActivity, type Proactive } from "./proactive.ts";
import { type ChannelRefs, parseRef, type StoredRef } from "./refs.ts";

/** Where a sent message lives, stored as Nudge.messageRef / Digest.messageRef. */
export interface TeamsMessageRef {
  conversationId: string;
  activityId: string;
}

function promptSummary(prompt: Prompt): string {
  switch (prompt.kind) {
    case "lunch":
      return `Take it offline with ${prompt.contactName}?`;
    case "candidate":
      return prompt.question;
    case "follow-up":
      return `Did your lunch with ${prompt.contactName} happen?`;
  }
}

export class TeamsChat implements ChatPort, LunchChatPort {
  constructor(
    private readonly store: Store,
    private readonly channels: ChannelRefs,
    private readonly proactive: Proactive,
    private readonly log: Logger,
  ) {}

  async sendPrompt(ws: Workspace, member: Member, prompt: Prompt): Promise<string> {
    const ref = await this.personalChat(ws, member);
    const activityId = await this.proactive.post(
      ref,
      cardActivity(promptCard(prompt), promptSummary(prompt)),
    );
    return JSON.stringify({ conversationId: ref.conversation.id, activityId } satisfies TeamsMessageRef);
  }

  /**
   * `channel` is a Teams channel (or group chat) id; its reference was stored when the bot was
   * installed there. The digest key rides along in channelData for whoever inspects the message.
   *
   * There is no findDigestPost: the Bot Connector cannot list a channel's messages (that needs
   * Microsoft Graph and tenant consent). So a crash between posting and recording can't be checked:
   * the core settles that week as "unconfirmed" and never posts it again (at most once, never twice).
   */
  async postDigest(ws: Workspace, channel: string, digest: DigestView, key: string): Promise<string> {
    const entry = await this.channels.get(ws.id, channel);
    if (!entry?.ref)
      throw new Error(
        `No conversation reference for Teams channel ${channel}; is the bot still installed in its team?`,
      );
    const activity = {
      ...cardActivity(digestCard(digest), digest.title),
      channelData: { takeItOffline: { digestKey: key } },
    };
    const activityId = await this.proactive.post(entry.ref, activity);
    return JSON.stringify({ conversationId: channel, activityId } satisfies TeamsMessageRef);
  }

  /**
   * A planned lunch, for one person at the table. Teams can't attach an .ics from a bot message, so
   * the organizer (who sees the outcome where they planned it) gets nothing more; attendees a note.
   */
  async notifyLunch(ws: Workspace, member: Member, notice: LunchNotice): Promise<void> {
    if (notice.role === "organizer") return;
    const ref = await this.personalChat(ws, member);
    await this.proactive.post(
      ref,
      cardActivity(outcomeCard({ text: notice.text }, "Lunch planned"), notice.text),
    );
  }

  /** The member's personal chat: stored, or opened through a team the bot is installed in. */
  private async personalChat(ws: Workspace, member: Member): Promise<StoredRef> {
    const stored = parseRef(member.dmRef);
    if (stored) return stored;
    const via = (await this.channels.list(ws.id)).find((c) => c.ref?.source === "team")?.ref;
    if (!via) {
      this.log.warn("teams prompt skipped: no personal chat and no team installation to open one from", {
        workspaceId: ws.id,
        memberId: member.id,
      });
      throw new Error(`no conversation with ${member.platformUserId}`);
    }
    const ref = await this.proactive.openPersonalChat(via, ws.externalId, {
      id: member.platformUserId,
      name: member.displayName || member.realName,
    });
    await this.store.updateMember(ws.id, member.id, { dmRef: JSON.stringify(ref) });
    return ref;
  }
}
