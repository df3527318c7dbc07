import { cpSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { eventEnvelope, postToSlackApp } from "../devtools/slack-signing.ts";
import type { SlackExportReader } from "../import/slack-export.ts";

// Replays a Slack export into a running Slack app as the Events API would have delivered it:
// one signed `message` event per message in the channels the bot would be in (public and private
// channels; DMs and group DMs are never delivered to it). Every event costs a few database writes
// (the durable inbox, then the mentions), so the demo imports older history in bulk and replays
// only the recent weeks live.

export interface ReplayReport {
  events: number;
  /** HTTP status → count. */
  statuses: Record<number, number>;
  skipped: number;
  durationMs: number;
}

export interface ReplayOptions {
  /** http://127.0.0.1:PORT/slack/events */
  url: string;
  signingSecret: string;
  teamId: string;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Only messages at or after this instant (older history is imported in bulk instead). */
  since?: Date;
}

/**
 * A copy of the export with only the day files before `cutoff` (YYYY-MM-DD) and all metadata, for
 * a bulk import of the history before the live replay.
 */
export function exportBefore(exportDir: string, cutoff: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  cpSync(exportDir, target, {
    recursive: true,
    filter: (src) => {
      const day = /(\d{4}-\d{2}-\d{2})\.json$/.exec(basename(src))?.[1];
      return !day || day < cutoff;
    },
  });
}

export async function replayExport(reader: SlackExportReader, o: ReplayOptions): Promise<ReplayReport> {
  const started = Date.now();
  const report: ReplayReport = { events: 0, statuses: {}, skipped: 0, durationMs: 0 };
  const inFlight = new Set<Promise<void>>();
  let seq = 0;
  for await (const e of reader.messages()) {
    if (e.type !== "message") continue;
    if (o.since && Number(e.message.ts) * 1000 < o.since.getTime()) continue;
    if (e.channel.kind !== "public" && e.channel.kind !== "private") {
      report.skipped++;
      continue;
    }
    const { user_profile: _profile, files: _files, ...message } = e.message;
    const event = {
      ...message,
      type: "message",
      channel: e.channel.id,
      channel_type: e.channel.kind === "private" ? "group" : "channel",
    };
    const body = eventEnvelope(event, {
      teamId: o.teamId,
      eventId: `EvDEMO${String(++seq).padStart(7, "0")}`,
    });
    const p = postToSlackApp(o.url, o.signingSecret, { kind: "json", body }).then(
      (res) => {
        report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
      },
      () => {
        report.statuses[0] = (report.statuses[0] ?? 0) + 1;
      },
    );
    report.events++;
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= (o.concurrency ?? 8)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  report.durationMs = Date.now() - started;
  return report;
}
