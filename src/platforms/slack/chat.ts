import type { webApi } from "@slack/bolt";
import { z } from "zod";
import type { LunchChatPort, LunchNotice } from "../../app/ports.ts";
import type { ChatPort, Prompt } from "../../app/service.ts";
import type { DigestView } from "../../core/digest.ts";
import { inviteFileName } from "../../core/invite.ts";
import type { MessageDoc } from "../../core/messages/doc.ts";
import { OUTCOME_TITLES } from "../../core/messages/prompt.ts";
import type { Member, Workspace } from "../../core/types.ts";
import { DIGEST_METADATA_EVENT } from "./ids.ts";
import { digestBlocks } from "./render/digest.ts";
import { docMessage } from "./render/doc.ts";
import { escapeMrkdwn } from "./render/mrkdwn.ts";
import { outcomeMessage, promptMessage, type SlackMessage } from "./render/prompt.ts";
import type { SlackRuntime } from "./runtime.ts";
import { beforeSend, classifySlackError } from "./send-errors.ts";
import { isSlackError } from "./users.ts";

// The outbound side: DMs (prompts, confirmations, .ics invites) and the digest post. Message
// references are "channel:ts", which is all chat.update needs later. What the core calls (prompts,
// the digest) fails with a SendFailure (send-errors.ts), never with a raw Slack error.

export function messageRef(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

/** Direct-message channel ids start with D (public C…, private/group G…). */
function isDmChannel(channel: string): boolean {
  return /^D[A-Z0-9]+$/.test(channel);
}

export function parseMessageRef(ref: string | null | undefined): { channel: string; ts: string } | null {
  const m = /^([A-Z0-9]+):(\d+\.\d+)$/.exec(ref ?? "");
  return m ? { channel: m[1]!, ts: m[2]! } : null;
}

const historySchema = z.object({
  messages: z
    .array(
      z
        .object({
          ts: z.string(),
          metadata: z
            .object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() })
            .loose()
            .optional(),
        })
        .loose(),
    )
    .default([]),
});

export class SlackChat implements ChatPort, LunchChatPort {
  constructor(private readonly rt: SlackRuntime) {}

  async sendPrompt(ws: Workspace, member: Member, prompt: Prompt): Promise<string> {
    const client = await beforeSend(() => this.rt.clientFor(ws, true));
    return this.dm(ws, member, promptMessage(prompt), client);
  }

  /** A document of its own in the member's DM (the review, a question about a meeting mentioned in chat). */
  async sendDoc(ws: Workspace, member: Member, doc: MessageDoc): Promise<string> {
    const client = await beforeSend(() => this.rt.clientFor(ws, true));
    return this.dm(ws, member, docMessage(doc), client);
  }

  /**
   * Posts to the member's DM with the bot. Without a remembered DM it posts to the user id, which
   * Slack delivers into the app's DM (the Messages tab) without a conversations.open (Tier 3, about
   * 50 a minute per workspace: the first sweep after an install would wait on it for minutes), and
   * the answer names the DM's channel, which is remembered for the next time.
   */
  async dm(ws: Workspace, member: Member, message: SlackMessage, client?: webApi.WebClient): Promise<string> {
    const c = client ?? (await beforeSend(() => this.rt.clientFor(ws)));
    const remembered = member.dmRef;
    const post = (channel: string) =>
      c.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
    let res: webApi.ChatPostMessageResponse;
    try {
      res = await this.toDm(member, post, async () => member.platformUserId);
    } catch (err) {
      throw classifySlackError(err);
    }
    if (!res.ts) throw classifySlackError(new Error("chat.postMessage returned no ts"));
    const channel = res.channel ?? remembered;
    if (!channel) throw classifySlackError(new Error("chat.postMessage returned no channel"));
    // Posted already: a failure to remember the DM must not turn the sent prompt into a failed one.
    if (isDmChannel(channel) && channel !== member.dmRef) await this.rememberDm(ws, member, channel);
    return messageRef(channel, res.ts);
  }

  /** The member's DM channel id, opening it when it isn't known (an upload needs the D… id up front). */
  async openDm(client: webApi.WebClient, ws: Workspace, member: Member): Promise<string> {
    const res = await client.conversations.open({ users: member.platformUserId });
    const channel = res.channel?.id;
    if (!channel) throw new Error("conversations.open returned no channel");
    if (member.dmRef !== channel) await this.rememberDm(ws, member, channel);
    return channel;
  }

