import {
  type ContactRef,
  commandHelp,
  helpText,
  type LocalDateTime,
  type ParsedCommand,
  resolveDay,
  type TrackAlias,
  type UserRef,
} from "../core/commands.ts";
import { normalizeAlias } from "../core/contacts.ts";
import { buildDigest, type DigestView } from "../core/digest.ts";
import { ago, escapeMarkup, formatWhen, plural } from "../core/format.ts";
import { applyLunchEvent, OPEN_LUNCH_STATUSES } from "../core/lunches.ts";
import { memberTimeZone, planSweep, rankTeammates } from "../core/nudges.ts";
import type { AliasInput, Clock, Store } from "../core/ports.ts";
import { command, PROMPT_TEAMMATES } from "../core/prompt-text.ts";
import { asSendFailure, nothingWasSent, type SendFailure } from "../core/send-failure.ts";
import {
  addDays,
  DAY_MS,
  digestPeriod,
  isoWeekRange,
  parseIsoWeek,
  previousIsoWeek,
  safeTimeZone,
  zonedParts,
  zonedTimeToUtc,
} from "../core/time.ts";
import { type DetectionOffload, type LongMessageNotice, Tracker } from "../core/tracking.ts";
import type {
  Contact,
  ContactStatus,
  Lunch,
  Member,
  Nudge,
  PlatformUserRef,
  Workspace,
} from "../core/types.ts";
import { type PlanLunchDeps, planLunch as planLunchUseCase } from "./plan-lunch.ts";
import type { LunchChatPort, TeammateDirectory } from "./ports.ts";

// The application service: every user-facing operation, whatever the platform. Slack, Teams,
// the CLI and the scheduler call these methods and only render what comes back.

/** A DM the bot sends; the platform renders buttons (Block Kit or Adaptive Card) for it. */
export type Prompt =
  | {
      kind: "lunch";
      nudgeId: string;
      contactId: string;
      contactName: string;
      organization: string | null;
      reason: string;
      teammateNames: string[];
      mentionCount: number;
    }
  | {
      kind: "candidate";
      nudgeId: string;
      contactId: string;
      contactName: string;
      question: string;
      reason: string;
    }
  | { kind: "follow-up"; lunchId: string; contactName: string; when: string | null; place: string | null };

/** The outbound side of a chat platform, as the core needs it. */
export interface ChatPort {
  /** Sends a DM to the member; returns a reference to the message (for later updates). */
  sendPrompt(ws: Workspace, member: Member, prompt: Prompt): Promise<string>;
  /** Posts the digest to a channel; `key` identifies the digest (workspace + week) in the message. */
  postDigest(ws: Workspace, channel: string, digest: DigestView, key: string): Promise<string>;
  /** Finds a digest message posted earlier with `key`, to recover from a crash after posting. */
  findDigestPost?(ws: Workspace, channel: string, key: string): Promise<string | null>;
}

export type Reply =
  | { kind: "text"; text: string }
  | { kind: "error"; text: string }
  | { kind: "digest"; view: DigestView; text: string }
  | { kind: "settings"; workspace: Workspace }
  | { kind: "lunch"; text: string; lunch: Lunch; contactName: string; ics: string | null };

export type PromptAction = "plan" | "snooze" | "met" | "not-contact" | "track" | "ignore";

export interface ActionOutcome {
  /** Text that replaces the prompt, so its buttons can't be pressed twice with effect. */
  text: string;
  /** False when nothing changed (already handled, not yours, gone). */
  changed: boolean;
  /**
   * The prompt's own message (where it was sent), set only when the prompt is the actor's: a click
   * without a message of its own (App Home) updates this one, never someone else's.
   */
  messageRef?: string | null;
  /** For "plan": what the lunch form needs. */
  lunchForm?: {
    nudgeId: string;
    contactId: string;
    contactName: string;
    teammates: Array<{ id: string; platformUserId: string; name: string }>;
  };
}

export interface LunchPlanInput {
  contactId: string;
  nudgeId?: string | null;
  /** Local date/time in the organizer's zone. */
  on?: LocalDateTime | null;
  place?: string | null;
  /** Platform user ids of teammates joining. */
  withUserIds?: string[];
}

export interface CommandContext {
  isAdmin: boolean;
  /** Looks a platform user up (name, external?) when a command mentions one. */
  resolveUser?: (platformUserId: string) => Promise<PlatformUserRef | null>;
  /** Posts the digest for `digest now`. */
  chat?: ChatPort;
  /** Where `lunch … with @a` sends the invite and tells attendees (without it, nobody is told). */
  lunchChat?: LunchChatPort;
  /** Strict lookup of teammates named in `lunch … with`; default: built from resolveUser. */
  teammates?: TeammateDirectory;
}

/** One message that didn't go out, for the job's report and the caller's log. */
export interface SendFailureNote {
  memberId: string;
  contactId?: string;
  lunchId?: string;
  kind: SendFailure["kind"];
  reason: SendFailure["reason"];
  /** The platform's code, as the adapter reported it. */
  code: string;
  retryAfterMs?: number;
  /** "retry": nothing was delivered and the next run asks again; "dropped": at most once, not resent. */
  next: "retry" | "dropped";
}

