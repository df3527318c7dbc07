// The Teams turn handler: one activity in, core calls out. Rendering lives in cards.ts, text
// conversion in text.ts, outbound proactive messages in chat.ts.
import { createHash } from "node:crypto";
import { type Activity, TeamsInfo, TurnContext } from "botbuilder";
import type { Inbox } from "../../app/inbox.ts";
import type { TeammateLookup } from "../../app/ports.ts";
import type { Reply } from "../../app/service.ts";
import { administers } from "../../core/admins.ts";
import { commandHelp, helpText, parseCommand } from "../../core/commands.ts";
import { nextWeekday, parseLunchForm } from "../../core/forms/lunch.ts";
import { parseSettingsForm } from "../../core/forms/settings.ts";
import type { LunchSlotOffer } from "../../core/messages/lunch-form.ts";
import { OUTCOME_TITLES } from "../../core/messages/prompt.ts";
import { REVIEW_REPLIES } from "../../core/messages/review.ts";
import { PROMPT_TEAMMATES } from "../../core/prompt-text.ts";
import { isValidTimeZone, safeTimeZone, zonedParts } from "../../core/time.ts";
import type { Member, PlatformUserRef, Workspace } from "../../core/types.ts";
import type { Logger } from "../../log.ts";
import type { AdapterApp } from "../types.ts";
import {
  activitySchema,
  baseConversationId,
  channelIdOf,
  isBotAccount,
  type Scope,
  scopeOf,
  type TeamsActivity,
  tenantOf,
} from "./activity.ts";
import {
  HANDLED_ACTIVITY_TYPES,
  HANDLED_EVENT_TYPES,
  HANDLED_INVOKES,
  INSTALL_ACTIONS,
  UNINSTALL_ACTIONS,
} from "./capabilities.ts";
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  type AdaptiveCard,
  channelLabel,
  digestCard,
  lunchFormCard,
  outcomeCard,
  promptCard,
  type SettingsChannel,
  settingsCard,
  settingsSavedCard,
} from "./cards.ts";
import type { TeamsChat } from "./chat.ts";
import type { TeamsDirectory, TeamsUser } from "./directory.ts";
import { fileConsentSchema, fileInfoActivity, isUploadUrlAllowed, uploadFile } from "./files.ts";
import { type ChannelRefs, hasInstallation, makeRef, parseRef, type RefSource } from "./refs.ts";
import { docCard } from "./render-doc.ts";
import { type CardSubmit, lunchFormRaw, parseCardSubmit, settingsFormRaw } from "./submit.ts";
import { type NormalizedText, normalizeTeamsText, teamsPlainText, toTeamsMarkdown } from "./text.ts";

export interface TeamsBotDeps {
  app: AdapterApp;
  log: Logger;
  directory: TeamsDirectory;
  channels: ChannelRefs;
  chat: TeamsChat;
  /** TEAMS_ADMIN_IDS: AAD object ids or Teams user ids allowed to change settings. */
  adminIds: readonly string[];
  /** The durable inbox ("teams:" keys): activities are stored before they are processed. */
  inbox: Inbox;
  /** Unauthenticated local mode: file uploads may go to http://127.0.0.1 (the fake connector). */
  allowLocalUploads?: boolean;
}

