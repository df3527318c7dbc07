// Platform-neutral domain types. Nothing here knows about Slack, Teams or Prisma.
import type { WorkspaceSettings } from "./settings.ts";

export type Platform = "slack" | "teams";
export type ContactStatus = "candidate" | "tracked" | "ignored";
export type AliasKind = "name" | "email" | "handle" | "url" | "platform";
export type MentionSource = "message" | "command" | "import";
export type NudgeKind = "lunch" | "candidate";
export type NudgeStatus =
  | "pending"
  | "sent"
  | "planned"
  | "snoozed"
  | "met"
  | "dismissed"
  | "confirmed"
  | "expired"
  /** The DM failed in a way that may have delivered it (timeout, 5xx): never sent again. */
  | "failed"
  /** The DM was definitely not delivered (refused, rate-limited): the pair may be asked again. */
  | "unsent";
export type LunchStatus = "planned" | "scheduled" | "followup" | "met" | "cancelled";
export type MeetingSource = "lunch" | "button" | "command" | "calendar" | "chat";
/** Where a meeting was noticed rather than reported: the member's calendar, or a chat message. */
export type NoticedSource = "calendar" | "chat";
/**
 * asked: a chat mention waiting for Yes/No. recorded: counted (a Meeting exists). declined: No.
 * undone: counted, then Undo. skipped: a meeting for that day was already recorded another way.
 */
export type NoticedStatus = "asked" | "recorded" | "declined" | "undone" | "skipped";

export interface Workspace {
  id: string;
  platform: Platform;
  externalId: string;
  name: string;
  timezone: string;
  digestChannel: string | null;
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  digestDay: number;
  digestHour: number;
  settings: WorkspaceSettings;
  uninstalledAt: Date | null;
}

export interface Member {
  id: string;
  workspaceId: string;
  platformUserId: string;
  displayName: string;
  realName: string;
  /** Slack username ("janedoe"), "" where the platform has none. */
  handle: string;
  email: string | null;
  tz: string | null;
  isBot: boolean;
  /** The platform calls them an admin (Slack admin or owner); refreshed by every roster sync. */
  isAdmin: boolean;
  /** Installed the app here. Kept by roster syncs; see administers() in core/admins.ts. */
  isInstaller: boolean;
  optedOut: boolean;
  /** Prompts paused (`pause`): until `pausedUntil`, or until `resume` when that is null. See isPaused. */
  paused: boolean;
  pausedUntil: Date | null;
  dmRef: string | null;
}

export interface Contact {
  id: string;
  workspaceId: string;
  displayName: string;
  status: ContactStatus;
  organization: string | null;
  lastMetAt: Date | null;
  platformUserId: string | null;
}

export interface Alias {
  contactId: string;
  kind: AliasKind;
  /** Output of normalizeAlias(): what matching compares. Unique per workspace. */
  normalized: string;
  display: string;
}

export interface Nudge {
  id: string;
  workspaceId: string;
  memberId: string;
  contactId: string;
  kind: NudgeKind;
  status: NudgeStatus;
  sentAt: Date | null;
  snoozeUntil: Date | null;
  messageRef: string | null;
  createdAt: Date;
}

export interface Lunch {
  id: string;
  workspaceId: string;
  contactId: string;
  organizerId: string;
  attendeeIds: string[];
  scheduledFor: Date | null;
  place: string | null;
  status: LunchStatus;
  followUpAt: Date | null;
  followUpSent: Date | null;
}

/** A review row's answer: track it, not someone outside the team, or ignore it. */
export type ReviewDecision = "track" | "not-external" | "ignore";
/** What put the review to the admins: the install, an import, or the first candidates piling up. */
export type ReviewTrigger = "install" | "import" | "candidates";

export interface ReviewItem {
  contactId: string;
  decision: ReviewDecision | null;
}

/** "Review who we found": the most discussed candidates, put to the admins once per trigger. */
export interface Review {
  id: string;
  workspaceId: string;
  trigger: ReviewTrigger;
  items: ReviewItem[];
  /** Who it was sent to (the admins, and the installer): who may answer it. */
  recipients: string[];
  createdAt: Date;
  sentAt: Date | null;
}

export interface Meeting {
  contactId: string;
  memberId: string;
  metAt: Date;
  source: MeetingSource;
}

/** A meeting the bot noticed (calendar, chat): who, whom, which day; nothing of what was said or invited. */
export interface NoticedMeeting {
  id: string;
  workspaceId: string;
  memberId: string;
  contactId: string;
  source: NoticedSource;
  /** YYYY-MM-DD on the member's calendar. */
  day: string;
  metAt: Date;
  status: NoticedStatus;
  meetingId: string | null;
  toldAt: Date | null;
  messageRef: string | null;
  createdAt: Date;
}

/** A user referenced by platform identity in a message (Slack <@U…>, Teams mention entity) or as its author. */
export interface PlatformUserRef {
  platformUserId: string;
  displayName: string;
  /** Full name when the platform has one ("Jonathan Baker" for display name "Jon"). */
  realName?: string | null;
  /** Username ("janedoe") where the platform has one. */
  handle?: string | null;
  /** Slack Connect user from another team, Teams guest or other tenant. */
  external: boolean;
  organization?: string | null;
  email?: string | null;
}

/** One chat message as every source (Slack, Teams, import) hands it to the core. */
export interface IncomingMessage {
  workspaceId: string;
  /** Platform-unique message id (Slack: channel:ts). Mentions are keyed on it. */
  messageId: string;
  channelId: string;
  author: PlatformUserRef;
  text: string;
  at: Date;
  source: MentionSource;
  /** Users referenced by identity in the message. */
  userRefs: PlatformUserRef[];
}
