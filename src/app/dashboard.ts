// Use cases of the web dashboard (src/platforms/web): the team's trend week by week, the contacts
// table and its bulk review, lunches, and a person's own data. Plain data; the adapter renders it.
import { contactKind } from "../core/detect/index.ts";
import { isPaused } from "../core/nudges.ts";
import { addDays, digestPeriod, isoWeekRange, previousIsoWeek, safeTimeZone } from "../core/time.ts";
import type { ContactStatus, Lunch, Member, Workspace } from "../core/types.ts";
import type { AppDeps } from "./ports.ts";

/** Where the server serves the dashboard (src/platforms/web). */
export const DASHBOARD_PREFIX = "/app";
/** Weeks the overview's chart covers. */
export const OVERVIEW_WEEKS = 26;
/** Rows the contacts table holds at most (the most mentioned first). */
export const CONTACTS_TABLE_LIMIT = 500;
const OVERVIEW_LIST = 10;

export interface WeekPoint {
  /** "2026-W47". */
  week: string;
  /** Start of the week (Monday 00:00 in the workspace zone). */
  start: Date;
  /** Of the top contacts discussed in the coverage window ending with this week, how many were met. */
  met: number;
  total: number;
  /** met / total; null when no tracked contact was discussed. */
  coverage: number | null;
  lunchesPlanned: number;
  lunchesHeld: number;
}

export interface OverviewContact {
  id: string;
  name: string;
  mentions: number;
  teammates: number;
  lastMetAt: Date | null;
}

export interface Overview {
  weeks: WeekPoint[];
  topN: number;
  coverageDays: number;
  /** The most discussed tracked contacts over the coverage window. */
  mostDiscussed: OverviewContact[];
  /** …of which not met in person within it. */
  onlineOnly: OverviewContact[];
}

/**
 * The overview: coverage week by week (each week as the digest measures it at the week's end:
 * the `digestTopN` most mentioned tracked contacts of the `coverageDays` before, met in person in
 * that window), lunches per week, and who is discussed and still online-only. Completed weeks come
 * from the store's coverage cache; the current week is counted now, in the same query that
 * ranks the lists (its window: the current week's).
 */
export async function overview(deps: AppDeps, ws: Workspace, weeks = OVERVIEW_WEEKS): Promise<Overview> {
  const tz = safeTimeZone(ws.timezone);
  const now = deps.clock.now();
  const { coverageDays, digestTopN } = ws.settings;
  const keys: string[] = [digestPeriod(now, tz)];
  while (keys.length < weeks) keys.unshift(previousIsoWeek(keys[0] as string));
  const ranges = keys.map((k) => isoWeekRange(k, tz));
  const windows = ranges.map((r) => ({ since: addDays(r.end, -coverageDays), until: r.end }));
  const first = ranges[0] as { start: Date };
  const last = ranges[ranges.length - 1] as { end: Date };
  const current = windows[windows.length - 1] as { since: Date; until: Date };
  const [past, lunches, ranked] = await Promise.all([
    deps.store.coverageSeries(ws.id, windows.slice(0, -1), digestTopN, { finalBefore: now }),
    deps.store.listLunches(ws.id, { from: first.start, to: last.end }),
    deps.store.coverageTop(ws.id, current, Math.max(50, digestTopN)),
  ]);
  const topN = ranked.slice(0, Math.max(1, Math.floor(digestTopN)));
  const series = [...past, { met: topN.filter((r) => r.met).length, total: topN.length }];
  const mostDiscussed = ranked.slice(0, OVERVIEW_LIST);
  const onlineOnly = ranked.filter((r) => !r.met).slice(0, OVERVIEW_LIST);
  const shown = [...new Set([...mostDiscussed, ...onlineOnly].map((r) => r.contactId))];
  const [contacts, teammates] = await Promise.all([
    deps.store.getContacts(ws.id, shown).then((cs) => new Map(cs.map((c) => [c.id, c]))),
    deps.store.teammateCounts(ws.id, shown, current),
  ]);
  const points = keys.map((week, i): WeekPoint => {
    const r = ranges[i] as { start: Date; end: Date };
    const s = series[i] ?? { met: 0, total: 0 };
    const inWeek = lunches.filter(
      (l) => l.scheduledFor && l.scheduledFor >= r.start && l.scheduledFor < r.end,
    );
    return {
      week,
      start: r.start,
      met: s.met,
      total: s.total,
      coverage: s.total > 0 ? s.met / s.total : null,
      lunchesPlanned: inWeek.filter((l) => l.status !== "cancelled").length,
      lunchesHeld: inWeek.filter((l) => l.status === "met").length,
    };
  });
  const row = (r: (typeof ranked)[number]): OverviewContact[] => {
    const c = contacts.get(r.contactId);
    return c
      ? [
          {
            id: c.id,
            name: c.displayName,
            mentions: r.mentions,
            teammates: teammates.get(c.id) ?? 0,
            lastMetAt: c.lastMetAt,
          },
        ]
      : [];
  };
  return {
    weeks: points,
    topN: digestTopN,
    coverageDays,
    mostDiscussed: mostDiscussed.flatMap(row),
    onlineOnly: onlineOnly.flatMap(row),
  };
}

