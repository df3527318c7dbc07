// Sending outside a user's turn: prompts, follow-ups and the digest. botbuilder's
// continueConversationAsync gives a turn context bound to a stored reference; the message itself
// goes out with sendToConversation rather than context.sendActivity, because the latter turns
// every send into a reply to the continuation activity's id (a thread reply in channels).
import { type Activity, type CloudAdapter, TurnContext } from "botbuilder";
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from "./cards.ts";
import { makeRef, type StoredRef, toConversationReference } from "./refs.ts";
import { teamsPlainText } from "./text.ts";

/** OAuth scope for bot → channel calls (the Bot Connector). */
export const BOT_CONNECTOR_AUDIENCE = "https://api.botframework.com";

interface ConnectorLike {
  conversations: {
    sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }>;
  };
}

function isConnector(value: unknown): value is ConnectorLike {
  const conversations = (value as { conversations?: { sendToConversation?: unknown } } | null)?.conversations;
  return typeof conversations?.sendToConversation === "function";
}

/** `summary` is plain text (notifications); names in it can't form tags (teamsPlainText). */
/**
 * The connector's HTTP pipeline (Azure core) resends a POST after a 5xx or a dropped connection,
 * which may follow an accepted message: a prompt or digest would appear twice (seen against the
 * fake Bot Connector: 500, then the same card again). Proactive posts go out at most once; the
 * core decides what to retry from the SendFailure (chat.ts), 429s included.
 */
function sendAtMostOnce(connector: unknown): void {
  const pipeline = (
    connector as { client?: { pipeline?: { removePolicy?: (o: { name: string }) => unknown } } }
  ).client?.pipeline;
  pipeline?.removePolicy?.({ name: "defaultRetryPolicy" });
}

export function cardActivity(card: AdaptiveCard, summary: string): Partial<Activity> {
  return {
    type: "message",
    summary: teamsPlainText(summary),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

export class Proactive {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  /** Posts a new message (not a reply) in the referenced conversation; returns its activity id. */
  async post(ref: StoredRef, activity: Partial<Activity>): Promise<string> {
    let id = "";
    // The adapter hands errors thrown in the turn to its onTurnError handler, which logs them and
    // returns: a failed send would look delivered. Carry the error out of the turn instead.
    const failed: { error: unknown } = { error: null };
    await this.adapter.continueConversationAsync(this.appId, toConversationReference(ref), async (ctx) => {
      const client: unknown = ctx.turnState.get(ctx.adapter.ConnectorClientKey);
      if (!isConnector(client)) {
        failed.error = new Error("botbuilder gave no connector client for a proactive turn");
        return;
      }
      sendAtMostOnce(client);
      const sent = await client.conversations
        .sendToConversation(ref.conversation.id, {
          ...activity,
          channelId: ref.channelId,
          serviceUrl: ref.serviceUrl,
          from: { id: ref.bot.id, name: ref.bot.name ?? "" },
          conversation: {
            id: ref.conversation.id,
            conversationType: ref.conversation.conversationType ?? "",
            isGroup: ref.conversation.isGroup ?? false,
            name: "",
          },
          ...(ref.user ? { recipient: { id: ref.user.id, name: ref.user.name ?? "" } } : {}),
        })
        .catch((err: unknown) => {
          failed.error = err;
          return null;
        });
      id = sent?.id ?? "";
    });
    if (failed.error) throw failed.error;
    return id;
  }

  /**
   * Opens a 1:1 chat with a user through a reference from the same tenant (a team channel the bot
   * is installed in). Teams allows this for members of teams where the app is installed.
   */
  async openPersonalChat(
    via: StoredRef,
    tenantId: string,
    user: { id: string; name: string },
  ): Promise<StoredRef> {
    const holder: { ref: StoredRef | null } = { ref: null };
    await this.adapter.createConversationAsync(
      this.appId,
      via.channelId,
      via.serviceUrl,
      BOT_CONNECTOR_AUDIENCE,
      {
        isGroup: false,
        bot: { id: via.bot.id, name: via.bot.name ?? "" },
        members: [{ id: user.id, name: user.name }],
        tenantId,
        channelData: { tenant: { id: tenantId } },
      },
      async (ctx) => {
        holder.ref = makeRef(TurnContext.getConversationReference(ctx.activity), { source: "dm" });
      },
    );
    if (!holder.ref) throw new Error("createConversation returned no conversation");
    return {
      ...holder.ref,
      conversation: { ...holder.ref.conversation, conversationType: "personal", tenantId },
      user: { id: user.id, name: user.name },
    };
  }
}