/** Storing an activity in the inbox failed: the turn must not be acknowledged (Teams sends it again). */
export class InboxWriteError extends Error {
  constructor(cause: unknown) {
    super(`could not store the activity: ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "InboxWriteError";
  }
}

/** Roster import at install: enough for real teams, bounded so a giant org can't stall a turn. */
const ROSTER_PAGE_SIZE = 200;
const ROSTER_MAX_PAGES = 25;

export class TeamsBot {
  private readonly app: AdapterApp;
  private readonly log: Logger;
  /** Channels already known to have a stored reference (saves a query per message). */
  private readonly knownChannels = new Set<string>();

  constructor(private readonly deps: TeamsBotDeps) {
    this.app = deps.app;
    this.log = deps.log;
  }

  /**
   * Runs one turn. A bad activity is logged, and Teams gets its 200 (no retry storm); a failure
   * after the activity was stored is replayed from the inbox. Throws only InboxWriteError.
   */
  async run(ctx: TurnContext): Promise<void> {
    try {
      await this.onTurn(ctx, false);
    } catch (err) {
      if (err instanceof InboxWriteError) throw err;
      this.log.error("teams activity failed", { err, type: ctx.activity?.type, id: ctx.activity?.id });
    }
  }

  /**
   * Runs a stored activity again (the inbox's replay: its row exists and was claimed). Throws when
   * processing fails, so the inbox counts the attempt.
   */
  async replay(ctx: TurnContext): Promise<void> {
    await this.onTurn(ctx, true);
  }

  private async onTurn(ctx: TurnContext, replay: boolean): Promise<void> {
    const parsed = activitySchema.safeParse(ctx.activity);
    if (!parsed.success) {
      this.log.warn("teams activity rejected", {
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      });
      return;
    }
    const a = parsed.data;
    const type = a.type;
    if (!includes(HANDLED_ACTIVITY_TYPES, type)) {
      this.log.debug("ignoring teams activity", { type });
      return;
    }
    if (a.channelId !== "msteams") {
      this.log.debug("ignoring non-Teams channel", { channelId: a.channelId });
      return;
    }
    const tenantId = tenantOf(a);
    if (!tenantId) {
      this.log.warn("teams activity without tenant", { type: a.type });
      return;
    }
    const key = inboxKey(a, tenantId);
    if (!key || replay) return this.dispatch(ctx, a, type, tenantId);
    // The row is written before the turn's 200 (botbuilder answers when the turn ends); until it is
    // done, a redelivery of the same activity is dropped and the replay loop (index.ts) runs it.
    let workspaceId: string | null;
    try {
      workspaceId = (await this.app.service.findWorkspace("teams", tenantId))?.id ?? null;
    } catch (err) {
      throw new InboxWriteError(err);
    }
    let recorded = false;
    try {
      await this.deps.inbox.receive(
        this.deps.inbox.key(key),
        workspaceId,
        JSON.stringify(ctx.activity),
        () => {
          recorded = true;
          return this.dispatch(ctx, a, type, tenantId);
        },
      );
    } catch (err) {
      // Before the handler ran: the activity is not stored. After: only "done" was not written,
      // and the row stays pending (replayed later, like a crash).
      if (!recorded) throw new InboxWriteError(err);
      throw err;
    }
  }

  private async dispatch(
    ctx: TurnContext,
    a: TeamsActivity,
    type: (typeof HANDLED_ACTIVITY_TYPES)[number],
    tenantId: string,
  ): Promise<void> {
    const eventType = a.channelData.eventType ?? "";
    switch (type) {
      case "installationUpdate":
        if (includes(INSTALL_ACTIONS, a.action)) return this.install(ctx, a, tenantId);
        if (includes(UNINSTALL_ACTIONS, a.action)) return this.uninstall(a, tenantId);
        return;
      case "conversationUpdate":
        return this.conversationUpdate(ctx, a, tenantId);
      case "message":
        return this.message(ctx, a, tenantId);
      case "messageUpdate":
        if (!includes(HANDLED_EVENT_TYPES.messageUpdate, eventType)) return;
        return this.edited(ctx, a, tenantId);
      case "messageDelete":
        if (!includes(HANDLED_EVENT_TYPES.messageDelete, eventType)) return;
        return this.deleted(a, tenantId);
      case "invoke":
        if (includes(HANDLED_INVOKES, a.name)) return this.fileConsent(ctx, a);
        return;
    }
  }

  /**
   * Allow or Decline on a file consent card (the lunch .ics): on Allow, the file goes to the upload
   * URL Teams gave and a file card shows it. The invoke is answered 200 either way (index.ts).
   */
  private async fileConsent(ctx: TurnContext, a: TeamsActivity): Promise<void> {
    const consent = fileConsentSchema.safeParse(a.value);
    if (!consent.success) {
      this.log.warn("teams file consent ignored: malformed");
      return;
    }
    const { action, context, uploadInfo } = consent.data;
    if (action === "decline") {
      // Teams leaves the card as it was: without a word, Decline would look like it did nothing.
      await this.sendText(ctx, "OK, I won't save the invite. The lunch stays planned all the same.");
      return;
    }
    if (!context || !uploadInfo) return;
    if (!isUploadUrlAllowed(uploadInfo.uploadUrl, this.deps.allowLocalUploads ?? false)) {
      this.log.warn("teams file consent ignored: upload URL outside OneDrive", {
        host: new URL(uploadInfo.uploadUrl).hostname,
      });
      return;
    }
    try {
      await uploadFile(uploadInfo.uploadUrl, context.ics);
    } catch (err) {
      this.log.warn("teams file upload failed", { err });
      await this.sendText(
        ctx,
        "I couldn't save the invite to your OneDrive just now. Try Allow again later.",
      );
      return;
    }
    await ctx.sendActivity(fileInfoActivity(uploadInfo));
  }

  // ---------------------------------------------------------------------------------------------
  // installation

  /** The tenant's workspace: one per organization, shared by all its teams and chats. */
  private async workspace(a: TeamsActivity, tenantId: string): Promise<Workspace> {
    const existing = await this.app.service.findWorkspace("teams", tenantId);
    if (existing && !existing.uninstalledAt) return existing;
    const tz = validTimeZone(a.localTimezone);
    return this.app.service.ensureWorkspace({
      platform: "teams",
      externalId: tenantId,
      name: a.channelData.team?.name || existing?.name || "Microsoft Teams",
      ...(tz ? { timezone: tz } : {}),
    });
  }

  private async install(ctx: TurnContext, a: TeamsActivity, tenantId: string): Promise<void> {
    const ws = await this.workspace(a, tenantId);
    const scope = scopeOf(a);
    // Whoever installs the bot administers it (there is no owner flag in the Bot Connector roster).
    const installer = isBotAccount(a.from) ? null : await this.installer(ctx, a, ws, tenantId);
    if (scope === "personal") {
      if (!installer) return;
      const fresh = parseRef(installer.member.dmRef)?.source !== "personal";
      await this.savePersonalChat(ctx, ws, installer.member, "personal");
      if (fresh) {
        await this.sendText(
          ctx,
          `Hi ${installer.member.displayName || "there"}! I'm Take It Offline. I notice the external people your team keeps talking about and suggest taking them to lunch.\nType help to see what I can do, or home for your own view.`,
        );
      }
      await this.reviewAfterInstall(ws, installer.member);
      return;
    }
    const teamId = a.channelData.team?.id ?? null;
    const channelId = channelIdOf(a);
    const fresh = !(await this.deps.channels.get(ws.id, channelId));
    const name = a.channelData.channel?.name || (teamId ? "General" : a.conversation.name || "Group chat");
    await this.saveChannel(ctx, ws, channelId, name, teamId ? "team" : "chat", teamId);
    if (teamId && !ws.digestChannel) await this.app.service.setDigestChannel(ws, channelId);
    if (teamId) await this.importRoster(ctx, ws, tenantId, teamId);
    await this.reviewAfterInstall(ws, installer?.member ?? null);
    if (fresh) {
      await this.sendText(
        ctx,
        teamId
          ? "Thanks for adding Take It Offline! I read this team's channel messages to count which external people you talk about (I keep counts, never the text), nudge people to meet them, and post a weekly digest here.\nMention me with help to see the commands; admins can change the digest channel with settings."
          : "Thanks for adding Take It Offline! Mention me with help to see the commands.",
      );
    }
  }

  /** The review of who was found, to the admins and the installer, when there is something to review. */
  private async reviewAfterInstall(ws: Workspace, installer: Member | null): Promise<void> {
    try {
      await this.app.service.reviewAfterInstall(ws, installer, this.deps.chat, (member, err) =>
        this.log.warn("review not sent", { workspaceId: ws.id, memberId: member.id, err }),
      );
    } catch (err) {
      // The install itself went through; the review waits for the next sweep or `review`.
      this.log.warn("review after install failed", { workspaceId: ws.id, err });
    }
  }

  private async importRoster(
    ctx: TurnContext,
    ws: Workspace,
    tenantId: string,
    teamId: string,
  ): Promise<void> {
    let token: string | undefined;
    let added = 0;
    try {
      for (let page = 0; page < ROSTER_MAX_PAGES; page++) {
        const result = await TeamsInfo.getPagedTeamMembers(ctx, teamId, ROSTER_PAGE_SIZE, token);
        const people = [];
        for (const raw of result.members ?? []) {
          const m = this.deps.directory.parseMember(raw);
          if (!m) continue;
          const user = this.deps.directory.prime(tenantId, m);
          if (!user.isBot) people.push(user);
        }
        // Guests and other tenants are not teammates; they become contacts when they speak.
        added += (await this.app.service.syncRoster(ws, people, { outsiders: "skip" })).teammates;
        token = result.continuationToken || undefined;
        if (!token) break;
      }
    } catch (err) {
      // Members are also added as they speak; a failed import only delays that.
      this.log.warn("teams roster import failed", { teamId, err: (err as Error).message });
    }
    if (added) this.log.debug("teams roster imported", { teamId, added });
  }

  private async uninstall(a: TeamsActivity, tenantId: string): Promise<void> {
    const ws = await this.app.service.findWorkspace("teams", tenantId);
    if (!ws) return;
    const scope = scopeOf(a);
    const teamId = a.channelData.team?.id ?? null;
    if (scope === "personal") {
      await this.app.service.forgetDm(ws, a.from.id);
    } else {
      const ids = teamId ? await this.deps.channels.ofTeam(ws.id, teamId) : [baseConversationId(a)];
      await this.forgetChannels(ws, ids);
    }
    await this.deleteIfUninstalled(ws);
  }

  private async forgetChannels(ws: Workspace, ids: string[]): Promise<void> {
    await this.deps.channels.remove(ws.id, ids);
    for (const id of ids) this.knownChannels.delete(`${ws.id}\u0000${id}`);
    if (ws.digestChannel && ids.includes(ws.digestChannel)) await this.app.service.setDigestChannel(ws, null);
  }

  /** The last installation in the tenant is gone: delete everything stored about it. */
  private async deleteIfUninstalled(ws: Workspace): Promise<void> {
    const [channels, members] = await Promise.all([
      this.deps.channels.list(ws.id),
      this.app.service.listMembers(ws),
    ]);
    if (hasInstallation(channels, members)) return;
    await this.app.service.deleteWorkspaceData(ws);
    for (const key of this.knownChannels)
      if (key.startsWith(`${ws.id}\u0000`)) this.knownChannels.delete(key);
    this.log.info("teams workspace deleted after uninstall", { workspaceId: ws.id });
  }

  private async conversationUpdate(ctx: TurnContext, a: TeamsActivity, tenantId: string): Promise<void> {
    const botId = a.recipient.id;
    const eventType = a.channelData.eventType ?? "";
    if (eventType === "teamDeleted" || eventType === "teamHardDeleted") return this.uninstall(a, tenantId);
    if (a.membersRemoved?.some((m) => m.id === botId)) return this.uninstall(a, tenantId);
    if (a.membersAdded?.some((m) => m.id === botId)) await this.install(ctx, a, tenantId);

    const joined = (a.membersAdded ?? []).filter((m) => m.id !== botId && !isBotAccount(m));
    const teamId = a.channelData.team?.id ?? null;
    const channel = a.channelData.channel;
    const needsWorkspace =
      joined.length > 0 ||
      (teamId &&
        channel &&
        ["channelCreated", "channelRenamed", "channelRestored", "channelDeleted"].includes(eventType));
    if (!needsWorkspace) return;
    const ws = await this.workspace(a, tenantId);
    if (joined.length) {
      const people = [];
      for (const m of joined) {
        const user = await this.deps.directory.lookup(ctx, tenantId, m);
        if (!user.isBot && user.verified) people.push(user);
      }
      await this.app.service.syncRoster(ws, people, { outsiders: "skip" });
    }
    if (!teamId || !channel) return;
    if (eventType === "channelDeleted") await this.forgetChannels(ws, [channel.id]);
    else if (eventType === "channelRenamed") await this.deps.channels.rename(ws.id, channel.id, channel.name);
    else if (eventType === "channelCreated" || eventType === "channelRestored") {
      await this.saveChannel(ctx, ws, channel.id, channel.name, "team", teamId);
    }
  }

  private async saveChannel(
    ctx: TurnContext,
    ws: Workspace,
    channelId: string,
    name: string,
    source: RefSource,
    teamId: string | null,
  ): Promise<void> {
    const ref = makeRef(conversationReference(ctx), { source, teamId, conversationId: channelId });
    await this.deps.channels.save(ws.id, channelId, name, ref);
    this.knownChannels.add(`${ws.id}\u0000${channelId}`);
  }

  /** Remembers a channel seen through a message (installed before this database existed, or new). */
  private async rememberChannel(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    scope: Scope,
  ): Promise<void> {
    const channelId = channelIdOf(a);
    const key = `${ws.id}\u0000${channelId}`;
    if (this.knownChannels.has(key)) return;
    const existing = await this.deps.channels.get(ws.id, channelId);
    if (existing?.ref) {
      this.knownChannels.add(key);
      return;
    }
    const teamId = a.channelData.team?.id ?? null;
    await this.saveChannel(
      ctx,
      ws,
      channelId,
      a.channelData.channel?.name || existing?.name || "",
      scope === "channel" ? "team" : "chat",
      teamId,
    );
  }

  /** Stores the personal chat; "personal" (an install) is never downgraded to "dm". */
  private async savePersonalChat(
    ctx: TurnContext,
    ws: Workspace,
    member: Member,
    source: "personal" | "dm",
  ): Promise<void> {
    const current = parseRef(member.dmRef)?.source;
    if (current === "personal" || current === source) return;
    const ref = makeRef(conversationReference(ctx), { source });
    await this.app.service.saveDmRef(ws, member, JSON.stringify(ref));
    member.dmRef = JSON.stringify(ref);
  }

  // ---------------------------------------------------------------------------------------------
  // messages

  private async message(ctx: TurnContext, a: TeamsActivity, tenantId: string): Promise<void> {
    if (isBotAccount(a.from)) return;
    const ws = await this.workspace(a, tenantId);
    if (a.value !== undefined && a.value !== null) return this.cardSubmit(ctx, a, ws, tenantId);
    const scope = scopeOf(a);
    const text = normalizeTeamsText(a.text ?? "", a.entities, a.recipient.id);
    if (scope === "personal" || text.botMentioned) return this.command(ctx, a, ws, tenantId, text.text);
    return this.track(ctx, a, ws, tenantId, text);
  }

  private async edited(ctx: TurnContext, a: TeamsActivity, tenantId: string): Promise<void> {
    if (isBotAccount(a.from) || scopeOf(a) === "personal") return;
    const ws = await this.workspace(a, tenantId);
    const text = normalizeTeamsText(a.text ?? "", a.entities, a.recipient.id);
    if (text.botMentioned) return;
    await this.track(ctx, a, ws, tenantId, text);
  }

  private async deleted(a: TeamsActivity, tenantId: string): Promise<void> {
    const ws = await this.app.service.findWorkspace("teams", tenantId);
    if (!ws || !a.id) return;
    const removed = await this.app.service.untrackMessage(ws, messageIdOf(a));
    this.log.debug("teams message deleted", { removed });
  }

  private async track(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    tenantId: string,
    text: NormalizedText,
  ): Promise<void> {
    if (!a.id) return;
    const scope = scopeOf(a);
    await this.rememberChannel(ctx, a, ws, scope);
    const author = await this.deps.directory.lookup(ctx, tenantId, a.from);
    if (author.isBot) return;
    const tz = validTimeZone(a.localTimezone);
    if (!author.external && tz) await this.app.service.member(ws, { ...userRef(author), tz });
    const userRefs: PlatformUserRef[] = [];
    for (const u of text.users) {
      const ref = await this.deps.directory.lookup(ctx, tenantId, {
        id: u.id,
        name: u.name,
        aadObjectId: null,
        role: null,
      });
      if (!ref.isBot) userRefs.push(userRef(ref));
    }
    const at = a.timestamp ?? this.app.clock.now();
    const result = await this.app.service.trackMessage(
      ws,
      {
        workspaceId: ws.id,
        messageId: messageIdOf(a),
        channelId: channelIdOf(a),
        author: userRef(author),
        text: text.text,
        at,
        source: "message",
        userRefs,
      },
      this.deps.chat,
    );
    this.log.debug("teams message tracked", { contacts: result.contactIds.length, skipped: result.skipped });
  }

  // ---------------------------------------------------------------------------------------------
  // commands

  private async command(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    tenantId: string,
    text: string,
  ): Promise<void> {
    const actor = await this.actor(ctx, a, ws, tenantId);
    if (!actor) {
      await this.sendText(
        ctx,
        "Take It Offline is for members of this organization; guests can't use its commands.",
      );
      return;
    }
    if (scopeOf(a) === "personal") await this.savePersonalChat(ctx, ws, actor.member, "dm");
    const parsed = parseCommand(text || "help", { prefix: "", now: this.app.clock.now() });
    if (parsed.kind === "help") {
      await this.sendText(
        ctx,
        parsed.topic
          ? commandHelp(parsed.topic, { prefix: "", now: this.app.clock.now() })
          : helpText({ prefix: "", now: this.app.clock.now() }),
      );
      return;
    }
    const reply = await this.app.service.execute(ws, actor.member, parsed, {
      isAdmin: this.isAdmin(actor.member, actor.user),
      resolveUser: async (id) => {
        const user = await this.deps.directory.lookup(ctx, tenantId, {
          id,
          name: "",
          aadObjectId: null,
          role: null,
        });
        return user.verified && !user.isBot ? userRef(user) : null;
      },
      chat: this.deps.chat,
      lunchChat: this.deps.chat,
      teammates: (id) => this.teammate(ctx, ws, tenantId, id),
    });
    // The personal view and forget-me's question are one person's: from a channel or group chat
    // they go to that person's own chat, never to everyone in the conversation.
    if (reply.kind === "doc" && scopeOf(a) !== "personal") {
      try {
        await this.deps.chat.sendCard(ws, actor.member, docCard(reply.doc), reply.text);
        await this.sendText(ctx, "I sent that to our personal chat.");
      } catch (err) {
        this.log.warn("teams personal chat unreachable", { err: (err as Error).message });
        await this.sendText(ctx, "Open a chat with me and say it there: it's about you only.");
      }
      return;
    }
    await this.render(ctx, ws, reply);
  }

  private async render(ctx: TurnContext, ws: Workspace, reply: Reply): Promise<void> {
    switch (reply.kind) {
      case "text":
      case "error":
      case "lunch":
        // Teams has no simple way for a bot to attach an .ics in chat, so the lunch is text only.
        await this.sendText(ctx, reply.text);
        return;
      case "digest":
        await this.sendCard(ctx, digestCard(reply.view), reply.view.title);
        return;
      case "doc":
        // forget-me's question, the home card: a document with buttons.
        await this.sendCard(ctx, docCard(reply.doc), reply.text);
        return;
      case "settings": {
        const channels = await this.settingsChannels(ws);
        await this.sendCard(ctx, settingsCard(reply.workspace, channels), "Settings");
        return;
      }
    }
  }

  /** The channels the digest can go to, each with the team it belongs to (to name a General). */
  private async settingsChannels(ws: Workspace): Promise<SettingsChannel[]> {
    return (await this.deps.channels.list(ws.id))
      .filter((c) => c.ref?.source === "team" || c.ref?.source === "chat")
      .map((c) => ({ channelId: c.channelId, name: c.name, teamId: c.ref?.teamId ?? null }));
  }

  // ---------------------------------------------------------------------------------------------
  // card buttons

  private async cardSubmit(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    tenantId: string,
  ): Promise<void> {
    const submit = parseCardSubmit(a.value);
    if (!submit) {
      this.log.warn("teams card submit rejected", { replyToId: a.replyToId });
      await this.sendText(ctx, "That button doesn't work any more. Type help to see the commands.");
      return;
    }
    const actor = await this.actor(ctx, a, ws, tenantId);
    if (!actor) {
      await this.sendText(ctx, "Only members of this organization can use these buttons.");
      return;
    }
    await this.applySubmit(ctx, a, ws, tenantId, actor, submit);
  }

  private async applySubmit(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    tenantId: string,
    actor: Actor,
    submit: CardSubmit,
  ): Promise<void> {
    const { service } = this.app;
    switch (submit.tio) {
      case "nudge": {
        const outcome = await service.handlePromptAction(ws, actor.member, submit.nudgeId, submit.action);
        if (outcome.lunchForm) {
          const form = outcome.lunchForm;
          await this.replaceCard(
            ctx,
            a,
            lunchFormCard({
              nudgeId: form.nudgeId,
              contactId: form.contactId,
              contactName: form.contactName,
              teammates: form.teammates,
              ...this.lunchDates(ws, actor.member),
              slots: await this.lunchSlots(ws, actor.member, form.teammates),
            }),
          );
          return;
        }
        // A question first (hide for the whole team?), an outcome with Undo, or the prompt again.
        await this.replaceCard(ctx, a, outcome.doc ? docCard(outcome.doc) : outcomeCard(outcome));
        return;
      }
      case "lunch": {
        const raw = lunchFormRaw(submit);
        const form = parseLunchForm(raw);
        const result = form.ok
          ? await service.planLunchFromForm(
              {
                chat: this.deps.chat,
                teammates: (id) => this.teammate(ctx, ws, tenantId, id),
                onNotifyError: (err, member) =>
                  this.log.warn("lunch notification failed", { err, member: member.platformUserId }),
                onCalendarError: (err, member) =>
                  this.log.warn("calendar event not created; the .ics goes out instead", {
                    err,
                    member: member.platformUserId,
                  }),
              },
              {
                workspace: ws,
                organizer: actor.member,
                contactId: submit.contactId,
                nudgeId: submit.nudgeId ?? null,
                on: form.value.on,
                slot: form.value.slot,
                place: form.value.place,
                withUserIds: form.value.withUserIds,
              },
            )
          : null;
        if (result?.ok) {
          await this.replaceCard(ctx, a, outcomeCard({ text: result.text }, OUTCOME_TITLES.lunchPlanned));
          return;
        }
        // Refused: the form comes back with what was typed and each message under its field.
        const errors = form.ok ? (result?.field ? { [result.field]: result.message } : {}) : form.errors;
        const error = !form.ok || result?.field ? undefined : result?.message;
        const values = {
          ...(raw.slot !== undefined ? { slot: String(raw.slot) } : {}),
          ...(raw.date !== undefined ? { date: String(raw.date) } : {}),
          ...(raw.time !== undefined ? { time: String(raw.time) } : {}),
          ...(raw.place !== undefined ? { place: String(raw.place) } : {}),
          ...(raw.with !== undefined ? { with: String(raw.with) } : {}),
        };
        const contact = await service.getContact(ws, submit.contactId);
        const teammates = contact ? await service.teammatesFor(ws, contact.id, actor.member.id) : [];
        await this.replaceCard(
          ctx,
          a,
          lunchFormCard(
            {
              nudgeId: submit.nudgeId ?? null,
              contactId: submit.contactId,
              contactName: contact?.displayName ?? "your contact",
              teammates,
              today: this.localToday(ws, actor.member),
              slots: await this.lunchSlots(ws, actor.member, teammates),
            },
            { values, errors, ...(error ? { error } : {}) },
          ),
        );
        return;
      }
      case "lunch-cancel": {
        // The form took the prompt's place: Cancel puts the prompt back, with all its buttons.
        const back = await service.reopenPrompt(ws, actor.member, submit.nudgeId ?? null, submit.contactId);
        await this.replaceCard(ctx, a, back.kind === "prompt" ? promptCard(back.prompt) : outcomeCard(back));
        return;
      }
      case "plan": {
        // The digest's Plan lunch: the same form a prompt's opens, sent as a new card so the digest
        // stays as it is for everyone else.
        const form = await service.lunchFormFor(ws, actor.member, submit.contactId);
        if (!form) {
          await this.sendText(ctx, "That contact isn't tracked any more, so there is no lunch to plan.");
          return;
        }
        const card = lunchFormCard({
          ...form,
          ...this.lunchDates(ws, actor.member),
          slots: await this.lunchSlots(ws, actor.member, form.teammates),
        });
        const summary = `Plan lunch with ${form.contactName}`;
        // From a channel, the form goes to the person's own chat (as a prompt's would be there);
        // only if that chat can't be reached does it come back where they clicked.
        if (scopeOf(a) !== "personal") {
          try {
            await this.deps.chat.sendCard(ws, actor.member, card, summary);
            return;
          } catch (err) {
            this.log.warn("teams lunch form: personal chat unreachable", { err: (err as Error).message });
          }
        }
        await this.sendCard(ctx, card, summary);
        return;
      }
      case "noticed": {
        const outcome = await service.answerNoticed(ws, actor.member, submit.noticeId, submit.answer);
        // Undo sits under a prompt (or in the home card): that card stays, the outcome is a new line.
        // Yes / No answer a question card of its own, which the outcome replaces.
        if (submit.answer === "undo") await this.sendText(ctx, outcome.text);
        else await this.replaceCard(ctx, a, outcome.doc ? docCard(outcome.doc) : outcomeCard(outcome));
        return;
      }
      case "review": {
        const reply = await service.answerReview(
          ws,
          actor.member,
          this.isAdmin(actor.member, actor.user),
          submit.reviewId,
          submit.contactId,
          submit.answer,
        );
        if (reply.kind === "refused") {
          await this.sendText(ctx, REVIEW_REPLIES[reply.reason === "not-admin" ? "notAdmin" : reply.reason]);
          return;
        }
        await this.replaceCard(ctx, a, docCard(reply.doc));
        return;
      }
      case "followup": {
        const answer = submit.answer ?? (submit.happened ? "happened" : "off");
        const outcome = await service.answerFollowUp(ws, actor.member, submit.lunchId, answer);
        await this.replaceCard(ctx, a, outcome.doc ? docCard(outcome.doc) : outcomeCard(outcome));
        return;
      }
      case "forget-me": {
        // Only the person who asked answers: in a shared conversation, or with a forged payload,
        // someone else's click deletes nothing.
        if (submit.memberId !== actor.member.id) {
          await this.sendText(ctx, "This question was meant for someone else.");
          return;
        }
        if (!submit.confirm) {
          await this.replaceCard(
            ctx,
            a,
            outcomeCard({ text: "Nothing was deleted. Your data stays as it was." }),
          );
          return;
        }
        const reply = await service.execute(
          ws,
          actor.member,
          { kind: "forget-me", confirmed: true },
          {
            isAdmin: false,
          },
        );
        await this.replaceCard(ctx, a, outcomeCard({ text: reply.kind === "text" ? reply.text : "Done." }));
        return;
      }
      case "connect-calendar": {
        // Fresh consent links each time: they are single-use and expire.
        const reply = await service.execute(
          ws,
          actor.member,
          { kind: "calendar", action: "connect", provider: null },
          { isAdmin: false },
        );
        if (reply.kind === "doc") await this.sendCard(ctx, docCard(reply.doc), reply.doc.summary);
        else if ("text" in reply) await this.sendText(ctx, reply.text);
        return;
      }
      case "pause":
      case "resume": {
        await service.execute(
          ws,
          actor.member,
          submit.tio === "pause" ? { kind: "pause", days: submit.days } : { kind: "resume" },
          { isAdmin: false },
        );
        // The home card again, as it is now (the member row changed).
        const member = (await service.findMember(ws, actor.member.platformUserId)) ?? actor.member;
        const home = await service.execute(ws, member, { kind: "home" }, { isAdmin: false });
        if (home.kind === "doc") await this.replaceCard(ctx, a, docCard(home.doc));
        return;
      }
      case "settings": {
        if (!this.isAdmin(actor.member, actor.user)) {
          await this.sendText(
            ctx,
            "Only the person who installed Take It Offline (or a configured admin) can change settings.",
          );
          return;
        }
        const channels = await this.settingsChannels(ws);
        const raw = settingsFormRaw(submit);
        const parsed = parseSettingsForm(raw, ws, {
          isChannel: (id) => channels.some((c) => c.channelId === id),
        });
        if (!parsed.ok) {
          const values = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
          await this.replaceCard(ctx, a, settingsCard(ws, channels, { values, errors: parsed.errors }));
          return;
        }
        const saved = await service.saveSettings(ws, parsed.value);
        const channel = channels.find((c) => c.channelId === saved.digestChannel);
        const channelName = channel ? channelLabel(channel) : null;
        await this.replaceCard(ctx, a, settingsSavedCard(saved, channelName));
        return;
      }
    }
  }

  /**
   * The lunch form's dates in the member's zone: today (the earliest it offers) and the date it opens
   * with, the next weekday (as Slack's modal does).
   */
  private lunchDates(ws: Workspace, member: Member): { today: string; initialDate: string } {
    const now = this.app.clock.now();
    return {
      today: this.localToday(ws, member),
      initialDate: nextWeekday(now, safeTimeZone(member.tz ?? ws.timezone)),
    };
  }

  /** Free lunch slots for the organizer and the teammates the form preselects (bounded in time). */
  private lunchSlots(
    ws: Workspace,
    member: Member,
    teammates: ReadonlyArray<{ id: string }>,
  ): Promise<LunchSlotOffer> {
    return this.app.service.lunchSlots({
      workspace: ws,
      organizer: member,
      attendeeIds: teammates.slice(0, PROMPT_TEAMMATES).map((t) => t.id),
      onError: (err, m) => this.log.warn("calendar free/busy failed", { err, member: m.platformUserId }),
    });
  }

  /** YYYY-MM-DD today in the member's zone: the earliest date the lunch form offers. */
  private localToday(ws: Workspace, member: Member): string {
    const today = zonedParts(this.app.clock.now(), safeTimeZone(member.tz ?? ws.timezone));
    return `${today.year}-${pad(today.month)}-${pad(today.day)}`;
  }

  /** A user picked as a lunch guest: a verified teammate of this tenant (not a guest, not a bot). */
  private async teammate(
    ctx: TurnContext,
    ws: Workspace,
    tenantId: string,
    platformUserId: string,
  ): Promise<TeammateLookup> {
    const user = await this.deps.directory.lookup(ctx, tenantId, {
      id: platformUserId,
      name: "",
      aadObjectId: null,
      role: null,
    });
    if (!user.verified) return { ok: false, reason: "unknown" };
    if (user.external) return { ok: false, reason: "external", name: user.displayName };
    if (user.isBot) return { ok: false, reason: "bot", name: user.displayName };
    // Created on first sight; a new teammate drops the tracker's cache at once (app/members.ts).
    const member =
      (await this.app.service.findMember(ws, platformUserId)) ??
      (await this.app.service.noteTeammate(ws, userRef(user)));
    return { ok: true, member };
  }

  // ---------------------------------------------------------------------------------------------
  // people

  /** The sender of an install, marked as its installer (app/install.ts): they administer the bot. */
  private async installer(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    tenantId: string,
  ): Promise<Actor | null> {
    const actor = await this.actor(ctx, a, ws, tenantId);
    if (!actor) return null;
    return { ...actor, member: await this.app.service.markInstaller(ws, actor.member) };
  }

  /** The sender as a member (created on first sight); null for guests and other tenants. */
  private async actor(
    ctx: TurnContext,
    a: TeamsActivity,
    ws: Workspace,
    tenantId: string,
  ): Promise<Actor | null> {
    const user = await this.deps.directory.lookup(ctx, tenantId, a.from);
    // Only someone the tenant's roster confirms acts as a member. When the lookup fails the sender
    // is unknown (tracking may guess "teammate"; commands may not: they read the tenant's data).
    if (user.external || user.isBot || !user.verified) return null;
    const tz = validTimeZone(a.localTimezone);
    const member = await this.app.service.member(ws, {
      ...userRef(user),
      ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}),
      ...(tz ? { tz } : {}),
    });
    return { member, user };
  }

  /** core/admins.ts: the installer, and TEAMS_ADMIN_IDS by Teams user id or Entra object id. */
  private isAdmin(member: Member, user: TeamsUser): boolean {
    return administers(member, this.deps.adminIds, [user.aadObjectId]);
  }

  // ---------------------------------------------------------------------------------------------
  // sending

  private async sendText(ctx: TurnContext, text: string): Promise<void> {
    await ctx.sendActivity({ type: "message", text: toTeamsMarkdown(text), textFormat: "markdown" });
  }

  private async sendCard(ctx: TurnContext, card: AdaptiveCard, summary: string): Promise<void> {
    await ctx.sendActivity(cardMessage(card, summary));
  }

  /** Swaps the card whose button was pressed for `card`, so old buttons can't be pressed again. */
  private async replaceCard(ctx: TurnContext, a: TeamsActivity, card: AdaptiveCard): Promise<void> {
    if (a.replyToId) {
      try {
        await ctx.updateActivity({ ...cardMessage(card, ""), id: a.replyToId });
        return;
      } catch (err) {
        this.log.warn("teams card update failed; sending a new message", { err: (err as Error).message });
      }
    }
    await ctx.sendActivity(cardMessage(card, ""));
  }
}

