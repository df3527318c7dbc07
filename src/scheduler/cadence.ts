// When a job fires. Every cadence here is a fixed period aligned to the UTC epoch plus an offset,
// which is what the cron expressions we use mean in UTC ("*/5 * * * *", "0 * * * *", "30 3 * * *").
// Keeping both forms lets node-cron arm the timers (production) while anything that has to name
// a fire time itself (start-up catch-up, tests on a fake clock, `take-it-offline jobs`) computes
// the very same slot without asking node-cron, whose timers only know the real clock.

export interface Cadence {
  /** node-cron expression, evaluated in UTC. */
  cron: string;
  periodMs: number;
  /** Offset of the slots from the epoch-aligned period boundaries. */
  offsetMs: number;
  /** Human description for `take-it-offline jobs`. */
  label: string;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Every n seconds (n divides 60). Tests use it to watch node-cron fire several slots quickly. */
export function everySeconds(n: number): Cadence {
  if (!Number.isInteger(n) || n < 1 || 60 % n !== 0)
    throw new RangeError(`seconds step must divide 60: ${n}`);
  return { cron: `*/${n} * * * * *`, periodMs: n * SECOND, offsetMs: 0, label: `every ${n}s` };
}

/** Every n minutes on the clock (n divides 60): "*\/5" fires at :00, :05, … */
export function everyMinutes(n: number): Cadence {
  if (!Number.isInteger(n) || n < 1 || 60 % n !== 0)
    throw new RangeError(`minutes step must divide 60: ${n}`);
  return { cron: `*/${n} * * * *`, periodMs: n * MINUTE, offsetMs: 0, label: `every ${n} min` };
}

export function hourlyAt(minute: number): Cadence {
  if (!Number.isInteger(minute) || minute < 0 || minute > 59)
    throw new RangeError(`minute out of range: ${minute}`);
  return {
    cron: `${minute} * * * *`,
    periodMs: HOUR,
    offsetMs: minute * MINUTE,
    label: `hourly at :${String(minute).padStart(2, "0")}`,
  };
}

export function dailyAt(hour: number, minute: number): Cadence {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`hour out of range: ${hour}`);
  if (!Number.isInteger(minute) || minute < 0 || minute > 59)
    throw new RangeError(`minute out of range: ${minute}`);
  const hh = String(hour).padStart(2, "0");
  const mm = String(minute).padStart(2, "0");
  return {
    cron: `${minute} ${hour} * * *`,
    periodMs: DAY,
    offsetMs: hour * HOUR + minute * MINUTE,
    label: `daily at ${hh}:${mm} UTC`,
  };
}

/** The latest fire time at or before `at`: the slot a run at `at` belongs to. */
export function slotAt(cadence: Cadence, at: Date): Date {
  const t = at.getTime() - cadence.offsetMs;
  return new Date(Math.floor(t / cadence.periodMs) * cadence.periodMs + cadence.offsetMs);
}

/** The first fire time strictly after `at`. */
export function nextSlot(cadence: Cadence, at: Date): Date {
  return new Date(slotAt(cadence, at).getTime() + cadence.periodMs);
}
