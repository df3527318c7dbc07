import type { ContactRef, ParsedCommand } from "../core/commands.ts";
import type { DigestView } from "../core/digest.ts";
import type { RawSettingsForm, SettingsFormOptions } from "../core/forms/settings.ts";
import type { FollowUpAnswer, NoticedAnswer, ReviewAnswer } from "../core/messages/doc.ts";
import type { AppStore, Clock, WorkspaceInput, WorkspacePatch } from "../core/ports.ts";
import type { SendFailure } from "../core/send-failure.ts";
import {
  type DetectionOffload,
  type LongMessageNotice,
  type ProcessResult,
  Tracker,
} from "../core/tracking.ts";
import type { Contact, IncomingMessage, Member, Platform, Workspace } from "../core/types.ts";
import type { CalendarPort } from "./calendar-port.ts";
import type { Calendars } from "./calendars.ts";
import { type Channels, channelsOf } from "./channels.ts";
import { findContact, getContact } from "./contacts.ts";
import {
  contactsTable,
  lunchesTable,
  mergeContactsById,
  myData,
  overview,
  type ReviewAction,
  reviewContacts,
} from "./dashboard.ts";
import { digestView, postWeeklyDigest } from "./digest.ts";
import { answerFollowUp, type FollowUpReport, runFollowUps } from "./follow-ups.ts";
import { type HomeSnapshot, homeSnapshot } from "./home.ts";
import { Inbox, type InboxLog } from "./inbox.ts";
import { deleteWorkspaceData, forgetDm, markInstaller, uninstall } from "./install.ts";
import { Installations, type Sealer } from "./installations.ts";
import { type LunchSlotsInput, lunchSlots } from "./lunch-slots.ts";
import { listMembers, noteTeammate, type TeammateRef, upsertTeammate } from "./members.ts";
import { answerNoticed, type CalendarSweepReport, recordCalendarMeetings } from "./noticed-meetings.ts";
import { runNudgeSweep, type SweepReport } from "./nudge-sweep.ts";
import { type PlanLunchDeps, type PlanLunchInput, type PlanLunchResult, planLunch } from "./plan-lunch.ts";
import type { AppDeps, ChatPort } from "./ports.ts";
import {
  type ActionOutcome,
  handlePromptAction,
  lunchFormFor,
  type PromptAction,
  teammatesFor,
} from "./prompt-action.ts";
import { recordMet } from "./record-met.ts";
import { reopenPrompt } from "./reopen-prompt.ts";
import {
  answerReview,
  openReview,
  type ReviewChatPort,
  type ReviewReply,
  reviewAfter,
  runReviewSweep,
} from "./review.ts";
import { type RosterPerson, type RosterResult, syncRoster } from "./roster.ts";
import {
  type CommandContext,
  type LunchPlanInput,
  planLunchReply,
  type Reply,
  runCommand,
} from "./run-command.ts";
import { saveSettings, saveSettingsForm } from "./settings.ts";
import { trackMessage, untrackMessage } from "./track-message.ts";
import {
  createSignInLink,
  type SignInIdentity,
  type SignInResult,
  sessionMember,
  signInAs,
  useSignInLink,
  viewerAdministers,
} from "./web-sign-in.ts";
import {
  adoptTimezone,
  ensureWorkspace,
  findMember,
  findWorkspace,
  saveDmRef,
  setDigestChannel,
} from "./workspaces.ts";

// The use cases behind one object, for the callers that hold "the service" (the adapters, the CLI,
// the scheduler, the tests). It decides nothing: each method is one use case module of src/app.
// The adapters reach the world only through it (and the ports it hands out: inbox, channels,
// installations), never through the store.

export type {
  ContactRow,
  LunchesAndMeetings,
  LunchRow,
  MyData,
  Overview,
  ReviewAction,
  WeekPoint,
} from "./dashboard.ts";
export { DIGEST_CLAIM_STALE_MS, DIGEST_HEARTBEAT_MS } from "./digest.ts";
export type { FollowUpReport } from "./follow-ups.ts";
export type { CalendarSweepReport } from "./noticed-meetings.ts";
export type { SweepReport } from "./nudge-sweep.ts";
export type { ChatPort, Prompt } from "./ports.ts";
export type { ActionOutcome, PromptAction } from "./prompt-action.ts";
export type { ReviewChatPort, ReviewReply } from "./review.ts";
export type { CommandContext, LunchPlanInput, Reply } from "./run-command.ts";
export type { SendFailureNote } from "./send-failures.ts";
export type { SignInIdentity, SignInResult } from "./web-sign-in.ts";

