// What the lunch form says about times from people's calendars, on both platforms: the choice of
// free slots, its "another time" option, and the one line shown instead when there are none.
// Labels and option titles are plain text (never markup on either platform); the notice shown
// instead of slots is core markup (it names a command, which each platform spells its own way).
import type { Interval } from "../calendar/slots.ts";
import { formatWhen } from "../format.ts";
import { command } from "../prompt-text.ts";
import { safeTimeZone, zonedParts } from "../time.ts";

/**
 * What the form knows about free times: slots when everyone joining is free; otherwise why there
 * are none ("off": calendars aren't configured here, so nothing is said about them).
 */
export type LunchSlotOffer =
  | { kind: "slots"; slots: Interval[]; timeZone: string }
  | { kind: "connect" }
  | { kind: "unavailable" }
  | { kind: "none-free" }
  | { kind: "off" };

/** The choice's value for "another time": the date and time fields are read instead. */
export const OTHER_TIME = "other";

export const LUNCH_FORM_TEXT = {
  slotLabel: "When everyone is free",
  otherTime: "Another time (pick it below)",
  dateLabel: "Date",
  timeLabel: "Time",
  /** Under the date when slots are offered: it only counts with "another time". */
  otherHint: "Used when you choose another time above.",
  connect: `Connect your calendar with ${command("connect calendar")} to see times when everyone is free.`,
  unavailable: "I couldn't read the calendars just now, so pick a date and time yourself.",
  noneFree: "No lunch time in the next two weeks suits everyone's calendar; pick a date and time yourself.",
} as const;

/** "Thu 19 Nov, 12:00–13:00" on the organizer's wall clock. */
export function slotLabel(slot: Interval, timeZone: string): string {
  const end = zonedParts(slot.end, safeTimeZone(timeZone));
  return `${formatWhen(slot.start, timeZone)}–${String(end.hour).padStart(2, "0")}:${String(end.minute).padStart(2, "0")}`;
}

/** The choice's value for a slot: its ISO 8601 interval, which the lunch form parser reads back. */
export function slotValue(slot: Interval): string {
  return `${slot.start.toISOString()}/${slot.end.toISOString()}`;
}

/** The slot choice's options, first slot first, then "another time". */
export function slotChoices(offer: LunchSlotOffer): Array<{ label: string; value: string }> {
  if (offer.kind !== "slots") return [];
  return [
    ...offer.slots.map((s) => ({ label: slotLabel(s, offer.timeZone), value: slotValue(s) })),
    { label: LUNCH_FORM_TEXT.otherTime, value: OTHER_TIME },
  ];
}

/** The line the form shows instead of slots, if any (core markup). */
export function slotNotice(offer: LunchSlotOffer): string | null {
  switch (offer.kind) {
    case "connect":
      return LUNCH_FORM_TEXT.connect;
    case "unavailable":
      return LUNCH_FORM_TEXT.unavailable;
    case "none-free":
      return LUNCH_FORM_TEXT.noneFree;
    default:
      return null;
  }
}

/**
 * What a platform that can't attach a file to a message says when it asks to hand over the .ics
 * (Teams' file consent card): what the file is and what Allow does.
 */
export function inviteFileDescription(contactName: string): string {
  return `The invite for your lunch with ${contactName}. Allow saves it to your OneDrive; open it to add the lunch to your calendar.`;
}
