import { parseArgs } from "node:util";
import { nodeFlagUnlessSet, rerunWith, serveWithOptions } from "./node-options.ts";

// take-it-offline <command>: the one command-line entry (bin/take-it-offline.js, npm scripts).
// Each command loads its modules when it runs (await import), so `help` loads nothing but this file
// and a command doesn't pay for the others' dependencies (zod schemas, Prisma, Bolt, the name model).

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
      return flag ? rerunWith([flag]) : (await import("./import-command.ts")).runImport(rest);
    }
    case "digest":
      return runDigest(rest);
    case "contacts":
      return (await import("./contacts-command.ts")).runContactsCommand(rest);
    case "detect":
      return (await import("./detect-command.ts")).runDetect();
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
  const { loadConfig } = await import("./config.ts");
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
  const { parseIsoWeek } = await import("./core/time.ts");
  if (values.week && !parseIsoWeek(values.week)) {
    console.error(`--week ${values.week} is not an ISO week; use YYYY-Www, e.g. 2026-W48.`);
    return 2;
  }
  const [{ openApp }, { loadConfig }] = await Promise.all([import("./app.ts"), import("./config.ts")]);
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

async function runServe(): Promise<number> {
  const [{ startServer }, { openApp }, { loadConfig }] = await Promise.all([
    import("./server.ts"),
    import("./app.ts"),
    import("./config.ts"),
  ]);
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
      // By name, as bin/ does: importing config.ts (and zod) here would slow every command.
      if (err instanceof Error && err.name === "ConfigError") console.error(err.message);
      else console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    },
  );
}
