import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { SERVE_MAX_SEMI_SPACE_MB } from "../../src/cli.ts";
import { FakeSlack } from "../../src/devtools/fake-slack.ts";
import { openSlackExport } from "../../src/import/slack-export.ts";
import { type Provider, sqlitePath } from "../../src/store/db.ts";
import { type BenchConfig, BIG_COMPANY, TARGETS } from "../config.ts";
import { childScript, runChild, startChild } from "../lib/child.ts";
import { type BenchDatabase, freshDatabase } from "../lib/databases.ts";
import { cpuSeconds } from "../lib/proc.ts";
import { type BenchRow, metric } from "../lib/report.ts";
import { CACHE_DIR, ensureExport } from "../lib/sample.ts";
import { writeEvents } from "../load/generate.ts";

// Signed `message` events over HTTP: our server (signature check, durable inbox write, detection,
// mentions) against a bare Bolt app that only acknowledges, both driven by the same load driver
// from a second process. Our throughput counts an event when its processing is recorded as done
// in the database (polled), not when it is acknowledged.

const SECRET = "bench-signing-secret";
const TOKEN = "xoxb-bench-token";
const POLL_MS = 20;

interface DriverResult {
  sent: number;
  ok: number;
  statuses: Record<string, number>;
  firstAttemptFailures: number;
  retried: number;
  startedAt: number;
  finishedAt: number;
  seconds: number;
  acksPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  peakRssMb: number;
}

interface LoadFiles {
  exportDir: string;
  eventsFile: string;
  events: number;
  teamId: string;
}

/** An export and its events file, generated once per size and kept in the bench cache. */
async function ensureLoad(events: number): Promise<LoadFiles> {
  // About 95% of the sample's messages are people talking; the rest (joins, bots) aren't events here.
  const sample = await ensureExport({ ...BIG_COMPANY, messages: Math.ceil(events * 1.15) + 100 });
  const eventsFile = join(CACHE_DIR, `${sample.dir.split("/").pop()}.events.jsonl`);
  const meta = `${eventsFile}.json`;
  if (existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, "utf8")) as LoadFiles;
    if (m.events >= events) return m;
  }
  const r = await writeEvents(sample.dir, eventsFile, SECRET);
  const files: LoadFiles = { exportDir: sample.dir, eventsFile, events: r.events, teamId: r.teamId };
  if (r.events < events) throw new Error(`the export has only ${r.events} message events; need ${events}`);
  writeFileSync(meta, JSON.stringify(files));
  return files;
}

/** Counts processed events straight from the database, from this process. */
interface EventCounter {
  counts(): Promise<{ done: number; failed: number; pending: number }>;
  close(): Promise<void>;
}

async function eventCounter(db: BenchDatabase): Promise<EventCounter> {
  const sql = `SELECT "status", COUNT(*) AS n FROM "ProcessedEvent" GROUP BY "status"`;
  const tally = (rows: Array<{ status: string; n: number | string }>) => {
    const by = new Map(rows.map((r) => [r.status, Number(r.n)]));
    return { done: by.get("done") ?? 0, failed: by.get("failed") ?? 0, pending: by.get("pending") ?? 0 };
  };
  if (db.provider === "postgresql") {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    return {
      counts: async () => tally((await client.query<{ status: string; n: string }>(sql)).rows),
      close: () => client.end(),
    };
  }
  // WAL: this reader never blocks the server's writes.
  const lite = new Sqlite(sqlitePath(db.url), { readonly: true, fileMustExist: true });
  const stmt = lite.prepare(sql);
  return {
    counts: async () => tally(stmt.all() as Array<{ status: string; n: number }>),
    close: async () => {
      lite.close();
    },
  };
}