export class OfflineService {
  readonly tracker: Tracker;
  /** People's calendars, when configured (app/calendars.ts): the port and connect/disconnect. */
  readonly calendars: Calendars | undefined;
  private readonly deps: AppDeps;

  constructor(
    readonly store: AppStore,
    readonly clock: Clock,
    options: {
      detectionOffload?: DetectionOffload;
      onLongMessage?: (notice: LongMessageNotice) => void;
      /** People's calendars (app/calendars.ts): the port plus connect/disconnect; absent when none is configured. */
      calendars?: Calendars;
      /** A Calendar port that replaces `calendars`' for reading and booking (tests, the demo's stand-in). */
      calendarPort?: CalendarPort;
      /** The web dashboard's address (PUBLIC_URL + DASHBOARD_PREFIX), for links from chat. */
      dashboardUrl?: string;
    } = {},
  ) {
    this.tracker = new Tracker(store, clock, options.detectionOffload, options.onLongMessage);
    this.calendars = options.calendars;
    this.deps = {
      store,
      clock,
      tracker: this.tracker,
      ...((options.calendarPort ?? options.calendars)
        ? { calendars: options.calendarPort ?? options.calendars }
        : {}),
      ...(options.calendars ? { calendarConnections: options.calendars } : {}),
      ...(options.dashboardUrl ? { dashboardUrl: options.dashboardUrl } : {}),
    };
  }

  // workspaces, members, installation

  findWorkspace(platform: Platform, externalId: string): Promise<Workspace | null> {
    return findWorkspace(this.deps, platform, externalId);
  }

  ensureWorkspace(input: WorkspaceInput): Promise<Workspace> {
    return ensureWorkspace(this.deps, input);
  }

  adoptTimezone(ws: Workspace, tz: string): Promise<boolean> {
    return adoptTimezone(this.deps, ws, tz);
  }

  setDigestChannel(ws: Workspace, channel: string | null): Promise<Workspace> {
    return setDigestChannel(this.deps, ws, channel);
  }

  saveSettings(ws: Workspace, patch: WorkspacePatch): Promise<Workspace> {
    return saveSettings(this.deps, ws, patch);
  }

  /** The settings form as submitted (the dashboard): parsed by the chat forms' parser, saved if valid. */
  saveSettingsForm(ws: Workspace, raw: RawSettingsForm, options: SettingsFormOptions) {
    return saveSettingsForm(this.deps, ws, raw, options);
  }

  uninstall(platform: Platform, externalId: string): Promise<Workspace | null> {
    return uninstall(this.deps, platform, externalId);
  }

  deleteWorkspaceData(ws: Workspace): Promise<void> {
    return deleteWorkspaceData(this.deps, ws);
  }

  forgetDm(ws: Workspace, platformUserId: string): Promise<void> {
    return forgetDm(this.deps, ws, platformUserId);
  }

  syncRoster(
    ws: Workspace,
    people: Iterable<RosterPerson>,
    opts: { outsiders: "contacts" | "skip" },
  ): Promise<RosterResult> {
    return syncRoster(this.deps, ws, people, opts);
  }

  /** With `chat`, its author may be asked about a meeting the message mentions. */
  trackMessage(ws: Workspace, msg: IncomingMessage, chat?: ChatPort): Promise<ProcessResult> {
    return trackMessage(this.deps, ws, msg, chat);
  }

  untrackMessage(ws: Workspace, messageId: string): Promise<number> {
    return untrackMessage(this.deps, ws, messageId);
  }

  /** Upserts a teammate's row from what the platform said (no cache is dropped). */
  member(ws: Workspace, ref: TeammateRef): Promise<Member> {
    return upsertTeammate(this.deps, ws, ref);
  }

  /** Upserts a teammate's row; a new teammate drops the tracker's cache at once. */
  noteTeammate(ws: Workspace, ref: TeammateRef): Promise<Member> {
    return noteTeammate(this.deps, ws, ref);
  }

