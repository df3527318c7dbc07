import { basename } from "node:path";
import type { OfflineService } from "../app/service.ts";
import type { Detection } from "../core/detect/index.ts";
import { MAX_RETENTION_DAYS } from "../core/settings.ts";
import { addDays, isValidTimeZone } from "../core/time.ts";
import { detectionTexts, type ProcessResult } from "../core/tracking.ts";
import type { IncomingMessage, Member, PlatformUserRef, Workspace } from "../core/types.ts";
import { type HomeTeam, mentionedUserIds, toUserRef } from "../platforms/slack/identity.ts";
import { createDetectPool, type DetectPool } from "../workers/detect-pool.ts";
import {
  classifyMessage,
  describeSkip,
  exportTimeZone,
  exportWorkspaceName,
  messageText,
  messageUser,
  openSlackExport,
  primaryTeamId,
  type SlackMessage,
  slackTsToDate,
} from "./slack-export.ts";

// Slack export → the same core path live messages take (Tracker), in batches. Streaming: a few
// batches of messages in memory at a time (bounded in count and in text), plus the user
// directory. Idempotent: mentions are keyed on channel:ts, so a second import of the same export
// changes nothing.

export interface ImportReport {
  workspace: Workspace;
  files: number;
  fileErrors: Array<{ file: string; error: string }>;
  messages: number;
  mentionsAdded: number;
  mentionsRemoved: number;
  skipped: Record<string, number>;
  /** Messages longer than MAX_DETECTION_TEXT: imported, but only their start was read. */
  truncatedMessages: number;
  invalidMessages: Array<{ file: string; index: number; error: string }>;
  metadataIssues: Array<{ file: string; index?: number; error: string }>;
  members: number;
  externalUsers: number;
  durationMs: number;
  /** Where the workspace's name and time zone came from, when this import set them. */
  workspaceInfo: {
    name?: { value: string; from: "enterprise" | "file name" };
    timezone?: { value: string; members: number; of: number };
  };
  /** Messages are imported from this instant on; older ones are counted in `olderSkipped`. */
  cutoff: { at: Date; why: "retention" | "since"; retentionDays: number };
  olderSkipped: number;
  /** The oldest message left out: where `--since` would have to start to include them all. */
  oldestSkipped: Date | null;
  /** When `since` reached back further than the workspace keeps mentions, its retention grew. */
  retentionExtended?: { from: number; to: number };
  /** The review this import opened for the admins (the next sweep sends it), or null. */
  review: { people: number; admins: number } | null;
}

export interface ImportOptions {
  /** Called as day files complete: bytes done / total, for a progress bar. */
  onProgress?: (done: number, total: number, messages: number) => void;
  /** Keeps the report bounded on a very broken export. */
  maxReportedErrors?: number;
  /** Messages per batch: one detection call, one write transaction (default DEFAULT_BATCH_SIZE). */
  batchSize?: number;
  /** Message text per batch, in UTF-16 units (default MAX_BATCH_TEXT). */
  maxBatchText?: number;
  /** Detection worker threads (default: 1 for exports of 2 MB and more, else 0 = inline). */
  detectWorkers?: number;
  /**
   * Import history from this instant on (`import --since`), extending the workspace's retention
   * to keep it. Default: only what the retention window keeps, since housekeeping would delete
   * anything older the next night anyway.
   */
  since?: Date;
}

/**
 * Messages per batch. Large, because a batch's write costs more per message the smaller it is: on
 * SQLite every commit writes each page it dirtied and usually checkpoints, and a thousand messages
 * dirty nearly as many index pages (one per contact and per author mentioned) as ten thousand do.
 * At 10,000 a 1M-message import ran a fifth to a quarter faster than at 1,000 on SQLite
 * (PostgreSQL is the same either way); memory stays bounded, MAX_BATCHES_IN_FLIGHT of them.
 */
const DEFAULT_BATCH_SIZE = 10_000;
/**
 * A batch also ends at this much text (UTF-16 units), so that exports of long messages (Slack
 * allows 40,000 characters) keep the same bound: at most about 4 × 4M units in flight.
 */
const MAX_BATCH_TEXT = 4_000_000;
/** Below this much message data, starting a worker thread costs more than it saves. */
const WORKER_THRESHOLD_BYTES = 2_000_000;
/** Batches read ahead of the one being written: bounds memory, keeps the worker busy. */
const MAX_BATCHES_IN_FLIGHT = 3;