async function waitFor(counter: EventCounter, total: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await counter.counts();
    if (c.done + c.failed >= total) return Date.now();
    if (Date.now() > deadline)
      throw new Error(
        `only ${c.done} of ${total} events processed (${c.failed} failed, ${c.pending} pending)`,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

interface SubjectResult {
  subject: string;
  /** Events/s over the warm-up: a fresh process and database. */
  cold: number;
  /** Events/s: persisted and processed (ours) or acknowledged (bare Bolt). */
  throughput: number[];
  acksPerSecond: number[];
  /** Server CPU time per event in the throughput runs: steadier than rates on a shared machine. */
  cpuMsPerEvent: number[];
  p50: number[];
  p99: number[];
  failed: number;
  /** Requests still not answered 200 after the driver's retries. */
  non200: number;
  /** Deliveries repeated because the first answer wasn't 200 (as Slack would). */
  retried: number;
  serverPeakRssMb: number;
}

export async function ingestionSuite(
  config: BenchConfig,
  providers: Provider[],
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const c = config.ingestion;
  const perRate = Math.round(c.rate * c.rateSeconds);
  const load = await ensureLoad(c.warmup + c.runs * c.events + c.rateRuns * perRate);
  const fake = await FakeSlack.start({ teamId: load.teamId });
  const reader = await openSlackExport(load.exportDir);
  for (const u of await reader.users()) fake.addUser(u);
  await reader.close();

  const driver = (from: number, count: number, mode: string[], url: string) =>
    runChild<DriverResult>(
      childScript("load-driver.ts"),
      [
        "--url",
        url,
        "--events",
        load.eventsFile,
        "--from",
        String(from),
        "--count",
        String(count),
        "--secret",
        SECRET,
        ...mode,
      ],
      { timeoutMs: 600_000 },
    );

  const runSubject = async (subject: string, provider: Provider | null): Promise<SubjectResult> => {
    const db = provider ? await freshDatabase(provider, "ingest") : null;
    const env = {
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: fake.url,
      LOG_LEVEL: "error",
      ...(db ? { DATABASE_URL: db.url } : {}),
    };
    const server = startChild<{ peakRssMb: number }>(
      childScript(provider ? "server.ts" : "bolt-server.ts"),
      [],
      {
        env,
        timeoutMs: 1_800_000,
        // BENCH_CPU_PROF=<dir>: a V8 CPU profile of each server, to find where an event's time goes.
        nodeFlags: [
          // Our server as `take-it-offline serve` runs it; bare Bolt as any Bolt app starts.
          ...(provider ? [`--max-semi-space-size=${SERVE_MAX_SEMI_SPACE_MB}`] : []),
          ...(process.env.BENCH_CPU_PROF
            ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
            : []),
          ...(process.env.BENCH_SERVER_IMPORT ? ["--import", process.env.BENCH_SERVER_IMPORT] : []),
        ],
      },
    );
    let counter: EventCounter | null = null;
    const out: SubjectResult = {
      subject,
      cold: Number.NaN,
      throughput: [],
      acksPerSecond: [],
      cpuMsPerEvent: [],
      p50: [],
      p99: [],
      failed: 0,
      non200: 0,
      retried: 0,
      serverPeakRssMb: Number.NaN,
    };
    try {
      const { port } = (await server.ready) as { port: number };
      const url = `http://127.0.0.1:${port}/slack/events`;
      counter = db ? await eventCounter(db) : null;
      let expected = 0;
      const settle = async (count: number) => {
        expected += count;
        return counter ? waitFor(counter, expected, 30_000) : Date.now();
      };
      const check = (r: DriverResult) => {
        out.non200 += r.sent - r.ok;
        out.retried += r.retried;
      };
      // Warm-up: connections, JIT, the detection worker and, on a fresh database, the first
      // sightings of the sample's people (a few hundred new contacts). Reported as the cold start;
      // the runs after it are the steady state the target is about.
      let offset = 0;
      const cold = await driver(offset, c.warmup, ["--connections", String(c.connections)], url);
      check(cold);
      const coldDone = await settle(c.warmup);
      out.cold = counter ? c.warmup / ((coldDone - cold.startedAt) / 1000) : cold.acksPerSecond;
      offset += c.warmup;
      log(`ingestion ${subject} cold start: ${Math.round(out.cold)} events/s over the first ${c.warmup}`);

      for (let i = 0; i < c.runs; i++) {
        const cpuBefore = cpuSeconds(server.pid);
        const r = await driver(offset, c.events, ["--connections", String(c.connections)], url);
        check(r);
        const doneAt = await settle(c.events);
        out.cpuMsPerEvent.push(((cpuSeconds(server.pid) - cpuBefore) / c.events) * 1000);
        offset += c.events;
        const seconds = counter ? (doneAt - r.startedAt) / 1000 : r.seconds;
        out.throughput.push(c.events / seconds);
        out.acksPerSecond.push(r.acksPerSecond);
        log(
          `ingestion ${subject} run ${i + 1}/${c.runs}: ${Math.round(c.events / seconds)} events/s (acks ${Math.round(r.acksPerSecond)}/s)`,
        );
      }
      for (let i = 0; i < c.rateRuns; i++) {
        const r = await driver(offset, perRate, ["--rate", String(c.rate)], url);
        check(r);
        await settle(perRate);
        offset += perRate;
        out.p50.push(r.latencyMs.p50);
        out.p99.push(r.latencyMs.p99);
        log(
          `ingestion ${subject} at ${c.rate}/s: p50 ${r.latencyMs.p50.toFixed(1)} ms, p99 ${r.latencyMs.p99.toFixed(1)} ms`,
        );
      }
      out.failed = counter ? (await counter.counts()).failed : 0;
    } finally {
      await counter?.close();
      server.kill();
      out.serverPeakRssMb = (await server.result.catch(() => ({ peakRssMb: Number.NaN }))).peakRssMb;
      await db?.drop();
    }
    return out;
  };

  const rows: BenchRow[] = [];
  try {
    const bolt = await runSubject("bare Bolt", null);
    const subjects = [bolt];
    for (const p of providers) subjects.push(await runSubject(p, p));
    const boltMedian =
      [...bolt.throughput].sort((a, b) => a - b)[Math.floor(bolt.throughput.length / 2)] ?? Number.NaN;
    for (const s of subjects) {
      const ours = s !== bolt;
      const pgRow = s.subject === "postgresql";
      rows.push({
        benchmark: `ingestion: signed message events over HTTP (${c.connections} connections)`,
        subject: s.subject,
        params: {
          events: c.events,
          runs: c.runs,
          connections: c.connections,
          rate: c.rate,
          rateSeconds: c.rateSeconds,
        },
        metrics: [
          metric(ours ? "events/s processed and stored" : "events/s acknowledged", "events/s", s.throughput),
          metric(`cold start: events/s over the first ${c.warmup} (not a target)`, "events/s", [s.cold]),
          ...(ours
            ? [
                metric("acks/s seen by the driver", "acks/s", s.acksPerSecond),
                metric(
                  "vs bare Bolt (same run)",
                  "×",
                  s.throughput.map((v, i) => v / (bolt.throughput[i] ?? boltMedian)),
                  { digits: 2, ...(pgRow ? { atLeast: TARGETS.ingestionVsBolt } : {}) },
                ),
              ]
            : []),
          metric("server CPU per event", "ms", s.cpuMsPerEvent, { digits: 2 }),
          metric(`p50 ack latency at ${c.rate}/s`, "ms", s.p50, { digits: 1 }),
          metric(`p99 ack latency at ${c.rate}/s`, "ms", s.p99, {
            digits: 1,
            ...(pgRow ? { below: TARGETS.ingestionP99Ms } : {}),
          }),
          metric("server peak RSS", "MB", [s.serverPeakRssMb]),
        ],
        notes: [
          ...(s.non200 > 0 ? [`${s.non200} requests were not answered 200 even after retries`] : []),
          ...(s.retried > 0 ? [`${s.retried} deliveries were retried after a non-200 answer`] : []),
          ...(s.failed > 0 ? [`${s.failed} events failed processing`] : []),
        ],
      });
    }
    const unexpected = fake.calls.filter((call) => call.status !== 200).length;
    if (unexpected > 0) rows[0]?.notes?.push(`fake Slack answered ${unexpected} calls with an error status`);
  } finally {
    await fake.close();
  }
  return rows;
}
