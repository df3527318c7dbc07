// What the core needs from the outside world. Platforms and the store implement these; the core
// only ever sees these interfaces, so it can be tested with in-memory fakes and a fixed clock.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(
  at: Date | string,
): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(at);
  return {
    now: () => new Date(current),
    set(next) {
      current = new Date(next);
    },
    advance(ms) {
      current = new Date(current.getTime() + ms);
    },
  };
}

import type { DigestInput } from "./digest.ts";
import type { WorkspaceSettings } from "./settings.ts";
import type {
  Alias,
  AliasKind,
  Contact,
  ContactStatus,
  Lunch,
  Meeting,
  Member,
  MentionSource,
  NoticedMeeting,
  NoticedSource,
  NoticedStatus,
  Nudge,
  NudgeKind,
  NudgeStatus,
  Platform,
  Review,
  ReviewItem,
  ReviewTrigger,
  Workspace,
} from "./types.ts";

// ---- Store: what the core needs from persistence (src/store implements it on Prisma and in memory). ----
// Every method is scoped by workspace id; nothing reads across workspaces except the
// scheduler's explicit "all workspaces" listings.

export interface WorkspaceInput {
  platform: Platform;
  externalId: string;
  name?: string;
  timezone?: string;
}

export interface WorkspacePatch {
  name?: string;
  timezone?: string;
  digestChannel?: string | null;
  digestDay?: number;
  digestHour?: number;
  settings?: WorkspaceSettings;
}

export interface MemberInput {
  platformUserId: string;
  displayName?: string;
  realName?: string;
  handle?: string;
  email?: string | null;
  tz?: string | null;
  isBot?: boolean;
  isAdmin?: boolean;
  /** Teams: the person's Entra object id (how Microsoft sign-in names them). */
  aadObjectId?: string | null;
}

export interface MemberPatch {
  optedOut?: boolean;
  paused?: boolean;
  pausedUntil?: Date | null;
  dmRef?: string | null;
  tz?: string | null;
  isAdmin?: boolean;
  /** Set by an install only (app/install.ts markInstaller): MemberInput has no such field, so a roster sync can't clear it. */
  isInstaller?: boolean;
}

export interface AliasInput {
  kind: AliasKind;
  normalized: string;
  display: string;
}

export interface ContactInput {
  displayName: string;
  status: ContactStatus;
  organization?: string | null;
  platformUserId?: string | null;
}

export interface ContactPatch {
  status?: ContactStatus;
  displayName?: string;
  organization?: string | null;
  platformUserId?: string | null;
}

export interface ContactStats {
  contact: Contact;
  mentions: number;
  teammates: number;
  lastMentionAt: Date | null;
}

export interface MentionBase {
  memberId: string;
  channelId: string;
  at: Date;
  source: MentionSource;
}

/** One message's mentions for replaceMentionsBatch. */
export interface MentionBatchItem {
  messageId: string;
  base: MentionBase;
  contactIds: string[];
}

export interface MentionCount {
  memberId: string;
  contactId: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
}

export interface LunchInput {
  contactId: string;
  organizerId: string;
  attendeeIds: string[];
  scheduledFor: Date | null;
  place: string | null;
  status: Lunch["status"];
  followUpAt: Date | null;
}

export interface NudgeQuery {
  since?: Date;
  before?: Date;
  memberId?: string;
  status?: NudgeStatus[];
  kind?: NudgeKind;
  contactIds?: string[];
}

// One port per aggregate, so a caller (and a fake) depends only on what it uses; `Store` is the
// whole of what the core needs. src/store implements each one on Prisma (src/store/prisma/) and in
// memory (src/store/memory/), and test/store runs one contract suite against all of them.

export interface WorkspaceStore {
  upsertWorkspace(input: WorkspaceInput): Promise<Workspace>;
  getWorkspace(id: string): Promise<Workspace | null>;
  findWorkspace(platform: Platform, externalId: string): Promise<Workspace | null>;
  listActiveWorkspaces(): Promise<Workspace[]>;
  updateWorkspace(id: string, patch: WorkspacePatch): Promise<Workspace>;
  /** Uninstall: removes the workspace and everything in it. */
  deleteWorkspace(id: string): Promise<void>;

