import type { webApi } from "@slack/bolt";
import type { MessageDoc } from "../../../core/messages/doc.ts";
import { homeDoc } from "../../../core/messages/home.ts";
import { memberTimeZone } from "../../../core/nudges.ts";
import type { Member, Workspace } from "../../../core/types.ts";
import { mentionedUserIds } from "../identity.ts";
import { LISTENED_EVENT_TYPES, type ListenedEventType } from "../ids.ts";
import {
  appHomeOpenedSchema,
  memberJoinedSchema,
  messageEventSchema,
  tokensRevokedSchema,
} from "../payloads.ts";
import { homeView } from "../render/home.ts";
import { section } from "../render/mrkdwn.ts";
import type { SlackContext, SlackRuntime } from "../runtime.ts";

// Events API listeners. They run after the inbox has stored and acknowledged the event (see
// inbox.ts), so they may take their time; they must be idempotent, because a crash can replay them.

/** Message subtypes that are a person saying something; everything else (joins, topic changes…) is ignored. */
const SPOKEN_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);
/** Only conversations the bot was added to; DMs and group DMs are never read. */
const TRACKED_CHANNEL_TYPES = new Set([undefined, "channel", "group"]);

export const JOIN_NOTE =
  "Hi! I'm Take It Offline. When people here mention someone outside the company (a Slack Connect guest, an email address, a name), I count it, and now and then I suggest taking them to lunch. " +
  "I never store what you write: only who mentioned which outside contact, and when. " +
  "`/offline pause` stops my suggestions to you; `/offline forget-me` deletes everything about you and stops counting your messages.";

const LISTENED: ReadonlySet<string> = new Set(LISTENED_EVENT_TYPES);

/**
 * Whether the listeners would do anything with this event. The inbox stores only these, so a busy
 * channel's bot posts, joins and topic changes cost no database writes.
 */
export function wantedEvent(event: Record<string, unknown>): boolean {
  if (typeof event.type !== "string" || !LISTENED.has(event.type)) return false;
  if (event.type !== "message") return true;
  const subtype = typeof event.subtype === "string" ? event.subtype : undefined;
  const channelType = typeof event.channel_type === "string" ? event.channel_type : undefined;
  if (!TRACKED_CHANNEL_TYPES.has(channelType)) return false;
  if (subtype === "message_changed" || subtype === "message_deleted") return true;
  return SPOKEN_SUBTYPES.has(subtype) && !event.bot_id;
}

function tsToDate(ts: string): Date {
  return new Date(Math.round(Number.parseFloat(ts) * 1000));
}

/** What an event handler gets: the parts of Bolt's middleware arguments the handlers use. */
export interface EventArgs {
  event: unknown;
  context: SlackContext;
  client: webApi.WebClient;
}

export type EventHandlers = Record<ListenedEventType, (args: EventArgs) => Promise<void>>;

/**
 * The Events API handlers, by event type. The inbox (inbox.ts) calls them itself rather than
 * through Bolt listeners: Bolt runs every event through every listener's middleware chain, copying
 * the arguments at each step, which measured about a tenth of an event's CPU time under load.
 */
export function eventHandlers(rt: SlackRuntime): EventHandlers {
  return {
    message: ({ event, context, client }) => onMessage(rt, context, client, event),
    app_home_opened: async ({ event, context, client }) => {
      const e = appHomeOpenedSchema.safeParse(event);
      if (!e.success || (e.data.tab && e.data.tab !== "home")) return;
      const ws = await rt.workspaceFor(context);
      if (ws) await publishHome(rt, context, client, ws, e.data.user);
    },
    member_joined_channel: async ({ event, context, client }) => {
      const e = memberJoinedSchema.safeParse(event);
      if (!e.success || !context.botUserId || e.data.user !== context.botUserId) return;
      await client.chat.postMessage({
        channel: e.data.channel,
        text: JOIN_NOTE,
        blocks: [section(JOIN_NOTE)],
      });
    },
    app_uninstalled: ({ context }) => uninstall(rt, context, "app_uninstalled"),
    tokens_revoked: async ({ event, context }) => {
      const e = tokensRevokedSchema.safeParse(event);
      if (!e.success) {
        rt.log.warn("malformed tokens_revoked event ignored");
        return;
      }
      // We only hold a bot token; user tokens being revoked changes nothing for us.
      if (e.data.tokens && !e.data.tokens.bot?.length) return;
      await uninstall(rt, context, "tokens_revoked");
    },
  };
}

