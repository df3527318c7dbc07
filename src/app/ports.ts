// The ports use cases talk through (DESIGN.md §1). Store and Clock are the core's; the chat side
// is what the use cases need from a platform: send a prompt, post the digest, tell about a lunch.
import type { DigestView } from "../core/digest.ts";
import type { MessageDoc } from "../core/messages/doc.ts";
import type { NoticedContent } from "../core/messages/noticed.ts";
import type { AppStore, Clock, Store } from "../core/ports.ts";
import type { Tracker } from "../core/tracking.ts";
import type { Lunch, Member, Workspace } from "../core/types.ts";
import type { CalendarPort } from "./calendar-port.ts";
import type { CalendarConnections } from "./calendars.ts";

export type { AppStore, Clock, Store };

/** What every use case runs on: the store, the clock, and the tracker (whose caches it must drop). */
export interface AppDeps {
  store: AppStore;
  clock: Clock;
  tracker: Tracker;
  /** People's connected calendars; absent when the deployment has no calendar credentials. */
  calendars?: CalendarPort;
  /** Connecting and disconnecting people's calendars (the same object as `calendars` in production). */
  calendarConnections?: CalendarConnections;
  /** The web dashboard's address (PUBLIC_URL + /app), for links from chat; absent without PUBLIC_URL. */
  dashboardUrl?: string;
}

/** A DM the bot sends; the platform renders buttons (Block Kit or Adaptive Card) for it. */
export type Prompt =
  | {
      kind: "lunch";
      nudgeId: string;
      contactId: string;
      contactName: string;
      organization: string | null;
      reason: string;
      teammateNames: string[];
      mentionCount: number;
      /** Meetings counted from the member's calendar they haven't been told about (one line each). */
      counted?: NoticedContent[];
    }
  | {
      kind: "candidate";
      nudgeId: string;
      contactId: string;
      contactName: string;
      question: string;
      reason: string;
      counted?: NoticedContent[];
    }
  | { kind: "follow-up"; lunchId: string; contactName: string; when: string | null; place: string | null };

/** The outbound side of a chat platform, as the core needs it. */
export interface ChatPort {
  /** Sends a DM to the member; returns a reference to the message (for later updates). */
  sendPrompt(ws: Workspace, member: Member, prompt: Prompt): Promise<string>;
  /** Posts the digest to a channel; `key` identifies the digest (workspace + week) in the message. */
  postDigest(ws: Workspace, channel: string, digest: DigestView, key: string): Promise<string>;
  /**
   * Sends a DM that is a document of its own (the review, a question about a meeting mentioned in
   * chat, a calendar connected or lost); returns its reference. Optional: a port without it (a test fake) is never asked such things.
   */
  sendDoc?(ws: Workspace, member: Member, doc: MessageDoc): Promise<string>;
  /** Finds a digest message posted earlier with `key`, to recover from a crash after posting. */
  findDigestPost?(ws: Workspace, channel: string, key: string): Promise<string | null>;
}

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
