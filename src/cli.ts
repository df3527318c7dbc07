import { parseArgs } from "node:util";
import { z } from "zod";
import { IsoDay, parseFlags, UsageError, validated, withUsage } from "./cli-args.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { MAX_DETECTION_TEXT } from "./core/detect/limit.ts";
import { MAX_RETENTION_DAYS } from "./core/settings.ts";
import { parseIsoWeek } from "./core/time.ts";
import { LongStringCutter, MAX_JSON_STRING_BYTES } from "./import/long-strings.ts";
import type { ImportReport } from "./import/run.ts";
import { nodeFlagUnlessSet, rerunWith, serveWithOptions } from "./node-options.ts";

// take-it-offline <command>: the one command-line entry (bin/take-it-offline.js, npm scripts).

const USAGE = `Usage: take-it-offline <command> [options]

Commands:
  serve                          Run the bot: Slack (/slack/events), Teams (/api/messages), /healthz, scheduler
  migrate                        Apply database migrations (DATABASE_URL; default ./data/take-it-offline.db)
  import <export-dir-or-zip> [--since YYYY-MM-DD]
                                 Import a Slack workspace export (idempotent); by default only the
                                 messages the workspace's retention window keeps (365 days)
  contacts [--status tracked|candidate|ignored] [--all] [--since YYYY-MM-DD] [--json] [--workspace ID]
                                 The people found: tracked and candidates mentioned within the
                                 retention window; --all: every status, all time; --json: JSON lines
  digest --preview [--week YYYY-Www] [--workspace ID]
                                 Print the weekly digest
  detect                         Read JSON lines {"id","text"} on stdin, write detected contacts as JSON lines
  demo                           Run the whole product on sample data against an embedded database
  jobs [--json]                  Scheduled jobs: last run (any replica) and next run; next digest per workspace
  help                           Show this help

Environment: see .env.example. Everything is optional for demo, migrate, import, digest and detect.`;

/**
 * `entry`: main() runs as the process's own command line (bin/, `tsx src/cli.ts`), so a command may
 * start the same command line again in a new process with other Node options (see rerunWith).
 */