export async function onMessage(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  raw: unknown,
): Promise<void> {
  const parsed = messageEventSchema.safeParse(raw);
  if (!parsed.success) {
    rt.log.warn("malformed message event ignored", { issues: parsed.error.issues.length });
    return;
  }
  const e = parsed.data;
  if (!TRACKED_CHANNEL_TYPES.has(e.channel_type)) return;
  if (e.subtype === "message_deleted") {
    const ts = e.deleted_ts ?? e.previous_message?.ts;
    const ws = ts ? await rt.eventWorkspace(ctx) : null;
    if (ws && ts) await rt.service.untrackMessage(ws, `${e.channel}:${ts}`);
    return;
  }
  if (e.subtype === "message_changed") {
    const m = e.message;
    if (!m || m.bot_id || m.subtype === "bot_message" || !m.user) return;
    const ws = await rt.eventWorkspace(ctx);
    if (!ws) return;
    // A deleted thread parent becomes a "tombstone" edit: its mentions go with it.
    if (m.subtype === "tombstone") {
      await rt.service.untrackMessage(ws, `${e.channel}:${m.ts}`);
      return;
    }
    // The edit keeps the original ts, so the same messageId replaces the earlier mentions.
    await track(rt, ctx, client, ws, {
      channel: e.channel,
      ts: m.ts,
      user: m.user,
      text: m.text ?? "",
      userTeam: m.user_team,
    });
    return;
  }
  if (!SPOKEN_SUBTYPES.has(e.subtype) || e.bot_id || !e.user || e.hidden) return;
  if (ctx.botUserId && e.user === ctx.botUserId) return;
  const ws = await rt.eventWorkspace(ctx);
  if (!ws) return;
  await track(rt, ctx, client, ws, {
    channel: e.channel,
    ts: e.ts,
    user: e.user,
    text: e.text ?? "",
    userTeam: e.user_team,
  });
}

async function track(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  ws: Workspace,
  m: { channel: string; ts: string; user: string; text: string; userTeam: string | undefined },
): Promise<void> {
  const home = rt.home(ctx);
  const author = await rt.person(client, ws, home, m.user, m.userTeam);
  if (author.isBot) return;
  const userRefs = [];
  for (const id of mentionedUserIds(m.text)) {
    if (id === ctx.botUserId) continue;
    userRefs.push(await rt.person(client, ws, home, id));
  }
  await rt.service.trackMessage(
    ws,
    {
      workspaceId: ws.id,
      messageId: `${m.channel}:${m.ts}`,
      channelId: m.channel,
      author,
      text: m.text,
      at: tsToDate(m.ts),
      source: "message",
      userRefs,
    },
    rt.chat,
  );
}

async function uninstall(rt: SlackRuntime, ctx: SlackContext, reason: string): Promise<void> {
  const externalId = rt.externalId(ctx);
  // The installation (tokens) goes first, then everything stored about the workspace.
  const ws = externalId ? await rt.service.uninstall("slack", externalId) : null;
  rt.forgetInstallations();
  if (!ws) return;
  rt.forgetEventWorkspace(ctx);
  rt.users.forget(rt.home(ctx));
  rt.log.info("slack workspace removed", { workspace: externalId, reason });
}

/** Builds and publishes the App Home of one person (its data: app/home.ts). */
export async function publishHome(
  rt: SlackRuntime,
  ctx: SlackContext,
  client: webApi.WebClient,
  ws: Workspace,
  userId: string,
): Promise<void> {
  const actor = await rt.actor(client, ws, rt.home(ctx), userId);
  if (!actor) return;
  const doc = await homeDocFor(rt, ws, actor.member);
  await client.views.publish({ user_id: userId, view: homeView(doc) });
}

/** The personal view of one teammate as a document (App Home, `/offline home`). */
export async function homeDocFor(rt: SlackRuntime, ws: Workspace, member: Member): Promise<MessageDoc> {
  const home = await rt.service.home(ws, member);
  return homeDoc(home, { now: rt.now(), timeZone: memberTimeZone(member.tz, ws.timezone) });
}
