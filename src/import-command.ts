import { z } from "zod";
import { IsoDay, parseFlags, UsageError, validated, withUsage } from "./cli-args.ts";
import { loadConfig } from "./config.ts";
import { MAX_DETECTION_TEXT } from "./core/detect/limit.ts";
import { MAX_RETENTION_DAYS } from "./core/settings.ts";
import type { ImportReport } from "./import/run.ts";

// `take-it-offline import`: a Slack export into the database, and its report in words.

const IMPORT_USAGE = "Usage: take-it-offline import <slack-export-folder-or-zip> [--since YYYY-MM-DD]";

const ImportArgs = z.object({
  since: IsoDay.optional(),
});

export function runImport(args: string[]): Promise<number> {
  return withUsage(IMPORT_USAGE, async () => {
    const { positionals, values } = parseFlags(args, { since: { type: "string" } }, true);
    const path = positionals[0];
    if (!path) throw new UsageError("Which export? Give the export's folder or .zip");
    if (positionals.length > 1) throw new UsageError(`One export at a time (got ${positionals.length})`);
    const { since } = validated(ImportArgs, values);
    if (since) {
      const days = (Date.now() - since.getTime()) / 86_400_000;
      if (days < 0) throw new UsageError("--since: that date is in the future");
      // Retention can reach back this far, so --since can too.
      if (days > MAX_RETENTION_DAYS) throw new UsageError("--since: at most 100 years back");
    }
    return importCommand(path, since);
  });
}

async function importCommand(path: string, since: Date | undefined): Promise<number> {
  const [{ openApp }, { importSlackExport }, { SlackExportError }, { startProgress }] = await Promise.all([
    import("./app.ts"),
    import("./import/run.ts"),
    import("./import/slack-export.ts"),
    import("./progress.ts"),
  ]);
  const app = await openApp(loadConfig());
  const progress = startProgress("Importing", process.stderr);
  try {
    let report: ImportReport;
    try {
      report = await importSlackExport(app.service, path, {
        onProgress: (done, total, messages) => progress.update(done, total, { messages }),
        ...(since ? { since } : {}),
      });
    } catch (error) {
      // One plain line for the person running the import, not a stack trace: what failed and,
      // for a bad archive, which entry (SlackExportError's message names it).
      progress.stop();
      console.error(`Import failed: ${importFailure(error, error instanceof SlackExportError)}`);
      return 1;
    }
    progress.stop();
    const rate =
      report.durationMs > 0 ? Math.round((report.messages / report.durationMs) * 1000) : report.messages;
    console.log(
      `Imported ${path} into workspace "${report.workspace.name}" ${report.workspace.externalId} (${report.workspace.id})`,
    );
    for (const line of importNotes(report, path)) console.log(`  ${line}`);
    console.log(
      `  files: ${report.files}, messages: ${report.messages} (${rate}/s), mentions added: ${report.mentionsAdded}, removed: ${report.mentionsRemoved}`,
    );
    console.log(`  members: ${report.members}, external users: ${report.externalUsers}`);
    if (report.review)
      console.log(
        `  review: the ${report.review.people} people mentioned most that nobody confirmed yet go to ${report.review.admins} admin${report.review.admins === 1 ? "" : "s"} with the next prompt sweep (Track / Not external / Ignore); an admin can also run /offline review`,
      );
    if (report.truncatedMessages > 0)
      console.log(
        `  long messages: ${report.truncatedMessages} (longer than ${MAX_DETECTION_TEXT.toLocaleString("en")} characters; only their start was read)`,
      );
    const skipped = Object.entries(report.skipped).sort((a, b) => b[1] - a[1]);
    if (skipped.length) {
      console.log("  skipped:");
      for (const [reason, n] of skipped) console.log(`    ${n} × ${reason}`);
    }
    for (const e of report.fileErrors) console.log(`  ! ${e.file}: ${e.error}`);
    for (const e of report.invalidMessages) console.log(`  ! ${e.file} [${e.index}]: ${e.error}`);
    for (const e of report.metadataIssues)
      console.log(`  ! ${e.file}${e.index !== undefined ? ` [${e.index}]` : ""}: ${e.error}`);
    return report.fileErrors.length ? 1 : 0;
  } finally {
    progress.stop();
    await app.close();
  }
}

/** What the import decided on the person's behalf, in words: workspace name and zone, what was left out. */
export function importNotes(report: ImportReport, path: string): string[] {
  const lines: string[] = [];
  const { name, timezone } = report.workspaceInfo;
  if (name)
    lines.push(
      `name: "${name.value}" (${name.from === "enterprise" ? "the organization named on its users" : "from the export's file name; no file in an export names the workspace"})`,
    );
  if (timezone)
    lines.push(
      `time zone: ${timezone.value} (the most common among members: ${timezone.members} of ${timezone.of})`,
    );
  const day = (at: Date) => at.toISOString().slice(0, 10);
  const { cutoff } = report;
  if (report.retentionExtended)
    lines.push(
      `retention extended from ${report.retentionExtended.from} to ${report.retentionExtended.to} days so that mentions since ${day(cutoff.at)} are kept (older ones leave the window day by day)`,
    );
  if (report.olderSkipped > 0 && report.oldestSkipped) {
    const why =
      cutoff.why === "retention"
        ? `older than the workspace's retention window of ${cutoff.retentionDays} days (before ${day(cutoff.at)}), which housekeeping would delete anyway`
        : `from before --since ${day(cutoff.at)}`;
    lines.push(
      `left out ${report.olderSkipped} message${report.olderSkipped === 1 ? "" : "s"} ${why}; to include them: take-it-offline import ${shellWord(path)} --since ${day(report.oldestSkipped)}`,
    );
  }
  return lines;
}

/** A path as one word a shell reads back unchanged. */
function shellWord(value: string): string {
  return /^[\w./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * An import failure as one line. Errors of our own (`ours`: SlackExportError, whose message names
 * the failing entry) carry a message meant for people; others get their name.
 */
function importFailure(error: unknown, ours: boolean): string {
  if (ours && error instanceof Error) return error.message;
  if (error instanceof Error)
    return `${error.name}: ${error.message
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .join(" ")}`;
  return String(error);
}