export async function main(argv: string[], entry = false): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "help":
    case "--help":
    case "-h":
      console.log(USAGE);
      return 0;
    case "migrate":
      return runMigrate();
    case "import": {
      const flag = entry ? nodeFlagUnlessSet("--max-old-space-size", IMPORT_MAX_OLD_SPACE_MB) : null;
      return flag ? rerunWith([flag]) : runImport(rest);
    }
    case "digest":
      return runDigest(rest);
    case "contacts":
      return (await import("./contacts-command.ts")).runContactsCommand(rest);
    case "detect":
      return runDetect();
    case "serve":
      return (entry ? serveWithOptions() : null) ?? runServe();
    case "demo": {
      const { runDemo } = await import("./demo/index.ts");
      return runDemo(rest);
    }
    case "jobs":
      return (await import("./scheduler/cli.ts")).runJobsCommand(rest);
    default:
      console.error(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

async function runMigrate(): Promise<number> {
  const config = loadConfig();
  const { migrate } = await import("./store/migrate.ts");
  const result = await migrate(config.DATABASE_URL);
  console.log(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s): ${result.applied.join(", ")}`
      : `Database is up to date (${result.alreadyApplied.length} migration(s)).`,
  );
  return 0;
}

/**
 * The import streams, so what it keeps is tens of MB; but on a machine with plenty of memory V8
 * lets the heap grow by hundreds of MB of garbage before it collects. On a 1M-message import: no
 * cap 530 MB peak RSS; 384 MB cap 415–430 MB at 90% of the speed; 256 MB cap 390 MB at 80% (more
 * collections).
 */
export const IMPORT_MAX_OLD_SPACE_MB = 384;

const IMPORT_USAGE = "Usage: take-it-offline import <slack-export-folder-or-zip> [--since YYYY-MM-DD]";

const ImportArgs = z.object({
  since: IsoDay.optional(),
});

function runImport(args: string[]): Promise<number> {
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

async function runDigest(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      preview: { type: "boolean", default: false },
      week: { type: "string" },
      workspace: { type: "string" },
    },
  });
  if (!values.preview) {
    console.error(
      "Usage: take-it-offline digest --preview [--week YYYY-Www] [--workspace ID]\n(Posting happens from the bot: /offline digest now, or the schedule.)",
    );
    return 2;
  }
  if (values.week && !parseIsoWeek(values.week)) {
    console.error(`--week ${values.week} is not an ISO week; use YYYY-Www, e.g. 2026-W48.`);
    return 2;
  }
  const { openApp } = await import("./app.ts");
  const app = await openApp(loadConfig());
  try {
    const all = await app.store.listActiveWorkspaces();
    const workspaces = values.workspace
      ? all.filter((w) => w.id === values.workspace || w.externalId === values.workspace)
      : all;
    if (workspaces.length === 0) {
      console.error(
        values.workspace
          ? `No workspace ${values.workspace}.`
          : "No workspaces yet. Import an export or install the app first.",
      );
      return 1;
    }
    for (const ws of workspaces) {
      const view = await app.service.digestView(ws, values.week);
      console.log(view.fallbackText);
      console.log("");
    }
    return 0;
  } finally {
    await app.close();
  }
}

const DetectLine = z.object({ id: z.union([z.string(), z.number()]), text: z.string() });

/**
 * A line of `detect` input longer than this (after its strings were cut, see below) is skipped
 * with an error rather than read into memory.
 */
export const MAX_DETECT_LINE_BYTES = 64 * 1024 * 1024;

/**
 * `detect`: JSON lines in, JSON lines out. Each text is read up to MAX_DETECTION_TEXT units; a
 * longer one is answered for that part, with "truncated": true. Memory stays bounded whatever
 * comes in: strings are cut (LongStringCutter) before a line is put together, and a line still
 * longer than MAX_DETECT_LINE_BYTES is skipped.
 */
async function runDetect(): Promise<number> {
  const { detect, isOverDetectionCap } = await import("./core/detect/index.ts");
  const input = process.stdin.pipe(new LongStringCutter(MAX_JSON_STRING_BYTES, true));
  let bad = 0;
  let lineNo = 0;
  for await (const line of boundedLines(input, MAX_DETECT_LINE_BYTES)) {
    lineNo++;
    if (line === null) {
      bad++;
      console.error(`line ${lineNo}: longer than ${MAX_DETECT_LINE_BYTES / 1024 / 1024} MB; skipped`);
      continue;
    }
    if (!line.trim()) continue;
    let parsed: z.infer<typeof DetectLine>;
    try {
      parsed = DetectLine.parse(JSON.parse(line));
    } catch (err) {
      bad++;
      const why =
        err instanceof z.ZodError ? 'expected {"id": string|number, "text": string}' : "not valid JSON";
      console.error(`line ${lineNo}: ${why}; skipped`);
      continue;
    }
    const contacts = detect(parsed.text).map(({ kind, text, start, end }) => ({ kind, text, start, end }));
    const truncated = isOverDetectionCap(parsed.text) ? { truncated: true } : {};
    process.stdout.write(`${JSON.stringify({ id: parsed.id, contacts, ...truncated })}\n`);
  }
  return bad > 0 ? 1 : 0;
}

/** The stream's lines (without "\n" or "\r\n"), as UTF-8; null for a line over `maxBytes`, which is not kept. */
export async function* boundedLines(
  input: AsyncIterable<Buffer | string>,
  maxBytes: number,
): AsyncGenerator<string | null, void, undefined> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const take = (): string | null => {
    const line = tooLong ? null : Buffer.concat(parts).toString("utf8").replace(/\r$/, "");
    parts = [];
    size = 0;
    tooLong = false;
    return line;
  };
  for await (const data of input) {
    const chunk = typeof data === "string" ? Buffer.from(data) : data;
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl >= 0; nl = chunk.indexOf(0x0a, from)) {
      if (!tooLong && size + (nl - from) <= maxBytes) parts.push(chunk.subarray(from, nl));
      else tooLong = true;
      yield take();
      from = nl + 1;
    }
    if (from < chunk.length && !tooLong) {
      size += chunk.length - from;
      if (size > maxBytes) {
        tooLong = true;
        parts = [];
      } else parts.push(chunk.subarray(from));
    }
  }
  if (size > 0 || tooLong) yield take();
}

async function runServe(): Promise<number> {
  const [{ startServer }, { openApp }] = await Promise.all([import("./server.ts"), import("./app.ts")]);
  const app = await openApp(loadConfig());
  // A stray rejection from one request or job must not take the whole bot down; log it loudly.
  process.on("unhandledRejection", (err) => app.log.error("unhandled rejection", { err }));
  const running = await startServer(app);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      app.log.info("shutting down", { signal });
      running.stop().then(resolve, resolve);
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
  return 0;
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  main(process.argv.slice(2), true).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof ConfigError) console.error(err.message);
      else console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}
