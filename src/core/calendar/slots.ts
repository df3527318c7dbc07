import { DAY_MS, zonedParts, zonedTimeToUtc } from "../time.ts";

// Lunch slots everyone can make, from free/busy only: the bot never sees what people are busy
// with, only when. Pure, so the policy (which slots, in which order) is tested without a calendar.

export interface Interval {
  start: Date;
  end: Date;
}

/** When a workspace lunches: a window of local time on working days. */
export interface LunchHours {
  /** "11:30", local to the workspace (or the organizer). */
  from: string;
  /** "14:00": the lunch ends by then. */
  to: string;
  minutes: number;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
}

export const DEFAULT_LUNCH_HOURS: LunchHours = {
  from: "11:30",
  to: "14:00",
  minutes: 60,
  days: [1, 2, 3, 4, 5],
};

/** Candidate starts every this many minutes within the window. */
export const SLOT_STEP_MINUTES = 30;
/** How far ahead to look for slots. */
export const SLOT_HORIZON_DAYS = 14;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of "HH:MM", or null when it isn't one. */
export function minutesOfDay(value: string): number | null {
  const m = HH_MM.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export interface SlotQuery {
  /** No slot starts before this (now, plus whatever notice the caller wants to give). */
  after: Date;
  timeZone: string;
  hours: LunchHours;
  /** Everyone's busy times together; overlapping and unsorted is fine. */
  busy: readonly Interval[];
  /** How many slots to offer. */
  count: number;
  horizonDays?: number;
}

/**
 * The next `count` lunch slots when nobody is busy, at most one per day so the choice spans
 * several days. On each day the free start nearest the middle of the window wins (people lunch
 * around noon, not at the window's edges); ties go to the earlier one.
 */
export function suggestSlots(q: SlotQuery): Interval[] {
  const from = minutesOfDay(q.hours.from);
  const to = minutesOfDay(q.hours.to);
  if (from === null || to === null || q.hours.minutes <= 0 || to - from < q.hours.minutes || q.count <= 0)
    return [];
  const busy = [...q.busy].sort((a, b) => a.start.getTime() - b.start.getTime());
  const lastStart = to - q.hours.minutes;
  const middle = (from + lastStart) / 2;
  const starts: number[] = [];
  for (let m = from; m <= lastStart; m += SLOT_STEP_MINUTES) starts.push(m);
  starts.sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle) || a - b);

  const slots: Interval[] = [];
  const today = zonedParts(q.after, q.timeZone);
  const firstDay = Date.UTC(today.year, today.month - 1, today.day);
  for (let i = 0; i < (q.horizonDays ?? SLOT_HORIZON_DAYS) && slots.length < q.count; i++) {
    const date = new Date(firstDay + i * DAY_MS);
    const weekday = date.getUTCDay() || 7;
    if (!q.hours.days.includes(weekday)) continue;
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    for (const m of starts) {
      const start = zonedTimeToUtc({ ...day, hour: Math.floor(m / 60), minute: m % 60 }, q.timeZone);
      const slot = { start, end: new Date(start.getTime() + q.hours.minutes * 60_000) };
      // A start that fell into a DST gap moved forward; it no longer shows the window's time.
      const shown = zonedParts(start, q.timeZone);
      if (shown.hour * 60 + shown.minute !== m) continue;
      if (start < q.after || overlapsAny(slot, busy)) continue;
      slots.push(slot);
      break;
    }
  }
  return slots;
}

function overlapsAny(slot: Interval, sortedBusy: readonly Interval[]): boolean {
  for (const b of sortedBusy) {
    if (b.start >= slot.end) return false;
    if (b.end > slot.start) return true;
  }
  return false;
}
