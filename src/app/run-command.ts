// Use case: run a command (`/offline …` on Slack, the bot's commands on Teams), parsed by the one
// grammar in core/commands.ts. Every platform calls this and renders the Reply.
import {
  commandHelp,
  helpText,
  type LocalDateTime,
  type ParsedCommand,
  resolveDay,
} from "../core/commands.ts";
import type { DigestView } from "../core/digest.ts";
import { escapeMarkup, formatWhen, plural } from "../core/format.ts";
import { CALENDAR_REPLIES, calendarConnectDoc } from "../core/messages/calendar.ts";
import type { MessageDoc } from "../core/messages/doc.ts";
import { homeDoc } from "../core/messages/home.ts";
import { forgetMeConfirmDoc } from "../core/messages/prompt.ts";
import { REVIEW_REPLIES } from "../core/messages/review.ts";
import { memberTimeZone } from "../core/nudges.ts";
import { command } from "../core/prompt-text.ts";
import { addDays, DAY_MS, parseIsoWeek, zonedParts, zonedTimeToUtc } from "../core/time.ts";
import type { Lunch, Member, PlatformUserRef, Workspace } from "../core/types.ts";
import { dropContact, findContact, listContacts, notFound, trackContact } from "./contacts.ts";
import { digestView, postWeeklyDigest } from "./digest.ts";
import { homeSnapshot } from "./home.ts";
import { noteTeammate } from "./members.ts";
import { type PlanLunchDeps, planLunch } from "./plan-lunch.ts";
import type { AppDeps, ChatPort, LunchChatPort, TeammateDirectory } from "./ports.ts";
import { recordMet } from "./record-met.ts";
import { showReview } from "./review.ts";
import { statsReply } from "./stats.ts";

export type Reply =
  | { kind: "text"; text: string }
  | { kind: "error"; text: string }
  | { kind: "digest"; view: DigestView; text: string }
  | { kind: "settings"; workspace: Workspace }
  | { kind: "lunch"; text: string; lunch: Lunch; contactName: string; ics: string | null }
  /** A message document with buttons (forget-me's question, the personal view); text: its summary. */
  | { kind: "doc"; doc: MessageDoc; text: string };

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