export interface ContactRow {
  id: string;
  name: string;
  kind: "person" | "organization";
  status: ContactStatus;
  mentions: number;
  teammates: number;
  lastMentionAt: Date | null;
  lastMetAt: Date | null;
}

/** The contacts table: every status, mentioned within the workspace's retention window. */
export async function contactsTable(
  deps: AppDeps,
  ws: Workspace,
  opts: { status?: ContactStatus; query?: string } = {},
): Promise<ContactRow[]> {
  const since = addDays(deps.clock.now(), -ws.settings.retentionDays);
  const stats = await deps.store.listContactStats(ws.id, {
    since,
    limit: CONTACTS_TABLE_LIMIT,
    ...(opts.status ? { status: opts.status } : {}),
  });
  const q = opts.query?.trim().toLowerCase() ?? "";
  return stats
    .filter((s) => !q || s.contact.displayName.toLowerCase().includes(q))
    .map((s) => ({
      id: s.contact.id,
      name: s.contact.displayName,
      kind: contactKind(s.contact.displayName),
      status: s.contact.status,
      mentions: s.mentions,
      teammates: s.teammates,
      lastMentionAt: s.lastMentionAt,
      lastMetAt: s.contact.lastMetAt,
    }));
}

export type ReviewAction = "track" | "not-external" | "ignore";

/**
 * Bulk review, for the whole team (as the prompt's buttons and `track` / `ignore` are): Track
 * makes contacts tracked; Not external and Ignore hide them. Ids of another workspace are skipped.
 */
export async function reviewContacts(
  deps: AppDeps,
  ws: Workspace,
  ids: readonly string[],
  action: ReviewAction,
): Promise<number> {
  const contacts = await deps.store.getContacts(ws.id, [...new Set(ids)]);
  const status: ContactStatus = action === "track" ? "tracked" : "ignored";
  let changed = 0;
  for (const c of contacts) {
    if (c.workspaceId !== ws.id || c.status === status) continue;
    await deps.store.updateContact(ws.id, c.id, { status });
    changed++;
  }
  if (changed > 0) deps.tracker.invalidate(ws.id);
  return changed;
}

/** Merges contacts into the first one (names, mentions, prompts, lunches and meetings move). */
export async function mergeContactsById(
  deps: AppDeps,
  ws: Workspace,
  ids: readonly string[],
): Promise<{ ok: true; into: string; merged: number } | { ok: false; message: string }> {
  const unique = [...new Set(ids)];
  const found = await deps.store.getContacts(ws.id, unique);
  // Keep the caller's order: the first picked is the one that stays.
  const inWs = unique.filter((id) => found.some((c) => c.id === id && c.workspaceId === ws.id));
  const [into, ...rest] = inWs;
  if (!into || rest.length === 0) return { ok: false, message: "Pick at least two contacts to merge." };
  await deps.store.mergeContacts(ws.id, into, rest);
  deps.tracker.invalidate(ws.id);
  return { ok: true, into, merged: rest.length };
}

