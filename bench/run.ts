// npm run bench [-- --quick] [--only detection,import,digest,dashboard,ingestion,startup] [--db sqlite,postgresql]
// Runs the benchmarks one after the other (never in parallel: two cores), prints a Markdown table
// and writes data/bench/bench-<mode>-<time>.json and data/bench/latest.json. See bench/README.md.
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import type { Provider } from "../src/store/db.ts";
import { type BenchConfig, FULL, QUICK } from "./config.ts";
import { PG_ADMIN_URL, postgresAvailable } from "./lib/databases.ts";
import { type BenchReport, type BenchRow, environment, markdownTable, writeReport } from "./lib/report.ts";
import { BENCH_DIR } from "./lib/sample.ts";
import { dashboardSuite } from "./suites/dashboard.ts";
import { detectionSuite } from "./suites/detection.ts";
import { digestSuite } from "./suites/digest.ts";
import { fanoutSuite } from "./suites/fanout.ts";
import { importSuite } from "./suites/import.ts";
import { ingestionSuite } from "./suites/ingestion.ts";
import { startupSuite } from "./suites/startup.ts";

const SUITES = ["detection", "ingestion", "import", "digest", "dashboard", "fanout", "startup"] as const;
type SuiteName = (typeof SUITES)[number];

async function postgresVersion(): Promise<string | null> {
  if (!(await postgresAvailable())) return null;
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    const r = await client.query<{ server_version: string }>("SHOW server_version");
    return `PostgreSQL ${r.rows[0]?.server_version ?? "?"}`;
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean" },
      only: { type: "string" },
      db: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: npm run bench -- [--quick] [--only detection,ingestion,import,digest,dashboard,fanout,startup] [--db sqlite,postgresql]",
    );
    return;
  }
  const config: BenchConfig = values.quick ? QUICK : FULL;
  const only = (values.only?.split(",").map((s) => s.trim()) ?? [...SUITES]) as SuiteName[];
  for (const s of only)
    if (!SUITES.includes(s)) throw new Error(`unknown benchmark "${s}" (have: ${SUITES.join(", ")})`);
  const pgVersion = await postgresVersion();
  let providers = (values.db?.split(",").map((s) => s.trim()) ?? ["sqlite", "postgresql"]) as Provider[];
  if (!pgVersion && providers.includes("postgresql")) {
    console.error(`PostgreSQL at ${PG_ADMIN_URL} is not reachable: running SQLite only (set BENCH_PG_URL)`);
    providers = providers.filter((p) => p !== "postgresql");
  }

  const env = environment(pgVersion);
  const started = performance.now();
  const log = (line: string) =>
    console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  log(
    `${config.mode} bench: ${only.join(", ")} on ${providers.join(", ")}; load average ${env.loadAverageAtStart.join(" ")}`,
  );

  const rows: BenchRow[] = [];
  const attempt = async (name: string, fn: () => Promise<BenchRow[]>) => {
    try {
      rows.push(...(await fn()));
    } catch (err) {
      // One failing benchmark is reported in the table; the others still run.
      const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
      log(`${name} FAILED: ${error}`);
      rows.push({ benchmark: name, subject: "–", params: {}, metrics: [], error });
    }
  };
  for (const suite of SUITES) {
    if (!only.includes(suite)) continue;
    if (suite === "detection") await attempt(suite, () => detectionSuite(config, log));
    if (suite === "ingestion") await attempt(suite, () => ingestionSuite(config, providers, log));
    if (suite === "import") await attempt(suite, () => importSuite(config, providers, log));
    if (suite === "digest") await attempt(suite, () => digestSuite(config, providers, log));
    if (suite === "dashboard") await attempt(suite, () => dashboardSuite(config, providers, log));
    if (suite === "fanout") {
      if (providers.includes("postgresql")) await attempt(suite, () => fanoutSuite(config, log));
      else log("fanout skipped: it needs PostgreSQL");
    }
    if (suite === "startup") await attempt(suite, () => startupSuite(config, log));
  }

  env.loadAverageAtEnd = loadavg().map((v) => Math.round(v * 100) / 100);
  const report: BenchReport = {
    mode: config.mode,
    environment: env,
    durationSeconds: (performance.now() - started) / 1000,
    rows,
  };
  const { file } = writeReport(BENCH_DIR, report);
  console.log(markdownTable(report));
  console.log(`\nJSON: ${file}`);
  if (rows.some((r) => r.error)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
