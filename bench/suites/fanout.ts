import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import pg from "pg";
import { FakeSlack, SLACK_RATE_LIMITS } from "../../src/devtools/fake-slack.ts";
import type { BenchConfig } from "../config.ts";
import { freshDatabase } from "../lib/databases.ts";
import { treeCpuSeconds } from "../lib/proc.ts";
import { type BenchRow, metric } from "../lib/report.ts";
import { seedFanout } from "../lib/seed-fanout.ts";

// Many workspaces, one hour: N workspaces whose weekly digests all fall due at the same instant,
// three replicas of `take-it-offline serve` on one PostgreSQL database, and a fake Slack that
// enforces Slack's published rate limits per workspace and method (429 + Retry-After beyond).
// The replicas start together; start-up catch-up claims the digest and nudge-sweep slots (one
// replica each), which enqueue one job per workspace; every replica works the queues.
//
// Measured from the database and from what the fake Slack accepted: every digest posted exactly
// once (Digest rows and channel posts), the time from the digest slot's claim to the last post,
// how many posts Slack refused (429) on the way, how the posts spread over the replicas, and how
// long the nudge-sweep slot took from its claim until its last workspace was done.

const ROOT = resolve(import.meta.dirname, "../..");
const CLI = ["--import", "tsx", join(ROOT, "src", "cli.ts"), "serve"];
const REPLICAS = 3;

interface Replica {
  id: string;
  child: ChildProcess;
  digests: number;
  /** CPU seconds of earlier incarnations (a replica restarted for the second sweep). */
  cpu: number;
  exited: Promise<number | null>;
}

export async function fanoutSuite(config: BenchConfig, log: (line: string) => void): Promise<BenchRow[]> {
  const c = config.fanout;
  const rows: BenchRow[] = [];
  // BENCH_FANOUT_MODES=pg-boss,inline adds the comparison with the slot's claimant doing it all.
  const modes = process.env.BENCH_FANOUT_MODES
    ? (process.env.BENCH_FANOUT_MODES.split(",").map((m) => m.trim()) as Array<"pg-boss" | "inline">)
    : c.modes;
  for (const m of modes) if (m !== "pg-boss" && m !== "inline") throw new Error(`unknown fan-out mode ${m}`);
  // BENCH_FANOUT_WORKSPACES overrides the size (the test suite's 30 up to the issue's 2,000).
  const workspaces = Number(process.env.BENCH_FANOUT_WORKSPACES ?? c.workspaces);
  for (const mode of modes) rows.push(await fanoutRun(workspaces, mode, c.timeoutSeconds, log));
  return rows;
}