  findMember(ws: Workspace, platformUserId: string): Promise<Member | null> {
    return findMember(this.deps, ws, platformUserId);
  }

  saveDmRef(ws: Workspace, member: Member, ref: string | null): Promise<void> {
    return saveDmRef(this.deps, ws, member, ref);
  }

  listMembers(ws: Workspace): Promise<Member[]> {
    return listMembers(this.deps, ws);
  }

  getContact(ws: Workspace, contactId: string): Promise<Contact | null> {
    return getContact(this.deps, ws, contactId);
  }

  home(ws: Workspace, member: Member): Promise<HomeSnapshot> {
    return homeSnapshot(this.deps, ws, member);
  }

  /** A platform's durable inbox (keys prefixed with `prefix`, e.g. "teams:"). */
  inbox(log: InboxLog, prefix: string): Inbox {
    return new Inbox(this.store, log, prefix);
  }

  /** The channels the bot is in, with each one's platform reference. */
  get channels(): Channels {
    return channelsOf(this.store);
  }

  /** OAuth installations, sealed at rest with `sealer`. */
  installations(sealer: Sealer): Installations {
    return new Installations(this.store, sealer);
  }

  // use cases

  execute(ws: Workspace, actor: Member, cmd: ParsedCommand, ctx: CommandContext): Promise<Reply> {
    return runCommand(this.deps, ws, actor, cmd, ctx);
  }

  findContact(ws: Workspace, ref: ContactRef, ctx: CommandContext): Promise<Contact | null> {
    return findContact(this.deps, ws, ref, ctx);
  }

  handlePromptAction(
    ws: Workspace,
    actor: Member,
    nudgeId: string,
    action: PromptAction,
  ): Promise<ActionOutcome> {
    return handlePromptAction(this.deps, ws, actor, nudgeId, action);
  }

  teammatesFor(ws: Workspace, contactId: string, exceptMemberId: string) {
    return teammatesFor(this.deps, ws, contactId, exceptMemberId);
  }

  lunchFormFor(ws: Workspace, actor: Member, contactId: string) {
    return lunchFormFor(this.deps, ws, actor, contactId);
  }

  /** The free lunch slots the lunch form offers (never throws for a calendar; bounded in time). */
  lunchSlots(input: LunchSlotsInput) {
    return lunchSlots(this.deps, input);
  }

  /** The lunch form's Cancel: the prompt it replaced, rebuilt, or what to say instead. */
  reopenPrompt(ws: Workspace, actor: Member, nudgeId: string | null, contactId: string) {
    return reopenPrompt(this.deps, ws, actor, nudgeId, contactId);
  }

  recordMet(
    ws: Workspace,
    member: Member,
    contact: Contact,
    metAt: Date,
    source: "button" | "command" | "lunch",
    lunchId?: string,
  ): Promise<void> {
    return recordMet(this.deps, ws, member, contact, metAt, source, lunchId);
  }

  /** Plans a lunch from a form (the Slack modal, the Teams card): claim first, notify everyone. */
  planLunchFromForm(
    ports: Omit<PlanLunchDeps, "store" | "clock">,
    input: PlanLunchInput,
  ): Promise<PlanLunchResult> {
    return planLunch(
      {
        store: this.store,
        clock: this.clock,
        ...(this.deps.calendars ? { calendars: this.deps.calendars } : {}),
        ...ports,
      },
      input,
    );
  }

  planLunch(
    ws: Workspace,
    organizer: Member,
    input: LunchPlanInput,
    deps: Partial<Omit<PlanLunchDeps, "store" | "clock">> = {},
  ): Promise<Reply> {
    return planLunchReply(this.deps, ws, organizer, input, deps);
  }

  answerFollowUp(
    ws: Workspace,
    actor: Member,
    lunchId: string,
    answer: FollowUpAnswer | boolean,
  ): Promise<ActionOutcome> {
    return answerFollowUp(this.deps, ws, actor, lunchId, answer);
  }

  /** A review row's button (Track / Not external / Ignore / Undo); `isAdmin`: administers() (core/admins.ts) as the adapter applies it. */
  answerReview(
    ws: Workspace,
    actor: Member,
    isAdmin: boolean,
    reviewId: string,
    contactId: string,
    answer: ReviewAnswer,
  ): Promise<ReviewReply> {
    return answerReview(this.deps, ws, actor, isAdmin, reviewId, contactId, answer);
  }

