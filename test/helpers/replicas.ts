import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";

// Orchestrates bot replicas as real processes (test/helpers/scheduler-replica.ts) and the one
// file that is their shared fake "now".

const ENTRY = resolve(import.meta.dirname, "scheduler-replica.ts");
const ROOT = resolve(import.meta.dirname, "../..");

/** A fake "now" every replica reads (TIO_FAKE_NOW_FILE). Writes are atomic (write + rename). */
export class SharedClock {
  readonly dir = mkdtempSync(join(tmpdir(), "tio-clock-"));
  readonly file = join(this.dir, "now");
  private current: Date;

  constructor(at: string | Date) {
    this.current = new Date(at);
    this.write();
  }

  now(): Date {
    return new Date(this.current);
  }

  set(at: string | Date): void {
    this.current = new Date(at);
    this.write();
  }

  advance(ms: number): void {
    this.set(new Date(this.current.getTime() + ms));
  }

  private write(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, this.current.toISOString());
    renameSync(tmp, this.file);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A slot report as it comes over the control port (dates as ISO strings). */
export interface RemoteRunReport {
  task: string;
  fireTime: string;
  ran: boolean;
  skipped?: string;
  by?: string | null;
  outcome?: string;
  durationMs?: number;
  summary?: Record<string, unknown>;
}

/**
 * Each (task, fire time) ran on exactly one replica, successfully, and every other replica was
 * told the slot was taken. `slots`: every replica's reports, grouped by slot.
 */
export function expectOneRunPerSlot(
  slots: ReadonlyMap<
    string,
    ReadonlyArray<{ ran: boolean; outcome?: string; skipped?: string; summary?: Record<string, unknown> }>
  >,
): void {
  for (const [slot, runs] of slots) {
    const ran = runs.filter((r) => r.ran);
    // The summary says what went wrong when a run failed.
    expect(
      ran.map((r) => r.outcome),
      `${slot}: ${JSON.stringify(ran.map((r) => r.summary))}`,
    ).toEqual(["ok"]);
    expect(
      runs.filter((r) => !r.ran).every((r) => r.skipped === "taken"),
      slot,
    ).toBe(true);
  }
}

export interface Replica {
  id: string;
  process: ChildProcess;
  port: number;
  controlPort: number;
  /** stderr lines (JSON logs), for assertions and for debugging a failure. */
  logs: string[];
  exited: Promise<number | null>;
  runDue(jobs?: string[]): Promise<RemoteRunReport[]>;
  /** Waits for start-up catch-up to finish. */
  ready(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no cleanup, no goodbye. */
  kill(): Promise<void>;
}

export interface ReplicaOptions {
  id: string;
  databaseUrl: string;
  clock: SharedClock;
  slackApiUrl: string;
  catchUp?: boolean;
  env?: Record<string, string>;
}

export async function startReplica(o: ReplicaOptions): Promise<Replica> {
  const child = spawn(process.execPath, ["--import", "tsx", ENTRY], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      DATABASE_URL: o.databaseUrl,
      INSTANCE_ID: o.id,
      LOG_LEVEL: "info",
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "test-signing-secret",
      SLACK_API_URL: o.slackApiUrl,
      TIO_FAKE_NOW_FILE: o.clock.file,
      TIO_CATCH_UP: o.catchUp ? "1" : "0",
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  let stderrTail = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (stderrTail + chunk).split("\n");
    stderrTail = lines.pop() ?? "";
    logs.push(...lines.filter(Boolean));
  });
  const ports = await new Promise<{ port: number; control: number }>((resolveReady, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`replica ${o.id} did not start:\n${logs.join("\n")}`)),
      45_000,
    );
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      out += chunk;
      const m = /READY (\{.*\})\n/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolveReady(JSON.parse(m[1]) as { port: number; control: number });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        new Error(
          `replica ${o.id} exited with ${code} before it was ready:\n${logs.join("\n")}${stderrTail}`,
        ),
      );
    });
  });
  const base = `http://127.0.0.1:${ports.control}`;
  return {
    id: o.id,
    process: child,
    port: ports.port,
    controlPort: ports.control,
    logs,
    exited,
    async runDue(jobs) {
      const res = await fetch(`${base}/run-due${jobs ? `?jobs=${jobs.join(",")}` : ""}`, { method: "POST" });
      const body = (await res.json()) as { reports?: RemoteRunReport[]; error?: string };
      if (!res.ok || !body.reports) throw new Error(`run-due on ${o.id} failed: ${body.error ?? res.status}`);
      return body.reports;
    },
    async ready() {
      const res = await fetch(`${base}/ready`);
      if (!res.ok) throw new Error(`ready on ${o.id} failed: ${res.status}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