  /** When each of `ids` was installed (the domain type doesn't carry it; the digest catch-up does). */
  workspaceInstallTimes(ids: string[]): Promise<Map<string, Date>>;
}

export interface MemberStore {
  upsertMember(workspaceId: string, input: MemberInput): Promise<Member>;
  getMember(workspaceId: string, platformUserId: string): Promise<Member | null>;
  getMemberById(workspaceId: string, id: string): Promise<Member | null>;
  /** The members among `platformUserIds` that exist (bulk import: one read per batch of messages). */
  getMembers(workspaceId: string, platformUserIds: string[]): Promise<Member[]>;
  listMembers(workspaceId: string): Promise<Member[]>;
  /** Members per workspace, every workspace with any (the sweep starts the largest first). */
  memberCounts(): Promise<Map<string, number>>;
  updateMember(workspaceId: string, id: string, patch: MemberPatch): Promise<Member>;
  /** forget-me: deletes everything about the member and keeps an opted-out tombstone so they stay untracked. */
  forgetMember(workspaceId: string, id: string): Promise<void>;
  /** The Teams member with that Entra object id (Microsoft sign-in). */
  findMemberByAadObjectId(workspaceId: string, aadObjectId: string): Promise<Member | null>;

  /** Stores a one-time sign-in link's hash (the token itself is never stored). */
  createSignInToken(workspaceId: string, memberId: string, tokenHash: string, expiresAt: Date): Promise<void>;
  /** Uses the link once: the member it was for, or null when unknown, expired or used (compare-and-set). */
  consumeSignInToken(tokenHash: string, now: Date): Promise<{ workspaceId: string; memberId: string } | null>;
}

/** Contacts, their aliases and the meetings with them. */
export interface ContactStore {
  listAliases(workspaceId: string): Promise<Array<Alias & { status: ContactStatus }>>;
  findContactByAlias(workspaceId: string, normalized: string): Promise<Contact | null>;
  findContactByPlatformUser(workspaceId: string, platformUserId: string): Promise<Contact | null>;
  getContact(workspaceId: string, id: string): Promise<Contact | null>;
  getContacts(workspaceId: string, ids: string[]): Promise<Contact[]>;
  /** Creates a contact with aliases; if a concurrent writer created one with the same alias or platform id first, returns that one. */
  createContact(workspaceId: string, input: ContactInput, aliases: AliasInput[]): Promise<Contact>;
  /** Adds aliases to a contact; aliases that already exist (on any contact) are returned as conflicts. */
  addAliases(
    workspaceId: string,
    contactId: string,
    aliases: AliasInput[],
  ): Promise<{ added: number; conflicts: Array<{ normalized: string; contactId: string }> }>;
  /** Moves aliases, mentions, nudges, lunches and meetings of `fromIds` into `intoId`, then deletes them. */
  mergeContacts(workspaceId: string, intoId: string, fromIds: string[]): Promise<void>;
  updateContact(workspaceId: string, id: string, patch: ContactPatch): Promise<Contact>;
  listContactStats(
    workspaceId: string,
    opts: {
      status?: ContactStatus;
      since: Date;
      limit?: number;
      memberId?: string;
      /** Only these contacts (the rows of a review). */
      contactIds?: string[];
    },
  ): Promise<ContactStats[]>;
  recordMeeting(workspaceId: string, meeting: Meeting & { lunchId?: string | null }): Promise<void>;
  /** Meetings from `from` on (one member's, with `memberId`), newest first. */
  listMeetings(workspaceId: string, opts: { from: Date; memberId?: string }): Promise<Meeting[]>;
}

