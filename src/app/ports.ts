// The ports use cases talk through (DESIGN.md §1). Store and Clock are the core's; the chat side
// is what the use cases written so far need, and grows as more of them move here.
import type { Clock, Store } from "../core/ports.ts";
import type { Lunch, Member, Workspace } from "../core/types.ts";

export type { Clock, Store };

/** One message about a planned lunch, for one person at the table. */
export interface LunchNotice {
  /** The organizer gets their calendar invite; each attendee is told they were added. */
  role: "organizer" | "attendee";
  lunch: Lunch;
  contactName: string;
  /** What this person reads, with the time in their own zone. Plain text: the platform escapes it. */
  text: string;
  /** The .ics invite, when the lunch has a date. */
  ics: string | null;
}

/** The outbound chat calls of the lunch use case. */
export interface LunchChatPort {
  notifyLunch(ws: Workspace, member: Member, notice: LunchNotice): Promise<void>;
}

/** A platform user named as a lunch guest, as the platform's directory sees them. */
export type TeammateLookup =
  | { ok: true; member: Member }
  | { ok: false; reason: "unknown" | "external" | "bot" | "unavailable"; name?: string };

/**
 * Resolves a platform user id to a teammate's member row (created on first sight, which is the
 * adapter's business: it also refreshes caches), or says why they can't be one.
 */
export type TeammateDirectory = (platformUserId: string) => Promise<TeammateLookup>;
