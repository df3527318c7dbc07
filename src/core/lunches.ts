// The lunch lifecycle as a pure state machine:
//
//   planned ──schedule──▶ scheduled ──follow-up-sent──▶ followup ──happened──▶ met
//      │                   │  ▲  │                        │  │
//      │                   │  └──┴──────reschedule────────┘  └──did-not-happen──▶ cancelled
//      └───────cancel──────┴──────────────cancel──────────────────────────────────▶ cancelled
//
// `scheduled` may also go straight to met/cancelled: people often answer before the bot asks.
// `postpone` ("not yet" to the follow-up) keeps a lunch open: back to `scheduled`, asked again a
// week later (POSTPONE_DAYS), unless a new date comes first (`lunch CONTACT DATE` reschedules it).
// Every function returns a result instead of throwing, because the input comes from buttons and
// modals: a stale button (e.g. "did it happen?" on a lunch that was cancelled meanwhile) must turn
// into a message for the user, not a crash in the handler.

import { formatWhen } from "./format.ts";
import { DAY_MS, safeTimeZone, zonedParts, zonedTimeToUtc } from "./time.ts";
import type { Contact, Lunch, LunchStatus, Meeting } from "./types.ts";

/** A lunch before the store gives it an id and a workspace; every function here is generic over it. */
export type LunchDraft = Omit<Lunch, "id" | "workspaceId">;

export type LunchEvent =
  | { type: "schedule"; scheduledFor: Date; place?: string | null }
  | { type: "reschedule"; scheduledFor: Date; place?: string | null }
  | { type: "follow-up-sent" }
  | { type: "happened" }
  | { type: "did-not-happen" }
  /** "Not yet": the lunch stays open and the follow-up is asked again later. */
  | { type: "postpone" }
  | { type: "cancel" };

export type LunchResult<T extends LunchDraft> =
  | { ok: true; lunch: T; meetings: Meeting[] }
  | { ok: false; error: string };

export interface NewLunchInput {
  contactId: string;
  organizerId: string;
  attendeeIds: string[];
  scheduledFor?: Date | null;
  place?: string | null;
}

/** Statuses in which a lunch still blocks new nudges for its people and contact. */
export const OPEN_LUNCH_STATUSES: readonly LunchStatus[] = ["planned", "scheduled", "followup"];

/** Local hour, on the day after the lunch, when the bot asks "did it happen?". */
export const FOLLOW_UP_HOUR = 10;

/** After "not yet", how many days until the bot asks again (a new date asks the day after it). */
export const POSTPONE_DAYS = 7;

export function isLunchOpen(lunch: Pick<Lunch, "status">): boolean {
  return OPEN_LUNCH_STATUSES.includes(lunch.status);
}

/** Everyone at the table on our side: organizer first, then attendees in the order given. */
export function lunchMemberIds(lunch: Pick<Lunch, "organizerId" | "attendeeIds">): string[] {
  return [lunch.organizerId, ...lunch.attendeeIds];
}

/**
 * 10:00 local time on the calendar day after the lunch, in the organizer's zone. Computed on the
 * local calendar rather than as "+24h" so a DST change overnight does not move it to 09:00/11:00.
 */
export function followUpTime(scheduledFor: Date, timeZone: string | null | undefined): Date {
  const tz = safeTimeZone(timeZone);
  const local = zonedParts(scheduledFor, tz);
  const next = new Date(Date.UTC(local.year, local.month - 1, local.day) + DAY_MS);
  return zonedTimeToUtc(
    {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: FOLLOW_UP_HOUR,
    },
    tz,
  );
}

export function newLunch(
  input: NewLunchInput,
  now: Date,
  timeZone: string | null | undefined,
): LunchResult<LunchDraft> {
  const peopleError = validatePeople(input.contactId, input.organizerId, input.attendeeIds);
  if (peopleError) return fail(peopleError);
  const base: LunchDraft = {
    contactId: input.contactId,
    organizerId: input.organizerId,
    attendeeIds: [...input.attendeeIds],
    scheduledFor: null,
    place: cleanPlace(input.place),
    status: "planned",
    followUpAt: null,
    followUpSent: null,
  };
  if (input.scheduledFor == null) return { ok: true, lunch: base, meetings: [] };
  return withDate(base, input.scheduledFor, input.place, now, timeZone);
}

/**
 * Applies one event. `now` guards against dates in the past and early follow-ups; `timeZone` is
 * the organizer's, used for the follow-up time when the date changes.
 */