export interface MentionStore {
  /** Makes the mentions of one message exactly `contactIds` (idempotent; edits replace). */
  replaceMentions(
    workspaceId: string,
    messageId: string,
    base: MentionBase,
    contactIds: string[],
  ): Promise<{ added: number; removed: number }>;
  /**
   * replaceMentions for many messages in one transaction (bulk import). Counts come back in the
   * order of `items`; a message listed twice ends as its last item says.
   */
  replaceMentionsBatch(
    workspaceId: string,
    items: MentionBatchItem[],
  ): Promise<Array<{ added: number; removed: number }>>;
  deleteMentionsForMessage(workspaceId: string, messageId: string): Promise<number>;
  /** Per (member, contact) mention counts since `since`, counting only mentions after the contact was last met. */
  mentionCounts(workspaceId: string, since: Date): Promise<MentionCount[]>;
  /** Individual mentions since `since` (the nudge policy owns the counting rules). */
  mentionEvents(
    workspaceId: string,
    since: Date,
  ): Promise<Array<{ memberId: string; contactId: string; at: Date }>>;
  /** When the `nth` most recent mention in the workspace was made (1 = the latest); null if fewer. */
  nthLatestMentionAt(workspaceId: string, nth: number): Promise<Date | null>;
  deleteMentionsBefore(before: Date, workspaceId?: string): Promise<number>;
  /**
   * The pairs of the given contacts mentioned in one message ("@jdoe" and "Jane Doe" in one line),
   * each pair once as [smaller id, larger id], sorted (see coMentionedPairs in core/same-person.ts).
   */
  coMentioned(workspaceId: string, contactIds: string[]): Promise<Array<[string, string]>>;

  /** How many mentions are stored (in one workspace, or in all). */
  countMentions(workspaceId?: string): Promise<number>;
}

/** Prompts (the Nudge model): one suggestion to one member about one contact. */
export interface PromptStore {
  createNudge(
    workspaceId: string,
    /** createdAt comes from the core's clock: cooldowns and weekly caps are computed against it. */
    input: { memberId: string; contactId: string; kind: NudgeKind; createdAt?: Date },
  ): Promise<Nudge>;
  getNudge(workspaceId: string, id: string): Promise<Nudge | null>;
  listNudges(workspaceId: string, opts: NudgeQuery): Promise<Nudge[]>;
  /** Compare-and-set on status so a double click or a retry applies once. Returns null when the nudge was not in `from`. */
  transitionNudge(
    workspaceId: string,
    id: string,
    from: NudgeStatus[],
    patch: { status: NudgeStatus; sentAt?: Date; snoozeUntil?: Date | null; messageRef?: string | null },
  ): Promise<Nudge | null>;
  expireNudges(before: Date): Promise<number>;
}

/** Reviews of found candidates (app/review.ts). */
export interface ReviewStore {
  /** Creates the workspace's review for `trigger`; null when one exists already (once per trigger). */
  createReview(
    workspaceId: string,
    input: { trigger: ReviewTrigger; items: ReviewItem[]; recipients: string[] },
  ): Promise<Review | null>;
  getReview(workspaceId: string, id: string): Promise<Review | null>;
  /** The newest review of the workspace. */
  latestReview(workspaceId: string): Promise<Review | null>;
  /** Reviews not sent yet, oldest first. */
  unsentReviews(workspaceId: string): Promise<Review[]>;
  /** Marks the review sent, once: false when it already was (another replica sends it). */
  markReviewSent(workspaceId: string, id: string, at: Date): Promise<boolean>;
  /** Compare-and-set of the items: false when they are no longer `expected` (someone answered first). */
  updateReviewItems(
    workspaceId: string,
    id: string,
    expected: ReviewItem[],
    next: ReviewItem[],
  ): Promise<boolean>;
}

export interface LunchStore {
  createLunch(workspaceId: string, input: LunchInput): Promise<Lunch>;
  getLunch(workspaceId: string, id: string): Promise<Lunch | null>;
  /**
   * Saves a lunch's state if its status is still `expectedStatus` (else null). Attendees in
   * `lunch.attendeeIds` not yet at the table join it; none is removed.
   */
  saveLunch(workspaceId: string, lunch: Lunch, expectedStatus: Lunch["status"]): Promise<Lunch | null>;
  listLunches(
    workspaceId: string,
    opts: { status?: Lunch["status"][]; memberId?: string; from?: Date; to?: Date },
  ): Promise<Lunch[]>;
  /** Lunches in every workspace whose follow-up is due and not yet sent. */
  dueFollowUps(now: Date): Promise<Lunch[]>;
}

export interface NoticeInput {
  memberId: string;
  contactId: string;
  source: NoticedSource;
  /** YYYY-MM-DD on the member's calendar: at most one notice per (member, contact, day). */
  day: string;
  metAt: Date;
  /**
   * Record the meeting at once (the calendar's) rather than ask (chat's). Neither happens, and the
   * notice is "skipped", when the pair already has a meeting in `dayRange` (reported another way).
   */
  record: boolean;
  dayRange: { start: Date; end: Date };
}

