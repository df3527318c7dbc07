import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { generateSampleExport, type SampleOptions } from "../../src/sample/index.ts";

// Sample exports are deterministic (seeded), so they are generated once per size and kept under
// data/bench/cache/. A folder counts as complete only when its summary file exists, written last.

export const BENCH_DIR = resolve(process.env.BENCH_OUT_DIR ?? "data/bench");
export const CACHE_DIR = join(BENCH_DIR, "cache");

export interface CachedExport {
  dir: string;
  messages: number;
  /** Generation time; 0 when the export came from the cache. */
  generatedSeconds: number;
}

export function exportKey(options: SampleOptions): string {
  const o = { seed: 7, ...options };
  return `export-s${o.seed}-m${o.messages}-p${o.members ?? "d"}-x${o.externalPeople ?? "d"}-c${o.channels ?? "d"}-d${o.days ?? "d"}`;
}

export async function ensureExport(options: SampleOptions): Promise<CachedExport> {
  const dir = join(CACHE_DIR, exportKey(options));
  const marker = join(dir, "..", `${exportKey(options)}.summary.json`);
  if (existsSync(marker) && existsSync(dir)) {
    const summary = JSON.parse(readFileSync(marker, "utf8")) as { messages: number };
    return { dir, messages: summary.messages, generatedSeconds: 0 };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(CACHE_DIR, { recursive: true });
  const started = performance.now();
  const summary = await generateSampleExport(dir, { seed: 7, ...options, overwrite: true });
  const generatedSeconds = (performance.now() - started) / 1000;
  writeFileSync(
    marker,
    JSON.stringify({ messages: summary.messages, bytes: summary.bytes, files: summary.files }),
  );
  return { dir, messages: summary.messages, generatedSeconds };
}
