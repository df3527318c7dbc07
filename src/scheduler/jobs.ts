import type { ChatPort, SendFailureNote } from "../app/service.ts";
import type { AppContext } from "../app.ts";
import { asSendFailure } from "../core/send-failure.ts";
import { addDays } from "../core/time.ts";
import type { Workspace } from "../core/types.ts";
import { type Cadence, dailyAt, everyMinutes, hourlyAt } from "./cadence.ts";
import type { JobRunCoordinator } from "./coordinator.ts";
import { digestDue, missedDigest } from "./digest-schedule.ts";

// The scheduled jobs. Each one is a thin loop over the same core services the interactive paths
// use (OfflineService), so a digest posted by the schedule and one posted by `/offline digest now`
// go through the same claim protocol. Every job is "level-triggered": it looks at current state
// (what is due and not yet done) rather than at what happened in the slot it was fired for, so a
// slot lost to a crash or a restart is made up by the next one.

export type ChatFor = (ws: Workspace) => ChatPort | null;

export interface JobContext {
  app: AppContext;
  chatFor: ChatFor;
  coordinator: JobRunCoordinator;
  fireTime: Date;
}

/** What a run reports: a summary for the log and JobRun.detail, and whether anything failed. */
export interface JobResult {
  summary: Record<string, unknown>;
  failed: boolean;
}

export interface JobDefinition {
  name: string;
  cadence: Cadence;
  description: string;
  run(ctx: JobContext): Promise<JobResult>;
}

/** How long processed-event ids are kept for de-duplicating platform retries. */
export const EVENT_RETENTION_DAYS = 7;
/** An unanswered prompt older than this is expired (its buttons then say so). */
export const PROMPT_EXPIRY_DAYS = 14;
/** JobRun history kept for `take-it-offline jobs`. */
export const JOB_HISTORY_DAYS = 30;