export interface LunchRow {
  lunch: Lunch;
  contactName: string;
  organizerName: string;
  attendeeNames: string[];
}

export interface MeetingRow {
  metAt: Date;
  contactName: string;
  memberName: string;
  /** How it was recorded: a lunch that happened, the prompt's button, or `met`. */
  source: string;
}

export interface LunchesAndMeetings {
  lunches: LunchRow[];
  meetings: MeetingRow[];
}

/** Lunches and meetings from `days` ago on (a member: only theirs), newest first. */
export async function lunchesTable(
  deps: AppDeps,
  ws: Workspace,
  opts: { memberId?: string; days?: number } = {},
): Promise<LunchesAndMeetings> {
  const from = addDays(deps.clock.now(), -(opts.days ?? 180));
  const mine = opts.memberId ? { memberId: opts.memberId } : {};
  const [lunches, meetings, members] = await Promise.all([
    deps.store.listLunches(ws.id, { from, ...mine }),
    deps.store.listMeetings(ws.id, { from, ...mine }),
    deps.store.listMembers(ws.id),
  ]);
  const ids = [...new Set([...lunches, ...meetings].map((l) => l.contactId))];
  const contacts = new Map((await deps.store.getContacts(ws.id, ids)).map((c) => [c.id, c]));
  const name = (id: string) => {
    const m = members.find((x) => x.id === id);
    return m ? m.displayName || m.realName || "(someone)" : "(someone)";
  };
  return {
    lunches: lunches
      .map((lunch) => ({
        lunch,
        contactName: contacts.get(lunch.contactId)?.displayName ?? "",
        organizerName: name(lunch.organizerId),
        attendeeNames: lunch.attendeeIds.map(name),
      }))
      .reverse(),
    meetings: meetings.map((m) => ({
      metAt: m.metAt,
      contactName: contacts.get(m.contactId)?.displayName ?? "",
      memberName: name(m.memberId),
      source: m.source,
    })),
  };
}

/** What the bot holds about one person: the My data page and its JSON download. */
/** `admin`: whether the viewer administers the workspace (the adapter knows its configured admins). */
export async function myData(deps: AppDeps, ws: Workspace, member: Member, admin: boolean) {
  const now = deps.clock.now();
  const [mentioned, prompts, lunches] = await Promise.all([
    deps.store.listContactStats(ws.id, { since: new Date(0), memberId: member.id }),
    deps.store.listNudges(ws.id, { memberId: member.id }),
    deps.store.listLunches(ws.id, { memberId: member.id }),
  ]);
  const names = new Map(
    (await deps.store.getContacts(ws.id, [...new Set([...prompts, ...lunches].map((x) => x.contactId))])).map(
      (c) => [c.id, c.displayName],
    ),
  );
  return {
    workspace: { name: ws.name, platform: ws.platform },
    you: {
      platformUserId: member.platformUserId,
      displayName: member.displayName,
      realName: member.realName,
      email: member.email,
      timeZone: member.tz,
      admin,
      installer: member.isInstaller,
      paused: isPaused(member, now),
      pausedUntil: isPaused(member, now) ? member.pausedUntil : null,
      optedOut: member.optedOut,
    },
    mentions: mentioned.map((s) => ({
      contact: s.contact.displayName,
      count: s.mentions,
      lastAt: s.lastMentionAt,
    })),
    prompts: prompts.map((n) => ({
      contact: names.get(n.contactId) ?? "",
      status: n.status,
      sentAt: n.sentAt,
      createdAt: n.createdAt,
    })),
    lunches: lunches.map((l) => ({
      contact: names.get(l.contactId) ?? "",
      role: l.organizerId === member.id ? "organizer" : "attendee",
      scheduledFor: l.scheduledFor,
      place: l.place,
      status: l.status,
    })),
  };
}

export type MyData = Awaited<ReturnType<typeof myData>>;
