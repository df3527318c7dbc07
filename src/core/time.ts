// Calendar arithmetic in IANA time zones with Intl only: no tz database to ship or update.

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-23
  minute: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** A valid zone, or UTC when the given one is missing or unknown. */
export function safeTimeZone(timeZone: string | null | undefined): string {
  return timeZone && isValidTimeZone(timeZone) ? timeZone : "UTC";
}

export function zonedParts(at: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(safeTimeZone(timeZone)).formatToParts(at)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? "Mon"] ?? 1,
  };
}

/** Offset of the zone from UTC at that instant, in minutes (UTC+13 → 780). */
export function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((asUtc - Math.floor(at.getTime() / 60_000) * 60_000) / 60_000);
}

/**
 * The instant when the wall clock in the zone shows the given local time. In a DST gap the
 * local time does not exist and the result is shifted forward by the gap; in an overlap the
 * earlier instant wins.
 */
export function zonedTimeToUtc(
  local: { year: number; month: number; day: number; hour: number; minute?: number },
  timeZone: string,
): Date {
  const minute = local.minute ?? 0;
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour, minute);
  const first = guess - zoneOffsetMinutes(new Date(guess), timeZone) * 60_000;
  const second = guess - zoneOffsetMinutes(new Date(first), timeZone) * 60_000;
  const showsLocal = (t: number) => {
    const p = zonedParts(new Date(t), timeZone);
    return p.day === local.day && p.hour === local.hour && p.minute === minute;
  };
  const exact = [first, second].filter(showsLocal);
  // Overlap: both candidates show the time; take the earlier. Gap: neither does; the later one
  // is the same wall-clock time shifted forward by the gap.
  return new Date(exact.length > 0 ? Math.min(...exact) : Math.max(first, second));
}

/** ISO 8601 week of a calendar date: weeks start Monday; week 1 holds the year's first Thursday. */
export function isoWeekOfDate(year: number, month: number, day: number): { year: number; week: number } {
  const d = new Date(Date.UTC(year, month - 1, day));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const weekYear = d.getUTCFullYear();
  const jan1 = Date.UTC(weekYear, 0, 1);
  const week = Math.floor((d.getTime() - jan1) / 86_400_000 / 7) + 1;
  return { year: weekYear, week };
}

/** "YYYY-Www" of the instant as seen on the zone's calendar. */
export function isoWeek(at: Date, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  const { year, week } = isoWeekOfDate(p.year, p.month, p.day);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

const ISO_WEEK = /^(\d{4})-W(\d{2})$/;

export function parseIsoWeek(value: string): { year: number; week: number } | null {
  const m = ISO_WEEK.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const week = Number(m[2]);
  if (week < 1 || week > isoWeeksInYear(year)) return null;
  return { year, week };
}

export function isoWeeksInYear(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  return isoWeekOfDate(year, 12, 28).week;
}

/** Local calendar date of Monday (weekday 1) … Sunday (7) in the given ISO week. */
export function dateOfIsoWeekday(
  year: number,
  week: number,
  weekday: number,
): { year: number; month: number; day: number } {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const jan4Weekday = jan4.getUTCDay() || 7;
  const d = new Date(jan4.getTime() + ((week - 1) * 7 + (weekday - jan4Weekday)) * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** [start, end) of an ISO week in the zone: Monday 00:00 local to the next Monday 00:00 local. */
export function isoWeekRange(weekKey: string, timeZone: string): { start: Date; end: Date } {
  const parsed = parseIsoWeek(weekKey);
  if (!parsed) throw new RangeError(`Not an ISO week: ${weekKey} (expected YYYY-Www)`);
  const monday = dateOfIsoWeekday(parsed.year, parsed.week, 1);
  const nextWeek =
    parsed.week === isoWeeksInYear(parsed.year)
      ? { year: parsed.year + 1, week: 1 }
      : { year: parsed.year, week: parsed.week + 1 };
  const nextMonday = dateOfIsoWeekday(nextWeek.year, nextWeek.week, 1);
  return {
    start: zonedTimeToUtc({ ...monday, hour: 0 }, timeZone),
    end: zonedTimeToUtc({ ...nextMonday, hour: 0 }, timeZone),
  };
}

export const DAY_MS = 86_400_000;

/** "2026-12-03" for a calendar date (ISO 8601). */
export function isoDate(d: { year: number; month: number; day: number }): string {
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** A calendar day in a zone: its YYYY-MM-DD name and its [start, end) instants. */
export function localDay(at: Date, timeZone: string): { day: string; start: Date; end: Date } {
  const p = zonedParts(at, timeZone);
  const next = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return {
    day: isoDate(p),
    start: zonedTimeToUtc({ year: p.year, month: p.month, day: p.day, hour: 0 }, timeZone),
    end: zonedTimeToUtc(
      { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0 },
      timeZone,
    ),
  };
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

/** The ISO week before `weekKey` ("2027-W01" → "2026-W53"); the key itself when malformed. */
export function previousIsoWeek(weekKey: string): string {
  const parsed = parseIsoWeek(weekKey);
  if (!parsed) return weekKey;
  const prev =
    parsed.week > 1
      ? { year: parsed.year, week: parsed.week - 1 }
      : { year: parsed.year - 1, week: isoWeeksInYear(parsed.year - 1) };
  return `${prev.year}-W${String(prev.week).padStart(2, "0")}`;
}

/**
 * The week a digest posted at `now` reports: the last COMPLETE ISO week in the zone, i.e. the one
 * before the week containing `now`. A Monday 09:00 post reports Mon–Sun just ended; a post late on
 * Sunday still reports the week before (the current one isn't over). This key is also the Digest
 * row's idempotency key, so one post per reported week whatever the hour.
 */
export function digestPeriod(now: Date, timeZone: string): string {
  return previousIsoWeek(isoWeek(now, timeZone));
}
