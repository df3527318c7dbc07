// The weekly digest as a neutral view model. The store aggregates the numbers, this module decides
// what the digest reports (period, ranking, trends, coverage, no contact or lunch twice);
// core/messages/digest.ts words it once as a document that Slack, Teams and plain text render.
import { formatWhenZoned, MONTH } from "./format.ts";
import { DIGEST_HEADINGS, digestDoc } from "./messages/digest.ts";
import { renderPlain } from "./messages/plain.ts";
import type { WorkspaceSettings } from "./settings.ts";
import {
  DAY_MS,
  dateOfIsoWeekday,
  isoWeek,
  isoWeekRange,
  parseIsoWeek,
  previousIsoWeek,
  safeTimeZone,
  zonedParts,
} from "./time.ts";
import type { ContactStatus } from "./types.ts";

/** A contact discussed during the digest's week. */
export interface DigestContactInput {
  contactId: string;
  displayName: string;
  organization: string | null;
  /** Mentions during the week. */
  mentions: number;
  /** Mentions during the week before, for the trend. */
  previousWeekMentions: number;
  /** Distinct members who mentioned the contact during the week. */
  teammates: number;
  lastMetAt: Date | null;
  status: ContactStatus;
}

/** A contact with its mentions over the trailing coverageDays window. */
export interface CoverageContactInput {
  contactId: string;
  displayName: string;
  mentions: number;
  lastMetAt: Date | null;
  status: ContactStatus;
}

export interface DigestLunchInput {
  contactName: string;
  organizerName: string;
  /** Teammates joining, not counting the organizer. */
  attendeeNames: string[];
  scheduledFor: Date | null;
  place?: string | null;
}

/** One member and the contacts they met in person during the week. */
export interface DigestMeetingInput {
  memberName: string;
  contactNames: string[];
}

export interface DigestInput {
  workspaceName: string;
  /** "YYYY-Www", computed by the caller in the workspace time zone (see time.ts digestPeriod). */
  week: string;
  /** The digest's "as of": the end of the week, or the clock if the week isn't over. */
  now: Date;
  /** The real clock, to say "Last week" or "This week so far"; default `now`. */
  clockNow?: Date;
  /** Workspace zone, for lunch times and "last met" days. Missing or unknown means UTC. */
  timeZone?: string | null;
  settings: Pick<WorkspaceSettings, "digestTopN" | "coverageDays">;
  /** Rows shown in the contact lists; the rest are counted. Default 10. */
  listLimit?: number;
  weekContacts: DigestContactInput[];
  coverageContacts: CoverageContactInput[];
  /**
   * The coverage window as it stood at the end of the week before, for the change. Their lastMetAt
   * is today's, so a meeting after that week's end is read as "not met then" (an approximation
   * that only errs when a contact was met twice within the window).
   */
  previousCoverageContacts?: CoverageContactInput[];
  lunchesPlanned: DigestLunchInput[];
  lunchesHeld: DigestLunchInput[];
  meetings: DigestMeetingInput[];
  /** Offline coverage (0–1, null: nothing to measure) of the weeks up to this one, oldest first. */
  coverageTrend?: Array<number | null>;
  /** The dashboard's overview, linked from the trend; absent without a public URL. */
  dashboardUrl?: string | null;
}

export type Trend = "up" | "down" | "flat" | "new";

export interface DigestContactView {
  contactId: string;
  displayName: string;
  organization: string | null;
  mentions: number;
  previousWeekMentions: number;
  teammates: number;
  trend: Trend;
  lastMetAt: Date | null;
  /** Calendar days since the last meeting in the workspace zone; null when never met. */
  daysSinceMet: number | null;
  /** "3 weeks ago"; null when never met. */
  lastMet: string | null;
}

export interface DigestLunchView {
  contactName: string;
  organizerName: string;
  attendeeNames: string[];
  scheduledFor: Date | null;
  /** "Thu 3 Dec, 12:30 WET" in the workspace zone, named; null when no time was set. */
  when: string | null;
  place: string | null;
}

