import {
  dateOfIsoWeekday,
  isoWeek,
  isoWeekRange,
  parseIsoWeek,
  previousIsoWeek,
  safeTimeZone,
  zonedTimeToUtc,
} from "../core/time.ts";
import type { Workspace } from "../core/types.ts";

// Pure decisions about the weekly digest: which week, when it is due, whether a run at instant
// `now` should post, catch up or give up. No I/O and no clock: the instant is always a parameter,
// so DST changes, far-off time zones and year-end ISO weeks are plain unit tests.

export type DigestSchedule = Pick<Workspace, "timezone" | "digestDay" | "digestHour">;

/**
 * The instant the digest of `week` is due: the workspace's digestDay at digestHour:00 local.
 * A local time that doesn't exist (spring-forward gap) moves forward by the gap; one that occurs
 * twice (fall-back) takes the first occurrence. Either way it stays inside its own week.
 */
export function digestDueAt(ws: DigestSchedule, week: string): Date {
  const parsed = parseIsoWeek(week);
  if (!parsed) throw new RangeError(`Not an ISO week: ${week}`);
  const tz = safeTimeZone(ws.timezone);
  const day = dateOfIsoWeekday(parsed.year, parsed.week, clamp(ws.digestDay, 1, 7));
  const due = zonedTimeToUtc({ ...day, hour: clamp(ws.digestHour, 0, 23) }, tz);
  // A gap right before midnight on Sunday could push the time into next week; keep it in this one.
  const end = isoWeekRange(week, tz).end;
  return due < end ? due : new Date(end.getTime() - 60_000);
}

/**
 * `week` is the week the post is due in; `reports` the week the digest reports (the last complete
 * one, core/time.ts digestPeriod), which is also the Digest row's key: one post per reported week.
 */
export type DigestDecision =
  | { due: true; week: string; reports: string; dueAt: Date }
  | { due: false; week: string; reports: string; dueAt: Date; reason: "not-yet" | "installed-after" };

/**
 * Is a digest due at `now`? The week is the ISO week of `now` on the workspace's calendar; it is
 * due once `now` has reached that week's day and hour. A workspace installed after this week's
 * due time waits for next week rather than getting a digest of a few hours' data.
 */
export function digestDue(ws: DigestSchedule, now: Date, installedAt?: Date | null): DigestDecision {
  const week = isoWeek(now, safeTimeZone(ws.timezone));
  const reports = previousIsoWeek(week);
  const dueAt = digestDueAt(ws, week);
  if (installedAt && installedAt > dueAt)
    return { due: false, week, reports, dueAt, reason: "installed-after" };
  if (now < dueAt) return { due: false, week, reports, dueAt, reason: "not-yet" };
  return { due: true, week, reports, dueAt };
}

/** The ISO week before the week of `now`, on the workspace's calendar. */
export function previousWeek(ws: Pick<Workspace, "timezone">, now: Date): string {
  const tz = safeTimeZone(ws.timezone);
  const start = isoWeekRange(isoWeek(now, tz), tz).start;
  return isoWeek(new Date(start.getTime() - 1), tz);
}

/**
 * Catch-up stops at the week boundary: a digest that was due last week and never posted is not
 * posted late (it would be "last week's digest" arriving in a new week). Returns the week it would
 * have reported (the Digest row's key) and
 * why it is skipped, or null when last week's digest was not due (installed later).
 * Whether it was in fact posted is the caller's question (it needs the store).
 */
export function missedDigest(
  ws: DigestSchedule,
  now: Date,
  installedAt?: Date | null,
): { week: string; dueAt: Date; reason: string } | null {
  // Last week's post was due in last week and would have reported the week before it.
  const posting = previousWeek(ws, now);
  const dueAt = digestDueAt(ws, posting);
  const week = previousIsoWeek(posting);
  if (installedAt && installedAt > dueAt) return null;
  return {
    week,
    dueAt,
    reason: `the digest for ${week} was due at ${dueAt.toISOString()} but that week ended before it was posted; not posting it late`,
  };
}

/**
 * When the next digest will go out: this week's due time if it is still ahead (or due and not yet
 * posted, in which case the next run posts it), else next week's.
 */
export function nextDigestAt(
  ws: DigestSchedule,
  now: Date,
  postedThisWeek: boolean,
  installedAt?: Date | null,
): Date {
  const decision = digestDue(ws, now, installedAt);
  if (decision.due && !postedThisWeek) return now;
  if (!decision.due && decision.reason === "not-yet") return decision.dueAt;
  const tz = safeTimeZone(ws.timezone);
  const nextWeek = isoWeek(isoWeekRange(decision.week, tz).end, tz);
  return digestDueAt(ws, nextWeek);
}

function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.trunc(n)));
}
