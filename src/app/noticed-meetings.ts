// Use cases: meetings noticed, not only reported (the calendar issue's items 3 and 4).
//
// - The calendar: once a day, each connected calendar's past week is read as event starts and
//   attendee emails (the Calendar port gives nothing else). An event with a tracked contact's email
//   among its attendees is a meeting with them, recorded at once (source "calendar"); the member
//   reads one line about it under their next prompt or in their own view, with Undo.
// - Chat: a teammate writing in a tracked channel that they met a contact ("had lunch with Jane
//   yesterday", core/met-in-chat.ts) is asked by DM whether to record it; only Yes records.
//
// Both go through NoticedMeeting, one row per (member, contact, day): a second run, a second
// replica, an edit of the message or the other path never counts a day twice, and an Undo or a No
// stays answered. Nothing of the event or the message is stored: who, whom, the day, the source.

import { normalizeAlias } from "../core/contacts.ts";
import { detectionPrefix } from "../core/detect/index.ts";
import { escapeMarkup } from "../core/format.ts";
import { lunchMemberIds } from "../core/lunches.ts";
import type { NoticedAnswer } from "../core/messages/doc.ts";
import {
  metQuestionDoc,
  NOTICED_ALREADY,
  type NoticedContent,
  noticedOutcome,
} from "../core/messages/noticed.ts";
import { outcomeDoc } from "../core/messages/prompt.ts";
import { meetingsInChat } from "../core/met-in-chat.ts";
import { isPaused, memberTimeZone } from "../core/nudges.ts";
import { addDays, isoDate, localDay, zonedTimeToUtc } from "../core/time.ts";
import type { ProcessResult } from "../core/tracking.ts";
import type { IncomingMessage, Member, NoticedMeeting, Workspace } from "../core/types.ts";
import { CalendarError } from "./calendar-port.ts";
import type { AppDeps, ChatPort } from "./ports.ts";
import type { ActionOutcome } from "./prompt-action.ts";

/** How far back each daily read of a calendar looks. */
export const CALENDAR_LOOKBACK_DAYS = 7;
/**
 * Events with more attendees than this are not counted: an all-hands or a webinar the contact
 * was invited to is not meeting them.
 */
export const MAX_EVENT_ATTENDEES = 12;
/** At most this many "counted from your calendar" lines under one prompt (the rest wait for the next). */
export const COUNTED_LINES_PER_PROMPT = 3;
/** How long a counted meeting stays in the member's own view, with its Undo. */
export const COUNTED_VISIBLE_DAYS = 14;

export interface CalendarSweepReport {
  workspaceId: string;
  /** Members whose calendar was read. */
  read: number;
  recorded: number;
  /** Days already known (an earlier run, another replica, an undo, a chat answer) or met another way. */
  known: number;
  /** Members skipped because their calendar couldn't be read; the job logs each one. */
  failures: Array<{ memberId: string; kind: "revoked" | "unavailable" | "error"; detail: string }>;
}

/**
 * Reads the past week of every connected calendar in the workspace and records the meetings with
 * tracked contacts. A calendar that fails (revoked, provider down) skips that member only.
 */