/** Meetings noticed in calendars and chat (NoticedMeeting), and their answers. */
export interface NoticedMeetingStore {
  /**
   * Notes a meeting (recording it when `input.record`), in one transaction. null when the pair
   * already has a notice for that day: seen before, by this replica or another, or undone.
   */
  noticeMeeting(workspaceId: string, input: NoticeInput): Promise<NoticedMeeting | null>;
  getNoticedMeeting(workspaceId: string, id: string): Promise<NoticedMeeting | null>;
  /**
   * Compare-and-set: "record" (asked → recorded, the meeting written), "decline" (asked →
   * declined), "undo" (recorded → undone, the meeting deleted and the contact's lastMetAt put back
   * to its latest remaining meeting). null when the notice isn't in the state the answer needs (a
   * second click, a replayed one), so each answer acts once.
   */
  answerNoticedMeeting(
    workspaceId: string,
    id: string,
    answer: "record" | "decline" | "undo",
  ): Promise<NoticedMeeting | null>;
  listNoticedMeetings(
    workspaceId: string,
    opts: {
      memberId?: string;
      source?: NoticedSource;
      status?: NoticedStatus[];
      untold?: boolean;
      since?: Date;
    },
  ): Promise<NoticedMeeting[]>;
  /** Sets toldAt (and the question's DM reference) on notices. */
  markNoticed(
    workspaceId: string,
    ids: string[],
    patch: { toldAt: Date; messageRef?: string | null },
  ): Promise<void>;
}

/** The weekly digest: its aggregates and its one-per-workspace-per-week claim. */
export interface DigestStore {
  /**
   * `previous`: also the coverage of an earlier window (the week before, for the digest's "up from
   * 17%"), taken in the same scan of the mentions as this one's.
   */
  digestData(
    workspaceId: string,
    range: { start: Date; end: Date },
    coverageSince: Date,
    topN: number,
    previous?: { since: Date; until: Date },
  ): Promise<DigestData>;

  /**
   * Offline coverage for each window, in one scan: of the `topN` tracked contacts most mentioned
   * in [since, until), how many were met in person (a recorded meeting) in that same window. The
   * dashboard's week-by-week chart; results in the order of `windows`. Windows that end by
   * `opts.finalBefore` (completed weeks) may be kept and served from a cache that the store's
   * writes invalidate; the others are always computed.
   */
  coverageSeries(
    workspaceId: string,
    windows: Array<{ since: Date; until: Date }>,
    topN: number,
    opts?: { finalBefore?: Date },
  ): Promise<Array<{ met: number; total: number }>>;

  /**
   * The `limit` tracked contacts most mentioned in [since, until), ranked as coverageSeries ranks
   * them (ties by id): their mentions, and whether anyone met them in person in that window. Its
   * first `topN` rows are that window's coverage point.
   */
  coverageTop(
    workspaceId: string,
    window: { since: Date; until: Date },
    limit: number,
  ): Promise<Array<{ contactId: string; mentions: number; met: boolean }>>;

  /** How many teammates mentioned each of these contacts in [since, until) (absent: none). */
  teammateCounts(
    workspaceId: string,
    contactIds: string[],
    window: { since: Date; until: Date },
  ): Promise<Map<string, number>>;

  // weekly digests: one per workspace per ISO week
  /**
   * Claims the week's digest. "claimed": go ahead and post. "posted": settled before (posted, or
   * "unconfirmed" after a crash that can't be checked). "in-progress":
   * another process claimed it less than `staleAfterMs` ago. "stale": a claim older than that was
   * never completed (a crash); the caller must check whether it was posted before posting again.
   */
  claimDigest(
    workspaceId: string,
    week: string,
    channel: string,
    now: Date,
    staleAfterMs: number,
  ): Promise<"claimed" | "posted" | "in-progress" | "stale">;
  completeDigest(workspaceId: string, week: string, messageRef: string, now: Date): Promise<void>;
  releaseDigest(workspaceId: string, week: string): Promise<void>;
  /**
   * "claimed" → "posting", just before the platform call (compare-and-set on the claim time this
   * process holds; false when another process took the claim over). A stale "posting" claim may
   * have been posted; a stale "claimed" one was not.
   */
  markDigestPosting(workspaceId: string, week: string, claimedAt: Date): Promise<boolean>;
  /** Moves a live claim's time forward while a slow post is in flight, so it never looks stale. */
  renewDigestClaim(workspaceId: string, week: string, claimedAt: Date, now: Date): Promise<boolean>;
  /** A stale "posting" claim that can't be checked: settled as "unconfirmed", never posted again. */
  markDigestUnconfirmed(workspaceId: string, week: string): Promise<void>;
  getDigest(
    workspaceId: string,
    week: string,
  ): Promise<{ status: string; postedAt: Date | null; messageRef: string | null } | null>;
}