/** Active workspaces with when they were installed (the domain type doesn't carry installedAt). */
async function workspacesWithInstallTime(
  app: AppContext,
): Promise<Array<{ ws: Workspace; installedAt: Date | null }>> {
  const workspaces = await app.store.listActiveWorkspaces();
  const installed = await app.store.workspaceInstallTimes(workspaces.map((w) => w.id));
  return workspaces.map((ws) => ({ ws, installedAt: installed.get(ws.id) ?? null }));
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const digestJob: JobDefinition = {
  name: "digest",
  // Every 5 minutes rather than once an hour: workspaces pick any hour in any zone, including
  // UTC+5:30 / +5:45, and each run is one cheap query per workspace unless something is due.
  cadence: everyMinutes(5),
  description: "Posts each workspace's weekly digest at its day and hour (catching up within the week)",
  async run({ app, chatFor }) {
    const now = app.clock.now();
    const posted: string[] = [];
    const failures: Array<{ workspace: string; week: string; error: string } & Record<string, unknown>> = [];
    let waiting = 0;
    let notes = 0;
    for (const { ws, installedAt } of await workspacesWithInstallTime(app)) {
      const decision = digestDue(ws, now, installedAt);
      if (!decision.due) {
        waiting++;
        continue;
      }
      const chat = chatFor(ws);
      if (!ws.digestChannel || !chat) {
        notes++;
        continue;
      }
      const existing = await app.store.getDigest(ws.id, decision.reports);
      if (existing && existing.status !== "claimed" && existing.status !== "posting") continue;
      try {
        // The reported week is passed explicitly: if this run crosses Sunday midnight, it must
        // still post the week it decided on, not start next week's early.
        const result = await app.service.postWeeklyDigest(ws, chat, decision.reports);
        app.log.info("digest run", {
          workspaceId: ws.id,
          week: decision.reports,
          posted: result.posted,
          message: result.message,
        });
        if (result.posted) posted.push(`${ws.id}:${decision.reports}`);
        if (result.failure) {
          // Refused: nothing was posted and the claim was released, so the next run tries again.
          const why = result.failure.toJSON();
          app.log.warn("digest refused", { workspaceId: ws.id, week: decision.reports, ...why });
          failures.push({ workspace: ws.id, week: decision.reports, error: result.message, ...why });
        }
      } catch (err) {
        const why = asSendFailure(err).toJSON();
        app.log.error("digest failed", { workspaceId: ws.id, week: decision.reports, ...why, err });
        failures.push({ workspace: ws.id, week: decision.reports, error: errorText(err), ...why });
      }
    }
    return { summary: { posted, waiting, unconfigured: notes, failures }, failed: failures.length > 0 };
  },
};

export const nudgeSweepJob: JobDefinition = {
  name: "nudge-sweep",
  // The policy itself only sends inside each member's working hours in their own zone; an hourly
  // sweep lands in those hours wherever the member is.
  cadence: hourlyAt(0),
  description: "Evaluates the nudge policy and DMs prompts (inside each member's working hours)",
  async run({ app, chatFor }) {
    let sent = 0;
    let failedSends = 0;
    let deferred = 0;
    let promoted = 0;
    let reviews = 0;
    const failures: Array<{ workspace: string; error: string }> = [];
    /** Each prompt that didn't go out, with why and what happens next. */
    const sendFailures: Array<SendFailureNote & { workspace: string }> = [];
    for (const ws of await app.store.listActiveWorkspaces()) {
      const chat = chatFor(ws);
      if (!chat) continue;
      // The review of who was found (after an import, or the first candidates): on its own, so a
      // failure there never holds the prompts back.
      const sendDoc = chat.sendDoc?.bind(chat);
      if (sendDoc)
        try {
          reviews += await app.service.runReviewSweep(ws, { sendDoc }, (member, err) =>
            app.log.warn("review not sent", { workspaceId: ws.id, memberId: member.id, err }),
          );
        } catch (err) {
          app.log.error("review failed", { workspaceId: ws.id, err });
          failures.push({ workspace: ws.id, error: errorText(err) });
        }
      try {
        const report = await app.service.runNudgeSweep(ws, chat);
        sent += report.sent;
        failedSends += report.failed;
        deferred += report.deferred;
        promoted += report.promoted;
        for (const f of report.failures) {
          app.log.warn("prompt not sent", { workspaceId: ws.id, ...f });
          sendFailures.push({ workspace: ws.id, ...f });
        }
      } catch (err) {
        app.log.error("nudge sweep failed", { workspaceId: ws.id, err });
        failures.push({ workspace: ws.id, error: errorText(err) });
      }
    }
    return {
      summary: { sent, failedSends, deferred, promoted, reviews, failures, sendFailures },
      failed: failures.length > 0 || sendFailures.length > 0,
    };
  },
};

export const followUpsJob: JobDefinition = {
  name: "follow-ups",
  // Follow-ups are due at 10:00 local the day after the lunch; every 15 minutes covers every zone.
  cadence: everyMinutes(15),
  description: 'Asks "did it happen?" the day after a lunch',
  async run({ app, chatFor }) {
    const result = await app.service.runFollowUps(chatFor);
    for (const f of result.failures) app.log.warn("follow-up not sent", { ...f });
    return {
      summary: { sent: result.sent, failed: result.failed, sendFailures: result.failures },
      failed: result.failures.length > 0,
    };
  },
};

export const housekeepingJob: JobDefinition = {
  name: "housekeeping",
  cadence: dailyAt(3, 30),
  description: "Prunes processed-event ids and job history, expires old prompts, applies data retention",
  async run({ app, coordinator }) {
    const now = app.clock.now();
    const events = await app.store.pruneEvents(addDays(now, -EVENT_RETENTION_DAYS));
    const expired = await app.store.expireNudges(addDays(now, -PROMPT_EXPIRY_DAYS));
    let mentions = 0;
    for (const ws of await app.store.listActiveWorkspaces()) {
      mentions += await app.store.deleteMentionsBefore(addDays(now, -ws.settings.retentionDays), ws.id);
    }
    const jobRuns = await coordinator.prune(addDays(now, -JOB_HISTORY_DAYS));
    return { summary: { events, expiredPrompts: expired, mentions, jobRuns }, failed: false };
  },
};

export const calendarMeetingsJob: JobDefinition = {
  name: "calendar-meetings",
  // Once a day over the past week: a meeting is counted a day or so after it happened, and a
  // missed day is made up by the next (each (member, contact, day) is recorded once, ever).
  cadence: dailyAt(4, 15),
  description: "Counts meetings with tracked contacts found in connected calendars (the past 7 days)",
  async run({ app }) {
    let read = 0;
    let recorded = 0;
    let known = 0;
    const skipped: Array<{ workspace: string; memberId: string; kind: string }> = [];
    const failures: Array<{ workspace: string; error: string }> = [];
    for (const ws of await app.store.listActiveWorkspaces()) {
      try {
        const report = await app.service.recordCalendarMeetings(ws);
        read += report.read;
        recorded += report.recorded;
        known += report.known;
        for (const f of report.failures) {
          // One member's revoked grant or a provider outage skips that member only.
          app.log.warn("calendar not read", {
            workspaceId: ws.id,
            memberId: f.memberId,
            kind: f.kind,
            detail: f.detail,
          });
          skipped.push({ workspace: ws.id, memberId: f.memberId, kind: f.kind });
        }
      } catch (err) {
        app.log.error("calendar meetings failed", { workspaceId: ws.id, err });
        failures.push({ workspace: ws.id, error: errorText(err) });
      }
    }
    return { summary: { read, recorded, known, skipped, failures }, failed: failures.length > 0 };
  },
};

export const DEFAULT_JOBS: readonly JobDefinition[] = [
  digestJob,
  nudgeSweepJob,
  followUpsJob,
  housekeepingJob,
  calendarMeetingsJob,
];

/**
 * On start-up: digests that were due last week and never posted are not posted late. Logged (each
 * replica that starts logs it; nothing is written) so an operator can see why a week is missing.
 */
export async function reportMissedDigests(
  app: AppContext,
): Promise<Array<{ workspaceId: string; week: string; reason: string }>> {
  const now = app.clock.now();
  const missed: Array<{ workspaceId: string; week: string; reason: string }> = [];
  for (const { ws, installedAt } of await workspacesWithInstallTime(app)) {
    if (!ws.digestChannel) continue;
    const m = missedDigest(ws, now, installedAt);
    if (!m) continue;
    // Only a week nobody even started on: a claim that reached "posting" may well be in the channel.
    const row = await app.store.getDigest(ws.id, m.week);
    if (row && row.status !== "claimed") continue;
    app.log.warn("digest skipped", {
      workspaceId: ws.id,
      week: m.week,
      dueAt: m.dueAt.toISOString(),
      reason: m.reason,
    });
    missed.push({ workspaceId: ws.id, week: m.week, reason: m.reason });
  }
  return missed;
}