export async function recordCalendarMeetings(deps: AppDeps, ws: Workspace): Promise<CalendarSweepReport> {
  const report: CalendarSweepReport = { workspaceId: ws.id, read: 0, recorded: 0, known: 0, failures: [] };
  const calendars = deps.calendars;
  if (!calendars || calendars.providers().length === 0 || !ws.settings.calendarsEnabled) return report;
  const now = deps.clock.now();
  const [members, aliases] = await Promise.all([
    deps.store.listMembers(ws.id),
    deps.store.listAliases(ws.id),
  ]);
  // Tracked contacts' emails only: a candidate nobody confirmed isn't counted from a calendar.
  const byEmail = new Map<string, string>();
  for (const a of aliases)
    if (a.kind === "email" && a.status === "tracked") byEmail.set(a.normalized, a.contactId);
  if (byEmail.size === 0) return report;
  // A lunch the bot planned is asked about by its own check-in ("did it happen?"): its event in a
  // calendar is our invitation, not evidence, and counting it as well would count that day twice
  // (the job usually runs before the check-in's Yes, which records the lunch's meetings).
  const lunches = await deps.store.listLunches(ws.id, {
    from: addDays(now, -CALENDAR_LOOKBACK_DAYS - 1),
    to: addDays(now, 1),
  });
  for (const member of members) {
    if (member.isBot || member.optedOut) continue;
    let events: Array<{ start: Date; attendeeEmails: string[] }>;
    try {
      const calendar = await calendars.forMember(ws, member);
      if (!calendar) continue;
      events = await calendar.pastEvents(addDays(now, -CALENDAR_LOOKBACK_DAYS), now);
    } catch (err) {
      const kind = err instanceof CalendarError ? err.failure.kind : "error";
      report.failures.push({
        memberId: member.id,
        kind,
        detail: err instanceof Error ? err.message : String(err),
      });
      continue;
    }
    report.read++;
    const tz = memberTimeZone(member.tz, ws.timezone);
    for (const event of events) {
      if (!(event.start instanceof Date) || Number.isNaN(event.start.getTime()) || event.start > now)
        continue;
      if (event.attendeeEmails.length > MAX_EVENT_ATTENDEES) continue;
      const contactIds = new Set<string>();
      for (const email of event.attendeeEmails) {
        const id = byEmail.get(normalizeAlias("email", email));
        if (id) contactIds.add(id);
      }
      const { day, start, end } = localDay(event.start, tz);
      for (const contactId of contactIds) {
        const planned = lunches.some(
          (l) =>
            l.contactId === contactId &&
            l.scheduledFor !== null &&
            lunchMemberIds(l).includes(member.id) &&
            l.scheduledFor >= start &&
            l.scheduledFor < end,
        );
        if (planned) {
          report.known++;
          continue;
        }
        const notice = await deps.store.noticeMeeting(ws.id, {
          memberId: member.id,
          contactId,
          source: "calendar",
          day,
          metAt: event.start,
          record: true,
          dayRange: { start, end },
        });
        if (notice?.status === "recorded") report.recorded++;
        else report.known++;
      }
    }
  }
  return report;
}

/** Calendar meetings counted for the member that they haven't been told about, oldest first. */
export async function untoldCounted(
  deps: AppDeps,
  ws: Workspace,
  member: Member,
  limit = COUNTED_LINES_PER_PROMPT,
): Promise<NoticedContent[]> {
  const notices = await deps.store.listNoticedMeetings(ws.id, {
    memberId: member.id,
    source: "calendar",
    status: ["recorded"],
    untold: true,
  });
  return withNames(deps, ws, notices.slice(0, limit));
}

/** Calendar meetings counted for the member lately, for their own view (each with Undo). */
export async function recentCounted(deps: AppDeps, ws: Workspace, member: Member): Promise<NoticedContent[]> {
  const notices = await deps.store.listNoticedMeetings(ws.id, {
    memberId: member.id,
    source: "calendar",
    status: ["recorded"],
    since: addDays(deps.clock.now(), -COUNTED_VISIBLE_DAYS),
  });
  return withNames(deps, ws, notices);
}

async function withNames(deps: AppDeps, ws: Workspace, notices: NoticedMeeting[]): Promise<NoticedContent[]> {
  if (notices.length === 0) return [];
  const contacts = await deps.store.getContacts(ws.id, [...new Set(notices.map((n) => n.contactId))]);
  const names = new Map(contacts.map((c) => [c.id, c.displayName]));
  return notices.flatMap((n) => {
    const contactName = names.get(n.contactId);
    return contactName ? [{ noticeId: n.id, contactName, day: n.day }] : [];
  });
}

/** The member has now been told about these (a prompt carried them, or their view showed them). */
export async function markTold(
  deps: AppDeps,
  ws: Workspace,
  counted: readonly NoticedContent[],
): Promise<void> {
  if (counted.length > 0)
    await deps.store.markNoticed(
      ws.id,
      counted.map((c) => c.noticeId),
      { toldAt: deps.clock.now() },
    );
}

