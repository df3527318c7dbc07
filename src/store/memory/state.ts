import type { CalendarGrantRecord, InstallationRecord, JobRunRow } from "../../core/ports.ts";
import type { Contact, Member, NoticedMeeting, Nudge } from "../../core/types.ts";
import { timeOrderedId } from "../ids.ts";
import type { LunchRow, WorkspaceRow } from "../mappers.ts";

// The in-memory store's tables: plain maps, one per Prisma model, holding rows shaped like the
// database's. Every repository of one MemoryStore shares one MemoryState, so cascades (a deleted
// workspace takes everything in it) and cross-aggregate reads (the digest) see the same rows.
// Rows never leave a repository by reference: reads copy them (the mappers, `copy`), so a caller
// that mutates what it got can't change what is stored, exactly as with a database.

export interface MentionRow {
  id: string;
  workspaceId: string;
  contactId: string;
  memberId: string;
  channelId: string;
  messageId: string;
  at: Date;
  source: string;
}

export interface AliasRow {
  workspaceId: string;
  contactId: string;
  kind: string;
  normalized: string;
  display: string;
}

export type LunchRowM = LunchRow & { createdAt: Date };

export interface MeetingRow {
  id: string;
  workspaceId: string;
  contactId: string;
  memberId: string;
  metAt: Date;
  source: string;
  lunchId: string | null;
}

export type NoticedRow = Omit<NoticedMeeting, "source" | "status"> & { source: string; status: string };

export interface DigestRow {
  id: string;
  workspaceId: string;
  week: string;
  status: string;
  channel: string | null;
  claimedAt: Date;
  postedAt: Date | null;
  messageRef: string | null;
}

export interface EventRow {
  key: string;
  workspaceId: string | null;
  payload: string | null;
  status: string;
  attempts: number;
  error: string | null;
  receivedAt: Date;
  processedAt: Date | null;
}

export interface ChannelRow {
  workspaceId: string;
  channelId: string;
  name: string;
  ref: string | null;
  createdAt: Date;
}

export interface ReviewRow {
  id: string;
  workspaceId: string;
  trigger: string;
  items: string;
  recipients: string;
  createdAt: Date;
  sentAt: Date | null;
}

export type StoredWorkspace = WorkspaceRow & { installedAt: Date };
export type StoredContact = Omit<Contact, "status"> & { status: string };
export type StoredNudge = Omit<Nudge, "status" | "kind"> & { status: string; kind: string };

export class MemoryState {
  readonly workspaces = new Map<string, StoredWorkspace>();
  readonly members = new Map<string, Member>();
  readonly contacts = new Map<string, StoredContact>();
  /** Keyed by `${workspaceId}\n${normalized}`: the (workspace, normalized) unique index. */
  readonly aliases = new Map<string, AliasRow>();
  readonly mentions = new Map<string, MentionRow>();
  readonly nudges = new Map<string, StoredNudge>();
  readonly lunches = new Map<string, LunchRowM>();
  readonly meetings = new Map<string, MeetingRow>();
  /** Keyed by id; the (workspace, member, contact, day) unique index is checked on insert. */
  readonly noticed = new Map<string, NoticedRow>();
  readonly digests = new Map<string, DigestRow>();
  readonly reviews = new Map<string, ReviewRow>();
  /** Keyed by event key (unique). */
  readonly events = new Map<string, EventRow>();
  /** Keyed by `${workspaceId}\n${channelId}`. */
  readonly channels = new Map<string, ChannelRow>();
  /** Keyed by workspace id (one installation per workspace). */
  readonly installations = new Map<string, InstallationRecord>();
  /** Keyed by member id (one grant per member). */
  readonly calendarGrants = new Map<string, CalendarGrantRecord>();
  /** Keyed by `${task}\n${fireTime ms}`. */
  readonly jobRuns = new Map<string, JobRunRow>();
  /** Member id → Entra object id (Teams); kept beside the Member rows, which don't carry it. */
  readonly aadObjectIds = new Map<string, string>();
  /** Keyed by token hash. */
  readonly signInTokens = new Map<
    string,
    { workspaceId: string; memberId: string; expiresAt: Date; usedAt: Date | null }
  >();

  /** Timestamps the database would set itself (createdAt, receivedAt…); the system clock by default. */
  constructor(readonly now: () => Date = () => new Date()) {}

  newId(): string {
    return timeOrderedId();
  }
}

export function key(...parts: Array<string | number>): string {
  return parts.join("\n");
}

/** A fresh copy of a row (its dates too), so neither side can change the other's. */
export function copy<T extends object>(row: T): T {
  const out = { ...row } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) {
    if (v instanceof Date) out[k] = new Date(v.getTime());
    else if (Array.isArray(v)) out[k] = v.map((x) => (typeof x === "object" && x !== null ? { ...x } : x));
  }
  return out as T;
}

/** What a foreign key refuses: a row pointing at one that doesn't exist. */
export function missing(what: string, id: string): Error {
  return new Error(`Foreign key: no ${what} ${id}`);
}

/** What a unique index refuses (the databases' P2002 / 23505). */
export class UniqueViolation extends Error {
  readonly code = "P2002";
  constructor(what: string) {
    super(`Unique constraint failed: ${what}`);
  }
}

/** Prisma's findFirstOrThrow / update of a missing row. */
export function notFound(what: string, id: string): Error {
  return new Error(`No ${what} ${id}`);
}

/** Ascending by a date, rows without one last (PostgreSQL's order; SQLite puts them first). */
export function byDate<T>(get: (row: T) => Date | null): (a: T, b: T) => number {
  return (a, b) => {
    const x = get(a);
    const y = get(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    return x.getTime() - y.getTime();
  };
}

/** Sets the fields of `patch` that are defined (undefined leaves a column alone, as in Prisma), copying dates. */
export function assign<T extends object>(row: T, patch: object): void {
  for (const [k, v] of Object.entries(patch))
    if (v !== undefined) Object.assign(row, { [k]: v instanceof Date ? new Date(v.getTime()) : v });
}
