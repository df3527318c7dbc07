import type { ChatPort, SendFailureNote } from "../app/service.ts";
import type { AppContext } from "../app.ts";
import { asSendFailure } from "../core/send-failure.ts";
import { addDays } from "../core/time.ts";
import type { Workspace } from "../core/types.ts";
import { type Cadence, dailyAt, everyMinutes, hourlyAt } from "./cadence.ts";
import type { JobRunCoordinator } from "./coordinator.ts";
import { digestDue, missedDigest } from "./digest-schedule.ts";
import { type JobData, type JobOutput, pause, type QueueJob, type Settled } from "./queue.ts";

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
  /** Runs the slot in this process (the fan-out jobs: one workspace after another). */
  run(ctx: JobContext): Promise<JobResult>;
  /** A job whose slot is one unit of work per workspace: with a queue, every replica works it. */
  fanOut?: FanOut;
}

/** What a queued job's handler gets: the same app and platforms as the slot, on whichever replica. */
export type WorkerContext = Pick<JobContext, "app" | "chatFor">;

export interface FanOut {
  /** The queue's name. */
  queue: string;
  /** How long the slot waits for its jobs; whatever is unfinished then is reported as still queued. */
  settleMs: number;
  /** Workers per replica for this queue, as a multiple of JOB_CONCURRENCY (default 1). */
  workersPerSlot?: number;
  /** The slot's jobs (one per workspace) and what the slot itself counted. */
  plan(ctx: JobContext): Promise<{ jobs: QueueJob[]; summary: Record<string, unknown> }>;
  /** One job. Catches what it expects (platform refusals) and reports it in its output. */
  handle(ctx: WorkerContext, data: JobData): Promise<JobOutput>;
  /** The slot's result from its own counts and its jobs' outputs. */
  result(summary: Record<string, unknown>, settled: Settled): JobResult;
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

/** How long one queued job keeps waiting out a platform's rate limit before leaving it to the next slot. */
export const RATE_LIMIT_PATIENCE_MS = 4 * 60_000;

interface DigestOutput extends JobOutput {
  workspace: string;
  week: string;
  posted: boolean;
  /** Rate-limited answers waited out (Retry-After) before the post went through or we gave up. */
  rateLimited: number;
  failure?: { workspace: string; week: string; error: string } & Record<string, unknown>;
}

/** Posts one workspace's digest (the Digest row's claim makes it once), waiting out rate limits. */
async function postOneDigest(app: AppContext, chatFor: ChatFor, data: JobData): Promise<DigestOutput> {
  const workspace = String(data.workspaceId);
  const week = String(data.week);
  const out: DigestOutput = { workspace, week, posted: false, rateLimited: 0 };
  const ws = await app.store.getWorkspace(workspace);
  const chat = ws && !ws.uninstalledAt ? chatFor(ws) : null;
  if (!ws || !chat) return out;
  const giveUpAt = Date.now() + RATE_LIMIT_PATIENCE_MS;
  for (;;) {
    try {
      // The reported week is passed explicitly: if this run crosses Sunday midnight, it must
      // still post the week it decided on, not start next week's early.
      const result = await app.service.postWeeklyDigest(ws, chat, week);
      app.log.info("digest run", {
        workspaceId: ws.id,
        week,
        posted: result.posted,
        message: result.message,
      });
      out.posted = result.posted;
      const f = result.failure;
      // Refused for now (nothing was posted, the claim was released): wait as long as the platform
      // asks and try again, so a burst of 429s delays a digest but never drops it.
      if (f?.kind === "rate-limited" && Date.now() + (f.retryAfterMs ?? 1_000) < giveUpAt) {
        out.rateLimited++;
        await pause(f.retryAfterMs ?? 1_000);
        continue;
      }
      if (f) {
        // Refused: nothing was posted and the claim was released, so the next slot tries again.
        const why = f.toJSON();
        app.log.warn("digest refused", { workspaceId: ws.id, week, ...why });
        out.failure = { workspace: ws.id, week, error: result.message, ...why };
      }
    } catch (err) {
      const why = asSendFailure(err).toJSON();
      app.log.error("digest failed", { workspaceId: ws.id, week, ...why, err });
      out.failure = { workspace: ws.id, week, error: errorText(err), ...why };
    }
    return out;
  }
}

export const digestJob: JobDefinition = {
  name: "digest",
  // Every 5 minutes rather than once an hour: workspaces pick any hour in any zone, including
  // UTC+5:30 / +5:45, and each run is one cheap query per workspace unless something is due.
  cadence: everyMinutes(5),
  description: "Posts each workspace's weekly digest at its day and hour (catching up within the week)",
  fanOut: {
    queue: "digest",
    // Below the 5-minute cadence: the next slot re-enqueues whatever is still not posted.
    settleMs: 4.5 * 60_000,
    async plan({ app, chatFor }) {
      const now = app.clock.now();
      const jobs: QueueJob[] = [];
      let waiting = 0;
      let unconfigured = 0;
      for (const { ws, installedAt } of await workspacesWithInstallTime(app)) {
        const decision = digestDue(ws, now, installedAt);
        if (!decision.due) {
          waiting++;
          continue;
        }
        if (!ws.digestChannel || !chatFor(ws)) {
          unconfigured++;
          continue;
        }
        const existing = await app.store.getDigest(ws.id, decision.reports);
        if (existing && existing.status !== "claimed" && existing.status !== "posting") continue;
        jobs.push({
          key: `${ws.id}:${decision.reports}`,
          data: { workspaceId: ws.id, week: decision.reports },
        });
      }
      return { jobs, summary: { waiting, unconfigured } };
    },
    handle: ({ app, chatFor }, data) => postOneDigest(app, chatFor, data),
    result(summary, settled) {
      const outs = settled.outputs as DigestOutput[];
      const failures = outs.flatMap((o) => (o.failure ? [o.failure] : []));
      return {
        summary: {
          posted: outs.filter((o) => o.posted).map((o) => `${o.workspace}:${o.week}`),
          ...summary,
          ...totals(outs, ["rateLimited"]),
          failures,
          ...queueNotes(settled),
        },
        failed: failures.length > 0 || settled.failed > 0,
      };
    },
  },
  run: (ctx) => runInline(digestJob, ctx),
};

interface SweepOutput extends JobOutput {
  sent: number;
  failedSends: number;
  deferred: number;
  promoted: number;
  reviews: number;
  failures: Array<{ workspace: string; error: string }>;
  sendFailures: Array<SendFailureNote & { workspace: string }>;
}

/** One workspace's nudge sweep; after a rate limit, the deferred prompts once the platform allows. */
async function sweepOne(app: AppContext, chatFor: ChatFor, data: JobData): Promise<SweepOutput> {
  const out: SweepOutput = {
    sent: 0,
    failedSends: 0,
    deferred: 0,
    promoted: 0,
    reviews: 0,
    failures: [],
    sendFailures: [],
  };
  const ws = await app.store.getWorkspace(String(data.workspaceId));
  const chat = ws && !ws.uninstalledAt ? chatFor(ws) : null;
  if (!ws || !chat) return out;
  // The review of who was found (after an import, or the first candidates): on its own, so a
  // failure there never holds the prompts back.
  const sendDoc = chat.sendDoc?.bind(chat);
  if (sendDoc)
    try {
      out.reviews += await app.service.runReviewSweep(ws, { sendDoc }, (member, err) =>
        app.log.warn("review not sent", { workspaceId: ws.id, memberId: member.id, err }),
      );
    } catch (err) {
      app.log.error("review failed", { workspaceId: ws.id, err });
      out.failures.push({ workspace: ws.id, error: errorText(err) });
    }
  const giveUpAt = Date.now() + RATE_LIMIT_PATIENCE_MS;
  /** The latest 429s: what is reported if the sweep stops while prompts are still held back. */
  let lastLimited: SendFailureNote[] = [];
  const reportNow = (fs: readonly SendFailureNote[]) => {
    out.failedSends += fs.length;
    for (const f of fs) {
      app.log.warn("prompt not sent", { workspaceId: ws.id, ...f });
      out.sendFailures.push({ workspace: ws.id, ...f });
    }
  };
  try {
    for (;;) {
      const report = await app.service.runNudgeSweep(ws, chat);
      out.sent += report.sent;
      out.deferred = report.deferred;
      out.promoted += report.promoted;
      const limited = report.failures.filter((f) => f.kind === "rate-limited");
      reportNow(report.failures.filter((f) => f.kind !== "rate-limited"));
      // Prompts held back by a rate limit (refused with a 429, or not tried after one: "unsent",
      // held until the Retry-After passed) go out once it lifts, in this sweep rather than an hour
      // later, as long as a round gets anything through. Several prompts are in flight at once, so
      // the 429 may hit the last of them: it waits as the deferred ones do. Only what is still held
      // back when the sweep gives up is a failure.
      const wait = Math.max(0, ...limited.map((f) => f.retryAfterMs ?? 0));
      const progress = report.sent + report.failed > 0;
      const held = report.deferred + limited.length;
      if (limited.length) lastLimited = limited;
      if (held === 0 || !progress || wait === 0 || Date.now() + wait >= giveUpAt) {
        if (held > 0) reportNow(lastLimited);
        break;
      }
      app.log.info("prompts held by a rate limit; retrying after it", { workspaceId: ws.id, held, wait });
      await pause(wait);
    }
  } catch (err) {
    app.log.error("nudge sweep failed", { workspaceId: ws.id, err });
    out.failures.push({ workspace: ws.id, error: errorText(err) });
  }
  return out;
}

export const nudgeSweepJob: JobDefinition = {
  name: "nudge-sweep",
  // The policy itself only sends inside each member's working hours in their own zone; an hourly
  // sweep lands in those hours wherever the member is.
  cadence: hourlyAt(0),
  description: "Evaluates the nudge policy and DMs prompts (inside each member's working hours)",
  fanOut: {
    queue: "nudge-sweep",
    settleMs: 45 * 60_000,
    // A workspace with many prompts due spends most of its job waiting out that workspace's own
    // rate limit (Slack: a few hundred posts a minute), costing no CPU; with one worker per
    // JOB_CONCURRENCY, a few dozen such workspaces held every worker while the rest queued.
    workersPerSlot: 4,
    async plan({ app, chatFor }) {
      const members = await app.store.memberCounts();
      // The largest workspaces first: their prompts go out at the platform's pace for one workspace
      // (Slack: a few hundred a minute), so one started last would hold the whole slot open.
      const jobs = (await app.store.listActiveWorkspaces())
        .filter((ws) => chatFor(ws) !== null)
        .map((ws) => ({ key: ws.id, data: { workspaceId: ws.id }, priority: members.get(ws.id) ?? 0 }));
      return { jobs, summary: {} };
    },
    handle: ({ app, chatFor }, data) => sweepOne(app, chatFor, data),
    result(summary, settled) {
      const outs = settled.outputs as SweepOutput[];
      const failures = outs.flatMap((o) => o.failures ?? []);
      const sendFailures = outs.flatMap((o) => o.sendFailures ?? []);
      return {
        summary: {
          ...summary,
          ...totals(outs, ["sent", "failedSends", "deferred", "promoted", "reviews"]),
          failures,
          sendFailures,
          ...queueNotes(settled),
        },
        failed: failures.length > 0 || sendFailures.length > 0 || settled.failed > 0,
      };
    },
  },
  run: (ctx) => runInline(nudgeSweepJob, ctx),
};

/** Each of `keys` summed over the workspaces' outputs (a missing count is 0). */
function totals<const K extends string, T extends Partial<Record<K, number>>>(
  outs: readonly T[],
  keys: readonly K[],
): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const k of keys) {
    let n = 0;
    for (const o of outs) n += o[k] ?? 0;
    out[k] = n;
  }
  return out;
}