export async function runCommand(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  cmd: ParsedCommand,
  ctx: CommandContext,
): Promise<Reply> {
  switch (cmd.kind) {
    case "error":
      return { kind: "error", text: `${escapeMarkup(cmd.message)}\n\n${cmd.usage}` };
    case "help":
      return {
        kind: "text",
        text: cmd.topic
          ? commandHelp(cmd.topic, { now: deps.clock.now() })
          : helpText({ now: deps.clock.now() }),
      };
    case "track":
      return trackContact(deps, ws, cmd.name, cmd.aliases, cmd.userRef, ctx);
    case "untrack":
    case "ignore":
      return dropContact(deps, ws, cmd.contact, cmd.kind, ctx);
    case "contacts":
      return listContacts(deps, ws, cmd.filter);
    case "met": {
      const contact = await findContact(deps, ws, cmd.contact, ctx);
      if (!contact) return notFound(cmd.contact);
      const tz = memberTimeZone(actor.tz, ws.timezone);
      const today = zonedParts(deps.clock.now(), tz);
      const day = resolveDay(cmd.on, today);
      const metAt = zonedTimeToUtc({ ...day, hour: 12 }, tz);
      if (metAt.getTime() > deps.clock.now().getTime() + DAY_MS) {
        return {
          kind: "error",
          text: `That date is in the future. Use ${command("lunch")} to plan a meeting instead.`,
        };
      }
      // "today" means noon, which may still be ahead: never record a meeting in the future.
      const now = deps.clock.now();
      await recordMet(
        deps,
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
      const contact = await findContact(deps, ws, cmd.contact, ctx);
      if (!contact) return notFound(cmd.contact);
      return planLunchReply(
        deps,
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
              ? { teammates: (id: string) => teammateFromCommand(deps, ws, id, ctx) }
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
        const result = await postWeeklyDigest(deps, ws, ctx.chat, cmd.week);
        return { kind: "text", text: result.message };
      }
      if (cmd.week && !parseIsoWeek(cmd.week))
        return { kind: "error", text: `${cmd.week} is not an ISO week. Use YYYY-Www, e.g. 2026-W48.` };
      const view = await digestView(deps, ws, cmd.week);
      return { kind: "digest", view, text: escapeMarkup(view.fallbackText) };
    }
    case "settings":
      if (!ctx.isAdmin)
        return {
          kind: "error",
          text: "Only workspace admins (and whoever installed the app) can change settings.",
        };
      return { kind: "settings", workspace: ws };
    case "pause": {
      // No days: paused until `resume`, a pause without an end date. Either way the reply says when it ends.
      const until = cmd.days === null ? null : addDays(deps.clock.now(), cmd.days);
      await deps.store.updateMember(ws.id, actor.id, { paused: true, pausedUntil: until });
      return {
        kind: "text",
        text: !until
          ? `Paused until you resume: no prompts until you say ${command("resume")}.`
          : `Paused until ${formatWhen(until, memberTimeZone(actor.tz, ws.timezone))} (${plural(cmd.days ?? 0, "day")}): no prompts until then. ${command("resume")} ends it sooner.`,
      };
    }
    case "resume":
      await deps.store.updateMember(ws.id, actor.id, { paused: false, pausedUntil: null, optedOut: false });
      // The tracker's member rows must stop skipping this person's messages now, not on reload.
      if (actor.optedOut) deps.tracker.invalidate(ws.id);
      return { kind: "text", text: "Welcome back. Prompts are on again (only in your working hours)." };
    case "forget-me": {
      // Deleting is for good: ask first (a button), unless the command says `confirm` (scripts).
      if (!cmd.confirmed) {
        const doc = forgetMeConfirmDoc(actor.id);
        return { kind: "doc", doc, text: doc.summary };
      }
      // The calendar first, so its grant is revoked at the provider, not only deleted with the rest.
      await deps.calendarConnections?.disconnect(ws, actor).catch(() => null);
      await deps.store.forgetMember(ws.id, actor.id);
      deps.tracker.invalidate(ws.id);
      return {
        kind: "text",
        text: `Done. I deleted everything I had about you (mentions, prompts, lunches, meetings) and I won't track your messages any more. Say ${command("resume")} if you ever want back in.`,
      };
    }
    case "home": {
      const doc = homeDoc(await homeSnapshot(deps, ws, actor), {
        now: deps.clock.now(),
        timeZone: memberTimeZone(actor.tz, ws.timezone),
      });
      return { kind: "doc", doc, text: doc.summary };
    }
    case "stats":
      return statsReply(deps, ws, actor);
    case "calendar":
      return calendarReply(deps, ws, actor, cmd.action, cmd.provider);
    case "review": {
      const reply = await showReview(deps, ws, actor, ctx.isAdmin);
      if (reply.kind === "doc") return { kind: "doc", doc: reply.doc, text: reply.doc.summary };
      return {
        kind: reply.reason === "none" ? "text" : "error",
        text: REVIEW_REPLIES[reply.reason === "not-admin" ? "notAdmin" : reply.reason],
      };
    }
  }
}

/** `connect calendar [google|microsoft]` and `disconnect calendar`. */
async function calendarReply(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  action: "connect" | "disconnect",
  provider: "google" | "microsoft" | null,
): Promise<Reply> {
  const calendars = deps.calendarConnections;
  if (action === "disconnect") {
    const gone = calendars ? await calendars.disconnect(ws, actor) : null;
    return {
      kind: "text",
      text: gone
        ? CALENDAR_REPLIES.disconnected(gone.provider, gone.accountEmail)
        : CALENDAR_REPLIES.notConnected,
    };
  }
  if (!calendars || calendars.providers().length === 0)
    return { kind: "text", text: CALENDAR_REPLIES.notConfigured };
  const result = calendars.connect(ws, actor, provider);
  if (result.ok) {
    const doc = calendarConnectDoc(result.links);
    return { kind: "doc", doc, text: doc.summary };
  }
  const text =
    result.reason === "disabled"
      ? CALENDAR_REPLIES.disabled
      : result.reason === "no-public-url"
        ? CALENDAR_REPLIES.noPublicUrl
        : result.reason === "unknown-provider"
          ? CALENDAR_REPLIES.unknownProvider(calendars.providers())
          : CALENDAR_REPLIES.notConfigured;
  return { kind: "text", text };
}

/** A teammate named in `lunch … with @x`, through the platform's user lookup. */
async function teammateFromCommand(
  deps: AppDeps,
  ws: Workspace,
  platformUserId: string,
  ctx: CommandContext,
): ReturnType<TeammateDirectory> {
  const ref = await ctx.resolveUser?.(platformUserId);
  if (!ref) return { ok: false, reason: "unknown" };
  if (ref.external) return { ok: false, reason: "external", name: ref.displayName };
  return { ok: true, member: await noteTeammate(deps, ws, ref) };
}

/**
 * Plans a lunch (src/app/plan-lunch.ts) and answers with a Reply. Without `lunch.chat` nobody is
 * notified.
 */
export async function planLunchReply(
  deps: AppDeps,
  ws: Workspace,
  organizer: Member,
  input: LunchPlanInput,
  lunch: Partial<Omit<PlanLunchDeps, "store" | "clock">> = {},
): Promise<Reply> {
  const result = await planLunch(
    { store: deps.store, clock: deps.clock, chat: null, ...lunch },
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