export async function importSlackExport(
  service: OfflineService,
  path: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const started = Date.now();
  const maxErrors = options.maxReportedErrors ?? 50;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const maxBatchText = Math.max(1, options.maxBatchText ?? MAX_BATCH_TEXT);
  const reader = await openSlackExport(path);
  let pool: DetectPool | null = null;
  try {
    const users = await reader.users();
    await reader.channels();
    const teamId = primaryTeamId(users);
    const home: HomeTeam = { teamId };
    const { ws: found, info: workspaceInfo } = await workspaceForExport(service, path, users, teamId);
    const now = service.clock.now();
    const { ws, cutoff, retentionExtended } = await applyCutoff(service, found, now, options.since);

    const refs = new Map<string, PlatformUserRef>();
    const members = new Map<string, Member>();
    let externalUsers = 0;
    for (const u of users) {
      const ref = toUserRef(u, home);
      refs.set(u.id, ref);
      if (ref.external) {
        externalUsers++;
        await service.tracker.contactForUser(ws, ref);
      } else {
        members.set(u.id, await service.member(ws, ref));
      }
    }
    service.tracker.invalidate(ws.id);

    const report: ImportReport = {
      workspace: ws,
      files: 0,
      fileErrors: [],
      messages: 0,
      mentionsAdded: 0,
      mentionsRemoved: 0,
      skipped: {},
      truncatedMessages: 0,
      invalidMessages: [],
      metadataIssues: [],
      members: members.size,
      externalUsers,
      durationMs: 0,
      workspaceInfo,
      cutoff,
      olderSkipped: 0,
      oldestSkipped: null,
      ...(retentionExtended ? { retentionExtended } : {}),
      review: null,
    };
    const cutoffMs = cutoff.at.getTime();
    const skip = (reason: string) => {
      report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
    };
    const total = (await reader.countMessageFiles()).bytes;
    // Messages go through the tracker in batches: contacts are resolved in memory, then a batch's
    // mentions are written in one statement (Tracker.processMessages, in its two steps). On a big
    // export this is a pipeline, each stage working on another batch: reading, detection (in a
    // worker thread), resolving, and the database writing. Batches are resolved in order and
    // written in order; reading waits only when MAX_BATCHES_IN_FLIGHT are queued.
    const workers = options.detectWorkers ?? (total >= WORKER_THRESHOLD_BYTES ? 1 : 0);
    pool = workers > 0 ? createDetectPool(workers) : null;
    const queued: Array<Promise<void>> = [];
    let lastResolve: Promise<unknown> = Promise.resolve();
    let lastWrite: Promise<void> = Promise.resolve();
    let pending: IncomingMessage[] = [];
    let pendingText = 0;
    const count = (results: readonly ProcessResult[]) => {
      for (const result of results) {
        if (result.skipped) skip(`message by ${result.skipped.replace("-", " ")}`);
        if (result.truncated) report.truncatedMessages++;
        report.mentionsAdded += result.added;
        report.mentionsRemoved += result.removed;
      }
    };
    const enqueue = (batch: IncomingMessage[], detections: Promise<Detection[][] | undefined>) => {
      const resolved = lastResolve.then(async () =>
        service.tracker.resolveMessages(ws, batch, await detections),
      );
      lastResolve = resolved;
      // A failed resolve or write stops every write after it; the failure surfaces at the next
      // wait below (and the resolves already started settle before the import returns).
      lastWrite = Promise.all([resolved, lastWrite]).then(async ([r]) =>
        count(await service.tracker.writeResolved(ws, r)),
      );
      resolved.catch(() => {});
      lastWrite.catch(() => {});
      queued.push(lastWrite);
    };
    const dispatch = async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      pendingText = 0;
      const inputs = pool ? await service.tracker.detectionInputs(ws) : null;
      const detections =
        pool && inputs
          ? pool
              .detect(detectionTexts(batch), inputs)
              // A failed worker costs speed, not the import: resolveMessages then detects inline.
              .catch(() => undefined)
          : Promise.resolve(undefined);
      enqueue(batch, detections);
      while (queued.length > MAX_BATCHES_IN_FLIGHT) await queued.shift();
    };
    let bytesDone = 0;

    try {
      for await (const events of reader.messageChunks()) {
        for (const ev of events) {
          switch (ev.type) {
            case "skipped":
              // Not a day file, so not part of the progress total either.
              skip(`file not part of the export (${ev.reason})`);
              break;
            case "file-done":
            case "file-error":
              report.files++;
              bytesDone += ev.bytes;
              if (ev.type === "file-error" && report.fileErrors.length < maxErrors)
                report.fileErrors.push({ file: ev.file, error: ev.error });
              options.onProgress?.(bytesDone, total, report.messages);
              break;
            case "invalid-message":
              skip("invalid message entry");
              if (report.invalidMessages.length < maxErrors)
                report.invalidMessages.push({ file: ev.file, index: ev.index, error: ev.error });
              break;
            case "message": {
              const m = ev.message;
              const cls = classifyMessage(m);
              if (cls !== "message") {
                skip(describeSkip(cls));
                break;
              }
              const msg = toIncomingMessage(ws, ev.channel.id, m, refs);
              if (msg.at.getTime() < cutoffMs) {
                report.olderSkipped++;
                if (!report.oldestSkipped || msg.at < report.oldestSkipped) report.oldestSkipped = msg.at;
                break;
              }
              pending.push(msg);
              pendingText += msg.text.length;
              report.messages++;
              if (pending.length >= batchSize || pendingText >= maxBatchText) await dispatch();
              break;
            }
          }
        }
      }
      await dispatch();
      await lastWrite;
    } catch (error) {
      // Nothing may go on writing after the import has failed: let the batches in flight settle.
      await Promise.allSettled([lastResolve, lastWrite]);
      throw error;
    }
    report.metadataIssues = [...reader.issues];
    // The most discussed candidates, put to the admins in one review (app/review.ts).
    const review = await service.openImportReview(ws);
    report.review = review ? { people: review.items.length, admins: review.recipients.length } : null;
    report.durationMs = Date.now() - started;
    return report;
  } finally {
    await pool?.close();
    await reader.close();
  }
}

