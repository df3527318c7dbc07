import type { AppContext } from "../app.ts";
import { isoWeek, previousIsoWeek, safeTimeZone } from "../core/time.ts";
import { nextSlot } from "./cadence.ts";
import { JobRunCoordinator, type JobRunRow } from "./coordinator.ts";
import { nextDigestAt } from "./digest-schedule.ts";
import { DEFAULT_JOBS, type JobDefinition } from "./jobs.ts";

// What `take-it-offline jobs` shows: each job's schedule, its last run (from JobRun, so it covers
// every replica) and its next fire time; plus when each workspace's next digest goes out.

export interface JobStatus {
  name: string;
  description: string;
  schedule: string;
  cron: string;
  /** The most recent slot any replica claimed (it may still be running: finishedAt null). */
  lastRun: JobRunRow | null;
  nextRun: Date;
}

export interface DigestStatus {
  workspaceId: string;
  workspaceName: string;
  schedule: string;
  channel: string | null;
  week: string;
  /** Status of the digest row this week's post writes (keyed by the week it reports): none | claimed | posting | posted | unconfirmed. */
  thisWeek: string;
  next: Date | null;
}

export interface JobsReport {
  now: Date;
  jobs: JobStatus[];
  digests: DigestStatus[];
}

const WEEKDAYS = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export async function listJobs(
  app: AppContext,
  jobs: readonly JobDefinition[] = DEFAULT_JOBS,
): Promise<JobsReport> {
  const now = app.clock.now();
  const coordinator = new JobRunCoordinator(app.store, app.instanceId, app.clock);
  const statuses: JobStatus[] = [];
  for (const job of jobs) {
    statuses.push({
      name: job.name,
      description: job.description,
      schedule: job.cadence.label,
      cron: job.cadence.cron,
      lastRun: await coordinator.lastRun(job.name),
      nextRun: nextSlot(job.cadence, now),
    });
  }
  const digests: DigestStatus[] = [];
  for (const ws of await app.store.listActiveWorkspaces()) {
    const tz = safeTimeZone(ws.timezone);
    // The week this week's post reports (the last complete one), which keys its Digest row.
    const week = previousIsoWeek(isoWeek(now, tz));
    const row = await app.store.getDigest(ws.id, week);
    digests.push({
      workspaceId: ws.id,
      workspaceName: ws.name,
      schedule: `${WEEKDAYS[ws.digestDay] ?? "?"} ${String(ws.digestHour).padStart(2, "0")}:00 ${tz}`,
      channel: ws.digestChannel,
      week,
      thisWeek: row?.status ?? "none",
      next: ws.digestChannel
        ? nextDigestAt(ws, now, row?.status === "posted" || row?.status === "unconfirmed")
        : null,
    });
  }
  return { now, jobs: statuses, digests };
}

export function formatJobs(report: JobsReport): string {
  const lines: string[] = [];
  lines.push(`Jobs (now ${iso(report.now)}):`);
  for (const j of report.jobs) {
    lines.push("");
    lines.push(`${j.name} — ${j.description}`);
    lines.push(`  schedule: ${j.schedule} (cron "${j.cron}", UTC)`);
    lines.push(`  last run: ${describeRun(j.lastRun)}`);
    lines.push(`  next run: ${iso(j.nextRun)}`);
  }
  lines.push("");
  if (report.digests.length === 0) {
    lines.push("Digests: no workspaces yet.");
  } else {
    lines.push("Digests:");
    for (const d of report.digests) {
      const where = d.channel ? `to ${d.channel}` : "no channel set";
      const next = d.next ? `next ${iso(d.next)}` : "not scheduled";
      lines.push(
        `  ${d.workspaceName || d.workspaceId}: ${d.schedule}, ${where}; ${d.week}: ${d.thisWeek}; ${next}`,
      );
    }
  }
  return lines.join("\n");
}

function describeRun(run: JobRunRow | null): string {
  if (!run) return "never";
  const slot = iso(run.fireTime);
  if (!run.finishedAt) return `${slot} — running on ${run.claimedBy} since ${iso(run.claimedAt)}`;
  const took = run.durationMs !== null ? ` in ${run.durationMs} ms` : "";
  const detail = run.detail ? ` ${run.detail}` : "";
  return `${slot} — ${run.outcome ?? "?"}${took} on ${run.claimedBy}${detail}`;
}

function iso(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, "Z");
}