export interface SweepReport {
  workspaceId: string;
  sent: number;
  failed: number;
  /** Decisions not sent this run because the platform is rate-limiting (the next sweep sends them). */
  deferred: number;
  promoted: number;
  skipped: number;
  failures: SendFailureNote[];
}

export interface FollowUpReport {
  sent: number;
  failed: number;
  failures: Array<SendFailureNote & { workspaceId: string }>;
}

function failureNote(
  f: SendFailure,
  ids: { memberId: string; contactId?: string; lunchId?: string },
): SendFailureNote {
  return {
    ...ids,
    kind: f.kind,
    reason: f.reason,
    code: f.code,
    ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
    next: nothingWasSent(f) ? "retry" : "dropped",
  };
}

/** What the admin reads when the platform refused the digest (nothing was posted). */
function digestRefusal(f: SendFailure, week: string): string {
  switch (f.reason) {
    case "channel-unavailable":
      return `I couldn't post the digest for ${week}: the digest channel is gone, archived, or I'm not in it. Invite me to the channel, or pick another one with ${command("settings")}. Nothing was posted; the next run tries again.`;
    case "app-removed":
      return `I couldn't post the digest for ${week}: Take It Offline was uninstalled or its access was revoked. Reinstall the app to get digests again.`;
    case "rate-limited":
      return `The chat platform is rate-limiting me, so the digest for ${week} wasn't posted. I'll try again in a few minutes.`;
    default:
      return `The chat platform refused the digest for ${week} (${f.reason}); nothing was posted. I'll try again at the next run.`;
  }
}

const SNOOZE_DAYS = 14;
const CONTACT_LIST_DAYS = 90;
/** A digest claim older than this without completion is presumed crashed. */
export const DIGEST_CLAIM_STALE_MS = 5 * 60_000;
/** How often a process renews its digest claim while the post is in flight. */
export const DIGEST_HEARTBEAT_MS = DIGEST_CLAIM_STALE_MS / 5;

