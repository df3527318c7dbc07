// The Calendar port (DESIGN.md §1): what use cases need from a person's connected calendar.
// Free/busy only for suggestions, one event insert for booking, and past events reduced to their
// start and attendee emails for noticing meetings: titles, descriptions and other details are never
// read into our code, so they can't be stored by accident. Implementations live in src/calendars/
// (Google Calendar, Microsoft Graph); tests of the use cases may use an in-memory one.
import type { Interval } from "../core/calendar/slots.ts";
import type { Member, Workspace } from "../core/types.ts";

export type CalendarProviderId = "google" | "microsoft";

export interface CalendarEventDraft {
  start: Date;
  end: Date;
  title: string;
  location: string | null;
  /** Teammates and, when known, the contact: the provider sends them the invitations. */
  attendeeEmails: string[];
  /** IANA zone the event is shown in. */
  timeZone: string;
  description: string | null;
}

/** A past event as the bot may see it: when, and who was invited (emails, lower-cased). */
export interface PastEvent {
  start: Date;
  attendeeEmails: string[];
}

/**
 * Why a calendar call failed, for the caller's policy: a revoked or expired grant is told to the
 * person once (and the grant dropped); an unavailable provider (429/5xx/network) is retried later.
 */
export type CalendarFailure =
  | { kind: "revoked" }
  | { kind: "unavailable"; retryAfterMs: number | null; detail: string };

export class CalendarError extends Error {
  constructor(readonly failure: CalendarFailure) {
    super(failure.kind === "revoked" ? "calendar access revoked" : `calendar unavailable: ${failure.detail}`);
    this.name = "CalendarError";
  }
}

/** One member's connected calendar. Every method may throw CalendarError. */
export interface MemberCalendar {
  provider: CalendarProviderId;
  /** Busy intervals in [from, to), merged or not. */
  busy(from: Date, to: Date): Promise<Interval[]>;
  createEvent(draft: CalendarEventDraft): Promise<{ id: string; link: string | null }>;
  pastEvents(from: Date, to: Date): Promise<PastEvent[]>;
}

export interface CalendarPort {
  /** Providers this deployment has credentials for; empty means calendars aren't configured. */
  providers(): CalendarProviderId[];
  /** The member's connected calendar, or null when they haven't connected one (or turned it off). */
  forMember(ws: Workspace, member: Member): Promise<MemberCalendar | null>;
}