export interface DigestCoverage {
  /** Of the top contacts, how many were met in person within `days`. */
  met: number;
  total: number;
  /** met / total; null when there is nothing to measure. */
  ratio: number | null;
  /** "40%", or "n/a" when total is 0. */
  percentLabel: string;
  /** One sentence explaining the number. */
  summary: string;
  topN: number;
  days: number;
}

export interface DigestMeetingView {
  memberName: string;
  contactNames: string[];
}

export interface DigestView {
  title: string;
  workspaceName: string;
  week: string;
  /** "23–29 Nov 2026"; "" when the week key is malformed. */
  periodLabel: string;
  /** "Last week", "This week so far" or "Week 47": how the period relates to the clock. */
  periodName: string;
  /** Every tracked contact discussed, ranked (most mentions first). */
  topContacts: DigestContactView[];
  /** Discussed contacts left out of topContacts by the list limit. */
  moreTopContacts: number;
  /** Discussed and not met in person within coverageDays: the digest's call to action. */
  onlineOnly: DigestContactView[];
  moreOnlineOnly: number;
  /** Discussed and met in person recently: the rest of the ranking, so no contact is listed twice. */
  metRecently: DigestContactView[];
  moreMetRecently: number;
  lunchesPlanned: DigestLunchView[];
  lunchesHeld: DigestLunchView[];
  coverage: DigestCoverage;
  /** Coverage at the end of the week before; null when unknown. */
  previousCoverage: DigestCoverage | null;
  /** Meetings not already shown as a lunch held (one lunch appears once). */
  tookItOffline: DigestMeetingView[];
  /** Nothing happened this week: no tracked contact discussed, no lunches, no meetings. */
  isEmpty: boolean;
  /** Coverage of the weeks up to this one (0–1 or null), oldest first, for the sparkline. */
  coverageTrend?: Array<number | null>;
  dashboardUrl?: string | null;
  /** The whole digest as plain text: Slack's `text` fallback and the CLI preview. */
  fallbackText: string;
}

export { DIGEST_HEADINGS };

export const DEFAULT_LIST_LIMIT = 10;

export function buildDigest(input: DigestInput): DigestView {
  const timeZone = safeTimeZone(input.timeZone);
  const { now } = input;
  const coverageDays = input.settings.coverageDays;
  const listLimit = positiveInt(input.listLimit, DEFAULT_LIST_LIMIT);

  // Candidates are unconfirmed guesses and ignored contacts were dismissed on purpose: neither
  // belongs in a channel post.
  const discussed = input.weekContacts
    .filter((c) => c.status === "tracked" && c.mentions > 0)
    .sort(byMentionsThenName)
    .map((c) => contactView(c, now, timeZone));
  const stillOnline = discussed.filter((c) => !metWithin(c.lastMetAt, now, coverageDays));
  const metRecently = discussed.filter((c) => metWithin(c.lastMetAt, now, coverageDays));

  // A lunch whose time has come by the digest's end is no longer "planned": it happened (and is
  // held once confirmed) or it didn't.
  const lunchesPlanned = lunchViews(
    input.lunchesPlanned.filter((l) => l.scheduledFor === null || l.scheduledFor.getTime() >= now.getTime()),
    timeZone,
  );
  const lunchesHeld = lunchViews(input.lunchesHeld, timeZone);
  const tookItOffline = meetingViews(withoutLunches(input.meetings, input.lunchesHeld));
  const coverage = computeCoverage(input.coverageContacts, now, input.settings.digestTopN, coverageDays);
  // The week before ended when this one started (on the workspace's calendar).
  const previousEnd = parseIsoWeek(input.week)
    ? isoWeekRange(input.week, timeZone).start
    : new Date(now.getTime() - 7 * DAY_MS);
  const previousCoverage = input.previousCoverageContacts
    ? computeCoverage(
        input.previousCoverageContacts.map((c) =>
          c.lastMetAt && c.lastMetAt.getTime() > previousEnd.getTime() ? { ...c, lastMetAt: null } : c,
        ),
        previousEnd,
        input.settings.digestTopN,
        coverageDays,
      )
    : null;

  const parsedWeek = parseIsoWeek(input.week);
  const view: Omit<DigestView, "fallbackText"> = {
    title: parsedWeek ? `Take it offline — week ${parsedWeek.week}` : `Take it offline — ${input.week}`,
    workspaceName: input.workspaceName,
    week: input.week,
    periodLabel: parsedWeek ? periodLabel(parsedWeek.year, parsedWeek.week) : "",
    periodName: periodName(input.week, input.clockNow ?? now, timeZone),
    topContacts: discussed.slice(0, listLimit),
    moreTopContacts: Math.max(0, discussed.length - listLimit),
    onlineOnly: stillOnline.slice(0, listLimit),
    moreOnlineOnly: Math.max(0, stillOnline.length - listLimit),
    metRecently: metRecently.slice(0, listLimit),
    moreMetRecently: Math.max(0, metRecently.length - listLimit),
    lunchesPlanned,
    lunchesHeld,
    coverage,
    previousCoverage,
    tookItOffline,
    ...(input.coverageTrend ? { coverageTrend: input.coverageTrend } : {}),
    ...(input.dashboardUrl ? { dashboardUrl: input.dashboardUrl } : {}),
    isEmpty:
      discussed.length === 0 &&
      lunchesPlanned.length === 0 &&
      lunchesHeld.length === 0 &&
      tookItOffline.length === 0,
  };
  return { ...view, fallbackText: renderPlain(digestDoc(view)) };
}