interface Actor {
  member: Member;
  user: TeamsUser;
}

function cardMessage(card: AdaptiveCard, summary: string): Partial<Activity> {
  return {
    type: "message",
    // Never empty (issue 20 item 9): an answered prompt is summed up by its card's first line.
    summary: teamsPlainText(summary || (card.fallbackText ?? "").split("\n")[0] || "Take It Offline"),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

function conversationReference(ctx: TurnContext) {
  return TurnContext.getConversationReference(ctx.activity);
}

function userRef(user: TeamsUser): PlatformUserRef {
  return {
    platformUserId: user.platformUserId,
    displayName: user.displayName,
    realName: user.realName ?? null,
    external: user.external,
    organization: user.organization ?? null,
    email: user.email ?? null,
  };
}

/**
 * The activity's inbox key (after "teams:"), or null for one processed without the inbox (no id to
 * de-duplicate on, or nothing to do). Scoped by tenant and conversation: activity ids are only
 * unique within a conversation, and one tenant must not be able to shadow another's deliveries.
 */
export function inboxKey(a: TeamsActivity, tenantId: string): string | null {
  if (!a.id) return null;
  const conversation = baseConversationId(a);
  const eventType = a.channelData.eventType ?? "";
  switch (a.type) {
    case "message":
      return isBotAccount(a.from) ? null : `message:${tenantId}:${conversation}:${a.id}`;
    case "messageUpdate": {
      if (isBotAccount(a.from) || !includes(HANDLED_EVENT_TYPES.messageUpdate, eventType)) return null;
      // Every edit reuses the message id: a redelivery is the same edit (same time, same text),
      // while editing back and forth is not.
      const version = createHash("sha256")
        .update(`${a.timestamp?.toISOString() ?? ""}\n${a.text ?? ""}`)
        .digest("hex")
        .slice(0, 16);
      return `edit:${tenantId}:${conversation}:${a.id}:${version}`;
    }
    case "messageDelete":
      return includes(HANDLED_EVENT_TYPES.messageDelete, eventType)
        ? `delete:${tenantId}:${conversation}:${a.id}`
        : null;
    default:
      return `${a.type}:${tenantId}:${a.conversation.id}:${a.id}`;
  }
}

/** Message ids are keyed on the channel (not the thread) so edits and deletes find them. */
export function messageIdOf(a: TeamsActivity): string {
  return `${baseConversationId(a)}:${a.id ?? ""}`;
}

function validTimeZone(tz: string | null | undefined): string | null {
  return tz && isValidTimeZone(tz) ? tz : null;
}

function includes<T extends string>(list: readonly T[], value: string | null | undefined): value is T {
  return value !== null && value !== undefined && (list as readonly string[]).includes(value);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