async function fanoutRun(
  workspaces: number,
  mode: "pg-boss" | "inline",
  timeoutSeconds: number,
  log: (line: string) => void,
): Promise<BenchRow> {
  const db = await freshDatabase("postgresql", "fanout");
  const slack = await FakeSlack.start({ rateLimits: SLACK_RATE_LIMITS });
  const key = randomBytes(32);
  const replicas: Replica[] = [];
  try {
    const seed = await seedFanout(db.url, { workspaces, now: new Date(), key, seed: 19 });
    for (const t of seed.teams) {
      slack.registerToken(t.token, { teamId: t.teamId, teamName: t.teamId });
      for (const id of t.userIds) slack.addUser({ id, team_id: t.teamId });
    }
    log(
      `fanout ${mode}: seeded ${workspaces} workspaces, ${seed.members.toLocaleString("en-US")} members, ${seed.mentions.toLocaleString("en-US")} mentions in ${seed.seconds.toFixed(0)} s`,
    );
    const start = (id: string): Replica => {
      const child = spawn(process.execPath, CLI, {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          DATABASE_URL: db.url,
          PORT: "0",
          HOST: "127.0.0.1",
          LOG_LEVEL: "info",
          INSTANCE_ID: id,
          SLACK_SIGNING_SECRET: "bench-signing-secret",
          SLACK_CLIENT_ID: "bench-client",
          SLACK_CLIENT_SECRET: "bench-secret",
          SLACK_STATE_SECRET: "bench-state-secret",
          TOKEN_ENCRYPTION_KEY: key.toString("hex"),
          SLACK_API_URL: slack.url,
          JOB_QUEUE: mode,
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      const r: Replica = {
        id,
        child,
        digests: 0,
        cpu: 0,
        exited: new Promise((res) => child.once("exit", (code) => res(code))),
      };
      let tail = "";
      child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (tail + chunk).split("\n");
        tail = lines.pop() ?? "";
        for (const line of lines) {
          if (line.includes('"msg":"digest run"') && line.includes('"posted":true')) r.digests++;
          else if (line.includes('"msg":"job finished"') || line.includes('"level":"error"'))
            log(`  ${id}: ${line.slice(0, 300)}`);
        }
      });
      return r;
    };
    for (let i = 0; i < REPLICAS; i++) replicas.push(start(`replica-${i + 1}`));
    const started = Date.now();
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    let digestDone = false;
    let sweepDone = false;
    try {
      for (;;) {
        const posted = Number(
          (await pgc.query(`SELECT count(*)::int AS n FROM "Digest" WHERE status = 'posted'`)).rows[0]?.n ??
            0,
        );
        const sweep = (
          await pgc.query(
            `SELECT "finishedAt" FROM "JobRun" WHERE task = 'nudge-sweep' AND "finishedAt" IS NOT NULL`,
          )
        ).rows;
        digestDone = posted >= workspaces;
        sweepDone = sweep.length > 0;
        if (digestDone && sweepDone) break;
        if (Date.now() - started > timeoutSeconds * 1000) break;
        for (const r of replicas)
          if (r.child.exitCode !== null) throw new Error(`${r.id} exited with ${r.child.exitCode}`);
        await new Promise((res) => setTimeout(res, 1000));
      }
      // When the digests and the first sweep are both done (the loop above waits for both).
      const cpu = replicas.map((r) => treeCpuSeconds(r.child.pid ?? 0));
      const cpuPhase1 = cpu.reduce((a, b) => a + b, 0);
      const digestRun = (
        await pgc.query(
          `SELECT "claimedAt", "claimedBy", "finishedAt", "durationMs", detail FROM "JobRun" WHERE task = 'digest' ORDER BY "fireTime" LIMIT 1`,
        )
      ).rows[0] as { claimedAt: Date; claimedBy: string; durationMs: number | null } | undefined;
      const sweepRun = (
        await pgc.query(
          `SELECT "claimedAt", "claimedBy", "durationMs", detail FROM "JobRun" WHERE task = 'nudge-sweep' ORDER BY "fireTime" LIMIT 1`,
        )
      ).rows[0] as { claimedBy: string; durationMs: number | null; detail: string | null } | undefined;
      const span = (
        await pgc.query(
          `SELECT count(*)::int AS n, count(DISTINCT "workspaceId")::int AS ws, max("postedAt") AS last FROM "Digest" WHERE status = 'posted'`,
        )
      ).rows[0] as { n: number; ws: number; last: Date | null };
      const nudges = (
        await pgc.query(`SELECT status, count(*)::int AS n FROM "Nudge" GROUP BY status ORDER BY status`)
      ).rows as Array<{ status: string; n: number }>;
      const digestSeconds =
        digestRun && span.last
          ? (span.last.getTime() - new Date(digestRun.claimedAt).getTime()) / 1000
          : Number.NaN;
      const sweepSeconds = sweepRun?.durationMs != null ? sweepRun.durationMs / 1000 : Number.NaN;

      // What Slack saw: one accepted digest per channel, and the 429s.
      const isDigest = (args: Record<string, unknown>) =>
        (args.metadata as { event_type?: string } | undefined)?.event_type === "tio_digest";
      const accepted = slack.callsTo("chat.postMessage").filter((x) => isDigest(x.args));
      const perChannel = new Map<string, number>();
      for (const x of accepted)
        perChannel.set(String(x.args.channel), (perChannel.get(String(x.args.channel)) ?? 0) + 1);
      const duplicates = [...perChannel.values()].filter((n) => n > 1).length;
      const missing = seed.teams.filter((t) => !perChannel.has(t.channel)).length;
      const limited = slack.calls.filter((x) => x.status === 429);
      const limitedDigests = limited.filter(
        (x) => x.method === "chat.postMessage" && isDigest(x.args),
      ).length;
      const limitedByMethod: Record<string, number> = {};
      for (const x of limited) limitedByMethod[x.method] = (limitedByMethod[x.method] ?? 0) + 1;
      const perReplica = Object.fromEntries(replicas.map((r) => [r.id, r.digests]));
      // Per-job times from pg-boss (started → completed), where the queue ran.
      const jobTimes = async (name: string) =>
        mode === "pg-boss"
          ? ((
              await pgc.query(
                `SELECT percentile_cont(array[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM completed_on - started_on)) AS p
                   FROM pgboss.job WHERE name = $1 AND state = 'completed'`,
                [name],
              )
            ).rows[0]?.p as number[] | null)
          : null;
      const digestJobs = await jobTimes("digest");

      // The hourly sweep in steady state: the first one (above) sent every prompt the seeded
      // mentions called for at once; an hour later nearly every pair is in its cooldown. Run the
      // sweep again the same way: its JobRun row removed and one replica restarted, whose start-up
      // catch-up claims the slot and enqueues a job per workspace again for all replicas to work.
      let steadySweepSeconds = Number.NaN;
      let steadySent: unknown = null;
      if (sweepDone) {
        const old = replicas[REPLICAS - 1] as Replica;
        old.cpu += treeCpuSeconds(old.child.pid ?? 0);
        old.child.kill("SIGTERM");
        await old.exited;
        await pgc.query(`DELETE FROM "JobRun" WHERE task = 'nudge-sweep'`);
        const again = start(old.id);
        again.cpu = old.cpu;
        again.digests = old.digests;
        replicas[REPLICAS - 1] = again;
        const t0 = Date.now();
        for (;;) {
          const row = (
            await pgc.query(
              `SELECT "durationMs", detail FROM "JobRun" WHERE task = 'nudge-sweep' AND "finishedAt" IS NOT NULL`,
            )
          ).rows[0] as { durationMs: number; detail: string | null } | undefined;
          if (row) {
            steadySweepSeconds = row.durationMs / 1000;
            steadySent = (JSON.parse(row.detail ?? "{}") as { sent?: unknown }).sent ?? null;
            break;
          }
          if (Date.now() - t0 > timeoutSeconds * 1000) break;
          if (again.child.exitCode !== null)
            throw new Error(`${again.id} exited with ${again.child.exitCode}`);
          await new Promise((res) => setTimeout(res, 1000));
        }
      }
      const sweepJobs = await jobTimes("nudge-sweep");
      const cpuTotal = replicas.reduce((n, r) => n + r.cpu + treeCpuSeconds(r.child.pid ?? 0), 0);
      log(
        `fanout ${mode}: ${span.n}/${workspaces} digests in ${digestSeconds.toFixed(1)} s (${JSON.stringify(perReplica)}), ` +
          `${limited.length} 429s (${limitedDigests} on digests), first sweep ${sweepSeconds.toFixed(1)} s, ` +
          `steady-state sweep ${steadySweepSeconds.toFixed(1)} s`,
      );
      return {
        benchmark: `fan-out (${workspaces.toLocaleString("en-US")} workspaces, digests due at once, ${REPLICAS} replicas, rate-limited fake Slack)`,
        subject: mode === "pg-boss" ? "pg-boss queue" : "inline (claimant only)",
        params: {
          workspaces,
          replicas: REPLICAS,
          mode,
          members: seed.members,
          contacts: seed.contacts,
          mentions: seed.mentions,
          sizes: seed.sizes,
          seedSeconds: seed.seconds,
          rateLimits: SLACK_RATE_LIMITS,
          digestClaimedBy: digestRun?.claimedBy,
          sweepClaimedBy: sweepRun?.claimedBy,
          sweepDetail: sweepRun?.detail?.slice(0, 600),
          digestsPerReplica: perReplica,
          cpuSecondsPerReplicaAfterFirstSweep: Object.fromEntries(replicas.map((r, i) => [r.id, cpu[i]])),
          digestJobSecondsP50P99: digestJobs,
          sweepJobSecondsP50P99: sweepJobs,
          steadySweepSent: steadySent,
          limitedByMethod,
          nudges,
        },
        metrics: [
          metric("digests posted (Digest rows)", "n", [span.n], {
            atLeast: workspaces,
            targetText: `= ${workspaces}`,
          }),
          metric("channels with two digest posts", "n", [duplicates], { below: 1, targetText: "0" }),
          metric("channels without a digest post", "n", [missing], { below: 1, targetText: "0" }),
          metric("all digests posted, from the slot's claim", "s", [digestSeconds], {
            digits: 1,
            below: 600,
          }),
          metric("429s answered on digest posts (then waited out)", "n", [limitedDigests]),
          metric("429s answered, all methods", "n", [limited.length]),
          metric("replicas that posted digests", "n", [replicas.filter((r) => r.digests > 0).length]),
          metric("first nudge sweep (every due prompt at once), alongside the digests", "s", [sweepSeconds], {
            digits: 1,
          }),
          metric("hourly nudge sweep over every workspace (steady state)", "s", [steadySweepSeconds], {
            digits: 1,
            below: 120,
          }),
          metric("CPU, digests + first sweep, all replicas", "s", [cpuPhase1], { digits: 1 }),
          metric("CPU, steady-state sweep, all replicas", "s", [cpuTotal - cpuPhase1], { digits: 1 }),
        ],
        notes: [
          `digests per replica: ${replicas.map((r) => `${r.id} ${r.digests}`).join(", ")}; ` +
            `nudges: ${nudges.map((n) => `${n.status} ${n.n}`).join(", ")}`,
          ...(digestDone && sweepDone ? [] : [`stopped after ${timeoutSeconds} s without finishing`]),
        ],
      };
    } finally {
      await pgc.end();
    }
  } finally {
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGTERM");
    await Promise.all(
      replicas.map((r) =>
        Promise.race([
          r.exited,
          new Promise((res) => setTimeout(res, 20_000)).then(() => r.child.kill("SIGKILL")),
        ]),
      ),
    );
    await slack.close();
    await db.drop();
  }
}