/**
 * After a live message was tracked: when its author says they met one of the contacts found in it,
 * asks them (one DM per contact and day). Returns how many questions were sent.
 */
export async function askAboutMeetingsInChat(
  deps: AppDeps,
  ws: Workspace,
  msg: IncomingMessage,
  result: ProcessResult,
  chat: ChatPort,
): Promise<number> {
  if (!chat.sendDoc || !result.spans?.length || msg.source !== "message" || msg.author.external) return 0;
  // The message's text is read here and now, never kept: only the contact and the day are.
  const found = meetingsInChat(detectionPrefix(msg.text), result.spans, msg.at, "UTC");
  if (found.length === 0) return 0;
  const member = await deps.store.getMember(ws.id, msg.author.platformUserId);
  const now = deps.clock.now();
  if (!member || member.isBot || member.optedOut || isPaused(member, now)) return 0;
  const tz = memberTimeZone(member.tz, ws.timezone);
  // The day on the author's own calendar ("yesterday" where they are).
  const days = meetingsInChat(detectionPrefix(msg.text), result.spans, msg.at, tz);
  let asked = 0;
  const seen = new Set<string>();
  for (const m of days) {
    const contactId = m.span.contactId;
    if (seen.has(contactId)) continue;
    seen.add(contactId);
    const contact = await deps.store.getContact(ws.id, contactId);
    if (!contact || contact.status === "ignored") continue;
    const day = isoDate(m.day);
    // Noon that day stands for "some time that day", but never later than the message itself.
    const noon = zonedTimeToUtc({ ...m.day, hour: 12 }, tz);
    const metAt = new Date(Math.min(noon.getTime(), msg.at.getTime()));
    const notice = await deps.store.noticeMeeting(ws.id, {
      memberId: member.id,
      contactId,
      source: "chat",
      day,
      metAt,
      record: false,
      dayRange: localDay(noon, tz),
    });
    // Seen before, or the day's meeting was already reported (`met`, a lunch, the calendar).
    if (notice?.status !== "asked") continue;
    const ref = await chat.sendDoc(
      ws,
      member,
      metQuestionDoc({ noticeId: notice.id, contactName: contact.displayName, day }),
    );
    await deps.store.markNoticed(ws.id, [notice.id], { toldAt: deps.clock.now(), messageRef: ref });
    asked++;
  }
  return asked;
}

/** Yes / No on a chat mention's question, or Undo on a counted meeting. Each acts once. */
export async function answerNoticed(
  deps: AppDeps,
  ws: Workspace,
  actor: Member,
  noticeId: string,
  answer: NoticedAnswer,
): Promise<ActionOutcome> {
  const notice = await deps.store.getNoticedMeeting(ws.id, noticeId);
  if (!notice) return outcome(noticedOutcome("gone", null), false);
  if (notice.memberId !== actor.id) return outcome("This question was meant for someone else.", false);
  const contact = await deps.store.getContact(ws.id, notice.contactId);
  const content = { contactName: contact?.displayName ?? "them", day: notice.day };
  const done = await deps.store.answerNoticedMeeting(
    ws.id,
    noticeId,
    answer === "yes" ? "record" : answer === "no" ? "decline" : "undo",
  );
  if (!done) {
    // A replayed or second press of the same answer says what the first one did (the card it
    // replaces must not turn into "already answered"); a different answer says it's settled.
    const same =
      (answer === "yes" && notice.status === "recorded") ||
      (answer === "no" && notice.status === "declined") ||
      (answer === "undo" && notice.status === "undone");
    const text = same ? noticedOutcome(answer, content) : NOTICED_ALREADY;
    return { ...outcome(text, false), messageRef: notice.messageRef };
  }
  return { ...outcome(noticedOutcome(answer, content), true), messageRef: notice.messageRef };
}

function outcome(plain: string, changed: boolean): ActionOutcome {
  const text = escapeMarkup(plain);
  return { text, changed, doc: outcomeDoc(text) };
}
