import { spawn } from "node:child_process";

// Node options and environment a command needs from the start of its process. They can't be set
// once Node runs, so the command starts its own command line again in a child process with them.
// Dependency-free on purpose: bin/take-it-offline.js loads only this module before it starts
// `serve`'s child, so the parent that waits for it holds ~43 MB instead of the whole CLI's ~64 MB.

/**
 * The server's heap. Its live data is some 45 MB after a full collection (the name model's tables
 * are typed arrays outside it), but uncapped V8 let the heap grow past 170 MB before collecting, on
 * a machine with memory to spare. With a cap it collects sooner: in the ingestion benchmark the
 * server's peak RSS was 248 MB uncapped, 199–206 MB at a cap of 160 or 224, for ~10% more CPU per
 * event (0.44–0.47 against 0.49–0.52 ms). A workspace's caches live here too, so the cap keeps
 * room well above the live data: 224 rather than 160, at the same RSS.
 */
export const SERVE_MAX_OLD_SPACE_MB = 224;

/**
 * Node options `serve` runs with unless the caller chose them.
 * --liftoff-only: Prisma's query compiler is WebAssembly (3.4 MB), and V8 compiled it twice, once
 * quickly and again optimized, which took ~85 MB of RSS at the first query; with only the quick
 * compiler it takes ~45 MB. Its plans are cached per query shape, so the slower code runs rarely
 * (CPU per event unchanged in the benchmark). Any other wasm in the process (undici's HTTP parser
 * behind fetch) gets the quick compiler too.
 * The young generation stays at V8's default (16 MB semi-spaces). 32 MB had cut CPU per event by a
 * sixth with detection in a worker thread; with detection inline no difference showed through the
 * noise, and it costs ~30 MB.
 */
export const SERVE_NODE_FLAGS: readonly string[] = [
  `--max-old-space-size=${SERVE_MAX_OLD_SPACE_MB}`,
  "--liftoff-only",
];

/**
 * Environment `serve` runs with unless already set. glibc gives threads that allocate at once
 * their own malloc arenas (up to 8 per core), and the server's threads (libuv's pool, V8's GC and
 * compiler threads) left tens of MB in them: two arenas took ~25 MB off its peak RSS.
 */
export const SERVE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

/**
 * `name=value`, or null when the caller already set `name` (on the command line or in
 * NODE_OPTIONS). These sizes can only be set when Node starts, so a command that wants one runs
 * itself again with it (rerunWith).
 */
export function nodeFlagUnlessSet(
  name: string,
  value: number,
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): string | null {
  return nodeFlagsUnlessSet([`${name}=${value}`], execArgv, nodeOptions)[0] ?? null;
}

/** The `--name=value` flags whose name the caller didn't set. */
export function nodeFlagsUnlessSet(
  flags: readonly string[],
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): string[] {
  const given = [...execArgv, ...(nodeOptions ?? "").split(/\s+/)];
  return flags.filter((f) => !given.some((a) => a.startsWith(flagName(f))));
}

/** `--name=value` → `--name`. */
function flagName(flag: string): string {
  const eq = flag.indexOf("=");
  return eq < 0 ? flag : flag.slice(0, eq);
}

/** The entries of `wanted` whose variable `env` doesn't set (the caller's choice wins). */
export function envUnlessSet(
  wanted: Readonly<Record<string, string>>,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  return Object.fromEntries(Object.entries(wanted).filter(([name]) => env[name] === undefined));
}

/**
 * This command line again, in a child process with `flags` and `env` added; its exit code is
 * ours. The child finds them set and runs the command itself.
 */
export function rerunWith(flags: readonly string[], env: Record<string, string> = {}): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...flags, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  // Ctrl-C reaches both processes (same process group); the child decides how to stop. A SIGTERM
  // (a process manager stopping the bot) reaches only this one: pass it on.
  const ignore = () => {};
  const forward = () => child.kill("SIGTERM");
  process.on("SIGINT", ignore);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("error", (err) => {
      console.error(`Could not start ${process.argv.slice(2).join(" ")}: ${err.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => {
      process.off("SIGINT", ignore);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * `serve` again in a child process with SERVE_NODE_FLAGS and SERVE_ENV, unless this process
 * already has them (or the caller chose others): the child's exit code, or null to serve here.
 */
export function serveWithOptions(): Promise<number> | null {
  const flags = nodeFlagsUnlessSet(SERVE_NODE_FLAGS);
  const env = envUnlessSet(SERVE_ENV);
  return flags.length > 0 || Object.keys(env).length > 0 ? rerunWith(flags, env) : null;
}