/** What the queue itself reports for a slot: jobs that crashed, jobs not finished when it stopped waiting. */
function queueNotes(settled: Settled): Record<string, number> {
  return {
    ...(settled.failed ? { crashedJobs: settled.failed } : {}),
    ...(settled.pending ? { stillQueued: settled.pending } : {}),
  };
}

/** A fan-out job run in the calling process, one workspace after another (no queue). */
async function runInline(job: JobDefinition, ctx: JobContext): Promise<JobResult> {
  const f = job.fanOut;
  if (!f) throw new Error(`${job.name} has no fan-out`);
  const { jobs, summary } = await f.plan(ctx);
  const outputs: JobOutput[] = [];
  for (const j of jobs) outputs.push(await f.handle(ctx, j.data));
  return f.result(summary, { outputs, failed: 0, pending: 0 });
}

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

interface CalendarOutput extends JobOutput {
  read: number;
  recorded: number;
  known: number;
  skipped: Array<{ workspace: string; memberId: string; kind: string }>;
  failures: Array<{ workspace: string; error: string }>;
}

/** One workspace's connected calendars, read for meetings with its tracked contacts. */
async function calendarsOne(app: AppContext, data: JobData): Promise<CalendarOutput> {
  const out: CalendarOutput = { read: 0, recorded: 0, known: 0, skipped: [], failures: [] };
  const ws = await app.store.getWorkspace(String(data.workspaceId));
  if (!ws || ws.uninstalledAt) return out;
  try {
    const report = await app.service.recordCalendarMeetings(ws);
    out.read = report.read;
    out.recorded = report.recorded;
    out.known = report.known;
    for (const f of report.failures) {
      // One member's revoked grant or a provider outage skips that member only.
      app.log.warn("calendar not read", {
        workspaceId: ws.id,
        memberId: f.memberId,
        kind: f.kind,
        detail: f.detail,
      });
      out.skipped.push({ workspace: ws.id, memberId: f.memberId, kind: f.kind });
    }
  } catch (err) {
    app.log.error("calendar meetings failed", { workspaceId: ws.id, err });
    out.failures.push({ workspace: ws.id, error: errorText(err) });
  }
  return out;
}

