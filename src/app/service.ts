import type { ContactRef, ParsedCommand } from "../core/commands.ts";
import type { DigestView } from "../core/digest.ts";
import type { Clock, Store } from "../core/ports.ts";
import type { SendFailure } from "../core/send-failure.ts";
import { type DetectionOffload, type LongMessageNotice, Tracker } from "../core/tracking.ts";
import type { Contact, Member, Workspace } from "../core/types.ts";
import { findContact } from "./contacts.ts";
import { digestView, postWeeklyDigest } from "./digest.ts";
import { answerFollowUp, type FollowUpReport, runFollowUps } from "./follow-ups.ts";
import { type TeammateRef, upsertTeammate } from "./members.ts";
import { runNudgeSweep, type SweepReport } from "./nudge-sweep.ts";
import type { PlanLunchDeps } from "./plan-lunch.ts";
import type { AppDeps, ChatPort } from "./ports.ts";
import { type ActionOutcome, handlePromptAction, type PromptAction, teammatesFor } from "./prompt-action.ts";
import { recordMet } from "./record-met.ts";
import {
  type CommandContext,
  type LunchPlanInput,
  planLunchReply,
  type Reply,
  runCommand,
} from "./run-command.ts";

// The use cases behind one object, for the callers that hold "the service" (the adapters, the CLI,
// the scheduler, the tests). It decides nothing: each method is one use case module of src/app.

export { DIGEST_CLAIM_STALE_MS, DIGEST_HEARTBEAT_MS } from "./digest.ts";
export type { FollowUpReport } from "./follow-ups.ts";
export type { SweepReport } from "./nudge-sweep.ts";
export type { ChatPort, Prompt } from "./ports.ts";
export type { ActionOutcome, PromptAction } from "./prompt-action.ts";
export type { CommandContext, LunchPlanInput, Reply } from "./run-command.ts";
export type { SendFailureNote } from "./send-failures.ts";

export class OfflineService {
  readonly tracker: Tracker;
  private readonly deps: AppDeps;

  constructor(
    readonly store: Store,
    readonly clock: Clock,
    options: {
      detectionOffload?: DetectionOffload;
      onLongMessage?: (notice: LongMessageNotice) => void;
    } = {},
  ) {
    this.tracker = new Tracker(store, clock, options.detectionOffload, options.onLongMessage);
    this.deps = { store, clock, tracker: this.tracker };
  }

  member(ws: Workspace, ref: TeammateRef): Promise<Member> {
    return upsertTeammate(this.deps, ws, ref);
  }

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

  planLunch(
    ws: Workspace,
    organizer: Member,
    input: LunchPlanInput,
    deps: Partial<Omit<PlanLunchDeps, "store" | "clock">> = {},
  ): Promise<Reply> {
    return planLunchReply(this.deps, ws, organizer, input, deps);
  }

  answerFollowUp(ws: Workspace, actor: Member, lunchId: string, happened: boolean): Promise<ActionOutcome> {
    return answerFollowUp(this.deps, ws, actor, lunchId, happened);
  }

  runNudgeSweep(ws: Workspace, chat: ChatPort): Promise<SweepReport> {
    return runNudgeSweep(this.deps, ws, chat);
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
}
