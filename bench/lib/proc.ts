import { readdirSync, readFileSync } from "node:fs";

// CPU time of another process from /proc (Linux): how much work a server did for a run, which
// is steadier than its wall-clock rate on a machine shared with other jobs.

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds of `pid` so far, or NaN where /proc isn't available. */
export function cpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/stat`);
}

/**
 * CPU seconds of a process's main thread alone (Node's event loop: its worker threads, GC helpers
 * and libuv pool are left out). A Node server's throughput is bound by this one core.
 */
export function mainThreadCpuSeconds(pid: number): number {
  return statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
}

/** utime + stime from a stat file; with `reaped`, plus cutime + cstime (children that exited). */
function statCpuSeconds(path: string, reaped = false): number {
  try {
    const stat = readFileSync(path, "utf8");
    // Fields after the command name (which may contain spaces) start after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    return (reaped ? own + Number(fields[13]) + Number(fields[14]) : own) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** cpuSeconds of `pid` and all its descendants still running (a CLI that re-executes itself). */
export function treeCpuSeconds(pid: number): number {
  let total = cpuSeconds(pid);
  for (const child of childPids(pid)) total += treeCpuSeconds(child);
  return total;
}

function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

/** PostgreSQL's postmaster and every process it forked (backends, WAL writer, checkpointer…). */
export const POSTGRES_PROCESSES = /^(postgres:|\S*\/bin\/postgres\0)/;

/**
 * CPU seconds of every running process whose command line matches `pattern` (all of PostgreSQL's
 * processes, say), as far as /proc lets this user read them, plus what their children that have
 * exited used (a parent's cutime/cstime): PostgreSQL's autovacuum workers come and go between two
 * readings, and their time would be lost otherwise.
 */
export function matchingCpuSeconds(pattern: RegExp): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (pattern.test(cmd)) total += statCpuSeconds(`/proc/${entry}/stat`, true);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