  /**
   * `send` into the member's remembered DM; into `fresh()` when none is remembered, or once more when
   * Slack no longer knows the remembered one (the user was deactivated and came back).
   */
  private async toDm<T>(
    member: Member,
    send: (channel: string) => Promise<T>,
    fresh: () => Promise<string>,
  ): Promise<T> {
    const remembered = member.dmRef;
    if (!remembered) return send(await fresh());
    try {
      return await send(remembered);
    } catch (err) {
      if (!isSlackError(err, "channel_not_found")) throw err;
      return send(await fresh());
    }
  }

  private async rememberDm(ws: Workspace, member: Member, channel: string): Promise<void> {
    try {
      await this.rt.service.saveDmRef(ws, member, channel);
      member.dmRef = channel;
    } catch (err) {
      this.rt.log.warn("dm channel not remembered", { workspaceId: ws.id, memberId: member.id, err });
    }
  }

  /**
   * Replaces a message (an answered prompt) with the outcome, without buttons; or with `doc` when
   * the answer is more than text (a question first, an outcome with Undo, the prompt again).
   */
  async replace(
    client: webApi.WebClient,
    ref: { channel: string; ts: string },
    text: string,
    title?: string,
    doc?: MessageDoc,
  ): Promise<void> {
    const msg = doc ? docMessage(doc) : outcomeMessage(text, title);
    await client.chat.update({ channel: ref.channel, ts: ref.ts, text: msg.text, blocks: msg.blocks });
  }

  /** A planned lunch, for one person at the table: the .ics invite with the note, or the note alone. */
  async notifyLunch(ws: Workspace, member: Member, notice: LunchNotice): Promise<void> {
    if (notice.ics) await this.sendInvite(ws, member, notice.ics, notice.contactName, notice.text);
    else await this.dm(ws, member, outcomeMessage(notice.text, OUTCOME_TITLES.lunchPlanned));
  }

  /** Uploads a lunch's .ics invite into the member's DM. */
  async sendInvite(
    ws: Workspace,
    member: Member,
    ics: string,
    contactName: string,
    comment: string,
    client?: webApi.WebClient,
  ): Promise<void> {
    const c = client ?? (await this.rt.clientFor(ws));
    const upload = (channel: string) =>
      c.filesUploadV2({
        channel_id: channel,
        content: ics,
        filename: inviteFileName(contactName),
        title: `Lunch with ${contactName}`,
        // The comment is core text (names already escaped for mrkdwn by the core).
        initial_comment: comment,
      });
    await this.toDm(member, upload, () => this.openDm(c, ws, member));
  }

  async postDigest(ws: Workspace, channel: string, digest: DigestView, key: string): Promise<string> {
    const client = await beforeSend(() => this.rt.clientFor(ws, true));
    let res: webApi.ChatPostMessageResponse;
    try {
      res = await client.chat.postMessage({
        channel,
        // The fallback is plain text full of names and places; Slack reads `text` as mrkdwn, where
        // a name like "<!channel>" would ping everyone.
        text: escapeMrkdwn(digest.fallbackText),
        blocks: digestBlocks(digest),
        // Lets findDigestPost recognise this post after a crash between posting and recording it.
        metadata: { event_type: DIGEST_METADATA_EVENT, event_payload: { key } },
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (err) {
      throw classifySlackError(err);
    }
    if (!res.ts) throw classifySlackError(new Error("chat.postMessage returned no ts"));
    return messageRef(res.channel ?? channel, res.ts);
  }

  async findDigestPost(ws: Workspace, channel: string, key: string): Promise<string | null> {
    const client = await this.rt.clientFor(ws);
    // A claim goes stale after minutes, so the post (if any) is among the channel's latest messages.
    const oldest = String(Math.floor(this.rt.now().getTime() / 1000) - 8 * 86_400);
    const res = await client.conversations.history({
      channel,
      include_all_metadata: true,
      limit: 200,
      oldest,
    });
    const parsed = historySchema.safeParse(res);
    if (!parsed.success) return null;
    const hit = parsed.data.messages.find(
      (m) => m.metadata?.event_type === DIGEST_METADATA_EVENT && m.metadata.event_payload?.key === key,
    );
    return hit ? messageRef(channel, hit.ts) : null;
  }
}