/** Inbound events: the durable inbox and de-duplication. */
export interface EventStore {
  /** Persists an event before it is acknowledged. Returns false when the key was seen before. */
  recordEvent(key: string, workspaceId: string | null, payload: string): Promise<boolean>;
  /** `counted`: the attempt was already counted by claimEvent (a replay), don't count it again. */
  finishEvent(
    key: string,
    outcome: { ok: true } | { ok: false; error: string; counted?: boolean },
  ): Promise<void>;
  /**
   * recordEvent for many events in one statement, in order (a key repeated in `items` is new only
   * the first time). For coalescing concurrent deliveries (core/coalescer.ts).
   */
  recordEvents(
    items: Array<{ key: string; workspaceId: string | null; payload: string }>,
  ): Promise<boolean[]>;
  /** finishEvent(key, { ok: true }) for many keys in one statement. */
  finishEvents(keys: string[]): Promise<void>;
  /**
   * Events persisted but not processed (a crash after the ack), oldest first; with `keyPrefix`,
   * only keys that start with it (each platform replays its own).
   */
  pendingEvents(
    olderThan: Date,
    limit: number,
    keyPrefix?: string,
  ): Promise<Array<{ key: string; payload: string; attempts: number }>>;
  /**
   * Takes a pending event for a replay and counts the attempt. Of several replicas that read the
   * event with the same `attempts`, exactly one gets true; the others must leave it alone. The
   * event's receivedAt becomes now: pendingEvents skips it until it looks stuck again.
   */
  claimEvent(key: string, attempts: number): Promise<boolean>;
  pruneEvents(before: Date): Promise<number>;
  /** How many events are stored (with that status). */
  countEvents(status?: "pending" | "done" | "failed"): Promise<number>;
}

/** Everything the core needs from persistence. */
export type Store = WorkspaceStore &
  MemberStore &
  ContactStore &
  MentionStore &
  PromptStore &
  ReviewStore &
  LunchStore &
  NoticedMeetingStore &
  DigestStore &
  EventStore;

/** Digest aggregates, computed in SQL; core/digest turns them into the view. */
export type DigestData = Pick<
  DigestInput,
  | "weekContacts"
  | "coverageContacts"
  | "lunchesPlanned"
  | "lunchesHeld"
  | "meetings"
  | "previousCoverageContacts"
>;

// ---- Persistence the platforms and the scheduler need beyond the core's Store. ----

/** A conversation the bot is in; `ref` is the platform's opaque reference for posting to it later. */
export interface ChannelRecord {
  channelId: string;
  name: string;
  ref: string | null;
}

/** Channels per workspace (Teams keeps its conversation references here). */
export interface ChannelStore {
  /** Creates or updates the channel; an empty `name` keeps the one stored. */
  saveChannel(workspaceId: string, channelId: string, name: string, ref: string): Promise<void>;
  getChannel(workspaceId: string, channelId: string): Promise<ChannelRecord | null>;
  /** Oldest first. */
  listChannels(workspaceId: string): Promise<ChannelRecord[]>;
  renameChannel(workspaceId: string, channelId: string, name: string): Promise<void>;
  removeChannels(workspaceId: string, channelIds: string[]): Promise<number>;
}

/** What is stored of an OAuth installation: the lookup keys in clear, everything else sealed. */
export interface InstallationData {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
  botUserId: string | null;
  /** The whole installation, encrypted by the caller (store/crypto.ts). */
  dataEnc: string;
}

export interface InstallationRecord extends InstallationData {
  workspaceId: string;
  updatedAt: Date;
}

