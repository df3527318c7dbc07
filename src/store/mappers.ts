import { z } from "zod";
import { parseSettings } from "../core/settings.ts";
import type {
  Contact,
  ContactStatus,
  Lunch,
  Member,
  NoticedMeeting,
  NoticedSource,
  NoticedStatus,
  Nudge,
  NudgeKind,
  NudgeStatus,
  Platform,
  Review,
  ReviewItem,
  Workspace,
} from "../core/types.ts";

// Rows → domain types. Status strings are validated here once, so the core can trust its unions.

function oneOf<T extends string>(value: string, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

export interface WorkspaceRow {
  id: string;
  platform: string;
  externalId: string;
  name: string;
  timezone: string;
  digestChannel: string | null;
  digestDay: number;
  digestHour: number;
  settings: string;
  uninstalledAt: Date | null;
}

export function toWorkspace(r: WorkspaceRow): Workspace {
  return {
    id: r.id,
    platform: oneOf<Platform>(r.platform, ["slack", "teams"], "slack"),
    externalId: r.externalId,
    name: r.name,
    timezone: r.timezone,
    digestChannel: r.digestChannel,
    digestDay: r.digestDay,
    digestHour: r.digestHour,
    settings: parseSettings(r.settings),
    uninstalledAt: r.uninstalledAt,
  };
}

export function toMember(r: Member): Member {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    platformUserId: r.platformUserId,
    displayName: r.displayName,
    realName: r.realName,
    handle: r.handle,
    email: r.email,
    tz: r.tz,
    isBot: r.isBot,
    isAdmin: r.isAdmin,
    isInstaller: r.isInstaller,
    optedOut: r.optedOut,
    paused: r.paused,
    pausedUntil: r.pausedUntil,
    dmRef: r.dmRef,
  };
}

export const CONTACT_STATUSES: readonly ContactStatus[] = ["candidate", "tracked", "ignored"];

export function toContact(r: Omit<Contact, "status"> & { status: string }): Contact {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    displayName: r.displayName,
    status: oneOf(r.status, CONTACT_STATUSES, "candidate"),
    organization: r.organization,
    lastMetAt: r.lastMetAt,
    platformUserId: r.platformUserId,
  };
}

const NUDGE_STATUSES: readonly NudgeStatus[] = [
  "pending",
  "sent",
  "planned",
  "snoozed",
  "met",
  "dismissed",
  "confirmed",
  "expired",
  "failed",
  "unsent",
];

export function toNudge(r: Omit<Nudge, "status" | "kind"> & { status: string; kind: string }): Nudge {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    memberId: r.memberId,
    contactId: r.contactId,
    kind: oneOf<NudgeKind>(r.kind, ["lunch", "candidate"], "lunch"),
    status: oneOf(r.status, NUDGE_STATUSES, "expired"),
    sentAt: r.sentAt,
    snoozeUntil: r.snoozeUntil,
    messageRef: r.messageRef,
    createdAt: r.createdAt,
  };
}

export interface LunchRow {
  id: string;
  workspaceId: string;
  contactId: string;
  organizerId: string;
  scheduledFor: Date | null;
  place: string | null;
  status: string;
  followUpAt: Date | null;
  followUpSent: Date | null;
  attendees: Array<{ memberId: string }>;
}

export function toLunch(r: LunchRow): Lunch {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    contactId: r.contactId,
    organizerId: r.organizerId,
    attendeeIds: r.attendees.map((a) => a.memberId).sort(),
    scheduledFor: r.scheduledFor,
    place: r.place,
    status: oneOf<Lunch["status"]>(
      r.status,
      ["planned", "scheduled", "followup", "met", "cancelled"],
      "planned",
    ),
    followUpAt: r.followUpAt,
    followUpSent: r.followUpSent,
  };
}

/** Raw SQL hands back dates as Date, ISO text or epoch numbers depending on provider and expression. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value === "string")
    return new Date(/^\d{4}-\d\d-\d\d \d/.test(value) ? `${value.replace(" ", "T")}Z` : value);
  throw new TypeError(`Not a date: ${String(value)}`);
}

export function toNullableDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}

export function toNumber(value: unknown): number {
  return typeof value === "bigint" ? Number(value) : Number(value ?? 0);
}

export function toNoticed(
  r: Omit<NoticedMeeting, "source" | "status"> & { source: string; status: string },
): NoticedMeeting {
  return {
    id: r.id,
    workspaceId: r.workspaceId,
    memberId: r.memberId,
    contactId: r.contactId,
    source: oneOf<NoticedSource>(r.source, ["calendar", "chat"], "chat"),
    day: r.day,
    metAt: r.metAt,
    // An unknown status reads as declined: nothing to answer, nothing to undo.
    status: oneOf<NoticedStatus>(
      r.status,
      ["asked", "recorded", "declined", "undone", "skipped"],
      "declined",
    ),
    meetingId: r.meetingId,
    toldAt: r.toldAt,
    messageRef: r.messageRef,
    createdAt: r.createdAt,
  };
}

const reviewItemsSchema = z.array(
  z.object({ contactId: z.string(), decision: z.enum(["track", "not-external", "ignore"]).nullable() }),
);
const reviewTriggerSchema = z.enum(["install", "import", "candidates"]);

/** A Review row: its JSON columns read back through a schema (a row edited by hand can't crash a click). */
export function toReview(row: {
  id: string;
  workspaceId: string;
  trigger: string;
  items: string;
  recipients: string;
  createdAt: Date;
  sentAt: Date | null;
}): Review {
  const json = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  };
  const items = reviewItemsSchema.safeParse(json(row.items));
  const recipients = z.array(z.string()).safeParse(json(row.recipients));
  const trigger = reviewTriggerSchema.safeParse(row.trigger);
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    trigger: trigger.success ? trigger.data : "candidates",
    items: items.success ? items.data : [],
    recipients: recipients.success ? recipients.data : [],
    createdAt: new Date(row.createdAt),
    sentAt: row.sentAt ? new Date(row.sentAt) : null,
  };
}

/** Review items as stored: one canonical JSON, so compare-and-set can compare the text. */
export function reviewItemsJson(items: readonly ReviewItem[]): string {
  return JSON.stringify(items.map((i) => ({ contactId: i.contactId, decision: i.decision })));
}