/** "Last week" when the clock is in the week after; "This week so far" inside it; else "Week 47". */
function periodName(week: string, clock: Date, timeZone: string): string {
  const current = isoWeek(clock, timeZone);
  if (week === current) return "This week so far";
  if (week === previousIsoWeek(current)) return "Last week";
  const parsed = parseIsoWeek(week);
  return parsed ? `Week ${parsed.week}` : "";
}

/** Meetings minus the member–contact pairs a held lunch already shows. */
function withoutLunches(
  meetings: readonly DigestMeetingInput[],
  lunches: readonly DigestLunchInput[],
): DigestMeetingInput[] {
  const atLunch = new Set(
    lunches.flatMap((l) => [l.organizerName, ...l.attendeeNames].map((m) => `${m}\u0000${l.contactName}`)),
  );
  return meetings.map((m) => ({
    memberName: m.memberName,
    contactNames: m.contactNames.filter((c) => !atLunch.has(`${m.memberName}\u0000${c}`)),
  }));
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value >= 1 ? Math.floor(value) : fallback;
}

/** Deterministic order: most mentions first, ties by name (case- and accent-insensitive), then id. */
function byMentionsThenName(
  a: { mentions: number; displayName: string; contactId: string },
  b: { mentions: number; displayName: string; contactId: string },
): number {
  return (
    b.mentions - a.mentions ||
    a.displayName.localeCompare(b.displayName, "en", { sensitivity: "base" }) ||
    compareStrings(a.displayName, b.displayName) ||
    compareStrings(a.contactId, b.contactId)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function trendOf(mentions: number, previousWeekMentions: number): Trend {
  if (previousWeekMentions <= 0) return mentions > 0 ? "new" : "flat";
  if (mentions > previousWeekMentions) return "up";
  if (mentions < previousWeekMentions) return "down";
  return "flat";
}

/** A meeting at or after now - days counts; a future date (clock skew, planned entry) counts too. */
function metWithin(lastMetAt: Date | null, now: Date, days: number): boolean {
  return lastMetAt !== null && now.getTime() - lastMetAt.getTime() <= days * DAY_MS;
}

function calendarDaysBetween(earlier: Date, later: Date, timeZone: string): number {
  const a = zonedParts(earlier, timeZone);
  const b = zonedParts(later, timeZone);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

export function lastMetLabel(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  if (days < 14) return `${days} days ago`;
  if (days < 60) return `${Math.floor(days / 7)} weeks ago`;
  if (days < 365) return `${Math.floor(days / 30)} months ago`;
  const years = Math.floor(days / 365);
  return years === 1 ? "over a year ago" : `over ${years} years ago`;
}

function contactView(c: DigestContactInput, now: Date, timeZone: string): DigestContactView {
  const daysSinceMet = c.lastMetAt ? Math.max(0, calendarDaysBetween(c.lastMetAt, now, timeZone)) : null;
  return {
    contactId: c.contactId,
    displayName: c.displayName,
    organization: c.organization,
    mentions: c.mentions,
    previousWeekMentions: c.previousWeekMentions,
    teammates: c.teammates,
    trend: trendOf(c.mentions, c.previousWeekMentions),
    lastMetAt: c.lastMetAt,
    daysSinceMet,
    lastMet: daysSinceMet === null ? null : lastMetLabel(daysSinceMet),
  };
}

export function computeCoverage(
  contacts: readonly CoverageContactInput[],
  now: Date,
  topN: number,
  days: number,
): DigestCoverage {
  const top = contacts
    .filter((c) => c.status === "tracked" && c.mentions > 0)
    .sort(byMentionsThenName)
    .slice(0, topN);
  const total = top.length;
  const met = top.filter((c) => metWithin(c.lastMetAt, now, days)).length;
  if (total === 0) {
    return {
      met: 0,
      total: 0,
      ratio: null,
      percentLabel: "n/a",
      summary: `No tracked contacts were discussed in the last ${days} days, so there is nothing to measure yet.`,
      topN,
      days,
    };
  }
  const ratio = met / total;
  return {
    met,
    total,
    ratio,
    percentLabel: `${percent(met, total)}%`,
    summary:
      total === 1
        ? `The one discussed contact was ${met === 1 ? "" : "not "}met in person in the last ${days} days.`
        : `${met} of the top ${total} discussed contacts met in person in the last ${days} days.`,
    topN,
    days,
  };
}

/** Rounded, except that rounding never claims 0% or 100% when that isn't literally true. */
function percent(part: number, whole: number): number {
  const rounded = Math.round((part / whole) * 100);
  if (part > 0 && rounded === 0) return 1;
  if (part < whole && rounded === 100) return 99;
  return rounded;
}

function lunchViews(lunches: readonly DigestLunchInput[], timeZone: string): DigestLunchView[] {
  return [...lunches]
    .sort(
      (a, b) =>
        (a.scheduledFor?.getTime() ?? Number.POSITIVE_INFINITY) -
          (b.scheduledFor?.getTime() ?? Number.POSITIVE_INFINITY) ||
        a.contactName.localeCompare(b.contactName, "en", { sensitivity: "base" }),
    )
    .map((l) => ({
      contactName: l.contactName,
      organizerName: l.organizerName,
      attendeeNames: unique(l.attendeeNames.filter((n) => n !== l.organizerName)),
      scheduledFor: l.scheduledFor,
      when: l.scheduledFor ? formatWhenZoned(l.scheduledFor, timeZone) : null,
      place: l.place?.trim() ? l.place.trim() : null,
    }));
}

function meetingViews(meetings: readonly DigestMeetingInput[]): DigestMeetingView[] {
  const byMember = new Map<string, Set<string>>();
  for (const m of meetings) {
    const contacts = byMember.get(m.memberName) ?? new Set<string>();
    for (const name of m.contactNames) contacts.add(name);
    byMember.set(m.memberName, contacts);
  }
  return [...byMember]
    .filter(([, contacts]) => contacts.size > 0)
    .map(([memberName, contacts]) => ({
      memberName,
      contactNames: [...contacts].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" })),
    }))
    .sort(
      (a, b) =>
        b.contactNames.length - a.contactNames.length ||
        a.memberName.localeCompare(b.memberName, "en", { sensitivity: "base" }),
    );
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** "23–29 Nov 2026", "30 Nov – 6 Dec 2026", "28 Dec 2026 – 3 Jan 2027". */
export function periodLabel(year: number, week: number): string {
  const start = dateOfIsoWeekday(year, week, 1);
  const end = dateOfIsoWeekday(year, week, 7);
  const month = (m: number) => MONTH[m] ?? "";
  if (start.year !== end.year) {
    return `${start.day} ${month(start.month)} ${start.year} – ${end.day} ${month(end.month)} ${end.year}`;
  }
  if (start.month !== end.month) {
    return `${start.day} ${month(start.month)} – ${end.day} ${month(end.month)} ${end.year}`;
  }
  return `${start.day}–${end.day} ${month(end.month)} ${end.year}`;
}
