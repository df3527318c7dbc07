// The lunch form (Slack modal, Teams card): raw field strings in, a validated plan or one message
// per field out. Pure; dates and times are read exactly as the `lunch` command reads them.
import type { Interval } from "../calendar/slots.ts";
import { LIMITS, type LocalDateTime, parseClockTime, parseLocalDate } from "../commands.ts";
import { OTHER_TIME } from "../messages/lunch-form.ts";
import { isoDate, zonedParts } from "../time.ts";
import { type FormResult, type RawValue, rawList, rawText } from "./result.ts";

/** "slot" is there only when the form offers times from people's calendars. */
export const LUNCH_FIELD_NAMES = ["slot", "date", "time", "place", "with"] as const;
export type LunchField = (typeof LUNCH_FIELD_NAMES)[number];

/** The form's fields by name (used as Slack block ids and Teams input ids). */
export const LUNCH_FIELDS = {
  slot: "slot",
  date: "date",
  time: "time",
  place: "place",
  with: "with",
} as const satisfies Record<LunchField, LunchField>;

/** When the form leaves the time empty: lunchtime. */
export const DEFAULT_LUNCH_TIME = { hour: 12, minute: 0 } as const;
/** What the form's time field shows when it opens. */
export const INITIAL_LUNCH_TIME = "12:30";

/** The fields a lunch needs, and what the form says when one is empty (Teams shows it itself). */
export const LUNCH_REQUIRED = { date: "Pick a date.", time: "Pick a time." } as const satisfies Partial<
  Record<LunchField, string>
>;

export type RawLunchForm = Partial<Record<LunchField, RawValue>>;

export interface LunchFormValue {
  /** A free slot the form offered and the organizer picked; then `on` is null. */
  slot: Interval | null;
  /** Local date and time in the organizer's zone ("another time", or a form without slots). */
  on: Required<LocalDateTime> | null;
  place: string | null;
  /** Platform user ids of the teammates joining, without duplicates, in the order picked. */
  withUserIds: string[];
}

export interface LunchFormOptions {
  /** The platform's user id shape; anything else in "with" is refused (ids are never free text). */
  userId?: RegExp;
}

/** Any platform's user ids: short, no whitespace, commas or markup. */
const ANY_USER_ID = /^[A-Za-z0-9][A-Za-z0-9:._@-]{0,99}$/;
const TIME_WITH_SECONDS = /^(\d{1,2}:\d{2}):\d{2}$/;

export function parseLunchForm(
  raw: RawLunchForm,
  options: LunchFormOptions = {},
): FormResult<LunchFormValue, LunchField> {
  const errors: Partial<Record<LunchField, string>> = {};

  const slotText = rawText(raw.slot)?.trim() ?? "";
  const slot = slotText && slotText !== OTHER_TIME ? parseSlot(slotText) : null;
  if (slotText && slotText !== OTHER_TIME && !slot) errors.slot = "Pick one of the times, or another time.";
  if (slot || errors.slot) {
    // A picked slot makes the date and time fields irrelevant: only the rest is checked.
    const rest = parseLunchForm({ ...raw, slot: null }, options);
    const restErrors = rest.ok ? {} : { ...rest.errors };
    delete restErrors.date;
    delete restErrors.time;
    const all = { ...restErrors, ...errors };
    if (Object.keys(all).length > 0 || !slot) return { ok: false, errors: all };
    const place = rawText(raw.place)?.trim() ?? "";
    const ids = [...new Set(rawList(raw.with, /[\s,]+/))];
    return { ok: true, value: { slot, on: null, place: place || null, withUserIds: ids } };
  }

  const dateText = rawText(raw.date)?.trim() ?? "";
  const date = dateText ? parseLocalDate(dateText) : null;
  if (!date) errors.date = LUNCH_REQUIRED.date;
  else if (!date.ok) errors.date = date.error;

  // Teams may send seconds (HH:MM:SS); the command grammar reads HH:MM.
  const timeText = (rawText(raw.time)?.trim() ?? "").replace(TIME_WITH_SECONDS, "$1");
  const time = timeText ? parseClockTime(timeText) : DEFAULT_LUNCH_TIME;
  if (!time) errors.time = LUNCH_REQUIRED.time;

  const place = rawText(raw.place)?.trim() ?? "";
  if (place.length > LIMITS.place) errors.place = `Keep the place under ${LIMITS.place} characters.`;

  const ids = [...new Set(rawList(raw.with, /[\s,]+/))];
  const pattern = options.userId ?? ANY_USER_ID;
  if (ids.some((id) => !pattern.test(id) || !ANY_USER_ID.test(id)))
    errors.with = "Pick teammates from the list.";
  else if (ids.length > LIMITS.attendees) errors.with = `Pick at most ${LIMITS.attendees} teammates.`;

  if (!date?.ok || !time || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: { slot: null, on: { ...date.value, ...time }, place: place || null, withUserIds: ids },
  };
}

/** The longest lunch a slot may be (the settings' longest lunch). */
const MAX_SLOT_MS = 4 * 3_600_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z$/;

/** "start/end" (ISO 8601 instants, as slotValue writes them) → the slot, or null. */
function parseSlot(text: string): Interval | null {
  const [a, b, more] = text.split("/");
  if (!a || !b || more !== undefined || !ISO_INSTANT.test(a) || !ISO_INSTANT.test(b)) return null;
  const start = new Date(a);
  const end = new Date(b);
  const ms = end.getTime() - start.getTime();
  return Number.isFinite(ms) && ms > 0 && ms <= MAX_SLOT_MS ? { start, end } : null;
}

/** YYYY-MM-DD of the next weekday after today, in `tz`: the date the lunch form opens with. */
export function nextWeekday(now: Date, tz: string): string {
  let d = new Date(now.getTime());
  do {
    d = new Date(d.getTime() + 86_400_000);
  } while ([6, 7].includes(zonedParts(d, tz).weekday));
  return isoDate(zonedParts(d, tz));
}