export class OfflineService {
  readonly tracker: Tracker;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    options: {
      detectionOffload?: DetectionOffload;
      onLongMessage?: (notice: LongMessageNotice) => void;
    } = {},
  ) {
    this.tracker = new Tracker(store, clock, options.detectionOffload, options.onLongMessage);
  }

  // ---------------------------------------------------------------------------------------------
  // members

  async member(
    ws: Workspace,
    ref: PlatformUserRef & { tz?: string | null; isAdmin?: boolean; isBot?: boolean },
  ): Promise<Member> {
    return this.store.upsertMember(ws.id, {
      platformUserId: ref.platformUserId,
      displayName: ref.displayName,
      // The full name matters: detection must never take a teammate's real name for a contact.
      ...(ref.realName ? { realName: ref.realName } : {}),
      ...(ref.handle ? { handle: ref.handle } : {}),
      ...(ref.email !== undefined ? { email: ref.email } : {}),
      ...(ref.tz !== undefined ? { tz: ref.tz } : {}),
      ...(ref.isAdmin !== undefined ? { isAdmin: ref.isAdmin } : {}),
      ...(ref.isBot !== undefined ? { isBot: ref.isBot } : {}),
    });
  }

  private tzOf(ws: Workspace, member: Pick<Member, "tz">): string {
    return memberTimeZone(member.tz, ws.timezone);
  }

  // ---------------------------------------------------------------------------------------------
  // commands

  async execute(ws: Workspace, actor: Member, cmd: ParsedCommand, ctx: CommandContext): Promise<Reply> {
    switch (cmd.kind) {
      case "error":
        return { kind: "error", text: `${escapeMarkup(cmd.message)}\n\n${cmd.usage}` };
      case "help":
        return {
          kind: "text",
          text: cmd.topic
            ? commandHelp(cmd.topic, { now: this.clock.now() })
            : helpText({ now: this.clock.now() }),
        };
      case "track":
        return this.track(ws, cmd.name, cmd.aliases, cmd.userRef, ctx);
      case "untrack":
      case "ignore":
        return this.dropContact(ws, cmd.contact, cmd.kind, ctx);
      case "contacts":
        return this.listContacts(ws, cmd.filter);
      case "met": {
        const contact = await this.findContact(ws, cmd.contact, ctx);
        if (!contact) return notFound(cmd.contact);
        const tz = this.tzOf(ws, actor);
        const today = zonedParts(this.clock.now(), tz);
        const day = resolveDay(cmd.on, today);
        const metAt = zonedTimeToUtc({ ...day, hour: 12 }, tz);
        if (metAt.getTime() > this.clock.now().getTime() + DAY_MS) {
          return {
            kind: "error",
            text: `That date is in the future. Use ${command("lunch")} to plan a meeting instead.`,
          };
        }
        // "today" means noon, which may still be ahead: never record a meeting in the future.
        const now = this.clock.now();
        await this.recordMet(
          ws,
          actor,
          contact,
          new Date(Math.min(metAt.getTime(), now.getTime())),
          "command",
        );
        return {
          kind: "text",
          text: `Noted: you met ${escapeMarkup(contact.displayName)} in person. Nice — that resets the clock for them.`,
        };
      }
      case "lunch": {
        const contact = await this.findContact(ws, cmd.contact, ctx);
        if (!contact) return notFound(cmd.contact);
        return this.planLunch(
          ws,
          actor,
          {
            contactId: contact.id,
            on: cmd.on ?? null,
            place: cmd.place ?? null,
            withUserIds: cmd.with.map((u) => u.id),
          },
          {
            chat: ctx.lunchChat ?? null,
            ...(ctx.teammates
              ? { teammates: ctx.teammates }
              : ctx.resolveUser
                ? { teammates: (id: string) => this.teammateFromCommand(ws, id, ctx) }
                : {}),
          },
        );
      }
      case "digest": {
        if (cmd.mode === "now") {
          if (!ctx.isAdmin)
            return {
              kind: "error",
              text: `Only workspace admins can post the digest. Try ${command("digest preview")}.`,
            };
          if (!ctx.chat) return { kind: "error", text: "Posting is not available here." };
          if (!ws.digestChannel)
            return {
              kind: "error",
              text: `No digest channel is set yet. An admin can pick one in ${command("settings")}.`,
            };
          const result = await this.postWeeklyDigest(ws, ctx.chat, cmd.week);
          return { kind: "text", text: result.message };
        }
        if (cmd.week && !parseIsoWeek(cmd.week))
          return { kind: "error", text: `${cmd.week} is not an ISO week. Use YYYY-Www, e.g. 2026-W48.` };
        const view = await this.digestView(ws, cmd.week);
        return { kind: "digest", view, text: escapeMarkup(view.fallbackText) };
      }
      case "settings":
        if (!ctx.isAdmin)
          return { kind: "error", text: "Only workspace admins and owners can change settings." };
        return { kind: "settings", workspace: ws };
      case "pause": {
        const until =
          cmd.days === null ? new Date("9999-12-31T00:00:00Z") : addDays(this.clock.now(), cmd.days);
        await this.store.updateMember(ws.id, actor.id, { snoozeUntil: until });
        return {
          kind: "text",
          text:
            cmd.days === null
              ? `Paused. I won't send you prompts until you say ${command("resume")}.`
              : `Paused for ${plural(cmd.days, "day")}. I won't send you prompts until ${formatWhen(until, this.tzOf(ws, actor))}.`,
        };
      }
      case "resume":
        await this.store.updateMember(ws.id, actor.id, { snoozeUntil: null, optedOut: false });
        // The tracker's member rows must stop skipping this person's messages now, not on reload.
        if (actor.optedOut) this.tracker.invalidate(ws.id);
        return { kind: "text", text: "Welcome back. Prompts are on again (only in your working hours)." };
      case "forget-me":
        await this.store.forgetMember(ws.id, actor.id);
        this.tracker.invalidate(ws.id);
        return {
          kind: "text",
          text: `Done. I deleted everything I had about you (mentions, prompts, lunches, meetings) and I won't track your messages any more. Say ${command("resume")} if you ever want back in.`,
        };
      case "stats":
        return this.stats(ws, actor);
    }
  }

  /** A teammate named in `lunch … with @x`, through the platform's user lookup. */
  private async teammateFromCommand(
    ws: Workspace,
    platformUserId: string,
    ctx: CommandContext,
  ): ReturnType<TeammateDirectory> {
    const ref = await ctx.resolveUser?.(platformUserId);
    if (!ref) return { ok: false, reason: "unknown" };
    if (ref.external) return { ok: false, reason: "external", name: ref.displayName };
    const known = await this.store.getMember(ws.id, platformUserId);
    const member = await this.member(ws, ref);
    // A new teammate's name must stop looking like an outside contact right away.
    if (!known) this.tracker.invalidate(ws.id);
    return { ok: true, member };
  }

  private async track(
    ws: Workspace,
    name: string,
    aliases: TrackAlias[],
    userRef: UserRef | undefined,
    ctx: CommandContext,
  ): Promise<Reply> {
    let displayName = name;
    const inputs: AliasInput[] = [];
    if (userRef) {
      const ref = (await ctx.resolveUser?.(userRef.id)) ?? null;
      if (ref && !ref.external)
        return {
          kind: "error",
          text: `${escapeMarkup(ref.displayName || "That person")} is on your team. I only track people outside it.`,
        };
      const contact = await this.tracker.contactForUser(
        ws,
        ref ?? { platformUserId: userRef.id, displayName: userRef.name ?? name, external: true },
      );
      displayName ||= contact.displayName;
      inputs.push({
        kind: "platform",
        normalized: normalizeAlias("platform", userRef.id),
        display: displayName,
      });
    }
    if (displayName)
      inputs.push({ kind: "name", normalized: normalizeAlias("name", displayName), display: displayName });
    for (const a of aliases)
      inputs.push({ kind: a.kind, normalized: normalizeAlias(a.kind, a.value), display: a.value });
    if (inputs.length === 0)
      return {
        kind: "error",
        text: `Tell me who to track, e.g. ${command("track Jane Doe, jane@acme.com")}.`,
      };

    const members = await this.store.listMembers(ws.id);
    const teammate = members.find((m) =>
      [m.displayName, m.realName, m.email ?? ""].some(
        (n) =>
          n && inputs.some((i) => i.normalized === normalizeAlias(i.kind === "email" ? "email" : "name", n)),
      ),
    );
    if (teammate)
      return {
        kind: "error",
        text: `${escapeMarkup(teammate.displayName || teammate.realName)} is on your team. I only track people outside it.`,
      };

    // Every alias that already belongs to a contact pulls that contact into this one.
    const owners: Contact[] = [];
    for (const a of inputs) {
      const c = await this.store.findContactByAlias(ws.id, a.normalized);
      if (c && !owners.some((o) => o.id === c.id)) owners.push(c);
    }
    let contact: Contact;
    const [first, ...rest] = owners;
    if (!first) {
      contact = await this.store.createContact(
        ws.id,
        { displayName: displayName || inputs[0]!.display, status: "tracked" },
        inputs,
      );
    } else {
      if (rest.length)
        await this.store.mergeContacts(
          ws.id,
          first.id,
          rest.map((c) => c.id),
        );
      await this.store.addAliases(ws.id, first.id, inputs);
      contact = await this.store.updateContact(ws.id, first.id, {
        status: "tracked",
        ...(displayName ? { displayName } : {}),
      });
    }
    this.tracker.invalidate(ws.id);
    const shown = inputs.filter((i) => i.kind !== "platform").map((i) => i.display);
    const also = shown.filter((s) => s !== contact.displayName).map(escapeMarkup);
    const merged = rest.length ? ` Merged ${plural(rest.length + 1, "entry", "entries")} into one.` : "";
    return {
      kind: "text",
      text: `Tracking ${escapeMarkup(contact.displayName)}${shown.length > 1 ? ` (also as ${also.join(", ")})` : ""}.${merged} Mentions of any of these count for them.`,
    };
  }

  private async dropContact(
    ws: Workspace,
    ref: ContactRef,
    kind: "untrack" | "ignore",
    ctx: CommandContext,
  ): Promise<Reply> {
    const contact = await this.findContact(ws, ref, ctx);
    if (!contact) return notFound(ref);
    await this.store.updateContact(ws.id, contact.id, { status: "ignored" });
    this.tracker.invalidate(ws.id);
    return {
      kind: "text",
      text:
        kind === "ignore"
          ? `Got it: ${escapeMarkup(contact.displayName)} is not someone to meet. I won't count mentions of them any more.`
          : `Stopped tracking ${escapeMarkup(contact.displayName)}. No more prompts about them. (Use ${command("track")} to start again.)`,
    };
  }

  /** A contact named in a command: by platform user, or by any alias / name. */
  async findContact(ws: Workspace, ref: ContactRef, ctx: CommandContext): Promise<Contact | null> {
    if (ref.kind === "user") {
      const existing = await this.store.findContactByPlatformUser(ws.id, ref.id);
      if (existing) return existing;
      const user = await ctx.resolveUser?.(ref.id);
      return user?.external ? this.tracker.contactForUser(ws, user) : null;
    }
    const text = ref.text.trim();
    for (const kind of ["name", "email", "handle", "url"] as const) {
      if (kind === "email" && !text.includes("@")) continue;
      if (kind === "handle" && !text.startsWith("@")) continue;
      const c = await this.store.findContactByAlias(ws.id, normalizeAlias(kind, text));
      if (c) return c;
    }
    return null;
  }

  private async listContacts(ws: Workspace, filter: ContactStatus | "all"): Promise<Reply> {
    const since = addDays(this.clock.now(), -CONTACT_LIST_DAYS);
    const stats = await this.store.listContactStats(ws.id, {
      since,
      limit: 25,
      ...(filter === "all" ? {} : { status: filter }),
    });
    const label =
      filter === "all" ? "contacts" : filter === "candidate" ? "candidates" : `${filter} contacts`;
    if (stats.length === 0) {
      return {
        kind: "text",
        text: `No ${label} mentioned in the last ${CONTACT_LIST_DAYS} days.${filter === "tracked" ? ` Add one with ${command("track Jane Doe, jane@acme.com")}.` : ""}`,
      };
    }
    const now = this.clock.now();
    const lines = stats.map((s, i) => {
      const c = s.contact;
      const met = c.lastMetAt ? `met ${ago(c.lastMetAt, now)}` : "never met in person";
      const org = c.organization ? ` (${escapeMarkup(c.organization)})` : "";
      const status = filter === "all" ? ` [${c.status}]` : "";
      return `${i + 1}. ${escapeMarkup(c.displayName)}${org}${status}: ${plural(s.mentions, "mention")} by ${plural(s.teammates, "teammate")}, ${met}`;
    });
    return {
      kind: "text",
      text: `Most discussed ${label}, last ${CONTACT_LIST_DAYS} days:\n${lines.join("\n")}`,
    };
  }

  private async stats(ws: Workspace, actor: Member): Promise<Reply> {
    const now = this.clock.now();
    const since = addDays(now, -30);
    const [all, mine, lunches, nudges] = await Promise.all([
      this.store.listContactStats(ws.id, { since, status: "tracked" }),
      this.store.listContactStats(ws.id, { since, status: "tracked", memberId: actor.id }),
      this.store.listLunches(ws.id, { from: since }),
      this.store.listNudges(ws.id, { since, memberId: actor.id }),
    ]);
    const met = all.filter(
      (s) => s.contact.lastMetAt && now.getTime() - s.contact.lastMetAt.getTime() < 90 * DAY_MS,
    ).length;
    return {
      kind: "text",
      text: [
        "Last 30 days:",
        `• Team: ${plural(all.length, "external contact")} discussed, ${met} of them met in person within 90 days.`,
        `• Lunches: ${lunches.filter((l) => l.status !== "cancelled").length} planned, ${lunches.filter((l) => l.status === "met").length} held.`,
        `• You: talked about ${plural(mine.length, "contact")}, got ${plural(nudges.length, "prompt")}.`,
        actor.snoozeUntil && actor.snoozeUntil > now
          ? "• Your prompts are paused."
          : "• Your prompts are on.",
      ].join("\n"),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // prompts and their buttons

  async handlePromptAction(
    ws: Workspace,
    actor: Member,
    nudgeId: string,
    action: PromptAction,
  ): Promise<ActionOutcome> {
    const nudge = await this.store.getNudge(ws.id, nudgeId);
    if (!nudge) return { text: "This prompt no longer exists.", changed: false };
    if (nudge.memberId !== actor.id)
      return { text: "This prompt was meant for someone else.", changed: false };
    const contact = await this.store.getContact(ws.id, nudge.contactId);
    if (!contact) return { text: "That contact was removed.", changed: false };
    const open = ["sent", "pending"] as const;
    // Core markup: the name goes into outcome texts (the lunch form gets the plain one).
    const name = escapeMarkup(contact.displayName);
    const now = this.clock.now();
    const own = { messageRef: nudge.messageRef };
    const done = (text: string) => ({ text, changed: true, ...own });
    const stale = {
      text: `Already handled: ${describeNudgeStatus(nudge.status, name)}`,
      changed: false,
      ...own,
    };

    switch (action) {
      case "plan": {
        if (!open.includes(nudge.status as (typeof open)[number])) return stale;
        const teammates = await this.teammatesFor(ws, contact.id, actor.id);
        return {
          text: `Planning lunch with ${name}…`,
          changed: false,
          ...own,
          lunchForm: { nudgeId, contactId: contact.id, contactName: contact.displayName, teammates },
        };
      }
      case "snooze": {
        const until = addDays(now, SNOOZE_DAYS);
        const ok = await this.store.transitionNudge(ws.id, nudgeId, [...open], {
          status: "snoozed",
          snoozeUntil: until,
        });
        return ok ? done(`Snoozed: I'll ask about ${name} again in two weeks at the earliest.`) : stale;
      }
      case "met": {
        const ok = await this.store.transitionNudge(ws.id, nudgeId, [...open], { status: "met" });
        if (!ok) return stale;
        await this.recordMet(ws, actor, contact, now, "button");
        return done(`Great, you've already met ${name} in person. Noted.`);
      }
      case "not-contact":
      case "ignore": {
        const ok = await this.store.transitionNudge(ws.id, nudgeId, [...open], { status: "dismissed" });
        if (!ok) return stale;
        await this.store.updateContact(ws.id, contact.id, { status: "ignored" });
        this.tracker.invalidate(ws.id);
        return done(`Thanks: ${name} is not an external contact. I won't bring them up again.`);
      }
      case "track": {
        const ok = await this.store.transitionNudge(ws.id, nudgeId, [...open], { status: "confirmed" });
        if (!ok) return stale;
        await this.store.updateContact(ws.id, contact.id, { status: "tracked" });
        this.tracker.invalidate(ws.id);
        return done(`Tracking ${name}. I'll suggest taking it offline when the time is right.`);
      }
    }
  }

  /** Teammates (other than `exceptMemberId`) who discussed the contact lately: the lunch form's choices. */
  async teammatesFor(ws: Workspace, contactId: string, exceptMemberId: string) {
    const since = addDays(this.clock.now(), -ws.settings.mentionWindowDays * 2);
    const events = await this.store.mentionEvents(ws.id, since);
    // Most active first, as the prompt named them: the form preselects the first PROMPT_TEAMMATES.
    const ids = rankTeammates(events, contactId).filter((id) => id !== exceptMemberId);
    const byId = new Map((await this.store.listMembers(ws.id)).map((m) => [m.id, m]));
    return ids
      .map((id) => byId.get(id))
      .filter((m): m is Member => !!m && !m.optedOut && !m.isBot)
      .map((m) => ({ id: m.id, platformUserId: m.platformUserId, name: m.displayName || m.realName }));
  }

  /**
   * What the lunch form needs to plan a lunch with a contact without a prompt (the digest's Plan
   * lunch): null unless the contact is tracked, so a crafted click can't plan around a candidate.
   */
  async lunchFormFor(
    ws: Workspace,
    actor: Member,
    contactId: string,
  ): Promise<(Omit<NonNullable<ActionOutcome["lunchForm"]>, "nudgeId"> & { nudgeId: null }) | null> {
    const contact = await this.store.getContact(ws.id, contactId);
    if (contact?.status !== "tracked") return null;
    const teammates = await this.teammatesFor(ws, contact.id, actor.id);
    return { nudgeId: null, contactId: contact.id, contactName: contact.displayName, teammates };
  }

  async recordMet(
    ws: Workspace,
    member: Member,
    contact: Contact,
    metAt: Date,
    source: "button" | "command" | "lunch",
    lunchId?: string,
  ): Promise<void> {
    await this.store.recordMeeting(ws.id, {
      contactId: contact.id,
      memberId: member.id,
      metAt,
      source,
      lunchId: lunchId ?? null,
    });
  }

  /**
   * Creates a lunch with an .ics invite: the plan-lunch use case (src/app/plan-lunch.ts), kept here
   * for callers that hold the service. Without `deps.chat` nobody is notified.
   */
  async planLunch(
    ws: Workspace,
    organizer: Member,
    input: LunchPlanInput,
    deps: Partial<Omit<PlanLunchDeps, "store" | "clock">> = {},
  ): Promise<Reply> {
    const result = await planLunchUseCase(
      { store: this.store, clock: this.clock, chat: null, ...deps },
      { workspace: ws, organizer, ...input },
    );
    if (!result.ok) return { kind: "error", text: result.message };
    return {
      kind: "lunch",
      text: result.text,
      lunch: result.lunch,
      contactName: result.contactName,
      ics: result.ics,
    };
  }

  /** "Did it happen?" — yes records the meeting for everyone who went; no cancels. */
  async answerFollowUp(
    ws: Workspace,
    actor: Member,
    lunchId: string,
    happened: boolean,
  ): Promise<ActionOutcome> {
    const lunch = await this.store.getLunch(ws.id, lunchId);
    if (!lunch) return { text: "That lunch no longer exists.", changed: false };
    if (lunch.organizerId !== actor.id && !lunch.attendeeIds.includes(actor.id))
      return { text: "This lunch isn't yours.", changed: false };
    const contact = await this.store.getContact(ws.id, lunch.contactId);
    const name = contact ? escapeMarkup(contact.displayName) : "your contact";
    const result = applyLunchEvent(
      lunch,
      { type: happened ? "happened" : "did-not-happen" },
      this.clock.now(),
      this.tzOf(ws, actor),
    );
    if (!result.ok) {
      const final = lunch.status === "met" || lunch.status === "cancelled";
      return {
        text: final
          ? `Already answered: the lunch with ${name} is ${lunch.status === "met" ? "recorded as held" : "cancelled"}.`
          : result.error,
        changed: false,
      };
    }
    const saved = await this.store.saveLunch(ws.id, result.lunch, lunch.status);
    if (!saved) return { text: `Already answered for the lunch with ${name}.`, changed: false };
    for (const m of result.meetings) {
      await this.store.recordMeeting(ws.id, { ...m, lunchId: lunch.id });
    }
    return happened
      ? { text: `Wonderful — lunch with ${name} recorded. That's taking it offline.`, changed: true }
      : {
          text: `No worries. The lunch with ${name} is cancelled; plan another any time with ${command("lunch")}.`,
          changed: true,
        };
  }

  // ---------------------------------------------------------------------------------------------
  // scheduled work

  /** Evaluates the nudge policy for one workspace and sends what it decides. Each nudge at most once. */
  async runNudgeSweep(ws: Workspace, chat: ChatPort): Promise<SweepReport> {
    const now = this.clock.now();
    const s = ws.settings;
    const lookback = Math.max(s.pairCooldownDays, 14, SNOOZE_DAYS) + 7;
    const [events, members, nudges, lunches] = await Promise.all([
      this.store.mentionEvents(ws.id, addDays(now, -s.mentionWindowDays)),
      this.store.listMembers(ws.id),
      this.store.listNudges(ws.id, { since: addDays(now, -lookback) }),
      this.store.listLunches(ws.id, { status: [...OPEN_LUNCH_STATUSES] }),
    ]);
    const contactIds = [...new Set(events.map((e) => e.contactId))];
    const contacts = await this.store.getContacts(ws.id, contactIds);
    // Candidate prompts are asked once ever: add older candidate nudges for these contacts.
    const olderCandidateNudges = await this.store.listNudges(ws.id, {
      kind: "candidate",
      before: addDays(now, -lookback),
      contactIds,
    });
    // "unsent" prompts never reached the member: they count for nothing (no cooldown, no weekly
    // cap, not "asked"), so the pair is picked again; only a rate limit's retry time holds it back.
    const delivered = (n: Nudge) => n.status !== "unsent";
    const holdUntil = new Map<string, Date>();
    for (const n of nudges)
      if (n.status === "unsent" && n.snoozeUntil && n.snoozeUntil > now)
        holdUntil.set(`${n.memberId}:${n.contactId}`, n.snoozeUntil);
    const plan = planSweep({
      now,
      settings: s,
      workspaceTimezone: ws.timezone,
      members,
      contacts,
      mentions: events,
      recentNudges: [...nudges, ...olderCandidateNudges].filter(delivered),
      lunches,
    });
    for (const id of plan.promote) await this.store.updateContact(ws.id, id, { status: "tracked" });
    if (plan.promote.length) this.tracker.invalidate(ws.id);

    const byId = new Map(members.map((m) => [m.id, m]));
    const contactById = new Map(contacts.map((c) => [c.id, c]));
    let sent = 0;
    let failed = 0;
    let deferred = 0;
    let rateLimited = false;
    const failures: SendFailureNote[] = [];
    const decisions = [
      ...plan.nudges.map((d) => ({ ...d, question: "" })),
      ...plan.candidatePrompts.map((p) => ({ ...p, nudgedTogetherWith: [] as string[] })),
    ];
    for (const d of decisions) {
      const member = byId.get(d.memberId);
      const contact = contactById.get(d.contactId);
      if (!member || !contact) continue;
      // After a rate limit the platform refuses the rest too: leave them for the next sweep.
      if (rateLimited || holdUntil.has(`${d.memberId}:${d.contactId}`)) {
        deferred++;
        continue;
      }
      // The row exists before the DM goes out: a crash after sending leaves it "pending", which
      // the policy treats as sent, so the prompt is never sent twice.
      const nudge = await this.store.createNudge(ws.id, {
        memberId: member.id,
        contactId: contact.id,
        kind: d.kind,
        createdAt: this.clock.now(),
      });
      const prompt: Prompt =
        d.kind === "lunch"
          ? {
              kind: "lunch",
              nudgeId: nudge.id,
              contactId: contact.id,
              contactName: contact.displayName,
              organization: contact.organization,
              reason: d.reason,
              teammateNames: d.teammateIds
                .map((id) => byId.get(id))
                .filter((m): m is Member => !!m)
                .slice(0, PROMPT_TEAMMATES)
                .map((m) => m.displayName || m.realName),
              mentionCount: d.mentionCount,
            }
          : {
              kind: "candidate",
              nudgeId: nudge.id,
              contactId: contact.id,
              contactName: contact.displayName,
              question: d.question,
              reason: d.reason,
            };
      try {
        const ref = await chat.sendPrompt(ws, member, prompt);
        await this.store.transitionNudge(ws.id, nudge.id, ["pending"], {
          status: "sent",
          sentAt: this.clock.now(),
          messageRef: ref,
        });
        sent++;
      } catch (err) {
        failed++;
        const f = asSendFailure(err);
        failures.push(failureNote(f, { memberId: member.id, contactId: contact.id }));
        if (f.kind === "rate-limited") rateLimited = true;
        // Definitely not delivered: "unsent", which the policy ignores, so the next sweep asks again
        // (after the platform's Retry-After). Maybe delivered: "failed", which counts as sent for the
        // cooldown and the weekly cap, so the member never gets the same prompt twice.
        const retryAt =
          f.retryAfterMs !== undefined ? new Date(this.clock.now().getTime() + f.retryAfterMs) : null;
        await this.store.transitionNudge(
          ws.id,
          nudge.id,
          ["pending"],
          nothingWasSent(f) ? { status: "unsent", snoozeUntil: retryAt } : { status: "failed" },
        );
      }
    }
    return {
      workspaceId: ws.id,
      sent,
      failed,
      deferred,
      promoted: plan.promote.length,
      skipped: plan.skipped.length,
      failures,
    };
  }

  /** Sends "did it happen?" for lunches whose follow-up is due, across workspaces. Each at most once. */
  async runFollowUps(chatFor: (ws: Workspace) => ChatPort | null): Promise<FollowUpReport> {
    const now = this.clock.now();
    let sent = 0;
    let failed = 0;
    const failures: FollowUpReport["failures"] = [];
    for (const lunch of await this.store.dueFollowUps(now)) {
      const ws = await this.store.getWorkspace(lunch.workspaceId);
      const chat = ws && chatFor(ws);
      if (!ws || !chat) continue;
      const organizer = await this.store.getMemberById(ws.id, lunch.organizerId);
      if (!organizer || organizer.optedOut) continue;
      const next = applyLunchEvent(lunch, { type: "follow-up-sent" }, now, this.tzOf(ws, organizer));
      if (!next.ok) continue;
      // Claim first (compare-and-set on status): of two replicas, only one sends.
      const claimed = await this.store.saveLunch(ws.id, { ...next.lunch, followUpSent: now }, lunch.status);
      if (!claimed) continue;
      const contact = await this.store.getContact(ws.id, lunch.contactId);
      try {
        await chat.sendPrompt(ws, organizer, {
          kind: "follow-up",
          lunchId: lunch.id,
          contactName: contact?.displayName ?? "your contact",
          when: lunch.scheduledFor ? formatWhen(lunch.scheduledFor, this.tzOf(ws, organizer)) : null,
          place: lunch.place,
        });
        sent++;
      } catch (err) {
        failed++;
        const f = asSendFailure(err);
        failures.push({
          workspaceId: ws.id,
          ...failureNote(f, { memberId: organizer.id, contactId: lunch.contactId, lunchId: lunch.id }),
        });
        // Not delivered: give the claim back so the next run asks again. Maybe delivered: keep it.
        if (nothingWasSent(f)) await this.store.saveLunch(ws.id, lunch, next.lunch.status);
      }
    }
    return { sent, failed, failures };
  }

  // ---------------------------------------------------------------------------------------------
  // digest

  /** The digest of an ISO week (default: the last complete week in the workspace's zone). */
  async digestView(ws: Workspace, week?: string): Promise<DigestView> {
    const tz = safeTimeZone(ws.timezone);
    const now = this.clock.now();
    const key = week ?? digestPeriod(now, tz);
    const range = isoWeekRange(key, tz);
    // A past week is seen as of its end, so "last met" and coverage read as they did then.
    const asOf = new Date(Math.min(range.end.getTime(), now.getTime()));
    const previousRange = isoWeekRange(previousIsoWeek(key), tz);
    const { coverageDays, digestTopN } = ws.settings;
    const [data, previous] = await Promise.all([
      this.store.digestData(ws.id, range, addDays(asOf, -coverageDays), digestTopN),
      // The week before, for the coverage's change.
      this.store.digestData(ws.id, previousRange, addDays(previousRange.end, -coverageDays), digestTopN),
    ]);
    return buildDigest({
      workspaceName: ws.name,
      week: key,
      now: asOf,
      clockNow: now,
      timeZone: tz,
      settings: ws.settings,
      ...data,
      previousCoverageContacts: previous.coverageContacts,
    });
  }

  /**
   * Posts a week's digest at most once, even across crashes and replicas. The Digest row (unique per
   * workspace and week) goes claimed → posting → posted:
   * - "claimed": nothing has gone out yet, so a stale claim (its holder died) is simply taken over.
   * - "posting": written just before the platform call; from then on the message may be in the
   *   channel. A stale "posting" claim is resumed only after findDigestPost says it isn't there; a
   *   platform that can't look posts up marks the week "unconfirmed" and never posts it again.
   * - While the post is in flight the claim is renewed, so a slow post (rate limits, client retries)
   *   on a live process never looks stale to another replica.
   */
  async postWeeklyDigest(
    ws: Workspace,
    chat: ChatPort,
    week?: string,
  ): Promise<{ posted: boolean; message: string; failure?: SendFailure }> {
    const now = this.clock.now();
    const key = week ?? digestPeriod(now, safeTimeZone(ws.timezone));
    const channel = ws.digestChannel;
    if (!channel) return { posted: false, message: "No digest channel configured." };
    const idempotencyKey = `${ws.id}:${key}`;
    const claim = await this.store.claimDigest(ws.id, key, channel, now, DIGEST_CLAIM_STALE_MS);
    if (claim === "posted") return { posted: false, message: `The digest for ${key} was already posted.` };
    if (claim === "in-progress")
      return { posted: false, message: `The digest for ${key} is being posted right now.` };
    if (claim === "stale" && (await this.store.getDigest(ws.id, key))?.status === "posting") {
      // The previous holder stopped somewhere around the platform call: the message may be there.
      if (!chat.findDigestPost) {
        await this.store.markDigestUnconfirmed(ws.id, key);
        return {
          posted: false,
          message: `The digest for ${key} may have been posted before a restart; not posting it twice.`,
        };
      }
      const ref = await chat.findDigestPost(ws, channel, idempotencyKey);
      if (ref) {
        await this.store.completeDigest(ws.id, key, ref, now);
        return { posted: false, message: `The digest for ${key} had been posted already; recorded it.` };
      }
    }
    const view = await this.digestView(ws, key);
    // We hold the claim as of `now` (fresh or taken over); if that moved, someone else took it over.
    if (!(await this.store.markDigestPosting(ws.id, key, now))) {
      return { posted: false, message: `The digest for ${key} is being posted right now.` };
    }
    let held = now;
    // One renewal at a time: each compares against the claim time the previous one wrote, even
    // when the database is slower than the heartbeat.
    let renewal = Promise.resolve();
    const heartbeat = setInterval(() => {
      renewal = renewal
        .then(async () => {
          const next = this.clock.now();
          if (await this.store.renewDigestClaim(ws.id, key, held, next)) held = next;
        })
        .catch(() => {});
    }, DIGEST_HEARTBEAT_MS);
    heartbeat.unref();
    let ref: string;
    try {
      ref = await chat.postDigest(ws, channel, view, idempotencyKey);
    } catch (err) {
      const failure = asSendFailure(err);
      // Refused (nothing was posted): free the week, so neither the schedule nor `digest now` waits
      // on a claim nobody holds, and say what to fix.
      if (nothingWasSent(failure)) {
        await this.store.releaseDigest(ws.id, key);
        return { posted: false, message: digestRefusal(failure, key), failure };
      }
      // The connection broke (maybe after the platform accepted it). If the post can be looked up,
      // keep the "posting" claim: once stale, the next run checks before posting again. If it
      // can't, take the error at its word ("not delivered") and free the week for a retry.
      if (!chat.findDigestPost) await this.store.releaseDigest(ws.id, key);
      throw failure;
    } finally {
      clearInterval(heartbeat);
    }
    await this.store.completeDigest(ws.id, key, ref, this.clock.now());
    return { posted: true, message: `Posted the digest for ${key}.` };
  }
}

function notFound(ref: ContactRef): Reply {
  const what = ref.kind === "user" ? `<@${escapeMarkup(ref.id)}>` : `“${escapeMarkup(ref.text)}”`;
  return {
    kind: "error",
    text: `I don't know ${what} as an external contact. See ${command("contacts all")}, or add them with ${command("track")}.`,
  };
}

function describeNudgeStatus(status: string, name: string): string {
  switch (status) {
    case "planned":
      return `a lunch with ${name} is planned.`;
    case "snoozed":
      return `snoozed for now.`;
    case "met":
      return `you've met ${name}.`;
    case "dismissed":
      return `${name} was marked as not an external contact.`;
    case "confirmed":
      return `${name} is tracked.`;
    default:
      return "this prompt expired.";
  }
}