/**
 * The export's workspace: found by team id, or created with the name and time zone the export
 * gives (exportWorkspaceName, exportTimeZone). A workspace that exists keeps the name and time
 * zone someone chose, except the ones an earlier import could only guess: no name, or the bare
 * folder name, and "UTC" (the default, which a team spread over real places rarely picks).
 */
async function workspaceForExport(
  service: OfflineService,
  path: string,
  users: Parameters<typeof exportTimeZone>[0],
  teamId: string | undefined,
): Promise<{ ws: Workspace; info: ImportReport["workspaceInfo"] }> {
  const folder = basename(path).replace(/\.zip$/i, "");
  const externalId = teamId ?? `export:${folder}`;
  const name = exportWorkspaceName(users, path);
  const tz = exportTimeZone(users, isValidTimeZone);
  const existing = await service.store.findWorkspace("slack", externalId);
  const info: ImportReport["workspaceInfo"] = {};
  if (!existing) {
    info.name = { value: name.name, from: name.from };
    if (tz) info.timezone = { value: tz.timezone, members: tz.members, of: tz.of };
    const ws = await service.store.upsertWorkspace({
      platform: "slack",
      externalId,
      name: name.name,
      ...(tz ? { timezone: tz.timezone } : {}),
    });
    return { ws, info };
  }
  // Clears an uninstall mark, as before; the name is left alone here.
  let ws = await service.store.upsertWorkspace({ platform: "slack", externalId });
  const patch: { name?: string; timezone?: string } = {};
  if ((ws.name === "" || ws.name === folder) && name.name !== ws.name) {
    patch.name = name.name;
    info.name = { value: name.name, from: name.from };
  }
  if (tz && ws.timezone === "UTC" && tz.timezone !== "UTC") {
    patch.timezone = tz.timezone;
    info.timezone = { value: tz.timezone, members: tz.members, of: tz.of };
  }
  if (patch.name !== undefined || patch.timezone !== undefined)
    ws = await service.store.updateWorkspace(ws.id, patch);
  return { ws, info };
}

const DAY_MS = 86_400_000;

/**
 * From when messages are imported. By default the workspace's retention window: older mentions
 * would be deleted by the next housekeeping run without a word. `since` overrides it and, when it
 * reaches back further, extends the workspace's retention so housekeeping keeps what was asked for.
 */
async function applyCutoff(
  service: OfflineService,
  ws: Workspace,
  now: Date,
  since: Date | undefined,
): Promise<{
  ws: Workspace;
  cutoff: ImportReport["cutoff"];
  retentionExtended?: ImportReport["retentionExtended"];
}> {
  const current = ws.settings.retentionDays;
  if (!since) {
    return { ws, cutoff: { at: addDays(now, -current), why: "retention", retentionDays: current } };
  }
  // Beyond the limit the settings would not parse (and fall back to defaults): cap it.
  const needed = Math.min(MAX_RETENTION_DAYS, Math.ceil((now.getTime() - since.getTime()) / DAY_MS));
  if (needed <= current) return { ws, cutoff: { at: since, why: "since", retentionDays: current } };
  const updated = await service.store.updateWorkspace(ws.id, {
    settings: { ...ws.settings, retentionDays: needed },
  });
  return {
    ws: updated,
    cutoff: { at: since, why: "since", retentionDays: needed },
    retentionExtended: { from: current, to: needed },
  };
}

/** One exported message as the core's IncomingMessage: the same shape a live Slack event becomes. */
export function toIncomingMessage(
  ws: Workspace,
  channelId: string,
  m: SlackMessage,
  refs: ReadonlyMap<string, PlatformUserRef>,
): IncomingMessage {
  const userId = messageUser(m) ?? "";
  const text = messageText(m) ?? "";
  return {
    workspaceId: ws.id,
    messageId: `${channelId}:${m.ts}`,
    channelId,
    author: refs.get(userId) ?? {
      platformUserId: userId,
      displayName: m.user_profile?.display_name || m.user_profile?.real_name || userId,
      external: false,
    },
    text,
    at: slackTsToDate(m.ts),
    source: "import",
    userRefs: mentionedUserIds(text).flatMap((id) => {
      const ref = refs.get(id);
      return ref ? [ref] : [];
    }),
  };
}
