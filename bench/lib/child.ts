import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// Benchmarks that need their own process (peak RSS of one job, a load driver that must not share
// the server's event loop) run a bench/children script, TypeScript through tsx. The child prints exactly one
// line starting with RESULT_PREFIX; everything else it writes is passed through or kept for errors.

export const RESULT_PREFIX = "BENCH_RESULT ";
/** Long-running children (servers) print this line, with JSON, once they take requests. */
export const READY_PREFIX = "BENCH_READY ";

export interface ChildOptions {
  env?: Record<string, string | undefined>;
  /** Extra node flags, e.g. ["--cpu-prof", "--cpu-prof-dir=…"]. */
  nodeFlags?: string[];
  timeoutMs?: number;
  /** Called with each stderr line (progress, logs); default: kept for the error message only. */
  onStderr?: (line: string) => void;
}

export interface RunningChild<T> {
  pid: number;
  result: Promise<T>;
  /** The JSON of the child's READY line (rejects if it exits first). */
  ready: Promise<Record<string, unknown>>;
  /** SIGTERM: servers stop cleanly and then print their result. */
  kill(): void;
}

export function childScript(name: string): string {
  return fileURLToPath(new URL(`../children/${name}`, import.meta.url));
}

export function startChild<T>(script: string, args: string[], options: ChildOptions = {}): RunningChild<T> {
  // Plain JavaScript children (the compiled server) run without the loader, as in production.
  const loader = /\.m?js$/.test(script) ? [] : ["--import", "tsx"];
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...loader, script, ...args], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  const stderrTail: string[] = [];
  let partial = "";
  let onReady: (v: Record<string, unknown>) => void = () => {};
  const ready = new Promise<Record<string, unknown>>((resolve) => {
    onReady = resolve;
  });
  child.stdout.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    const line = stdout.split("\n").find((l) => l.startsWith(READY_PREFIX));
    if (line) onReady(JSON.parse(line.slice(READY_PREFIX.length)) as Record<string, unknown>);
  });
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    const lines = (partial + d).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      options.onStderr?.(line);
      stderrTail.push(line);
      if (stderrTail.length > 40) stderrTail.shift();
    }
  });
  const result = new Promise<T>((resolve, reject) => {
    const timer = options.timeoutMs
      ? setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`${script} timed out after ${options.timeoutMs} ms`));
        }, options.timeoutMs)
      : null;
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      const line = stdout.split("\n").find((l) => l.startsWith(RESULT_PREFIX));
      if (code === 0 && line) {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as T);
        return;
      }
      reject(
        new Error(
          `${script} ${args.join(" ")} exited with ${signal ?? code}${line ? "" : " without a result"}\n` +
            [...stderrTail, partial].join("\n"),
        ),
      );
    });
  });
  // A child that dies before it is ready fails `ready` too.
  const readyOrExit = Promise.race([
    ready,
    result.then((): Record<string, unknown> => {
      throw new Error(`${script} exited before it was ready`);
    }),
  ]);
  readyOrExit.catch(() => {});
  return { pid: child.pid ?? -1, result, ready: readyOrExit, kill: () => child.kill("SIGTERM") };
}

export function runChild<T>(script: string, args: string[], options: ChildOptions = {}): Promise<T> {
  return startChild<T>(script, args, options).result;
}

/** For long-running children: tell the parent they are ready. */
export function emitReady(value: Record<string, unknown>): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(value)}\n`);
}

/** For children: print the one result line. Peak RSS is read here, at the very end of the job. */
export function emitResult(value: Record<string, unknown>): void {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify({ ...value, peakRssMb })}\n`);
}