export function applyLunchEvent<T extends LunchDraft>(
  lunch: T,
  event: LunchEvent,
  now: Date,
  timeZone: string | null | undefined,
): LunchResult<T> {
  if (lunch.status === "met" || lunch.status === "cancelled") {
    return fail(
      `This lunch is already ${lunch.status === "met" ? "marked as met" : "cancelled"}; it can't change any more.`,
    );
  }
  switch (event.type) {
    case "schedule":
      if (lunch.status !== "planned") {
        return fail(`This lunch is already ${lunch.status}; use reschedule to change its date.`);
      }
      return withDate(lunch, event.scheduledFor, event.place, now, timeZone);
    case "reschedule":
      if (lunch.status === "planned") return fail("This lunch has no date yet; schedule it first.");
      return withDate(lunch, event.scheduledFor, event.place, now, timeZone);
    case "follow-up-sent":
      if (lunch.status !== "scheduled")
        return fail(`Only a scheduled lunch gets a follow-up (this one is ${lunch.status}).`);
      if (!isFollowUpDue(lunch, now)) {
        return fail(
          `The follow-up is not due yet (due ${lunch.followUpAt ? formatWhen(lunch.followUpAt, timeZone) : "once the lunch has a date"}).`,
        );
      }
      return ok({ ...lunch, status: "followup", followUpSent: new Date(now) });
    case "happened": {
      if (lunch.status === "planned" || lunch.scheduledFor === null) {
        return fail("This lunch has no date yet, so it can't have happened; schedule it first.");
      }
      if (lunch.scheduledFor.getTime() > now.getTime()) {
        return fail(
          `This lunch is only on ${formatWhen(lunch.scheduledFor, timeZone)}; it can't have happened yet.`,
        );
      }
      const metAt = new Date(lunch.scheduledFor);
      const meetings: Meeting[] = lunchMemberIds(lunch).map((memberId) => ({
        contactId: lunch.contactId,
        memberId,
        metAt,
        source: "lunch",
      }));
      return { ok: true, lunch: { ...lunch, status: "met" }, meetings };
    }
    case "did-not-happen":
      if (lunch.status === "planned") return fail("This lunch has no date yet; cancel it instead.");
      return ok({ ...lunch, status: "cancelled" });
    case "postpone": {
      if (lunch.status === "planned") return fail("This lunch has no date yet; add one when you have it.");
      // Asked again POSTPONE_DAYS from now (10:00 local the day after "now + POSTPONE_DAYS - 1").
      const again = followUpTime(new Date(now.getTime() + (POSTPONE_DAYS - 1) * DAY_MS), timeZone);
      return ok({ ...lunch, status: "scheduled", followUpAt: again, followUpSent: null });
    }
    case "cancel":
      return ok({ ...lunch, status: "cancelled" });
    default:
      return fail(`Unknown lunch event: ${JSON.stringify((event as { type?: unknown }).type)}.`);
  }
}

/** True once the "did it happen?" question should go out (and has not yet). */
export function isFollowUpDue(
  lunch: Pick<Lunch, "status" | "followUpAt" | "followUpSent">,
  now: Date,
): boolean {
  return (
    lunch.status === "scheduled" &&
    lunch.followUpAt !== null &&
    lunch.followUpSent === null &&
    now.getTime() >= lunch.followUpAt.getTime()
  );
}

/**
 * Recording a meeting resets the contact's clock: nudges ignore mentions before lastMetAt and
 * pause for recentlyMetDays after it. max() because meetings can be recorded out of order (a late
 * "did it happen?" answer must not undo a newer meeting logged by a button).
 */
export function applyMeeting<C extends Pick<Contact, "lastMetAt">>(contact: C, metAt: Date): C {
  if (Number.isNaN(metAt.getTime())) return contact;
  if (contact.lastMetAt !== null && contact.lastMetAt.getTime() >= metAt.getTime()) return contact;
  return { ...contact, lastMetAt: new Date(metAt) };
}

function withDate<T extends LunchDraft>(
  lunch: T,
  scheduledFor: Date,
  place: string | null | undefined,
  now: Date,
  timeZone: string | null | undefined,
): LunchResult<T> {
  if (!(scheduledFor instanceof Date) || Number.isNaN(scheduledFor.getTime())) {
    return fail("The lunch date is not a valid date.");
  }
  if (scheduledFor.getTime() < now.getTime()) {
    return fail(`The lunch date ${formatWhen(scheduledFor, timeZone)} is in the past; pick a later one.`);
  }
  return ok({
    ...lunch,
    status: "scheduled",
    scheduledFor: new Date(scheduledFor),
    // A new date keeps the old place unless a new one is given.
    place: place === undefined ? lunch.place : cleanPlace(place),
    followUpAt: followUpTime(scheduledFor, timeZone),
    followUpSent: null,
  });
}

function validatePeople(
  contactId: string,
  organizerId: string,
  attendeeIds: readonly string[],
): string | null {
  if (!contactId) return "A lunch needs a contact.";
  if (!organizerId) return "A lunch needs an organizer.";
  if (attendeeIds.some((id) => !id)) return "An attendee id is empty.";
  if (attendeeIds.includes(organizerId))
    return "The organizer is already at the table; don't list them as an attendee too.";
  const seen = new Set<string>();
  for (const id of attendeeIds) {
    if (seen.has(id)) return `Attendee ${id} is listed twice.`;
    seen.add(id);
  }
  return null;
}

function cleanPlace(place: string | null | undefined): string | null {
  const trimmed = place?.trim();
  return trimmed ? trimmed : null;
}

function ok<T extends LunchDraft>(lunch: T): LunchResult<T> {
  return { ok: true, lunch, meetings: [] };
}

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