export const calendarMeetingsJob: JobDefinition = {
  name: "calendar-meetings",
  // Once a day over the past week: a meeting is counted a day or so after it happened, and a
  // missed day is made up by the next (each (member, contact, day) is recorded once, ever).
  cadence: dailyAt(4, 15),
  description: "Counts meetings with tracked contacts found in connected calendars (the past 7 days)",
  // A job per workspace, like the sweep: each reads its members' calendars from Google or Microsoft
  // (seconds per member), which one replica walking thousands of workspaces would take hours to do.
  fanOut: {
    queue: "calendar-meetings",
    settleMs: 30 * 60_000,
    async plan({ app }) {
      const jobs = (await app.store.listActiveWorkspaces()).map((ws) => ({
        key: ws.id,
        data: { workspaceId: ws.id },
      }));
      return { jobs, summary: {} };
    },
    handle: ({ app }, data) => calendarsOne(app, data),
    result(summary, settled) {
      const outs = settled.outputs as CalendarOutput[];
      const failures = outs.flatMap((o) => o.failures ?? []);
      return {
        summary: {
          ...summary,
          ...totals(outs, ["read", "recorded", "known"]),
          skipped: outs.flatMap((o) => o.skipped ?? []),
          failures,
          ...queueNotes(settled),
        },
        failed: failures.length > 0 || settled.failed > 0,
      };
    },
  },
  run: (ctx) => runInline(calendarMeetingsJob, ctx),
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