  /** Whoever installed the app administers it from now on (app/install.ts). */
  markInstaller(ws: Workspace, member: Member): Promise<Member> {
    return markInstaller(this.deps, ws, member);
  }

  /** After an install: the review, if there is something to review, sent to the admins and the installer. */
  reviewAfterInstall(
    ws: Workspace,
    installer: Member | null,
    chat: ReviewChatPort,
    onFailure?: (member: Member, err: unknown) => void,
  ): Promise<number> {
    return reviewAfter(this.deps, ws, "install", chat, { installer, ...(onFailure ? { onFailure } : {}) });
  }

  /** After an import: the review is opened; the next sweep sends it (the CLI has no chat). */
  openImportReview(ws: Workspace) {
    return openReview(this.deps, ws, "import");
  }

  /** The sweep's part: the first candidates' review, and any opened review still unsent. */
  runReviewSweep(ws: Workspace, chat: ReviewChatPort, onFailure?: (member: Member, err: unknown) => void) {
    return runReviewSweep(this.deps, ws, chat, onFailure);
  }

  runNudgeSweep(ws: Workspace, chat: ChatPort): Promise<SweepReport> {
    return runNudgeSweep(this.deps, ws, chat);
  }

  /** The daily read of connected calendars: meetings with tracked contacts recorded once. */
  recordCalendarMeetings(ws: Workspace): Promise<CalendarSweepReport> {
    return recordCalendarMeetings(this.deps, ws);
  }

  /** Yes / No on a meeting mentioned in chat, or Undo on one counted from the calendar. */
  answerNoticed(
    ws: Workspace,
    actor: Member,
    noticeId: string,
    answer: NoticedAnswer,
  ): Promise<ActionOutcome> {
    return answerNoticed(this.deps, ws, actor, noticeId, answer);
  }

  runFollowUps(chatFor: (ws: Workspace) => ChatPort | null): Promise<FollowUpReport> {
    return runFollowUps(this.deps, chatFor);
  }

  digestView(ws: Workspace, week?: string): Promise<DigestView> {
    return digestView(this.deps, ws, week);
  }

  postWeeklyDigest(
    ws: Workspace,
    chat: ChatPort,
    week?: string,
  ): Promise<{ posted: boolean; message: string; failure?: SendFailure }> {
    return postWeeklyDigest(this.deps, ws, chat, week);
  }

  // the web dashboard

  overview(ws: Workspace, weeks?: number) {
    return overview(this.deps, ws, weeks);
  }

  contactsTable(ws: Workspace, opts?: Parameters<typeof contactsTable>[2]) {
    return contactsTable(this.deps, ws, opts);
  }

  reviewContacts(ws: Workspace, ids: readonly string[], action: ReviewAction): Promise<number> {
    return reviewContacts(this.deps, ws, ids, action);
  }

  mergeContacts(ws: Workspace, ids: readonly string[]) {
    return mergeContactsById(this.deps, ws, ids);
  }

  lunchesTable(ws: Workspace, opts?: Parameters<typeof lunchesTable>[2]) {
    return lunchesTable(this.deps, ws, opts);
  }

  myData(ws: Workspace, member: Member, admin: boolean) {
    return myData(this.deps, ws, member, admin);
  }

  signInAs(identity: SignInIdentity): Promise<SignInResult> {
    return signInAs(this.deps, identity);
  }

  sessionMember(platform: Platform, externalId: string, platformUserId: string) {
    return sessionMember(this.deps, platform, externalId, platformUserId);
  }

  /** administers() for a dashboard viewer, with TEAMS_ADMIN_IDS by Teams id or Entra object id. */
  viewerAdministers(ws: Workspace, member: Member, configured: readonly string[]): Promise<boolean> {
    return viewerAdministers(this.deps, ws, member, configured);
  }

  createSignInLink(ws: Workspace, member: Member, ttlMinutes?: number): Promise<string> {
    return createSignInLink(this.deps, ws, member, ttlMinutes);
  }

  useSignInLink(token: string) {
    return useSignInLink(this.deps, token);
  }
}
