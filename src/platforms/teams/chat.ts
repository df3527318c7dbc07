// ChatPort for Teams: the core's outbound messages as proactive Adaptive Cards.
import type { LunchChatPort, LunchNotice } from "../../app/ports.ts";
import type { ChatPort, Prompt } from "../../app/service.ts";
import type { DigestView } from "../../core/digest.ts";
import { markupToPlain } from "../../core/format.ts";
import { inviteFileName } from "../../core/invite.ts";
import { digestDoc } from "../../core/messages/digest.ts";
import type { MessageDoc } from "../../core/messages/doc.ts";
import { inviteFileDescription } from "../../core/messages/lunch-form.ts";
import { OUTCOME_TITLES, outcomeDoc, promptDoc } from "../../core/messages/prompt.ts";
import { SendFailure } from "../../core/send-failure.ts";
import type { Member, Workspace } from "../../core/types.ts";
import type { Logger } from "../../log.ts";
import { asDefinite, failureOf, neverConnected, systemCode } from "../send-failures.ts";
import { type AdaptiveCard, digestCard, outcomeCard, promptCard } from "./cards.ts";
import { fileConsentActivity } from "./files.ts";
import { cardActivity, type Proactive } from "./proactive.ts";
import { type ChannelRefs, parseRef, type StoredRef } from "./refs.ts";
import { docCard, docSummary } from "./render-doc.ts";

/** Where a sent message lives, stored as Nudge.messageRef / Digest.messageRef. */
export interface TeamsMessageRef {
  conversationId: string;
  activityId: string;
}

export class TeamsChat implements ChatPort, LunchChatPort {
  constructor(
    /** Where a member's personal chat is remembered (OfflineService.saveDmRef). */
    private readonly members: { saveDmRef(ws: Workspace, member: Member, ref: string | null): Promise<void> },
    private readonly channels: ChannelRefs,
    private readonly proactive: Proactive,
    private readonly log: Logger,
  ) {}

  async sendPrompt(ws: Workspace, member: Member, prompt: Prompt): Promise<string> {
    return this.postToMember(ws, member, promptCard(prompt), promptDoc(prompt).summary);
  }

  /**
   * A card in the member's personal chat, opened first when needed; returns its message reference.
   * Failures are classified for the caller's retry policy (SendFailure).
   */
  private async postToMember(
    ws: Workspace,
    member: Member,
    card: AdaptiveCard,
    summary: string,
  ): Promise<string> {
    let ref: StoredRef;
    try {
      ref = await this.personalChat(ws, member);
    } catch (err) {
      // Opening the chat failed: whatever the error, the card itself was not sent.
      throw asDefinite(classifyTeamsError(err));
    }
    const activityId = await this.proactive.post(ref, cardActivity(card, summary)).catch((err: unknown) => {
      throw classifyTeamsError(err);
    });
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
      throw new SendFailure({
        kind: "definite",
        reason: "channel-unavailable",
        code: "no_conversation_reference",
        message: `No conversation reference for Teams channel ${channel}; is the bot still installed in its team?`,
      });
    const activity = {
      ...cardActivity(digestCard(digest), digestDoc(digest).summary),
      channelData: { takeItOffline: { digestKey: key } },
    };
    const activityId = await this.proactive.post(entry.ref, activity).catch((err: unknown) => {
      throw classifyTeamsError(err);
    });
    return JSON.stringify({ conversationId: channel, activityId } satisfies TeamsMessageRef);
  }

  /**
   * A planned lunch, for one person at the table: attendees get the note, and whoever needs the
   * .ics gets it as a file. A Teams bot can't attach a file to a message (only images go inline;
   * other attachments are refused), so the file goes the way Teams documents for bots in personal
   * chats: a file consent card, and on Allow the bot uploads it to the person's OneDrive
   * (bot.ts, fileConsent/invoke). The organizer already sees the outcome where they planned, so
   * they get only the file, with the note (or why their calendar didn't take the lunch) on it.
   */
  async notifyLunch(ws: Workspace, member: Member, notice: LunchNotice): Promise<void> {
    if (notice.role === "organizer" && !notice.ics) return;
    const ref = await this.personalChat(ws, member);
    if (notice.role === "attendee")
      await this.proactive.post(
        ref,
        cardActivity(
          outcomeCard({ text: notice.text }, OUTCOME_TITLES.lunchPlanned),
          outcomeDoc(notice.text, OUTCOME_TITLES.lunchPlanned).summary,
        ),
      );
    if (!notice.ics) return;
    const about = inviteFileDescription(notice.contactName);
    const description = notice.role === "organizer" ? `${markupToPlain(notice.text)} ${about}` : about;
    await this.proactive.post(
      ref,
      fileConsentActivity(inviteFileName(notice.contactName), notice.ics, description),
    );
  }

  /** A document of its own (the review, a question about a meeting in chat) in the member's personal chat. */
  async sendDoc(ws: Workspace, member: Member, doc: MessageDoc): Promise<string> {
    return this.postToMember(ws, member, docCard(doc), docSummary(doc));
  }

  /** A card for one person, in their personal chat (the digest's Plan lunch form). */
  async sendCard(ws: Workspace, member: Member, card: AdaptiveCard, summary: string): Promise<void> {
    const ref = await this.personalChat(ws, member);
    await this.proactive.post(ref, cardActivity(card, summary));
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
    await this.members.saveDmRef(ws, member, JSON.stringify(ref));
    return ref;
  }
}

// Bot Connector errors → SendFailure (core/send-failure.ts). The connector answers with HTTP
// statuses: 429 throttled (nothing sent), 401/403 the bot was removed or blocked, 404 the
// conversation is gone, 5xx or a dropped connection may follow an accepted message.

function retryAfterMs(headers: unknown): number | undefined {
  const get = (headers as { get?: (name: string) => string | undefined | null } | null)?.get;
  const raw =
    typeof get === "function"
      ? get.call(headers, "retry-after")
      : (headers as Record<string, string> | null)?.["retry-after"];
  const seconds = raw ? Number(raw) : Number.NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

export function classifyTeamsError(err: unknown): SendFailure {
  if (err instanceof SendFailure) return err;
  const e = (err ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    response?: { headers?: unknown; status?: unknown };
    cause?: { code?: unknown };
  };
  const message = typeof e.message === "string" ? e.message : String(err);
  const status =
    typeof e.statusCode === "number"
      ? e.statusCode
      : typeof e.response?.status === "number"
        ? e.response.status
        : 0;
  const sys = typeof e.code === "string" ? e.code : typeof e.cause?.code === "string" ? e.cause.code : "";
  const make = failureOf(err);
  if (status === 429)
    return make("rate-limited", "rate-limited", "http_429", retryAfterMs(e.response?.headers));
  if (status === 401 || status === 403) return make("definite", "app-removed", `http_${status}`);
  if (status === 404) return make("definite", "channel-unavailable", "http_404");
  if (status >= 400 && status < 500) return make("definite", "rejected", `http_${status}`);
  if (status >= 500) return make("ambiguous", "server-error", `http_${status}`);
  if (neverConnected(sys || systemCode(err)))
    return make("definite", "unreachable", sys || "connection_refused");
  if (/timeout|timed out/i.test(message) || sys === "ETIMEDOUT")
    return make("ambiguous", "timeout", "timeout");
  return make("ambiguous", "unknown", sys || "unclassified");
}
