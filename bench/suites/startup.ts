import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BenchConfig, TARGETS } from "../config.ts";
import { type BenchRow, metric } from "../lib/report.ts";

// Start-up of the command line as people run it: `node bin/take-it-offline.js …`, from the compiled
// build (dist/), beside the same commands run from the TypeScript sources through tsx (how the CLI
// ran before the build), in the same minutes. Each sample is a fresh process.

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "take-it-offline.js");
const FROM_SOURCE = ["--import", "tsx", join(ROOT, "src", "cli.ts")];

type Way = { subject: string; args: string[] };
const WAYS: Way[] = [
  { subject: "compiled (bin → dist/)", args: [BIN] },
  { subject: "from source (tsx)", args: FROM_SOURCE },
];

/** Seconds from spawn to exit. */
function timeToExit(args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0
        ? resolve((performance.now() - t0) / 1000)
        : reject(new Error(`${args.join(" ")}: exit ${code}`)),
    );
  });
}

/** Peak resident memory of a live process, from /proc (MB); NaN elsewhere. */
function peakRssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** `detect` with one line waiting on stdin: seconds until its answer, and its peak RSS then. */
function detectReady(args: string[]): Promise<{ seconds: number; rssMb: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, "detect"], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "ignore"],
  });
  child.stdin.write(`${JSON.stringify({ id: 1, text: "Lunch with Jane Doe? jane@example.com" })}\n`);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.stdout.once("data", () => {
      const seconds = (performance.now() - t0) / 1000;
      const rssMb = peakRssMb(child);
      child.stdin.end();
      resolve({ seconds, rssMb });
    });
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

/** `serve` on a fresh SQLite file (migrations included, no platform configured): seconds until /healthz answers 200. */
async function serveReady(args: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), "bench-serve-"));
  const port = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [...args, "serve"], {
    cwd: ROOT,
    stdio: "ignore",
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "serve.db")}`,
      LOG_LEVEL: "error",
    },
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`serve exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - t0) / 1000;
      if (performance.now() - t0 > 60_000) throw new Error("serve did not answer /healthz within 60 s");
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startupSuite(config: BenchConfig, log: (line: string) => void): Promise<BenchRow[]> {
  if (!existsSync(join(ROOT, "dist", "cli.js"))) throw new Error("dist/ is missing: run npm run build first");
  const runs = config.startup.runs;
  const samples = new Map<
    string,
    { help: number[]; detect: number[]; detectRss: number[]; serve: number[] }
  >();
  for (const way of WAYS) samples.set(way.subject, { help: [], detect: [], detectRss: [], serve: [] });
  // Interleaved, so both ways see the same machine.
  for (let i = 0; i < runs; i++) {
    for (const way of WAYS) {
      const s = samples.get(way.subject);
      if (!s) continue;
      s.help.push(await timeToExit([...way.args, "help"]));
      const d = await detectReady(way.args);
      s.detect.push(d.seconds);
      s.detectRss.push(d.rssMb);
      s.serve.push(await serveReady(way.args));
    }
    log(`startup run ${i + 1}/${runs}`);
  }
  return WAYS.map((way) => {
    const s = samples.get(way.subject);
    if (!s) throw new Error(way.subject);
    const compiled = way.args[0] === BIN;
    const target = (below: number) => (compiled ? { below } : {});
    return {
      benchmark: "start-up of the command line",
      subject: way.subject,
      params: { runs, command: compiled ? "node bin/take-it-offline.js" : "node --import tsx src/cli.ts" },
      metrics: [
        metric("help: spawn to exit", "s", s.help, { digits: 2, ...target(TARGETS.helpSeconds) }),
        metric("detect: spawn to first answer", "s", s.detect, {
          digits: 2,
          ...target(TARGETS.detectReadySeconds),
        }),
        metric("detect: peak RSS at first answer", "MB", s.detectRss),
        metric("serve: spawn to /healthz 200 (fresh SQLite)", "s", s.serve, {
          digits: 2,
          ...target(TARGETS.serveReadySeconds),
        }),
      ],
    };
  });
}
