// Use case: what a member's own view shows (Slack's App Home, any platform's personal tab): their
// most discussed contacts, open prompts, upcoming lunches and whether they are paused. Plain data;
// each adapter renders it.

import type { NoticedContent } from "../core/messages/noticed.ts";
import type { ReviewContent } from "../core/messages/review.ts";
import { isPaused } from "../core/nudges.ts";
import type { ContactStats } from "../core/ports.ts";
import { addDays } from "../core/time.ts";
import type { Lunch, Member, Workspace } from "../core/types.ts";
import { markNameOnly } from "./contacts.ts";
import { markTold, recentCounted } from "./noticed-meetings.ts";
import type { AppDeps, Prompt } from "./ports.ts";
import { loadPromptContext, promptOf } from "./prompt-of.ts";
import { reviewForHome } from "./review.ts";
import { type Numbers, numbers } from "./stats.ts";

const HOME_CONTACTS = 5;
const HOME_PROMPTS = 10;
const HOME_CONTACT_DAYS = 90;

export interface HomeSnapshot {
  optedOut: boolean;
  paused: boolean;
  /** When the pause ends; null while paused means until `resume`. */
  pausedUntil: Date | null;
  /** The member's most discussed tracked contacts (last 90 days). */
  contacts: ContactStats[];
  /** Prompts sent to the member and not answered yet, oldest first (the latest few), as sent. */
  prompts: Prompt[];
  /** Lunches ahead the member organizes or attends; the others at the table by name. */
  lunches: Array<{ lunch: Lunch; contactName: string | null; withNames: Array<string | null> }>;
  /** The member's numbers next to the team's (the `stats` command's). */
  numbers: Numbers;
  /** Their calendar, when calendars are configured and on for the workspace. */
  calendar?: { connected: { provider: "google" | "microsoft"; accountEmail: string | null } | null };
  /** Meetings counted from the member's calendar lately, each with Undo. */
  counted: NoticedContent[];
  /** The workspace's review, when the member may answer it (admins, its recipients). */
  review: ReviewContent | null;
  /** The web dashboard's address, when there is one. */
  dashboardUrl: string | null;
}

export async function homeSnapshot(deps: AppDeps, ws: Workspace, member: Member): Promise<HomeSnapshot> {
  const now = deps.clock.now();
  const [stats, nudges, lunches, members, mine, counted, review] = await Promise.all([
    deps.store.listContactStats(ws.id, {
      since: addDays(now, -HOME_CONTACT_DAYS),
      status: "tracked",
      memberId: member.id,
      limit: HOME_CONTACTS,
    }),
    deps.store.listNudges(ws.id, { memberId: member.id, status: ["sent"] }),
    deps.store.listLunches(ws.id, { memberId: member.id, status: ["planned", "scheduled"], from: now }),
    deps.store.listMembers(ws.id),
    numbers(deps, ws, member),
    recentCounted(deps, ws, member),
    reviewForHome(deps, ws, member),
  ]);
  // Seen here, they aren't told again under the next prompt.
  await markTold(deps, ws, counted);
  const contactIds = [...new Set([...nudges.map((n) => n.contactId), ...lunches.map((l) => l.contactId)])];
  const found = await markNameOnly(deps, ws, await deps.store.getContacts(ws.id, contactIds));
  const contacts = new Map(found.map((c) => [c.id, c]));
  const nameOf = new Map(members.map((m) => [m.id, m.displayName || m.realName]));
  const prompts: Prompt[] = [];
  const shown = nudges.slice(-HOME_PROMPTS);
  const context = shown.length > 0 ? await loadPromptContext(deps, ws) : null;
  for (const n of shown) {
    const c = contacts.get(n.contactId);
    if (c && context) prompts.push(await promptOf(deps, ws, member, n, c, context));
  }
  const paused = isPaused(member, now);
  const calendars = deps.calendarConnections;
  const calendar =
    calendars && calendars.providers().length > 0 && ws.settings.calendarsEnabled
      ? { connected: await calendars.status(ws, member) }
      : undefined;
  return {
    optedOut: member.optedOut,
    paused,
    pausedUntil: paused ? member.pausedUntil : null,
    contacts: stats,
    prompts,
    lunches: lunches.map((lunch) => ({
      lunch,
      contactName: contacts.get(lunch.contactId)?.displayName ?? null,
      withNames: [lunch.organizerId, ...lunch.attendeeIds]
        .filter((id) => id !== member.id)
        .map((id) => nameOf.get(id) ?? null),
    })),
    numbers: mine,
    ...(calendar ? { calendar } : {}),
    counted,
    review,
    dashboardUrl: deps.dashboardUrl ? `${deps.dashboardUrl}/` : null,
  };
}