/** OAuth installations, at most one per workspace. */
export interface InstallationRecordStore {
  /** Creates or replaces the workspace's installation. */
  saveInstallation(workspaceId: string, data: InstallationData): Promise<void>;
  getInstallation(workspaceId: string): Promise<InstallationRecord | null>;
  /** The most recently updated installation of one team (not org-wide). */
  findTeamInstallation(teamId: string): Promise<InstallationRecord | null>;
  /** The most recently updated org-wide installation of an enterprise. */
  findEnterpriseInstallation(enterpriseId: string): Promise<InstallationRecord | null>;
  deleteInstallation(workspaceId: string): Promise<void>;
}

/** A member's connected calendar as stored: the provider and account in clear, the tokens sealed. */
export interface CalendarGrantRecord {
  id: string;
  workspaceId: string;
  memberId: string;
  provider: "google" | "microsoft";
  accountEmail: string | null;
  /** The OAuth tokens, encrypted by the caller (store/crypto.ts). */
  dataEnc: string;
  updatedAt: Date;
}

/** Connected calendars, at most one per member. */
export interface CalendarGrantStore {
  /** Creates or replaces the member's grant (connecting again replaces the old account). */
  saveCalendarGrant(
    workspaceId: string,
    memberId: string,
    grant: { provider: CalendarGrantRecord["provider"]; accountEmail: string | null; dataEnc: string },
  ): Promise<CalendarGrantRecord>;
  getCalendarGrant(workspaceId: string, memberId: string): Promise<CalendarGrantRecord | null>;
  /** New sealed tokens after a refresh; false when the grant is gone (disconnected meanwhile). */
  updateCalendarGrantData(workspaceId: string, id: string, dataEnc: string): Promise<boolean>;
  /**
   * Deletes the grant `id` (or the member's grant, whichever it is, without `id`). True when this
   * call deleted it: of two callers that find the same grant revoked, one tells the person.
   */
  deleteCalendarGrant(workspaceId: string, memberId: string, id?: string): Promise<boolean>;
  /** How many grants are stored (in one workspace, or in all). */
  countCalendarGrants(workspaceId?: string): Promise<number>;
  /** Every grant of a workspace (an uninstall revokes them before the rows go). */
  listCalendarGrants(workspaceId: string): Promise<CalendarGrantRecord[]>;
}

export interface JobRunRow {
  task: string;
  fireTime: Date;
  claimedBy: string;
  claimedAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
  durationMs: number | null;
  detail: string | null;
}

/** Scheduled job runs: one row per (task, fire time); inserting it is the election (scheduler/coordinator.ts). */
export interface JobRunStore {
  /** Inserts the run's row. False when a row for (task, fireTime) exists: someone else has the slot. */
  insertJobRun(run: { task: string; fireTime: Date; claimedBy: string; claimedAt: Date }): Promise<boolean>;
  /** Who claimed the slot (null when nobody has). */
  jobRunClaimant(task: string, fireTime: Date): Promise<string | null>;
  /** The latest unfinished run of `task` fired before `before` and claimed after `claimedAfter`. */
  runningJobRun(
    task: string,
    before: Date,
    claimedAfter: Date,
  ): Promise<{ claimedBy: string; fireTime: Date } | null>;
  /**
   * Records how a run went, on the claimant's row only (`onlyUnfinished`: leave a row that
   * already has an outcome alone). `durationMs` undefined leaves it as it is.
   */
  finishJobRun(
    run: { task: string; fireTime: Date; claimedBy: string },
    result: { finishedAt: Date; outcome: string; durationMs?: number; detail: string | null },
    opts?: { onlyUnfinished?: boolean },
  ): Promise<void>;
  lastJobRun(task: string): Promise<JobRunRow | null>;
  /** The latest run that finished and was not skipped. */
  lastFinishedJobRun(task: string): Promise<JobRunRow | null>;
  /** Oldest first. */
  listJobRuns(task: string, opts?: { since?: Date }): Promise<JobRunRow[]>;
  pruneJobRuns(before: Date): Promise<number>;
}

export interface StoreHealth {
  /** Resolves when the store answers; rejects when it doesn't (health checks). */
  ping(): Promise<void>;
}

/** Everything the application needs from persistence: the core's Store and the edges' ports. */
export type AppStore = Store &
  ChannelStore &
  InstallationRecordStore &
  CalendarGrantStore &
  JobRunStore &
  StoreHealth;
